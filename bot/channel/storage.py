"""Per-user state storage: a botbuilder ``Storage`` kept in one SQLite file.

Why SQLite: the state must survive a restart (a half-done permission application
should not vanish) and the bot runs as one process without a database server. With
``state_path=None`` the same class runs on an in-memory database, so tests and
production share one code path, including the JSON round-trip that proves the
state is serialisable.

Values are JSON objects (dicts). E-tags follow botbuilder's Storage contract as its
Cosmos DB and Blob storages implement it: ``read`` returns each item with its current
``"e_tag"``; a ``write`` that carries the e-tag it read succeeds only if nobody wrote the
item since, otherwise it raises ``ETagConflict`` (a ``KeyError``, like ``MemoryStorage``)
and stores nothing of that call; ``"*"``, ``""`` or no e-tag overwrites. The e-tag is a hash
of the stored JSON, so files written before e-tags existed need no migration. Inside one
process, turns of one user are also ordered by a lock in ``teams.py``; e-tags catch what a
lock cannot see (a second process on the same file).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

from botbuilder.core import Storage

from bot.settings import Settings

log = logging.getLogger(__name__)

_SCHEMA = "CREATE TABLE IF NOT EXISTS items (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
_ANY = (None, "", "*")  # e-tags that mean "overwrite whatever is there"


class ETagConflict(KeyError):
    """The item changed (or disappeared) since it was read; nothing of the write was stored."""


def etag_of(stored: str) -> str:
    return hashlib.blake2b(stored.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


class SqliteStorage(Storage):
    """botbuilder ``Storage`` on SQLite; every read returns fresh copies (no shared dicts)."""

    def __init__(self, path: Path | None):
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(":memory:" if path is None else str(path), timeout=10)
        # WAL + NORMAL: a commit costs microseconds, not an fsync, and a crash loses at most
        # the last few turns' state, never the file.
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)
        self._db.create_function("etag", 1, etag_of, deterministic=True)

    async def read(self, keys: list[str]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key in keys:
            row = self._db.execute("SELECT value FROM items WHERE key = ?", (key,)).fetchone()
            if row is None:
                continue
            try:
                value = json.loads(row[0])
            except json.JSONDecodeError:
                # A damaged row must not lock the user out: start them afresh, keep a trace.
                log.warning("state for %s is not valid JSON; starting afresh", key)
                continue
            if isinstance(value, dict):
                result[key] = {**value, "e_tag": etag_of(row[0])}
        return result

    async def write(self, changes: dict[str, Any]) -> None:
        with self._db:  # one transaction: a conflict on any key rolls back the whole call
            for key, value in changes.items():
                e_tag = _plain(value).get("e_tag")
                # ensure_ascii: the file stays valid UTF-8 even if a lone surrogate slips in.
                stored = json.dumps({k: v for k, v in value.items() if k != "e_tag"})
                if e_tag in _ANY:
                    self._db.execute(
                        "INSERT INTO items (key, value) VALUES (?, ?) "
                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        (key, stored),
                    )
                elif not self._db.execute(
                    "UPDATE items SET value = ? WHERE key = ? AND etag(value) = ?", (stored, key, e_tag)
                ).rowcount:
                    raise ETagConflict(f"{key}: changed since it was read (e_tag {e_tag!r} is stale)")

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
