from datetime import UTC, datetime

from bot.domain.budget import Limits, Scope, Usage, check, next_reset, period_starts, remaining
from bot.texts.money import scope_label

NOW = datetime(2026, 11, 22, 15, 30, tzinfo=UTC)


def test_no_limits_never_refuse() -> None:
    assert check(10**12, Limits(), Usage(), NOW) is None


def test_the_tightest_broken_budget_is_named() -> None:
    limits = Limits(user_daily=1_000_000, chat_monthly=5_000_000)
    usage = Usage(user_daily=900_000, chat_monthly=4_950_000)
    refusal = check(200_000, limits, usage, NOW)
    assert refusal is not None
    assert refusal.scope is Scope.CHAT_MONTHLY and refusal.left == 50_000
    assert refusal.resets_at == datetime(2026, 12, 1, tzinfo=UTC)


def test_exactly_fitting_is_allowed() -> None:
    assert check(100, Limits(user_daily=1000), Usage(user_daily=900), NOW) is None
    assert check(101, Limits(user_daily=1000), Usage(user_daily=900), NOW) is not None


def test_resets() -> None:
    assert next_reset(Scope.USER_DAILY, NOW) == datetime(2026, 11, 23, tzinfo=UTC)
    december = datetime(2026, 12, 31, 23, 59, tzinfo=UTC)
    assert next_reset(Scope.GLOBAL_MONTHLY, december) == datetime(2027, 1, 1, tzinfo=UTC)
    day, month = period_starts(NOW)
    assert day == datetime(2026, 11, 22, tzinfo=UTC) and month == datetime(2026, 11, 1, tzinfo=UTC)


def test_remaining_never_negative() -> None:
    left = remaining(Limits(user_daily=1000), Usage(user_daily=1500))
    assert left[Scope.USER_DAILY] == 0 and left[Scope.CHAT_DAILY] is None


def test_labels_say_whose_budget() -> None:
    assert scope_label(Scope.USER_DAILY) == "your daily budget"
    assert scope_label(Scope.GLOBAL_MONTHLY) == "the bot's overall monthly budget"
