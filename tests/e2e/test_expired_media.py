"""Media retention seen from the chat: a reply to a clip whose file was deleted says it has
expired (and starts nothing); the version current in the session is kept and still works."""

from __future__ import annotations

import time
from pathlib import Path

from bot.ops.retention import DAY, sweep_media
from tests.e2e.harness import running_bot


async def test_a_reply_to_an_expired_clip_says_so_and_the_current_one_is_kept(
    tmp_path: Path, clip: Path
) -> None:
    async with running_bot(tmp_path, env={"MEDIA_RETENTION_DAYS": "30"}) as h:
        mark = h.mark()
        original = h.tg.send_video(h.chat_id, clip)
        await h.answer(mark)
        h.tg.send_text(h.chat_id, "remove the car")
        await h.wait_job_state(1, "delivered", timeout=40)
        db = h.bot.db
        assert db is not None
        # Thirty-one days later: the original (no longer current) goes, the result stays.
        swept = await sweep_media(db, tmp_path / "media", days=30, now=time.time() + 31 * DAY)
        assert swept == 1
        kept = await db.fetchone("SELECT id, expired_at FROM media WHERE job_id = 1")
        assert kept is not None and kept["expired_at"] is None
        shown = await db.fetchone("SELECT message_id FROM messages WHERE media_id = ? "
                                  "AND message_id != ?", (kept["id"], original["message_id"]))
        assert shown is not None

        mark = h.mark()
        h.tg.send_text(h.chat_id, "make it black and white", reply_to=original["message_id"])
        told = (await h.answer(mark)).params["text"]
        assert "expired" in told and "30 days" in told and "Send it again" in told
        jobs = await db.fetchone("SELECT COUNT(*) AS n FROM jobs")
        assert jobs is not None and jobs["n"] == 1 and len(h.em.jobs) == 1

        # The current clip (the result) is kept: a reply to it starts a job as usual.
        h.tg.send_text(h.chat_id, "make it rainy", reply_to=shown["message_id"])
        await h.wait_job_state(2, "delivered", timeout=40)
