"""Follow-up status and the activity log: kept through merges, unmerges and re-clustering."""

from __future__ import annotations

import pytest

from prospect.ingest.engine import ingest, recluster
from prospect.models import Observation
from prospect.storage import LeadBook, LeadFilter


def _two_leads() -> tuple[LeadBook, int, int]:
    book = LeadBook.open(None)
    ingest(book, [Observation("csv", "1", {"name": "Alpha Trading GmbH", "phone": "+49 30 1111111"}),
                 Observation("csv", "2", {"name": "Beta Import Ltd", "phone": "+44 20 7946 0000"})])
    a, b = (lead["id"] for lead in book.leads())
    return book, a, b


def test_mark_and_note_build_a_timestamped_log() -> None:
    book, a, _ = _two_leads()
    book.mark(a, "contacted", "sent catalogue", at="2026-11-01T09:00:00+00:00")
    book.note(a, "buyer is the purchasing manager", at="2026-11-03T10:00:00+00:00")
    log = book.activities(a)
    assert [(x["kind"], x["status"], x["note"]) for x in log] == [
        ("status", "contacted", "sent catalogue"), ("note", None, "buyer is the purchasing manager")]
    lead = book.lead(a)
    assert (lead["status"], lead["touched_at"]) == ("contacted", "2026-11-03T10:00:00+00:00")
    with pytest.raises(ValueError, match="unknown status"):
        book.mark(a, "hot")
    with pytest.raises(ValueError, match="empty"):
        book.note(a, "  ")


def test_follow_ups_that_went_quiet() -> None:
    book, a, b = _two_leads()
    book.mark(a, "contacted", at="2026-01-01T00:00:00+00:00")
    book.mark(b, "contacted")
    quiet = [x["id"] for x in book.leads(LeadFilter(statuses=["contacted"], not_touched_days=14))]
    assert quiet == [a]


def test_a_merge_keeps_both_logs_and_unmerge_gives_each_its_own() -> None:
    book, a, b = _two_leads()
    book.mark(a, "contacted", "first mail", at="2026-11-01T09:00:00+00:00")
    book.mark(b, "replied", "asked for prices", at="2026-11-02T09:00:00+00:00")
    book.set_values(b, {"order_value": 5000.0})
    book.merge(a, b)
    merged = book.lead(a)
    assert merged["status"] == "replied"  # the latest status change wins
    assert merged["user_values"] == {"order_value": 5000.0}
    assert [x["note"] for x in book.activities(a)] == ["first mail", "asked for prices"]
    book.note(a, "after the merge", at="2026-11-05T09:00:00+00:00")
    restored = book.unmerge(a)
    assert restored == b
    assert [x["note"] for x in book.activities(a)] == ["first mail", "after the merge"]
    assert [x["note"] for x in book.activities(b)] == ["asked for prices"]
    assert (book.lead(a)["status"], book.lead(b)["status"]) == ("contacted", "replied")
    assert book.lead(b)["user_values"] == {"order_value": 5000.0}


def test_reclustering_hands_the_log_to_the_lead_that_took_the_observations() -> None:
    book = LeadBook.open(None)
    ingest(book, [Observation("csv", "1", {"name": "Gamma Foods BV", "website": "gamma-foods.nl"}),
                 Observation("csv", "2", {"name": "Delta Drinks", "phone": "+31 20 555 0101"})])
    g, d = (lead["id"] for lead in book.leads())
    book.mark(d, "qualified", "wants CIF Rotterdam")
    # The second observation turns out to be Gamma: the user merges, then re-clusters.
    book.merge(g, d)
    recluster(book)
    survivors = [lead["id"] for lead in book.leads()]
    owner = next(i for i in survivors if book.activities(i))
    assert [x["note"] for x in book.activities(owner)] == ["wants CIF Rotterdam"]
    assert book.lead(owner)["status"] == "qualified"
    assert book.db.execute("SELECT count(*) FROM activities WHERE lead_id NOT IN "
                           "(SELECT id FROM leads)").fetchone()[0] == 0  # nothing orphaned
