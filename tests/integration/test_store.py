"""The store on a real SQLite file: migrations, guarded transitions, ledger sums."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest

from bot.domain.job_states import JobState
from bot.store import jobs, ledger
from bot.store.db import MIGRATIONS_DIR, Database
from bot.store.jobs import NewJob
from bot.store.ledger import Entry


async def _job(db: Database) -> int:
    async with db.transaction() as tx:
        return await jobs.insert(tx, NewJob(
            chat_id=1, thread_id=0, user_id=1, request_message_id=5, source_media_id=None,
            image_media_ids=[], intent="edit", instruction="remove the car",
            model="m", args={"prompt": "remove the car"}, callback_token_hash="",
            estimate_micros=858_000,
        ))


async def test_migrations_are_recorded_once_and_wal_is_on(tmp_path: Path) -> None:
    database = await Database.open(tmp_path / "x.sqlite3")
    applied = await database.migrate()
    assert applied == sorted(path.stem for path in MIGRATIONS_DIR.glob("*.sql"))
    assert applied[:7] == ["0001_initial", "0002_budgets_and_confirmations", "0003_media_expiry",
                           "0004_fit_offers", "0005_credits", "0006_jobs_by_user",
                           "0007_languages"]
    assert await database.migrate() == []
    row = await database.fetchone("PRAGMA journal_mode")
    assert row is not None and row[0] == "wal"
    await database.close()


async def test_transition_is_guarded(db: Database) -> None:
    job_id = await _job(db)
    async with db.transaction() as tx:
        assert await jobs.transition(tx, job_id, JobState.SUBMITTING)
        assert not await jobs.transition(tx, job_id, JobState.SUBMITTING)
        assert await jobs.transition(tx, job_id, JobState.SUBMITTED, provider_job_id="p1")
        assert not await jobs.transition(tx, job_id, JobState.DELIVERED)
    job = await jobs.get(db, job_id)
    assert job is not None and job.state is JobState.SUBMITTED
    assert job.provider_job_id == "p1"


async def test_only_one_of_two_racing_finishers_wins(db: Database) -> None:
    job_id = await _job(db)
    async with db.transaction() as tx:
        for target in (JobState.SUBMITTING, JobState.SUBMITTED, JobState.SUCCEEDED):
            await jobs.transition(tx, job_id, target)

    async def deliver() -> bool:
        async with db.transaction() as tx:
            return await jobs.transition(tx, job_id, JobState.DELIVERED)

    results = await asyncio.gather(*(deliver() for _ in range(5)))
    assert results.count(True) == 1


async def test_ledger_sums(db: Database) -> None:
    job_id = await _job(db)
    async with db.transaction() as tx:
        for kind, micros in [(Entry.RESERVE, 858_000), (Entry.RELEASE, 858_000),
                             (Entry.CHARGE, 858_000), (Entry.REFUND, 858_000)]:
            await ledger.append(tx, job_id=job_id, chat_id=1, user_id=1, model="m",
                                kind=kind, micros=micros)
        assert await ledger.held_for_job(tx, job_id) == 0
    assert await ledger.totals(db, chat_id=1) == (0, 0)
    assert await ledger.totals(db, user_id=2) == (0, 0)


async def test_failed_transaction_leaves_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction():
            await _job_in(db)
    row = await db.fetchone("SELECT COUNT(*) AS n FROM jobs")
    assert row is not None and row["n"] == 0


async def _job_in(db: Database) -> None:
    await db.conn.execute(
        "INSERT INTO jobs(chat_id, user_id, intent, instruction, model, args, state, "
        "callback_token_hash, estimate_micros, created_at, updated_at) "
        "VALUES (1, 1, 'edit', 'x', 'm', '{}', 'pending', '', 0, 0, 0)"
    )
    raise RuntimeError("crash inside the transaction")


async def test_a_task_cancelled_mid_transaction_leaves_none_open(db: Database) -> None:
    async def writer() -> None:
        async with db.transaction() as tx:
            await tx.execute("UPDATE chats SET title = 'x' WHERE id = 1")
            await asyncio.sleep(10)

    for delay in (0, 0, 0.001, 0.01):
        task = asyncio.create_task(writer())
        await asyncio.sleep(delay)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert not db.conn.in_transaction
        async with db.transaction() as tx:  # would fail: "cannot start a transaction within a transaction"
            await tx.execute("UPDATE chats SET title = 'y' WHERE id = 1")
    row = await db.fetchone("SELECT title FROM chats WHERE id = 1")
    assert row is not None and row["title"] == "y"


async def test_budget_usage_counts_each_scope_and_period(db: Database) -> None:
    from datetime import UTC, datetime

    from bot.store import budgets

    now = datetime(2026, 11, 22, 12, tzinfo=UTC)
    today, yesterday = now.timestamp() - 3600, now.timestamp() - 86_400
    last_month = datetime(2026, 10, 31, 23, tzinfo=UTC).timestamp()
    job_id = await _job(db)
    rows = [  # (chat, user, kind, micros, when)
        (1, 1, "charge", 100, today), (1, 1, "reserve", 50, today),
        (1, 1, "release", 50, today), (1, 1, "charge", 200, yesterday),
        (2, 1, "charge", 400, today), (1, 2, "charge", 800, today),
        (1, 1, "refund", 100, yesterday), (1, 1, "charge", 10_000, last_month),
    ]
    async with db.transaction() as tx:
        for chat, user, kind, micros, when in rows:
            await tx.execute(
                "INSERT INTO ledger(job_id, chat_id, user_id, model, kind, micros, created_at) "
                "VALUES (?, ?, ?, 'm', ?, ?, ?)", (job_id, chat, user, kind, micros, when))
    used = await budgets.usage(db, chat_id=1, user_id=1, now=now)
    assert used.user_daily == 100 + 50 - 50 + 400
    assert used.user_monthly == 100 + 200 + 400 - 100
    assert used.chat_daily == 100 + 800
    assert used.chat_monthly == 100 + 200 + 800 - 100
    assert used.global_monthly == 100 + 200 + 400 + 800 - 100
    # Without a global budget the month's every row is not summed; the other scopes stand.
    scoped = await budgets.usage(db, chat_id=1, user_id=1, now=now, everyone=False)
    assert scoped == replace(used, global_monthly=0)


async def test_one_read_tells_whether_chat_and_member_are_stored_as_given(db: Database) -> None:
    from bot.domain.models import AspectRatio, ChatDefaults, Mode
    from bot.engine.chat_settings import ChatSettings
    from bot.store import chats

    ada = chats.Member(1, "private", None, 1, "ada", "Ada")

    async def stored_as_given(member: chats.Member) -> bool:
        row = await chats.read(db, member)
        return row is not None and row.stored_as_given

    row = await chats.read(db, ada)
    assert row is not None and row.stored_as_given and row.language is None
    assert await chats.read(db, replace(ada, chat_id=99)) is None  # a chat never stored
    assert not await stored_as_given(replace(ada, username="ada2"))
    # A language Telegram reports for the first time is stored (None matches any).
    assert not await stored_as_given(replace(ada, language_code="de"))
    settings = ChatSettings(db)
    await settings.remember(chat_id=1, chat_type="private", title=None, user_id=1,
                            username="ada", first_name="Ada", language_code="de")
    assert await chats.user_language(db, 1) == "de"
    assert await stored_as_given(replace(ada, language_code="de"))
    # The chat's defaults come with that read and stay right when /settings changes them.
    chosen = ChatDefaults(mode=Mode.STD, aspect_ratio=AspectRatio.VERTICAL, sound=True)
    await settings.save_defaults(1, chosen)
    assert await settings.defaults(1) == chosen
    assert await ChatSettings(db).defaults(1) == chosen  # a restart reads it back


async def test_get_many_keeps_the_order_given_and_skips_missing(db: Database) -> None:
    from bot.store import media_rows
    from bot.store.media_rows import NewMedia

    async with db.transaction() as tx:
        ids = [
            await media_rows.insert(tx, NewMedia(chat_id=1, thread_id=0, kind="photo",
                                                  path=f"{n}.jpg", width=1, height=1,
                                                  codec="mjpeg", size_bytes=1))
            for n in range(3)
        ]
    found = await media_rows.get_many(db, [ids[2], 999, ids[0]])
    assert [m.id for m in found] == [ids[2], ids[0]]
    assert await media_rows.get_many(db, []) == []
