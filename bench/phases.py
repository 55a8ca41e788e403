"""The benchmark's phases. Each starts its own fakes and a fresh bot process, and returns a
JSON-able dict of figures (seconds are reported as milliseconds, sizes as MB)."""

from __future__ import annotations

import asyncio
import itertools
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from statistics import mean, median
from typing import Any

from bench.load import Answers, Sent, answer_to, download_seconds, inject, latencies, paced
from bench.rig import (
    ROOT,
    BotOptions,
    BotProcess,
    Fakes,
    Sampler,
    pct,
    reset_peak,
    rmtree,
    scratch,
    self_cpu,
    summary_ms,
    wait_until,
)
from bench.seed import seed_open_jobs, seed_sessions
from bot.emulator.state import EmulatorConfig
from bot.sandbox.telegram_api import Call, TelegramEmulator

MB = 1024 * 1024
FOREVER = 1e9  # emulated seconds: a job that never leaves the queue (and is never rendered)


def all_answered(tg: Any, sent: list[Sent]) -> bool:
    """True once every message in `sent` has its answer (the index only grows with new
    calls, so this is cheap to call often)."""
    answers = _ANSWERS.get(id(tg))
    if answers is None or answers[0] is not tg:
        answers = _ANSWERS[id(tg)] = (tg, Answers([]))
    index = answers[1].add(tg.calls())
    return all(answer_to(s, index) is not None for s in sent)


_ANSWERS: dict[int, tuple[Any, Answers]] = {}


def forget() -> None:
    """Between phases: drop cached indexes of old fakes and collect them."""
    import gc

    _ANSWERS.clear()
    gc.collect()


def _mb(n: float) -> float:
    return round(n / MB, 1)


# ---- 0. the fakes' own ceiling ---------------------------------------------------------------
async def fakes_ceiling(seconds: float) -> dict[str, Any]:
    """Requests/s the fake Bot API and the emulator answer for a trivial keep-alive client
    (raw HTTP/1.1, 16 connections, in its own process)."""
    work = scratch("ceiling")
    fakes = Fakes(EmulatorConfig(work_dir=work / "emulator"))
    await fakes.start()
    try:
        tg, em = fakes.tg, fakes.emulator
        assert em is not None
        tg.send_text(1001, "hi")  # the chat must exist for sendMessage
        out = {}
        for name, url, method, body, headers in (
            ("fake_bot_api_sendMessage", f"{tg.url}/bot{tg.token}/sendMessage", "POST",
             {"chat_id": 1001, "text": "hello"}, {}),
            ("emulator_query", f"{em.url}/api/v1/job/query?id=nope", "GET", None,
             {"Authorization": "Bearer x"}),
        ):
            spec = json.dumps({"url": url, "method": method, "body": body, "headers": headers,
                               "seconds": seconds, "concurrency": 16})
            proc = await asyncio.create_subprocess_exec(
                sys.executable, str(ROOT / "bench" / "ceiling.py"), spec,
                stdout=subprocess.PIPE)
            stdout, _ = await proc.communicate()
            out[name] = json.loads(stdout)
        return out
    finally:
        await fakes.stop()
        rmtree(work)


