"""How fast does `prospect export` stream a big book, next to `sqlite3 -csv` on the same rows?

Fills a book with N leads written straight into the schema (the ingest path has its own
bench), then times `prospect export -o FILE` and `sqlite3 -csv` selecting the same columns of
the same rows, and reports rows per second for both, the ratio (goal: prospect at no less than
half sqlite3's speed) and the peak memory of the export (its largest process) for two book sizes
(flat memory).

    python bench/export_speed.py [--leads 1000000]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
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


def fill_apart(path: Path, n: int) -> None:
    """Fill the book in a spawned process, so this one stays small."""
    # Linux counts the parent's resident memory at fork into the child's peak (exec keeps
    # the larger of the two), so a bench grown by a million inserted rows would report its
    # own size as the export's: 181 MB where the export itself peaks at 91 MB.
    proc = multiprocessing.get_context("spawn").Process(target=fill, args=(path, n))
    proc.start()
    proc.join()
    if proc.exitcode:
        sys.exit(f"filling {path} failed")


def timed(cmd: list[str], out: Path) -> tuple[float, float]:
    """Run cmd with stdout to out; return (seconds, peak RSS in MB of its largest process)."""
    t0 = time.perf_counter()
    with out.open("w") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, env={**os.environ, "NO_COLOR": "1"})
        # wait4 gives this child's own peak (the largest of it and its reaped workers), where
        # RUSAGE_CHILDREN would be the largest of every child so far, the fillers too.
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    took = time.perf_counter() - t0
    if proc.returncode:
        sys.exit(f"{cmd[0]} failed with exit code {proc.returncode}")
    return took, usage.ru_maxrss / 1024


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
            fill_apart(book, n)
            built = time.perf_counter() - t0
            ours, rss = timed([*prospect, "--book", str(book), "export", "-o", "-"],
                              Path(tmp) / "ours.csv")
            sql = (f"SELECT {', '.join(cols)} FROM leads WHERE suppressed = 0 ORDER BY id")
            theirs, _ = timed([sqlite, "-csv", "-header", str(book), sql], Path(tmp) / "theirs.csv")
            lines = sum(1 for _ in (Path(tmp) / "ours.csv").open(encoding="utf-8"))
            print(f"{n} leads (built in {built:.0f} s): prospect export {ours:.1f} s "
                  f"({n / ours:,.0f} rows/s, {lines - 1} rows), sqlite3 -csv {theirs:.1f} s "
                  f"({n / theirs:,.0f} rows/s); speed ratio {theirs / ours:.2f} (goal >= 0.5); "
                  f"peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
