"""The catalogue: every user-facing sentence, and only here, in the current language.

The domain returns codes and values (`PlanError`, `Note`, `Refusal`, `Failure`, ...); these
modules turn them into words. Limits in sentences are formatted from the constants that
enforce them. One flat namespace, `texts.X`, gathered from one module per concern:
`chat` (greeting, help, media, versions, settings), `jobs` (status, confirm, failures),
`money` (budgets, spend, stats), `plans` (why a plan cannot be sent), `credits` (Stars) and
`operator` (the operator's log lines, English only).

Sentences are English in the code and translated by gettext (`i18n`): a constant
(`texts.START`) is rendered when it is read, a function (`texts.history(...)`) when it is
called, both in the language the edge set for this update (`texts.speaking`, `texts.use`).
"""

from typing import Any

from bot.texts.asides import *  # noqa: F403
from bot.texts.chat import *  # noqa: F403
from bot.texts.credits import *  # noqa: F403
from bot.texts.fit import *  # noqa: F403
from bot.texts.format import escape as escape
from bot.texts.format import usd as usd
from bot.texts.i18n import Lazy as _Lazy
from bot.texts.i18n import current as current
from bot.texts.i18n import speaking as speaking
from bot.texts.i18n import use as use
from bot.texts.jobs import *  # noqa: F403
from bot.texts.money import *  # noqa: F403
from bot.texts.operator import *  # noqa: F403
from bot.texts.plans import *  # noqa: F403

# Constants are served by __getattr__, so each read renders them in the current language.
_LAZY: dict[str, _Lazy] = {
    name: value for name, value in list(globals().items()) if isinstance(value, _Lazy)
}
for _name in _LAZY:
    del globals()[_name]


def __getattr__(name: str) -> Any:
    try:
        return _LAZY[name].render()
    except KeyError:
        raise AttributeError(f"module 'bot.texts' has no attribute {name!r}") from None
