"""The lead book: a SQLite file (sqlite-utils) of leads and the observations behind them."""

from prospect.storage.book import IngestSummary, LeadBook, LeadFilter

__all__ = ["IngestSummary", "LeadBook", "LeadFilter"]
