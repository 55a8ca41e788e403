"""Why a plan cannot be sent, in words that say what to do about it.

Every message names the rule and the user's way forward, and promises nothing the bot cannot
do (there is no trimming or cropping command, so none is offered).
"""

from __future__ import annotations

from decimal import Decimal

from bot.domain.models import ErrorCode, Intent, PlanError

PROMPT_MAX = 2500
SHOT_PROMPT_MAX = 512


def seconds(value: float) -> str:
    """'12.4 s', '2 s'; two decimals where one would hide a limit ('10.04 s', not '10 s')."""
    text = f"{value:.1f}"
    if text in ("3.0", "10.0", "15.0") and value != float(text):
        text = f"{value:.2f}"
    return text.rstrip("0").rstrip(".") + " s"


def no_media(intent: Intent) -> PlanError:
    if intent is Intent.REFER:
        text = (
            "A new shot follows the camera and motion of a video: send a video of 3-10 seconds "
            "first, then describe the shot."
        )
    elif intent is Intent.IMAGE_TO_VIDEO:
        text = "Send a photo first, then tell me how to bring it to life."
    else:
        text = "Send a video (3-10 seconds) or a photo first, then tell me what to do with it."
    return PlanError(ErrorCode.NO_MEDIA, text)


def multi_shot_needs_photos() -> PlanError:
    return PlanError(
        ErrorCode.NO_MEDIA,
        "Multi-shot clips are made from photos: send a photo first. For a video, ask for one "
        'new shot at a time, e.g. "next shot: the car drives into a tunnel".',
    )


def missing_photo(index: int, photos: int) -> PlanError:
    held = f"{photos} photo" + ("" if photos == 1 else "s")
    return PlanError(
        ErrorCode.NO_MEDIA,
        f"There is no photo {index} here: this chat holds {held}. Send it first, or name one of "
        f"photos 1-{photos}."
        if photos
        else f"There is no photo {index} here: send photos first.",
    )


def unreadable_video() -> PlanError:
    return PlanError(
        ErrorCode.NO_MEDIA,
        "I could not read this video's length, and Kling only takes videos of 3-10 seconds. "
        "Send the video again.",
    )


def video_length(length: float, refer: bool) -> PlanError:
    what = "makes a new shot from a video" if refer else "edits videos"
    if length < 3:
        return PlanError(
            ErrorCode.VIDEO_TOO_SHORT,
            f"Kling {what} of 3-10 seconds; this one is {seconds(length)}. "
            "Send a clip of at least 3 seconds.",
        )
    return PlanError(
        ErrorCode.VIDEO_TOO_LONG,
        f"Kling {what} of 3-10 seconds; this one is {seconds(length)}. Trim it to 10 seconds "
        "or less and send it again.",
    )


def prompt_too_long(length: int, limit: int = PROMPT_MAX) -> PlanError:
    return PlanError(
        ErrorCode.PROMPT_TOO_LONG,
        f"That instruction is {length:,} characters; Kling takes at most {limit:,}. "
        "Shorten it and send it again.",
    )


def empty_prompt(intent: Intent, ignored: str = "") -> PlanError:
    if intent is Intent.REFER:
        text = 'Describe the new shot, e.g. "next shot: the car drives into a tunnel".'
    elif intent is Intent.IMAGE_TO_VIDEO:
        text = 'Tell me what should happen, e.g. "make her wave" or "the camera slowly zooms in".'
    else:
        text = 'Tell me what to change, e.g. "remove the car" or "make it rainy".'
    return PlanError(ErrorCode.EMPTY_PROMPT, f"{ignored} {text}".strip())


def too_many_images(count: int, limit: int, with_video: bool) -> PlanError:
    takes = (
        f"A video can take at most {limit} reference photos"
        if with_video
        else f"Kling animates at most {limit} photos at once"
    )
    return PlanError(
        ErrorCode.TOO_MANY_IMAGES,
        f'{takes}; this asks for {count}. Say which ones to use, e.g. "the first and second '
        'photo".',
    )


def end_without_first(photos: int) -> PlanError:
    how = (
        'say which photo to start from, e.g. "start from the first photo and end on the second"'
        if photos >= 2
        else "send the photo to start from as well, then say e.g. "
        '"start from the first photo and end on the second"'
    )
    return PlanError(
        ErrorCode.END_FRAME_WITHOUT_FIRST_FRAME,
        f"An end frame needs a first frame too: {how}.",
    )


def invalid_duration(value: object, low: int, high: int, refer: bool) -> PlanError:
    what = "A new shot" if refer else "A clip made from photos"
    shown = value if not isinstance(value, Decimal) else value.normalize()
    whole = isinstance(value, int) or (isinstance(value, Decimal) and value == value.to_integral())
    asked = f"you asked for {shown} s" if whole else f"{shown} s is not a whole number of seconds"
    return PlanError(
        ErrorCode.INVALID_DURATION,
        f"{what} can be {low}-{high} whole seconds long; {asked}.",
    )


def invalid_multi_prompt(reason: str) -> PlanError:
    return PlanError(ErrorCode.INVALID_MULTI_PROMPT, reason)
