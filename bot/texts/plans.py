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
from bot.texts.i18n import _, msg, ngettext, translated

_V2V = span(INPUT_SECONDS)  # "3-10"

NOTES: dict[Note, str] = {
    Note.EDIT_KEEPS_LENGTH: msg("An edit keeps the video's own length."),
    Note.EDIT_KEEPS_ASPECT_RATIO: msg("An edit keeps the video's own aspect ratio."),
    Note.EDIT_KEEPS_LENGTH_AND_ASPECT_RATIO:
        msg("An edit keeps the video's own length and aspect ratio."),
    Note.SOUND_ONLY_FOR_PHOTOS: msg("Sound is only for clips made from photos."),
    Note.HELD_PHOTOS_NOT_USED: msg(
        "The photos I hold are not used: say \"the jacket from the photo\" to use them."
    ),
    Note.CONVERTED_FOR_KLING: msg("Your clip was converted first (free) to an MP4 Kling accepts."),
}


def notes(said: tuple[Note, ...]) -> str:
    return " ".join(translated(NOTES[note]) for note in said)


def _missing_photo(v: Mapping[str, Any]) -> str:
    index, photos = v["index"], v["photos"]
    if not photos:
        return _("There is no photo {index} here: send photos first.").format(index=index)
    return ngettext(
        "There is no photo {index} here: this chat holds {count} photo. Send it first, or "
        "name one of photos 1-{count}.",
        "There is no photo {index} here: this chat holds {count} photos. Send it first, or "
        "name one of photos 1-{count}.",
        photos,
    ).format(index=index, count=photos)


def _video_length(v: Mapping[str, Any]) -> str:
    if v["refer"]:
        head = _("Kling makes a new shot from a video of {span} seconds; this one is {length}.")
    else:
        head = _("Kling edits videos of {span} seconds; this one is {length}.")
    head = head.format(span=_V2V, length=seconds(v["seconds"]))
    if v["seconds"] < INPUT_SECONDS[0]:
        tail = _("Send a clip of at least {seconds} seconds.").format(seconds=INPUT_SECONDS[0])
    else:
        tail = _("Trim it to {seconds} seconds or less and send it again.").format(
            seconds=INPUT_SECONDS[1])
    return f"{head} {tail}"


def _empty_prompt(v: Mapping[str, Any]) -> str:
    intent = v["intent"]
    if intent is Intent.REFER:
        text = _('Describe the new shot, e.g. "next shot: the car drives into a tunnel".')
    elif intent is Intent.IMAGE_TO_VIDEO:
        text = _(
            'Tell me what should happen, e.g. "make her wave" or "the camera slowly zooms in".'
        )
    else:
        text = _('Tell me what to change, e.g. "remove the car" or "make it rainy".')
    return f"{notes(v['ignored'])} {text}".strip()


def _too_many_images(v: Mapping[str, Any]) -> str:
    if v["with_video"]:
        text = _(
            "A video can take at most {limit} reference photos; this asks for {count}. Say "
            'which ones to use, e.g. "the first and second photo".'
        )
    else:
        text = _(
            "Kling animates at most {limit} photos at once; this asks for {count}. Say which "
            'ones to use, e.g. "the first and second photo".'
        )
    return text.format(limit=v["limit"], count=v["count"])


def _end_without_first(v: Mapping[str, Any]) -> str:
    if v["photos"] >= 2:
        return _(
            "An end frame needs a first frame too: say which photo to start from, e.g. "
            '"start from the first photo and end on the second".'
        )
    return _(
        "An end frame needs a first frame too: send the photo to start from as well, then "
        'say e.g. "start from the first photo and end on the second".'
    )


def _invalid_duration(v: Mapping[str, Any]) -> str:
    values = {"low": v["low"], "high": v["high"], "value": v["value"]}
    if v["whole"]:
        text = (_("A new shot can be {low}-{high} whole seconds long; you asked for {value} s.")
                if v["refer"] else _(
                    "A clip made from photos can be {low}-{high} whole seconds long; you "
                    "asked for {value} s."))
    else:
        text = (_("A new shot can be {low}-{high} whole seconds long; {value} s is not a whole "
                  "number of seconds.") if v["refer"] else _(
                    "A clip made from photos can be {low}-{high} whole seconds long; {value} s "
                    "is not a whole number of seconds."))
    return text.format(**values)


