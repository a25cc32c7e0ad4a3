"""How well does reading a saved company page find the site owner's contact data?

For every page in ../shared/bench/sites and bench/sites (saved real pages with the contact
data a careful person copied from each, truth.json): run prospect's page reader and count, per field
(e-mails, phones, fax numbers, VAT number), the values found that the truth lists (true
positives), found but not listed (false positives) and listed but not found. Prints one line
per page with a miss or a false find, then precision and recall per field. Then the postal
address, part by part (street, postcode, city), on the pages whose truth has one: a part is
right when it equals the truth's after case, spacing and punctuation are set aside.

    python bench/enrich_quality.py [--data DIR ...] [--quiet] [--no-country]

Prints the table for each set of pages, then for all of them together. ``--no-country`` reads
each page as a lead found by its web site alone would be read: with no country given.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from prospect.http import html_text  # noqa: E402
from prospect.sources.websites import read_page  # noqa: E402

FIELDS = ("emails", "phones", "fax", "vat", "register")


def found_values(facts: object, name: str) -> set[str]:
    """The values the reader found for one field, as the truth writes them."""
    value = getattr(facts, name, None)
    if name == "register":
        value = getattr(facts, "register", "") or getattr(facts, "uscc", "")
        return {_register(value)} if value else set()
    if value is None:
        return set()
    if name == "vat":
        return {_vat(value)} if value else set()
    if isinstance(value, str):
        return {value} if value else set()
    return {str(v).lower() if name == "emails" else str(v) for v in value}


def truth_values(truth: dict[str, object], name: str) -> set[str]:
    """The values a person copied from the page for one field."""
    value = truth.get(name)
    if not value:
        return set()
    if name == "register":
        return {_register(str(value))}
    if isinstance(value, str):
        return {_vat(value)} if name == "vat" else {value}
    return {str(v).lower() if name == "emails" else str(v) for v in value}  # type: ignore[attr-defined]


def _vat(text: str) -> str:
    """A VAT number as its characters, without the country prefix and the zeros a register
    pads it with: "83.35.916.B01" (as a Dutch page prints it) and "NL008335916B01" are one."""
    plain = "".join(c for c in str(text).upper() if c.isalnum())
    if len(plain) > 2 and plain[:2].isalpha():
        plain = plain[2:]
    return plain.lstrip("0")


def _register(text: str) -> str:
    """A register number as its digits, leading zeros dropped: "Company No. 2443078
    (England)" and "02443078" are the same number."""
    digits = "".join(c for c in text if c.isdigit())
    return digits.lstrip("0")


ADDRESS_PARTS = (("street", "address"), ("postcode", "postcode"), ("city", "city"))


def _plain(text: object) -> str:
    """Case, spacing and punctuation set aside ("4311 NA" = "4311na", "Road," = "road")."""
    return "".join(c for c in str(text or "").casefold() if c.isalnum())


def score_address(facts: object, expected: dict[str, object], counts: Counter[str]) -> list[str]:
    """Count each address part found right, found wrong, or missed; say what went wrong."""
    want = expected.get("address")
    if not isinstance(want, dict) or not want.get("street"):
        return []
    got = getattr(facts, "address", None) or {}
    notes = []
    for truth_key, found_key in ADDRESS_PARTS:
        w, g = _plain(want.get(truth_key)), _plain(got.get(found_key))
        if not w:
            continue
        if not g:
            counts[f"{truth_key} missed"] += 1
            notes.append(f"{truth_key} missed {want.get(truth_key)!r}")
        elif g == w:
            counts[f"{truth_key} right"] += 1
        else:
            counts[f"{truth_key} wrong"] += 1
            notes.append(f"{truth_key} {got.get(found_key)!r} for {want.get(truth_key)!r}")
    return notes


def score_set(data: Path, counts: dict[str, Counter[str]], places: Counter[str],
              quiet: bool, country: bool = True) -> None:
    """Score the pages of one set into ``counts`` and ``places``; print what went wrong."""
    truth = json.loads((data / "truth.json").read_text(encoding="utf-8"))
    hosts_file = data / "hosts.json"
    hosts = json.loads(hosts_file.read_text(encoding="utf-8")) if hosts_file.exists() else {}
    for slug, expected in sorted(truth.items()):
        page = data / "pages" / slug / "index.html"
        # Read as a fetch reads it from a server that names no charset: the page's own
        # declaration, else its bytes (ten of the pages are Latin-1 or windows-1252).
        html = html_text(httpx.Response(200, content=page.read_bytes(),
                                        headers={"content-type": "text/html"}))
        url = expected.get("url") or f"https://{hosts.get(slug, slug)}/"
        facts = read_page(html, url, expected.get("country") if country else None)
        notes = []
        for name in FIELDS:
            got, want = found_values(facts, name), truth_values(expected, name)
            counts[name]["tp"] += len(got & want)
            counts[name]["fp"] += len(got - want)
            counts[name]["fn"] += len(want - got)
            if got - want:
                notes.append(f"{name} extra {sorted(got - want)}")
            if want - got:
                notes.append(f"{name} missed {sorted(want - got)}")
        notes.extend(score_address(facts, expected, places))
        if notes and not quiet:
            print(f"{slug}: " + "; ".join(notes))


def print_table(title: str, counts: dict[str, Counter[str]], places: Counter[str]) -> None:
    """Precision and recall per field and per address part."""
    print(f"\n{title}\n{'field':<8} {'found':>6} {'right':>6} {'missed':>7} {'precision':>10} "
          f"{'recall':>7}")
    for name in FIELDS:
        c = counts[name]
        found, right = c["tp"] + c["fp"], c["tp"]
        precision = right / found if found else 1.0
        recall = right / (right + c["fn"]) if right + c["fn"] else 1.0
        print(f"{name:<8} {found:>6} {right:>6} {c['fn']:>7} {precision:>10.3f} {recall:>7.3f}")
    print(f"{'address':<9} {'pages':>5} {'right':>6} {'wrong':>6} {'missed':>7} {'precision':>10} "
          f"{'recall':>7}")
    for part, _ in ADDRESS_PARTS:
        right, wrong, missed = (places[f"{part} {k}"] for k in ("right", "wrong", "missed"))
        pages = right + wrong + missed
        precision = right / (right + wrong) if right + wrong else 1.0
        print(f"{part:<9} {pages:>5} {right:>6} {wrong:>6} {missed:>7} {precision:>10.3f} "
              f"{right / pages if pages else 1.0:>7.3f}")


def main() -> None:
    """Score every page of every set and print the totals."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, action="append",
                        help="A directory of pages and truth.json (repeatable; default: "
                             "../shared/bench/sites and bench/sites).")
    parser.add_argument("--quiet", action="store_true", help="Only the totals.")
    parser.add_argument("--no-country", action="store_true",
                        help="Read the pages without their country, as a lead of none is read.")
    args = parser.parse_args()
    sets = args.data or [ROOT.parent / "shared" / "bench" / "sites", ROOT / "bench" / "sites"]
    every: dict[str, Counter[str]] = {f: Counter() for f in FIELDS}
    every_place: Counter[str] = Counter()
    for data in sets:
        counts: dict[str, Counter[str]] = {f: Counter() for f in FIELDS}
        places: Counter[str] = Counter()
        score_set(data, counts, places, args.quiet, not args.no_country)
        print_table(str(data), counts, places)
        for name in FIELDS:
            every[name].update(counts[name])
        every_place.update(places)
    if len(sets) > 1:
        print_table("all pages", every, every_place)


if __name__ == "__main__":
    main()
