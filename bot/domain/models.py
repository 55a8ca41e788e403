"""Plain value types shared by every layer. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

VIDEO_TO_VIDEO = "kwaivgi/kling-o3/video-to-video"
IMAGE_TO_VIDEO = "kwaivgi/kling-o3/image-to-video"


class Intent(str, Enum):
    """What a message asks for. The string is the `explain` contract value."""

    EDIT = "edit"  # change the current video itself (video-to-video, action=edit)
    REFER = "refer"  # a new shot guided by the current video (video-to-video, action=refer)
    IMAGE_TO_VIDEO = "image_to_video"  # animate the session's photos
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


@dataclass(frozen=True)
class PlanError:
    code: ErrorCode
    message: str  # short, user-facing, says what to do


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
    notes: tuple[str, ...] = ()

    @property
    def is_job(self) -> bool:
        """A plan the bot would submit: a model and no error."""
        return self.model is not None and self.error is None
