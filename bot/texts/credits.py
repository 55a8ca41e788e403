"""Credits bought with Telegram Stars: balance, packs and invoices, the pre-checkout's
refusals, a job's price in Stars, refunds and payment support."""

from __future__ import annotations

from decimal import Decimal

from bot.domain.credits import CheckoutError, JobCredits
from bot.texts.format import escape, usd
from bot.texts.i18n import _, lazy, msg, ngettext

STAR = "⭐"

# Command menu entries with PAYMENTS=stars: (command, description).
PAYMENT_COMMANDS: list[tuple[str, str]] = lazy(lambda: [
    ("balance", _("Your credits (Telegram Stars)")),
    ("buy", _("Buy credits with Telegram Stars")),
    ("paysupport", _("Help with a payment")),
])
ADMIN_PAYMENT_COMMANDS: list[tuple[str, str]] = lazy(lambda: [
    ("refund", _("Refund a Stars payment: /refund <charge id> (bot admins)")),
])


def stars(n: int) -> str:
    return f"{n} {STAR}"


def balance(n: int, stars_per_usd: Decimal) -> str:
    worth = usd(Decimal(n) / stars_per_usd) if stars_per_usd else usd(Decimal(0))
    return ngettext(
        "{star} Your balance: <b>{count}</b> credit (1 credit = 1 Star, about {worth} of "
        "video).\nEach job shows its price in Stars before it starts; a failed job gives its "
        "credits back. /buy for more.",
        "{star} Your balance: <b>{count}</b> credits (1 credit = 1 Star, about {worth} of "
        "video).\nEach job shows its price in Stars before it starts; a failed job gives its "
        "credits back. /buy for more.",
        n,
    ).format(star=STAR, count=n, worth=worth)


def balance_line(n: int) -> str:
    """The line /spend adds when payments are on."""
    return _("Your credits: {amount} (/balance, /buy).").format(amount=stars(n))


BUY_MENU = msg(
    "{star} Buy credits with Telegram Stars: 1 credit = 1 Star, and a job costs the credits "
    "shown on its status message. Choose a pack:",
    star=STAR,
)
BUY_BUTTON = msg("{star} Buy credits", star=STAR)


def pack_button(pack: int) -> str:
    return f"{pack} {STAR}"


def invoice_title(pack: int) -> str:
    return ngettext("{count} credit", "{count} credits", pack).format(count=pack)


def invoice_description(pack: int, stars_per_usd: Decimal) -> str:
    return ngettext(
        "{count} credit for Kling video jobs in this bot (about {worth} of provider spend). "
        "Credits pay for jobs at the price shown before each starts; a failed job gives them "
        "back.",
        "{count} credits for Kling video jobs in this bot (about {worth} of provider spend). "
        "Credits pay for jobs at the price shown before each starts; a failed job gives them "
        "back.",
        pack,
    ).format(count=pack, worth=usd(Decimal(pack) / stars_per_usd))


def unknown_pack(packs: tuple[int, ...]) -> str:
    offered = ", ".join(str(p) for p in packs)
    return _(
        "There is no such pack. Packs on offer: {packs} Stars. Send /buy to choose."
    ).format(packs=offered)


PAYMENTS_OFF_CHECKOUT = msg("This bot no longer takes payments. Nothing was charged.")


def checkout_refused(error: CheckoutError) -> str:
    errors = {
        CheckoutError.NOT_OURS: _(
            "This invoice is not valid here any more. Send /buy for a new one."),
        CheckoutError.PACK_GONE: _(
            "This pack is no longer offered. Send /buy for the current packs."),
        CheckoutError.PRICE_CHANGED: _(
            "This pack's price has changed. Send /buy for a new invoice."),
    }
    return errors[error]


def credited(added: int, now: int) -> str:
    return _("✅ Thank you! {added} added. Your balance: {now}.").format(
        added=stars(added), now=stars(now))


def unfunded(price: int, balance_now: int) -> str:
    return _(
        "💸 Not started: this job costs {price} and your balance is {balance}, so {missing} are "
        "missing. Nothing was charged. Buy credits with /buy, then say it again."
    ).format(price=stars(price), balance=stars(balance_now),
             missing=stars(price - balance_now))


