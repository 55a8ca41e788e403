"""The vocabulary the intent parser reads: conversation words, verbs, chit-chat.

Kept apart from the logic in `intent.py` so that the word lists can grow without the parser
growing. Every pattern runs on normalised text (lower-cased, keyword typos repaired).
"""

from __future__ import annotations

import re

from bot.domain.models import Intent
from bot.domain.text import one_edit, wordset

# Said to the bot before the message: "@kling_bot", "bot,", "hey bot".
ADDRESSING = re.compile(
    r"^\s*+(?:(?:@\w+|(?:(?:hey|hi|hello|ok|okay|yo|dear)\s+)?(?:bot|kling|klingbot)"
    r"(?=\s*+[,:!;\-–—])|(?:hey|hi|hello|ok|okay|yo|dear)\s+(?:bot|kling|klingbot)\b)"
    r"[\s,:!;\-–—]*+)+"
)
MENTION = re.compile(r"@\w+")
SLASH_COMMAND = re.compile(r"^\s*/(?P<cmd>[a-z_]+)(?:@\w+)?(?=\s|$)")
COMMANDS: dict[str, Intent] = {
    "start": Intent.HELP, "help": Intent.HELP, "undo": Intent.UNDO, "back": Intent.UNDO,
    "redo": Intent.REDO, "retry": Intent.RETRY, "again": Intent.RETRY,
    "cancel": Intent.CANCEL, "stop": Intent.CANCEL, "history": Intent.HISTORY,
    "versions": Intent.HISTORY, "spend": Intent.SPEND, "spent": Intent.SPEND,
    "cost": Intent.SPEND, "costs": Intent.SPEND, "budget": Intent.SPEND,
    "edit": Intent.EDIT, "refer": Intent.REFER, "next": Intent.REFER, "shot": Intent.REFER,
    "animate": Intent.IMAGE_TO_VIDEO,
}  # fmt: skip

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
    r"how\s+much\s+(?:is|was|has\s+been)\s+(?:spent|charged|used)|(?<!\w)(?:my|our|total|current)\s+"
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
GROUP_VERBS = wordset(
    """remove delete erase eliminate replace swap substitute exchange add insert put place make
    change turn convert transform animate restyle stylize stylise recolor recolour color colour
    paint brighten darken lighten relight blur sharpen apply zoom generate create continue extend
    use start begin morph set bring"""
)
# More verbs that open an instruction in a private chat, where text with media is for the bot.
PRIVATE_VERBS = GROUP_VERBS | wordset(
    """show let have keep fix clean enhance slow speed freeze flip rotate mirror dress film shoot
    render pan tilt age shrink enlarge grow fill cover decorate imagine reimagine redraw retouch
    light dim tint move try do give hide mask crop increase decrease reduce boost saturate
    desaturate invert reverse loop style transition get take cut wrap surround transport
    teleport dye"""
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
URL = re.compile(r"(?:https?://|www\.)\S+")
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
    r"continue(?:\s+(?:this|it|the\s+(?:video|clip|scene|story|shot)|from\s+here))?\s*[:\-–—,]\s*|"
    r"(?:and\s+)?then\s*[:\-–—]\s*|next\s*[:\-–—]\s*"
)
REFER = re.compile(
    r"\b(?:next|new|following|another|subsequent|follow[\s-]?up)\s+(?:shot|scene)\b|"
    r"^continue\b|\bcontinue\s+(?:this|it|the\s+(?:video|clip|scene|story|shot|action|motion))\b|"
    r"\bcontinuation\b|\bwhat\s+happens\s+next\b|\b(?:use|using|with)\s+(?:this|the|my)\s+"
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
ELEMENTS = re.compile(r"\belements?\b")
PHOTO_AS_REFERENCE = re.compile(
    r"\bas\s+(?:an?\s+)?(?:style\s+|visual\s+)?(?:reference|ref)\b|\bfor\s+reference\b|"
    r"\breference\s+(?:photo|image|picture)\b|\bin\s+the\s+style\s+of\s+(?:the|this|my)\s+"
    r"(?:photo|picture|image)\b"
)

# One-word messages one typo away from a conversation word ("undp", "cancle", "hisotry").
_ONE_WORD: dict[str, Intent] = {
    "undo": Intent.UNDO, "redo": Intent.REDO, "retry": Intent.RETRY, "again": Intent.RETRY,
    "cancel": Intent.CANCEL, "stop": Intent.CANCEL, "abort": Intent.CANCEL,
    "history": Intent.HISTORY, "versions": Intent.HISTORY, "help": Intent.HELP,
}  # fmt: skip
# Real words one typo away from those: never read as conversation words.
_NOT_TYPOS = wordset(
    """step shop stomp stoop atop slop stow stops hell held helm kelp yelp hello heap hemp
    undue redd reds rode red retro cancer about aboard gain agin versus version"""
)


def conversation_core(body: str) -> str:
    """The message without fillers around it: "ok, undo that please!" -> "undo that".

    Written as a scan, not one regex: `.*?` followed by optional trailing classes would try
    every split of a long run of spaces.
    """
    end = len(body)
    while end and not body[end - 1].isalnum():
        end -= 1
    polite = TRAILING_POLITE.search(body, max(0, end - 24), end)
    if polite is not None:
        end = polite.start()
        while end and not body[end - 1].isalnum():
            end -= 1
    start = LEAD_FILLER.match(body, 0, end)
    return body[start.end() if start else 0 : end]


def near_conversation_word(core: str) -> Intent | None:
    if not core.isalpha() or core in _NOT_TYPOS or not 4 <= len(core) <= 8:
        return None
    hits = {intent for word, intent in _ONE_WORD.items() if one_edit(core, word)}
    return hits.pop() if len(hits) == 1 else None
