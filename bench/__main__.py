"""Run the benchmark suite: `python -m bench [--quick | --full] [--only NAMES]`.

Prints a table (target / measured / pass) and writes bench/results/latest.json.
See bench/README.md for what each figure means and how it is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from bench import bench_local_edits, crash, phases
from bench.rig import make_media

ROOT = Path(__file__).resolve().parent.parent

RESULTS = ROOT / "bench" / "results"
PHASES = ("ceiling", "cost", "latency", "delivery", "lanes", "throughput", "jobs", "idle",
          "explain", "local_edits")
# Asked for by name only (`--only crash`): the crash soak, SIGKILL at every phase of a job,
# CRASH_TIMES times each (about 10 minutes on 2 cores).
OPT_IN = ("crash",)
CRASH_TIMES = 50

PROFILES: dict[str, dict[str, Any]] = {
    "quick": {"ceiling_s": 2, "latency_s": 10, "latency_diag_s": 15, "delivery_jobs": 20,
              "lanes_s": 15, "step_s": 3, "cost_s": 10, "idle_window_s": 120, "jobs_window_s": 60,
              "jobs_compress": 10},
    "full": {"ceiling_s": 5, "latency_s": 30, "latency_diag_s": 60, "delivery_jobs": 100,
             "lanes_s": 60, "step_s": 10, "cost_s": 30, "idle_window_s": 300,
             "jobs_window_s": 600, "jobs_compress": 1},
}


def machine() -> dict[str, Any]:
    mem = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                             capture_output=True, text=True, timeout=5).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--", "bot"], cwd=ROOT,
                                    capture_output=True, text=True, timeout=5).stdout.strip())
    except (OSError, subprocess.SubprocessError):
        rev, dirty = "", False
    return {"cpus": os.cpu_count(), "mem_gib": round(mem / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "git": rev + (" (bot/ modified)" if dirty else "")}


def explain_bench() -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "bench.bench_explain"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    return {"returncode": done.returncode, "output": done.stdout.strip().splitlines()[-12:]}


async def run(profile: str, only: set[str], crash_times: int = CRASH_TIMES) -> dict[str, Any]:
    p = PROFILES[profile]
    media = make_media(RESULTS / "media")
    clip = media["clip"]
    out: dict[str, Any] = {}

    async def phase(name: str, coro: Any) -> None:
        t0 = time.monotonic()
        print(f"  {name} ...", flush=True)
        try:
            out[name] = await coro
        except Exception as exc:  # a failed phase is reported, the others still run
            out[name] = {"error": f"{type(exc).__name__}: {exc}",
                         "traceback": traceback.format_exc().splitlines()[-8:]}
        out[name]["phase_seconds"] = round(time.monotonic() - t0, 1)
        # Drop the finished phase's fakes (their recorded calls can be 100k objects) so the
        # driver's garbage collector does not pause the next phase's fake servers.
        phases.forget()

    if "ceiling" in only:
        await phase("ceiling", phases.fakes_ceiling(p["ceiling_s"]))
    if "cost" in only:
        await phase("cost", phases.cost(clip, seconds=p["cost_s"]))
    if "latency" in only:
        await phase("latency", phases.latency(clip, seconds=p["latency_s"]))
        await phase("latency_no_overall_limit", phases.latency(
            clip, seconds=p["latency_diag_s"], no_overall_limit=True, drain_s=10))
    if "delivery" in only:
        await phase("delivery", phases.delivery(clip, jobs=p["delivery_jobs"]))
    if "lanes" in only:
        await phase("lanes", phases.lanes(clip, seconds=p["lanes_s"]))
    if "throughput" in only:
        await phase("throughput", phases.throughput(
            clip, step_seconds=p["step_s"],
            variants=("bot", "bot_no_overall_limit", "echo_seq", "echo_c64")))
    if "jobs" in only:
        await phase("open_jobs", phases.open_jobs(
            clip, jobs=1000, sessions=10_000, window_s=p["jobs_window_s"],
            compress=p["jobs_compress"]))
    if "idle" in only:
        await phase("idle", phases.idle_jobs(clip, counts=(1000, 10_000),
                                             window_s=p["idle_window_s"]))
    if "explain" in only:
        t0 = time.monotonic()
        try:
            out["explain"] = await asyncio.to_thread(explain_bench)
        except Exception as exc:
            out["explain"] = {"error": f"{type(exc).__name__}: {exc}"}
        out["explain"]["phase_seconds"] = round(time.monotonic() - t0, 1)
    if "local_edits" in only:
        await phase("local_edits", bench_local_edits.measure())
    if "crash" in only:
        await phase("crash", crash_soak(clip, crash_times))
    return out


async def crash_soak(clip: Path, times: int) -> dict[str, Any]:
    reports = await crash.run_phases(crash.POINTS, times, clip, parallel=4)
    return {r.point: r.summary() for r in reports}


# ---- the table -----------------------------------------------------------------------------
def _get(d: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(d, dict) or key not in d:
            return None
        d = d[key]
    return d


def _ms(v: Any) -> str:
    return "n/a" if v is None else f"{v:.0f} ms" if v >= 10 else f"{v:.1f} ms"


Row = tuple[str, str, str, str, str]  # figure, target, measured, same-run baseline, pass


def baselines(r: dict[str, Any]) -> dict[str, Any]:
    """This run's yardsticks: the fakes' ceilings and the bare echo bot's cost, latency and
    throughput, each measured on the same machine minutes apart from the bot's figures."""
    ceil = r.get("ceiling", {})
    tp = r.get("throughput", {})
    echo = _get(r, "cost", "echo_c64") or {}
    return {
        "fake_bot_api_rps": _get(ceil, "fake_bot_api_sendMessage", "requests_per_s"),
        "emulator_rps": _get(ceil, "emulator_query", "requests_per_s"),
        "echo_cpu_ms": echo.get("cpu_ms_per_message"),
        "echo_p50_ms": _get(echo, "handout_to_reply", "p50"),
        "echo_p99_ms": _get(echo, "handout_to_reply", "p99"),
        "echo_rate": echo.get("rate_per_s"),
        "echo_max_rate": max((_get(tp, v, "max_rate_p99_under_1s") or 0)
                             for v in ("echo_seq", "echo_c64")) or None,
    }


