"""Refresh: re-run the saved searches that are due, mark leads that went quiet, re-vet stale ones.

Meant for cron: one run at a time (an exclusive ``flock``, on Windows ``LockFile``, on the book
file itself, which the system releases when the process dies, so a crash leaves no stale lock),
work committed search by search, SIGINT/SIGTERM honoured between steps, and a short plain-text
change report.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prospect.config import Config
from prospect.errors import ProspectError
from prospect.gather import gather
from prospect.http import Http
from prospect.sources import CATALOGUE, Query
from prospect.storage import LeadBook
from prospect.vetting.runner import build_checks, keep_earlier, lead_subject, vet_many

__all__ = ["AlreadyRunning", "RefreshReport", "book_lock", "refresh"]

DUE_HOURS = 20.0  # a saved search is due again after this (the HTTP cache keeps replies 20 h)


class AlreadyRunning(ProspectError):
    """Another refresh holds the book."""

    exit_code = 8


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - LockFile on the first byte; SQLite's own
        import msvcrt  # locks sit at 1 GiB, so they do not collide

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextmanager
def book_lock(path: Path | None, wait: float = 0.0) -> Iterator[None]:
    """Hold an exclusive lock on the book file for the run (none for an in-memory book)."""
    if path is None:
        yield
        return
    fd = os.open(path, os.O_RDWR if sys.platform == "win32" else os.O_RDONLY)
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise AlreadyRunning(f"another refresh is running on {path}")
            time.sleep(0.2)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock (also when the process dies)


@dataclass
class RefreshReport:
    """What a refresh changed, for the change report and the run record."""

    searches: list[str] = field(default_factory=list)
    new_leads: list[int] = field(default_factory=list)
    quiet: list[tuple[int, str]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # "search: source (reason)"
    grade_changes: list[tuple[int, str, str, str]] = field(default_factory=list)
    revetted: int = 0
    left_to_vet: int = 0  # due, but over this run's --max-vet
    interrupted: bool = False
    sources_ran: int = 0

    @property
    def status(self) -> str:
        """ok, partial (some sources failed), failed (all did) or interrupted."""
        if self.interrupted:
            return "interrupted"
        if self.failed and len(self.failed) >= self.sources_ran > 0:
            return "failed"
        return "partial" if self.failed else "ok"

    @property
    def changed(self) -> bool:
        """Did anything change that the user should hear about?"""
        return bool(self.new_leads or self.quiet or self.failed or self.grade_changes
                    or self.interrupted)

    def text(self, book: LeadBook) -> str:
        """The plain-text change report (what cron mails)."""
        lines = [f"prospect refresh: {len(self.searches)} search(es), {len(self.new_leads)} new "
                 f"lead(s), {len(self.quiet)} gone quiet, {self.revetted} re-vetted, "
                 f"status {self.status}"]
        if self.new_leads:
            lines.append("New leads:")
            for lead_id in self.new_leads[:15]:
                lead = book.lead(lead_id)
                lines.append(f"  {lead_id}  {lead.get('grade') or '-'}  {lead.get('name') or ''}  "
                             f"{lead.get('domain') or lead.get('email') or ''}")
            if len(self.new_leads) > 15:
                lines.append(f"  ... and {len(self.new_leads) - 15} more (prospect leads)")
        if self.grade_changes:
            lines.append("Grade changes:")
            lines += [f"  {i}  {old} -> {new}  {why}" for i, old, new, why in self.grade_changes]
        if self.quiet:
            lines.append("Gone quiet (no longer listed by a search that answered):")
            lines += [f"  {i}  not seen since {since[:10]}" for i, since in self.quiet[:20]]
        if self.failed:
            lines.append("Failed:")
            lines += [f"  {f}" for f in self.failed]
        if self.left_to_vet:
            lines.append(f"{self.left_to_vet} more lead(s) due for vetting are left for the next "
                         "run (--max-vet).")
        if self.interrupted:
            lines.append("Interrupted: the next refresh finishes the job.")
        return "\n".join(lines)


# Leads vetted at most per refresh: the ask step queries a search engine a few times a lead at
# its polite pace, so a cron run stays within minutes; the rest wait for the next run.
MAX_VET = 50


def _due(search: dict[str, Any], now: dt.datetime, force: bool) -> bool:
    if force or not search.get("last_run"):
        return True
    last = dt.datetime.fromisoformat(str(search["last_run"]))
    return (now - last).total_seconds() >= DUE_HOURS * 3600


def refresh(book: LeadBook, *, config: Config, http: Http, names: Sequence[str] = (),
            revet_after: int | None = 14, force: bool = False, checks: Sequence[str] = (),
            stop: threading.Event | None = None,
            log: Callable[[str], None] = lambda line: None, max_vet: int = MAX_VET,
            progress: Callable[[str, int, int], None] | None = None) -> RefreshReport:
    """Re-run due saved searches, mark quiet leads, and re-vet stale or changed leads.

    A lead is re-vetted when a search that ran now listed it, or when it was vetted before
    and its findings are older than ``revet_after`` days; never-vetted leads of an import
    wait for ``prospect vet``. At most ``max_vet`` leads a run, those changed first, then the
    stalest. ``progress(step, done, total)`` hears of each search and each vetting.
    """
    report = RefreshReport()
    stop = stop or threading.Event()
    now = dt.datetime.now(dt.timezone.utc)
    saved = book.saved_searches()
    known = {s["name"] for s in saved}
    for name in names:
        if name not in known:
            raise ProspectError(f"no saved search named {name!r} (see 'prospect searches')")
    changed: set[int] = set()
    for search in saved:
        if names and search["name"] not in names:
            continue
        if not _due(search, now, force or bool(names)):
            continue
        if stop.is_set():
            report.interrupted = True
            break
        started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")  # the run's stamp
        sources = [CATALOGUE[s](http=http, config=config) for s in search["sources"] if s in CATALOGUE]
        query = Query(text=search["query"], place=search["place"], country=search["country"],
                      limit=int(search["lim"]))
        log(f"search {search['name']!r}: {', '.join(s.name for s in sources)}")
        if progress:
            progress(f"search {search['name']}", 0, 0)
        result = gather(book, sources, query, stop=stop)
        if result.interrupted:  # stopped part way: what it found is kept, nothing concluded
            report.interrupted = True
            break
        report.searches.append(search["name"])
        report.sources_ran += len(result.ran)
        listed = list(result.added.lead_ids) + list(result.added.seen_ids)
        book.mark_listed(search["name"], listed, started)
        changed.update(result.added.lead_ids)
        report.new_leads += list(result.added.new_ids)
        for s in result.failed:
            report.failed.append(f"{search['name']}: {s.name} ({s.reason or s.status})")
        if not result.failed and result.ran:
            # Only a search whose every source answered can say a lead is gone.
            report.quiet += book.mark_quiet(search["name"], started)
        book.search_ran(search["name"], started)
    if stop.is_set():
        report.interrupted = True
    if revet_after is not None and not report.interrupted:
        _revet(book, config, http, revet_after, changed, report, stop, checks, max_vet,
               progress)
    return report


def _revet(book: LeadBook, config: Config, http: Http, days: int, changed: set[int],
           report: RefreshReport, stop: threading.Event, only: Sequence[str] = (),
           max_vet: int = MAX_VET,
           progress: Callable[[str, int, int], None] | None = None) -> None:
    fresh = book.contactable(sorted(changed))
    stale = [i for i in book.to_vet(stale_days=days, never_vetted=False) if i not in changed]
    due = list(dict.fromkeys(fresh + stale))
    report.left_to_vet = max(0, len(due) - max_vet)
    due = due[:max_vet]
    if not due:
        return
    checks = build_checks(http=http, config=config, only=only or None)
    before = {i: book.lead(i).get("grade") for i in due}
    for subject, result in vet_many((lead_subject(book, i) for i in due), checks, stop=stop):
        assert subject.lead_id is not None
        if stop.is_set():  # its checks were cut short: not a vetting to keep
            report.interrupted = True
            return
        result = keep_earlier(result, book.last_vetting(subject.lead_id))
        book.record_vetting(subject.lead_id, result)
        report.revetted += 1
        if progress:
            progress("vetting", report.revetted, len(due))
        old = before.get(subject.lead_id)
        if old and old != result.grade:
            why = result.decided_by[0] if result.decided_by else ""
            report.grade_changes.append((subject.lead_id, old, result.grade, why))
        if stop.is_set():
            report.interrupted = True
            return
