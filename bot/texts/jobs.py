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
from bot.texts.i18n import _, current, msg, ngettext, translated
from bot.texts.plans import notes as note_text

EMULATOR_NOTE = msg(
    "\n⚠️ Demo mode: no ShortAPI key is set, so this runs on the built-in emulator and costs "
    "nothing."
)
_UPLOAD_MB = megabytes(CLOUD_UPLOAD_LIMIT)


def _emulated(emulated: bool) -> str:
    return translated(EMULATOR_NOTE) if emulated else ""


def _doing(plan: Plan, photos: int) -> str:
    if plan.animates_photos:
        return ngettext("Animating your photo", "Animating your photos", photos)
    if plan.is_new_shot:
        return _("Making a new shot from your clip")
    return _("Editing your clip")


def mode_name(mode: Mode) -> str:
    return _("pro") if mode is Mode.PRO else _("standard")


def _headline(job: Job) -> str:
    plan = job.plan
    return _("{doing} with Kling O3 ({mode}): <i>{instruction}</i>").format(
        doing=_doing(plan, len(job.image_media_ids)), mode=mode_name(plan.mode),
        instruction=escape(job.instruction),
    )


def _with_notes(notes: tuple[Note, ...]) -> str:
    return "\n<i>" + escape(note_text(notes)) + "</i>" if notes else ""


def accepted(job: Job, *, emulated: bool, notes: tuple[Note, ...] = ()) -> str:
    text = _(
        "🎬 {headline}\nEstimated cost: {cost}. This usually takes 2–5 minutes; I'll reply with "
        "the result."
    ).format(headline=_headline(job), cost=usd(from_micros(job.estimate_micros)))
    return text + _with_notes(notes) + _emulated(emulated)


def submitted(job: Job, *, emulated: bool) -> str:
    charged = from_micros(job.amount_micros or 0)
    text = _(
        "⏳ {headline}\nSubmitted. Charged {cost}. I'll reply with the result (usually 2–5 "
        "minutes). Say <i>stop</i> to stop waiting."
    ).format(headline=_headline(job), cost=usd(charged))
    return text + _emulated(emulated)


def caption(job: Job, media: Media) -> str:
    cost = usd(from_micros(job.amount_micros or 0))
    return f"“{escape(clip(job.instruction, 800))}”\nv{media.version} · {cost}"


def done_status(media: Media, job: Job) -> str:
    return _("✅ Done: version {version} ({cost}).").format(
        version=media.version, cost=usd(from_micros(job.amount_micros or 0)))


def _charged_line(failure: Failure) -> str:
    if failure.refunded:
        return _("ShortAPI refunded it, so it cost nothing.")
    if failure.charged > 0:
        return _("ShortAPI did not refund it: {cost} was spent.").format(cost=usd(failure.charged))
    return _("Nothing was charged.")


def _retry_costs(job: Job) -> str:
    """A retry is a new paid job: say what it costs before anyone presses it."""
    return " " + _("Retry runs it again as a new job, for about {cost}.").format(
        cost=usd(from_micros(job.estimate_micros)))


def _cancelled(job: Job, failure: Failure) -> str:
    if not failure.started:
        return translated(CANCELLED_BEFORE_START)
    if failure.charged > 0:
        return _(
            "⏹ Stopped waiting for this job. ShortAPI cannot cancel a started job, so the {cost} "
            "it charged stays spent."
        ).format(cost=usd(failure.charged))
    return _(
        "⏹ Stopped waiting for this job. ShortAPI cannot cancel a started job, so nothing more "
        "happens."
    )


def _lost(failure: Failure) -> str:
    return _(
        "⚠️ The bot lost its connection or restarted while sending this job, so I can't tell "
        "whether ShortAPI received it. I did not send it again. It may have cost up to {cost}; "
        "check the ShortAPI dashboard before you retry."
    ).format(cost=usd(failure.charged))


def failed(job: Job, failure: Failure) -> str:
    """Why the job ended without a clip, and what it cost."""
    kind = failure.kind
    if kind is FailureKind.CANCELLED:
        return _cancelled(job, failure)
    if kind is FailureKind.LOST:
        return _lost(failure)
    charged = _charged_line(failure)
    texts = {
        FailureKind.REJECTED: lambda: _(
            "❌ ShortAPI refused this job, so nothing was charged. Try rephrasing the "
            "instruction, or check the bot's ShortAPI balance and key."),
        FailureKind.UNAVAILABLE: lambda: _(
            "❌ I couldn't reach ShortAPI, so nothing was sent and nothing was charged. Please "
            "try again in a minute (say <i>again</i>)."),
        FailureKind.MODERATED: lambda: _(
            "❌ Kling's content moderation refused this clip. {charged} Try a different "
            "instruction.").format(charged=charged),
        FailureKind.REMOTE_FAILED: lambda: _(
            "❌ Kling could not finish this job. {charged}").format(charged=charged)
        + _retry_costs(job),
        FailureKind.TIMED_OUT: lambda: _(
            "⌛ Kling took too long, so I stopped waiting. {charged}").format(charged=charged)
        + _retry_costs(job),
        FailureKind.NO_RESULT: lambda: _(
            "❌ Kling finished, but its result could not be downloaded or read. {charged}"
        ).format(charged=charged),
        FailureKind.SETUP: lambda: _(
            "❌ This bot has no public URL set, so Kling cannot fetch your video. The operator "
            "must set PUBLIC_URL."),
        FailureKind.FORGOTTEN: lambda: _(
            "⚠️ The bot restarted, and its built-in emulator forgot this job. This is demo "
            "mode, so nothing was charged: send the instruction again."),
    }
    return texts[kind]()


