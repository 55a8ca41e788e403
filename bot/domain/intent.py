"""From a message to what it asks for: one intent, and for a job the facts a plan needs.

`parse` reads the text with the chat's context (which media it holds, private or group). The
order of the checks is the order of certainty: a slash command, then whole-message conversation
words ("undo", "try again"), then spend and help questions, then instructions. An instruction is
told apart from chit-chat clause by clause: a clause that opens with an editing verb is an
instruction; "I removed the car myself", "this is amazing" and questions are not. In a group the
bot only acts on clear instructions; in a private chat a plain description ("a night sky") with
media present is an instruction too, since there the text can only be meant for the bot.

All positions in the returned Request are positions in the user's original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from bot.domain import words as w
from bot.domain.models import AspectRatio, ChatContext, Intent, Mode
from bot.domain.params import Kind, extract
from bot.domain.photos import Frames, find_frames, find_refs, mentions_photo
from bot.domain.shots import Header, find_headers
from bot.domain.text import Edit, Norm, merge, normalize, wordset

JOB_INTENTS = frozenset({Intent.EDIT, Intent.REFER, Intent.IMAGE_TO_VIDEO})


@dataclass(frozen=True, slots=True)
class PhotoRef:
    start: int
    end: int
    indexes: tuple[int, ...]  # session positions: 1 is <image1>
    component: bool  # "from the first photo": part of the scene, not the picture to animate


@dataclass(frozen=True, slots=True)
class Shot:
    start: int  # the shot's own text, after its header
    end: int
    duration: Decimal | None


@dataclass(frozen=True)
class Request:
    """What one message asks for. Conversation intents carry nothing else."""

    intent: Intent
    text: str = ""
    body: tuple[int, int] = (0, 0)  # the instruction, without addressing and polite wrappers
    edits: tuple[Edit, ...] = ()  # parameter phrases and labels to drop from the prompt
    mode: Mode | None = None
    aspect: AspectRatio | None = None
    sound: bool | None = None
    duration: Decimal | None = None  # the clip's length, as said
    total: Decimal | None = None  # "10 seconds in total" (multi-shot)
    multi_shot: bool = False
    shots: tuple[Shot, ...] = ()
    refs: tuple[PhotoRef, ...] = ()
    frames: Frames = field(default_factory=Frames)
    elements: bool = False  # "as an element": photos become a v2v element
    photo_reference: bool = False  # "use the photo as a reference": not a first frame
    said: frozenset[Kind] = frozenset()  # parameters the text set


class _Class(Enum):
    STRONG = "strong"  # a clear instruction
    DESCRIPTIVE = "descriptive"  # a description; an instruction only in private
    QUESTION = "question"
    NONE = "none"


_NON_SPACE = re.compile(r"\S+")
_SMALL_TALK = frozenset({"chit", "empty"})
_HAS_LETTERS = re.compile(r"[^\W\d_]{2,}")
_FUNCTION_WORDS = wordset(
    "there here everyone everybody all folks friend friends mate again today now then and or"
    " the a an to of for in on at please"
)


def parse(text: str, ctx: ChatContext) -> Request:
    """The intent of `text` in this chat, with everything a job plan needs."""
    norm = normalize(text)
    low = norm.low
    b0, b1 = _body_bounds(low)
    body = low[b0:b1]
    if not _HAS_LETTERS.search(w.URL.sub(" ", body)):
        # Nothing but "?" asks what the bot does; emoji, numbers and links alone ask nothing.
        only_marks = body.strip() and not body.strip().strip("?")
        return Request(Intent.HELP if only_marks else Intent.NONE)

    forced: Intent | None = None
    command = w.SLASH_COMMAND.match(body)
    if command is not None:
        forced = w.COMMANDS.get(command["cmd"], Intent.NONE)
        if forced not in JOB_INTENTS:
            return Request(forced)
        b0 += command.end()
        body = low[b0:b1]

    first = _first_word(body)
    if forced is None:
        conversation = _conversation(body, first)
        if conversation is not None:
            return Request(conversation)

    photos = max(ctx.photos, 0)
    headers = find_headers(body)
    if forced is None:
        kind = _classify(body, ctx.group)
        if kind is not _Class.STRONG and _clear_signal(body, headers, photos):
            kind = _Class.STRONG
        if kind is _Class.QUESTION or kind is _Class.NONE:
            return Request(Intent.NONE)
        if kind is _Class.DESCRIPTIVE and ctx.group:
            return Request(Intent.NONE)
    return _job(norm, b0, b1, headers, ctx, photos, forced)


def _body_bounds(low: str) -> tuple[int, int]:
    m = w.ADDRESSING.match(low)
    start = m.end() if m else 0
    # Mentions after the instruction: "remove the car @kling_bot".
    tokens = [m.span() for m in _NON_SPACE.finditer(low, start)]
    kept = len(tokens)
    while kept and w.MENTION.fullmatch(low, *tokens[kept - 1]):
        kept -= 1
    end = tokens[kept - 1][1] if kept else start
    return start, max(start, end)


def _first_word(body: str) -> str:
    m = w.WORD.search(body)
    return m.group() if m else ""


def _conversation(body: str, first: str) -> Intent | None:
    core = w.conversation_core(body)
    if len(core) <= 80:
        for intent, rx in w.CONVERSATION:
            if rx.fullmatch(core):
                return intent
        near = w.near_conversation_word(core)
        if near is not None:
            return near
    if first in w.GROUP_VERBS:
        return None
    if w.SPEND.search(core):
        return Intent.SPEND
    if w.HELP.search(core):
        return Intent.HELP
    return None


def _classify(body: str, group: bool) -> _Class:
    kinds: set[str] = set()
    for piece in w.CLAUSES.finditer(body):
        for clause in w.CLAUSE_SPLIT_WORDS.split(piece.group()):
            kinds.add(_clause_kind(clause))
    if "verb" in kinds or (not group and "private" in kinds):
        return _Class.STRONG
    if "not" in kinds or kinds <= {"negation", "chit", "empty"}:
        return _Class.NONE
    if "question" in kinds:
        return _Class.QUESTION
    if "description" in kinds:
        return _Class.DESCRIPTIVE
    return _Class.NONE


_CHIT_PHRASE = re.compile(
    r"^(?:that\s+|it\s+)?(?:makes?\s+sense|got\s+it|sounds\s+good|fair\s+enough|my\s+bad|"
    r"no\s+worries|all\s+good|works\s+for\s+me|well\s+done|good\s+job|great\s+job|nice\s+one|"
    r"nailed\s+it|(?:i\s+)?love\s+(?:it|this|that)|good\s+(?:morning|night|evening))\b"
)


def _clause_kind(clause: str) -> str:
    question = clause.rstrip().endswith("?")
    c = w.CLAUSE_FILLER.sub("", w.URL.sub(" ", clause).strip(" \t.!?;,\n"), count=1)
    if _CHIT_PHRASE.match(c):
        return "chit"
    found = w.WORD.findall(c)
    if not found:
        return "empty"
    w0 = found[0]
    w1 = found[1] if len(found) > 1 else ""
    if w0 in w.GROUP_VERBS and _verb_use(w0, w1):
        return "verb"
    if w.DIRECTIVE.search(c):
        return "private"
    if w0 in w.PRIVATE_VERBS and _verb_use(w0, w1):
        return "private"
    if w0 in w.NEGATIONS or (w0 == "do" and w1 == "not"):
        return "negation"  # "don't add music, she jumps": the rest may still be an instruction
    if question or w0 in w.QUESTION_WORDS:
        return "question"
    if all(x in w.CHIT_CHAT for x in found):
        return "chit"
    if w0 in w.NARRATORS or w0 in w.PAST_TENSE or w.EVALUATIVE_START.match(c):
        return "not"
    if any(x not in w.CHIT_CHAT and x not in _FUNCTION_WORDS for x in found) and (
        _HAS_LETTERS.search(c)
    ):
        return "description"
    return "chit"


def _verb_use(verb: str, following: str) -> bool:
    """'get rid of', 'take out', 'cut out': these verbs instruct only with their particle."""
    if verb == "set":
        return following != "of"
    if verb == "get":
        return following == "rid"
    if verb in ("take", "cut"):
        return following in ("out", "away", "off")
    if verb == "do":
        return following in ("a", "an", "the", "this", "something", "some")
    if verb == "make":
        return following not in ("sure", "sense")
    return True


def _clear_signal(body: str, headers: list[Header], photos: int) -> bool:
    """Shot scripts, "next shot", and photos named by position are meant for the bot."""
    if headers or w.REFER_LABEL.match(body.lstrip()) or w.REFER.search(body):
        return True
    return photos > 0 and bool(find_refs(body, photos) or find_frames(body, photos).any)


def _job(
    norm: Norm,
    b0: int,
    b1: int,
    headers: list[Header],
    ctx: ChatContext,
    photos: int,
    forced: Intent | None,
) -> Request:
    low = norm.low
    body = low[b0:b1]
    removals: list[tuple[int, int]] = []  # positions in `body`

    lead = len(body) - len(body.lstrip())
    # Small talk before the instruction is not for Kling: "nice! now make it rainy".
    chat_end = lead
    for piece in w.CLAUSES.finditer(body, lead):
        if piece.end() >= len(body.rstrip()) or _clause_kind(piece.group()) not in _SMALL_TALK:
            break
        chat_end = piece.end()
    if chat_end > lead:
        removals.append((lead, chat_end))
        lead = chat_end + len(body[chat_end:]) - len(body[chat_end:].lstrip())
    polite = w.POLITE_PREFIX.match(body, lead)
    question_wrapper = False
    if polite is not None and _first_word(body[polite.end() :]) in w.PRIVATE_VERBS:
        removals.append((lead, polite.end()))
        question_wrapper = polite["q"] is not None
        lead = polite.end()
    label = w.REFER_LABEL.match(body, lead)
    if label is not None:
        removals.append((lead, label.end()))
    suffix = w.POLITE_SUFFIX.search(body, max(lead, len(body) - 40))
    if suffix is not None:
        removals.append(suffix.span())
    if question_wrapper and body.rstrip().endswith("?"):
        q = body.rstrip()
        removals.append((len(q) - 1, len(q)))

    protected = [(h.start, h.end) for h in headers]
    # Blank out what is already removed, so "can you make it vertical?" leaves a clause of
    # parameters alone ("make it vertical?"). Same length: positions still line up.
    found, param_removals = extract(" " * lead + body[lead:], protected)
    removals.extend(param_removals)

    mode: Mode | None = None
    aspect: AspectRatio | None = None
    sound: bool | None = None
    duration: Decimal | None = None
    total: Decimal | None = None
    multi = bool(headers)
    said: set[Kind] = set()
    segments = _segments(headers, len(body))
    shot_durations: list[Decimal | None] = [h.duration for h in headers]
    for f in found:  # in text order: the last one said wins
        said.add(f.kind)
        value = f.value
        if isinstance(value, Mode):
            mode = value
        elif isinstance(value, AspectRatio):
            aspect = value
        elif f.kind is Kind.SOUND:
            sound = bool(value)
        elif f.kind is Kind.MULTI:
            multi = True
        elif isinstance(value, Decimal) and f.kind is Kind.TOTAL:
            total = value
        elif isinstance(value, Decimal):
            shot = next((i for i, (s, e) in enumerate(segments) if s <= f.start < e), None)
            if shot is None:
                duration = value
            elif shot_durations[shot] is None:
                shot_durations[shot] = value

    if _trailing_total(headers, shot_durations):
        # "shot 1: ..., shot 2: ..., shot 3: the end, 10 seconds": the length of the whole clip
        total, shot_durations[-1] = shot_durations[-1], None

    def orig(i: int) -> int:
        return norm.orig(b0 + i)

    refs = tuple(
        PhotoRef(orig(r.start), orig(r.end), r.indexes, r.component)
        for r in find_refs(body, photos)
    )
    found_frames = find_frames(body, photos)
    frames = Frames(
        found_frames.first,
        found_frames.end,
        tuple((orig(s), orig(e)) for s, e in found_frames.spans),
    )
    intent = forced or _choose(body, lead, ctx, photos, multi, bool(refs), frames)
    return Request(
        intent=intent,
        text=norm.text,
        body=(orig(0), orig(len(body))),
        edits=tuple(Edit(orig(s), orig(e)) for s, e in merge(removals) if e > s),
        mode=mode,
        aspect=aspect,
        sound=sound,
        duration=duration,
        total=total,
        multi_shot=multi,
        shots=tuple(
            Shot(orig(s), orig(e), d) for (s, e), d in zip(segments, shot_durations, strict=True)
        ),
        refs=refs,
        frames=frames,
        elements=bool(w.ELEMENTS.search(body)),
        photo_reference=bool(w.PHOTO_AS_REFERENCE.search(body)),
        said=frozenset(said),
    )


def _trailing_total(headers: list[Header], durations: list[Decimal | None]) -> bool:
    """Only the last shot has a length, and not from its header: it is the clip's length."""
    return (
        len(headers) > 1
        and durations[-1] is not None
        and headers[-1].duration is None
        and all(d is None for d in durations[:-1])
    )


