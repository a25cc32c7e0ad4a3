#!/usr/bin/env python3
"""Fodor's against Zagat's restaurant guides -> a records.csv for bench/dedupe_quality.py.

A business dataset beyond ../shared/bench/data, read where it is published and never kept
here: ``py_entitymatching/datasets/end-to-end/restaurants/`` of anhaidgroup/py_entitymatching
(BSD 3-clause): ``fodors.csv`` (533 restaurants), ``zagats.csv`` (331) and
``matches_fodors_zagats.csv`` (112 pairs). Restaurants of Los Angeles, New York, Las Vegas,
Atlanta and San Francisco, among them several of one hotel or casino at one address and one
switchboard. Each record keeps its guide's name, address, city, phone and kind of food; a
matched pair shares a cluster, every other record is a cluster of its own.

usage: python bench/convert_fodors_zagats.py SRC_DIR OUT_DIR
then:  python bench/dedupe_quality.py --data OUT_DIR --peers
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

COLUMNS = ["record_id", "cluster_id", "name", "address", "city", "phone", "category"]


def main() -> None:
    src, out = Path(sys.argv[1]), Path(sys.argv[2]) / "fodors_zagats"
    rows = []
    for name, tag in (("fodors.csv", "f"), ("zagats.csv", "z")):
        with (src / name).open(encoding="utf-8", errors="replace", newline="") as fh:
            rows += [{"record_id": f"{tag}{r['id']}", "name": r["name"], "address": r["addr"],
                      "city": r["city"], "phone": r["phone"], "category": r["type"]}
                     for r in csv.DictReader(fh)]
    cluster = {r["record_id"]: r["record_id"] for r in rows}
    with (src / "matches_fodors_zagats.csv").open(encoding="utf-8", newline="") as fh:
        for m in csv.DictReader(fh):
            cluster[f"z{m['zagats_id']}"] = f"f{m['fodors_id']}"
    out.mkdir(parents=True, exist_ok=True)
    with (out / "records.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, COLUMNS)
        w.writeheader()
        w.writerows({**r, "cluster_id": cluster[r["record_id"]]} for r in rows)
    print(f"{len(rows)} records, {sum(1 for k, v in cluster.items() if k != v)} matched pairs")


if __name__ == "__main__":
    main()
