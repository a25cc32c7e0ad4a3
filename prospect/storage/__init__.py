"""The lead book: one SQLite file of leads, their observations, vettings and follow-up."""

from prospect.storage.book import STATUSES, IngestSummary, LeadBook, LeadFilter

__all__ = ["STATUSES", "IngestSummary", "LeadBook", "LeadFilter"]
