"""Inline keyboards and the callback data they carry. The data names a row in SQLite (a job,
a media item, a confirmation), so a button means the same after a restart."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.domain.money import from_micros
from bot.domain.records import Job, Media

_ID = r"(\d{1,18})"  # SQLite ids fit in 63 bits; longer digits are not ours
CONFIRM_PATTERN = rf"^job:(confirm|cancel):{_ID}$"
STOP_PATTERN = rf"^job:stop:{_ID}$"
CLIP_PATTERN = rf"^clip:(undo|retry|orig):{_ID}$"
VERSION_PATTERN = rf"^ver:{_ID}$"
FIT_PATTERN = rf"^fit:(first|last|liveliest|loop|slow|choose):{_ID}$"


def confirm(confirmation_id: int, yes: str = texts.CONFIRM_BUTTON,
            no: str = texts.CANCEL_BUTTON) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(yes, callback_data=f"job:confirm:{confirmation_id}"),
        InlineKeyboardButton(no, callback_data=f"job:cancel:{confirmation_id}"),
    ]])


def status(job: Job) -> InlineKeyboardMarkup:
    """On a running or queued job's status message."""
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(texts.STOP_BUTTON, callback_data=f"job:stop:{job.id}"),
    ]])


def retry(job: Job) -> InlineKeyboardMarkup:
    """A new job with the same instruction on the same source; its price on the button."""
    price = from_micros(job.estimate_micros)
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(texts.retry_button(price), callback_data=f"clip:retry:{job.id}"),
    ]])


def result(job: Job, media: Media) -> InlineKeyboardMarkup:
    """On every delivered clip: Undo, Retry (priced) and Original."""
    price = from_micros(job.estimate_micros)
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(texts.UNDO_BUTTON, callback_data=f"clip:undo:{media.id}"),
        InlineKeyboardButton(texts.retry_button(price), callback_data=f"clip:retry:{job.id}"),
        InlineKeyboardButton(texts.ORIGINAL_BUTTON, callback_data=f"clip:orig:{media.id}"),
    ]])


def versions(lineage: list[Media], current_id: int | None) -> InlineKeyboardMarkup:
    """One button per version: pressing it makes that version current (free)."""
    buttons = [
        InlineKeyboardButton(texts.version_button(m.version, m.id == current_id),
                             callback_data=f"ver:{m.id}")
        for m in lineage
    ]
    return InlineKeyboardMarkup([buttons[i:i + 4] for i in range(0, len(buttons), 4)])


def fit(offer_id: int, offers: Sequence[str]) -> InlineKeyboardMarkup:
    """The fitting offer: First / Last / Liveliest 10 s and Choose... (which says how to name
    a part in words) for a long clip; Loop / Slow down to 3 s for a short one."""
    buttons = [
        InlineKeyboardButton(texts.FIT_BUTTONS[offer], callback_data=f"fit:{offer}:{offer_id}")
        for offer in offers
    ]
    if "first" not in offers:
        return InlineKeyboardMarkup([buttons])
    choose = InlineKeyboardButton(texts.FIT_CHOOSE_BUTTON, callback_data=f"fit:choose:{offer_id}")
    return InlineKeyboardMarkup([buttons, [choose]])
