"""/settings: a chat's language, default mode, aspect ratio and sound, changed with inline
buttons. In a private chat the language is the person's; in a group, its admins choose it."""

from __future__ import annotations

from dataclasses import replace

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot import texts
from bot.domain.models import AspectRatio, ChatDefaults, Mode
from bot.engine.chat_settings import ChatSettings
from bot.telegram.context import BotContext
from bot.telegram.money_commands import is_chat_admin

SETTINGS_PATTERN = r"^set:(lang|mode|ratio|sound):([\w:]+)$"
_PER_ROW = 3  # five language names side by side would be cut on a phone


def _current(defaults: ChatDefaults, language: str) -> dict[str, str]:
    return {
        "lang": language,
        "mode": defaults.mode.value,
        "ratio": defaults.aspect_ratio.value,
        "sound": "on" if defaults.sound else "off",
    }


def _keyboard(defaults: ChatDefaults, language: str) -> InlineKeyboardMarkup:
    now = _current(defaults, language)
    rows = []
    for key, choices in texts.SETTING_LABELS.items():
        buttons = [
            InlineKeyboardButton((texts.CHOSEN_MARK if now[key] == value else "") + label,
                                 callback_data=f"set:{key}:{value}")
            for value, label in choices
        ]
        rows += [buttons[i:i + _PER_ROW] for i in range(0, len(buttons), _PER_ROW)]
    return InlineKeyboardMarkup(rows)


async def settings_command(update: Update, context: BotContext) -> None:
    """Show the chat's settings with buttons to change them."""
    message = update.effective_message
    assert message is not None
    defaults = await context.engine.chat_settings.defaults(message.chat_id)
    language = texts.current()  # what the gate chose for this update
    await message.reply_html(texts.settings(defaults, language),
                             reply_markup=_keyboard(defaults, language))


async def on_settings_button(update: Update, context: BotContext) -> None:
    """Change one setting. In groups only chat admins may, since it applies to everyone."""
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
    if value not in {v for v, _ in texts.SETTING_LABELS[key]}:
        await query.answer()
        return
    defaults = await _save(context.engine.chat_settings, chat.id, key, value)
    await query.answer(texts.SETTINGS_SAVED)
    language = texts.current()
    try:
        await query.edit_message_text(
            texts.settings(defaults, language), reply_markup=_keyboard(defaults, language),
            parse_mode=ParseMode.HTML,
        )
    except BadRequest as exc:  # pressing the option already chosen changes nothing
        if "not modified" not in str(exc).lower():
            raise


async def _save(chat_settings: ChatSettings, chat_id: int, key: str,
                value: str) -> ChatDefaults:
    """Store one setting; the chat's defaults after it."""
    defaults = await chat_settings.defaults(chat_id)
    if key == "lang":
        await chat_settings.choose_language(chat_id, value)
        texts.use(value)  # the answer and the edited message already speak it
        return defaults
    defaults = _changed(defaults, key, value)
    await chat_settings.save_defaults(chat_id, defaults)
    return defaults


def _changed(defaults: ChatDefaults, key: str, value: str) -> ChatDefaults:
    if key == "mode":
        return replace(defaults, mode=Mode(value))
    if key == "ratio":
        return replace(defaults, aspect_ratio=AspectRatio(value))
    return replace(defaults, sound=value == "on")
