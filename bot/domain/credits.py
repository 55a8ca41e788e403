"""Prepaid credits in whole Telegram Stars: prices, what a job's credit rows must sum to, packs
and invoice payloads. Pure: the engine reads the sums, this decides, the store appends.

A user's balance is purchases - purchase refunds - charges + job refunds - (holds - releases).
A job holds its estimate while it is open; when the provider says what it charged, the hold
is released and that amount is charged (never more than the user has: the operator carries
the rest); a failed job's charge comes back per the operator's policy.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

CURRENCY = "XTR"  # Telegram Stars
MICROS_PER_USD = 1_000_000
MAX_PACK = 10_000  # Telegram's upper bound for one Stars invoice
UNDELIVERABLE = "undeliverable"  # the job error of a clip made for a chat that is gone
_PAYLOAD = re.compile(r"^credits:(\d{1,6})$")


class CreditKind(str, Enum):
    """One row of the credits table. The string is what is stored."""

    PURCHASE = "purchase"  # Stars paid for a pack, credited once per Telegram charge id
    PURCHASE_REFUND = "purchase_refund"  # unspent credits removed when a payment was refunded
    HOLD = "hold"  # a job's estimate, kept aside while the job is open
    RELEASE = "release"  # the hold given back
    CHARGE = "charge"  # what the job cost, at the operator's rate
    REFUND = "refund"  # a failed job's charge given back


class RefundPolicy(str, Enum):
    """What a failed job the provider charged for costs the user."""

    ALWAYS = "always"  # the user got nothing: their credits come back, the operator pays
    IF_PROVIDER_REFUNDED = "if_provider_refunded"  # only what the provider gave back


@dataclass(frozen=True)
class CreditRules:
    """The operator's settings for charging users."""

    stars_per_usd: Decimal
    packs: tuple[int, ...]
    refund_failed: RefundPolicy = RefundPolicy.ALWAYS

    def stars(self, micros: int) -> int:
        return stars_for(micros, self.stars_per_usd)


def stars_for(micros: int, stars_per_usd: Decimal) -> int:
    """Whole Stars for an amount in micro-dollars, rounded up (a fraction of a Star is one)."""
    if micros <= 0:
        return 0
    exact = Decimal(micros) * stars_per_usd / MICROS_PER_USD
    return math.ceil(exact)


@dataclass(frozen=True)
class JobMoney:
    """What the money ledger says about one job (micro-dollars) and how it ended."""

    open: bool
    cancelled: bool
    error: str | None
    held: int  # reserve - release
    charged: int  # sum of charges
    refunded: int  # sum of the provider's refunds


@dataclass(frozen=True)
class JobCredits:
    """A job's credit sums, in Stars."""

    held: int = 0  # hold - release
    charged: int = 0
    refunded: int = 0

    @property
    def net(self) -> int:
        """What the job takes from the balance now."""
        return self.held + self.charged - self.refunded


def target(money: JobMoney, now: JobCredits, balance: int, rules: CreditRules) -> JobCredits:
    """The credit sums the job should have. `balance` is the user's balance now (this job's
    rows included). Charges and refunds only grow, so appending the difference is idempotent."""
    others = max(balance + now.net, 0)  # the balance without this job: the most it may take
    held = min(rules.stars(money.held), others) if money.open else 0
    charged = max(now.charged, min(rules.stars(money.charged), others - held))
    refunded = max(now.refunded, min(_refund(money, charged, rules), charged))
    return JobCredits(held=held, charged=charged, refunded=refunded)


def _refund(money: JobMoney, charged: int, rules: CreditRules) -> int:
    if money.charged and money.refunded >= money.charged:
        return charged  # the provider gave it all back
    if _failed(money) and rules.refund_failed is RefundPolicy.ALWAYS:
        return charged
    return rules.stars(money.refunded)


def _failed(money: JobMoney) -> bool:
    """Ended without a clip through no choice of the user's (a stop keeps the charge; so does
    a clip made for a chat that blocked the bot)."""
    return not money.open and not money.cancelled and money.error != UNDELIVERABLE


@dataclass(frozen=True)
class Payment:
    """A Stars payment as recorded."""

    charge_id: str
    user_id: int
    chat_id: int | None
    stars: int
    pack: int
    created_at: float
    refunded: int | None  # credits removed when it was refunded; None: not refunded


@dataclass(frozen=True)
class Row:
    kind: CreditKind
    stars: int


def rows_to(now: JobCredits, wanted: JobCredits) -> list[Row]:
    """The rows that move a job's sums from `now` to `wanted` (none when they match)."""
    rows: list[Row] = []
    if wanted.held > now.held:
        rows.append(Row(CreditKind.HOLD, wanted.held - now.held))
    elif wanted.held < now.held:
        rows.append(Row(CreditKind.RELEASE, now.held - wanted.held))
    if wanted.charged > now.charged:
        rows.append(Row(CreditKind.CHARGE, wanted.charged - now.charged))
    if wanted.refunded > now.refunded:
        rows.append(Row(CreditKind.REFUND, wanted.refunded - now.refunded))
    return rows


def shortfall(estimate_micros: int, balance: int, rules: CreditRules) -> int:
    """Stars missing for a job of this estimate (0: the balance covers it)."""
    return max(rules.stars(estimate_micros) - balance, 0)


def parse_packs(text: str) -> tuple[int, ...] | None:
    """'100,500,2000' as sorted distinct packs; None unless each is 1..MAX_PACK Stars."""
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    if not parts or not all(p.isdigit() for p in parts):
        return None
    packs = sorted({int(p) for p in parts})
    if not all(1 <= p <= MAX_PACK for p in packs):
        return None
    return tuple(packs)


def payload(pack: int) -> str:
    """The invoice payload for a pack: all a pre-checkout needs to check it is current."""
    return f"credits:{pack}"


@dataclass(frozen=True)
class Checkout:
    """A pre-checkout query or a successful payment, as Telegram describes it."""

    payload: str
    currency: str
    total: int


class CheckoutError(str, Enum):
    """Why a pre-checkout is refused. Each has its own text."""

    NOT_OURS = "not_ours"  # not an invoice of this bot's credit packs
    PACK_GONE = "pack_gone"  # the operator no longer offers this pack
    PRICE_CHANGED = "price_changed"  # the amount is not the pack's price


def pack_of(checkout: Checkout) -> int | None:
    """The pack an invoice was for, whether or not it is still offered."""
    found = _PAYLOAD.match(checkout.payload)
    return int(found.group(1)) if found else None


def check(checkout: Checkout, rules: CreditRules) -> CheckoutError | None:
    """None when the invoice is for a current pack at its price, in Stars."""
    pack = pack_of(checkout)
    if pack is None or checkout.currency != CURRENCY:
        return CheckoutError.NOT_OURS
    if pack not in rules.packs:
        return CheckoutError.PACK_GONE
    if checkout.total != pack:
        return CheckoutError.PRICE_CHANGED
    return None
