"""Free edits: trim, speed, reverse, mute, crop, rotate, a GIF, a still frame, done here with
ffmpeg at no cost. Each result is a new version in the clip's tree (so undo and history work,
and the next instruction edits it); a still frame joins the held photos instead.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from bot.domain import local_edits
from bot.domain.local_edits import LocalEdit
from bot.domain.models import Plan
from bot.domain.records import Media
from bot.engine.library import Library, Origin, file_of
from bot.media.edits import apply_edit, output_suffix
from bot.media.ffmpeg import FfmpegError, FfmpegRunner
from bot.media.probe import MediaError, probe
from bot.media.vault import Vault

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Edited:
    """The new version (a photo for a still frame), its file, and how to send it."""

    media: Media
    path: Path
    send_as: str  # "video" | "animation" | "photo"


@dataclass(frozen=True)
class NotEdited:
    """Why the edit could not be made: `reason` is a catalogue key, `detail` its value."""

    reason: str  # "no_clip" | "out_of_range" | "failed"
    detail: str = ""  # for out_of_range: the domain's code
    seconds: float = 0.0  # the clip's length


class FreeEdits:
    def __init__(self, library: Library, vault: Vault, runner: FfmpegRunner) -> None:
        self._library = library
        self._vault = vault
        self._runner = runner

    @property
    def busy(self) -> bool:
        """Every ffmpeg slot is taken: a new edit will wait its turn."""
        return self._runner.busy

    async def apply(self, plan: Plan, source: Media | None, *, chat_id: int,
                    thread_id: int, user_id: int | None) -> Edited | NotEdited:
        """Make the free edit `plan` names of `source`, and record the result."""
        edit = LocalEdit(**plan.args)
        if source is None or source.kind != "video" or not source.duration:
            return NotEdited("no_clip")
        edit = edit.resolved(source.duration)
        problem = local_edits.problem(edit, source.duration)
        if problem is not None:
            return NotEdited("out_of_range", problem, source.duration)
        dest = self._vault.tmp_path(output_suffix(edit))
        try:
            info = await probe(file_of(self._vault, source))
            await apply_edit(self._runner, file_of(self._vault, source), dest, edit, info)
            made = await probe(dest)
        except (FfmpegError, MediaError) as exc:
            log.warning("free edit %s of media %s failed: %s", edit.op, source.id, exc)
            await asyncio.to_thread(dest.unlink, missing_ok=True)
            return NotEdited("failed")
        send_as = local_edits.result_kind(edit.op)
        origin = Origin(
            chat_id=chat_id, thread_id=thread_id, user_id=user_id, message_id=None,
            parent_id=source.id if send_as != "photo" else None,
            version=source.version + 1 if send_as != "photo" else 1,
        )
        media = await self._library.add(dest, made, origin)
        return Edited(media, file_of(self._vault, media), send_as)
