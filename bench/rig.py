"""The benchmark rig: fake Bot API + ShortAPI emulator in this (driver) process, the bot in a
child process, and clocks that say when each thing happened.

All times are `time.monotonic()`; on Linux that is one system-wide clock, so times taken here
and in the child process could be compared, but every time used is taken in this process:
- `Clocks.handout[(chat_id, message_id)]`: the fake Bot API started answering the getUpdates
  request that carried the update (the "handing out" of the update);
- `TelegramEmulator.calls()[i].time`: a request of the bot reached the fake (its handler started);
- `Clocks.downloads`: start/end of each file download served by the fake;
- `Clocks.creates`: a create request reached the emulator (with the bot's job id);
- `Clocks.callbacks`: the emulator sent a job's completion callback.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.emulator.server import EmulatorServer
from bot.emulator.state import Emulator, EmulatorConfig
from bot.sandbox.samples import make_video
from bot.sandbox.telegram_api import TelegramEmulator
from bot.web.serving import free_port

ROOT = Path(__file__).resolve().parent.parent
PROVIDER_KEY = "sk-bench-provider-key-123456"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
_CALLBACK_JOB = re.compile(r"/callbacks/(\d+)/")


# ---- statistics ----------------------------------------------------------------------------
def pct(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); None for no data."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def summary_ms(values: list[float]) -> dict[str, Any]:
    """Seconds in, milliseconds out: n, p50, p99, max."""
    out: dict[str, Any] = {"n": len(values)}
    for name, q in (("p50", 50), ("p99", 99), ("max", 100)):
        v = pct(values, q)
        out[name] = None if v is None else round(v * 1000, 2)
    return out


# ---- clocks: what the fakes saw ------------------------------------------------------------
@dataclass
class Clocks:
    lock: threading.Lock = field(default_factory=threading.Lock)
    handout: dict[tuple[int, int], float] = field(default_factory=dict)
    downloads: list[tuple[str, float, float]] = field(default_factory=list)
    creates: list[tuple[float, int | None]] = field(default_factory=list)  # (t, bot job id)
    callbacks: list[tuple[float, int | None]] = field(default_factory=list)
    queries: list[tuple[float, str]] = field(default_factory=list)  # (t, provider job id)


class _TelegramClock:
    """ASGI middleware around the fake Bot API: when each update was handed out, when each
    file download started and ended. It only reads; it never changes an answer."""

    def __init__(self, app: Any, clocks: Clocks) -> None:
        self.app = app
        self.clocks = clocks

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path.endswith("/getUpdates") or path.endswith("/getupdates"):
            started: list[float] = []
            body: list[bytes] = []

            async def send_updates(message: Any) -> None:
                if message["type"] == "http.response.start":
                    started.append(time.monotonic())
                elif message["type"] == "http.response.body":
                    body.append(message.get("body", b""))
                    if not message.get("more_body"):
                        self._handed_out(started[0] if started else time.monotonic(), body)
                await send(message)

            await self.app(scope, receive, send_updates)
        elif path.startswith("/file/"):
            t0 = time.monotonic()

            async def send_file(message: Any) -> None:
                await send(message)
                if message["type"] == "http.response.body" and not message.get("more_body"):
                    with self.clocks.lock:
                        self.clocks.downloads.append((path, t0, time.monotonic()))

            await self.app(scope, receive, send_file)
        else:
            await self.app(scope, receive, send)

    def _handed_out(self, t: float, body: list[bytes]) -> None:
        try:
            payload = json.loads(b"".join(body))
        except ValueError:
            return
        result = payload.get("result") if isinstance(payload, dict) else None
        if not isinstance(result, list):
            return
        with self.clocks.lock:
            for update in result:
                msg = update.get("message") or (update.get("callback_query") or {}).get("message")
                if not msg:
                    continue
                key = (msg["chat"]["id"], msg["message_id"])
                self.clocks.handout.setdefault(key, t)


def bot_job_id(url: str | None) -> int | None:
    m = _CALLBACK_JOB.search(url or "")
    return int(m.group(1)) if m else None


class Fakes:
    """The Telegram Bot API emulator (its own thread and loop, so its work is not the
    driver's) and the ShortAPI emulator (in the caller's loop)."""

    def __init__(self, emulator_config: EmulatorConfig) -> None:
        self.clocks = Clocks()
        self.tg = TelegramEmulator(middleware=lambda app: _TelegramClock(app, self.clocks))
        self.emulator_config = emulator_config
        self.emulator: EmulatorServer | None = None

    async def start(self) -> None:
        self.tg.start()
        # Keep-alive connections stay open as long as the bot's own client keeps them.
        self.emulator = EmulatorServer(self.emulator_config, keep_alive=75)
        self.emulator.emulator.observers.append(self._observe)
        await self.emulator.start()

    def _observe(self, event: str, detail: str) -> None:
        t = time.monotonic()
        if event == "create":
            self.clocks.creates.append((t, bot_job_id(detail)))
        elif event == "query":
            self.clocks.queries.append((t, detail))
        elif event == "callback":  # the moment each callback is sent, before its request
            self.clocks.callbacks.append((t, bot_job_id(detail)))

    async def stop(self) -> None:
        if self.emulator is not None:
            await self.emulator.stop()
        self.tg.stop()

    @property
    def em(self) -> Emulator:
        assert self.emulator is not None
        return self.emulator.emulator


# ---- a child process and what it costs ---------------------------------------------------
def proc_stat(pid: int) -> tuple[float, int, int]:
    """(cpu seconds user+system, RSS bytes, peak RSS bytes since start or the last reset)."""
    with open(f"/proc/{pid}/stat", "rb") as f:
        fields = f.read().rsplit(b")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / CLK_TCK
    rss = hwm = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) * 1024
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) * 1024
    return cpu, rss, hwm


def reset_peak(pid: int) -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM) of a process; False where not allowed."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


class Sampler:
    """Samples a process's RSS every `interval` s in a thread: peak and baseline figures
    that do not depend on VmHWM resets being allowed."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="rss-sampler")

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                _, rss, _ = proc_stat(self.pid)
            except OSError:
                return
            self.peak = max(self.peak, rss)
            self._stop.wait(self.interval)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(2)


