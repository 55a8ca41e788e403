"""The parser's one vocabulary: every word list and phrase pattern the parser steps read.

Conversation words, instruction verbs, chit-chat, number and ordinal words, photo nouns,
parameter words, and the keywords whose typos are repaired. Kept apart from the logic
(`clauses.py`, `intent.py`, `params.py`, `photos.py`, `shots.py`, `text.py`) so that the word
lists can grow without the parser growing. Every pattern runs on normalised text (lower-cased,
keyword typos repaired).

A word written with a trailing `~` in a list ("remove~") is also a typo keyword: a word one
edit away from it is repaired to it before any pattern runs (see `text.correct`). So the
keywords are read off the lists themselves, never kept as a list of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.domain.models import AspectRatio, Intent, Mode

_MARK = "~"


def wordlist(text: str) -> list[str]:
    """Words written as one string, in order, typo marks dropped."""
    return [w.removesuffix(_MARK) for w in text.split()]


def wordset(text: str) -> frozenset[str]:
    """A set of words written as one string: word lists stay readable."""
    return frozenset(wordlist(text))


def marked(*texts: str) -> frozenset[str]:
    """The words marked `~` in these word lists."""
    return frozenset(w.removesuffix(_MARK) for t in texts for w in t.split() if w.endswith(_MARK))


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of words, longest first, so that no word hides a longer one."""
    return "|".join(sorted(words, key=len, reverse=True))


# Said to the bot before the message: "@kling_bot", "bot,", "hey bot".
ADDRESSING = re.compile(
    r"^\s*+(?:(?:@\w+|(?:(?:hey|hi|hello|ok|okay|yo|dear)\s+)?(?:bot|kling|klingbot)"
    r"(?=\s*+[,:!;\-–—])|(?:hey|hi|hello|ok|okay|yo|dear)\s+(?:bot|kling|klingbot)\b)"
    r"[\s,:!;\-–—]*+)+"
)
MENTION = re.compile(r"@\w+")
SLASH_COMMAND = re.compile(r"^\s*/(?P<cmd>[a-z_]+)(?:@\w+)?(?=\s|$)")
_COMMAND_WORDS: dict[Intent, str] = {
    Intent.HELP: "start help", Intent.UNDO: "undo back~", Intent.REDO: "redo",
    Intent.RETRY: "retry again", Intent.CANCEL: "cancel stop", Intent.HISTORY: "history versions",
    Intent.SPEND: "spend~ spent~ cost costs budget~", Intent.EDIT: "edit",
    Intent.REFER: "refer next~ shot~", Intent.IMAGE_TO_VIDEO: "animate",
}  # fmt: skip
COMMANDS: dict[str, Intent] = {w: i for i, ws in _COMMAND_WORDS.items() for w in wordlist(ws)}

# Stripped from both ends before the whole-message conversation words are tried.
_LEAD_FILLER = (
    r"(?:(?:please|pls|plz|ok|okay|hey|hi|now|just|so|and|then|well|oh|um|uh|yes|yeah|no|nah|"
    r"hmm+|alright|right|bot|kling)\b[\s,!.]*)*"
)
LEAD_FILLER = re.compile(_LEAD_FILLER)
TRAILING_POLITE = re.compile(r"[\s,]*+\b(?:please|pls|plz|thanks|thank\s+you|thx|ty|now)$")

