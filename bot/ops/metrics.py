"""Prometheus metrics: counters the running code updates, and figures read from the store
when `/metrics` is scraped.

Each `Metrics` has its own registry (no process-wide globals), so tests and several bots in
one process do not mix their numbers. What updates what:

    bot_updates_total{kind}                    the Telegram layer, once per update handled
    bot_provider_request_seconds{operation}    ShortApiClient (pass `metrics` as observer)
    bot_provider_errors_total{operation,kind}  ShortApiClient, once per failed attempt
    bot_telegram_send_seconds{method}          TimedRequest (bot.ops.telegram_metrics)
    bot_telegram_queue_depth                   CountingRateLimiter (bot.ops.telegram_metrics)
    bot_deliveries_total{outcome}              the engine, once per delivery attempt
                                               (delivered | retry | undeliverable)
    bot_jobs_total{state,model}, bot_spend_usd, bot_held_usd, bot_queue_length
                                               read from SQLite at scrape time (StoreCollector)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.domain.job_states import OPEN_STATES
from bot.store import stats
from bot.store.db import Reader

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Provider calls take from ~50 ms (query) to tens of seconds (a slow create).
_PROVIDER_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
_TELEGRAM_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class StoreCollector(Collector):
    """Jobs by state and model, spend and queue length, from one store snapshot.

    prometheus_client collects synchronously, and the store is async: `refresh()` reads the
    snapshot (awaited by the route just before rendering), `collect()` reports it."""

    def __init__(self, read: Callable[[], Awaitable[stats.Snapshot]]) -> None:
        self._read = read
        self._last: stats.Snapshot | None = None

    async def refresh(self) -> None:
        self._last = await self._read()

    def collect(self) -> Iterator[Metric]:
        snap = self._last
        if snap is None:
            return
        jobs = GaugeMetricFamily(
            "bot_jobs_total", "Jobs by state and model (all time)", labels=["state", "model"]
        )
        for row in snap.jobs:
            jobs.add_metric([row.state, row.model], row.jobs)
        yield jobs
        open_states = {s.value for s in OPEN_STATES}
        yield GaugeMetricFamily(
            "bot_queue_length", "Open jobs: not yet finished or delivered",
            value=sum(r.jobs for r in snap.jobs if r.state in open_states),
        )
        yield GaugeMetricFamily(
            "bot_spend_usd", "Spend in USD, charges minus refunds, all time",
            value=snap.spent_micros / 1_000_000,
        )
        yield GaugeMetricFamily(
            "bot_held_usd", "USD reserved for open jobs", value=snap.held_micros / 1_000_000
        )


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.updates = Counter("bot_updates", "Telegram updates handled", ["kind"], registry=r)
        self.provider_seconds = Histogram(
            "bot_provider_request_seconds", "Provider HTTP requests, one per attempt",
            ["operation"], buckets=_PROVIDER_BUCKETS, registry=r,
        )
        self.provider_errors = Counter(
            "bot_provider_errors", "Failed provider attempts by kind", ["operation", "kind"],
            registry=r,
        )
        self.telegram_seconds = Histogram(
            "bot_telegram_send_seconds", "Bot API requests by method (long polls excluded)",
            ["method"], buckets=_TELEGRAM_BUCKETS, registry=r,
        )
        self.telegram_queue = Gauge(
            "bot_telegram_queue_depth", "Bot API requests waiting in or passing the rate limiter",
            registry=r,
        )
        self.deliveries = Counter(
            "bot_deliveries", "Deliveries of finished jobs by outcome", ["outcome"], registry=r
        )
        self._store: StoreCollector | None = None

    def watch_store(self, db: Reader) -> None:
        """Report jobs, spend and queue length from `db` on every scrape."""
        self._store = StoreCollector(lambda: stats.snapshot(db))
        self.registry.register(self._store)

    def delivery(self, outcome: str) -> None:
        """One attempt to deliver a finished job (bot.engine.counted_delivery)."""
        self.deliveries.labels(outcome).inc()

    # The ShortApiClient observer interface.
    def provider_request(self, operation: str, seconds: float) -> None:
        self.provider_seconds.labels(operation).observe(seconds)

    def provider_error(self, operation: str, kind: str) -> None:
        self.provider_errors.labels(operation, kind).inc()

    async def render(self) -> bytes:
        """The exposition text, with the store figures read now."""
        if self._store is not None:
            await self._store.refresh()
        return generate_latest(self.registry)
