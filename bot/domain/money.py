"""Money as integer micro-dollars in storage, Decimal everywhere else. Never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MICROS_PER_USD = Decimal(1_000_000)


def to_micros(amount: Decimal) -> int:
    return int((amount * MICROS_PER_USD).to_integral_value(rounding=ROUND_HALF_UP))


def from_micros(micros: int) -> Decimal:
    return Decimal(micros) / MICROS_PER_USD


def parse_usd(text: str) -> Decimal | None:
    """'2.50' or '$2.50' as a Decimal; None unless it is a finite amount of zero or more."""
    try:
        amount = Decimal(text.strip().removeprefix("$"))
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0:
        return None
    return amount
