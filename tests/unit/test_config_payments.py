"""PAYMENTS, STARS_PER_USD, CREDIT_PACKS, REFUND_FAILED: defaults and one-line errors."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.config import ConfigError, load_settings
from bot.domain.credits import RefundPolicy


def test_payments_are_off_by_default() -> None:
    assert load_settings({}, dotenv=None).credits is None
    assert load_settings({"PAYMENTS": "off", "STARS_PER_USD": "x"}, dotenv=None).credits is None


def test_stars_with_defaults() -> None:
    rules = load_settings({"PAYMENTS": "Stars", "STARS_PER_USD": "80"}, dotenv=None).credits
    assert rules is not None
    assert rules.stars_per_usd == Decimal(80)
    assert rules.packs == (100, 500, 2000)
    assert rules.refund_failed is RefundPolicy.ALWAYS


def test_stars_with_every_setting() -> None:
    rules = load_settings({"PAYMENTS": "stars", "STARS_PER_USD": "75.5",
                           "CREDIT_PACKS": "2000, 50", "REFUND_FAILED": "if_provider_refunded"},
                          dotenv=None).credits
    assert rules is not None
    assert rules.packs == (50, 2000) and rules.stars_per_usd == Decimal("75.5")
    assert rules.refund_failed is RefundPolicy.IF_PROVIDER_REFUNDED


@pytest.mark.parametrize(("env", "message"), [
    ({"PAYMENTS": "paypal"}, "PAYMENTS must be off or stars"),
    ({"PAYMENTS": "stars"}, "PAYMENTS=stars needs STARS_PER_USD"),
    ({"PAYMENTS": "stars", "STARS_PER_USD": "0"}, "STARS_PER_USD must be a number above 0"),
    ({"PAYMENTS": "stars", "STARS_PER_USD": "lots"}, "STARS_PER_USD must be a number"),
    ({"PAYMENTS": "stars", "STARS_PER_USD": "80", "CREDIT_PACKS": "100,abc"},
     "CREDIT_PACKS must be comma-separated whole numbers"),
    ({"PAYMENTS": "stars", "STARS_PER_USD": "80", "CREDIT_PACKS": "50000"},
     "from 1 to 10000"),
    ({"PAYMENTS": "stars", "STARS_PER_USD": "80", "REFUND_FAILED": "never"},
     "REFUND_FAILED must be always or if_provider_refunded"),
])
def test_bad_values_fail_with_one_line(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        load_settings(env, dotenv=None)
    assert "\n" not in str(info.value)
