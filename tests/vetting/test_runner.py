"""The vetting workflow without the command line: reading messages, keeping results."""

from __future__ import annotations

from prospect.config import Config
from prospect.storage import LeadBook
from prospect.vetting.runner import (
    Unreadable,
    build_checks,
    message_subjects,
    record,
    run_checks,
)

FILES = {
    "ok.eml": b"From: Ann <ann@buyer.example>\nSubject: RFQ\n\nPlease quote 500 pcs of item 4711.\n",
    "empty.eml": b"",
}


def _read(name: str) -> bytes:
    if name not in FILES:
        raise FileNotFoundError(2, "No such file or directory")
    return FILES[name]


def test_each_message_is_a_subject_or_says_why_it_could_not_be_read() -> None:
    entries = message_subjects(None, ["ok.eml", "gone.eml", "empty.eml"], _read)
    assert [type(e).__name__ for e in entries] == ["Subject", "Unreadable", "Subject"]
    gone = entries[1]
    assert isinstance(gone, Unreadable) and gone.source == "gone.eml"
    assert gone.error == "cannot read gone.eml: No such file or directory"


def test_a_message_vetted_is_kept_as_its_senders_lead() -> None:
    book = LeadBook.open(None)
    [subject] = message_subjects(book, ["ok.eml"], _read)
    assert not isinstance(subject, Unreadable) and subject.lead_id is not None
    checks = build_checks(http=None, config=Config(), only=["listen"])
    data = record(book, subject, run_checks(subject, checks), inquiry=True)
    assert data["file"] == "ok.eml" and data["lead_id"] == subject.lead_id
    [kept] = book.vettings(subject.lead_id)
    assert kept["grade"] == data["grade"]
    assert book.lead(subject.lead_id)["grade"] == data["grade"]  # the lead is its sender alone
