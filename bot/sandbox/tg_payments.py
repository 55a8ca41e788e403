"""Payments in Telegram Stars on the fake Bot API: invoices, the pre-checkout query with its
10-second answer window, successful payments and refunds.

A user pays an invoice (`pay`): the server sends the bot a `pre_checkout_query`; an answer
with ok=true within `window` seconds completes the payment, and a `successful_payment`
message arrives in the invoice's chat. A late, repeated or unknown answer gets Telegram's
own error. Handlers run with the world's lock held (see tg_server.dispatch).
"""

from __future__ import annotations

import copy
import secrets
import time
from typing import Any

from bot.sandbox.tg_methods import Req, chat_of, inline_markup, keep, outgoing
from bot.sandbox.tg_state import Checkout, World
from bot.sandbox.tg_wire import bad_request

QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


def _invoice_fields(p: dict[str, Any]) -> dict[str, Any]:
    title, description = str(p.get("title") or ""), str(p.get("description") or "")
    payload = str(p.get("payload") or "")
    currency = str(p.get("currency") or "")
    prices = p.get("prices")
    if not 1 <= len(title) <= 32:
        raise bad_request("INVOICE_TITLE_EMPTY" if not title else "TITLE_INVALID")
    if not 1 <= len(description) <= 255:
        raise bad_request("DESCRIPTION_INVALID")
    if not 1 <= len(payload.encode()) <= 128:
        raise bad_request("INVOICE_PAYLOAD_INVALID")
    if not isinstance(prices, list) or not prices:
        raise bad_request("can't parse prices JSON object")
    if currency == "XTR":
        # Stars invoices go through Telegram itself: no provider, exactly one price.
        if p.get("provider_token"):
            raise bad_request("PAYMENT_PROVIDER_INVALID")
        if len(prices) != 1:
            raise bad_request("STARS_INVOICE_INVALID")
    total = 0
    for price in prices:
        amount = price.get("amount") if isinstance(price, dict) else None
        if not isinstance(amount, int) or isinstance(amount, bool) or not price.get("label"):
            raise bad_request("can't parse prices JSON object")
        total += amount
    if total <= 0 or (currency == "XTR" and total > 10_000):
        raise bad_request("CURRENCY_TOTAL_AMOUNT_INVALID")
    return {"title": title, "description": description, "start_parameter": "",
            "currency": currency, "total_amount": total, "payload": payload}


def send_invoice(w: World, r: Req) -> Any:
    p = r.params
    chat = chat_of(w, p)
    fields = _invoice_fields(p)
    markup = inline_markup(p)
    if markup is not None and not markup["inline_keyboard"][0][0].get("pay"):
        raise bad_request("REPLY_MARKUP_BUY_EMPTY")  # the first button must be the Pay one
    msg = outgoing(w, p, chat)
    payload = fields.pop("payload")
    msg["invoice"] = fields
    stars = "⭐️" if fields["currency"] == "XTR" else fields["currency"] + " "
    msg["reply_markup"] = markup or {"inline_keyboard": [[
        {"text": f"Pay {stars}{fields['total_amount']}", "pay": True}]]}
    w.payments.invoices[(chat["id"], msg["message_id"])] = payload
    return keep(w, msg, p)


def create_invoice_link(w: World, r: Req) -> Any:
    _invoice_fields(r.params)
    link = f"https://t.me/$fake{secrets.token_urlsafe(12)}"
    w.payments.links.append(link)
    return link


def answer_pre_checkout_query(w: World, r: Req) -> Any:
    p = r.params
    query = w.payments.queries.get(str(p.get("pre_checkout_query_id") or ""))
    if query is None or query.answer is not None:
        raise bad_request(QUERY_TOO_OLD)
    if time.monotonic() - query.sent_at > w.payments.window:
        query.answer = {"late": True}
        raise bad_request(QUERY_TOO_OLD)
    ok = p.get("ok") in (True, "true", "True", 1, "1")
    if not ok and not str(p.get("error_message") or "").strip():
        raise bad_request("ERROR_MESSAGE_EMPTY")
    query.answer = {"ok": ok, "error_message": p.get("error_message")}
    if ok:
        complete(w, query)  # Telegram takes the Stars, then tells the bot
    return True


def complete(w: World, query: Checkout, charge_id: str | None = None) -> dict[str, Any] | None:
    """The payment went through: record the charge; a successful_payment message in the
    chat (the bot's update). Returns the message, or None for a link-paid invoice."""
    charge = charge_id or f"stxfake{secrets.token_hex(12)}"
    payment = {"currency": query.currency, "total_amount": query.total,
               "invoice_payload": query.payload, "telegram_payment_charge_id": charge,
               "provider_payment_charge_id": "" if query.currency == "XTR" else charge}
    with w.lock:
        w.payments.charges.setdefault(charge, {**payment, "user_id": query.user["id"],
                                               "refunded": False})
    if query.chat_id is None:
        return None

    def fill(msg: dict[str, Any]) -> None:
        msg["successful_payment"] = copy.deepcopy(payment)

    return w.user_message(query.chat_id, user=query.user, reply_to=None, chat_type=None,
                          thread_id=None, fill=fill)


def refund_star_payment(w: World, r: Req) -> Any:
    p = r.params
    charge = w.payments.charges.get(str(p.get("telegram_payment_charge_id") or ""))
    if charge is None:
        raise bad_request("CHARGE_ID_INVALID")
    if str(charge["user_id"]) != str(p.get("user_id")):
        raise bad_request("USER_ID_INVALID")
    if charge["refunded"]:
        raise bad_request("CHARGE_ALREADY_REFUNDED")
    charge["refunded"] = True
    return True


def pre_checkout(w: World, user: dict[str, Any], chat_id: int | None, *, currency: str,
                 total: int, payload: str) -> str:
    """The user pressed Pay: the bot gets a pre_checkout_query. Returns the query id."""
    qid = str(secrets.randbits(62))
    with w.lock:
        w.users.setdefault(user["id"], dict(user))
        w.payments.queries[qid] = Checkout(user=dict(user), chat_id=chat_id, currency=currency,
                                           total=total, payload=payload,
                                           sent_at=time.monotonic())
    w.push_update("pre_checkout_query", {
        "id": qid, "from": dict(user), "currency": currency, "total_amount": total,
        "invoice_payload": payload,
    })
    return qid


HANDLERS = {
    "sendInvoice": send_invoice,
    "createInvoiceLink": create_invoice_link,
    "answerPreCheckoutQuery": answer_pre_checkout_query,
    "refundStarPayment": refund_star_payment,
}
