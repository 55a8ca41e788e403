"""One message in, one Plan out: the intent, the exact args, the cost, or why not.

`plan` is the single path from text to args, used by the bot and by `explain`. Media are
placeholders ("<video>", "<image1>", ...); the engine swaps in real URLs at submit time.

On an error the plan keeps the model it would have used and, where they could be built, the
args that broke the rule (so `explain` shows why); `estimated_cost_usd` is then None.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from bot.domain import compound, kling, local_edits, plan_errors
from bot.domain.intent import JOB_INTENTS, Request, parse
from bot.domain.models import (
    IMAGE_TO_VIDEO,
    VIDEO_TO_VIDEO,
    ChatContext,
    ErrorCode,
    Intent,
    Note,
    Plan,
    PlanError,
    Reason,
)
from bot.domain.params import Kind
from bot.domain.pricing import estimate
from bot.domain.text import Edit, splice

# The command that forces a job kind: how a job the parser only guessed is planned when the
# user says yes (the same words a user can type to force it).
FORCE = {Intent.EDIT: "/edit", Intent.REFER: "/refer", Intent.IMAGE_TO_VIDEO: "/animate"}


def plan(text: str, ctx: ChatContext, language: str | None = None) -> Plan:
    """What the bot would do with `text` in this chat; `language` is the sender's Telegram
    language code, a hint for reading the words."""
    edit = local_edits.parse(text) if ctx.video_seconds is not None else None
    if edit is not None:  # a free edit of the clip ("make it vertical" crops it, for free)
        return _local_edit(edit, ctx)
    steps = compound.split(text, language) if ctx.video_seconds is not None else None
    edit = local_edits.parse(steps.rest) if steps is not None and steps.rest else None
    if steps is not None and edit is not None:  # "revert and make it vertical"
        return replace(_local_edit(edit, ctx), back=steps.back)
    request = parse(text, ctx, language)
    if request.intent not in JOB_INTENTS:
        return Plan(intent=request.intent, back=request.back,
                    forget_photos=request.forget_photos, dry_run=request.dry_run)
    if request.intent is Intent.IMAGE_TO_VIDEO:
        return _image_to_video(request, ctx)
    return _video_to_video(request, ctx)


def offer(text: str, ctx: ChatContext, language: str | None = None) -> Plan | None:
    """The job to offer for a message that might be an instruction but gave no clear sign
    (a plain description, "rainy"): asked about, never run on a guess. None otherwise."""
    request = parse(text, ctx, language)
    if request.offer is None:
        return None
    return plan(f"{FORCE[request.offer]} {text}", ctx, language)


def _local_edit(edit: local_edits.LocalEdit, ctx: ChatContext) -> Plan:
    """A free edit: no model, no cost."""
    assert ctx.video_seconds is not None
    return Plan(intent=Intent.LOCAL_EDIT, args=edit.resolved(ctx.video_seconds).args(),
                estimated_cost_usd=Decimal(0))


def _number(value: Decimal) -> int | float:
    """Whole seconds as int (what Kling takes); anything else as float, for validate to reject."""
    return int(value) if value == value.to_integral_value() else float(value)


def _prompt(
    request: Request, span: tuple[int, int], tokens: dict[int, int] | None, segment: bool = False
) -> str:
    """The user's words in `span`, minus parameter phrases; named photos as [@imageN]."""
    edits = list(request.edits)
    if tokens:
        frame_spans = request.frames.spans
        for ref in request.refs:
            inside_frame = any(s <= ref.start and ref.end <= e for s, e in frame_spans)
            if all(i in tokens for i in ref.indexes) and not inside_frame:
                named = " and ".join(f"[@image{tokens[i]}]" for i in ref.indexes)
                edits.append(Edit(ref.start, ref.end, named))
    return splice(request.text, span[0], span[1], edits, segment=segment)


def _missing_photo(request: Request, photos: int) -> int | None:
    named = [i for r in request.refs for i in r.indexes]
    named += [i for i in (request.frames.first, request.frames.end) if i is not None]
    return next((i for i in named if not 1 <= i <= photos), None)


