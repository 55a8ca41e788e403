"""A job's life in the chat: its status message, the confirm step, the clip's caption, and
why it ended without a clip."""

from __future__ import annotations

from decimal import Decimal

from bot.domain.limits import CLOUD_UPLOAD_LIMIT, MEDIA_LINK_TTL_SECONDS
from bot.domain.models import Mode, Note, Plan
from bot.domain.money import from_micros
from bot.domain.records import Job, Media
from bot.engine.delivery import Failure, FailureKind
from bot.texts.format import clip, escape, escape_attribute, hours, megabytes, usd
from bot.texts.plans import notes as note_text

EMULATOR_NOTE = (
    "\n⚠️ Demo mode: no ShortAPI key is set, so this runs on the built-in emulator and costs "
    "nothing."
)
_UPLOAD_MB = megabytes(CLOUD_UPLOAD_LIMIT)


def _doing(plan: Plan, photos: int) -> str:
    if plan.animates_photos:
        return "Animating your photo" + ("s" if photos > 1 else "")
    if plan.is_new_shot:
        return "Making a new shot from your clip"
    return "Editing your clip"


def mode_name(mode: Mode) -> str:
    return "pro" if mode is Mode.PRO else "standard"


def _headline(job: Job) -> str:
    plan = job.plan
    return (
        f"{_doing(plan, len(job.image_media_ids))} with Kling O3 ({mode_name(plan.mode)}): "
        f"<i>{escape(job.instruction)}</i>"
    )


def accepted(job: Job, *, emulated: bool, notes: tuple[Note, ...] = ()) -> str:
    text = (
        f"🎬 {_headline(job)}\n"
        f"Estimated cost: {usd(from_micros(job.estimate_micros))}. "
        "This usually takes 2–5 minutes; I'll reply with the result."
    )
    if notes:
        text += "\n<i>" + escape(note_text(notes)) + "</i>"
    return text + (EMULATOR_NOTE if emulated else "")


def submitted(job: Job, *, emulated: bool) -> str:
    charged = from_micros(job.amount_micros or 0)
    text = (
        f"⏳ {_headline(job)}\n"
        f"Submitted. Charged {usd(charged)}. I'll reply with the result "
        "(usually 2–5 minutes). Say <i>stop</i> to stop waiting."
    )
    return text + (EMULATOR_NOTE if emulated else "")


def caption(job: Job, media: Media) -> str:
    cost = usd(from_micros(job.amount_micros or 0))
    return f"“{escape(clip(job.instruction, 800))}”\nv{media.version} · {cost}"


def done_status(media: Media, job: Job) -> str:
    return f"✅ Done: version {media.version} ({usd(from_micros(job.amount_micros or 0))})."


def _charged_line(failure: Failure) -> str:
    if failure.refunded:
        return "ShortAPI refunded it, so it cost nothing."
    if failure.charged > 0:
        return f"ShortAPI did not refund it: {usd(failure.charged)} was spent."
    return "Nothing was charged."


def _retry_costs(job: Job) -> str:
    """A retry is a new paid job: say what it costs before anyone presses it."""
    return (
        f" Retry runs it again as a new job, for about {usd(from_micros(job.estimate_micros))}."
    )


def _cancelled(job: Job, failure: Failure) -> str:
    if not failure.started:
        return CANCELLED_BEFORE_START
    return "⏹ Stopped waiting for this job. ShortAPI cannot cancel a started job, so " + (
        f"the {usd(failure.charged)} it charged stays spent."
        if failure.charged > 0
        else "nothing more happens."
    )


def _lost(failure: Failure) -> str:
    return (
        "⚠️ The bot lost its connection or restarted while sending this job, so I can't tell "
        "whether ShortAPI received "
        f"it. I did not send it again. It may have cost up to {usd(failure.charged)}; check the "
        "ShortAPI dashboard before you retry."
    )


def failed(job: Job, failure: Failure) -> str:
    """Why the job ended without a clip, and what it cost."""
    charged = _charged_line(failure)
    texts = {
        FailureKind.REJECTED: "❌ ShortAPI refused this job, so nothing was charged. Try "
        "rephrasing the instruction, or check the bot's ShortAPI balance and key.",
        FailureKind.UNAVAILABLE: "❌ I couldn't reach ShortAPI, so nothing was sent and nothing "
        "was charged. Please try again in a minute (say <i>again</i>).",
        FailureKind.MODERATED: "❌ Kling's content moderation refused this clip. " + charged
        + " Try a different instruction.",
        FailureKind.REMOTE_FAILED: "❌ Kling could not finish this job. " + charged
        + _retry_costs(job),
        FailureKind.TIMED_OUT: "⌛ Kling took too long, so I stopped waiting. " + charged
        + _retry_costs(job),
        FailureKind.NO_RESULT: "❌ Kling finished, but its result could not be downloaded or "
        "read. " + charged,
        FailureKind.CANCELLED: _cancelled(job, failure),
        FailureKind.LOST: _lost(failure),
        FailureKind.SETUP: "❌ This bot has no public URL set, so Kling cannot fetch your "
        "video. The operator must set PUBLIC_URL.",
        FailureKind.FORGOTTEN: "⚠️ The bot restarted, and its built-in emulator forgot this "
        "job. This is demo mode, so nothing was charged: send the instruction again.",
    }
    return texts[failure.kind]


