"""Run the checks on a subject in the order of 望闻问切 and grade the findings."""

from __future__ import annotations

import hashlib
import queue
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from prospect import normalize as n
from prospect.config import Config
from prospect.errors import InputError
from prospect.http import Http, limits
from prospect.models import LEAD_FIELDS, Observation
from prospect.normalize import is_free_mail
from prospect.vetting.ask import ComplaintsCheck
from prospect.vetting.base import STEPS, Check, CheckSkipped, Finding, Subject, utcnow
from prospect.vetting.grade import Vetting, grade
from prospect.vetting.listen import ListenCheck
from prospect.vetting.look import (
    ClaimedNameCheck,
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

__all__ = ["CHECKS", "INQUIRY", "Unreadable", "build_checks", "keep_earlier", "lead_subject",
           "message_subject", "message_subjects", "record", "run_checks", "vet_many"]

# Registries run before consistency (it compares their country) and before verify (status).
CHECKS: tuple[type[Check], ...] = (
    IdentifiersCheck, GleifCheck, ViesCheck, CompaniesHouseCheck, OpenCorporatesCheck, EdgarCheck,
    MailDomainCheck, ClaimedNameCheck,
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


def run_checks(subject: Subject, checks: Sequence[Check],
               on_check: Callable[[Subject, str], None] | None = None) -> Vetting:
    """Run every check (a crash in one becomes its skip finding) and grade the result.

    ``on_check(subject, name)`` hears of each check as it starts (for progress).
    """
    findings: list[Finding] = []
    for check in checks:
        if on_check:
            on_check(subject, check.name)
        try:
            findings.append(check.run(subject))
        except CheckSkipped as ex:
            findings.append(check.finding("skip", ex.reason, ex.evidence,
                                          weight=check.weight if ex.applicable else 0.0))
        except Exception as ex:  # one broken check must not lose the others
            findings.append(check.finding("skip", f"check failed: {type(ex).__name__}: {ex}"))
    findings.sort(key=lambda f: STEPS.index(f.step))
    return grade(findings)


def keep_earlier(result: Vetting, earlier: Mapping[str, Any] | None) -> Vetting:
    """Keep what an earlier vetting found where this narrower run could not look.

    ``earlier`` is the lead's previous vetting as :meth:`LeadBook.vettings` gives it. A check
    this run left out (``--check``), or that could not run now (offline, its service down),
    keeps its earlier verdict, marked with the date it was found, and the grade is worked out
    again; a check that does not apply any more (the lead lost its VAT number) is not kept.
    """
    if not earlier:
        return result
    now = {f.check: f for f in result.findings}
    findings = list(result.findings)
    kept = False
    for old in earlier.get("findings") or ():
        name = str(old["check_name"])
        current = now.get(name)
        if old["verdict"] == "skip" or (current is not None and (
                current.verdict != "skip" or current.weight == 0)):
            continue
        detail = str(old["detail"])
        if "(found " not in detail:
            detail += f" (found {str(earlier['at'])[:10]})"
        carried = Finding(str(old["step"]), name, str(old["verdict"]), detail,
                          tuple(old["evidence"]), float(old["weight"]), bool(old["hard"]),
                          old["score"])
        if current is None:
            findings.append(carried)
        else:
            findings[findings.index(current)] = carried
        kept = True
    if not kept:
        return result
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
    """File a message's sender in the book and return the subject to vet: the sender itself.

    A message joins a lead of the book only on hard evidence: the same mailbox, or the
    lead's own domain (and no Reply-To elsewhere). A company name in the display name or the
    signature is a claim, never a link: when it names a lead the sender has no such evidence
    for, the sender becomes a lead of its own and the claim is noted for the
    ``claimed-name`` check.
    """
    fields = message_fields(message)
    own = {k: v for k, v in fields.items() if k in LEAD_FIELDS}
    if book is None:
        return _with_claims(Subject(own, message))
    sender = fields.get("email", "")
    link = _sender_link(book, sender, message.reply_to)
    claims = [c for c in _claimed_leads(book, message, fields) if c["lead_id"] != link]
    stored = dict(fields)
    if claims and link is None and "name" in stored:
        # The name is the claim: the sender's lead must not be found (or listed) under it.
        stored["claimed_name"] = stored.pop("name")
    # A Message-ID names one message only when it looks like one ("<local@host>"); "<>"
    # or a bare word would make every such message the same observation.
    real_id = re.fullmatch(r"<?[^<>@\s]+@[^<>@\s]+>?", message.message_id)
    reference = message.message_id if real_id else "sha256:" + hashlib.sha256(
        f"{message.from_addr}\n{message.text}".encode("utf-8", "replace")).hexdigest()[:32]
    from prospect.ingest.engine import ingest  # loaded only when a message is kept

    added = ingest(book, [Observation(source=INQUIRY, reference=reference, fields=stored,
                                      raw=message.as_raw(), lead_id=link)])
    lead_id = next(iter({**added.lead_ids, **added.seen_ids}), None)
    if lead_id is not None and link is None and lead_id not in added.new_ids:
        # Dedupe joined it on softer evidence (a phone or web site the message quotes):
        # the sender still gets a lead of its own.
        obs = [o for o in book.observations(lead_id)
               if o["source"] == INQUIRY and o["reference"] == reference]
        if obs:
            lead_id = book.detach(int(obs[0]["id"]))
    if lead_id is None:
        subject = Subject(own, message)
    elif link is not None:
        # The sender is this lead: its registry data counts, the message's own values first.
        subject = lead_subject(book, lead_id)
        subject.fields.update(own)
        subject.message = message
    else:
        subject = Subject(own, message, lead_id)
    if claims:
        subject.notes["claims"] = claims
    return _with_claims(subject)


class Unreadable(NamedTuple):
    """A message file that could not be read, and why (it gets an error, the batch goes on)."""

    source: str
    error: str


def message_subjects(book: LeadBook | None, names: Iterable[str],
                     read: Callable[[str], bytes]) -> list[Subject | Unreadable]:
    """The subjects of message files in the order given, each filed in ``book`` if there is one.

    ``read`` gives a name's bytes (the CLI reads "-" from stdin). A file that cannot be read,
    or a message that cannot be parsed, is an :class:`Unreadable`: one hostile message must
    not sink the batch.
    """
    from prospect.vetting.message import read_message

    entries: list[Subject | Unreadable] = []
    for name in names:
        try:
            entries.append(message_subject(book, read_message(read(name), name)))
        except OSError as ex:
            entries.append(Unreadable(name, f"cannot read {name}: {ex.strerror or ex}"))
        except InputError as ex:  # a file that is no message, said as what it is
            entries.append(Unreadable(name, str(ex)))
        except Exception as ex:  # any parser failure is this file's error, not the batch's
            entries.append(Unreadable(name, f"cannot read the message in {name}: "
                                            f"{type(ex).__name__}: {ex}"))
    return entries


def record(book: LeadBook | None, subject: Subject, result: Vetting, *,
           inquiry: bool) -> dict[str, Any]:
    """Keep a vetting in the book and return it as the dict that is printed or written as JSON.

    A lead's vetting keeps what an earlier one found where this narrower run could not look
    (:func:`keep_earlier`); a message re-grades only a lead that is nothing but its sender.
    """
    if book is not None and not inquiry and subject.lead_id is not None:
        result = keep_earlier(result, book.last_vetting(subject.lead_id))
    data = result.as_dict()
    if subject.message is not None:
        data = {"file": subject.message.source, **data}
    if subject.lead_id is not None:
        data = {"lead_id": subject.lead_id, **data}
    if book is not None and (subject.lead_id is not None or inquiry):
        own = (not inquiry or subject.lead_id is None
               or book.lead(subject.lead_id)["sources"] == [INQUIRY])
        book.record_vetting(subject.lead_id, result, sets_grade=own,
                            source=subject.message.source if subject.message else None)
    return data


def _sender_link(book: LeadBook, sender: str, reply_to: Sequence[str]) -> int | None:
    """The lead a sender is on hard evidence, or None."""
    if not sender:
        return None
    domain = sender.rpartition("@")[2].lower()
    if any(r.rpartition("@")[2].lower() != domain for r in reply_to):
        return None  # replies go elsewhere: the From address proves nothing
    found = book.sender_leads(sender, by_domain=not is_free_mail(domain))
    return found[0] if found else None


def _claimed_leads(book: LeadBook, message: Message,
                   fields: Mapping[str, str]) -> list[dict[str, Any]]:
    """Leads of the book whose company name the message uses (display name or signature)."""
    texts = [t for t in (fields.get("name", ""), message.from_name) if t and "@" not in t]
    claims: dict[int, dict[str, Any]] = {}
    for text in texts:
        said = f" {n.normalize_name(text).core} "
        for lead in book.leads_named(text):
            core = n.normalize_name(lead.get("name") or "").core
            if len(core) >= 5 and f" {core} " in said and lead["id"] not in claims:
                claims[int(lead["id"])] = {
                    "lead_id": int(lead["id"]), "name": lead["name"],
                    "domain": lead.get("domain") or str(lead.get("email") or "").rpartition("@")[2],
                    "said": text}
    return list(claims.values())


def _with_claims(subject: Subject) -> Subject:
    if subject.message is not None:
        year = claimed_since(subject.message)
        if year:
            subject.notes["claimed_since"] = f"{year}-01-01"
    return subject


def vet_many(subjects: Iterable[Subject], checks: Sequence[Check], workers: int = 8,
             on_check: Callable[[Subject, str], None] | None = None,
             stop: threading.Event | None = None) -> Iterator[tuple[Subject, Vetting]]:
    """Vet many subjects at once (each host's politeness still holds); yield them in order.

    Once ``stop`` is set (or the caller stops reading), the checks under way end their HTTP
    waits at once and nothing more is started; what they found then is incomplete, so the
    caller should not keep it. The workers are daemon threads: one still blocked in a read
    cannot keep the process from exiting.
    """
    stop = stop or threading.Event()
    tasks: queue.SimpleQueue[tuple[Future[tuple[Subject, Vetting]], Subject] | None] = \
        queue.SimpleQueue()

    def work() -> None:
        while (task := tasks.get()) is not None:
            future, subject = task
            if not future.set_running_or_notify_cancel():
                continue
            try:
                with limits(stop=stop):
                    future.set_result((subject, run_checks(subject, checks, on_check)))
            except BaseException as ex:  # handed to the caller with the result
                future.set_exception(ex)

    count = max(1, workers)
    for i in range(count):
        threading.Thread(target=work, name=f"vet-{i}", daemon=True).start()
    window: deque[Future[tuple[Subject, Vetting]]] = deque()
    try:
        for subject in subjects:
            if stop.is_set():
                return
            future: Future[tuple[Subject, Vetting]] = Future()
            tasks.put((future, subject))
            window.append(future)
            if len(window) >= count * 4:  # bounded: a 100k book does not fill memory
                yield window.popleft().result()
        while window and not stop.is_set():
            yield window.popleft().result()
    finally:
        if window:  # left early (stopped, or the caller stopped reading)
            stop.set()  # the checks still running end their waits
            for future in window:
                future.cancel()
        for _ in range(count):
            tasks.put(None)
