"""The sandbox with PAYMENTS=stars: buy credits in the page, Pay button included."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path
from typing import Any

from bot.sandbox.render import PAY_BUTTON
from bot.web.serving import free_port
from tests.integration.test_sandbox_cli import _start, _stop


def _call(base: str, path: str, body: dict[str, Any] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data,
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def _wait_for(base: str, key: str, test: Any) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for message in reversed(_call(base, f"/sandbox/api/chats/{key}/messages")["messages"]):
            if test(message):
                return dict(message)
        time.sleep(0.1)
    raise AssertionError("no such message in the page")


def test_buying_credits_in_the_page(tmp_path: Path) -> None:
    port = free_port()
    proc, _ = _start(tmp_path, WEB_PORT=str(port), PAYMENTS="stars", STARS_PER_USD="100")
    base = f"http://127.0.0.1:{port}"
    try:
        key = _call(base, "/sandbox/api/state")["chats"][0]["key"]
        assert _call(base, f"/sandbox/api/chats/{key}/send", {"text": "/buy"})["ok"]
        menu = _wait_for(base, key, lambda m: m["from"] == "bot" and m["buttons"])
        assert [b["data"] for b in menu["buttons"][0]] == ["buy:100", "buy:500", "buy:2000"]
        _call(base, f"/sandbox/api/chats/{key}/press", {"message_id": menu["id"],
                                                       "data": "buy:100"})
        invoice = _wait_for(base, key, lambda m: "🧾" in m["html"])
        assert "100 credits" in invoice["html"]
        assert invoice["buttons"][0][0]["data"] == PAY_BUTTON
        _call(base, f"/sandbox/api/chats/{key}/press", {"message_id": invoice["id"],
                                                       "data": PAY_BUTTON})
        thanks = _wait_for(base, key, lambda m: "added" in m["html"])
        assert "100 ⭐ added" in thanks["html"]
    finally:
        _stop(proc)
