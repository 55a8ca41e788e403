"""Versions in a session: what a message acts on, undo/redo, history, retry, running jobs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.domain.job_states import JobState
from bot.domain.models import ChatContext, ChatDefaults, Intent, Plan
from bot.domain.pricing import estimate
from bot.domain.records import Job, Media
from bot.store import jobs, media_rows, sessions
from bot.store.db import Database, Tx


@dataclass(frozen=True)
class Target:
    """The media a message acts on, and the parser's view of it."""

    context: ChatContext
    video: Media | None
    photos: list[Media]



class Versions:
    """What a message acts on, and moving through a session's versions."""

    def __init__(self, db: Database, defaults: Callable[[int], Awaitable[ChatDefaults]]) -> None:
        self._db = db
        # The chat's defaults, as ChatSettings keeps them (read with the update's first look
        # at the chat).
        self._defaults = defaults

    async def replied_media(self, chat_id: int, message_id: int) -> Media | None:
        """The clip or photo a chat message shows, if the bot knows it."""
        return await media_rows.by_message(self._db, chat_id, message_id)

    async def resolve(
        self, chat_id: int, thread_id: int, *, group: bool, replied: Media | None = None,
        photos_with_message: bool = False,
    ) -> Target:
        """The replied-to clip if any, else the session's current clip; plus the held photos.

        `photos_with_message`: the message brought photos itself (a caption, an album), so a
        video job takes the held photos even when its words do not name them; so does a reply
        to a photo."""
        session = await sessions.load(self._db, chat_id, thread_id)
        video = replied if replied is not None and replied.kind == "video" else None
        if video is None and session.current_media_id is not None:
            video = await media_rows.get(self._db, session.current_media_id)
        photos = await media_rows.get_many(self._db, session.photo_ids)
        held = {p.id for p in photos}
        if replied is not None and replied.kind == "photo" and replied.id not in held:
            photos = [replied, *photos]
        context = ChatContext(
            video_seconds=video.duration if video else None,
            photos=len(photos),
            group=group,
            defaults=await self._defaults(chat_id),
            photos_with_message=photos_with_message or (
                replied is not None and replied.kind == "photo"
            ),
        )
        return Target(context, video, photos)

    async def undo(self, chat_id: int, thread_id: int, steps: int = 1) -> Media | None:
        """Step back `steps` parents from the current clip, in one transaction; None (and
        nothing changed) if there are not that many."""
        async with self._db.transaction() as tx:
            session = await sessions.load(tx, chat_id, thread_id)
            if session.current_media_id is None:
                return None
            current = await media_rows.get(tx, session.current_media_id)
            for _ in range(steps):
                parent = await self._parent_clip(tx, current)
                if current is None or parent is None:
                    return None
                session.redo_ids = [*session.redo_ids, current.id]
                current = parent
            assert current is not None
            session.current_media_id = current.id
            await sessions.save(tx, session)
        return current

    @staticmethod
    async def _parent_clip(tx: Tx, media: Media | None) -> Media | None:
        if media is None or media.parent_id is None:
            return None
        parent = await media_rows.get(tx, media.parent_id)
        return parent if parent is not None and parent.kind == "video" else None

    async def redo(self, chat_id: int, thread_id: int) -> Media | None:
        async with self._db.transaction() as tx:
            session = await sessions.load(tx, chat_id, thread_id)
            if not session.redo_ids:
                return None
            media_id = session.redo_ids[-1]
            session.redo_ids = session.redo_ids[:-1]
            session.current_media_id = media_id
            await sessions.save(tx, session)
        return await media_rows.get(self._db, media_id)

    async def select(self, chat_id: int, thread_id: int, media: Media) -> None:
        """Make a replied-to clip the current one, so the conversation goes on from it."""
        async with self._db.transaction() as tx:
            session = await sessions.load(tx, chat_id, thread_id)
            if session.current_media_id != media.id:
                session.current_media_id = media.id
                session.redo_ids = []
                await sessions.save(tx, session)

    async def history(self, chat_id: int, thread_id: int) -> tuple[list[Media], int | None]:
        """Every clip of the session, branches included, newest first; and the current one."""
        session = await sessions.load(self._db, chat_id, thread_id)
        if session.current_media_id is None:
            return [], None
        clips = await media_rows.session_videos(self._db, chat_id, thread_id)
        return clips, session.current_media_id

    async def make_current(self, chat_id: int, thread_id: int, media_id: int) -> Media | None:
        """Go to any clip of this chat (a history button): free, no job. None if it is not a
        clip of this chat."""
        media = await media_rows.get(self._db, media_id)
        if media is None or media.chat_id != chat_id or media.kind != "video":
            return None
        await self.select(chat_id, thread_id, media)
        return media

    async def job_of_chat(self, job_id: int, chat_id: int) -> Job | None:
        """A job by id, only if it belongs to this chat (button data is not trusted)."""
        job = await jobs.get(self._db, job_id)
        return job if job is not None and job.chat_id == chat_id else None

    async def last_job_of(self, chat_id: int, thread_id: int, user_id: int) -> Job | None:
        """The newest job this person asked for here: what their "again" repeats."""
        return await jobs.last_by_user(self._db, chat_id, thread_id, user_id)

    async def retry_plan(self, job: Job) -> tuple[Plan, Media | None, list[Media]]:
        """The same model, args and media as an earlier job, priced afresh."""
        source = (
            await media_rows.get(self._db, job.source_media_id) if job.source_media_id else None
        )
        photos = await media_rows.get_many(self._db, job.image_media_ids)
        seconds = source.duration if source else None
        plan = Plan(
            intent=Intent(job.intent),
            model=job.model,
            args=job.args,
            estimated_cost_usd=estimate(job.model, job.args, seconds),
        )
        return plan, source, photos

    async def running_jobs(self, chat_id: int, thread_id: int) -> list[Job]:
        return [
            j for j in await jobs.open_in_session(self._db, chat_id, thread_id)
            if j.state is not JobState.SUCCEEDED
        ]
