from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.sandbox.samples import make_jpeg, make_video
from bot.sandbox.telegram_api import TelegramEmulator


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def clip(media_dir: Path) -> Path:
    """A real 6.2 s 1280x720 H.264 clip."""
    return make_video(media_dir / "clip.mp4", seconds=6.2, size="1280x720")


@pytest.fixture(scope="session")
def photo(media_dir: Path) -> Path:
    return make_jpeg(media_dir / "photo.jpg")


@pytest.fixture
def tg() -> Iterator[TelegramEmulator]:
    with TelegramEmulator() as server:
        yield server
