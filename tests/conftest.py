"""Suite-wide settings.

Async tests run on the event loop the bot runs on (uvloop where it is installed).

In CI (`CI=true`) Hypothesis runs derandomized: the same examples every run, so a submission's
result does not depend on luck. Locally it explores new examples every run, which is how new
counterexamples are found (then they are fixed and kept as explicit cases).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Mapping

import pytest
from hypothesis import settings

from bot.event_loop import loop_factory

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI", "").lower() == "true":
    settings.load_profile("ci")


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, Callable[[], asyncio.AbstractEventLoop]] | None:
    factory = loop_factory()
    return None if factory is None else {"bot": factory}
