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
from uvicorn.protocols.http.h11_impl import H11Protocol

# A client has this long, from connecting or from the end of its last answer, to send a whole
# request head; uvicorn itself waits forever for the first byte and for the end of the head.
HEADER_TIMEOUT_SECONDS = 10.0
# The largest request head (request line and headers) h11 buffers; Telegram's and the
# provider's are well under 2 KiB.
MAX_HEAD_BYTES = 16 * 1024
KEEP_ALIVE_SECONDS = 15


class _HeadTimeoutH11(H11Protocol):
    """uvicorn's h11 protocol with a deadline on the request head, so a client that connects
    and sends nothing, or half a head, is closed instead of holding a socket forever.
    (A body that never finishes is the route's to time out: `bot.web.limits.read_body`.)"""

    header_timeout = HEADER_TIMEOUT_SECONDS
    _head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[arg-type]
        self._arm_head_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm_head_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_deadline()
        super().connection_lost(exc)

    def _arm_head_deadline(self) -> None:
        self._disarm_head_deadline()
        if not self.transport.is_closing():
            self._head_deadline = self.loop.call_later(self.header_timeout, self._head_overdue)

    def _disarm_head_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_overdue(self) -> None:
        self._head_deadline = None
        if self.cycle is not None and not self.cycle.response_complete:
            return  # a request is being handled: its head arrived in time
        if not self.transport.is_closing():
            self.transport.close()


def _protocol_with(header_timeout: float) -> type[H11Protocol]:
    return type("HeadTimeoutH11", (_HeadTimeoutH11,), {"header_timeout": header_timeout})


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
        header_timeout: float = HEADER_TIMEOUT_SECONDS, keep_alive: int = KEEP_ALIVE_SECONDS,
    ) -> None:
        self.app = app
        self.header_timeout = header_timeout
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
            # Longer than clients keep an idle connection (httpx: 5 s), so a client never
            # sends a request on a connection the server is closing: for a create, that
            # lost answer would be ambiguous and the job lost.
            timeout_keep_alive=self.keep_alive,
            http=_protocol_with(self.header_timeout), h11_max_incomplete_event_size=MAX_HEAD_BYTES,
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


