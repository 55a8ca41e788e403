"""Money in the chat: budget refusals, /spend, /budget, /stats and /export."""

from __future__ import annotations

from decimal import Decimal

from bot.domain.budget import NO_LIMIT, Limits, Refusal, Scope
from bot.domain.money import from_micros
from bot.domain.submission_rate import TooMany
from bot.texts.format import escape, usd, when

_WHOSE = {"user": "your", "chat": "this chat's", "global": "the bot's overall"}


def scope_label(scope: Scope) -> str:
    """'your daily budget', "this chat's monthly budget", ..."""
    who = _WHOSE[scope.value.split("_")[0]]
    return f"{who} {'monthly' if scope.monthly else 'daily'} budget"


def budget_refused(refusal: Refusal, estimate: Decimal) -> str:
    left = usd(from_micros(refusal.left))
    return (
        f"💸 Not started: this would cost about {usd(estimate)}, but {scope_label(refusal.scope)} "
        f"of {usd(from_micros(refusal.limit))} has {left} left. It resets "
        f"{when(refusal.resets_at)}. Nothing was charged. A cheaper option: say "
        "<i>standard</i> or a shorter duration."
    )


def too_many_jobs(too_many: TooMany) -> str:
    return (
        f"⏳ Not started: you have started {too_many.limit} jobs in the last hour, the most "
        f"this bot allows. The next one fits at {when(too_many.retry_at)}. Nothing was charged."
    )


def spend_report(
    used: dict[Scope, Decimal], left: dict[Scope, Decimal | None], group: bool
) -> str:
    def leftover(scope: Scope) -> str:
        value = left.get(scope)
        return "" if value is None else f" ({usd(value)} left)"

    def line(who: str, daily: Scope, monthly: Scope) -> str:
        return (
            f"{who}: {usd(used[daily])} today{leftover(daily)}, "
            f"{usd(used[monthly])} this month{leftover(monthly)}."
        )

    lines = [line("You", Scope.USER_DAILY, Scope.USER_MONTHLY)]
    if group:
        lines.append(line("This chat", Scope.CHAT_DAILY, Scope.CHAT_MONTHLY))
    overall = left.get(Scope.GLOBAL_MONTHLY)
    if overall is not None:
        lines.append(f"The bot overall has {usd(overall)} left this month.")
    lines.append(
        "Spend counts what ShortAPI charged minus refunds, plus jobs still running. "
        "Days and months are UTC."
    )
    return "\n".join(lines)


ADMINS_ONLY = "Only the bot's admins can use this command."
CHAT_ADMINS_ONLY = "Only this chat's admins can change its budgets."


def _amount(value: int | None) -> str:
    return "no limit" if value is None else usd(from_micros(value))


def budget_show(limits: Limits, confirm_above: Decimal | None, defaults: Limits) -> str:
    lines = ["<b>Budgets for this chat</b>"]
    for scope in Scope:
        current, default = limits.of(scope), defaults.of(scope)
        note = "" if current == default else f" (operator default: {_amount(default)})"
        lines.append(f"<code>{scope.value}</code>: {_amount(current)}{note}")
    lines.append(
        "<code>confirm</code>: never ask" if confirm_above is None
        else f"<code>confirm</code>: ask before jobs over {usd(confirm_above)}"
    )
    lines.append(
        "Change one: <code>/budget user_daily 2.50</code>, <code>/budget chat_monthly off</code>, "
        "<code>/budget confirm 0.50</code>, <code>/budget user_daily default</code>. "
        "Chat admins may only lower the operator's limits; the global cap is set by the operator."
    )
    return "\n".join(lines)


BUDGET_USAGE = (
    "Usage: <code>/budget NAME AMOUNT</code>, where NAME is one of user_daily, user_monthly, "
    "chat_daily, chat_monthly or confirm, and AMOUNT is like 2.50, <code>off</code> (no limit) "
    "or <code>default</code>."
)


def budget_above_default(name: str, default: Decimal) -> str:
    return (
        f"Chat admins can only lower {name} below the operator's {usd(default)}. "
        "Ask the bot's operator to raise it."
    )


def budget_value(micros: int | None) -> str:
    """How a new budget value is said back: '$2.50', 'no limit', "the operator's default"."""
    if micros is None:
        return "the operator's default"
    if micros == NO_LIMIT:
        return "no limit"
    return f"${from_micros(micros):.2f}"


def budget_set(name: str, value: str) -> str:
    return f"Done: {name} is now {value} for this chat."


def stats(rows_by: dict[str, list[tuple[str, Decimal]]], counts: dict[str, int]) -> str:
    lines = ["<b>Spend this month</b> (charged minus refunded)"]
    for title, rows in rows_by.items():
        lines.append(f"\n<b>By {title}</b>")
        lines.extend(f"{escape(name)}: {usd(amount)}" for name, amount in rows[:15])
        if not rows:
            lines.append("nothing yet")
    lines.append("\n<b>Jobs (all time)</b>")
    lines.append(", ".join(f"{name}: {n}" for name, n in counts.items()))
    return "\n".join(lines)


EXPORT_CAPTION = "The ledger as CSV: one row per reserve, release, charge and refund."
