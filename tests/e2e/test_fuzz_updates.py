"""Fuzz: arbitrary updates through the real bot's python-telegram-bot `Application` (its
handlers, its gate, its error handler; its Bot talking to the fake Bot API).

Every kind of message (text with entities out of range, captions, stickers, voice, locations,
polls, contacts, dice, photos and files that do not exist), callback data the bot never sent,
edited messages, channel posts, member updates, kinds newer than the library, and payloads it
cannot read at all. Whatever comes: no unhandled exception, no job, no spend, and a reply only
where one is due (at most one answer to a message; none to an edit, a channel post or a poll;
exactly one answer to a button press, and at most one message, as Undo's).

Hypothesis runs in a worker thread and hands each update to the bot's event loop, so the
bot runs exactly as in production while the examples are drawn.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from telegram import Update

from bot.telegram.readable_updates import readable_update
from tests.e2e.harness import Harness, running_bot

USER = 4242
GROUP = -100_500
CHANNEL = -100_600
BOT_ID_PLACEHOLDER = 0  # replaced by the fake's bot id
SENDS = ("sendMessage", "sendVideo", "sendPhoto", "sendDocument", "sendAnimation",
         "sendMediaGroup", "copyMessage", "forwardMessage")
EXAMPLES = 300

_ids = itertools.count(1)
ADA = {"id": USER, "is_bot": False, "first_name": "Ada"}

user = st.fixed_dictionaries({"id": st.just(USER), "is_bot": st.just(False),
                              "first_name": st.just("Ada")},
                             optional={"username": st.just("ada"),
                                       "language_code": st.sampled_from(["en", "ru", "xx", ""])})
big = st.one_of(st.integers(-10, 10**6), st.integers(2**63 - 5, 2**70))
words = st.one_of(
    st.text(max_size=300),
    st.sampled_from([
        "/start", "/help", "/undo", "/redo", "/history", "/retry", "/cancel", "/spend",
        "/budget", "/budget confirm off", "/budget confirm 0.5", "/settings", "/stats",
        "/export", "/nope@kling_test_bot", "/start@other_bot", "remove the car", "undo",
        "trim to 3 s", "make it 5 s, pro", "again", "stop", "@kling_test_bot hi", "🌧" * 700,
    ]),
)
entity = st.fixed_dictionaries(
    {"type": st.sampled_from(["bot_command", "mention", "bold", "url", "text_link",
                              "custom_emoji", "text_mention", "pre", "made_up"]),
     "offset": st.integers(-5, 2000), "length": st.integers(-5, 2000)},
    optional={"url": st.text(max_size=20), "custom_emoji_id": st.text(max_size=10)},
)
file_ref = st.fixed_dictionaries({"file_id": st.text(max_size=40),
                                  "file_unique_id": st.text(max_size=20)},
                                 optional={"file_size": big})
contents = st.one_of(
    st.fixed_dictionaries({"text": words},
                          optional={"entities": st.lists(entity, max_size=4)}),
    st.fixed_dictionaries({"sticker": file_ref.map(lambda f: {
        **f, "type": "regular", "width": 512, "height": 512, "is_animated": False,
        "is_video": False})}),
    st.fixed_dictionaries({"voice": file_ref.map(lambda f: {**f, "duration": 3})},
                          optional={"caption": words}),
    st.fixed_dictionaries({"location": st.fixed_dictionaries({
        "latitude": st.floats(-90, 90), "longitude": st.floats(-180, 180)})}),
    st.fixed_dictionaries({"contact": st.fixed_dictionaries({
        "phone_number": st.text(max_size=15), "first_name": st.text(min_size=1, max_size=10)})}),
    st.fixed_dictionaries({"poll": st.fixed_dictionaries({
        "id": st.text(max_size=10), "question": st.text(max_size=50),
        "options": st.lists(st.fixed_dictionaries({"text": st.text(max_size=10),
                                                   "voter_count": st.integers(0, 5)}),
                            max_size=4),
        "total_voter_count": st.integers(0, 5), "is_closed": st.booleans(),
        "is_anonymous": st.booleans(), "type": st.sampled_from(["regular", "quiz"]),
        "allows_multiple_answers": st.booleans()})}),
    st.fixed_dictionaries({"dice": st.fixed_dictionaries({"emoji": st.just("🎲"),
                                                          "value": st.integers(1, 6)})}),
    st.fixed_dictionaries({"photo": st.lists(file_ref.map(lambda f: {
        **f, "width": 90, "height": 90}), min_size=1, max_size=3)},
        optional={"caption": words, "caption_entities": st.lists(entity, max_size=3)}),
    st.fixed_dictionaries({"video": file_ref.map(lambda f: {
        **f, "width": 1280, "height": 720, "duration": 6})}, optional={"caption": words}),
    st.fixed_dictionaries({"document": file_ref.map(lambda f: {**f, "file_name": "x.mp4",
                                                               "mime_type": "video/mp4"})},
                          optional={"caption": words}),
    st.fixed_dictionaries({"new_chat_members": st.lists(user, min_size=1, max_size=2)}),
)
chats = st.sampled_from([
    {"id": USER, "type": "private", "first_name": "Ada"},
    {"id": GROUP, "type": "supergroup", "title": "Crew"},
])


@st.composite
def messages(draw: st.DrawFn, chat: st.SearchStrategy[dict[str, Any]] = chats,
             sender: bool = True) -> dict[str, Any]:
    msg: dict[str, Any] = {"message_id": draw(st.integers(1, 2**31 - 1)),
                           "date": draw(st.integers(0, 2**31)), "chat": draw(chat)}
    if sender:
        msg["from"] = draw(user)
    msg.update(draw(contents))
    if draw(st.booleans()):
        msg["reply_to_message"] = {"message_id": draw(st.integers(1, 10**6)), "date": 0,
                                   "chat": msg["chat"], "text": draw(st.text(max_size=20))}
    return msg


channel = st.just({"id": CHANNEL, "type": "channel", "title": "News"})
callback_data = st.one_of(
    st.text(max_size=64),
    st.builds(lambda p, n: f"{p}{n}", st.sampled_from(
        ["job:stop:", "job:confirm:", "job:cancel:", "clip:retry:", "clip:undo:",
         "clip:orig:", "ver:", "set:mode:", "set:ratio:", "set:sound:", "zz:"]),
        big.map(str)),
)


@st.composite
def callback_queries(draw: st.DrawFn) -> dict[str, Any]:
    query: dict[str, Any] = {"id": str(next(_ids)), "from": draw(user),
                             "chat_instance": "42", "data": draw(callback_data)}
    if draw(st.booleans()):
        query["message"] = draw(messages())
    else:
        query["inline_message_id"] = draw(st.text(min_size=1, max_size=20))
    return query


member_update = st.fixed_dictionaries({
    "chat": chats, "from": user, "date": st.integers(0, 2**31),
    "old_chat_member": st.just({"status": "left", "user": {"id": 1, "is_bot": True,
                                                           "first_name": "B"}}),
    "new_chat_member": st.just({"status": "member", "user": {"id": 1, "is_bot": True,
                                                             "first_name": "B"}}),
})
updates = st.one_of(
    st.tuples(st.just("message"), messages()),
    st.tuples(st.just("message"), messages(st.just({"id": USER, "type": "private",
                                                      "first_name": "Ada"}))),
    st.tuples(st.just("edited_message"), messages().map(lambda m: {**m, "edit_date": 1})),
    st.tuples(st.just("channel_post"), messages(channel, sender=False)),
    st.tuples(st.just("edited_channel_post"), messages(channel, sender=False)),
    st.tuples(st.just("callback_query"), callback_queries()),
    st.tuples(st.just("my_chat_member"), member_update),
    st.tuples(st.just("poll"), messages().map(lambda m: m.get("poll") or {"id": "1"})),
    st.tuples(st.sampled_from(["something_new", "business_message"]),
              st.dictionaries(st.text(max_size=5), st.integers(), max_size=3)),
    st.tuples(st.just("message"), st.dictionaries(st.text(max_size=8), st.text(max_size=8),
                                                  max_size=4)),  # unreadable
)


def problems(records: list[logging.LogRecord]) -> list[str]:
    """Errors and tracebacks the bot (or PTB on its behalf) logged."""
    return [f"{r.name}: {r.getMessage()}: {r.exc_info[1] if r.exc_info else ''}"
            for r in records if r.name.split(".")[0] in ("bot", "telegram")
            and (r.levelno >= logging.ERROR or r.exc_info)]


async def _feed(h: Harness, kind: str, payload: Any) -> None:
    """One update through the bot's Application, as polling would hand it over."""
    app = h.bot.application
    assert app is not None
    if kind == "callback_query" and isinstance(payload, dict):
        with h.tg.world.lock:  # the fake answers only queries it knows
            h.tg.world.queries[str(payload["id"])] = {"answered": False, "answer": None}
    readable = readable_update({"update_id": next(_ids), kind: payload})
    assert readable is not None
    await app.process_update(Update.de_json(readable, app.bot))


