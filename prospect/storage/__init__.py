"""The lead book: one SQLite file of leads, their observations, vettings and follow-up."""

import sys


def _import_sqlite_utils() -> None:
    """Import sqlite-utils without the pandas and numpy it imports wherever they are installed."""
    # sqlite-utils imports both when it is imported, only to map their scalar types to
    # column types; the book never stores such values. Where they are installed they cost
    # every command a third of a second and every worker process tens of MB. Hidden only
    # while sqlite-utils is imported: they import as usual afterwards (sqlite-utils then
    # does not map numpy's types for a program that imported prospect before it).
    hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # an import of it fails
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


if "sqlite_utils" not in sys.modules:
    _import_sqlite_utils()

from prospect.storage.book import SORTS, STATUSES, IngestSummary, LeadBook, LeadFilter  # noqa: E402

__all__ = ["SORTS", "STATUSES", "IngestSummary", "LeadBook", "LeadFilter"]
