"""Credits in Stars: prices, a job's target sums for each way it can end, packs, payloads."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.credits import (
    UNDELIVERABLE,
    Checkout,
    CheckoutError,
    CreditKind,
    CreditRules,
    JobCredits,
    JobMoney,
    RefundPolicy,
    check,
    pack_of,
    parse_packs,
    payload,
    rows_to,
    shortfall,
    stars_for,
    target,
)

RULES = CreditRules(stars_per_usd=Decimal(100), packs=(100, 500, 2000))
KEEP = CreditRules(Decimal(100), (100,), RefundPolicy.IF_PROVIDER_REFUNDED)


def money(*, open_: bool = False, cancelled: bool = False, error: str | None = None,
          held: int = 0, charged: int = 0, refunded: int = 0) -> JobMoney:
    return JobMoney(open=open_, cancelled=cancelled, error=error, held=held, charged=charged,
                    refunded=refunded)


def test_stars_round_up_and_zero_is_free() -> None:
    assert stars_for(860_000, Decimal(100)) == 86
    assert stars_for(860_001, Decimal(100)) == 87
    assert stars_for(1, Decimal("0.5")) == 1
    assert stars_for(0, Decimal(100)) == 0
    assert stars_for(1_000_000, Decimal("75.5")) == 76


def test_open_job_holds_its_estimate() -> None:
    wanted = target(money(open_=True, held=860_000), JobCredits(), 500, RULES)
    assert wanted == JobCredits(held=86)
    assert rows_to(JobCredits(), wanted)[0].kind is CreditKind.HOLD


def test_accepted_job_charges_the_real_amount_and_releases_the_hold() -> None:
    now = JobCredits(held=86)
    wanted = target(money(open_=True, charged=700_000), now, 414, RULES)
    assert wanted == JobCredits(held=0, charged=70)
    kinds = [(r.kind, r.stars) for r in rows_to(now, wanted)]
    assert kinds == [(CreditKind.RELEASE, 86), (CreditKind.CHARGE, 70)]


def test_a_charge_never_takes_the_balance_below_zero() -> None:
    now = JobCredits(held=86)
    wanted = target(money(open_=True, charged=1_000_000), now, 4, RULES)
    assert wanted.charged == 90  # 86 held + 4 left; the operator carries the other 10


def test_failed_job_is_refunded_by_default_even_if_the_provider_kept_the_money() -> None:
    now = JobCredits(charged=86)
    assert target(money(charged=860_000, error="remote_failed"), now, 0, RULES).refunded == 86
    assert target(money(charged=860_000, error="remote_failed"), now, 0, KEEP).refunded == 0


def test_provider_refund_comes_back_under_either_policy() -> None:
    now = JobCredits(charged=86)
    m = money(charged=860_000, refunded=860_000, error="remote_failed")
    assert target(m, now, 0, KEEP).refunded == 86


def test_cancelled_and_undeliverable_keep_the_charge() -> None:
    now = JobCredits(charged=86)
    assert target(money(cancelled=True, charged=860_000), now, 0, RULES).refunded == 0
    assert target(money(error=UNDELIVERABLE, charged=860_000), now, 0, RULES).refunded == 0


def test_a_job_never_charged_ends_with_nothing() -> None:
    now = JobCredits(held=86)
    wanted = target(money(error="rejected"), now, 0, RULES)
    assert wanted == JobCredits()
    assert [(r.kind, r.stars) for r in rows_to(now, wanted)] == [(CreditKind.RELEASE, 86)]


sums = st.builds(JobCredits, st.integers(0, 300), st.integers(0, 300), st.integers(0, 300))
moneys = st.builds(JobMoney, st.booleans(), st.booleans(),
                   st.sampled_from([None, "remote_failed", UNDELIVERABLE]),
                   st.integers(0, 5_000_000), st.integers(0, 5_000_000),
                   st.integers(0, 5_000_000))


@given(moneys, st.integers(0, 1000), st.sampled_from([RULES, KEEP]))
def test_settling_twice_adds_nothing(m: JobMoney, balance: int, rules: CreditRules) -> None:
    first = target(m, JobCredits(), balance, rules)
    moved = balance - first.net  # the balance after the first settle's rows
    assert target(m, first, moved, rules) == first
    assert first.refunded <= first.charged
    assert moved >= 0


def test_shortfall_says_how_many_stars_are_missing() -> None:
    assert shortfall(860_000, 50, RULES) == 36
    assert shortfall(860_000, 86, RULES) == 0


@pytest.mark.parametrize(("text", "packs"), [
    ("100,500,2000", (100, 500, 2000)), (" 500 ; 100 ", (100, 500)), ("5,5", (5,)),
    ("", None), ("0", None), ("abc", None), ("20000", None), ("-5", None),
])
def test_packs(text: str, packs: tuple[int, ...] | None) -> None:
    assert parse_packs(text) == packs


def test_pre_checkout_checks_pack_price_and_currency() -> None:
    assert check(Checkout(payload(500), "XTR", 500), RULES) is None
    assert check(Checkout(payload(300), "XTR", 300), RULES) is CheckoutError.PACK_GONE
    assert check(Checkout(payload(500), "XTR", 400), RULES) is CheckoutError.PRICE_CHANGED
    assert check(Checkout(payload(500), "USD", 500), RULES) is CheckoutError.NOT_OURS
    assert check(Checkout("something else", "XTR", 500), RULES) is CheckoutError.NOT_OURS
    assert pack_of(Checkout(payload(300), "XTR", 300)) == 300
