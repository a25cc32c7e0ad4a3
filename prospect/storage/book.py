"""The lead book: one SQLite file of deduplicated leads and every raw observation behind them."""

from __future__ import annotations

import array
import contextlib
import functools
import itertools
import json
import operator
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlite_utils import Database

from prospect import keys as blocking
from prospect.errors import BookError
from prospect.models import LEAD_FIELDS, json_text, json_value
from prospect.storage import bulk
from prospect.storage.follow_up import STATUSES, FollowUp
from prospect.storage.merging import Merging
from prospect.storage.migrations import READ_ANEW, migrations
from prospect.storage.part import PREFER_ABSORBED, Part, busy_seconds
from prospect.storage.privacy import Privacy
from prospect.storage.reading import SORTS, LeadFilter, Reading
from prospect.storage.searches import Searches
from prospect.storage.vettings import Vettings

__all__ = ["SORTS", "STATUSES", "BatchWrites", "IngestSummary", "LeadBook", "LeadFilter",
           "join_lines", "split_lines"]

_SQLITE_HEADER = b"SQLite format 3\x00"
# The columns an import writes to a lead (the rest, such as its grade, are kept as they are).
_LEAD_COLUMNS = ("id", *LEAD_FIELDS, "sources", "provenance", "observation_count", "suppressed",
                 "first_seen", "last_seen")
_LEAD_COLUMN = {c: i for i, c in enumerate(_LEAD_COLUMNS)}
_FIELD_COLUMN = {c: _LEAD_COLUMN[c] for c in LEAD_FIELDS}
_FIELD_AT = frozenset(_FIELD_COLUMN.values())
# A new lead's row after its id: no fields, no sources, nothing seen yet.
_NEW_LEAD = (*(None for _ in LEAD_FIELDS), "[]", "{}", 0, 0, None, None)


@dataclass
class IngestSummary:
    """What an import or a search added to the book."""

    read: int = 0
    new_leads: int = 0
    folded: int = 0
    unchanged: int = 0
    forgotten: int = 0
    # The leads this run created or updated, in order (a dict used as an ordered set).
    lead_ids: dict[int, None] = field(default_factory=dict)
    # Leads whose observation came again unchanged: the source still lists them (refresh).
    seen_ids: dict[int, None] = field(default_factory=dict)
    new_ids: dict[int, None] = field(default_factory=dict)  # the leads this run created

    def add(self, other: IngestSummary) -> None:
        """Add another batch's counts (and its leads) to this summary."""
        self.read += other.read
        self.new_leads += other.new_leads
        self.folded += other.folded
        self.unchanged += other.unchanged
        self.forgotten += other.forgotten
        self.lead_ids.update(other.lead_ids)
        self.seen_ids.update(other.seen_ids)
        self.new_ids.update(other.new_ids)



def join_lines(keys: list[str]) -> str | list[str]:
    """Blocking keys as one string, a key a line, to cross between processes; else as they are."""
    text = "\n".join(keys)
    # Normalised values hold no line breaks, so the list is only ever a safeguard.
    return text if keys and text.count("\n") == len(keys) - 1 else keys


def split_lines(keys: str | list[str]) -> list[str]:
    """The keys :func:`join_lines` joined."""
    return keys.split("\n") if isinstance(keys, str) else keys


@dataclass
class BatchWrites:
    """One batch's changes to the book, decided in memory, written here or by the writer."""

    token_total: int
    # lead, source, reference, fetched, raw JSON, fields JSON, match JSON; ids come when written
    observations: list[tuple[int, str, str, str, str, str, str | None]] = field(
        default_factory=list)
    # lead -> positions in observations of what joined it
    touched: dict[int, list[int]] = field(default_factory=dict)
    new_leads: set[int] = field(default_factory=set)
    # The (key, lead) pairs new to the book, as two columns: the keys one a line (see
    # join_lines), the leads as machine integers. Some seven pairs a record cross
    # to the writer (twelve when measured), and a list of that many tuples took longer to
    # unpickle than the writer took to insert.
    keys: str | list[str] = ""
    key_leads: array.array[int] = field(default_factory=lambda: array.array("q"))
    token_delta: dict[str, int] = field(default_factory=dict)

    @property
    def refs(self) -> dict[tuple[str, str], int]:
        """The observations of this batch by (source, reference), with their leads."""
        # Indexed, not unpacked: a starred target makes a list for each row.
        return {(row[1], row[2]): row[0] for row in self.observations}


