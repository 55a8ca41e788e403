"""`GET /metrics` on a real server over loopback: store figures read at scrape time, provider
and Bot API instrumentation against the emulator and the fake Bot API, the bearer token."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from telegram import Bot, Update
from telegram.ext import ApplicationBuilder, ExtBot, MessageHandler, TypeHandler, filters

from bot.domain.job_states import JobState
from bot.emulator.server import EmulatorServer
from bot.emulator.state import EmulatorConfig
from bot.ops.metrics import Metrics
from bot.ops.telegram_metrics import (
    CountingRateLimiter,
    TimedRequest,
    api_method,
    update_counter,
)
from bot.providers.errors import ProviderRejected
from bot.providers.shortapi import ShortApiClient
from bot.sandbox.telegram_api import TelegramEmulator
from bot.store import chats, jobs, ledger
from bot.store.db import Database
from bot.web.metrics import metrics_route
from tests.webapp_kit import WebKit, web_kit

I2V = "kwaivgi/kling-o3/image-to-video"
V2V = "kwaivgi/kling-o3/video-to-video"


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            found[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return found


async def _job(db: Database, model: str, state: JobState, charge: int = 0) -> int:
    async with db.transaction() as tx:
        job_id = await jobs.insert(tx, jobs.NewJob(
            chat_id=-100, thread_id=0, user_id=1, request_message_id=None, source_media_id=None,
            image_media_ids=[], intent="edit", instruction="x", model=model, args={},
            callback_token_hash="h", estimate_micros=1_000_000))
        await tx.execute("UPDATE jobs SET state = ? WHERE id = ?", (state.value, job_id))
        if charge:
            await ledger.append(tx, job_id=job_id, chat_id=-100, user_id=1, model=model,
                                kind=ledger.Entry.CHARGE, micros=charge)
    return job_id


@pytest.fixture
async def metrics() -> Metrics:
    return Metrics()


@pytest.fixture
async def kit(tmp_path: Path, metrics: Metrics) -> AsyncIterator[WebKit]:
    def routes(db: Database) -> list:
        metrics.watch_store(db)
        return [metrics_route(metrics, "s3cret-scrape")]

    async with web_kit(tmp_path, extra_routes=routes) as k:
        await chats.remember(k.db, chat_id=-100, chat_type="supergroup", title="crew",
                             user_id=1, username="u1", first_name="U1")
        yield k


async def _scrape(kit: WebKit, token: str | None = "s3cret-scrape") -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=kit.url) as client:
        return await client.get("/metrics", headers=headers)


async def test_jobs_spend_and_queue_are_read_at_scrape_time(kit: WebKit) -> None:
    before = _samples((await _scrape(kit)).text)
    assert before[("bot_queue_length", ())] == 0 and before[("bot_spend_usd", ())] == 0
    await _job(kit.db, V2V, JobState.RUNNING)
    await _job(kit.db, V2V, JobState.RUNNING)
    await _job(kit.db, I2V, JobState.PENDING)
    await _job(kit.db, V2V, JobState.DELIVERED, charge=858_000)
    await _job(kit.db, I2V, JobState.DELIVERED, charge=213_000)
    r = await _scrape(kit)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    now = _samples(r.text)
    assert now[("bot_jobs_total", (("model", V2V), ("state", "running")))] == 2
    assert now[("bot_jobs_total", (("model", I2V), ("state", "pending")))] == 1
    assert now[("bot_jobs_total", (("model", V2V), ("state", "delivered")))] == 1
    assert now[("bot_queue_length", ())] == 3
    assert now[("bot_spend_usd", ())] == pytest.approx(1.071)


@pytest.mark.parametrize("token", [None, "wrong", "s3cret-scrap", "s3cret-scrape2", "S3CRET-SCRAPE"])
async def test_a_set_token_is_required(kit: WebKit, token: str | None) -> None:
    r = await _scrape(kit, token)
    assert r.status_code == 401 and "bot_" not in r.text
    assert r.headers["www-authenticate"] == "Bearer"


async def test_no_token_configured_means_open(tmp_path: Path) -> None:
    metrics = Metrics()
    async with web_kit(tmp_path, extra_routes=lambda db: [metrics_route(metrics, None)]) as kit:
        r = await _scrape(kit, None)
    assert r.status_code == 200
    assert "# TYPE bot_provider_request_seconds histogram" in r.text
    assert "bot_queue_length" not in r.text  # no store watched, no store figures


async def test_provider_latency_and_errors_are_counted(tmp_path: Path, metrics: Metrics) -> None:
    async def no_wait(_: float) -> None:
        return None

    async with EmulatorServer(EmulatorConfig(time_scale=0.01, work_dir=tmp_path)) as server:
        client = ShortApiClient(server.url, "key", sleep=no_wait, observer=metrics)
        try:
            server.emulator.inject(http_error={"status": 503, "times": 2})
            with pytest.raises(ProviderRejected):
                await client.create("no/such-model", {"prompt": "x"}, None)
        finally:
            await client.aclose()
    found = _samples((await metrics.render()).decode())
    assert found[("bot_provider_request_seconds_count", (("operation", "create"),))] == 3
    assert found[("bot_provider_errors_total", (("kind", "http_5xx"), ("operation", "create")))] == 2
    assert found[("bot_provider_errors_total", (("kind", "rejected"), ("operation", "create")))] == 1


async def test_bot_api_calls_are_timed_by_method(metrics: Metrics) -> None:
    fake = TelegramEmulator()
    fake.start()
    try:
        bot = Bot(fake.token, base_url=f"{fake.url}/bot", request=TimedRequest(metrics))
        async with bot:
            await bot.get_me()
            await bot.get_my_commands()
    finally:
        fake.stop()
    found = _samples((await metrics.render()).decode())
    assert found[("bot_telegram_send_seconds_count", (("method", "getMe"),))] >= 1
    assert found[("bot_telegram_send_seconds_count", (("method", "getMyCommands"),))] == 1
    assert all(fake.token not in str(key) for key in found)


async def test_the_rate_limiter_queue_depth_returns_to_zero(metrics: Metrics) -> None:
    fake = TelegramEmulator()
    fake.start()
    try:
        bot = ExtBot(fake.token, base_url=f"{fake.url}/bot",
                     rate_limiter=CountingRateLimiter(metrics, max_retries=1))
        async with bot:
            await bot.get_me()
    finally:
        fake.stop()
    assert _samples((await metrics.render()).decode())[("bot_telegram_queue_depth", ())] == 0


def test_api_method_labels_never_carry_a_token() -> None:
    assert api_method("https://api.telegram.org/bot123:ABC/sendVideo") == "sendVideo"
    assert api_method("https://api.telegram.org/file/bot123:ABC/videos/file_1.mp4") == "file"
    assert api_method("https://api.telegram.org/bot123:ABC/") == "other"


async def test_the_wired_application_counts_updates_and_still_handles_them(
    metrics: Metrics,
) -> None:
    fake = TelegramEmulator()
    fake.start()
    seen: list[str] = []

    async def echo(update: Update, _context: object) -> None:
        assert update.effective_message is not None
        seen.append(update.effective_message.text or "")

    chat = {"id": 5, "type": "private", "first_name": "A"}
    user = {"id": 5, "is_bot": False, "first_name": "A"}
    message = {"message_id": 1, "date": 0, "chat": chat, "from": user, "text": "hi"}
    updates = [
        {"update_id": 1, "message": message},
        {"update_id": 2, "edited_message": {**message, "edit_date": 1}},
        {"update_id": 3, "callback_query": {"id": "q", "from": user, "chat_instance": "c",
                                            "data": "never-sent"}},
    ]
    try:
        app = (ApplicationBuilder().token(fake.token).base_url(f"{fake.url}/bot")
               .request(TimedRequest(metrics)).rate_limiter(CountingRateLimiter(metrics))
               .updater(None).build())
        app.add_handler(TypeHandler(Update, update_counter(metrics)), group=-2)
        app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT, echo))
        async with app:
            for raw in updates:
                await app.process_update(Update.de_json(raw, app.bot))
    finally:
        fake.stop()
    assert seen == ["hi"]
    found = _samples((await metrics.render()).decode())
    for kind in ("message", "edited_message", "callback_query"):
        assert found[("bot_updates_total", (("kind", kind),))] == 1
    assert found[("bot_telegram_send_seconds_count", (("method", "getMe"),))] == 1
