"""Per-user state storage: a botbuilder ``Storage`` kept in one SQLite file.

Why SQLite: the state must survive a restart (a half-done permission application
should not vanish) and the bot runs as one process without a database server. With
``state_path=None`` the same class runs on an in-memory database, so tests and
production share one code path, including the JSON round-trip that proves the
state is serialisable.

Values are JSON objects (dicts). Concurrency is handled above this layer (one
asyncio lock per key in ``teams.py``), so e-tags are not used.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

from botbuilder.core import Storage

from bot.settings import Settings

log = logging.getLogger(__name__)

_SCHEMA = "CREATE TABLE IF NOT EXISTS items (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


class SqliteStorage(Storage):
    """botbuilder ``Storage`` on SQLite; every read returns fresh copies (no shared dicts)."""

    def __init__(self, path: Path | None):
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(":memory:" if path is None else str(path))
        # WAL + NORMAL: a commit costs microseconds, not an fsync, and a crash loses at most
        # the last few turns' state, never the file.
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)

    async def read(self, keys: list[str]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key in keys:
            row = self._db.execute("SELECT value FROM items WHERE key = ?", (key,)).fetchone()
            if row is None:
                continue
            try:
                result[key] = json.loads(row[0])
            except json.JSONDecodeError:
                # A damaged row must not lock the user out: start them afresh, keep a trace.
                log.warning("state for %s is not valid JSON; starting afresh", key)
        return result

    async def write(self, changes: dict[str, Any]) -> None:
        rows = [(key, json.dumps(_plain(value), ensure_ascii=False)) for key, value in changes.items()]
        with self._db:
            self._db.executemany(
                "INSERT INTO items (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                rows,
            )

    async def delete(self, keys: list[str]) -> None:
        with self._db:
            self._db.executemany("DELETE FROM items WHERE key = ?", [(key,) for key in keys])

    def close(self) -> None:
        self._db.close()


def _plain(value: Any) -> dict:
    """Only JSON objects are stored; anything else is a programming error, said clearly."""
    if not isinstance(value, dict):
        raise TypeError(f"SqliteStorage stores dicts, got {type(value).__name__}")
    return value


def open_storage(settings: Settings) -> SqliteStorage:
    """The storage the settings ask for: a file at ``state_path``, or in memory when None."""
    return SqliteStorage(settings.state_path)
