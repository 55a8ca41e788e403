"""The fake Bot API against the real python-telegram-bot client: if PTB is happy, the bot is."""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
import telegram
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    InputMediaPhoto,
    InputMediaVideo,
    ReplyParameters,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.sandbox.samples import make_jpeg, make_video
from bot.sandbox.telegram_api import TelegramEmulator
from bot.sandbox.tg_text import find_entities, parse_html
from bot.sandbox.tg_wire import ApiError

# PTB 22 warns that durations will become timedeltas; irrelevant to what is tested here.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
USER = 1001
GROUP = -1001234567890


def _size_on_disk(path: str) -> int:
    return os.stat(path).st_size


@pytest.fixture
def tg() -> Iterator[TelegramEmulator]:
    with TelegramEmulator() as fake:
        yield fake


def make_bot(fake: TelegramEmulator, token: str | None = None) -> telegram.Bot:
    return telegram.Bot(token or fake.token, base_url=f"{fake.url}/bot",
                        base_file_url=f"{fake.url}/file/bot",
                        local_mode=fake.local_mode)


@pytest.fixture
async def bot(tg: TelegramEmulator) -> AsyncIterator[telegram.Bot]:
    async with make_bot(tg) as b:
        yield b


async def test_get_me(tg: TelegramEmulator, bot: telegram.Bot) -> None:
    me = await bot.get_me()
    assert me.id == 123456 and me.is_bot and me.username == "kling_test_bot"
    assert tg.calls("getMe")[-1].response == tg.bot_user


async def test_long_polling_returns_early_and_offset_confirms(
    tg: TelegramEmulator, bot: telegram.Bot
) -> None:
    tg.send_text(USER, "first")
    first = await bot.get_updates(timeout=0)
    assert [u.message.text for u in first if u.message] == ["first"]
    # Not confirmed yet: the same update comes again.
    assert [u.update_id for u in await bot.get_updates()] == [first[0].update_id]

    threading.Timer(0.3, tg.send_text, args=(USER, "later")).start()
    started = time.monotonic()
    later = await bot.get_updates(offset=first[0].update_id + 1, timeout=5)
    assert 0.25 < time.monotonic() - started < 2
    assert [u.message.text for u in later if u.message] == ["later"]
    assert later[0].update_id == first[0].update_id + 1

    started = time.monotonic()
    assert await bot.get_updates(offset=later[0].update_id + 1, timeout=1) == ()
    assert 0.9 < time.monotonic() - started < 2


async def test_limit_and_allowed_updates(tg: TelegramEmulator, bot: telegram.Bot) -> None:
    for i in range(3):
        tg.send_text(USER, f"m{i}")
    assert len(await bot.get_updates(limit=2)) == 2
    sent = await bot.send_message(USER, "pick", reply_markup=InlineKeyboardMarkup(
        [[InlineKeyboardButton("go", callback_data="go")]]))
    tg.press_button(USER, sent.message_id, "go")
    only = await bot.get_updates(allowed_updates=["callback_query"])
    assert [u.callback_query.data for u in only if u.callback_query] == ["go"]
    assert len(only) == 1


async def test_entities_count_utf16_units(tg: TelegramEmulator, bot: telegram.Bot) -> None:
    text = "🎬🎬 /edit@kling_test_bot make it pop, cc @someone_else"
    stored = tg.send_text(USER, text)
    ents = stored["entities"]
    assert ents[0] == {"offset": 5, "length": 20, "type": "bot_command"}
    assert ents[1]["type"] == "mention"
    (update,) = await bot.get_updates()
    assert update.message is not None
    parsed = update.message.parse_entities()
    assert sorted(parsed.values()) == ["/edit@kling_test_bot", "@someone_else"]
    assert tg.send_text(USER, "/start")["entities"] == [
        {"offset": 0, "length": 6, "type": "bot_command"}]
    assert "entities" not in tg.send_text(USER, "a/b and mail@x.org")


@pytest.mark.parametrize(("html", "error"), [
    # Vectors from tdlib's own test-message-entities.cpp: what the real server answers.
    ("🏟 🏟&lt;<abacaba", "Unclosed start tag at byte offset 13"),
    ("🏟 🏟&lt;<abac aba>", 'Unsupported start tag "abac" at byte offset 13'),
    ("🏟 🏟&lt;<i    aba>", 'Expected equal sign in declaration of an attribute of the tag "i" '
                         "at byte offset 13"),
    ("🏟 🏟&lt;<i    aba  =  190azAz-.,", "Unexpected end of name token at byte offset 27"),
    ("🏟 🏟&lt;<b></b></", "Unexpected end tag at byte offset 20"),
    ("🏟 🏟&lt;<i>a</em   >", 'Unmatched end tag at byte offset 17, expected "</i>", found '
                           '"</em>"'),
    ("price < 5", 'Unsupported start tag "" at byte offset 6'),
    ("<b>cut", 'Can\'t find end tag corresponding to start tag "b"'),
])
def test_html_errors_match_tdlib(html: str, error: str) -> None:
    with pytest.raises(ApiError) as info:
        parse_html(html)
    assert info.value.description == f"Bad Request: can't parse entities: {error}"


