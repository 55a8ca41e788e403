"""`python -m bot sandbox` as a process: the address line, WEB_PORT, and the warning when a
real provider key would spend money. (The browser test drives the page itself.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

from bot.web.serving import free_port


def _start(tmp_path: Path, *args: str, **env: str) -> tuple[subprocess.Popen[str], str]:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("TELEGRAM_", "SHORTAPI_", "WEB_", "PUBLIC_URL"))}
    proc = subprocess.Popen([sys.executable, "-m", "bot", "sandbox", *args], cwd=tmp_path,
                            env={**clean, **env}, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()  # the first line on stdout is the address
    return proc, line


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    assert proc.wait(20) == 0


def test_listens_on_web_port_and_prints_the_address(tmp_path: Path) -> None:
    port = free_port()
    proc, line = _start(tmp_path, WEB_PORT=str(port))
    try:
        assert line == f"Sandbox: http://127.0.0.1:{port}/"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sandbox/api/state") as answer:
            state = json.load(answer)
        assert state["bot"]["username"] == "kling_sandbox_bot"
        assert [n["level"] for n in state["notices"]] == ["info"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as answer:
            page = answer.read().decode()
        assert page.count('type="file"') == 1 and page.count("<textarea") == 1
        # Its own folder, never the real bot's database.
        assert (tmp_path / "data" / "sandbox" / "bot.sqlite3").exists()
        assert not (tmp_path / "data" / "bot.sqlite3").exists()
    finally:
        _stop(proc)


def test_a_real_provider_key_is_a_loud_warning(tmp_path: Path) -> None:
    port = free_port()
    # --port wins over WEB_PORT; the key is never used here (no job is sent).
    proc, line = _start(tmp_path, "--port", str(port), WEB_PORT=str(free_port()),
                        SHORTAPI_KEY="sk-real-looking-key-123456")
    try:
        assert line == f"Sandbox: http://127.0.0.1:{port}/"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sandbox/api/state") as answer:
            notices = json.load(answer)["notices"]
        assert notices[0]["level"] == "danger" and "real money" in notices[0]["text"]
    finally:
        _stop(proc)