_CONVERSATION: list[tuple[Intent, str]] = [
    (Intent.UNDO, r"undo(?:\s+(?:that|this|it|please|the\s+last\s+(?:change|edit|one|step|thing)|"
     r"last\s+(?:change|edit|step|one)|the\s+(?:change|edit)|my\s+last\s+(?:change|edit)))?|"
     r"go\s+back(?:\s+(?:a\s+step|one\s+step|to\s+(?:the\s+)?(?:previous|last|earlier|original)"
     r"(?:\s+(?:version|one|clip|video))?))?|revert(?:\s+(?:that|it|this|to\s+(?:the\s+)?"
     r"(?:previous|last|original)(?:\s+(?:version|one|clip))?|the\s+(?:last\s+)?(?:change|edit)))?|"
     r"back|step\s+back|previous(?:\s+version)?|take\s+(?:it|that)\s+back|put\s+it\s+back|"
     r"restore(?:\s+the)?\s+(?:previous|last|original)(?:\s+version)?|ctrl\s*\+?\s*z"),
    (Intent.REDO, r"redo(?:\s+(?:that|it|this|please))?|go\s+forward(?:\s+again)?|forward|"
     r"step\s+forward|next\s+version|undo\s+(?:the|my|that)\s+undo|ctrl\s*\+?\s*y"),
    (Intent.RETRY, r"again|try\s+again|retry(?:\s+(?:it|that|please))?|try\s+(?:it\s+|that\s+)?"
     r"(?:once\s+more|one\s+more\s+time)|one\s+more\s+(?:time|try|take)|once\s+more|"
     r"do\s+(?:it|that)\s+again|same\s+again|(?:make|give\s+me|generate|try|create)\s+another"
     r"(?:\s+(?:one|version|take|variant|try|variation))?|another(?:\s+(?:one|take|version|try|"
     r"variant|variation))?|re-?generate(?:\s+it)?|re-?roll|run\s+it\s+again|repeat(?:\s+(?:it|that))?|"
     r"(?:give\s+it\s+)?another\s+(?:go|shot|try)"),
    (Intent.CANCEL, r"cancel(?:\s+(?:it|that|this|everything|all|the\s+(?:job|render|generation|"
     r"request|task|edit|video|last\s+one|current\s+job)|my\s+(?:job|request)))?|"
     r"stop(?:\s+(?:it|that|this|everything|now|the\s+(?:job|render|rendering|generation|task|"
     r"request|edit)))?|abort(?:\s+(?:it|that|this|the\s+job))?|halt|never\s*mind|nvm|"
     r"forget\s+(?:it|that|about\s+it)|(?:don't|do\s+not|dont)\s+(?:do\s+(?:it|that)|bother)|"
     r"kill\s+(?:it|the\s+job)"),
    (Intent.HISTORY, r"history|(?:show|list|see|view|display|give)(?:\s+me)?(?:\s+(?:the|my|all"
     r"(?:\s+the)?|all\s+my|our))?\s+(?:history|versions|previous\s+versions|old\s+versions|edits|"
     r"changes|clips|results)|(?:all\s+)?versions|version\s+history|edit\s+history|my\s+edits|"
     r"what\s+have\s+(?:i|we)\s+done(?:\s+so\s+far)?|what\s+did\s+(?:i|we)\s+do(?:\s+so\s+far)?"),
    (Intent.HELP, r"help|help\s+me|help\s+please|i\s+need\s+help|need\s+help|\?+|commands|"
     r"command\s+list|options|menu|instructions|how\s+to\s+use(?:\s+(?:this|it|you))?|usage|"
     r"examples?|tutorial|guide|info|about|start|what\s+now|what\s+next|now\s+what|"
     r"what\s+should\s+i\s+do"),
]  # fmt: skip
CONVERSATION = [(intent, re.compile(rf"(?:{rx})")) for intent, rx in _CONVERSATION]

