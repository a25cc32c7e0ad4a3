"""The Check interface: one vetting test, one finding per run, and what it runs on.

Checks are grouped in the four steps of the trader's rule 望闻问切: ``look`` (is it real and
consistent), ``listen`` (what the message gives away), ``ask`` (what others say) and
``verify`` (the hard facts). "Could not check" is a finding too: verdict ``skip`` with the reason.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, ClassVar

from prospect import normalize as n
from prospect.config import SERVICES, Config
from prospect.http import Http
from prospect.vetting.message import Message

__all__ = ["STEPS", "VERDICTS", "Check", "CheckSkipped", "Finding", "Subject"]

STEPS = ("look", "listen", "ask", "verify")
VERDICTS = ("pass", "warn", "fail", "skip")


@dataclass(frozen=True)
class Finding:
    """What one check found: its verdict, a one-line detail and the evidence behind it.

    ``hard`` marks a failure that caps the grade at D whatever else passed (a dissolved
    company, a mail domain that accepts no mail). ``score`` carries a check's own number
    (the listen score); ``weight`` is how much the finding counts in the grade.
    """

    step: str
    check: str
    verdict: str
    detail: str
    evidence: tuple[str, ...] = ()
    weight: float = 1.0
    hard: bool = False
    score: float | None = None
    data: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Return the finding as plain data (for --json and the book)."""
        out: dict[str, Any] = {"step": self.step, "check": self.check, "verdict": self.verdict,
                               "detail": self.detail, "evidence": list(self.evidence),
                               "weight": self.weight}
        if self.hard:
            out["hard"] = True
        if self.score is not None:
            out["score"] = self.score
        if self.data:
            out["data"] = dict(self.data)
        return out


class CheckSkipped(Exception):  # named like pip-audit's SkippedDependency: a value, not a crash
    """Raised by a check that cannot run on this subject; the reason becomes a skip finding."""

    def __init__(self, reason: str, evidence: tuple[str, ...] = (), *,
                 applicable: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.evidence = evidence
        # False: the check does not apply (no message to read, not a UK company); such a skip
        # carries no weight. True: it applies but could not run, which lowers confidence.
        self.applicable = applicable


@dataclass
class Subject:
    """What is being vetted: a lead's fields, the message it sent (if any), and shared notes.

    ``notes`` is how checks pass facts on: look's registry match is verify's status check.
    """

    fields: dict[str, str]
    message: Message | None = None
    lead_id: int | None = None
    notes: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str) -> str:
        """Return field ``key`` or the empty string."""
        return self.fields.get(key, "") or ""

    @property
    def site(self) -> str:
        """The registered domain of the lead's web site ('' when it has none)."""
        return self.get("domain") or n.registered_domain(self.get("website")) or ""

    @property
    def mail_domain(self) -> str:
        """The domain of the lead's e-mail address ('' when it has none)."""
        return self.get("email").rpartition("@")[2].lower()


def utcnow() -> datetime:
    """The current time in UTC (the default clock of the checks)."""
    return datetime.now(timezone.utc)


class Check(ABC):
    """One vetting test, run against one subject at a time."""

    name: ClassVar[str]  # --check NAME, and the findings table
    step: ClassVar[str]  # look, listen, ask or verify
    service: ClassVar[str] = ""  # the config.SERVICES entry it calls, if any
    weight: ClassVar[float] = 1.0
    # True: it reads only what it is given (no HTTP, DNS or book), so it gains nothing from
    # running beside others in threads, which cost a CPU-bound check its speed.
    local: ClassVar[bool] = False

    def __init__(self, *, http: Http | None = None, config: Config | None = None,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.http = http
        self.config = config or Config()
        self.clock = clock

    @property
    def endpoint(self) -> str:
        """The configured base URL of this check's service."""
        return self.config.endpoint(self.service).rstrip("/")

    @property
    def interval(self) -> float:
        """Minimum seconds between two requests to the service's host."""
        return SERVICES[self.service].interval if self.service else 1.0

    def finding(self, verdict: str, detail: str, evidence: tuple[str, ...] | list[str] = (),
                **kw: Any) -> Finding:
        """Build this check's finding."""
        kw.setdefault("weight", self.weight)
        return Finding(self.step, self.name, verdict, detail, tuple(evidence), **kw)

    @abstractmethod
    def run(self, subject: Subject) -> Finding:
        """Return the finding for ``subject``, or raise CheckSkipped when it cannot apply."""
