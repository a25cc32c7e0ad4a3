"""Index upkeep put off to the end of an import into an empty book, and finished if it died.

Into an empty book the clusterer holds every blocking key in memory, so the book's own
indexes go unread until the import ends: the index of blocking keys by key (some seven keys a
record, inserted all over a B-tree), the index of observations by lead (three records in
ten join a lead written earlier, each dirtying a page of it) and
the full-text index (kept row by row by triggers). The keys themselves are written as
usual, clustered by lead, nearly in order; the indexes are built once at the end (a sort
each, one rebuild).

While put off, a ``meta`` row says so and holds what was dropped. Whoever opens the book next
finishes the work if the import did not (killed, or the machine went down). Each step can run
twice, so a process that opens the book during the import may finish it early; the import
then goes on with its indexes kept as usual.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from sqlite_utils import Database

from prospect.storage.migrations import FACET_INDEXES

__all__ = ["begin", "finish", "repair"]

_MARK = "deferred_upkeep"
# What is put off: the triggers that keep the text index, the index of leads by key,
# that of observations by lead, and those the lead list counts its facets with.
_PUT_OFF = ("SELECT type, name, sql FROM sqlite_master WHERE (type = 'trigger' "
            "AND tbl_name = 'leads' AND sql LIKE '%leads_fts%') "
            "OR (type = 'index' AND name IN ('lead_keys_key', 'observations_lead', "
            + ", ".join(f"'{name}'" for name in FACET_INDEXES) + "))")


@contextlib.contextmanager
def _immediate(db: Database) -> Iterator[None]:
    # Take the write lock before reading the mark, so two processes never both act on it.
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.conn.rollback()
        raise
    db.execute("COMMIT")


def begin(db: Database) -> None:
    """Drop the text-index triggers and the index of leads by key; remember them."""
    with _immediate(db):
        dropped = db.execute(_PUT_OFF).fetchall()
        for kind, name, _ in dropped:
            db.execute(f'DROP {kind.upper()} "{name}"')
        mark = {"sql": [[kind, name, sql] for kind, name, sql in dropped]}
        db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                   "SET value = excluded.value", [_MARK, json.dumps(mark)])


def finish(db: Database) -> None:
    """Build what :func:`begin` dropped."""
    with _immediate(db):
        _restore(db)


def repair(db: Database, notice: Callable[[str], None] | None = None) -> bool:
    """Finish the upkeep an import left undone; say whether there was any.

    ``notice`` hears of it first: on a large book it takes a while. A book that cannot be
    written now (read-only, or locked past the busy timeout) is left for a later open: it
    reads correctly meanwhile, but for full-text search.
    """
    if db.execute("SELECT 1 FROM meta WHERE key = ?", [_MARK]).fetchone() is None:
        return False
    if notice:
        notice("building the indexes an import left unbuilt (it was stopped or is running)")
    try:
        with _immediate(db):
            return _restore(db)  # False: another process finished it first
    except sqlite3.OperationalError:
        return False


def _mark(db: Database) -> dict[str, Any] | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [_MARK]).fetchone()
    return json.loads(row[0]) if row else None


def _restore(db: Database) -> bool:
    mark = _mark(db)
    if mark is None:
        return False
    present = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    missing = [(kind, sql) for kind, name, sql in mark["sql"] if name not in present]
    # Building the index sorts every key. SQLite's sorter, given helper threads and a small
    # cache, sorts runs that fit the CPU's caches on every core and merges them, faster than
    # with the book's usual large cache.
    cache = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute(f"PRAGMA threads = {min(os.cpu_count() or 1, 4)}")
    db.execute("PRAGMA cache_size = -2000")
    try:
        for _, sql in missing:
            db.execute(sql)
    finally:
        db.execute(f"PRAGMA cache_size = {int(cache)}")
        db.execute("PRAGMA threads = 0")
    if any(kind == "trigger" for kind, _ in missing):
        db.execute("INSERT INTO leads_fts (leads_fts) VALUES ('rebuild')")
    db.execute("DELETE FROM meta WHERE key = ?", [_MARK])
    return True