def too_big_to_send(job: Job, media: Media, size_mb: float, link: str | None) -> str:
    head = caption(job, media)
    if link is None:
        return head + "\n" + _(
            "The clip is ready, but at {size} MB it is over Telegram's {limit} MB limit for "
            "bots. The operator can lift it with a local Bot API server."
        ).format(size=f"{size_mb:.0f}", limit=_UPLOAD_MB)
    return head + "\n" + _(
        "The clip is {size} MB, over Telegram's {limit} MB limit for bots: "
        '<a href="{link}">download it here</a> (the link works for {hours}).'
    ).format(size=f"{size_mb:.0f}", limit=_UPLOAD_MB, link=escape_attribute(link),
             hours=hours(MEDIA_LINK_TTL_SECONDS))


def confirm_prompt(instruction: str, estimate: Decimal, mode: Mode, asker: str) -> str:
    return _(
        "This job costs about <b>{cost}</b> (Kling O3, {mode}): <i>{instruction}</i>\n"
        "{asker}, press Confirm to start it, or Cancel. Nothing is spent until you confirm."
    ).format(cost=usd(estimate), mode=mode_name(mode),
             instruction=escape(clip(instruction, 300)), asker=escape(asker))


CONFIRM_BUTTON = msg("✅ Confirm")
CANCEL_BUTTON = msg("✖ Cancel")
CONFIRMED = msg("Confirmed: starting the job.")
CANCELLED_BY_USER = msg("Cancelled. Nothing was spent.")
ALREADY_DECIDED = msg("This was already decided.")
PROMPT_EXPIRED = msg("This request is no longer available. Send the instruction again.")
THE_ASKER = msg("the asker")
THE_MEMBER_WHO_ASKED = msg("the member who asked")


def not_yours(asker: str) -> str:
    return _("Only {asker} can confirm or cancel this.").format(asker=asker)


def ordinal(n: int) -> str:
    """'1st', '2nd', '3rd', '4th', '11th', '22nd' in English; each language its own way."""
    language = current()
    if language == "ru":
        return f"{n}-й"
    if language == "de":
        return f"{n}."
    if language in ("es", "pt"):
        return f"{n}º"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def queued(job: Job, place: int, *, emulated: bool, notes: tuple[Note, ...] = ()) -> str:
    text = _(
        "🕒 {headline}\nIn the queue: {place}. It starts by itself as soon as one of the "
        "running jobs finishes. Estimated cost: {cost}; nothing is charged before it starts."
    ).format(headline=_headline(job), place=ordinal(place),
             cost=usd(from_micros(job.estimate_micros)))
    return text + _with_notes(notes) + _emulated(emulated)


def _duration(seconds: float) -> str:
    whole = max(int(seconds), 0)
    minutes, rest = divmod(whole, 60)
    if minutes:
        return _("{minutes} min {seconds} s").format(minutes=minutes, seconds=rest)
    return _("{seconds} s").format(seconds=rest)


def running(job: Job, elapsed: float, *, emulated: bool) -> str:
    charged = from_micros(job.amount_micros or 0)
    text = _(
        "⏳ {headline}\nKling is working on it: {elapsed} so far. Charged {cost}. I'll reply "
        "with the result (usually 2–5 minutes)."
    ).format(headline=_headline(job), elapsed=_duration(elapsed), cost=usd(charged))
    return text + _emulated(emulated)


def delivering(job: Job) -> str:
    return _("📤 {headline}\nKling is done; sending you the clip…").format(
        headline=_headline(job))


UNDO_BUTTON = msg("↩️ Undo")
ORIGINAL_BUTTON = msg("📎 Original")
STOP_BUTTON = msg("⏹ Cancel")


def retry_button(price: Decimal) -> str:
    return _("🔁 Retry · {cost}").format(cost=usd(price))


CANCELLED_BEFORE_START = msg("⏹ Cancelled before it started: nothing was spent.")
STOPPED = msg("Stopped.")
ALREADY_FINISHED = msg("This job already finished.")
ONLY_ASKER_OR_ADMIN_CANCELS = msg(
    "Only the member who asked, or a chat admin, can cancel this job."
)
ORIGINAL_GONE = msg("That clip's file is no longer kept here.")


def original_caption(version: int) -> str:
    return _(
        "The original file of version {version}, as Kling made it (Telegram recompresses "
        "videos)."
    ).format(version=version)


BUTTON_EXPIRED = msg("This button is no longer available.")
ORIGINAL_TOO_BIG = msg(
    "The original is over Telegram's upload limit for bots, so I can't send it."
)


OFFER_YES = msg("✅ Edit it")
OFFER_NO = msg("✖ No")


def offer_prompt(instruction: str, estimate: Decimal) -> str:
    """A message that may be an instruction: asked, never charged on a guess."""
    return _(
        "Should I send this to Kling: <i>{instruction}</i>? About <b>{cost}</b>. Nothing is "
        "spent unless you say yes."
    ).format(instruction=escape(clip(instruction, 300)), cost=usd(estimate))
