"""Formatting shared by every catalogue module: HTML escaping, money, lengths and limits."""

from __future__ import annotations

from datetime import datetime
from html import escape as _escape_html

from bot.domain.limits import MB
from bot.domain.pricing import format_usd
from bot.texts.i18n import _, ngettext

usd = format_usd


def escape(text: str) -> str:
    """Text for an HTML message body (quotes need no escaping outside attributes)."""
    return _escape_html(text, quote=False)


def escape_attribute(text: str) -> str:
    """Text for an HTML attribute value, such as a link's href."""
    return _escape_html(text)


def utf16_length(text: str) -> int:
    """Telegram counts text limits in UTF-16 code units: an emoji is often two."""
    return len(text.encode("utf-16-le")) // 2


def clip(text: str, limit: int) -> str:
    """At most `limit` UTF-16 units (Telegram's measure), ending in "…" when cut."""
    if utf16_length(text) <= limit:
        return text
    units, kept = 0, []
    for char in text:
        units += utf16_length(char)
        if units > limit - 1:
            break
        kept.append(char)
    return "".join(kept) + "…"


def _month(number: int) -> str:
    names = (_("Jan"), _("Feb"), _("Mar"), _("Apr"), _("May"), _("Jun"), _("Jul"), _("Aug"),
             _("Sep"), _("Oct"), _("Nov"), _("Dec"))
    return names[number - 1]


def when(moment: datetime) -> str:
    """'Dec 01, 00:00 UTC', with the month's name in the current language."""
    return _("{month} {day}, {time} UTC").format(
        month=_month(moment.month), day=f"{moment.day:02d}", time=moment.strftime("%H:%M"))


def seconds(value: float) -> str:
    """'12.4 s', '2 s'; two decimals where one would hide a limit ('10.04 s', not '10 s')."""
    text = f"{value:.1f}"
    if text in ("3.0", "10.0", "15.0") and value != float(text):
        text = f"{value:.2f}"
    return text.rstrip("0").rstrip(".") + " s"


def span(limits: tuple[int, int], dash: str = "-") -> str:
    """'3-10' from a (low, high) pair of constants."""
    return f"{limits[0]}{dash}{limits[1]}"


def megabytes(size_bytes: int) -> str:
    """'20' for a limit in bytes."""
    return f"{size_bytes // MB}"


def hours(seconds_: int) -> str:
    count = seconds_ // 3600
    return ngettext("{count} hour", "{count} hours", count).format(count=count)
