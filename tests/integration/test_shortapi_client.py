"""The ShortAPI client: against the emulator over real HTTP, and MockTransport only for
network failures that cannot be produced on loopback on demand."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from bot.emulator.server import EmulatorServer
from bot.emulator.state import EmulatorConfig
from bot.providers.base import RemoteStatus
from bot.providers.errors import (
    ProviderAmbiguous,
    ProviderBadResponse,
    ProviderRejected,
    ProviderUnavailable,
)
from bot.providers.shortapi import (
    MAX_RETRY_WAIT,
    ShortApiClient,
    _Failed,
    may_send_again,
    parse_remote,
    retry_after_seconds,
)

I2V = "kwaivgi/kling-o3/image-to-video"
JPEG_B64 = (
    "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////"
    "////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAA"
    "AAAAAP/aAAgBAQABPxA="
)


async def test_rejections_from_the_emulator(tmp_path) -> None:
    async with EmulatorServer(EmulatorConfig(time_scale=0.01, work_dir=tmp_path)) as server:
        client = ShortApiClient(server.url, "key")
        try:
            with pytest.raises(ProviderRejected) as info:
                await client.create("no/such-model", {"prompt": "x"}, None)
            assert "invalid model" in info.value.detail
            with pytest.raises(ProviderRejected):
                await client.create(I2V, {"prompt": "", "duration": 5}, None)
            with pytest.raises(ProviderRejected) as info:
                await client.query("missing")
            assert "not found" in info.value.detail
        finally:
            await client.aclose()


async def test_image_to_video_round_trip(tmp_path) -> None:
    async with EmulatorServer(EmulatorConfig(time_scale=0.01, work_dir=tmp_path)) as server:
        client = ShortApiClient(server.url, "key")
        try:
            created = await client.create(
                I2V, {"prompt": "a cat", "mode": "std", "duration": 3, "sound": "off",
                      "images": [{"image": JPEG_B64, "type": "first_frame"}]}, None)
            assert created.amount == Decimal("0.213")
            await server.emulator.wait_finished(created.job_id)
            remote = await client.query(created.job_id)
            assert remote.status is RemoteStatus.SUCCEEDED and remote.result_url
        finally:
            await client.aclose()


async def test_amount_is_decimal_and_missing_auth_is_rejected(tmp_path) -> None:
    async with EmulatorServer(EmulatorConfig(time_scale=0.01, work_dir=tmp_path, api_key="k1")) as server:
        wrong = ShortApiClient(server.url, "other")
        with pytest.raises(ProviderRejected):
            await wrong.create(I2V, {"prompt": "a cat", "duration": 5}, None)
        await wrong.aclose()


def _transport(handler):
    return httpx.MockTransport(handler)


async def test_create_is_not_retried_once_sent() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        raise httpx.ReadTimeout("no answer", request=request)

    client = ShortApiClient("http://provider.test", "k", transport=_transport(handler), backoff=0)
    with pytest.raises(ProviderAmbiguous):
        await client.create(I2V, {"prompt": "x"}, None)
    assert calls == 1
    await client.aclose()


async def test_connect_errors_and_5xx_are_retried_then_unavailable() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise httpx.ConnectError("refused", request=request)
        if calls == 2:
            return httpx.Response(502, text="bad gateway")
        return httpx.Response(200, json={"code": 0, "data": {"job_id": "j1", "amount": "0.858"}})

    client = ShortApiClient("http://provider.test", "k", transport=_transport(handler), backoff=0)
    created = await client.create(I2V, {"prompt": "x"}, None)
    assert created.amount == Decimal("0.858") and created.job_id == "j1"
    assert calls == 3

    always = ShortApiClient("http://provider.test", "k", backoff=0, retries=2,
                            transport=_transport(lambda r: httpx.Response(503)))
    with pytest.raises(ProviderUnavailable):
        await always.query("j1")
    await client.aclose()
    await always.aclose()


async def test_code_not_zero_with_http_200_is_a_rejection() -> None:
    body = {"code": 1001, "info": "insufficient balance"}
    client = ShortApiClient("http://provider.test", "k",
                            transport=_transport(lambda r: httpx.Response(200, json=body)))
    with pytest.raises(ProviderRejected) as info:
        await client.create(I2V, {"prompt": "x"}, None)
    assert info.value.detail == "insufficient balance"
    await client.aclose()


@pytest.mark.parametrize("body", ["not json", '{"code": 0, "data": {"amount": "1"}}',
                                  '{"code": 0, "data": {"job_id": "j", "amount": "lots"}}'])
async def test_unreadable_create_answers_are_bad_responses(body: str) -> None:
    client = ShortApiClient("http://provider.test", "k",
                            transport=_transport(lambda r: httpx.Response(200, text=body)))
    with pytest.raises(ProviderBadResponse):
        await client.create(I2V, {"prompt": "x"}, None)
    await client.aclose()


@pytest.mark.parametrize(
    ("data", "status", "url"),
    [
        ({"status": 0}, RemoteStatus.QUEUED, None),
        ({"status": 1}, RemoteStatus.RUNNING, None),
        ({"status": 2, "result": {"videos": [{"url": "https://r/v.mp4"}]}}, RemoteStatus.SUCCEEDED, "https://r/v.mp4"),
        ({"status": 2, "result": {"images": [{"url": "https://r/i.mp4"}]}}, RemoteStatus.SUCCEEDED, "https://r/i.mp4"),
        ({"status": 2, "result": {}}, RemoteStatus.FAILED, None),
        ({"status": 3, "error": "moderation", "refunded": True}, RemoteStatus.FAILED, None),
        ({"status": "4", "message": "timeout"}, RemoteStatus.FAILED, None),
    ],
)
def test_parse_remote(data: dict, status: RemoteStatus, url: str | None) -> None:
    remote = parse_remote(data)
    assert remote.status is status
    assert remote.result_url == url
    if data.get("refunded"):
        assert remote.refunded


async def test_a_gateway_timeout_on_create_is_never_retried() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(504, text="gateway timeout")

    client = ShortApiClient("http://provider.test", "k", transport=_transport(handler), backoff=0)
    with pytest.raises(ProviderAmbiguous):
        await client.create(I2V, {"prompt": "x"}, None)
    assert calls == 1
    await client.aclose()


# --- retries against the emulator's fault injection ------------------------------------------

CAT = {"prompt": "a cat", "mode": "std", "duration": 3, "sound": "off",
       "images": [{"image": JPEG_B64, "type": "first_frame"}]}


class Waits:
    """Records the waits the client asks for instead of sleeping them."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


