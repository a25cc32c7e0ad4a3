#!/usr/bin/env python3
"""Yelp against Zomato restaurants, labelled pairs -> a records.csv for bench/dedupe_quality.py.

A business dataset beyond ../shared/bench/data, read where it is published and never kept
here: ``data/G.csv`` of rdamkondwar/FoodReviewAnalytics (a university course project, no
licence stated: measured here, not shipped), 599 pairs of a Yelp and a Zomato restaurant of
one ZIP code in Charlotte, Las Vegas, Phoenix, Pittsburgh, Cleveland and Madison, labelled
by hand as one restaurant or two. Each side keeps its name, address, city, ZIP code and
position; Zomato's address runs on through the neighbourhood, town, state and ZIP, which it
joins with "$*$" (written here as the commas they stand for).

The labels are pairs, not clusters: records joined by a positive pair share a cluster and
every pair not labelled is taken as two restaurants, so a duplicate the students did not
pair counts against whoever finds it. Some labels read wrong ("Midwood Auto Craft" and
"Midwood Smokehouse" as one, in the project's J.csv, is not in this file). Read the figures
beside the larger sets, not alone.

usage: python bench/convert_yelp_zomato.py REPO_DIR OUT_DIR   (REPO_DIR: a checkout)
then:  python bench/dedupe_quality.py --data OUT_DIR --peers
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

COLUMNS = ["record_id", "cluster_id", "name", "address", "city", "postcode", "latitude",
           "longitude"]


def main() -> None:
    src, out = Path(sys.argv[1]), Path(sys.argv[2]) / "yelp_zomato"
    records: dict[str, dict[str, str]] = {}
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    with (src / "data" / "G.csv").open(encoding="utf-8", newline="") as fh:
        for pair in csv.DictReader(fh):
            ids = []
            for side in ("l", "r"):
                rid = pair[f"{side}_ID"]
                ids.append(rid)
                records.setdefault(rid, {
                    "record_id": rid, "name": pair[f"{side}_name"],
                    "address": pair[f"{side}_address"].replace("$*$", ","),
                    "city": pair[f"{side}_city"], "postcode": pair[f"{side}_zipcode"],
                    "latitude": pair[f"{side}_latitude"], "longitude": pair[f"{side}_longitude"]})
            if pair["label"].strip() == "1":
                a, b = root(ids[0]), root(ids[1])
                if a != b:
                    parent[a] = b
    out.mkdir(parents=True, exist_ok=True)
    with (out / "records.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, COLUMNS)
        w.writeheader()
        w.writerows({**r, "cluster_id": root(r["record_id"])} for r in records.values())
    print(f"{len(records)} records, {len({root(r) for r in records})} clusters")


if __name__ == "__main__":
    main()
