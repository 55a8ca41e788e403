"""What the engine needs from a video provider; ShortAPI is the one implementation."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, Protocol


class RemoteStatus(str, Enum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True)
class Created:
    job_id: str
    amount: Decimal  # what the provider charged, in USD


@dataclass(frozen=True)
class Remote:
    status: RemoteStatus
    result_url: str | None = None
    error: str | None = None  # provider's text, for logs and classification only
    refunded: bool = False


class Provider(Protocol):
    async def create(
        self, model: str, args: dict[str, Any], callback_url: str | None
    ) -> Created: ...

    async def query(self, job_id: str) -> Remote: ...

    async def aclose(self) -> None: ...