# ---- 1 + 2. update to reply, instruction to provider ----------------------------------------
async def latency(clip: Path, *, seconds: float, rate: float = 50.0, chats: int = 200,
                  no_overall_limit: bool = False, drain_s: float = 30.0) -> dict[str, Any]:
    work = scratch("latency")
    # Jobs stay queued for ever: nothing is rendered, so no ffmpeg competes for the CPU.
    fakes = Fakes(EmulatorConfig(queued_seconds=FOREVER, work_dir=work / "emulator"))
    await fakes.start()
    bot = BotProcess(fakes, work / "bot", BotOptions(no_overall_limit=no_overall_limit))
    try:
        await bot.start()
        tg, clocks = fakes.tg, fakes.clocks
        chat_ids = [700_000 + i for i in range(chats)]
        # Warm-up: every chat sends a clip first (an instruction needs one).
        warm = await paced(rate, [partial(inject, tg, "video", c, clip=clip) for c in chat_ids])
        await wait_until(lambda: all_answered(tg, warm), 60, 0.5)

        kinds = ("help", "video", "instruction")
        count = int(rate * seconds)
        plan = [partial(inject, tg, kinds[i % 3], chat_ids[i % chats], clip=clip)
                for i in range(count)]
        cpu0, drv0, t0 = bot.stat()[0], self_cpu(), time.monotonic()
        creates_before = len(clocks.creates)
        sent = await paced(rate, plan)
        elapsed = time.monotonic() - t0
        cpu1, drv1 = bot.stat()[0], self_cpu()
        await wait_until(lambda: all_answered(tg, sent), drain_s, 0.5)
        await wait_until(lambda: len(clocks.creates) - creates_before
                         >= sum(s.kind == "instruction" for s in sent), 20, 0.5)

        answers = Answers(tg.calls())
        downloads = download_seconds(tg, clocks, sent)
        result: dict[str, Any] = {
            "rate_per_s": rate, "chats": chats, "seconds": round(elapsed, 1),
            "updates": len(sent),
            "bot_cpu_pct_of_core": round(100 * (cpu1 - cpu0) / elapsed, 1),
            "driver_cpu_pct_of_core": round(100 * (drv1 - drv0) / elapsed, 1),
            "rate_limiter": "TELEGRAM_MAX_RATE=0: overall cap off" if no_overall_limit
            else "as shipped: TELEGRAM_MAX_RATE=30 (overall 30/s, max_retries=3)",
            "concurrent_updates": 64,
        }
        for kind in kinds:
            group = [s for s in sent if s.kind == kind]
            handout, injected, missing = latencies(
                group, answers, clocks, downloads if kind == "video" else None)
            result[kind] = {"handout_to_reply": summary_ms(handout),
                            "inject_to_reply": summary_ms(injected), "unanswered": missing}
        result["video"]["download_ms_p50"] = (
            round(1000 * (pct(list(downloads.values()), 50) or 0), 2))
        # 2: the update to the create request reaching the emulator.
        by_job = {}
        with bot.db() as db:
            for row in db.execute("SELECT id, chat_id, request_message_id FROM jobs"):
                by_job[row["id"]] = (row["chat_id"], row["request_message_id"])
        window = {(s.chat_id, s.message_id) for s in sent if s.kind == "instruction"}
        to_provider = []
        for t, job_id in clocks.creates[creates_before:]:
            key = by_job.get(job_id) if job_id is not None else None
            if key in window and key in clocks.handout:
                to_provider.append(t - clocks.handout[key])
        result["instruction_to_provider"] = summary_ms(to_provider)
        result["bot_errors"] = bot.errors_in_log()
        return result
    finally:
        await bot.stop()
        await fakes.stop()
        rmtree(work)


# ---- 3 + 6. completion to delivery; the media path ------------------------------------------
def _clip_edits(tg: TelegramEmulator) -> list[Call]:
    """A job's delivery: the editMessageMedia that puts the clip into its status message."""
    return [c for c in tg.calls("editMessageMedia")
            if c.ok and (c.params.get("media") or {}).get("type") == "video"]


def _instruction_of(call: Call) -> tuple[int, int | None]:
    """(chat, instruction message) of a delivery: the status message replies to it."""
    replied = (call.response or {}).get("reply_to_message") or {}
    return int(call.params["chat_id"]), replied.get("message_id")


BACKGROUND_TEXT = "remove the car"  # instructions that only load the bot: never rendered


def _background_stays_running(fakes: Fakes) -> None:
    """Jobs created from BACKGROUND_TEXT stay "running" and are never rendered, so no ffmpeg
    in the driver competes with the bot while it delivers the measured jobs."""
    em = fakes.em
    create = em.create

    async def create_then_hold(body: object, base_url: str) -> dict[str, Any]:
        answer = await create(body, base_url)
        args = body.get("args") if isinstance(body, dict) else None
        if isinstance(args, dict) and args.get("prompt") == BACKGROUND_TEXT \
                and answer.get("code") == 0:
            em.jobs[answer["data"]["job_id"]].stuck = True
        return answer

    em.create = create_then_hold  # type: ignore[method-assign]


def _results_rendered_once(fakes: Fakes) -> None:
    """Each kind and size of result is rendered with ffmpeg once; later jobs get a copy of it.
    A render takes most of a core for a while: one per measured job, in the driver, took the
    2 cores from the bot while it delivered (the provider renders on its own machines)."""
    em = fakes.em
    render = em._render
    made: dict[tuple[str, float], Path] = {}

    async def render_once(job: Any) -> None:
        key = (job.plan.kind, em.config.result_size_mb)
        first = made.get(key)
        if first is None:
            await render(job)
            made[key] = first = em.results_dir / f"first-{job.id}.mp4"
            await asyncio.to_thread(shutil.copyfile, job.result_path, first)
            return
        final = em.results_dir / f"{job.id}.mp4"
        await asyncio.to_thread(shutil.copyfile, first, final)
        job.result_path = final

    em._render = render_once  # type: ignore[method-assign]


