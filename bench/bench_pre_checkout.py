"""Pre-checkout answer time while 200 instructions are queued (PAYMENTS=stars).

    python -m bench.bench_pre_checkout [--queries N] [--out PATH]

The real bot in a child process (`bench/botproc.py`, concurrent_updates(64), the rate limiter
as shipped: 30 requests/s overall) against the fake Bot API and the ShortAPI emulator (jobs
stay queued there for ever, so nothing renders). 20 private chats each buy credits and send a
clip; then 200 instructions arrive at once (10 per chat), and while the bot works through
them (each a real job: credits held, a status message, a create), pre-checkout queries come in
one every 0.3 s. Measured in the driver: from a query being injected to the bot's
answerPreCheckoutQuery reaching the fake (Telegram cancels the payment after 10 s); beside
it, how many of the 200 instructions still had no status message at that moment, so the
figure is read against a real backlog. The fake's own ceiling is printed beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from typing import Any

from bench.phases import FOREVER, fakes_ceiling
from bench.rig import (
    BotOptions,
    BotProcess,
    Fakes,
    make_media,
    rmtree,
    scratch,
    summary_ms,
    wait_until,
)
from bot.emulator.state import EmulatorConfig

CHATS = 20
PER_CHAT = 10  # 200 instructions in all
TARGET_MS = 10_000.0  # Telegram's limit for the answer
ENV = {"PAYMENTS": "stars", "STARS_PER_USD": "100", "CREDIT_PACKS": "100,500,2000",
       "CONFIRM_ABOVE_USD": "1000"}


def _status_times(tg: Any, fragment: str = "Price:") -> list[float]:
    """When each message saying `fragment` reached the fake (by default a job's status
    message: it carries the price)."""
    return sorted(c.time for c in tg.calls("sendMessage")
                  if c.ok and fragment in str(c.params.get("text", "")))


async def run(clip: Path, queries: int) -> dict[str, Any]:
    work = scratch("pre-checkout")
    fakes = Fakes(EmulatorConfig(queued_seconds=FOREVER, work_dir=work / "emulator"))
    await fakes.start()
    bot = BotProcess(fakes, work / "bot", BotOptions(extra_env=ENV))
    try:
        await bot.start()
        tg = fakes.tg
        chats = [800_000 + i for i in range(CHATS)]
        for n, chat in enumerate(chats):
            tg.successful_payment(chat, payload="credits:2000", total=2000, charge_id=f"b{n}")
            tg.send_video(chat, clip)
        if not await wait_until(lambda: len(_status_times(tg, "Got your video")) >= CHATS,
                                60, 0.2):
            raise RuntimeError("the clips were not all taken\n" + bot.tail())
        t0 = time.monotonic()
        for _ in range(PER_CHAT):
            for chat in chats:
                tg.send_text(chat, "remove the car")
        sent_at: dict[str, float] = {}
        for i in range(queries):
            user = tg.user(900_000 + i, f"Payer{i}", f"payer{i}")
            sent_at[tg.pre_checkout(user, payload="credits:500", total=500)] = time.monotonic()
            await asyncio.sleep(0.3)
        await wait_until(lambda: len(tg.calls("answerPreCheckoutQuery")) >= queries, 30, 0.1)
        if not await wait_until(lambda: len(_status_times(tg)) >= CHATS * PER_CHAT, 180, 0.5):
            raise RuntimeError(f"only {len(_status_times(tg))} status messages\n" + bot.tail())
        statuses = _status_times(tg)
        answers = {str(c.params["pre_checkout_query_id"]): c
                   for c in tg.calls("answerPreCheckoutQuery")}
        waits, backlog = [], []
        for qid, at in sent_at.items():
            call = answers[qid]
            waits.append(call.time - at)
            backlog.append(CHATS * PER_CHAT - sum(t <= call.time for t in statuses))
        return {
            "instructions": CHATS * PER_CHAT, "queries": queries,
            "answer": summary_ms(waits),
            "all_ok": all(a.ok and a.params.get("ok") in (True, "true") for a in answers.values()),
            "instructions_without_status_at_answer": backlog,
            "last_status_after_ms": round(1000 * (statuses[-1] - t0)),
            "target_ms": TARGET_MS,
            "bot": "child process, concurrent_updates(64), TELEGRAM_MAX_RATE=30 (as shipped)",
        }
    finally:
        await bot.stop()
        await fakes.stop()
        rmtree(work)


async def main(queries: int) -> dict[str, Any]:
    media = make_media(scratch("pre-checkout-media"))
    return {"fakes_ceiling": await fakes_ceiling(2),
            "pre_checkout": await run(media["clip"], queries)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=10)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result = asyncio.run(main(args.queries))
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
