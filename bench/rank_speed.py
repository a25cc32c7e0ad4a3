"""How long does `prospect rank` take over a large book?

Fills a book file with N leads written straight into the schema (the ingest path has its own
bench): a vetting score on 70 %, an order value on 30 %, a status and 0-5 logged activities,
map positions on 40 % of observations; then times `rank` with the default model (credibility,
gross profit, loyalty, distance from a home position), which reads every lead, scores it and
writes each lead's score and tier back.

    python bench/rank_speed.py [--leads 100000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from prospect.rank import default_model, rank  # noqa: E402
from prospect.storage import STATUSES, LeadBook  # noqa: E402


def fill(book: LeadBook, n: int, rng: random.Random) -> None:
    """Write n leads, their observations and activities in bulk."""
    leads, obs, acts = [], [], []
    for i in range(1, n + 1):
        values = {"order_value": rng.randint(500, 200_000)} if rng.random() < 0.3 else {}
        leads.append({"id": i, "name": f"Buyer {i}", "country": rng.choice(["DE", "NL", "FR"]),
                      "vet_score": rng.uniform(0, 100) if rng.random() < 0.7 else None,
                      "grade": rng.choice("ABCD"), "status": rng.choice(STATUSES),
                      "user_values": json.dumps(values), "observation_count": 1})
        raw = {"lat": rng.uniform(47, 55), "lon": rng.uniform(5, 15)} if rng.random() < 0.4 else {}
        obs.append({"id": i, "lead_id": i, "source": "bench", "reference": str(i),
                    "fetched_at": "2026-11-01T00:00:00+00:00", "raw": json.dumps(raw),
                    "fields": "{}"})
        for _ in range(rng.randint(0, 5)):
            acts.append({"lead_id": i, "at": "2026-11-01T00:00:00+00:00", "kind": "note",
                         "note": "called"})
    book.db["leads"].insert_all(leads, batch_size=5000)
    book.db["observations"].insert_all(obs, batch_size=5000)
    book.db["activities"].insert_all(acts, batch_size=5000)


def main() -> None:
    """Build the book, rank it, print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--leads", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        book = LeadBook.open(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        fill(book, args.leads, random.Random(7))
        built = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = rank(book, default_model(), home=(53.55, 9.99))
        took = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"book: {args.leads} leads built in {built:.1f} s")
        print(f"rank: {result.ranked} leads in {took:.2f} s (goal < 2 s), peak RSS {rss:.0f} MB")
        print("coverage: " + ", ".join(f"{k} {v}" for k, v in result.coverage.items()))
        print("tiers: " + ", ".join(f"{k} {v}" for k, v in sorted(result.tiers.items())))
        book.close()


if __name__ == "__main__":
    main()
