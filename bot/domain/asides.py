"""Messages about the chat rather than the clip: "forget the photos", "what would X cost?".

Neither is ever a job. "Forget the photos" (in the five languages) drops the photos the chat
holds; a dry-run question ("what would make it rainy cost?", "/explain make it rainy",
"сколько будет стоить сделать дождь?") names an instruction to price without running it.
Whether that instruction is one is the parser's to say (`intent.parse`).
"""

from __future__ import annotations

import re

from bot.domain.vocabulary import PHOTO_WORDS

_PHOTOS = PHOTO_WORDS
_WHICH = (
    r"(?:(?:the|those|these|my|all(?:\s+(?:the|those|my))?|held|old|previous|earlier|эти|все|"
    r"мои|старые|las|esas|estas|mis|todas\s+las|as|essas|estas|minhas|todas\s+as|die|diese|"
    r"alle|meine|alten)\s+)*"
)
_FORGET_VERB = (
    r"(?:forget(?:\s+about)?|clear|drop|discard|ignore|reset|remove|delete|lose|"
    r"get\s+rid\s+of|throw\s+away|don'?t\s+use|do\s+not\s+use|stop\s+using|no\s+more|"
    r"забудь(?:\s+про)?|очисти|сбрось|удали|убери|выкинь|игнорируй|не\s+используй|"
    r"olvida(?:te\s+de)?|olvídate\s+de|borra|elimina|quita|descarta|ignora|no\s+uses|"
    r"esquece|esqueça|esqueca|apaga|apague|remove|tira|descarta|limpa|não\s+usa|nao\s+usa|"
    r"não\s+use|vergiss|lösch|lösche|loesch|entferne?|ignorier(?:e)?|verwirf)"
)
# What may follow: thanks, "they're not needed", "I don't need them".
_TAIL = (
    r"(?:[\s,.!]*(?:pls|please|plz|thanks|thx|now|они\s+не\s+нужны|не\s+нужны|пожалуйста|"
    r"пж|porfa|por\s+favor|pfv|bitte|they'?re\s+not\s+needed|i\s+don'?t\s+need\s+them|"
    r"no\s+las\s+necesito|não\s+preciso|brauche\s+ich\s+nicht))*"
)
_FORGET_GATE = re.compile(PHOTO_WORDS)
_FORGET = re.compile(
    rf"(?:(?:ok|okay|now|и|ну|y|e|und|bitte|please|pls)\s+)*{_FORGET_VERB}\s+{_WHICH}{_PHOTOS}"
    rf"(?:\s+(?:pls|please|bitte|por\s+favor|пожалуйста))?{_TAIL}"
)
_ENDS = " \t\n.!?,;"

# A dry run: the instruction to price is group "t".
_QUOTES = "\"'«»“”„`"
_DRY_RUNS = tuple(
    re.compile(p, re.DOTALL)
    for p in (
        r"/explain(?:@\w+)?\s+(?P<t>.+)",
        r"(?:what|how\s+much)\s+(?:would|wud|will|does|do|is)\s+(?:it\s+)?cost\s+(?:me\s+)?"
        r"(?:to\s+)?(?P<t>.+?)\??",
        r"(?:what|how\s+much)\s+(?:would|wud|will|does|do|is)\s+(?P<t>.+?)\s+cost(?:\s+me)?\??",
        r"(?:what'?s|what\s+is)\s+the\s+(?:price|cost)\s+(?:of|for|to)\s+(?P<t>.+?)\??",
        r"how\s+much\s+(?:would|wud|will|is)\s+it\s+be\s+(?:to\s+)?(?P<t>.+?)\??",
        r"сколько\s+(?:будет\s+)?(?:стоит|стоить|стоило\s+бы|будет\s+стоить|обойд[её]тся)\s+"
        r"(?P<t>.+?)\??",
        r"(?:во\s+)?сколько\s+обойд[её]тся\s+(?P<t>.+?)\??",
        r"cu[aá]nto\s+(?:me\s+)?(?:costar[ií]a|cuesta|vale|valdr[ií]a|saldr[ií]a)\s+(?P<t>.+?)\??",
        r"quanto\s+(?:custaria|custa|vai\s+custar|sairia|sai)\s+(?P<t>.+?)\??",
        r"(?:wie\s*viel|was)\s+(?:w[üu]rde\s+es\s+kosten|kostet\s+es|k[öo]stete\s+es)\s*,?\s*"
        r"(?P<t>.+?)\??",
        r"was\s+(?:w[üu]rde|kostet|k[öo]stete)\s+(?:es\s+)?(?P<t>.+?)\s+kosten\??",
        r"was\s+kostet\s+(?:es\s*,?\s*)?(?P<t>.+?)\??",
        r"wie\s*viel\s+(?:kostet|w[üu]rde|k[öo]stete)\s+(?:es\s*,?\s*)?(?P<t>.+?)(?:\s+kosten)?\??",
    )
)


def forgets_photos(text: str) -> bool:
    """The message asks to drop the photos the chat holds (and nothing else)."""
    low = text.lower()
    return bool(_FORGET_GATE.search(low) and _FORGET.fullmatch(low.strip(_ENDS)))


_DRY_GATE = re.compile(r"explain|cost|price|how\s+much|сколько|обойд|cu[aá]nto|quanto|kost")


def dry_run(text: str) -> str | None:
    """The instruction a "what would it cost" question names, as written; None otherwise."""
    stripped = text.strip().lstrip("¿¡ ")
    low = stripped.lower()
    if not _DRY_GATE.search(low):
        return None
    if len(low) != len(stripped):  # a letter whose lower case is longer: read the lower case
        stripped = low
    for rx in _DRY_RUNS:
        m = rx.fullmatch(low)
        if m is not None:
            inner = stripped[m.start("t") : m.end("t")].strip(_ENDS + _QUOTES)
            return inner or None
    return None
