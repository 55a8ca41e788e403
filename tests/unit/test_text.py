"""Normalised matching text, typo repair, and splicing the user's own words."""

from __future__ import annotations

import pytest

from bot.domain.text import Edit, canonical, correct, normalize, splice


@pytest.mark.parametrize(
    ("typo", "word"),
    [("remvoe", "remove"), ("replcae", "replace"), ("animte", "animate"), ("vertcal", "vertical"),
     ("secnds", "seconds"), ("cancle", "cancel"), ("histroy", "history"), ("mkae", "make"),
     ("potrait", "portrait"), ("verticle", "vertical"), ("qualty", "quality"),
     ("landscpe", "landscape"), ("sqaure", "square")],
)  # fmt: skip
def test_keyword_typos_are_repaired(typo: str, word: str) -> None:
    assert correct(typo) == word


@pytest.mark.parametrize(
    "word",
    ["remote", "chance", "charge", "removed", "changes", "animated", "darker", "retro", "about",
     "speed", "there", "light", "make", "photo", "flame", "stars", "cancer", "fifty", "maker",
     "dragon", "tunnel", "mate", "take"],
)  # fmt: skip
def test_real_words_are_left_alone(word: str) -> None:
    assert correct(word) is None
    assert canonical(word) == word


def test_normalize_maps_back_to_the_original() -> None:
    text = "Please REMVOE the Car’s mirror"
    norm = normalize(text)
    assert norm.low == "please remove the car's mirror"
    start = norm.low.index("remove")
    assert text[norm.orig(start) : norm.orig(start + len("remove"))] == "REMVOE"
    end = norm.low.index("mirror")
    assert text[norm.orig(end) : norm.orig(len(norm.low))] == "mirror"


def test_normalize_keeps_length_for_awkward_unicode() -> None:
    for text in ("İstanbul", "ß straße", "ﬁne", "😀 emoji"):
        norm = normalize(text)
        assert len(norm.low) == len(text) or norm.index is not None


@pytest.mark.parametrize(
    ("text", "spans", "result"),
    [
        ("make it rainy, 10 seconds, vertical", ["10 seconds", "vertical"], "make it rainy"),
        ("vertical, make it rainy", ["vertical"], "make it rainy"),
        ("make it rainy, vertical, and slow", ["vertical"], "make it rainy, and slow"),
        ("make it rainy (10s)", ["10s"], "make it rainy"),
        ("make it rainy and vertical", ["vertical"], "make it rainy"),
        ("make it rainy. ten seconds.", ["ten seconds"], "make it rainy."),
        ("a man walks in, vertical", ["vertical"], "a man walks in"),
        ("untouched ,  text ", [], "untouched ,  text"),
    ],
)
def test_splice_tidies_only_the_seams(text: str, spans: list[str], result: str) -> None:
    edits = [Edit(text.index(s), text.index(s) + len(s)) for s in spans]
    assert splice(text, 0, len(text), edits) == result


def test_splice_replaces() -> None:
    text = "the man from the first photo"
    start = text.index("the first photo")
    assert splice(text, 0, len(text), [Edit(start, len(text), "[@image1]")]) == (
        "the man from [@image1]"
    )


def test_typo_keywords_are_read_off_the_word_lists() -> None:
    """Keywords are the words marked `~` in the vocabulary's lists; the mark never leaks."""
    from bot.domain import vocabulary as v

    assert {"remove", "vertical", "seconds", "cancel", "photos"} <= v.KEYWORDS
    assert {"undo", "make", "stop"} <= v.SHORT_KEYWORDS
    assert "remove" in v.GROUP_VERBS and "vertical" in v.ASPECT_WORDS
    for name in dir(v):
        value = getattr(v, name)
        if isinstance(value, frozenset | dict):
            assert not any(isinstance(w, str) and "~" in w for w in value), name
    assert v.NUMBER_WORDS["twenty"] == 20 and v.ORDINALS["3rd"] == 3 and v.ORDINALS["last"] == -1
