"""Money in the chat: budget refusals, /spend, /budget, /stats and /export."""

from __future__ import annotations

from decimal import Decimal

from bot.domain.budget import NO_LIMIT, Limits, Refusal, Scope
from bot.domain.money import from_micros
from bot.domain.submission_rate import TooMany
from bot.texts.format import escape, usd, when
from bot.texts.i18n import _, msg, ngettext


def scope_label(scope: Scope) -> str:
    """'your daily budget', "this chat's monthly budget", ..."""
    labels = {
        Scope.USER_DAILY: _("your daily budget"),
        Scope.USER_MONTHLY: _("your monthly budget"),
        Scope.CHAT_DAILY: _("this chat's daily budget"),
        Scope.CHAT_MONTHLY: _("this chat's monthly budget"),
        Scope.GLOBAL_MONTHLY: _("the bot's overall monthly budget"),
    }
    return labels[scope]


def budget_refused(refusal: Refusal, estimate: Decimal) -> str:
    return _(
        "💸 Not started: this would cost about {cost}, but {budget} of {limit} has {left} left. "
        "It resets {resets}. Nothing was charged. A cheaper option: say <i>standard</i> or a "
        "shorter duration."
    ).format(cost=usd(estimate), budget=scope_label(refusal.scope),
             limit=usd(from_micros(refusal.limit)), left=usd(from_micros(refusal.left)),
             resets=when(refusal.resets_at))


def too_many_jobs(too_many: TooMany) -> str:
    return ngettext(
        "⏳ Not started: you have started {count} job in the last hour, the most this bot "
        "allows. The next one fits at {when}. Nothing was charged.",
        "⏳ Not started: you have started {count} jobs in the last hour, the most this bot "
        "allows. The next one fits at {when}. Nothing was charged.",
        too_many.limit,
    ).format(count=too_many.limit, when=when(too_many.retry_at))


def spend_report(
    used: dict[Scope, Decimal], left: dict[Scope, Decimal | None], group: bool
) -> str:
    def spent(daily: Scope, monthly: Scope) -> dict[str, str]:
        def leftover(scope: Scope) -> str:
            value = left.get(scope)
            return "" if value is None else _(" ({amount} left)").format(amount=usd(value))

        return {"today": usd(used[daily]), "today_left": leftover(daily),
                "month": usd(used[monthly]), "month_left": leftover(monthly)}

    lines = [_("You: {today} today{today_left}, {month} this month{month_left}.").format(
        **spent(Scope.USER_DAILY, Scope.USER_MONTHLY))]
    if group:
        lines.append(_(
            "This chat: {today} today{today_left}, {month} this month{month_left}."
        ).format(**spent(Scope.CHAT_DAILY, Scope.CHAT_MONTHLY)))
    overall = left.get(Scope.GLOBAL_MONTHLY)
    if overall is not None:
        lines.append(_("The bot overall has {amount} left this month.").format(
            amount=usd(overall)))
    lines.append(_(
        "Spend counts what ShortAPI charged minus refunds, plus jobs still running. "
        "Days and months are UTC."
    ))
    return "\n".join(lines)


ADMINS_ONLY = msg("Only the bot's admins can use this command.")
CHAT_ADMINS_ONLY = msg("Only this chat's admins can change its budgets.")


def _amount(value: int | None) -> str:
    return _("no limit") if value is None else usd(from_micros(value))


def budget_show(limits: Limits, confirm_above: Decimal | None, defaults: Limits) -> str:
    lines = [_("<b>Budgets for this chat</b>")]
    for scope in Scope:
        current, default = limits.of(scope), defaults.of(scope)
        note = "" if current == default else _(" (operator default: {amount})").format(
            amount=_amount(default))
        lines.append(f"<code>{scope.value}</code>: {_amount(current)}{note}")
    lines.append(
        _("<code>confirm</code>: never ask") if confirm_above is None
        else _("<code>confirm</code>: ask before jobs over {amount}").format(
            amount=usd(confirm_above))
    )
    lines.append(_(
        "Change one: <code>/budget user_daily 2.50</code>, <code>/budget chat_monthly off</code>, "
        "<code>/budget confirm 0.50</code>, <code>/budget user_daily default</code>. "
        "Chat admins may only lower the operator's limits; the global cap is set by the operator."
    ))
    return "\n".join(lines)


BUDGET_USAGE = msg(
    "Usage: <code>/budget NAME AMOUNT</code>, where NAME is one of user_daily, user_monthly, "
    "chat_daily, chat_monthly or confirm, and AMOUNT is like 2.50, <code>off</code> (no limit) "
    "or <code>default</code>."
)


def budget_above_default(name: str, default: Decimal) -> str:
    return _(
        "Chat admins can only lower {name} below the operator's {amount}. "
        "Ask the bot's operator to raise it."
    ).format(name=name, amount=usd(default))


def budget_value(micros: int | None) -> str:
    """How a new budget value is said back: '$2.50', 'no limit', "the operator's default"."""
    if micros is None:
        return _("the operator's default")
    if micros == NO_LIMIT:
        return _("no limit")
    return f"${from_micros(micros):.2f}"


def budget_set(name: str, value: str) -> str:
    return _("Done: {name} is now {value} for this chat.").format(name=name, value=value)


def _stats_title(title: str) -> str:
    titles = {"chat": _("chat"), "user": _("user"), "model": _("model")}
    return titles.get(title, title)


def _count_name(name: str) -> str:
    names = {"succeeded": _("succeeded"), "failed": _("failed"), "refunded": _("refunded"),
             "cancelled": _("cancelled"), "lost": _("lost"), "open": _("open")}
    return names.get(name, name)


def stats(rows_by: dict[str, list[tuple[str, Decimal]]], counts: dict[str, int]) -> str:
    lines = [_("<b>Spend this month</b> (charged minus refunded)")]
    for title, rows in rows_by.items():
        lines.append("\n" + _("<b>By {what}</b>").format(what=_stats_title(title)))
        lines.extend(f"{escape(name)}: {usd(amount)}" for name, amount in rows[:15])
        if not rows:
            lines.append(_("nothing yet"))
    lines.append("\n" + _("<b>Jobs (all time)</b>"))
    lines.append(", ".join(f"{_count_name(name)}: {n}" for name, n in counts.items()))
    return "\n".join(lines)


EXPORT_CAPTION = msg("The ledger as CSV: one row per reserve, release, charge and refund.")
