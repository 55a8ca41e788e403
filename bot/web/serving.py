"""Serving an ASGI app with uvicorn as a task of the current event loop.

The bot's web server and the emulator share the loop of the process that runs them, so the
host application keeps the signals, and tests can start and stop servers freely.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator
from types import TracebackType

import uvicorn
from starlette.types import ASGIApp


class _InLoopServer(uvicorn.Server):
    """uvicorn without its signal handlers (the host application owns the signals), whose
    main loop wakes at once on `exit()` instead of polling every 0.1 s."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._wake = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    def exit(self) -> None:
        self.should_exit = True
        self._wake.set()

    async def main_loop(self) -> None:
        counter = 0  # on_tick refreshes the Date header when counter % 10 == 0
        while not await self.on_tick(counter):
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(1.0):
                    await self._wake.wait()
            counter += 10


def free_port(host: str = "127.0.0.1") -> int:
    """A port free right now, for a server started later by another process (which must
    know its own URL up front). Prefer `LoopServer(port=0)` where the server is ours."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        port: int = s.getsockname()[1]
        return port


class LoopServer:
    """Serve any ASGI app with uvicorn as a task of the current event loop.
    `port=0` picks a free port; `url` is known once `start()` returns."""

    def __init__(
        self, app: ASGIApp | None = None, host: str = "127.0.0.1", port: int = 0, *,
        keep_alive: int = 5,
    ) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.keep_alive = keep_alive  # seconds an idle keep-alive connection stays open
        self._server: _InLoopServer | None = None
        self._task: asyncio.Task[None] | None = None
        self._sock: socket.socket | None = None

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
        if host == "::":
            host = "::1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    def bind(self) -> int:
        """Take the port now (before the app exists, when the app needs its own URL)."""
        if self._sock is None:
            family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
            # IPPROTO_TCP explicitly: only then does asyncio set TCP_NODELAY on accepted
            # connections; without it keep-alive answers stall ~40 ms on delayed ACKs.
            sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((self.host, self.port))
            except OSError:
                sock.close()
                raise
            sock.setblocking(False)
            self._sock = sock
            self.port = sock.getsockname()[1]
        return self.port

    async def start(self, app: ASGIApp | None = None) -> None:
        if app is not None:
            self.app = app
        if self.app is None:
            raise RuntimeError("no ASGI app to serve")
        self.bind()
        sock = self._sock
        assert sock is not None
        config = uvicorn.Config(
            self.app, log_config=None, log_level="warning", lifespan="off", access_log=False,
            timeout_graceful_shutdown=2, server_header=False,
            timeout_keep_alive=self.keep_alive,
        )
        self._server = _InLoopServer(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:
            if self._task.done():
                self._task.result()  # raises what stopped it
                raise RuntimeError("uvicorn stopped before it started")
            await asyncio.sleep(0.005)

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.exit()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._server = self._task = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    async def __aenter__(self) -> LoopServer:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


