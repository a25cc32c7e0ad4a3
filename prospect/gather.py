"""Run sources for a query in parallel and feed what they find into the lead book.

Each source runs in its own thread (they talk to different hosts; the HTTP layer keeps
each host's own pace); the lead book is written from the calling thread only, in small
batches, so a source that fails late keeps everything it found before.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from prospect.fanin import Job, fan_in
from prospect.http import limits
from prospect.ingest.engine import ingest
from prospect.models import Observation
from prospect.sources.base import Query, Source, SourceError, SourceSkipped
from prospect.storage import IngestSummary, LeadBook

__all__ = ["GatherReport", "SourceReport", "gather"]

BATCH = 25
TIMEOUT = 300.0  # seconds a source may run in one search (search --timeout)


@dataclass
class SourceReport:
    """How one source did: ``ok``, ``partial``, ``failed`` or ``skipped``, and why."""

    name: str
    kind: str
    status: str = "ok"
    reason: str = ""
    found: int = 0
    done: bool = False  # the source has finished, one way or another

    def line(self) -> str:
        """Return the summary form: ``ok``, ``partial (timeout)``, ``skipped (no key)``."""
        return f"{self.status} ({self.reason})" if self.reason else self.status


@dataclass
class GatherReport:
    """What a search did: per-source outcomes and what the book gained."""

    sources: list[SourceReport]
    added: IngestSummary = field(default_factory=IngestSummary)
    interrupted: bool = False  # Ctrl-C: what was found before it is saved

    @property
    def lead_ids(self) -> list[int]:
        """Leads the search created or updated."""
        return list(self.added.lead_ids)

    @property
    def failed(self) -> list[SourceReport]:
        """Sources that failed or returned only part of their results."""
        return [s for s in self.sources if s.status in ("failed", "partial")]

    @property
    def ran(self) -> list[SourceReport]:
        """Sources that were asked (not skipped)."""
        return [s for s in self.sources if s.status != "skipped"]


def _job(source: Source, query: Query, report: SourceReport,
         deadline: float | None) -> Job[tuple[str, Observation | None]]:
    def job(put: Callable[[tuple[str, Observation | None]], None], stop: threading.Event) -> None:
        sent = 0  # counted here: report.found is the consumer's count, which may lag
        try:
            with limits(deadline=deadline, stop=stop):
                for obs in source.search(query):
                    if stop.is_set():
                        raise SourceError(source.name, "stopped")
                    put((source.name, obs))
                    sent += 1
                    if deadline is not None and time.monotonic() >= deadline:
                        raise SourceError(source.name, "deadline")
        except SourceSkipped as ex:
            report.status, report.reason = "skipped", ex.reason
        except SourceError as ex:
            report.status = "partial" if sent else "failed"
            report.reason = ex.reason
        except Exception as ex:  # a parser bug in one source must not lose the others' results
            report.status = "partial" if sent else "failed"
            report.reason = f"internal error: {type(ex).__name__}: {ex}"
        finally:
            report.done = True
            put((source.name, None))  # this source is done: flush, show its final status

    return job


def gather(book: LeadBook, sources: Sequence[Source], query: Query,
           progress: Callable[[SourceReport], None] | None = None,
           timeout: float | None = TIMEOUT, stop: threading.Event | None = None) -> GatherReport:
    """Run ``sources`` for ``query`` and ingest their observations; return the report.

    Each source has ``timeout`` seconds (None: no limit); one still running then stops and
    is reported ``partial (deadline)``, its results kept. On Ctrl-C (KeyboardInterrupt) the
    sources stop within a couple of seconds; what they found so far is saved and the report
    comes back with ``interrupted`` set; so it does when ``stop`` is set (SIGTERM).
    """
    reports = {s.name: SourceReport(s.name, s.kind) for s in sources}
    result = GatherReport(list(reports.values()))
    deadline = None if timeout is None else time.monotonic() + timeout
    pending: list[Observation] = []

    def flush() -> None:
        if pending:
            result.added.add(ingest(book, pending))
            pending.clear()

    def consume(item: tuple[str, Observation | None]) -> None:
        name, obs = item
        report = reports[name]
        if obs is None:
            flush()
        else:
            report.found += 1
            pending.append(obs)
            if len(pending) >= BATCH:
                flush()
        if progress:
            progress(report)

    try:
        result.interrupted = not fan_in(
            [_job(s, query, reports[s.name], deadline) for s in sources], consume,
            workers=len(sources), name="source", stop=stop)
    except KeyboardInterrupt:
        result.interrupted = True
    if result.interrupted:
        for report in reports.values():
            if not report.done:
                report.status, report.reason = ("partial" if report.found else "failed"), "stopped"
    flush()
    return result
