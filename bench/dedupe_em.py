#!/usr/bin/env python3
"""Would weights learned by EM over a book's own candidate pairs beat the hand-set ones?

The experiment behind dedupe's weights (issue 27). For each dataset: cluster its records in
process with the hand-set evidence model (as ``prospect import`` would), keeping the reasons
of every candidate pair scored; read each pair as a Fellegi-Sunter comparison vector (one
level per comparison: the reason and its hand-set weight); estimate m and u for every level,
and the share of matches, by EM over those pairs (Splink's method), started from the hand-set
decisions and held to the hand-set weights by ``--alpha`` pseudo-pairs a comparison; then
cluster again with the learned weights, decided at posterior 0.5, and score both against the
truth. No label is used to learn.

Two more rows a factorisation bound what learning could do: ``+S`` learns m and u in one
round from the hand-set model's own decisions (self-training), ``+T`` from the labels
themselves (each candidate a match where the record and the one that began the lead are
one business): the weights Fellegi-Sunter would give with perfect knowledge of which pairs
match, the most any unsupervised estimate could hope for.

Two factorisations: ``fields`` (every field its own comparison, as Splink compares them) and
``joint`` (the facts of where, address, distance, postcode, town and country, as one
comparison, and the web site with the mailbox as another: the model's own structure, which
is far from conditionally independent). ``--sign`` keeps each learned weight on the side of
zero its hand-set value is on (a differing address may weigh less, never count for a match).

usage: python bench/dedupe_em.py [--data DIR] [--alpha 20] [--sign] [DATASET ...]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import csv
import itertools
import math
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from prospect import dedupe  # noqa: E402
from prospect.csvio import CsvImport  # noqa: E402
from prospect.dedupe import clusterer as clustering  # noqa: E402
from prospect.ingest import prepare  # noqa: E402

DEFAULT_DATA = HERE.parent.parent / "shared" / "bench" / "data"
Reasons = tuple[tuple[str, float], ...]
Record = tuple[str, dedupe.Signature, list[str]]
Scorer = Callable[..., dedupe.Score]
_HAND = dedupe.score

_PLACE = {"where", "postcode", "city", "town named otherwise, same postcode", "country"}
_ORGANISATION = {"domain", "email"}


def load(path: Path) -> tuple[list[Record], dict[str, str]]:
    """The records of a dataset as the import prepares them, and its truth."""
    found = CsvImport(path=path, source="bench", id_column="record_id")
    observations = list(found.observations())
    prepared = prepare.prepare(observations)
    with path.open(encoding="utf-8", newline="") as fh:
        truth = {r["record_id"]: r["cluster_id"] for r in csv.DictReader(fh)}
    return [(o.reference, sig, keys) for o, (sig, keys, _, _) in zip(observations, prepared,
                                                                         strict=True)], truth


@contextlib.contextmanager
def scoring(scorer: Scorer) -> Iterator[None]:
    """Let the clusterer score candidates with ``scorer`` for a while."""
    clustering.score = scorer  # type: ignore[attr-defined]  # the name assign() calls
    try:
        yield
    finally:
        clustering.score = _HAND  # type: ignore[attr-defined]


class _Watched(dedupe.MemoryIndex):
    """A memory index that remembers the lead whose profile was asked for last: the one
    Clusterer.assign scores next."""

    last: int = 0

    def profile(self, lead_id: int) -> dedupe.AnyProfile:
        self.last = lead_id
        return self.profiles[lead_id]


def cluster(records: list[Record], stats: dedupe.CountingStats, scorer: Scorer,
            met: list[tuple[str, int]] | None = None) -> dict[str, int]:
    """Each record's lead, clustered in order as an import into an empty book would.

    ``met``: where each scored candidate goes, as (the record, the lead it was scored against).
    """
    index = _Watched()
    made = dedupe.Clusterer(index=index, stats=stats)
    out: dict[str, int] = {}
    current = ""  # the record being clustered

    def meet(*args: Any, **kwargs: Any) -> dedupe.Score:
        assert met is not None
        met.append((current, index.last))
        return scorer(*args, **kwargs)

    with scoring(scorer if met is None else meet):
        for current, sig, keys in records:
            out[current] = made.assign(sig, keys=keys).lead_id
    return out


def pairwise(truth: dict[str, str], pred: dict[str, int]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 (a record the import rejected stands alone)."""
    both = collections.Counter((pred.get(r, f"-{r}"), c) for r, c in truth.items())
    made = collections.Counter(pred.get(r, f"-{r}") for r in truth)
    true = collections.Counter(truth.values())

    def pairs(counts: collections.Counter[object]) -> int:
        return sum(k * (k - 1) // 2 for k in counts.values())

    tp, pp, tt = pairs(both), pairs(made), pairs(true)  # type: ignore[arg-type]
    p, r = (tp / pp if pp else 1.0), (tp / tt if tt else 1.0)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def comparison(label: str) -> str:
    """The comparison a reason belongs to ("address differs" and "address" to "where")."""
    kind = re.sub(r" \(another branch\)| of the same building", "", re.sub(r"[\d.]+", "#", label))
    if kind.startswith("name") or kind.startswith("a business at") or "within" in kind:
        return "name"
    if (kind.endswith(" apart") and not kind.startswith(("tax_id", "birth_date"))) \
            or kind.startswith("address"):
        return "where"
    return kind.replace(" differs", "").replace(" one edit apart", "")


def vector(reasons: Reasons, joint: bool) -> dict[str, tuple[str, float]]:
    """A candidate's comparison vector: its level and hand-set weight, comparison by comparison."""
    out: dict[str, tuple[str, float]] = {}
    for label, w in reasons:
        group = comparison(label)
        if joint:
            group = "place" if group in _PLACE else "organisation" if group in _ORGANISATION \
                else group
        level = f"{re.sub(r'[0-9.]+', '#', label)}|{w:g}"
        if group in out:
            before, hand = out[group]
            out[group] = (f"{before}+{level}", hand + w)
        else:
            out[group] = (level, w)
    return out


def em(vectors: list[dict[str, tuple[str, float]]], start: list[float], alpha: float,
       sign: bool, learn: set[str] | None = None, rounds: int = 30
       ) -> tuple[dict[str, float], float]:
    """Learned log-odds of each level, and the log-odds a candidate needs to be a match.

    ``learn``: the comparisons whose weights are learned (else all); the rest keep theirs.
    """
    hand = {level: w for v in vectors for level, w in v.values()}
    groups: dict[str, set[str]] = collections.defaultdict(set)
    for v in vectors:
        for group, (level, _) in v.items():
            groups[group].add(level)
    post = start
    weights: dict[str, float] = {}
    prior = 0.0
    for _ in range(rounds):
        share = (sum(post) + 1) / (len(post) + 2)
        prior = math.log(share / (1 - share))
        m: dict[str, float] = collections.defaultdict(float)
        u: dict[str, float] = collections.defaultdict(float)
        for v, p in zip(vectors, post, strict=True):
            for level, _ in v.values():
                m[level] += p
                u[level] += 1 - p
        for group, levels in groups.items():
            if learn is not None and group not in learn:
                weights.update((lv, hand[lv]) for lv in levels)
                continue
            # The prior: the hand-set weight as the ratio of m to u, spread over alpha pairs.
            m0 = {lv: math.exp(hand[lv] / 2) for lv in levels}
            u0 = {lv: math.exp(-hand[lv] / 2) for lv in levels}
            sm, su = sum(m0.values()), sum(u0.values())
            mt, ut = sum(m[lv] for lv in levels) + alpha, sum(u[lv] for lv in levels) + alpha
            for lv in levels:
                weights[lv] = (math.log((m[lv] + alpha * m0[lv] / sm) / mt)
                               - math.log((u[lv] + alpha * u0[lv] / su) / ut))
                if sign:
                    weights[lv] = (max(0.0, weights[lv]) if hand[lv] > 0 else
                                   min(0.0, weights[lv]) if hand[lv] < 0 else weights[lv])
        post = [1 / (1 + math.exp(-max(-50.0, min(50.0, prior + sum(
            weights[level] for level, _ in v.values()))))) for v in vectors]
    return weights, -prior


def learned(weights: dict[str, float], needed: float, joint: bool) -> Scorer:
    """A scorer that weighs the hand-set model's reasons with the learned weights."""
    def scorer(sig: dedupe.Signature, prof: dedupe.AnyProfile, stats: dedupe.TokenStats,
               key_leads: dict[str, int] | None = None, floor: float | None = None
               ) -> dedupe.Score:
        reasons = _HAND(sig, prof, stats, key_leads).reasons
        found = [(group, weights.get(level, hand)) for group, (level, hand)
                 in vector(reasons, joint).items()]
        total = sum(w for _, w in found) - needed + dedupe.MATCH_THRESHOLD
        return dedupe.Score(total, tuple(found))
    return scorer


def keeping(scored: list[Reasons]) -> Scorer:
    """The hand-set scorer, keeping every candidate's reasons in ``scored``."""
    def keep(sig: dedupe.Signature, prof: dedupe.AnyProfile, stats: dedupe.TokenStats,
             key_leads: dict[str, int] | None = None, floor: float | None = None
             ) -> dedupe.Score:
        found = _HAND(sig, prof, stats, key_leads)  # no floor: every candidate's reasons
        scored.append(found.reasons)
        return found
    return keep


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("datasets", nargs="*")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--alpha", type=float, default=20.0,
                    help="Pseudo-pairs a comparison that hold it to the hand-set weights.")
    ap.add_argument("--sign", action="store_true",
                    help="Keep each learned weight on its hand-set side of zero.")
    ap.add_argument("--learn", metavar="NAMES",
                    help="Learn only these comparisons (comma-separated: name,phone,...).")
    ap.add_argument("--hand-threshold", action="store_true",
                    help="Decide at the hand-set threshold, not at the learned share of matches.")
    a = ap.parse_args()
    learn = set(a.learn.split(",")) if a.learn else None
    names = a.datasets or sorted(p.name for p in a.data.iterdir() if (p / "records.csv").exists())
    print(f"{'dataset':18} {'weights':8} {'pairs':>6} {'share':>6} {'P':>6} {'R':>6} {'F1':>6}")
    for name in names:
        records, truth = load(a.data / name / "records.csv")
        stats = dedupe.CountingStats()
        for _, sig, _ in records:
            stats.add(sig.core.split())
        scored: list[Reasons] = []
        met: list[tuple[str, int]] = []
        pred = cluster(records, stats, keeping(scored), met)
        p, r, f1 = pairwise(truth, pred)
        print(f"{name:18} {'hand':8} {len(scored):6d} {'':>6} {p:6.3f} {r:6.3f} {f1:6.3f}")
        start = [1.0 if sum(w for _, w in rs) >= dedupe.MATCH_THRESHOLD else 0.0 for rs in scored]
        # The labels' own answer for each candidate (the truth of the record that began the
        # lead): m and u read from them are what EM could learn at best.
        founder = {lead: ref for ref, lead in reversed(list(pred.items()))}
        labels = [float(truth[ref] == truth[founder.get(lead, ref)]) for ref, lead in met]
        for joint, (how, post, rounds) in itertools.product(
                (False, True), (("em", start, 30), ("self", start, 1), ("truth", labels, 1))):
            vectors = [vector(rs, joint) for rs in scored]
            weights, needed = em(vectors, post, a.alpha, a.sign, learn, rounds)
            share = 1 / (1 + math.exp(needed))
            if a.hand_threshold:
                needed = dedupe.MATCH_THRESHOLD
            p, r, f1 = pairwise(truth, cluster(records, stats, learned(weights, needed, joint)))
            label = ("joint" if joint else "fields") + {"em": "", "self": "+S", "truth": "+T"}[how]
            print(f"{name:18} {label:8} {len(scored):6d} {share:6.3f} {p:6.3f} {r:6.3f} {f1:6.3f}",
                  flush=True)


if __name__ == "__main__":
    main()