def _callback_to_delivery(bot: BotProcess, sent: list[Sent]) -> dict[str, Any]:
    """For each job of `sent`: the emulator's completion callback to the clip's delivery (the
    editMessageMedia that puts it into the job's status message)."""
    tg, clocks = bot.fakes.tg, bot.fakes.clocks
    with bot.db() as db:
        rows = {r["id"]: (r["chat_id"], r["request_message_id"], r["provider_job_id"])
                for r in db.execute("SELECT id, chat_id, request_message_id, "
                                    "provider_job_id FROM jobs")}
    videos = {_instruction_of(c): c.time for c in _clip_edits(tg)}
    wanted = {(s.chat_id, s.message_id) for s in sent}
    callback_at: dict[int, float] = {}
    for t, job_id in clocks.callbacks:
        if job_id is not None:
            callback_at.setdefault(job_id, t)
    to_delivery, to_query = [], []
    for job_id, t in callback_at.items():
        chat, request, provider_id = rows.get(job_id, (None, None, None))
        if (chat, request) in videos and (chat, request) in wanted:
            to_delivery.append(videos[(chat, request)] - t)
            q = next((tq for tq, pid in clocks.queries if pid == provider_id and tq >= t), None)
            if q is not None:
                to_query.append(q - t)
    return {"delivered": len(to_delivery), "callback_to_delivery": summary_ms(to_delivery),
            "callback_to_requery": summary_ms(to_query)}


async def delivery(clip: Path, *, jobs: int, big_mb: float = 45.0,
                   load_rate: float = 20.0) -> dict[str, Any]:
    work = scratch("delivery")
    # 2 emulated s queued + 8 running at time scale 0.05: a job is done ~0.5 s after create.
    fakes = Fakes(EmulatorConfig(time_scale=0.05, result_size_mb=2.0,
                                 callback_retry_seconds=0.1, work_dir=work / "emulator"))
    await fakes.start()
    _background_stays_running(fakes)
    _results_rendered_once(fakes)
    bot = BotProcess(fakes, work / "bot")
    try:
        bot.workdir.mkdir(parents=True)
        bot.migrate()
        load_chats = await seed_sessions(bot.db_path, bot.media_dir, clip, 200,
                                         first_chat=820_000)
        await bot.start()
        tg = fakes.tg
        chat_ids = [800_000 + i for i in range(2 * jobs)]
        first_job_chat = 800_000 + 2 * jobs
        warm = await paced(20, [partial(inject, tg, "video", c, clip=clip)
                                for c in [*chat_ids, first_job_chat]])
        await wait_until(lambda: all_answered(tg, warm), 60, 0.2)

        def delivered(sent: list[Sent]) -> bool:
            done = {_instruction_of(c) for c in _clip_edits(tg)}
            return all((s.chat_id, s.message_id) in done for s in sent)

        # One job delivered before any is measured: the first delivery of a process pays for
        # what is done once (imports on first use, the first connections).
        first = [inject(tg, "instruction", first_job_chat, text="make it rainy")]
        await wait_until(lambda: delivered(first), 60, 0.2)

        # 3: one job every 0.4 s, so renders (ffmpeg, in the fake provider) rarely overlap.
        cpu0 = bot.stat()[0]
        sent = await paced(2.5, [partial(inject, tg, "instruction", c, text="make it rainy")
                                 for c in chat_ids[:jobs]])
        await wait_until(lambda: delivered(sent), 60, 0.2)
        cpu_used = bot.stat()[0] - cpu0
        measured = _callback_to_delivery(bot, sent)
        result: dict[str, Any] = {
            "jobs": jobs, "result_mb": 2.0, **measured,
            "bot_cpu_ms_per_delivery": round(
                1000 * cpu_used / max(1, measured["delivered"]), 1),
        }

        # 3b: the same while `load_rate` instructions/s arrive from 200 other chats (each a
        # job that stays running): deliveries must not queue behind the new work.
        load_plan = [partial(inject, tg, "instruction", load_chats[i % len(load_chats)],
                             text=BACKGROUND_TEXT)
                     for i in range(int(load_rate * jobs / 2.5 + load_rate * 2))]
        loading = asyncio.ensure_future(paced(load_rate, load_plan))
        await asyncio.sleep(1.0)
        cpu0, drv0 = bot.stat()[0], self_cpu()
        t0 = time.monotonic()
        sent_b = await paced(2.5, [partial(inject, tg, "instruction", c, text="make it rainy")
                                   for c in chat_ids[jobs:]])
        await wait_until(lambda: delivered(sent_b), 60, 0.2)
        load_sent = await loading
        result["under_load"] = {
            "load_instructions_per_s": load_rate, "load_instructions": len(load_sent),
            **_callback_to_delivery(bot, sent_b),
            "bot_cpu_pct_of_core": round(100 * (bot.stat()[0] - cpu0)
                                         / (time.monotonic() - t0), 1),
            # The fakes (and the emulator's fetch and probe of every new job's input) run in
            # the driver: on 2 cores its CPU is taken from the bot's.
            "driver_cpu_pct_of_core": round(100 * (self_cpu() - drv0)
                                            / (time.monotonic() - t0), 1),
        }
        await asyncio.sleep(2.0)

        # 6: peak RSS while relaying one result, 2 MB then big_mb, against the RSS just before.
        relay = {}
        for n, size in enumerate((2.0, big_mb)):
            fakes.em.config.result_size_mb = size
            chat = chat_ids[n]
            before = len(_clip_edits(tg))
            await asyncio.sleep(1.0)
            _, baseline, _ = bot.stat()
            cleared = reset_peak(bot.pid)
            with Sampler(bot.pid, 0.005) as sampler:
                one = inject(tg, "instruction", chat, text=f"make it rainy {n}")
                ok = await wait_until(lambda b=before: len(_clip_edits(tg)) > b, 120, 0.05)
                await asyncio.sleep(0.3)
            _, after, hwm = bot.stat()
            peak = max(sampler.peak, hwm if cleared else 0)
            call = _clip_edits(tg)[-1] if ok else None
            relay[f"{size:g}MB"] = {
                "delivered": bool(call and call.ok),
                "sent_mb": _mb(len(tg.uploaded_bytes(call, "media"))) if call and call.ok
                else None,
                "baseline_rss_mb": _mb(baseline), "peak_rss_mb": _mb(peak),
                "added_mb": _mb(peak - baseline), "rss_after_mb": _mb(after),
            }
            del one
        result["relay"] = relay
        result["bot_errors"] = bot.errors_in_log()
        return result
    finally:
        await bot.stop()
        await fakes.stop()
        rmtree(work)


