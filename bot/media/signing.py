"""Expiring, HMAC-signed media URLs, so outside services can fetch one file for a while."""

from __future__ import annotations

import hashlib
import hmac
import time

from bot.domain.limits import MEDIA_LINK_TTL_SECONDS

DEFAULT_TTL = MEDIA_LINK_TTL_SECONDS

# Bounds what `exp` may look like before we spend an HMAC on it (12 digits reach year 33658).
_MAX_EXP_DIGITS = 12
_SIG_HEX_LEN = hashlib.sha256().digest_size * 2


class UrlSigner:
    """Makes and checks `{public_url}/media/{id}?exp={unix}&sig={hex}` links.

    The signature covers the id and the expiry, so neither can be edited in a valid link.
    """

    def __init__(self, secret: bytes, public_url: str) -> None:
        if not secret:
            raise ValueError("signing secret must not be empty")
        self._secret = secret
        self._public_url = public_url.rstrip("/")

    def url(self, media_id: int, *, ttl: int = DEFAULT_TTL, now: float | None = None) -> str:
        if ttl <= 0:
            raise ValueError("ttl must be positive")
        exp = str(int(_now(now)) + ttl)
        return f"{self._public_url}/media/{media_id}?exp={exp}&sig={self._sign(media_id, exp)}"

    def verify(self, media_id: int, exp: str, sig: str, *, now: float | None = None) -> bool:
        """True only for an unexpired link this signer made; never raises on bad input."""
        # isascii() first: str.isdigit() also accepts digits such as "²" that int() rejects.
        if not (exp.isascii() and exp.isdigit() and 0 < len(exp) <= _MAX_EXP_DIGITS):
            return False
        if not (sig.isascii() and len(sig) == _SIG_HEX_LEN):
            return False
        if int(exp) <= _now(now):
            return False
        return hmac.compare_digest(self._sign(media_id, exp), sig.lower())

    def _sign(self, media_id: int, exp: str) -> str:
        # The "media:" prefix keeps these MACs from being valid for any other use of the secret.
        message = f"media:{media_id}:{exp}".encode("ascii")
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()


def _now(now: float | None) -> float:
    return time.time() if now is None else now
