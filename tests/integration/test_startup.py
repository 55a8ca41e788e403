"""Start-up against a Telegram that refuses or cannot be reached: one clear line, no traceback.

A rejected token stops the bot with exit code 2; an unreachable Bot API is retried with growing
pauses (one log line each) while the process stays up, and it still stops cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bot.sandbox.telegram_api import TelegramEmulator

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    return {
        **os.environ, "PYTHONPATH": str(ROOT), "WEB_HOST": "127.0.0.1", "WEB_PORT": "0",
        "DATABASE_PATH": str(tmp_path / "bot.sqlite3"), "MEDIA_DIR": str(tmp_path / "media"),
        **values,
    }


def test_a_rejected_token_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    with TelegramEmulator() as tg:
        wrong = "987654:WRONG-token-that-telegram-does-not-know"
        done = subprocess.run(
            [sys.executable, "-m", "bot"], cwd=tmp_path, capture_output=True, text=True,
            timeout=60, check=False,
            env=_env(tmp_path, TELEGRAM_BOT_TOKEN=wrong, TELEGRAM_API_URL=tg.url),
        )
    assert done.returncode == 2, done.stderr
    assert "Telegram rejected TELEGRAM_BOT_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert wrong not in done.stderr + done.stdout


def test_an_unreachable_bot_api_is_retried_without_tracebacks(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = "123456:TEST-unreachable-token"
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"], cwd=tmp_path, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
        env=_env(tmp_path, TELEGRAM_BOT_TOKEN=token, TELEGRAM_API_URL=f"http://127.0.0.1:{port}"),
    )
    try:
        time.sleep(6)  # pauses of 1, 2 s: at least two tries
        assert process.poll() is None, "the bot gave up instead of retrying"
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert out.count("cannot be reached") >= 2, out
    assert "Traceback" not in out and token not in out
    assert process.returncode == 0
