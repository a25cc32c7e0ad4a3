"""The import engine: how observations become leads in the book, batch by batch.

The only place that knows about processes, batches, the garbage collector and the book's
deferred indexes. It runs in one of these ways, chosen in :func:`ingest`:

- **into an empty book**, the book's own indexes are dropped until the end (the storage's
  bulk mode) and the clustering needs nothing back from the book: with two batches or more,
  a second process writes batch k (:mod:`prospect.ingest.writer`) while this one clusters
  batch k+1; one batch is written here;
- **into a book with leads**, every key and profile the clustering meets is read from the
  book the first time (:class:`_BookIndex`), and each batch is decided and written here in
  one transaction;
- in either way, an input that can be read again (a file) is read and normalised in a
  worker process, one batch ahead (:mod:`prospect.ingest.prepare`); an iterator is
  normalised here, or in a worker from its second batch on.

The book is written through its batch-write API (:class:`prospect.storage.book.BatchWrites`,
``LeadBook.write``); this module runs no SQL.
"""

from __future__ import annotations

import array
import contextlib
import functools
import gc
import itertools
import json
import operator
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from prospect import dedupe
from prospect.ingest import prepare, writer
from prospect.models import Observation, json_text, now_iso
from prospect.storage import IngestSummary, LeadBook
from prospect.storage.book import BatchWrites, join_lines

__all__ = ["BATCH", "clusterer", "decide", "ingest", "recluster"]

BATCH = 5000

_WRITING: dict[str, LeadBook] = {}


def _write_in_worker(path: str, writes: BatchWrites, *, sync: bool = True) -> None:
    """Write one batch in the writer process, on a connection of its own kept across batches.

    ``sync=False``: the book held nothing before this import (see LeadBook.serve_as_writer).
    """
    book = _WRITING.get(path)
    if book is None:
        # Not finish_imports: this process is the import that put the upkeep off.
        book = _WRITING[path] = LeadBook.open(Path(path), create=False, finish_imports=False)
        book.serve_as_writer(sync=sync)
    book.write_batch(writes)


# The hash that stands for an observation's (source, reference) in decide (tests make all
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


class _BookIndex(dedupe.MemoryIndex):
    """The clusterer's index: dicts in memory, filled from the book on first use."""

    def __init__(self, book: LeadBook, next_id: int, lazy: bool) -> None:
        super().__init__(next_id=next_id)
        self.book = book
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
            for lead_id in self.book.leads_with_key(key):
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
            for fields, source in self.book.observation_fields(lead_id):
                prof.add(dedupe.signature(fields, source))
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


def clusterer(book: LeadBook) -> dedupe.Clusterer:
    """A clusterer over ``book``: its leads' keys and profiles, its names' word counts."""
    next_id = book.next_lead_id()
    stats = dedupe.CountingStats()
    stats.total, stats.counts = book.name_token_counts()
    return dedupe.Clusterer(index=_BookIndex(book, next_id, next_id > 1), stats=stats)


