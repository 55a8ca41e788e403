"""Which media files may be deleted, and marking their rows expired (the rows stay)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.job_states import OPEN_STATES
from bot.store.db import Tx

# In use, whatever its age: the current version of any session, photos a session holds for
# the next job, and the inputs of open jobs and of jobs waiting for a Confirm press.
_IN_USE = """
    SELECT current_media_id FROM sessions WHERE current_media_id IS NOT NULL
    UNION SELECT value FROM sessions, json_each(sessions.photo_ids)
    UNION SELECT source_media_id FROM jobs
          WHERE state IN ({open}) AND source_media_id IS NOT NULL
    UNION SELECT value FROM jobs, json_each(jobs.image_media_ids) WHERE jobs.state IN ({open})
    UNION SELECT source_media_id FROM confirmations
          WHERE state = 'waiting' AND source_media_id IS NOT NULL
    UNION SELECT value FROM confirmations, json_each(confirmations.image_media_ids)
          WHERE confirmations.state = 'waiting'
"""


@dataclass(frozen=True)
class Expired:
    media_id: int
    path: str  # relative to MEDIA_DIR


async def expire_older_than(tx: Tx, *, cutoff: float, now: float, limit: int) -> list[Expired]:
    """Mark up to `limit` media created before `cutoff` and not in use as expired; return
    them so the caller deletes their files before this transaction commits. Run in the write
    transaction, so no session can make one of them current in between."""
    open_states = ", ".join(f"'{s.value}'" for s in sorted(OPEN_STATES))
    rows = await tx.fetchall(
        "UPDATE media SET expired_at = :now WHERE id IN ("
        "  SELECT id FROM media WHERE expired_at IS NULL AND created_at < :cutoff"
        f"  AND id NOT IN ({_IN_USE.format(open=open_states)})"
        "  ORDER BY created_at LIMIT :limit"
        ") RETURNING id, path",
        {"now": now, "cutoff": cutoff, "limit": limit},
    )
    return [Expired(media_id=r["id"], path=r["path"]) for r in rows]
