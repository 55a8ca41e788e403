"""Provider errors, failed jobs, callbacks (forged and duplicated), signed media links."""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal
from pathlib import Path

import httpx

from bot.domain.money import from_micros
from bot.media.probe import probe
from bot.store import ledger
from tests.e2e.harness import FAST, Harness, running_bot


async def _upload_and_instruct(h: Harness, clip: Path, text: str = "remove the car") -> dict:
    mark = h.mark()
    h.tg.send_video(h.chat_id, clip)
    await h.answer(mark)
    return h.tg.send_text(h.chat_id, text)


async def _spent_and_held(h: Harness) -> tuple[Decimal, int]:
    assert h.bot.db is not None
    spent, held = await ledger.totals(h.bot.db, chat_id=h.chat_id)
    return from_micros(spent), held


async def _final_status_text(h: Harness, instruction: dict, fragment: str) -> str:
    """The status message, once an edit of it (or a reply) says `fragment`."""
    await h.tg.wait_for_call(
        "editMessageText", lambda c: c.ok and fragment in c.params.get("text", ""), timeout=20)
    status = await h.reply_to(instruction)
    message = h.tg.message(h.chat_id, status.response["message_id"])
    assert message is not None
    return str(message["text"])


async def test_provider_error_on_create(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path) as h:
        h.em.inject(create_error={"message": "insufficient balance: 0.12", "times": 1})
        instruction = await _upload_and_instruct(h, clip)
        text = await _final_status_text(h, instruction, "refused")
        assert "nothing was charged" in text
        assert "insufficient balance" not in text  # never the raw provider text
        assert await _spent_and_held(h) == (Decimal(0), 0)
        assert not h.tg.calls("sendVideo")


async def test_failed_job_without_refund_keeps_the_charge(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path) as h:
        h.em.inject(fail_next={"error": "internal error: stuck at 99%", "refunded": False, "times": 1})
        instruction = await _upload_and_instruct(h, clip)
        text = await _final_status_text(h, instruction, "could not finish")
        assert "$0.86 was spent" in text and "99%" not in text
        job = next(iter(h.em.jobs.values()))
        assert await _spent_and_held(h) == (job.amount, 0)
        assert not h.tg.calls("sendVideo")


async def test_moderated_and_refunded_job_costs_nothing(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path) as h:
        h.em.inject(fail_next={"error": "content moderation: the video was flagged",
                               "refunded": True, "times": 1})
        instruction = await _upload_and_instruct(h, clip)
        text = await _final_status_text(h, instruction, "moderation")
        assert "refunded" in text
        assert await _spent_and_held(h) == (Decimal(0), 0)


async def test_forged_callback_is_rejected_and_changes_nothing(tmp_path: Path, clip: Path) -> None:
    slow = FAST.__class__(first_poll=30, max_poll_with_callback=30, job_timeout=60)
    async with running_bot(tmp_path, timing=slow) as h:
        h.em.inject(stuck=True)
        instruction = await _upload_and_instruct(h, clip)
        await h.reply_to(instruction)
        await h.wait_job_state(1, "submitted")
        queries_before = sum(1 for r in h.em.requests if r.path.endswith("/query"))
        async with httpx.AsyncClient() as client:
            forged = await client.post(f"{h.bot.public_url}/callbacks/1/not-the-token",
                                       json={"status": 2, "result": {"videos": [{"url": "http://evil/x.mp4"}]}})
            unknown = await client.post(f"{h.bot.public_url}/callbacks/999/whatever", json={})
        assert forged.status_code == 404 and unknown.status_code == 404
        await asyncio.sleep(0.2)
        queries_after = sum(1 for r in h.em.requests if r.path.endswith("/query"))
        assert queries_after == queries_before
        row = await h.bot.db.fetchone("SELECT state FROM jobs WHERE id = 1")  # type: ignore[union-attr]
        assert row["state"] == "submitted"
        assert not h.tg.calls("sendVideo")


async def test_duplicate_callbacks_deliver_once(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path) as h:
        h.em.inject(duplicate_callbacks=True)
        instruction = await _upload_and_instruct(h, clip)
        await h.reply_to(instruction, "sendVideo", timeout=30)
        await h.wait_job_state(1, "delivered")
        job = next(iter(h.em.jobs.values()))
        for _ in range(100):
            if len(job.callbacks) >= 2:
                break
            await asyncio.sleep(0.05)
        assert len(job.callbacks) >= 2 and all(c.status == 200 for c in job.callbacks)
        await asyncio.sleep(0.5)
        assert len([c for c in h.tg.calls("sendVideo") if c.ok]) == 1


async def test_dropped_callbacks_fall_back_to_polling(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path) as h:
        h.em.inject(drop_callbacks=True)
        instruction = await _upload_and_instruct(h, clip)
        await h.reply_to(instruction, "sendVideo", timeout=30)
        await h.wait_job_state(1, "delivered")


async def test_signed_media_links(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path) as h:
        mark = h.mark()
        h.tg.send_video(h.chat_id, clip)
        await h.answer(mark)
        signer = h.bot.engine.deps.signer  # type: ignore[union-attr]
        assert signer is not None
        good = signer.url(1)
        expired = signer.url(1, ttl=5, now=time.time() - 60)
        tampered = good.replace("/media/1?", "/media/2?")
        bad_sig = good[:-4] + ("0000" if not good.endswith("0000") else "1111")
        async with httpx.AsyncClient() as client:
            assert (await client.get(good)).status_code == 200
            ranged = await client.get(good, headers={"Range": "bytes=0-99"})
            assert ranged.status_code == 206 and len(ranged.content) == 100
            for url in (expired, tampered, bad_sig, f"{h.bot.public_url}/media/1"):
                assert (await client.get(url)).status_code == 404, url


async def test_health(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as h, httpx.AsyncClient() as client:
        health = (await client.get(f"{h.bot.public_url}/healthz")).json()
        assert health["ok"] is True and health["emulator"] is False


async def test_a_result_over_50_mb_is_re_encoded_to_fit(tmp_path: Path, clip: Path) -> None:
    """Re-encoding a 6 s 720p clip to fit 50 MB keeps good quality, so it is sent as a video;
    the stored version stays what Kling made (too long to fit well: a link, see
    tests/unit/test_clip_rules.py)."""
    from bot.emulator.state import EmulatorConfig

    config = EmulatorConfig(time_scale=0.02, callback_retry_seconds=0.05, result_size_mb=51,
                            work_dir=tmp_path / "em")
    async with running_bot(tmp_path, emulator_config=config) as h:
        instruction = await _upload_and_instruct(h, clip)
        delivered = await h.reply_to(instruction, "sendVideo", timeout=60)
        uploaded = h.tg.uploaded_bytes(delivered)
        assert 0 < len(uploaded) < 50 * 1024 * 1024
        (tmp_path / "sent.mp4").write_bytes(uploaded)
        sent = await probe(tmp_path / "sent.mp4")
        assert (sent.width, sent.height) == (1280, 720) and abs((sent.duration or 0) - 6.2) < 0.2
        await h.wait_job_state(1, "delivered")
        assert h.bot.db is not None
        row = await h.bot.db.fetchone("SELECT size_bytes FROM media WHERE job_id = 1")
        assert row is not None and row["size_bytes"] > 50 * 1024 * 1024
        assert not list((tmp_path / "media" / "tmp").glob("*.mp4"))  # the copy is gone
