"""The languages the bot speaks, and which one a chat gets."""

from __future__ import annotations

DEFAULT_LANGUAGE = "en"
# English first: the language of the code, and of anyone whose language is not here.
LANGUAGES: tuple[str, ...] = ("en", "ru", "es", "pt", "de")


def supported(code: str | None) -> str | None:
    """One of LANGUAGES for a Telegram `language_code` ("pt-br" -> "pt"), else None."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if base in LANGUAGES else None


def choose(chosen: str | None, telegram: str | None) -> str:
    """The chat's own choice (/settings) if it made one, else the person's Telegram language,
    else English."""
    return supported(chosen) or supported(telegram) or DEFAULT_LANGUAGE
