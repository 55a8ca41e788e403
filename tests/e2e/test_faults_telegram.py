"""Telegram faults through the fake Bot API's fault injection: each ends in a clear state,
with no loop and no traceback in the log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.e2e.harness import running_bot

BOT_LOGGERS = ("bot", "telegram")


def bot_tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Log records of the bot (and of PTB on its behalf) that carry a traceback."""
    return [r.getMessage() for r in caplog.records
            if r.exc_info and r.name.split(".")[0] in BOT_LOGGERS]


async def test_an_update_the_library_cannot_read_is_passed_over(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """PTB failed the whole batch on one unreadable update and asked for it again about 100
    times a second, forever; no later update was handled."""
    caplog.set_level(logging.WARNING)
    async with running_bot(tmp_path) as h:
        polls_before = len(h.tg.calls("getUpdates"))
        bad = h.tg.send_update("message", {"text": "no date, no chat"})
        h.tg.send_update("message", {"message_id": 1, "date": 0,
                                     "chat": {"id": h.chat_id, "type": "private"},
                                     "text": "x", "entities": [{"type": "bold"}]})
        mark = h.mark()
        h.tg.send_text(h.chat_id, "/start")
        answer = await h.answer(mark)
        assert "video" in answer.params["text"].lower()
        # Both bad updates were confirmed with the good one: a handful of polls, not hundreds.
        assert len(h.tg.calls("getUpdates")) - polls_before < 10
        skipped = [r.getMessage() for r in caplog.records if "cannot read" in r.getMessage()]
        assert len(skipped) == 2 and str(bad["update_id"]) in skipped[0]
        assert not bot_tracebacks(caplog)
