"""Steps back before an instruction, forgetting the held photos, and dry runs (/explain)."""

from __future__ import annotations

import json

from bot.domain.models import Intent, Plan
from bot.domain.records import Media
from bot.texts.format import clip, escape, usd
from bot.texts.i18n import _, msg, ngettext
from bot.texts.plans import plan_error

# The JSON of a dry run's args is cut here, so the answer stays one Telegram message.
_ARGS_LIMIT = 2500


def went_back(media: Media, steps: int, then: str | None = None) -> str:
    """After "go back two versions", or before the job of "revert and make it foggy"."""
    if then is None:
        if steps == 1:
            return _(
                "Went back one version: now at version {version}. Your next instruction edits it."
            ).format(version=media.version)
        return ngettext(
            "Went back {steps} version: now at version {version}. Your next instruction edits "
            "it.",
            "Went back {steps} versions: now at version {version}. Your next instruction edits "
            "it.",
            steps,
        ).format(steps=steps, version=media.version)
    instruction = escape(clip(then, 300))
    if steps == 1:
        return _(
            "Went back one version, to version {version}. Now, on that version: "
            "<i>{instruction}</i>"
        ).format(version=media.version, instruction=instruction)
    return ngettext(
        "Went back {steps} version, to version {version}. Now, on that version: "
        "<i>{instruction}</i>",
        "Went back {steps} versions, to version {version}. Now, on that version: "
        "<i>{instruction}</i>",
        steps,
    ).format(steps=steps, version=media.version, instruction=instruction)


def cannot_go_back(steps: int) -> str:
    if steps == 1:
        return _("There is no earlier version to go back to, so I did nothing.")
    return ngettext(
        "There isn't {steps} earlier version to go back to, so I did nothing.",
        "There aren't {steps} earlier versions to go back to, so I did nothing.",
        steps,
    ).format(steps=steps)


def photos_forgotten(count: int) -> str:
    if count == 0:
        return _("I'm not holding any photos. Edits use the video alone.")
    if count == 1:
        return _("Forgot the photo. Edits now use the video alone; send new photos any time.")
    return ngettext(
        "Forgot the {count} photo. Edits now use the video alone; send new photos any time.",
        "Forgot the {count} photos. Edits now use the video alone; send new photos any time.",
        count,
    ).format(count=count)


EXPLAIN_USAGE = msg(
    "Write the instruction after the command, for example <code>/explain make it rainy, "
    "10 seconds</code>. I'll show what I would send to Kling and its price, spending nothing."
)


def dry_run(instruction: str, plan: Plan, asked: bool = False) -> str:
    """What the bot would send for `instruction`, and its price; nothing is spent."""
    head = _("🧮 Dry run, nothing spent. For <i>{instruction}</i>").format(
        instruction=escape(clip(instruction, 300)))
    if plan.error is not None:
        return head + " " + _("I couldn't send anything as it stands: {reason}").format(
            reason=escape(plan_error(plan.error)))
    if plan.intent is Intent.LOCAL_EDIT:
        return head + " " + _("I would edit the clip here myself, for free; Kling is not needed.")
    if plan.model is None:
        return head + " " + _(
            "I wouldn't send anything to Kling: it isn't an instruction for the clip.")
    args = clip(json.dumps(plan.args, ensure_ascii=False, indent=1), _ARGS_LIMIT)
    ask = (" " + _("I would ask you first, as it reads more like a description.")
           if asked else "")
    cost = usd(plan.estimated_cost_usd) if plan.estimated_cost_usd is not None else "?"
    return head + " " + _(
        "I would send this to <code>{model}</code>:\n<pre>{args}</pre>\nPrice: about "
        "<b>{cost}</b>."
    ).format(model=escape(plan.model), args=escape(args), cost=cost) + ask
