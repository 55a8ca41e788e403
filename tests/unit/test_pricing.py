"""The cost rule from the API page, in Decimal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from bot.domain.models import IMAGE_TO_VIDEO, VIDEO_TO_VIDEO
from bot.domain.pricing import billed_seconds, estimate, format_usd


@pytest.mark.parametrize(
    ("seconds", "billed"),
    [(6.2, 6), (6.5, 7), (6.49, 6), (3.0, 3), (9.5, 10), (10.0, 10), (2.5, 3), (4.45, 4)],
)
def test_edits_bill_the_input_rounded_half_up(seconds: float, billed: int) -> None:
    assert billed_seconds(seconds) == billed


@pytest.mark.parametrize(
    ("model", "args", "seconds", "cost"),
    [
        (VIDEO_TO_VIDEO, {"action": "edit", "mode": "pro"}, 6.2, "0.858"),
        (VIDEO_TO_VIDEO, {"action": "edit", "mode": "std"}, 6.5, "0.749"),
        (VIDEO_TO_VIDEO, {"action": "edit", "mode": "pro"}, 10.0, "1.430"),
        (VIDEO_TO_VIDEO, {"action": "refer", "mode": "pro", "duration": 5}, 6.2, "0.715"),
        (VIDEO_TO_VIDEO, {"action": "refer", "mode": "std", "duration": 10}, 3.0, "1.070"),
        (IMAGE_TO_VIDEO, {"mode": "std", "sound": "off", "duration": 5}, None, "0.355"),
        (IMAGE_TO_VIDEO, {"mode": "std", "sound": "on", "duration": 5}, None, "0.475"),
        (IMAGE_TO_VIDEO, {"mode": "pro", "sound": "off", "duration": 10}, None, "0.950"),
        (IMAGE_TO_VIDEO, {"mode": "pro", "sound": "on", "duration": 15}, None, "1.785"),
    ],
)
def test_estimate(model: str, args: dict[str, Any], seconds: float | None, cost: str) -> None:
    amount = estimate(model, args, seconds)
    assert isinstance(amount, Decimal)
    assert amount == Decimal(cost)


def test_estimate_refuses_what_it_cannot_know() -> None:
    with pytest.raises(ValueError):
        estimate(VIDEO_TO_VIDEO, {"action": "edit", "mode": "pro"}, None)
    with pytest.raises(ValueError):
        estimate(IMAGE_TO_VIDEO, {"mode": "pro", "sound": "off", "duration": 2.5}, None)
    with pytest.raises(ValueError):
        estimate("someone/else", {}, None)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("0.858", "$0.86"),
        ("0.855", "$0.86"),
        ("0.854", "$0.85"),
        ("0", "$0.00"),
        ("1234.5", "$1,234.50"),
        ("-0.5", "-$0.50"),
        ("0.005", "$0.01"),
    ],
)
def test_format_usd(amount: str, text: str) -> None:
    assert format_usd(Decimal(amount)) == text
