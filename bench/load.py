"""Open-loop load: inject user messages at a steady rate and find the bot's answers."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bench.rig import Clocks
from bot.sandbox.telegram_api import Call, TelegramEmulator


@dataclass
class Sent:
    kind: str  # "help" | "video" | "instruction" | "echo"
    chat_id: int
    message_id: int
    injected: float
    file_id: str | None = None


def inject(tg: TelegramEmulator, kind: str, chat_id: int, *, clip: Path | None = None,
           text: str | None = None) -> Sent:
    t = time.monotonic()
    if kind == "video":
        assert clip is not None
        msg = tg.send_video(chat_id, clip)
        return Sent(kind, chat_id, msg["message_id"], t, msg["video"]["file_id"])
    body = text or {"help": "/help", "instruction": "remove the car"}.get(kind, "hello")
    msg = tg.send_text(chat_id, body)
    return Sent(kind, chat_id, msg["message_id"], t)


async def paced(rate: float, plan: Iterable[Callable[[], Sent]]) -> list[Sent]:
    """Run each step at `rate` per second (open loop: no waiting for answers)."""
    out: list[Sent] = []
    t0 = time.monotonic()
    for i, step in enumerate(plan):
        delay = t0 + i / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        out.append(step())
    return out


def _reply_target(call: Call) -> int | None:
    p = call.params
    target = (p.get("reply_parameters") or {}).get("message_id") or p.get("reply_to_message_id")
    return int(target) if target is not None else None


class Answers:
    """Index of the bot's successful calls, to find the first answer to each message."""

    def __init__(self, calls: list[Call], methods: tuple[str, ...] = ("sendMessage",)) -> None:
        self.methods = methods
        self.seen = 0
        self.by_chat: dict[int, list[Call]] = defaultdict(list)
        self.by_reply: dict[tuple[int, int], list[Call]] = defaultdict(list)
        self.add(calls)

    def add(self, calls: list[Call]) -> Answers:
        """Index calls[self.seen:] (calls is the fake's whole list, in order)."""
        methods = self.methods
        for c in calls[self.seen:]:
            if not c.ok or c.method not in methods:
                continue
            try:
                chat = int(c.params.get("chat_id"))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                continue
            self.by_chat[chat].append(c)
            target = _reply_target(c)
            if target is not None:
                self.by_reply[(chat, target)].append(c)
        self.seen = max(self.seen, len(calls))
        return self

    def first_reply(self, s: Sent) -> Call | None:
        """The first call replying to the message (reply_parameters), if any."""
        found = self.by_reply.get((s.chat_id, s.message_id))
        return min(found, key=lambda c: c.time) if found else None

    def first_after(self, s: Sent, contains: str | None = None) -> Call | None:
        """The first call in the chat made after the message was injected (whose text
        contains `contains`, if given)."""
        return next((c for c in self.by_chat.get(s.chat_id, []) if c.time >= s.injected and (
            contains is None or contains in str(c.params.get("text", "")))), None)


def download_seconds(tg: TelegramEmulator, clocks: Clocks, sent: list[Sent]) -> dict[str, float]:
    """file_id -> seconds the fake spent serving its download (getFile's file_path)."""
    path_of: dict[str, str] = {}
    for c in tg.calls("getFile"):
        if c.ok and isinstance(c.response, dict) and c.response.get("file_path"):
            path_of[str(c.params.get("file_id"))] = str(c.response["file_path"])
    with clocks.lock:
        spans = {p: (t0, t1) for p, t0, t1 in clocks.downloads}
    out: dict[str, float] = {}
    for s in sent:
        if s.file_id is None or s.file_id not in path_of:
            continue
        fp = path_of[s.file_id]
        span = next((v for p, v in spans.items() if p.endswith("/" + fp.lstrip("/"))), None)
        if span is not None:
            out[s.file_id] = span[1] - span[0]
    return out


ANSWER_TEXT = {"help": "What I can do", "video": "Got your video"}


def answer_to(s: Sent, answers: Answers) -> Call | None:
    if s.kind in ANSWER_TEXT:
        return answers.first_after(s, ANSWER_TEXT[s.kind])
    return answers.first_reply(s)


def latencies(sent: list[Sent], answers: Answers, clocks: Clocks,
              downloads: dict[str, float] | None = None
              ) -> tuple[list[float], list[float], int]:
    """(handout->answer seconds, injected->answer seconds, unanswered count)."""
    from_handout: list[float] = []
    from_inject: list[float] = []
    missing = 0
    for s in sent:
        call = answer_to(s, answers)
        if call is None:
            missing += 1
            continue
        extra = (downloads or {}).get(s.file_id or "", 0.0)
        handed = clocks.handout.get((s.chat_id, s.message_id))
        if handed is not None:
            from_handout.append(call.time - handed - extra)
        from_inject.append(call.time - s.injected - extra)
    return from_handout, from_inject, missing


