"""How well does the page reader do on pages annotated by others: scrapinghub/webstruct.

webstruct (MIT licence; https://github.com/scrapinghub/webstruct) keeps real business web
pages saved around 2013 with every contact entity marked by hand in WebAnnotator's markup
(``wa-type="TEL"``, ``"FAX"``, ``"STREET"``, ``"CITY"``, ``"ZIPCODE"`` ...): 340 business
pages, 101 US contact pages, 53 random pages. The marks cover every party on a page, not only
its owner, so they measure what the reader finds rather than all it should: a phone it reads
is right when it is among the marked phones and faxes (its national digits end a marked
number's, so that no country need be assumed for the marks); an address's postcode, town and street
are right when they match marked ones. Beside precision: the share of pages with a marked
phone (postcode) on which the reader found one (an address).

    git clone https://github.com/scrapinghub/webstruct /tmp/webstruct
    python bench/webstruct_quality.py --data /tmp/webstruct/webstruct_data/corpus

Each set is read with the country its pages are from (US for the business and US contact
pages, as a lead's country would be) and with none, as a lead found by its web site alone.
The pages are not copied into this repository.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import phonenumbers  # noqa: E402
from bs4 import BeautifulSoup  # noqa: E402

from prospect.http import html_text  # noqa: E402
from prospect.sources.websites import read_page  # noqa: E402

# set -> the country its pages are read with (None: mixed, read with none only)
SETS = {"business_pages": "US", "us_contact_pages": "US", "random_pages": None}


def plain(text: object) -> str:
    """Letters and digits only, lower case: how marked and read values are compared."""
    return "".join(c for c in str(text or "").casefold() if c.isalnum())


def marked(soup: BeautifulSoup, kind: str) -> list[str]:
    """The texts marked as ``kind``, one per mark (a mark may span several elements)."""
    texts: dict[str, str] = defaultdict(str)
    for tag in soup.find_all(attrs={"wa-type": kind}):
        texts[str(tag.get("wa-id"))] += " " + tag.get_text(" ")
    return [" ".join(t.split()) for t in texts.values()]


def marked_digits(texts: list[str]) -> list[str]:
    """The digits of each marked phone or fax number, as written (no country assumed), an
    extension after it ("x201", "ext. 12") left out."""
    numbers = (re.split(r"(?i)\s*(?:x|ext\.?|extension)\s*\d+\s*$", t)[0] for t in texts)
    return [d for d in ("".join(c for c in t if c.isdigit()) for t in numbers) if len(d) >= 7]


def is_marked(e164: str, marks: list[str]) -> bool:
    """Is a number read (E.164) one of the marked ones? Its national digits end a mark's
    (written with or without its country code or trunk 0), whatever country it was read as."""
    national = str(phonenumbers.parse(e164).national_number)
    return any(mark.endswith(national) for mark in marks)


def score(pages: list[Path], country: str | None) -> Counter[str]:
    """Count, over ``pages`` read with ``country``, what the reader found and how much of it
    is marked."""
    c: Counter[str] = Counter()
    for page in pages:
        html = html_text(httpx.Response(200, content=page.read_bytes(),
                                        headers={"content-type": "text/html"}))
        soup = BeautifulSoup(html, "html.parser")
        marks = marked_digits(marked(soup, "TEL") + marked(soup, "FAX"))
        streets = {plain(s) for s in marked(soup, "STREET")} - {""}
        towns = {plain(s) for s in marked(soup, "CITY")}
        zips = {plain(s) for s in marked(soup, "ZIPCODE")}
        facts = read_page(html, "https://example.com/", country)
        found = [p for p in dict.fromkeys([*facts.phones, *facts.fax])]
        right = [p for p in found if is_marked(p, marks)]
        c["phones read"] += len(found)
        c["phones marked"] += len(right)
        if marks:
            c["pages with a phone"] += 1
            c["pages with a phone, one read"] += bool(right)
        address = facts.address
        postcode, town, street = (plain(address.get(k)) for k in ("postcode", "city", "address"))
        if zips:
            c["pages with a postcode"] += 1
            c["pages with a postcode, one read"] += bool(postcode)
        if postcode:
            c["postcodes read"] += 1
            c["postcodes marked"] += any(postcode == z or postcode in z for z in zips)
        if town:
            c["towns read"] += 1
            c["towns marked"] += town in towns
        if street:
            c["streets read"] += 1
            c["streets marked"] += any(street == s or s in street or street in s for s in streets)
    return c


def share(c: Counter[str], part: str, whole: str) -> str:
    return f"{c[part] / c[whole]:.3f}" if c[whole] else "-"


def main() -> None:
    """Print, per set and country, precision of what was read and the pages read."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True,
                        help="webstruct_data/corpus of a clone of scrapinghub/webstruct")
    args = parser.parse_args()
    print(f"{'set':<18} {'country':<8} {'pages':>5} {'phone P':>8} {'pages':>6} "
          f"{'postcode P':>10} {'town P':>7} {'street P':>8} {'pages':>6}")
    for name, country in SETS.items():
        pages = sorted((args.data / name / "wa").glob("*.html"))
        if not pages:
            sys.exit(f"no pages in {args.data / name / 'wa'}")
        for given in dict.fromkeys([country, None]):
            c = score(pages, given)
            print(f"{name:<18} {given or 'none':<8} {len(pages):>5} "
                  f"{share(c, 'phones marked', 'phones read'):>8} "
                  f"{share(c, 'pages with a phone, one read', 'pages with a phone'):>6} "
                  f"{share(c, 'postcodes marked', 'postcodes read'):>10} "
                  f"{share(c, 'towns marked', 'towns read'):>7} "
                  f"{share(c, 'streets marked', 'streets read'):>8} "
                  f"{share(c, 'pages with a postcode, one read', 'pages with a postcode'):>6}")


if __name__ == "__main__":
    main()
