"""Provider faults through the emulator's fault injection, end to end: each ends in a clear
message in the chat and a ledger that follows the rules (nothing charged unless the provider
may have charged; a create that may have gone through is never sent again), and no traceback
in the log."""

from __future__ import annotations

import dataclasses
import logging
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot.domain.money import from_micros
from bot.store import ledger
from tests.e2e.harness import FAST, Harness, deliveries, running_bot

SHORT = dataclasses.replace(FAST, job_timeout=4.0)


def bot_tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.exc_info and r.name.split(".")[0] in ("bot", "telegram")]


async def _job(h: Harness, clip: Path) -> dict[str, Any]:
    """Upload the clip and give the instruction; the status message once it is shown."""
    mark = h.mark()
    h.tg.send_video(h.chat_id, clip)
    await h.answer(mark)
    instruction = h.tg.send_text(h.chat_id, "remove the car")
    return dict((await h.reply_to(instruction)).response)


async def _final_text(h: Harness, status: dict[str, Any], fragment: str) -> str:
    """The status message's text once it says `fragment` (it is edited in place)."""
    await h.tg.wait_for_call(
        "editMessageText", lambda c: c.ok and fragment in c.params.get("text", ""), timeout=30)
    message = h.tg.message(h.chat_id, status["message_id"])
    assert message is not None
    return str(message.get("text") or message.get("caption"))


async def _ledger(h: Harness) -> tuple[list[str], Decimal, int]:
    """The job's ledger entries by kind, what it spent, and what is still held."""
    assert h.bot.db is not None
    rows = await h.bot.db.fetchall("SELECT kind FROM ledger WHERE job_id = 1 ORDER BY id")
    spent, held = await ledger.totals(h.bot.db, job_id=1)
    return [r["kind"] for r in rows], from_micros(spent), held


def _creates(h: Harness) -> int:
    return sum(1 for r in h.em.requests if r.path == "/api/v1/job/create")


def _charged(h: Harness) -> Decimal:
    return next(iter(h.em.jobs.values())).amount


@pytest.mark.parametrize("fault", [
    {"http_error": {"status": 502, "times": 2, "on": "create"}},
    {"http_error": {"status": 429, "times": 1, "on": "create", "retry_after": "1"}},
    {"http_error": {"status": 429, "times": 2, "on": "create"}},
], ids=["5xx", "429-retry-after", "429"])
async def test_a_create_refused_for_a_moment_is_sent_again_and_delivered(
    tmp_path: Path, clip: Path, caplog: pytest.LogCaptureFixture, fault: dict[str, Any]
) -> None:
    caplog.set_level(logging.INFO)
    async with running_bot(tmp_path) as h:
        h.em.inject(**fault)
        await _job(h, clip)
        await h.wait_job_state(1, "delivered", timeout=40)
        times = next(iter(fault.values()))["times"]
        assert _creates(h) == times + 1 and len(h.em.jobs) == 1
        assert await _ledger(h) == (["reserve", "release", "charge"], _charged(h), 0)
        assert not bot_tracebacks(caplog)


