"""The sandbox in a real browser: `python -m bot sandbox` as a process, driven by Playwright
through Debian's headless Chromium, exactly as a newcomer would use it.

Chromium comes from the system (scripts/browser.sh installs Debian's package): Playwright's own
browser download cannot reach its servers here. No browser is a loud failure, not a skip.
Set UPDATE_SCREENSHOT=1 to refresh docs/sandbox.png from this run.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import pytest

from bot.media.ffmpeg import ffmpeg_exe
from bot.sandbox.samples import make_padded_video, make_video
from bot.web.serving import free_port

ROOT = Path(__file__).resolve().parents[2]
BOT = "@kling_sandbox_bot"
GROUP_ID = -1001000000001
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
_ADDRESS = re.compile(r"Sandbox: (http://\S+?)/?$")


def chromium() -> str:
    candidates = [os.environ.get("CHROMIUM_PATH", ""), "/usr/bin/chromium",
                  "/usr/bin/chromium-browser", shutil.which("chromium") or "",
                  shutil.which("google-chrome") or ""]
    for path in candidates:
        if path and os.access(path, os.X_OK):
            return path
    pytest.fail("No Chromium for the browser test: install Debian's `chromium` package "
                "(bash scripts/browser.sh does it as root) or set CHROMIUM_PATH.")


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[str]:
    """`python -m bot sandbox` in a scratch folder (no .env there), with a clean environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith((
        "TELEGRAM_", "SHORTAPI_", "PUBLIC_URL", "WEB_", "DATABASE_", "MEDIA_", "BUDGET_",
        "CONFIRM_", "ALLOWED_", "ADMIN_"))}
    # ~5 s a job: long enough for the page to show the status message before it changes.
    env["EMULATOR_TIME_SCALE"] = "0.5"
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "sandbox", "--port", str(free_port())], cwd=tmp_path,
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    found = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip())
            if _ADDRESS.search(line.strip()):
                found.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        if not found.wait(60):
            pytest.fail("the sandbox printed no address line:\n" + "\n".join(lines[-30:]))
        match = next(m for line in lines if (m := _ADDRESS.search(line.strip())))
        yield match.group(1)
        assert proc.poll() is None, "the sandbox died:\n" + "\n".join(lines[-30:])
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, "the sandbox did not stop cleanly:\n" + "\n".join(lines[-30:])
    assert not [line for line in lines if "Traceback" in line], "\n".join(lines)


def bot_count(page: Any) -> int:
    return int(page.locator('[data-from="bot"]').count())


def wait_bot_reply(page: Any, before: int, contains: str, timeout: float = 60_000) -> Any:
    """The first bot message after the first `before` ones that contains `contains`."""
    found = page.wait_for_function(
        """([n, text]) => {
            const all = [...document.querySelectorAll('[data-from="bot"]')];
            const i = all.slice(n).findIndex(m => m.textContent.includes(text));
            return i < 0 ? null : n + i + 1;  // 1-based: 0 would read as "not yet"
        }""",
        arg=[before, contains], timeout=timeout)
    return page.locator('[data-from="bot"]').nth(int(found.json_value()) - 1)


def send(page: Any, text: str = "", files: list[Path] | None = None) -> None:
    if files:
        page.set_input_files('input[type="file"]', [str(f) for f in files])
    box = page.locator("textarea")
    box.fill(text)
    box.press("Enter")
    page.wait_for_function("() => document.querySelector('textarea').value === ''")


