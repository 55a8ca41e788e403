"""The per-user limit on job submissions (MAX_JOBS_PER_USER_PER_HOUR). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

WINDOW_SECONDS = 3600.0


@dataclass(frozen=True)
class TooMany:
    """The user has submitted `limit` jobs in the last hour; another fits at `retry_at`."""

    limit: int
    retry_at: datetime


def check(limit: int, recent: list[float], now: float) -> TooMany | None:
    """`recent`: when the user's jobs of the last hour were created, oldest first. A limit of
    0 (or less) is no limit."""
    if limit <= 0 or len(recent) < limit:
        return None
    # The slot frees when the oldest of the newest `limit` jobs leaves the window.
    frees_at = max(recent[len(recent) - limit] + WINDOW_SECONDS, now)
    return TooMany(limit=limit, retry_at=datetime.fromtimestamp(frees_at, UTC))


def window_start(now: float) -> float:
    return now - WINDOW_SECONDS