def _creates(server: EmulatorServer) -> int:
    return sum(1 for r in server.emulator.requests if r.path == "/api/v1/job/create")


@pytest.mark.parametrize("retry_after", ["7", None])
async def test_429_is_retried_honouring_retry_after(tmp_path, retry_after: str | None) -> None:
    async with EmulatorServer(EmulatorConfig(time_scale=0.01, work_dir=tmp_path)) as server:
        server.emulator.inject(http_error={"status": 429, "times": 2, "retry_after": retry_after})
        waits = Waits()
        client = ShortApiClient(server.url, "key", backoff=0.01, sleep=waits)
        try:
            created = await client.create(I2V, CAT, None)
            await server.emulator.wait_finished(created.job_id)  # no render left running
        finally:
            await client.aclose()
    assert created.job_id and _creates(server) == 3
    assert len(waits.seconds) == 2
    if retry_after:
        assert waits.seconds == [7.0, 7.0]
    else:  # our own jittered backoff: small, and never the provider's number
        assert all(0 <= w <= 0.04 for w in waits.seconds)


async def test_retry_after_as_an_http_date_is_capped(tmp_path) -> None:
    async with EmulatorServer(EmulatorConfig(time_scale=0.01, work_dir=tmp_path)) as server:
        server.emulator.inject(http_error={"status": 503, "times": 1,
                                           "retry_after": "Wed, 21 Oct 2099 07:28:00 GMT"})
        waits = Waits()
        client = ShortApiClient(server.url, "key", sleep=waits)
        try:
            created = await client.create(I2V, CAT, None)
            await server.emulator.wait_finished(created.job_id)
        finally:
            await client.aclose()
    assert waits.seconds == [MAX_RETRY_WAIT]


async def test_5xx_waits_are_jittered(tmp_path) -> None:
    async with EmulatorServer(EmulatorConfig(time_scale=0.01, work_dir=tmp_path)) as server:
        waits = Waits()
        client = ShortApiClient(server.url, "key", backoff=1.0, retries=3, sleep=waits)
        try:
            for _ in range(4):
                server.emulator.inject(http_error={"status": 502, "times": 4})
                with pytest.raises(ProviderUnavailable) as info:
                    await client.query("anything")
                assert info.value.status == 502
        finally:
            await client.aclose()
    assert len(waits.seconds) == 12
    # Full jitter: attempt n waits anywhere in [0, 2**n) s, so sixteen clients do not retry
    # in step; twelve draws all equal to the plain exponential would mean no jitter at all.
    assert all(0 <= w <= 2 ** (i % 3 + 1) for i, w in enumerate(waits.seconds))
    assert waits.seconds != [1.0, 2.0, 4.0] * 4


async def test_429_that_never_ends_is_unavailable_not_a_rejection(tmp_path) -> None:
    async with EmulatorServer(EmulatorConfig(time_scale=0.01, work_dir=tmp_path)) as server:
        server.emulator.inject(http_error={"status": 429, "times": 10})
        client = ShortApiClient(server.url, "key", retries=2, sleep=Waits())
        try:
            with pytest.raises(ProviderUnavailable) as info:
                await client.create(I2V, CAT, None)
        finally:
            await client.aclose()
    assert info.value.status == 429 and _creates(server) == 3


