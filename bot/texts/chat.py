"""The conversation around the clips: greeting, help, media received, versions, settings."""

from __future__ import annotations

from bot.domain import local_edits
from bot.domain.clip_rules import MAX_IMAGE_PIXELS, MAX_VIDEO_SIDE
from bot.domain.kling import INPUT_SECONDS
from bot.domain.limits import CLOUD_DOWNLOAD_LIMIT
from bot.domain.models import ChatDefaults
from bot.domain.records import Media
from bot.texts.format import escape, megabytes, span

_EDIT_SPAN = span(INPUT_SECONDS, "–")  # "3–10"
_DOWNLOAD_MB = megabytes(CLOUD_DOWNLOAD_LIMIT)

EXAMPLES = (
    "• <i>remove the car</i>\n"
    "• <i>make it rainy</i> / <i>turn it into a watercolor</i>\n"
    "• <i>next shot: the car drives into a tunnel, 8 seconds, vertical</i>\n"
    "• send a photo, then <i>animate this, with sound</i>"
)

START = (
    f"Hi! I edit videos with Kling O3. Send me a video ({_EDIT_SPAN} s works best) or a photo, "
    "then tell me what to change in plain words:\n" + EXAMPLES + "\n\n"
    "I tell you the price before anything is spent. /help shows everything I can do."
)

HELP = (
    "<b>What I can do</b>\n"
    f"1. Send a video (up to {_DOWNLOAD_MB} MB; Kling uses {_EDIT_SPAN} s of it, and I offer "
    "which part) or a photo.\n"
    "2. Say what you want:\n" + EXAMPLES + "\n\n"
    "<b>Words I understand</b>: <i>pro</i> / <i>standard</i> (quality), <i>10 seconds</i>, "
    "<i>vertical</i> / <i>square</i>, <i>with sound</i>, <i>undo</i>, <i>redo</i>, "
    "<i>again</i>, <i>stop</i>, <i>history</i>, <i>how much have I spent?</i>\n\n"
    "Reply to any clip I sent to keep editing from that version. "
    "In groups, mention me or reply to my messages.\n"
    "Commands: /help /settings /undo /redo /history /cancel /spend /budget"
)

# The bot's command menus (setMyCommands), per scope: command, description.
_DESCRIPTIONS = {
    "help": "What I can do, with examples",
    "settings": "This chat's default quality, aspect ratio and sound",
    "undo": "Go back to the previous version",
    "redo": "Go forward again",
    "history": "Every version, to go back to any",
    "retry": "Run your last instruction again",
    "cancel": "Stop waiting for your running job",
    "spend": "What you and this chat spent, and what is left",
    "budget": "This chat's budgets",
    "stats": "Spend by chat, person and model (bot admins)",
    "export": "The whole ledger as CSV (bot admins)",
    "explain": "What an instruction would send and cost, without running it",
    "clear": "Forget the photos I'm holding",
}
_EVERYONE = ("help", "undo", "redo", "history", "retry", "cancel", "spend", "explain", "clear")


def _menu(*names: str) -> list[tuple[str, str]]:
    return [(name, _DESCRIPTIONS[name]) for name in names]


COMMANDS = _menu(*_EVERYONE, "settings", "budget")  # private chats
GROUP_COMMANDS = _menu(*_EVERYONE)
GROUP_ADMIN_COMMANDS = _menu(*_EVERYONE, "settings", "budget")
BOT_ADMIN_COMMANDS = _menu(*_EVERYONE, "settings", "budget", "stats", "export")

NO_MEDIA_YET = (
    "Send me a video or a photo first, then tell me what to do with it "
    "(for example: <i>remove the car</i>)."
)
CHITCHAT_HINT = (
    "I didn't catch an instruction there. Tell me what to change, for example "
    "<i>make it rainy</i>, or see /help."
)
NOT_ALLOWED = "Sorry, this bot is private."
INTERNAL_ERROR = (
    "Something went wrong on my side. Nothing was charged for this message; please try again."
)
NOTHING_TO_UNDO = "There is no earlier version to go back to."
NOTHING_TO_REDO = "There is nothing to redo."
NOTHING_TO_RETRY = "There is no earlier instruction to run again."
NOTHING_TO_CANCEL = "Nothing is running right now."
NOTHING_OF_YOURS_TO_CANCEL = (
    "You have nothing running here; only a chat admin can stop other members' jobs."
)
NO_HISTORY = "No clips yet. Send a video or a photo to start."
UNDONE = "Undone"
REDONE = "Redone"


