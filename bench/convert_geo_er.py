#!/usr/bin/env python3
"""The other cities and sources of Geo-ER -> records.csv files for bench/dedupe_quality.py.

../shared/bench/data/geo_osm_yelp_pit is one of eight labelled sets of PasqualeTurin/Geo-ER
(Balsebre et al., WWW 2022): OpenStreetMap against Yelp and against Foursquare in Edinburgh,
Pittsburgh, Singapore and Toronto. The other seven are data nobody here tuned to. This
extracts each set's train, valid and test splits from a snapshot of that repository (its git
directory, as the search tool's fetch leaves it) and builds all eight records.csv with the
shared set's own convert.py, so every set is read the same way (geo_osm_yelp_pit comes out
byte for byte as ../shared's). Nothing is kept in this repository:
the repository has no licence; its README asks users of the data to cite the paper.

usage: python bench/convert_geo_er.py GEO_ER_GIT_DIR OUT_DIR
then:  python bench/dedupe_quality.py --data OUT_DIR --peers
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

CONVERT = (Path(__file__).resolve().parents[2] / "shared" / "bench" / "data" / "geo_osm_yelp_pit"
           / "convert.py")
SETS = [(source, city) for source in ("osm_fsq", "osm_yelp") for city in ("edi", "pit", "sin", "tor")]


def main() -> None:
    git_dir, out = sys.argv[1], Path(sys.argv[2])
    with tempfile.TemporaryDirectory() as raw:
        for source, city in SETS:
            for split in ("train", "valid", "test"):
                text = subprocess.run(
                    ["git", "--git-dir", git_dir, "show",
                     f"HEAD:data/train_valid_test/{source}/{city}/{split}.txt"],
                    check=True, capture_output=True).stdout
                Path(raw, f"geo_{source}_{city}_{split}.txt").write_bytes(text)
            target = out / f"geo_{source}_{city}" / "records.csv"
            target.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run([sys.executable, str(CONVERT), source, city, str(target)], check=True,
                           env={**os.environ, "RAW": raw}, stdout=subprocess.DEVNULL)
            print(target)


if __name__ == "__main__":
    main()