def _finish(request: Request, model: str, args: dict[str, Any], video: float | None) -> Plan:
    error = kling.validate(model, args, video)
    if error is not None:
        if error.code is ErrorCode.EMPTY_PROMPT and request.intent is Intent.EDIT:
            error = plan_errors.empty_prompt(Intent.EDIT, _ignored_by_edit(request.said))
        return Plan(intent=request.intent, model=model, args=args, error=error)
    cost = estimate(model, args, video)
    return Plan(intent=request.intent, model=model, args=args, estimated_cost_usd=cost,
                notes=_notes(request), back=request.back)


def _notes(request: Request) -> tuple[Note, ...]:
    if request.intent is Intent.EDIT:
        return _ignored_by_edit(request.said)
    if request.intent is Intent.REFER and Kind.SOUND in request.said:
        return (Note.SOUND_ONLY_FOR_PHOTOS,)
    return ()


def _ignored_by_edit(said: frozenset[Kind]) -> tuple[Note, ...]:
    length, aspect = bool(said & {Kind.DURATION, Kind.TOTAL}), Kind.ASPECT in said
    notes: list[Note] = []
    if length and aspect:
        notes.append(Note.EDIT_KEEPS_LENGTH_AND_ASPECT_RATIO)
    elif length:
        notes.append(Note.EDIT_KEEPS_LENGTH)
    elif aspect:
        notes.append(Note.EDIT_KEEPS_ASPECT_RATIO)
    if Kind.SOUND in said:
        notes.append(Note.SOUND_ONLY_FOR_PHOTOS)
    return tuple(notes)


def _video_to_video(request: Request, ctx: ChatContext) -> Plan:
    intent = request.intent
    if ctx.video_seconds is None:
        return Plan(intent=intent, model=VIDEO_TO_VIDEO, error=plan_errors.no_media(intent))
    # Photos held from before go with a video job only when the words name them; photos sent
    # with the message go with it.
    meant = ctx.photos_with_message or request.photos_named
    photos = max(ctx.photos, 0) if meant else 0
    missing = _missing_photo(request, photos)
    if missing is not None:
        return Plan(
            intent=intent, model=VIDEO_TO_VIDEO, error=plan_errors.missing_photo(missing, photos)
        )
    # Photos going with a video are its references: the ones named, else all of them.
    named = sorted({i for r in request.refs for i in r.indexes})
    count = len(named) if request.refs else photos
    if count > kling.V2V_MAX_IMAGES:
        error = plan_errors.too_many_images(count, kling.V2V_MAX_IMAGES, with_video=True)
        return Plan(intent=intent, model=VIDEO_TO_VIDEO, error=error)
    selected = named if request.refs else list(range(1, photos + 1))
    tokens = None
    if request.refs and not request.elements:
        tokens = {index: place for place, index in enumerate(selected, start=1)}
    args = kling.v2v_args(
        action="refer" if intent is Intent.REFER else "edit",
        mode=request.mode or ctx.defaults.mode,
        prompt=_prompt(request, request.body, tokens),
        images=() if request.elements else selected,
        element=selected if request.elements else (),
        duration=None if request.duration is None else _number(request.duration),
        aspect=request.aspect or ctx.defaults.aspect_ratio,
    )
    done = _finish(request, VIDEO_TO_VIDEO, args, ctx.video_seconds)
    if ctx.photos > 0 and not meant and done.is_job:  # say so: they were not forgotten
        return replace(done, notes=(*done.notes, Note.HELD_PHOTOS_NOT_USED))
    return done


