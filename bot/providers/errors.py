"""Provider errors, translated at the HTTP boundary.

    ProviderError                 anything the provider did not do for us
    ├── ProviderRejected          it answered and said no (code != 0 or HTTP 4xx): not created
    ├── ProviderUnavailable       could not reach it, or 5xx after retries: not created
    ├── ProviderAmbiguous         the create may have taken effect and we lost the answer
    │                             (no answer after sending, or HTTP 504 from its gateway)
    └── ProviderBadResponse       it answered something we cannot read

`detail` is the provider's own text, for logs only: never show it to a chat.
"""

from __future__ import annotations


class ProviderError(Exception):
    def __init__(self, detail: str, *, status: int | None = None, code: int | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status
        self.code = code


class ProviderRejected(ProviderError):
    """The provider refused the request (bad args, unknown model, no balance, bad key)."""


class ProviderUnavailable(ProviderError):
    """Network failure or 5xx after retries; the request did not take effect."""


class ProviderAmbiguous(ProviderError):
    """The create request was sent but no answer came back: the job may exist and be charged."""


class ProviderBadResponse(ProviderError):
    """A response we could not parse."""
