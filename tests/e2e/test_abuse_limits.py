"""Limits against abuse through the real bot: jobs per user per hour, finished jobs' callback
tokens, allow-lists on button presses, odd ids."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from bot import texts
from tests.e2e.harness import Harness, running_bot


async def _upload(h: Harness, clip: Path, user: dict | None = None) -> None:
    mark = h.mark()
    h.tg.send_video(h.chat_id, clip, user=user)
    await h.answer(mark)


async def test_jobs_past_the_hourly_limit_are_refused_politely(tmp_path: Path, clip: Path) -> None:
    env = {"MAX_JOBS_PER_USER_PER_HOUR": "2"}  # jobs over $1.00 ask first (the default)
    async with running_bot(tmp_path, env=env) as h:
        await _upload(h, clip)
        for job_id in (1, 2):
            h.tg.send_text(h.chat_id, "remove the car")
            await h.wait_job_state(job_id, "delivered", timeout=40)
        mark = h.mark()
        h.tg.send_text(h.chat_id, "remove the car")
        refused = (await h.answer(mark)).params["text"]
        assert "2 jobs in the last hour" in refused and "Nothing was charged" in refused
        # Above the confirm threshold: refused before asking, not after the press.
        mark = h.mark()
        h.tg.send_text(h.chat_id, "next shot: the car drives into a tunnel, 10 s")  # $1.43
        asked = (await h.answer(mark)).params["text"]
        assert "2 jobs in the last hour" in asked and "Confirm" not in asked
        assert h.bot.db is not None
        counted = await h.bot.db.fetchone("SELECT COUNT(*) AS n FROM jobs")
        assert counted is not None and counted["n"] == 2 and len(h.em.jobs) == 2
        held = await h.bot.db.fetchone("SELECT COUNT(*) AS n FROM ledger WHERE job_id > 2")
        assert held is not None and held["n"] == 0


GROUP = -100777


async def test_allow_lists_hold_for_button_presses_too(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path, env={"ALLOWED_USER_IDS": "1001"}) as h:
        h.tg.chat(GROUP, chat_type="supergroup", title="Crew")
        ada, stranger = h.tg.user(1001, "Ada", "ada"), h.tg.user(3003, "Eve", "eve")
        mark = h.mark()
        h.tg.send_video(GROUP, clip, user=ada)
        await h.answer(mark, chat_id=GROUP)
        h.em.inject(stuck=True)
        instruction = h.tg.send_text(GROUP, "remove the car", user=ada)
        status = (await h.reply_to(instruction)).response
        await h.wait_job_state(1, "submitted")
        query = h.tg.press_button(GROUP, status["message_id"], "job:stop:1", user=stranger)
        for _ in range(100):
            if (answer := h.tg.callback_answer(query)) is not None:
                break
            await asyncio.sleep(0.05)
        assert answer is not None and answer.get("text") == texts.NOT_ALLOWED
        await h.wait_job_state(1, "submitted")  # still running: the press changed nothing


async def test_a_finished_jobs_callback_token_is_useless(tmp_path: Path, clip: Path) -> None:
    """Replaying the provider's callback (the real token) after the job ended: no query, no
    second clip, no ledger entry."""
    async with running_bot(tmp_path) as h:
        await _upload(h, clip)
        h.tg.send_text(h.chat_id, "remove the car")
        await h.wait_job_state(1, "delivered", timeout=40)
        job = next(iter(h.em.jobs.values()))
        assert job.callback_url and job.callback_url.startswith(str(h.bot.public_url))
        assert h.bot.db is not None
        entries = await h.bot.db.fetchone("SELECT COUNT(*) AS n FROM ledger")
        queries = sum(1 for r in h.em.requests if r.path.endswith("/query"))
        calls = h.mark()
        body = {"code": 0, "data": {"id": job.id, "status": 2,
                                    "result": {"videos": [{"url": "http://127.0.0.1:9/x.mp4"}]}}}
        async with httpx.AsyncClient() as client:
            for _ in range(3):
                answer = await client.post(job.callback_url, json=body)
                assert answer.status_code < 500
        await asyncio.sleep(1.0)
        assert sum(1 for r in h.em.requests if r.path.endswith("/query")) == queries
        assert [c.method for c in h.tg.calls()[calls:] if c.method != "getUpdates"] == []
        after = await h.bot.db.fetchone("SELECT COUNT(*) AS n FROM ledger")
        assert entries is not None and after is not None and after["n"] == entries["n"]
        row = await h.bot.db.fetchone("SELECT state FROM jobs WHERE id = 1")
        assert row is not None and row["state"] == "delivered"