# ---- 4. throughput ---------------------------------------------------------------------------
STEPS = (10, 20, 30, 50, 75, 100, 150, 200, 300, 400, 600, 800, 1200)


async def _ramp(bot: BotProcess, chat_ids: list[int], text: str, step_seconds: float,
                limit_s: float = 1.0, first: int = 10) -> dict[str, Any]:
    """Steady rates, lowest first, until p99 from injection to the first reply passes
    `limit_s` (or a message goes unanswered)."""
    tg = bot.fakes.tg
    steps = []
    best = 0
    turn = 0
    for rate in (r for r in STEPS if r >= first):
        count = int(rate * step_seconds)
        plan = []
        for _ in range(count):
            plan.append(partial(inject, tg, "instruction", chat_ids[turn % len(chat_ids)],
                                text=text))
            turn += 1
        cpu0, drv0, t0 = bot.stat()[0], self_cpu(), time.monotonic()
        sent = await paced(rate, plan)
        elapsed = time.monotonic() - t0
        cpu1, drv1 = bot.stat()[0], self_cpu()
        await wait_until(lambda s=sent: all_answered(tg, s), limit_s + 2, 0.2)
        handout, injected, missing = latencies(sent, Answers(tg.calls()), bot.fakes.clocks)
        p99 = pct(injected, 99)
        ok = missing == 0 and p99 is not None and p99 <= limit_s
        steps.append({"rate": rate, "achieved_rate": round(count / elapsed, 1),
                      "inject_to_reply": summary_ms(injected),
                      "handout_to_reply": summary_ms(handout), "unanswered": missing,
                      "bot_cpu_pct_of_core": round(100 * (cpu1 - cpu0) / elapsed, 1),
                      "driver_cpu_pct_of_core": round(100 * (drv1 - drv0) / elapsed, 1),
                      "ok": ok})
        if not ok:
            break
        best = rate
        await asyncio.sleep(1.0)  # let trailing work (provider calls, edits) settle
    return {"max_rate_p99_under_1s": best, "steps": steps}


