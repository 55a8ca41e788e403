"""The conversation around the clips: greeting, help, media received, versions, settings."""

from __future__ import annotations

from bot.domain import local_edits
from bot.domain.clip_rules import MAX_IMAGE_PIXELS, MAX_VIDEO_SIDE
from bot.domain.kling import INPUT_SECONDS
from bot.domain.limits import CLOUD_DOWNLOAD_LIMIT
from bot.domain.locales import LANGUAGES
from bot.domain.models import ChatDefaults
from bot.domain.records import Media
from bot.texts.format import escape, megabytes, span
from bot.texts.i18n import _, lazy, msg, ngettext, translated

_EDIT_SPAN = span(INPUT_SECONDS, "–")  # "3–10"
_DOWNLOAD_MB = megabytes(CLOUD_DOWNLOAD_LIMIT)

EXAMPLES = msg(
    "• <i>remove the car</i>\n"
    "• <i>make it rainy</i> / <i>turn it into a watercolor</i>\n"
    "• <i>next shot: the car drives into a tunnel, 8 seconds, vertical</i>\n"
    "• send a photo, then <i>animate this, with sound</i>"
)

START = msg(
    "Hi! I edit videos with Kling O3. Send me a video ({span} s works best) or a photo, "
    "then tell me what to change in plain words:\n{examples}\n\n"
    "I tell you the price before anything is spent. /help shows everything I can do.",
    span=_EDIT_SPAN, examples=EXAMPLES,
)

HELP = msg(
    "<b>What I can do</b>\n"
    "1. Send a video (up to {megabytes} MB; Kling uses {span} s of it, and I offer which part) "
    "or a photo.\n"
    "2. Say what you want:\n{examples}\n\n"
    "<b>Words I understand</b>: <i>pro</i> / <i>standard</i> (quality), <i>10 seconds</i>, "
    "<i>vertical</i> / <i>square</i>, <i>with sound</i>, <i>undo</i>, <i>redo</i>, "
    "<i>again</i>, <i>stop</i>, <i>history</i>, <i>how much have I spent?</i>\n\n"
    "Reply to any clip I sent to keep editing from that version. "
    "In groups, mention me or reply to my messages.\n"
    "Commands: /help /settings /undo /redo /history /cancel /spend /budget",
    megabytes=_DOWNLOAD_MB, span=_EDIT_SPAN, examples=EXAMPLES,
)

# The bot's command menus (setMyCommands), per scope: command, description. Read in the
# current language: the edge registers each menu once per language (`LANGUAGES`).
_DESCRIPTIONS = {
    "help": msg("What I can do, with examples"),
    "settings": msg("This chat's language, default quality, aspect ratio and sound"),
    "undo": msg("Go back to the previous version"),
    "redo": msg("Go forward again"),
    "history": msg("Every version, to go back to any"),
    "retry": msg("Run your last instruction again"),
    "cancel": msg("Stop waiting for your running job"),
    "spend": msg("What you and this chat spent, and what is left"),
    "budget": msg("This chat's budgets"),
    "stats": msg("Spend by chat, person and model (bot admins)"),
    "export": msg("The whole ledger as CSV (bot admins)"),
    "explain": msg("What an instruction would send and cost, without running it"),
    "clear": msg("Forget the photos I'm holding"),
}
_EVERYONE = ("help", "undo", "redo", "history", "retry", "cancel", "spend", "explain", "clear")


def _menu(*names: str) -> list[tuple[str, str]]:
    return [(name, translated(_DESCRIPTIONS[name])) for name in names]


COMMANDS = lazy(lambda: _menu(*_EVERYONE, "settings", "budget"))  # private chats
GROUP_COMMANDS = lazy(lambda: _menu(*_EVERYONE))
GROUP_ADMIN_COMMANDS = lazy(lambda: _menu(*_EVERYONE, "settings", "budget"))
BOT_ADMIN_COMMANDS = lazy(lambda: _menu(*_EVERYONE, "settings", "budget", "stats", "export"))

NO_MEDIA_YET = msg(
    "Send me a video or a photo first, then tell me what to do with it "
    "(for example: <i>remove the car</i>)."
)
CHITCHAT_HINT = msg(
    "I didn't catch an instruction there. Tell me what to change, for example "
    "<i>make it rainy</i>, or see /help."
)
NOT_ALLOWED = msg("Sorry, this bot is private.")
INTERNAL_ERROR = msg(
    "Something went wrong on my side. Nothing was charged for this message; please try again."
)
NOTHING_TO_UNDO = msg("There is no earlier version to go back to.")
NOTHING_TO_REDO = msg("There is nothing to redo.")
NOTHING_TO_RETRY = msg("There is no earlier instruction to run again.")
NOTHING_TO_CANCEL = msg("Nothing is running right now.")
NOTHING_OF_YOURS_TO_CANCEL = msg(
    "You have nothing running here; only a chat admin can stop other members' jobs."
)
NO_HISTORY = msg("No clips yet. Send a video or a photo to start.")
UNDONE = msg("Undone")
REDONE = msg("Redone")


