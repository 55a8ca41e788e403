"""Rendering a job's result for real with ffmpeg: a visible, checkable stand-in for Kling."""

from __future__ import annotations

from pathlib import Path

from bot.media.ffmpeg import run_ffmpeg

FPS = 24
SIZES: dict[str, tuple[int, int]] = {"16:9": (1280, 720), "1:1": (720, 720), "9:16": (720, 1280)}
_ENCODE = (
    "-c:v", "libx264", "-preset", "ultrafast", "-crf", "32", "-pix_fmt", "yuv420p",
    "-movflags", "+faststart",
)
# A red bar across the top-left that slides right: visible proof the clip was "processed".
_MARK = "drawbox=x='mod(t*{speed}\\,iw)':y=ih/12:w=iw/5:h=ih/10:color={color}@0.9:t=fill"


def _mark(width: int | None = None, color: str = "red") -> str:
    speed = (width or 640) // 4
    return _MARK.format(speed=speed, color=color)


async def render_edit(source: Path, out: Path) -> None:
    """The source re-encoded in grey with the moving mark; same length, size and audio."""
    vf = f"scale=trunc(iw/2)*2:trunc(ih/2)*2,hue=s=0,{_mark()},format=yuv420p"
    await run_ffmpeg(
        "-i", str(source), "-map", "0:v:0", "-map", "0:a:0?", "-vf", vf,
        "-c:a", "aac", "-b:a", "96k", *_ENCODE, str(out),
    )


async def render_refer(source: Path, duration: int, aspect_ratio: str, out: Path) -> None:
    """A new `duration`-second shot at the aspect's size, looped/trimmed from the source."""
    width, height = SIZES[aspect_ratio]
    vf = (
        f"scale={width}:{height}:force_original_aspect_ratio=increase,crop={width}:{height},"
        f"setsar=1,hue=h=140:s=1.5,{_mark(width, 'white')},fps={FPS},format=yuv420p"
    )
    await run_ffmpeg(
        "-stream_loop", "-1", "-i", str(source), "-t", str(duration), "-map", "0:v:0",
        "-vf", vf, "-an", *_ENCODE, str(out),
    )


async def render_image_to_video(
    image: Path | None, duration: int, aspect_ratio: str, sound: bool, out: Path
) -> None:
    """A `duration`-second clip of the image (scaled and padded to the aspect), faded in;
    with a 440 Hz AAC track when `sound` is on. Without an image, a plain colour clip."""
    width, height = SIZES[aspect_ratio]
    if image is not None:
        inputs = ["-loop", "1", "-framerate", str(FPS), "-i", str(image)]
    else:
        inputs = ["-f", "lavfi", "-i", f"color=c=0x336699:s={width}x{height}:r={FPS}"]
    if sound:
        inputs += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"]
    vf = (
        f"scale={width}:{height}:force_original_aspect_ratio=decrease,"
        f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fade=t=in:st=0:d=0.5,"
        f"{_mark(width)},fps={FPS},format=yuv420p"
    )
    audio = ["-map", "1:a:0", "-c:a", "aac", "-b:a", "96k"] if sound else ["-an"]
    await run_ffmpeg(
        *inputs, "-t", str(duration), "-map", "0:v:0", "-vf", vf, *audio, *_ENCODE, str(out)
    )


def pad_to_size(path: Path, megabytes: float) -> None:
    """Append an MP4 `free` box so the file is about `megabytes` MB (players skip it)."""
    target = int(megabytes * 1024 * 1024)
    missing = target - path.stat().st_size
    if missing < 16:
        return
    with path.open("ab") as out:
        if missing < 2**32:
            out.write(missing.to_bytes(4, "big") + b"free")
            left = missing - 8
        else:  # 64-bit box size
            out.write((1).to_bytes(4, "big") + b"free" + missing.to_bytes(8, "big"))
            left = missing - 16
        block = bytes(1 << 20)
        while left > 0:
            n = min(left, len(block))
            out.write(block[:n])
            left -= n