async def test_a_provider_that_stays_down_charges_nothing(
    tmp_path: Path, clip: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with running_bot(tmp_path) as h:
        h.em.inject(http_error={"status": 503, "times": 50, "on": "create"})
        status = await _job(h, clip)
        text = await _final_text(h, status, "couldn't reach ShortAPI")
        assert "nothing was charged" in text and "503" not in text
        assert _creates(h) == 4 and not h.em.jobs  # three retries, then it gave up
        assert await _ledger(h) == (["reserve", "release"], Decimal(0), 0)
        assert not bot_tracebacks(caplog)


@pytest.mark.parametrize("fault", [{"no_answer": {"times": 1, "on": "create"}},
                                   {"garbled": {"times": 1, "on": "create"}}],
                         ids=["no-answer", "malformed-json"])
async def test_a_create_whose_answer_is_lost_is_never_sent_again(
    tmp_path: Path, clip: Path, caplog: pytest.LogCaptureFixture, fault: dict[str, Any]
) -> None:
    """The provider may have created (and charged) the job: the estimate counts as spent,
    the chat is told to check before retrying, and create is not sent twice."""
    caplog.set_level(logging.INFO)
    async with running_bot(tmp_path) as h:
        h.em.inject(**fault)
        status = await _job(h, clip)
        text = await _final_text(h, status, "I did not send it again")
        assert "ShortAPI dashboard" in text
        await h.wait_job_state(1, "lost")
        assert _creates(h) == 1
        kinds, spent, held = await _ledger(h)
        assert kinds == ["reserve", "release", "charge"] and spent > 0 and held == 0
        assert not h.tg.calls("sendVideo") and not deliveries(h.tg)
        assert not bot_tracebacks(caplog)


@pytest.mark.parametrize("fault", [
    {"http_error": {"status": 500, "times": 3, "on": "query"}},
    {"garbled": {"times": 2, "on": "query"}},
    {"no_answer": {"times": 3, "on": "query"}},
    {"http_error": {"status": 502, "times": 2, "on": "result"}},
], ids=["query-5xx", "query-malformed", "query-no-answer", "result-5xx"])
async def test_passing_faults_while_following_a_job_still_deliver_once(
    tmp_path: Path, clip: Path, caplog: pytest.LogCaptureFixture, fault: dict[str, Any]
) -> None:
    caplog.set_level(logging.INFO)
    async with running_bot(tmp_path) as h:
        h.em.inject(drop_callbacks=True, **fault)  # polls only: every query meets the fault
        await _job(h, clip)
        await h.wait_job_state(1, "delivered", timeout=40)
        assert len([c for c in h.tg.calls() if c.ok and c.method in (
            "sendVideo", "editMessageMedia")]) == 1
        assert await _ledger(h) == (["reserve", "release", "charge"], _charged(h), 0)
        assert not bot_tracebacks(caplog)


@pytest.mark.parametrize("fault", [{"stuck": True},
                                   {"http_error": {"status": 500, "times": 10_000,
                                                   "on": "query"}}],
                         ids=["running-past-the-timeout", "query-keeps-failing"])
async def test_a_job_past_the_timeout_ends_with_its_charge_kept(
    tmp_path: Path, clip: Path, caplog: pytest.LogCaptureFixture, fault: dict[str, Any]
) -> None:
    """JOB_TIMEOUT_SECONDS: the bot stops waiting. ShortAPI charged at create and has no
    cancel, so the charge stays; the message says so and what a retry would cost."""
    caplog.set_level(logging.INFO)
    async with running_bot(tmp_path, timing=SHORT) as h:
        h.em.inject(drop_callbacks=True)
        h.em.inject(**fault)
        status = await _job(h, clip)
        text = await _final_text(h, status, "stopped waiting")
        assert "Retry runs it again as a new job" in text and "say again" not in text
        await h.wait_job_state(1, "failed")
        assert await _ledger(h) == (["reserve", "release", "charge"], _charged(h), 0)
        assert not h.tg.calls("sendVideo") and not deliveries(h.tg)
        assert not bot_tracebacks(caplog)


@pytest.mark.parametrize("fault", [{"http_error": {"status": 500, "times": 100,
                                                   "on": "result"}},
                                   {"bad_result": {"times": 100}}],
                         ids=["result-keeps-failing", "result-is-garbage"])
async def test_a_result_that_cannot_be_had_ends_with_its_charge_kept(
    tmp_path: Path, clip: Path, caplog: pytest.LogCaptureFixture, fault: dict[str, Any]
) -> None:
    caplog.set_level(logging.INFO)
    async with running_bot(tmp_path) as h:
        h.em.inject(**fault)
        status = await _job(h, clip)
        text = await _final_text(h, status, "could not be downloaded or read")
        assert "HTTP 500" not in text and "ffprobe" not in text.lower()
        await h.wait_job_state(1, "failed")
        assert await _ledger(h) == (["reserve", "release", "charge"], _charged(h), 0)
        assert not h.tg.calls("sendVideo") and not deliveries(h.tg)
        assert not bot_tracebacks(caplog)
