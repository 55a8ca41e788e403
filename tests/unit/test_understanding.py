"""What people actually write, in five languages: the tables in tests/corpus/.

- `phrasings_*.txt`: phrasings with the intent (and parameters) they must get, written apart
  from the rules, before them. Known misses are marked `| xfail: reason` and stay in the table.
- `chitchat.jsonl`: ordinary chat messages that are not instructions. None may become a paid
  job, in a private chat or a group that holds a video (or photos).
- Properties: a message without an instruction verb in any of the five languages, and a
  random string, never become a paid job.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.domain import wordforms
from bot.domain.intent import _FOREIGN_REFER as FOREIGN_REFER
from bot.domain.intent import JOB_INTENTS, parse
from bot.domain.models import ChatContext
from bot.domain.text import canonical, normalize
from bot.domain.vocabulary import DIRECTIVE, PRIVATE_VERBS, REFER, REFER_LABEL, SAME_CAMERA
from bot.explain import explain_json

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
PAID = {i.value for i in JOB_INTENTS}
CONTEXTS = {
    "v": ChatContext(video_seconds=6.0),
    "vg": ChatContext(video_seconds=6.0, group=True),
    "p1": ChatContext(photos=1),
    "p2": ChatContext(photos=2),
    "vp2": ChatContext(video_seconds=6.0, photos=2),  # photos sent before the instruction
}
_KEYS = {"d": "duration", "ar": "aspect_ratio", "m": "mode", "s": "sound"}
# Not args: versions stepped back before the job ("revert and ..."), photos the job takes.
_NOT_ARGS = ("back", "img")


@dataclass(frozen=True)
class Row:
    language: str
    context: str
    intent: str  # an intent, or "ask"
    params: dict[str, Any]
    text: str
    xfail: str | None

    @property
    def id(self) -> str:
        return f"{self.language}:{self.text[:40]}"


def _params(words: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for word in words:
        key, value = word.split("=")
        if key in ("d", "back", "img"):
            out[_KEYS.get(key, key)] = int(value)
        elif key == "s":
            out["sound"] = value
        else:
            out[_KEYS[key]] = value
    return out


def phrasings() -> list[Row]:
    rows = []
    for path in sorted(CORPUS.glob("phrasings_*.txt")):
        language = path.stem.split("_")[1]
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split(" | ")]
            context, expected, text = parts[:3]
            xfail = parts[3].removeprefix("xfail:").strip() if len(parts) > 3 else None
            intent, *params = expected.split()
            rows.append(Row(language, context, intent, _params(params), text, xfail))
    return rows


def outcome(row: Row) -> dict[str, Any]:
    return explain_json(row.text, CONTEXTS[row.context], row.language)


def matches(row: Row, got: dict[str, Any]) -> bool:
    if row.intent == "ask":
        return got["intent"] == "none" and got.get("ask") is True
    if row.intent == "forget":
        return got["intent"] == "none" and got.get("forget_photos") is True
    if row.intent == "dryrun":
        return got["intent"] == "none" and "dry_run" in got and not got.get("ask")
    if got["intent"] != row.intent or (row.intent == "none" and got.get("ask")):
        return False
    if got.get("steps_back", 0) != row.params.get("back", 0):
        return False
    elements = got["args"].get("elements", [])
    images = len(got["args"].get("images", [])) + sum(
        1 + len(e.get("reference_image_urls", [])) for e in elements
    )
    if "img" in row.params and images != row.params["img"]:
        return False
    args = {k: v for k, v in row.params.items() if k not in _NOT_ARGS}
    return all(got["args"].get(key) == value for key, value in args.items())


ROWS = phrasings()


def test_the_table_is_big_enough() -> None:
    assert len(ROWS) >= 400
    for language in ("ru", "es", "pt", "de"):
        assert sum(r.language == language for r in ROWS) >= 80


@pytest.mark.parametrize(
    "row",
    [
        pytest.param(r, id=r.id, marks=[pytest.mark.xfail(reason=r.xfail, strict=True)])
        if r.xfail
        else pytest.param(r, id=r.id)
        for r in ROWS
    ],
)
def test_phrasing(row: Row) -> None:
    got = outcome(row)
    assert matches(row, got), got


def chitchat() -> list[dict[str, str]]:
    lines = (CORPUS / "chitchat.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_chit_chat_never_starts_a_paid_job() -> None:
    messages = chitchat()
    assert len(messages) >= 300
    contexts = [
        ChatContext(video_seconds=6.0),
        ChatContext(video_seconds=6.0, group=True),
        ChatContext(photos=2),
        ChatContext(video_seconds=6.0, photos=1),
    ]
    paid = [
        (m["text"], ctx, language)
        for m in messages
        for ctx in contexts
        for language in (m["language"], None)
        if parse(m["text"], ctx, language).intent in JOB_INTENTS
        or explain_json(m["text"], ctx, language)["intent"] in PAID
    ]
    assert paid == []


# Words with no instruction in them, in the five languages: nouns, adjectives, small talk.
# No parameter words: a lone "no music" or "9:16" is a setting said to the bot, read as one.
_CALM_WORDS = (
    "the car sky night red blue beautiful amazing video clip photo thanks hello really maybe "
    "rain snow dog cat sunset forest city movie friend today tomorrow later yes no ok "
    "машина небо ночь красный красиво спасибо привет собака кот закат лес город завтра да нет "
    "coche cielo noche rojo bonito gracias hola perro gato atardecer bosque ciudad mañana sí "
    "carro céu noite vermelho lindo obrigado oi cachorro gato pôr sol floresta cidade amanhã "
    "auto himmel nacht rot schön danke hallo hund katze sonnenuntergang wald stadt morgen ja"
)
_CALM = _CALM_WORDS.split()
_MARKS = ["", "!", "?", "...", " 😂", " 🔥", ",", " lol"]
calm_messages = st.lists(st.sampled_from(_CALM), min_size=1, max_size=8).map(" ".join)
_ALL = ("ru", "es", "pt", "de")


def has_instruction_verb(text: str) -> bool:
    """A verb in one of the five languages, or a typo the parser repairs into one ("anmate",
    and the German "stadt", one letter from "start"), or a new-shot phrase ("new hsot"): by
    design, those are instructions; so are wishes ("it must be winter", "quiero que...")."""
    words = wordforms.tokens(text)
    low = normalize(text).low
    phrases = (REFER, REFER_LABEL, SAME_CAMERA, FOREIGN_REFER, DIRECTIVE)
    new_shot = any(rx.search(low) for rx in phrases) or wordforms.wish(low)
    return new_shot or any(
        canonical(w) in PRIVATE_VERBS or wordforms.is_verb(w, _ALL, initial=True) for w in words
    )


@settings(max_examples=400, deadline=None)
@given(
    text=calm_messages,
    mark=st.sampled_from(_MARKS),
    ctx=st.sampled_from(list(CONTEXTS.values())),
    language=st.sampled_from([None, "en", "ru", "es", "pt", "de"]),
)
def test_no_instruction_verb_never_a_paid_job(
    text: str, mark: str, ctx: ChatContext, language: str | None
) -> None:
    assume(not has_instruction_verb(text))
    got = explain_json(text + mark, ctx, language)
    assert got["intent"] not in PAID
    assert got["error"] is None or got["intent"] == "none"


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(max_size=60),
    ctx=st.sampled_from(list(CONTEXTS.values())),
    language=st.sampled_from([None, "ru", "es"]),
)
def test_random_strings_never_a_paid_job(text: str, ctx: ChatContext, language: str | None) -> None:
    assume(not has_instruction_verb(text))
    got = explain_json(text, ctx, language)
    # A lone parameter ("STD", "9:16") reads as a setting for a job with no prompt: an error,
    # never submitted.
    assert got["intent"] not in PAID or got["error"] is not None


@pytest.mark.parametrize("text", ["the car yes", "a dog thanks", "the car gracias"])
def test_a_noun_and_a_word_in_s_is_no_motion(text: str) -> None:
    """Found by the property above: "yes" ends like a verb ("the car moves")."""
    for ctx in CONTEXTS.values():
        assert explain_json(text, ctx)["intent"] not in PAID


@pytest.mark.parametrize(
    "text",
    [
        "revert and " * 400 + "make it foggy",
        "what would " * 300 + "make it rainy" + " cost" * 300,
        "/explain " * 400 + "make it snowy",
        "undo, " * 600,
    ],
)
def test_nested_steps_back_and_dry_runs_are_read_one_level_deep(text: str) -> None:
    got = explain_json(text[:4096], ChatContext(video_seconds=6.0))
    assert got["intent"] not in PAID or got.get("steps_back", 0) <= 1
