"""Rank leads by the analytic hierarchy process (AHP) and group them into tiers.

The user compares criteria pairwise on Saaty's 1-9 scale (a small TOML file); the weights are
the principal eigenvector of that reciprocal matrix, and the consistency ratio CR = CI / RI,
with CI = (lambda_max - n) / (n - 1) and Saaty's random index RI, says whether the judgments
hang together (CR above 0.1: revisit them). Each criterion is measured by something the book
knows. A lead's value on a criterion is, for a measure with a scale of its own (vetting score,
grade, stage), its share of that scale, with an unvetted lead counted as the low end of grade C
("unproven"); for the others (order value, your own numbers, interactions, distance), its
percentile among all ranked leads (so a few huge orders do not flatten everyone else), where a
lead without a value ranks below every lead with one. Its score is the weighted sum; rejected
leads keep a score but no tier and no place in the list.
References: T. L. Saaty, "How to make a decision: the analytic hierarchy process", European
Journal of Operational Research 48 (1990) 9-26; T. L. Saaty, "Decision making with the analytic
hierarchy process", Int. J. Services Sciences 1 (2008) 83-98.
"""

from __future__ import annotations

import bisect
import math
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from importlib import resources
from typing import Any

from prospect.errors import ProspectError
from prospect.normalize import distance_km
from prospect.storage import STATUSES, LeadBook

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["MEASURES", "RANDOM_INDEX", "TIERS", "Criterion", "Model", "RankResult", "consistency",
           "default_model", "parse_weights", "priorities", "rank"]

# Saaty's random consistency index by matrix size (Saaty 1980, as used in Saaty 1990, table 1).
RANDOM_INDEX: dict[int, float] = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32,
                                  8: 1.41, 9: 1.45, 10: 1.49}
CR_LIMIT = 0.1

# What a criterion can be measured by.
MEASURES: dict[str, str] = {
    "vetting": "the latest vetting score, 0-100 (prospect vet); unvetted leads have none",
    "grade": "the latest grade: A 3, B 2, C 1, D 0",
    "order_value": "the expected order value you set (prospect set ID order_value=N)",
    "interactions": "how many notes and status changes the lead's log holds",
    "stage": "follow-up stage: new 0, contacted 1, replied 2, qualified 3, customer 4",
    "distance": "km from home ([rank] home = \"lat,lon\" in the config, or --home) to the "
                "lead's map position; leads not found on a map have none",
    "sources": "how many observations (sightings by sources) the lead has",
    "field:NAME": "any number you set with prospect set ID NAME=N",
}
_GRADE_VALUE = {"A": 3.0, "B": 2.0, "C": 1.0, "D": 0.0}
_STAGE = {s: float(i) for i, s in enumerate(STATUSES[:5])}

# Tiers of the open leads (not customer, rejected or do-not-contact) by rank: share of leads.
TIERS: tuple[tuple[str, float], ...] = (("1", 0.2), ("2", 0.3), ("3", 0.5))


def priorities(matrix: Sequence[Sequence[float]], *, tol: float = 1e-12,
               max_iter: int = 10_000) -> tuple[list[float], float]:
    """The principal eigenvector (summing to 1) of a positive matrix and its eigenvalue.

    Power iteration: for a positive matrix it converges to the Perron vector.
    """
    n = len(matrix)
    w = [1.0 / n] * n
    lam = float(n)
    for _ in range(max_iter):
        v = [math.fsum(matrix[i][j] * w[j] for j in range(n)) for i in range(n)]
        total = math.fsum(v)
        new = [x / total for x in v]
        lam = total  # w sums to 1, so the sum of A.w is lambda once w is the eigenvector
        if max(abs(a - b) for a, b in zip(new, w, strict=True)) < tol:
            w = new
            break
        w = new
    return w, lam


def consistency(lambda_max: float, n: int) -> tuple[float, float]:
    """Saaty's consistency index and ratio for an n x n matrix with eigenvalue ``lambda_max``."""
    if n < 3:
        return 0.0, 0.0  # a 1x1 or 2x2 reciprocal matrix is always consistent
    ci = max(0.0, (lambda_max - n) / (n - 1))
    return ci, ci / RANDOM_INDEX[n]


@dataclass(frozen=True)
class Criterion:
    """One criterion: its name, what measures it, and whether more is better."""

    name: str
    measure: str
    better: str = "higher"
    about: str = ""