def _segments(headers: list[Header], length: int) -> list[tuple[int, int]]:
    starts = [h.start for h in headers]
    ends = [h.end for h in headers]
    return [(ends[i], starts[i + 1] if i + 1 < len(starts) else length) for i in range(len(ends))]


def _choose(
    body: str, lead: int, ctx: ChatContext, photos: int, multi: bool, refs: bool, frames: Frames
) -> Intent:
    """Which job: image-to-video for photos, edit or refer for a video."""
    rest = body[lead:]
    refer = bool(w.REFER_LABEL.match(rest) or w.REFER.search(rest)) or (
        bool(w.SAME_CAMERA.search(rest)) and _first_word(rest) not in w.EDIT_VERBS
    )
    has_video = ctx.video_seconds is not None
    if multi:
        return Intent.IMAGE_TO_VIDEO
    animate = bool(w.ANIMATE.search(rest)) or frames.any
    if has_video:
        if photos and animate and (refs or frames.any or mentions_photo(rest)):
            return Intent.IMAGE_TO_VIDEO
        return Intent.REFER if refer else Intent.EDIT
    if photos:
        return Intent.IMAGE_TO_VIDEO
    if refer:
        return Intent.REFER
    if animate or refs or mentions_photo(rest):
        return Intent.IMAGE_TO_VIDEO
    return Intent.EDIT
