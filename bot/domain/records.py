"""The records the bot keeps, as plain values: a job and a media item. `bot.store` persists
them; every layer above reads them. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain.job_states import JobState
from bot.domain.models import Intent, Plan
from bot.domain.money import from_micros


@dataclass(frozen=True)
class Media:
    id: int
    chat_id: int
    thread_id: int
    kind: str  # "video" | "photo"
    tg_file_id: str | None
    path: str  # relative to MEDIA_DIR
    duration: float | None
    width: int
    height: int
    codec: str
    size_bytes: int
    has_audio: bool
    parent_id: int | None
    job_id: int | None
    version: int
    created_at: float
    expired_at: float | None = None  # the file was deleted by retention; the row stays
    # A video fits Kling's input limits as it is (from its probe); None: not known.
    fits_kling: bool | None = None


@dataclass(frozen=True)
class Job:
    id: int
    chat_id: int
    thread_id: int
    user_id: int
    request_message_id: int | None
    status_message_id: int | None
    source_media_id: int | None
    image_media_ids: list[int]
    intent: str
    instruction: str
    model: str
    args: dict[str, Any]
    state: JobState
    provider_job_id: str | None
    callback_token_hash: str
    estimate_micros: int
    amount_micros: int | None
    polls: int
    error: str | None
    refunded: bool
    result_media_id: int | None
    created_at: float
    submitted_at: float | None

    @property
    def plan(self) -> Plan:
        """The plan this job was made from, for typed questions about its args."""
        return Plan(intent=Intent(self.intent), model=self.model, args=self.args,
                    estimated_cost_usd=from_micros(self.estimate_micros))
