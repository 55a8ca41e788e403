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
from bot.providers.shortapi import ShortApiClient, parse_remote

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
