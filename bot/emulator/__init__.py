"""A ShortAPI (Kling O3) emulator with the provider's wire contract: `python -m bot.emulator`.

It fetches inputs and renders results for real (ffmpeg), follows the provider's argument and
price rules, sends callbacks, and can inject the provider's failures for tests.
"""

from bot.emulator.faults import Faults
from bot.emulator.fetch import Fetch
from bot.emulator.server import EmulatorServer, LoopServer, create_app
from bot.emulator.state import (
    CallbackAttempt,
    EmulatedJob,
    Emulator,
    EmulatorConfig,
    RecordedRequest,
    RejectedCreate,
)

__all__ = [
    "CallbackAttempt",
    "EmulatedJob",
    "Emulator",
    "EmulatorConfig",
    "EmulatorServer",
    "Faults",
    "Fetch",
    "LoopServer",
    "RecordedRequest",
    "RejectedCreate",
    "create_app",
]
