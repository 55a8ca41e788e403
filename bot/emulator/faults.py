"""Fault injection: the ways a real provider misbehaves, switched on by tests."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

FAULT_NAMES = (
    "create_error", "http_error", "fail_next", "slow",
    "drop_callbacks", "duplicate_callbacks", "stuck", "garbled",
)


@dataclass
class CreateError:
    message: str
    times: int
    code: int = 500


@dataclass
class HttpError:
    status: int
    times: int
    retry_after: str | None = None  # sent as the Retry-After header (seconds or HTTP date)


@dataclass
class Garbled:
    times: int


@dataclass
class FailNext:
    error: str
    refunded: bool
    times: int


@dataclass
class Faults:
    create_error: CreateError | None = None  # next N creates answer code != 0
    http_error: HttpError | None = None  # next N requests (API and results) answer HTTP 5xx
    garbled: Garbled | None = None  # next N API requests answer HTTP 200 with a cut-off body
    fail_next: FailNext | None = None  # next N jobs created end in status 3
    slow: float = 1.0  # multiplier on the queued/running phase times
    drop_callbacks: bool = False
    duplicate_callbacks: bool = False
    stuck: bool = False  # jobs created while set stay at status 1 forever

    def apply(self, **faults: Any) -> None:
        """Set faults by name; a falsy value (None, False, 0, {}) switches one off.
        Raises ValueError for an unknown name or a malformed value."""
        unknown = sorted(set(faults) - set(FAULT_NAMES))
        if unknown:
            raise ValueError(f"unknown fault(s): {', '.join(unknown)}")
        for name, value in faults.items():
            if name == "create_error":
                self.create_error = _create_error(value) if value else None
            elif name == "http_error":
                self.http_error = _http_error(value) if value else None
            elif name == "garbled":
                self.garbled = _garbled(value) if value else None
            elif name == "fail_next":
                self.fail_next = _fail_next(value) if value else None
            elif name == "slow":
                slow = 1.0 if value in (None, False) else value
                if isinstance(slow, bool) or not isinstance(slow, int | float) or slow < 0:
                    raise ValueError("slow must be a non-negative number")
                self.slow = float(slow)
            else:
                if not isinstance(value, bool | None):
                    raise ValueError(f"{name} must be true or false")
                setattr(self, name, bool(value))

    def take_create_error(self) -> CreateError | None:
        fault = self.create_error
        if fault is None:
            return None
        fault.times -= 1
        if fault.times <= 0:
            self.create_error = None
        return fault

    def take_http_error(self) -> HttpError | None:
        fault = self.http_error
        if fault is None:
            return None
        fault.times -= 1
        if fault.times <= 0:
            self.http_error = None
        return fault

    def take_garbled(self) -> bool:
        fault = self.garbled
        if fault is None:
            return False
        fault.times -= 1
        if fault.times <= 0:
            self.garbled = None
        return True

    def take_failure(self) -> FailNext | None:
        fault = self.fail_next
        if fault is None:
            return None
        fault.times -= 1
        if fault.times <= 0:
            self.fail_next = None
        return fault

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _mapping(name: str, value: object) -> dict[str, Any]:
    if value is True:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"{name} must be an object")
    return value


def _times(name: str, spec: dict[str, Any]) -> int:
    times = spec.get("times", 1)
    if isinstance(times, bool) or not isinstance(times, int) or times < 1:
        raise ValueError(f"{name}.times must be a positive integer")
    return times


def _create_error(value: object) -> CreateError:
    spec = _mapping("create_error", value)
    message = spec.get("message", "internal error")
    code = spec.get("code", 500)
    if not isinstance(message, str) or isinstance(code, bool) or not isinstance(code, int):
        raise ValueError("create_error needs a string message and an integer code")
    if code == 0:
        raise ValueError("create_error.code must not be 0")
    return CreateError(message=message, times=_times("create_error", spec), code=code)


def _http_error(value: object) -> HttpError:
    spec = _mapping("http_error", value)
    status = spec.get("status", 500)
    if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
        raise ValueError("http_error.status must be an HTTP error status (400-599)")
    retry_after = spec.get("retry_after")
    if retry_after is not None and not isinstance(retry_after, str):
        raise ValueError("http_error.retry_after must be a string (seconds or an HTTP date)")
    return HttpError(status=status, times=_times("http_error", spec), retry_after=retry_after)


def _garbled(value: object) -> Garbled:
    return Garbled(times=_times("garbled", _mapping("garbled", value)))


def _fail_next(value: object) -> FailNext:
    spec = _mapping("fail_next", value)
    error = spec.get("error", "content moderation: the video was flagged")
    refunded = spec.get("refunded", True)
    if not isinstance(error, str) or not isinstance(refunded, bool):
        raise ValueError("fail_next needs a string error and a boolean refunded")
    return FailNext(error=error, refunded=refunded, times=_times("fail_next", spec))
