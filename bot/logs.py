"""Logging set-up that keeps secrets out of every record.

Two formats (`LOG_FORMAT`): `text`, one readable line per event, and `json`, one JSON object
per line for log collectors. Either way, a record that carries a job's context through
`extra={"job_id": ..., "chat_id": ..., "state": ...}` shows it as fields.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

# The context a record may carry through `extra=`, in the order it is shown.
CONTEXT_KEYS = ("job_id", "chat_id", "user_id", "state")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_FORMATS = ("text", "json")


class RedactSecrets(logging.Filter):
    """Masks the bot token and provider key wherever they appear, including in arguments."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        usable = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(s) for s in usable)) if usable else None

    def redact(self, text: str) -> str:
        return self._pattern.sub("***", text) if self._pattern is not None else text

    def filter(self, record: logging.LogRecord) -> bool:
        if self._pattern is None:
            return True
        message = record.getMessage()
        if self._pattern.search(message):
            record.msg = self._pattern.sub("***", message)
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._pattern.sub("***", record.exc_text)
        for key in CONTEXT_KEYS:
            value = getattr(record, key, None)
            if isinstance(value, str):
                setattr(record, key, self._pattern.sub("***", value))
        return True


class TextFormatter(logging.Formatter):
    """The classic line, with ` job_id=... chat_id=... state=...` when the record has them."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        line = super().formatMessage(record)
        context = " ".join(f"{k}={v}" for k, v in _context(record).items())
        return f"{line} [{context}]" if context else line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, the context
    keys the record carries, and `exception` with the traceback text when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_context(record),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


def _context(record: logging.LogRecord) -> dict[str, object]:
    return {k: v for k in CONTEXT_KEYS if (v := getattr(record, k, None)) is not None}


def setup_logging(secrets: list[str], level: int = logging.INFO, fmt: str = "text") -> None:
    if fmt not in LOG_FORMATS:
        raise ValueError(f"log format must be one of {LOG_FORMATS}, got {fmt!r}")
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter(TEXT_FORMAT))
    logging.basicConfig(level=level, handlers=[handler])
    redact = RedactSecrets(secrets)
    for existing in logging.getLogger().handlers:
        existing.addFilter(redact)
    # httpx logs full request URLs at INFO, and Bot API URLs contain the token.
    for noisy in ("httpx", "httpcore", "telegram.ext.Updater", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
