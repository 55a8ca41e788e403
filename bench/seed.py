"""Seeding the bot's SQLite file (after `python -m bot migrate`) through the store's own
functions, so the rows are what the bot itself would write: chats, users, and sessions, each
with a current clip."""

from __future__ import annotations

import asyncio
import shutil
import time
import uuid
from decimal import Decimal
from pathlib import Path

from bot.domain.job_states import JobState
from bot.domain.models import VIDEO_TO_VIDEO
from bot.emulator.state import QUEUED, EmulatedJob, Emulator
from bot.store import chats as chat_store
from bot.store import jobs, media_rows
from bot.store import sessions as session_store
from bot.store.db import Database

FIRST_CHAT = 500_000
MODEL = VIDEO_TO_VIDEO  # what the seeded open jobs claim to be (never re-created)
ARGS = {"prompt": "remove the car", "mode": "std"}
CLIP_PATH = "bench/clip.mp4"  # relative to MEDIA_DIR; every seeded clip row shares the file


async def seed_sessions(db_path: Path, media_dir: Path, clip: Path, count: int,
                        first_chat: int = FIRST_CHAT) -> list[int]:
    """`count` private chats (chat id = user id), each with a user, a session and a current
    4 s 1280x720 24 fps clip (within Kling's input limits). Returns the chat ids."""
    await asyncio.to_thread((media_dir / "bench").mkdir, parents=True, exist_ok=True)
    await asyncio.to_thread(shutil.copyfile, clip, media_dir / CLIP_PATH)
    size = (await asyncio.to_thread(clip.stat)).st_size
    chats = list(range(first_chat, first_chat + count))
    db = await Database.open(db_path)
    try:
        for c in chats:
            await chat_store.remember(db, chat_id=c, chat_type="private", title=None,
                                      user_id=c, username=f"user{c}", first_name=f"User{c}",
                                      language_code="en")  # as the fake's updates say
        async with db.transaction() as conn:
            for c in chats:
                media_id = await media_rows.insert(conn, media_rows.NewMedia(
                    chat_id=c, thread_id=0, kind="video", path=CLIP_PATH, width=1280,
                    height=720, codec="h264", size_bytes=size, duration=4.0, created_by=c,
                    fits_kling=True))  # as intake stores it: probed on the way in
                await session_store.save(conn, session_store.Session(
                    chat_id=c, thread_id=0, current_media_id=media_id))
    finally:
        await db.close()
    return chats


async def seed_open_jobs(db_path: Path, emulator: Emulator, chats: list[int], count: int,
                         age_s: float = 300.0) -> list[int]:
    """`count` jobs already at the provider (state `submitted`, submitted `age_s` ago), spread
    over `chats`, each known to the emulator as a job that stays queued (no task, no render):
    what a bot finds on restart while many long jobs run. Returns the job ids."""
    db = await Database.open(db_path)
    ids: list[int] = []
    submitted_at = time.time() - age_s
    try:
        async with db.transaction() as tx:
            for i in range(count):
                chat = chats[i % len(chats)]
                job_id = await jobs.insert(tx, jobs.NewJob(
                    chat_id=chat, thread_id=0, user_id=chat, request_message_id=None,
                    source_media_id=None, image_media_ids=[], intent="edit",
                    instruction="remove the car", model=MODEL, args=dict(ARGS),
                    callback_token_hash="", estimate_micros=100_000))
                provider_id = uuid.uuid4().hex
                await jobs.transition(tx, job_id, JobState.SUBMITTING,
                                      callback_token_hash="x" * 64)
                await jobs.transition(tx, job_id, JobState.SUBMITTED,
                                      provider_job_id=provider_id, amount_micros=100_000,
                                      submitted_at=submitted_at)
                emulator.jobs[provider_id] = EmulatedJob(
                    id=provider_id, model=MODEL, args=dict(ARGS), callback_url=None,
                    status=QUEUED, amount=Decimal("0.1"))
                ids.append(job_id)
    finally:
        await db.close()
    return ids