def unsupported_file(what: str) -> str:
    return _("I can't use that file ({what}). Send a video (MP4 or MOV) or a photo.").format(
        what=escape(what)
    )


def file_sent_as_wrong_kind(kind: str) -> str:
    """A photo sent where a video was expected as a file, or the other way round."""
    if kind == "photo":
        return unsupported_file(_("it is a photo sent as a file"))
    return unsupported_file(_("it is a video sent as a file"))


def file_too_big(size_bytes: int) -> str:
    """A file over the cloud Bot API's download limit: how to get under it, and (for whoever
    runs the bot) what lifts the limit."""
    return _(
        "That file is {size} MB; Telegram lets bots download at most {limit} MB. Send it as a "
        "video rather than a file, so Telegram compresses it, or trim it in Telegram's own "
        "editor first (Kling uses {span} s anyway).\n"
        "<i>For the bot's operator: a local Bot API server (TELEGRAM_LOCAL_MODE) lifts this "
        "limit.</i>"
    ).format(size=f"{size_bytes / (1024 * 1024):.1f}", limit=_DOWNLOAD_MB, span=_EDIT_SPAN)


def too_many_pixels(kind: str, width: int, height: int) -> str:
    """A picture or video over the pixel budget, refused before decoding."""
    if kind == "photo":
        return _(
            "That picture is {width}x{height} ({megapixels} MP); I take pictures of up to "
            "{limit} MP. Send a smaller one."
        ).format(width=width, height=height, megapixels=f"{width * height / 1e6:.0f}",
                 limit=f"{MAX_IMAGE_PIXELS / 1e6:.0f}")
    return _(
        "That video is {width}x{height}; I take videos of up to 4K ({side} px on the long "
        "side). Export a smaller one and send it again."
    ).format(width=width, height=height, side=MAX_VIDEO_SIDE)


def unreadable_media() -> str:
    return unreadable(_("it is not a video or a picture I can read"))


def unreadable(reason: str) -> str:
    return _(
        "I couldn't read that file as a video or a photo ({reason}). "
        "Try exporting it again as MP4."
    ).format(reason=escape(reason))


UNKNOWN_LENGTH = msg("its length is unknown")


def media_expired(kind: str, days: int | None = None) -> str:
    """A reply to a clip or photo whose file retention deleted (MEDIA_RETENTION_DAYS)."""
    if kind == "photo":
        if days:
            return ngettext(
                "That photo has expired: files are kept for {days} day, so I no longer have it. "
                "Send it again to work on it; nothing was charged.",
                "That photo has expired: files are kept for {days} days, so I no longer have "
                "it. Send it again to work on it; nothing was charged.",
                days,
            ).format(days=days)
        return _("That photo has expired, so I no longer have it. Send it again to work on it; "
                 "nothing was charged.")
    if days:
        return ngettext(
            "That clip has expired: files are kept for {days} day, so I no longer have it. "
            "Send it again to work on it; nothing was charged.",
            "That clip has expired: files are kept for {days} days, so I no longer have it. "
            "Send it again to work on it; nothing was charged.",
            days,
        ).format(days=days)
    return _("That clip has expired, so I no longer have it. Send it again to work on it; "
             "nothing was charged.")


DOWNLOAD_FAILED = msg("I couldn't download that file from Telegram. Please send it again.")


def received_video(media: Media) -> str:
    seconds = media.duration or 0.0
    shown = f"{seconds:.1f}"
    low, high = INPUT_SECONDS
    if low <= seconds <= high:
        return _(
            "Got your video: {seconds} s, {width}x{height}. Now tell me what to change, for "
            "example <i>remove the car</i> or <i>make it rainy</i>."
        ).format(seconds=shown, width=media.width, height=media.height)
    if seconds > high:
        return _(
            "Got your video: {seconds} s, {width}x{height}. Kling takes clips of {span} "
            "seconds and this one is {seconds} s: tell me what to change and I'll ask which "
            "{high} s to use (free)."
        ).format(seconds=shown, width=media.width, height=media.height, span=_EDIT_SPAN,
                 high=high)
    return _(
        "Got your video: {seconds} s, {width}x{height}. Kling takes clips of {span} seconds "
        "and this one is {seconds} s: tell me what to change and I'll ask to loop it or slow "
        "it to {low} s (free)."
    ).format(seconds=shown, width=media.width, height=media.height, span=_EDIT_SPAN, low=low)