async def throughput(clip: Path, *, step_seconds: float, variants: tuple[str, ...]
                     ) -> dict[str, Any]:
    """The bot (text instructions, each a job) and a bare PTB echo bot, on the same fakes.
    Variants: "bot", "bot_no_overall_limit", "echo_seq", "echo_c64"."""
    work = scratch("throughput")
    fakes = Fakes(EmulatorConfig(queued_seconds=FOREVER, work_dir=work / "emulator"))
    await fakes.start()
    out: dict[str, Any] = {}
    try:
        for variant in variants:
            is_echo = variant.startswith("echo")
            options = BotOptions(no_overall_limit=variant == "bot_no_overall_limit",
                                 echo_concurrent=(64 if variant == "echo_c64" else 0)
                                 if is_echo else None)
            bot = BotProcess(fakes, work / variant, options)
            try:
                chat_ids = list(range(900_000, 902_000))
                if not is_echo:
                    bot.workdir.mkdir(parents=True)
                    bot.migrate()
                    await seed_sessions(bot.db_path, bot.media_dir, clip, len(chat_ids),
                                  first_chat=chat_ids[0])
                await bot.start()
                text = "hello there" if is_echo else "remove the car"
                # The echo bot is far from its ceiling below 50/s: start there to save time.
                out[variant] = await _ramp(bot, chat_ids, text, step_seconds,
                                           first=50 if is_echo else 10)
                out[variant]["setting"] = {
                    "bot": "concurrent_updates(64), AIORateLimiter as shipped (30/s overall)",
                    "bot_no_overall_limit": "concurrent_updates(64), AIORateLimiter without "
                                            "the 30/s overall cap (diagnostic)",
                    "echo_seq": "PTB default: updates one by one, no rate limiter",
                    "echo_c64": "concurrent_updates(64), no rate limiter",
                }[variant]
                out[variant]["bot_errors"] = bot.errors_in_log()
            finally:
                await bot.stop()
        return out
    finally:
        await fakes.stop()
        rmtree(work)


# ---- 5. open jobs and idle sessions ------------------------------------------------------
async def open_jobs(clip: Path, *, jobs: int, sessions: int, window_s: float,
                    compress: float, profile_to: Path | None = None) -> dict[str, Any]:
    """`sessions` seeded sessions; then `jobs` instructions, each a job the provider keeps
    queued for ever (callbacks work, none comes); then `window_s` real seconds with the bot's
    poll schedule `compress` times faster (window_s * compress emulated seconds)."""
    work = scratch("jobs")
    fakes = Fakes(EmulatorConfig(queued_seconds=FOREVER, work_dir=work / "emulator"))
    await fakes.start()
    bot = BotProcess(fakes, work / "bot", BotOptions(compress=compress, job_timeout=86400))
    try:
        bot.workdir.mkdir(parents=True)
        bot.migrate()
        chats = await seed_sessions(bot.db_path, bot.media_dir, clip, sessions)
        await bot.start()
        tg, clocks = fakes.tg, fakes.clocks
        await asyncio.sleep(3)
        _, rss_sessions, _ = bot.stat()
        # Jobs: one instruction in each of the first `jobs` chats, at 100/s.
        sent = await paced(100, [partial(inject, tg, "instruction", c) for c in chats[:jobs]])
        await wait_until(lambda: len(fakes.em.jobs) >= jobs, 120, 0.5)
        await asyncio.sleep(2)
        with bot.db() as db:
            states = dict(db.execute("SELECT state, COUNT(*) FROM jobs GROUP BY state")
                          .fetchall())
        cpu0, _, _ = bot.stat()
        drv0 = self_cpu()
        t0 = time.monotonic()
        queries0 = len(clocks.queries)
        peak = 0
        spy = py_spy(bot.pid, window_s, profile_to)
        with Sampler(bot.pid, 0.5) as sampler:
            await asyncio.sleep(window_s)
            peak = sampler.peak
        t1 = time.monotonic()
        if spy is not None:
            spy.wait()
        cpu1, rss_end, hwm = bot.stat()
        drv1 = self_cpu()
        created = {job_id: t for t, job_id in clocks.creates if job_id is not None}
        last_create = max(created.values())
        first_minute_end = last_create + 60 / compress  # every job is past its first minute
        window = clocks.queries[queries0:]
        emulated_min = (t1 - t0) * compress / 60
        late = [t for t, _ in window if t >= first_minute_end]
        by_job: dict[str, list[float]] = {}
        for t, pid in window:
            by_job.setdefault(pid, []).append(t)
        gaps = [b - a for ts in by_job.values() for a, b in itertools.pairwise(ts)
                if a >= first_minute_end]
        late_min = max(1e-9, (t1 - first_minute_end) * compress / 60)
        open_count = sum(n for s, n in states.items()
                         if s in ("submitted", "running", "pending", "submitting"))
        return {
            "sessions": sessions, "jobs_open": open_count, "job_states": states,
            "instructions_answered": all_answered(tg, sent),
            "window_real_s": round(t1 - t0, 1), "compress": compress,
            "window_emulated_min": round(emulated_min, 1),
            "timing": "bot.engine.deps.Timing defaults (first poll 15 s, x1.6, max 60 s with "
                      "callbacks)" + (f", run {compress:g}x faster" if compress != 1 else ""),
            "queries_per_job_per_min_all": round(len(window) / open_count / emulated_min, 2),
            "queries_per_job_per_min_after_first_min": round(len(late) / open_count / late_min,
                                                             2),
            "poll_gap_emulated_s": {k: None if v is None else round(v * compress / 1000, 1)
                                    for k, v in summary_ms(gaps).items() if k != "n"},
            "driver_cpu_pct_of_core": round(100 * (drv1 - drv0) / (t1 - t0), 1),
            "queries_per_10s_real": [sum(1 for t, _ in window if t0 + i <= t < t0 + i + 10)
                                     for i in range(0, int(t1 - t0), 10)],
            "bot_cpu_s": round(cpu1 - cpu0, 2),
            "bot_cpu_pct_of_core": round(100 * (cpu1 - cpu0) / (t1 - t0), 2),
            "bot_cpu_ms_per_emulated_min": round(1000 * (cpu1 - cpu0) / emulated_min, 1),
            "rss_10k_sessions_idle_mb": _mb(rss_sessions),
            "rss_end_mb": _mb(rss_end),
            "peak_rss_mb": _mb(max(peak, hwm)),
            "bot_errors": bot.errors_in_log(),
            "bot_warnings": bot.warnings_in_log(),
        }
    finally:
        await bot.stop()
        await fakes.stop()
        rmtree(work)


