"""Shared fixtures: a fresh book, a CLI runner, and a clean environment for every test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from prospect.storage import LeadBook


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep the user's book and colours out of tests."""
    monkeypatch.setenv("PROSPECT_BOOK", str(tmp_path / "default-book.db"))
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def book() -> Iterator[LeadBook]:
    """An empty lead book in memory."""
    b = LeadBook.open(None)
    yield b
    b.close()