def price_held(n: int) -> str:
    return "\n" + _(
        "Price: {price}, held from your credits until ShortAPI says what it charged."
    ).format(price=stars(n))


def confirm_price(n: int) -> str:
    return "\n" + _("In credits: {price}.").format(price=stars(n))


def price_charged(n: int) -> str:
    return "\n" + _("Charged {price} from your credits.").format(price=stars(n))


def credits_after_failure(credits: JobCredits | None) -> str:
    """What a job that ended without a clip did to the asker's credits."""
    if credits is None or not credits.charged:
        return ""
    back = credits.refunded
    if back >= credits.charged:
        return "\n" + _("{star} Your {amount} are back in your credits.").format(
            star=STAR, amount=stars(back))
    kept = credits.charged - back
    return "\n" + _("{star} {amount} stay charged: ShortAPI charged for this job.").format(
        star=STAR, amount=stars(kept))


def paysupport(recent: list[tuple[str, int, bool]]) -> str:
    """Telegram asks bots that take payments to answer /paysupport."""
    lines = [
        _("<b>Payment support</b>"),
        _("Stars you pay here buy credits for this bot's video jobs (digital goods, used in "
          "this bot only). A job that fails gives its credits back by itself."),
        _("For a problem with a payment, write <code>/paysupport</code> followed by what "
          "happened: the bot's admins get your message and can refund a payment's unspent "
          "credits. Telegram's own support cannot help with purchases made in bots."),
    ]
    if recent:
        lines.append("\n" + _("<b>Your latest payments</b> (charge id, Stars):"))
        refunded_mark = _(" (refunded)")
        lines.extend(
            f"<code>{escape(charge)}</code>: {n}{refunded_mark if refunded else ''}"
            for charge, n, refunded in recent
        )
    return "\n".join(lines)


SUPPORT_SENT = msg("Sent to the bot's admins. They will answer you here.")
SUPPORT_NOBODY = msg("This bot has no admins set to receive payment questions, sorry.")


def support_request(who: str, user_id: int, question: str) -> str:
    return _("💬 Payment support from {who} (id {id}):\n{question}").format(
        who=escape(who), id=user_id, question=escape(question))


REFUND_USAGE = msg("Usage: <code>/refund CHARGE_ID</code> (the charge id is in /paysupport).")
REFUND_UNKNOWN = msg("No payment with that charge id is recorded here.")
REFUND_TELEGRAM_REFUSED = msg(
    "Telegram did not refund that payment (see the log). Nothing changed here."
)


def refund_done(paid: int, removed: int, user: str, again: bool) -> str:
    if again:
        return _("That payment of {paid} was refunded before; nothing more changed.").format(
            paid=stars(paid))
    text = _("↩️ Refunded {paid} to {user}; {removed} removed from their credits.").format(
        paid=stars(paid), user=escape(user), removed=stars(removed))
    if removed < paid:
        text += " " + _(
            "Partial: only {removed} of its {paid} credits were unspent, the other {spent} "
            "already paid for jobs."
        ).format(removed=removed, paid=paid, spent=paid - removed)
    return text


def refunded_to_user(paid: int, removed: int) -> str:
    return _("↩️ Your payment of {paid} was refunded; {removed} left your credits.").format(
        paid=stars(paid), removed=stars(removed))


def credit_stats(month: dict[str, int], outstanding: int,
                 largest: list[tuple[str, int]]) -> str:
    """The /stats section with PAYMENTS=stars (Stars)."""
    def of(kind: str) -> int:
        return month.get(kind, 0)

    lines = [
        "\n" + _("<b>Credits this month</b> (Stars)"),
        _("Bought: {bought}, refunded to buyers: {refunded}").format(
            bought=of("purchase"), refunded=of("purchase_refund")),
        _("Charged for jobs: {charged}, given back for failed jobs: {back}").format(
            charged=of("charge"), back=of("refund")),
        "\n" + _("<b>Credits held by users now</b>: {count}").format(count=outstanding),
    ]
    lines.extend(f"{escape(name)}: {n}" for name, n in largest)
    return "\n".join(lines)


CREDITS_EXPORT_CAPTION = msg(
    "Credits as CSV: one row per purchase, refund of a purchase, hold, release, charge and "
    "refund, in Stars."
)
