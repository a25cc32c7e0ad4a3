"""Train and measure listen's learned model on the labelled pool, never on what it was trained on.

Reads ../shared/inquiries/train/train.jsonl (and the development slice beside it) where they lie;
research-only licences: nothing of them is copied into the repo. Three measurements:

1. Cross-validation on the pool (5 folds, each message scored by a model that never saw it):
   what a user who trains on mail like theirs gets. Recall at 2 % and 5 % false-positive rate
   per language and per kind, for the model alone and for rules + model (the listen score).
2. Artefacts: the same with Chinese messages of matched length only (the pool's zh scams are
   long generated texts, its zh legit short SMS), and English mail without the phishing_pot
   honeypot's messages, so neither length nor one source decides.
3. The shipped model: trained only on the pool's SpamAssassin messages (PDDL / CC0, the one
   licence that lets weights ship), scored on every other message of the pool and the slice.

    python bench/listen_model.py [--write]   # --write saves the shipped weights file
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from listen_quality import recall_at  # noqa: E402

from prospect.vetting import model as m  # noqa: E402
from prospect.vetting.listen import FAIL_AT, WARN_AT, listen_parts  # noqa: E402
from prospect.vetting.message import read_message  # noqa: E402

SHARED = ROOT.parent / "shared" / "inquiries"
SHIPPED_FROM = "SpamAssassin public corpus"


def load(path: Path) -> list[dict[str, object]]:
    """The labelled rows of a JSON-lines file."""
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def message_text(row: dict[str, object]) -> str:
    """The message as a user has it: the .eml when there is one, else the text."""
    return str(row.get("eml") or row["text"])


def read_text(row: dict[str, object]) -> str:
    """What listen reads of it, as the product reads it: subject and body, no headers."""
    return read_message(message_text(row)).text


def report(title: str, rows: list[dict[str, object]], scores: list[float]) -> None:
    """Recall at 2 % / 5 % FPR per language and per kind of scam."""
    print(f"\n{title}")
    print(f"  {'slice':<30} {'scam':>5} {'legit':>5} {'R@FPR2%':>8} {'R@FPR5%':>8}")
    for lang in sorted({str(r["lang"]) for r in rows}):
        legit = [s for r, s in zip(rows, scores, strict=True) if r["lang"] == lang and r["label"] == "legit"]
        by_kind: dict[str, list[float]] = defaultdict(list)
        for r, s in zip(rows, scores, strict=True):
            if r["lang"] == lang and r["label"] == "scam":
                by_kind[str(r.get("kind", "all"))].append(s)
        scams = [s for kind in by_kind.values() for s in kind]
        if not scams or not legit:
            continue
        print(f"  {lang + ' (all kinds)':<30} {len(scams):5} {len(legit):5} "
              f"{recall_at(scams, legit, 0.02)[0]:8.3f} {recall_at(scams, legit, 0.05)[0]:8.3f}")
        if len(by_kind) > 1:
            for kind, xs in sorted(by_kind.items()):
                print(f"  {'  ' + kind:<30} {len(xs):5} {len(legit):5} "
                      f"{recall_at(xs, legit, 0.02)[0]:8.3f} {recall_at(xs, legit, 0.05)[0]:8.3f}")


def verdicts(title: str, rows: list[dict[str, object]], scores: list[float]) -> None:
    """The product's own cut-offs: scams reaching warn / fail, legitimate mail reaching them."""
    print(f"  {title}: ", end="")
    out = []
    for lang in sorted({str(r["lang"]) for r in rows}):
        for label in ("scam", "legit"):
            xs = [s for r, s in zip(rows, scores, strict=True) if r["lang"] == lang and r["label"] == label]
            if xs:
                out.append(f"{lang} {label} warn+ {sum(x >= WARN_AT for x in xs) / len(xs):.3f} "
                           f"fail {sum(x >= FAIL_AT for x in xs) / len(xs):.3f}")
    print("; ".join(out))


def cross_validate(rows: list[dict[str, object]], folds: int = 5) -> list[float]:
    """Each row's model log-odds from a model trained on the other folds."""
    order = list(range(len(rows)))
    random.Random(20261205).shuffle(order)
    scores = [0.0] * len(rows)
    for k in range(folds):
        test = set(order[k::folds])
        fitted = m.train(((read_text(r), r["label"] == "scam") for i, r in enumerate(rows)
                          if i not in test), trained_on="fold")
        for i in test:
            scores[i] = fitted.score(read_text(rows[i]))[0]
    return scores


