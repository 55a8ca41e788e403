"""Typed settings from the environment and `.env`, cast and checked once at start-up.

Names are a contract (docs/ARCHITECTURE.md, "Contracts"): keep them exactly. A bad value
raises ConfigError with one clear line; `bot.__main__` prints that line and exits instead of
showing a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from bot.domain.budget import Limits
from bot.domain.credits import CreditRules, RefundPolicy, parse_packs
from bot.domain.money import parse_usd, to_micros


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line meant for the operator."""


@dataclass(frozen=True)
class Settings:
    telegram_bot_token: str | None
    telegram_api_url: str
    telegram_local_mode: bool
    telegram_mode: str  # "polling" | "webhook"
    shortapi_key: str | None
    shortapi_url: str
    public_url: str | None
    web_host: str
    web_port: int
    database_path: Path
    media_dir: Path
    admin_user_ids: frozenset[int]
    allowed_user_ids: frozenset[int]
    allowed_chat_ids: frozenset[int]
    confirm_above_usd: Decimal
    budgets: Limits  # operator defaults in micro-dollars; None = no limit
    telegram_max_rate: float  # messages/s to Telegram overall (Telegram's guideline: ~30)
    job_timeout_seconds: float
    emulator_time_scale: float
    max_running_jobs_per_chat: int = 3  # jobs at the provider at once; more wait in the queue
    max_running_jobs_per_user: int = 2
    max_jobs_per_user_per_hour: int = 30  # job submissions per user per hour; 0: no limit
    max_ffmpeg_processes: int = 2  # free edits at once; more wait their turn
    log_format: str = "text"  # "text" | "json"
    metrics_token: str | None = None  # when set, /metrics needs this bearer token
    media_retention_days: int = 30  # media files older than this are deleted; 0 keeps all
    credits: CreditRules | None = None  # PAYMENTS=stars; None: PAYMENTS=off (nobody pays)

    @property
    def uses_emulator(self) -> bool:
        """No provider key: jobs go to the built-in emulator, nothing is spent."""
        return not self.shortapi_key

    def serves_user(self, user_id: int | None) -> bool:
        """The user allow-list: empty serves everyone."""
        return not self.allowed_user_ids or user_id in self.allowed_user_ids

    def serves_chat(self, chat_id: int | None) -> bool:
        """The chat allow-list: empty serves every chat."""
        return not self.allowed_chat_ids or chat_id in self.allowed_chat_ids

    def require_token(self) -> str:
        if not self.telegram_bot_token:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in .env"
            )
        return self.telegram_bot_token


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse KEY=VALUE lines; blank lines and # comments are skipped, quotes stripped."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key = key.strip().removeprefix("export ").strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    return values


