"""Kling O3 on ShortAPI: the args the bot sends, and every rule the provider enforces.

`validate` is the one gate before money is spent: the planner calls it on every plan and the
engine calls it again right before submitting. It returns a PlanError for anything a user can
fix, and raises ValueError for args no message could have produced (a bug, not a request).

Inferred, not documented (see docs/ARCHITECTURE.md, "The provider contract"):
- video-to-video `images` items are plain image URLs: its page lists sub-fields for `elements`
  but none for `images` (image-to-video's `{image, type}` shape is documented for that model).
- "images + elements <= 4" counts images: an element's frontal and reference images each count.
- The 2,500-character prompt limit is documented for image-to-video; it is applied to
  video-to-video too (Kling's own limit for O-series prompts).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from typing import Any

from bot.domain import plan_errors
from bot.domain.models import (
    IMAGE_TO_VIDEO,
    VIDEO_PLACEHOLDER,
    VIDEO_TO_VIDEO,
    AspectRatio,
    Intent,
    Mode,
    PlanError,
    Reason,
    image_placeholder,
)

VIDEO = VIDEO_PLACEHOLDER
INPUT_SECONDS = (3, 10)  # Kling's limits on a source video, for edit and refer
REFER_DURATION = (3, 10)
I2V_DURATION = (3, 15)
SHOT_DURATION = (1, 15)
MAX_SHOTS = 6
V2V_MAX_IMAGES = 4
I2V_MAX_IMAGES = 7
DEFAULT_DURATION = 5
PROMPT_MAX = plan_errors.PROMPT_MAX
SHOT_PROMPT_MAX = plan_errors.SHOT_PROMPT_MAX

_MODES = frozenset(m.value for m in Mode)
_ASPECTS = frozenset(a.value for a in AspectRatio)
_FRAME_TYPES = frozenset({"first_frame", "end_frame"})


image = image_placeholder


def materialize(args: dict[str, Any], video: str | None, images: Sequence[str]) -> dict[str, Any]:
    """The args to send: placeholders replaced by what the provider can fetch (URLs, or
    Base64 data for images). `images[0]` replaces `<image1>`, and so on."""
    replacements = {image_placeholder(i): ref for i, ref in enumerate(images, start=1)}
    if video is not None:
        replacements[VIDEO_PLACEHOLDER] = video
    replaced: dict[str, Any] = _replace(args, replacements)
    return replaced


def _replace(value: Any, replacements: dict[str, str]) -> Any:
    if isinstance(value, str):
        return replacements.get(value, value)
    if isinstance(value, list):
        return [_replace(v, replacements) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, replacements) for k, v in value.items()}
    return value


def v2v_args(
    *,
    action: str,
    mode: Mode,
    prompt: str,
    images: Sequence[int] = (),
    element: Sequence[int] = (),
    duration: int | float | None = None,
    aspect: AspectRatio | None = None,
) -> dict[str, Any]:
    """Video-to-video args. `edit` sends no duration or aspect ratio: Kling forces the video's
    own length and clears the ratio. `element` is one element made of those photos (frontal
    first)."""
    args: dict[str, Any] = {"action": action, "mode": mode.value, "prompt": prompt, "video": VIDEO}
    if images:
        args["images"] = [image(i) for i in images]
    if element:
        item: dict[str, Any] = {"frontal_image_url": image(element[0])}
        if len(element) > 1:
            item["reference_image_urls"] = [image(i) for i in element[1:]]
        args["elements"] = [item]
    if action == "refer":
        args["duration"] = DEFAULT_DURATION if duration is None else duration
        args["aspect_ratio"] = (aspect or AspectRatio.LANDSCAPE).value
    return args


def i2v_args(
    *,
    prompt: str,
    mode: Mode,
    duration: int | float,
    aspect: AspectRatio,
    sound: bool,
    images: Sequence[tuple[int, str | None]],
    shots: Sequence[tuple[str, int | float]] | None = None,
    intelligent_shots: bool = False,
) -> dict[str, Any]:
    """Image-to-video args. `images` are (photo, type) with type first_frame, end_frame or None
    (a plain reference, which the prompt names as [@imageN] by its place in the list)."""
    args: dict[str, Any] = {
        "prompt": prompt,
        "mode": mode.value,
        "duration": duration,
        "aspect_ratio": aspect.value,
        "sound": "on" if sound else "off",
        "images": [
            {"image": image(i)} if kind is None else {"image": image(i), "type": kind}
            for i, kind in images
        ],
    }
    if shots is not None:
        args["multi_shot"] = True
        args["shot_type"] = "customize"
        args["multi_prompt"] = [{"prompt": p, "duration": d} for p, d in shots]
    elif intelligent_shots:
        args["multi_shot"] = True
        args["shot_type"] = "intelligence"
    return args


def validate(model: str, args: dict[str, Any], video_seconds: float | None) -> PlanError | None:
    """The first rule `args` break, as a PlanError; None when the provider would accept them."""
    if model == VIDEO_TO_VIDEO:
        return _validate_v2v(args, video_seconds)
    if model == IMAGE_TO_VIDEO:
        return _validate_i2v(args)
    raise ValueError(f"unknown model {model!r}")


def _choice(args: dict[str, Any], key: str, allowed: frozenset[str]) -> str:
    value = args.get(key)
    if value not in allowed:
        raise ValueError(f"{key} must be one of {sorted(allowed)}, not {value!r}")
    return str(value)


def _seconds(value: object, low: int, high: int) -> int | None:
    """`value` when it is whole seconds within low..high; None otherwise."""
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    return None


def _says_something(prompt: str) -> bool:
    """A word: two letters in a row in any script, or one ideograph ("雨"). Digits, marks,
    symbols, emoji and a stray letter alone say nothing Kling could act on, and a message of
    them is no clear request to pay for ("HQ ×", "0<HQ", "A<HQ", "HQ 🔥")."""
    run = 0
    for ch in prompt:
        if unicodedata.category(ch)[0] != "L":
            run = 0
            continue
        run += 1
        if run >= 2 or ord(ch) >= 0x2E80:
            return True
    return False


def _prompt(args: dict[str, Any], intent: Intent, required: bool) -> PlanError | None:
    prompt = args.get("prompt", "")
    if not isinstance(prompt, str):
        raise ValueError("prompt must be a string")
    if len(prompt) > PROMPT_MAX:
        return plan_errors.prompt_too_long(len(prompt))
    if required and not _says_something(prompt):  # "<" alone tells Kling nothing
        return plan_errors.empty_prompt(intent)
    return None


def _validate_v2v(args: dict[str, Any], video_seconds: float | None) -> PlanError | None:
    action = _choice(args, "action", frozenset({"edit", "refer"}))
    _choice(args, "mode", _MODES)
    refer = action == "refer"
    problem = _prompt(args, Intent.REFER if refer else Intent.EDIT, required=True)
    if problem is not None:
        return problem
    if not args.get("video"):
        return plan_errors.no_media(Intent.REFER if refer else Intent.EDIT)
    if video_seconds is None or not math.isfinite(video_seconds) or video_seconds <= 0:
        return plan_errors.unreadable_video()
    low, high = INPUT_SECONDS
    if not low <= video_seconds <= high:
        return plan_errors.video_length(video_seconds, refer)
    images = args.get("images") or []
    elements = args.get("elements") or []
    if not isinstance(images, list) or not isinstance(elements, list):
        raise ValueError("images and elements must be lists")
    count = len(images) + sum(1 + len(e.get("reference_image_urls") or []) for e in elements)
    if count > V2V_MAX_IMAGES:
        return plan_errors.too_many_images(count, V2V_MAX_IMAGES, with_video=True)
    if refer:
        _choice(args, "aspect_ratio", _ASPECTS)
        low, high = REFER_DURATION
        if _seconds(args.get("duration"), low, high) is None:
            return plan_errors.invalid_duration(args.get("duration"), low, high, refer=True)
    return None


def _validate_i2v(args: dict[str, Any]) -> PlanError | None:
    _choice(args, "mode", _MODES)
    _choice(args, "aspect_ratio", _ASPECTS)
    _choice(args, "sound", frozenset({"on", "off"}))
    multi = args.get("multi_shot", False)
    if not isinstance(multi, bool):
        raise ValueError("multi_shot must be a bool")
    shot_type = (
        _choice(args, "shot_type", frozenset({"intelligence", "customize"})) if multi else ""
    )
    problem = _prompt(args, Intent.IMAGE_TO_VIDEO, required=shot_type != "customize")
    if problem is not None:
        return problem
    low, high = I2V_DURATION
    duration = _seconds(args.get("duration"), low, high)
    if duration is None:
        return plan_errors.invalid_duration(args.get("duration"), low, high, refer=False)
    images = args.get("images") or []
    if not isinstance(images, list):
        raise ValueError("images must be a list")
    if not images:
        return plan_errors.no_media(Intent.IMAGE_TO_VIDEO)
    if len(images) > I2V_MAX_IMAGES:
        return plan_errors.too_many_images(len(images), I2V_MAX_IMAGES, with_video=False)
    types = [item.get("type") for item in images]
    if any(t is not None and t not in _FRAME_TYPES for t in types):
        raise ValueError(f"image types must be first_frame or end_frame, not {types}")
    if types.count("first_frame") > 1 or types.count("end_frame") > 1:
        raise ValueError("at most one first_frame and one end_frame")
    if "end_frame" in types and "first_frame" not in types:
        return plan_errors.end_without_first(len(images))
    if multi:
        if "first_frame" in types or "end_frame" in types:
            return plan_errors.invalid_multi_prompt(Reason.MULTI_SHOT_WITH_FRAMES)
        if shot_type == "customize":
            return _validate_shots(args.get("multi_prompt"), duration)
    return None


def _validate_shots(shots: object, total: int) -> PlanError | None:
    if not isinstance(shots, list) or not 1 <= len(shots) <= MAX_SHOTS:
        count = len(shots) if isinstance(shots, list) else 0
        return plan_errors.invalid_multi_prompt(Reason.SHOT_COUNT, count=count, max=MAX_SHOTS)
    low, high = SHOT_DURATION
    for number, shot in enumerate(shots, start=1):
        prompt, seconds = shot.get("prompt"), shot.get("duration")
        if not isinstance(prompt, str) or not prompt.strip():
            return plan_errors.invalid_multi_prompt(Reason.SHOT_WITHOUT_PROMPT, number=number)
        if len(prompt) > SHOT_PROMPT_MAX:
            return plan_errors.invalid_multi_prompt(
                Reason.SHOT_PROMPT_TOO_LONG, number=number, length=len(prompt),
                limit=SHOT_PROMPT_MAX,
            )
        if _seconds(seconds, low, min(high, total)) is None:
            return plan_errors.invalid_multi_prompt(
                Reason.SHOT_DURATION, number=number, seconds=seconds, low=low,
                high=min(high, total),
            )
    summed = sum(int(shot["duration"]) for shot in shots)
    if summed != total:
        return plan_errors.invalid_multi_prompt(Reason.SHOTS_SUM, summed=summed, total=total)
    return None
