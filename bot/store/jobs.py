"""Job rows. State changes go through `transition`, a guarded UPDATE: the one place that
enforces the domain's transition table in the database."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import aiosqlite

from bot.domain.job_states import (
    AT_PROVIDER,
    OPEN_STATES,
    JobState,
    check_transition,
    sources_of,
)
from bot.domain.records import Job as Job  # re-exported: the row type
from bot.store.db import Database, Reader, Tx


def _job(row: aiosqlite.Row) -> Job:
    return Job(
        id=row["id"],
        chat_id=row["chat_id"],
        thread_id=row["thread_id"],
        user_id=row["user_id"],
        request_message_id=row["request_message_id"],
        status_message_id=row["status_message_id"],
        source_media_id=row["source_media_id"],
        image_media_ids=json.loads(row["image_media_ids"]),
        intent=row["intent"],
        instruction=row["instruction"],
        model=row["model"],
        args=json.loads(row["args"]),
        state=JobState(row["state"]),
        provider_job_id=row["provider_job_id"],
        callback_token_hash=row["callback_token_hash"],
        estimate_micros=row["estimate_micros"],
        amount_micros=row["amount_micros"],
        polls=row["polls"],
        error=row["error"],
        refunded=bool(row["refunded"]),
        result_media_id=row["result_media_id"],
        created_at=row["created_at"],
        submitted_at=row["submitted_at"],
    )


@dataclass(frozen=True)
class NewJob:
    chat_id: int
    thread_id: int
    user_id: int
    request_message_id: int | None
    source_media_id: int | None
    image_media_ids: list[int]
    intent: str
    instruction: str
    model: str
    args: dict[str, Any]
    callback_token_hash: str
    estimate_micros: int


async def insert(conn: Tx, new: NewJob) -> int:
    return (await insert_row(conn, new)).id


async def insert_row(conn: Tx, new: NewJob) -> Job:
    """Insert a pending job and return it as stored (one statement: RETURNING, no re-read)."""
    now = time.time()
    row = await conn.fetchone(
        "INSERT INTO jobs(chat_id, thread_id, user_id, request_message_id, source_media_id, "
        "image_media_ids, intent, instruction, model, args, state, callback_token_hash, "
        "estimate_micros, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
        (
            new.chat_id, new.thread_id, new.user_id, new.request_message_id,
            new.source_media_id, json.dumps(new.image_media_ids), new.intent, new.instruction,
            new.model, json.dumps(new.args, ensure_ascii=False), JobState.PENDING.value,
            new.callback_token_hash, new.estimate_micros, now, now,
        ),
    )
    assert row is not None
    return _job(row)


async def created_since(db: Reader, user_id: int, since: float) -> list[float]:
    """When the user's jobs created at or after `since` were created, oldest first."""
    rows = await db.fetchall(
        "SELECT created_at FROM jobs WHERE user_id = ? AND created_at >= ? ORDER BY created_at",
        (user_id, since),
    )
    return [float(row["created_at"]) for row in rows]


_UPDATABLE = frozenset(
    {
        "provider_job_id", "amount_micros", "error", "provider_error", "refunded",
        "result_media_id", "submitted_at", "finished_at", "status_message_id",
        "callback_token_hash",
    }
)


async def transition(
    conn: Tx, job_id: int, target: JobState, **fields: Any
) -> bool:
    """Move a job to `target` if its current state allows it. False if it did not (another
    path got there first): callers treat that as "someone else handled it"."""
    unknown = set(fields) - _UPDATABLE
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    sources = sources_of(target)
    for source in sources:
        check_transition(source, target)
    now = time.time()
    if target.is_final:
        fields.setdefault("finished_at", now)
    assignments = "".join(f", {name} = ?" for name in fields)
    placeholders = ", ".join("?" for _ in sources)
    cur = await conn.execute(
        f"UPDATE jobs SET state = ?, updated_at = ?{assignments} "
        f"WHERE id = ? AND state IN ({placeholders})",
        (target.value, now, *fields.values(), job_id, *(s.value for s in sources)),
    )
    return cur.rowcount == 1


async def set_status_message(conn: Tx, job_id: int, message_id: int | None) -> None:
    await conn.execute(
        "UPDATE jobs SET status_message_id = ? WHERE id = ?", (message_id, job_id)
    )


async def set_result(conn: Tx, job_id: int, media_id: int) -> None:
    await conn.execute("UPDATE jobs SET result_media_id = ? WHERE id = ?", (media_id, job_id))


