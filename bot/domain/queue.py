"""The fair queue: which waiting jobs may go to the provider now, and each one's place.

A job runs "at the provider" from the create request until the provider reports an outcome.
Each chat and each person may have only so many there at once; the rest wait in the order they
were asked for. Pure: the engine gives the counts and the waiting list, this decides.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class RunLimits:
    per_chat: int = 3
    per_user: int = 2


@dataclass(frozen=True)
class Waiting:
    job_id: int
    chat_id: int
    user_id: int


@dataclass(frozen=True)
class Admission:
    start: list[int]  # job ids that may start now, oldest first
    places: dict[int, int]  # job id -> place in the queue (1 = next) for those that wait


def admit(
    waiting: list[Waiting], running_by_chat: Counter[int], running_by_user: Counter[int],
    limits: RunLimits,
) -> Admission:
    """Start every waiting job that fits, oldest first; number the rest.

    A job that does not fit never lets a younger job of the same chat or person overtake it:
    its chat and person count as full from then on, so the order is kept.
    """
    chats, users = Counter(running_by_chat), Counter(running_by_user)
    blocked_chats: set[int] = set()
    blocked_users: set[int] = set()
    start: list[int] = []
    ahead: list[Waiting] = []
    places: dict[int, int] = {}
    for job in sorted(waiting, key=lambda w: w.job_id):
        fits = (
            job.chat_id not in blocked_chats and job.user_id not in blocked_users
            and chats[job.chat_id] < limits.per_chat and users[job.user_id] < limits.per_user
        )
        if fits:
            start.append(job.job_id)
            chats[job.chat_id] += 1
            users[job.user_id] += 1
            continue
        blocked_chats.add(job.chat_id)
        blocked_users.add(job.user_id)
        places[job.job_id] = 1 + sum(
            1 for other in ahead if other.chat_id == job.chat_id or other.user_id == job.user_id
        )
        ahead.append(job)
    return Admission(start, places)
