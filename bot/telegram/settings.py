"""/settings: a chat's default mode, aspect ratio and sound, changed with inline buttons."""

from __future__ import annotations

from dataclasses import replace

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot import texts
from bot.domain.models import AspectRatio, ChatDefaults, Mode
from bot.telegram.context import BotContext
from bot.telegram.money_commands import is_chat_admin

SETTINGS_PATTERN = r"^set:(mode|ratio|sound):([\w:]+)$"

_CHOICES = texts.SETTING_LABELS


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
            InlineKeyboardButton((texts.CHOSEN_MARK if now[key] == value else "") + label,
                                 callback_data=f"set:{key}:{value}")
            for value, label in choices
        ]
        for key, choices in _CHOICES.items()
    ])


async def settings_command(update: Update, context: BotContext) -> None:
    """Show the chat's defaults with buttons to change them."""
    message = update.effective_message
    assert message is not None
    defaults = await context.engine.chat_settings.defaults(message.chat_id)
    await message.reply_html(texts.settings(defaults), reply_markup=_keyboard(defaults))


async def on_settings_button(update: Update, context: BotContext) -> None:
    """Change one default. In groups only chat admins may, since it applies to everyone."""
    query = update.callback_query
    assert query is not None and context.matches
    if not isinstance(query.message, Message):  # an inline message, or one too old to see
        await query.answer(texts.BUTTON_EXPIRED)
        return
    key, value = context.matches[0].groups()
    chat = query.message.chat
    if not await is_chat_admin(update, context):
        await query.answer(texts.SETTINGS_ADMINS_ONLY, show_alert=True)
        return
    if value not in {v for v, _ in _CHOICES[key]}:
        await query.answer()
        return
    chat_settings = context.engine.chat_settings
    defaults = _changed(await chat_settings.defaults(chat.id), key, value)
    await chat_settings.save_defaults(chat.id, defaults)
    await query.answer(texts.SETTINGS_SAVED)
    try:
        await query.edit_message_text(
            texts.settings(defaults), reply_markup=_keyboard(defaults), parse_mode=ParseMode.HTML
        )
    except BadRequest as exc:  # pressing the option already chosen changes nothing
        if "not modified" not in str(exc).lower():
            raise


def _changed(defaults: ChatDefaults, key: str, value: str) -> ChatDefaults:
    if key == "mode":
        return replace(defaults, mode=Mode(value))
    if key == "ratio":
        return replace(defaults, aspect_ratio=AspectRatio(value))
    return replace(defaults, sound=value == "on")