def _image_to_video(request: Request, ctx: ChatContext) -> Plan:
    intent = Intent.IMAGE_TO_VIDEO
    photos = max(ctx.photos, 0)
    if photos == 0:
        needs_photos = request.multi_shot and ctx.video_seconds is not None
        error = (
            plan_errors.multi_shot_needs_photos() if needs_photos else plan_errors.no_media(intent)
        )
        return Plan(intent=intent, model=IMAGE_TO_VIDEO, error=error)
    missing = _missing_photo(request, photos)
    if missing is not None:
        return Plan(
            intent=intent, model=IMAGE_TO_VIDEO, error=plan_errors.missing_photo(missing, photos)
        )
    frames = request.frames
    if request.multi_shot and frames.any:
        error = plan_errors.invalid_multi_prompt(Reason.MULTI_SHOT_WITH_FRAMES)
        return Plan(intent=intent, model=IMAGE_TO_VIDEO, error=error)
    items, tokens = _images(request, photos)
    if items is None:
        error = plan_errors.too_many_images(photos, kling.I2V_MAX_IMAGES, with_video=False)
        return Plan(intent=intent, model=IMAGE_TO_VIDEO, error=error)

    shots = None
    duration: int | float = kling.DEFAULT_DURATION
    said = request.duration if request.duration is not None else request.total
    if request.shots:
        planned = _shot_lengths(request, said)
        if isinstance(planned, PlanError):
            return Plan(intent=intent, model=IMAGE_TO_VIDEO, error=planned)
        duration, lengths = planned
        shots = [
            (_prompt(request, (s.start, s.end), tokens, segment=True), length)
            for s, length in zip(request.shots, lengths, strict=True)
        ]
    elif said is not None:
        duration = _number(said)
    args = kling.i2v_args(
        prompt=_prompt(request, request.body, tokens),
        mode=request.mode or ctx.defaults.mode,
        duration=duration,
        aspect=request.aspect or ctx.defaults.aspect_ratio,
        sound=ctx.defaults.sound if request.sound is None else request.sound,
        images=items,
        shots=shots,
        intelligent_shots=request.multi_shot and not request.shots,
    )
    return _finish(request, IMAGE_TO_VIDEO, args, ctx.video_seconds)


def _images(
    request: Request, photos: int
) -> tuple[list[tuple[int, str | None]] | None, dict[int, int] | None]:
    """The image list (photo, type) and the [@imageN] numbering of named photos.

    Plain references come first, so [@imageN] is both the N-th reference and the N-th item;
    first and end frames follow. None when there are more photos than Kling takes.
    """
    frames = request.frames
    if frames.any:
        framed = {i for i in (frames.first, frames.end) if i is not None}
        plain = sorted(
            {
                i
                for r in request.refs
                if not any(s <= r.start and r.end <= e for s, e in frames.spans)
                for i in r.indexes
            }
            - framed
        )
        items: list[tuple[int, str | None]] = [(i, None) for i in plain]
        if frames.first is not None:
            items.append((frames.first, "first_frame"))
        if frames.end is not None:
            items.append((frames.end, "end_frame"))
        return items, {i: n for n, i in enumerate(plain, start=1)}
    if request.refs:
        named = sorted({i for r in request.refs for i in r.indexes})
        single_picture = (
            len(named) == 1
            and not any(r.component for r in request.refs)
            and not request.multi_shot
            and not request.photo_reference
        )
        if single_picture:  # "animate the second photo": that photo is the first frame
            return [(named[0], "first_frame")], None
        return [(i, None) for i in named], {i: n for n, i in enumerate(named, start=1)}
    if photos > kling.I2V_MAX_IMAGES:
        return None, None
    if photos == 1 and not request.multi_shot and not request.photo_reference:
        return [(1, "first_frame")], None
    return [(i, None) for i in range(1, photos + 1)], None


def _shot_lengths(
    request: Request, said: Decimal | None
) -> tuple[int | float, list[int | float]] | PlanError:
    """The clip's length and each shot's, or why they cannot be worked out."""
    given: Sequence[Decimal | None] = [s.duration for s in request.shots]
    known = [d for d in given if d is not None]
    if len(known) == len(given):
        total = said if said is not None else sum(known, Decimal(0))
        return _number(total), [_number(d) for d in known]
    if said is None and known:
        return plan_errors.invalid_multi_prompt(Reason.SHOT_LENGTHS_MISSING)
    total = said if said is not None else Decimal(kling.DEFAULT_DURATION)
    unknown = len(given) - len(known)
    left = total - sum(known, Decimal(0))
    if total != total.to_integral_value() or any(d != d.to_integral_value() for d in known):
        return plan_errors.invalid_multi_prompt(Reason.SHOT_LENGTHS_NOT_WHOLE)
    if left < unknown:
        need = int(sum(known, Decimal(0))) + unknown
        return plan_errors.invalid_multi_prompt(
            Reason.SHOTS_NEED_LONGER, shots=len(given), need=need, total=int(total)
        )
    share, extra = divmod(int(left), unknown)
    lengths: list[int | float] = []
    for d in given:
        if d is None:
            lengths.append(share + (1 if extra > 0 else 0))
            extra -= 1
        else:
            lengths.append(int(d))
    return int(total), lengths