async def count_poll(db: Database, job_id: int) -> None:
    async with db.transaction() as conn:
        await conn.execute("UPDATE jobs SET polls = polls + 1 WHERE id = ?", (job_id,))


async def get(db: Reader, job_id: int) -> Job | None:
    sql = "SELECT * FROM jobs WHERE id = ?"
    row = await db.fetchone(sql, (job_id,))
    return _job(row) if row else None


async def open_jobs(db: Database) -> list[Job]:
    states = [s.value for s in OPEN_STATES]
    rows = await db.fetchall(
        f"SELECT * FROM jobs WHERE state IN ({', '.join('?' for _ in states)}) ORDER BY id",
        states,
    )
    return [_job(r) for r in rows]


async def open_in_session(db: Database, chat_id: int, thread_id: int) -> list[Job]:
    states = [s.value for s in OPEN_STATES]
    rows = await db.fetchall(
        f"SELECT * FROM jobs WHERE chat_id = ? AND thread_id = ? "
        f"AND state IN ({', '.join('?' for _ in states)}) ORDER BY id",
        (chat_id, thread_id, *states),
    )
    return [_job(r) for r in rows]


async def record_late_charge(tx: Tx, job_id: int, provider_job_id: str, amount_micros: int) -> None:
    """What the provider charged for a job that had already left the open states (cancelled
    while its create was in flight): no transition, but the facts are kept."""
    await tx.execute(
        "UPDATE jobs SET provider_job_id = ?, amount_micros = ? WHERE id = ?",
        (provider_job_id, amount_micros, job_id),
    )


# The states are written out (not bound) so that SQLite can use the partial indexes of
# migration 0008, whose WHERE clauses these must repeat word for word.
_AT_PROVIDER_SQL = "state IN ('submitting', 'submitted', 'running')"
assert {s.value for s in AT_PROVIDER} == {"submitting", "submitted", "running"}


async def waiting(db: Reader) -> list[Job]:
    """Jobs recorded but not yet sent (the queue), oldest first."""
    rows = await db.fetchall("SELECT * FROM jobs INDEXED BY jobs_pending WHERE state = 'pending'")
    return sorted((_job(r) for r in rows), key=lambda j: j.id)


async def at_provider_counts(db: Reader) -> tuple[dict[int, int], dict[int, int]]:
    """How many jobs each chat and each user has at the provider right now."""
    by_chat = await db.fetchall(
        f"SELECT chat_id, COUNT(*) AS n FROM jobs WHERE {_AT_PROVIDER_SQL} GROUP BY chat_id")
    by_user = await db.fetchall(
        f"SELECT user_id, COUNT(*) AS n FROM jobs WHERE {_AT_PROVIDER_SQL} GROUP BY user_id")
    return ({r["chat_id"]: r["n"] for r in by_chat}, {r["user_id"]: r["n"] for r in by_user})


async def waiting_and_at_provider_for(
    db: Reader, chat_id: int, user_id: int
) -> tuple[list[tuple[int, int, int]], tuple[int, int]]:
    """The queue as (id, chat, user), oldest first, and how many jobs one chat and one user
    have at the provider: what admitting a new job needs, in one query."""
    rows = await db.fetchall(
        "SELECT id, chat_id, user_id FROM jobs INDEXED BY jobs_pending WHERE state = 'pending' "
        "UNION ALL SELECT NULL, "
        f"(SELECT COUNT(*) FROM jobs WHERE chat_id = ? AND {_AT_PROVIDER_SQL}), "
        f"(SELECT COUNT(*) FROM jobs WHERE user_id = ? AND {_AT_PROVIDER_SQL})",
        (chat_id, user_id),
    )
    counts = next(r for r in rows if r[0] is None)
    waiting = sorted((int(r[0]), int(r[1]), int(r[2])) for r in rows if r[0] is not None)
    return waiting, (int(counts[1]), int(counts[2]))


async def last_by_user(db: Reader, chat_id: int, thread_id: int, user_id: int) -> Job | None:
    """The newest job this person asked for in this session."""
    row = await db.fetchone(
        "SELECT * FROM jobs WHERE chat_id = ? AND thread_id = ? AND user_id = ? "
        "ORDER BY id DESC LIMIT 1", (chat_id, thread_id, user_id),
    )
    return _job(row) if row else None