@dataclass(frozen=True)
class Model:
    """Criteria, their judgment matrix, the weights and the consistency of the judgments."""

    criteria: tuple[Criterion, ...]
    matrix: tuple[tuple[float, ...], ...]
    weights: tuple[float, ...]
    lambda_max: float
    ci: float
    cr: float
    source: str = "default"

    @property
    def consistent(self) -> bool:
        """Is the consistency ratio within Saaty's 0.1?"""
        return self.cr <= CR_LIMIT

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready description (for --json)."""
        return {"source": self.source, "lambda_max": self.lambda_max, "ci": self.ci,
                "cr": self.cr, "consistent": self.consistent,
                "criteria": [{"name": c.name, "measure": c.measure, "better": c.better,
                              "about": c.about, "weight": w}
                             for c, w in zip(self.criteria, self.weights, strict=True)]}


def model_from(criteria: Sequence[Criterion], matrix: Sequence[Sequence[float]],
               source: str = "") -> Model:
    """Build a model from criteria and their full reciprocal judgment matrix."""
    weights, lam = priorities(matrix)
    ci, cr = consistency(lam, len(matrix))
    return Model(tuple(criteria), tuple(tuple(r) for r in matrix), tuple(weights), lam, ci, cr,
                 source)


class WeightsError(ProspectError):
    """A weights file that cannot be used; the message names the line."""


def _line_of(text: str, *patterns: str) -> int | None:
    lines = text.splitlines()
    for pattern in patterns:
        rx = re.compile(pattern)
        for i, line in enumerate(lines, 1):
            if rx.search(line):
                return i
    return None


def _judgment(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, (int, float)):
        x = float(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*\d+(\.\d+)?\s*(/\s*\d+(\.\d+)?\s*)?", value):
        x = float(Fraction(value.replace(" ", "")))
    else:
        raise ValueError("not a number or a fraction like \"1/3\"")
    if not (1 / 9 - 1e-9 <= x <= 9 + 1e-9):
        raise ValueError("outside Saaty's scale (1/9 to 9)")
    return x


def parse_weights(text: str, source: str = "weights.toml") -> Model:
    """Read criteria and pairwise judgments from TOML; errors name the line and the problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as ex:
        m = re.search(r"\(at line (\d+), column \d+\)", str(ex))
        problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(ex))
        raise _fail(source, int(m.group(1)) if m else None, f"not valid TOML: {problem}") from None
    criteria = _criteria(data.get("criteria"), text, source)
    matrix = _judgments(data.get("judgments"), text, [c.name for c in criteria], source)
    return model_from(criteria, matrix, source)


def _fail(source: str, line: int | None, problem: str) -> WeightsError:
    return WeightsError(f"{source}: line {line}: {problem}" if line else f"{source}: {problem}")


def _criteria(raw: object, text: str, source: str) -> list[Criterion]:
    """The ``[criteria.NAME]`` tables of a weights file (``text``), checked."""
    if not isinstance(raw, dict) or len(raw) < 2:
        raise _fail(source, _line_of(text, r"^\s*\[criteria"),
                    "give at least two [criteria.NAME] tables")
    if len(raw) > max(RANDOM_INDEX):
        raise _fail(source, _line_of(text, r"^\s*\[criteria"),
                    f"{len(raw)} criteria; AHP judgments stay reliable up to {max(RANDOM_INDEX)}")
    criteria = []
    for name, spec in raw.items():
        where = _line_of(text, rf"^\s*\[criteria\.\"?{re.escape(name)}\"?\]")
        if not isinstance(spec, dict):
            raise _fail(source, where, f"criteria.{name} must be a table with measure = \"...\"")
        measure = spec.get("measure")
        if not isinstance(measure, str) or not (
                (measure in MEASURES and measure != "field:NAME")
                or re.fullmatch(r"field:[A-Za-z_][\w-]*", measure)):
            line = _line_of(text, rf"^\s*measure\s*=\s*\"{re.escape(str(measure))}\"") or where
            raise _fail(source, line, f"criteria.{name}: unknown measure {measure!r}; use one of "
                        + ", ".join(MEASURES))
        better = spec.get("better", "higher")
        if better not in ("higher", "lower"):
            line = _line_of(text, rf"^\s*better\s*=\s*\"?{re.escape(str(better))}") or where
            raise _fail(source, line,
                        f"criteria.{name}: better = {better!r}; use \"higher\" or \"lower\"")
        criteria.append(Criterion(name, measure, better, str(spec.get("about", ""))))
    return criteria