def too_big_to_send(job: Job, media: Media, size_mb: float, link: str | None) -> str:
    head = caption(job, media)
    if link is None:
        return (
            f"{head}\nThe clip is ready, but at {size_mb:.0f} MB it is over Telegram's "
            f"{_UPLOAD_MB} MB limit for bots. The operator can lift it with a local Bot API "
            "server."
        )
    return (
        f"{head}\nThe clip is {size_mb:.0f} MB, over Telegram's {_UPLOAD_MB} MB limit for bots: "
        f'<a href="{escape_attribute(link)}">download it here</a> (the link works for '
        f"{hours(MEDIA_LINK_TTL_SECONDS)})."
    )


def confirm_prompt(instruction: str, estimate: Decimal, mode: Mode, asker: str) -> str:
    return (
        f"This job costs about <b>{usd(estimate)}</b> (Kling O3, {mode_name(mode)}): "
        f"<i>{escape(clip(instruction, 300))}</i>\n"
        f"{escape(asker)}, press Confirm to start it, or Cancel. Nothing is spent until you "
        "confirm."
    )


CONFIRM_BUTTON = "✅ Confirm"
CANCEL_BUTTON = "✖ Cancel"
CONFIRMED = "Confirmed: starting the job."
CANCELLED_BY_USER = "Cancelled. Nothing was spent."
ALREADY_DECIDED = "This was already decided."
PROMPT_EXPIRED = "This request is no longer available. Send the instruction again."
THE_ASKER = "the asker"
THE_MEMBER_WHO_ASKED = "the member who asked"


def not_yours(asker: str) -> str:
    return f"Only {asker} can confirm or cancel this."


def ordinal(n: int) -> str:
    """'1st', '2nd', '3rd', '4th', '11th', '22nd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def queued(job: Job, place: int, *, emulated: bool, notes: tuple[Note, ...] = ()) -> str:
    text = (
        f"🕒 {_headline(job)}\n"
        f"In the queue: {ordinal(place)}. It starts by itself as soon as one of the running "
        f"jobs finishes. Estimated cost: {usd(from_micros(job.estimate_micros))}; nothing is "
        "charged before it starts."
    )
    if notes:
        text += "\n<i>" + escape(note_text(notes)) + "</i>"
    return text + (EMULATOR_NOTE if emulated else "")


def _duration(seconds: float) -> str:
    whole = max(int(seconds), 0)
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def running(job: Job, elapsed: float, *, emulated: bool) -> str:
    charged = from_micros(job.amount_micros or 0)
    text = (
        f"⏳ {_headline(job)}\n"
        f"Kling is working on it: {_duration(elapsed)} so far. Charged {usd(charged)}. "
        "I'll reply with the result (usually 2–5 minutes)."
    )
    return text + (EMULATOR_NOTE if emulated else "")


def delivering(job: Job) -> str:
    return f"📤 {_headline(job)}\nKling is done; sending you the clip…"


UNDO_BUTTON = "↩️ Undo"
ORIGINAL_BUTTON = "📎 Original"
STOP_BUTTON = "⏹ Cancel"


def retry_button(price: Decimal) -> str:
    return f"🔁 Retry · {usd(price)}"


CANCELLED_BEFORE_START = "⏹ Cancelled before it started: nothing was spent."
STOPPED = "Stopped."
ALREADY_FINISHED = "This job already finished."
ONLY_ASKER_OR_ADMIN_CANCELS = "Only the member who asked, or a chat admin, can cancel this job."
ORIGINAL_GONE = "That clip's file is no longer kept here."


def original_caption(version: int) -> str:
    return (
        f"The original file of version {version}, as Kling made it (Telegram recompresses "
        "videos)."
    )
BUTTON_EXPIRED = "This button is no longer available."
ORIGINAL_TOO_BIG = "The original is over Telegram's upload limit for bots, so I can't send it."


OFFER_YES = "✅ Edit it"
OFFER_NO = "✖ No"


def offer_prompt(instruction: str, estimate: Decimal) -> str:
    """A message that may be an instruction: asked, never charged on a guess."""
    return (
        f"Should I send this to Kling: <i>{escape(clip(instruction, 300))}</i>? "
        f"About <b>{usd(estimate)}</b>. Nothing is spent unless you say yes."
    )
