"""From a message to what it asks for: one intent, and for a job the facts a plan needs.

`parse` reads the text with the chat's context (which media it holds, private or group). The
order of the checks is the order of certainty: a slash command, then whole-message conversation
words ("undo", "try again"), then spend and help questions, then instructions (these first steps
are `clauses`). In a group the bot only acts on clear instructions; in a private chat a plain
description ("a night sky") with media present is an instruction too, since there the text can
only be meant for the bot. A job is then read in steps, each returning a small value: the
wrappers around the instruction, its parameters, the photos it names, and the job kind.

All positions in the returned Request are positions in the user's original text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import TypeVar

from bot.domain import asides, compound, languages
from bot.domain import vocabulary as w
from bot.domain import wordforms as wf
from bot.domain.clauses import (
    SMALL_TALK,
    MessageKind,
    classify,
    clause_kind,
    conversation,
    first_word,
)
from bot.domain.models import AspectRatio, ChatContext, Intent, Mode
from bot.domain.params import MEDIUM, Found, Kind, extract
from bot.domain.photos import Frames, Ref, find_frames, find_refs, mentions_photo
from bot.domain.shots import Header, find_headers
from bot.domain.text import Edit, Norm, merge, normalize

JOB_INTENTS = frozenset({Intent.EDIT, Intent.REFER, Intent.IMAGE_TO_VIDEO})
_FOREIGN_REFER = re.compile(languages.REFER)


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
    # A possible instruction (intent NONE): the job to offer, if the user says yes.
    offer: Intent | None = None
    photos_named: bool = False  # the words name a photo ("the jacket from the photo")
    back: int = 0  # versions to step back first (see `compound`); for an undo, how many
    forget_photos: bool = False  # "forget the photos" (intent NONE)
    dry_run: str | None = None  # "what would <this> cost?" (intent NONE): what to price


_NON_SPACE = re.compile(r"\S+")


@lru_cache(maxsize=256)  # `explain` and the planner read the same message more than once
def parse(text: str, ctx: ChatContext, language: str | None = None) -> Request:
    """The intent of `text` in this chat, with everything a job plan needs.

    `language` is the sender's Telegram language code, a hint for reading the words; the text
    is read in the languages its letters show too. Requests are immutable, so one may be shared.
    """
    aside = _aside(text, ctx, language)
    if aside is not None:
        return aside
    norm = normalize(text)
    low = norm.low
    b0, b1 = _body_bounds(low)
    body = low[b0:b1]
    if not w.HAS_LETTERS.search(w.URL.sub(" ", body)):
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
        addressed = w.ADDRESSING.match(low[b0:b1])
        b0 += addressed.end() if addressed else 0
        body = low[b0:b1]

    if forced is None:
        said = conversation(body, first_word(body))
        if said is not None:
            return Request(said)

    photos = max(ctx.photos, 0)
    headers = find_headers(body)
    if forced is not None:
        return _job(norm, b0, b1, headers, ctx, photos, forced)
    verdict = _verdict(body, headers, ctx, photos, wf.languages_of(body, language))
    if verdict is _Verdict.NONE:
        return Request(Intent.NONE)
    job = _job(norm, b0, b1, headers, ctx, photos, None)
    if verdict is _Verdict.ASK:
        return replace(job, intent=Intent.NONE, offer=job.intent)
    return job


def question_language(text: str, language: str | None) -> str | None:
    """The language to read a dry run's instruction in: the sender's, else the one the whole
    question shows ("wie viel würde es kosten, es schneien zu lassen?")."""
    return next(iter(wf.languages_of(text.lower(), language)), language)


def _aside(text: str, ctx: ChatContext, language: str | None) -> Request | None:
    """Forgetting the photos, a dry run, or steps back first ("revert and make it foggy")."""
    if asides.forgets_photos(text):
        return Request(Intent.NONE, forget_photos=True)
    priced = asides.dry_run(text)
    if priced is not None and asides.dry_run(priced) is None:  # one level: no nesting
        asked = parse(priced, ctx, question_language(text, language))
        if asked.intent in JOB_INTENTS or asked.offer is not None:
            return Request(Intent.NONE, dry_run=priced)
    steps = compound.split(text, language)
    if steps is None:
        return None
    if not steps.rest:  # "go back two versions"; "go back 1 version" is a plain undo
        return Request(Intent.UNDO, back=steps.back if steps.back > 1 else 0)
    if compound.split(steps.rest, language) is not None:  # one step back, then no more
        return None
    then = parse(steps.rest, ctx, language)
    return replace(then, back=steps.back) if then.intent in JOB_INTENTS else None


# A word for the verdict: two letters or more ("rainy", "дождь"), not a stray "A" or "0".
_WORD = re.compile(r"[^\W\d_]{2,}")


class _Verdict(Enum):
    JOB = "job"  # positive evidence of an instruction for the clip
    ASK = "ask"  # might be one: ask before spending
    NONE = "none"


def _verdict(
    body: str, headers: list[Header], ctx: ChatContext, photos: int, read_as: tuple[str, ...]
) -> _Verdict:
    """Whether the message is an instruction for the bot in this chat: only on evidence."""
    kind = classify(body, ctx.group, read_as)
    if kind is MessageKind.STRONG or _clear_signal(body, headers, photos):
        return _Verdict.NONE if _retracted(body, read_as) else _Verdict.JOB
    has_media = ctx.video_seconds is not None or photos > 0
    if kind is not MessageKind.DESCRIPTIVE or ctx.group or not has_media:
        return _Verdict.NONE
    # Parameters are not talk: "top quality, she waves" is no "ficou top".
    said = [f for f in _extract(body)[0] if f.strength >= MEDIUM]
    if wf.chatty(_blanked(body, [(f.start, f.end) for f in said])):
        return _Verdict.NONE
    # A description is an instruction when it sets parameters in so many words ("rainy, 10
    # seconds"), or tells what moves in the photo to animate ("the car drives away"); a lone
    # "music" or "vertical" is not enough, nor one word beside a parameter ("HQ:AA", "rainy,
    # 10 seconds"): ask. Parameters alone are a job with no prompt, which says so.
    moves = any(w.MOTION.match(piece.group()) for piece in w.CLAUSES.finditer(body))
    rest = _blanked(body, [(f.start, f.end) for f in _extract(body)[0]])
    if (said and len(_WORD.findall(rest)) != 1) or (photos and ctx.video_seconds is None
                                                     and moves):
        return _Verdict.JOB
    # "rainy, no wait, forget it": nothing to ask about.
    return _Verdict.NONE if _retracted(body, read_as, after_any=True) else _Verdict.ASK


@lru_cache(maxsize=256)  # the verdict and the parameters read the same body, mostly
def _extract(
    low: str, protected: tuple[tuple[int, int], ...] = ()
) -> tuple[tuple[Found, ...], tuple[tuple[int, int], ...]]:
    found, removals = extract(low, list(protected))
    return tuple(found), tuple(removals)


@lru_cache(maxsize=256)  # read for the verdict, then for the job
def _refs(body: str, photos: int) -> tuple[Ref, ...]:
    return tuple(find_refs(body, photos))


@lru_cache(maxsize=256)
def _frames(body: str, photos: int) -> Frames:
    return find_frames(body, photos)


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _retracted(body: str, read_as: tuple[str, ...], *, after_any: bool = False) -> bool:
    """'make it rainy, no wait, forget it': a later clause takes the instruction back.
    `after_any`: back from whatever came before, not only from an instruction."""
    seen = False
    for piece in w.CLAUSES.finditer(body):
        clause = piece.group()
        if seen and wf.is_retraction(clause):
            return True
        seen = seen or after_any or clause_kind(clause, read_as) in ("verb", "private")
    return False


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


def _clear_signal(body: str, headers: list[Header], photos: int) -> bool:
    """Shot scripts, "next shot", and photos named by position are meant for the bot."""
    if headers or w.REFER_LABEL.match(body.lstrip()) or w.REFER.search(body):
        return True
    if _FOREIGN_REFER.search(body) or w.SAME_CAMERA.search(body):
        return True
    if photos > 0 and w.IMAGE_TOKEN.search(body):  # Kling's own "[@image1]", written out
        return True
    return photos > 0 and bool(_refs(body, photos) or _frames(body, photos).any)


@dataclass(frozen=True, slots=True)
class _Wrappers:
    """Where the instruction starts in the body, and the spans around it not meant for Kling."""

    lead: int
    removals: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class _Params:
    """The parameters said, in text order (the last one said wins)."""

    mode: Mode | None
    aspect: AspectRatio | None
    sound: bool | None
    duration: Decimal | None
    total: Decimal | None
    multi: bool
    said: frozenset[Kind]
    shot_durations: tuple[Decimal | None, ...]
    removals: tuple[tuple[int, int], ...]


def _job(
    norm: Norm,
    b0: int,
    b1: int,
    headers: list[Header],
    ctx: ChatContext,
    photos: int,
    forced: Intent | None,
) -> Request:
    body = norm.low[b0:b1]
    wrappers = _wrappers(body)
    segments = _segments(headers, len(body))
    params = _parameters(body, wrappers.lead, headers, segments)

    def orig(i: int) -> int:
        return norm.orig(b0 + i)

    refs, frames = _named_photos(body, photos, orig)
    intent = forced or _choose(body, wrappers.lead, ctx, photos, params.multi, bool(refs), frames)
    removals = merge([*wrappers.removals, *params.removals])
    return Request(
        intent=intent,
        text=norm.text,
        body=(orig(0), orig(len(body))),
        edits=tuple(Edit(orig(s), orig(e)) for s, e in removals if e > s),
        mode=params.mode,
        aspect=params.aspect,
        sound=params.sound,
        duration=params.duration,
        total=params.total,
        multi_shot=params.multi,
        shots=tuple(
            Shot(orig(s), orig(e), d)
            for (s, e), d in zip(segments, params.shot_durations, strict=True)
        ),
        refs=refs,
        frames=frames,
        elements=bool(w.ELEMENTS.search(body)),
        photo_reference=bool(w.PHOTO_AS_REFERENCE.search(body) or w.IMAGE_TOKEN.search(body)),
        said=params.said,
        photos_named=bool(
            refs or frames.any or w.ELEMENTS.search(body) or w.IMAGE_TOKEN.search(body)
            or w.NAMES_PHOTO.search(w.PHOTOS_LEFT_OUT.sub(" ", body))
        ),
    )


def _wrappers(body: str) -> _Wrappers:
    """Small talk, polite wrappers, a "next shot:" label and a trailing "thanks"."""
    lead = len(body) - len(body.lstrip())
    removals: list[tuple[int, int]] = []  # positions in `body`
    chat_end = _small_talk_end(body, lead)
    if chat_end > lead:
        removals.append((lead, chat_end))
        lead = chat_end + len(body[chat_end:]) - len(body[chat_end:].lstrip())
    polite = w.POLITE_PREFIX.match(body, lead)
    question_wrapper = False
    if polite is not None and first_word(body[polite.end() :]) in w.PRIVATE_VERBS:
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
    return _Wrappers(lead, tuple(removals))


def _small_talk_end(body: str, lead: int) -> int:
    """Small talk before the instruction is not for Kling: "nice! now make it rainy"."""
    chat_end = lead
    for piece in w.CLAUSES.finditer(body, lead):
        if piece.end() >= len(body.rstrip()) or clause_kind(piece.group()) not in SMALL_TALK:
            break
        chat_end = piece.end()
    return chat_end


def _parameters(
    body: str, lead: int, headers: list[Header], segments: list[tuple[int, int]]
) -> _Params:
    protected = [(h.start, h.end) for h in headers]
    # Blank out what is already removed, so "can you make it vertical?" leaves a clause of
    # parameters alone ("make it vertical?"). Same length: positions still line up.
    found, removals = _extract(" " * lead + body[lead:], tuple(protected))
    values: dict[Kind, object] = {}
    said: set[Kind] = set()
    shot_durations: list[Decimal | None] = [h.duration for h in headers]
    for f in found:  # in text order: the last one said wins
        said.add(f.kind)
        if isinstance(f.value, Decimal) and f.kind is Kind.DURATION:
            shot = next((i for i, (s, e) in enumerate(segments) if s <= f.start < e), None)
            if shot is None:
                values[Kind.DURATION] = f.value
            elif shot_durations[shot] is None:
                shot_durations[shot] = f.value
        else:
            values[f.kind] = f.value
    total = values.get(Kind.TOTAL)
    if _trailing_total(headers, shot_durations):
        # "shot 1: ..., shot 2: ..., shot 3: the end, 10 seconds": the length of the whole clip
        total, shot_durations[-1] = shot_durations[-1], None
    sound = values.get(Kind.SOUND)
    return _Params(
        mode=_typed(values.get(Kind.MODE), Mode),
        aspect=_typed(values.get(Kind.ASPECT), AspectRatio),
        sound=None if sound is None else bool(sound),
        duration=_typed(values.get(Kind.DURATION), Decimal),
        total=_typed(total, Decimal),
        multi=bool(headers) or Kind.MULTI in values,
        said=frozenset(said),
        shot_durations=tuple(shot_durations),
        removals=tuple(removals),
    )


_T = TypeVar("_T")


def _typed(value: object, kind: type[_T]) -> _T | None:
    return value if isinstance(value, kind) else None


def _named_photos(
    body: str, photos: int, orig: Callable[[int], int]
) -> tuple[tuple[PhotoRef, ...], Frames]:
    """Photos named by position, and first/end frames, in the user's positions."""
    refs = tuple(
        PhotoRef(orig(r.start), orig(r.end), r.indexes, r.component)
        for r in _refs(body, photos)
    )
    found = _frames(body, photos)
    frames = Frames(found.first, found.end, tuple((orig(s), orig(e)) for s, e in found.spans))
    return refs, frames


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
    refer = bool(
        w.REFER_LABEL.match(rest) or w.REFER.search(rest) or _FOREIGN_REFER.search(rest)
    ) or (
        bool(w.SAME_CAMERA.search(rest)) and first_word(rest) not in w.EDIT_VERBS
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
