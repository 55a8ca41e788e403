"""The provider's argument rules and price, as the emulator plays them.

This is the emulator's own reading of ShortAPI's Kling O3 pages (summarised in
`docs/ARCHITECTURE.md`): it deliberately does not import `bot.domain`, so a mistake in the
bot's rules is caught here rather than copied.
Pure code: no I/O. Money is Decimal, never float.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, TypeGuard

V2V_MODEL = "kwaivgi/kling-o3/video-to-video"
I2V_MODEL = "kwaivgi/kling-o3/image-to-video"
MODELS = (V2V_MODEL, I2V_MODEL)

MODES = ("std", "pro")
ACTIONS = ("refer", "edit")
ASPECT_RATIOS = ("16:9", "1:1", "9:16")
SOUNDS = ("on", "off")
SHOT_TYPES = ("intelligence", "customize")
FRAME_TYPES = ("first_frame", "end_frame")

MAX_PROMPT = 2500
MAX_SHOT_PROMPT = 512
V2V_MAX_REFERENCES = 4
I2V_MAX_IMAGES = 7
V2V_DURATION = (3, 10)
I2V_DURATION = (3, 15)
SHOT_DURATION = (1, 15)
MAX_SHOTS = 6
EDIT_SOURCE_SECONDS = (3.0, 10.0)
# Encoders round a 10 s clip to 10.008 s and so on; the edit source check allows this much.
EDIT_SOURCE_SLACK = 0.05

V2V_RATES: dict[str, Decimal] = {"std": Decimal("0.107"), "pro": Decimal("0.143")}
I2V_RATES: dict[tuple[str, bool], Decimal] = {
    ("std", False): Decimal("0.071"),
    ("std", True): Decimal("0.095"),
    ("pro", False): Decimal("0.095"),
    ("pro", True): Decimal("0.119"),
}

Kind = Literal["edit", "refer", "image_to_video"]


class RuleError(Exception):
    """The request breaks a provider rule; `str(err)` is the text returned to the client."""


@dataclass(frozen=True)
class Plan:
    """What a valid request asks for: what to fetch, what to render, how to price it."""

    model: str
    kind: Kind
    mode: str
    duration: int | None  # None for edit: it is the source video's length, known after probing
    aspect_ratio: str
    sound: bool
    video_url: str | None
    images: tuple[str, ...] = field(default=())  # every image source (URL or Base64), in order
    frame_image: int | None = None  # index in `images` of the picture to animate (i2v)


def validate(model: object, args: object) -> Plan:
    """Check `model` and `args` against the provider's rules; raise RuleError with a reason."""
    if not isinstance(model, str) or model not in MODELS:
        shown = model if isinstance(model, str) else repr(model)
        raise RuleError(f"invalid model: {shown}")
    if not isinstance(args, dict):
        raise RuleError("args must be a JSON object")
    if model == V2V_MODEL:
        return _validate_v2v(args)
    return _validate_i2v(args)


def price(plan: Plan, source_seconds: float | None = None) -> Decimal:
    """The amount charged: edit bills round(source seconds), the rest bill `duration`."""
    if plan.model == V2V_MODEL:
        rate = V2V_RATES[plan.mode]
        if plan.kind == "edit":
            if source_seconds is None:
                raise ValueError("an edit is priced on the source video's length")
            return rate * billed_seconds(source_seconds)
        assert plan.duration is not None
        return rate * plan.duration
    assert plan.duration is not None
    return I2V_RATES[(plan.mode, plan.sound)] * plan.duration


