"""Jobs waiting for a Confirm press: one row per question, decided once."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from enum import Enum
from typing import Any

import aiosqlite

from bot.store.db import Database, Reader, Tx


class ConfirmationState(str, Enum):
    """The string is what is stored (the table's CHECK constraint lists the same values)."""

    WAITING = "waiting"  # asked; no press yet
    CONFIRMED = "confirmed"  # the asker said yes: the job was (or is being) submitted
    CANCELLED = "cancelled"  # the asker said no; nothing spent


@dataclass(frozen=True)
class NewConfirmation:
    chat_id: int
    thread_id: int
    user_id: int
    request_message_id: int | None
    instruction: str
    intent: str
    model: str
    args: dict[str, Any]
    estimate_micros: int
    source_media_id: int | None
    image_media_ids: list[int]


@dataclass(frozen=True)
class Confirmation(NewConfirmation):
    id: int
    state: ConfirmationState
    prompt_message_id: int | None

    @staticmethod
    def from_row(row: aiosqlite.Row) -> Confirmation:
        return Confirmation(
            id=row["id"], chat_id=row["chat_id"], thread_id=row["thread_id"],
            user_id=row["user_id"], request_message_id=row["request_message_id"],
            instruction=row["instruction"], intent=row["intent"], model=row["model"],
            args=json.loads(row["args"]), estimate_micros=row["estimate_micros"],
            source_media_id=row["source_media_id"],
            image_media_ids=json.loads(row["image_media_ids"]),
            state=ConfirmationState(row["state"]), prompt_message_id=row["prompt_message_id"],
        )


async def insert(db: Database, new: NewConfirmation) -> int:
    async with db.transaction() as tx:
        cur = await tx.execute(
            "INSERT INTO confirmations(chat_id, thread_id, user_id, request_message_id, "
            "instruction, intent, model, args, estimate_micros, source_media_id, "
            "image_media_ids, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                new.chat_id, new.thread_id, new.user_id, new.request_message_id,
                new.instruction, new.intent, new.model, json.dumps(new.args, ensure_ascii=False),
                new.estimate_micros, new.source_media_id, json.dumps(new.image_media_ids),
                ConfirmationState.WAITING.value, time.time(),
            ),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid


async def set_prompt(db: Database, confirmation_id: int, message_id: int) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE confirmations SET prompt_message_id = ? WHERE id = ?",
            (message_id, confirmation_id),
        )


async def get(conn: Reader, confirmation_id: int) -> Confirmation | None:
    row = await conn.fetchone("SELECT * FROM confirmations WHERE id = ?", (confirmation_id,))
    return Confirmation.from_row(row) if row is not None else None


async def decide(tx: Tx, confirmation_id: int, state: ConfirmationState) -> bool:
    """Move a waiting confirmation to `state`; False if it was decided already."""
    cur = await tx.execute(
        "UPDATE confirmations SET state = ? WHERE id = ? AND state = ?",
        (state.value, confirmation_id, ConfirmationState.WAITING.value),
    )
    return cur.rowcount == 1


async def link_job(db: Database, confirmation_id: int, job_id: int) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE confirmations SET job_id = ? WHERE id = ?", (job_id, confirmation_id)
        )
