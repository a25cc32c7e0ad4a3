"""How fast does `prospect serve` answer over a big book?

Fills a book with N leads written straight into the schema (the ingest path has its own
bench): names and addresses in several countries and cities, 60 % with a map position, a
grade on 40 % with a vetting and its findings, a follow-up status and 0-3 activities, one or
two sources each. Then starts `prospect serve` on a free local port and times, over repeated
requests: the home page, the lead list's first page (with its facets and count), the same as
JSON, the list filtered by distance, a saved view, and lead pages of random leads. Goal: the
list's first page and a lead page under 200 ms.

    python bench/serve_speed.py [--leads 100000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from prospect.storage import STATUSES, LeadBook  # noqa: E402

CITIES = [("DE", "Hamburg", 53.55, 9.99), ("DE", "Berlin", 52.52, 13.40),
          ("NL", "Rotterdam", 51.92, 4.48), ("FR", "Lyon", 45.76, 4.84),
          ("IT", "Milano", 45.46, 9.19), ("ES", "Valencia", 39.47, -0.38),
          ("CN", "Shenzhen", 22.54, 114.06), ("US", "Chicago", 41.88, -87.63)]


def fill(path: Path, n: int, rng: random.Random) -> None:
    """Write n leads, their observations, vettings, findings and activities in bulk."""
    book = LeadBook.open(path)
    leads, obs, vets, finds, acts = [], [], [], [], []
    for i in range(1, n + 1):
        cc, city, lat, lon = rng.choice(CITIES)
        placed = rng.random() < 0.6
        graded = rng.random() < 0.4
        grade = rng.choice("ABCD") if graded else None
        sources = rng.sample(["osm", "duckduckgo", "gleif", "import:buyers.csv"], rng.randint(1, 2))
        leads.append({
            "id": i, "name": f"Trading Company {i} {city}", "country": cc, "city": city,
            "address": f"Market Street {i % 300}", "postcode": f"{10000 + i % 8000}",
            "domain": f"firm{i}.example", "website": f"https://www.firm{i}.example/",
            "email": f"sales@firm{i}.example", "phone": f"+1555{i:07d}",
            "sources": json.dumps(sources), "provenance": json.dumps({"name": i, "city": i}),
            "observation_count": 1, "first_seen": "2026-10-01T00:00:00+00:00",
            "last_seen": "2026-11-01T00:00:00+00:00",
            "latitude": lat + rng.uniform(-0.2, 0.2) if placed else None,
            "longitude": lon + rng.uniform(-0.3, 0.3) if placed else None,
            "grade": grade, "vetted_at": "2026-11-02T00:00:00+00:00" if graded else None,
            "vet_score": rng.uniform(0, 100) if graded else None,
            "status": rng.choice(STATUSES), "rank_score": rng.uniform(0, 100),
            "tier": rng.choice(["1", "2", "3"]),
            "touched_at": f"2026-{rng.randint(6, 11):02d}-{rng.randint(1, 28):02d}T09:00:00+00:00"
            if rng.random() < 0.5 else None})
        obs.append({"id": i, "lead_id": i, "source": sources[0], "reference": f"ref/{i}",
                    "fetched_at": "2026-10-01T00:00:00+00:00",
                    "raw": json.dumps({"name": f"Trading Company {i}"}),
                    "fields": json.dumps({"name": f"Trading Company {i}", "city": city})})
        if graded:
            vets.append({"id": len(vets) + 1, "lead_id": i, "at": "2026-11-02T00:00:00+00:00",
                         "grade": grade, "score": 50.0, "confidence": 0.7, "decided_by": "[]"})
            for step, check in (("look", "website"), ("verify", "registry-status"),
                                ("ask", "complaints")):
                finds.append({"vetting_id": len(vets), "lead_id": i, "step": step,
                              "check_name": check, "verdict": rng.choice(["pass", "warn", "skip"]),
                              "detail": "bench", "evidence": json.dumps([f"https://ev.example/{i}"]),
                              "weight": 1.0})
        for _ in range(rng.randint(0, 3)):
            acts.append({"lead_id": i, "at": "2026-11-01T00:00:00+00:00", "kind": "note",
                         "note": "called"})
    for table, rows in (("leads", leads), ("observations", obs), ("vettings", vets),
                        ("findings", finds), ("activities", acts)):
        book.db[table].insert_all(rows, batch_size=5000)
    book.db["leads"].rebuild_fts()
    book.close()


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> float:
    """Seconds to fetch ``url`` whole; fails loudly on anything but 200."""
    t0 = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as resp:
        resp.read()
        if resp.status != 200:
            raise SystemExit(f"{url}: HTTP {resp.status}")
    return time.perf_counter() - t0


def main() -> None:
    """Build the book, serve it, time the pages, print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--leads", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "book.db"
        t0 = time.perf_counter()
        fill(path, args.leads, rng)
        print(f"book: {args.leads} leads built in {time.perf_counter() - t0:.1f} s")
        port = free_port()
        env = {**os.environ, "PROSPECT_TILES_URL": f"http://127.0.0.1:{port}/no-tiles/{{z}}/{{x}}/{{y}}.png"}
        server = subprocess.Popen([sys.executable, "-m", "prospect", "--book", str(path), "serve",
                                   "--port", str(port)], env=env, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    get(base + "/")
                    break
                except OSError:
                    time.sleep(0.1)
            pages = {
                "home": "/",
                "list, first page": "/book/lead_list",
                "list as JSON": "/book/lead_list.json",
                "list within 5 km": "/book/lead_list?_near=53.55,9.99&_within=5",
                "list, full-text search": "/book/lead_list?_search=Hamburg",
                "saved view gone_quiet": "/book/gone_quiet?days=30",
            }
            print(f"{'page':<26} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
            for label, page in pages.items():
                get(base + page)  # the first request warms SQLite's page cache
                times = sorted(get(base + page) for _ in range(args.repeat))
                print(f"{label:<26} {statistics.median(times) * 1000:>10.1f} "
                      f"{times[int(len(times) * 0.95) - 1] * 1000:>8.1f} {times[-1] * 1000:>8.1f}")
            ids = [rng.randint(1, args.leads) for _ in range(args.repeat)]
            get(f"{base}/-/lead/{ids[0]}")
            times = sorted(get(f"{base}/-/lead/{i}") for i in ids)
            print(f"{'lead page (random ids)':<26} {statistics.median(times) * 1000:>10.1f} "
                  f"{times[int(len(times) * 0.95) - 1] * 1000:>8.1f} {times[-1] * 1000:>8.1f}")
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
