"""Properties of `explain` over open-ended input (hypothesis).

- it never raises, whatever the text and the context, and always gives a contract object;
- whenever `error` is null, the args pass the validator and the cost is the pricing rule's;
- a prompt sent to Kling never exceeds 2,500 characters (a shot's never 512);
- the user's content words always reach Kling: only parameter phrases, addressing, polite
  wrappers and labels are ever dropped;
- the same input always gives the same output.
"""

from __future__ import annotations

import inspect
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain import clauses, intent, params, photos, shots, text, vocabulary
from bot.domain.kling import PROMPT_MAX, SHOT_PROMPT_MAX, validate
from bot.domain.models import AspectRatio, ChatContext, ChatDefaults, Intent, Mode
from bot.domain.planner import plan
from bot.domain.pricing import estimate
from bot.explain import explain_json

# Every word the parser's own vocabulary contains. Only such words may be dropped. Patterns
# spell some words with optional spaces ("tik\\s?tok"): those are joined up too.
_SOURCES = [inspect.getsource(m).lower() for m in (clauses, intent, params, photos, shots, text, vocabulary)]
STOP = {
    w
    for source in _SOURCES
    for variant in (source, re.sub(r"\\s[?*+]?|\[\\s-\][?*+]?", "", source))
    for w in re.findall(r"[a-z]+", variant)
}
CONTENT = [
    w
    for w in vocabulary.wordset(
        "dragon glacier lantern meadow violet harbor comet walrus cathedral penguin "
        "zeppelin tangerine volcano orchid falcon lighthouse saxophone umbrella igloo "
        "carousel giraffe kayak pyramid waterfall Nebula Tokyo"
    )
    if w.lower() not in STOP
]
PHRASES = [
    "10 seconds", "ten seconds", "10s", "vertical", "9:16", "square", "for tiktok", "pro",
    "quick draft", "in high quality", "with sound", "no sound", "add music", "make it vertical",
    "std", "widescreen", "multi-shot", "15 seconds total", "for youtube", "standard mode",
    "the first photo", "the second", "photo 2", "start from the first photo",
    "end on the second photo", "as an element", "next shot:", "continue this:",
]  # fmt: skip
LEADS = [
    "", "remove the", "replace the", "make the", "add a", "animate the", "please remove the",
    "can you add a", "@kling_bot make the", "bot, turn the", "nice! now put a", "next shot: a",
    "shot 1 (3s): a", "the", "a", "I want a", "/edit the",
]  # fmt: skip
GLUE = [" ", ", ", " and ", ". ", " with ", " in ", "; ", " - ", " (", ") ", "\n", " shot 2: "]

contexts = st.builds(
    ChatContext,
    video_seconds=st.none()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.floats(min_value=2.5, max_value=11.0),
    photos=st.integers(min_value=-3, max_value=12)
    | st.integers(min_value=-(10**6), max_value=10**15),
    group=st.booleans(),
    defaults=st.builds(
        ChatDefaults,
        mode=st.sampled_from(Mode),
        aspect_ratio=st.sampled_from(AspectRatio),
        sound=st.booleans(),
    ),
)
sane_contexts = st.builds(
    ChatContext,
    video_seconds=st.none() | st.floats(min_value=3.0, max_value=10.0),
    photos=st.integers(min_value=0, max_value=8),
    group=st.booleans(),
)


