"""The one front door for a paid job: what the chat asked in, one small outcome out.

`take` decides everything between a planned message and the provider: which of the chat's
media the job uses, whether it must wait for a Confirm press, whether a budget refuses it.
The Telegram edge only renders the outcome. Confirmation questions live in SQLite
(`store.confirmations`), so a press works after a restart.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum

from bot.domain.budget import Limits, Refusal
from bot.domain.models import Intent, Mode, Note, Plan, PlanError
from bot.domain.money import from_micros, to_micros
from bot.domain.records import Job
from bot.domain.submission_rate import TooMany
from bot.engine.credits import CreditsShort, require_credits
from bot.engine.deps import Deps
from bot.engine.kling_inputs import KlingInputs
from bot.engine.submit import BudgetExceeded, JobRequest, Submitter, TooManyJobs
from bot.engine.versions import Target, Versions
from bot.store import budgets, chats, confirmations, media_rows
from bot.store.confirmations import Confirmation, ConfirmationState, NewConfirmation


@dataclass(frozen=True)
class Order:
    """What a chat asked for: a planned message, the media it acts on, and who asked."""

    chat_id: int
    thread_id: int
    user_id: int
    request_message_id: int | None
    instruction: str
    plan: Plan
    target: Target
    replied: bool = False  # the message replied to a clip: the conversation moves there


@dataclass(frozen=True)
class Submitted:
    """Recorded, reserved and sent; its status message is in the chat."""

    job: Job


@dataclass(frozen=True)
class AskFirst:
    """Over the chat's threshold: nothing happens until the asker presses Confirm."""

    confirmation_id: int
    estimate: Decimal
    mode: Mode
    instruction: str
    guessed: bool = False  # the message was not clearly an instruction: "did you mean...?"


@dataclass(frozen=True)
class Refused:
    """A budget would break; nothing was recorded or reserved."""

    refusal: Refusal
    estimate: Decimal


@dataclass(frozen=True)
class Unfunded:
    """PAYMENTS=stars and the asker's credits do not cover the estimate; nothing recorded."""

    price: int  # Stars the job would hold
    balance: int

    @property
    def missing(self) -> int:
        return self.price - self.balance


@dataclass(frozen=True)
class Unplannable:
    """The message cannot become a job as it stands; the error says what to do."""

    error: PlanError


@dataclass(frozen=True)
class Throttled:
    """The user reached MAX_JOBS_PER_USER_PER_HOUR; nothing was recorded."""

    too_many: TooMany


Outcome = Submitted | AskFirst | Refused | Unfunded | Unplannable | Throttled


class Press(str, Enum):
    """What a Confirm or Cancel press did."""

    CONFIRMED = "confirmed"  # go ahead: submit the request
    CANCELLED = "cancelled"  # the asker said no; nothing spent
    NOT_YOURS = "not_yours"  # someone else pressed: refused, nothing changes
    ALREADY = "already"  # pressed before (double tap, or another button first)
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class PressResult:
    press: Press
    asker: str | None = None  # how to name the asker, for NOT_YOURS
    confirmed: Confirmation | None = None  # for CONFIRMED: pass to `submit_confirmed`


