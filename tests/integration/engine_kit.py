"""The real engine on a real SQLite file, with a Delivery that records instead of Telegram."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from bot.domain.budget import Limits
from bot.domain.credits import CreditRules
from bot.domain.models import IMAGE_TO_VIDEO, VIDEO_TO_VIDEO, Intent, Note, Plan
from bot.domain.queue import RunLimits
from bot.engine.delivery import Failure, Sent
from bot.engine.deps import Deps, Timing
from bot.engine.engine import Engine
from bot.engine.library import Origin, add
from bot.engine.submit import JobRequest
from bot.media.probe import probe
from bot.media.signing import UrlSigner
from bot.media.vault import Vault
from bot.providers.base import Provider
from bot.sandbox.samples import make_jpeg
from bot.store import chats
from bot.store.db import Database
from bot.store.jobs import Job
from bot.store.media_rows import Media


@dataclass
class RecordingDelivery:
    accepted: list[int] = field(default_factory=list)
    delivered: list[int] = field(default_factory=list)
    failed: list[tuple[int, Failure]] = field(default_factory=list)

    queued: list[tuple[int, int]] = field(default_factory=list)  # (job, place)
    submitted: list[int] = field(default_factory=list)  # jobs whose status said "submitted"

    async def job_accepted(
        self, job: Job, notes: tuple[Note, ...] = (), place: int | None = None
    ) -> int | None:
        self.accepted.append(job.id)
        if place is not None:
            self.queued.append((job.id, place))
        return 1000 + job.id

    async def job_queued(self, job: Job, place: int) -> None:
        self.queued.append((job.id, place))

    async def job_submitted(self, job: Job) -> None:
        self.submitted.append(job.id)

    async def job_running(self, job: Job, elapsed: float) -> None:
        return None

    async def job_delivering(self, job: Job) -> None:
        return None

    async def job_status_again(self, job: Job) -> int:
        return 3000 + job.id

    async def job_delivered(self, job: Job, media: Media, path: Path) -> Sent:
        self.delivered.append(job.id)
        return Sent(message_id=5000 + job.id)

    async def job_failed(self, job: Job, failure: Failure) -> None:
        self.failed.append((job.id, failure))


async def open_engine(
    tmp_path: Path, provider: Provider, *, budgets: Limits | None = None,
    timing: Timing | None = None, signed: bool = True, run_limits: RunLimits | None = None,
    credits: CreditRules | None = None,
) -> tuple[Engine, RecordingDelivery, httpx.AsyncClient]:
    """`signed=False`: no public URL, so photos travel inline as Base64."""
    db = await Database.open(tmp_path / "bot.sqlite3")
    await db.migrate()
    for user in (1, 2):
        await chats.remember(db, chat_id=-100, chat_type="supergroup", title="crew",
                             user_id=user, username=f"u{user}", first_name=f"U{user}")
    delivery = RecordingDelivery()
    http = httpx.AsyncClient()
    engine = Engine(Deps(
        db=db, provider=provider, delivery=delivery, vault=Vault(tmp_path / "media"),
        signer=UrlSigner(b"secret", "http://127.0.0.1:9") if signed else None,
        public_url="http://127.0.0.1:9" if signed else None,
        http=http, timing=timing or Timing(first_poll=0.05, job_timeout=30),
        callbacks=False, budgets=budgets or Limits(),
        # Money tests send many jobs at once: no queue unless a test asks for one.
        run_limits=run_limits or RunLimits(per_chat=1000, per_user=1000),
        credits=credits,
    ))
    return engine, delivery, http


def photo_request(estimate: str, user_id: int = 1, **args: Any) -> JobRequest:
    """A job that needs no media file (an image-free plan is enough for money tests)."""
    plan = Plan(intent=Intent.REFER, model=VIDEO_TO_VIDEO,
                args={"action": "refer", "mode": "pro", "prompt": "x", **args},
                estimated_cost_usd=Decimal(estimate))
    return JobRequest(chat_id=-100, thread_id=0, user_id=user_id, request_message_id=1,
                      instruction="x", plan=plan, source=None, photos=[])


async def stored_photo(engine: Engine, tmp_path: Path) -> Media:
    """A real 320x240 JPEG in the vault, held by chat -100 (user 1)."""
    jpeg = make_jpeg(tmp_path / "p.jpg", size="320x240")
    tmp = engine.deps.vault.tmp_path(".jpg")
    tmp.write_bytes(jpeg.read_bytes())
    return await add(engine.deps.db, engine.deps.vault, tmp, await probe(tmp),
                     Origin(chat_id=-100, thread_id=0, user_id=1))


def animate_plan(estimate: str, *, mode: str = "std", duration: int = 5) -> Plan:
    """Image-to-video of <image1> as the first frame, priced at `estimate` USD."""
    return Plan(
        intent=Intent.IMAGE_TO_VIDEO, model=IMAGE_TO_VIDEO,
        args={"prompt": "wave", "mode": mode, "duration": duration, "aspect_ratio": "16:9",
              "sound": "off", "images": [{"image": "<image1>", "type": "first_frame"}]},
        estimated_cost_usd=Decimal(estimate),
    )
