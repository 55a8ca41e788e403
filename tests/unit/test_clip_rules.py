"""Kling's input rules: what conversion a clip needs, sizes kept in proportion, pixel budget."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.clip_rules import (
    MAX_SIDE,
    MIN_SIDE,
    Change,
    ClipFacts,
    conversion_for,
    fit_size,
    mime_type,
    over_pixel_budget,
)

MP4 = "mov,mp4,m4a,3gp,3g2,mj2"
GOOD = ClipFacts(container=MP4, video_codec="h264", width=1280, height=720, fps=30.0,
                 size_bytes=5_000_000, duration=6.0, pix_fmt="yuv420p", audio_codec="aac")


def test_a_clip_inside_the_limits_needs_nothing() -> None:
    assert conversion_for(GOOD) is None
    assert conversion_for(replace(GOOD, audio_codec=None)) is None


def test_h264_in_mkv_is_only_remuxed() -> None:
    conv = conversion_for(replace(GOOD, container="matroska,webm"))
    assert conv is not None
    assert conv.changes == (Change.FORMAT,)
    assert not conv.reencode_video and not conv.reencode_audio


def test_hevc_in_mkv_is_reencoded() -> None:
    conv = conversion_for(replace(GOOD, container="matroska,webm", video_codec="hevc",
                                  audio_codec="opus"))
    assert conv is not None
    assert conv.reencode_video and conv.reencode_audio
    assert conv.code == "format+codec"


def test_a_video_note_is_upscaled_and_a_gif_gets_24_fps() -> None:
    note = conversion_for(replace(GOOD, width=640, height=640))
    assert note is not None and note.scale == (720, 720) and note.code == "upscaled"
    gif = conversion_for(replace(GOOD, container="gif", video_codec="gif", width=480,
                                 height=270, fps=15.0, pix_fmt="bgra", audio_codec=None))
    assert gif is not None
    assert gif.fps == 24.0 and gif.scale == (1280, 720)
    assert gif.changes == (Change.FORMAT, Change.CODEC, Change.UPSCALED, Change.FPS)


def test_rotation_is_applied_and_sizes_follow_the_display() -> None:
    conv = conversion_for(replace(GOOD, width=1920, height=1080, rotation=90))
    assert conv is not None
    assert conv.reencode_video and Change.ROTATION in conv.changes
    assert conv.scale == (1080, 1920)


def test_too_fast_and_too_big() -> None:
    conv = conversion_for(replace(GOOD, fps=120.0, size_bytes=300_000_000))
    assert conv is not None
    assert conv.fps == 60.0 and Change.SIZE in conv.changes
    assert conv.max_video_kbps is not None and conv.max_video_kbps * 6 / 8 < 200_000


@given(st.integers(16, 8192), st.integers(16, 8192))
def test_fit_size_keeps_inside_limits_and_aspect(width: int, height: int) -> None:
    picture, frame, changes = fit_size(width, height)
    assert all(MIN_SIDE <= side <= MAX_SIDE and side % 2 == 0 for side in frame)
    assert all(side % 2 == 0 and side <= MAX_SIDE for side in picture)
    assert picture[0] <= frame[0] and picture[1] <= frame[1]
    # The aspect ratio survives, to within the rounding of one side to an even number.
    assert abs(picture[0] / picture[1] - width / height) <= (width / height) * (3 / min(picture))
    assert (Change.PADDED in changes) == (picture != frame)


def test_photos_keep_their_real_type() -> None:
    assert mime_type("photo", "png_pipe", "png") == "image/png"
    assert mime_type("photo", "image2", "mjpeg") == "image/jpeg"
    assert mime_type("video", MP4, "h264") == "video/mp4"
    assert mime_type("video", "matroska,webm", "hevc") == "video/x-matroska"


def test_pixel_budget() -> None:
    assert over_pixel_budget("photo", 16000, 16000)
    assert not over_pixel_budget("photo", 6000, 4000)
    assert over_pixel_budget("video", 8192, 8192)
    assert not over_pixel_budget("video", 4096, 2160)
    assert not over_pixel_budget("video", 2160, 3840)


def test_a_result_over_the_upload_limit_is_re_encoded_only_when_quality_holds() -> None:
    from bot.domain.clip_rules import upload_kbps
    from bot.domain.limits import CLOUD_UPLOAD_LIMIT as LIMIT

    assert upload_kbps(LIMIT, LIMIT, 10.0, 1280, 720, 24) is None  # under: sent as it is
    kbps = upload_kbps(LIMIT + 1, LIMIT, 10.0, 1280, 720, 24)  # 10 s 720p: ~35 Mbps, plenty
    assert kbps is not None and kbps * 10 * 1000 / 8 < LIMIT
    # A long 4K clip would need too few bits per pixel: it goes as a link instead.
    assert upload_kbps(LIMIT * 4, LIMIT, 60.0, 3840, 2160, 60) is None
    assert upload_kbps(LIMIT + 1, LIMIT, None, 1280, 720, 24) is None
