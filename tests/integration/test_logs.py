"""LOG_FORMAT=json: one JSON object a line, context from `extra=`, secrets still masked.
Run in a child process so the real root logger and stderr are what is checked."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456789:AAE-secret-bot-token"
KEY = "sk-provider-secret-key"

SCRIPT = textwrap.dedent(f"""
    import logging, sys
    from bot.logs import setup_logging
    setup_logging([{TOKEN!r}, {KEY!r}], fmt=sys.argv[1])
    log = logging.getLogger("bot.engine.finish")
    log.info("job moved", extra={{"job_id": 42, "chat_id": -100123, "state": "running"}})
    log.warning("calling https://api.telegram.org/bot%s/getMe with %s", {TOKEN!r}, {KEY!r})
    try:
        raise RuntimeError("boom {TOKEN}")
    except RuntimeError:
        log.exception("delivery failed", extra={{"job_id": 7}})
    logging.getLogger("httpx").info("hidden: below WARNING")
""")


def _run(fmt: str) -> str:
    done = subprocess.run([sys.executable, "-c", SCRIPT, fmt], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True)
    return done.stderr


def test_json_lines_carry_context_and_no_secrets() -> None:
    out = _run("json")
    assert TOKEN not in out and KEY not in out
    lines = [json.loads(line) for line in out.splitlines()]  # every line is one object
    assert len(lines) == 3
    moved, call, failed = lines
    assert moved["level"] == "INFO" and moved["logger"] == "bot.engine.finish"
    assert moved["message"] == "job moved"
    assert (moved["job_id"], moved["chat_id"], moved["state"]) == (42, -100123, "running")
    assert moved["time"].endswith("+00:00") and "T" in moved["time"]
    assert call["message"] == "calling https://api.telegram.org/bot***/getMe with ***"
    assert "job_id" not in call
    assert failed["job_id"] == 7 and failed["level"] == "ERROR"
    assert "RuntimeError: boom ***" in failed["exception"]


def test_text_lines_show_context_and_no_secrets() -> None:
    out = _run("text")
    assert TOKEN not in out and KEY not in out
    assert "INFO bot.engine.finish: job moved [job_id=42 chat_id=-100123 state=running]" in out
    assert "RuntimeError: boom ***" in out
