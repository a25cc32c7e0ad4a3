"""Bringing an older lead book up to this version."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from prospect.ingest.engine import ingest
from prospect.models import Observation
from prospect.storage import LeadBook, migrations


def test_a_book_several_versions_old_derives_its_keys_once(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "b.db"
    book = LeadBook.open(path)
    ingest(book, [Observation("a", "1", {"name": "Clementi Books", "city": "Singapore",
                                         "address": "Ngee Ann Polytechnic, 535 Clementi Rd"}),
                  Observation("a", "2", {"name": "Kaffeerösterei Nord", "city": "Kiel",
                                         "latitude": "54.32", "longitude": "10.13"})])
    keys = sorted(book.db.execute("SELECT key, lead_id FROM lead_keys").fetchall())
    counts = sorted(book.db.execute("SELECT token, count FROM name_tokens").fetchall())
    # As a book from before m012 would be: every later migration that derives keys pending.
    book.db.execute("DELETE FROM _sqlite_migrations WHERE name >= 'm012'")
    book.db.execute("DELETE FROM lead_keys")
    book.db.execute("DELETE FROM name_tokens WHERE token LIKE '% %'")
    book.close()
    derived = migrations.derived_keys
    passes: list[str] = []

    def counted(*args: Any, **kwargs: Any) -> Iterator[tuple[str, int]]:
        passes.append(str(args[1:]))
        return derived(*args, **kwargs)

    monkeypatch.setattr(migrations, "derived_keys", counted)
    reopened = LeadBook.open(path)
    assert len(passes) == 1
    assert sorted(reopened.db.execute("SELECT key, lead_id FROM lead_keys").fetchall()) == keys
    assert sorted(reopened.db.execute("SELECT token, count FROM name_tokens").fetchall()) == counts
