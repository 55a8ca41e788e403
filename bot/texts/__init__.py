"""The catalogue: every user-facing sentence, and only here.

The domain returns codes and values (`PlanError`, `Note`, `Refusal`, `Failure`, ...); these
modules turn them into words. Limits in sentences are formatted from the constants that
enforce them. One flat namespace, `texts.X`, gathered from one module per concern:
`chat` (greeting, help, media, versions, settings), `jobs` (status, confirm, failures),
`money` (budgets, spend, stats) and `plans` (why a plan cannot be sent).
"""

from bot.texts.chat import *  # noqa: F403
from bot.texts.fit import *  # noqa: F403
from bot.texts.format import escape as escape
from bot.texts.format import usd as usd
from bot.texts.jobs import *  # noqa: F403
from bot.texts.money import *  # noqa: F403
from bot.texts.plans import *  # noqa: F403
