"""The emulator's state and logic: jobs, their lifecycle, callbacks and faults. No HTTP server."""

from __future__ import annotations

import asyncio
import hmac
import logging
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from bot.emulator import render, rules
from bot.emulator.faults import Faults
from bot.emulator.fetch import Fetch, FetchError, fetch_image, fetch_video
from bot.media.ffmpeg import FfmpegError

log = logging.getLogger(__name__)

QUEUED, RUNNING, SUCCEEDED, FAILED = 0, 1, 2, 3


@dataclass
class EmulatorConfig:
    time_scale: float = 1.0
    queued_seconds: float = 2.0
    running_seconds: float = 8.0
    api_key: str | None = None
    result_size_mb: float = 0.0
    work_dir: Path | None = None  # a temp dir (removed on aclose) if None
    callback_retry_seconds: float = 1.0  # wait before the one retry of a failed callback


@dataclass
class CallbackAttempt:
    url: str
    status: int | None  # None when no HTTP answer came (refused, timeout)
    error: str | None
    at: float


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: str
    auth: bool  # an Authorization header was present
    at: float


@dataclass
class RejectedCreate:
    """A create answered with code != 0 (kept so tests can see what was fetched and why)."""

    model: object
    args: object
    callback_url: object
    code: int
    message: str
    fetches: list[Fetch]
    at: float


@dataclass
class EmulatedJob:
    id: str
    model: str
    args: dict[str, Any]  # exactly as received
    callback_url: str | None
    status: int
    amount: Decimal
    error: str | None = None
    refunded: bool = False
    fetches: list[Fetch] = field(default_factory=list)
    callbacks: list[CallbackAttempt] = field(default_factory=list)
    result_path: Path | None = None
    result_url: str = ""
    created_at: float = field(default_factory=time.time)
    source_seconds: float | None = None
    plan: rules.Plan | None = field(default=None, repr=False)
    inputs: list[Path] = field(default_factory=list, repr=False)  # video first if any
    failure: tuple[str, bool] | None = field(default=None, repr=False)  # (error, refunded)
    stuck: bool = False
    finished: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    def data(self) -> dict[str, Any]:
        """The `data` object of a query response (and the callback body)."""
        out: dict[str, Any] = {
            "job_id": self.id,
            "status": self.status,
            "amount": rules.format_amount(self.amount),
        }
        if self.status == SUCCEEDED:
            out["result"] = {"videos": [{"url": self.result_url}]}
        elif self.status == FAILED:
            out["error"] = self.error
            out["refunded"] = self.refunded
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "model": self.model,
            "args": self.args,
            "callback_url": self.callback_url,
            "status": self.status,
            "amount": rules.format_amount(self.amount),
            "error": self.error,
            "refunded": self.refunded,
            "source_seconds": self.source_seconds,
            "fetches": [vars(f) for f in self.fetches],
            "callbacks": [vars(c) for c in self.callbacks],
            "result_path": str(self.result_path) if self.result_path else None,
            "result_url": self.result_url,
            "created_at": self.created_at,
        }


def _error(code: int, message: str) -> dict[str, Any]:
    return {"code": code, "message": message, "info": message}


