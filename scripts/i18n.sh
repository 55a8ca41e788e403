#!/usr/bin/env bash
# The bot's translations (gettext catalogues in bot/texts/locale/, see docs/ARCHITECTURE.md).
#   bash scripts/i18n.sh            re-extract the English sentences from bot/texts/, merge them
#                                   into every language's .po (new ones empty, changed ones
#                                   fuzzy), compile, and list what is left to translate
#   bash scripts/i18n.sh compile    only compile .po -> .mo (scripts/setup.sh runs this)
#   bash scripts/i18n.sh missing    only list the untranslated and fuzzy messages
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
BABEL=(.venv/bin/pybabel -q)
LOCALE=bot/texts/locale
LANGS=(ru es pt de)

compile() {  # fuzzy translations are left out: those messages stay English until checked
  "${BABEL[@]}" compile -d "$LOCALE" -D bot
}

missing() {
  "$PY" - "$LOCALE" "${LANGS[@]}" <<'PYEOF'
import sys
from pathlib import Path
from babel.messages.pofile import read_po
root, langs = Path(sys.argv[1]), sys.argv[2:]
left = 0
for lang in langs:
    with (root / lang / "LC_MESSAGES" / "bot.po").open("rb") as f:
        catalog = read_po(f)
    for m in catalog:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if m.fuzzy or not all(strings):
            left += 1
            first = m.id[0] if isinstance(m.id, tuple) else m.id
            print(f"{lang}: {'fuzzy' if m.fuzzy else 'untranslated'}: {first[:90]!r}")
print(f"{left} message(s) to translate" if left else "every message is translated")
PYEOF
}

update() {
  "${BABEL[@]}" extract -F babel.cfg -k msg --sort-output --no-wrap --add-location=file \
    --project=kling-edit-bot --copyright-holder="" -o "$LOCALE/bot.pot" bot/texts
  for lang in "${LANGS[@]}"; do
    if [ -f "$LOCALE/$lang/LC_MESSAGES/bot.po" ]; then
      "${BABEL[@]}" update -i "$LOCALE/bot.pot" -d "$LOCALE" -D bot -l "$lang" \
        --no-wrap --ignore-obsolete
    else
      "${BABEL[@]}" init -i "$LOCALE/bot.pot" -d "$LOCALE" -D bot -l "$lang" --no-wrap
    fi
  done
  # The extraction time changes on every run: left out, so two branches' runs merge cleanly.
  sed -i '/^"POT-Creation-Date: /d' "$LOCALE/bot.pot" "$LOCALE"/*/LC_MESSAGES/bot.po
  compile
  missing
}

case "${1:-update}" in
  compile) compile ;;
  missing) missing ;;
  update) update ;;
  *) echo "usage: $0 [update|compile|missing]" >&2; exit 2 ;;
esac
