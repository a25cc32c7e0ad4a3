"""The lead book: one SQLite file of deduplicated leads and every raw observation behind them."""

from __future__ import annotations

import array
import contextlib
import datetime as dt
import functools
import gc
import hashlib
import itertools
import json
import math
import operator
import os
import re
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

from sqlite_utils import Database

from prospect import dedupe, parallel_csv
from prospect import normalize as n
from prospect.errors import BookError, NotFoundError
from prospect.models import LEAD_FIELDS, Observation, json_text, json_value, now_iso
from prospect.storage import bulk, prepare, writer
from prospect.storage.migrations import migrations

if TYPE_CHECKING:
    from prospect.vetting.grade import Vetting

__all__ = ["SORTS", "STATUSES", "IngestSummary", "LeadBook", "LeadFilter"]

# What leads can be sorted by, and how.
SORTS: dict[str, str] = {
    "id": "id", "name": "name COLLATE NOCASE", "country": "country, id",
    "first_seen": "first_seen DESC", "last_seen": "last_seen DESC",
    "grade": "grade IS NULL, grade, id", "rank": "rank_score IS NULL, rank_score DESC, id",
    "touched": "coalesce(touched_at, first_seen), id",
    "distance": ""}  # nearest to LeadFilter.near first: the expression needs the point
# The follow-up stages, in pipeline order; "rejected" ends a lead at any stage.
STATUSES: tuple[str, ...] = ("new", "contacted", "replied", "qualified", "customer", "rejected")

_SQLITE_HEADER = b"SQLite format 3\x00"
# The columns an import writes to a lead (the rest, such as its grade, are kept as they are).
_LEAD_COLUMNS = ("id", *LEAD_FIELDS, "sources", "provenance", "observation_count", "suppressed",
                 "first_seen", "last_seen")
_LEAD_COLUMN = {c: i for i, c in enumerate(_LEAD_COLUMNS)}
_FIELD_COLUMN = {c: _LEAD_COLUMN[c] for c in LEAD_FIELDS}
_FIELD_AT = frozenset(_FIELD_COLUMN.values())
# A new lead's row after its id: no fields, no sources, nothing seen yet.
_NEW_LEAD = (*(None for _ in LEAD_FIELDS), "[]", "{}", 0, 0, None, None)
BATCH = 5000
# The reason of a user merge whose absorbed lead's values win over the kept lead's.
_PREFER_ABSORBED = "user, values of the absorbed lead"


def _now() -> str:
    return now_iso()


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


