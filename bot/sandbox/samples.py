"""Real sample media made with ffmpeg, for tests, benchmarks and the sandbox. Never fake bytes.

Blocking (subprocess.run): call from a fixture, a script, or `asyncio.to_thread`.
"""

from __future__ import annotations

import struct
import subprocess
import zlib
from pathlib import Path

from bot.media.ffmpeg import ffmpeg_exe


def _run(*args: str) -> None:
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args],
        check=True,
        timeout=300,
    )


def make_video(
    path: Path,
    seconds: float = 6.2,
    size: str = "1280x720",
    fps: int = 24,
    audio: bool = False,
) -> Path:
    """A real H.264 MP4 test pattern of the given length and size."""
    args = ["-f", "lavfi", "-i", f"testsrc2=duration={seconds}:size={size}:rate={fps}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "35", "-pix_fmt", "yuv420p"]
    if audio:
        args += ["-c:a", "aac", "-shortest"]
    _run(*args, "-movflags", "+faststart", str(path))
    return path


def make_padded_video(path: Path, megabytes: float, seconds: float = 5.0) -> Path:
    """A real MP4 whose size exceeds `megabytes` (high-bitrate noise)."""
    rate = int(megabytes * 8 * 1024 * 1024 / seconds * 1.3)
    _run(
        "-f", "lavfi", "-i",
        f"nullsrc=size=1280x720:rate=24:duration={seconds},geq=random(1)*255:128:128",
        "-c:v", "libx264", "-preset", "ultrafast", "-b:v", str(rate), "-minrate", str(rate),
        "-maxrate", str(rate), "-bufsize", str(rate), "-pix_fmt", "yuv420p", str(path),
    )
    return path


def make_jpeg(path: Path, size: str = "1024x768", color: str = "teal") -> Path:
    """A real JPEG photo."""
    _run("-f", "lavfi", "-i", f"testsrc2=size={size}:rate=1:duration=1", "-frames:v", "1",
         "-vf", f"drawbox=x=0:y=0:w=iw/3:h=ih/3:color={color}:t=fill", str(path))
    return path


def make_huge_png(path: Path, width: int = 16000, height: int = 16000) -> Path:
    """A real, valid solid-colour PNG of `width` x `height` (a few hundred KB on disk), written
    row by row so that making it never holds the picture in memory."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    first = b"\x00" + b"\x20\x80\xe0" * width  # filter "none", one colour
    same = b"\x02" + b"\x00" * (3 * width)  # filter "up": identical to the row above
    packer = zlib.compressobj(1)
    with path.open("wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        out.write(chunk(b"IDAT", packer.compress(first)))
        for _ in range(height - 1):
            data = packer.compress(same)
            if data:
                out.write(chunk(b"IDAT", data))
        out.write(chunk(b"IDAT", packer.flush()))
        out.write(chunk(b"IEND", b""))
    return path


def make_late_motion(path: Path, still: float = 7.0, moving: float = 7.0) -> Path:
    """A clip that holds one still picture for `still` seconds, then moves for `moving`."""
    _run(
        "-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=24:duration={still},trim=end_frame=1,"
        f"loop=loop=-1:size=1,trim=duration={still},setpts=N/24/TB",
        "-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=24:duration={moving}",
        "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0,format=yuv420p",
        "-c:v", "libx264", "-preset", "ultrafast", "-crf", "30", str(path),
    )
    return path


def make_colour_ramp(path: Path, seconds: float = 4.0, audio: bool = True) -> Path:
    """A clip whose picture goes from red to blue over its length (for frame order)."""
    args = ["-f", "lavfi", "-i",
            f"color=c=red:size=1280x720:rate=30:duration={seconds},"
            f"geq=r='255*(1-T/{seconds})':g=0:b='255*T/{seconds}'"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "30", "-pix_fmt", "yuv420p"]
    if audio:
        args += ["-c:a", "aac", "-shortest"]
    _run(*args, str(path))
    return path


def make_hevc_mkv(path: Path, seconds: float = 4.0) -> Path:
    """An HEVC video with Opus sound in Matroska, as some phones and editors export."""
    _run("-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=30:duration={seconds}",
         "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
         "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error",
         "-c:a", "libopus", "-shortest", str(path))
    return path


def make_gif(path: Path, seconds: float = 4.0, fps: int = 15) -> Path:
    """An animated GIF at `fps` frames per second."""
    _run("-f", "lavfi", "-i", f"testsrc2=size=480x270:rate={fps}:duration={seconds}", str(path))
    return path


def make_rotated(path: Path, seconds: float = 4.0) -> Path:
    """A 1280x720 H.264 MP4 tagged to be shown rotated by 90 degrees (as phones film)."""
    plain = path.with_name(f"plain-{path.name}")
    make_video(plain, seconds=seconds, size="1280x720", fps=30)
    _run("-display_rotation:v:0", "90", "-i", str(plain), "-c", "copy", str(path))
    plain.unlink()
    return path


def mean_colour(path: Path, at: float | None = None, last: bool = False) -> tuple[int, int, int]:
    """The average RGB of the frame at `at` seconds (or of the last frame)."""
    seek = ["-sseof", "-0.2"] if last else [] if at is None else ["-ss", str(at)]
    out = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", *seek, "-i", str(path),
         "-vf", "scale=1:1:flags=area", "-update", "1", "-frames:v", "1" if not last else "100",
         "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
        check=True, capture_output=True,
    ).stdout
    r, g, b = out[-3:]
    return r, g, b


def make_phone_like(path: Path, seconds: float = 10.0) -> Path:
    """720p 30 fps H.264 (high profile, with B-frames) and AAC, a keyframe every 2 s."""
    _run("-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=30:duration={seconds}",
         "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
         "-c:v", "libx264", "-preset", "veryfast", "-crf", "30", "-g", "60",
         "-keyint_min", "60", "-sc_threshold", "0", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-shortest", "-movflags", "+faststart", str(path))
    return path
