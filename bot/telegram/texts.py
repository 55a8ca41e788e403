"""Every user-facing string. Short, specific, and always saying what to do next."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from bot.domain.models import IMAGE_TO_VIDEO, PlanError
from bot.domain.money import from_micros, usd
from bot.engine.delivery import Failure, FailureKind
from bot.store.jobs import Job
from bot.store.media import Media

EXAMPLES = (
    "• <i>remove the car</i>\n"
    "• <i>make it rainy</i> / <i>turn it into a watercolor</i>\n"
    "• <i>next shot: the car drives into a tunnel, 8 seconds, vertical</i>\n"
    "• send a photo, then <i>animate this, with sound</i>"
)

START = (
    "Hi! I edit videos with Kling O3. Send me a video (3–10 s works best) or a photo, "
    "then tell me what to change in plain words:\n" + EXAMPLES + "\n\n"
    "I tell you the price before anything is spent. /help shows everything I can do."
)

HELP = (
    "<b>What I can do</b>\n"
    "1. Send a video (up to 20 MB, 3–10 s for edits) or a photo.\n"
    "2. Say what you want:\n" + EXAMPLES + "\n\n"
    "<b>Words I understand</b>: <i>pro</i> / <i>standard</i> (quality), <i>10 seconds</i>, "
    "<i>vertical</i> / <i>square</i>, <i>with sound</i>, <i>undo</i>, <i>redo</i>, "
    "<i>again</i>, <i>stop</i>, <i>history</i>, <i>how much have I spent?</i>\n\n"
    "Reply to any clip I sent to keep editing from that version. "
    "In groups, mention me or reply to my messages.\n"
    "Commands: /help /undo /redo /history /cancel /spend"
)

EMULATOR_NOTE = "\n⚠️ Demo mode: no ShortAPI key is set, so this runs on the built-in emulator and costs nothing."

NO_MEDIA_YET = (
    "Send me a video or a photo first, then tell me what to do with it "
    "(for example: <i>remove the car</i>)."
)
CHITCHAT_HINT = (
    "I didn't catch an instruction there. Tell me what to change, for example "
    "<i>make it rainy</i>, or see /help."
)
UNSUPPORTED_FILE = (
    "I can't use that file ({what}). Send a video (MP4 or MOV) or a photo."
)
FILE_TOO_BIG = (
    "That file is {size} MB; Telegram lets bots download at most 20 MB. "
    "Send a shorter or more compressed clip (edits take 3–10 s anyway)."
)
UNREADABLE = "I couldn't read that file as a video or a photo ({reason}). Try exporting it again as MP4."
DOWNLOAD_FAILED = "I couldn't download that file from Telegram. Please send it again."
NOT_ALLOWED = "Sorry, this bot is private."
INTERNAL_ERROR = "Something went wrong on my side. Nothing was charged for this message; please try again."
NOTHING_TO_UNDO = "There is no earlier version to go back to."
NOTHING_TO_REDO = "There is nothing to redo."
NOTHING_TO_RETRY = "There is no earlier instruction to run again."
NOTHING_TO_CANCEL = "Nothing is running right now."
NO_HISTORY = "No clips yet. Send a video or a photo to start."


def received_video(summary: str, edit_ok: bool, seconds: float | None) -> str:
    text = f"Got your video: {summary}."
    if edit_ok:
        return text + " Now tell me what to change, for example <i>remove the car</i> or <i>make it rainy</i>."
    length = f"{seconds:.1f} s" if seconds is not None else "of unknown length"
    return (
        text + f" Kling edits take clips of 3–10 seconds and this one is {length}, "
        "so trim it to 3–10 s and send it again."
    )


def received_photos(count_held: int) -> str:
    if count_held == 1:
        return "Got your photo. Say <i>animate this</i> (or describe the motion), or send more photos to combine."
    return (
        f"Holding {count_held} photos. Refer to them by position, e.g. <i>the man from the first "
        "photo walking through the second</i>, or <i>start from the first and end on the second</i>."
    )


def plan_error(error: PlanError) -> str:
    return escape(error.message)


def _doing(job: Job) -> str:
    if job.model == IMAGE_TO_VIDEO:
        return "Animating your photo" + ("s" if len(job.image_media_ids) > 1 else "")
    if job.args.get("action") == "refer":
        return "Making a new shot from your clip"
    return "Editing your clip"


def _mode(job: Job) -> str:
    return "pro" if job.args.get("mode", "pro") == "pro" else "standard"


def accepted(job: Job, *, emulated: bool) -> str:
    text = (
        f"🎬 {_doing(job)} with Kling O3 ({_mode(job)}): <i>{escape(job.instruction)}</i>\n"
        f"Estimated cost: {usd(from_micros(job.estimate_micros))}. "
        "This usually takes 2–5 minutes; I'll reply with the result."
    )
    return text + (EMULATOR_NOTE if emulated else "")


def submitted(job: Job, *, emulated: bool) -> str:
    charged = from_micros(job.amount_micros or 0)
    text = (
        f"⏳ {_doing(job)} with Kling O3 ({_mode(job)}): <i>{escape(job.instruction)}</i>\n"
        f"Submitted. Charged {usd(charged)}. I'll reply with the result "
        "(usually 2–5 minutes). Say <i>stop</i> to stop waiting."
    )
    return text + (EMULATOR_NOTE if emulated else "")


def caption(job: Job, media: Media) -> str:
    cost = usd(from_micros(job.amount_micros or 0))
    return f"“{escape(_clip(job.instruction, 800))}”\nv{media.version} · {cost}"


def done_status(media: Media, job: Job) -> str:
    return f"✅ Done: version {media.version} ({usd(from_micros(job.amount_micros or 0))})."


def _charged_line(failure: Failure) -> str:
    if failure.refunded:
        return "ShortAPI refunded it, so it cost nothing."
    if failure.charged > 0:
        return f"ShortAPI did not refund it: {usd(failure.charged)} was spent."
    return "Nothing was charged."


def failed(job: Job, failure: Failure) -> str:
    kind = failure.kind
    if kind is FailureKind.REJECTED:
        return "❌ ShortAPI refused this job, so nothing was charged. Try rephrasing the instruction, or check the bot's ShortAPI balance and key."
    if kind is FailureKind.UNAVAILABLE:
        return "❌ I couldn't reach ShortAPI, so nothing was sent and nothing was charged. Please try again in a minute (say <i>again</i>)."
    if kind is FailureKind.MODERATED:
        return "❌ Kling's content moderation refused this clip. " + _charged_line(failure) + " Try a different instruction."
    if kind is FailureKind.REMOTE_FAILED:
        return "❌ Kling could not finish this job. " + _charged_line(failure) + " Say <i>again</i> to retry."
    if kind is FailureKind.TIMED_OUT:
        return "⌛ Kling took too long, so I stopped waiting. " + _charged_line(failure) + " Say <i>again</i> to retry."
    if kind is FailureKind.NO_RESULT:
        return "❌ Kling finished, but its result could not be downloaded or read. " + _charged_line(failure)
    if kind is FailureKind.CANCELLED:
        return "⏹ Stopped waiting for this job. ShortAPI cannot cancel a started job, so " + (
            f"the {usd(failure.charged)} it charged stays spent." if failure.charged > 0 else "nothing more happens."
        )
    if kind is FailureKind.LOST:
        return (
            "⚠️ The bot restarted while sending this job, so I can't tell whether ShortAPI received it. "
            f"I did not send it again. It may have cost up to {usd(failure.charged)}; check the ShortAPI dashboard."
        )
    return "❌ This bot has no public URL set, so Kling cannot fetch your video. The operator must set PUBLIC_URL."


def history(versions: list[Media], current_id: int | None) -> str:
    lines = ["<b>Versions</b> (newest first):"]
    for m in versions:
        marker = " ← current" if m.id == current_id else ""
        what = f"{m.duration:.1f} s" if m.duration else "photo"
        lines.append(f"v{m.version} · {what} · {m.width}x{m.height}{marker}")
    lines.append("Reply to any of my clips to continue from it, or say <i>undo</i>.")
    return "\n".join(lines)


def now_at(media: Media, verb: str) -> str:
    return f"{verb}: now at version {media.version}. Your next instruction edits this version."


def spend(user_today: Decimal, user_month: Decimal, chat_today: Decimal, chat_month: Decimal, group: bool) -> str:
    text = f"You spent {usd(user_today)} today and {usd(user_month)} this month."
    if group:
        text += f"\nThis chat spent {usd(chat_today)} today and {usd(chat_month)} this month."
    return text


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
