"""The catalogue in five languages: the mechanism (a context variable, lazy constants, plural
forms, English fallback) and the catalogues themselves (every message translated, every
placeholder and tag kept, no sentence left unmarked)."""

from __future__ import annotations

import ast
import asyncio
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot import texts
from bot.domain.locales import LANGUAGES, choose, supported
from bot.texts import i18n

ROOT = Path(__file__).resolve().parents[2]
TEXTS = ROOT / "bot" / "texts"
TRANSLATED = [language for language in LANGUAGES if language != "en"]
KEYWORDS = {"_": None, "ngettext": (1, 2), "msg": None}
PLACEHOLDER = re.compile(r"\{(\w*)\}")
TAG = re.compile(r"</?\w+[^>]*>")


def _extracted() -> dict[str, str | tuple[str, str]]:
    """Every message id in the code, as scripts/i18n.sh extracts it."""
    found: dict[str, str | tuple[str, str]] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(TEXTS), [("**.py", "python")], keywords=KEYWORDS
    ):
        key = message[0] if isinstance(message, tuple) else message
        found[key] = message
    return found


def _catalogue(language: str) -> dict[str, tuple[str | tuple[str, ...], bool]]:
    path = i18n.LOCALE_DIR / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    with path.open("rb") as source:
        catalog = read_po(source)
    return {
        (m.id[0] if isinstance(m.id, tuple) else m.id): (m.string, m.fuzzy)
        for m in catalog if m.id
    }


# ---- the mechanism ---------------------------------------------------------------------

def test_english_is_the_default_and_a_language_holds_inside_its_block() -> None:
    english = texts.START
    assert english.startswith("Hi!")
    with texts.speaking("ru"):
        assert texts.current() == "ru"
        assert texts.START.startswith("Привет!")
        with texts.speaking("de"):
            assert texts.START.startswith("Hallo!")
        assert texts.START.startswith("Привет!")
    assert english == texts.START


def test_constants_functions_and_menus_follow_the_language() -> None:
    with texts.speaking("es"):
        assert texts.NOTHING_TO_UNDO == "No hay ninguna versión anterior a la que volver."
        assert texts.now_at_version(3) == "Ahora en la versión 3. Tu próxima instrucción la edita."
        assert dict(texts.COMMANDS)["undo"] == "Volver a la versión anterior"
        assert texts.SETTING_LABELS["sound"][0] == ("off", "Sin sonido")
    assert dict(texts.COMMANDS)["undo"] == "Go back to the previous version"


def test_russian_has_three_plural_forms() -> None:
    with texts.speaking("ru"):
        said = [texts.hours(n * 3600) for n in (1, 2, 5, 11, 21, 22, 25)]
    assert said == ["1 час", "2 часа", "5 часов", "11 часов", "21 час", "22 часа", "25 часов"]
    assert [texts.hours(n * 3600) for n in (1, 2)] == ["1 hour", "2 hours"]


def test_an_untranslated_message_and_an_unknown_language_fall_back_to_english() -> None:
    with texts.speaking("pt"):
        assert i18n._("A sentence nobody translated.") == "A sentence nobody translated."
    with texts.speaking("fr"):  # not one of ours: English
        assert texts.current() == "en"
        assert texts.START.startswith("Hi!")


async def test_each_task_keeps_its_own_language() -> None:
    async def greet(language: str) -> str:
        texts.use(language)
        await asyncio.sleep(0)  # the others run meanwhile
        return texts.NOT_ALLOWED

    said = await asyncio.gather(*(asyncio.create_task(greet(lang)) for lang in LANGUAGES))
    assert said[0] == "Sorry, this bot is private."
    assert len(set(said)) == len(LANGUAGES)
    assert texts.current() == "en"  # the tasks' choices stayed in the tasks


def test_a_catalogue_is_compiled_in_memory_when_no_mo_was_built() -> None:
    po = i18n.LOCALE_DIR / "de" / "LC_MESSAGES" / "bot.po"
    assert i18n._compiled(po).gettext("Saved.") == "Gespeichert."


