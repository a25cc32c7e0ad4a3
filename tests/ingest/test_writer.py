"""An import into an empty book written by a second process: the same book as written here."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

from prospect import dedupe
from prospect.ingest import engine, writer
from prospect.ingest.engine import ingest
from prospect.models import Observation
from prospect.storage import IngestSummary, LeadBook


def _observations() -> Iterator[Observation]:
    for i in range(40):
        j = i - i % 3 // 2  # every third record is another listing of the one before it
        # Record 5 (first batch) comes again as record 8 (second): its first copy may still
        # be on its way to the book. Record 2 comes again as record 30, long written.
        ref = {8: "5", 30: "2"}.get(i, str(i))
        yield Observation("t", ref, {"name": f"Röstwerk {j} GmbH", "city": "Hamburg",
                                     "phone": f"040 123 45{j:02d}", "country": "DE",
                                     "website": f"https://röstwerk{j}.de"})


def _content(path: Path) -> tuple[list[Any], ...]:
    lead_book = LeadBook.open(path)
    db = lead_book.db
    content = (
        db.execute("SELECT id, name, phone, domain, observation_count, sources, provenance "
                   "FROM leads ORDER BY id").fetchall(),
        db.execute("SELECT id, lead_id, source, reference, fields, raw, match "
                   "FROM observations ORDER BY id").fetchall(),
        db.execute("SELECT key, lead_id FROM lead_keys ORDER BY key, lead_id").fetchall(),
        db.execute("SELECT token, count FROM name_tokens ORDER BY token").fetchall(),
    )
    assert lead_book.integrity() == "ok"
    # The writer process does not check references as it writes: nothing may dangle.
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    lead_book.close()
    return content


def _import(path: Path) -> IngestSummary:
    lead_book = LeadBook.open(path)
    summary = ingest(lead_book, _observations())
    lead_book.close()
    return summary


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], ...]:
    """The book as written in this process, for the other tests to compare with."""
    monkeypatch.setattr(engine, "BATCH", 7)
    with monkeypatch.context() as m:
        m.setattr(writer, "pool", lambda workers: None)
        summary = _import(tmp_path / "here.db")
    assert (summary.read, summary.unchanged, summary.new_leads) == (40, 2, 26)
    return _content(tmp_path / "here.db")


def test_a_writer_process_writes_the_book_this_process_would(
        tmp_path: Path, here: tuple[list[Any], ...]) -> None:
    summary = _import(tmp_path / "there.db")
    assert (summary.read, summary.unchanged, summary.new_leads) == (40, 2, 26)
    assert _content(tmp_path / "there.db") == here


def test_an_import_of_one_batch_starts_no_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, here: tuple[list[Any], ...]) -> None:
    # A process to write one batch would cost more than the writing (a second of start-up
    # for a one-row file): an input that fits one batch is written here, as it would be there.
    monkeypatch.setattr(engine, "BATCH", 40)

    def no_process(workers: int) -> None:
        raise AssertionError("a process was started for one batch")

    monkeypatch.setattr(writer, "pool", no_process)
    summary = _import(tmp_path / "one.db")
    assert (summary.read, summary.unchanged, summary.new_leads) == (40, 2, 26)
    assert _content(tmp_path / "one.db")[0] == here[0]


def test_an_import_into_an_empty_book_looks_up_each_pair_whose_hash_it_met(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, here: tuple[list[Any], ...]) -> None:
    # Every (source, reference) shares its hash: each is looked for in the book, and only
    # the two that are there are skipped.
    monkeypatch.setattr(engine, "_pair_hash", lambda pair: 0)
    summary = _import(tmp_path / "there.db")
    assert (summary.read, summary.unchanged, summary.new_leads) == (40, 2, 26)
    assert _content(tmp_path / "there.db") == here


def test_the_clusterer_is_freed_on_a_thread_of_its_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    freed_on: list[str] = []

    class Sentinel:
        def __del__(self) -> None:
            freed_on.append(threading.current_thread().name)

    make = engine.clusterer

    def clusterer(lead_book: LeadBook) -> dedupe.Clusterer:
        made = make(lead_book)
        made.sentinel = Sentinel()  # type: ignore[attr-defined]
        return made

    monkeypatch.setattr(engine, "clusterer", clusterer)
    _import(tmp_path / "there.db")
    assert freed_on == ["prospect-free"]


class _DyingPool:
    """A writer pool that does its first ``good`` jobs, then fails as one whose worker died.

    ``late``: the worker died after committing its last job, before it could say so.
    """

    def __init__(self, good: int, late: bool) -> None:
        self.good = good
        self.late = late

    def __enter__(self) -> _DyingPool:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, fn: Callable[..., None], *args: Any) -> Future[None]:
        future: Future[None] = Future()
        if self.good > 0 or self.late:
            fn(*args)
        if self.good > 0:
            self.good -= 1
            future.set_result(None)
        else:
            self.late = False
            future.set_exception(BrokenProcessPool("the writer died"))
        return future


@pytest.mark.parametrize(("good", "late"), [(0, False), (1, False), (3, False), (0, True),
                                            (2, True)])
def test_a_writer_that_dies_costs_no_batch_and_writes_none_twice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, here: tuple[list[Any], ...],
        good: int, late: bool) -> None:
    monkeypatch.setattr(writer, "pool", lambda workers: _DyingPool(good, late))
    monkeypatch.setattr(engine, "_WRITING", {})  # the "writer's" connection, opened here
    summary = _import(tmp_path / "there.db")
    for other in engine._WRITING.values():
        other.close()
    assert (summary.read, summary.unchanged, summary.new_leads) == (40, 2, 26)
    assert _content(tmp_path / "there.db") == here


@pytest.mark.parametrize(("held", "synchronous"), [(False, 0), (True, 1)])
def test_the_writer_waits_for_the_disk_where_the_book_held_something(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, held: bool, synchronous: int) -> None:
    # A power cut during an import into a book that held nothing can lose only what the
    # input holds: its writer does not wait for the disk. A book with a suppression in it
    # (no lead yet, so still written by a second process) is guarded as usual.
    monkeypatch.setattr(engine, "BATCH", 7)
    monkeypatch.setattr(writer, "pool", lambda workers: _DyingPool(100, False))
    monkeypatch.setattr(engine, "_WRITING", {})  # the "writer's" connection, opened here
    path = tmp_path / "book.db"
    if held:
        lead_book = LeadBook.open(path)
        lead_book.suppress("someone@example.com")
        lead_book.close()
    summary = _import(path)
    (written_by,) = engine._WRITING.values()
    assert written_by.db.execute("PRAGMA synchronous").fetchone()[0] == synchronous
    written_by.close()
    assert (summary.read, summary.new_leads) == (40, 26)


def test_keys_with_a_line_break_are_written_as_they_are(monkeypatch: pytest.MonkeyPatch) -> None:
    # A batch's keys cross to the writer one a line; should a key ever hold a line break
    # (normalised values hold none), they cross as a list and are not split.
    monkeypatch.setattr(dedupe, "blocking_keys", lambda sig: ["c:a\nb", f"t:{sig.core}"])
    lead_book = LeadBook.open(None)
    ingest(lead_book, (Observation("t", str(i), {"name": f"Kaffee {i}"}) for i in range(3)))
    assert lead_book.db.execute("SELECT key, lead_id FROM lead_keys ORDER BY lead_id, key"
                                ).fetchall() == [("c:a\nb", 1), ("t:kaffee 0", 1),
                                                 ("c:a\nb", 2), ("t:kaffee 1", 2),
                                                 ("c:a\nb", 3), ("t:kaffee 2", 3)]


def test_hashes_met_are_told_apart_from_most_others() -> None:
    met = engine._Met()
    met.update([-1, 5, 2**40 + 7])
    assert -1 in met and 5 in met and 2**40 + 7 in met
    assert 7 in met  # shares its bit with 2**40 + 7: looked up for nothing, never missed
    assert not any(h in met for h in range(8, 100_000))
