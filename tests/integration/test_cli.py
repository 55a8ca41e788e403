"""The command line contract: `python -m bot migrate`, config errors, `python -m bot.emulator`."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        cwd=cwd, capture_output=True, text=True, timeout=60, check=False,
    )


def test_migrate_applies_once(tmp_path: Path) -> None:
    env = {"DATABASE_PATH": str(tmp_path / "db.sqlite3")}
    first = _run("bot", "migrate", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    names = sorted(path.stem for path in (ROOT / "migrations").glob("*.sql"))
    assert names[:7] == ["0001_initial", "0002_budgets_and_confirmations", "0003_media_expiry",
                         "0004_fit_offers", "0005_credits", "0006_jobs_by_user", "0007_languages"]
    assert f"applied {len(names)} migration(s): {', '.join(names)}" in first.stdout
    second = _run("bot", "migrate", env=env, cwd=tmp_path)
    assert "applied 0 migration(s): none needed" in second.stdout


def test_configuration_errors_are_one_line(tmp_path: Path) -> None:
    missing = _run("bot", env={"TELEGRAM_BOT_TOKEN": ""}, cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.strip().count("\n") == 0
    assert "TELEGRAM_BOT_TOKEN is not set" in missing.stderr and "Traceback" not in missing.stderr
    bad = _run("bot", "run", env={"TELEGRAM_BOT_TOKEN": "1:x", "WEB_PORT": "http"}, cwd=tmp_path)
    assert bad.returncode == 2 and "WEB_PORT must be a whole number" in bad.stderr
    unknown = _run("bot", "frobnicate", env={}, cwd=tmp_path)
    assert unknown.returncode == 2 and "unknown command" in unknown.stderr


def test_explain_prints_the_contract_object(tmp_path: Path) -> None:
    done = _run("bot", "explain", "--video", "6.2", "remove the car", env={}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "intent": "edit", "model": "kwaivgi/kling-o3/video-to-video",
        "args": {"action": "edit", "mode": "pro", "prompt": "remove the car", "video": "<video>"},
        "estimated_cost_usd": 0.86, "error": None,
    }


def test_emulator_cli_serves_the_wire_contract(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.emulator", "--port", str(port), "--time-scale", "0.01"],
        env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(f"{url}/api/v1/job/query", params={"id": "x"})
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "emulator did not start"
                time.sleep(0.1)
        assert response.status_code == 401
        answer = httpx.post(f"{url}/api/v1/job/create", headers={"Authorization": "Bearer k"},
                            json={"model": "nope", "args": {}}).json()
        assert answer["code"] != 0 and "invalid model" in answer["message"]
    finally:
        proc.terminate()
        proc.wait(10)