SPEND = re.compile(
    r"how\s+much\s+(?:money\s+)?(?:have|did|has|had|do)(?:\s+(?:i|we|you|this\s+chat|the\s+chat|"
    r"everyone|my\s+account))?\s+(?:spent|spend|spending|used|paid|pay|charged|burned|burnt)\b|"
    r"how\s+much\s+(?:is|was|has\s+been)\s+(?:spent|charged|used)|"
    r"(?:how\s+much|what)\s+did\s+(?:that|this|it|the\s+last\s+(?:one|edit|job))\s+cost|(?<!\w)(?:my|our|total|current)\s+"
    r"(?:spend|spending|spendings|bill|balance|budget|expenses|costs?|usage)\b|"
    r"\b(?:spent|spending)\s+so\s+far|how\s+much\s+(?:money|budget|credit|credits)\s+"
    r"(?:is\s+|do\s+i\s+have\s+|have\s+i\s+got\s+)?(?:left|remaining)|remaining\s+budget|"
    r"what(?:'s|\s+is|\s+have|\s+did)?\s+(?:i|we)\s+spent|^(?:spend|spending|spent|costs?|budget|"
    r"balance|bill|usage|expenses|total\s+spend|how\s+much)$"
)
HELP = re.compile(
    r"what\s+(?:can|do)\s+(?:you|u|this\s+bot|the\s+bot|it|this\s+thing)\s+do|what\s+(?:you|u)\s+"
    r"can\s+do|what\s+(?:are|r)\s+(?:you|u)\b|who\s+are\s+you|how\s+(?:does|do)\s+(?:this|it|you|"
    r"the\s+bot|this\s+bot|that|this\s+thing)\s+work|how\s+(?:do|can|should|would)\s+(?:i|we|one)\b|"
    r"how\s+to\b|what\s+(?:does|do|is|are|'s|s)\s+(?:\S+\s+){0,4}?mean\b|(?:meaning|difference)\s+"
    r"(?:of|between)\b|what\s+(?:is|are|'s|s)\s+(?:the\s+)?(?:pro|std|standard|draft|modes?|options|"
    r"commands|prices?|pricing|costs?|limits?|multi[\s-]?shot|refer|elements?|sound\s+option|"
    r"aspect\s+ratios?)\b|how\s+(?:much|long|many)\s+(?:does|do|will|would|can|is|are|photos|"
    r"pictures|images|seconds)\b|what\s+(?:formats?|aspect\s+ratios?|durations?|lengths?|modes?)\b|"
    r"which\s+(?:modes?|formats?|aspect\s+ratios?)\b|what\s+can\s+i\s+(?:say|do|ask|type|send|write)|"
    r"is\s+(?:pro|std|standard)\s+(?:better|worth|faster|cheaper|slower)|can\s+(?:you|u|it|this\s+bot|"
    r"the\s+bot|i)\s+(?:do|make|create|generate|handle|support|edit|animate|use|send|add)\s+"
    r"(?:\w+\s+)?(?:videos|clips|photos|pictures|images|sound|audio|music|multi[\s-]?shots?)\b|"
    r"do\s+you\s+(?:support|do|handle|accept)\b|(?:show|give|tell)\s+me\s+(?:the\s+)?(?:commands|"
    r"options|examples|help|menu|what\s+you\s+can\s+do)"
)
QUESTION_WORDS = wordset(
    """what whats what's how hows how's why which who whose where when is are was were does do
    did will would should can could may might am shall isn't aren't doesn't didn't wasn't"""
)

# Verbs that open a clear instruction, in a group too.
_GROUP_VERBS = """remove~ delete~ erase eliminate~ replace~ swap~ substitute~ exchange add insert~
    put place make~ change~ turn~ convert~ transform~ animate~ restyle~ stylize~ stylise recolor
    recolour color colour paint brighten~ darken~ lighten relight blur sharpen apply zoom~
    generate~ create~ continue~ extend use start~ begin~ morph set bring"""
GROUP_VERBS = wordset(_GROUP_VERBS)
# More verbs that open an instruction in a private chat, where text with media is for the bot.
_PRIVATE_VERBS = """show~ let have keep~ fix clean enhance~ slow speed freeze flip rotate mirror
    dress film shoot render pan tilt age shrink enlarge grow fill cover decorate imagine
    reimagine redraw retouch light dim tint move~ try do give~ hide mask crop increase decrease
    reduce boost saturate desaturate invert reverse loop style transition get take cut wrap
    surround transport teleport dye stop redo"""