async def test_a_gateway_timeout_on_create_is_sent_once_but_a_query_is_retried(tmp_path) -> None:
    async with EmulatorServer(EmulatorConfig(time_scale=0.01, work_dir=tmp_path)) as server:
        client = ShortApiClient(server.url, "key", sleep=Waits())
        try:
            server.emulator.inject(http_error={"status": 504, "times": 1})
            with pytest.raises(ProviderAmbiguous):
                await client.create(I2V, CAT, None)
            assert _creates(server) == 1
            created = await client.create(I2V, CAT, None)
            server.emulator.inject(http_error={"status": 504, "times": 1})
            assert (await client.query(created.job_id)).status is not RemoteStatus.FAILED
            await server.emulator.wait_finished(created.job_id)
        finally:
            await client.aclose()


async def test_garbled_and_code_not_zero_answers_are_not_retried(tmp_path) -> None:
    async with EmulatorServer(EmulatorConfig(time_scale=0.01, work_dir=tmp_path)) as server:
        waits = Waits()
        client = ShortApiClient(server.url, "key", sleep=waits)
        try:
            server.emulator.inject(garbled={"times": 1})
            with pytest.raises(ProviderBadResponse):
                await client.create(I2V, CAT, None)
            server.emulator.inject(create_error={"message": "insufficient balance", "code": 1001})
            with pytest.raises(ProviderRejected) as info:
                await client.create(I2V, CAT, None)
            assert info.value.detail == "insufficient balance" and info.value.code == 1001
        finally:
            await client.aclose()
    assert waits.seconds == [] and _creates(server) == 2


@pytest.mark.parametrize(
    ("idempotent", "maybe_applied", "expected"),
    [(True, True, True), (True, False, True), (False, False, True), (False, True, False)],
)
def test_an_ambiguous_create_may_never_be_sent_again(
    idempotent: bool, maybe_applied: bool, expected: bool
) -> None:
    failure = _Failed(ProviderUnavailable("x"), maybe_applied=maybe_applied)
    assert may_send_again(idempotent=idempotent, failure=failure) is expected


def test_retry_after_header_forms() -> None:
    now = 1_000_000_000.0  # 2001-09-09T01:46:40Z
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Sun, 09 Sep 2001 01:47:10 GMT", now=now) == 30.0
    assert retry_after_seconds("Sun, 09 Sep 2001 01:00:00 GMT", now=now) == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds("-5") is None
    assert retry_after_seconds(None) is None


@pytest.mark.parametrize("fault", [{"no_answer": {"times": 1, "on": "create"}},
                                   {"hang": {"times": 1, "on": "create", "seconds": 2}}])
async def test_a_create_without_an_answer_is_ambiguous_and_sent_once(tmp_path, fault) -> None:
    """The connection closes mid-answer, or the answer comes after our timeout: the provider
    may have created (and charged) the job, so it is never sent again."""
    async with EmulatorServer(EmulatorConfig(time_scale=0.01, work_dir=tmp_path)) as server:
        server.emulator.inject(**fault)
        waits = Waits()
        client = ShortApiClient(server.url, "key", timeout=0.5, sleep=waits)
        try:
            with pytest.raises(ProviderAmbiguous):
                await client.create(I2V, CAT, None)
        finally:
            await client.aclose()
        assert _creates(server) == 1 and waits.seconds == []


@pytest.mark.parametrize("fault", [{"no_answer": {"times": 2, "on": "query"}},
                                   {"hang": {"times": 2, "on": "query", "seconds": 2}},
                                   {"garbled": {"times": 1, "on": "query"}}])
async def test_a_query_without_an_answer_is_asked_again(tmp_path, fault) -> None:
    async with EmulatorServer(EmulatorConfig(time_scale=0.01, work_dir=tmp_path)) as server:
        client = ShortApiClient(server.url, "key", timeout=0.5, sleep=Waits())
        try:
            created = await client.create(I2V, CAT, None)
            server.emulator.inject(**fault)
            if "garbled" in fault:  # a readable-but-broken answer is not retried: next poll
                with pytest.raises(ProviderBadResponse):
                    await client.query(created.job_id)
            remote = await client.query(created.job_id)
            assert remote.status is not RemoteStatus.FAILED
            await server.emulator.wait_finished(created.job_id)
        finally:
            await client.aclose()


async def test_faults_aimed_at_one_endpoint_leave_the_others_alone(tmp_path) -> None:
    async with EmulatorServer(EmulatorConfig(time_scale=0.01, work_dir=tmp_path)) as server:
        server.emulator.inject(http_error={"status": 500, "times": 5, "on": "result"})
        client = ShortApiClient(server.url, "key", sleep=Waits())
        try:
            created = await client.create(I2V, CAT, None)
            await server.emulator.wait_finished(created.job_id)
            remote = await client.query(created.job_id)
        finally:
            await client.aclose()
        assert remote.result_url is not None and _creates(server) == 1
        async with httpx.AsyncClient() as http:
            assert (await http.get(remote.result_url)).status_code == 500
            server.emulator.inject(http_error=None, bad_result={"times": 1})
            junk = await http.get(remote.result_url)
            assert junk.status_code == 200 and b"no video" in junk.content
            assert (await http.get(remote.result_url)).content[4:8] == b"ftyp"
