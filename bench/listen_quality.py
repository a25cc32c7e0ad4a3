"""Score the listen (闻) check on the labelled inquiries: recall on scams at a fixed false-positive rate.

Reads ../shared/inquiries/inquiries.jsonl where it lies (research-only licences: never copied into
the repo). For each language it ranks messages by the listen score and prints the recall on scams
at the highest threshold whose false-positive rate on legitimate messages is at most 2% and 5%,
then the recall and false-positive rate at the product's fixed cut-offs (warn >= 2, fail >= 4).

    python bench/listen_quality.py [--data PATH] [--misses]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from prospect.vetting.listen import FAIL_AT, WARN_AT, listen
from prospect.vetting.message import read_message

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "inquiries" / "inquiries.jsonl"


def recall_at(scams: list[float], legit: list[float], fpr: float) -> tuple[float, float, float]:
    """Recall on scams at the lowest cut-off whose FPR on legit is <= fpr: (recall, fpr, cut)."""
    best = (0.0, 0.0, float("inf"))
    for cut in sorted(set(scams + legit + [float("inf")])):
        fp = sum(s >= cut for s in legit) / len(legit) if legit else 0.0
        if fp <= fpr:
            rec = sum(s >= cut for s in scams) / len(scams) if scams else 0.0
            if rec > best[0] or (rec == best[0] and cut < best[2]):
                best = (rec, fp, cut)
    return best


def main() -> None:
    """Print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--misses", action="store_true", help="list scams below warn and legit above it")
    args = ap.parse_args()
    rows = [json.loads(line) for line in args.data.read_text("utf-8").splitlines() if line.strip()]
    start = time.perf_counter()
    scored = []
    for row in rows:
        msg = read_message(row["text"])
        score, hits = listen(msg.text, msg)
        scored.append((row, score, hits))
    took = time.perf_counter() - start
    print(f"{len(rows)} messages from {args.data} scored in {took:.2f} s")
    print(f"{'lang':4} {'scam':>5} {'legit':>5}  {'R@FPR2%':>8} {'(cut)':>6}  {'R@FPR5%':>8} {'(cut)':>6}"
          f"  {'R@warn':>7} {'FPR@warn':>8}  {'R@fail':>7} {'FPR@fail':>8}")
    for lang in sorted({r["lang"] for r in rows}):
        scams = [s for r, s, _ in scored if r["lang"] == lang and r["label"] == "scam"]
        legit = [s for r, s, _ in scored if r["lang"] == lang and r["label"] == "legit"]
        r2, _, c2 = recall_at(scams, legit, 0.02)
        r5, _, c5 = recall_at(scams, legit, 0.05)

        def rate(xs: list[float], cut: float) -> float:
            return sum(x >= cut for x in xs) / len(xs) if xs else 0.0

        print(f"{lang:4} {len(scams):5} {len(legit):5}  {r2:8.3f} {c2:6g}  {r5:8.3f} {c5:6g}"
              f"  {rate(scams, WARN_AT):7.3f} {rate(legit, WARN_AT):8.3f}"
              f"  {rate(scams, FAIL_AT):7.3f} {rate(legit, FAIL_AT):8.3f}")
    if args.misses:
        for row, score, hits in scored:
            wrong = (row["label"] == "scam") == (score < WARN_AT)
            if wrong:
                print(f"\n{row['id']} {row['label']} score {score:g}: "
                      + "; ".join(h.explain() for h in hits))
                print("   " + row["text"][:200].replace("\n", " "))


if __name__ == "__main__":
    main()
