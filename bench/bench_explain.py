"""How long `python -m bot explain --jsonl` takes for 10,000 cases (target: under 2 s).

    python -m bench.bench_explain [--cases N] [--seed S]    (from the repository root)

The cases mix every kind of message the parser meets (edits, new shots, photos by position,
multi-shot scripts, parameters, conversation words, chit-chat, typos; a third in Russian,
Spanish, Portuguese or German, compound requests and dry runs), each with a random
context and a few random content words, so that no two cases are alike and caches do not
flatter the figure. Three figures are printed:

- the whole command as a user runs it (`python -m bot explain --jsonl < cases`), interpreter
  start-up included, best of 3;
- the same in-process (reading, planning, writing JSON), best of 3;
- the start-up alone (`--jsonl` with no input), so the two can be told apart;
- the slowest of a set of 4,096-character messages (Telegram's longest) built to make
  regular expressions backtrack: long runs of spaces, commas and parser words.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import time

from bot.explain import run_jsonl

PHRASES = [
    "remove the car", "replace the sky with a night sky", "make it look like a watercolor",
    "make it rainy, 10 seconds, vertical", "next shot: the car drives into a tunnel",
    "a new shot with the same camera move, but in a forest", "continue this: she runs",
    "animate this", "make her wave, with sound, 9:16", "start from the first photo and end on "
    "the second", "the man from the first photo wearing the jacket from the second, walking "
    "through the third", "shot 1 (3s): a man walks in, shot 2 (2s): he sits down",
    "make it multi-shot: a woman orders coffee", "undo", "try again", "stop", "history",
    "how much have I spent?", "what can you do?", "what does pro mean?", "thanks!",
    "I removed the car myself", "lol", "Remvoe the pedestrians pls", "quick draft: make it snowy",
    "in high quality, turn the day into night", "for tiktok, she dances", "a night sky",
    "@kling_test_bot replace the man with the person from the first photo",
    "can you make it rainy?", "use the photos as an element for the hero", "ten seconds, square",
]  # fmt: skip
# The other four languages, compound requests, held photos and dry runs; sent with the
# sender's language code half the time, as Telegram gives it.
FOREIGN = [
    ("убери машину пожалуйста", "ru"), ("оживи фотку на 10 секунд, вертикально", "ru"),
    ("спасибо огромное!", "ru"), ("верни на две версии назад", "ru"), ("отмена", "ru"),
    ("quita el coche porfa", "es"), ("de nuevo", "es"), ("deshaz y ponle niebla", "es"),
    ("jajaja qué bueno", "es"), ("cuánto costaría poner lluvia?", "es"),
    ("tira o carro", "pt"), ("valeu, ficou top", "pt"), ("volta duas versões", "pt"),
    ("entferne das auto", "de"), ("danke dir!", "de"), ("vergiss die fotos", "de"),
    ("revert and make it foggy instead", "en"), ("what would make it rainy cost?", "en"),
    ("put the jacket from the photo on him", "en"), ("forget the photos", "en"),
]  # fmt: skip
WORDS = ["dragon", "tunnel", "forest", "neon", "rain", "sunset", "castle", "river", "robot"]


def make_cases(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    lines = []
    for _ in range(count):
        text, language = rng.choice(PHRASES), None
        if rng.random() < 0.3:
            text, language = rng.choice(FOREIGN)
        if rng.random() < 0.7:
            text += " " + " ".join(rng.sample(WORDS, rng.randint(1, 3)))
        case: dict[str, object] = {"text": text}
        if language is not None and rng.random() < 0.5:
            case["language"] = language
        if rng.random() < 0.6:
            case["video_seconds"] = round(rng.uniform(1.5, 14.0), 1)
        if rng.random() < 0.5:
            case["photos"] = rng.randint(0, 8)
        if rng.random() < 0.3:
            case["group"] = True
        lines.append(json.dumps(case))
    return lines


def worst_long_message() -> tuple[float, str]:
    from bot.domain.models import ChatContext
    from bot.explain import explain_json

    seeds = ["", "remove the car", "shot 1", "the first photo", "how much have", "i", "format",
             "for", "make it", "with", "and", "@bot", "10", "please", "next shot"]  # fmt: skip
    fillers = [" ", ", ", "\n", "- ", "1 ", " and ", "?", "(", "."]
    worst = (0.0, "")
    for seed in seeds:
        for filler in fillers:
            for text in (seed + filler * 4000, (seed + " " + filler) * 400, filler * 4000 + seed):
                text = text[:4096]
                for ctx in (ChatContext(video_seconds=6.2, photos=3), ChatContext(photos=2)):
                    start = time.perf_counter()
                    explain_json(text, ctx)
                    took = time.perf_counter() - start
                    if took > worst[0]:
                        worst = (took, f"{seed!r} + {filler!r}...")
    return worst


def best_of(runs: int, fn: object) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    lines = make_cases(options.cases, options.seed)
    data = ("\n".join(lines) + "\n").encode()
    env = dict(os.environ)
    command = [sys.executable, "-m", "bot", "explain", "--jsonl"]

    def whole() -> None:
        result = subprocess.run(command, input=data, capture_output=True, env=env, check=True)
        assert result.stdout.count(b"\n") == len(lines), "one result a line"

    def startup() -> None:
        subprocess.run(command, input=b"", capture_output=True, env=env, check=True)

    def in_process() -> None:
        run_jsonl(io.BytesIO(data), io.StringIO())

    total = best_of(3, whole)
    inner = best_of(3, in_process)
    boot = best_of(3, startup)
    slowest, which = worst_long_message()
    n = len(lines)
    print(f"explain --jsonl, {n:,} cases, python {sys.version.split()[0]}, best of 3")
    print(f"  whole command:   {total:6.3f} s  ({n / total:,.0f} cases/s)  target < 2 s")
    print(f"  in-process:      {inner:6.3f} s  ({inner / n * 1e6:,.0f} us/case)")
    print(f"  start-up alone:  {boot:6.3f} s")
    print(f"  slowest 4,096-character message: {slowest * 1000:.1f} ms ({which})")
    return 0 if total < 2 else 1


if __name__ == "__main__":
    raise SystemExit(main())