@dataclass(frozen=True)
class LeadFilter:
    """The filters ``leads`` and ``export`` share."""

    country: Sequence[str] = ()
    search: str | None = None
    source: str | None = None
    include_suppressed: bool = True
    grades: Sequence[str] = ()
    statuses: Sequence[str] = ()
    not_touched_days: int | None = None  # no note or status change for this many days
    tiers: Sequence[str] = ()
    near: tuple[float, float] | None = None  # (latitude, longitude)
    within_km: float = 10.0
    sort: str = "id"
    limit: int | None = None

    def where(self) -> tuple[str, list[Any]]:
        """Return the SQL condition and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.country:
            codes = [n.normalize_country(c) or c.upper() for c in self.country]
            clauses.append(f"country IN ({','.join('?' * len(codes))})")
            params.extend(codes)
        if self.search:
            clauses.append("id IN (SELECT rowid FROM leads_fts WHERE leads_fts MATCH ?)")
            params.append(" ".join(f'"{t}"' for t in self.search.replace('"', " ").split()))
        if self.source:
            # An import's default name is "import:FILE"; the file name alone finds it too.
            # Few leads' lists of sources differ: pick the lists that name it once (read from
            # their index), then find the leads by list, not by opening every lead's list.
            clauses.append("sources IN (SELECT sources FROM leads GROUP BY sources HAVING EXISTS "
                           "(SELECT 1 FROM json_each(sources) WHERE value IN (?, ?)))")
            params.extend((self.source, f"import:{self.source}"))
        if not self.include_suppressed:
            clauses.append("suppressed = 0")
        if self.grades:
            clauses.append(f"grade IN ({','.join('?' * len(self.grades))})")
            params.extend(g.upper() for g in self.grades)
        if self.statuses:
            clauses.append(f"status IN ({','.join('?' * len(self.statuses))})")
            params.extend(self.statuses)
        if self.tiers:
            clauses.append(f"tier IN ({','.join('?' * len(self.tiers))})")
            params.extend(self.tiers)
        if self.not_touched_days is not None:
            # A lead never touched counts from when it was first seen.
            clauses.append("coalesce(touched_at, first_seen) < ?")
            params.append(untouched_cutoff(self.not_touched_days))
        if self.near is not None:
            clauses.append(f"latitude IS NOT NULL AND {self.squared_km()} <= ?")
            params.append(self.within_km ** 2)
        return (" AND ".join(clauses) or "1"), params

    def squared_km(self) -> str:
        """SQL for the squared distance in km from ``near`` to a lead's position.

        Equirectangular: exact enough within a few hundred km, and plain arithmetic, so every
        connection (the export's workers too) can run it. The point is two floats, written
        into the SQL as numbers: no text reaches it.
        """
        if self.near is None:
            raise ValueError("a distance needs a point (--near LAT,LON)")
        lat, lon = (float(x) for x in self.near)
        k = 111.195 * math.cos(math.radians(lat))
        return (f"((latitude - {lat!r}) * 111.195) * ((latitude - {lat!r}) * 111.195) + "
                f"((longitude - {lon!r}) * {k!r}) * ((longitude - {lon!r}) * {k!r})")


def untouched_cutoff(days: int) -> str:
    """The time before which a lead counts as not touched for ``days`` days, as stored."""
    return (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)).isoformat(timespec="seconds")


@dataclass
class _Writes:
    """One batch's changes to the book, decided in memory, written here or by the writer."""

    token_total: int
    # lead, source, reference, fetched, raw JSON, fields JSON, match JSON; ids come when written
    observations: list[tuple[int, str, str, str, str, str, str | None]] = field(
        default_factory=list)
    # lead -> positions in observations of what joined it
    touched: dict[int, list[int]] = field(default_factory=dict)
    new_leads: set[int] = field(default_factory=set)
    # The (key, lead) pairs new to the book, as two columns: the keys one a line (see
    # prepare.join_lines), the leads as machine integers. Some seven pairs a record cross
    # to the writer (twelve when measured), and a list of that many tuples took longer to
    # unpickle than the writer took to insert.
    keys: str | list[str] = ""
    key_leads: array.array[int] = field(default_factory=lambda: array.array("q"))
    token_delta: dict[str, int] = field(default_factory=dict)

    @property
    def refs(self) -> dict[tuple[str, str], int]:
        """The observations of this batch by (source, reference), with their leads."""
        return {(source, ref): lead for lead, source, ref, *_ in self.observations}


_WRITING: dict[str, LeadBook] = {}


def _write_in_worker(path: str, writes: _Writes) -> None:
    """Write one batch in the writer process, on a connection of its own kept across batches."""
    book = _WRITING.get(path)
    if book is None:
        # Not finish_imports: this process is the import that put the upkeep off.
        book = _WRITING[path] = LeadBook.open(Path(path), create=False, finish_imports=False)
        # It writes lead by lead, nearly in order, beside a clustering process that holds
        # the big index: a quarter of the usual page cache keeps the two within memory.
        book.db.execute("PRAGMA cache_size = -32768")
        # Every lead a batch refers to is written first, in the same transaction (see
        # write): checking each observation's and key's lead again is work for nothing.
        # The tests check the written books with foreign_key_check.
        book.db.execute("PRAGMA foreign_keys = OFF")
    with book.db.atomic():
        book.write(writes)


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


# The hash that stands for an observation's (source, reference) in _decide (tests make all
# of them alike, as if every pair shared its hash with another).
_pair_hash = hash


class _Met:
    """Hashes met, as bits: each one added is "maybe met", most others "not met"."""

    # 2^26 bits, 8 MB, however large the import, where a set of the hashes themselves grows
    # with it. A hash that shares its bit with another is looked up for nothing: rare.
    BITS = 1 << 26

    def __init__(self) -> None:
        self.bits = bytearray(self.BITS >> 3)

    def __contains__(self, h: int) -> bool:
        at = h & (self.BITS - 1)
        return bool(self.bits[at >> 3] & (1 << (at & 7)))

    def update(self, hashes: Iterable[int]) -> None:
        """Mark each of ``hashes`` met."""
        bits, mask = self.bits, self.BITS - 1
        for h in hashes:
            at = h & mask
            bits[at >> 3] |= 1 << (at & 7)


def _free_later(objects: list[Any]) -> threading.Thread:
    """Empty ``objects`` on a thread of its own (started): what only the list held is freed there."""
    thread = threading.Thread(target=objects.clear, name="prospect-free", daemon=True)
    thread.start()
    return thread


def _provenance_json(provenance: Mapping[str, int]) -> str:
    """``json.dumps(provenance)``: a lead field's name to the id of the observation it came from."""
    # Field names need no escaping and ids are integers, so the text is made directly: half
    # the time of json.dumps, for each of a large import's leads.
    return "{" + ", ".join([f'"{k}": {v}' for k, v in provenance.items()]) + "}"


@functools.lru_cache(maxsize=1024)
def _sources_json(sources: tuple[str, ...]) -> str:
    """A lead's sources as JSON; a large import's leads mostly have the same one or two."""
    return json_text(list(sources))


class _BookIndex(dedupe.MemoryIndex):
    """The clusterer's index: dicts in memory, filled from the book on first use."""

    def __init__(self, db: Database, next_id: int, lazy: bool) -> None:
        super().__init__(next_id=next_id)
        self.db = db
        self.lazy = lazy
        self.first_new_id = next_id
        self.new_keys: list[str] = []
        self.new_key_leads: array.array[int] = array.array("q")
        # Keys already read from the book (only needed when the book had leads before).
        self.looked_up: set[str] = set()

    def _load(self, key: str) -> None:
        if key not in self.looked_up:
            # The first time a key comes up, the leads the book had before this run.
            self.looked_up.add(key)
            for (lead_id,) in self.db.execute("SELECT lead_id FROM lead_keys WHERE key = ?",
                                              [key]):
                self.put(key, lead_id)

    def leads_for_keys(self, keys: list[str]) -> list[Sequence[int]]:
        if self.lazy:
            for key in keys:
                self._load(key)
        return dedupe.MemoryIndex.leads_for_keys(self, keys)  # once a record: no super()

    def profile(self, lead_id: int) -> dedupe.AnyProfile:
        prof = self.profiles.get(lead_id)
        if prof is None:
            prof = dedupe.Profile()
            for (fields,) in self.db.execute(
                    "SELECT fields FROM observations WHERE lead_id = ? ORDER BY id", [lead_id]):
                prof.add(dedupe.signature(json.loads(fields)))
            self.profiles[lead_id] = prof
        return prof

    def add(self, lead_id: int, keys: Iterable[str], sig: dedupe.Signature) -> None:
        if self.lazy:
            keys = list(keys)
            for key in keys:
                self._load(key)
        new = self.put_keys(lead_id, keys)
        self.new_keys += new
        self.new_key_leads.extend([lead_id] * len(new))
        if lead_id < self.first_new_id and lead_id not in self.profiles:
            self.profile(lead_id)  # a lead already in the book: load what it has seen
        dedupe.grow(self.profiles, lead_id, sig)


class LeadBook:
    """A lead book on disk (or in memory for tests), opened through :meth:`open`."""

    def __init__(self, db: Database, path: Path | None) -> None:
        self.db = db
        self.path = path
        self._salt_value: str | None = None
        self._kinds: frozenset[str] | None = None  # the kinds of value forgotten

    # ------------------------------------------------------------------ opening

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
            conn = sqlite3.connect(str(path), timeout=_busy_seconds())
            return cls._init(Database(conn), path, finish_imports, notice)
        except sqlite3.DatabaseError as ex:
            raise BookError(_db_message(path, ex)) from ex

    @classmethod
    def _open_read_only(cls, path: Path) -> LeadBook:
        """Open for reading only: no migration, no journal mode change, nothing written."""
        uri = f"file:{quote(str(path))}?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=_busy_seconds())
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
        db.execute(f"PRAGMA busy_timeout = {int(_busy_seconds() * 1000)}")
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
        if migrations.pending(db):
            migrations.apply(db)
        if finish_imports:
            bulk.repair(db, notice)
        return cls(db, path)

    def close(self) -> None:
        """Close the underlying connection."""
        self.db.close()

    # ------------------------------------------------------------------ reading

    def lead(self, lead_id: int) -> dict[str, Any]:
        """Return one lead as a dict, or raise NotFoundError."""
        rows = list(self.db.query("SELECT * FROM leads WHERE id = ?", [lead_id]))
        if not rows:
            raise NotFoundError(f"no lead with id {lead_id}")
        return _lead_out(rows[0])

    def observations(self, lead_id: int | None = None) -> Iterator[dict[str, Any]]:
        """Yield observations (of one lead, or all in id order), streamed."""
        sql = "SELECT * FROM observations"
        params: list[Any] = []
        if lead_id is not None:
            sql += " WHERE lead_id = ?"
            params.append(lead_id)
        for row in self.db.query(sql + " ORDER BY id", params):
            row["raw"] = json.loads(row["raw"])
            row["fields"] = json.loads(row["fields"])
            row["match"] = json.loads(row["match"]) if row["match"] else None
            yield row

    @staticmethod
    def _order(flt: LeadFilter) -> str:
        order = SORTS.get(flt.sort)
        if order is None:
            raise ValueError(f"cannot sort by {flt.sort!r}; use {', '.join(SORTS)}")
        if flt.sort == "distance":  # placed leads first, nearest first
            order = f"latitude IS NULL, {flt.squared_km()}, id"
        return order + (f" LIMIT {int(flt.limit)}" if flt.limit else "")

    def leads(self, flt: LeadFilter = LeadFilter()) -> Iterator[dict[str, Any]]:
        """Yield the leads that pass ``flt``, streamed in the chosen order."""
        where, params = flt.where()
        for row in self.db.query(f"SELECT * FROM leads WHERE {where} ORDER BY {self._order(flt)}",
                                 params):
            yield _lead_out(row)

    def csv_lines(self, flt: LeadFilter, columns: Sequence[str]) -> Iterator[str]:
        """Yield export rows as CSV lines made by SQLite: lists joined, formula starts guarded.

        The lines :func:`prospect.csvio.write_csv` makes from :meth:`leads`, so that a large
        export runs at the database's speed rather than Python's.
        """
        sql, params = self._csv_select(flt, columns)
        for (line,) in self.db.execute(f"{sql} ORDER BY {self._order(flt)}", params):
            yield line

    def write_csv_lines(self, flt: LeadFilter, columns: Sequence[str], out: IO[str]) -> int:
        """Write the lines of :meth:`csv_lines` (without header) to ``out``; return the count.

        A large export in id order on a book file is read by worker processes, a range of
        ids each (see :mod:`prospect.parallel_csv`); anything else streams from here.
        """
        low, high = self.db.execute("SELECT min(id), max(id) FROM leads").fetchone()
        busy_ms = int(_busy_seconds() * 1000)
        if (self.path is None or flt.sort != "id" or flt.limit or low is None
                or high - low < parallel_csv.FROM_SPAN
                or not parallel_csv.readable(self.path, busy_ms)):
            count = 0
            lines = self.csv_lines(flt, columns)
            for chunk in iter(lambda: list(itertools.islice(lines, 5000)), []):
                out.write("".join(chunk))
                count += len(chunk)
            return count
        sql, params = self._csv_select(flt, columns)
        return parallel_csv.write_ranges(self.path, sql, params, low, high, out, busy_ms)

    def _csv_select(self, flt: LeadFilter, columns: Sequence[str]) -> tuple[str, list[Any]]:
        exprs = []
        for col in columns:
            if col == "sources":
                expr = "(SELECT group_concat(value, '; ') FROM json_each(leads.sources))"
            elif col == "activity":
                expr = (f"(SELECT group_concat(line, ' | ') FROM (SELECT {_ACTIVITY_LINE} "
                        "AS line FROM activities a WHERE a.lead_id = leads.id ORDER BY at, id))")
            elif col in _EXPORTABLE:
                expr = f'"{col}"'
            else:
                raise ValueError(f"unknown column {col!r}")
            exprs.append(_formula_guard(expr))
        # One CSV line a row, as csv.writer writes it (every cell quoted, quotes doubled, CRLF;
        # printf's %w doubles quotes): one string a row instead of a tuple of cells halves
        # what Python spends on a row.
        line = (f"""printf('{",".join(['"%w"'] * len(exprs))}\r\n', """
                + ", ".join(f"coalesce({e}, '')" for e in exprs) + ")")
        where, params = flt.where()
        return f"SELECT {line} FROM leads WHERE ({where})", params

    def merges(self, lead_id: int) -> list[dict[str, Any]]:
        """Return the merges into or out of a lead, oldest first."""
        return list(self.db.query(
            "SELECT * FROM merges WHERE kept_id = ? OR absorbed_id = ? ORDER BY id",
            [lead_id, lead_id]))

    # ------------------------------------------------------------------ writing

    def ingest(self, observations: Iterable[Observation] | prepare.Rereadable,
               progress: Callable[[int], None] | None = None) -> IngestSummary:
        """Add observations: skip ones already seen, dedupe the rest into leads, commit by batch.

        Re-running the same input changes nothing. Killed part way, the book keeps every
        committed batch and a re-run finishes the rest. An input that can be read again (a
        file: see :class:`prepare.Rereadable`) is read in the normalising process.
        """
        summary = IngestSummary()
        clusterer = self._clusterer()
        index = clusterer.index
        assert isinstance(index, _BookIndex)
        into_empty = not index.lazy  # the book's own indexes go unread until the end
        if into_empty:
            bulk.begin(self.db)
        # The index grows by some 10^5 objects a batch and lives until the end; each batch
        # makes and drops as many more. The cyclic collector, left to itself, walks them
        # again and again (100k records: a fifth of this process's time). Records make no
        # cycles (a 100k import left some 30k objects in cycles, all from its last batches),
        # so it waits until the end, and what a batch keeps stays out of its passes.
        # Into an empty book, the observations already in it are this run's: the hashes of
        # their (source, reference) say which of a batch's to look for (see _decide).
        met: _Met | None = _Met() if into_empty else None
        collecting = gc.isenabled()
        gc.disable()
        freeing: threading.Thread | None = None
        try:
            stream = prepare.batches(observations, BATCH)
            ahead = list(itertools.islice(stream, 2))
            # Into an empty book the clustering needs nothing back from the book, so a
            # second process can write batch k while this one clusters batch k+1. An input
            # of one batch has nothing to overlap: starting a process would cost more than
            # its writing.
            with writer.Writer.start(self.path if into_empty and len(ahead) > 1 else None,
                                     _write_in_worker, self._write_here,
                                     operator.attrgetter("refs"), self._written) as pipe:
                for batch, prepared in itertools.chain(ahead, stream):
                    if pipe is None:
                        with self.db.atomic():
                            writes = self._decide(batch, prepared, clusterer, summary, None, met)
                            if writes:
                                self.write(writes)
                    else:
                        pipe.settle(1)
                        writes = self._decide(batch, prepared, clusterer, summary, pipe.flying,
                                              met)
                        if writes:
                            pipe.send(writes)
                    gc.freeze()
                    if progress:
                        progress(len(batch))
                # The index is done with. Freeing it takes a while on a large import, so it
                # goes on in a thread while the writer writes the last batch and SQLite builds
                # the indexes, both of which leave the GIL free.
                doomed = [clusterer, index, met]
                del clusterer, index, met
                freeing = _free_later(doomed)
                if pipe is not None:
                    pipe.settle(0)
            if into_empty:
                bulk.finish(self.db)
        except BaseException:
            if into_empty:
                with contextlib.suppress(Exception):  # else the next open finishes it
                    bulk.finish(self.db)
            raise
        finally:
            if freeing is not None:
                freeing.join()
            gc.unfreeze()
            if collecting:
                gc.enable()
        return summary

    def _clusterer(self) -> dedupe.Clusterer:
        next_id = (self.db.execute("SELECT max(id) FROM leads").fetchone()[0] or 0) + 1
        lazy = next_id > 1
        stats = dedupe.CountingStats()
        total = self.db.execute("SELECT value FROM meta WHERE key = 'token_total'").fetchone()
        stats.total = int(total[0]) if total else 0
        stats.counts = dict(self.db.execute("SELECT token, count FROM name_tokens").fetchall())
        return dedupe.Clusterer(index=_BookIndex(self.db, next_id, lazy), stats=stats)

    def _decide(self, batch: list[prepare.Ref], prepared: prepare.Prepared,
                clusterer: dedupe.Clusterer, summary: IngestSummary,
                flying: Callable[[set[tuple[str, str]]], Mapping[tuple[str, str], int]] | None,
                met: _Met | None = None) -> _Writes | None:
        """Cluster one batch in memory; return what the book must be told (``None``: nothing).

        ``flying``: which of some observations decided earlier are in batches not yet
        written, with their leads.
        ``met``: when the book held no observations before this run, the hashes of the
        (source, reference) of those it decided; this adds the batch's own. Only those
        whose hash may have been met are looked for in the book.
        """
        summary.read += len(batch)
        if met is None:
            wanted = {(source, ref) for source, ref, *_ in batch}
        else:
            # A pair whose hash was met before is looked up (a repeat, or a pair that shares
            # its bit with another); the rest cannot be in the book and are not looked up.
            hashes = [_pair_hash(ref[:2]) for ref in batch]
            wanted = {ref[:2] for ref, h in zip(batch, hashes, strict=True) if h in met}
            met.update(hashes)
        existing: dict[tuple[str, str], int | None] = {}
        if wanted:
            existing.update(self._existing(wanted))
            if flying is not None:
                existing.update(flying(wanted))
        forgotten = self._forgotten_hashes()
        fresh: list[tuple[prepare.Ref, str, str]] = []
        sigs: list[tuple[dedupe.Signature, list[str]]] = []
        seen: set[tuple[str, str]] = set()
        for ref, (sig, keys, fields_json, raw_json) in zip(batch, prepared, strict=True):
            key = ref[:2]  # (source, reference)
            if key in existing or key in seen:
                summary.unchanged += 1
                lead = existing.get(key)
                if lead is not None:
                    summary.seen_ids[lead] = None
                continue
            seen.add(key)
            if forgotten:
                fields = json.loads(fields_json)
                removed = self._scrub(fields, forgotten)
                fields, said = self._redacted(fields, forgotten)
                raw, in_raw = self._redacted(json.loads(raw_json), forgotten)
                if removed or said or in_raw:
                    summary.forgotten += 1
                    sig = dedupe.signature(fields)  # what was forgotten must not find a lead
                    keys = dedupe.blocking_keys(sig)
                    fields_json = json_text(fields)
                    raw_json = json_text(self._scrub_raw(raw, removed))
            fresh.append((ref, fields_json, raw_json))
            sigs.append((sig, keys))
        if not fresh:
            return None
        stats = clusterer.stats
        assert isinstance(stats, dedupe.CountingStats)
        writes = _Writes(token_total=0)
        delta = writes.token_delta
        for sig, _ in sigs:
            for token in set(sig.core.split()):
                delta[token] = delta.get(token, 0) + 1
        stats.add_counts(delta, len(sigs))
        writes.token_total = stats.total
        index = clusterer.index
        assert isinstance(index, _BookIndex)
        now = _now()
        named = {lead for (_, _, lead, _), *_ in fresh if lead is not None}
        alive = {r[0] for r in self.db.execute(
            f"SELECT id FROM leads WHERE id IN ({','.join('?' * len(named))})", list(named))
        } | {i for i in named if index.first_new_id <= i < index.next_id} if named else set()
        for ((source, reference, lead_id, fetched_at), fields_json, raw_json), (sig, keys) in zip(
                fresh, sigs, strict=True):
            if lead_id is not None and lead_id in alive:
                decision = clusterer.attach(sig, lead_id, f"{source} of this lead", keys)
            else:
                decision = clusterer.assign(sig, keys=keys)
            if decision.new:
                writes.new_leads.add(decision.lead_id)
                summary.new_leads += 1
            else:
                summary.folded += 1
            match = None if decision.new else json_text(
                {"score": round(decision.score, 2),
                 "reasons": [[r, w] for r, w in decision.reasons]})
            fetched = fetched_at or now
            writes.touched.setdefault(decision.lead_id, []).append(len(writes.observations))
            writes.observations.append((decision.lead_id, source, reference, fetched,
                                        raw_json, fields_json, match))
        summary.lead_ids.update(dict.fromkeys(writes.touched))
        summary.new_ids.update(dict.fromkeys(sorted(writes.new_leads)))
        writes.keys = prepare.join_lines(index.new_keys)
        writes.key_leads = index.new_key_leads
        index.new_keys, index.new_key_leads = [], array.array("q")
        return writes

    def _write_here(self, writes: _Writes) -> None:
        with self.db.atomic():
            self.write(writes)

    def _written(self, refs: Mapping[tuple[str, str], int]) -> bool:
        return bool(self._existing(set(itertools.islice(refs, 1))))

    def write(self, writes: _Writes) -> None:
        """Write one batch's decisions (within the caller's transaction)."""
        first = (self.db.execute("SELECT max(id) FROM observations").fetchone()[0] or 0) + 1
        rows = writes.observations  # (lead, source, reference, fetched, raw, fields, match)
        self._write_leads({lead: [(first + i, json_value(rows[i][5]), rows[i][1], rows[i][3])
                                  for i in items]
                           for lead, items in writes.touched.items()}, writes.new_leads)
        _insert(self.db.conn, "INSERT OR FAIL INTO observations (id, lead_id, source, reference, "
                "fetched_at, raw, fields, match)",
                [(first + i, *row) for i, row in enumerate(writes.observations)])
        keys = zip(prepare.split_lines(writes.keys), writes.key_leads, strict=True)
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

    def _existing(self, keys: set[tuple[str, str]]) -> dict[tuple[str, str], int | None]:
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
        # Rows as lists in _LEAD_COLUMNS order, not dicts: a large import writes some 70,000
        # leads per 100,000 records, most of them new, and a dict per row doubled the work.
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
                place[obs_id] = -k if reason == _PREFER_ABSORBED else k
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
        keys = {k for _, f, _, _ in items for k in dedupe.blocking_keys(dedupe.signature(f))}
        self.db.conn.executemany("INSERT OR IGNORE INTO lead_keys (key, lead_id) VALUES (?, ?)",
                                 [(k, lead_id) for k in keys])
        self._apply_suppressions([lead_id])

    # ------------------------------------------------------------------ merges

    def merge(self, keep: int, other: int, reason: str = "user", *,
              prefer_other: bool = False) -> None:
        """Fold lead ``other`` into ``keep``; the merge is recorded so it can be undone.

        The kept lead keeps its name, web site, e-mail, phone and every other field it has;
        ``other`` only fills the fields it lacks. With ``prefer_other`` it is the other way
        round (the lead id is still ``keep``).
        """
        if prefer_other:
            reason = _PREFER_ABSORBED
        if keep == other:
            raise ValueError("cannot merge a lead with itself")
        absorbed = self.lead(other)
        self.lead(keep)
        obs_ids = [r[0] for r in self.db.execute(
            "SELECT id FROM observations WHERE lead_id = ?", [other])]
        act_ids = [r[0] for r in self.db.execute(
            "SELECT id FROM activities WHERE lead_id = ?", [other])]
        with self.db.atomic():
            self.db.execute("UPDATE observations SET lead_id = ? WHERE lead_id = ?", [keep, other])
            self._fold_follow_up(keep, other)
            self.db.execute("DELETE FROM lead_keys WHERE lead_id = ?", [other])
            self.db.execute("DELETE FROM leads WHERE id = ?", [other])
            self.db.execute(
                "INSERT INTO merges (kept_id, absorbed_id, observation_ids, absorbed_lead, reason,"
                " created, activity_ids) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [keep, other, json.dumps(obs_ids), json.dumps(absorbed, ensure_ascii=False),
                 reason, _now(), json.dumps(act_ids)])
            self._recompute(keep)

    def unmerge(self, lead_id: int) -> int:
        """Undo the latest merge into ``lead_id``; return the restored lead's id."""
        self.lead(lead_id)
        row = self.db.execute(
            "SELECT id, absorbed_id, observation_ids, activity_ids, absorbed_lead FROM merges "
            "WHERE kept_id = ? AND undone IS NULL ORDER BY id DESC LIMIT 1", [lead_id]).fetchone()
        if row is None:
            raise NotFoundError(f"lead {lead_id} has no merge to undo")
        merge_id, absorbed_id, obs_json, acts_json, absorbed_json = row
        moved = json.loads(obs_json)
        acts = json.loads(acts_json)
        absorbed = json.loads(absorbed_json)
        with self.db.atomic():
            self.db.execute("INSERT INTO leads (id, user_values) VALUES (?, ?)",
                            [absorbed_id, json.dumps(absorbed.get("user_values") or {},
                                                     ensure_ascii=False)])
            if acts:
                self.db.execute(f"UPDATE activities SET lead_id = ? WHERE id IN "
                                f"({','.join('?' * len(acts))})", [absorbed_id, *acts])
            self._follow_up_state(lead_id)
            self._follow_up_state(absorbed_id)
            marks = ",".join("?" * len(moved))
            self.db.execute(f"UPDATE observations SET lead_id = ? WHERE id IN ({marks})",
                            [absorbed_id, *moved])
            # Remember the user's "these differ" so a re-clustering does not join them again.
            stay = [r[0] for r in self.db.execute(
                "SELECT id FROM observations WHERE lead_id = ? ORDER BY id LIMIT 1", [lead_id])]
            if stay and moved:
                a, b = sorted((stay[0], min(moved)))
                self.db.execute("INSERT OR IGNORE INTO cannot_link VALUES (?, ?, ?)",
                                [a, b, _now()])
            self.db.execute("UPDATE merges SET undone = ? WHERE id = ?", [_now(), merge_id])
            self._recompute(lead_id)
            self._recompute(absorbed_id)
        return int(absorbed_id)

    def detach(self, observation_id: int) -> int:
        """Move one observation out of its lead into a new lead of its own; return its id.

        The pair is remembered as different (``cannot_link``), so a re-clustering keeps it
        apart from the lead it left.
        """
        row = self.db.execute("SELECT lead_id FROM observations WHERE id = ?",
                              [observation_id]).fetchone()
        if row is None:
            raise NotFoundError(f"no observation with id {observation_id}")
        old = int(row[0])
        new_id = int(self.db.execute("SELECT max(id) FROM leads").fetchone()[0] or 0) + 1
        with self.db.atomic():
            self.db.execute("INSERT INTO leads (id) VALUES (?)", [new_id])
            self.db.execute("UPDATE observations SET lead_id = ? WHERE id = ?",
                            [new_id, observation_id])
            stay = self.db.execute("SELECT min(id) FROM observations WHERE lead_id = ?",
                                   [old]).fetchone()[0]
            if stay is not None:
                a, b = sorted((int(stay), observation_id))
                self.db.execute("INSERT OR IGNORE INTO cannot_link VALUES (?, ?, ?)",
                                [a, b, _now()])
            self._recompute(old)
            self._recompute(new_id)
        return new_id

    def sender_leads(self, address: str, *, by_domain: bool) -> list[int]:
        """Leads a message from ``address`` belongs to on hard evidence, never on a name.

        Hard evidence is the same mailbox, or (``by_domain``: the caller knows the domain is
        a company's, not a free-mail provider's) the lead's own domain: its web site's or
        the domain of its own e-mail address.
        """
        email = n.normalize_email(address)
        if not email:
            return []
        found = [r[0] for r in self.db.execute(
            "SELECT DISTINCT lead_id FROM lead_keys WHERE key = ? ORDER BY lead_id",
            [f"e:{email}"])]
        domain = email.rpartition("@")[2]
        if by_domain and domain and not n.is_shared_host(domain):
            found += [r[0] for r in self.db.execute(
                "SELECT lead_id FROM lead_keys WHERE key = ? UNION "
                "SELECT id FROM leads WHERE lower(email) LIKE ? ESCAPE '\\' ORDER BY 1",
                [f"d:{domain}", "%@" + domain.replace("%", "").replace("_", "\\_")])]
        return [int(i) for i in dict.fromkeys(found)]

    def leads_named(self, text: str, limit: int = 200) -> list[dict[str, Any]]:
        """Leads whose name shares a word with ``text`` (full-text search), for claims checks."""
        words = [w for w in re.findall(r"\w+", text) if len(w) >= 3]
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in dict.fromkeys(words))
        return [_lead_out(r) for r in self.db.query(
            "SELECT * FROM leads WHERE id IN (SELECT rowid FROM leads_fts WHERE leads_fts MATCH ?)"
            " ORDER BY id LIMIT ?", [match, limit])]

    def recluster(self, progress: Callable[[int], None] | None = None) -> tuple[int, int]:
        """Re-run dedupe over every observation; return (leads before, leads after).

        A lead keeps its id when it keeps its earliest observation; user merges stand and
        user unmerges are honoured.
        """
        before = self.db.execute("SELECT count(*) FROM leads").fetchone()[0]
        cannot: dict[int, set[int]] = {}
        for a, b in self.db.execute("SELECT obs_a, obs_b FROM cannot_link"):
            cannot.setdefault(a, set()).add(b)
            cannot.setdefault(b, set()).add(a)
        stats = dedupe.CountingStats()
        rows = self.db.execute("SELECT id, lead_id, fields FROM observations ORDER BY id").fetchall()
        sigs = []
        for _, _, fields in rows:
            sig = dedupe.signature(json.loads(fields))
            stats.add(sig.core.split())
            sigs.append(sig)
        index = dedupe.MemoryIndex()
        clusterer = dedupe.Clusterer(index=index, stats=stats)
        # A user's merge stands: the observations of a lead the user merged into stay
        # together, under that lead's id (so 'unmerge' still finds it).
        kept_by_user = [r[0] for r in self.db.execute(
            "SELECT DISTINCT kept_id FROM merges WHERE undone IS NULL AND reason LIKE 'user%'")]
        group_of = {obs_id: lead_id for obs_id, lead_id, _ in rows if lead_id in kept_by_user}
        group_cluster: dict[int, int] = {}
        assigned: dict[int, int] = {}
        for (obs_id, _, _), sig in zip(rows, sigs, strict=True):
            forbidden = frozenset(assigned[o] for o in cannot.get(obs_id, ()) if o in assigned)
            group = group_of.get(obs_id)
            cluster = group_cluster.get(group) if group is not None else None
            if cluster is not None and cluster not in forbidden:
                assigned[obs_id] = clusterer.attach(sig, cluster, "user merge").lead_id
            else:
                assigned[obs_id] = clusterer.assign(sig, forbidden).lead_id
                if group is not None:
                    group_cluster.setdefault(group, assigned[obs_id])
            if progress:
                progress(1)
        # Name each new cluster after the old lead of its earliest observation, and a cluster
        # holding a user's merge after the lead the user kept.
        old_of = {obs_id: lead_id for obs_id, lead_id, _ in rows}
        names: dict[int, int] = {}
        used: set[int] = set()
        for kept, cluster in group_cluster.items():
            if cluster not in names and kept not in used:
                names[cluster] = kept
                used.add(kept)
        for obs_id, _, _ in rows:
            cluster = assigned[obs_id]
            if cluster not in names and old_of[obs_id] not in used:
                names[cluster] = old_of[obs_id]
                used.add(old_of[obs_id])
        next_id = max([*old_of.values(), 0]) + 1
        for cluster in dict.fromkeys(assigned.values()):
            if cluster not in names:
                names[cluster] = next_id
                next_id += 1
        with self.db.atomic():
            moves = [(names[assigned[o]], o) for o, old, _ in rows if names[assigned[o]] != old]
            for new_id in {m[0] for m in moves} - {r[1] for r in rows}:
                self.db.execute("INSERT OR IGNORE INTO leads (id) VALUES (?)", [new_id])
            self.db.conn.executemany("UPDATE observations SET lead_id = ? WHERE id = ?", moves)
            # A lead left without observations hands its follow-up (log, status, values) to
            # the lead that took its earliest observation.
            first_obs: dict[int, int] = {}
            for obs_id, old, _ in rows:
                first_obs.setdefault(old, obs_id)
            emptied = {old_of[o] for _, o in moves} - set(names.values())
            for gone in sorted(emptied):
                self._fold_follow_up(names[assigned[first_obs[gone]]], gone)
            for lead_id in {m[0] for m in moves} | {old_of[o] for _, o in moves}:
                self._recompute(lead_id)
        after = self.db.execute("SELECT count(*) FROM leads").fetchone()[0]
        return int(before), int(after)

    # ------------------------------------------------------------------ follow-up

    def _fold_follow_up(self, keep: int, other: int) -> None:
        """Move ``other``'s activity log and values to ``keep`` (inside the caller's transaction)."""
        self.db.execute("UPDATE activities SET lead_id = ? WHERE lead_id = ?", [keep, other])
        rows = {r[0]: json.loads(r[1] or "{}") for r in self.db.execute(
            "SELECT id, user_values FROM leads WHERE id IN (?, ?)", [keep, other])}
        values = {**rows.get(other, {}), **rows.get(keep, {})}  # the kept lead's values win
        self.db.execute("UPDATE leads SET user_values = ? WHERE id = ?",
                        [json.dumps(values, ensure_ascii=False), keep])
        self._follow_up_state(keep)

    def _follow_up_state(self, lead_id: int) -> None:
        """Status and last touch from the lead's own log: the latest status change wins."""
        status = self.db.execute(
            "SELECT status FROM activities WHERE lead_id = ? AND kind = 'status' "
            "ORDER BY at DESC, id DESC LIMIT 1", [lead_id]).fetchone()
        touched = self.db.execute("SELECT max(at) FROM activities WHERE lead_id = ?",
                                  [lead_id]).fetchone()
        self.db.execute("UPDATE leads SET status = ?, touched_at = ? WHERE id = ?",
                        [status[0] if status else "new", touched[0] if touched else None, lead_id])

    def mark(self, lead_id: int, status: str, note: str | None = None, *,
             at: str | None = None) -> None:
        """Set a lead's follow-up status, logged with an optional note."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        self.lead(lead_id)
        at = at or _now()
        with self.db.atomic():
            self.db.execute("INSERT INTO activities (lead_id, at, kind, status, note) "
                            "VALUES (?, ?, 'status', ?, ?)", [lead_id, at, status, note or None])
            self._follow_up_state(lead_id)

    def note(self, lead_id: int, text: str, *, at: str | None = None) -> None:
        """Add a timestamped note to a lead's activity log."""
        if not text.strip():
            raise ValueError("the note is empty")
        self.lead(lead_id)
        with self.db.atomic():
            self.db.execute("INSERT INTO activities (lead_id, at, kind, note) VALUES (?, ?, 'note', ?)",
                            [lead_id, at or _now(), text.strip()])
            self._follow_up_state(lead_id)

    def activities(self, lead_id: int) -> list[dict[str, Any]]:
        """Return a lead's activity log, oldest first."""
        return list(self.db.query("SELECT id, at, kind, status, note FROM activities "
                                  "WHERE lead_id = ? ORDER BY at, id", [lead_id]))

    def activity_texts(self) -> dict[int, str]:
        """Every lead's activity log as one line of text (for exports), by lead id."""
        return dict(self.db.execute(
            f"SELECT lead_id, group_concat(line, ' | ') FROM (SELECT lead_id, {_ACTIVITY_LINE} "
            "AS line FROM activities ORDER BY lead_id, at, id) GROUP BY lead_id").fetchall())

    def set_values(self, lead_id: int, values: Mapping[str, float | None]) -> dict[str, float]:
        """Set (or, with None, clear) user values such as order_value; return them all."""
        current = dict(self.lead(lead_id)["user_values"])
        for key, value in values.items():
            if value is None:
                current.pop(key, None)
            else:
                current[key] = value
        with self.db.atomic():
            self.db.execute("UPDATE leads SET user_values = ? WHERE id = ?",
                            [json.dumps(current, ensure_ascii=False), lead_id])
        return current

    # ------------------------------------------------------------------ vetting

    def record_vetting(self, lead_id: int | None, vetting: Vetting, *, at: str | None = None,
                       source: str | None = None, sets_grade: bool = True) -> int:
        """Store one vetting run and its findings; the lead takes the new grade if ``sets_grade``.

        A message linked to a lead is kept with it but is not the company's grade (``sets_grade``
        False): what one mail says does not re-grade the firm it came from.
        """
        at = at or _now()
        with self.db.atomic():
            cur = self.db.execute(
                "INSERT INTO vettings (lead_id, at, grade, score, confidence, listen_score, input, "
                "decided_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [lead_id, at, vetting.grade, vetting.score, vetting.confidence,
                 vetting.listen_score, source, json.dumps(list(vetting.decided_by),
                                                          ensure_ascii=False)])
            vid = int(cur.lastrowid or 0)
            self.db.conn.executemany(
                "INSERT INTO findings (vetting_id, lead_id, step, check_name, verdict, detail, "
                "evidence, weight, hard, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(vid, lead_id, f.step, f.check, f.verdict, f.detail,
                  json.dumps(list(f.evidence), ensure_ascii=False), f.weight, int(f.hard), f.score)
                 for f in vetting.findings])
            if lead_id is not None and sets_grade:
                self.db.execute("UPDATE leads SET grade = ?, vetted_at = ?, vet_score = ? WHERE id = ?",
                                [vetting.grade, at,
                                 vetting.score if vetting.confidence > 0 else None, lead_id])
        return vid

    def vettings(self, lead_id: int) -> list[dict[str, Any]]:
        """Return a lead's vetting runs, newest first, each with its findings."""
        runs = list(self.db.query("SELECT * FROM vettings WHERE lead_id = ? ORDER BY at DESC, id DESC",
                                  [lead_id]))
        for run in runs:
            run["decided_by"] = json.loads(run["decided_by"])
            run["findings"] = [
                {**f, "evidence": json.loads(f["evidence"]), "hard": bool(f["hard"])}
                for f in self.db.query("SELECT step, check_name, verdict, detail, evidence, weight, "
                                       "hard, score FROM findings WHERE vetting_id = ? ORDER BY id",
                                       [run["id"]])]
        return runs

    def last_vetting(self, lead_id: int) -> dict[str, Any] | None:
        """The lead's own latest vetting with its findings (messages' vettings aside), or None."""
        row = self.db.execute("SELECT id FROM vettings WHERE lead_id = ? AND input IS NULL "
                              "ORDER BY at DESC, id DESC LIMIT 1", [lead_id]).fetchone()
        if row is None:
            return None
        return next(v for v in self.vettings(lead_id) if v["id"] == row[0])

    def claims_on(self, lead_id: int) -> list[dict[str, Any]]:
        """Messages, filed under other leads, that used this lead's company name."""
        return list(self.db.query(
            "SELECT v.lead_id AS sender_lead, v.at, v.input, f.detail FROM findings f "
            "JOIN vettings v ON v.id = f.vetting_id WHERE f.check_name = 'claimed-name' "
            "AND f.verdict != 'skip' AND f.evidence LIKE ? ORDER BY v.at, v.id",
            [f'%"claims lead {int(lead_id)}: %']))

    def to_vet(self, *, grade_below: str | None = None, stale_days: int | None = None,
               now: dt.datetime | None = None, never_vetted: bool = True) -> list[int]:
        """Ids of leads due for vetting: never vetted, graded below a grade, or vetted too long ago.

        ``never_vetted`` False leaves out leads that were never vetted (refresh re-vets; it
        does not vet a whole imported list unasked). Stalest first.
        """
        clauses: list[str] = []
        params: list[Any] = []
        if grade_below:
            # "below B" means worse than B: C or D (or never graded).
            clauses.append("(grade IS NULL OR grade > ?)")
            params.append(grade_below.upper())
        if stale_days is not None:
            cutoff = (now or dt.datetime.now(dt.timezone.utc)) - dt.timedelta(days=stale_days)
            clauses.append("(vetted_at IS NULL OR vetted_at <= ?)")
            params.append(cutoff.isoformat(timespec="seconds"))
        if not never_vetted:
            clauses.append("vetted_at IS NOT NULL")
        where = " AND ".join(clauses) or "1"
        return [int(r[0]) for r in self.db.execute(
            f"SELECT id FROM leads WHERE suppressed = 0 AND {where} ORDER BY vetted_at, id",
            params)]

    # ------------------------------------------------------------------ saved searches

    def save_search(self, name: str, query: str, place: str | None, country: str | None,
                    sources: list[str], limit: int) -> None:
        """Store (or replace) a named search for ``refresh`` to run again."""
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO saved_searches (name, query, place, country, sources, lim, created, "
                "last_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                "query = excluded.query, place = excluded.place, country = excluded.country, "
                "sources = excluded.sources, lim = excluded.lim, last_run = excluded.last_run",
                [name, query, place, country, json.dumps(sources), limit, _now(), _now()])

    def saved_searches(self) -> list[dict[str, Any]]:
        """Return every saved search."""
        rows = list(self.db.query("SELECT * FROM saved_searches ORDER BY name"))
        for row in rows:
            row["sources"] = json.loads(row["sources"])
        return rows

    def remove_search(self, name: str) -> None:
        """Delete a saved search (its leads stay in the book)."""
        with self.db.atomic():
            if not self.db.execute("DELETE FROM saved_searches WHERE name = ?", [name]).rowcount:
                raise NotFoundError(f"no saved search named {name!r}")
            self.db.execute("DELETE FROM search_leads WHERE search = ?", [name])

    def search_ran(self, name: str, at: str) -> None:
        """Record that a saved search ran at ``at``."""
        with self.db.atomic():
            self.db.execute("UPDATE saved_searches SET last_run = ? WHERE name = ?", [at, name])

    def mark_listed(self, search: str, lead_ids: Iterable[int], at: str) -> None:
        """Record that ``search`` listed these leads at ``at``; they are no longer quiet."""
        rows = [(search, i, at, at) for i in lead_ids]
        with self.db.atomic():
            self.db.conn.executemany(
                "INSERT INTO search_leads (search, lead_id, first_seen, last_seen) VALUES "
                "(?, ?, ?, ?) ON CONFLICT(search, lead_id) DO UPDATE SET last_seen = excluded.last_seen",
                rows)
            self.db.conn.executemany("UPDATE leads SET quiet_since = NULL WHERE id = ?",
                                     [(r[1],) for r in rows])

    def mark_quiet(self, search: str, before: str) -> list[tuple[int, str]]:
        """Leads ``search`` listed before but not in the run stamped ``before``: mark them quiet."""
        quiet = [(int(r[0]), str(r[1])) for r in self.db.execute(
            "SELECT s.lead_id, s.last_seen FROM search_leads s JOIN leads l ON l.id = s.lead_id "
            "WHERE s.search = ? AND s.last_seen <> ? AND l.quiet_since IS NULL", [search, before])]
        with self.db.atomic():
            self.db.conn.executemany("UPDATE leads SET quiet_since = ? WHERE id = ?",
                                     [(seen, i) for i, seen in quiet])
        return quiet

    def end_abandoned_runs(self, at: str) -> int:
        """Mark runs still 'running' as interrupted (call holding the refresh lock: a run
        that is really running holds it, so these were killed); return how many."""
        with self.db.atomic():
            cur = self.db.execute(
                "UPDATE runs SET status = 'interrupted', finished = ?, report = "
                "CASE WHEN report = '' THEN 'killed before it could finish' ELSE report END "
                "WHERE status = 'running'", [at])
        return int(cur.rowcount or 0)

    def start_run(self, kind: str, at: str) -> int:
        """Open a run record (status 'running' until finish_run)."""
        with self.db.atomic():
            cur = self.db.execute("INSERT INTO runs (kind, started, status) VALUES (?, ?, 'running')",
                                  [kind, at])
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, status: str, report: str, changes: Mapping[str, Any]) -> None:
        """Close a run record with its status, text report and changes."""
        with self.db.atomic():
            self.db.execute("UPDATE runs SET finished = ?, status = ?, report = ?, changes = ? "
                            "WHERE id = ?", [_now(), status, report,
                                             json.dumps(changes, ensure_ascii=False), run_id])

    def runs(self, limit: int = 20) -> list[dict[str, Any]]:
        """The latest runs, newest first."""
        rows = list(self.db.query("SELECT * FROM runs ORDER BY id DESC LIMIT ?", [limit]))
        for row in rows:
            row["changes"] = json.loads(row["changes"] or "{}")
        return rows

    # ------------------------------------------------------------------ privacy

    def _salt(self) -> str:
        if self._salt_value is None:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
            if row:
                self._salt_value = str(row[0])
            else:
                self._salt_value = secrets.token_hex(16)
                self.db.execute("INSERT INTO meta (key, value) VALUES ('salt', ?)",
                                [self._salt_value])
        return self._salt_value

    def _hash(self, kind: str, value: str) -> str:
        return hashlib.sha256(f"{self._salt()}|{kind}|{value}".encode()).hexdigest()

    def _forgotten_kinds(self) -> frozenset[str]:
        kinds = self._kinds
        if kinds is None:
            kinds = frozenset(r[0] for r in self.db.execute("SELECT DISTINCT kind FROM forgotten"))
            self._kinds = kinds
        return kinds

    def _forgotten_hashes(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT hash FROM forgotten")}

    @staticmethod
    def _person_values(value: str) -> list[tuple[str, str]]:
        email = n.normalize_email(value)
        if email:
            return [("email", email)]
        digits = "".join(c for c in value if c.isdigit())
        if len(digits) >= 7 and len(digits) >= len(value.replace(" ", "")) - 3:
            return [("phone", digits[-9:])]
        return [("name", n.fold(value))]

    def _scrub(self, fields: dict[str, str], forgotten: set[str]) -> list[str]:
        """Remove forgotten values from ``fields``; return the values removed.

        Forgetting a person's name also drops their birth date and tax number: without the
        name they are only ways to find the person again.
        """
        removed: list[str] = []
        for key in ("email", "phone", "fax", "contact_name", "name"):
            if key not in fields:
                continue
            value = fields[key]
            kind, norm = self._person_values(value)[0]
            if self._hash(kind, norm) in forgotten:
                removed.append(fields.pop(key))
                if kind == "name":
                    removed.extend(fields.pop(k) for k in ("birth_date", "tax_id") if k in fields)
        return removed

    def _scrub_raw(self, raw: Mapping[str, Any], removed: list[str],
                   *also: tuple[str, str]) -> dict[str, Any]:
        """The raw payload with every cell that holds a removed value (or ``also``) blanked."""
        marks = {*also, *(self._person_values(r)[0] for r in removed)}
        personal = {re.sub(r"\W", "", r).upper() for r in removed}
        return {k: ("[forgotten]" if isinstance(v, str) and (
            any(_contains(v, kind, norm) for kind, norm in marks)
            or re.sub(r"\W", "", v).upper() in personal) else v) for k, v in raw.items()}

    def _redacted(self, value: Any, forgotten: set[str]) -> tuple[Any, bool]:
        """``value`` (text, or JSON of lists and dicts) with forgotten values written over.

        Free text holds people too (a description, a note, a saved page): every e-mail
        address, phone number (in any format) and run of one to four words in it is
        normalised and hashed as ``forget`` hashes, and replaced by "[forgotten]" on a match.
        """
        if isinstance(value, str):
            text = _redact(value, lambda kind, norm: self._hash(kind, norm) in forgotten,
                           self._forgotten_kinds())
            return text, text != value
        if isinstance(value, list):
            pairs = [self._redacted(v, forgotten) for v in value]
            return [v for v, _ in pairs], any(c for _, c in pairs)
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            changed = False
            for k, v in value.items():
                out[k], hit = self._redacted(v, forgotten)
                changed = changed or hit
            return out, changed
        return value, False

    def redact(self, text: str) -> str:
        """``text`` with everything forgotten in this book written over (for logs, caches)."""
        return str(self._redacted(text, self._forgotten_hashes())[0])

    def forget(self, value: str) -> int:
        """Erase a person's e-mail, phone or name everywhere; return observations changed.

        Everywhere is every observation's fields and raw payload (free text and saved pages
        included), the follow-up notes and the vetting findings; a salted hash is kept so the
        same value is not added again by a later import. The caller clears caches and logs.
        """
        kind, norm = self._person_values(value)[0]
        digests = {self._hash(kind, norm)}
        if kind == "name" and len(norm.split()) > 1:  # "Doe, Jane" is the same person
            digests.add(self._hash(kind, " ".join(reversed(norm.split()))))
        changed = 0
        with self.db.atomic():
            self.db.conn.executemany("INSERT OR IGNORE INTO forgotten VALUES (?, ?, ?)",
                                     [(d, kind, _now()) for d in digests])
            self._kinds = None
            touched: set[int] = set()
            for obs_id, lead_id, fields_json, raw_json in self.db.execute(
                    "SELECT id, lead_id, fields, raw FROM observations").fetchall():
                fields = json.loads(fields_json)
                removed = self._scrub(fields, digests)
                fields, said = self._redacted(fields, digests)
                raw, in_raw = self._redacted(json.loads(raw_json), digests)
                if not (removed or said or in_raw):
                    continue
                raw = self._scrub_raw(raw, removed, (kind, norm))
                self.db.execute("UPDATE observations SET fields = ?, raw = ? WHERE id = ?",
                                [json.dumps(fields, ensure_ascii=False),
                                 json.dumps(raw, ensure_ascii=False), obs_id])
                touched.add(lead_id)
                changed += 1
            for lead_id in touched:
                self._recompute(lead_id)
            for table, key, columns in (("activities", "id", ("note",)),
                                        ("findings", "rowid", ("detail", "evidence")),
                                        ("vettings", "id", ("decided_by", "input"))):
                for row in self.db.execute(
                        f"SELECT {key}, {', '.join(columns)} FROM {table}").fetchall():
                    new = [self._redacted(v, digests)[0] if isinstance(v, str) else v
                           for v in row[1:]]
                    if new != list(row[1:]):
                        self.db.execute(f"UPDATE {table} SET "
                                        + ", ".join(f"{c} = ?" for c in columns)
                                        + f" WHERE {key} = ?", [*new, row[0]])
        if self.path is not None:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return changed

    def suppress(self, value: str) -> int:
        """Mark a domain, e-mail or phone do-not-contact; return how many leads it covers.

        The rule stays for leads that come later, whether or not a lead has the value now.
        """
        email = n.normalize_email(value)
        if email:
            kind, norm = "email", email
        elif "." in value and not value.replace(".", "").replace(" ", "").isdigit():
            domain = n.registered_domain(value)
            if not domain:
                raise ValueError(f"{value!r} is not a domain, e-mail or phone number")
            kind, norm = "domain", domain
        else:
            phone = n.normalize_phone(value)
            if phone is None:
                raise ValueError(f"{value!r} is not a domain, e-mail or phone number")
            kind, norm = "phone", phone.digits
        with self.db.atomic():
            self.db.execute("INSERT OR IGNORE INTO suppressions VALUES (?, ?, ?)",
                            [kind, norm, _now()])
            self._apply_suppressions(None)
        rows = self.db.execute("SELECT id, domain, email, phone FROM leads WHERE suppressed = 1")
        return len(_suppressed(rows.fetchall(), {kind: {norm}}))

    def _apply_suppressions(self, lead_ids: list[int] | None) -> None:
        rules = self.db.execute("SELECT kind, value FROM suppressions").fetchall()
        if not rules:
            return
        by_kind: dict[str, set[str]] = {}
        for kind, value in rules:
            by_kind.setdefault(kind, set()).add(value)
        if lead_ids is None:
            rows = self.db.execute("SELECT id, domain, email, phone FROM leads WHERE suppressed = 0")
        else:
            marks = ",".join("?" * len(lead_ids))
            rows = self.db.execute(
                f"SELECT id, domain, email, phone FROM leads WHERE id IN ({marks})", lead_ids)
        hits = [(lead_id,) for lead_id in _suppressed(rows.fetchall(), by_kind)]
        self.db.conn.executemany("UPDATE leads SET suppressed = 1 WHERE id = ?", hits)

    def integrity(self) -> str:
        """Return SQLite's integrity check verdict ("ok" when the file is sound)."""
        try:
            rows = self.db.execute("PRAGMA integrity_check(100)").fetchall()
        except sqlite3.DatabaseError as ex:
            return str(ex)
        return "\n".join(str(r[0]) for r in rows)


def _formula_guard(expr: str) -> str:
    """SQL for csvio.neutralise: a cell that starts like a formula gets a leading apostrophe.

    OWASP CSV injection: = + - @ tab CR start a formula; a plain number such as a phone in
    international format ("+4940...") cannot call anything and is left as it is.
    """
    return (f"CASE WHEN unicode({expr}) IN (61, 43, 45, 64, 9, 13) AND NOT "
            f"(unicode({expr}) IN (43, 45) AND substr({expr}, 2, 1) GLOB '[0-9]' AND "
            f"substr({expr}, 2) NOT GLOB '*[^0-9 ()./-]*') THEN char(39) || {expr} ELSE {expr} END")


def _suppressed(rows: Iterable[Sequence[Any]], by_kind: Mapping[str, set[str]]) -> list[int]:
    """Ids of the (id, domain, email, phone) rows that a do-not-contact rule covers."""
    hits = []
    for lead_id, domain, email, phone in rows:
        email_domain = email.split("@")[1] if email else None
        parsed = n.normalize_phone(phone) if phone else None
        digits = parsed.digits if parsed else None
        if (domain in by_kind.get("domain", ()) or email_domain in by_kind.get("domain", ())
                or email in by_kind.get("email", ())
                or digits in by_kind.get("phone", ())):
            hits.append(int(lead_id))
    return hits


_EMAIL_LIKE = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}", re.I)
_PHONE_LIKE = re.compile(r"\+?\d[\d ().\-/]{5,24}\d")
_WORD = re.compile(r"\w+")


