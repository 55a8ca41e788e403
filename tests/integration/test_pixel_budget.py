"""Media bombs are refused from their headers: nothing over the pixel budget is decoded.

Each probe runs in a fresh Python process so its peak RSS (VmHWM) is the probe's alone."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot import texts
from bot.media.pixels import header_size
from bot.media.probe import PixelBudgetError, probe
from bot.sandbox.samples import _run, make_huge_png, make_jpeg

_PROBE_IN_CHILD = """
import asyncio, json, resource, sys
from pathlib import Path
from bot.media.probe import MediaError, PixelBudgetError, probe
try:
    info = asyncio.run(probe(Path(sys.argv[1])))
    outcome = {"accepted": f"{info.width}x{info.height}"}
except PixelBudgetError as exc:
    outcome = {"refused": str(exc)}
except MediaError as exc:
    outcome = {"unreadable": str(exc)}
# VmHWM belongs to this program's own address space; getrusage's ru_maxrss survives exec and
# so would report the (large) pytest process this child was forked from.
with open("/proc/self/status") as status:
    hwm = [line.split()[1] for line in status if line.startswith("VmHWM:")]
peak_kb = int(hwm[0]) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
outcome["peak_rss_mb"] = peak_kb / 1024
print(json.dumps(outcome))
"""


def _probe_in_child(path: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", _PROBE_IN_CHILD, str(path)],
                          capture_output=True, text=True, timeout=120, check=True)
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bombs")
    video = d / "8k.mp4"
    _run("-f", "lavfi", "-i", "color=c=blue:s=8192x8192:r=24:d=1", "-c:v", "libx264",
         "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(video))
    return {"png": make_huge_png(d / "huge.png"), "video": video}


def test_a_16000px_png_is_refused_without_decoding(bombs: dict[str, Path]) -> None:
    outcome = _probe_in_child(bombs["png"])
    assert "16000x16000" in str(outcome.get("refused"))
    assert isinstance(outcome["peak_rss_mb"], float) and outcome["peak_rss_mb"] < 300


def test_an_8192px_video_is_refused_without_decoding(bombs: dict[str, Path]) -> None:
    outcome = _probe_in_child(bombs["video"])
    assert "8192x8192" in str(outcome.get("refused"))
    assert isinstance(outcome["peak_rss_mb"], float) and outcome["peak_rss_mb"] < 300


async def test_the_refusal_is_a_media_error_with_a_reason(bombs: dict[str, Path]) -> None:
    with pytest.raises(PixelBudgetError) as refused:
        await probe(bombs["png"])
    error = refused.value
    said = texts.too_many_pixels(error.kind, error.width, error.height)  # what the chat sees
    assert re.search(r"16000x16000 \(256 MP\).*40 MP", said)


@pytest.mark.parametrize("ext", ["png", "jpg", "gif", "bmp", "webp"])
def test_header_size_matches_the_real_picture(tmp_path: Path, ext: str) -> None:
    path = tmp_path / f"pic.{ext}"
    if ext == "jpg":
        make_jpeg(path, size="1234x566")
    else:
        _run("-f", "lavfi", "-i", "testsrc2=size=1234x566:rate=1:duration=1", "-frames:v", "1",
             str(path))
    assert header_size(path) == (1234, 566)


def test_header_size_is_none_for_a_video(tmp_path: Path) -> None:
    from bot.sandbox.samples import make_video

    assert header_size(make_video(tmp_path / "v.mp4", seconds=1, size="320x240")) is None


async def test_a_big_but_allowed_photo_is_read(tmp_path: Path) -> None:
    info = await probe(make_huge_png(tmp_path / "ok.png", width=6000, height=4000))
    assert (info.width, info.height, info.mime) == (6000, 4000, "image/png")
