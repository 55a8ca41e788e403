"""`python -m bot.emulator [--host H] [--port P] [--time-scale X] [--key K]`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from pathlib import Path

from bot.emulator.server import EmulatorServer
from bot.emulator.state import EmulatorConfig


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bot.emulator",
        description="A ShortAPI (Kling O3) emulator with the same wire contract.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--time-scale", type=float, default=1.0,
                        help="multiplier on the queued (2 s) and running (8 s) phases")
    parser.add_argument("--key", default=None,
                        help="require 'Authorization: Bearer KEY' (else any bearer token)")
    parser.add_argument("--queued-seconds", type=float, default=2.0)
    parser.add_argument("--running-seconds", type=float, default=8.0)
    parser.add_argument("--result-size-mb", type=float, default=0.0,
                        help="pad every result to about this size (benchmarks)")
    parser.add_argument("--work-dir", type=Path, default=None,
                        help="where inputs and results go (default: a temp dir)")
    parser.add_argument("--public-url", default=None,
                        help="base URL put in result links (default: http://HOST:PORT)")
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    config = EmulatorConfig(
        time_scale=args.time_scale,
        queued_seconds=args.queued_seconds,
        running_seconds=args.running_seconds,
        api_key=args.key,
        result_size_mb=args.result_size_mb,
        work_dir=args.work_dir,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    async with EmulatorServer(config, args.host, args.port, public_url=args.public_url) as server:
        auth = "key required" if args.key else "any bearer token"
        print(f"ShortAPI emulator listening on {server.url} ({auth}, "
              f"time scale {args.time_scale})", flush=True)
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    asyncio.run(serve(parse_args(argv)))


if __name__ == "__main__":
    main()