def ingest(book: LeadBook, observations: Iterable[Observation] | prepare.Rereadable,
           progress: Callable[[int], None] | None = None) -> IngestSummary:
    """Add observations: skip ones already seen, dedupe the rest into leads, commit by batch.

    Re-running the same input changes nothing. Killed part way, the book keeps every
    committed batch and a re-run finishes the rest. An input that can be read again (a
    file: see :class:`prepare.Rereadable`) is read in the normalising process.
    """
    summary = IngestSummary()
    made = clusterer(book)
    index = made.index
    assert isinstance(index, _BookIndex)
    into_empty = not index.lazy  # the book's own indexes go unread until the end
    if into_empty:
        book.begin_bulk()
    # The index grows by some 10^5 objects a batch and lives until the end; each batch
    # makes and drops as many more. The cyclic collector, left to itself, walks them
    # again and again. Records make no cycles (the few objects in cycles at the end come
    # from the last batches), so it waits until the end, and what a batch keeps stays out
    # of its passes.
    # Into an empty book, the observations already in it are this run's: the hashes of
    # their (source, reference) say which of a batch's to look for (see decide).
    met: _Met | None = _Met() if into_empty else None
    # Leads one observation showed are one, and that observation (see _join).
    joins: list[tuple[int, int, str]] = []
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
        parallel = into_empty and len(ahead) > 1
        # Syncing the disk at each checkpoint guards what the book held before the
        # import; a book that held nothing has nothing to guard but the input itself.
        write = functools.partial(_write_in_worker, sync=not (parallel and book.holds_nothing()))
        with writer.Writer.start(book.path if parallel else None, write, book.write_batch,
                                 operator.attrgetter("refs"), book.has_written) as pipe:
            for batch, prepared in itertools.chain(ahead, stream):
                if pipe is None:
                    with book.transaction():
                        writes = decide(book, batch, prepared, made, summary, None, met, joins)
                        if writes:
                            book.write(writes)
                else:
                    pipe.settle(1)
                    writes = decide(book, batch, prepared, made, summary, pipe.flying, met, joins)
                    if writes:
                        pipe.send(writes)
                gc.freeze()
                if progress:
                    progress(len(batch))
            # The index is done with. Freeing it takes a while on a large import, so it
            # goes on in a thread while the writer writes the last batch and SQLite builds
            # the indexes, both of which leave the GIL free.
            doomed = [made, index, met]
            del made, index, met
            freeing = _free_later(doomed)
            if pipe is not None:
                pipe.settle(0)
        if into_empty:
            book.finish_bulk()
        if joins:
            _join(book, joins, summary)
    except BaseException:
        if into_empty:
            with contextlib.suppress(Exception):  # else the next open finishes it
                book.finish_bulk()
        raise
    finally:
        if freeing is not None:
            freeing.join()
        gc.unfreeze()
        if collecting:
            gc.enable()
    return summary


def decide(book: LeadBook, batch: list[prepare.Ref], prepared: prepare.Prepared,
           made: dedupe.Clusterer, summary: IngestSummary,
           flying: Callable[[set[tuple[str, str]]], Mapping[tuple[str, str], int]] | None,
           met: _Met | None = None, joins: list[tuple[int, int, str]] | None = None
           ) -> BatchWrites | None:
    """Cluster one batch in memory; return what the book must be told (``None``: nothing).

    ``flying``: which of some observations decided earlier are in batches not yet
    written, with their leads.
    ``met``: when the book held no observations before this run, the hashes of the
    (source, reference) of those it decided; this adds the batch's own. Only those
    whose hash may have been met are looked for in the book.
    ``joins``: where the pairs of leads an observation showed are one are put, with the
    observation's source and reference and why (see :attr:`dedupe.Decision.also`).
    """
    summary.read += len(batch)
    fresh, sigs = _fresh(book, batch, prepared, summary, flying, met)
    if not fresh:
        return None
    stats = made.stats
    assert isinstance(stats, dedupe.CountingStats)
    writes = BatchWrites(token_total=0)
    delta = writes.token_delta
    delta.update(_counts(sigs))
    stats.add_counts(delta, len(sigs))
    writes.token_total = stats.total
    index = made.index
    assert isinstance(index, _BookIndex)
    now = now_iso()
    named = {lead for (_, _, lead, _), *_ in fresh if lead is not None}
    alive = (book.existing_leads(named)
             | {i for i in named if index.first_new_id <= i < index.next_id}) if named else set()
    for ((source, reference, lead_id, fetched_at), fields_json, raw_json), (sig, keys) in zip(
            fresh, sigs, strict=True):
        stats.count_source(source)
        if lead_id is not None and lead_id in alive:
            decision = made.attach(sig, lead_id, f"{source} of this lead", keys)
        else:
            decision = made.assign(sig, keys=keys)
        if decision.also and joins is not None:
            joins.extend((decision.lead_id, other, f"{source} {reference}, {decision.why}")
                          for other in decision.also)
        if decision.new:
            writes.new_leads.add(decision.lead_id)
            summary.new_leads += 1
        else:
            summary.folded += 1
        match = None if decision.new else json_text(
            {"score": round(decision.score, 2),
             "reasons": [[r, round(w, 2)] for r, w in decision.reasons]})
        fetched = fetched_at or now
        writes.touched.setdefault(decision.lead_id, []).append(len(writes.observations))
        writes.observations.append((decision.lead_id, source, reference, fetched,
                                    raw_json, fields_json, match))
    for token, k in stats.drain().items():  # counted and learned as decided: kept too
        delta[token] = delta.get(token, 0) + k
    summary.lead_ids.update(dict.fromkeys(writes.touched))
    summary.new_ids.update(dict.fromkeys(sorted(writes.new_leads)))
    writes.keys = join_lines(index.new_keys)
    writes.key_leads = index.new_key_leads
    index.new_keys, index.new_key_leads = [], array.array("q")
    return writes


