"""Run the checks on a subject in the order of 望闻问切 and grade the findings."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, as_completed, wait
from datetime import datetime
from typing import TYPE_CHECKING

from prospect.config import Config
from prospect.http import Http
from prospect.models import LEAD_FIELDS, Observation
from prospect.vetting.ask import ComplaintsCheck
from prospect.vetting.base import STEPS, Check, CheckSkipped, Finding, Subject, utcnow
from prospect.vetting.grade import Vetting, grade
from prospect.vetting.listen import ListenCheck
from prospect.vetting.look import (
    CompaniesHouseCheck,
    ConsistencyCheck,
    EdgarCheck,
    GleifCheck,
    IdentifiersCheck,
    MailDomainCheck,
    OpenCorporatesCheck,
    ViesCheck,
)
from prospect.vetting.message import Message, claimed_since, message_fields
from prospect.vetting.verify import DnsCheck, PhoneCheck, RdapCheck, RegistryStatusCheck, Resolver

if TYPE_CHECKING:
    from prospect.storage import LeadBook

__all__ = ["CHECKS", "INQUIRY", "build_checks", "lead_subject", "message_subject", "run_checks",
           "vet_many"]

# Registries run before consistency (it compares their country) and before verify (status).
CHECKS: tuple[type[Check], ...] = (
    IdentifiersCheck, GleifCheck, ViesCheck, CompaniesHouseCheck, OpenCorporatesCheck, EdgarCheck,
    MailDomainCheck,
    ConsistencyCheck, ListenCheck, ComplaintsCheck, RdapCheck, DnsCheck, PhoneCheck,
    RegistryStatusCheck,
)


def build_checks(*, http: Http | None, config: Config, resolver: Resolver | None = None,
                 clock: Callable[[], datetime] = utcnow,
                 only: Sequence[str] | None = None) -> list[Check]:
    """Instantiate the checks; ``only`` picks checks or whole steps by name (``look,verify``)."""
    wanted = set(only or ())
    out: list[Check] = []
    for cls in CHECKS:
        if wanted and cls.name not in wanted and cls.step not in wanted:
            continue
        if cls is DnsCheck:
            out.append(DnsCheck(http=http, config=config, clock=clock, resolver=resolver))
        else:
            out.append(cls(http=http, config=config, clock=clock))
    return out


def run_checks(subject: Subject, checks: Sequence[Check]) -> Vetting:
    """Run every check (a crash in one becomes its skip finding) and grade the result."""
    findings: list[Finding] = []
    for check in checks:
        try:
            findings.append(check.run(subject))
        except CheckSkipped as ex:
            findings.append(check.finding("skip", ex.reason, ex.evidence,
                                          weight=check.weight if ex.applicable else 0.0))
        except Exception as ex:  # one broken check must not lose the others
            findings.append(check.finding("skip", f"check failed: {type(ex).__name__}: {ex}"))
    findings.sort(key=lambda f: STEPS.index(f.step))
    return grade(findings)


INQUIRY = "inquiry"  # the observation source of vetted messages


def lead_subject(book: LeadBook, lead_id: int) -> Subject:
    """The subject for a lead in the book, with the message it came from if it was an inquiry."""
    lead = book.lead(lead_id)
    fields = {k: str(lead[k]) for k in LEAD_FIELDS if lead.get(k)}
    message = None
    for obs in book.observations(lead_id):
        if obs["source"] == INQUIRY and isinstance(obs["raw"], dict) and "body" in obs["raw"]:
            message = Message.from_raw(obs["raw"])
    return _with_claims(Subject(fields, message, lead_id))


def message_subject(book: LeadBook | None, message: Message) -> Subject:
    """File a message's sender in the book as a lead (linked to the message) and return it."""
    fields = message_fields(message)
    lead_id = None
    if book is not None:
        reference = message.message_id or "sha256:" + hashlib.sha256(
            message.text.encode("utf-8", "replace")).hexdigest()[:32]
        added = book.ingest([Observation(source=INQUIRY, reference=reference, fields=fields,
                                         raw=message.as_raw())])
        lead_id = next(iter({**added.lead_ids, **added.seen_ids}), None)
    if book is None or lead_id is None:
        return _with_claims(Subject({k: v for k, v in fields.items() if k in LEAD_FIELDS}, message))
    subject = lead_subject(book, lead_id)
    subject.message = message
    return _with_claims(subject)


def _with_claims(subject: Subject) -> Subject:
    if subject.message is not None:
        year = claimed_since(subject.message)
        if year:
            subject.notes["claimed_since"] = f"{year}-01-01"
    return subject


def vet_many(subjects: Iterable[Subject], checks: Sequence[Check],
             workers: int = 8) -> Iterator[tuple[Subject, Vetting]]:
    """Vet many subjects at once (each host's politeness still holds); yield as each finishes."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        pending = set()
        for subject in subjects:
            pending.add(pool.submit(lambda s: (s, run_checks(s, checks)), subject))
            if len(pending) >= workers * 4:  # bounded: a 100k book does not fill memory
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield fut.result()
        for fut in as_completed(pending):
            yield fut.result()