def unsupported_file(what: str) -> str:
    return f"I can't use that file ({escape(what)}). Send a video (MP4 or MOV) or a photo."


def file_sent_as_wrong_kind(kind: str) -> str:
    """A photo sent where a video was expected as a file, or the other way round."""
    what = "a photo" if kind == "photo" else "a video"
    return unsupported_file(f"it is {what} sent as a file")


def file_too_big(size_bytes: int) -> str:
    """A file over the cloud Bot API's download limit: how to get under it, and (for whoever
    runs the bot) what lifts the limit."""
    return (
        f"That file is {size_bytes / (1024 * 1024):.1f} MB; Telegram lets bots download at most "
        f"{_DOWNLOAD_MB} MB. Send it as a video rather than a file, so Telegram compresses it, "
        f"or trim it in Telegram's own editor first (Kling uses {_EDIT_SPAN} s anyway).\n"
        "<i>For the bot's operator: a local Bot API server (TELEGRAM_LOCAL_MODE) lifts "
        "this limit.</i>"
    )


def too_many_pixels(kind: str, width: int, height: int) -> str:
    """A picture or video over the pixel budget, refused before decoding."""
    if kind == "photo":
        return (
            f"That picture is {width}x{height} ({width * height / 1e6:.0f} MP); I take pictures "
            f"of up to {MAX_IMAGE_PIXELS / 1e6:.0f} MP. Send a smaller one."
        )
    return (
        f"That video is {width}x{height}; I take videos of up to 4K ({MAX_VIDEO_SIDE} px on "
        "the long side). Export a smaller one and send it again."
    )


def unreadable_media() -> str:
    return unreadable(_UNREADABLE_REASON)


_UNREADABLE_REASON = "it is not a video or a picture I can read"


def unreadable(reason: str) -> str:
    return (
        f"I couldn't read that file as a video or a photo ({escape(reason)}). "
        "Try exporting it again as MP4."
    )


UNKNOWN_LENGTH = "its length is unknown"
def media_expired(kind: str, days: int | None = None) -> str:
    """A reply to a clip or photo whose file retention deleted (MEDIA_RETENTION_DAYS)."""
    what = "photo" if kind == "photo" else "clip"
    kept = f" files are kept for {days} days," if days else ""
    return (
        f"That {what} has expired:{kept} so I no longer have it. Send it again to work on it; "
        "nothing was charged."
    )


DOWNLOAD_FAILED = "I couldn't download that file from Telegram. Please send it again."


def received_video(media: Media) -> str:
    seconds = media.duration or 0.0
    text = f"Got your video: {seconds:.1f} s, {media.width}x{media.height}."
    low, high = INPUT_SECONDS
    if low <= seconds <= high:
        return text + (
            " Now tell me what to change, for example <i>remove the car</i> or "
            "<i>make it rainy</i>."
        )
    offer = f"which {high} s to use" if seconds > high else f"to loop it or slow it to {low} s"
    return (
        text + f" Kling takes clips of {_EDIT_SPAN} seconds and this one is {seconds:.1f} s: "
        f"tell me what to change and I'll ask {offer} (free)."
    )


def received_photos(count_held: int) -> str:
    if count_held == 1:
        return (
            "Got your photo. Say <i>animate this</i> (or describe the motion), or send more "
            "photos to combine."
        )
    return (
        f"Holding {count_held} photos. Refer to them by position, e.g. <i>the man from the first "
        "photo walking through the second</i>, or <i>start from the first and end on the "
        "second</i>."
    )


def history(versions: list[Media], current_id: int | None) -> str:
    """Newest first, every branch; a clip made from another says which."""
    version_of = {m.id: m.version for m in versions}
    lines = ["<b>Versions</b> (newest first):"]
    for m in versions:
        marker = " ← current" if m.id == current_id else ""
        what = f"{m.duration:.1f} s" if m.duration else "photo"
        parent = version_of.get(m.parent_id) if m.parent_id is not None else None
        origin = f" · from v{parent}" if parent is not None else ""
        lines.append(f"v{m.version} · {what} · {m.width}x{m.height}{origin}{marker}")
    lines.append(
        "Press a version to continue from it (free), reply to any of my clips, or say "
        "<i>undo</i>."
    )
    return "\n".join(lines)


