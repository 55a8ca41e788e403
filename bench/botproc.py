"""The bot as the benchmark runs it: `bot.app.BotApp` from the environment, like `python -m bot`.

One knob, off unless the benchmark asks, and both said beside every figure they touch:
- BENCH_COMPRESS=k: the poll schedule (`bot.engine.deps.Timing`) runs k times faster, so
  k emulated minutes pass in one real minute (queries per job per *emulated* minute are then
  the same as uncompressed);
(The overall send-rate cap is the bot's own TELEGRAM_MAX_RATE setting, set by the rig.)
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import replace
from pathlib import Path

from bot import event_loop
from bot.app import run_forever
from bot.config import load_settings
from bot.engine.deps import Timing


def timing(settings_timeout: float, compress: float) -> Timing:
    base = Timing(job_timeout=settings_timeout)
    if compress == 1.0:
        return base
    return replace(
        base,
        first_poll=base.first_poll / compress,
        max_poll_with_callback=base.max_poll_with_callback / compress,
        max_poll_without_callback=base.max_poll_without_callback / compress,
        job_timeout=base.job_timeout / compress,
    )


def profile_sql(out: Path) -> None:
    """Diagnostic (BENCH_SQL_PROFILE=path): time every call aiosqlite runs in its thread,
    by SQL text, and write the totals to `path` at exit."""
    import atexit
    import collections
    import time

    import aiosqlite.core

    totals: collections.Counter[str] = collections.Counter()
    counts: collections.Counter[str] = collections.Counter()
    original = aiosqlite.core.Connection._execute

    async def timed(self, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        key = " ".join(str(args[0]).split())[:150] if args and isinstance(args[0], str) \
            else getattr(fn, "__name__", "?")

        def run():  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                totals[key] += time.perf_counter() - t
                counts[key] += 1

        return await original(self, run)

    aiosqlite.core.Connection._execute = timed  # type: ignore[method-assign]

    def dump() -> None:
        rows = [f"{1000 * t:9.1f} ms {counts[k]:7d} calls  {k}" for k, t in totals.most_common()]
        out.write_text("\n".join(rows) + "\n")

    atexit.register(dump)


async def main() -> None:
    settings = load_settings(os.environ, dotenv=None)
    if os.environ.get("BENCH_SQL_PROFILE"):
        profile_sql(Path(os.environ["BENCH_SQL_PROFILE"]))
    compress = float(os.environ.get("BENCH_COMPRESS") or 1.0)
    await run_forever(settings, timing(settings.job_timeout_seconds, compress))


if __name__ == "__main__":
    # As `python -m bot run` does; BENCH_LOOP=asyncio for asyncio's own loop (to compare).
    if os.environ.get("BENCH_LOOP") == "asyncio":
        asyncio.run(main())
    else:
        event_loop.run(main())