def test_telegram_language_codes() -> None:
    assert supported("pt-br") == "pt" and supported("de-AT") == "de" and supported("RU") == "ru"
    assert supported("fr") is None and supported(None) is None and supported("") is None
    assert choose(None, "es") == "es"
    assert choose("de", "es") == "de"  # the chat's own choice wins
    assert choose(None, "zh-hans") == "en"


# ---- the catalogues --------------------------------------------------------------------

def test_every_message_is_translated_in_every_language() -> None:
    """Fails naming each id still to translate: run `bash scripts/i18n.sh`, fill the empty (or
    fuzzy) msgstr in bot/texts/locale/*/LC_MESSAGES/bot.po, run it again."""
    ids = _extracted()
    assert len(ids) > 150  # the extraction found the catalogue
    missing = []
    for language in TRANSLATED:
        catalogue = _catalogue(language)
        for key in ids:
            string, fuzzy = catalogue.get(key, ("", False))
            forms = string if isinstance(string, tuple) else (string,)
            if fuzzy or not all(forms):
                missing.append(f"{language}: {key[:80]!r}")
    assert missing == []


def _marks(text: str) -> tuple[set[str], Counter[str]]:
    return set(PLACEHOLDER.findall(text)), Counter(TAG.findall(text))


def test_every_placeholder_and_tag_survives_translation() -> None:
    broken = []
    for language in TRANSLATED:
        for key, (string, _fuzzy) in _catalogue(language).items():
            forms = string if isinstance(string, tuple) else (string,)
            for form in forms:
                if form and _marks(form) != _marks(key):
                    broken.append(f"{language}: {key[:60]!r} -> {form[:60]!r}")
    assert broken == []


def test_translations_render_and_russian_declares_three_plural_forms() -> None:
    english = texts.HELP
    for language in TRANSLATED:
        with texts.speaking(language):
            assert english != texts.HELP
            assert texts.HELP.count("<b>") == 2
    with (i18n.LOCALE_DIR / "ru" / "LC_MESSAGES" / "bot.po").open("rb") as source:
        assert read_po(source).num_plurals == 3


def test_buttons_and_command_descriptions_fit_telegram() -> None:
    for language in LANGUAGES:
        with texts.speaking(language):
            buttons = [texts.CONFIRM_BUTTON, texts.CANCEL_BUTTON, texts.UNDO_BUTTON,
                       texts.ORIGINAL_BUTTON, texts.STOP_BUTTON, texts.OFFER_YES,
                       texts.OFFER_NO, texts.retry_button(Decimal("0.72"))]
            buttons += [label for labels in texts.SETTING_LABELS.values() for _, label in labels]
            assert all(0 < len(b) <= 24 for b in buttons), (language, buttons)
            menus = texts.BOT_ADMIN_COMMANDS
            assert all(3 <= len(description) <= 256 for _, description in menus)


# ---- nothing left unmarked ---------------------------------------------------------------

_UNTRANSLATED_MODULES = {"operator.py", "i18n.py", "__init__.py"}  # the operator's log; code
_MARKERS = {"_", "msg", "ngettext"}
_WORDS = re.compile(r"[A-Za-z]{2,}[\s,.:;!?]+[A-Za-z]{2,}")  # two words or more


def _marked(tree: ast.Module) -> set[int]:
    """ids of the string constants inside a translation call (and docstrings)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        call = isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and (
            node.func.id in _MARKERS)
        documented = isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and (
            node.body and isinstance(node.body[0], ast.Expr))
        if call:
            assert isinstance(node, ast.Call)
            inside |= {id(arg) for arg in node.args}
        if documented:
            assert isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
            first = node.body[0]
            assert isinstance(first, ast.Expr)
            inside.add(id(first.value))
    return inside


@pytest.mark.parametrize("path", sorted(TEXTS.glob("*.py")), ids=lambda p: p.name)
def test_every_sentence_in_the_catalogue_is_marked_for_translation(path: Path) -> None:
    """A sentence written in the catalogue's old style (a bare string or f-string) would reach
    every chat in English: wrap it in _() / msg() / ngettext(), then run scripts/i18n.sh."""
    if path.name in _UNTRANSLATED_MODULES:
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    marked = _marked(tree)
    bare = [
        f"{path.name}:{node.lineno}: {node.value[:60]!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in marked and _WORDS.search(node.value)
    ]
    assert bare == []