def _fresh(book: LeadBook, batch: list[prepare.Ref], prepared: prepare.Prepared,
           summary: IngestSummary,
           flying: Callable[[set[tuple[str, str]]], Mapping[tuple[str, str], int]] | None,
           met: _Met | None) -> tuple[list[tuple[prepare.Ref, str, str]],
                                      list[tuple[dedupe.Signature, list[str]]]]:
    """The batch's observations the book has not seen (counting the rest in ``summary``),
    with their signatures and keys: without what the book was told to forget."""
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
        existing.update(book.existing(wanted))
        if flying is not None:
            existing.update(flying(wanted))
    forgotten = book.forgotten()
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
            changed, fields, raw = book.without_forgotten(json.loads(fields_json),
                                                          json.loads(raw_json), forgotten)
            if changed:
                summary.forgotten += 1
                sig = dedupe.signature(fields, key[0])  # what was forgotten must not find a lead
                keys = dedupe.blocking_keys(sig)
                fields_json = json_text(fields)
                raw_json = json_text(raw)
        fresh.append((ref, fields_json, raw_json))
        sigs.append((sig, keys))
    return fresh, sigs


def _counts(sigs: list[tuple[dedupe.Signature, list[str]]]) -> dict[str, int]:
    """How many of the records carry each word of a name, and each counted value."""
    delta: dict[str, int] = {}
    for sig, _ in sigs:
        for token in set(sig.core.split()):
            delta[token] = delta.get(token, 0) + 1
    for token, k in dedupe.value_counts(sig for sig, _ in sigs).items():
        # A record's source is counted as it is decided (count_source), not with its batch:
        # a match is weighed by the share of the records its source listed then (see
        # listed_apart), whatever the size of the batches.
        if not token.startswith("s "):
            delta[token] = delta.get(token, 0) + k
    return delta


def _groups(pairs: Iterable[tuple[int, int]], apart: Callable[[set[int], set[int]], bool]
            ) -> dict[int, int]:
    """Union the pairs of leads, unless ``apart`` says two groups must stay apart; return
    each joined lead's group, named by its smallest lead (which keeps its id)."""
    group: dict[int, set[int]] = {}
    for a, b in pairs:
        ga, gb = group.get(a, {a}), group.get(b, {b})
        if ga is gb or apart(ga, gb):
            continue
        ga |= gb
        for lead in ga:
            group[lead] = ga
    return {lead: min(members) for lead, members in group.items()}


def _join(book: LeadBook, joins: list[tuple[int, int, str]], summary: IngestSummary) -> None:
    """Merge the leads an observation showed are one (recorded as dedupe's merges, which
    ``unmerge`` undoes, naming the observation), unless a user's unmerge keeps them apart."""
    into = _groups(((a, b) for a, b, _ in joins), book.kept_apart)
    shown_by: dict[int, str] = {}
    for a, b, who in joins:
        shown_by.setdefault(b, who)
        shown_by.setdefault(a, who)
    for lead, keep in sorted(into.items()):
        if lead == keep:
            continue
        book.merge(keep, lead, f"dedupe: {shown_by[lead]}")
        for ids in (summary.lead_ids, summary.seen_ids):
            if lead in ids:
                ids.pop(lead)
                ids.setdefault(keep, None)
        if lead in summary.new_ids:
            del summary.new_ids[lead]
            summary.new_leads -= 1
            summary.folded += 1


