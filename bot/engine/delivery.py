"""The engine's only way to talk to a chat. The Telegram edge implements it; tests may too."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Protocol

from bot.domain.credits import JobCredits
from bot.domain.models import Note
from bot.domain.records import Job, Media


class FailureKind(str, Enum):
    """Why a job ended without a clip. Each has its own user-facing text."""

    REJECTED = "rejected"  # provider refused the create (args, balance, key)
    UNAVAILABLE = "unavailable"  # provider unreachable; nothing was created
    REMOTE_FAILED = "remote_failed"  # provider ran it and reported failure
    MODERATED = "moderated"  # provider's content moderation refused it
    TIMED_OUT = "timed_out"  # the provider did not finish in time; we stopped waiting
    LOST = "lost"  # crashed mid-create: may have been charged; not re-sent
    NO_RESULT = "no_result"  # provider said done but its result could not be fetched
    CANCELLED = "cancelled"  # the user stopped waiting
    SETUP = "setup"  # the bot cannot submit (e.g. no PUBLIC_URL for the provider to fetch)
    FORGOTTEN = "forgotten"  # the built-in emulator restarted with the bot and lost the job


class Undeliverable(Exception):
    """The chat cannot receive anything (it blocked the bot, was deleted, or removed it): no
    retry will help, so the job ends without its clip being sent."""


class StatusGone(Exception):
    """The job's status message, which delivery turns into the clip, is gone (someone deleted
    it) or cannot take the clip: post a fresh one (`job_status_again`) and deliver into it."""


@dataclass(frozen=True)
class Failure:
    kind: FailureKind
    charged: Decimal = Decimal(0)  # what stays spent after this failure
    refunded: bool = False
    started: bool = True  # False: it never left the queue, so nothing reached the provider
    credits: JobCredits | None = None  # the job's credits after it ended (payments on)


@dataclass(frozen=True)
class Sent:
    message_id: int
    file_id: str | None = None


class Delivery(Protocol):
    """Every method but `job_status_again` and `job_delivered` must not raise: a chat that
    cannot be reached is logged by the implementation, and the job goes on."""

    async def job_accepted(
        self, job: Job, notes: tuple[Note, ...] = (), place: int | None = None
    ) -> int | None:
        """Show the status message (what, mode, estimate, what could not be applied, and the
        place in the queue when the job waits); return its message id."""
        ...

    async def job_queued(self, job: Job, place: int) -> None:
        """The job's place in the queue changed."""
        ...

    async def job_submitted(self, job: Job) -> None:
        """The provider took the job and said what it charged (job.amount_micros)."""
        ...

    async def job_running(self, job: Job, elapsed: float) -> None:
        """The provider is working on it; `elapsed` seconds since it was submitted."""
        ...

    async def job_delivering(self, job: Job) -> None:
        """The result is ready and on its way to the chat."""
        ...

    async def job_status_again(self, job: Job) -> int:
        """Post a fresh status message for the clip to go into (the job has none, or it is
        gone); return its id. Raises like `job_delivered`."""
        ...

    async def job_delivered(self, job: Job, media: Media, path: Path, *,
                            as_new_message: bool = False) -> Sent:
        """Put the clip into the job's status message, replacing what it shows (so doing it
        again still leaves one clip in the chat), with its caption and buttons; then a short
        reply so the chat is notified. Returns the message that now carries the clip. Raises
        StatusGone when the status message cannot carry it, Undeliverable when the chat cannot
        be reached at all, anything else when it may work later. `as_new_message`: send the
        clip as a new message instead (a Bot API server that refused to put it into a status
        message it had just accepted: then a repeat can send it twice)."""
        ...

    async def job_failed(self, job: Job, failure: Failure) -> None:
        """Say, briefly and truly, that the job ended without a clip, and what it cost."""
        ...
