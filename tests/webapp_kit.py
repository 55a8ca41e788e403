"""The bot's web app on a real, migrated SQLite file, in this process or as a child process.

The edges are the real ones (`build_web_app`, `LoopServer`); behind them the callback and media
lookups go to the real store, so an id SQLite cannot hold fails as it would in the bot.
`python -m tests.webapp_kit DIR` serves it and prints `url http://...` on one line, for tests
that measure the server's own memory.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.routing import BaseRoute

from bot.media.signing import UrlSigner
from bot.store import jobs, media_rows
from bot.store.db import Database
from bot.web.routes import build_web_app
from bot.web.serving import LoopServer

WEBHOOK_SECRET = "webhook-secret-for-tests"
SIGNING_KEY = b"media-secret-for-tests"


@dataclass
class WebKit:
    url: str
    signer: UrlSigner
    db: Database
    updates: list[dict[str, Any]] = field(default_factory=list)
    callbacks: list[tuple[int, str]] = field(default_factory=list)
    files: dict[int, Path] = field(default_factory=dict)


@asynccontextmanager
async def web_kit(
    directory: Path, *, header_timeout: float | None = None, body_timeout: float | None = None,
    extra_routes: Callable[[Database], list[BaseRoute]] | None = None,
) -> AsyncIterator[WebKit]:
    db = await Database.open(directory / "bot.sqlite3")
    await db.migrate()
    server_options: dict[str, Any] = {}
    app_options: dict[str, Any] = {}
    if header_timeout is not None:
        server_options["header_timeout"] = header_timeout
    if body_timeout is not None:
        app_options["body_timeout"] = body_timeout
    if extra_routes is not None:
        app_options["extra_routes"] = extra_routes(db)
    server = LoopServer(**server_options)
    server.bind()
    kit = WebKit(url=server.url, signer=UrlSigner(SIGNING_KEY, server.url), db=db)

    async def on_callback(job_id: int, token: str) -> bool:
        kit.callbacks.append((job_id, token))
        return await jobs.get(db, job_id) is not None

    async def resolve(media_id: int) -> Path | None:
        if media_id in kit.files:
            return kit.files[media_id]
        row = await media_rows.get(db, media_id)
        return directory / row.path if row is not None else None

    async def on_update(payload: dict[str, Any]) -> None:
        kit.updates.append(payload)

    async def health() -> dict[str, Any]:
        return {"ok": True}

    await server.start(build_web_app(
        signer=kit.signer, resolve_media=resolve, on_callback=on_callback, health=health,
        on_update=on_update, webhook_secret=WEBHOOK_SECRET, **app_options,
    ))
    try:
        yield kit
    finally:
        await server.stop()
        await db.close()


async def _serve(directory: Path) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    async with web_kit(directory) as kit:
        print(f"url {kit.url}", flush=True)
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(_serve(Path(sys.argv[1])))