# ---- 7. replies first, edits later (the send lanes) -----------------------------------------
SENDS = ("sendmessage", "editmessagetext", "sendvideo", "senddocument", "sendphoto",
         "sendchataction", "editmessagereplymarkup", "answercallbackquery")


async def lanes(clip: Path, *, seconds: float, rate: float = 20.0,
                chats: int = 200) -> dict[str, Any]:
    """Instructions at `rate`/s from `chats` chats with Telegram's 30/s overall cap on: the
    first reply (the status message) must not wait behind status edits, and what the bot
    sends per second must stay at or under the cap."""
    work = scratch("lanes")
    # Jobs go to running at once and stay there: every instruction brings a status message
    # and a "submitted" edit (and "running" edits once polls begin), no delivery.
    fakes = Fakes(EmulatorConfig(queued_seconds=0.0, running_seconds=FOREVER,
                                 work_dir=work / "emulator"))
    await fakes.start()
    # Stuck: "running" without rendering, so no ffmpeg in the driver competes for the CPU.
    fakes.em.inject(stuck=True)
    bot = BotProcess(fakes, work / "bot")
    try:
        await bot.start()
        tg, clocks = fakes.tg, fakes.clocks
        chat_ids = [900_000 + i for i in range(chats)]
        warm = await paced(rate, [partial(inject, tg, "video", c, clip=clip) for c in chat_ids])
        await wait_until(lambda: all_answered(tg, warm), 60, 0.5)
        await asyncio.sleep(2.0)  # let the warm-up's answers leave the limiter
        mark = len(tg.calls())
        plan = [partial(inject, tg, "instruction", chat_ids[i % chats])
                for i in range(int(rate * seconds))]
        sent = await paced(rate, plan)
        await wait_until(lambda: all_answered(tg, sent), 30, 0.5)
        await asyncio.sleep(3.0)  # deferred edits go out
        answers = Answers(tg.calls())
        handout, injected, missing = latencies(sent, answers, clocks)
        calls = [c for c in tg.calls()[mark:] if c.method.lower() in SENDS]
        times = [c.time for c in calls]
        per_second = _per_second(times)
        buckets = _per_clock_second(times)
        edits = sum(c.method.lower() == "editmessagetext" for c in calls)
        return {
            "rate_per_s": rate, "chats": chats, "instructions": len(sent),
            "rate_limiter": "as shipped: TELEGRAM_MAX_RATE=30 (one per 33 ms); progress edits "
                            "at most 5/s, in pauses",
            "handout_to_first_reply": summary_ms(handout),
            "inject_to_first_reply": summary_ms(injected), "unanswered": missing,
            "sends": len(calls), "status_edits": edits,
            # Telegram's "about 30 a second": counted per clock second, and (stricter, since a
            # token bucket may start a second with a burst) in any sliding second.
            "sends_per_s_max": max(buckets, default=0),
            "sends_per_s_mean": round(len(times) / max(len(buckets), 1), 1),
            "sends_per_sliding_s_max": max(per_second, default=0),
            "bot_errors": bot.errors_in_log(),
        }
    finally:
        await bot.stop()
        await fakes.stop()
        rmtree(work)


