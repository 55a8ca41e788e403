"""Credits bought with Telegram Stars: balance, packs and invoices, the pre-checkout's
refusals, a job's price in Stars, refunds and payment support."""

from __future__ import annotations

from decimal import Decimal

from bot.domain.credits import CheckoutError, JobCredits
from bot.texts.format import escape, usd

STAR = "⭐"

# Command menu entries with PAYMENTS=stars: (command, description).
PAYMENT_COMMANDS = [
    ("balance", "Your credits (Telegram Stars)"),
    ("buy", "Buy credits with Telegram Stars"),
    ("paysupport", "Help with a payment"),
]
ADMIN_PAYMENT_COMMANDS = [("refund", "Refund a Stars payment: /refund <charge id> (bot admins)")]


def stars(n: int) -> str:
    return f"{n} {STAR}"


def balance(n: int, stars_per_usd: Decimal) -> str:
    worth = usd(Decimal(n) / stars_per_usd) if stars_per_usd else usd(Decimal(0))
    return (
        f"{STAR} Your balance: <b>{n}</b> credits (1 credit = 1 Star, about {worth} of video).\n"
        "Each job shows its price in Stars before it starts; a failed job gives its credits "
        "back. /buy for more."
    )


def balance_line(n: int) -> str:
    """The line /spend adds when payments are on."""
    return f"Your credits: {stars(n)} (/balance, /buy)."


BUY_MENU = (
    f"{STAR} Buy credits with Telegram Stars: 1 credit = 1 Star, and a job costs the credits "
    "shown on its status message. Choose a pack:"
)
BUY_BUTTON = f"{STAR} Buy credits"


def pack_button(pack: int) -> str:
    return f"{pack} {STAR}"


def invoice_title(pack: int) -> str:
    return f"{pack} credits"


def invoice_description(pack: int, stars_per_usd: Decimal) -> str:
    return (
        f"{pack} credits for Kling video jobs in this bot (about "
        f"{usd(Decimal(pack) / stars_per_usd)} of provider spend). Credits pay for jobs at the "
        "price shown before each starts; a failed job gives them back."
    )


def unknown_pack(packs: tuple[int, ...]) -> str:
    offered = ", ".join(str(p) for p in packs)
    return f"There is no such pack. Packs on offer: {offered} Stars. Send /buy to choose."


_CHECKOUT_ERRORS = {
    CheckoutError.NOT_OURS: "This invoice is not valid here any more. Send /buy for a new one.",
    CheckoutError.PACK_GONE: "This pack is no longer offered. Send /buy for the current packs.",
    CheckoutError.PRICE_CHANGED: "This pack's price has changed. Send /buy for a new invoice.",
}
PAYMENTS_OFF_CHECKOUT = "This bot no longer takes payments. Nothing was charged."


def checkout_refused(error: CheckoutError) -> str:
    return _CHECKOUT_ERRORS[error]


def credited(added: int, now: int) -> str:
    return f"✅ Thank you! {stars(added)} added. Your balance: {stars(now)}."


def unfunded(price: int, balance_now: int) -> str:
    return (
        f"💸 Not started: this job costs {stars(price)} and your balance is "
        f"{stars(balance_now)}, so {stars(price - balance_now)} are missing. Nothing was "
        "charged. Buy credits with /buy, then say it again."
    )


def price_held(n: int) -> str:
    return f"\nPrice: {stars(n)}, held from your credits until ShortAPI says what it charged."


def confirm_price(n: int) -> str:
    return f"\nIn credits: {stars(n)}."


def price_charged(n: int) -> str:
    return f"\nCharged {stars(n)} from your credits."


def credits_after_failure(credits: JobCredits | None) -> str:
    """What a job that ended without a clip did to the asker's credits."""
    if credits is None or not credits.charged:
        return ""
    back = credits.refunded
    if back >= credits.charged:
        return f"\n{STAR} Your {stars(back)} are back in your credits."
    kept = credits.charged - back
    return f"\n{STAR} {stars(kept)} stay charged: ShortAPI charged for this job."


def paysupport(recent: list[tuple[str, int, bool]]) -> str:
    """Telegram asks bots that take payments to answer /paysupport."""
    lines = [
        "<b>Payment support</b>",
        "Stars you pay here buy credits for this bot's video jobs (digital goods, used in "
        "this bot only). A job that fails gives its credits back by itself.",
        "For a problem with a payment, write <code>/paysupport</code> followed by what "
        "happened: the bot's admins get your message and can refund a payment's unspent "
        "credits. Telegram's own support cannot help with purchases made in bots.",
    ]
    if recent:
        lines.append("\n<b>Your latest payments</b> (charge id, Stars):")
        lines.extend(
            f"<code>{escape(charge)}</code>: {n}{' (refunded)' if refunded else ''}"
            for charge, n, refunded in recent
        )
    return "\n".join(lines)


SUPPORT_SENT = "Sent to the bot's admins. They will answer you here."
SUPPORT_NOBODY = "This bot has no admins set to receive payment questions, sorry."


def support_request(who: str, user_id: int, question: str) -> str:
    return f"💬 Payment support from {escape(who)} (id {user_id}):\n{escape(question)}"


REFUND_USAGE = "Usage: <code>/refund CHARGE_ID</code> (the charge id is in /paysupport)."
REFUND_UNKNOWN = "No payment with that charge id is recorded here."
REFUND_TELEGRAM_REFUSED = (
    "Telegram did not refund that payment (see the log). Nothing changed here."
)


def refund_done(paid: int, removed: int, user: str, again: bool) -> str:
    if again:
        return f"That payment of {stars(paid)} was refunded before; nothing more changed."
    text = f"↩️ Refunded {stars(paid)} to {escape(user)}; {stars(removed)} removed from " \
           "their credits."
    if removed < paid:
        text += (f" Partial: only {removed} of its {paid} credits were unspent, the other "
                 f"{paid - removed} already paid for jobs.")
    return text


def refunded_to_user(paid: int, removed: int) -> str:
    return f"↩️ Your payment of {stars(paid)} was refunded; {stars(removed)} left your credits."


def credit_stats(month: dict[str, int], outstanding: int,
                 largest: list[tuple[str, int]]) -> str:
    """The /stats section with PAYMENTS=stars (Stars)."""
    def of(kind: str) -> int:
        return month.get(kind, 0)

    lines = [
        "\n<b>Credits this month</b> (Stars)",
        f"Bought: {of('purchase')}, refunded to buyers: {of('purchase_refund')}",
        f"Charged for jobs: {of('charge')}, given back for failed jobs: {of('refund')}",
        f"\n<b>Credits held by users now</b>: {outstanding}",
    ]
    lines.extend(f"{escape(name)}: {n}" for name, n in largest)
    return "\n".join(lines)


CREDITS_EXPORT_CAPTION = (
    "Credits as CSV: one row per purchase, refund of a purchase, hold, release, charge and "
    "refund, in Stars."
)
