"""The house rules, checked on the code itself: each layer keeps to its own door.

- SQL only in `bot/store/`; the Telegram edge and the catalogue never import `bot.store`.
- Kling's args dict and its media placeholders are read only by the domain (and the provider
  client, which sends them).
- Every user-facing sentence is in `bot/texts/`: what the Telegram edge sends is always a
  catalogue value, and no other module holds a sentence.
- The domain imports nothing else of the project; functions stay short.
- Nothing in the repository points outside it.
"""

from __future__ import annotations

import ast
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BOT = ROOT / "bot"
SQL = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE TABLE)\b")
PLACEHOLDER = re.compile(r"^<(video|image\d+)>$")
# A sentence for people: (an emoji, then) a capital, three words or more, closing punctuation;
# or the HTML markup of a chat message.
SENTENCE = re.compile(
    r"^([^\w\s(\[\\]{1,2} )?[A-Z][a-z']*( [^ \n]+){2,}[.!?:]$|(?<!P)<(i|b|code)>|<a href"
)
SEND_METHODS = re.compile(
    r"^(reply_\w+|send_\w+|edit_message_\w+|answer|set_my_commands|answer_\w+)$"
)
# The emulator and the sandbox stand in for other people's servers; their words are theirs.
OTHER_SERVERS = ("emulator", "sandbox")


def modules(*parts: str) -> Iterator[tuple[Path, ast.Module]]:
    base = BOT.joinpath(*parts)
    for path in sorted(base.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def layer(path: Path) -> str:
    rel = path.relative_to(BOT)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def docstrings(tree: ast.Module) -> set[int]:
    """ids of the Constant nodes that are docstrings."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def strings(tree: ast.Module) -> Iterator[ast.Constant]:
    skip = docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node


def for_people_only(tree: ast.Module) -> set[int]:
    """ids of string nodes inside a log call or an exception: words for operators."""
    found: set[int] = set()
    for node in ast.walk(tree):
        operator_words = (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"debug", "info", "warning", "error", "exception", "critical"}
        ) or isinstance(node, ast.Raise)
        if operator_words:
            found.update(id(n) for n in ast.walk(node) if isinstance(n, ast.Constant))
    return found


def test_sql_lives_only_in_the_store() -> None:
    offenders = []
    for path, tree in modules():
        if layer(path) in ("store", *OTHER_SERVERS):
            continue
        for node in strings(tree):
            if SQL.search(node.value):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        for node in ast.walk(tree):
            calls_db = (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"execute", "fetchone", "fetchall", "executemany"}
            )
            if calls_db:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def imported(tree: ast.Module) -> Iterator[tuple[str, int]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, node.lineno
            for alias in node.names:
                yield f"{node.module}.{alias.name}", node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno


def test_the_telegram_edge_and_the_catalogue_never_touch_the_store() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for part in ("telegram", "texts", "web")
        for path, tree in modules(part)
        for name, line in imported(tree)
        if name.startswith("bot.store")
    ]
    assert offenders == []


def test_the_domain_imports_nothing_else_of_the_project() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path, tree in modules("domain")
        for name, line in imported(tree)
        if name.startswith("bot.") and not name.startswith("bot.domain")
    ]
    assert offenders == []


def test_only_the_domain_and_the_provider_client_read_klings_args() -> None:
    offenders = []
    for path, tree in modules():
        if layer(path) in ("domain", "providers", *OTHER_SERVERS):
            continue
        for node in strings(tree):
            if PLACEHOLDER.match(node.value):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} spells {node.value}")
        for node in ast.walk(tree):
            reads_args = (
                isinstance(node, ast.Attribute) and node.attr == "get"
                and isinstance(node.value, ast.Attribute) and node.value.attr == "args"
            )
            if reads_args:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} reads .args")
    assert offenders == []


def _is_catalogue_value(node: ast.expr) -> bool:
    """A string literal or f-string with words is not; anything else (a name, a call into
    `texts`, a variable) is taken as coming from the catalogue."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return not re.search(r"[A-Za-z]{2,}", node.value)
    return not isinstance(node, ast.JoinedStr)


def test_the_telegram_edge_sends_only_catalogue_text() -> None:
    offenders, checked = [], 0
    for path, tree in modules("telegram"):
        for node in ast.walk(tree):
            sends = (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and SEND_METHODS.match(node.func.attr)
            )
            if not sends:
                continue
            assert isinstance(node, ast.Call)
            checked += 1
            texts = list(node.args) + [
                k.value for k in node.keywords if k.arg in {"text", "caption", "description"}
            ]
            offenders += [
                f"{path.relative_to(ROOT)}:{node.lineno}"
                for t in texts if not _is_catalogue_value(t)
            ]
    assert offenders == []
    assert checked >= 20  # the scan found the edge's sends (it would pass vacuously otherwise)


def test_no_sentence_for_a_chat_outside_the_catalogue() -> None:
    offenders = []
    for path, tree in modules():
        if layer(path) in ("texts", "store", "config", "__main__", "explain", "logs",
                           *OTHER_SERVERS):
            continue  # the catalogue, SQL; the operator's command line, settings and logs
        operator = for_people_only(tree)
        for node in strings(tree):
            if id(node) not in operator and SENTENCE.search(node.value):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:60]}")
    assert offenders == []


# Worth their length: each reads top to bottom as one table or one protocol step.
LONG_ON_PURPOSE: dict[str, str] = {
    "bot/config.py:load_settings": "one table: each setting, its cast and its default",
    "bot/sandbox/tg_control.py:control_routes": "the emulator's control API as one route "
    "table: each entry a line, read top to bottom",
    "bot/sandbox/tg_text.py:parse_html": "the emulated server's HTML parser: one state machine "
    "that mirrors Telegram's own rules, clearer whole than in pieces",
}


def test_functions_are_short_and_handlers_shorter() -> None:
    offenders = []
    for path, tree in modules():
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            handler = layer(path) == "telegram" and [a.arg for a in node.args.args][:1] == [
                "update"
            ]
            limit = 30 if handler else 50
            name = f"{path.relative_to(ROOT)}:{node.name}"
            if length > limit and name not in LONG_ON_PURPOSE:
                offenders.append(f"{name} is {length} lines (limit {limit})")
    assert offenders == []


def test_nothing_in_the_repository_points_outside_it() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    # Built from pieces so this file does not itself match.
    outside = ("../" + "shared", "shared" + "/api/", "DESIGN" + ".md")
    pattern = re.compile("|".join(re.escape(part) for part in outside))
    offenders = []
    for name in tracked:
        path = ROOT / name
        if path.suffix in {".png", ".jpg", ".mp4", ".sqlite3"} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{name}:{i}" for i, line in enumerate(text.splitlines(), 1)
                      if pattern.search(line)]
    assert offenders == []
