"""Dates and registry identifiers, in one written form."""

from __future__ import annotations

import re

from prospect.normalize.text import NOT_DIGIT

__all__ = ["normalize_date", "normalize_identifier"]

_ID_GAPS = re.compile(r"[\s.\-/]")


def normalize_date(raw: str) -> str | None:
    """Return a date as its digits (``1956-04-09`` -> ``19560409``), or None if it is not one.

    Day-month order is not guessed: the same source writes its dates one way, and dedupe
    only compares a date with dates of the same field.
    """
    digits = NOT_DIGIT.sub("", raw)
    return digits if 6 <= len(digits) <= 8 and len(digits) >= len(raw.strip()) - 2 else None


def normalize_identifier(kind: str, raw: str) -> str | None:
    """Return an identifier (vat, lei, company_number, uscc, tax_id) in its compact form."""
    text = _ID_GAPS.sub("", raw.strip().upper())
    if not text or not text.isalnum():
        return None
    if kind == "lei" and len(text) != 20:
        return None
    if kind == "uscc" and len(text) != 18:
        return None
    return text