class _Reader:
    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = env

    def text(self, name: str, default: str | None = None) -> str | None:
        value = self._env.get(name, "").strip()
        return value or default

    def flag(self, name: str, default: bool) -> bool:
        value = self.text(name)
        if value is None:
            return default
        lowered = value.lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(f"{name} must be true or false, got {value!r}")

    def integer(self, name: str, default: int, *, low: int, high: int) -> int:
        value = self.text(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ConfigError(f"{name} must be a whole number, got {value!r}") from None
        if not low <= number <= high:
            raise ConfigError(f"{name} must be between {low} and {high}, got {number}")
        return number

    def number(self, name: str, default: float, *, low: float) -> float:
        value = self.text(name)
        if value is None:
            return default
        try:
            number = float(value)
        except ValueError:
            raise ConfigError(f"{name} must be a number, got {value!r}") from None
        if not number >= low:
            raise ConfigError(f"{name} must be at least {low}, got {value}")
        return number

    def optional_usd(self, name: str) -> int | None:
        """A limit in micro-dollars, or None when unset (no limit)."""
        if self.text(name) is None:
            return None
        return to_micros(self.usd(name, Decimal(0)))

    def usd(self, name: str, default: Decimal) -> Decimal:
        value = self.text(name)
        if value is None:
            return default
        amount = parse_usd(value)
        if amount is None:
            raise ConfigError(
                f"{name} must be an amount in USD of zero or more, like 1.50; got {value!r}"
            )
        return amount

    def ids(self, name: str) -> frozenset[int]:
        value = self.text(name)
        if value is None:
            return frozenset()
        ids: set[int] = set()
        for part in value.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            try:
                ids.add(int(part))
            except ValueError:
                raise ConfigError(
                    f"{name} must be comma-separated numeric ids, got {part!r}"
                ) from None
        return frozenset(ids)

    def url(self, name: str, default: str | None) -> str | None:
        value = self.text(name, default)
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ConfigError(f"{name} must be an http(s) URL, got {value!r}")
        return value.rstrip("/")


def load_settings(
    env: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")
) -> Settings:
    """Read settings: the process environment wins over `.env`."""
    merged: dict[str, str] = read_dotenv(dotenv) if dotenv is not None else {}
    merged.update(os.environ if env is None else env)
    r = _Reader(merged)
    mode = (r.text("TELEGRAM_MODE", "polling") or "polling").lower()
    if mode not in {"polling", "webhook"}:
        raise ConfigError(f"TELEGRAM_MODE must be polling or webhook, got {mode!r}")
    log_format = (r.text("LOG_FORMAT", "text") or "text").lower()
    if log_format not in {"text", "json"}:
        raise ConfigError(f"LOG_FORMAT must be text or json, got {log_format!r}")
    public_url = r.url("PUBLIC_URL", None)
    if mode == "webhook" and public_url is None:
        raise ConfigError("TELEGRAM_MODE=webhook needs PUBLIC_URL (where Telegram can reach us)")
    token = r.text("TELEGRAM_BOT_TOKEN")
    if token is not None and (":" not in token or not token.split(":", 1)[0].isdigit()):
        raise ConfigError("TELEGRAM_BOT_TOKEN does not look like a BotFather token (123456:ABC...)")
    return Settings(
        telegram_bot_token=token,
        telegram_api_url=r.url("TELEGRAM_API_URL", "https://api.telegram.org") or "",
        telegram_local_mode=r.flag("TELEGRAM_LOCAL_MODE", False),
        telegram_mode=mode,
        shortapi_key=r.text("SHORTAPI_KEY"),
        shortapi_url=r.url("SHORTAPI_URL", "https://api.shortapi.ai") or "",
        public_url=public_url,
        web_host=r.text("WEB_HOST", "0.0.0.0") or "0.0.0.0",
        web_port=r.integer("WEB_PORT", 8080, low=0, high=65535),
        database_path=Path(r.text("DATABASE_PATH", "data/bot.sqlite3") or "data/bot.sqlite3"),
        media_dir=Path(r.text("MEDIA_DIR", "data/media") or "data/media"),
        admin_user_ids=r.ids("ADMIN_USER_IDS"),
        allowed_user_ids=r.ids("ALLOWED_USER_IDS"),
        allowed_chat_ids=r.ids("ALLOWED_CHAT_IDS"),
        confirm_above_usd=r.usd("CONFIRM_ABOVE_USD", Decimal("1.00")),
        budgets=Limits(
            user_daily=r.optional_usd("BUDGET_USER_DAILY_USD"),
            user_monthly=r.optional_usd("BUDGET_USER_MONTHLY_USD"),
            chat_daily=r.optional_usd("BUDGET_CHAT_DAILY_USD"),
            chat_monthly=r.optional_usd("BUDGET_CHAT_MONTHLY_USD"),
            global_monthly=r.optional_usd("BUDGET_GLOBAL_MONTHLY_USD"),
        ),
        telegram_max_rate=r.number("TELEGRAM_MAX_RATE", 30.0, low=0.0),
        job_timeout_seconds=r.number("JOB_TIMEOUT_SECONDS", 1800.0, low=1.0),
        emulator_time_scale=r.number("EMULATOR_TIME_SCALE", 0.1, low=0.0),
        max_running_jobs_per_chat=r.integer("MAX_RUNNING_JOBS_PER_CHAT", 3, low=1, high=1000),
        max_running_jobs_per_user=r.integer("MAX_RUNNING_JOBS_PER_USER", 2, low=1, high=1000),
        max_jobs_per_user_per_hour=r.integer("MAX_JOBS_PER_USER_PER_HOUR", 30, low=0,
                                             high=100_000),
        max_ffmpeg_processes=r.integer("MAX_FFMPEG_PROCESSES", 2, low=1, high=64),
        log_format=log_format,
        metrics_token=r.text("METRICS_TOKEN"),
        media_retention_days=r.integer("MEDIA_RETENTION_DAYS", 30, low=0, high=36500),
        credits=_credit_rules(r),
    )


def _credit_rules(r: _Reader) -> CreditRules | None:
    """PAYMENTS=stars needs STARS_PER_USD; the packs and the refund policy have defaults."""
    payments = (r.text("PAYMENTS", "off") or "off").lower()
    if payments not in {"off", "stars"}:
        raise ConfigError(f"PAYMENTS must be off or stars, got {payments!r}")
    if payments == "off":
        return None
    rate_text = r.text("STARS_PER_USD")
    if rate_text is None:
        raise ConfigError("PAYMENTS=stars needs STARS_PER_USD (how many Stars buy one USD of "
                          "provider spend, your margin included), e.g. STARS_PER_USD=80")
    rate = parse_usd(rate_text)
    if rate is None or rate <= 0 or rate > 100_000:
        raise ConfigError(f"STARS_PER_USD must be a number above 0, like 80; got {rate_text!r}")
    packs_text = r.text("CREDIT_PACKS", "100,500,2000") or ""
    packs = parse_packs(packs_text)
    if packs is None:
        raise ConfigError("CREDIT_PACKS must be comma-separated whole numbers of Stars from 1 "
                          f"to 10000, like 100,500,2000; got {packs_text!r}")
    policy = (r.text("REFUND_FAILED", "always") or "always").lower()
    if policy not in {p.value for p in RefundPolicy}:
        raise ConfigError(
            f"REFUND_FAILED must be always or if_provider_refunded, got {policy!r}")
    return CreditRules(stars_per_usd=rate, packs=packs, refund_failed=RefundPolicy(policy))
