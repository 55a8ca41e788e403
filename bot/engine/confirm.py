"""Jobs above a chat's threshold wait for a Confirm press by the member who asked."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from bot.domain.models import Intent, Plan
from bot.domain.money import from_micros, to_micros
from bot.engine.submit import JobRequest
from bot.store import media as media_store
from bot.store.db import Database


class Decision(str, Enum):
    CONFIRMED = "confirmed"  # go ahead: submit the request
    CANCELLED = "cancelled"  # the asker said no; nothing spent
    NOT_YOURS = "not_yours"  # someone else pressed: refused, nothing changes
    ALREADY = "already"  # pressed before (double tap, or another button first)
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Outcome:
    decision: Decision
    request: JobRequest | None = None
    asker_id: int | None = None
    prompt_message_id: int | None = None


async def ask(db: Database, request: JobRequest) -> int:
    plan = request.plan
    assert plan.model is not None
    async with db.transaction() as tx:
        cur = await tx.execute(
            "INSERT INTO confirmations(chat_id, thread_id, user_id, request_message_id, "
            "instruction, intent, model, args, estimate_micros, source_media_id, "
            "image_media_ids, state, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?)",
            (
                request.chat_id, request.thread_id, request.user_id, request.request_message_id,
                request.instruction, plan.intent.value, plan.model,
                json.dumps(plan.args, ensure_ascii=False),
                to_micros(plan.estimated_cost_usd or Decimal(0)),
                request.source.id if request.source else None,
                json.dumps([p.id for p in request.photos]), time.time(),
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


async def decide(db: Database, confirmation_id: int, user_id: int, confirm: bool) -> Outcome:
    """Apply a button press. Only the asker decides, and only once."""
    async with db.transaction() as tx:
        row = await tx.fetchone("SELECT * FROM confirmations WHERE id = ?", (confirmation_id,))
        if row is None:
            return Outcome(Decision.NOT_FOUND)
        asker, prompt = row["user_id"], row["prompt_message_id"]
        if row["user_id"] != user_id:
            return Outcome(Decision.NOT_YOURS, asker_id=asker, prompt_message_id=prompt)
        if row["state"] != "waiting":
            return Outcome(Decision.ALREADY, asker_id=asker, prompt_message_id=prompt)
        state = "confirmed" if confirm else "cancelled"
        await tx.execute(
            "UPDATE confirmations SET state = ? WHERE id = ? AND state = 'waiting'",
            (state, confirmation_id),
        )
    if not confirm:
        return Outcome(Decision.CANCELLED, asker_id=asker, prompt_message_id=prompt)
    source = await media_store.get(db, row["source_media_id"]) if row["source_media_id"] else None
    photos = await media_store.get_many(db, json.loads(row["image_media_ids"]))
    plan = Plan(
        intent=Intent(row["intent"]),
        model=row["model"],
        args=json.loads(row["args"]),
        estimated_cost_usd=from_micros(row["estimate_micros"]),
    )
    request = JobRequest(
        chat_id=row["chat_id"], thread_id=row["thread_id"], user_id=row["user_id"],
        request_message_id=row["request_message_id"], instruction=row["instruction"],
        plan=plan, source=source, photos=photos,
    )
    return Outcome(Decision.CONFIRMED, request=request, asker_id=asker, prompt_message_id=prompt)


async def link_job(db: Database, confirmation_id: int, job_id: int) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE confirmations SET job_id = ? WHERE id = ?", (job_id, confirmation_id)
        )