def test_html_that_telegram_accepts() -> None:
    assert parse_html("&lt;&gt;&amp;&quot;&laquo;&#128512;") == '<>&"&laquo;😀'
    assert parse_html('<b>Done</b> in <a href="https://x.y">3 s</a> '
                      '<blockquote expandable>log</blockquote>') == "Done in 3 s log"
    assert find_entities("/cmd@ab x") == []  # bot usernames are at least 3 characters


async def test_group_and_forum_messages(tg: TelegramEmulator, bot: telegram.Bot) -> None:
    bob = tg.user(2002, "Bob", "bob")
    tg.send_text(GROUP, "/help@kling_test_bot", user=bob)
    tg.send_text(GROUP, "in a topic", user=bob, thread_id=77)
    group_msg, topic_msg = [u.message for u in await bot.get_updates()]
    assert group_msg is not None and topic_msg is not None
    assert group_msg.chat.id == GROUP < 0 and group_msg.chat.type == "supergroup"
    assert group_msg.from_user is not None and group_msg.from_user.id == 2002
    assert group_msg.chat.title
    assert topic_msg.message_thread_id == 77 and topic_msg.is_topic_message
    assert topic_msg.chat.is_forum
    sent = await bot.send_message(GROUP, "answer", message_thread_id=77)
    assert sent.message_thread_id == 77 and sent.chat.id == GROUP
    basic = tg.send_text(-42, "hi", chat_type="group")
    assert basic["chat"]["type"] == "group"
    member = await bot.get_chat_member(GROUP, 2002)
    assert member.status == "creator"


async def test_send_video_is_recorded_and_probed(
    tg: TelegramEmulator, bot: telegram.Bot, tmp_path: Path
) -> None:
    tg.send_text(USER, "hi")
    clip = make_video(tmp_path / "result.mp4", seconds=2, size="320x240")
    sent = await bot.send_video(USER, clip, caption="Here you go", supports_streaming=True)
    assert sent.video is not None
    assert (sent.video.width, sent.video.height) == (320, 240)
    assert sent.video.mime_type == "video/mp4" and sent.video.file_size == clip.stat().st_size
    call = await tg.wait_for_call("sendVideo")
    assert call.response["video"]["duration"] == 2
    assert tg.uploaded_bytes(call) == clip.read_bytes()
    assert call.params["chat_id"] == USER and call.params["caption"] == "Here you go"
    # Re-sending by file_id keeps the file and its probed attributes.
    again = await bot.send_video(USER, sent.video.file_id)
    assert again.video is not None and again.video.file_id == sent.video.file_id
    assert tg.uploaded_bytes(tg.calls("sendVideo")[-1]) == clip.read_bytes()
    assert [m["message_id"] for m in tg.bot_messages(USER)] == [2, 3]
    # The bot may download its own result again.
    file = await bot.get_file(sent.video.file_id)
    assert bytes(await file.download_as_bytearray()) == clip.read_bytes()


async def test_photo_document_and_animation_sends(
    tg: TelegramEmulator, bot: telegram.Bot, tmp_path: Path
) -> None:
    tg.send_text(USER, "hi")
    jpg = make_jpeg(tmp_path / "p.jpg", size="1600x900")
    photo = await bot.send_photo(USER, jpg)
    sizes = [(p.width, p.height) for p in photo.photo]
    assert sizes == [(90, 50), (320, 180), (800, 450), (1280, 720), (1600, 900)]
    doc = await bot.send_document(USER, jpg, filename="still.jpg")
    assert doc.document is not None and doc.document.file_name == "still.jpg"
    assert doc.document.mime_type == "image/jpeg"
    gif = await bot.send_animation(USER, make_video(tmp_path / "a.mp4", 1, "160x120"))
    assert gif.animation is not None and gif.document is not None
    assert gif.animation.width == 160
    with pytest.raises(BadRequest, match="Wrong file identifier/http url specified"):
        await bot.send_video(USER, "no-such-file-id")
    with pytest.raises(BadRequest, match="Image_process_failed"):
        await bot.send_photo(USER, b"definitely not an image")


