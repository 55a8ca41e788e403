"""Budgets: which limit a new estimate would break, and when it resets. Pure; micro-dollars.

A limit of None means no limit. Usage counts money spent (charged minus refunded) plus money
still reserved for open jobs, so concurrent jobs cannot together overshoot a budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum

from bot.domain.money import parse_usd, to_micros


class Scope(str, Enum):
    """One budget. The string is how `/budget` names it."""

    USER_DAILY = "user_daily"
    USER_MONTHLY = "user_monthly"
    CHAT_DAILY = "chat_daily"
    CHAT_MONTHLY = "chat_monthly"
    GLOBAL_MONTHLY = "global_monthly"

    @property
    def monthly(self) -> bool:
        return self.value.endswith("monthly")



@dataclass(frozen=True)
class Limits:
    """The limit of each scope in micro-dollars; None is no limit."""

    user_daily: int | None = None
    user_monthly: int | None = None
    chat_daily: int | None = None
    chat_monthly: int | None = None
    global_monthly: int | None = None

    def of(self, scope: Scope) -> int | None:
        value: int | None = getattr(self, scope.value)
        return value


@dataclass(frozen=True)
class Usage:
    """Spent plus held, in micro-dollars, in each scope's current period."""

    user_daily: int = 0
    user_monthly: int = 0
    chat_daily: int = 0
    chat_monthly: int = 0
    global_monthly: int = 0

    def of(self, scope: Scope) -> int:
        value: int = getattr(self, scope.value)
        return value


@dataclass(frozen=True)
class Refusal:
    scope: Scope
    limit: int
    used: int
    resets_at: datetime

    @property
    def left(self) -> int:
        return max(self.limit - self.used, 0)


def period_starts(now: datetime) -> tuple[datetime, datetime]:
    """Start of the current UTC day and month."""
    day = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return day, day.replace(day=1)


def next_reset(scope: Scope, now: datetime) -> datetime:
    day, month = period_starts(now)
    if not scope.monthly:
        return datetime.fromtimestamp(day.timestamp() + 86_400, UTC)
    if month.month == 12:
        return month.replace(year=month.year + 1, month=1)
    return month.replace(month=month.month + 1)


def check(estimate: int, limits: Limits, usage: Usage, now: datetime) -> Refusal | None:
    """The first budget (tightest room first) that `estimate` would exceed, or None."""
    refusals = [
        Refusal(scope, limit, usage.of(scope), next_reset(scope, now))
        for scope in Scope
        if (limit := limits.of(scope)) is not None and usage.of(scope) + estimate > limit
    ]
    return min(refusals, key=lambda r: r.left) if refusals else None


def remaining(limits: Limits, usage: Usage) -> dict[Scope, int | None]:
    """What is left of each budget; None where there is no limit."""
    return {
        scope: (None if (limit := limits.of(scope)) is None else max(limit - usage.of(scope), 0))
        for scope in Scope
    }


# What a chat may change with /budget, and the policy for who may change it how.
NO_LIMIT = -1  # stored override meaning "no limit here", distinct from NULL ("use default")
OVERRIDABLE = (Scope.USER_DAILY, Scope.USER_MONTHLY, Scope.CHAT_DAILY, Scope.CHAT_MONTHLY)
CONFIRM_ABOVE = "confirm_above"  # the chat's confirmation threshold; "confirm" in /budget
_NO_LIMIT_WORDS = frozenset({"off", "none", "unlimited"})


@dataclass(frozen=True)
class BudgetChange:
    """One /budget change: `name` is a Scope value or CONFIRM_ABOVE; `micros` None means back
    to the operator's default, NO_LIMIT means none (for CONFIRM_ABOVE: never ask)."""

    name: str
    micros: int | None


def parse_change(name: str, value: str) -> BudgetChange | None:
    """`/budget NAME AMOUNT` read; None when either word is not one /budget takes."""
    key = CONFIRM_ABOVE if name.lower() == "confirm" else name.lower()
    if key not in {s.value for s in OVERRIDABLE} | {CONFIRM_ABOVE}:
        return None
    word = value.lower().removeprefix("$")
    if word == "default":
        return BudgetChange(key, None)
    if word in _NO_LIMIT_WORDS:
        return BudgetChange(key, NO_LIMIT)
    amount = parse_usd(word)
    return None if amount is None else BudgetChange(key, to_micros(amount))


def above_default(change: BudgetChange, defaults: Limits) -> int | None:
    """The operator's limit this change would raise, if it would: chat admins may only lower
    limits (the bot's admins may do anything, so they are not asked)."""
    if change.name == CONFIRM_ABOVE or change.micros is None:
        return None
    default = defaults.of(Scope(change.name))
    if default is not None and (change.micros == NO_LIMIT or change.micros > default):
        return default
    return None
