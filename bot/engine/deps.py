"""What every use case needs, built once by `bot.app`."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from bot.domain.budget import Limits
from bot.domain.credits import CreditRules
from bot.domain.limits import CLOUD_UPLOAD_LIMIT
from bot.domain.queue import RunLimits
from bot.engine.delivery import Delivery
from bot.media.ffmpeg import FfmpegRunner
from bot.media.signing import UrlSigner
from bot.media.vault import Vault
from bot.providers.base import Provider
from bot.store.db import Database


@dataclass
class Timing:
    """Polling schedule and limits, in seconds. Tests shrink these."""

    first_poll: float = 15.0  # first look, in case the callback never comes
    poll_growth: float = 1.6
    max_poll_with_callback: float = 60.0  # callbacks work: rare polls are only a safety net
    max_poll_without_callback: float = 20.0
    # With callbacks, timer-driven polls of all jobs together start at most this often: a
    # thousand waiting jobs cost what a few do (each is looked at less often).
    safety_polls_per_second: float = 2.0
    job_timeout: float = 1800.0
    # A create answered this soon after the status message appeared needs no "submitted" edit:
    # the message just said the job is on its way, and an edit would cost a request per job.
    submitted_edit_after: float = 1.0
    result_max_bytes: int = 2_000 * 1024 * 1024


@dataclass
class Deps:
    db: Database
    provider: Provider
    delivery: Delivery
    vault: Vault
    signer: UrlSigner | None  # None: no public URL, the provider cannot fetch our media
    public_url: str | None
    http: httpx.AsyncClient  # downloads of results
    timing: Timing
    callbacks: bool  # whether the provider can reach our callback URL
    budgets: Limits = field(default_factory=Limits)  # operator defaults; chats may lower them
    confirm_above: int = 1_000_000  # micro-dollars: the operator's default confirm threshold
    run_limits: RunLimits = field(default_factory=RunLimits)  # jobs at the provider at once
    jobs_per_user_per_hour: int = 0  # submissions per user per hour; 0: no limit
    # The provider starts empty with every process (the built-in emulator): jobs it had before
    # a restart cannot be found again, and nothing real was ever charged for them.
    provider_forgets: bool = False
    ffmpeg: FfmpegRunner = field(default_factory=FfmpegRunner)  # free edits, at most 2 at once
    # Telegram's upload limit for a result (None: a local Bot API server, no limit).
    upload_limit: int | None = CLOUD_UPLOAD_LIMIT
    credits: CreditRules | None = None  # PAYMENTS=stars: users pay with prepaid credits
