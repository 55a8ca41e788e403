"""/settings changes a chat's defaults with buttons; the defaults shape the next job."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.harness import running_bot


async def test_settings_buttons_change_the_defaults(tmp_path: Path, clip: Path) -> None:
    async with running_bot(tmp_path) as h:
        tg = h.tg
        assert any(c["command"] == "settings" for c in tg.calls("setMyCommands")[-1].params["commands"])
        mark = h.mark()
        tg.send_text(h.chat_id, "/settings")
        shown = await h.answer(mark)
        assert "Quality: pro" in shown.params["text"]
        rows = shown.params["reply_markup"]["inline_keyboard"]
        assert rows[0][1]["text"].startswith("✓")  # pro is the default
        mark = h.mark()
        tg.press_button(h.chat_id, shown.response["message_id"], "set:mode:std")
        edited = await tg.wait_for_call("editMessageText", after=mark)
        assert "Quality: standard" in edited.params["text"]
        mark = h.mark()
        tg.press_button(h.chat_id, shown.response["message_id"], "set:ratio:9:16")
        await tg.wait_for_call("editMessageText", lambda c: "9:16" in c.params["text"], after=mark)

        mark = h.mark()
        tg.send_video(h.chat_id, clip)
        await h.answer(mark)
        instruction = tg.send_text(h.chat_id, "next shot: the car drives into a tunnel")
        status = await h.reply_to(instruction)
        assert "standard" in status.params["text"]
        await h.delivery(instruction, timeout=30)
        job = next(iter(h.em.jobs.values()))
        assert job.args["mode"] == "std" and job.args["aspect_ratio"] == "9:16"
        # Said explicitly, the message wins over the default.
        instruction = tg.send_text(h.chat_id, "make it rainy, pro")
        await h.delivery(instruction, timeout=30)
        assert list(h.em.jobs.values())[-1].args["mode"] == "pro"


async def test_only_group_admins_change_group_defaults(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as h:
        tg = h.tg
        group = -100777
        tg.chat(group, chat_type="supergroup", title="crew")
        bob = tg.user(1002, "Bob", "bob")
        mark = h.mark()
        tg.send_text(group, "hi all", user=tg.user(1001, "Ada", "ada"))  # the group's creator
        tg.send_text(group, "/settings", user=bob)
        shown = await h.answer(mark, chat_id=group)
        assert "Settings for this chat" in shown.params["text"]  # "hi all" got no answer: chit-chat in groups
        mark = h.mark()
        tg.press_button(group, shown.response["message_id"], "set:mode:std", user=bob)
        answer = await tg.wait_for_call("answerCallbackQuery", after=mark)
        assert "Only this chat's admins" in answer.params["text"]
        assert not tg.calls("editMessageText")