def _redact(text: str, forgotten: Callable[[str, str], bool],
            kinds: frozenset[str] = frozenset(("email", "phone", "name"))) -> str:
    """``text`` with every e-mail, phone and name that ``forgotten(kind, norm)`` knows replaced.

    ``kinds``: the kinds of value forgotten at all (names cost the most to look for).
    """
    if not text:
        return text
    spans: list[tuple[int, int]] = []
    for m in _EMAIL_LIKE.finditer(text) if "email" in kinds and "@" in text else ():
        email = n.normalize_email(m.group(0))
        if email and forgotten("email", email):
            spans.append(m.span())
    for m in _PHONE_LIKE.finditer(text) if "phone" in kinds else ():
        digits = "".join(c for c in m.group(0) if c.isdigit())
        if len(digits) >= 7 and forgotten("phone", digits[-9:]):
            spans.append(m.span())
    words = list(_WORD.finditer(text)) if "name" in kinds else []
    for i in range(len(words)):
        for size in range(1, 5):
            if i + size > len(words):
                break
            start, end = words[i].start(), words[i + size - 1].end()
            if forgotten("name", n.fold(text[start:end])):
                spans.append((start, end))
    if not spans:
        return text
    out, at = [], 0
    for start, end in sorted(spans):
        if start < at:  # inside a span already written over
            continue
        out.append(text[at:start] + "[forgotten]")
        at = end
    return "".join(out) + text[at:]