def _echo_latency(b: dict[str, Any]) -> str:
    if b["echo_p99_ms"] is None:
        return "echo bot not run (--only cost)"
    return (f"echo bot p50 {_ms(b['echo_p50_ms'])} / p99 {_ms(b['echo_p99_ms'])} "
            f"@{b['echo_rate']:g}/s")


def _times(v: float | None, base: float | None) -> str:
    return "" if v is None or not base else f" = {v / base:.1f}x echo p99"


def rows(r: dict[str, Any]) -> list[Row]:
    out: list[Row] = []
    b = baselines(r)
    echo_lat = _echo_latency(b)

    def row(name: str, target: str, measured: str, base: str, ok: bool | None) -> None:
        out.append((name, target, measured, base,
                    "-" if ok is None else "PASS" if ok else "FAIL"))

    lat, diag = r.get("latency", {}), r.get("latency_no_overall_limit", {})
    # As shipped, 50 replies a second cannot all pass Telegram's 30/s: they queue, by design
    # (figure 7 is the as-shipped latency under the cap). Keeping up is judged with it off.
    over_cap = "(none: 50/s > the 30/s cap)"
    for label, data, limit in (("as shipped, 30/s cap", lat, None),
                               ("keeping up: cap off", diag, 100.0)):
        target = over_cap if limit is None else f"p99 < {limit:g} ms"
        if not data or "error" in data:
            row(f"1. update->reply ({label})", target,
                f"error: {data.get('error')}" if data else "not run", echo_lat,
                False if data else None)
            continue
        for kind, what in (("help", "/help"), ("video", "video (excl. download)"),
                           ("instruction", "instruction -> status")):
            h = _get(data, kind, "handout_to_reply") or {}
            miss = _get(data, kind, "unanswered") or 0
            text = (f"p50 {_ms(h.get('p50'))} / p99 {_ms(h.get('p99'))}"
                    + _times(h.get("p99"), b["echo_p99_ms"])
                    + (f", {miss} unanswered" if miss else ""))
            ok = None if limit is None else (
                h.get("p99") is not None and h["p99"] < limit and not miss)
            row(f"1. {what} @50/s mixed, 200 chats ({label})", target, text, echo_lat, ok)
        tp = data.get("instruction_to_provider") or {}
        row(f"2. instruction -> provider create ({label})", "(no target)",
            f"p50 {_ms(tp.get('p50'))} / p99 {_ms(tp.get('p99'))}", echo_lat, None)
    dl = r.get("delivery", {})
    for key, label in (("", "3. callback -> delivery (editMessageMedia), 2 MB"),
                       ("under_load", "3. callback -> delivery, 2 MB, while 20 instr/s")):
        data = _get(dl, key) if key else dl
        if not dl or data is None:
            continue
        c2d = data.get("callback_to_delivery") or {}
        row(f"{label} (n={c2d.get('n', 0)})", "p99 < 100 ms",
            f"p50 {_ms(c2d.get('p50'))} / p99 {_ms(c2d.get('p99'))}"
            + _times(c2d.get("p99"), b["echo_p99_ms"]) if c2d
            else f"error: {dl.get('error')}", echo_lat,
            bool(c2d.get("p99") is not None and c2d["p99"] < 100))
    ln = r.get("lanes", {})
    if ln:
        first = ln.get("handout_to_first_reply") or {}
        row("7. instruction -> status @20/s, 200 chats, 30/s cap on, edits deferred",
            "p99 < 100 ms",
            f"p50 {_ms(first.get('p50'))} / p99 {_ms(first.get('p99'))}"
            + _times(first.get("p99"), b["echo_p99_ms"])
            + (f", {ln.get('unanswered')} unanswered" if ln.get("unanswered") else "")
            if first else f"error: {ln.get('error')}", echo_lat,
            bool(first.get("p99") is not None and first["p99"] < 100 and not ln.get("unanswered")))
        top = ln.get("sends_per_s_max")
        row("7. messages to Telegram per second (busiest clock second)", "<= 30",
            f"{top} (mean {ln.get('sends_per_s_mean')}, busiest sliding second "
            f"{ln.get('sends_per_sliding_s_max')}; status edits sent: {ln.get('status_edits')})",
            "Telegram's cap", top is not None and top <= 30)
    cost = r.get("cost", {})
    if cost and "error" not in cost:
        ratio = cost.get("instruction_in_echo_replies")
        each = ", ".join(f"{x:g}" for x in cost.get("rounds_in_echo_replies", []))
        row("8. CPU per text instruction (a real job)", "<= 3 echo replies",
            f"{_get(cost, 'bot', 'cpu_ms_per_message')} ms = {ratio} echo replies"
            + (f" (median of rounds: {each})" if each else ""),
            f"echo bot {b['echo_cpu_ms']} ms CPU per reply @{b['echo_rate']:g}/s",
            ratio is not None and ratio <= 3)
    elif cost:
        row("8. CPU per instruction", "<= 3 echo replies", f"error: {cost.get('error')}", "",
            False)
    tp = r.get("throughput", {})
    echo = b["echo_max_rate"]
    bot = _get(tp, "bot", "max_rate_p99_under_1s")
    botd = _get(tp, "bot_no_overall_limit", "max_rate_p99_under_1s")
    for label, value in (("as shipped, 30/s cap", bot), ("cap off", botd)):
        if value is not None and echo:
            row(f"4. throughput, text instructions, p99 <= 1 s ({label})", "(ratio)",
                f"{value}/s = {100 * value / echo:.0f}% of the echo bot",
                f"echo bot {echo}/s (best of one-by-one and concurrent_updates(64))", None)
    oj = r.get("open_jobs", {})
    if oj and "error" not in oj:
        q = oj.get("queries_per_job_per_min_after_first_min")
        row(f"5. provider queries/job/min after 1st min ({oj.get('window_emulated_min')} "
            f"emulated min)", "<= 2", f"{q}", "", q is not None and q <= 2)
        row("5. bot CPU with 1,000 open jobs (time compressed)", "(no target)",
            f"{oj.get('bot_cpu_ms_per_emulated_min')} ms CPU per emulated min "
            f"({oj.get('bot_cpu_pct_of_core')}% of a core, time x{oj.get('compress')})", "",
            None)
        peak = oj.get("peak_rss_mb")
        row("5. peak RSS, 1,000 open jobs + 10,000 sessions", "< 200 MB", f"{peak} MB", "",
            peak is not None and peak < 200)
        idle = oj.get("rss_10k_sessions_idle_mb")
        row("5. RSS, 10,000 sessions (idle)", "< 200 MB", f"{idle} MB", "",
            idle is not None and idle < 200)
    elif oj:
        row("5. open jobs", "", f"error: {oj.get('error')}", "", False)
    idle_jobs = r.get("idle", {})
    if idle_jobs and "error" in idle_jobs:
        row("9. idle open jobs", "", f"error: {idle_jobs.get('error')}", "", False)
    for count, cpu_limit in (("1000", 2.0), ("10000", 10.0)):
        data = idle_jobs.get(count) if isinstance(idle_jobs, dict) else None
        if not data:
            continue
        cpu, rss = data.get("bot_cpu_pct_of_core"), data.get("peak_rss_mb")
        rss_ok = rss is not None and (count != "10000" or rss < 300)
        row(f"9. {int(count):,} open jobs idle, {data.get('window_real_s')} real s",
            f"CPU < {cpu_limit:g}% of a core" + (", RSS < 300 MB" if count == "10000" else ""),
            f"CPU {cpu}%, RSS {rss} MB, {data.get('provider_queries_per_s')} queries/s",
            "(callbacks working, none coming)", cpu is not None and cpu < cpu_limit and rss_ok)
    relay = _get(dl, "relay") or {}
    for size, data in relay.items():
        added = data.get("added_mb")
        row(f"6. RSS added relaying a {size} result", "< 20 MB",
            f"+{added} MB (peak {data.get('peak_rss_mb')} MB)", "",
            added is not None and added < 20 and bool(data.get("delivered")))
    edits = r.get("local_edits", {})
    for name, data in (edits.get("latency") or {}).items():
        row(f"7. local edit, 10 s 720p: {name}", "(no target)",
            f"median {_ms(data['median_ms'])} / max {_ms(data['max_ms'])}", "", None)
    busy = edits.get("stall_four_edits") or {}
    if busy:
        row("7. event loop's worst stall, 4 local edits at once", "< 50 ms",
            f"{_ms(busy['worst_stall_ms'])}",
            f"idle loop {_ms(_get(edits, 'stall_idle', 'worst_stall_ms'))}",
            busy["worst_stall_ms"] < bench_local_edits.STALL_TARGET_MS)
    elif edits:
        row("7. local edits", "", f"error: {edits.get('error')}", "", False)
    for point, data in (r.get("crash") or {}).items():
        if not isinstance(data, dict) or "kills" not in data:
            continue
        delivered = data["ended"].get("delivered", 0)
        ok = not data["problems"] and data["clips"] == delivered
        row(f"10. SIGKILL at {point}, restarted",
            "every job ends; 1 clip each; ledger sums",
            f"{data['kills']} kills: {data['ended']}, {data['clips']} clips, "
            f"{data['duplicate_done_notes']} duplicate done notes, "
            f"{len(data['problems'])} problems", "", ok)
    windows = [d.get("duplicate_window_ms") or {} for d in (r.get("crash") or {}).values()
               if isinstance(d, dict)]
    if windows:
        worst = max((w.get("p99") or 0 for w in windows), default=0)
        row("10. duplicate window: clip edit reaches Telegram -> delivered commit",
            "(measured)", f"p50 {_ms(windows[0].get('p50'))} (first phase), worst phase p99 "
            f"{_ms(worst)}", "", None)
    return out


