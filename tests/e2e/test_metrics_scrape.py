"""`/metrics` of the running bot after a job that needed a second delivery attempt: every
figure the operator's guide promises is there, deliveries are counted by the engine, and a
set METRICS_TOKEN is required."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from tests.e2e.harness import running_bot

TOKEN = "scrape-token-for-tests"
PROMISED = (
    "bot_updates_total", "bot_jobs_total", "bot_provider_request_seconds_count",
    "bot_provider_errors_total", "bot_telegram_send_seconds_count", "bot_telegram_queue_depth",
    "bot_spend_usd", "bot_held_usd", "bot_deliveries_total", "bot_queue_length",
)


def _value(text: str, name: str, labels: str = "") -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name) and labels in line and not line.startswith("#"):
            total += float(line.rsplit(" ", 1)[1])
    return total


async def test_a_scrape_shows_jobs_deliveries_spend_and_faults(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path, env={"METRICS_TOKEN": TOKEN}) as h:
        h.em.inject(http_error={"status": 502, "times": 1, "on": "create"})
        # Four in a row: more than the request layer tries, so the engine's delivery retries.
        h.tg.fail("editMessageMedia", 4, status=502, description="Bad Gateway")
        mark = h.mark()
        h.tg.send_video(h.chat_id, clip)
        await h.answer(mark)
        h.tg.send_text(h.chat_id, "remove the car")
        await h.wait_job_state(1, "delivered", timeout=60)
        async with httpx.AsyncClient(base_url=str(h.bot.public_url)) as client:
            assert (await client.get("/metrics")).status_code == 401
            wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
            assert wrong.status_code == 401
            scrape = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert scrape.status_code == 200 and scrape.headers["content-type"].startswith(
            "text/plain")
        text = scrape.text
        missing = [name for name in PROMISED if not re.search(rf"^{name}", text, re.M)]
        assert missing == []
        assert _value(text, "bot_deliveries_total", 'outcome="delivered"') == 1
        assert _value(text, "bot_deliveries_total", 'outcome="retry"') >= 1
        assert _value(text, "bot_jobs_total", 'state="delivered"') == 1
        assert _value(text, "bot_provider_errors_total", 'kind="http_5xx"') == 1
        assert _value(text, "bot_spend_usd") == float(next(iter(h.em.jobs.values())).amount)
        assert _value(text, "bot_updates_total", 'kind="message"') >= 2
        assert _value(text, "bot_queue_length") == 0
