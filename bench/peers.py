"""The tools a user would pick instead, run on the same records: Splink and recordlinkage.

One configuration for every dataset and no labels, as prospect runs: each tool compares the
columns a dataset has among a fixed list (names and addresses by string similarity, codes
and numbers exactly), finds candidates by a fixed list of blocking keys, estimates its model
without labels (Splink: u by random sampling, m by expectation maximisation; recordlinkage:
its ECM classifier) and clusters its links by connected components.

Installed by the ``bench`` extra (``pip install -e '.[bench]'``); bench/dedupe_quality.py
runs them with ``--peers``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

# Columns compared by string similarity, and exactly, wherever a dataset has them.
TEXT = ("name", "address", "city", "given_name", "surname", "address_1", "suburb")
EXACT = ("postcode", "phone", "website", "email", "state", "street_number", "date_of_birth",
         "soc_sec_id")
# Candidate pairs: records that agree on one of these (the first four characters of a text).
BLOCKS = (("name",), ("phone",), ("postcode", "address"), ("website",), ("surname", "given_name"),
          ("soc_sec_id",), ("date_of_birth",), ("postcode", "surname"))


def _present(rows: list[dict[str, str]], columns: tuple[str, ...]) -> list[str]:
    return [c for c in columns if any(r.get(c) for r in rows)]


def _clean(column: str, value: str | None) -> str:
    """The light standardising any user does first: a phone's last ten digits, a site's host."""
    text = (value or "").strip().lower()
    if column == "phone":
        return "".join(c for c in text if c.isdigit())[-10:]
    if column == "website":
        host = text.split("://")[-1].split("/")[0]
        return host[4:] if host.startswith("www.") else host
    return text


class _Components:
    """Connected components of the links (transitive closure, as every tool here clusters)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def splink(rows: list[dict[str, str]]) -> dict[str, str]:
    """Splink (DuckDB), unsupervised: record id -> cluster."""
    import pandas as pd
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    logging.getLogger("splink").setLevel(logging.ERROR)
    text, exact = _present(rows, TEXT), _present(rows, EXACT)
    frame = pd.DataFrame([{"unique_id": r["record_id"], **{c: (_clean(c, r.get(c)) or None) for c in
                                                            (*text, *exact)}} for r in rows])
    # Term-frequency adjustment on the names: a common name says less (Splink's own advice).
    comparisons = [cl.JaroWinklerAtThresholds(c, [0.95, 0.88, 0.7]).configure(
        term_frequency_adjustments=c in ("name", "surname", "given_name")) for c in text]
    comparisons += [cl.ExactMatch(c) for c in exact]
    have = set(text) | set(exact)
    blocks = [block_on(*(f"substr({c}, 1, 4)" if c in TEXT else c for c in cols))
              for cols in BLOCKS if set(cols) <= have]
    settings = SettingsCreator(link_type="dedupe_only", comparisons=comparisons,
                               blocking_rules_to_generate_predictions=blocks)
    db = DuckDBAPI()
    linker = Linker(db.register(frame), settings, log_level=logging.ERROR)
    first = text[0] if text else exact[0]
    linker.training.estimate_probability_two_random_records_match(
        [block_on(first, *(exact[:1] if exact else []))], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    for rule in blocks[:3]:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    pairs = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
    parts = _Components()
    for a, b in zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True):
        parts.union(str(a), str(b))
    return {r["record_id"]: parts.find(r["record_id"]) for r in rows}


def recordlinkage(rows: list[dict[str, str]]) -> dict[str, str]:
    """recordlinkage, unsupervised (ECM classifier on binary comparisons): id -> cluster."""
    import pandas as pd
    import recordlinkage as rl

    text, exact = _present(rows, TEXT), _present(rows, EXACT)
    frame = pd.DataFrame([{c: _clean(c, r.get(c)) for c in (*text, *exact)} for r in rows],
                         index=[r["record_id"] for r in rows])
    # Candidate pairs from the same blocking keys, a missing value never a key (recordlinkage's
    # own Block would pair every record that lacks a phone with every other).
    have = set(text) | set(exact)
    blocks: dict[tuple[str, ...], list[str]] = {}
    for cols in BLOCKS:
        if set(cols) <= have:
            for rid, row in frame.iterrows():
                key = tuple(str(row[c])[:4] if c in TEXT else str(row[c]) for c in cols)
                if all(key):
                    blocks.setdefault((*cols, *key), []).append(str(rid))
    candidates = {(a, b) for ids in blocks.values() if len(ids) <= 200
                  for i, a in enumerate(ids) for b in ids[i + 1:]}
    links = pd.MultiIndex.from_tuples(sorted(candidates)) if candidates else None
    parts = _Components()
    if links is None:
        return {r["record_id"]: parts.find(r["record_id"]) for r in rows}
    compare = rl.Compare()
    for c in text:
        compare.string(c, c, method="jarowinkler", threshold=0.88, label=c)
    for c in exact:
        compare.exact(c, c, label=c, missing_value=0)
    features = compare.compute(links, frame)
    if len(features):
        matches = rl.ECMClassifier(init="jaro", binarize=None).fit_predict(features)
        for a, b in matches:
            parts.union(str(a), str(b))
    return {r["record_id"]: parts.find(r["record_id"]) for r in rows}


def available() -> list[tuple[str, Callable[[list[dict[str, str]]], dict[str, str]]]]:
    """The peers installed here, by name."""
    out: list[tuple[str, Callable[[list[dict[str, str]]], dict[str, str]]]] = []
    for name, run, module in (("splink", splink, "splink"),
                              ("recordlinkage", recordlinkage, "recordlinkage")):
        try:
            __import__(module)
        except ImportError:
            continue
        out.append((name, run))
    return out


def timed(run: Callable[[list[dict[str, str]]], dict[str, str]], rows: list[dict[str, str]]
          ) -> tuple[dict[str, str], float]:
    """``run(rows)`` and the seconds it took."""
    start = time.perf_counter()
    return run(rows), time.perf_counter() - start
