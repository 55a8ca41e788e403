"""Clips are checked against Kling's input limits before a job uses them: a clip that conforms
goes as it is, probed at most once (a clip stored since the flag existed not even once, and
not after a restart either); one that does not becomes a converted version."""

from __future__ import annotations

from pathlib import Path

import pytest

import bot.engine.kling_inputs as kling_inputs
from bot.emulator.server import EmulatorServer
from bot.emulator.state import EmulatorConfig
from bot.engine.library import Origin, add
from bot.media.probe import MediaInfo, probe
from bot.providers.shortapi import ShortApiClient
from bot.sandbox.samples import make_video
from bot.store import media_rows
from bot.store.media_rows import Media
from tests.integration.engine_kit import open_engine


async def test_a_conforming_clip_is_probed_once_a_small_one_is_converted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    probed: list[Path] = []
    real_probe = kling_inputs.probe

    async def counting_probe(path: Path) -> MediaInfo:
        probed.append(path)
        return await real_probe(path)

    monkeypatch.setattr(kling_inputs, "probe", counting_probe)
    async with EmulatorServer(EmulatorConfig(work_dir=tmp_path / "em")) as em:
        engine, _, http = await open_engine(tmp_path, ShortApiClient(em.url, "key"))
        try:
            inputs = kling_inputs.KlingInputs(engine.deps, engine.library)
            origin = Origin(chat_id=-100, thread_id=0, user_id=1)

            async def stored(name: str, size: str, fps: int, *, direct: bool = False) -> Media:
                clip = make_video(tmp_path / name, seconds=4, size=size, fps=fps)
                tmp = engine.deps.vault.tmp_path(".mp4")
                tmp.write_bytes(clip.read_bytes())
                if direct:  # as a provider's result is stored: not through the library
                    return await add(engine.deps.db, engine.deps.vault, tmp, await probe(tmp),
                                     origin)
                return await engine.library.add(tmp, await probe(tmp), origin)

            sent = await stored("sent.mp4", "1280x720", 30)
            result = await stored("result.mp4", "1280x720", 30, direct=True)
            assert sent.fits_kling and result.fits_kling  # from the probe that stored them
            for clip in (sent, result):
                assert await inputs.conformed(clip, -100, 0, 1) is None
            assert probed == []  # probed on the way in: known to fit

            # A row from before the flag: probed by its first order, never again (the flag
            # is in SQLite, so a restart does not forget it).
            async with engine.deps.db.transaction() as tx:
                await tx.execute("UPDATE media SET fits_kling = NULL WHERE id = ?", (sent.id,))
            older = await media_rows.get(engine.deps.db, sent.id)
            assert older is not None and older.fits_kling is None
            assert await inputs.conformed(older, -100, 0, 1) is None
            assert len(probed) == 1
            again = await media_rows.get(engine.deps.db, sent.id)
            assert again is not None and again.fits_kling
            assert await inputs.conformed(again, -100, 0, 1) is None
            assert len(probed) == 1  # the second order on the same clip read nothing

            small = await stored("small.mp4", "640x360", 15)
            assert small.fits_kling is False
            converted = await inputs.conformed(small, -100, 0, 1)
            assert converted is not None and converted.media.parent_id == small.id
            assert min(converted.media.width, converted.media.height) >= 720
        finally:
            await http.aclose()
            await engine.deps.db.close()