def wait_for_media(database: Path, chat_id: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            (count,) = db.execute("SELECT COUNT(*) FROM media WHERE chat_id = ?",
                                  (chat_id,)).fetchone()
        if count:
            return
        time.sleep(0.2)
    pytest.fail(f"the bot stored no media for chat {chat_id} within {timeout} s")


def valid_mp4(data: bytes) -> float:
    """Seconds of a real MP4 (PyAV decodes it), or an assertion error."""
    assert data[4:8] == b"ftyp", "not an MP4"
    with av.open(io.BytesIO(data)) as container:
        assert container.streams.video, "no video stream"
        assert next(container.decode(video=0)) is not None
        return float(container.duration or 0) / 1_000_000


def test_sandbox_in_a_browser(sandbox: str, tmp_path: Path) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("The browser test needs the `playwright` package: bash scripts/setup.sh")
    executable = chromium()
    clip = make_video(tmp_path / "clip.mp4", seconds=6.0, size="640x360")
    big = make_padded_video(tmp_path / "big.mp4", 30)
    notes = tmp_path / "notes.txt"
    notes.write_text("make it rainy\n")
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS,
                                    headless=True)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 760})
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(sandbox + "/")
            page.locator(f"text={BOT}").first.wait_for()
            # The bot's own routes are relayed on the sandbox's address.
            assert page.request.get(sandbox + "/healthz").json()["emulator"] is True
            private_chat(page, sandbox, clip, big, notes, tmp_path)
            group_chat(page, clip, tmp_path / "data" / "sandbox" / "bot.sqlite3")
        finally:
            browser.close()
    assert problems == [], f"browser console errors: {problems}"


def private_chat(page: Any, base: str, clip: Path, big: Path, notes: Path,
                 tmp_path: Path) -> None:
    # Bad input first: it must be answered and leave the page working.
    n = bot_count(page)
    send(page, "make it rainy")
    wait_bot_reply(page, n, "or a photo first")
    n = bot_count(page)
    send(page, files=[notes])
    wait_bot_reply(page, n, "can't use that file")
    n = bot_count(page)
    send(page, files=[big])
    wait_bot_reply(page, n, "20 MB")

    n = bot_count(page)
    send(page, files=[clip])
    wait_bot_reply(page, n, "Got your video")
    n = bot_count(page)
    send(page, "make it rainy")
    status = wait_bot_reply(page, n, "Editing your clip")
    status_id = status.get_attribute("data-message-id")
    video = page.locator('[data-from="bot"] video').last
    video.wait_for(timeout=60_000)
    src = video.get_attribute("src")
    assert src
    result = page.request.get(base + src).body()
    assert result != clip.read_bytes()
    assert valid_mp4(result) > 3
    # The status message changed in place: the same element is now the clip, and a short
    # "Done" reply follows it.
    edited = page.locator(f'[data-from="bot"][data-message-id="{status_id}"]')
    edited.locator("video").wait_for(timeout=30_000)
    assert edited.count() == 1
    wait_bot_reply(page, n, "Done")
    screenshot(page, tmp_path)

    n = bot_count(page)
    send(page, "undo")
    wait_bot_reply(page, n, "Undone")

    # Reply to an earlier message (the result clip): the sent message quotes it.
    result = page.locator(".row").filter(has=page.locator('[data-from="bot"] video')).last
    result.hover()
    result.locator(".reply-action").click()
    page.locator("#reply-bar").wait_for()
    n = bot_count(page)
    send(page, "history")
    wait_bot_reply(page, n, "Versions")
    mine = page.locator('[data-from="user"]').last
    assert "history" in mine.inner_text()
    assert mine.locator(".quote").count() == 1


def screenshot(page: Any, tmp_path: Path) -> None:
    shot = tmp_path / "sandbox.png"
    page.screenshot(path=str(shot))
    if os.environ.get("UPDATE_SCREENSHOT"):
        # A small palette keeps the committed picture near 60 KB instead of 200.
        target = ROOT / "docs" / "sandbox.png"
        subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i",
                        str(shot), "-vf", "split[a][b];[a]palettegen=max_colors=96:"
                        "stats_mode=full[p];[b][p]paletteuse=dither=none", str(target)],
                       check=True, timeout=60)


def group_chat(page: Any, clip: Path, database: Path) -> None:
    page.locator('[data-chat="group"]').click()
    page.locator('[data-sender="Alice"]').click()
    # Privacy mode: Alice's clip reaches the bot because its caption mentions it. In groups
    # the bot stores a clip without a word, so the bot's own database says when it has it.
    send(page, BOT, files=[clip])
    wait_for_media(database, GROUP_ID)
    page.locator('[data-sender="Bob"]').click()
    n = bot_count(page)
    send(page, f"{BOT} make it snowy")
    delivered = page.locator('[data-from="bot"]').filter(
        has=page.locator(".quote", has_text="Bob")).filter(has=page.locator("video"))
    delivered.first.wait_for(timeout=60_000)
    assert "make it snowy" in delivered.first.inner_text()
    assert bot_count(page) > n