HEADER = ("figure", "target", "measured", "same-run baseline", "pass")


def yardsticks(r: dict[str, Any]) -> str:
    b = baselines(r)
    parts = []
    if b["fake_bot_api_rps"]:
        parts.append(f"fake Bot API {b['fake_bot_api_rps']:,} req/s, emulator "
                     f"{b['emulator_rps']:,} req/s (raw keep-alive client)")
    if b["echo_cpu_ms"] is not None:
        parts.append(f"echo bot {b['echo_cpu_ms']} ms CPU/reply, {_echo_latency(b)}")
    if b["echo_max_rate"]:
        parts.append(f"echo bot ceiling {b['echo_max_rate']}/s")
    return "this run's yardsticks: " + ("; ".join(parts) if parts else "not measured "
                                         "(add ceiling,cost to --only)")


def table(r: dict[str, Any]) -> str:
    body = rows(r)
    widths = [max(len(x[i]) for x in [HEADER, *body]) for i in range(len(HEADER))]
    line = " | ".join
    out = [yardsticks(r), "",
           line(h.ljust(w) for h, w in zip(HEADER, widths, strict=True)),
           "-+-".join("-" * w for w in widths)]
    out += [line(c.ljust(w) for c, w in zip(x, widths, strict=True)) for x in body]
    return "\n".join(out)