PRIVATE_VERBS = GROUP_VERBS | wordset(_PRIVATE_VERBS)
# A sentence that tells what moves: with a photo held, the way people describe an animation
# ("she waves at the camera", "the car drives away", "they dance in the square").
MOTION = re.compile(
    r"^\s*(?:she|he|it|they|(?:the|a|an|his|her|their)\s+\w+(?:\s+\w+){0,4}?)\s+"
    r"(?:slowly\s+|quickly\s+|suddenly\s+|then\s+|gently\s+)?(?:\w+s|\w+es)\b(?<!\bis)(?<!\bwas)(?<!\bhas)(?<!\bdoes)"
    # Words that end in -s but are no verb: "the car yes", "a dog thanks" tell no motion.
    r"(?<!\byes)(?<!\bthanks)(?<!\bgracias)(?<!\bthis)(?<!\bplus)(?<!\bpls)(?<!\bguys)"
    r"(?<!\blots)(?<!\balways)(?<!\bperhaps)(?<!\bits)(?<!\bus)|"
    r"^\s*they\s+(?!are\b|were\b|have\b|had\b|will\b)\w+"
)
# Verbs whose object may be the photo to animate (decides image-to-video when a video is there).
ANIMATE = re.compile(
    r"\banimate\b|\bbring\s+(?:\w+\s+){0,3}?to\s+life\b|\bcome\s+(?:alive|to\s+life)\b|"
    r"\bmake\s+(?:it|this|that|them|these|the\s+(?:photos?|pictures?|images?))\s+(?:move|alive)\b"
)
PAST_TENSE = wordset(
    """removed deleted erased replaced added changed made turned converted animated did tried
    went was were had saw got took gave put"""
)
NARRATORS = wordset("i we you i'm im i've ive we're you're i'll we've you've i'd")
NEGATIONS = wordset("don't dont never")
# A clause made only of these is small talk ("this is amazing", "thanks a lot").
CHIT_CHAT = wordset(
    """thanks thank thx ty you so much very really pretty super too totally absolutely kinda a bit
    lot cool nice great awesome amazing perfect wow lol lmao haha hahaha hehe hmm ok okay k yes
    no yeah yep yup nope nah sure fine good bad terrible awful hi hello hey yo sup bye goodbye
    cheers gm gn morning night evening afternoon congrats omg wtf damn oops sorry welcome love
    lovely wonderful incredible impressive stunning gorgeous ugly boring weird funny hilarious
    crazy insane meh not well done job one interesting true exactly indeed right correct agreed
    makes make sense got it i see know np problem worries all sounds looks look looking this
    that it is was it's that's thats its this's man dude bro buddy bot guys the video result
    clip just again as always best ever brilliant excellent fantastic beautiful neat sweet
    wicked epic dope fire lit sick nailed it cute adorable jeez gosh oh ah aw aww my god go ahead
    """
)
EVALUATIVE_START = re.compile(
    r"^(?:it|this|that|its|it's|thats|that's|this's|these|those)\s+(?:is|was|are|were|looks?|"
    r"seems?|feels?|isn't|wasn't|doesn't|did|does|has|had)\b|^(?:it's|that's|thats|this's)\b"
)
# Whole clauses of small talk: "makes sense", "love it", "good morning".
CHIT_PHRASE = re.compile(
    r"^(?:that\s+|it\s+)?(?:makes?\s+sense|got\s+it|sounds\s+good|fair\s+enough|my\s+bad|"
    r"no\s+worries|all\s+good|works\s+for\s+me|well\s+done|good\s+job|great\s+job|nice\s+one|"
    r"nailed\s+it|(?:i\s+)?love\s+(?:it|this|that)|good\s+(?:morning|night|evening)|"
    r"gotta\s+go|got\s+to\s+go|let\s+me\s+(?:think|see|check|know)|have\s+a\s+(?:nice|good|great))\b"
)
# "no need to remove the car": a negated instruction.
NEGATED_NEED = re.compile(
    r"\s*(?:no\s+need\s+to|there(?:'s|\s+is)\s+no\s+need\s+to|you\s+don't\s+have\s+to)\b"
)
# Words that carry no content: a clause of these and chit-chat is no description.
FUNCTION_WORDS = wordset(
    "there here everyone everybody all folks friend friends mate again today now then and or"
    " the a an to of for in on at please"
)
URL = re.compile(r"(?:https?://|www\.)\S+")
HAS_LETTERS = re.compile(r"[^\W\d_]{2,}")  # a word, not only digits, emoji or marks
DIRECTIVE = re.compile(
    r"^(?:i|we)(?:'d|\s+would)?\s++(?:really\s+)?(?:like|want|need|love|prefer|wish)\b|"
    r"\b(?:should|must|needs?\s+to|has\s+to|have\s+to|gotta|ought\s+to)\s+(?:be|look|have|become|"
    r"get|turn|appear|show|feel|stay|go|move)\b|^(?:how|what)\s+about\b"
)
POLITE_PREFIX = re.compile(
    r"(?:(?:please|pls|plz|kindly)\b[\s,]*|(?P<q>(?:can|could|would|will)\s+(?:you|u)|"
    r"is\s+it\s+possible\s+to|do\s+you\s+mind)\s+(?:please\s+|pls\s+|kindly\s+)?|"
    r"i(?:'d|\s+would)\s+like\s+you\s+to\s+|i\s+(?:want|need)\s+you\s+to\s+|go\s+ahead\s+and\s+|"
    r"help\s+me\s+|let's\s+|lets\s+|let\s+us\s+|try\s+to\s+|now\s+|then\s+|and\s+|also\s+|"
    r"just\s+|ok(?:ay)?[\s,]+|alright[\s,]+)+"
)
# Searched in the last few characters only (see intent._job): a `$` search over a long text
# would retry from every position.
POLITE_SUFFIX = re.compile(r"[\s,]*+\b(?:please|pls|plz|thanks|thank\s+you|thx|ty)\b[\s.!?]*+$")
CLAUSE_FILLER = re.compile(
    r"^(?:(?:now|then|and|but|so|also|ok|okay|alright|please|pls|plz|just|oh|well|hey|hi|yes|"
    r"yeah|no|nope|maybe|perhaps|kindly|actually|instead|lol|haha|wow|first|next|finally|"
    r"can\s+(?:you|u)|could\s+(?:you|u)|would\s+(?:you|u)|will\s+(?:you|u)|i\s+want\s+you\s+to|"
    r"i(?:'d|\s+would)\s+like\s+you\s+to|i\s+need\s+you\s+to|help\s+me|go\s+ahead\s+and|"
    r"let's|lets|let\s+us|try\s+to|is\s+it\s+possible\s+to)\b[\s,]*)+"
)
CLAUSES = re.compile(r"[^.!?;,\n]+[.!?;,\n]*")
CLAUSE_SPLIT_WORDS = re.compile(r"\s(?:but|and\s+then|then)\s")
WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")  # any script: "снег" is a word too

