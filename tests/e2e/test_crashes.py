"""The crash suite: the bot as a real process, killed with SIGKILL at every phase of a job and
restarted, five times per phase (`python -m bench --only crash` does fifty).

Where the kills land: the process reads `BOT_TEST_KILL_AT=<point>:<job id>` and sends itself
SIGKILL when that job reaches that named point (`bot/ops/kill_points.py`), so each kill lands
at one known line rather than somewhere in a window a timer or an outside `kill -9` would hit.
Holding a request in a fake server and killing from outside could reach most phases, but not
"Telegram answered the delivery, the commit has not happened": nothing outside the process
marks that moment. "During the create request" is the worst case of it: the provider accepted
and charged, the answer never got recorded. "During the upload" dies on the clip's second
read, with the request half sent. See bench/crash.py for the chain of processes.

After each restart, and at the end: every job ended as it should (`lost` after a kill during
create, with the lost notice in the chat; `delivered` otherwise), the chat holds exactly one
clip per delivered job (a repeated delivery edits the same message), the provider got one
create per job, nothing stays reserved, and each job's spend is what the provider charged (the
estimate for a lost one), summing to the ledger's total.
"""

from __future__ import annotations

from pathlib import Path

from bench.crash import run_phases
from bot.ops.kill_points import POINTS
from bot.sandbox.samples import make_video

TIMES = 5


async def test_every_phase_survives_sigkill(tmp_path: Path) -> None:
    clip = make_video(tmp_path / "small.mp4", seconds=3.2, size="320x240")  # 35 jobs: keep light
    reports = await run_phases(POINTS, TIMES, clip, parallel=len(POINTS))
    problems = {r.point: r.problems for r in reports if r.problems}
    assert not problems, problems
    for report in reports:
        assert report.kills == TIMES, report.summary()
        assert report.jobs == TIMES and report.provider_jobs == TIMES, report.summary()
        delivered = report.ended.get("delivered", 0)
        assert report.clips == delivered, report.summary()
        if report.point == "create_answered":
            assert report.ended == {"lost": TIMES} and report.lost_notices == TIMES
        else:
            assert delivered == TIMES, report.summary()
        if report.point != "delivered":  # only there may the "done" note come twice
            assert report.duplicate_notes == 0, report.summary()
