"""The bot speaks the user's language: Telegram's language_code picks it, /settings changes it
(the person's in a private chat, the admins' choice in a group), and each language has its
command menus."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.harness import running_bot


async def test_a_russian_user_gets_russian_and_a_russian_menu(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as h:
        tg = h.tg
        ivan = tg.user(5005, "Иван", "ivan", language_code="ru")
        mark = h.mark()
        tg.send_text(5005, "/start", user=ivan)
        hello = await h.answer(mark, chat_id=5005)
        assert hello.params["text"].startswith("Привет! Я редактирую видео")
        assert "<i>убери машину</i>" in hello.params["text"]  # the HTML survived

        russian = {c["command"]: c["description"] for c in tg.commands(language_code="ru")}
        assert russian["undo"] == "Вернуться к предыдущей версии"
        assert russian.keys() == {c["command"] for c in tg.commands()}  # same menu, other words
        groups = tg.commands({"type": "all_group_chats"}, language_code="ru")
        assert {c["description"] for c in groups} >= {"Что я умею, с примерами"}
        admins = tg.commands({"type": "all_chat_administrators"}, language_code="de")
        assert any(c["command"] == "settings" and "Sprache" in c["description"] for c in admins)
        assert dict((c["command"], c["description"]) for c in tg.commands())["undo"] == (
            "Go back to the previous version")  # the default stays English

        mark = h.mark()
        tg.send_text(5005, "/nonsense", user=ivan)
        unknown = await h.answer(mark, chat_id=5005)
        assert unknown.params["text"] == "Я не знаю команду /nonsense. /help покажет, что я умею."


async def test_settings_change_the_language_of_answers_and_of_job_messages(
    tmp_path: Path, clip: Path
) -> None:
    async with running_bot(tmp_path) as h:
        tg = h.tg
        mark = h.mark()
        tg.send_text(h.chat_id, "/settings")
        shown = await h.answer(mark)
        assert "Language: English" in shown.params["text"]
        rows = shown.params["reply_markup"]["inline_keyboard"]
        assert rows[-2][0]["text"] == "✓ English"  # the language rows come last
        mark = h.mark()
        tg.press_button(h.chat_id, shown.response["message_id"], "set:lang:de")
        answered = await tg.wait_for_call("answerCallbackQuery", after=mark)
        assert answered.params["text"] == "Gespeichert."
        edited = await tg.wait_for_call("editMessageText", after=mark)
        assert "Sprache: Deutsch" in edited.params["text"]
        assert any(b["text"] == "✓ Deutsch" for row in edited.params["reply_markup"][
            "inline_keyboard"] for b in row)

        mark = h.mark()
        tg.send_text(h.chat_id, "/start")  # the user's Telegram still says "en"
        assert (await h.answer(mark)).params["text"].startswith("Hallo!")

        # The engine's own messages, sent outside any update, speak it too.
        mark = h.mark()
        tg.send_video(h.chat_id, clip)
        assert (await h.answer(mark)).params["text"].startswith("Video erhalten")
        instruction = tg.send_text(h.chat_id, "make it rainy")
        status = await h.reply_to(instruction)
        assert "Geschätzte Kosten" in status.params["text"]
        await h.delivery(instruction)
        done = await tg.wait_for_call(
            "sendMessage", lambda c: "Fertig" in c.params["text"], after=mark)
        assert done.params["text"].startswith("✅ Fertig: Version 2")


async def test_a_groups_admins_choose_its_language(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as h:
        tg = h.tg
        group = -100888
        tg.chat(group, chat_type="supergroup", title="equipo")
        ada = tg.user(1001, "Ada", "ada")
        bob = tg.user(1002, "Bob", "bob", language_code="pt-br")
        mark = h.mark()
        tg.send_text(group, "hola", user=ada)  # the first to write created the group
        tg.send_text(group, "/settings", user=bob)
        shown = await h.answer(mark, chat_id=group)
        assert "Idioma: Português" in shown.params["text"]  # Bob's own language, for now
        mark = h.mark()
        tg.press_button(group, shown.response["message_id"], "set:lang:es", user=bob)
        refused = await tg.wait_for_call("answerCallbackQuery", after=mark)
        assert refused.params["text"] == "Só os admins deste chat podem mudar as configurações dele."
        mark = h.mark()
        tg.send_text(group, "/settings", user=ada)
        shown = await h.answer(mark, chat_id=group)
        tg.press_button(group, shown.response["message_id"], "set:lang:es", user=ada)
        await tg.wait_for_call("editMessageText", after=mark)

        mark = h.mark()
        tg.send_text(group, "/undo", user=bob)  # the group's choice, not Bob's
        answer = await h.answer(mark, chat_id=group)
        assert answer.params["text"] == "No hay ninguna versión anterior a la que volver."
