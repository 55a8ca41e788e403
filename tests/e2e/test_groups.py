"""Groups: several people edit together; mentions, privacy mode, forum topics, flood control."""

from __future__ import annotations

from pathlib import Path

from bot.sandbox.telegram_api import TelegramEmulator
from tests.e2e.harness import deliveries, running_bot

GROUP = -1009876


async def test_two_people_edit_together_with_privacy_mode(tmp_path: Path, clip: Path) -> None:
    with TelegramEmulator(privacy_mode=True) as tg:
        tg.chat(GROUP, chat_type="supergroup", title="Crew")
        ada, bob = tg.user(1001, "Ada", "ada"), tg.user(1002, "Bob", "bob")
        async with running_bot(tmp_path, tg=tg) as h:
            mark = h.mark()
            upload = tg.send_video(GROUP, clip, user=ada, caption="@kling_test_bot remove the car")
            delivered = await h.delivery(upload, timeout=30)
            assert "v2" in delivered.params["caption"]
            assert "@kling_test_bot" not in next(iter(h.em.jobs.values())).args["prompt"]

            # Bob replies to the bot's clip without mentioning it: privacy mode still delivers
            # replies to the bot, and the edit continues from that clip.
            reply = tg.send_text(GROUP, "make it rainy", user=bob,
                                 reply_to=delivered.response["message_id"])
            second = await h.delivery(reply, timeout=30)
            assert "v3" in second.params["caption"]

            # Chatter that is not addressed to the bot never reaches it, and costs nothing.
            before = len(h.em.jobs)
            mark = h.mark()
            tg.send_text(GROUP, "remove the car lol", user=bob)
            tg.send_text(GROUP, "/history@kling_test_bot", user=ada)
            history = await h.answer(mark, chat_id=GROUP)
            assert "v3" in history.params["text"]
            assert len(h.em.jobs) == before


async def test_forum_topics_keep_separate_sessions(tmp_path: Path, clip: Path) -> None:
    with TelegramEmulator() as tg:
        tg.chat(GROUP, chat_type="supergroup", title="Studio", is_forum=True)
        ada = tg.user(1001, "Ada", "ada")
        async with running_bot(tmp_path, tg=tg) as h:
            mark = h.mark()
            tg.send_video(GROUP, clip, user=ada, thread_id=7)
            await h.answer(mark, chat_id=GROUP)
            mark = h.mark()
            tg.send_text(GROUP, "remove the car", user=ada, thread_id=8)
            other_topic = await h.answer(mark, chat_id=GROUP)
            assert "or a photo first" in other_topic.params["text"]
            assert other_topic.params.get("message_thread_id") == 8
            instruction = tg.send_text(GROUP, "remove the car", user=ada, thread_id=7)
            delivered = await h.delivery(instruction, timeout=30)
            assert delivered.response.get("message_thread_id") == 7


async def test_flood_control_is_waited_out(tmp_path: Path, clip: Path) -> None:
    with TelegramEmulator() as tg:
        async with running_bot(tmp_path, tg=tg) as h:
            mark = h.mark()
            tg.send_video(h.chat_id, clip)
            await h.answer(mark)
            tg.set_flood("editMessageMedia", 1, retry_after=1)
            instruction = tg.send_text(h.chat_id, "remove the car")
            delivered = await h.delivery(instruction, timeout=30)
            assert delivered.ok
            refused = [c for c in tg.calls("editMessageMedia") if not c.ok]
            assert refused and refused[0].status == 429
            assert len(deliveries(tg)) == 1
