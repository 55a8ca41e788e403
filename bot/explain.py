"""`python -m bot explain`: what the bot would do with a message, as JSON, without spending.

    explain [--video SECONDS] [--photos N] [--group] [--jsonl] TEXT

prints one object:
`{"intent": ..., "model": ..., "args": {...}, "estimated_cost_usd": 0.86, "error": null}`,
the same plan the bot makes (one code path: `bot.domain.planner.plan`). The cost is rounded to
cents, half up; null when there is no job or the plan has an error. A Kling instruction on a
video outside 3-10 s keeps its error (`video_too_long`, `video_too_short`) and gains
`"fit": ["first", "last", "liveliest"]` (or `["loop", "slow"]`): what the bot offers instead.

`--jsonl` reads one case a line from stdin, `{"text": ..., "video_seconds": 6.2, "photos": 2,
"group": false}` (missing or null keys: no video, no photos, private chat; an optional
`"defaults": {"mode": "std", "aspect_ratio": "9:16", "sound": true}` sets the chat's
defaults; an optional `"language": "ru"`, Telegram's language code, says how the sender
writes), and writes one result a line, in the same order.

A message that might be an instruction but shows no evidence of one is never a job: it is
`"intent": "none"` with `"ask": true` and, under `"offer"`, the job the bot would offer to run
if the user says yes.

A line that is not such a case (not JSON, not an object, text not a string, a negative or
non-finite length, ...) still gets its line, so outputs stay aligned with inputs: the contract
has no error code for bad input, so it is answered as an empty message would be,
`{"intent": "none", "model": null, "args": {}, "estimated_cost_usd": null, "error":
{"code": "empty_prompt", "message": "line 3 is not a valid case: ..."}}`. The exit code stays 0;
2 is for bad command-line arguments.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from bot.domain.fitting import offers_for
from bot.domain.intent import JOB_INTENTS, parse
from bot.domain.models import (
    AspectRatio,
    ChatContext,
    ChatDefaults,
    ErrorCode,
    Intent,
    Mode,
    Plan,
)
from bot.domain.planner import FORCE, offer, plan
from bot.domain.pricing import cents
from bot.texts.plans import plan_error


class InvalidCase(ValueError):
    """A --jsonl line that is not a case."""


def to_json(result: Plan) -> dict[str, Any]:
    cost = result.estimated_cost_usd
    out: dict[str, Any] = {
        "intent": result.intent.value,
        "model": result.model,
        "args": result.args,
        "estimated_cost_usd": None if cost is None or result.error else float(cents(cost)),
        "error": None
        if result.error is None
        else {"code": result.error.code.value, "message": plan_error(result.error)},
    }
    # A clip outside Kling's 3-10 s window keeps its error and gains what the bot offers.
    fit = offers_for(result)
    if fit:
        out["fit"] = fit
    return out


def explain_json(text: str, ctx: ChatContext, language: str | None = None) -> dict[str, Any]:
    """The contract object for `text` in a chat like `ctx`, from a sender speaking `language`.

    A possible instruction is `"intent": "none"` with `"ask": true` and the job it would offer
    under `"offer"`: a guess is never reported as a paid intent.
    """
    if language is None:
        result = plan(text, ctx)
        if result.intent is not Intent.NONE:
            return to_json(result)
    request = parse(text, ctx) if language is None else parse(text, ctx, language)
    if request.offer is not None:
        offered = offer(text, ctx, language)
        assert offered is not None
        return {**to_json(Plan(intent=Intent.NONE)), "ask": True, "offer": to_json(offered)}
    if request.intent not in JOB_INTENTS:
        return to_json(Plan(intent=request.intent))
    if parse(text, ctx).intent is request.intent:
        return to_json(plan(text, ctx))
    # Read as a job only with the sender's language: plan that job kind.
    return to_json(plan(f"{FORCE[request.intent]} {text}", ctx))


def _invalid(line_number: int, reason: str) -> dict[str, Any]:
    return {
        "intent": "none",
        "model": None,
        "args": {},
        "estimated_cost_usd": None,
        "error": {
            "code": ErrorCode.EMPTY_PROMPT.value,
            "message": f"line {line_number} is not a valid case: {reason}",
        },
    }


def _defaults(raw: object) -> ChatDefaults:
    if raw is None:
        return ChatDefaults()
    if not isinstance(raw, dict):
        raise InvalidCase("defaults must be an object")
    try:
        sound = raw.get("sound", False)
        if not isinstance(sound, bool):
            raise InvalidCase("defaults.sound must be true or false")
        return ChatDefaults(
            mode=Mode(raw.get("mode", Mode.PRO.value)),
            aspect_ratio=AspectRatio(raw.get("aspect_ratio", AspectRatio.LANDSCAPE.value)),
            sound=sound,
        )
    except ValueError as exc:
        raise InvalidCase(f"bad defaults: {exc}") from exc


def case(raw: object) -> tuple[str, ChatContext, str | None]:
    """A --jsonl case as (text, context, language); InvalidCase when it is not one."""
    if not isinstance(raw, dict):
        raise InvalidCase("expected a JSON object")
    text = raw.get("text")
    if not isinstance(text, str):
        raise InvalidCase('"text" must be a string')
    seconds = raw.get("video_seconds")
    if seconds is not None and (
        isinstance(seconds, bool)
        or not isinstance(seconds, int | float)
        or not math.isfinite(seconds)
        or seconds <= 0
    ):
        raise InvalidCase('"video_seconds" must be a positive number or null')
    photos = raw.get("photos")
    if photos is None:
        photos = 0
    if isinstance(photos, bool) or not isinstance(photos, int) or photos < 0:
        raise InvalidCase('"photos" must be a whole number, 0 or more')
    group = raw.get("group")
    if group is None:
        group = False
    if not isinstance(group, bool):
        raise InvalidCase('"group" must be true or false')
    language = raw.get("language")
    if language is not None and not isinstance(language, str):
        raise InvalidCase('"language" must be a language code such as "ru"')
    video = None if seconds is None else float(seconds)
    ctx = ChatContext(video, photos, group, _defaults(raw.get("defaults")))
    return text, ctx, language


def run_jsonl(source: Iterable[str | bytes], sink: TextIO) -> int:
    """Explain every line of `source` into `sink`; returns how many lines were read."""
    count = 0
    out: list[str] = []
    for count, line in enumerate(source, start=1):
        try:
            text, ctx, language = case(json.loads(line))
        except (InvalidCase, ValueError, RecursionError) as exc:  # JSON and UTF-8 errors too
            result = _invalid(count, str(exc) or type(exc).__name__)
        else:
            result = explain_json(text, ctx, language)
        out.append(json.dumps(result, ensure_ascii=False))
        if len(out) >= 1024:  # write in batches: a write per line would be most of the time
            sink.write("\n".join(out) + "\n")
            out.clear()
    if out:
        sink.write("\n".join(out) + "\n")
    sink.flush()
    return count


def _utf8(stream: TextIO) -> None:
    """Non-ASCII text is printed as is, whatever the locale says."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(encoding="utf-8")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot explain",
        description="Print, as JSON, what the bot would do with TEXT, without spending.",
    )
    parser.add_argument("--video", type=float, metavar="SECONDS", help="the chat holds a video")
    parser.add_argument(
        "--photos", type=int, default=0, metavar="N", help="the chat holds N photos"
    )
    parser.add_argument("--group", action="store_true", help="a group chat (default: private)")
    parser.add_argument("--jsonl", action="store_true", help="read cases from stdin, one a line")
    parser.add_argument("text", nargs="*", metavar="TEXT", help="the message (words are joined)")
    return parser


def main(argv: list[str]) -> int:
    """`explain` with its arguments (without the word 'explain'); returns the exit code."""
    parser = _parser()
    try:
        options = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help and on errors; report, do not exit
        return exc.code if isinstance(exc.code, int) else 2
    _utf8(sys.stdout)
    if options.jsonl:
        buffer = getattr(sys.stdin, "buffer", None)  # bytes: a bad UTF-8 line spoils one line only
        run_jsonl(buffer if buffer is not None else sys.stdin, sys.stdout)
        return 0
    video = options.video
    if video is not None and (not math.isfinite(video) or video <= 0):
        parser.print_usage(sys.stderr)
        print("explain: --video must be a positive number of seconds", file=sys.stderr)
        return 2
    if options.photos < 0:
        parser.print_usage(sys.stderr)
        print("explain: --photos must be 0 or more", file=sys.stderr)
        return 2
    ctx = ChatContext(video_seconds=video, photos=options.photos, group=options.group)
    print(json.dumps(explain_json(" ".join(options.text), ctx), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
