"""The event loop the bot runs on: uvloop where it is installed (Linux and macOS, a dependency
there), else asyncio's own. uvloop does the loop's work (sockets, timers, callbacks from other
threads) in C; with it the bot spends less CPU on each instruction (bench/README.md)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop constructor, or None for asyncio's default loop."""
    try:
        import uvloop
    except ImportError:  # Windows, or a platform without a wheel
        return None
    return uvloop.new_event_loop


def run(main: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run(main)` on the loop `loop_factory` gives."""
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        return runner.run(main)