def _per_second(times: list[float]) -> list[int]:
    """Requests in each sliding one-second window that starts at a request."""
    times = sorted(times)
    counts, j = [], 0
    for i, t in enumerate(times):
        while times[j] < t - 1.0:
            j += 1
        counts.append(i - j + 1)
    return counts


def _per_clock_second(times: list[float]) -> list[int]:
    """Requests in each whole second from the first to the last."""
    if not times:
        return []
    start = min(times)
    counts = [0] * (int(max(times) - start) + 1)
    for t in times:
        counts[int(t - start)] += 1
    return counts


# ---- 8. what an instruction costs, in echo replies -----------------------------------------
async def _steady(bot: BotProcess, chat_ids: list[int], text: str, rate: float,
                  seconds: float, settle: Callable[[int], bool] | None = None,
                  warm_up: list[int] | None = None) -> dict[str, Any]:
    """`rate` texts a second for `seconds`, one per chat in turn; the bot's CPU from the first
    message until every one is answered (and `settle` holds), less its idle CPU; and the
    latency from handing out each update to its reply. `settle(n)`: the work of the first n
    messages is done (for the bot: their creates reached the provider). `warm_up`: chats
    that each send the same text first, answered before anything is measured, so that what a
    process does once (imports on first use, caches of compiled patterns) is not counted as
    per-message cost."""
    tg = bot.fakes.tg
    warm_up = warm_up or []

    def done(sent: list[Any], messages: int) -> Callable[[], bool]:
        return lambda: all_answered(tg, sent) and (settle is None or settle(messages))

    if warm_up:
        first = [partial(inject, tg, "instruction", chat, text=text) for chat in warm_up]
        await wait_until(done(await paced(rate, first), len(warm_up)), 30, 0.05)
    idle0, t_idle = bot.stat()[0], time.monotonic()
    await asyncio.sleep(2.0)
    idle_rate = (bot.stat()[0] - idle0) / (time.monotonic() - t_idle)
    plan = [partial(inject, tg, "instruction", chat_ids[i % len(chat_ids)], text=text)
            for i in range(int(rate * seconds))]
    cpu0, drv0, t0 = bot.stat()[0], self_cpu(), time.monotonic()
    sent = await paced(rate, plan)
    await wait_until(done(sent, len(warm_up) + len(sent)), 30, 0.05)
    elapsed = time.monotonic() - t0
    cpu1, drv1 = bot.stat()[0], self_cpu()
    handout, _, missing = latencies(sent, Answers(tg.calls()), bot.fakes.clocks)
    used = max(0.0, cpu1 - cpu0 - idle_rate * elapsed)
    return {"messages": len(sent), "rate_per_s": rate, "unanswered": missing,
            "cpu_ms_per_message": round(1000 * used / max(1, len(sent)), 2),
            "idle_cpu_pct_of_core": round(100 * idle_rate, 2),
            "bot_cpu_pct_of_core": round(100 * (cpu1 - cpu0) / elapsed, 1),
            "driver_cpu_pct_of_core": round(100 * (drv1 - drv0) / elapsed, 1),
            "handout_to_reply": summary_ms(handout)}


async def cost(clip: Path, *, seconds: float, rate: float = 20.0,
               rounds: int = 3) -> dict[str, Any]:
    """The bot's CPU per text instruction (a real job: status message, create, no rendering)
    against a bare PTB echo bot's CPU per reply, at the same steady rate on the same fakes.
    The overall cap is off for both (the echo bot has no limiter). The two take turns,
    `rounds` times (echo, bot, echo, bot, ...): a machine whose speed drifts over a minute (a
    shared host) then weighs on both alike. CPU figures are the rounds' means; the ratio is
    the median of the rounds' ratios (one round on a busy host moves it least)."""
    work = scratch("cost")
    fakes = Fakes(EmulatorConfig(queued_seconds=FOREVER, work_dir=work / "emulator"))
    await fakes.start()
    runs: dict[str, list[dict[str, Any]]] = {"echo_c64": [], "bot": []}
    try:
        # 200 chats measured, each sending once; 10 more warm each process up first.
        chat_ids, warm_up = list(range(910_000, 910_200)), list(range(910_200, 910_210))
        for n, variant in enumerate(["echo_c64", "bot"] * rounds):
            is_echo = variant.startswith("echo")
            bot = BotProcess(fakes, work / f"{variant}-{n}", BotOptions(
                no_overall_limit=True, echo_concurrent=64 if is_echo else None))
            try:
                settle = None
                if not is_echo:
                    bot.workdir.mkdir(parents=True)
                    bot.migrate()
                    await seed_sessions(bot.db_path, bot.media_dir, clip,
                                        len(chat_ids) + len(warm_up), first_chat=chat_ids[0])
                    base = len(fakes.clocks.creates)

                    def settle(messages: int, base: int = base) -> bool:
                        return len(fakes.clocks.creates) - base >= messages
                await bot.start()
                run = await _steady(bot, chat_ids, "hello there" if is_echo else "remove the car",
                                    rate, seconds, settle, warm_up=warm_up)
                run["bot_errors"] = bot.errors_in_log()
                runs[variant].append(run)
            finally:
                await bot.stop()
        out: dict[str, Any] = {}
        for variant, each in runs.items():
            per_round = [r["cpu_ms_per_message"] for r in each]
            # The first round's latencies stand for the variant; the CPU is the rounds' mean.
            out[variant] = {**each[0], "cpu_ms_per_message": round(mean(per_round), 2),
                            "cpu_ms_per_message_rounds": per_round,
                            "bot_errors": [e for r in each for e in r["bot_errors"]]}
        ratios = [round(b["cpu_ms_per_message"] / e["cpu_ms_per_message"], 2)
                  for e, b in zip(runs["echo_c64"], runs["bot"], strict=True)
                  if e["cpu_ms_per_message"]]
        out["rounds_in_echo_replies"] = ratios
        out["instruction_in_echo_replies"] = median(ratios) if ratios else None
        return out
    finally:
        await fakes.stop()
        rmtree(work)


