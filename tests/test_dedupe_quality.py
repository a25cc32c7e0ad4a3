"""Dedupe quality guarded in CI: F1 floors on small labelled samples of the shared datasets.

Each sample is a fixed set of whole clusters from ../shared/bench/data (read there, never
copied here), or the records we wrote in tests/data (firms of the countries exporters sell
to, written as their own lists and foreign directories write them), imported in one go (the
bulk path) and in small imports into a growing book (the incremental path), and scored by
pairwise F1 after clustering, as bench/dedupe_quality.py scores the full files. A change
that loses quality on any kind of data (business lists, names only, persons, venues with
chain branches, firms abroad) fails here. The floors sit a little under
what the samples scored when they were set; the full figures live in the bench output.
"""

from __future__ import annotations

import collections
import csv
import io
from pathlib import Path
from typing import Any

import pytest

from prospect.csvio import CsvImport
from prospect.ingest.engine import ingest
from prospect.storage import LeadBook

DATA = Path(__file__).resolve().parents[2] / "shared" / "bench" / "data"
OURS = Path(__file__).resolve().parent / "data"

# dataset -> (records in the sample, F1 floor for bulk, F1 floor for incremental)
FLOORS: dict[str, tuple[int, float, float]] = {
    "chicago_ece": (800, 0.94, 0.94),  # business lists: name, address, phone, web
    # Names only, many with a town's centre for a position (no door: no branch).
    "patstat_nl_orgs": (800, 0.94, 0.94),
    "febrl3": (800, 0.994, 0.994),  # persons
    "locu_foursquare": (600, 0.95, 0.95),  # venues, chain branches
    "geo_osm_yelp_pit": (800, 0.91, 0.91),  # OSM against Yelp, often a name alone
    # Chinese, Korean, Japanese, Russian, Arabic, Thai, Turkish, Vietnamese, Brazilian,
    # Mexican, Colombian, Malaysian, Indian ... firms in their own scripts, forms and address
    # layouts, with namesakes in other towns and a neighbour at one switchboard.
    "international": (60, 0.97, 0.97),
}


def sample(name: str, size: int) -> list[dict[str, str]]:
    """Whole clusters, spread over the file (every k-th cluster id), about ``size`` records."""
    path = (OURS if (OURS / name).is_dir() else DATA) / name / "records.csv"
    if not path.exists():
        pytest.fail(f"{path} is missing: the shared bench data must be beside the repository")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    clusters: dict[str, list[dict[str, str]]] = collections.defaultdict(list)
    for row in rows:
        clusters[row["cluster_id"]].append(row)
    ordered = sorted(clusters)
    step = max(1, round(len(rows) / size))
    return [row for cid in ordered[::step] for row in clusters[cid]]


def f1(truth: dict[str, str], pred: dict[str, str]) -> float:
    """Pairwise F1 of ``pred`` against ``truth`` (record id -> cluster)."""
    def pairs(groups: collections.Counter[Any]) -> int:
        return sum(k * (k - 1) // 2 for k in groups.values())

    both = collections.Counter((pred.get(r, f"alone:{r}"), c) for r, c in truth.items())
    p = collections.Counter(pred.get(r, f"alone:{r}") for r in truth)
    t = collections.Counter(truth.values())
    tp, pp, tt = pairs(both), pairs(p), pairs(t)
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def cluster(rows: list[dict[str, str]], tmp: Path, chunk: int | None) -> dict[str, str]:
    """Import ``rows`` (in chunks, if given) into a fresh book; record id -> lead id."""
    book = LeadBook.open(tmp / "book.db")
    headers = [h for h in rows[0] if h != "cluster_id"]
    parts = [rows] if chunk is None else [rows[i:i + chunk] for i in range(0, len(rows), chunk)]
    for k, part in enumerate(parts):
        buf = io.StringIO()
        writer = csv.DictWriter(buf, headers, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(part)
        path = tmp / f"part{k}.csv"
        path.write_text(buf.getvalue(), encoding="utf-8")
        ingest(book, CsvImport(path, "bench", "record_id"))
    pred = {o["reference"]: str(o["lead_id"]) for o in book.observations()}
    book.close()
    return pred


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_dedupe_quality_stays_above_its_floor(name: str, tmp_path: Path) -> None:
    size, bulk_floor, incremental_floor = FLOORS[name]
    rows = sample(name, size)
    truth = {r["record_id"]: r["cluster_id"] for r in rows}
    (tmp_path / "bulk").mkdir()
    (tmp_path / "incr").mkdir()
    bulk = f1(truth, cluster(rows, tmp_path / "bulk", None))
    # Imports of a hundred records, or of ten where the sample is small.
    incremental = f1(truth, cluster(rows, tmp_path / "incr", 100 if len(rows) >= 400 else 10))
    print(f"{name}: {len(rows)} records, F1 bulk {bulk:.3f}, incremental {incremental:.3f}")
    assert bulk >= bulk_floor
    assert incremental >= incremental_floor
