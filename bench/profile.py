"""Profile the bot process under a steady load with py-spy (pip install py-spy).

    python -m bench.profile [--kind instruction|video|help|relay|idle] [--rate 40]
                            [--seconds 15] [--no-overall-limit] [--sql] [--jobs 1000]
                            [--out bench/results/profile-KIND.txt]

`--kind idle`: `--jobs` open jobs waiting (seeded as a restart finds them), sampled for
`--seconds` real seconds after the bot's start-up look at each.

Writes py-spy's collapsed stacks next to a summary: the functions with the most samples
(inclusive), limited to frames of the bot, PTB, httpx, aiosqlite, uvicorn and asyncio.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
from functools import partial
from pathlib import Path

from bench.load import inject, paced
from bench.phases import FOREVER, all_answered, idle_jobs, py_spy
from bench.rig import BotOptions, BotProcess, Fakes, make_media, rmtree, scratch
from bench.seed import seed_sessions
from bot.emulator.state import EmulatorConfig

# Leaf frames where a thread waits rather than works (py-spy samples them all the same).
IDLE_LEAVES = ("EpollSelector.select", "Condition.wait", "_worker (concurrent/futures",
               "Queue.get (queue.py", "_connection_worker_thread (aiosqlite/core.py:59)")


def summarize(collapsed: Path, top: int = 40) -> str:
    """Busy samples only (those whose leaf is not a wait), inclusive and self."""
    inclusive: collections.Counter[str] = collections.Counter()
    leaf: collections.Counter[str] = collections.Counter()
    total = idle = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        frames = stack.split(";")
        if frames[-1].startswith(IDLE_LEAVES):
            idle += n
            continue
        total += n
        for frame in set(frames):
            inclusive[frame] += n
        leaf[frames[-1]] += n
    total = max(total, 1)
    lines = [f"{total} busy samples ({idle} waiting, left out)", "", "inclusive:"]
    lines += [f"{100 * n / total:5.1f}%  {f}" for f, n in inclusive.most_common(top)]
    lines += ["", "the bot's own frames (inclusive):"]
    ours = [(f, n) for f, n in inclusive.most_common() if "(bot/" in f]
    lines += [f"{100 * n / total:5.1f}%  {f}" for f, n in ours[:top]]
    lines += ["", "self (leaf):"]
    lines += [f"{100 * n / total:5.1f}%  {f}" for f, n in leaf.most_common(top)]
    return "\n".join(lines)


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kind", default="instruction")
    ap.add_argument("--rate", type=float, default=40)
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--no-overall-limit", action="store_true")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--sql", action="store_true", help="also time every SQL statement")
    ap.add_argument("--jobs", type=int, default=1000, help="--kind idle: open jobs")
    args = ap.parse_args()
    root = Path(__file__).resolve().parent  # noqa: ASYNC240
    out = args.out or root / "results" / f"profile-{args.kind}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    media = make_media(root / "results" / "media")
    if args.kind == "idle":  # open jobs waiting: py-spy over the idle phase's window
        figures = await idle_jobs(media["clip"], counts=(args.jobs,), window_s=args.seconds,
                                  profile_to=out)
        raw = out.with_suffix(f".{args.jobs}.collapsed")
        out.write_text(json.dumps(figures) + "\n\n" + summarize(raw))
        print(f"wrote {out} and {raw}")
        return
    work = scratch("profile")
    big = args.kind == "relay"
    fakes = Fakes(EmulatorConfig(
        queued_seconds=2 if big else FOREVER, time_scale=0.05, result_size_mb=45 if big else 0,
        work_dir=work / "emulator"))
    await fakes.start()
    sql_out = out.with_suffix(".sql.txt")
    bot = BotProcess(fakes, work / "bot", BotOptions(
        no_overall_limit=args.no_overall_limit,
        extra_env={"BENCH_SQL_PROFILE": str(sql_out)} if args.sql else {}))
    try:
        chats = list(range(600_000, 602_000))
        bot.workdir.mkdir(parents=True)
        bot.migrate()
        await seed_sessions(bot.db_path, bot.media_dir, media["clip"], len(chats), chats[0])
        await bot.start()
        tg = fakes.tg
        raw = out.with_suffix(".collapsed")
        spy = py_spy(bot.pid, args.seconds + 2, raw, per_second=200)
        assert spy is not None
        await asyncio.sleep(1)
        count = 3 if big else int(args.rate * args.seconds)
        rate = 0.25 if big else args.rate
        kind = "instruction" if big else args.kind
        sent = await paced(rate, [partial(inject, tg, kind, chats[i % len(chats)],
                                          clip=media["clip"]) for i in range(count)])
        if big:
            await asyncio.sleep(args.seconds - 12)
        else:
            await asyncio.sleep(1)
        print("answered:", all_answered(tg, sent))
        spy.wait()
        out.write_text(summarize(raw))
        print(f"wrote {out} and {raw}")
    finally:
        await bot.stop()
        if args.sql:
            print(f"SQL timings in {sql_out}")
        await fakes.stop()
        rmtree(work)


if __name__ == "__main__":
    asyncio.run(main())
