"""An import into an empty book writes its keys and text index at the end, or the next open does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from prospect.ingest import engine
from prospect.ingest.engine import ingest
from prospect.models import Observation
from prospect.storage import LeadBook, bulk
from prospect.storage.migrations import FACET_INDEXES, derived_keys


def _observations(count: int, open_midway: Path | None = None,
                  seen: list[int] | None = None) -> Iterator[Observation]:
    for i in range(count):
        if open_midway is not None and seen is not None and i == count // 2:
            other = LeadBook.open(open_midway)
            seen.append(other.db.execute("SELECT count(*) FROM sqlite_master WHERE name IN "
                                         "('lead_keys_key', 'leads_ai')").fetchone()[0])
            other.close()
        # Every third record is another branch's listing of the one before it.
        j = i - i % 3 // 2
        yield Observation("t", str(i), {"name": f"Röstwerk {j} GmbH", "city": "Hamburg",
                                        "phone": f"040 123 45{j:02d}", "country": "DE",
                                        "address": f"Hafenstraße {j}"})


def _whole(lead_book: LeadBook) -> None:
    """The state a book has when every index is kept row by row."""
    db = lead_book.db
    assert sorted(db.execute("SELECT key, lead_id FROM lead_keys")) == sorted(
        set(derived_keys(db)))
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    assert {"leads_ai", "leads_ad", "leads_au", "lead_keys_key", "observations_lead",
            *FACET_INDEXES} <= names
    plan = " ".join(r[3] for r in db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM observations WHERE lead_id = 1"))
    assert "observations_lead" in plan
    assert db.execute("SELECT value FROM meta WHERE key = 'deferred_upkeep'").fetchone() is None
    found = {r[0] for r in db.execute(
        "SELECT rowid FROM leads_fts WHERE leads_fts MATCH 'röstwerk AND hafenstraße'")}
    assert found == {r[0] for r in db.execute("SELECT id FROM leads")}
    assert lead_book.integrity() == "ok"


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "BATCH", 7)


@pytest.mark.usefixtures("small_batches")
def test_an_import_into_an_empty_book_ends_with_every_index_whole(tmp_path: Path) -> None:
    lead_book = LeadBook.open(tmp_path / "book.db")
    settings = [lead_book.db.execute(f"PRAGMA {p}").fetchone() for p in ("cache_size", "threads")]
    summary = ingest(lead_book, _observations(40))
    assert summary.new_leads == 27 and summary.folded == 13
    _whole(lead_book)
    # The index was sorted with helper threads and a small cache; the book's own are back.
    assert [lead_book.db.execute(f"PRAGMA {p}").fetchone()
            for p in ("cache_size", "threads")] == settings
    # The next import finds the leads through the keys the bulk import wrote.
    again = ingest(lead_book, [Observation("u", "1", {"name": "Röstwerk 3 GmbH",
                                                     "phone": "+49 40 1234503",
                                                     "city": "Hamburg", "country": "DE"})])
    assert again.new_leads == 0 and again.folded == 1
    _whole(lead_book)


@pytest.mark.usefixtures("small_batches")
def test_an_import_killed_before_its_end_is_finished_by_the_next_open(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "book.db"
    lead_book = LeadBook.open(path)
    with monkeypatch.context() as m:
        m.setattr(bulk, "finish", lambda db: None)  # as if killed after the last commit
        ingest(lead_book, _observations(40))
    names = {r[0] for r in lead_book.db.execute("SELECT name FROM sqlite_master")}
    assert not {"leads_ai", "lead_keys_key", "observations_lead"} & names
    lead_book.close()
    heard: list[str] = []
    reopened = LeadBook.open(path, notice=heard.append)
    assert len(heard) == 1 and "indexes" in heard[0]  # said before the wait, once
    _whole(reopened)
    LeadBook.open(path, notice=heard.append).close()
    assert len(heard) == 1
    # Run again, the import changes nothing.
    before = sorted(reopened.db.execute("SELECT key, lead_id FROM lead_keys"))
    assert ingest(reopened, _observations(40)).unchanged == 40
    assert sorted(reopened.db.execute("SELECT key, lead_id FROM lead_keys")) == before


@pytest.mark.usefixtures("small_batches")
def test_a_book_opened_during_the_import_finishes_early_and_the_import_ends_whole(
        tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    lead_book = LeadBook.open(path)
    seen: list[int] = []
    ingest(lead_book, _observations(40, path, seen))
    # The second open found the indexes missing and built them; the import went on with them.
    assert seen == [2]
    _whole(lead_book)
