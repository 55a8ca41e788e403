"""Named points in a job's life where the crash suite kills the process (test-only).

`tests/e2e/test_crashes.py` and `python -m bench --only crash` run the bot as a real process
with `BOT_TEST_KILL_AT=<point>:<job id>`; when that job reaches that point the process sends
itself SIGKILL, so the kill lands at a known line and not only somewhere in a window. Without
the variable (always, outside those tests) `kill_point` is a dictionary lookup and nothing else.
It is not a setting: `.env` is never read for it, and no operator has a reason to set it.

The points, in a job's order:
- `reserved`: the job and its reservation are committed; nothing sent to the provider.
- `create_answered`: the provider accepted the create and charged; the answer is not recorded
  (what dying during the create request leaves behind, in the worst case).
- `submitted`: the charge is recorded.
- `running`: the provider said it is working, and that is recorded.
- `downloaded`: the result is downloaded and stored as a version; nothing delivered.
- `uploading`: the clip is half way up to Telegram (killed from inside the upload's reads).
- `delivered`: Telegram answered the delivery; `delivered` is not committed.
"""

from __future__ import annotations

import os
import signal

ENV = "BOT_TEST_KILL_AT"
POINTS = ("reserved", "create_answered", "submitted", "running", "downloaded", "uploading",
          "delivered")


def _armed() -> tuple[str, int] | None:
    raw = os.environ.get(ENV, "")
    point, _, job = raw.partition(":")
    if point not in POINTS or not job.isdigit():
        return None
    return point, int(job)


_ARMED = _armed()


def armed(point: str, job_id: int) -> bool:
    return (point, job_id) == _ARMED


def kill_point(point: str, job_id: int) -> None:
    """Die here, at once and without cleanup, if the test asked for this point and job."""
    if (point, job_id) == _ARMED:
        os.kill(os.getpid(), signal.SIGKILL)
