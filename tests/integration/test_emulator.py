"""The ShortAPI emulator over real HTTP on loopback, with real media (ffmpeg / PyAV)."""

from __future__ import annotations

import asyncio
import base64
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import av
import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.emulator import EmulatorConfig, EmulatorServer, LoopServer, rules
from bot.sandbox.samples import make_jpeg, make_video

V2V = "kwaivgi/kling-o3/video-to-video"
I2V = "kwaivgi/kling-o3/image-to-video"
AUTH = {"Authorization": "Bearer test-key"}


def fast(api_key: str | None = None, result_size_mb: float = 0.0) -> EmulatorConfig:
    """Phases of 0.02 s queued + 0.08 s running; a failed callback is retried after 0.05 s."""
    return EmulatorConfig(time_scale=0.01, callback_retry_seconds=0.05, api_key=api_key,
                          result_size_mb=result_size_mb)


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Small real media, made once: served by `files` below."""
    folder = tmp_path_factory.mktemp("media")
    make_video(folder / "clip.mp4", 6.2, "320x180")
    make_video(folder / "long.mp4", 11.0, "160x90", fps=12)
    make_video(folder / "short.mp4", 2.0, "160x90", fps=12)
    make_jpeg(folder / "photo.jpg", "320x240")
    (folder / "notes.txt").write_text("this is not a video\n" * 50)
    return folder


@pytest.fixture
async def files(media: Path) -> AsyncIterator[str]:
    """A plain static file server on 127.0.0.1: the 'public URL' the provider fetches."""
    app = Starlette(routes=[Mount("/", StaticFiles(directory=media))])
    async with LoopServer(app) as server:
        yield server.url


@pytest.fixture
async def emu() -> AsyncIterator[EmulatorServer]:
    async with EmulatorServer(fast()) as server:
        yield server


@pytest.fixture
async def api(emu: EmulatorServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=emu.url, headers=AUTH, timeout=30) as client:
        yield client


@dataclass
class Receiver:
    url: str = ""
    bodies: list[dict[str, Any]] = field(default_factory=list)
    fail_first: int = 0  # answer HTTP 500 to this many posts first
    seen: int = 0


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """A callback receiver that records every POST body."""
    state = Receiver()

    async def hook(request: Request) -> Response:
        state.seen += 1
        if state.seen <= state.fail_first:
            return Response("nope", status_code=500)
        state.bodies.append(await request.json())
        return JSONResponse({"ok": True})

    async with LoopServer(Starlette(routes=[Route("/hook", hook, methods=["POST"])])) as server:
        state.url = f"{server.url}/hook"
        yield state


# --- helpers ----------------------------------------------------------------------------------


async def create(
    api: httpx.AsyncClient, model: str, args: dict[str, Any], callback: str | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"model": model, "args": args}
    if callback:
        body["callback_url"] = callback
    response = await api.post("/api/v1/job/create", json=body)
    assert response.status_code == 200
    answer: dict[str, Any] = response.json()
    return answer


async def created_id(api: httpx.AsyncClient, model: str, args: dict[str, Any],
                     callback: str | None = None) -> str:
    answer = await create(api, model, args, callback)
    assert answer["code"] == 0, answer
    job_id: str = answer["data"]["job_id"]
    return job_id


async def wait_done(api: httpx.AsyncClient, job_id: str) -> dict[str, Any]:
    async with asyncio.timeout(20):
        while True:
            answer = (await api.get("/api/v1/job/query", params={"id": job_id})).json()
            assert answer["code"] == 0, answer
            if answer["data"]["status"] >= 2:
                data: dict[str, Any] = answer["data"]
                return data
            await asyncio.sleep(0.02)


async def until(check: Any) -> None:
    async with asyncio.timeout(5):
        while not check():  # noqa: ASYNC110 - polling what another server recorded
            await asyncio.sleep(0.02)


async def download(url: str, dest: Path) -> Path:
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "video/mp4"
    await asyncio.to_thread(dest.write_bytes, response.content)
    return dest


def probe(path: Path) -> dict[str, Any]:
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        assert container.duration is not None
        return {
            "duration": container.duration / av.time_base,
            "width": video.codec_context.width,
            "height": video.codec_context.height,
            "codec": video.codec_context.name,
            "audio": len(container.streams.audio),
        }


def jpeg_b64(media: Path) -> str:
    return base64.b64encode((media / "photo.jpg").read_bytes()).decode()


# --- happy paths ------------------------------------------------------------------------------


async def test_edit_lifecycle_and_real_result(
    api: httpx.AsyncClient, emu: EmulatorServer, files: str, media: Path, tmp_path: Path
) -> None:
    emu.emulator.config.queued_seconds = 30  # x 0.01 = 0.3 s: long enough to see status 0
    args = {"action": "edit", "mode": "pro", "prompt": "rainy", "video": f"{files}/clip.mp4"}
    answer = await create(api, V2V, args)
    assert answer["code"] == 0
    assert answer["data"]["amount"] == "0.858"  # 0.143 x round(6.2 s)
    job_id = answer["data"]["job_id"]

    first = (await api.get("/api/v1/job/query", params={"id": job_id})).json()
    assert first == {"code": 0, "data": {"job_id": job_id, "status": 0, "amount": "0.858"}}
    statuses = set()
    async with asyncio.timeout(20):
        while True:
            data = (await api.get("/api/v1/job/query", params={"id": job_id})).json()["data"]
            statuses.add(data["status"])
            if data["status"] == 2:
                break
            await asyncio.sleep(0.01)
    assert statuses >= {0, 1, 2}
    url = data["result"]["videos"][0]["url"]
    assert url == f"{emu.url}/results/{job_id}.mp4"
    facts = probe(await download(url, tmp_path / "out.mp4"))
    assert facts["codec"] == "h264"
    assert abs(facts["duration"] - 6.2) < 0.15
    assert (facts["width"], facts["height"]) == (320, 180)

    jobs = (await api.get("/_emulator/jobs")).json()
    assert len(jobs) == 1 and jobs[0]["args"] == args and jobs[0]["amount"] == "0.858"
    (fetch,) = jobs[0]["fetches"]
    assert fetch["url"] == f"{files}/clip.mp4" and fetch["status"] == 200
    assert fetch["bytes"] == (media / "clip.mp4").stat().st_size
    seen = (await api.get("/_emulator/requests")).json()
    create_req = next(r for r in seen if r["path"] == "/api/v1/job/create")
    assert create_req["method"] == "POST" and create_req["auth"] is True


@pytest.mark.parametrize(("mode", "amount"), [("pro", "0.858"), ("std", "0.642")])
async def test_edit_price_uses_rounded_source_length(
    api: httpx.AsyncClient, files: str, media: Path, mode: str, amount: str
) -> None:
    args = {"action": "edit", "mode": mode, "prompt": "x", "video": f"{files}/clip.mp4",
            "duration": 10, "aspect_ratio": "9:16"}  # both overridden / cleared for edit
    answer = await create(api, V2V, args)
    assert answer["data"]["amount"] == amount
    fetched = (await api.get("/_emulator/jobs")).json()[0]["fetches"][0]
    assert fetched["bytes"] == (media / "clip.mp4").stat().st_size


async def test_refer_makes_vertical_clip_of_duration(
    api: httpx.AsyncClient, files: str, tmp_path: Path
) -> None:
    args = {"action": "refer", "mode": "pro", "prompt": "next shot", "video": f"{files}/clip.mp4",
            "duration": 4, "aspect_ratio": "9:16"}
    answer = await create(api, V2V, args)
    assert answer["data"]["amount"] == "0.572"
    data = await wait_done(api, answer["data"]["job_id"])
    assert data["status"] == 2
    facts = probe(await download(data["result"]["videos"][0]["url"], tmp_path / "r.mp4"))
    assert (facts["width"], facts["height"]) == (720, 1280)
    assert abs(facts["duration"] - 4) < 0.1


async def test_image_to_video_base64_with_sound(
    api: httpx.AsyncClient, media: Path, tmp_path: Path
) -> None:
    args = {"prompt": "[@image1] waves", "mode": "pro", "sound": "on", "duration": 10,
            "aspect_ratio": "1:1", "images": [{"image": jpeg_b64(media), "type": "first_frame"}]}
    answer = await create(api, I2V, args)
    assert answer["code"] == 0 and answer["data"]["amount"] == "1.19"
    data = await wait_done(api, answer["data"]["job_id"])
    assert data["status"] == 2
    facts = probe(await download(data["result"]["videos"][0]["url"], tmp_path / "i.mp4"))
    assert facts["audio"] == 1
    assert (facts["width"], facts["height"]) == (720, 720)
    assert abs(facts["duration"] - 10) < 0.1


async def test_image_to_video_data_uri_and_url_without_sound(
    api: httpx.AsyncClient, emu: EmulatorServer, media: Path, files: str, tmp_path: Path
) -> None:
    args = {"prompt": "a walk", "mode": "std", "duration": 3, "images": [
        {"image": f"{files}/photo.jpg"},
        {"image": "data:image/jpeg;base64," + jpeg_b64(media)},
    ]}
    answer = await create(api, I2V, args)
    assert answer["data"]["amount"] == "0.213"  # 0.071 x 3
    job_id = answer["data"]["job_id"]
    data = await wait_done(api, job_id)
    facts = probe(await download(data["result"]["videos"][0]["url"], tmp_path / "i.mp4"))
    assert facts["audio"] == 0 and (facts["width"], facts["height"]) == (1280, 720)
    fetches = emu.emulator.jobs[job_id].fetches
    assert sorted(f.status or 0 for f in fetches) == [0, 200]  # Base64 has no HTTP status


def test_price_rules_are_exact_decimals() -> None:
    plan = rules.validate(I2V, {"prompt": "p", "mode": "std", "sound": "on", "duration": 15})
    assert rules.price(plan) == Decimal("1.425")
    refer = rules.validate(V2V, {"prompt": "p", "video": "https://x/v.mp4", "mode": "std"})
    assert rules.format_amount(rules.price(refer)) == "0.535"
    edit = rules.validate(V2V, {"prompt": "p", "video": "https://x/v.mp4", "action": "edit"})
    assert rules.billed_seconds(6.5) == 7 and rules.billed_seconds(6.49) == 6
    assert rules.format_amount(rules.price(edit, 6.5)) == "1.001"
    assert rules.format_amount(Decimal("0.100")) == "0.10"
    assert rules.format_amount(Decimal("2")) == "2.00"


# --- validation -------------------------------------------------------------------------------

LONG = "x" * 2501
VIDEO = "https://example.invalid/v.mp4"  # never fetched: these fail before any fetch
IMG = {"image": "https://example.invalid/i.jpg"}


def shots(*durations: int, text: str = "shot") -> list[dict[str, Any]]:
    return [{"prompt": text, "duration": d} for d in durations]


INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("foo", {"prompt": "p"}, "invalid model: foo"),
    (V2V, {"video": VIDEO}, "prompt is required"),
    (V2V, {"prompt": "  ", "video": VIDEO}, "prompt is required"),
    (V2V, {"prompt": LONG, "video": VIDEO}, "must not exceed 2500"),
    (V2V, {"prompt": "p"}, "video is required"),
    (V2V, {"prompt": "p", "video": "ftp://x/v.mp4"}, "http(s) URL"),
    (V2V, {"prompt": "p", "video": VIDEO, "mode": "turbo"}, "invalid mode"),
    (V2V, {"prompt": "p", "video": VIDEO, "action": "remix"}, "invalid action"),
    (V2V, {"prompt": "p", "video": VIDEO, "aspect_ratio": "4:3"}, "invalid aspect_ratio"),
    (V2V, {"prompt": "p", "video": VIDEO, "duration": 11}, "duration must be an integer from 3"),
    (V2V, {"prompt": "p", "video": VIDEO, "duration": 2}, "duration must be an integer from 3"),
    (V2V, {"prompt": "p", "video": VIDEO, "duration": "5"}, "duration must be an integer"),
    (V2V, {"prompt": "p", "video": VIDEO, "images": ["u1", "u2", "u3"],
           "elements": [{"frontal_image_url": "u4"}, {"frontal_image_url": "u5"}]},
     "images + elements must not exceed 4"),
    (V2V, {"prompt": "p", "video": VIDEO, "elements": [{}]}, "frontal_image_url is required"),
    (I2V, {"prompt": LONG}, "must not exceed 2500"),
    (I2V, {}, "prompt is required"),
    (I2V, {"prompt": "p", "duration": 16}, "duration must be an integer from 3 to 15"),
    (I2V, {"prompt": "p", "sound": "loud"}, "invalid sound"),
    (I2V, {"prompt": "p", "aspect_ratio": "21:9"}, "invalid aspect_ratio"),
    (I2V, {"prompt": "p", "images": [IMG] * 8}, "images must not exceed 7"),
    (I2V, {"prompt": "p", "images": [{**IMG, "type": "end_frame"}]},
     "end_frame requires a first_frame"),
    (I2V, {"prompt": "p", "images": [{**IMG, "type": "middle"}]}, "first_frame or end_frame"),
    (I2V, {"prompt": "p", "images": ["https://x/i.jpg"]}, "must be an object"),
    (I2V, {"prompt": "p", "multi_shot": True}, "shot_type is required"),
    (I2V, {"prompt": "p", "multi_shot": True, "shot_type": "random"}, "invalid shot_type"),
    (I2V, {"multi_shot": True, "shot_type": "intelligence"}, "prompt is required"),
    (I2V, {"multi_shot": True, "shot_type": "customize"}, "multi_prompt is required"),
    (I2V, {"multi_shot": True, "shot_type": "customize", "duration": 7,
           "multi_prompt": shots(1, 1, 1, 1, 1, 1, 1)}, "1 to 6 shots"),
    (I2V, {"multi_shot": True, "shot_type": "customize", "duration": 5,
           "multi_prompt": shots(5, text="y" * 513)}, "must not exceed 512"),
    (I2V, {"multi_shot": True, "shot_type": "customize", "duration": 5,
           "multi_prompt": shots(2, 2)}, "must sum to duration (4 != 5)"),
    (I2V, {"multi_shot": True, "shot_type": "customize", "duration": 15,
           "multi_prompt": shots(0, 15)}, "duration must be an integer from 1 to 15"),
    (I2V, {"multi_shot": True, "shot_type": "customize", "duration": 5,
           "multi_prompt": shots(5), "images": [{**IMG, "type": "first_frame"}]},
     "not supported when multi_shot"),
]


@pytest.mark.parametrize(("model", "args", "reason"), INVALID)
async def test_validation_rules_answer_code_not_zero(
    api: httpx.AsyncClient, emu: EmulatorServer, model: str, args: dict[str, Any], reason: str
) -> None:
    answer = await create(api, model, args)
    assert answer["code"] != 0
    assert reason in answer["message"] and answer["info"] == answer["message"]
    assert not emu.emulator.jobs
    assert emu.emulator.rejected[-1].message == answer["message"]


async def test_valid_multi_shot_and_elements_are_accepted(
    api: httpx.AsyncClient, files: str
) -> None:
    custom = {"multi_shot": True, "shot_type": "customize", "duration": 6, "sound": "on",
              "mode": "std", "multi_prompt": shots(2, 4)}
    assert (await create(api, I2V, custom))["data"]["amount"] == "0.57"
    refs = {"prompt": "p", "video": f"{files}/clip.mp4", "duration": 3, "mode": "std",
            "images": [f"{files}/photo.jpg"],
            "elements": [{"frontal_image_url": f"{files}/photo.jpg",
                          "reference_image_urls": [f"{files}/photo.jpg"]}]}
    answer = await create(api, V2V, refs)
    assert answer["code"] == 0 and answer["data"]["amount"] == "0.321"


@pytest.mark.parametrize(("name", "reason"), [
    ("missing.mp4", "failed to fetch video: HTTP 404"),
    ("notes.txt", "not a readable video"),
    ("photo.jpg", "not a readable video"),
])
async def test_unfetchable_or_non_video_is_rejected(
    api: httpx.AsyncClient, emu: EmulatorServer, files: str, name: str, reason: str
) -> None:
    answer = await create(api, V2V, {"prompt": "p", "video": f"{files}/{name}"})
    assert answer["code"] != 0 and reason in answer["message"]
    (fetch,) = emu.emulator.rejected[-1].fetches
    assert fetch.url == f"{files}/{name}" and fetch.status == (404 if "404" in reason else 200)


async def test_unreachable_video_and_bad_image_are_rejected(
    api: httpx.AsyncClient, files: str
) -> None:
    dead = await create(api, V2V, {"prompt": "p", "video": "http://127.0.0.1:9/v.mp4"})
    assert dead["code"] != 0 and dead["message"].startswith("failed to fetch video")
    bad = await create(api, I2V, {"prompt": "p", "images": [{"image": "not base64 at all!"}]})
    assert bad["code"] != 0 and "neither an http(s) URL nor valid Base64" in bad["message"]
    text = await create(api, I2V, {"prompt": "p", "images": [{"image": f"{files}/notes.txt"}]})
    assert text["code"] != 0 and "image 1 is not a readable image" in text["message"]


@pytest.mark.parametrize("name", ["long.mp4", "short.mp4"])
async def test_edit_source_must_be_3_to_10_seconds(
    api: httpx.AsyncClient, files: str, name: str
) -> None:
    answer = await create(api, V2V, {"action": "edit", "prompt": "p", "video": f"{files}/{name}"})
    assert answer["code"] != 0 and "must be 3-10 seconds" in answer["message"]
    # refer does not care about the source length
    refer = await create(api, V2V, {"prompt": "p", "video": f"{files}/{name}", "duration": 3})
    assert refer["code"] == 0


async def test_bad_bodies(api: httpx.AsyncClient) -> None:
    response = await api.post("/api/v1/job/create", content=b"{not json")
    assert response.status_code == 200 and response.json()["code"] != 0
    answer = await create(api, V2V, {"prompt": "p", "video": VIDEO}, callback="not-a-url")
    assert answer["code"] != 0 and "callback_url" in answer["message"]
    missing = (await api.get("/api/v1/job/query", params={"id": "nope"})).json()
    assert missing == {"code": 404, "message": "job not found", "info": "job not found"}


# --- auth -------------------------------------------------------------------------------------


async def test_missing_auth_is_401(emu: EmulatorServer) -> None:
    async with httpx.AsyncClient(base_url=emu.url) as client:
        response = await client.post("/api/v1/job/create", json={"model": V2V, "args": {}})
        assert response.status_code == 401
        assert response.json() == {"code": 401, "message": "unauthorized"}
        query = await client.get("/api/v1/job/query", params={"id": "x"},
                                 headers={"Authorization": "Basic abc"})
        assert query.status_code == 401
    assert [r.auth for r in emu.emulator.requests] == [False, True]


async def test_configured_key_is_required() -> None:
    config = fast(api_key="s3cret")
    async with EmulatorServer(config) as server, httpx.AsyncClient(base_url=server.url) as client:
        wrong = await client.get("/api/v1/job/query?id=x", headers=AUTH)
        right = await client.get("/api/v1/job/query?id=x",
                                 headers={"Authorization": "Bearer s3cret"})
    assert wrong.status_code == 401
    assert right.status_code == 200 and right.json()["code"] == 404


# --- faults and callbacks ---------------------------------------------------------------------


async def test_callback_is_posted_with_query_data(
    api: httpx.AsyncClient, emu: EmulatorServer, files: str, receiver: Receiver
) -> None:
    job_id = await created_id(api, V2V, {"prompt": "p", "video": f"{files}/clip.mp4",
                                         "duration": 3}, receiver.url)
    await until(lambda: receiver.bodies)
    query = (await api.get("/api/v1/job/query", params={"id": job_id})).json()
    assert receiver.bodies == [query["data"]]
    assert query["data"]["status"] == 2
    assert [(c.url, c.status) for c in emu.emulator.jobs[job_id].callbacks] == [(receiver.url, 200)]


async def test_fail_next_ends_in_status_3_with_refund(
    api: httpx.AsyncClient, emu: EmulatorServer, files: str, receiver: Receiver
) -> None:
    emu.emulator.inject(fail_next={"error": "content moderation: the video was flagged",
                                   "refunded": True, "times": 1})
    args = {"action": "edit", "prompt": "p", "video": f"{files}/clip.mp4"}
    failed = await created_id(api, V2V, args, receiver.url)
    data = await wait_done(api, failed)
    assert data == {"job_id": failed, "status": 3, "amount": "0.858",
                    "error": "content moderation: the video was flagged", "refunded": True}
    await until(lambda: receiver.bodies)
    assert receiver.bodies == [data]
    assert emu.emulator.jobs[failed].result_path is None
    fine = await created_id(api, V2V, args)  # the fault was for one job only
    assert (await wait_done(api, fine))["status"] == 2


async def test_duplicate_and_dropped_callbacks(
    api: httpx.AsyncClient, emu: EmulatorServer, files: str, receiver: Receiver
) -> None:
    args = {"prompt": "p", "mode": "std", "duration": 3}
    emu.emulator.inject(duplicate_callbacks=True)
    twice = await created_id(api, I2V, args, receiver.url)
    await until(lambda: len(receiver.bodies) == 2)
    assert receiver.bodies[0] == receiver.bodies[1] and receiver.bodies[0]["job_id"] == twice

    emu.emulator.inject(duplicate_callbacks=False, drop_callbacks=True)
    dropped = await created_id(api, I2V, args, receiver.url)
    await emu.emulator.wait_finished(dropped)
    await asyncio.sleep(0.2)
    assert len(receiver.bodies) == 2 and emu.emulator.jobs[dropped].callbacks == []


async def test_failed_callback_is_retried_once(
    api: httpx.AsyncClient, emu: EmulatorServer, receiver: Receiver
) -> None:
    receiver.fail_first = 1
    job_id = await created_id(api, I2V, {"prompt": "p", "duration": 3}, receiver.url)
    await until(lambda: receiver.bodies)
    # The receiver has the body before the emulator has recorded the answer to it.
    await until(lambda: len(emu.emulator.jobs[job_id].callbacks) == 2)
    attempts = emu.emulator.jobs[job_id].callbacks
    assert [a.status for a in attempts] == [500, 200]
    assert attempts[0].error == "HTTP 500" and attempts[1].error is None


async def test_http_error_once_then_fine_over_control_api(
    api: httpx.AsyncClient, files: str
) -> None:
    control = await api.post("/_emulator/faults", json={"http_error": {"status": 502, "times": 1}})
    assert control.status_code == 200 and control.json()["faults"]["http_error"]["times"] == 1
    first = await api.get("/api/v1/job/query", params={"id": "x"})
    assert first.status_code == 502
    second = await api.get("/api/v1/job/query", params={"id": "x"})
    assert second.status_code == 200 and second.json()["code"] == 404

    await api.post("/_emulator/faults", json={"create_error": {"message": "insufficient balance",
                                                               "times": 2}})
    for _ in range(2):
        answer = await create(api, V2V, {"prompt": "p", "video": f"{files}/clip.mp4"})
        assert answer["code"] != 0 and answer["message"] == "insufficient balance"
    assert (await create(api, V2V, {"prompt": "p", "video": f"{files}/clip.mp4"}))["code"] == 0

    bad = await api.post("/_emulator/faults", json={"teleport": True})
    assert bad.status_code == 400 and "unknown fault" in bad.json()["error"]


async def test_stuck_and_slow_jobs(api: httpx.AsyncClient, emu: EmulatorServer) -> None:
    emu.emulator.inject(stuck=True)
    stuck = await created_id(api, I2V, {"prompt": "p", "duration": 3})
    emu.emulator.inject(stuck=False, slow=1000.0)
    slow = await created_id(api, I2V, {"prompt": "p", "duration": 3})
    await asyncio.sleep(0.4)  # the stuck job's phases take 0.1 s here
    assert (await api.get("/api/v1/job/query", params={"id": stuck})).json()["data"]["status"] == 1
    assert (await api.get("/api/v1/job/query", params={"id": slow})).json()["data"]["status"] == 0


async def test_reset_clears_faults_and_records(api: httpx.AsyncClient, emu: EmulatorServer) -> None:
    emu.emulator.inject(stuck=True, drop_callbacks=True)
    await created_id(api, I2V, {"prompt": "p", "duration": 3})
    assert (await api.post("/_emulator/reset")).json() == {"ok": True}
    assert emu.emulator.jobs == {} and not emu.emulator.faults.stuck
    assert [r.path for r in emu.emulator.requests] == []
    assert (await api.get("/_emulator/jobs")).json() == []


async def test_padded_result_and_range_requests(files: str, tmp_path: Path) -> None:
    config = fast(result_size_mb=1.5)
    async with EmulatorServer(config) as server, httpx.AsyncClient(
        base_url=server.url, headers=AUTH
    ) as api:
        job_id = await created_id(api, I2V, {"prompt": "p", "duration": 3})
        data = await wait_done(api, job_id)
        url = data["result"]["videos"][0]["url"]
        path = await download(url, tmp_path / "big.mp4")
        assert abs(path.stat().st_size - 1.5 * 1024 * 1024) < 1024
        assert abs(probe(path)["duration"] - 3) < 0.1
        part = await api.get(url, headers={"Range": "bytes=0-99"})
        assert part.status_code == 206 and len(part.content) == 100
        assert (await api.get("/results/0123.mp4")).status_code == 404


async def test_cli_serves_the_contract(tmp_path: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.emulator", "--port", "0", "--time-scale", "0.01",
        "--key", "k", stdout=asyncio.subprocess.PIPE, cwd=Path(__file__).parents[2],
    )
    try:
        assert proc.stdout is not None
        async with asyncio.timeout(20):
            line = (await proc.stdout.readline()).decode()
        url = line.split("listening on ")[1].split()[0]
        async with httpx.AsyncClient(base_url=url) as client:
            response = await client.get("/api/v1/job/query?id=x",
                                        headers={"Authorization": "Bearer k"})
        assert response.json()["code"] == 404
    finally:
        proc.send_signal(signal.SIGTERM)
        async with asyncio.timeout(10):
            assert await proc.wait() == 0
