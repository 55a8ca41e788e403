"""Messages about the chat rather than the clip: dry runs, forgetting the photos, steps back.

A dry run (`/explain <text>`, "what would <text> cost?") plans the text with the same parser as
`python -m bot explain` and spends nothing. "Forget the photos" and `/clear` drop the held
photos. "go back two versions" steps back that many versions at once.
"""

from __future__ import annotations

from telegram import Message, Update

from bot import texts
from bot.domain.models import Intent
from bot.domain.planner import offer
from bot.domain.planner import plan as make_plan
from bot.engine.versions import Target
from bot.telegram.context import BotContext
from bot.telegram.media_files import thread_of


def in_group(message: Message) -> bool:
    return message.chat.type in ("group", "supergroup")


async def dry_run(message: Message, instruction: str, target: Target,
                  language: str | None) -> None:
    """What the bot would send for `instruction`, and the price; nothing is recorded."""
    plan = make_plan(instruction, target.context, language)
    asked = False
    if plan.intent is Intent.NONE:
        offered = offer(instruction, target.context, language)
        if offered is not None:
            plan, asked = offered, True
    await message.reply_html(texts.dry_run(instruction, plan, asked))


async def forget_photos(message: Message, context: BotContext) -> None:
    dropped = await context.engine.library.forget_photos(message.chat_id, thread_of(message))
    await message.reply_html(texts.photos_forgotten(dropped))


async def go_back(message: Message, context: BotContext, steps: int) -> None:
    """"go back two versions": that many steps at once, or none."""
    media = await context.engine.versions.undo(message.chat_id, thread_of(message), steps)
    await message.reply_html(
        texts.went_back(media, steps) if media is not None else texts.cannot_go_back(steps)
    )


async def explain_command(update: Update, context: BotContext) -> None:
    """/explain <text>: a dry run of <text> in this chat."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None
    parts = message.text.split(maxsplit=1)
    instruction = parts[1].strip() if len(parts) > 1 else ""
    if not instruction:
        await message.reply_html(texts.EXPLAIN_USAGE)
        return
    target = await context.engine.versions.resolve(
        message.chat_id, thread_of(message), group=in_group(message)
    )
    await dry_run(message, instruction, target, user.language_code if user else None)


async def clear_command(update: Update, context: BotContext) -> None:
    """/clear: forget the held photos."""
    assert update.effective_message is not None
    await forget_photos(update.effective_message, context)
