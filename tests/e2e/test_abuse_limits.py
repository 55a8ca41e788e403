"""Limits against abuse through the real bot: jobs per user per hour, finished jobs' callback
tokens, allow-lists on button presses, odd ids."""

from __future__ import annotations

from pathlib import Path

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
