import itertools

import pytest

from bot.domain.job_states import (
    OPEN_STATES,
    TRANSITIONS,
    InvalidTransition,
    JobState,
    check_transition,
    sources_of,
)


def test_happy_path_is_allowed() -> None:
    path = ["pending", "submitting", "submitted", "running", "succeeded", "delivered"]
    for current, target in itertools.pairwise(path):
        check_transition(JobState(current), JobState(target))


@pytest.mark.parametrize("state", sorted(OPEN_STATES, key=lambda s: s.value))
def test_every_open_state_can_fail_or_be_cancelled(state: JobState) -> None:
    check_transition(state, JobState.FAILED)
    check_transition(state, JobState.CANCELLED)


@pytest.mark.parametrize("final", [JobState.DELIVERED, JobState.FAILED, JobState.CANCELLED, JobState.LOST])
def test_final_states_go_nowhere(final: JobState) -> None:
    assert final.is_final and not final.is_open
    for target in JobState:
        with pytest.raises(InvalidTransition):
            check_transition(final, target)


def test_lost_only_from_submitting_and_no_resubmission() -> None:
    assert sources_of(JobState.LOST) == {JobState.SUBMITTING}
    assert JobState.SUBMITTING not in sources_of(JobState.SUBMITTING)
    assert sources_of(JobState.SUBMITTING) == {JobState.PENDING}


def test_delivery_only_after_success() -> None:
    assert sources_of(JobState.DELIVERED) == {JobState.SUCCEEDED}
    assert set(TRANSITIONS) == set(JobState)