def billed_seconds(seconds: float) -> int:
    """Seconds rounded to the nearest integer, halves up (6.5 -> 7, 6.2 -> 6)."""
    return int(Decimal(str(seconds)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def check_edit_source(seconds: float) -> None:
    low, high = EDIT_SOURCE_SECONDS
    if not low - EDIT_SOURCE_SLACK <= seconds <= high + EDIT_SOURCE_SLACK:
        raise RuleError(
            f"for action 'edit' the source video must be 3-10 seconds long (got {seconds:.2f} s)"
        )


def format_amount(amount: Decimal) -> str:
    """The exact amount as a plain decimal string with at least two places: '0.642', '1.19'."""
    text = format(amount.normalize(), "f")
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


# --- video-to-video ------------------------------------------------------------------------


def _validate_v2v(args: dict[str, Any]) -> Plan:
    mode = _choice(args, "mode", MODES, "pro")
    action = _choice(args, "action", ACTIONS, "refer")
    _prompt(args, required=True)
    video = args.get("video")
    if video is None or video == "":
        raise RuleError("video is required")
    if not isinstance(video, str):
        raise RuleError("video must be a URL string")
    if not video.startswith(("http://", "https://")):
        raise RuleError("video must be a public http(s) URL")
    duration = _duration(args, V2V_DURATION)
    # For edit, aspect_ratio is cleared by the provider: its value is not checked.
    aspect = "16:9" if action == "edit" else _choice(args, "aspect_ratio", ASPECT_RATIOS, "16:9")

    images = _list(args, "images")
    elements = _list(args, "elements")
    if len(images) + len(elements) > V2V_MAX_REFERENCES:
        raise RuleError(
            f"the number of images in images + elements must not exceed {V2V_MAX_REFERENCES} "
            f"(got {len(images)} + {len(elements)})"
        )
    sources: list[str] = []
    for i, item in enumerate(images, 1):
        sources.append(_v2v_image(item, f"images[{i}]"))
    for i, element in enumerate(elements, 1):
        sources.extend(_element_images(element, f"elements[{i}]"))

    kind: Kind = "edit" if action == "edit" else "refer"
    return Plan(
        model=V2V_MODEL,
        kind=kind,
        mode=mode,
        duration=None if kind == "edit" else duration,
        aspect_ratio=aspect,
        sound=False,
        video_url=video,
        images=tuple(sources),
    )


def _element_images(element: object, where: str) -> list[str]:
    """An element's frontal image, then its reference images."""
    if not isinstance(element, dict):
        raise RuleError(f"{where} must be an object with frontal_image_url")
    frontal = element.get("frontal_image_url")
    if not isinstance(frontal, str) or not frontal:
        raise RuleError(f"{where}.frontal_image_url is required")
    refs = element.get("reference_image_urls", [])
    if refs is None:
        refs = []
    if not isinstance(refs, list) or not all(isinstance(r, str) and r for r in refs):
        raise RuleError(f"{where}.reference_image_urls must be a list of image URLs")
    return [frontal, *refs]


def _v2v_image(item: object, where: str) -> str:
    """The v2v `images` item shape is undocumented: accept a string or {image|url: string}."""
    if isinstance(item, str) and item:
        return item
    if isinstance(item, dict):
        for key in ("image", "url", "image_url"):
            value = item.get(key)
            if isinstance(value, str) and value:
                return value
    raise RuleError(f"{where} must be an image URL or Base64 string")


# --- image-to-video ------------------------------------------------------------------------


def _validate_i2v(args: dict[str, Any]) -> Plan:
    mode = _choice(args, "mode", MODES, "pro")
    duration = _duration(args, I2V_DURATION)
    aspect = _choice(args, "aspect_ratio", ASPECT_RATIOS, "16:9")
    sound = _choice(args, "sound", SOUNDS, "off") == "on"
    multi_shot = _bool(args, "multi_shot")

    shot_type = "intelligence"
    if multi_shot:
        raw_type = args.get("shot_type")
        if raw_type is None:
            raise RuleError("shot_type is required when multi_shot is true")
        shot_type = _choice(args, "shot_type", SHOT_TYPES, "intelligence")
    # The prompt may be empty only for a customized multi-shot (it is ignored then).
    _prompt(args, required=not (multi_shot and shot_type == "customize"))
    if multi_shot and shot_type == "customize":
        _multi_prompt(args.get("multi_prompt"), duration)

    sources, first = _i2v_images(_list(args, "images"), multi_shot)
    frame = first if first is not None else (0 if sources else None)
    return Plan(
        model=I2V_MODEL,
        kind="image_to_video",
        mode=mode,
        duration=duration,
        aspect_ratio=aspect,
        sound=sound,
        video_url=None,
        images=tuple(sources),
        frame_image=frame,
    )


def _i2v_images(images: list[Any], multi_shot: bool) -> tuple[list[str], int | None]:
    """The image sources in order, and which one is the first frame (if any is)."""
    if len(images) > I2V_MAX_IMAGES:
        raise RuleError(f"images must not exceed {I2V_MAX_IMAGES} (got {len(images)})")
    sources: list[str] = []
    first: int | None = None
    has_end = False
    for i, item in enumerate(images, 1):
        where = f"images[{i}]"
        if not isinstance(item, dict):
            raise RuleError(f"{where} must be an object {{image, type?}}")
        image = item.get("image")
        if not isinstance(image, str) or not image:
            raise RuleError(f"{where}.image is required (a URL or Base64)")
        frame_type = item.get("type")
        if frame_type not in (None, "", *FRAME_TYPES):
            raise RuleError(f"{where}.type must be first_frame or end_frame (got {frame_type!r})")
        if frame_type and multi_shot:
            raise RuleError(
                "first_frame / end_frame images are not supported when multi_shot is true"
            )
        if frame_type == "first_frame":
            if first is not None:
                raise RuleError("only one image may be the first_frame")
            first = len(sources)
        elif frame_type == "end_frame":
            if has_end:
                raise RuleError("only one image may be the end_frame")
            has_end = True
        sources.append(image)
    if has_end and first is None:
        raise RuleError("an end_frame requires a first_frame")
    return sources, first


def _multi_prompt(shots: object, duration: int) -> None:
    if not isinstance(shots, list) or not shots:
        raise RuleError("multi_prompt is required (1-6 shots) when shot_type is customize")
    if len(shots) > MAX_SHOTS:
        raise RuleError(f"multi_prompt supports 1 to {MAX_SHOTS} shots (got {len(shots)})")
    total = 0
    low, high = SHOT_DURATION
    for i, shot in enumerate(shots, 1):
        where = f"multi_prompt[{i}]"
        if not isinstance(shot, dict):
            raise RuleError(f"{where} must be an object {{prompt, duration}}")
        text = shot.get("prompt")
        if not isinstance(text, str) or not text.strip():
            raise RuleError(f"{where}.prompt is required")
        if len(text) > MAX_SHOT_PROMPT:
            raise RuleError(
                f"{where}.prompt must not exceed {MAX_SHOT_PROMPT} characters (got {len(text)})"
            )
        seconds = shot.get("duration")
        if not _is_int(seconds) or not low <= seconds <= high:
            raise RuleError(f"{where}.duration must be an integer from {low} to {high}")
        if seconds > duration:
            raise RuleError(f"{where}.duration must not exceed the task duration ({duration})")
        total += seconds
    if total != duration:
        raise RuleError(
            f"the durations of multi_prompt shots must sum to duration ({total} != {duration})"
        )


# --- small checks ---------------------------------------------------------------------------


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _choice(args: dict[str, Any], key: str, options: tuple[str, ...], default: str) -> str:
    value = args.get(key)
    if value is None:
        return default
    if value not in options:
        raise RuleError(f"invalid {key}: {value!r} (expected one of {', '.join(options)})")
    return str(value)


def _duration(args: dict[str, Any], bounds: tuple[int, int]) -> int:
    value = args.get("duration")
    if value is None:
        return 5
    low, high = bounds
    if not _is_int(value) or not low <= value <= high:
        raise RuleError(f"duration must be an integer from {low} to {high} (got {value!r})")
    return int(value)


def _bool(args: dict[str, Any], key: str) -> bool:
    value: object = args.get(key)
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise RuleError(f"invalid {key}: {value!r} (expected true or false)")


def _prompt(args: dict[str, Any], *, required: bool) -> None:
    value = args.get("prompt")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise RuleError("prompt must be a string")
    if required and not value.strip():
        raise RuleError("prompt is required and must not be empty")
    if len(value) > MAX_PROMPT:
        raise RuleError(f"prompt must not exceed {MAX_PROMPT} characters (got {len(value)})")


def _list(args: dict[str, Any], key: str) -> list[Any]:
    value = args.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise RuleError(f"{key} must be a list")
    return value