def recluster(book: LeadBook, progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Re-run dedupe over every observation of ``book``; return (leads before, leads after).

    A lead keeps its id when it keeps its earliest observation; user merges stand and user
    unmerges are honoured.
    """
    before = book.counts()["leads"]
    cannot: dict[int, set[int]] = {}
    for a, b in book.cannot_links():
        cannot.setdefault(a, set()).add(b)
        cannot.setdefault(b, set()).add(a)
    stats = dedupe.CountingStats()
    rows = book.observation_leads()
    sigs = []
    for _, _, fields, source in rows:
        sig = dedupe.signature(fields, source)
        stats.add(sig.core.split())
        sigs.append(sig)
    stats.add_counts(dedupe.value_counts(sigs), 0)
    index = dedupe.MemoryIndex()
    made = dedupe.Clusterer(index=index, stats=stats)
    # A user's merge stands: the observations of a lead the user merged into stay
    # together, under that lead's id (so 'unmerge' still finds it).
    kept_by_user = book.kept_by_user()
    group_of = {obs_id: lead_id for obs_id, lead_id, *_ in rows if lead_id in kept_by_user}
    group_cluster: dict[int, int] = {}
    assigned: dict[int, int] = {}
    joins: list[tuple[int, int]] = []
    for (obs_id, *_), sig in zip(rows, sigs, strict=True):
        forbidden = frozenset(assigned[o] for o in cannot.get(obs_id, ()) if o in assigned)
        group = group_of.get(obs_id)
        cluster = group_cluster.get(group) if group is not None else None
        if cluster is not None and cluster not in forbidden:
            assigned[obs_id] = made.attach(sig, cluster, "user merge").lead_id
        else:
            decision = made.assign(sig, forbidden)
            assigned[obs_id] = decision.lead_id
            joins.extend((decision.lead_id, other) for other in decision.also)
            if group is not None:
                group_cluster.setdefault(group, assigned[obs_id])
        if progress:
            progress(1)
    if joins:
        members: dict[int, list[int]] = {}
        for obs_id, cluster in assigned.items():
            members.setdefault(cluster, []).append(obs_id)

        def apart(a: set[int], b: set[int]) -> bool:
            """Does a user's unmerge keep an observation of one group from the other's?"""
            in_b = {o for cluster in b for o in members.get(cluster, ())}
            return any(not in_b.isdisjoint(cannot.get(o, ()))
                       for cluster in a for o in members.get(cluster, ()))
        into = _groups(joins, apart)
        assigned = {obs_id: into.get(cluster, cluster) for obs_id, cluster in assigned.items()}
        group_cluster = {group: into.get(c, c) for group, c in group_cluster.items()}
    # Name each new cluster after the old lead of its earliest observation, and a cluster
    # holding a user's merge after the lead the user kept.
    old_of = {obs_id: lead_id for obs_id, lead_id, *_ in rows}
    names: dict[int, int] = {}
    used: set[int] = set()
    for kept, cluster in group_cluster.items():
        if cluster not in names and kept not in used:
            names[cluster] = kept
            used.add(kept)
    for obs_id, *_ in rows:
        cluster = assigned[obs_id]
        if cluster not in names and old_of[obs_id] not in used:
            names[cluster] = old_of[obs_id]
            used.add(old_of[obs_id])
    next_id = max([*old_of.values(), 0]) + 1
    for cluster in dict.fromkeys(assigned.values()):
        if cluster not in names:
            names[cluster] = next_id
            next_id += 1
    book.apply_clusters({obs_id: names[assigned[obs_id]] for obs_id, *_ in rows})
    return int(before), book.counts()["leads"]