class Orders:
    def __init__(self, deps: Deps, submitter: Submitter, versions: Versions,
                 inputs: KlingInputs | None = None) -> None:
        self._deps = deps
        self._submitter = submitter
        self._versions = versions
        self._inputs = inputs

    async def take(self, order: Order) -> Outcome:
        """Submit now, or above the chat's threshold ask first; over budget, refuse either
        way (the refusal for a direct submit comes from the reserving transaction itself)."""
        plan = order.plan
        if plan.error is not None:
            return Unplannable(plan.error)
        target = order.target
        if plan.uses_video and target.video is not None and order.replied:
            await self._versions.select(order.chat_id, order.thread_id, target.video)
        # The reserving transaction checks the hourly limit; ahead of a conversion it is
        # checked here too, so a refused order costs no ffmpeg run.
        if self._may_convert(order) and (throttled := await self._throttled(order.user_id)):
            return throttled
        return await self._submit_or_ask(self._request(await self._conformed(order)))

    async def offer(self, order: Order) -> Outcome:
        """A message that might be an instruction: ask first whatever the price, so nothing
        is ever spent on a guess (a budget that would refuse it says so at once)."""
        plan = order.plan
        if plan.error is not None:
            return Unplannable(plan.error)
        if (throttled := await self._throttled(order.user_id)) is not None:
            return throttled  # before any conversion: refused, it costs nothing
        request = self._request(await self._conformed(order))
        estimate = plan.estimated_cost_usd or Decimal(0)
        refusal = await self._submitter.refusal(self._deps.db, request, to_micros(estimate))
        if refusal is not None:
            return Refused(refusal, estimate)
        if (unfunded := await self._unfunded(request, estimate)) is not None:
            return unfunded
        confirmation_id = await confirmations.insert(self._deps.db, _question(request))
        return AskFirst(confirmation_id, estimate, plan.mode, order.instruction, guessed=True)

    async def _throttled(self, user_id: int) -> Throttled | None:
        """MAX_JOBS_PER_USER_PER_HOUR reached: the refusal (the submit checks it again)."""
        too_many = await self._submitter.too_many(self._deps.db, user_id)
        return Throttled(too_many) if too_many is not None else None

    def _may_convert(self, order: Order) -> bool:
        """The order's clip is not known to fit Kling's limits: `_conformed` may convert it."""
        video = order.target.video
        return (self._inputs is not None and order.plan.uses_video and video is not None
                and not video.fits_kling)

    async def _conformed(self, order: Order) -> Order:
        """The order on a clip Kling takes: converted first when it is outside Kling's input
        limits (the status message then says so)."""
        video = order.target.video
        if not self._may_convert(order):
            return order
        assert self._inputs is not None and video is not None  # what _may_convert checked
        converted = await self._inputs.conformed(video, order.chat_id, order.thread_id,
                                                 order.user_id)
        if converted is None:
            return order
        plan = replace(order.plan, notes=(*order.plan.notes, Note.CONVERTED_FOR_KLING))
        return replace(order, plan=plan, target=replace(order.target, video=converted.media))

    def _request(self, order: Order) -> JobRequest:
        plan, target = order.plan, order.target
        return JobRequest(
            chat_id=order.chat_id, thread_id=order.thread_id, user_id=order.user_id,
            request_message_id=order.request_message_id, instruction=order.instruction,
            plan=plan,
            source=target.video if plan.uses_video else None,
            photos=target.photos if plan.uses_photos else [],
        )

    async def retry(
        self, chat_id: int, thread_id: int, user_id: int, request_message_id: int | None
    ) -> Outcome | None:
        """The speaker's own last job here again, priced afresh; None when there is none."""
        last = await self._versions.last_job_of(chat_id, thread_id, user_id)
        if last is None:
            return None
        return await self.retry_job(last, user_id, request_message_id)

    async def retry_job(self, job: Job, user_id: int, request_message_id: int | None) -> Outcome:
        """A new job: the same instruction on the same source as `job`, billed to `user_id`
        (the confirmation step and the budgets apply as to any job)."""
        plan, source, photos = await self._versions.retry_plan(job)
        return await self._submit_or_ask(JobRequest(
            chat_id=job.chat_id, thread_id=job.thread_id, user_id=user_id,
            request_message_id=request_message_id, instruction=job.instruction, plan=plan,
            source=source, photos=photos,
        ))

    async def _submit_or_ask(self, request: JobRequest) -> Outcome:
        db = self._deps.db
        estimate = request.plan.estimated_cost_usd or Decimal(0)
        limits, threshold = await budgets.limits_and_confirm_above(
            db, request.chat_id, self._deps.budgets, self._deps.confirm_above)
        if threshold is None or to_micros(estimate) <= threshold:
            return await self._submit(request, limits)
        # Don't ask someone to confirm what a limit would refuse anyway.
        if (throttled := await self._throttled(request.user_id)) is not None:
            return throttled
        refusal = await self._submitter.refusal(db, request, to_micros(estimate))
        if refusal is not None:
            return Refused(refusal, estimate)
        if (unfunded := await self._unfunded(request, estimate)) is not None:
            return unfunded
        confirmation_id = await confirmations.insert(db, _question(request))
        return AskFirst(confirmation_id, estimate, request.plan.mode, request.instruction)

    async def _submit(self, request: JobRequest, limits: Limits | None = None) -> Outcome:
        try:
            return Submitted(await self._submitter.submit(request, limits))
        except BudgetExceeded as exc:
            return Refused(exc.refusal, request.plan.estimated_cost_usd or Decimal(0))
        except CreditsShort as exc:
            return Unfunded(exc.price, exc.balance)
        except TooManyJobs as exc:
            return Throttled(exc.too_many)

    async def _unfunded(self, request: JobRequest, estimate: Decimal) -> Unfunded | None:
        """Don't ask someone to confirm what their credits would refuse anyway."""
        try:
            await require_credits(self._deps.db, self._deps.credits, request.user_id,
                                  to_micros(estimate))
        except CreditsShort as exc:
            return Unfunded(exc.price, exc.balance)
        return None

    async def prompt_shown(self, confirmation_id: int, message_id: int) -> None:
        await confirmations.set_prompt(self._deps.db, confirmation_id, message_id)

    async def press(self, confirmation_id: int, user_id: int, confirm: bool) -> PressResult:
        """Apply a Confirm or Cancel press. Only the asker decides, and only once."""
        db = self._deps.db
        async with db.transaction() as tx:
            found = await confirmations.get(tx, confirmation_id)
            if found is None:
                return PressResult(Press.NOT_FOUND)
            if found.user_id != user_id:
                asker = await chats.user_handle(tx, found.user_id)
                return PressResult(Press.NOT_YOURS, asker=asker)
            state = ConfirmationState.CONFIRMED if confirm else ConfirmationState.CANCELLED
            if not await confirmations.decide(tx, confirmation_id, state):
                return PressResult(Press.ALREADY)
        if not confirm:
            return PressResult(Press.CANCELLED)
        return PressResult(Press.CONFIRMED, confirmed=found)

    async def submit_confirmed(self, confirmation: Confirmation) -> Outcome:
        """Submit what the asker confirmed; the job is linked to its question."""
        db = self._deps.db
        source = (
            await media_rows.get(db, confirmation.source_media_id)
            if confirmation.source_media_id else None
        )
        plan = Plan(
            intent=Intent(confirmation.intent), model=confirmation.model, args=confirmation.args,
            estimated_cost_usd=from_micros(confirmation.estimate_micros),
        )
        outcome = await self._submit(JobRequest(
            chat_id=confirmation.chat_id, thread_id=confirmation.thread_id,
            user_id=confirmation.user_id, request_message_id=confirmation.request_message_id,
            instruction=confirmation.instruction, plan=plan, source=source,
            photos=await media_rows.get_many(db, confirmation.image_media_ids),
        ))
        if isinstance(outcome, Submitted):
            await confirmations.link_job(db, confirmation.id, outcome.job.id)
        return outcome


def _question(request: JobRequest) -> NewConfirmation:
    plan = request.plan
    assert plan.model is not None
    return NewConfirmation(
        chat_id=request.chat_id, thread_id=request.thread_id, user_id=request.user_id,
        request_message_id=request.request_message_id, instruction=request.instruction,
        intent=plan.intent.value, model=plan.model, args=plan.args,
        estimate_micros=to_micros(plan.estimated_cost_usd or Decimal(0)),
        source_media_id=request.source.id if request.source else None,
        image_media_ids=[p.id for p in request.photos],
    )