# ---- 9. idle open jobs, in real time ----------------------------------------------------------
async def idle_jobs(clip: Path, *, counts: tuple[int, ...], window_s: float,
                    profile_to: Path | None = None) -> dict[str, Any]:
    """For each count: that many jobs open at the provider (seeded as a restart would find
    them, each submitted 5 minutes ago, callbacks working, none coming), the bot started,
    its start-up look at every job let finish, then `window_s` real seconds (the poll
    schedule uncompressed): the bot's CPU, RSS and provider queries in that window."""
    out: dict[str, Any] = {}
    for count in counts:
        work = scratch("idle")
        fakes = Fakes(EmulatorConfig(queued_seconds=FOREVER, work_dir=work / "emulator"))
        await fakes.start()
        bot = BotProcess(fakes, work / "bot", BotOptions(job_timeout=86400))
        try:
            bot.workdir.mkdir(parents=True)
            bot.migrate()
            chats = await seed_sessions(bot.db_path, bot.media_dir, clip, min(count, 1000))
            await seed_open_jobs(bot.db_path, fakes.em, chats, count)
            t_start = time.monotonic()
            await bot.start(timeout=120)
            clocks = fakes.clocks
            # Start-up: every open job is looked at once (a restart may have missed callbacks).
            await wait_until(lambda c=clocks, n=count: len(c.queries) >= n, 600, 0.5)
            startup_s = time.monotonic() - t_start
            await asyncio.sleep(5.0)
            cpu0, _, _ = bot.stat()
            drv0, t0 = self_cpu(), time.monotonic()
            queries0 = len(clocks.queries)
            spy = py_spy(bot.pid, window_s, None if profile_to is None
                          else profile_to.with_suffix(f".{count}.collapsed"))
            with Sampler(bot.pid, 0.5) as sampler:
                await asyncio.sleep(window_s)
                peak = sampler.peak
            t1 = time.monotonic()
            if spy is not None:
                spy.wait()
            cpu1, rss, hwm = bot.stat()
            drv1 = self_cpu()
            queries = len(clocks.queries) - queries0
            out[str(count)] = {
                "open_jobs": count, "window_real_s": round(t1 - t0, 1),
                "startup_look_s": round(startup_s, 1),
                "bot_cpu_pct_of_core": round(100 * (cpu1 - cpu0) / (t1 - t0), 2),
                "driver_cpu_pct_of_core": round(100 * (drv1 - drv0) / (t1 - t0), 1),
                "provider_queries_per_s": round(queries / (t1 - t0), 2),
                "queries_per_job_per_min": round(60 * queries / count / (t1 - t0), 3),
                "rss_mb": _mb(rss), "peak_rss_mb": _mb(max(peak, hwm)),
                "bot_errors": bot.errors_in_log(),
            }
        finally:
            await bot.stop()
            await fakes.stop()
            rmtree(work)
            forget()
    return out


def py_spy(pid: int, window_s: float, out: Path | None,
           per_second: int = 100) -> subprocess.Popen[bytes] | None:
    """py-spy sampling the bot for the window, as raw stacks into `out` (None: no profile)."""
    if out is None:
        return None
    return subprocess.Popen(
        ["py-spy", "record", "-p", str(pid), "-r", str(per_second), "-d", str(int(window_s)),
         "-f", "raw", "-o", str(out), "--nonblocking"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