async def _verdict(h: Harness, kind: str, payload: Any, mark: int) -> None:
    calls = [c for c in h.tg.calls()[mark:] if c.method != "getUpdates"]
    sends = [c for c in calls if c.method in SENDS and c.ok]
    readable = Update.de_json(readable_update({"update_id": 1, kind: payload}), None)
    if readable.callback_query is not None:
        # Counted as Telegram counts them: a second answer (a retry after a lost reply) is
        # refused, so only one can ever reach the user.
        answers = [c for c in calls if c.method == "answerCallbackQuery" and c.ok
                   and c.params.get("callback_query_id") == readable.callback_query.id]
        assert len(answers) == 1, f"a press answered {len(answers)} times"
        assert len(sends) <= 1, "a press got more than one message"  # Undo answers in chat
    elif readable.message is not None:
        assert len(sends) <= 1, f"{len(sends)} answers to one message"
    else:  # edits, channel posts, polls, member updates, unknown and unreadable kinds
        assert sends == [], f"answered a {kind}"
    db = h.bot.db
    assert db is not None
    jobs = await db.fetchone("SELECT COUNT(*) AS n FROM jobs")
    entries = await db.fetchone("SELECT COUNT(*) AS n FROM ledger")
    assert jobs is not None and entries is not None
    assert (jobs["n"], entries["n"]) == (0, 0), "an update started a job or spent money"


