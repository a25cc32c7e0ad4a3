#!/usr/bin/env python3
"""Import + dedupe of synthetic leads at growing N: wall and CPU time, peak memory and F1.

For each N, ``../shared/bench/gen_synthetic_leads.py N`` (seed 42) writes the records; the file
without cluster_id goes through ``prospect import --id-column record_id`` into a fresh book
(the bulk path); ``export --observations`` gives the clustering, scored like
bench/dedupe_quality.py. ``--incremental K`` then imports K more records of a second file one
small import at a time into the big book (the incremental path) and scores the whole book.
Peak memory and CPU time are those of the import and its worker processes together (see
prospect()): on two cores, half the CPU time is the least wall time the import can take.

usage: python bench/dedupe_scale.py [--sizes 10000,100000] [--incremental 500]
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dedupe_quality import score

GENERATOR = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "gen_synthetic_leads.py"


def prospect(*args: str) -> tuple[float, float, float, list[float]]:
    """Run one prospect command; return its wall time (s), its peak memory (MB), the CPU
    time of it and its worker processes (s), and each process's, most first.

    The peak is of the command and its worker processes together, sampled every 0.1 s from
    /proc where there is one; elsewhere ``wait4``'s peak resident set, which counts this
    process's size at the fork. The CPU time is each process's last sampled user and system
    time, summed (a worker's last tenth of a second is missed); without /proc, ``wait4``'s,
    the command's own and its reaped children's.
    """
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "prospect", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tree_peak = 0
    cpu: dict[int, float] = {}  # pid -> its CPU seconds when last sampled
    sample = Path("/proc").is_dir()
    tree: set[int] = set()
    scanned = 0.0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG if sample else 0)
        if pid:
            break
        # Which processes are the command's is looked up once a second (every process on
        # the machine is read for it); their sizes ten times a second. Reading every
        # process at each sample took 3 s of CPU beside a 1M import, on two cores.
        if time.perf_counter() - scanned >= 1.0:
            tree, scanned = _tree(proc.pid), time.perf_counter()
        tree_peak = max(tree_peak, _sample(tree, cpu))
        time.sleep(0.1)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"prospect {' '.join(args)}: exit {proc.returncode}")
    # Not max() with ru_maxrss where /proc is sampled: a spawned child's ru_maxrss starts at
    # this process's own size when it forked (its truth and rows: 1.3 GB at 1M records).
    spent = sum(cpu.values()) if sample else usage.ru_utime + usage.ru_stime
    each = sorted((s for s in cpu.values() if s >= 0.1), reverse=True) or [spent]
    return (time.perf_counter() - start, (tree_peak if sample else usage.ru_maxrss) / 1024,
            spent, each)


def _tree(root: int) -> set[int]:
    """A process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        # The name stands in brackets and may hold spaces: the parent follows the last ")".
        parents[int(stat.parent.name)] = int(text[text.rfind(")") + 2:].split()[1])
    tree = set()
    for pid in parents:
        p = pid
        while p and p != root:
            p = parents.get(p, 0)
        if p == root:
            tree.add(pid)
    return tree


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _sample(pids: set[int], cpu: dict[int, float]) -> int:
    """The resident sets (kB) of ``pids`` together, from /proc (a process gone counts 0);
    each one's CPU seconds so far into ``cpu``."""
    total = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/status").read_text()
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
        # utime and stime, the 14th and 15th fields; the name (2nd) may hold spaces.
        fields = stat[stat.rfind(")") + 2:].split()
        cpu[pid] = (int(fields[11]) + int(fields[12])) / _TICK
    return total


def calibrate() -> float:
    """Seconds this interpreter takes for a fixed loop of 10M multiply-adds, the best of three."""
    # Figures from one machine on different days, or from different builds of Python, are
    # only comparable beside this: on one day it took 0.33-0.34 s on Debian's CPython 3.11
    # and 0.41-0.46 s on pyenv's build without PGO/LTO, and the same CPU runs some days
    # slower than others.
    best = float("inf")
    for _ in range(3):
        start, total = time.perf_counter(), 0
        for i in range(10_000_000):
            total += i * i
        best = min(best, time.perf_counter() - start)
    return best


def strip(src: Path, dst: Path, rows: list[dict[str, str]]) -> None:
    headers = [h for h in rows[0] if h != "cluster_id"]
    with dst.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, headers, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def clustering(book: Path, tmp: Path) -> dict[str, str]:
    obs = tmp / "obs.csv"
    prospect("--book", str(book), "export", "--observations", "-o", str(obs),
             "--columns", "lead_id,reference")
    return {r["reference"]: r["lead_id"] for r in read(obs)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--incremental", type=int, default=0, metavar="K")
    a = ap.parse_args()
    print(f"python {sys.version.split()[0]} ({sys.executable}); loop calibration "
          f"{calibrate():.2f} s", flush=True)
    print(f"{'N':>8} {'path':12} {'seconds':>8} {'CPU s':>8} {'peak MB':>8} {'P':>6} {'R':>6} "
          f"{'F1':>6}  CPU s by process")
    for size in (int(s) for s in a.sizes.split(",")):
        with tempfile.TemporaryDirectory() as d:
            tmp = Path(d)
            full = tmp / "full.csv"
            subprocess.run([sys.executable, str(GENERATOR), str(size), str(full)], check=True)
            rows = read(full)
            truth = {r["record_id"]: r["cluster_id"] for r in rows}
            strip(full, tmp / "in.csv", rows)
            book = tmp / "book.db"
            secs, mem, cpu, each = prospect("--book", str(book), "import", str(tmp / "in.csv"),
                                            "--id-column", "record_id", "--source", "bench")
            p, r, f1 = score(truth, clustering(book, tmp))
            # On two cores the processes (clustering, normalising, writing) share both: the
            # one that spends most bounds the wall time as much as their sum does.
            print(f"{size:8d} {'bulk':12} {secs:8.1f} {cpu:8.1f} {mem:8.0f} {p:6.3f} {r:6.3f} "
                  f"{f1:6.3f}  {' / '.join(f'{s:.1f}' for s in each)}", flush=True)
            if a.incremental:
                # A second file from another seed: its record ids must not collide.
                more = tmp / "more.csv"
                subprocess.run([sys.executable, str(GENERATOR), str(a.incremental), str(more),
                                "--seed", "7"], check=True)
                extra = read(more)
                for row in extra:
                    row["record_id"] = "x" + row["record_id"]
                    row["cluster_id"] = "x" + row["cluster_id"]
                truth.update({r["record_id"]: r["cluster_id"] for r in extra})
                spent = peak = used = 0.0
                for i in range(0, len(extra), 50):
                    part = tmp / "part.csv"
                    strip(more, part, extra[i:i + 50])
                    secs, mem, cpu, _ = prospect("--book", str(book), "import", str(part),
                                                 "--id-column", "record_id", "--source", "bench")
                    spent, peak, used = spent + secs, max(peak, mem), used + cpu
                p, r, f1 = score(truth, clustering(book, tmp))
                label = f"+{a.incremental}/50"
                print(f"{size:8d} {label:12} {spent:8.1f} {used:8.1f} {peak:8.0f} {p:6.3f} "
                      f"{r:6.3f} {f1:6.3f}", flush=True)


if __name__ == "__main__":
    main()
