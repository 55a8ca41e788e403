"""Plain value types shared by every layer. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

VIDEO_TO_VIDEO = "kwaivgi/kling-o3/video-to-video"
IMAGE_TO_VIDEO = "kwaivgi/kling-o3/image-to-video"

# Media in planned args are placeholders; the engine swaps in real URLs at submit time.
VIDEO_PLACEHOLDER = "<video>"


def image_placeholder(index: int) -> str:
    """The placeholder of session photo `index` (1-based): '<image1>'."""
    return f"<image{index}>"


class Intent(str, Enum):
    """What a message asks for. The string is the `explain` contract value."""

    EDIT = "edit"  # change the current video itself (video-to-video, action=edit)
    REFER = "refer"  # a new shot guided by the current video (video-to-video, action=refer)
    IMAGE_TO_VIDEO = "image_to_video"  # animate the session's photos
    LOCAL_EDIT = "local_edit"  # a free edit done here with ffmpeg (trim, speed, crop, ...)
    UNDO = "undo"  # go back to the previous version
    REDO = "redo"  # go forward again after an undo
    RETRY = "retry"  # run the last instruction again
    CANCEL = "cancel"  # stop waiting for the running job
    HISTORY = "history"  # list the versions of this session
    SPEND = "spend"  # how much has been spent
    HELP = "help"  # what the bot can do
    NONE = "none"  # not something to act on


class Mode(str, Enum):
    STD = "std"
    PRO = "pro"


class AspectRatio(str, Enum):
    LANDSCAPE = "16:9"
    SQUARE = "1:1"
    VERTICAL = "9:16"


class ErrorCode(str, Enum):
    """Why a plan cannot be submitted. The string is the `explain` contract value."""

    NO_MEDIA = "no_media"
    VIDEO_TOO_SHORT = "video_too_short"
    VIDEO_TOO_LONG = "video_too_long"
    PROMPT_TOO_LONG = "prompt_too_long"
    EMPTY_PROMPT = "empty_prompt"
    TOO_MANY_IMAGES = "too_many_images"
    END_FRAME_WITHOUT_FIRST_FRAME = "end_frame_without_first_frame"
    INVALID_DURATION = "invalid_duration"
    INVALID_MULTI_PROMPT = "invalid_multi_prompt"


@dataclass(frozen=True)
class ChatDefaults:
    """Per-chat defaults that apply where a message does not say otherwise."""

    mode: Mode = Mode.PRO
    aspect_ratio: AspectRatio = AspectRatio.LANDSCAPE
    sound: bool = False


@dataclass(frozen=True)
class ChatContext:
    """What the parser may know about the chat: the media it holds, not the media itself."""

    video_seconds: float | None = None  # length of the current video clip; None: no video
    photos: int = 0  # photos held in the session, in order (become <image1>, <image2>, ...)
    group: bool = False
    defaults: ChatDefaults = field(default_factory=ChatDefaults)


class Reason(str, Enum):
    """Which sentence explains a PlanError; finer than its ErrorCode. Rendered by `bot.texts`."""

    NO_MEDIA = "no_media"  # nothing to edit or animate yet
    NO_VIDEO_FOR_SHOT = "no_video_for_shot"  # a new shot needs a video to follow
    NO_PHOTO = "no_photo"  # animating needs a photo
    MULTI_SHOT_NEEDS_PHOTOS = "multi_shot_needs_photos"  # multi-shot asked of a video
    MISSING_PHOTO = "missing_photo"  # index, photos: a named photo the chat does not hold
    UNREADABLE_VIDEO = "unreadable_video"  # the video's length is unknown
    VIDEO_TOO_SHORT = "video_too_short"  # seconds, refer
    VIDEO_TOO_LONG = "video_too_long"  # seconds, refer
    PROMPT_TOO_LONG = "prompt_too_long"  # length, limit
    EMPTY_PROMPT = "empty_prompt"  # intent, ignored: nothing left to tell Kling
    TOO_MANY_IMAGES = "too_many_images"  # count, limit, with_video
    END_WITHOUT_FIRST = "end_without_first"  # photos
    INVALID_DURATION = "invalid_duration"  # value, whole, low, high, refer
    MULTI_SHOT_WITH_FRAMES = "multi_shot_with_frames"  # multi-shot and first/end frame together
    SHOT_COUNT = "shot_count"  # count, max
    SHOT_WITHOUT_PROMPT = "shot_without_prompt"  # number
    SHOT_PROMPT_TOO_LONG = "shot_prompt_too_long"  # number, length, limit
    SHOT_DURATION = "shot_duration"  # number, seconds, high
    SHOTS_SUM = "shots_sum"  # summed, total
    SHOT_LENGTHS_MISSING = "shot_lengths_missing"  # some shots have no length, no total said
    SHOT_LENGTHS_NOT_WHOLE = "shot_lengths_not_whole"  # fractions of a second
    SHOTS_NEED_LONGER = "shots_need_longer"  # shots, need, total


class Note(str, Enum):
    """Something a message asked for that Kling cannot apply here, said back to the user."""

    EDIT_KEEPS_LENGTH = "edit_keeps_length"
    EDIT_KEEPS_ASPECT_RATIO = "edit_keeps_aspect_ratio"
    EDIT_KEEPS_LENGTH_AND_ASPECT_RATIO = "edit_keeps_length_and_aspect_ratio"
    SOUND_ONLY_FOR_PHOTOS = "sound_only_for_photos"
    # Not a limit on the words: the clip was outside Kling's input limits and was converted.
    CONVERTED_FOR_KLING = "converted_for_kling"


@dataclass(frozen=True)
class PlanError:
    """Why a plan cannot be sent: the contract code, the sentence to say, and its values."""

    code: ErrorCode
    reason: Reason
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    """What the bot would do with one message. `explain` prints exactly this."""

    intent: Intent
    model: str | None = None
    # Exactly the args that would be sent, media as placeholders: "<video>", "<image1>", ...
    args: dict[str, Any] = field(default_factory=dict)
    estimated_cost_usd: Decimal | None = None  # exact, unrounded
    error: PlanError | None = None
    # What the message asked for that Kling cannot apply here, said back to the user (not part
    # of the `explain` contract).
    notes: tuple[Note, ...] = ()

    @property
    def is_job(self) -> bool:
        """A plan the bot would submit: a model and no error."""
        return self.model is not None and self.error is None

    # Typed answers about the args, so no layer above the domain reads Kling's args dict.
    @property
    def uses_video(self) -> bool:
        """The job takes the chat's current video (video-to-video)."""
        return self.args.get("video") == VIDEO_PLACEHOLDER

    @property
    def uses_photos(self) -> bool:
        """The job takes the chat's held photos (as images or elements)."""
        return bool(self.args.get("images") or self.args.get("elements"))

    @property
    def mode(self) -> Mode:
        return Mode(self.args.get("mode", Mode.PRO.value))

    @property
    def is_new_shot(self) -> bool:
        """A new shot guided by the video (video-to-video `refer`), not an edit of it."""
        return self.model == VIDEO_TO_VIDEO and self.args.get("action") == "refer"

    @property
    def animates_photos(self) -> bool:
        return self.model == IMAGE_TO_VIDEO