async def test_replies_carry_the_stored_message(tg: TelegramEmulator, bot: telegram.Bot) -> None:
    asked = tg.send_text(USER, "make a video")
    sent = await bot.send_message(USER, "On it", reply_parameters=ReplyParameters(
        asked["message_id"]))
    assert sent.reply_to_message is not None
    assert sent.reply_to_message.text == "make a video"
    legacy = await bot.send_message(USER, "legacy", reply_to_message_id=asked["message_id"])
    assert legacy.reply_to_message is not None
    answer = tg.send_text(USER, "slower please", reply_to=sent.message_id)
    assert answer["reply_to_message"]["from"]["id"] == tg.bot_user["id"]
    assert answer["reply_to_message"]["text"] == "On it"
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(USER, "x", reply_to_message_id=999)


async def test_user_media_updates(tg: TelegramEmulator, bot: telegram.Bot, tmp_path: Path) -> None:
    clip = make_video(tmp_path / "in.mp4", seconds=1, size="240x240")
    jpg = make_jpeg(tmp_path / "in.jpg", size="640x480")
    tg.send_video(USER, clip, caption="/edit slower")
    tg.send_video(USER, clip, kind="video_note")
    tg.send_document(USER, clip, mime_type="video/mp4", file_name="raw.mp4")
    album = tg.send_album(USER, [jpg, clip], caption="both")
    msgs = [u.message for u in await bot.get_updates()]
    assert all(m is not None for m in msgs)
    video, note, doc, a1, a2 = msgs
    assert video.video.width == 240 and video.caption_entities[0].type == "bot_command"
    assert note.video_note.length == 240
    assert doc.document.file_name == "raw.mp4" and doc.document.mime_type == "video/mp4"
    assert a1.photo[-1].width == 640 and a2.video is not None
    assert a1.media_group_id == a2.media_group_id == album[0]["media_group_id"]
    assert a1.caption == "both" and a2.caption is None


async def test_get_file_and_download(tg: TelegramEmulator, bot: telegram.Bot, tmp_path: Path) -> None:
    payload = b"\x00fake-but-real-bytes" * 1000
    seeded = tg.seed_file(payload, mime_type="video/mp4", file_name="clip.mp4")
    file = await bot.get_file(seeded["file_id"])
    assert file.file_size == len(payload) and file.file_path
    assert bytes(await file.download_as_bytearray()) == payload
    on_disk = await file.download_to_drive(tmp_path / "x.mp4")
    assert on_disk.read_bytes() == payload
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("nope")
    async with httpx.AsyncClient() as client:
        wrong = await client.get(f"{tg.url}/file/bot1:wrong/{file.file_path}")
        missing = await client.get(f"{tg.url}/file/bot{tg.token}/videos/none.mp4")
    assert (wrong.status_code, missing.status_code) == (401, 404)


async def test_get_file_refuses_over_20_mb(tg: TelegramEmulator, bot: telegram.Bot) -> None:
    big = tg.seed_file(b"\x00" * (21 * 1024 * 1024), mime_type="video/mp4")
    with pytest.raises(BadRequest, match="File is too big"):
        await bot.get_file(big["file_id"])


async def test_local_mode_has_no_limit_and_gives_paths() -> None:
    with TelegramEmulator(local_mode=True) as fake:
        big = fake.seed_file(b"\x01" * (21 * 1024 * 1024), mime_type="video/mp4")
        async with make_bot(fake) as local_bot:
            file = await local_bot.get_file(big["file_id"])
        assert file.file_path is not None and Path(file.file_path).is_absolute()
        assert _size_on_disk(file.file_path) == big["file_size"]


async def test_wrong_token_and_unknown_method(tg: TelegramEmulator) -> None:
    async with httpx.AsyncClient() as client:
        resp = await client.post(f"{tg.url}/bot{tg.token}/noSuchMethod")
        assert resp.status_code == 404 and resp.json()["description"] == "Not Found"
        resp = await client.get(f"{tg.url}/bot{tg.token}/GETME")
        assert resp.json()["ok"] is True
    with pytest.raises(InvalidToken):
        await make_bot(tg, "999:WRONG-token").get_me()
    assert tg.calls("getMe")[-1].status == 401


async def test_unknown_chat_and_blocked_user(tg: TelegramEmulator, bot: telegram.Bot) -> None:
    with pytest.raises(BadRequest) as info:
        await bot.send_message(555, "hello?")
    assert info.value.message == "Chat not found"
    tg.send_text(USER, "hi")
    tg.block(USER)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(USER, "ping")
    tg.send_text(USER, "back")  # writing to the bot again unblocks it
    await bot.send_message(USER, "welcome back")
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(USER, "  ")


