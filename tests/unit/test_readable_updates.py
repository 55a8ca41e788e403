"""Updates python-telegram-bot cannot read are made bare, keeping their id, so polling moves
past them (and a webhook answers them) instead of failing the whole batch again and again."""

from __future__ import annotations

import json

from bot.telegram.readable_updates import readable_batch, readable_update

GOOD = {"update_id": 5, "message": {"message_id": 1, "date": 0, "text": "hi",
                                    "chat": {"id": 1, "type": "private"}}}
BAD = {"update_id": 6, "message": {"text": "no date, no chat"}}


def test_a_readable_update_is_kept_as_it_came() -> None:
    assert readable_update(GOOD) is GOOD


def test_an_unreadable_update_keeps_only_its_id() -> None:
    assert readable_update(BAD) == {"update_id": 6}


def test_without_a_numeric_id_there_is_nothing_to_confirm() -> None:
    assert readable_update({"message": {}}) is None
    assert readable_update({"update_id": True}) is None
    assert readable_update([1, 2]) is None


def test_a_batch_is_rewritten_only_when_it_must_be() -> None:
    fine = json.dumps({"ok": True, "result": [GOOD]}).encode()
    assert readable_batch(fine) is fine
    mixed = json.loads(readable_batch(json.dumps({"ok": True, "result": [BAD, GOOD]}).encode()))
    assert mixed["result"] == [{"update_id": 6}, GOOD]
    for other in (b"not json", b'{"ok": false, "error_code": 409}', b"[1]"):
        assert readable_batch(other) is other
