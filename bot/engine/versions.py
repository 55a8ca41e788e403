"""Session use cases: what a message acts on, undo/redo, history, retry, spend."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.job_states import JobState
from bot.domain.models import ChatContext, Intent, Plan
from bot.domain.pricing import estimate
from bot.store import chats, jobs, media_rows, sessions
from bot.store.db import Database
from bot.store.jobs import Job
from bot.store.media_rows import Media


@dataclass(frozen=True)
class Target:
    """The media a message acts on, and the parser's view of it."""

    context: ChatContext
    video: Media | None
    photos: list[Media]


async def resolve(
    db: Database, chat_id: int, thread_id: int, *, group: bool, replied: Media | None
) -> Target:
    """The replied-to clip if any, else the session's current clip; plus the held photos."""
    session = await sessions.load(db, chat_id, thread_id)
    video = replied if replied is not None and replied.kind == "video" else None
    if video is None and session.current_media_id is not None:
        video = await media_rows.get(db, session.current_media_id)
    photos = await media_rows.get_many(db, session.photo_ids)
    if replied is not None and replied.kind == "photo" and replied.id not in {p.id for p in photos}:
        photos = [replied, *photos]
    context = ChatContext(
        video_seconds=video.duration if video else None,
        photos=len(photos),
        group=group,
        defaults=await chats.defaults(db, chat_id),
    )
    return Target(context, video, photos)


async def undo(db: Database, chat_id: int, thread_id: int) -> Media | None:
    """Step back to the current clip's parent video; None if there is none."""
    async with db.transaction() as tx:
        session = await sessions.load(tx, chat_id, thread_id)
        if session.current_media_id is None:
            return None
        current = await media_rows.get(db, session.current_media_id)
        if current is None or current.parent_id is None:
            return None
        parent = await media_rows.get(db, current.parent_id)
        if parent is None or parent.kind != "video":
            return None
        session.redo_ids = [*session.redo_ids, current.id]
        session.current_media_id = parent.id
        await sessions.save(tx, session)
    return parent


async def redo(db: Database, chat_id: int, thread_id: int) -> Media | None:
    async with db.transaction() as tx:
        session = await sessions.load(tx, chat_id, thread_id)
        if not session.redo_ids:
            return None
        media_id = session.redo_ids[-1]
        session.redo_ids = session.redo_ids[:-1]
        session.current_media_id = media_id
        await sessions.save(tx, session)
    return await media_rows.get(db, media_id)


async def select(db: Database, chat_id: int, thread_id: int, media: Media) -> None:
    """Make a replied-to clip the current one, so the conversation goes on from it."""
    async with db.transaction() as tx:
        session = await sessions.load(tx, chat_id, thread_id)
        if session.current_media_id != media.id:
            session.current_media_id = media.id
            session.redo_ids = []
            await sessions.save(tx, session)


async def history(db: Database, chat_id: int, thread_id: int) -> tuple[list[Media], int | None]:
    session = await sessions.load(db, chat_id, thread_id)
    if session.current_media_id is None:
        return [], None
    return await media_rows.lineage(db, session.current_media_id), session.current_media_id


async def last_job(db: Database, chat_id: int, thread_id: int) -> Job | None:
    session = await sessions.load(db, chat_id, thread_id)
    return await jobs.get(db, session.last_job_id) if session.last_job_id else None


async def retry_plan(db: Database, job: Job) -> tuple[Plan, Media | None, list[Media]]:
    """The same model, args and media as an earlier job, priced afresh."""
    source = await media_rows.get(db, job.source_media_id) if job.source_media_id else None
    photos = await media_rows.get_many(db, job.image_media_ids)
    seconds = source.duration if source else None
    plan = Plan(
        intent=Intent(job.intent),
        model=job.model,
        args=job.args,
        estimated_cost_usd=estimate(job.model, job.args, seconds),
    )
    return plan, source, photos


async def running_jobs(db: Database, chat_id: int, thread_id: int) -> list[Job]:
    return [
        j for j in await jobs.open_in_session(db, chat_id, thread_id)
        if j.state is not JobState.SUCCEEDED
    ]