@st.composite
def messages(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A message made of content words, parameter phrases and glue; and its content words."""
    used: list[str] = []
    parts = [draw(st.sampled_from(LEADS))]
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        if draw(st.booleans()):
            word = draw(st.sampled_from(CONTENT))
            used.append(word)
            parts.append(word)
        else:
            parts.append(draw(st.sampled_from(PHRASES)))
        parts.append(draw(st.sampled_from(GLUE)))
    return "".join(parts), used


LOCAL_OPS = {"trim", "speed", "reverse", "mute", "crop", "rotate", "gif", "frame"}
any_text = st.text(max_size=300) | st.text(alphabet=st.characters(codec="utf-8"), max_size=3000)


def sent_prompts(args: dict[str, Any]) -> list[str]:
    return [args.get("prompt", "")] + [s["prompt"] for s in args.get("multi_prompt", [])]


def check_contract(result: dict[str, Any]) -> None:
    json.dumps(result, ensure_ascii=False)
    if "ask" in result:  # a possible instruction: never a paid intent, the job under "offer"
        assert result["ask"] is True and result["intent"] == "none" and result["error"] is None
        assert result["offer"]["intent"] in {"edit", "refer", "image_to_video"}
        check_contract(result["offer"])
        result = {k: v for k, v in result.items() if k not in ("ask", "offer")}
    if "fit" in result:  # a clip outside 3-10 s: the error stays, the offers are listed
        assert result["error"]["code"] in {"video_too_long", "video_too_short"}
        assert result["fit"] in (["first", "last", "liveliest"], ["loop", "slow"])
        result = {k: v for k, v in result.items() if k != "fit"}
    elif result["error"] is not None and result["model"] == "kwaivgi/kling-o3/video-to-video":
        assert result["error"]["code"] not in {"video_too_long", "video_too_short"}
    assert set(result) == {"intent", "model", "args", "estimated_cost_usd", "error"}
    assert result["intent"] in {i.value for i in Intent}
    if result["intent"] == "local_edit":  # a free edit: its op and values, at no cost
        assert result["model"] is None and result["args"]["op"] in LOCAL_OPS
        assert result["estimated_cost_usd"] == 0
    elif result["model"] is None:
        assert result["args"] == {} and result["estimated_cost_usd"] is None
    if result["error"] is not None:
        assert result["estimated_cost_usd"] is None
        assert result["error"]["message"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text, contexts)
def test_explain_never_raises(message: str, ctx: ChatContext) -> None:
    check_contract(explain_json(message, ctx))


@settings(max_examples=400, deadline=None)
@given(messages(), contexts)
def test_explain_never_raises_on_parser_words(
    message: tuple[str, list[str]], ctx: ChatContext
) -> None:
    check_contract(explain_json(message[0], ctx))


def check_valid_plan(message: str, ctx: ChatContext) -> None:
    result = plan(message, ctx)
    if result.model is None or result.error is not None:
        return
    assert validate(result.model, result.args, ctx.video_seconds) is None
    cost = estimate(result.model, result.args, ctx.video_seconds)
    assert result.estimated_cost_usd == cost
    shown = explain_json(message, ctx)["estimated_cost_usd"]
    assert Decimal(str(shown)) == cost.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    prompts = sent_prompts(result.args)
    assert len(prompts[0]) <= PROMPT_MAX
    assert all(len(p) <= SHOT_PROMPT_MAX for p in prompts[1:])


@settings(max_examples=400, deadline=None)
@given(messages(), sane_contexts)
def test_valid_plans_pass_the_validator(message: tuple[str, list[str]], ctx: ChatContext) -> None:
    check_valid_plan(message[0], ctx)


@settings(max_examples=300, deadline=None)
@given(any_text, contexts)
def test_valid_plans_pass_the_validator_on_any_text(message: str, ctx: ChatContext) -> None:
    check_valid_plan(message, ctx)


@settings(max_examples=500, deadline=None)
@given(messages(), sane_contexts)
def test_content_words_reach_kling(message: tuple[str, list[str]], ctx: ChatContext) -> None:
    sentence, used = message
    result = plan(sentence, ctx)
    if "prompt" not in result.args:
        return
    sent = " ".join(sent_prompts(result.args))
    for word in used:
        assert word in sent, (sentence, word, result.args)


_WORD = re.compile(r"(?<![@/\w])[A-Za-z]{3,}(?![\w])")


@settings(max_examples=400, deadline=None)
@given(any_text | messages().map(lambda m: m[0]), sane_contexts)
def test_no_other_word_is_ever_dropped(message: str, ctx: ChatContext) -> None:
    """Any word outside the parser's vocabulary (and not a typo of it) reaches Kling."""
    result = plan(message, ctx)
    if "prompt" not in result.args:
        return
    sent = " ".join(sent_prompts(result.args))
    for m in _WORD.finditer(message):
        word = m.group()
        if word.lower() in STOP or text.canonical(word) in STOP:
            continue
        assert word in sent, (message, word, result.args)


@settings(max_examples=200, deadline=None)
@given(any_text | messages().map(lambda m: m[0]), contexts)
def test_parsing_is_deterministic(message: str, ctx: ChatContext) -> None:
    assert explain_json(message, ctx) == explain_json(message, ctx)


def test_the_content_vocabulary_is_really_outside_the_parser() -> None:
    assert len(CONTENT) >= 20
