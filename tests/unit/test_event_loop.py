"""The bot runs on uvloop where it is installed, on asyncio's own loop where it is not."""

from __future__ import annotations

import asyncio
import sys

import pytest

from bot import event_loop


async def _loop_module() -> str:
    return type(asyncio.get_running_loop()).__module__


def test_the_bot_runs_on_uvloop_where_it_is_installed() -> None:
    if sys.platform == "win32":
        pytest.skip("uvloop is not installed on Windows")
    assert event_loop.run(_loop_module()).startswith("uvloop")


def test_without_uvloop_asyncio_runs_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # `import uvloop` raises ImportError
    assert event_loop.loop_factory() is None
    assert event_loop.run(_loop_module()).startswith("asyncio")


async def test_the_tests_run_on_the_loop_the_bot_runs_on() -> None:
    expected = "asyncio" if event_loop.loop_factory() is None else "uvloop"
    assert (await _loop_module()).startswith(expected)
