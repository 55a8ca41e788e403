"""Instructions waiting for a part of a clip: one decision per offer, the asker's newest wins."""

from __future__ import annotations

from bot.store import fit_offers, media_rows
from bot.store.db import Database
from bot.store.fit_offers import FitState, NewFitOffer


async def _offer(db: Database, instruction: str = "remove the car") -> int:
    async with db.transaction() as tx:
        media_id = await media_rows.insert(tx, media_rows.NewMedia(
            chat_id=1, thread_id=0, kind="video", path="x.mp4", width=1280, height=720,
            codec="h264", size_bytes=1, duration=14.0))
    return await fit_offers.insert(db, NewFitOffer(
        chat_id=1, thread_id=0, user_id=1, request_message_id=5, instruction=instruction,
        language="en", source_media_id=media_id, offers=["first", "last", "liveliest"]))


async def test_an_offer_is_decided_once(db: Database) -> None:
    offer_id = await _offer(db)
    waiting = await fit_offers.waiting_for(db, 1, 0, 1)
    assert waiting is not None and waiting.id == offer_id and waiting.language == "en"
    async with db.transaction() as tx:
        assert await fit_offers.choose(tx, offer_id, "first")
        assert not await fit_offers.choose(tx, offer_id, "last")
    assert await fit_offers.waiting_for(db, 1, 0, 1) is None
    chosen = await fit_offers.get(db, offer_id)
    assert chosen is not None and (chosen.state, chosen.choice) == (FitState.CHOSEN, "first")


async def test_a_failed_cut_reopens_the_offer(db: Database) -> None:
    offer_id = await _offer(db)
    async with db.transaction() as tx:
        assert await fit_offers.choose(tx, offer_id, "liveliest")
    await fit_offers.reopen(db, offer_id)
    reopened = await fit_offers.get(db, offer_id)
    assert reopened is not None and reopened.state is FitState.WAITING and reopened.choice is None


async def test_the_askers_newest_offer_replaces_the_old(db: Database) -> None:
    first = await _offer(db, "remove the car")
    second = await _offer(db, "make it rainy")
    old = await fit_offers.get(db, first)
    assert old is not None and old.state is FitState.REPLACED
    waiting = await fit_offers.waiting_for(db, 1, 0, 1)
    assert waiting is not None and waiting.id == second and waiting.instruction == "make it rainy"
    async with db.transaction() as tx:
        assert not await fit_offers.choose(tx, first, "first")  # a stale button
