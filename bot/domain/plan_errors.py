"""Why a plan cannot be sent, as codes and values: the words live in `bot.texts`.

Each error carries the `explain` contract code (`ErrorCode`), a finer `Reason` that picks the
sentence, and the values the sentence needs. The catalogue renders it; the domain never holds
user-facing English, so every later language needs only a catalogue.
"""

from __future__ import annotations

from decimal import Decimal

from bot.domain.models import ErrorCode, Intent, Note, PlanError, Reason

PROMPT_MAX = 2500
SHOT_PROMPT_MAX = 512

__all__ = ["PROMPT_MAX", "SHOT_PROMPT_MAX", "Note", "Reason"]


def _error(code: ErrorCode, reason: Reason, **values: object) -> PlanError:
    return PlanError(code, reason, values)


def no_media(intent: Intent) -> PlanError:
    if intent is Intent.REFER:
        reason = Reason.NO_VIDEO_FOR_SHOT
    elif intent is Intent.IMAGE_TO_VIDEO:
        reason = Reason.NO_PHOTO
    else:
        reason = Reason.NO_MEDIA
    return _error(ErrorCode.NO_MEDIA, reason)


def multi_shot_needs_photos() -> PlanError:
    return _error(ErrorCode.NO_MEDIA, Reason.MULTI_SHOT_NEEDS_PHOTOS)


def missing_photo(index: int, photos: int) -> PlanError:
    return _error(ErrorCode.NO_MEDIA, Reason.MISSING_PHOTO, index=index, photos=photos)


def unreadable_video() -> PlanError:
    return _error(ErrorCode.NO_MEDIA, Reason.UNREADABLE_VIDEO)


def video_length(length: float, refer: bool) -> PlanError:
    code = ErrorCode.VIDEO_TOO_SHORT if length < 3 else ErrorCode.VIDEO_TOO_LONG
    reason = Reason.VIDEO_TOO_SHORT if length < 3 else Reason.VIDEO_TOO_LONG
    return _error(code, reason, seconds=length, refer=refer)


def prompt_too_long(length: int, limit: int = PROMPT_MAX) -> PlanError:
    return _error(ErrorCode.PROMPT_TOO_LONG, Reason.PROMPT_TOO_LONG, length=length, limit=limit)


def empty_prompt(intent: Intent, ignored: tuple[Note, ...] = ()) -> PlanError:
    """`ignored`: what the message asked for that this kind of job cannot apply, said first."""
    return _error(ErrorCode.EMPTY_PROMPT, Reason.EMPTY_PROMPT, intent=intent, ignored=ignored)


def too_many_images(count: int, limit: int, with_video: bool) -> PlanError:
    return _error(ErrorCode.TOO_MANY_IMAGES, Reason.TOO_MANY_IMAGES, count=count, limit=limit,
                  with_video=with_video)


def end_without_first(photos: int) -> PlanError:
    return _error(ErrorCode.END_FRAME_WITHOUT_FIRST_FRAME, Reason.END_WITHOUT_FIRST, photos=photos)


def invalid_duration(value: object, low: int, high: int, refer: bool) -> PlanError:
    shown = value if not isinstance(value, Decimal) else value.normalize()
    whole = isinstance(value, int) or (isinstance(value, Decimal) and value == value.to_integral())
    return _error(ErrorCode.INVALID_DURATION, Reason.INVALID_DURATION, value=shown, whole=whole,
                  low=low, high=high, refer=refer)


def invalid_multi_prompt(reason: Reason, **values: object) -> PlanError:
    return _error(ErrorCode.INVALID_MULTI_PROMPT, reason, **values)