async def test_edits_and_deletes(tg: TelegramEmulator, bot: telegram.Bot) -> None:
    tg.send_text(USER, "hi")
    sent = await bot.send_message(USER, "Rendering… 10%")
    edited = await bot.edit_message_text("Rendering… 50%", USER, sent.message_id)
    assert isinstance(edited, telegram.Message) and edited.edit_date is not None
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("Rendering… 50%", USER, sent.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", USER, 12345)
    with pytest.raises(BadRequest, match="Can't parse entities: unsupported start tag"):
        await bot.send_message(USER, "a <br> b", parse_mode="HTML")
    assert tg.bot_messages(USER)[0]["text"] == "Rendering… 50%"
    assert await bot.delete_message(USER, sent.message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(USER, sent.message_id)
    assert tg.bot_messages(USER) == []
    assert len(tg.bot_messages(USER, include_deleted=True)) == 1


async def test_edit_message_media_puts_a_clip_into_a_text_message(
    tg: TelegramEmulator, bot: telegram.Bot, tmp_path: Path
) -> None:
    """The bot's delivery: a status text becomes the clip by editMessageMedia (a multipart
    upload with attach://), which a repeat cannot turn into a second message."""
    tg.send_text(USER, "hi")
    clip = make_video(tmp_path / "result.mp4", seconds=2, size="320x240")
    status = await bot.send_message(USER, "Rendering… 50%")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Undo", callback_data="u:1")]])
    with clip.open("rb") as handle:
        upload = InputFile(handle, filename="result.mp4", attach=True, read_file_handle=False)
        edited = await bot.edit_message_media(
            InputMediaVideo(upload, caption="<b>v2</b>", parse_mode="HTML"), USER,
            status.message_id, reply_markup=keyboard)
    assert isinstance(edited, telegram.Message) and edited.video is not None
    # The fake keeps the markup a bot text was sent with (see World.parse_modes).
    assert edited.text is None and edited.caption == "<b>v2</b>" and edited.edit_date is not None
    call = await tg.wait_for_call("editMessageMedia")
    assert tg.uploaded_bytes(call, "media") == clip.read_bytes()
    now = tg.message(USER, status.message_id)
    assert now is not None and "text" not in now and now["caption"] == "<b>v2</b>"
    assert now["reply_markup"]["inline_keyboard"][0][0]["text"] == "Undo"
    # The same file again, by id, with the same caption and keyboard: nothing to change.
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_media(
            InputMediaVideo(edited.video.file_id, caption="<b>v2</b>", parse_mode="HTML"),
            USER, status.message_id, reply_markup=keyboard)
    assert len(tg.bot_messages(USER)) == 1  # still one message, carrying one clip
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_media(InputMediaVideo(edited.video.file_id), USER, 9999)
    with pytest.raises(BadRequest, match="There is no text in the message to edit"):
        await bot.edit_message_text("late progress", USER, status.message_id)
    tg.block(USER)
    with pytest.raises(Forbidden, match="blocked"):
        await bot.edit_message_media(InputMediaVideo(edited.video.file_id), USER,
                                     status.message_id)


async def test_callback_query(tg: TelegramEmulator, bot: telegram.Bot) -> None:
    tg.send_text(USER, "hi")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Approve", callback_data="ok:1")]])
    sent = await bot.send_message(USER, "Proceed?", reply_markup=keyboard)
    query_id = tg.press_button(USER, sent.message_id, "ok:1")
    (_, update) = await bot.get_updates()
    query = update.callback_query
    assert query is not None and query.id == query_id and query.data == "ok:1"
    assert query.message is not None and query.message.message_id == sent.message_id
    assert query.from_user.id == USER and query.chat_instance
    assert await bot.answer_callback_query(query_id, text="Done")
    assert tg.callback_answer(query_id) == {"callback_query_id": query_id, "text": "Done"}
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query_id)
    # Editing without reply_markup drops the keyboard, so the button is gone.
    await bot.edit_message_text("Approved", USER, sent.message_id)
    with pytest.raises(ValueError, match="no button"):
        tg.press_button(USER, sent.message_id, "ok:1")
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(USER, "x", reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("long", callback_data="x" * 65)]]))


