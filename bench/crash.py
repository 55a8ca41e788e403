"""The crash suite: the real bot process, killed with SIGKILL at each phase of a job, then
restarted; every job must end, with at most one clip in the chat and a ledger that sums.

How a kill lands where it should: the bot reads `BOT_TEST_KILL_AT=<point>:<job id>`
(`bot/ops/kill_points.py`) and sends itself SIGKILL when that job reaches that point. A kill
from outside (holding a request in a fake server, then `kill -9`) would work for the phases a
fake server can see, but not for "Telegram answered, the commit has not happened" (nothing
outside the process marks that moment), and timed kills would land anywhere in a window;
named points in the process land at one line, every time. "During the upload" is a point in
the clip's reader: the process dies on its second read, with the request half sent.

One phase runs as a chain of processes on one database: process k recovers job k-1 (killed by
process k-1), waits for it to end, then starts job k, which kills process k at the point. A
last clean process recovers the last job. `run_phases` runs several phases at once (each with
its own fakes, database and port), since most of the time is spent waiting.

    python -m bench --only crash            # every phase 50 times (the soak)
    pytest tests/e2e/test_crashes.py        # every phase 5 times
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sqlite3
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.rig import (
    BotOptions,
    BotProcess,
    Fakes,
    bot_job_id,
    rmtree,
    scratch,
    summary_ms,
    wait_until,
)
from bot.emulator.state import EmulatorConfig
from bot.ops.kill_points import ENV, POINTS
from bot.sandbox.telegram_api import TelegramEmulator

CHAT = 4242
FINAL = ("delivered", "failed", "cancelled", "lost")
# What each phase's job must end as, after the kill and the restart.
EXPECTED = {point: "delivered" for point in POINTS} | {"create_answered": "lost"}
LOST_NOTICE = "I did not send it again"
DONE_NOTE = "Done: version"


@dataclass
class PhaseReport:
    point: str
    kills: int = 0
    jobs: int = 0
    ended: dict[str, int] = field(default_factory=dict)  # final state -> jobs
    clips: int = 0  # messages in the chat that carry a clip
    clip_edits: int = 0  # editMessageMedia calls that succeeded (repeats land in one message)
    done_notes: int = 0  # "done" replies: a repeat here is the documented duplicate window
    lost_notices: int = 0
    provider_jobs: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # The duplicate window, per delivered job: from the clip's edit reaching Telegram to the
    # `delivered` commit (an upper bound: it includes the upload and the done note).
    window: dict[str, Any] = field(default_factory=dict)

    @property
    def duplicate_notes(self) -> int:
        return max(0, self.done_notes - self.ended.get("delivered", 0))

    def summary(self) -> dict[str, Any]:
        return {"kills": self.kills, "jobs": self.jobs, "ended": self.ended,
                "clips": self.clips, "clip_edits": self.clip_edits,
                "done_notes": self.done_notes, "duplicate_done_notes": self.duplicate_notes,
                "lost_notices": self.lost_notices, "provider_jobs": self.provider_jobs,
                "duplicate_window_ms": self.window,
                "problems": self.problems[:10], "seconds": round(self.seconds, 1)}


def _emulator_config(work: Path) -> EmulatorConfig:
    # 0.1 s queued, 1 s running: long enough for a poll to see "running", short overall.
    return EmulatorConfig(time_scale=0.05, queued_seconds=2, running_seconds=20,
                          callback_retry_seconds=0.05, work_dir=work / "emulator")


def _rows(bot: BotProcess, sql: str, *params: Any) -> list[sqlite3.Row]:
    if not bot.db_path.exists():
        return []
    with contextlib.closing(bot.db()) as conn:
        try:
            return list(conn.execute(sql, params).fetchall())
        except sqlite3.OperationalError:  # not migrated yet
            return []


def _next_job_id(bot: BotProcess) -> int:
    rows = _rows(bot, "SELECT COALESCE(MAX(id), 0) AS n FROM jobs")
    return int(rows[0]["n"]) + 1 if rows else 1


def _state(bot: BotProcess, job_id: int) -> str | None:
    rows = _rows(bot, "SELECT state FROM jobs WHERE id = ?", job_id)
    return str(rows[0]["state"]) if rows else None


async def _ended(bot: BotProcess, job_id: int, timeout: float) -> bool:  # noqa: ASYNC109
    return await wait_until(lambda: _state(bot, job_id) in FINAL, timeout, 0.05)


async def _died(bot: BotProcess, timeout: float) -> int | None:  # noqa: ASYNC109
    assert bot.proc is not None
    proc = bot.proc
    await wait_until(lambda: proc.poll() is not None, timeout, 0.02)
    return proc.poll()


async def run_phase(point: str, times: int, clip: Path, *, keep: bool = False) -> PhaseReport:
    """Kill the bot `times` times at `point` (one job each), restarting it each time."""
    report = PhaseReport(point)
    started = time.monotonic()
    work = scratch(f"crash-{point}")
    fakes = Fakes(_emulator_config(work))
    await fakes.start()
    tg = fakes.tg
    bot = BotProcess(fakes, work, BotOptions(compress=30.0, job_timeout=1800.0))
    try:
        previous: int | None = None
        for round_ in range(times + 1):
            last = round_ == times
            job_id = _next_job_id(bot)
            bot.options.extra_env = {} if last else {ENV: f"{point}:{job_id}"}
            mark = len(tg.calls())
            if round_ == 0:
                # Waiting for it: the first getUpdates returns at once instead of after its
                # long-poll timeout, and start() sees the bot polling.
                tg.send_video(CHAT, clip)
            await bot.start()
            if round_ == 0:
                await tg.wait_for_call("sendMessage", lambda c: c.ok, timeout=30, after=mark)
            if previous is not None and not await _ended(bot, previous, 60):
                report.problems.append(f"job {previous} did not end after the restart: "
                                       f"{_state(bot, previous)}")
            if last:
                break
            tg.send_text(CHAT, "remove the car")
            code = await _died(bot, 60)
            if code != -signal.SIGKILL:
                report.problems.append(f"job {job_id}: the process did not die at {point} "
                                       f"(exit {code}, job {_state(bot, job_id)})\n{bot.tail(8)}")
                await bot.stop()
            else:
                report.kills += 1
            previous = job_id
        await asyncio.sleep(0.3)  # let a late duplicate show itself before counting
        _check(report, bot, fakes)
    finally:
        await bot.stop()
        await fakes.stop()
        if not keep:
            rmtree(work)
    report.seconds = time.monotonic() - started
    return report


def _check(report: PhaseReport, bot: BotProcess, fakes: Fakes) -> None:
    tg = fakes.tg
    jobs = _rows(bot, "SELECT * FROM jobs ORDER BY id")
    report.jobs = len(jobs)
    for job in jobs:
        report.ended[job["state"]] = report.ended.get(job["state"], 0) + 1
        if job["state"] != EXPECTED[report.point]:
            report.problems.append(f"job {job['id']} ended {job['state']}, not "
                                   f"{EXPECTED[report.point]} ({job['error']})")
    messages = tg.bot_messages(CHAT)
    report.clips = sum(1 for m in messages if "video" in m)
    if report.clips != report.ended.get("delivered", 0):
        report.problems.append(f"{report.clips} clips in the chat for "
                               f"{report.ended.get('delivered', 0)} delivered jobs")
    report.clip_edits = sum(1 for c in tg.calls("editMessageMedia") if c.ok)
    report.done_notes = sum(1 for c in tg.calls("sendMessage")
                            if c.ok and DONE_NOTE in str(c.params.get("text", "")))
    report.lost_notices = sum(1 for m in messages if LOST_NOTICE in str(m.get("text", "")))
    report.window = _window(tg, jobs)
    log = bot.log_path.read_text(errors="replace") if bot.log_path.exists() else ""
    if "Traceback" in log:
        report.problems.append("a traceback in the bot's log")
    if report.lost_notices != report.ended.get("lost", 0):
        report.problems.append(f"{report.lost_notices} lost notices for "
                               f"{report.ended.get('lost', 0)} lost jobs")
    _check_money(report, bot, fakes, jobs)


def _window(tg: TelegramEmulator, jobs: list[sqlite3.Row]) -> dict[str, Any]:
    """For each delivered job: its commit (the row's wall-clock finished_at) minus the moment
    its last clip edit reached the fake (CLOCK_MONOTONIC is one clock for every process)."""
    wall_minus_mono = time.time() - time.monotonic()
    edits: dict[int, float] = {}
    for call in tg.calls("editMessageMedia"):
        if call.ok:
            edits[int(call.params["message_id"])] = call.time + wall_minus_mono
    spans = [job["finished_at"] - edits[job["status_message_id"]] for job in jobs
             if job["state"] == "delivered" and job["status_message_id"] in edits]
    return summary_ms(spans)


def _check_money(report: PhaseReport, bot: BotProcess, fakes: Fakes,
                 jobs: list[sqlite3.Row]) -> None:
    """Per job: nothing still held; charged what the provider charged (the estimate, when
    the answer was lost); the chat's total is the jobs' sum. And nothing created twice."""
    charged_by_provider: dict[int, Decimal] = {}
    for em_job in fakes.em.jobs.values():
        bot_job = bot_job_id(em_job.callback_url)
        if bot_job is not None:
            if bot_job in charged_by_provider:
                report.problems.append(f"job {bot_job} was created twice at the provider")
            charged_by_provider[bot_job] = em_job.amount
    report.provider_jobs = len(fakes.em.jobs)
    if report.provider_jobs != len(jobs):
        report.problems.append(f"{report.provider_jobs} provider jobs for {len(jobs)} jobs")
    total = 0
    for job in jobs:
        rows = _rows(bot, "SELECT kind, micros FROM ledger WHERE job_id = ?", job["id"])
        sums = {kind: sum(r["micros"] for r in rows if r["kind"] == kind)
                for kind in ("reserve", "release", "charge", "refund")}
        if sums["reserve"] != sums["release"]:
            report.problems.append(f"job {job['id']}: {sums['reserve'] - sums['release']} "
                                   "micro-dollars still held")
        spent = sums["charge"] - sums["refund"]
        total += spent
        expected = (job["estimate_micros"] if job["state"] == "lost"
                    else int(charged_by_provider.get(job["id"], Decimal(0)) * 1_000_000))
        if spent != expected:
            report.problems.append(f"job {job['id']} ({job['state']}): ledger says {spent}, "
                                   f"expected {expected}")
    rows = _rows(bot, "SELECT COALESCE(SUM(CASE kind WHEN 'charge' THEN micros WHEN 'refund' "
                      "THEN -micros ELSE 0 END), 0) AS spent FROM ledger")
    if rows and int(rows[0]["spent"]) != total:
        report.problems.append(f"ledger total {rows[0]['spent']} is not the jobs' sum {total}")


async def run_phases(points: tuple[str, ...], times: int, clip: Path,
                     parallel: int = 4) -> list[PhaseReport]:
    """Every phase in `points`, `times` kills each, at most `parallel` phases at once."""
    gate = asyncio.Semaphore(parallel)

    async def one(point: str) -> PhaseReport:
        async with gate:
            return await run_phase(point, times, clip)

    return list(await asyncio.gather(*(one(p) for p in points)))