def _number(value: int) -> str:
    return f"{value:,}"


_SENTENCES: dict[Reason, Callable[[Mapping[str, Any]], str]] = {
    Reason.NO_MEDIA: lambda v: _(
        "Send a video ({span} seconds) or a photo first, then tell me what to do with it."
    ).format(span=_V2V),
    Reason.NO_VIDEO_FOR_SHOT: lambda v: _(
        "A new shot follows the camera and motion of a video: send a video of {span} seconds "
        "first, then describe the shot."
    ).format(span=_V2V),
    Reason.NO_PHOTO: lambda v: _("Send a photo first, then tell me how to bring it to life."),
    Reason.MULTI_SHOT_NEEDS_PHOTOS: lambda v: _(
        "Multi-shot clips are made from photos: send a photo first. For a video, ask for one "
        'new shot at a time, e.g. "next shot: the car drives into a tunnel".'
    ),
    Reason.MISSING_PHOTO: _missing_photo,
    Reason.UNREADABLE_VIDEO: lambda v: _(
        "I could not read this video's length, and Kling only takes videos of {span} seconds. "
        "Send the video again."
    ).format(span=_V2V),
    Reason.VIDEO_TOO_SHORT: _video_length,
    Reason.VIDEO_TOO_LONG: _video_length,
    Reason.PROMPT_TOO_LONG: lambda v: _(
        "That instruction is {length} characters; Kling takes at most {limit}. "
        "Shorten it and send it again."
    ).format(length=_number(v["length"]), limit=_number(v["limit"])),
    Reason.EMPTY_PROMPT: _empty_prompt,
    Reason.TOO_MANY_IMAGES: _too_many_images,
    Reason.END_WITHOUT_FIRST: _end_without_first,
    Reason.INVALID_DURATION: _invalid_duration,
    Reason.MULTI_SHOT_WITH_FRAMES: lambda v: _(
        "Multi-shot clips cannot use a first or end frame. Ask for one or the other."
    ),
    Reason.SHOT_COUNT: lambda v: _(
        "A multi-shot clip has 1-{max} shots; this one has {count}."
    ).format(max=v["max"], count=v["count"]),
    Reason.SHOT_WITHOUT_PROMPT: lambda v: _(
        "Shot {number} has no description: say what happens in it."
    ).format(number=v["number"]),
    Reason.SHOT_PROMPT_TOO_LONG: lambda v: _(
        "Shot {number} is {length} characters; a shot takes at most {limit}. Shorten it."
    ).format(number=v["number"], length=_number(v["length"]), limit=v["limit"]),
    Reason.SHOT_DURATION: lambda v: _(
        "Shot {number} lasts {seconds} s; each shot lasts {low}-{high} whole seconds and the "
        "shots add up to the clip's length."
    ).format(number=v["number"], seconds=v["seconds"], low=v["low"], high=v["high"]),
    Reason.SHOTS_SUM: lambda v: _(
        "The shots add up to {summed} s but the clip is {total} s long: make them match."
    ).format(summed=v["summed"], total=v["total"]),
    Reason.SHOT_LENGTHS_MISSING: lambda v: _(
        'Give every shot a length, e.g. "shot 1 (3s): ...", or say the total length, '
        'e.g. "10 seconds".'
    ),
    Reason.SHOT_LENGTHS_NOT_WHOLE: lambda v: _(
        'Shot lengths are whole seconds, e.g. "shot 1 (3s): ...".'
    ),
    Reason.SHOTS_NEED_LONGER: lambda v: _(
        '{shots} shots need at least {need} seconds but the clip is {total} s: say a longer '
        'total, e.g. "10 seconds".'
    ).format(shots=v["shots"], need=v["need"], total=v["total"]),
}


def plan_error(error: PlanError) -> str:
    """The plain-text sentence for a PlanError (escape it for an HTML message)."""
    return _SENTENCES[error.reason](error.values)