def _judgments(judgments: object, text: str, names: list[str], source: str
               ) -> list[list[float]]:
    """The pairwise comparison matrix of the ``[judgments]`` table: every pair of ``names``
    compared once, each judgment's reciprocal below the diagonal."""
    index = {name: i for i, name in enumerate(names)}
    matrix = [[1.0] * len(names) for _ in names]
    given: dict[frozenset[str], str] = {}
    head = _line_of(text, r"^\s*\[judgments")
    if not isinstance(judgments, dict):
        raise _fail(source, head, "no [judgments] table comparing the criteria pairwise")
    for a, row in judgments.items():
        if a not in index:
            raise _fail(source, _line_of(text, rf"^\s*\"?{re.escape(a)}\"?\s*[.=]",
                                         rf"\[judgments\.{re.escape(a)}\]"),
                        f"judgments: {a!r} is not one of the criteria ({', '.join(names)})")
        if not isinstance(row, dict):
            raise _fail(source, _line_of(text, rf"^\s*{re.escape(a)}\s*="),
                        f"judgments: write {a}.OTHER = N, comparing {a} with another criterion")
        for b, value in row.items():
            line = _line_of(text, rf"^\s*\"?{re.escape(a)}\"?\s*\.\s*\"?{re.escape(b)}\"?\s*=",
                            rf"^\s*\"?{re.escape(b)}\"?\s*=")
            if b not in index:
                raise _fail(source, line,
                            f"judgments: {b!r} is not one of the criteria ({', '.join(names)})")
            if a == b:
                raise _fail(source, line, f"judgments: {a} compared with itself")
            pair = frozenset((a, b))
            if pair in given:
                raise _fail(source, line,
                            f"judgments: {a} and {b} compared twice (also as {given[pair]})")
            try:
                x = _judgment(value)
            except ValueError as ex:
                raise _fail(source, line, f"judgments: {a}.{b} = {value!r}: {ex}") from None
            given[pair] = f"{a}.{b}"
            matrix[index[a]][index[b]] = x
            matrix[index[b]][index[a]] = 1.0 / x
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if frozenset((a, b)) not in given:
                raise _fail(source, head, f"judgments: {a} and {b} are not compared; add {a}.{b} = N")
    return matrix


def default_model() -> Model:
    """The model shipped with prospect (credibility > gross profit > loyalty, cost to serve)."""
    text = resources.files("prospect.data").joinpath("weights.toml").read_text(encoding="utf-8")
    return parse_weights(text, "default weights")


# ---------------------------------------------------------------------- ranking


@dataclass
class RankResult:
    """Scores and tiers written to the book, and what the criteria saw."""

    model: Model
    ranked: int = 0
    coverage: dict[str, int] = field(default_factory=dict)  # criterion -> leads with a value
    top: list[dict[str, Any]] = field(default_factory=list)
    tiers: dict[str, int] = field(default_factory=dict)


def _percentiles(values: Mapping[int, float], everyone: Sequence[int],
                 lower_is_better: bool = False) -> dict[int, float]:
    """Each lead's mid-rank percentile in [0, 1] among ``everyone``, best 1.

    A lead without a value ranks below every lead with one: an unknown order value, own
    number or distance must not beat a known one, however small or far. All tied: 0.5.
    """
    n = len(everyone)
    if n == 0:
        return {}
    worst = -math.inf
    sign = -1.0 if lower_is_better else 1.0
    keyed = {i: sign * values[i] if i in values else worst for i in everyone}
    ordered = sorted(keyed.values())
    if ordered[0] == ordered[-1]:
        return dict.fromkeys(everyone, 0.5)
    out = {}
    for key, v in keyed.items():
        below = bisect.bisect_left(ordered, v)
        equal = bisect.bisect_right(ordered, v) - below
        out[key] = (below + (equal - 1) / 2) / (n - 1)
    return out


# Measures on a scale of their own, read as a share of it rather than ranked among the leads:
# a lead's vetting score of 85 stays good however many leads scored 90. Their unknown value is
# what the grade rules call "unproven": a lead never vetted counts as the low end of grade C.
_ABSOLUTE: dict[str, tuple[float, float]] = {
    "vetting": (100.0, 0.4), "grade": (3.0, 1.0 / 3.0), "stage": (4.0, 0.0)}


