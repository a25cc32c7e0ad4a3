"""The grade: one documented rule set that turns findings into A (best) to D (worst).

1. Every finding that ran counts with its weight: a pass earns its full weight, a warn a third,
   a fail nothing. ``score`` = 100 x earned / possible, over the findings that ran.
2. ``confidence`` = the weight of the findings that ran / the weight of all findings. Skips
   lower confidence; they never count as passes.
3. From the score: A >= 80, B >= 60, C >= 40, else D. Then caps:
   * a hard failure (registry says dissolved or inactive, the domain does not exist or accepts no
     mail, a message that fails the listen check with two or more money-move rules) -> D;
   * any other failure -> at best C;
   * confidence below 0.5 -> at best B, below 0.3 -> at best C (too little was checkable);
   * no registry entry under the company's own name confirms it (the ``registry-status``
     check did not pass) -> at best B: A means an official registry vouches for the firm.
4. When no check could run at all there is no evidence either way: C (unproven), never D,
   which is kept for evidence against the lead.
The findings that decided the grade (hard failures, failures, warnings, or the strongest passes)
are returned with it, so the user can argue with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from prospect.vetting.base import Finding

__all__ = ["GRADES", "Vetting", "grade"]

GRADES = ("A", "B", "C", "D")
_CREDIT = {"pass": 1.0, "warn": 1 / 3, "fail": 0.0}
REGISTRY_CHECK = "registry-status"  # verify's check of the look step's registry match


@dataclass(frozen=True)
class Vetting:
    """One vetting run's result: grade, score, confidence, and every finding."""

    grade: str
    score: float
    confidence: float
    findings: tuple[Finding, ...]
    decided_by: tuple[str, ...] = ()
    listen_score: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the result as plain data (the --json shape)."""
        out: dict[str, Any] = {"grade": self.grade, "score": self.score,
                               "confidence": self.confidence, "decided_by": list(self.decided_by),
                               "findings": [f.as_dict() for f in self.findings]}
        if self.listen_score is not None:
            out["listen_score"] = self.listen_score
        return out


def _cap(grade: str, best: str) -> str:
    return max(grade, best)  # "A" < "B" < ...: the worse of the two


def grade(findings: Sequence[Finding]) -> Vetting:
    """Grade a set of findings by the rules in this module's docstring."""
    ran = [f for f in findings if f.verdict in _CREDIT]
    possible = sum(f.weight for f in ran)
    total = sum(f.weight for f in findings)
    score = round(100 * sum(f.weight * _CREDIT[f.verdict] for f in ran) / possible, 1) if possible else 0.0
    confidence = round(possible / total, 2) if total else 0.0
    hard = [f for f in ran if f.verdict == "fail" and f.hard]
    fails = [f for f in ran if f.verdict == "fail" and not f.hard]
    confirmed = any(f.check == REGISTRY_CHECK and f.verdict == "pass" for f in ran)
    unconfirmed = not confirmed and any(f.check == REGISTRY_CHECK for f in findings)
    letter = _letter(score, confidence, bool(ran), bool(hard), bool(fails), unconfirmed)
    decided = _decided_by(ran, hard, fails)
    if confidence < 0.5:
        decided.append(f"only {confidence:.0%} of the checks could run")
    if not confirmed and score >= 80 and confidence >= 0.5 and letter == "B" and not (hard or fails):
        decided.append("no registry confirms the company, so not A")
    listen = next((f.score for f in findings if f.step == "listen" and f.score is not None), None)
    return Vetting(letter, score, confidence, tuple(findings), tuple(decided), listen)


def _letter(score: float, confidence: float, ran: bool, hard: bool, fails: bool,
            unconfirmed: bool) -> str:
    """The letter of rules 3 and 4: from the score, then capped."""
    letter = "A" if score >= 80 else "B" if score >= 60 else "C" if score >= 40 else "D"
    if not ran:
        letter = "C"  # rule 4: nothing checked is unproven, not bad
    if hard:
        letter = "D"
    elif fails:
        letter = _cap(letter, "C")
    if unconfirmed:
        letter = _cap(letter, "B")
    if confidence < 0.3:
        letter = _cap(letter, "C")
    elif confidence < 0.5:
        letter = _cap(letter, "B")
    return letter


def _decided_by(ran: list[Finding], hard: list[Finding], fails: list[Finding]) -> list[str]:
    """The findings that decided the grade: what went against the lead, worst first, else
    the strongest passes."""
    warns = sorted((f for f in ran if f.verdict == "warn"), key=lambda f: -f.weight)
    if hard or fails or warns:
        return [f"{f.verdict} {f.check}: {f.detail}" for f in (hard + fails + warns)[:4]]
    passes = sorted((f for f in ran if f.verdict == "pass"), key=lambda f: -f.weight)
    return [f"pass {f.check}: {f.detail}" for f in passes[:3]]