def markdown(r: dict[str, Any], machine_line: str) -> str:
    """The same table for the README's Performance section."""
    sticks = yardsticks(r)
    out = [machine_line, "", sticks[0].upper() + sticks[1:] + ".", "",
           "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    out += ["| " + " | ".join(c.replace("|", "/") for c in x) + " |" for x in rows(r)]
    return "\n".join(out) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="the default: about 5 minutes")
    mode.add_argument("--full", action="store_true",
                      help="longer windows, 10 real minutes of open jobs: about 20 minutes")
    ap.add_argument("--only", default=",".join(PHASES),
                    help=f"comma-separated subset of {','.join(PHASES + OPT_IN)} "
                         "(crash only when named)")
    ap.add_argument("--crash-times", type=int, default=CRASH_TIMES,
                    help="kills per phase in the crash soak")
    ap.add_argument("--out", type=Path, default=RESULTS / "latest.json")
    args = ap.parse_args()
    profile = "full" if args.full else "quick"
    only = {x.strip() for x in args.only.split(",") if x.strip()}
    unknown = only - set(PHASES + OPT_IN)
    if unknown:
        ap.error(f"unknown phase(s): {', '.join(sorted(unknown))}")
    started = dt.datetime.now(dt.UTC)
    load_before = os.getloadavg()
    print(f"bench ({profile}): {', '.join(p for p in PHASES + OPT_IN if p in only)}",
          flush=True)
    t0 = time.monotonic()
    results = asyncio.run(run(profile, only, args.crash_times))
    report = {
        "date": started.isoformat(timespec="seconds"), "profile": profile,
        "command": "python -m bench" + (" --full" if profile == "full" else ""),
        "machine": machine(), "seconds": round(time.monotonic() - t0, 1),
        # Other work on the machine skews every figure: the 1-minute load average before and
        # after the run (2.0 on 2 cores = both busy before the benchmark starts).
        "load_average": {"before": round(load_before[0], 2),
                         "after": round(os.getloadavg()[0], 2)},
        "settings": PROFILES[profile], "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, default=str))
    print()
    print(table(results))
    m = report["machine"]
    machine_line = (f"Measured {report['date'][:10]} on {m['cpus']} cores, {m['mem_gib']} GiB, "
                    f"Python {m['python']}, commit {m['git']}, `{report['command']}` "
                    f"({report['seconds']:.0f} s), load average {report['load_average']['before']}"
                    f" before and {report['load_average']['after']} after.")
    args.out.with_suffix(".md").write_text(markdown(results, machine_line))
    print(f"\n{report['machine']}; {report['seconds']} s; load average "
          f"{report['load_average']}; written to {args.out} (and .md)")
    if "explain" in results and results["explain"].get("output"):
        print("\nbench_explain.py:\n  " + "\n  ".join(results["explain"]["output"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