def _user_key(measure: str) -> str | None:
    """The user value a measure reads (order_value is one), or None for computed measures."""
    if measure.startswith("field:"):
        return measure[6:]
    return None if measure in ("vetting", "grade", "interactions", "stage", "distance",
                               "sources") else measure


def _measure(criterion: Criterion, rows: Sequence[tuple[Any, ...]], user_keys: list[str],
             positions: Callable[[], dict[int, tuple[float, float]]],
             home: tuple[float, float] | None) -> dict[int, float]:
    m = criterion.measure
    values: dict[int, float] = {}
    if m == "distance":
        if home is None:
            return {}
        return {i: distance_km(home, p) for i, p in positions().items()}
    key = m.split(":", 1)[1] if m.startswith("field:") else m
    for lead_id, vet_score, grade, status, obs_count, interactions, *user in rows:
        value: float | None = None
        if m == "vetting":
            value = vet_score
        elif m == "grade":
            value = _GRADE_VALUE.get(grade or "")
        elif m == "interactions":
            value = float(interactions)
        elif m == "stage":
            value = _STAGE.get(status)
        elif m == "sources":
            value = float(obs_count)
        else:
            raw = user[user_keys.index(key)]
            value = float(raw) if isinstance(raw, (int, float)) else None
        if value is not None:
            values[lead_id] = float(value)
    return values


def rank(book: LeadBook, model: Model, *, home: tuple[float, float] | None = None,
         top: int = 20) -> RankResult:
    """Score every lead that is not do-not-contact, write rank_score and tier, return a summary."""
    user_keys = sorted({uk for c in model.criteria if (uk := _user_key(c.measure))})
    rows = book.rank_inputs(user_keys)
    cache: dict[str, dict[int, tuple[float, float]]] = {}

    def positions() -> dict[int, tuple[float, float]]:
        if "p" not in cache:
            cache["p"] = book.positions()
        return cache["p"]

    result = RankResult(model)
    everyone = [int(row[0]) for row in rows]
    columns: list[dict[int, float]] = []
    for criterion in model.criteria:
        raw = _measure(criterion, rows, user_keys, positions, home)
        result.coverage[criterion.name] = len(raw)
        lower = criterion.better == "lower"
        if criterion.measure in _ABSOLUTE:
            top_value, unknown = _ABSOLUTE[criterion.measure]
            scaled = {i: min(1.0, max(0.0, raw[i] / top_value)) if i in raw else unknown
                      for i in everyone}
            columns.append({i: (1.0 - v if lower else v) for i, v in scaled.items()})
        else:
            columns.append(_percentiles(raw, everyone, lower))
    scores: dict[int, float] = {}
    parts: dict[int, list[float]] = {}
    for row in rows:
        lead_id = row[0]
        values = [col.get(lead_id, 0.5) for col in columns]
        parts[lead_id] = values
        scores[lead_id] = math.fsum(w * v for w, v in zip(model.weights, values, strict=True))
    status = {row[0]: row[3] for row in rows}
    open_ids = sorted((i for i in scores if status[i] not in ("customer", "rejected")),
                      key=lambda i: (-scores[i], i))
    tier: dict[int, str | None] = {i: ("customer" if status[i] == "customer" else None)
                                   for i in scores}
    start = 0
    for k, (name, share) in enumerate(TIERS):
        end = len(open_ids) if k == len(TIERS) - 1 else start + round(share * len(open_ids))
        for i in open_ids[start:end]:
            tier[i] = name
        start = end
    book.set_ranks({i: (round(scores[i], 6), tier[i]) for i in scores})
    result.ranked = len(scores)
    for t in tier.values():
        if t:
            result.tiers[t] = result.tiers.get(t, 0) + 1
    # A rejected lead keeps its score but leaves the list: it is no lead to work on.
    best = sorted((i for i in scores if status[i] != "rejected"),
                  key=lambda i: (-scores[i], i))[:top]
    for i in best:
        lead = book.lead(i)
        result.top.append({"id": i, "name": lead.get("name"), "country": lead.get("country"),
                           "status": lead.get("status"), "grade": lead.get("grade"),
                           "tier": tier[i], "score": scores[i],
                           "criteria": {c.name: v for c, v in
                                        zip(model.criteria, parts[i], strict=True)}})
    return result
