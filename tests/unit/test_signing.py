from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from bot.media.signing import UrlSigner

NOW = 1_700_000_000.0
SECRET = b"derived-media-secret-for-tests"


def _parts(url: str) -> tuple[int, str, str]:
    split = urlsplit(url)
    query = parse_qs(split.query)
    return int(split.path.rsplit("/", 1)[1]), query["exp"][0], query["sig"][0]


@pytest.fixture
def signer() -> UrlSigner:
    return UrlSigner(SECRET, "https://bot.example.org/")


def test_url_shape(signer: UrlSigner) -> None:
    url = signer.url(42, ttl=600, now=NOW)
    assert url.startswith("https://bot.example.org/media/42?exp=1700000600&sig=")
    assert SECRET.decode() not in url


def test_round_trip(signer: UrlSigner) -> None:
    media_id, exp, sig = _parts(signer.url(42, now=NOW))
    assert media_id == 42
    assert int(exp) == int(NOW) + 6 * 3600
    assert signer.verify(42, exp, sig, now=NOW)
    assert signer.verify(42, exp, sig, now=NOW + 6 * 3600 - 1)


def test_round_trip_with_real_clock(signer: UrlSigner) -> None:
    _, exp, sig = _parts(signer.url(7))
    assert signer.verify(7, exp, sig)


def test_tampered_signature(signer: UrlSigner) -> None:
    _, exp, sig = _parts(signer.url(42, now=NOW))
    flipped = ("0" if sig[0] != "0" else "1") + sig[1:]
    assert not signer.verify(42, exp, flipped, now=NOW)
    assert not signer.verify(42, exp, sig[:-1], now=NOW)
    assert not signer.verify(42, exp, "", now=NOW)


def test_tampered_id(signer: UrlSigner) -> None:
    _, exp, sig = _parts(signer.url(42, now=NOW))
    assert not signer.verify(43, exp, sig, now=NOW)


def test_tampered_expiry(signer: UrlSigner) -> None:
    _, exp, sig = _parts(signer.url(42, now=NOW))
    assert not signer.verify(42, str(int(exp) + 3600), sig, now=NOW)


def test_expired(signer: UrlSigner) -> None:
    _, exp, sig = _parts(signer.url(42, ttl=60, now=NOW))
    assert not signer.verify(42, exp, sig, now=NOW + 60)
    assert not signer.verify(42, exp, sig, now=NOW + 3600)


def test_other_secret_rejects(signer: UrlSigner) -> None:
    _, exp, sig = _parts(signer.url(42, now=NOW))
    assert not UrlSigner(b"another-secret", "https://bot.example.org").verify(42, exp, sig, now=NOW)


@pytest.mark.parametrize(
    "exp", ["", "abc", "-1", "1.5", "1e10", " 1700000600", "²", "1" * 13, "0x10"]
)
def test_malformed_expiry(signer: UrlSigner, exp: str) -> None:
    _, _, sig = _parts(signer.url(42, now=NOW))
    assert not signer.verify(42, exp, sig, now=NOW)


@pytest.mark.parametrize("sig", ["zz" * 32, "é" * 64, "0" * 63, "0" * 65])
def test_malformed_signature(signer: UrlSigner, sig: str) -> None:
    _, exp, _ = _parts(signer.url(42, now=NOW))
    assert not signer.verify(42, exp, sig, now=NOW)


def test_rejects_empty_secret_and_bad_ttl(signer: UrlSigner) -> None:
    with pytest.raises(ValueError):
        UrlSigner(b"", "https://bot.example.org")
    with pytest.raises(ValueError):
        signer.url(1, ttl=0)
