"""The lead book: one SQLite file of leads, their observations, vettings and follow-up."""

from prospect.storage.book import SORTS, STATUSES, IngestSummary, LeadBook, LeadFilter

__all__ = ["SORTS", "STATUSES", "IngestSummary", "LeadBook", "LeadFilter"]
