"""Local edit latency on a 10 s 720p clip, and the event loop's worst stall while edits run.

    python -m bench.bench_local_edits [--repeat N] [--out PATH]
    python -m bench --only local_edits

Each edit runs alone `repeat` times (median and max reported) through the bot's own
`FfmpegRunner` and `apply_edit`. Then four edits start at once on a runner with the default
limit (2 at a time, the rest queue) while a ticker on the same event loop sleeps 5 ms again and
again and records how late each wake-up is: the worst lateness is the loop's worst stall.
The same ticker alone, before any edit, gives the machine's own baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.domain.local_edits import LocalEdit
from bot.media.edits import apply_edit, output_suffix
from bot.media.ffmpeg import FfmpegRunner
from bot.media.fit import TrimResult, trim
from bot.media.probe import MediaInfo, probe

TICK = 0.005
STALL_TARGET_MS = 50.0
EDITS: dict[str, LocalEdit] = {
    "speed 2x": LocalEdit("speed", factor=2.0),
    "crop 9:16": LocalEdit("crop", aspect_ratio="9:16"),
    "gif": LocalEdit("gif"),
    "mute": LocalEdit("mute"),
    "reverse": LocalEdit("reverse"),
    "frame at 3 s": LocalEdit("frame", at=3.0),
}


async def make_clip(runner: FfmpegRunner, dest: Path) -> Path:
    """A 10 s 1280x720 30 fps H.264/AAC clip with a keyframe every 2 s, like a phone's."""
    await runner.run(
        "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=10",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=10",
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-g", "60",
        "-keyint_min", "60", "-sc_threshold", "0", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-shortest", "-movflags", "+faststart", str(dest),
    )  # fmt: skip
    return dest


async def _timed(coro: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = await coro
    return (time.perf_counter() - t0) * 1000, result


def _summary(samples: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(samples), 1), "max_ms": round(max(samples), 1),
            "n": len(samples)}


async def latencies(clip: Path, info: MediaInfo, work: Path, repeat: int) -> dict[str, Any]:
    runner = FfmpegRunner()
    out: dict[str, Any] = {}
    for name, start, end in (("trim, stream copy (2-8 s)", 2.0, 8.0),
                             ("trim, re-encode (2.5-8.5 s)", 2.5, 8.5)):
        times, methods = [], set()
        for _ in range(repeat):
            ms, result = await _timed(trim(runner, clip, work / "trim.mp4", start, end))
            assert isinstance(result, TrimResult)
            times.append(ms)
            methods.add(result.method)
        out[name] = {**_summary(times), "method": "/".join(sorted(methods))}
    for name, edit in EDITS.items():
        dest = work / f"edit{output_suffix(edit)}"
        times = [(await _timed(apply_edit(runner, clip, dest, edit, info)))[0]
                 for _ in range(repeat)]
        out[name] = _summary(times)
    return out


async def _ticker(stop: asyncio.Event, lateness: list[float]) -> None:
    while not stop.is_set():
        t0 = time.perf_counter()
        await asyncio.sleep(TICK)
        lateness.append((time.perf_counter() - t0 - TICK) * 1000)


async def stall(clip: Path, info: MediaInfo, work: Path, edits: list[LocalEdit] | None,
                seconds: float = 2.0) -> dict[str, Any]:
    """The ticker's lateness while `edits` run at once (or for `seconds` with none)."""
    lateness: list[float] = []
    stop = asyncio.Event()
    ticker = asyncio.create_task(_ticker(stop, lateness))
    runner = FfmpegRunner()  # the default: two at a time
    t0 = time.perf_counter()
    if edits:
        await asyncio.gather(*(
            apply_edit(runner, clip, work / f"stall{i}{output_suffix(e)}", e, info)
            for i, e in enumerate(edits)))
    else:
        await asyncio.sleep(seconds)
    wall = time.perf_counter() - t0
    stop.set()
    await ticker
    ordered = sorted(lateness)
    return {"worst_stall_ms": round(ordered[-1], 1),
            "p99_stall_ms": round(ordered[int(len(ordered) * 0.99) - 1], 1),
            "ticks": len(ordered), "wall_s": round(wall, 2), "runner_limit": runner.limit}


async def measure(repeat: int = 3) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-edits-") as tmp:
        work = Path(tmp)
        clip = await make_clip(FfmpegRunner(), work / "clip.mp4")
        info = await probe(clip)
        four = [LocalEdit("trim", start=2.5, end=8.5), LocalEdit("speed", factor=2.0),
                LocalEdit("crop", aspect_ratio="9:16"), LocalEdit("gif")]
        return {
            "clip": f"{info.duration:.1f} s {info.width}x{info.height} {info.fps:g} fps "
                    f"{info.codec}/{info.audio_codec}",
            "latency": await latencies(clip, info, work, repeat),
            "stall_idle": await stall(clip, info, work, None),
            "stall_four_edits": await stall(clip, info, work, four),
            "four_edits": "trim (re-encode), speed 2x, crop 9:16, gif",
        }


def report(result: dict[str, Any]) -> str:
    lines = [f"local edits on {result['clip']} (median / max of {repeat_of(result)} runs)"]
    for name, data in result["latency"].items():
        method = f"  [{data['method']}]" if "method" in data else ""
        lines.append(f"  {name:<28} {data['median_ms']:>8.0f} ms / {data['max_ms']:>6.0f} ms"
                     f"{method}")
    idle, busy = result["stall_idle"], result["stall_four_edits"]
    verdict = "PASS" if busy["worst_stall_ms"] < STALL_TARGET_MS else "FAIL"
    lines.append(f"  loop stall, idle: worst {idle['worst_stall_ms']} ms, "
                 f"p99 {idle['p99_stall_ms']} ms")
    lines.append(f"  loop stall, 4 edits at once ({result['four_edits']}; runner limit "
                 f"{busy['runner_limit']}, done in {busy['wall_s']} s): worst "
                 f"{busy['worst_stall_ms']} ms, p99 {busy['p99_stall_ms']} ms "
                 f"(target < {STALL_TARGET_MS:g} ms: {verdict})")
    return "\n".join(lines)


def repeat_of(result: dict[str, Any]) -> int:
    return int(next(iter(result["latency"].values()))["n"])


def main() -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_local_edits", description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path("bench/results/local_edits.json"))
    args = ap.parse_args()
    result = asyncio.run(measure(args.repeat))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print(report(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