def _contains(text: str, kind: str, norm: str) -> bool:
    if kind == "phone":
        return norm in "".join(c for c in text if c.isdigit())
    if kind == "email":
        return norm in text.lower()
    # A name also hides in the parts a spreadsheet split it into (first name, surname).
    folded = n.fold(text)
    return bool(folded) and (folded == norm or set(folded.split()) <= set(norm.split()))


# One entry of a lead's activity log as exports show it: "2026-11-01 contacted: sent catalogue".
_ACTIVITY_LINE = ("substr(at, 1, 10) || ' ' || CASE kind WHEN 'status' THEN status ELSE 'note' END "
                  "|| coalesce(': ' || note, '')")

# Columns csv_lines copies as they are (lists and logs have their own expressions).
_EXPORTABLE = frozenset({"id", *LEAD_FIELDS, "first_seen", "last_seen", "grade", "status",
                         "touched_at", "rank_score", "tier", "vetted_at", "quiet_since",
                         "observation_count", "provenance", "user_values"})


def _lead_out(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    out["sources"] = json.loads(row.get("sources") or "[]")
    out["provenance"] = json.loads(row.get("provenance") or "{}")
    out["suppressed"] = bool(row.get("suppressed"))
    out["user_values"] = json.loads(row.get("user_values") or "{}")
    return out


def _busy_seconds() -> float:
    """How long to wait for a book another process is writing ($PROSPECT_BUSY_TIMEOUT, 10 s)."""
    try:
        return max(0.0, float(os.environ.get("PROSPECT_BUSY_TIMEOUT") or 10))
    except ValueError:
        return 10.0


def _writable(path: Path) -> bool:
    """Can this process write the book and the journal files SQLite keeps beside it?"""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _db_message(path: Path, ex: sqlite3.DatabaseError) -> str:
    text = str(ex)
    if "locked" in text or "busy" in text:
        return (f"the lead book {path} is locked by another process (waited "
                f"{_busy_seconds():g} s; $PROSPECT_BUSY_TIMEOUT); try again later")
    if "readonly" in text or "read-only" in text:
        return f"the lead book {path} is on a read-only path; pass --book to use another file"
    if "malformed" in text or "not a database" in text:
        return f"the lead book {path} is corrupt ({text}); it was left untouched"
    return f"cannot open the lead book {path}: {text}"


def db_error(path: Path, ex: sqlite3.DatabaseError) -> BookError:
    """Turn an sqlite error on the book at ``path`` into a one-line BookError."""
    return BookError(_db_message(path, ex))