def now_at(media: Media, verb: str) -> str:
    return f"{verb}: now at version {media.version}. Your next instruction edits this version."


def settings(defaults: ChatDefaults) -> str:
    mode = "pro (best quality)" if defaults.mode.value == "pro" else "standard (cheaper, faster)"
    return (
        "<b>Defaults for this chat</b>\n"
        f"Quality: {mode}\n"
        f"Aspect ratio for new shots and animations: {defaults.aspect_ratio.value}\n"
        f"Sound for animations: {'on' if defaults.sound else 'off'}\n"
        "They apply whenever a message doesn't say otherwise (e.g. <i>pro</i>, <i>vertical</i>, "
        "<i>with sound</i>)."
    )


# /settings buttons: (setting, value) -> label
SETTING_LABELS: dict[str, list[tuple[str, str]]] = {
    "mode": [("std", "Standard"), ("pro", "Pro")],
    "ratio": [("16:9", "16:9"), ("1:1", "1:1"), ("9:16", "9:16")],
    "sound": [("off", "No sound"), ("on", "Sound")],
}
CHOSEN_MARK = "✓ "
SETTINGS_SAVED = "Saved."
SETTINGS_ADMINS_ONLY = "Only this chat's admins can change its defaults."


def unknown_command(command: str) -> str:
    return f"I don't know {escape(command)}. /help lists what I can do."


# For the operator's log, not a chat.
EMULATOR_BANNER = (
    "SHORTAPI_KEY is not set: jobs run on the built-in ShortAPI emulator. Nothing is charged "
    "and results are simulated. Set SHORTAPI_KEY in .env to use the real provider."
)
NO_PUBLIC_URL_WARNING = (
    "PUBLIC_URL is not set: the provider cannot fetch videos, so video jobs will be refused "
    "with an explanation. Set PUBLIC_URL."
)


def version_button(version: int, current: bool) -> str:
    return f"v{version}" + (" ✓" if current else "")




def now_at_version(version: int) -> str:
    return f"Now at version {version}. Your next instruction edits it."
TOKEN_REJECTED = (
    "Telegram rejected TELEGRAM_BOT_TOKEN: check it with @BotFather (/token), or create a new one"
)
# a log line with %-style arguments: the Bot API root, the fault, the pause in seconds
TELEGRAM_UNREACHABLE = "Telegram Bot API at %s cannot be reached (%s); trying again in %.0f s"


_FREE_EDIT_NAMES = {
    "trim": "Trimmed", "speed": "Speed changed", "reverse": "Reversed", "mute": "Muted",
    "crop": "Cropped", "rotate": "Rotated", "gif": "Made a GIF", "frame": "Grabbed the frame",
}


def free_edit_caption(op: str, version: int, photo: bool) -> str:
    """Under a free edit's result: what was done, the version, and that it cost nothing."""
    if photo:
        return (f"{_FREE_EDIT_NAMES[op]} · free. I'm holding it as a photo: say "
                "<i>animate it</i> to bring it to life.")
    return f"{_FREE_EDIT_NAMES[op]} · v{version} · free"


FREE_EDIT_WAITING = "⏳ Other edits are running; yours is next in line (it costs nothing)."
FREE_EDIT_FAILED = "I couldn't make that edit of this clip. Nothing was charged; try another."


def free_edit_out_of_range(code: str, seconds: float) -> str:
    """Why a free edit cannot be made (a code from `domain.local_edits.problem`)."""
    if code == local_edits.BACKWARDS:
        why = "the end of the part to keep must come after its start"
    elif code == local_edits.SPEED_RANGE:
        why = (f"speed goes from {local_edits.MIN_FACTOR:g}x to "
               f"{local_edits.MAX_FACTOR:g}x")
    else:
        why = f"the clip is only {seconds:.1f} s long"
    return f"I can't do that: {why}."
