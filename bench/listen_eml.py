"""Score the listen (闻) check on real .eml files: phishing, call-back scams and real ham.

Reads ../shared/inquiries/eml (labels.csv: file, label scam/legit, lang, kind; research-only
licences, never copied into the repo), parses each file as `prospect vet --inquiry` does and
prints, per kind of message, how many reach warn (score >= 2) and fail (>= 4), then recall
on scams and false-positive rate on legitimate mail at both cut-offs.

    python bench/listen_eml.py [--data ../shared/inquiries/eml] [--misses]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from prospect.vetting.listen import FAIL_AT, WARN_AT, listen  # noqa: E402
from prospect.vetting.message import read_message  # noqa: E402


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path,
                        default=ROOT.parent / "shared" / "inquiries" / "eml")
    parser.add_argument("--misses", action="store_true",
                        help="List missed scams and flagged legitimate mail.")
    args = parser.parse_args()
    with (args.data / "labels.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_kind: dict[tuple[str, str], list[float]] = defaultdict(list)
    scores: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        message = read_message((args.data / row["file"]).read_bytes(), row["file"])
        score, hits = listen(message.text, message)
        by_kind[(row["label"], row["kind"])].append(score)
        scores[row["label"]].append(score)
        wrong = (row["label"] == "scam" and score < WARN_AT) or \
            (row["label"] == "legit" and score >= WARN_AT)
        if args.misses and wrong:
            print(f"{row['file']} {row['label']} {score:g} {row['subject'][:60]!r} "
                  f"{[h.rule for h in hits]}")
    print(f"{'label':<6} {'kind':<28} {'n':>4} {'warn':>5} {'fail':>5}")
    for (label, kind), values in sorted(by_kind.items()):
        print(f"{label:<6} {kind:<28} {len(values):>4} {sum(v >= WARN_AT for v in values):>5} "
              f"{sum(v >= FAIL_AT for v in values):>5}")
    for name, cut in (("warn", WARN_AT), ("fail", FAIL_AT)):
        recall = sum(v >= cut for v in scores["scam"]) / max(1, len(scores["scam"]))
        fpr = sum(v >= cut for v in scores["legit"]) / max(1, len(scores["legit"]))
        print(f"at {name} (score >= {cut:g}): recall {recall:.3f}, false-positive rate {fpr:.3f}")


if __name__ == "__main__":
    main()
