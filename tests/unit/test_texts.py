"""The catalogue: limits Telegram counts in UTF-16 units, ordinals, and every reason and note
has a sentence."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.models import ErrorCode, Note, PlanError, Reason
from bot.texts.format import clip, utf16_length
from bot.texts.jobs import ordinal
from bot.texts.plans import _SENTENCES, NOTES


@given(st.text(min_size=0, max_size=3000))
def test_clip_never_exceeds_telegrams_measure(text: str) -> None:
    clipped = clip(text, 800)
    assert utf16_length(clipped) <= 800
    assert clipped == text or clipped.endswith("…")


def test_a_caption_of_emoji_fits_telegrams_limit() -> None:
    # 600 emoji are 600 characters but 1,200 UTF-16 units: cutting characters at 800 would
    # still leave a caption Telegram refuses (its limit is 1,024 units).
    text = "😀" * 600
    assert utf16_length(clip(text, 800)) <= 800


def test_ordinals() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]


def test_every_reason_and_note_has_words() -> None:
    assert set(_SENTENCES) == set(Reason)
    assert set(NOTES) == set(Note)
    assert PlanError(ErrorCode.NO_MEDIA, Reason.NO_MEDIA).values == {}


def test_fitting_buttons_carry_the_contract_words() -> None:
    from bot import texts

    words = {"first": "First", "last": "Last", "liveliest": "Liveliest", "loop": "Loop",
             "slow": "Slow"}
    for offer, word in words.items():
        assert word in texts.FIT_BUTTONS[offer]
    assert "0:05–0:12 (7 s)" in texts.fit_done("range", 5.0, 12.0, 7.0, 2, None)
    assert "$1.43" in texts.fit_done("first", 0.0, 10.0, 10.0, 2, Decimal("1.43"))