# "next shot: ...", "continue this: ..." - a label to drop from the prompt.
REFER_LABEL = re.compile(
    r"(?:(?:the|a)\s+)?(?:next|new|following|another)\s+(?:shot|scene|clip)\s*[:\-–—,]\s*|"
    r"(?:(?:the|a)\s+)?(?:shot|scene)\s+that\s+(?:follows|comes\s+next)\s*[:\-–—,]\s*|"
    r"continue(?:\s+(?:this|it|the\s+(?:video|clip|scene|story|shot)|from\s+here))?\s*[:\-–—,]\s*|"
    r"(?:and\s+)?then\s*[:\-–—]\s*|next\s*[:\-–—]\s*"
)
REFER = re.compile(
    r"\b(?:next|new|following|another|subsequent|follow[\s-]?up)\s+(?:shot|scene)\b|"
    r"^continue\b|\bcontinue\s+(?:this|it|the\s+(?:video|clip|scene|story|shot|action|motion))\b|"
    r"\bcontinuation\b|\bwhat\s+happens\s+(?:next|after(?:\s+(?:this|that))?)\b|"
    r"\b(?:shot|scene)\s+that\s+(?:follows|comes\s+next|continues)\b|"
    r"\b(?:shot|scene)\s+(?:right\s+|just\s+|straight\s+)?after\s+(?:this|that|it)\b|"
    r"\bcontinues?\s+the\s+(?:action|motion|movement|scene|story)\b|"
    r"\bpick\s+up\s+where\s+(?:it|this|that|the\s+(?:clip|video|shot|scene))\s+"
    r"(?:ends|ended|left\s+off|stops|stopped)\b|\b(?:use|using|with)\s+(?:this|the|my)\s+"
    r"(?:video|clip)\s+as\s+(?:a\s+|the\s+)?(?:motion\s+|camera\s+)?(?:reference|guide|template)\b|"
    r"\bas\s+a\s+(?:motion|camera)\s+reference\b"
)
SAME_CAMERA = re.compile(
    r"(?<!keep\s)(?<!keeping\s)(?<!keep\sthe\s)(?<!maintain\s)(?<!maintain\sthe\s)"
    r"\bsame\s+(?:camera(?:\s+(?:move|moves|movement|motion|work|angle|path))?|motion|movement|"
    r"moves|framing)\b"
)
EDIT_VERBS = wordset(
    "remove delete erase eliminate replace swap substitute add insert change recolor recolour"
)
ELEMENTS = re.compile(r"\belements?\b|\bэлемент\w*|\belementos?\b")
# A photo named in any of the five languages (no "frame" or "still": those name the clip's).
PHOTO_WORDS = (
    r"(?:photos?|photographs?|pics?|pictures?|images?|imgs?|snaps?|фото(?:графи\w*)?|фотк\w*|"
    r"картинк\w*|изображени\w*|снимк\w*|fotos?|fotograf[ií]as?|im[aá]gen(?:es)?|imagens?|"
    r"bild(?:er)?)"
)
NAMES_PHOTO = re.compile(rf"(?<!\w){PHOTO_WORDS}(?!\w)")
# Photos named only to be left out: "without the photos", "don't use those photos", "без фоток".
PHOTOS_LEFT_OUT = re.compile(
    rf"(?<!\w)(?:without|w/o|minus|no|ignore|ignoring|(?:don'?t|do\s+not|not)\s+(?:use|using|"
    rf"need)|без|не\s+используй|sin|sem|ohne|nicht)\s+(?:(?:the|those|these|my|any|эти|las|"
    rf"esas|as|essas|die|diese)\s+)?{PHOTO_WORDS}(?!\w)"
)
# Kling's own way to name a photo, written by the user: kept as written, never wrapped again.
IMAGE_TOKEN = re.compile(r"\[@image\d+\]")
PHOTO_AS_REFERENCE = re.compile(
    r"\bas\s+(?:an?\s+)?(?:style\s+|visual\s+)?(?:reference|ref)\b|\bfor\s+reference\b|"
    r"\breference\s+(?:photo|image|picture)\b|\bin\s+the\s+style\s+of\s+(?:the|this|my)\s+"
    r"(?:photo|picture|image)\b"
)