def received_photos(count_held: int) -> str:
    if count_held == 1:
        return _(
            "Got your photo. Say <i>animate this</i> (or describe the motion), or send more "
            "photos to combine."
        )
    return ngettext(
        "Holding {count} photo. Refer to them by position, e.g. <i>the man from the first "
        "photo walking through the second</i>, or <i>start from the first and end on the "
        "second</i>.",
        "Holding {count} photos. Refer to them by position, e.g. <i>the man from the first "
        "photo walking through the second</i>, or <i>start from the first and end on the "
        "second</i>.",
        count_held,
    ).format(count=count_held)


def history(versions: list[Media], current_id: int | None) -> str:
    """Newest first, every branch; a clip made from another says which."""
    version_of = {m.id: m.version for m in versions}
    lines = [_("<b>Versions</b> (newest first):")]
    for m in versions:
        marker = _(" ← current") if m.id == current_id else ""
        what = f"{m.duration:.1f} s" if m.duration else _("photo")
        parent = version_of.get(m.parent_id) if m.parent_id is not None else None
        origin = _(" · from v{version}").format(version=parent) if parent is not None else ""
        lines.append(f"v{m.version} · {what} · {m.width}x{m.height}{origin}{marker}")
    lines.append(_(
        "Press a version to continue from it (free), reply to any of my clips, or say "
        "<i>undo</i>."
    ))
    return "\n".join(lines)


def now_at(media: Media, verb: str) -> str:
    return _("{done}: now at version {version}. Your next instruction edits this version.").format(
        done=verb, version=media.version
    )


def settings(defaults: ChatDefaults, language: str) -> str:
    mode = (_("pro (best quality)") if defaults.mode.value == "pro"
            else _("standard (cheaper, faster)"))
    return _(
        "<b>Settings for this chat</b>\n"
        "Language: {language}\n"
        "Quality: {mode}\n"
        "Aspect ratio for new shots and animations: {ratio}\n"
        "Sound for animations: {sound}\n"
        "They apply whenever a message doesn't say otherwise (e.g. <i>pro</i>, <i>vertical</i>, "
        "<i>with sound</i>)."
    ).format(language=LANGUAGE_NAMES.get(language, language), mode=mode,
             ratio=defaults.aspect_ratio.value, sound=_("on") if defaults.sound else _("off"))


# Each language in its own words: whoever reads the list finds theirs.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English", "ru": "Русский", "es": "Español", "pt": "Português", "de": "Deutsch",
}
# /settings buttons: (setting, value) -> label
SETTING_LABELS: dict[str, list[tuple[str, str]]] = lazy(lambda: {
    "mode": [("std", _("Standard")), ("pro", _("Pro"))],
    "ratio": [("16:9", "16:9"), ("1:1", "1:1"), ("9:16", "9:16")],
    "sound": [("off", _("No sound")), ("on", _("Sound"))],
    "lang": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
})
CHOSEN_MARK = "✓ "
SETTINGS_SAVED = msg("Saved.")
SETTINGS_ADMINS_ONLY = msg("Only this chat's admins can change its settings.")


def unknown_command(command: str) -> str:
    return _("I don't know {command}. /help lists what I can do.").format(
        command=escape(command)
    )


def version_button(version: int, current: bool) -> str:
    return f"v{version}" + (" ✓" if current else "")


def now_at_version(version: int) -> str:
    return _("Now at version {version}. Your next instruction edits it.").format(version=version)


def _free_edit_name(op: str) -> str:
    names = {
        "trim": _("Trimmed"), "speed": _("Speed changed"), "reverse": _("Reversed"),
        "mute": _("Muted"), "crop": _("Cropped"), "rotate": _("Rotated"),
        "gif": _("Made a GIF"), "frame": _("Grabbed the frame"),
    }
    return names[op]


def free_edit_caption(op: str, version: int, photo: bool) -> str:
    """Under a free edit's result: what was done, the version, and that it cost nothing."""
    if photo:
        return _(
            "{done} · free. I'm holding it as a photo: say <i>animate it</i> to bring it to life."
        ).format(done=_free_edit_name(op))
    return _("{done} · v{version} · free").format(done=_free_edit_name(op), version=version)


FREE_EDIT_WAITING = msg("⏳ Other edits are running; yours is next in line (it costs nothing).")
FREE_EDIT_FAILED = msg(
    "I couldn't make that edit of this clip. Nothing was charged; try another."
)


def free_edit_out_of_range(code: str, seconds: float) -> str:
    """Why a free edit cannot be made (a code from `domain.local_edits.problem`)."""
    if code == local_edits.BACKWARDS:
        return _("I can't do that: the end of the part to keep must come after its start.")
    if code == local_edits.SPEED_RANGE:
        return _("I can't do that: speed goes from {low}x to {high}x.").format(
            low=f"{local_edits.MIN_FACTOR:g}", high=f"{local_edits.MAX_FACTOR:g}")
    return _("I can't do that: the clip is only {seconds} s long.").format(
        seconds=f"{seconds:.1f}")