async def test_flood_control_and_conflicts(tg: TelegramEmulator, bot: telegram.Bot) -> None:
    tg.send_text(USER, "hi")
    tg.set_flood("sendMessage", times=1, retry_after=3)
    with pytest.raises(RetryAfter):
        await bot.send_message(USER, "spam")
    flooded = tg.calls("sendMessage")[-1]
    assert flooded.status == 429 and flooded.response["parameters"] == {"retry_after": 3}
    await bot.send_message(USER, "fine now")
    with pytest.raises(NetworkError):  # PTB's mapping for 413
        await bot.send_document(USER, b"\x00" * (50 * 1024 * 1024 + 1), filename="huge.bin")
    await bot.set_webhook("https://example.com/hook")
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    assert (await bot.get_webhook_info()).pending_update_count == 1
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()


async def test_commands_chat_and_actions(tg: TelegramEmulator, bot: telegram.Bot) -> None:
    await bot.set_my_commands([("start", "Start"), ("edit", "Edit a video")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "edit"]
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    tg.send_text(USER, "hi")
    assert await bot.send_chat_action(USER, "upload_video")
    chat = await bot.get_chat(USER)
    assert chat.type == "private" and chat.username == "ada"
    with pytest.raises(BadRequest, match="no administrators in the private chat"):
        await bot.get_chat_administrators(USER)


async def test_control_http_api(tg: TelegramEmulator, bot: telegram.Bot, tmp_path: Path) -> None:
    clip = make_video(tmp_path / "up.mp4", seconds=1, size="160x120")
    async with httpx.AsyncClient(base_url=tg.url) as client:
        r = await client.post("/control/text", json={"chat_id": USER, "text": "/start"})
        assert r.json()["result"]["entities"][0]["type"] == "bot_command"
        r = await client.post("/control/video", data={"chat_id": str(USER), "caption": "c"},
                              files={"file": ("up.mp4", clip.read_bytes(), "video/mp4")})
        assert r.json()["result"]["video"]["width"] == 160
        await bot.send_message(USER, "ok")
        r = await client.get("/control/calls", params={"method": "sendMessage"})
        assert [c["params"]["text"] for c in r.json()["result"]] == ["ok"]
        r = await client.get("/control/messages", params={"chat_id": USER})
        assert r.json()["result"][0]["text"] == "ok"


async def test_ptb_application_polls_the_fake(tg: TelegramEmulator) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"hello {context.args}")

    app = (Application.builder().token(tg.token).base_url(f"{tg.url}/bot")
           .base_file_url(f"{tg.url}/file/bot").build())
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        marker = len(tg.calls())
        tg.send_text(USER, "/start now")
        call = await tg.wait_for_call("sendMessage", after=marker, timeout=5)
        assert call.params["text"] == "hello ['now']"
        await app.updater.stop()
        await app.stop()
    with pytest.raises(TimeoutError, match="calls since"):
        await tg.wait_for_call("sendVideo", timeout=0.1)


class _Hook(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str | None, dict[str, Any]]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        self.received.append((self.headers.get("X-Telegram-Bot-Api-Secret-Token"),
                              json.loads(body)))
        self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


async def test_webhook_delivery_and_https_rule() -> None:
    receiver = HTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    hook_url = f"http://127.0.0.1:{receiver.server_port}/telegram"
    try:
        with TelegramEmulator() as strict:
            async with make_bot(strict) as b:
                with pytest.raises(BadRequest, match="an https url must be provided"):
                    await b.set_webhook(hook_url)
        with TelegramEmulator(allow_http_webhook=True) as fake:
            async with make_bot(fake) as b:
                await b.set_webhook(hook_url, secret_token="s3cret")
                fake.send_text(USER, "via webhook")
                for _ in range(100):
                    if _Hook.received:
                        break
                    await asyncio.sleep(0.02)
                assert (await b.get_webhook_info()).pending_update_count == 0
        secret, update = _Hook.received[0]
        assert secret == "s3cret" and update["message"]["text"] == "via webhook"
    finally:
        receiver.shutdown()


async def test_privacy_mode_and_media_groups(tmp_path: Path) -> None:
    jpg = make_jpeg(tmp_path / "a.jpg", size="320x240")
    with TelegramEmulator(privacy_mode=True) as fake:
        async with make_bot(fake) as b:
            assert not (await b.get_me()).can_read_all_group_messages
            for text in ("chatter", "/cmd", "hey @kling_test_bot", "/cmd@other_bot"):
                fake.send_text(GROUP, text)
            seen = [u.message.text for u in await b.get_updates() if u.message]
            assert seen == ["/cmd", "hey @kling_test_bot"]
            sent = await b.send_media_group(GROUP, [
                InputMediaPhoto(jpg.read_bytes(), caption="first"),
                InputMediaPhoto(jpg.read_bytes())])
            assert len({m.media_group_id for m in sent}) == 1
            assert [m.caption for m in sent] == ["first", None]
            assert len(fake.calls("sendMediaGroup")[0].files) == 2
