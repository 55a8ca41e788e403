"""Budgets: which limit a new estimate would break, and when it resets. Pure; micro-dollars.

A limit of None means no limit. Usage counts money spent (charged minus refunded) plus money
still reserved for open jobs, so concurrent jobs cannot together overshoot a budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum


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

    @property
    def label(self) -> str:
        who = {"user": "your", "chat": "this chat's", "global": "the bot's overall"}[
            self.value.split("_")[0]
        ]
        return f"{who} {'monthly' if self.monthly else 'daily'} budget"


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
