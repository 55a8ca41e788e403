"""Instructions waiting for the user to pick which part of a clip Kling gets: one row per
offer, decided once. A newer offer from the same person in the same place replaces theirs."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from enum import Enum

import aiosqlite

from bot.store.db import Database, Reader, Tx


class FitState(str, Enum):
    """The string is what is stored (the table's CHECK constraint lists the same values)."""

    WAITING = "waiting"  # offered; no choice yet
    CHOSEN = "chosen"  # a part was picked (the cut and the job follow)
    REPLACED = "replaced"  # the same person asked something else that needed fitting


@dataclass(frozen=True)
class NewFitOffer:
    chat_id: int
    thread_id: int
    user_id: int
    request_message_id: int | None
    instruction: str
    language: str | None
    source_media_id: int
    offers: list[str]


@dataclass(frozen=True)
class FitOfferRow(NewFitOffer):
    id: int
    state: FitState
    choice: str | None
    prompt_message_id: int | None

    @staticmethod
    def from_row(row: aiosqlite.Row) -> FitOfferRow:
        return FitOfferRow(
            id=row["id"], chat_id=row["chat_id"], thread_id=row["thread_id"],
            user_id=row["user_id"], request_message_id=row["request_message_id"],
            instruction=row["instruction"], language=row["language"],
            source_media_id=row["source_media_id"], offers=json.loads(row["offers"]),
            state=FitState(row["state"]), choice=row["choice"],
            prompt_message_id=row["prompt_message_id"],
        )


async def insert(db: Database, new: NewFitOffer) -> int:
    """Record the offer; the asker's earlier waiting offer here is replaced (one transaction)."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE fit_offers SET state = ? WHERE chat_id = ? AND thread_id = ? AND user_id = ? "
            "AND state = ?",
            (FitState.REPLACED.value, new.chat_id, new.thread_id, new.user_id,
             FitState.WAITING.value),
        )
        cur = await tx.execute(
            "INSERT INTO fit_offers(chat_id, thread_id, user_id, request_message_id, instruction, "
            "language, source_media_id, offers, state, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (new.chat_id, new.thread_id, new.user_id, new.request_message_id, new.instruction,
             new.language, new.source_media_id, json.dumps(new.offers),
             FitState.WAITING.value, time.time()),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid


async def set_prompt(db: Database, offer_id: int, message_id: int) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE fit_offers SET prompt_message_id = ? WHERE id = ?", (message_id, offer_id)
        )


async def get(conn: Reader, offer_id: int) -> FitOfferRow | None:
    row = await conn.fetchone("SELECT * FROM fit_offers WHERE id = ?", (offer_id,))
    return FitOfferRow.from_row(row) if row is not None else None


async def waiting_for(conn: Reader, chat_id: int, thread_id: int,
                      user_id: int) -> FitOfferRow | None:
    """The asker's offer still waiting here, if any."""
    row = await conn.fetchone(
        "SELECT * FROM fit_offers WHERE chat_id = ? AND thread_id = ? AND user_id = ? "
        "AND state = ? ORDER BY id DESC LIMIT 1",
        (chat_id, thread_id, user_id, FitState.WAITING.value),
    )
    return FitOfferRow.from_row(row) if row is not None else None


async def choose(tx: Tx, offer_id: int, choice: str) -> bool:
    """Take a waiting offer; False if it was decided (or replaced) already."""
    cur = await tx.execute(
        "UPDATE fit_offers SET state = ?, choice = ? WHERE id = ? AND state = ?",
        (FitState.CHOSEN.value, choice, offer_id, FitState.WAITING.value),
    )
    return cur.rowcount == 1


async def reopen(db: Database, offer_id: int) -> None:
    """The cut failed: the offer waits again, so the user can pick another part."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE fit_offers SET state = ?, choice = NULL WHERE id = ? AND state = ? "
            "AND result_media_id IS NULL",
            (FitState.WAITING.value, offer_id, FitState.CHOSEN.value),
        )


async def set_result(db: Database, offer_id: int, media_id: int) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE fit_offers SET result_media_id = ? WHERE id = ?", (media_id, offer_id)
        )
