"""Contact extraction quality guarded in CI: floors on the saved real pages of the sites bench.

Reads ../shared/bench/sites (40 saved company pages with the contact data a person copied
from each; never copied here) and bench/sites (eight more from Italy, Spain, France, Hong
Kong and a German imprint) with prospect's page reader, as bench/enrich_quality.py does, and
fails when precision or recall of a field drops under its floor. The floors sit a little
under what the reader scored when they were set. The pages are read twice: with each page's
country, and with none, as a lead found by its web site alone is read.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from pathlib import Path

import httpx
import pytest

from prospect.http import html_text
from prospect.sources.websites import PageFacts, read_page

SITES = Path(__file__).resolve().parents[2] / "shared" / "bench" / "sites"
SETS = (SITES, Path(__file__).resolve().parents[1] / "bench" / "sites")
# field -> (precision floor, recall floor)
FLOORS = {"emails": (0.96, 0.95), "phones": (0.93, 0.97), "fax": (0.97, 0.97),
          "vat": (0.95, 0.95), "register": (0.95, 0.88)}


@functools.cache
def _read(country: bool = True) -> list[tuple[PageFacts, dict[str, object]]]:
    """What the reader makes of every page, beside its truth (read once for the tests that
    share it): with the page's country, or with none, as a lead found by its site alone."""
    return [(read_page(html, str(expected["url"]), _country(expected) if country else None),
             expected) for html, expected in _pages()]


def _pages() -> list[tuple[str, dict[str, object]]]:
    """Every page's HTML and truth, of both sets."""
    if not (SITES / "truth.json").exists():
        pytest.fail(f"{SITES} is missing: the shared bench data must be beside the repository")
    pages = []
    for data in SETS:
        truth = json.loads((data / "truth.json").read_text(encoding="utf-8"))
        for slug, expected in truth.items():
            # As a fetch reads it from a server that names no charset (some are Latin-1).
            raw = (data / "pages" / slug / "index.html").read_bytes()
            html = html_text(httpx.Response(200, content=raw, headers={"content-type": "text/html"}))
            pages.append((html, expected))
    return pages


def _values(value: object, name: str) -> set[str]:
    if not value:
        return set()
    if name == "register":  # "Company No. 2443078 (England)" is the register's 02443078
        return {"".join(c for c in str(value) if c.isdigit()).lstrip("0")}
    if name == "vat":  # "83.35.916.B01", as a Dutch page prints it, is NL008335916B01
        plain = "".join(c for c in str(value).upper() if c.isalnum())
        return {(plain[2:] if plain[:2].isalpha() else plain).lstrip("0")}
    items = [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    return {str(v).lower() if name == "emails" else str(v) for v in items}


def test_contact_extraction_stays_above_its_floors() -> None:
    _check_contacts(_read(), FLOORS)


# Read with no country (its domain, address or own numbers must tell): fewer found, as right.
NO_COUNTRY_FLOORS = {"phones": (0.92, 0.92), "fax": (0.97, 0.95), "vat": (0.95, 0.85)}
NO_COUNTRY_ADDRESS_FLOORS = {"street": ("address", 0.92, 0.85),
                             "postcode": ("postcode", 0.92, 0.87), "city": ("city", 0.90, 0.83)}


def test_pages_of_no_known_country_stay_above_their_floors() -> None:
    _check_contacts(_read(country=False), NO_COUNTRY_FLOORS)
    _check_addresses(_read(country=False), NO_COUNTRY_ADDRESS_FLOORS)


def _check_contacts(read: list[tuple[PageFacts, dict[str, object]]],
                    floors: dict[str, tuple[float, float]]) -> None:
    counts: dict[str, Counter[str]] = {f: Counter() for f in floors}
    for facts, expected in read:
        for name in floors:
            found = (facts.register or facts.uscc) if name == "register" else getattr(facts, name)
            got, want = _values(found, name), _values(expected.get(name), name)
            counts[name].update(tp=len(got & want), fp=len(got - want), fn=len(want - got))
    for name, (p_floor, r_floor) in floors.items():
        c = counts[name]
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        print(f"{name}: precision {precision:.3f}, recall {recall:.3f}")
        assert precision >= p_floor and recall >= r_floor, name


# address part -> (the reader's key, precision floor, recall floor), on pages with an address
ADDRESS_FLOORS = {"street": ("address", 0.97, 0.97), "postcode": ("postcode", 0.97, 0.97),
                  "city": ("city", 0.97, 0.97)}


def _country(expected: dict[str, object]) -> str | None:
    return str(expected["country"]) if expected.get("country") else None


def _plain(text: object) -> str:
    return "".join(c for c in str(text or "").casefold() if c.isalnum())


def test_address_extraction_stays_above_its_floors() -> None:
    _check_addresses(_read(), ADDRESS_FLOORS)


def _check_addresses(read: list[tuple[PageFacts, dict[str, object]]],
                     floors: dict[str, tuple[str, float, float]]) -> None:
    right: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    pages: Counter[str] = Counter()
    for facts, expected in read:
        want = expected.get("address") or {}
        if not isinstance(want, dict) or not want.get("street"):
            continue
        got = facts.address
        for part, (key, _, _) in floors.items():
            if _plain(want.get(part)):
                pages[part] += 1
                if _plain(got.get(key)):
                    (right if _plain(got.get(key)) == _plain(want.get(part)) else wrong)[part] += 1
    for part, (_, p_floor, r_floor) in floors.items():
        precision = right[part] / (right[part] + wrong[part]) if right[part] + wrong[part] else 1.0
        recall = right[part] / pages[part]
        print(f"{part}: precision {precision:.3f}, recall {recall:.3f}")
        assert precision >= p_floor and recall >= r_floor, part