def self_cpu() -> float:
    t = os.times()
    return t.user + t.system


@dataclass
class BotOptions:
    compress: float = 1.0  # the bot's poll schedule runs this many times faster
    no_overall_limit: bool = False  # diagnostic: AIORateLimiter without its 30/s overall cap
    echo_concurrent: int | None = None  # run bench/echo_bot.py instead of the bot
    job_timeout: float = 3600.0
    extra_env: dict[str, str] = field(default_factory=dict)


class BotProcess:
    """The real bot (`bench/botproc.py`, i.e. `bot.app.BotApp`) in a child process."""

    def __init__(self, fakes: Fakes, workdir: Path, options: BotOptions | None = None) -> None:
        self.fakes = fakes
        self.workdir = workdir
        self.options = options or BotOptions()
        self.port = free_port()
        self.db_path = workdir / "bot.sqlite3"
        self.media_dir = workdir / "media"
        self.log_path = workdir / "bot.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def public_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        fk = self.fakes
        assert fk.emulator is not None
        env = {k: v for k, v in os.environ.items() if not k.startswith(
            ("TELEGRAM_", "SHORTAPI_", "PUBLIC_URL", "WEB_", "DATABASE_", "MEDIA_", "ALLOWED_",
             "ADMIN_", "EMULATOR_", "JOB_TIMEOUT"))}
        env.update({
            "TELEGRAM_BOT_TOKEN": fk.tg.token,
            "TELEGRAM_API_URL": fk.tg.url,
            "SHORTAPI_KEY": PROVIDER_KEY,
            "SHORTAPI_URL": fk.emulator.url,
            "PUBLIC_URL": self.public_url,
            "WEB_HOST": "127.0.0.1",
            "WEB_PORT": str(self.port),
            "DATABASE_PATH": str(self.db_path),
            "MEDIA_DIR": str(self.media_dir),
            "JOB_TIMEOUT_SECONDS": str(self.options.job_timeout),
            "BENCH_COMPRESS": str(self.options.compress),
            # The bot's own setting: 0 lifts the overall cap (per-chat limits stay).
            "TELEGRAM_MAX_RATE": "0" if self.options.no_overall_limit else "30",
        })
        env.update(self.options.extra_env)
        return env

    def migrate(self) -> None:
        subprocess.run([sys.executable, "-m", "bot", "migrate"], env=self.env(),
                       cwd=self.workdir, check=True, capture_output=True)

    async def start(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        self.workdir.mkdir(parents=True, exist_ok=True)
        mark = len(self.fakes.tg.calls())
        log = self.log_path.open("ab")
        # cwd is the scratch dir, so a developer's .env is never read.
        script = "botproc.py" if self.options.echo_concurrent is None else "echo_bot.py"
        env = self.env()
        if self.options.echo_concurrent is not None:
            env["ECHO_CONCURRENT"] = str(self.options.echo_concurrent)
        self.proc = subprocess.Popen(  # noqa: ASYNC220
            [sys.executable, str(ROOT / "bench" / script)], env=env,
            cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"bot exited with {self.proc.returncode}; see {self.log_path}"
                                   f"\n{self.tail()}")
            if any(c.method == "getUpdates" for c in self.fakes.tg.calls()[mark:]):
                return
            await asyncio.sleep(0.05)
        raise RuntimeError(f"bot did not start polling within {timeout}s\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def stat(self) -> tuple[float, int, int]:
        return proc_stat(self.pid)

    async def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        for _ in range(200):
            if self.proc.poll() is not None:
                return
            await asyncio.sleep(0.05)
        self.proc.kill()
        self.proc.wait()

    def errors_in_log(self) -> list[str]:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return []
        return [line for line in text.splitlines() if " ERROR " in line][:5]

    def warnings_in_log(self) -> dict[str, int]:
        """WARNING lines by their logger and first words (counts)."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return {}
        out: dict[str, int] = {}
        for line in text.splitlines():
            if " WARNING " in line:
                key = " ".join(line.split(" WARNING ", 1)[1].split()[:6])
                out[key] = out.get(key, 0) + 1
        return dict(sorted(out.items(), key=lambda kv: -kv[1])[:5])

    def db(self) -> sqlite3.Connection:
        conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=10)
        conn.row_factory = sqlite3.Row
        return conn


# ---- media -------------------------------------------------------------------------------
def make_media(folder: Path) -> dict[str, Path]:
    """Small real clips made with ffmpeg (cached per run): 720p at 24 fps, within Kling's
    input limits, so no job converts its clip first."""
    folder.mkdir(parents=True, exist_ok=True)
    clip = folder / "clip-720p24.mp4"
    if not clip.exists():
        make_video(clip, seconds=4.0, size="1280x720", fps=24)
    return {"clip": clip}


def scratch(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"bench-{prefix}-"))


def rmtree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


async def wait_until(
    predicate: Callable[[], bool], timeout: float, step: float = 0.05  # noqa: ASYNC109
) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(step)
    return predicate()
