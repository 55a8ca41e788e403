"""MAX_JOBS_PER_USER_PER_HOUR: when the limit applies and when the next job fits."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.submission_rate import WINDOW_SECONDS, check, window_start

NOW = 1_800_000_000.0


def test_under_the_limit_or_no_limit_is_fine() -> None:
    assert check(3, [NOW - 10, NOW - 5], NOW) is None
    assert check(0, [NOW - 1] * 100, NOW) is None


def test_at_the_limit_the_next_fits_when_the_oldest_counted_leaves_the_hour() -> None:
    recent = [NOW - 3000, NOW - 2000, NOW - 100]
    too_many = check(2, recent, NOW)
    assert too_many is not None and too_many.limit == 2
    assert too_many.retry_at == datetime.fromtimestamp(NOW - 2000 + WINDOW_SECONDS, UTC)


def test_the_window_is_one_hour() -> None:
    assert window_start(NOW) == NOW - 3600