# --- one-word conversation messages, and their typos ("undp", "cancle", "hisotry") ---
_ONE_WORDS: dict[Intent, str] = {
    Intent.UNDO: "undo~", Intent.REDO: "redo~", Intent.RETRY: "retry~ again~",
    Intent.CANCEL: "cancel~ stop~ abort~", Intent.HISTORY: "history~ versions~",
    Intent.HELP: "help~",
}  # fmt: skip
ONE_WORD: dict[str, Intent] = {w: i for i, ws in _ONE_WORDS.items() for w in wordlist(ws)}
# Real words one typo away from those: never read as conversation words.
NOT_CONVERSATION_TYPOS = wordset(
    """step shop stomp stoop atop slop stow stops hell held helm kelp yelp hello heap hemp
    undue redd reds rode red retro cancer about aboard gain agin versus version"""
)

# --- numbers, ordinals and photos ---
_NUMBER_WORDS = """one two three~ four five six seven~ eight nine ten eleven~ twelve~ thirteen~
    fourteen~ fifteen~ sixteen seventeen eighteen nineteen twenty~ thirty forty fifty sixty"""
NUMBER_WORDS: dict[str, int] = dict(
    zip(wordlist(_NUMBER_WORDS), [*range(1, 21), 30, 40, 50, 60], strict=True)
)


def numbers_up_to(n: int) -> dict[str, int]:
    """The number words for 1..n: a shot or a photo is never the sixtieth."""
    return {w: v for w, v in NUMBER_WORDS.items() if v <= n}


_ORDINAL_WORDS = """first~ 1st second~ 2nd third~ 3rd fourth~ 4th fifth~ 5th sixth~ 6th seventh~
    7th eighth 8th ninth 9th tenth 10th"""
