"""Media retention on a real SQLite file and real files: old files go, rows stay (marked
expired), and whatever a session or an open job still needs is kept."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from bot.ops.retention import DAY, sweep_media
from bot.store import chats, jobs, media_rows
from bot.store.db import Database

NOW = time.time() + 40 * DAY  # every row made now is 40 days old at the sweep


async def _media(db: Database, root: Path, name: str, *, age_days: float = 40) -> int:
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_bytes(os.urandom(64))
    async with db.transaction() as tx:
        media_id = await media_rows.insert(tx, media_rows.NewMedia(
            chat_id=-100, thread_id=0, kind="video", path=name, width=320, height=240,
            codec="h264", size_bytes=64))
        await tx.execute("UPDATE media SET created_at = ? WHERE id = ?",
                         (NOW - age_days * DAY, media_id))
    return media_id


async def _job(db: Database, source: int, images: list[int], state: str) -> None:
    async with db.transaction() as tx:
        job_id = await jobs.insert(tx, jobs.NewJob(
            chat_id=-100, thread_id=0, user_id=1, request_message_id=None,
            source_media_id=source, image_media_ids=images, intent="edit", instruction="x",
            model="m", args={}, callback_token_hash="h", estimate_micros=1))
        await tx.execute("UPDATE jobs SET state = ? WHERE id = ?", (state, job_id))


async def test_old_files_go_rows_stay_and_what_is_in_use_is_kept(tmp_path: Path) -> None:
    root = tmp_path / "media"
    db = await Database.open(tmp_path / "bot.sqlite3")
    await db.migrate()
    await chats.remember(db, chat_id=-100, chat_type="supergroup", title="crew", user_id=1,
                         username="u", first_name="U")
    m = {name: await _media(db, root, f"{i:02x}/{name}.mp4")
         for i, name in enumerate(["old", "old2", "old3", "current", "photo", "running_src",
                                   "running_img", "done_src", "confirm_src", "young"])}
    await db.conn.execute("UPDATE media SET created_at = ? WHERE id = ?",
                          (NOW - 29 * DAY, m["young"]))
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO sessions(chat_id, thread_id, current_media_id, photo_ids, updated_at) "
            "VALUES (-100, 0, ?, ?, 0)", (m["current"], json.dumps([m["photo"]])))
        await tx.execute(
            "INSERT INTO confirmations(chat_id, user_id, instruction, intent, model, args, "
            "estimate_micros, source_media_id, state, created_at) "
            "VALUES (-100, 1, 'x', 'edit', 'm', '{}', 1, ?, 'waiting', 0)", (m["confirm_src"],))
    await _job(db, m["running_src"], [m["running_img"]], "running")
    await _job(db, m["done_src"], [], "delivered")
    (root / "02/old3.mp4").unlink()  # already gone (a crash after unlink): still expired

    try:
        expired = await sweep_media(db, root, days=30, now=NOW, batch=2)
        again = await sweep_media(db, root, days=30, now=NOW)
        rows = {r["id"]: r["expired_at"] for r in await db.fetchall("SELECT * FROM media")}
        gone = await media_rows.get(db, m["old"])
    finally:
        await db.close()

    deleted = {"old", "old2", "old3", "done_src"}
    assert expired == 4 and again == 0
    assert len(rows) == len(m)  # no row is removed
    for name, media_id in m.items():
        assert (rows[media_id] == NOW) is (name in deleted), name
        assert (root / f"{list(m).index(name):02x}/{name}.mp4").exists() is (name not in deleted)
    assert gone is not None and gone.expired_at == NOW


async def test_zero_days_keeps_everything_and_paths_stay_inside_the_media_folder(
    tmp_path: Path,
) -> None:
    root = tmp_path / "media"
    root.mkdir()
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me")
    db = await Database.open(tmp_path / "bot.sqlite3")
    await db.migrate()
    await chats.remember(db, chat_id=-100, chat_type="group", title="g", user_id=1,
                         username="u", first_name="U")
    try:
        await _media(db, root, "aa/clip.mp4")
        async with db.transaction() as tx:
            await tx.execute("UPDATE media SET path = '../precious.txt'")
        assert await sweep_media(db, root, days=0, now=NOW) == 0
        assert await sweep_media(db, root, days=30, now=NOW) == 1
    finally:
        await db.close()
    assert outside.read_text() == "keep me"
