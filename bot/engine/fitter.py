"""Fitting a clip to Kling's 3-10 s window instead of refusing it.

An instruction on a clip over 10 s (or under 3 s) waits in SQLite (`store.fit_offers`) while
the asker picks a part: the first, last or liveliest 10 s, a part said in words, or for a
short clip a loop or a slow-down to 3 s. The part is cut with ffmpeg into a new version ($0,
so undo works), and the waiting instruction is planned afresh on it and goes through the
front door, `Orders.take`: the price is the trimmed length's, the confirmation step applies.
Nothing is spent before the pick.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum
from pathlib import Path

from bot.domain import clip_rules, fitting, local_edits
from bot.domain.fitting import FitOffer
from bot.domain.local_edits import LocalEdit
from bot.domain.models import Intent, Plan
from bot.domain.planner import plan as make_plan
from bot.domain.records import Media
from bot.engine.deps import Deps
from bot.engine.library import Library, Origin, file_of
from bot.engine.orders import Order, Orders, Outcome
from bot.engine.versions import Versions
from bot.media.ffmpeg import FfmpegError
from bot.media.fit import liveliest, loop_to, slow_to, trim
from bot.media.probe import MediaError, MediaInfo, probe
from bot.store import chats, fit_offers, media_rows
from bot.store.fit_offers import FitOfferRow, NewFitOffer

log = logging.getLogger(__name__)

RANGE = "range"  # the choice recorded for a part said in words


class Claim(str, Enum):
    """What a press on a fitting button (or a part said in words) found."""

    TAKEN = "taken"  # the offer is ours to cut now
    NOT_YOURS = "not_yours"  # someone else's instruction: nothing changes
    ALREADY = "already"  # decided before (double tap, a newer offer, a part said in words)
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Claimed:
    claim: Claim
    offer: FitOfferRow | None = None
    asker: str | None = None  # how to name the asker, for NOT_YOURS
    part: tuple[float, float] | None = None  # (start, end) of a part said in words


@dataclass(frozen=True)
class Fitted:
    """The cut version, the part of the source it holds, and the waiting instruction planned
    on it (priced for the cut's length), ready for `run`."""

    media: Media
    choice: str
    start: float
    end: float
    order: Order

    @property
    def estimate(self) -> Decimal | None:
        return self.order.plan.estimated_cost_usd


@dataclass(frozen=True)
class PartRefused:
    """A part said in words that cannot be used: a code of `local_edits.problem` or
    `fitting.part_problem`, and the part's length (or the clip's, for a time past its end)."""

    code: str
    seconds: float


@dataclass(frozen=True)
class NotFitted:
    reason: str  # "failed" (the offer waits again) | "gone" (the source file was deleted)


class Fitter:
    def __init__(self, deps: Deps, library: Library, orders: Orders, versions: Versions) -> None:
        self._deps = deps
        self._library = library
        self._orders = orders
        self._versions = versions

    async def ask(self, order: Order, language: str | None, offers: list[FitOffer]) -> int:
        """Keep the instruction waiting for a pick; returns the offer's id (for its buttons)."""
        assert order.target.video is not None
        if order.replied:  # the conversation moves to the clip the message replied to
            await self._versions.select(order.chat_id, order.thread_id, order.target.video)
        return await fit_offers.insert(self._deps.db, NewFitOffer(
            chat_id=order.chat_id, thread_id=order.thread_id, user_id=order.user_id,
            request_message_id=order.request_message_id, instruction=order.instruction,
            language=language, source_media_id=order.target.video.id, offers=list(offers),
        ))

    async def prompt_shown(self, offer_id: int, message_id: int) -> None:
        await fit_offers.set_prompt(self._deps.db, offer_id, message_id)

    async def waiting(self, chat_id: int, thread_id: int, user_id: int) -> FitOfferRow | None:
        """The speaker's instruction waiting here for a part to be picked, if any."""
        return await fit_offers.waiting_for(self._deps.db, chat_id, thread_id, user_id)

    async def said_part(self, chat_id: int, thread_id: int, user_id: int, source: Media | None,
                        plan: Plan) -> Claimed | PartRefused | None:
        """A trim said in words ("use 0:05 to 0:12") while the speaker's instruction waits
        for a part of this clip: the offer claimed for it, or why the part cannot be used.
        None when nothing waits here (the words are then a free trim like any other)."""
        if plan.intent is not Intent.LOCAL_EDIT or source is None or not source.duration:
            return None
        edit = LocalEdit(**plan.args).resolved(source.duration)
        offer = await self.waiting(chat_id, thread_id, user_id)
        if edit.op != "trim" or offer is None or offer.source_media_id != source.id:
            return None
        assert edit.start is not None and edit.end is not None
        problem = local_edits.problem(edit, source.duration)
        if problem is not None:
            return PartRefused(problem, source.duration)
        start, end = fitting.clamp_range(edit.start, edit.end, source.duration)
        problem = fitting.part_problem(start, end)
        if problem is not None:
            return PartRefused(problem, end - start)
        claimed = await self.claim(offer.id, chat_id, user_id, RANGE)
        return replace(claimed, part=(start, end))

    async def claim(self, offer_id: int, chat_id: int, user_id: int, choice: str) -> Claimed:
        """Take the offer for `choice`: only its asker, only once, only in its chat."""
        async with self._deps.db.transaction() as tx:
            found = await fit_offers.get(tx, offer_id)
            if found is None or found.chat_id != chat_id:
                return Claimed(Claim.NOT_FOUND)
            if found.user_id != user_id:
                return Claimed(Claim.NOT_YOURS, asker=await chats.user_handle(tx, found.user_id))
            if choice != RANGE and choice not in found.offers:
                return Claimed(Claim.NOT_FOUND)
            if not await fit_offers.choose(tx, offer_id, choice):
                return Claimed(Claim.ALREADY)
        return Claimed(Claim.TAKEN, offer=found)

    async def cut(self, claimed: Claimed, choice: str) -> Fitted | NotFitted:
        """Cut the claimed part (`choice`, or the part said in words) into a new version and
        plan the waiting instruction on it."""
        offer, part = claimed.offer, claimed.part
        assert offer is not None and claimed.claim is Claim.TAKEN
        db, vault = self._deps.db, self._deps.vault
        source = await media_rows.get(db, offer.source_media_id)
        path = file_of(vault, source) if source is not None else None
        if source is None or path is None or not await asyncio.to_thread(path.is_file):
            return NotFitted("gone")
        dest = vault.tmp_path(".mp4")
        try:
            info = await probe(path)
            start, end = await self._make(choice, path, dest, info, part)
            made = await probe(dest)
        except (FfmpegError, MediaError, ValueError) as exc:
            log.warning("fitting media %s (%s) failed: %s", source.id, choice, exc)
            await asyncio.to_thread(dest.unlink, missing_ok=True)
            await fit_offers.reopen(db, offer.id)
            return NotFitted("failed")
        media = await self._library.add(dest, made, Origin(
            chat_id=offer.chat_id, thread_id=offer.thread_id, user_id=offer.user_id,
            parent_id=source.id, version=source.version + 1,
        ))
        await fit_offers.set_result(db, offer.id, media.id)
        return Fitted(media, choice, start, end, await self._order(offer, media))

    async def _make(self, choice: str, source: Path, dest: Path, info: MediaInfo,
                    part: tuple[float, float] | None) -> tuple[float, float]:
        """Write the chosen part of `source` to `dest`; return the span of the source used."""
        runner, duration = self._deps.ffmpeg, info.duration or 0.0
        if choice == "loop":
            await loop_to(runner, source, dest)
            return 0.0, duration
        if choice == "slow":
            await slow_to(runner, source, dest, info)
            return 0.0, duration
        if part is not None:
            start, end = fitting.clamp_range(*part, duration)
        elif choice == "liveliest":
            start, end = await liveliest(runner, source, duration)
        else:
            start, end = fitting.fixed_window("last" if choice == "last" else "first", duration)
        h264_mp4 = info.codec == "h264" and clip_rules.is_mp4_family(info.container)
        await trim(runner, source, dest, start, end, h264_mp4=h264_mp4)
        return start, end

    async def run(self, fitted: Fitted) -> Outcome:
        """The waiting instruction on the cut, through the front door (confirmation and
        budgets apply as to any job)."""
        return await self._orders.take(fitted.order)

    async def _order(self, offer: FitOfferRow, media: Media) -> Order:
        """The waiting instruction, planned afresh on the cut."""
        target = await self._versions.resolve(
            offer.chat_id, offer.thread_id, group=offer.chat_id < 0, replied=media
        )
        return Order(
            chat_id=offer.chat_id, thread_id=offer.thread_id, user_id=offer.user_id,
            request_message_id=offer.request_message_id, instruction=offer.instruction,
            plan=make_plan(offer.instruction, target.context, offer.language), target=target,
        )