_LAST_WORDS = "last~ final latest"  # the most recent photo
ORDINALS: dict[str, int] = {
    **{w: i // 2 + 1 for i, w in enumerate(wordlist(_ORDINAL_WORDS))},
    **dict.fromkeys(wordlist(_LAST_WORDS), -1),
}
_PHOTO_NOUNS = "photo~ photograph picture~ pic image~ img snap pict still frame"  # and plurals
PHOTO_NOUNS = wordset(_PHOTO_NOUNS)
_PHOTO_PLURALS = "photos~ pictures~ images~ stills frames"

# --- parameters (see params.py for the phrases built on them) ---
_PRO_WORDS = """pro professional~ premium best high higher highest top max maximum full great
    better hq"""
_STD_WORDS = """std standard~ draft~ cheap~ cheaper cheapest cheaply economy budget fast quick
    normal basic low lower lowest reduced"""
MODE_WORDS: dict[str, Mode] = {
    **dict.fromkeys(wordlist(_PRO_WORDS), Mode.PRO),
    **dict.fromkeys(wordlist(_STD_WORDS), Mode.STD),
}
_VERTICAL_WORDS = "vertical~ vertically portrait~ tall"
_LANDSCAPE_WORDS = "landscape~ horizontal~ horizontally widescreen~ wide-screen"
_SQUARE_WORDS = "square~"
ASPECT_WORDS: dict[str, AspectRatio] = {
    **dict.fromkeys(wordlist(_VERTICAL_WORDS), AspectRatio.VERTICAL),
    **dict.fromkeys(wordlist(_LANDSCAPE_WORDS), AspectRatio.LANDSCAPE),
    "wide screen": AspectRatio.LANDSCAPE,
    **dict.fromkeys(wordlist(_SQUARE_WORDS), AspectRatio.SQUARE),
}
# "9:16": the first number of a ratio says which one.
RATIO_FIRST: dict[str, AspectRatio] = {
    "9": AspectRatio.VERTICAL, "16": AspectRatio.LANDSCAPE, "1": AspectRatio.SQUARE,
}  # fmt: skip
_DURATION_UNITS = "seconds~ second secs sec s minute~ minutes~ mins min"
_SOUND_WORDS = "sound~ sounds audio~ music~ soundtrack sfx silent~ silently mute muted without~"
# Words that may sit next to parameters inside a clause that is nothing but parameters:
# "make it vertical", "in pro, please", "set it to 9:16".
_CONNECTORS = """and in at with as for it make please~ pls plz also but use using set to then
    mode~ quality~ format video version~ clip total long be should output render ok okay now go
    do turn change switch~ convert into thanks thx"""
CONNECTORS = wordset(_CONNECTORS)
# Words the phrase patterns above spell (spend questions, help questions, new shots, frames,
# elements), repaired when misspelt like the list words.
_PHRASE_WORDS = """balance~ spending~ commands~ previous~ forward~ following~ continuation~
    camera~ motion~ movement~ multishot~ reference~ element~ elements~ frame~ same~"""

# --- typo repair (see text.correct) ---
_MARKED = marked(
    _COMMAND_WORDS[Intent.SPEND], _COMMAND_WORDS[Intent.UNDO], _COMMAND_WORDS[Intent.REFER],
    _GROUP_VERBS, _PRIVATE_VERBS, *_ONE_WORDS.values(), _NUMBER_WORDS, _ORDINAL_WORDS,
    _LAST_WORDS, _PHOTO_NOUNS, _PHOTO_PLURALS, _PRO_WORDS, _STD_WORDS, _VERTICAL_WORDS,
    _LANDSCAPE_WORDS, _SQUARE_WORDS, _DURATION_UNITS, _SOUND_WORDS, _CONNECTORS, _PHRASE_WORDS,
)  # fmt: skip
# Words of five letters or more are repaired from any single edit.
KEYWORDS: frozenset[str] = frozenset(w for w in _MARKED if len(w) >= 5)
# Four-letter keywords are only repaired from a swap of two neighbouring letters ("mkae"):
# any other single edit of a four-letter word is too often another real word.
SHORT_KEYWORDS: frozenset[str] = frozenset(w for w in _MARKED if len(w) == 4)
# Real words one edit away from a keyword: never "repaired".
NOT_TYPOS: frozenset[str] = wordset(
    """
    remote chance charge concert convent brighter frighten darker darkens inset invert swatch
    twitch stitch venerate crease cremate crate extent seconded secondly minuet squire cheep
    cheat cheer drift craft graft round bound found mound pound wound sounds audit musics
    retro cancer about budge valance commando pictured imaged first fist fifty filth sixty
    seventy flame frames framed stars stare smart stark started starts begun there threw
    sever seven twelfth notion lotion potion emotion motions cameras camel version versus
    verse person aversion diversion imagine imago stand stands elegant spend spent speed
    spends spender abbot again against agains pleased pleases please hence since
    """
)
# Misspellings more than one edit away that people make all the time.
MISSPELLINGS: dict[str, str] = {
    "verticle": "vertical", "vertival": "vertical", "potrait": "portrait", "portait": "portrait",
    "lanscape": "landscape", "landscpe": "landscape", "secs": "seconds", "seconsd": "seconds",
    "qualty": "quality", "histroy": "history", "cancell": "cancel", "anmiate": "animate",
    "aniamte": "animate",
}  # fmt: skip
