"""Every user-facing string. Short, specific, and always saying what to do next."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from html import escape as _escape_html

from bot.domain.budget import Limits, Refusal, Scope
from bot.domain.models import IMAGE_TO_VIDEO, ChatDefaults, PlanError
from bot.domain.money import from_micros
from bot.domain.pricing import format_usd as usd
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
    "Commands: /help /settings /undo /redo /history /cancel /spend /budget"
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


def received_video(summary: str, edit_ok: bool, seconds: float) -> str:
    text = f"Got your video: {summary}."
    if edit_ok:
        return text + " Now tell me what to change, for example <i>remove the car</i> or <i>make it rainy</i>."
    return (
        text + f" Kling edits take clips of 3–10 seconds and this one is {seconds:.1f} s, "
        "so trim it to 3–10 s and send it again."
    )


def received_photos(count_held: int) -> str:
    if count_held == 1:
        return "Got your photo. Say <i>animate this</i> (or describe the motion), or send more photos to combine."
    return (
        f"Holding {count_held} photos. Refer to them by position, e.g. <i>the man from the first "
        "photo walking through the second</i>, or <i>start from the first and end on the second</i>."
    )


def escape(text: str) -> str:
    """Text for an HTML message body (quotes need no escaping outside attributes)."""
    return _escape_html(text, quote=False)


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


def accepted(job: Job, *, emulated: bool, notes: tuple[str, ...] = ()) -> str:
    text = (
        f"🎬 {_doing(job)} with Kling O3 ({_mode(job)}): <i>{escape(job.instruction)}</i>\n"
        f"Estimated cost: {usd(from_micros(job.estimate_micros))}. "
        "This usually takes 2–5 minutes; I'll reply with the result."
    )
    if notes:
        text += "\n<i>" + escape(" ".join(notes)) + "</i>"
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


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _when(moment: datetime) -> str:
    return moment.strftime("%b %d, %H:%M UTC")


def budget_refused(refusal: Refusal, estimate: Decimal) -> str:
    left = usd(from_micros(refusal.left))
    return (
        f"💸 Not started: this would cost about {usd(estimate)}, but {refusal.scope.label} "
        f"of {usd(from_micros(refusal.limit))} has {left} left. It resets {_when(refusal.resets_at)}. "
        "Nothing was charged. A cheaper option: say <i>standard</i> or a shorter duration."
    )


def confirm_prompt(instruction: str, estimate: Decimal, mode: str, asker: str) -> str:
    return (
        f"This job costs about <b>{usd(estimate)}</b> (Kling O3, {mode}): "
        f"<i>{escape(_clip(instruction, 300))}</i>\n"
        f"{escape(asker)}, press Confirm to start it, or Cancel. Nothing is spent until you confirm."
    )


CONFIRM_BUTTON = "✅ Confirm"
CANCEL_BUTTON = "✖ Cancel"
CONFIRMED = "Confirmed: starting the job."
CANCELLED_BY_USER = "Cancelled. Nothing was spent."
ALREADY_DECIDED = "This was already decided."
PROMPT_EXPIRED = "This request is no longer available. Send the instruction again."


def not_yours(asker: str) -> str:
    return f"Only {asker} can confirm or cancel this."


def spend_report(
    user_today: Decimal, user_month: Decimal, chat_today: Decimal, chat_month: Decimal,
    left: dict[Scope, Decimal | None], group: bool,
) -> str:
    def leftover(scope: Scope) -> str:
        value = left.get(scope)
        return "" if value is None else f" ({usd(value)} left)"

    lines = [
        f"You: {usd(user_today)} today{leftover(Scope.USER_DAILY)}, "
        f"{usd(user_month)} this month{leftover(Scope.USER_MONTHLY)}.",
    ]
    if group:
        lines.append(
            f"This chat: {usd(chat_today)} today{leftover(Scope.CHAT_DAILY)}, "
            f"{usd(chat_month)} this month{leftover(Scope.CHAT_MONTHLY)}."
        )
    if left.get(Scope.GLOBAL_MONTHLY) is not None:
        lines.append(f"The bot overall has {usd(left[Scope.GLOBAL_MONTHLY] or Decimal(0))} left this month.")
    lines.append("Spend counts what ShortAPI charged minus refunds, plus jobs still running. Days and months are UTC.")
    return "\n".join(lines)


ADMINS_ONLY = "Only the bot's admins can use this command."
CHAT_ADMINS_ONLY = "Only this chat's admins can change its budgets."


def budget_show(limits: Limits, confirm_above: Decimal, defaults: Limits) -> str:
    def show(value: int | None) -> str:
        return "no limit" if value is None else usd(from_micros(value))

    lines = ["<b>Budgets for this chat</b>"]
    for scope in Scope:
        current, default = limits.of(scope), defaults.of(scope)
        note = "" if current == default else f" (operator default: {show(default)})"
        lines.append(f"<code>{scope.value}</code>: {show(current)}{note}")
    lines.append(f"<code>confirm</code>: ask before jobs over {usd(confirm_above)}")
    lines.append(
        "Change one: <code>/budget user_daily 2.50</code>, <code>/budget chat_monthly off</code>, "
        "<code>/budget confirm 0.50</code>, <code>/budget user_daily default</code>. "
        "Chat admins may only lower the operator's limits; the global cap is set by the operator."
    )
    return "\n".join(lines)


BUDGET_USAGE = (
    "Usage: <code>/budget NAME AMOUNT</code>, where NAME is one of user_daily, user_monthly, "
    "chat_daily, chat_monthly or confirm, and AMOUNT is like 2.50, <code>off</code> (no limit) "
    "or <code>default</code>."
)


def budget_above_default(name: str, default: Decimal) -> str:
    return (
        f"Chat admins can only lower {name} below the operator's {usd(default)}. "
        "Ask the bot's operator to raise it."
    )


def budget_set(name: str, value: str) -> str:
    return f"Done: {name} is now {value} for this chat."


def stats(rows_by: dict[str, list[tuple[str, Decimal]]], counts: dict[str, int]) -> str:
    lines = ["<b>Spend this month</b> (charged minus refunded)"]
    for title, rows in rows_by.items():
        lines.append(f"\n<b>By {title}</b>")
        lines.extend(f"{escape(name)}: {usd(amount)}" for name, amount in rows[:15])
        if not rows:
            lines.append("nothing yet")
    lines.append("\n<b>Jobs (all time)</b>")
    lines.append(", ".join(f"{name}: {n}" for name, n in counts.items()))
    return "\n".join(lines)


EXPORT_CAPTION = "The ledger as CSV: one row per reserve, release, charge and refund."


def settings(defaults: ChatDefaults) -> str:
    mode = "pro (best quality)" if defaults.mode.value == "pro" else "standard (cheaper, faster)"
    return (
        "<b>Defaults for this chat</b>\n"
        f"Quality: {mode}\nAspect ratio for new shots and animations: {defaults.aspect_ratio.value}\n"
        f"Sound for animations: {'on' if defaults.sound else 'off'}\n"
        "They apply whenever a message doesn't say otherwise (e.g. <i>pro</i>, <i>vertical</i>, "
        "<i>with sound</i>)."
    )


SETTINGS_SAVED = "Saved."
SETTINGS_ADMINS_ONLY = "Only this chat's admins can change its defaults."


def too_big_to_send(job: Job, media: Media, size_mb: float, link: str | None) -> str:
    head = caption(job, media)
    if link is None:
        return (
            f"{head}\nThe clip is ready, but at {size_mb:.0f} MB it is over Telegram's 50 MB "
            "limit for bots. The operator can lift it with a local Bot API server."
        )
    return (
        f"{head}\nThe clip is {size_mb:.0f} MB, over Telegram's 50 MB limit for bots: "
        f'<a href="{_escape_html(link)}">download it here</a> (the link works for 6 hours).'
    )


def unknown_command(command: str) -> str:
    return f"I don't know {escape(command)}. /help lists what I can do."
