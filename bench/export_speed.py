"""How fast does `prospect export` stream a big book, next to `sqlite3 -csv` on the same rows?

Fills a book with N leads written straight into the schema (the ingest path has its own
bench), then times `prospect export -o FILE` and `sqlite3 -csv` selecting the same columns of
the same rows, and reports rows per second for both, the ratio (goal: prospect at no less than
half sqlite3's speed) and the export process's peak memory for two book sizes (flat memory).

    python bench/export_speed.py [--leads 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from prospect.presets import EXPORT_COLUMNS  # noqa: E402
from prospect.storage import LeadBook  # noqa: E402


def fill(path: Path, n: int) -> None:
    """Write n leads in bulk."""
    rng = random.Random(3)
    book = LeadBook.open(path)
    rows = ({"id": i, "name": f"Großhandel Nummer {i} GmbH", "domain": f"firma{i}.de",
             "website": f"https://www.firma{i}.de/", "email": f"info@firma{i}.de",
             "phone": f"+4930{rng.randint(1000000, 9999999)}", "address": f"Hauptstraße {i % 200}",
             "city": "Berlin", "postcode": f"{10000 + i % 9000}", "country": "DE",
             "sources": json.dumps(["bench"]), "observation_count": 1,
             "first_seen": "2026-11-01T00:00:00+00:00", "last_seen": "2026-11-01T00:00:00+00:00"}
            for i in range(1, n + 1))
    book.db["leads"].insert_all(rows, batch_size=10_000)
    book.close()


def timed(cmd: list[str], out: Path) -> tuple[float, float]:
    """Run cmd with stdout to out; return (seconds, peak RSS in MB of that child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    with out.open("w") as fh:
        subprocess.run(cmd, stdout=fh, check=True, env={**os.environ, "NO_COLOR": "1"})
    took = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return took, max(after, before) / 1024


def main() -> None:
    """Build books, export them both ways, print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--leads", type=int, default=1_000_000)
    args = ap.parse_args()
    sqlite = shutil.which("sqlite3")
    if not sqlite:
        sys.exit("needs the sqlite3 command-line shell")
    prospect = [sys.executable, "-m", "prospect"]
    cols = [c for c in EXPORT_COLUMNS if c != "activity"]
    with tempfile.TemporaryDirectory() as tmp:
        for n in (max(1, args.leads // 10), args.leads):
            book = Path(tmp) / f"book{n}.db"
            t0 = time.perf_counter()
            fill(book, n)
            built = time.perf_counter() - t0
            ours, rss = timed([*prospect, "--book", str(book), "export", "-o", "-"],
                              Path(tmp) / "ours.csv")
            sql = (f"SELECT {', '.join(cols)} FROM leads WHERE suppressed = 0 ORDER BY id")
            theirs, _ = timed([sqlite, "-csv", "-header", str(book), sql], Path(tmp) / "theirs.csv")
            lines = sum(1 for _ in (Path(tmp) / "ours.csv").open(encoding="utf-8"))
            print(f"{n} leads (built in {built:.0f} s): prospect export {ours:.1f} s "
                  f"({n / ours:,.0f} rows/s, {lines - 1} rows), sqlite3 -csv {theirs:.1f} s "
                  f"({n / theirs:,.0f} rows/s); speed ratio {theirs / ours:.2f} (goal >= 0.5); "
                  f"peak RSS so far {rss:.0f} MB")


if __name__ == "__main__":
    main()
