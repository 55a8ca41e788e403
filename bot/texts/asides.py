"""Steps back before an instruction, forgetting the held photos, and dry runs (/explain)."""

from __future__ import annotations

import json

from bot.domain.models import Intent, Plan
from bot.domain.records import Media
from bot.texts.format import clip, escape, usd
from bot.texts.plans import plan_error

# The JSON of a dry run's args is cut here, so the answer stays one Telegram message.
_ARGS_LIMIT = 2500


def went_back(media: Media, steps: int, then: str | None = None) -> str:
    """After "go back two versions", or before the job of "revert and make it foggy"."""
    back = "one version" if steps == 1 else f"{steps} versions"
    if then is None:
        return f"Went back {back}: now at version {media.version}. Your next instruction edits it."
    return (
        f"Went back {back}, to version {media.version}. Now, on that version: "
        f"<i>{escape(clip(then, 300))}</i>"
    )


def cannot_go_back(steps: int) -> str:
    if steps == 1:
        return "There is no earlier version to go back to, so I did nothing."
    return f"There aren't {steps} earlier versions to go back to, so I did nothing."


def photos_forgotten(count: int) -> str:
    if count == 0:
        return "I'm not holding any photos. Edits use the video alone."
    what = "the photo" if count == 1 else f"the {count} photos"
    return f"Forgot {what}. Edits now use the video alone; send new photos any time."


EXPLAIN_USAGE = (
    "Write the instruction after the command, for example <code>/explain make it rainy, "
    "10 seconds</code>. I'll show what I would send to Kling and its price, spending nothing."
)


def dry_run(instruction: str, plan: Plan, asked: bool = False) -> str:
    """What the bot would send for `instruction`, and its price; nothing is spent."""
    said = f"<i>{escape(clip(instruction, 300))}</i>"
    head = f"🧮 Dry run, nothing spent. For {said}"
    if plan.error is not None:
        return f"{head} I couldn't send anything as it stands: {escape(plan_error(plan.error))}"
    if plan.intent is Intent.LOCAL_EDIT:
        return f"{head} I would edit the clip here myself, for free; Kling is not needed."
    if plan.model is None:
        return f"{head} I wouldn't send anything to Kling: it isn't an instruction for the clip."
    args = clip(json.dumps(plan.args, ensure_ascii=False, indent=1), _ARGS_LIMIT)
    ask = " I would ask you first, as it reads more like a description." if asked else ""
    cost = usd(plan.estimated_cost_usd) if plan.estimated_cost_usd is not None else "?"
    return (
        f"{head} I would send this to <code>{escape(plan.model)}</code>:\n"
        f"<pre>{escape(args)}</pre>\n"
        f"Price: about <b>{cost}</b>.{ask}"
    )
