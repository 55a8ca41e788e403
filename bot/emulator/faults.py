"""Fault injection: the ways a real provider misbehaves, switched on by tests."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

FAULT_NAMES = (
    "create_error", "http_error", "fail_next", "slow",
    "drop_callbacks", "duplicate_callbacks", "stuck", "garbled",
    "no_answer", "hang", "bad_result",
)
# Where a request-level fault applies (`on`): None is every request it can apply to.
TARGETS = ("create", "query", "result")


def target_of(path: str) -> str | None:
    """create | query | result for a wire path; None for anything else."""
    if path == "/api/v1/job/create":
        return "create"
    if path == "/api/v1/job/query":
        return "query"
    if path.startswith("/results/"):
        return "result"
    return None


@dataclass
class CreateError:
    message: str
    times: int
    code: int = 500


@dataclass
class Countdown:
    """A fault for the next `times` requests to `on` (create | query | result; None: any)."""

    times: int
    on: str | None = None

    def hits(self, target: str | None) -> bool:
        return self.times > 0 and target is not None and self.on in (None, target)


@dataclass
class HttpError(Countdown):
    status: int = 500
    retry_after: str | None = None  # sent as the Retry-After header (seconds or HTTP date)


@dataclass
class Garbled(Countdown):
    """HTTP 200 with a cut-off JSON body (API requests only)."""


@dataclass
class NoAnswer(Countdown):
    """The request is carried out, then the connection closes before the answer is whole:
    the client cannot know whether a create went through (it did)."""


@dataclass
class Hang(Countdown):
    """The answer waits `seconds` first, as a provider that is slow to respond (timeouts)."""

    seconds: float = 30.0


@dataclass
class BadResult(Countdown):
    """Result downloads answer HTTP 200 with bytes that are no video."""


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
    no_answer: NoAnswer | None = None  # next N requests are carried out, answer cut off
    hang: Hang | None = None  # next N requests answer after a delay
    bad_result: BadResult | None = None  # next N result downloads serve garbage
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
            elif name in _COUNTDOWNS:
                setattr(self, name, _countdown(name, value) if value else None)
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

    def take(self, name: str, target: str | None) -> Any:
        """The request-level fault `name` if it applies to a request to `target` (counted)."""
        fault: Countdown | None = getattr(self, name)
        if fault is None or not fault.hits(target):
            return None
        fault.times -= 1
        if fault.times <= 0:
            setattr(self, name, None)
        return fault

    def take_http_error(self, target: str | None = "create") -> HttpError | None:
        fault: HttpError | None = self.take("http_error", target)
        return fault

    def take_garbled(self, target: str | None = "create") -> bool:
        return target != "result" and self.take("garbled", target) is not None

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


def _on(name: str, spec: dict[str, Any]) -> str | None:
    on = spec.get("on")
    if on is not None and on not in TARGETS:
        raise ValueError(f"{name}.on must be one of {', '.join(TARGETS)}")
    return on


def _http_error(value: object) -> HttpError:
    spec = _mapping("http_error", value)
    status = spec.get("status", 500)
    if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
        raise ValueError("http_error.status must be an HTTP error status (400-599)")
    retry_after = spec.get("retry_after")
    if retry_after is not None and not isinstance(retry_after, str):
        raise ValueError("http_error.retry_after must be a string (seconds or an HTTP date)")
    return HttpError(times=_times("http_error", spec), on=_on("http_error", spec),
                     status=status, retry_after=retry_after)


def _countdown(name: str, value: object) -> Countdown:
    if name == "http_error":
        return _http_error(value)
    spec = _mapping(name, value)
    times, on = _times(name, spec), _on(name, spec)
    if name == "hang":
        seconds = spec.get("seconds", 30.0)
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise ValueError("hang.seconds must be a non-negative number")
        return Hang(times=times, on=on, seconds=float(seconds))
    kind: type[Countdown] = _COUNTDOWNS[name]
    return kind(times=times, on=on)


_COUNTDOWNS: dict[str, type[Countdown]] = {
    "http_error": HttpError, "garbled": Garbled, "no_answer": NoAnswer, "hang": Hang,
    "bad_result": BadResult,
}


def _fail_next(value: object) -> FailNext:
    spec = _mapping("fail_next", value)
    error = spec.get("error", "content moderation: the video was flagged")
    refunded = spec.get("refunded", True)
    if not isinstance(error, str) or not isinstance(refunded, bool):
        raise ValueError("fail_next needs a string error and a boolean refunded")
    return FailNext(error=error, refunded=refunded, times=_times("fail_next", spec))