def combined(rows: list[dict[str, object]], model: m.Model, logits: list[float] | None = None
             ) -> tuple[list[float], list[float]]:
    """(rules alone, rules + model) listen scores, the model's part given or computed."""
    rules, both = [], []
    for i, r in enumerate(rows):
        msg = read_message(message_text(r))
        parts = listen_parts(msg.text, msg, model=model,
                             log_odds=None if logits is None else logits[i])
        rules.append(parts.rules)
        both.append(parts.score)
    return rules, both


def main() -> None:
    """Print the figures; with --write, save the shipped weights."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="save prospect/data/listen_model.json")
    ap.add_argument("--shipped-only", action="store_true", help="skip the cross-validation")
    ap.add_argument("--cap", type=float, default=m.DEFAULT_CAP, help="the shipped model's cap (points)")
    args = ap.parse_args()
    pool = load(SHARED / "train" / "train.jsonl")
    slice_ = load(SHARED / "inquiries.jsonl")
    if not args.shipped_only:
        measure_pool(pool)
    ship(pool, slice_, args.cap, args.write)


def measure_pool(pool: list[dict[str, object]]) -> None:
    """Cross-validation on the whole pool, and the artefact checks."""
    t0 = time.perf_counter()
    cv = cross_validate(pool)
    print(f"5-fold cross-validation on {len(pool)} pool messages in {time.perf_counter() - t0:.0f} s")
    report("model alone, cross-validated on the pool", pool, cv)
    rules, both = combined(pool, m.shipped(), cv)
    report("rules alone on the pool", pool, rules)
    report("rules + cross-validated model (the listen score) on the pool", pool, both)
    print("\nverdicts on the pool (share reaching warn and fail)")
    verdicts("rules alone", pool, rules)
    verdicts("rules + cross-validated model", pool, both)
    zh_matched = [i for i, r in enumerate(pool) if r["lang"] == "zh" and 40 <= len(str(r["text"])) <= 120]
    report("artefacts: zh of 40-120 characters only (model alone, cross-validated)",
           [pool[i] for i in zh_matched], [cv[i] for i in zh_matched])
    no_pot = [i for i, r in enumerate(pool) if r["lang"] == "en" and "phishing_pot" not in str(r["source"])]
    report("artefacts: en without the honeypot's messages (model alone, cross-validated)",
           [pool[i] for i in no_pot], [cv[i] for i in no_pot])



def ship(pool: list[dict[str, object]], slice_: list[dict[str, object]], cap: float,
         write: bool) -> None:
    """Train on the shippable messages only, score on the rest, optionally save."""
    shippable = [r for r in pool if str(r["source"]).startswith(SHIPPED_FROM)]
    shipped = m.train(((read_text(r), r["label"] == "scam") for r in shippable),
                      trained_on=f"{len(shippable)} messages of the Apache SpamAssassin public corpus "
                                 "(2002): 419 letters against mailing-list and newsletter mail",
                      sources=["Apache SpamAssassin public corpus, via github.com/stdlib-js/"
                               "datasets-spam-assassin@1b84d49 (data PDDL-1.0, contents CC0-1.0)"],
                      cap=cap)
    print(f"\nshipped model: {len(shipped.weights)} weights from {len(shippable)} messages")
    held_out = [r for r in pool if not str(r["source"]).startswith(SHIPPED_FROM)]
    report("shipped model alone, on the rest of the pool (never seen)", held_out,
           [shipped.score(read_text(r))[0] for r in held_out])
    rules_held, both_held = combined(held_out, shipped)
    report("rules alone on the rest of the pool", held_out, rules_held)
    report("rules + shipped model on the rest of the pool", held_out, both_held)
    rules_dev, both_dev = combined(slice_, shipped)
    report("rules alone on the development slice", slice_, rules_dev)
    report("rules + shipped model on the development slice", slice_, both_dev)
    print("\nverdicts (share reaching warn and fail)")
    verdicts("rest of the pool, rules alone", held_out, rules_held)
    verdicts("rest of the pool, rules + shipped model", held_out, both_held)
    verdicts("development slice, rules alone", slice_, rules_dev)
    verdicts("development slice, rules + shipped model", slice_, both_dev)
    if write:
        (ROOT / "prospect" / "data" / m.SHIPPED).write_text(shipped.to_json() + "\n", "utf-8")
        print(f"wrote prospect/data/{m.SHIPPED}")


if __name__ == "__main__":
    main()