class Emulator:
    """ShortAPI's behaviour without the HTTP server: see `server.create_app` for the wire."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self._owns_dir = config.work_dir is None
        self.work_dir = (
            Path(tempfile.mkdtemp(prefix="shortapi-emulator-"))
            if config.work_dir is None
            else Path(config.work_dir)
        )
        self.results_dir = self.work_dir / "results"
        self.inputs_dir = self.work_dir / "inputs"
        self.results_dir.mkdir(parents=True, exist_ok=True)
        self.inputs_dir.mkdir(parents=True, exist_ok=True)
        self.jobs: dict[str, EmulatedJob] = {}
        self.requests: list[RecordedRequest] = []
        self.rejected: list[RejectedCreate] = []
        self.faults = Faults()
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._client: httpx.AsyncClient | None = None
        # Called as (event, detail) when a create request arrives ("create", its callback
        # URL or ""), a query ("query", the job id or "") and before each callback is posted
        # ("callback", its URL): the benchmark's clocks. Observers must not raise.
        self.observers: list[Callable[[str, str], None]] = []

    # --- control --------------------------------------------------------------------------

    def inject(self, **faults: Any) -> None:
        """create_error={"message", "times", "code"?},
        http_error={"status", "times", "retry_after"?}, garbled={"times"},
        fail_next={"error", "refunded", "times"}, slow=float, drop_callbacks=bool,
        duplicate_callbacks=bool, stuck=bool. A falsy value switches a fault off."""
        self.faults.apply(**faults)

    def reset(self) -> None:
        """Clear faults and every record (jobs included; their tasks are cancelled)."""
        for task in self._tasks.values():
            task.cancel()
        self._tasks.clear()
        self.faults = Faults()
        self.jobs.clear()
        self.requests.clear()
        self.rejected.clear()

    async def aclose(self) -> None:
        tasks = list(self._tasks.values())
        self._tasks.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        if self._owns_dir:
            await asyncio.to_thread(shutil.rmtree, self.work_dir, True)

    def _observe(self, event: str, detail: object) -> None:
        for observer in self.observers:
            observer(event, detail if isinstance(detail, str) else "")

    def record_request(self, method: str, path: str, query: str, auth: bool) -> None:
        self.requests.append(RecordedRequest(method, path, query, auth, time.time()))

    def check_auth(self, header: str | None) -> bool:
        if not header:
            return False
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return False
        if self.config.api_key is None:
            return True
        return hmac.compare_digest(token.encode(), self.config.api_key.encode())

    async def wait_finished(self, job_id: str) -> EmulatedJob:
        """Wait until the job reaches status 2 or 3 (callbacks may still be in flight).
        Wrap it in `asyncio.timeout(...)` to bound the wait."""
        job = self.jobs[job_id]
        await job.finished.wait()
        return job

    def result_file(self, job_id: str) -> Path | None:
        job = self.jobs.get(job_id)
        if job is not None and job.status == SUCCEEDED and job.result_path is not None:
            return job.result_path
        return None

    # --- the API --------------------------------------------------------------------------

    async def create(self, body: object, base_url: str) -> dict[str, Any]:
        """Handle a create request body; returns the JSON answer (always sent as HTTP 200)."""
        if not isinstance(body, dict):
            return _error(400, "request body must be a JSON object")
        model, args, callback = body.get("model"), body.get("args"), body.get("callback_url")
        self._observe("create", callback)
        fetches: list[Fetch] = []

        def reject(code: int, message: str) -> dict[str, Any]:
            self.rejected.append(
                RejectedCreate(model, args, callback, code, message, fetches, time.time())
            )
            return _error(code, message)

        checked = self._check_create(model, args, callback)
        if not isinstance(checked, rules.Plan):
            return reject(*checked)
        assert isinstance(args, dict) and isinstance(model, str)
        job_id = uuid.uuid4().hex
        fetched = await self._fetch_for(checked, job_id, fetches)
        if isinstance(fetched, str):
            return reject(400, fetched)
        inputs, seconds, amount = fetched
        plan = checked

        failure = self.faults.take_failure()
        job = EmulatedJob(
            id=job_id,
            model=model,
            args=args,
            callback_url=callback,
            status=QUEUED,
            amount=amount,
            fetches=fetches,
            result_url=f"{base_url.rstrip('/')}/results/{job_id}.mp4",
            source_seconds=seconds,
            plan=plan,
            inputs=inputs,
            failure=(failure.error, failure.refunded) if failure else None,
            stuck=self.faults.stuck,
        )
        self.jobs[job_id] = job
        task = asyncio.create_task(self._run(job), name=f"emulated-job-{job_id}")
        self._tasks[job_id] = task
        task.add_done_callback(lambda t: self._tasks.pop(job_id, None))
        return {"code": 0, "data": {"amount": rules.format_amount(amount), "job_id": job_id}}

    def _check_create(self, model: object, args: object,
                      callback: object) -> rules.Plan | tuple[int, str]:
        """The plan of a valid create, or the (code, message) it is refused with."""
        fault = self.faults.take_create_error()
        if fault is not None:
            return fault.code, fault.message
        if callback is not None and not (
            isinstance(callback, str) and callback.startswith(("http://", "https://"))
        ):
            return 400, "callback_url must be an http(s) URL"
        try:
            return rules.validate(model, args)
        except rules.RuleError as err:
            return 400, str(err)

    async def _fetch_for(self, plan: rules.Plan, job_id: str, fetches: list[Fetch]
                         ) -> tuple[list[Path], float | None, Decimal] | str:
        """Fetch the job's inputs as the real provider would and price it; or why not."""
        folder = self.inputs_dir / job_id
        folder.mkdir(parents=True)
        try:
            inputs, seconds = await self._fetch_inputs(plan, folder, fetches)
            if plan.kind == "edit":
                assert seconds is not None
                rules.check_edit_source(seconds)
            return inputs, seconds, rules.price(plan, seconds)
        except (FetchError, rules.RuleError) as err:
            await asyncio.to_thread(shutil.rmtree, folder, True)
            return str(err)
        except BaseException:  # e.g. the client went away mid-fetch: leave nothing behind
            shutil.rmtree(folder, ignore_errors=True)
            raise

    def query(self, job_id: str | None) -> dict[str, Any]:
        self._observe("query", job_id)
        if not job_id:
            return _error(400, "missing query parameter: id")
        job = self.jobs.get(job_id)
        if job is None:
            return _error(404, "job not found")
        return {"code": 0, "data": job.data()}

    # --- inside ---------------------------------------------------------------------------

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                follow_redirects=True, timeout=httpx.Timeout(30.0, connect=10.0)
            )
        return self._client

    async def _fetch_inputs(
        self, plan: rules.Plan, folder: Path, fetches: list[Fetch]
    ) -> tuple[list[Path], float | None]:
        """Fetch the video and every image concurrently; the first failure (video first) wins."""
        steps: list[Any] = []
        if plan.video_url is not None:
            steps.append(fetch_video(self.client, plan.video_url, folder / "video", fetches))
        for i, source in enumerate(plan.images, 1):
            dest = folder / f"image{i}"
            steps.append(fetch_image(self.client, source, dest, f"image {i}", fetches))
        results = await asyncio.gather(*steps, return_exceptions=True)
        paths: list[Path] = []
        seconds: float | None = None
        for result in results:
            if isinstance(result, BaseException):
                raise result
            if isinstance(result, tuple):
                paths.append(result[0])
                seconds = result[1].duration
            else:
                paths.append(result)
        return paths, seconds

    async def _sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds * self.config.time_scale * self.faults.slow))

    async def _run(self, job: EmulatedJob) -> None:
        render_task: asyncio.Task[None] | None = None
        try:
            await self._sleep(self.config.queued_seconds)
            job.status = RUNNING
            if job.failure is None and not job.stuck:
                render_task = asyncio.create_task(self._render(job))
            await self._sleep(self.config.running_seconds)
            if job.stuck:
                await asyncio.Event().wait()  # forever, until cancelled
            if job.failure is not None:
                job.error, job.refunded = job.failure
                job.status = FAILED
            else:
                assert render_task is not None
                try:
                    await render_task
                    job.status = SUCCEEDED
                except (FfmpegError, OSError) as err:
                    log.warning("emulated job %s: render failed: %s", job.id, err)
                    job.error, job.refunded = "internal error: rendering failed", True
                    job.status = FAILED
            job.finished.set()
            self._cleanup_inputs(job)
            await self._send_callbacks(job)
        except asyncio.CancelledError:
            if render_task is not None:
                render_task.cancel()
            raise
        finally:
            self._cleanup_inputs(job)

    def _cleanup_inputs(self, job: EmulatedJob) -> None:
        if job.inputs:
            job.inputs = []
            shutil.rmtree(self.inputs_dir / job.id, ignore_errors=True)

    async def _render(self, job: EmulatedJob) -> None:
        plan = job.plan
        assert plan is not None
        final = self.results_dir / f"{job.id}.mp4"
        partial = self.results_dir / f"{job.id}.partial.mp4"
        if plan.kind == "edit":
            await render.render_edit(job.inputs[0], partial)
        elif plan.kind == "refer":
            assert plan.duration is not None
            await render.render_refer(job.inputs[0], plan.duration, plan.aspect_ratio, partial)
        else:
            assert plan.duration is not None
            image = job.inputs[plan.frame_image] if plan.frame_image is not None else None
            await render.render_image_to_video(
                image, plan.duration, plan.aspect_ratio, plan.sound, partial
            )
        if self.config.result_size_mb > 0:
            await asyncio.to_thread(render.pad_to_size, partial, self.config.result_size_mb)
        partial.replace(final)
        job.result_path = final

    async def _send_callbacks(self, job: EmulatedJob) -> None:
        if not job.callback_url or self.faults.drop_callbacks:
            return
        copies = 2 if self.faults.duplicate_callbacks else 1
        for _ in range(copies):
            self._observe("callback", job.callback_url)
            await self._post_callback(job, job.callback_url)

    async def _post_callback(self, job: EmulatedJob, url: str) -> None:
        """POST the query `data` to the callback URL: 5 s timeout, one retry after a failure."""
        for attempt in range(2):
            status: int | None = None
            error: str | None = None
            try:
                response = await self.client.post(url, json=job.data(), timeout=5.0)
                status = response.status_code
                if status >= 400:
                    error = f"HTTP {status}"
            except httpx.HTTPError as err:
                error = f"{type(err).__name__}: {err}".rstrip(": ")
            job.callbacks.append(CallbackAttempt(url, status, error, time.time()))
            if error is None:
                return
            if attempt == 0:
                await asyncio.sleep(self.config.callback_retry_seconds)
