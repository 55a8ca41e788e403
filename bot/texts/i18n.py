"""The catalogue's languages: which one the current update speaks, and its gettext catalogue.

The language is a context variable: the Telegram edge sets it once per update (and around the
messages the engine sends by itself), and every sentence of the catalogue is looked up in it
when it is rendered. Call sites never pass a language: `texts.START` and `texts.history(...)`
read it themselves.

Sentences are written in English in the code, marked for extraction:
- `_("... {name} ...").format(name=...)` and `ngettext(singular, plural, n)` inside functions;
- `msg("...", name=value)` for a module constant: rendered when it is read (`texts.X`), so
  the package serves it in the current language (see `bot/texts/__init__.py`);
- `lazy(lambda: ...)` for a constant that is not one sentence (a menu, a table of labels).

The catalogues are `bot/texts/locale/<language>/LC_MESSAGES/bot.po`, compiled to `bot.mo` by
`scripts/i18n.sh` (and by `scripts/setup.sh`). A `.po` without a fresh `.mo` beside it is
compiled in memory when first needed, so a fresh clone or a plain `pip install` works too. A
message with no translation (or a fuzzy one) falls back to English.
"""

from __future__ import annotations

import gettext
import io
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast

from bot.domain.locales import DEFAULT_LANGUAGE, LANGUAGES

log = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "bot"

_current: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)

T = TypeVar("T")


def current() -> str:
    """The language sentences are rendered in right now."""
    return _current.get()


def use(language: str) -> None:
    """Speak `language` for the rest of this task (an update is handled in its own task)."""
    _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Speak `language` inside the block, and what was spoken before after it."""
    token = _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _current.reset(token)


def _compiled(po: Path) -> gettext.NullTranslations:
    from babel.messages.mofile import write_mo  # only when no fresh .mo was built
    from babel.messages.pofile import read_po

    with po.open("rb") as source:
        catalog = read_po(source)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@cache
def catalogue(language: str) -> gettext.NullTranslations:
    """The language's translations; English (and an unknown language) is the code itself."""
    po = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == DEFAULT_LANGUAGE or not po.exists():
        return gettext.NullTranslations()
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as compiled:
            return gettext.GNUTranslations(compiled)
    log.debug("compiling %s in memory (no fresh .mo)", po)
    return _compiled(po)


def _(message: str) -> str:
    """`message` in the current language (English when it has no translation)."""
    return catalogue(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form for `count` in the current language (Russian has three)."""
    return catalogue(_current.get()).ngettext(singular, plural, count)


class Lazy:
    """A catalogue constant rendered when it is read, in the language of that moment."""

    def __init__(self, render: Callable[[], Any]) -> None:
        self.render = render


class Msg(str, Lazy):
    """A one-sentence constant: the English text (what it reads as inside its own module),
    rendered in the current language when read through the package."""

    _message: str
    _values: dict[str, Any]

    def __new__(cls, message: str, **values: Any) -> Msg:
        english = message.format(**{k: str(v) for k, v in values.items()}) if values else message
        made = super().__new__(cls, english)
        made._message, made._values = message, values
        return made

    def __init__(self, message: str, **values: Any) -> None:
        Lazy.__init__(self, self._translated)

    def _translated(self) -> str:
        text = _(self._message)
        if not self._values:
            return text
        return text.format(**{k: translated(v) for k, v in self._values.items()})


def translated(value: T) -> T:
    """A constant as read through the package: a lazy one rendered now, anything else as is."""
    return cast(T, value.render()) if isinstance(value, Lazy) else value


def msg(message: str, **values: Any) -> str:
    """A constant sentence (marked for extraction), with `{name}` filled from `values`."""
    return Msg(message, **values)


def lazy(render: Callable[[], T]) -> T:
    """A constant that is not one sentence (a menu, a table), built when it is read."""
    return cast(T, Lazy(render))