async def test_arbitrary_updates_change_nothing_they_should_not(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with running_bot(tmp_path) as h:
        h.tg.chat(GROUP, chat_type="supergroup", title="Crew")
        h.tg.chat(CHANNEL, chat_type="channel", title="News")
        h.tg.user(USER, "Ada", "ada")
        loop = asyncio.get_running_loop()

        seen: Counter[str] = Counter()

        async def one(kind: str, payload: Any) -> None:
            mark, logged = h.mark(), len(caplog.records)
            await _feed(h, kind, payload)
            seen[kind] += 1
            seen["answered"] += any(c.method in SENDS for c in h.tg.calls()[mark:])
            found = problems(caplog.records[logged:])
            assert found == [], f"after a {kind}: {found}"
            await _verdict(h, kind, payload, mark)

        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
        @given(updates)
        @example(("message", {"message_id": 7, "date": 0, "from": ADA, "text": "/start",
                              "chat": {"id": USER, "type": "private", "first_name": "Ada"}}))
        @example(("callback_query", {"id": "press-1", "from": ADA, "chat_instance": "42",
                                     "data": "clip:retry:" + "9" * 30, "message": {
                                         "message_id": 8, "date": 0, "text": "v2",
                                         "chat": {"id": USER, "type": "private"}}}))
        def run(update: tuple[str, Any]) -> None:
            asyncio.run_coroutine_threadsafe(one(*update), loop).result(timeout=60)

        await asyncio.to_thread(run)
        assert not h.em.jobs
        # Not vacuous: every kind came, and the bot did answer where it was due.
        assert seen["message"] > 10 and seen["callback_query"] > 1 and seen["answered"] > 1, seen