def _insert(conn: sqlite3.Connection, head: str, rows: Sequence[Sequence[Any]],
            tail: str = "") -> None:
    """Run ``head VALUES (?, ...) tail`` for each of ``rows``, many rows a statement."""
    # sqlite3 spends more on each row of an executemany than SQLite spends inserting a small
    # row; a statement of many rows pays it once. At most 999 parameters a statement:
    # SQLite's limit before 3.32.
    # Such a statement, if a row could make it abort (ABORT, the default), keeps a
    # statement journal to undo its own rows: a copy of each page it changes again, in a
    # temporary file. Heads say OR FAIL (or OR IGNORE) where they can, as the caller's
    # transaction is undone whole on any error (the upsert of leads the book had keeps its
    # journal).
    if not rows:
        return
    width = len(rows[0])
    one = f"({','.join('?' * width)})"
    per = max(1, 999 // width)
    whole = len(rows) - len(rows) % per
    if whole:
        flat = list(itertools.chain.from_iterable(rows[:whole]))
        size = per * width
        conn.executemany(f"{head} VALUES {','.join([one] * per)} {tail}",
                         [flat[i:i + size] for i in range(0, len(flat), size)])
    conn.executemany(f"{head} VALUES {one} {tail}", rows[whole:])


def _provenance_json(provenance: Mapping[str, int]) -> str:
    """``json.dumps(provenance)``: a lead field's name to the id of the observation it came from."""
    # Field names need no escaping and ids are integers, so the text is made directly: half
    # the time of json.dumps, for each of a large import's leads.
    return "{" + ", ".join([f'"{k}": {v}' for k, v in provenance.items()]) + "}"


@functools.lru_cache(maxsize=1024)
def _sources_json(sources: tuple[str, ...]) -> str:
    """A lead's sources as JSON; a large import's leads mostly have the same one or two."""
    return json_text(list(sources))


class LeadBook(Reading, Merging, FollowUp, Vettings, Searches, Privacy, Part):
    """A lead book on disk (or in memory for tests), opened through :meth:`open`.

    Opening, checking and the import's writing are here; the rest is in its parts, a module
    each: reading (and export), merging, follow-up, vettings, searches and runs, privacy.
    """

    def __init__(self, db: Database, path: Path | None) -> None:
        self.db = db
        self.path = path
        self._salt_value: str | None = None
        self._kinds: frozenset[str] | None = None  # the kinds of value forgotten

    # ------------------------------------------------------------------ opening

    @classmethod
    def on_connection(cls, conn: sqlite3.Connection, path: Path) -> LeadBook:
        """The book at ``path`` through a connection another program opened (Datasette's)."""
        return cls(Database(conn), path)

    @classmethod
    def open(cls, path: Path | None, *, create: bool = True, finish_imports: bool = True,
             notice: Callable[[str], None] | None = None, write: bool = True) -> LeadBook:
        """Open the book at ``path`` (``None``: in memory), creating it only when ``create``.

        ``finish_imports``: finish the index upkeep an import put off (see storage.bulk),
        telling ``notice`` first. ``write`` False: the caller only reads, so a book in a
        folder it may not write (SQLite keeps its journal beside the book) opens read-only;
        a writer gets a one-line error saying so.
        """
        if path is None:
            return cls._init(Database(memory=True), None, finish_imports, notice)
        if path.exists() and not _writable(path):
            if write:
                raise BookError(f"the lead book {path} is in a read-only folder or file (SQLite "
                                "writes a journal beside it); move it, or pass --book")
            return cls._open_read_only(path)
        if not path.exists():
            if not create:
                raise BookError(f"no lead book at {path}: run 'prospect import' or "
                                "'prospect search' first, or pass --book")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                # Owner-only from the first byte: the book holds people's contact details.
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            except OSError as ex:
                raise BookError(f"cannot create the lead book at {path}: {ex.strerror}") from ex
        else:
            try:
                with path.open("rb") as fh:
                    header = fh.read(16)
            except OSError as ex:
                raise BookError(f"cannot read the lead book at {path}: {ex.strerror}") from ex
            if header and header != _SQLITE_HEADER:
                raise BookError(f"{path} is not a lead book (not an SQLite file); "
                                "it was left untouched")
        try:
            conn = sqlite3.connect(str(path), timeout=busy_seconds())
            return cls._init(Database(conn), path, finish_imports, notice)
        except sqlite3.DatabaseError as ex:
            raise BookError(_db_message(path, ex)) from ex

    @classmethod
    def _open_read_only(cls, path: Path) -> LeadBook:
        """Open for reading only: no migration, no journal mode change, nothing written."""
        uri = f"file:{quote(str(path))}?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=busy_seconds())
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            # A WAL book whose -shm cannot be made here: read the file as it stands.
            conn = sqlite3.connect(uri + "&immutable=1", uri=True)
        db = Database(conn)
        known = {m.name for m in migrations._migrations}
        try:
            applied = {m.name for m in migrations.applied(db)}
        except sqlite3.DatabaseError as ex:
            raise BookError(_db_message(path, ex)) from ex
        if applied - known or known - applied:
            raise BookError(f"the lead book {path} needs a schema change, and its folder is "
                            "read-only; open it once where it can be written")
        return cls(db, path)

    @classmethod
    def _init(cls, db: Database, path: Path | None, finish_imports: bool = True,
              notice: Callable[[str], None] | None = None) -> LeadBook:
        db.execute(f"PRAGMA busy_timeout = {int(busy_seconds() * 1000)}")
        known = {m.name for m in migrations._migrations}
        applied = {m.name for m in migrations.applied(db)}
        # Refused before anything is written: another program's SQLite file is not ours to
        # switch to WAL, and a newer prospect's book is not ours to migrate.
        if applied - known:
            raise BookError(f"the lead book {path} was written by a newer prospect "
                            f"(schema {sorted(applied - known)[-1]}); upgrade prospect")
        tables = set(db.table_names())
        if not applied and tables - {"_sqlite_migrations"}:
            raise BookError(f"{path} is an SQLite file but not a lead book; it was left untouched")
        if path is not None:
            wal = path.with_name(path.name + "-wal")
            if wal.exists() and wal.stat().st_size > 0:
                # A journal left behind: the last writer did not close (killed, a crash, or
                # still at work). Check the pages before working on them.
                verdict = str(db.execute("PRAGMA quick_check").fetchone()[0])
                if verdict != "ok":
                    raise BookError(f"the lead book {path} is damaged ({verdict}); it was left "
                                    "untouched; 'prospect doctor' says more")
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA foreign_keys = ON")
        # Deleted rows are overwritten, so a forgotten e-mail does not linger in free pages.
        db.execute("PRAGMA secure_delete = ON")
        db.execute("PRAGMA synchronous = NORMAL")
        # Up to 128 MB of pages (taken only as used): a large import writes its blocking keys
        # all over a B-tree that the default 2 MB cannot hold.
        db.execute("PRAGMA cache_size = -131072")
        pending = {m.name for m in migrations.pending(db)}
        if pending:
            migrations.apply(db)
            if notice and applied and not pending.isdisjoint(READ_ANEW) \
                    and db.execute("SELECT 1 FROM observations LIMIT 1").fetchone():
                notice("the lead book was brought up to this version, which reads names and "
                       "addresses better; 'prospect dedupe' clusters its leads again")
        if finish_imports:
            bulk.repair(db, notice)
        return cls(db, path)

    def close(self) -> None:
        """Close the underlying connection."""
        self.db.close()

    # ------------------------------------------------------------------ writing

    # The import engine's view of the book: what it reads to cluster, and how it writes.

    def begin_bulk(self) -> None:
        """Put off the book's own indexes while an import fills an empty book."""
        bulk.begin(self.db)

    def finish_bulk(self) -> None:
        """Build the indexes :meth:`begin_bulk` put off."""
        bulk.finish(self.db)

    def transaction(self) -> contextlib.AbstractContextManager[Any]:
        """One transaction: everything written inside it is kept, or none of it."""
        return self.db.atomic()

    def holds_nothing(self) -> bool:
        """Whether no table holds a row that a user, an import or a search put there."""
        # The book's own bookkeeping (its meta rows, its migrations, the text index's
        # configuration) is there from the start.
        tables = [name for (name,) in self.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN "
            "('meta', '_sqlite_migrations') AND name NOT LIKE 'leads_fts%' "
            "AND name NOT LIKE 'sqlite_%'")]
        return not any(self.db.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone()
                       for name in tables)

    def serve_as_writer(self, *, sync: bool = True) -> None:
        """Set this connection up to write an import's batches beside the clustering process.

        ``sync=False``: do not wait for the disk at checkpoints, for a book that
        :meth:`holds_nothing` but the import (see below).
        """
        if not sync:
            # A crash of the program loses nothing committed either way; without syncs a
            # power cut or a crash of the system during the import can damage the file,
            # which then held nothing the input does not. Every page is synced at the
            # import's end, by the first checkpoint of a connection that syncs (the one
            # that builds the put-off indexes, or the last to close).
            self.db.execute("PRAGMA synchronous = OFF")
        # It writes lead by lead, nearly in order, beside a clustering process that holds
        # the big index: a quarter of the usual page cache keeps the two within memory.
        self.db.execute("PRAGMA cache_size = -32768")
        # Every lead a batch refers to is written first, in the same transaction (see
        # write): checking each observation's and key's lead again is work for nothing.
        # The tests check the written books with foreign_key_check.
        self.db.execute("PRAGMA foreign_keys = OFF")
        # A batch dirties the same pages as the one before (the tables' last pages, the
        # leads it joins, the B-trees' upper levels): checkpointed every 64 MB of log, not
        # every 4 MB (SQLite's default), such a page is copied into the book once for many
        # batches, and the book is synced less often.
        self.db.execute("PRAGMA wal_autocheckpoint = 16384")

    def next_lead_id(self) -> int:
        """The id the next new lead gets."""
        return int((self.db.execute("SELECT max(id) FROM leads").fetchone()[0] or 0) + 1)

    def name_token_counts(self) -> tuple[int, dict[str, int]]:
        """How many names the book has counted, and in how many of them each word is."""
        total = self.db.execute("SELECT value FROM meta WHERE key = 'token_total'").fetchone()
        counts = dict(self.db.execute("SELECT token, count FROM name_tokens").fetchall())
        return (int(total[0]) if total else 0), counts

    def leads_with_key(self, key: str) -> list[int]:
        """The leads that carry blocking key ``key``."""
        return [r[0] for r in self.db.execute("SELECT lead_id FROM lead_keys WHERE key = ?",
                                              [key])]

    def observation_fields(self, lead_id: int) -> Iterator[tuple[dict[str, str], str]]:
        """The normalised fields and the source of each of a lead's observations, oldest
        first."""
        for fields, source in self.db.execute(
                "SELECT fields, source FROM observations WHERE lead_id = ? ORDER BY id",
                [lead_id]):
            yield json.loads(fields), source

    def existing_leads(self, lead_ids: set[int]) -> set[int]:
        """Those of ``lead_ids`` that are leads of the book."""
        return {r[0] for r in self.db.execute(
            f"SELECT id FROM leads WHERE id IN ({','.join('?' * len(lead_ids))})",
            list(lead_ids))}

    def write_batch(self, writes: BatchWrites) -> None:
        """Write one batch's decisions in a transaction of its own."""
        with self.db.atomic():
            self.write(writes)

    def has_written(self, refs: Mapping[tuple[str, str], int]) -> bool:
        """Whether the batch that holds these observations is in the book."""
        return bool(self.existing(set(itertools.islice(refs, 1))))

    def write(self, writes: BatchWrites) -> None:
        """Write one batch's decisions (within the caller's transaction)."""
        first = (self.db.execute("SELECT max(id) FROM observations").fetchone()[0] or 0) + 1
        rows = writes.observations  # (lead, source, reference, fetched, raw, fields, match)
        self._write_leads({lead: [(first + i, json_value(rows[i][5]), rows[i][1], rows[i][3])
                                  for i in items]
                           for lead, items in writes.touched.items()}, writes.new_leads)
        _insert(self.db.conn, "INSERT OR FAIL INTO observations (id, lead_id, source, reference, "
                "fetched_at, raw, fields, match)",
                [(first + i, *row) for i, row in enumerate(writes.observations)])
        keys = zip(split_lines(writes.keys), writes.key_leads, strict=True)
        # In lead order the keys' B-tree is written page by page.
        _insert(self.db.conn, "INSERT OR IGNORE INTO lead_keys (key, lead_id)",
                sorted(keys, key=operator.itemgetter(1)))
        self.db.conn.executemany(
            "INSERT INTO name_tokens (token, count) VALUES (?, ?) "
            "ON CONFLICT(token) DO UPDATE SET count = count + excluded.count",
            writes.token_delta.items())
        self.db.execute("INSERT INTO meta (key, value) VALUES ('token_total', ?) "
                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        [str(writes.token_total)])
        self._apply_suppressions(list(writes.touched))

    def existing(self, keys: set[tuple[str, str]]) -> dict[tuple[str, str], int | None]:
        """The observations among ``keys`` already in the book, with their lead ids."""
        found: dict[tuple[str, str], int | None] = {}
        by_source: dict[str, list[str]] = {}
        for source, ref in keys:
            by_source.setdefault(source, []).append(ref)
        for source, refs in by_source.items():
            for i in range(0, len(refs), 500):
                chunk = refs[i:i + 500]
                found.update(((s, r), lead) for s, r, lead in self.db.execute(
                    f"SELECT source, reference, lead_id FROM observations WHERE source = ? AND "
                    f"reference IN ({','.join('?' * len(chunk))})", [source, *chunk]).fetchall())
        return found

    def _write_leads(self, touched: Mapping[int, list[tuple[int, dict[str, str], str, str]]],
                     new_leads: set[int]) -> None:
        """Fill each touched lead: a field takes the first observation's value that has it."""
        # Rows as lists in _LEAD_COLUMNS order, not dicts: a large import writes most of its
        # records as new leads, and a dict per row would cost as much as writing them.
        old: dict[int, list[Any]] = {}
        ids = [i for i in touched if i not in new_leads]
        select = f"SELECT {','.join(_LEAD_COLUMNS)} FROM leads WHERE id IN "
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for found in self.db.execute(select + f"({','.join('?' * len(chunk))})", chunk):
                old[found[0]] = list(found)
        rows: list[list[Any]] = []  # leads the book had
        fresh: list[list[Any]] = []  # leads it did not have
        filled: set[int] = set()  # the field columns some fresh lead has a value for
        first, last = _LEAD_COLUMN["first_seen"], _LEAD_COLUMN["last_seen"]
        count, seen_in = _LEAD_COLUMN["observation_count"], _LEAD_COLUMN["sources"]
        origin = _LEAD_COLUMN["provenance"]
        column = _FIELD_COLUMN.get
        for lead_id, items in touched.items():
            row = old.get(lead_id)
            if row is None and len(items) == 1:
                # Most leads of a large import: new, and seen once in this batch.
                obs_id, fields, source, fetched = items[0]
                row = [lead_id, *_NEW_LEAD]
                came: list[str] = []  # the fields it gave
                for key, value in fields.items():
                    at = column(key)
                    if at is not None and value:
                        row[at] = value
                        filled.add(at)
                        came.append(key)
                row[first] = row[last] = fetched
                row[count] = 1
                row[origin] = _provenance_json(dict.fromkeys(came, obs_id))
                row[seen_in] = _sources_json((source,))
                fresh.append(row)
                continue
            if row is None:
                row = [lead_id, *_NEW_LEAD]
                provenance: dict[str, int] = {}
                sources: list[str] = []
                fresh.append(row)
            else:
                provenance = json_value(row[origin])
                sources = json_value(row[seen_in])
                rows.append(row)
            for obs_id, fields, source, fetched in items:
                for key, value in fields.items():
                    at = _FIELD_COLUMN.get(key)
                    if at is not None and value and not row[at]:
                        row[at] = value
                        provenance[key] = obs_id
                        filled.add(at)
                if source not in sources:
                    sources.append(source)
                row[first] = min(row[first], fetched) if row[first] else fetched
                row[last] = max(row[last], fetched) if row[last] else fetched
                row[count] += 1
            row[origin] = _provenance_json(provenance)
            row[seen_in] = _sources_json(tuple(sources))
        if fresh:
            # A lead has a few of its twenty-odd fields; a column every fresh row leaves empty
            # is left to its default (NULL), not bound row by row (half the insert's time).
            kept = [i for i in range(len(_LEAD_COLUMNS)) if i in filled or i not in _FIELD_AT]
            # New ids: one the book has already is a fault to stop at, not a lead to update.
            _insert(self.db.conn, f"INSERT OR FAIL INTO leads ({','.join(_LEAD_COLUMNS[i] for i in kept)})",
                    list(map(operator.itemgetter(*kept), fresh)))
        if rows:
            _insert(self.db.conn, f"INSERT INTO leads ({','.join(_LEAD_COLUMNS)})", rows,
                    "ON CONFLICT(id) DO UPDATE SET "
                    + ",".join(f"{c} = excluded.{c}" for c in _LEAD_COLUMNS[1:]))

    def _recompute(self, lead_id: int) -> None:
        """Rebuild one lead's fields and keys from its observations (after merge or forget)."""
        obs = list(self.db.query(
            "SELECT id, fields, source, fetched_at FROM observations WHERE lead_id = ? "
            "ORDER BY id", [lead_id]))
        # A field takes the first value in this order: the lead's own observations before
        # those a user merge brought in, unless that merge preferred the other lead's.
        place: dict[int, int] = {}
        for k, (moved, reason) in enumerate(self.db.execute(
                "SELECT observation_ids, reason FROM merges WHERE kept_id = ? AND undone IS NULL "
                "ORDER BY id", [lead_id]).fetchall(), start=1):
            for obs_id in json.loads(moved):
                place[obs_id] = -k if reason == PREFER_ABSORBED else k
        obs.sort(key=lambda o: (place.get(o["id"], 0), o["id"]))
        self.db.execute("DELETE FROM lead_keys WHERE lead_id = ?", [lead_id])
        if not obs:
            self.db.execute("DELETE FROM leads WHERE id = ?", [lead_id])
            return
        self.db.execute("UPDATE leads SET " + ",".join(f"{c} = NULL" for c in LEAD_FIELDS)
                        + ", sources = '[]', provenance = '{}', observation_count = 0, "
                        "first_seen = NULL, last_seen = NULL WHERE id = ?", [lead_id])
        items = [(o["id"], json.loads(o["fields"]), o["source"], o["fetched_at"]) for o in obs]
        self._write_leads({lead_id: items}, set())
        keys = blocking.record_keys(f for _, f, _, _ in items)
        self.db.conn.executemany("INSERT OR IGNORE INTO lead_keys (key, lead_id) VALUES (?, ?)",
                                 [(k, lead_id) for k in keys])
        self._apply_suppressions([lead_id])

    def integrity(self) -> str:
        """Return SQLite's integrity check verdict ("ok" when the file is sound)."""
        try:
            rows = self.db.execute("PRAGMA integrity_check(100)").fetchall()
        except sqlite3.DatabaseError as ex:
            return str(ex)
        return "\n".join(str(r[0]) for r in rows)



def _writable(path: Path) -> bool:
    """Can this process write the book and the journal files SQLite keeps beside it?"""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _db_message(path: Path, ex: sqlite3.DatabaseError) -> str:
    text = str(ex)
    if "locked" in text or "busy" in text:
        return (f"the lead book {path} is locked by another process (waited "
                f"{busy_seconds():g} s; $PROSPECT_BUSY_TIMEOUT); try again later")
    if "readonly" in text or "read-only" in text:
        return f"the lead book {path} is on a read-only path; pass --book to use another file"
    if "malformed" in text or "not a database" in text:
        return f"the lead book {path} is corrupt ({text}); it was left untouched"
    return f"cannot open the lead book {path}: {text}"


def db_error(path: Path, ex: sqlite3.DatabaseError) -> BookError:
    """Turn an sqlite error on the book at ``path`` into a one-line BookError."""
    return BookError(_db_message(path, ex))

