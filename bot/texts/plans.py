"""Why a plan cannot be sent, and what Kling cannot apply: the sentences for domain codes.

Every message names the rule and the user's way forward, and promises nothing the bot cannot
do. Used by the chat and by `python -m bot explain` (its `error.message`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.domain.kling import INPUT_SECONDS
from bot.domain.models import Intent, Note, PlanError, Reason
from bot.texts.format import seconds, span

_V2V = span(INPUT_SECONDS)  # "3-10"

NOTES: dict[Note, str] = {
    Note.EDIT_KEEPS_LENGTH: "An edit keeps the video's own length.",
    Note.EDIT_KEEPS_ASPECT_RATIO: "An edit keeps the video's own aspect ratio.",
    Note.EDIT_KEEPS_LENGTH_AND_ASPECT_RATIO:
        "An edit keeps the video's own length and aspect ratio.",
    Note.SOUND_ONLY_FOR_PHOTOS: "Sound is only for clips made from photos.",
    Note.CONVERTED_FOR_KLING:
        "Your clip was converted first (free) to an MP4 Kling accepts.",
}


def notes(said: tuple[Note, ...]) -> str:
    return " ".join(NOTES[note] for note in said)


def _missing_photo(v: Mapping[str, Any]) -> str:
    index, photos = v["index"], v["photos"]
    if not photos:
        return f"There is no photo {index} here: send photos first."
    held = f"{photos} photo" + ("" if photos == 1 else "s")
    return (
        f"There is no photo {index} here: this chat holds {held}. Send it first, or name one of "
        f"photos 1-{photos}."
    )


def _video_length(v: Mapping[str, Any]) -> str:
    what = "makes a new shot from a video" if v["refer"] else "edits videos"
    head = f"Kling {what} of {_V2V} seconds; this one is {seconds(v['seconds'])}. "
    if v["seconds"] < INPUT_SECONDS[0]:
        return head + f"Send a clip of at least {INPUT_SECONDS[0]} seconds."
    return head + f"Trim it to {INPUT_SECONDS[1]} seconds or less and send it again."


def _empty_prompt(v: Mapping[str, Any]) -> str:
    intent = v["intent"]
    if intent is Intent.REFER:
        text = 'Describe the new shot, e.g. "next shot: the car drives into a tunnel".'
    elif intent is Intent.IMAGE_TO_VIDEO:
        text = 'Tell me what should happen, e.g. "make her wave" or "the camera slowly zooms in".'
    else:
        text = 'Tell me what to change, e.g. "remove the car" or "make it rainy".'
    return f"{notes(v['ignored'])} {text}".strip()


def _too_many_images(v: Mapping[str, Any]) -> str:
    takes = (
        f"A video can take at most {v['limit']} reference photos"
        if v["with_video"]
        else f"Kling animates at most {v['limit']} photos at once"
    )
    return (
        f'{takes}; this asks for {v["count"]}. Say which ones to use, e.g. "the first and second '
        'photo".'
    )


def _end_without_first(v: Mapping[str, Any]) -> str:
    how = (
        'say which photo to start from, e.g. "start from the first photo and end on the second"'
        if v["photos"] >= 2
        else "send the photo to start from as well, then say e.g. "
        '"start from the first photo and end on the second"'
    )
    return f"An end frame needs a first frame too: {how}."


def _invalid_duration(v: Mapping[str, Any]) -> str:
    what = "A new shot" if v["refer"] else "A clip made from photos"
    shown = v["value"]
    asked = f"you asked for {shown} s" if v["whole"] else (
        f"{shown} s is not a whole number of seconds"
    )
    return f"{what} can be {v['low']}-{v['high']} whole seconds long; {asked}."


_SENTENCES: dict[Reason, Callable[[Mapping[str, Any]], str]] = {
    Reason.NO_MEDIA: lambda v: (
        f"Send a video ({_V2V} seconds) or a photo first, then tell me what to do with it."
    ),
    Reason.NO_VIDEO_FOR_SHOT: lambda v: (
        f"A new shot follows the camera and motion of a video: send a video of {_V2V} seconds "
        "first, then describe the shot."
    ),
    Reason.NO_PHOTO: lambda v: "Send a photo first, then tell me how to bring it to life.",
    Reason.MULTI_SHOT_NEEDS_PHOTOS: lambda v: (
        "Multi-shot clips are made from photos: send a photo first. For a video, ask for one "
        'new shot at a time, e.g. "next shot: the car drives into a tunnel".'
    ),
    Reason.MISSING_PHOTO: _missing_photo,
    Reason.UNREADABLE_VIDEO: lambda v: (
        f"I could not read this video's length, and Kling only takes videos of {_V2V} seconds. "
        "Send the video again."
    ),
    Reason.VIDEO_TOO_SHORT: _video_length,
    Reason.VIDEO_TOO_LONG: _video_length,
    Reason.PROMPT_TOO_LONG: lambda v: (
        f"That instruction is {v['length']:,} characters; Kling takes at most {v['limit']:,}. "
        "Shorten it and send it again."
    ),
    Reason.EMPTY_PROMPT: _empty_prompt,
    Reason.TOO_MANY_IMAGES: _too_many_images,
    Reason.END_WITHOUT_FIRST: _end_without_first,
    Reason.INVALID_DURATION: _invalid_duration,
    Reason.MULTI_SHOT_WITH_FRAMES: lambda v: (
        "Multi-shot clips cannot use a first or end frame. Ask for one or the other."
    ),
    Reason.SHOT_COUNT: lambda v: (
        f"A multi-shot clip has 1-{v['max']} shots; this one has {v['count']}."
    ),
    Reason.SHOT_WITHOUT_PROMPT: lambda v: (
        f"Shot {v['number']} has no description: say what happens in it."
    ),
    Reason.SHOT_PROMPT_TOO_LONG: lambda v: (
        f"Shot {v['number']} is {v['length']:,} characters; a shot takes at most "
        f"{v['limit']}. Shorten it."
    ),
    Reason.SHOT_DURATION: lambda v: (
        f"Shot {v['number']} lasts {v['seconds']} s; each shot lasts {v['low']}-{v['high']} "
        "whole seconds and the shots add up to the clip's length."
    ),
    Reason.SHOTS_SUM: lambda v: (
        f"The shots add up to {v['summed']} s but the clip is {v['total']} s long: make them "
        "match."
    ),
    Reason.SHOT_LENGTHS_MISSING: lambda v: (
        'Give every shot a length, e.g. "shot 1 (3s): ...", or say the total length, '
        'e.g. "10 seconds".'
    ),
    Reason.SHOT_LENGTHS_NOT_WHOLE: lambda v: (
        'Shot lengths are whole seconds, e.g. "shot 1 (3s): ...".'
    ),
    Reason.SHOTS_NEED_LONGER: lambda v: (
        f"{v['shots']} shots need at least {v['need']} seconds but "
        f'the clip is {v["total"]} s: say a longer total, e.g. "10 seconds".'
    ),
}


def plan_error(error: PlanError) -> str:
    """The plain-text sentence for a PlanError (escape it for an HTML message)."""
    return _SENTENCES[error.reason](error.values)
