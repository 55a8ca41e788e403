"""CLI: `python -m bot [run]`, `python -m bot migrate`, `python -m bot explain ...`,
`python -m bot backup PATH`, `python -m bot sandbox [--host H] [--port P]`."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

USAGE = """usage: python -m bot [run | migrate | backup PATH | explain [OPTIONS] TEXT |
                     sandbox [OPTIONS]]

  explain options: [--video SECONDS] [--photos N] [--group] [--jsonl]
  sandbox options: [--host H] [--port P]

  run       run the bot (the default)
  migrate   apply database migrations and exit
  backup    write a consistent copy of the database to PATH (a file or a directory)
  explain   print, as JSON, what the bot would do with TEXT, without spending
  sandbox   the real bot in a web chat page, against a built-in Telegram: no token needed
"""


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "run"
    if command in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    if command == "explain":
        from bot.explain import main as explain_main

        return explain_main(argv[1:])
    if command == "sandbox":
        from bot.sandbox.run import main as sandbox_main

        return sandbox_main(argv[1:])
    if command not in {"run", "migrate", "backup"}:
        print(f"unknown command {command!r}\n\n{USAGE}", file=sys.stderr)
        return 2

    # Imported here, not at the top: `explain` starts faster without asyncio (and it is run
    # once per message by tools that call it).
    from bot import event_loop
    from bot.config import ConfigError, load_settings

    try:
        settings = load_settings()
        if command == "run":
            settings.require_token()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    if command == "migrate":
        return _migrate(settings.database_path)
    if command == "backup":
        return _backup(settings.database_path, argv[1:])
    from bot.app import run_forever

    try:
        with contextlib.suppress(KeyboardInterrupt):
            event_loop.run(run_forever(settings))
    except ConfigError as exc:  # found at start-up, e.g. a token Telegram rejects
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    return 0


def _migrate(database: Path) -> int:
    import asyncio

    from bot.store.db import Database

    async def migrate() -> list[str]:
        db = await Database.open(database)
        try:
            return await db.migrate()
        finally:
            await db.close()

    applied = asyncio.run(migrate())
    print(f"applied {len(applied)} migration(s): {', '.join(applied) or 'none needed'}")
    return 0


def _backup(database: Path, args: list[str]) -> int:
    import asyncio

    from bot.store.backup import BackupError, backup_database

    if len(args) != 1:
        print(f"backup needs one PATH\n\n{USAGE}", file=sys.stderr)
        return 2
    try:
        written = asyncio.run(backup_database(database, Path(args[0])))
    except BackupError as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 1
    print(f"backed up {database} to {written}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
