"""/settings: a chat's default mode, aspect ratio and sound, changed with inline buttons."""

from __future__ import annotations

import re
from dataclasses import replace

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.domain.models import AspectRatio, ChatDefaults, Mode
from bot.store import chats
from bot.telegram import texts
from bot.telegram.services import services

SETTINGS_PATTERN = r"^set:(mode|ratio|sound):([\w:]+)$"

_CHOICES: dict[str, list[tuple[str, str]]] = {
    "mode": [("std", "Standard"), ("pro", "Pro")],
    "ratio": [("16:9", "16:9"), ("1:1", "1:1"), ("9:16", "9:16")],
    "sound": [("off", "No sound"), ("on", "Sound")],
}


def _current(defaults: ChatDefaults) -> dict[str, str]:
    return {
        "mode": defaults.mode.value,
        "ratio": defaults.aspect_ratio.value,
        "sound": "on" if defaults.sound else "off",
    }


def _keyboard(defaults: ChatDefaults) -> InlineKeyboardMarkup:
    now = _current(defaults)
    return InlineKeyboardMarkup([
        [
            InlineKeyboardButton(("✓ " if now[key] == value else "") + label,
                                 callback_data=f"set:{key}:{value}")
            for value, label in choices
        ]
        for key, choices in _CHOICES.items()
    ])


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the chat's defaults with buttons to change them."""
    svc = services(context)
    message = update.effective_message
    assert message is not None
    defaults = await chats.defaults(svc.db, message.chat_id)
    await message.reply_html(texts.settings(defaults), reply_markup=_keyboard(defaults))


async def on_settings_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Change one default. In groups only chat admins may, since it applies to everyone."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    match = re.match(SETTINGS_PATTERN, query.data)
    assert match is not None
    key, value = match.groups()
    chat = query.message.chat
    if chat.type != "private":
        member = await context.bot.get_chat_member(chat.id, query.from_user.id)
        if member.status not in ("administrator", "creator"):
            await query.answer(texts.SETTINGS_ADMINS_ONLY, show_alert=True)
            return
    if value not in {v for v, _ in _CHOICES[key]}:
        await query.answer()
        return
    svc = services(context)
    defaults = await chats.defaults(svc.db, chat.id)
    if key == "mode":
        defaults = replace(defaults, mode=Mode(value))
    elif key == "ratio":
        defaults = replace(defaults, aspect_ratio=AspectRatio(value))
    else:
        defaults = replace(defaults, sound=value == "on")
    await chats.set_defaults(svc.db, chat.id, defaults)
    await query.answer(texts.SETTINGS_SAVED)
    try:
        await query.edit_message_text(
            texts.settings(defaults), reply_markup=_keyboard(defaults), parse_mode=ParseMode.HTML
        )
    except BadRequest as exc:  # pressing the option already chosen changes nothing
        if "not modified" not in str(exc).lower():
            raise
