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
PHASES = ("ceiling", "latency", "delivery", "lanes", "throughput", "jobs", "explain",
          "local_edits")
# Asked for by name only (`--only crash`): the crash soak, SIGKILL at every phase of a job,
# CRASH_TIMES times each (about 10 minutes on 2 cores).
OPT_IN = ("crash",)
CRASH_TIMES = 50

PROFILES: dict[str, dict[str, Any]] = {
    "quick": {"ceiling_s": 2, "latency_s": 10, "latency_diag_s": 15, "delivery_jobs": 20,
              "lanes_s": 15, "step_s": 3, "jobs_window_s": 60, "jobs_compress": 10},
    "full": {"ceiling_s": 5, "latency_s": 30, "latency_diag_s": 60, "delivery_jobs": 100,
             "lanes_s": 60, "step_s": 10, "jobs_window_s": 600, "jobs_compress": 1},
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


def rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    out: list[tuple[str, str, str, str]] = []

    def row(name: str, target: str, measured: str, ok: bool | None) -> None:
        out.append((name, target, measured, "-" if ok is None else "PASS" if ok else "FAIL"))

    lat, diag = r.get("latency", {}), r.get("latency_no_overall_limit", {})
    for label, data, judged in (("as shipped", lat, True),
                                ("diag: no 30/s overall cap", diag, False)):
        if not data or "error" in data:
            row(f"1. update->reply ({label})", "p99 < 50 ms", f"error: {data.get('error')}"
                if data else "not run", False if judged and data else None)
            continue
        for kind, what in (("help", "/help"), ("video", "video (excl. download)"),
                           ("instruction", "instruction -> status")):
            h = _get(data, kind, "handout_to_reply") or {}
            miss = _get(data, kind, "unanswered") or 0
            text = f"p50 {_ms(h.get('p50'))} / p99 {_ms(h.get('p99'))}" + (
                f", {miss} unanswered" if miss else "")
            ok = h.get("p99") is not None and h["p99"] < 50 and not miss
            row(f"1. {what} @50/s, 200 chats ({label})", "p99 < 50 ms", text,
                ok if judged else None)
        tp = data.get("instruction_to_provider") or {}
        row(f"2. instruction -> provider create ({label})", "(no target)",
            f"p50 {_ms(tp.get('p50'))} / p99 {_ms(tp.get('p99'))}", None)
    dl = r.get("delivery", {})
    c2d = dl.get("callback_to_delivery") or {}
    if dl:
        row(f"3. callback -> delivery (editMessageMedia), 2 MB (n={c2d.get('n', 0)})",
            "p99 < 100 ms",
            f"p50 {_ms(c2d.get('p50'))} / p99 {_ms(c2d.get('p99'))}" if c2d else
            f"error: {dl.get('error')}", bool(c2d.get("p99") is not None and c2d["p99"] < 100))
    ln = r.get("lanes", {})
    if ln:
        first = ln.get("handout_to_first_reply") or {}
        row("7. instruction -> status @20/s, 200 chats, 30/s cap on", "p99 < 100 ms",
            f"p50 {_ms(first.get('p50'))} / p99 {_ms(first.get('p99'))}"
            + (f", {ln.get('unanswered')} unanswered" if ln.get("unanswered") else "")
            if first else f"error: {ln.get('error')}",
            bool(first.get("p99") is not None and first["p99"] < 100 and not ln.get("unanswered")))
        top = ln.get("sends_per_s_max")
        row("7. messages to Telegram per second (busiest clock second)", "<= 30",
            f"{top} (mean {ln.get('sends_per_s_mean')}, busiest sliding second "
            f"{ln.get('sends_per_sliding_s_max')}; status edits sent: {ln.get('status_edits')})",
            top is not None and top <= 30)
    tp = r.get("throughput", {})
    echo = max((_get(tp, v, "max_rate_p99_under_1s") or 0) for v in ("echo_seq", "echo_c64"))
    bot = _get(tp, "bot", "max_rate_p99_under_1s")
    botd = _get(tp, "bot_no_overall_limit", "max_rate_p99_under_1s")
    if bot is not None and echo:
        row("4. throughput, text instructions (as shipped)", ">= 50% of echo bot",
            f"{bot}/s vs echo {echo}/s = {100 * bot / echo:.0f}%", bot / echo >= 0.5)
    if botd is not None and echo:
        row("4. throughput (diag: no 30/s overall cap)", ">= 50% of echo bot",
            f"{botd}/s vs echo {echo}/s = {100 * botd / echo:.0f}%", None)
    for v, label in (("echo_seq", "echo bot, updates one by one"),
                     ("echo_c64", "echo bot, concurrent_updates(64)")):
        if _get(tp, v) is not None:
            row(f"4. {label}", "(ceiling)", f"{_get(tp, v, 'max_rate_p99_under_1s')}/s", None)
    oj = r.get("open_jobs", {})
    if oj and "error" not in oj:
        q = oj.get("queries_per_job_per_min_after_first_min")
        row(f"5. provider queries/job/min after 1st min ({oj.get('window_emulated_min')} "
            f"emulated min)", "<= 2", f"{q}", q is not None and q <= 2)
        row("5. bot CPU with 1,000 open jobs", "(no target)",
            f"{oj.get('bot_cpu_ms_per_emulated_min')} ms CPU per emulated min "
            f"({oj.get('bot_cpu_pct_of_core')}% of a core, time x{oj.get('compress')})", None)
        peak = oj.get("peak_rss_mb")
        row("5. peak RSS, 1,000 open jobs + 10,000 sessions", "< 200 MB", f"{peak} MB",
            peak is not None and peak < 200)
        idle = oj.get("rss_10k_sessions_idle_mb")
        row("5. RSS, 10,000 sessions (idle)", "< 200 MB", f"{idle} MB",
            idle is not None and idle < 200)
    elif oj:
        row("5. open jobs", "", f"error: {oj.get('error')}", False)
    relay = _get(dl, "relay") or {}
    for size, data in relay.items():
        added = data.get("added_mb")
        row(f"6. RSS added relaying a {size} result", "< 20 MB",
            f"+{added} MB (peak {data.get('peak_rss_mb')} MB)",
            added is not None and added < 20 and bool(data.get("delivered")))
    edits = r.get("local_edits", {})
    for name, data in (edits.get("latency") or {}).items():
        row(f"7. local edit, 10 s 720p: {name}", "(no target)",
            f"median {_ms(data['median_ms'])} / max {_ms(data['max_ms'])}", None)
    busy = edits.get("stall_four_edits") or {}
    if busy:
        row("7. event loop's worst stall, 4 local edits at once", "< 50 ms",
            f"{_ms(busy['worst_stall_ms'])} (idle: "
            f"{_ms(_get(edits, 'stall_idle', 'worst_stall_ms'))})",
            busy["worst_stall_ms"] < bench_local_edits.STALL_TARGET_MS)
    elif edits:
        row("7. local edits", "", f"error: {edits.get('error')}", False)
    for point, data in (r.get("crash") or {}).items():
        if not isinstance(data, dict) or "kills" not in data:
            continue
        delivered = data["ended"].get("delivered", 0)
        ok = not data["problems"] and data["clips"] == delivered
        row(f"8. SIGKILL at {point}, restarted", "every job ends; 1 clip each; ledger sums",
            f"{data['kills']} kills: {data['ended']}, {data['clips']} clips, "
            f"{data['duplicate_done_notes']} duplicate done notes, "
            f"{len(data['problems'])} problems", ok)
    windows = [d.get("duplicate_window_ms") or {} for d in (r.get("crash") or {}).values()
               if isinstance(d, dict)]
    if windows:
        worst = max((w.get("p99") or 0 for w in windows), default=0)
        row("8. duplicate window: clip edit reaches Telegram -> delivered commit",
            "(measured)", f"p50 {_ms(windows[0].get('p50'))} (first phase), worst phase p99 "
            f"{_ms(worst)}", None)
    ceil = r.get("ceiling", {})
    for name, data in ceil.items():
        if isinstance(data, dict) and "requests_per_s" in data:
            row(f"fake server ceiling: {name}", "(info)", f"{data['requests_per_s']} req/s",
                None)
    return out


def table(r: dict[str, Any]) -> str:
    body = rows(r)
    widths = [max(len(x[i]) for x in [("figure", "target", "measured", "pass"), *body])
              for i in range(4)]
    line = " | ".join
    out = [line(h.ljust(w) for h, w in zip(("figure", "target", "measured", "pass"), widths,
                                           strict=True)),
           "-+-".join("-" * w for w in widths)]
    out += [line(c.ljust(w) for c, w in zip(x, widths, strict=True)) for x in body]
    return "\n".join(out)


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
    print(f"bench ({profile}): {', '.join(p for p in PHASES + OPT_IN if p in only)}",
          flush=True)
    t0 = time.monotonic()
    results = asyncio.run(run(profile, only, args.crash_times))
    report = {
        "date": started.isoformat(timespec="seconds"), "profile": profile,
        "command": "python -m bench" + (" --full" if profile == "full" else ""),
        "machine": machine(), "seconds": round(time.monotonic() - t0, 1),
        "settings": PROFILES[profile], "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, default=str))
    print()
    print(table(results))
    print(f"\n{report['machine']}; {report['seconds']} s; written to {args.out}")
    if "explain" in results and results["explain"].get("output"):
        print("\nbench_explain.py:\n  " + "\n  ".join(results["explain"]["output"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
