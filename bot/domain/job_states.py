"""Job states and the one table of allowed transitions."""

from __future__ import annotations

from enum import Enum


class JobState(str, Enum):
    """Where a job is. The string is what is stored."""

    PENDING = "pending"  # recorded and budget reserved; create not sent yet
    SUBMITTING = "submitting"  # create request in flight: a crash here leaves the outcome unknown
    SUBMITTED = "submitted"  # provider accepted it and said what it charged
    RUNNING = "running"  # provider reports it is working
    SUCCEEDED = "succeeded"  # provider reports a result; not yet delivered to the chat
    DELIVERED = "delivered"  # the clip reached the chat; final
    FAILED = "failed"  # provider or bot gave up; final
    CANCELLED = "cancelled"  # the user stopped waiting; final (the provider may still run it)
    LOST = "lost"  # crashed between create and its answer: may be charged, never re-sent; final

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATES

    @property
    def is_final(self) -> bool:
        return not TRANSITIONS[self]


OPEN_STATES = frozenset(
    {
        JobState.PENDING,
        JobState.SUBMITTING,
        JobState.SUBMITTED,
        JobState.RUNNING,
        JobState.SUCCEEDED,
    }
)

# At the provider: from the create request until it reports an outcome. These count against
# the running-jobs limits; a `pending` job waits in the queue.
AT_PROVIDER = frozenset({JobState.SUBMITTING, JobState.SUBMITTED, JobState.RUNNING})

_ENDINGS = frozenset({JobState.FAILED, JobState.CANCELLED})

TRANSITIONS: dict[JobState, frozenset[JobState]] = {
    JobState.PENDING: frozenset({JobState.SUBMITTING}) | _ENDINGS,
    JobState.SUBMITTING: frozenset({JobState.SUBMITTED, JobState.LOST}) | _ENDINGS,
    JobState.SUBMITTED: frozenset({JobState.RUNNING, JobState.SUCCEEDED}) | _ENDINGS,
    JobState.RUNNING: frozenset({JobState.SUCCEEDED}) | _ENDINGS,
    JobState.SUCCEEDED: frozenset({JobState.DELIVERED}) | _ENDINGS,
    JobState.DELIVERED: frozenset(),
    JobState.FAILED: frozenset(),
    JobState.CANCELLED: frozenset(),
    JobState.LOST: frozenset(),
}


class InvalidTransition(Exception):
    def __init__(self, current: JobState, target: JobState) -> None:
        super().__init__(f"job cannot go from {current.value} to {target.value}")
        self.current = current
        self.target = target


def check_transition(current: JobState, target: JobState) -> None:
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(current, target)


def sources_of(target: JobState) -> frozenset[JobState]:
    """Every state from which `target` may be entered (for guarded UPDATEs)."""
    return frozenset(state for state, nexts in TRANSITIONS.items() if target in nexts)
