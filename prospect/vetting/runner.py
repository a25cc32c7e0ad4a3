"""Run the checks on a subject in the order of 望闻问切 and grade the findings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from prospect.config import Config
from prospect.http import Http
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
    ViesCheck,
)
from prospect.vetting.verify import DnsCheck, PhoneCheck, RdapCheck, RegistryStatusCheck, Resolver

__all__ = ["CHECKS", "build_checks", "run_checks"]

# Registries run before consistency (it compares their country) and before verify (status).
CHECKS: tuple[type[Check], ...] = (
    IdentifiersCheck, GleifCheck, ViesCheck, CompaniesHouseCheck, EdgarCheck, MailDomainCheck,
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
