#!/usr/bin/env python3
"""Score the lead book's deduplication on the shared entity-resolution data.

For each ../shared/bench/data/*/records.csv: write the file without cluster_id, run
``prospect import --id-column record_id`` into a fresh book (the bulk path), export
``--observations``, and score pairwise precision / recall / F1 against cluster_id after
transitive closure. ``--incremental N`` imports the same rows as many separate imports of N
rows each (the path a few new observations take into a big book) and scores that too.

With ``--peers``, Splink and recordlinkage (the ``bench`` extra) run on the same records in
the same run, one configuration for all data and no labels (see bench/peers.py).

usage: python bench/dedupe_quality.py [--data DIR] [--incremental 250] [--peers] [DATASET ...]
"""

from __future__ import annotations

import argparse
import collections
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import peers  # noqa: E402

DEFAULT_DATA = HERE.parent.parent / "shared" / "bench" / "data"


def pairs(groups: dict[str, list[str]]) -> int:
    return sum(len(v) * (len(v) - 1) // 2 for v in groups.values())


def score(truth: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    t: dict[str, list[str]] = collections.defaultdict(list)
    p: dict[str, list[str]] = collections.defaultdict(list)
    both: collections.Counter[tuple[str, str]] = collections.Counter()
    for rid, cluster in truth.items():
        # A row the import rejected (no name, website, e-mail or phone) stands alone.
        pred.setdefault(rid, f"rejected:{rid}")
        t[cluster].append(rid)
        p[pred[rid]].append(rid)
        both[(pred[rid], cluster)] += 1
    tp = sum(k * (k - 1) // 2 for k in both.values())
    pp, tt = pairs(p), pairs(t)
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def prospect(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "prospect", *args], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run(records: Path, tmp: Path, chunk: int | None) -> tuple[dict[str, str], dict[str, str], float]:
    with records.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    truth = {r["record_id"]: r["cluster_id"] for r in rows}
    headers = [h for h in rows[0] if h != "cluster_id"]
    parts = [rows] if chunk is None else [rows[i:i + chunk] for i in range(0, len(rows), chunk)]
    files = []
    for i, part in enumerate(parts):
        f = tmp / f"part{i}.csv"
        with f.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, headers, extrasaction="ignore")
            w.writeheader()
            w.writerows(part)
        files.append(f)
    book = tmp / "book.db"
    start = time.perf_counter()
    for f in files:
        prospect("--book", str(book), "import", str(f), "--id-column", "record_id",
                 "--source", "bench")
    elapsed = time.perf_counter() - start
    obs = tmp / "obs.csv"
    prospect("--book", str(book), "export", "--observations", "-o", str(obs),
             "--columns", "lead_id,reference")
    with obs.open(encoding="utf-8", newline="") as fh:
        pred = {r["reference"]: r["lead_id"] for r in csv.DictReader(fh)}
    return truth, pred, elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("datasets", nargs="*")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--incremental", type=int, default=0, metavar="N")
    ap.add_argument("--peers", action="store_true",
                    help="Run Splink and recordlinkage too, where installed.")
    a = ap.parse_args()
    names = a.datasets or sorted(p.name for p in a.data.iterdir() if (p / "records.csv").exists())
    print(f"{'dataset':18} {'path':12} {'records':>7} {'P':>6} {'R':>6} {'F1':>6} {'seconds':>8}")
    for name in names:
        modes: list[tuple[str, int | None]] = [("bulk", None)]
        if a.incremental:
            modes.append((f"incr/{a.incremental}", a.incremental))
        for label, chunk in modes:
            with tempfile.TemporaryDirectory() as d:
                truth, pred, secs = run(a.data / name / "records.csv", Path(d), chunk)
            p, r, f1 = score(truth, pred)
            print(f"{name:18} {label:12} {len(truth):7d} {p:6.3f} {r:6.3f} {f1:6.3f} {secs:8.2f}",
                  flush=True)
        if a.peers:
            with (a.data / name / "records.csv").open(encoding="utf-8", newline="") as fh:
                rows = list(csv.DictReader(fh))
            truth = {r["record_id"]: r["cluster_id"] for r in rows}
            for peer, run_peer in peers.available():
                try:
                    pred, secs = peers.timed(run_peer, rows)
                except Exception as ex:  # a peer that fails on a dataset is reported, not fatal
                    print(f"{name:18} {peer:12} failed: {type(ex).__name__}: {ex}"[:160], flush=True)
                    continue
                p, r, f1 = score(truth, pred)
                print(f"{name:18} {peer:12} {len(truth):7d} {p:6.3f} {r:6.3f} {f1:6.3f} "
                      f"{secs:8.2f}", flush=True)


if __name__ == "__main__":
    main()
