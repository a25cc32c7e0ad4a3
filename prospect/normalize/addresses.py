"""Street addresses as people write them, in the countries our users sell to: the street,
the house number, the town and the postcode."""

from __future__ import annotations

import functools
import gzip
import itertools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from prospect.normalize.text import ARABIC_DIGITS, HAN, HANGUL, fold, simplified

__all__ = [
    "NUMBER_WORDS", "Address", "is_direction", "is_known_town", "is_street_type",
    "normalize_address", "normalize_postcode", "postcode_country", "street_and_number",
    "street_name", "street_side", "town",
]

_POSTCODE_GAPS = re.compile(r"[\s-]+")
_COUNTRY_PREFIX = re.compile(r"^[A-Z]{1,3}-(?=\d{4,5}$)")
_ZIP4 = re.compile(r"(\d{5})-?\d{4}")


def is_street_type(word: str) -> bool:
    """Say whether a folded word is a street's type, written out or short ("avenue", "st")."""
    return word in _ABBREVIATIONS or word in _STREET_WORDS


def is_direction(word: str) -> bool:
    """Say whether a word of a read street ("n", "sw") is a point of the compass."""
    return word in _DIRECTION_WORDS


_STREET_TYPES = {
    "street": "st", "str": "str", "strasse": "str", "road": "rd", "avenue": "ave", "av": "ave",
    "lane": "ln", "drive": "dr", "boulevard": "blvd", "bd": "blvd", "bvd": "blvd", "court": "ct",
    "place": "pl", "close": "cl", "crescent": "cres", "parkway": "pkwy", "square": "sq",
    "highway": "hwy", "terrace": "ter", "gardens": "gdns", "way": "way", "circuit": "cct",
    "allee": "allee", "platz": "pl", "weg": "weg", "gasse": "g", "straat": "straat",
    "laan": "laan", "rue": "rue", "chemin": "ch", "via": "via", "calle": "c",
    # Italian, Spanish and Catalan, Portuguese, French and Dutch types, as written out and
    # in the abbreviations their registers and sites use.
    "viale": "vle", "piazza": "pza", "piazzale": "ple", "corso": "cso", "largo": "lgo",
    "vicolo": "vlo", "avenida": "avda", "avda": "avda", "avinguda": "avda", "paseo": "pso",
    "plaza": "pza", "pza": "pza", "plz": "pza", "carrer": "c", "camino": "cno", "ronda": "rda",
    "rambla": "rbla", "travesia": "trva", "rua": "rua", "praca": "pca", "impasse": "imp",
    "route": "rte", "rte": "rte", "quai": "quai", "plein": "plein", "kade": "kade",
    "singel": "singel",
    # Polish and Slovak: ulica, plac; Czech and Slovak: náměstí / námestie, třída;
    # Hungarian: utca ("u."), körút, sugárút.
    "ulica": "ul", "ul": "ul", "plac": "pl", "namesti": "nam", "namestie": "nam",
    "trida": "tr", "utca": "u", "korut": "krt", "sugarut": "sgt",
    # Russian (улица, проспект, переулок, шоссе, набережная, площадь, бульвар), Turkish
    # (cadde, sokak, bulvar) and Vietnamese (đường).
    "улица": "ул", "ул": "ул", "проспект": "пр", "пр": "пр", "переулок": "пер", "пер": "пер",
    "шоссе": "ш", "ш": "ш", "набережная": "наб", "наб": "наб", "площадь": "пл", "пл": "пл",
    "бульвар": "бул", "бул": "бул",
    "caddesi": "cd", "cadde": "cd", "cad": "cd", "cd": "cd", "sokak": "sk", "sokagi": "sk",
    "sok": "sk", "sk": "sk", "bulvari": "blvd", "bulvar": "blvd", "blv": "blvd",
    "duong": "duong", "pho": "duong", "mahallesi": "mah", "mah": "mah", "mh": "mah",
    # Arabic: street, road.
    "شارع": "شارع", "ش": "شارع", "طريق": "طريق",
}
_DIRECTIONS = {"north": "n", "south": "s", "east": "e", "west": "w",
               "northeast": "ne", "northwest": "nw", "southeast": "se", "southwest": "sw"}
_ABBREVIATIONS = {**_STREET_TYPES, **_DIRECTIONS}
# Words of an address that name no street: its type and direction ("st", "n").
_DIRECTION_WORDS = frozenset(_DIRECTIONS.values())
# Articles and prepositions inside a street's name ("Via del Corso", "Rue de la Paix").
_ARTICLES = frozenset({"del", "della", "dello", "dei", "degli", "delle", "di", "da", "de", "du",
                       "des", "la", "le", "les", "los", "las", "el", "do", "dos", "das", "of",
                       "the"})
_STREET_TYPE_WORDS = frozenset(_STREET_TYPES.values()) - _DIRECTION_WORDS


def _is_type(token: str) -> bool:
    """Is a folded word a street's type, written out or short ("street", "st"), not a direction?"""
    return _ABBREVIATIONS.get(token, token) in _STREET_TYPE_WORDS


_STREET_WORDS = frozenset(_STREET_TYPES.values()) | _DIRECTION_WORDS
_SIDE = "~"  # marks the side a read street is on ("ogden ~w"), after its name's words
# "12", "3a", and the French, Italian and Spanish suffixes of a second house on one plot
# ("12 bis", "7 ter").
_HOUSE_NUMBER = re.compile(r"^\d+(?:[a-z]|bis|ter|quater)?$")
_STRASSE = ("strasse", "straße")  # written as one word with the street's name: "bahnhofstr"
# German and Dutch types written as one word with the street's name.
_TYPED_ENDS = ("str", "straat", "gracht", "weg", "laan", "plein", "kade", "gasse", "platz")
_UNITS = {"floor", "fl", "flr", "suite", "ste", "unit", "units", "building", "bldg", "room",
          "rm", "apt", "apartment", "level", "dept", "office", "etage", "stock", "piso", "bte", "boite",
          # Russian building, structure, office, flat, floor; Turkish floor and flat.
          "корп", "корпус", "стр", "строение", "офис", "кв", "этаж", "kat", "daire",
          # Spanish floor, door, staircase and ground floor ("92 Bajo A", "planta 1").
          "planta", "puerta", "escalera", "bajo"}
# A unit's words that, ending a part after a name, name the building itself.
_BUILDING_WORDS = frozenset({"building", "bldg", "tower"})
# Words that lead a part naming the town or district, not the street: Russian "г. Москва",
# Vietnamese "Quận 1", "Phường Bến Nghé", "TP. Hồ Chí Minh". After the street they end it.
_LOCALITIES = frozenset({"г", "город", "quan", "phuong", "huyen", "tp"})
# The word after a neighbourhood's name, which the street follows: Turkish "Kavacık Mah.
# Ekinciler Cad. No:19" is on Ekinciler Caddesi (read as a type's word, see _STREET_TYPES).
_NEIGHBOURHOOD = "mah"
# Words that name a unit only when its number follows ("Flat 2, 10 Downing Street", "Shop 4,
# ..."); "Flat Rock Road" is a street.
_NUMBERED_UNITS = frozenset({"flat", "shop", "lot", "kiosk", "tower"})
# A comma part after the street that holds a postcode is the town's line ("75002 Paris",
# "London SW1A 1AA", "IL 62701", "DE-80331 München", "1269-046 Lisboa", "00-001 Warszawa"):
# four to six digits, two groups of digits joined by a hyphen, or a British postcode.
_POSTCODE_IN_PART = re.compile(r"(?:^|[\s-])(?:\d{4,6}|\d{2,5}-\d{3,4})(?:\s|$)"
                               r"|\b[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}\b")
# Units an ordinal counts ("3rd floor", "2. Stock"); "65th building" is a street's building.
_FLOORS = frozenset({"floor", "fl", "flr", "level", "etage", "stock", "og", "piso"})
# Floors named, not counted ("Ground Floor", "Upper Ground Floor", "Mezzanine Floor", as
# India and Britain write them), and the words that set one floor of two apart.
_FLOOR_NAMES = frozenset({"ground", "mezzanine", "basement", "lower", "upper", "top"})
_FLOOR_SIDES = frozenset({"lower", "upper"})
# Words after which a number is part of the street's name, not a house number: India's
# planned towns number their sectors and phases ("Plot 45, Sector 18, Noida", "Okhla
# Industrial Area Phase 2").
_NUMBERED_NAMES = frozenset({"sector", "phase"})
# Ordinal street names written as words read as the digits others write ("Seventh Avenue"
# is "7th ave"); an ordinal is part of the street's name, never a house number.
_ORDINAL_WORDS = dict(zip(
    ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
     "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
     "eighteenth", "nineteenth", "twentieth"),
    ("1st", "2nd", "3rd", *(f"{i}th" for i in range(4, 21))), strict=True))
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$")


def _ordinal(digits: str) -> str:
    """The ordinal of a number as English writes it: "1st", "22nd", "93rd", "111th"."""
    n = int(digits)
    return digits + ("th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th"))


# "One Penn Plaza", "Two World Trade Center": a building's number written as a word, first.
NUMBER_WORDS: Mapping[str, str] = dict(zip(
    ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
     "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
     "nineteen", "twenty"), (str(i) for i in range(21)), strict=True))
# Words after which an address line names another street or a landmark, not this one
# ("5th Ave between 20th and 21st streets", "Main St at 2nd Ave", "corner of ...").
_CROSS = frozenset({"between", "btwn", "btw", "betw", "at", "near", "corner", "cor", "off",
                    "opposite", "opp", "across", "intersection"})
# Words that end the street's name where they follow it (see _address_parts).
_ENDS_STREET = frozenset(_UNITS) | _CROSS | _LOCALITIES
# A Queens-style house number ("79-15 Roosevelt Ave", "144-20 Jamaica Ave") leads the line:
# one number, not two. Queens' first part is a cross street's number, three digits at most;
# four or more before the hyphen make a range of doors ("3450-54 West 79th Street"), whose
# first is the house number, and so does a second number a few doors above the first, as
# Britain, Ireland, Australia and Singapore write a building's doors ("50-52 Bernard Street",
# "7-11 Nicolson St"; a Queens number's second part is a lot's, unrelated to the first).
_HYPHENATED_NUMBER = re.compile(r"^\s*(\d{1,3})-(\d+)(?=\s)")
_DOORS_SPANNED = 20  # the most doors a range of a building's doors is taken to span
# Canada's postcodes (letter, digit, letter, digit, letter, digit) are no other country's:
# such a postcode says where an address without a country is, and so how its numbers read.
_CANADIAN_POSTCODE = re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d\b",
                                re.I)
_NUMBER_RANGE = re.compile(r"^\s*(\d{4,})-\d+(?=\s)")
# Spellings of one address to be read alike: dotted Italian and Spanish abbreviations of the
# street's type ("V.le", "P.zza", "C.so", "Pº"; "V. Roma" leading the line is a via), a
# number's marker ("n. 10", "nº 5", "Nr. 7"), a house number's letter after a hyphen ("123-A").
_SPELLINGS = (
    (re.compile(r"\b[Vv]\.\s?le\b"), "viale"),
    (re.compile(r"\b[Pp]\.\s?(?:zza|za)\b"), "piazza"),
    (re.compile(r"\b[Pp]\.\s?le\b"), "piazzale"),
    (re.compile(r"\b[Cc]\.\s?so\b"), "corso"),
    (re.compile(r"\b[Pp][º°]\s?"), "paseo "),
    (re.compile(r"^\s*[Vv]\.\s+(?=[A-ZÀ-Ý])"), "via "),
    # "R. Augusta, 1", "12 r. de la Paix": Portugal's and Brazil's rua, France's rue (not a
    # name's initial inside it: "Via R. Lepetit").
    (re.compile(r"(^\s*|\d,?\s+)[Rr]\.\s?(?=[A-ZÀ-Ýa-zà-ý])"), r"\1rue "),
    # Doors of one building: "13 & 14 Haig Rd", "30&32 Bedok Reservoir Rd", "66a&b Pagoda
    # St", "9 10 & 11 Atholl Place": the first.
    (re.compile(r"(^|,)\s*(\d+[A-Za-z]?)(?:\s+\d+[A-Za-z]?)*\s*(?:&|\band\b)\s*"
                r"(?:\d+[A-Za-z]?|[A-Za-z])\b(?=[\s,]+[^\W\d])", re.I), r"\1\2"),
    # India's plot and house numbers: "Plot No. 45", "H.No. 12-2-345": the door's number,
    # and a door numbered in three parts or more one number (see _door_parts).
    (re.compile(r"(?<![\d-])\d+(?:-\d+){2,3}(?![\d-])"), lambda m: _door_parts(m.group())),
    (re.compile(r"\b(?:plot|h\.?)\s*(?:no\b\.?)?\s*(?=\d)", re.I), ""),
    # A number's marker; not the letters of a British postcode ("N1 0NU", "NR21 0AA"), nor
    # north before an ordinal street ("4410 N 40th St"). Russian "д. 7" (дом), Turkish
    # "No:15", Vietnamese "Số 12", Indonesian "Kav. 52" (kavling, the lot) mark one too.
    (re.compile(r"\b(?:n|no|nr|num|n[úu]m|n[úu]mero|so|số|д|дом|двлд|вл|влд|домовладение|"
                r"владение|kav)\s*[º°.:]?\s*(?=\d)"
                r"(?!\d[A-Za-z\d]?\s*\d[A-Za-z]{2}\b)(?!\d+(?:st|nd|rd|th)\b)", re.I), ""),
    (re.compile(r"(\d)\s*-\s*([A-Za-z])\b(?![-\w])"), r"\1\2"),
    # India's block and plot, leading a part: "B-12, Okhla Phase 2" is door 12 of block B,
    # read as "12-B" is.
    (re.compile(r"(^|,)\s*([A-Za-z])\s?-\s?(\d+)(?=\s*,)"), r"\1 \3\2"),
    # A German ordinal is a number and a full stop before a word: "Straße des 17. Juni 135"
    # is house 135 on a street named after a day.
    (re.compile(r"\b(\d{1,2})\.\s+(?=[A-ZÄÖÜ][a-zäöüß]{2,})"), r"\1th "),
)


def _street_line(part: str) -> bool:
    """Is a comma part a door's number and a typed street ("1207 Dover Rd"), not a town's
    line that leads with its postcode ("1207 Genève")?"""
    words = fold(part).split()
    return len(words) > 2 and words[0].isdigit() and _is_type(words[-1])


def _door_parts(text: str) -> str:
    """A number in three parts or more: the doors of a building listed ("33-34-35",
    "19-21-23-25": each a few above the last), its first; else one door's number in parts
    ("8-2-293", as Hyderabad numbers its houses), joined."""
    parts = [int(p) for p in text.split("-")]
    if all(0 < b - a <= _DOORS_SPANNED for a, b in itertools.pairwise(parts)):
        return str(parts[0])
    return "".join(text.split("-"))


# Brazil writes the district after the number with a spaced hyphen: "Rua Augusta, 1500 -
# Consolação" (no postcode: a CEP is "01310-100"; not "Unit 48 - Gyle Shopping Centre").
_DISTRICT_AFTER = re.compile(r"(,\s*\d+[A-Za-z]?)\s+[-–]\s+(?=\D)")
# Russian types written with a hyphen: "пр-т" (проспект), "б-р" (бульвар).
_HYPHENATED_TYPES = ((re.compile(r"\bпр-т\b", re.I), "проспект"),
                     (re.compile(r"\bб-р\b", re.I), "бульвар"))
_SPELLING_HINT = re.compile(r"[.º°:–&-]|\b(?:n|no|nr|num|plot)\s*\d|\d[A-Za-z]?\s+and\s+\d", re.I)
_SPELLING_HINT_ELSEWHERE = re.compile(r"\b(?:số|д|дом)\s*\d", re.I)  # Vietnam, Russia
# Where inside a building, as Singapore and Hong Kong write it: a unit by its floor and
# door ("#02-15", "#B1-12/13", "#01-01/02") and a floor ("12/F", "G/F", "UG/F").
_INSIDE = re.compile(r"#\s*[A-Za-z]?\d+(?:-[A-Za-z]?\d+[A-Za-z]?(?:/\d+[A-Za-z]?)*)?"
                     r"|\b(?:\d{1,3}|[UL]?G)/F\b", re.I)
# "Plaza Mayor s/n", "Rua Direita, S/N": Spanish and Portuguese for "no number" (sin, sem
# número), not a side of the street.
_NO_NUMBER = re.compile(r"\bs\s?/\s?n(?:[º°o]|\.)?(?!\w)", re.I)
# A post office box is no street address ("PO Box 123", "Box 5", "Postbus 55", "Postfach 10
# 20 30", "BP 123", "Apartado 12", "Private Bag 3"; not "Box Hill Road"): a comma part that
# is one is left out.
_PO_BOX = re.compile(r"\s*(?:g\.?\s?)?(?:p\.?\s?o\.?\s?box|pobox|postbus|postfach|"
                     r"(?:b\.?\s?p\.?|box)(?=\s*\d)|bo[iî]te postale|apartado|casella postale|"
                     r"private bag|locked bag)\b", re.I)
_PO_BOX_FIRST = frozenset({"p", "po", "gpo", "g", "pobox", "postbus", "postfach", "b", "bp", "box",
                           "boite", "apartado", "casella", "private", "locked"})
# A unit and its house number before the street, as Australia and New Zealand write them:
# "Shop 4/12 Smith St", "2/15 King Street" (unit 4 or 2 of number 12 or 15); but two doors
# side by side, as Britain writes them: "23/24 Sandport Place".
_UNIT_SLASH = re.compile(r"(^|,)(\s*(?:(?:shop|unit|suite|flat|apt|villa)\s*)?)(\d+)[A-Za-z]?\s*/"
                         r"\s*(\d+[A-Za-z]?)\s+(?=[^\W\d])", re.I)


# Australia and New Zealand write a unit before its building's number ("1/25 Smith St"),
# and so is a line read whose country is not known (unless in Thai). Elsewhere "99/9",
# "12/3" is one door's number (Thailand, India, Vietnam: a plot and its division; Russia's
# "7/2" a corner house), whose first part is the house's, as in "Hauptstr. 12/14".
_UNIT_FIRST = frozenset({"AU", "NZ"})
# A unit or a floor written before the door without a comma: "Unit 102 145 Richmond Street
# W", "Level 3 100 Victoria St", "Unit 159 - 1 Eglinton Square".
_UNIT_BEFORE_DOOR = re.compile(r"\s*((?:unit|suite|ste|apt|apartment|office|room|rm|level|floor|fl)"
                               r"\.?\s*#?\s*[A-Za-z]?\d+[A-Za-z]?)(?:\s+-\s+|\s+)"
                               r"(?=\d+[A-Za-z]?\s+[^\W\d])", re.I)
# And before the place, with no door, in a line of one part: "Unit 30B Fort Kinnaird",
# "Units 7A 7B Kinnaird Park", "Unit 33 The Loan" (in a line of more, the street follows).
_UNIT_BEFORE_PLACE = re.compile(r"\s*((?:units?|suite|ste|shop|level|floor)\.?\s*#?\s*"
                                r"(?:[A-Za-z]?\d+[A-Za-z]?|[A-Za-z])\b(?:\s*(?:&|and|-)?\s*"
                                r"[A-Za-z]?\d+[A-Za-z]?\b)*)\s+(?=[^\W\d])", re.I)
# A unit and its door joined by a hyphen after the unit's word, as Canada writes them
# everywhere: "Unit#105-250 Carlaw Ave", "Suite 17-773 Warden Ave"; but "Unit 9-10
# Meadowbank Retail Park" is two units, side by side (see _DOORS_SPANNED).
_UNIT_HYPHEN_DOOR = re.compile(r"\s*((?:unit|suite|ste|apt|apartment|office|shop)\.?\s*#?\s*"
                               r"(\d+)[A-Za-z]?)\s*-\s*(?=(\d+)[A-Za-z]?\s+[^\W\d])", re.I)
# Singapore names buildings by their number and a word: "313@Somerset" (at 313 Orchard
# Road), "8@Tradehub21". Such a name is a building's, and its number no door; but "Blk 16 @
# Teck Whye Lane" is block 16, at the lane.
_NUMBERED_NAME = re.compile(r"(?<![\w@])(?<!blk\s)(?<!block\s)\d+\s*@\s*(?=[^\W\d_])", re.I)
_THAI = re.compile("[\u0e00-\u0e7f]")


def _door_slash(m: re.Match[str]) -> str:
    """The house number of "number/division" before a street (see :data:`_UNIT_FIRST`)."""
    if m.group(2).strip():  # "Shop 3/25", "Unit 1/12": the word says the first is a unit
        return _unit_slash(m)
    return f"{m.group(1)}{m.group(3)} "


def _unit_slash(m: re.Match[str]) -> str:
    """The house number of "unit/number" before a street, or the first of two doors."""
    first, second = m.group(3), m.group(4)
    doors = not m.group(2).strip() and second.isdigit() and 0 < int(second) - int(first) <= 2
    return f"{m.group(1)}{first if doors else second} "


# A Singapore block ("Blk 123", "Block 531") is the building's number, the house number:
# "Ang Mo Kio Avenue 10, Block 531" is block 531 on the street "Ang Mo Kio Avenue 10".
_BLOCK = re.compile(r"\b(?:blk|block)\s*(\d+[A-Za-z]?)\b", re.I)
# A house number's suffix written apart ("12 bis rue ...": one house number, as "12bis" is)
# and an ordinal's ("24 TH BLVD"; not "st", a street or a saint); a house number's letter
# written apart, last in its part ("Am Markt 3 a", "Keizersgracht 123 A").
_SUFFIXES = frozenset({"bis", "ter", "quater", "nd", "rd", "th"})
_LETTERS = frozenset("abcdefgh")


def _joined(tokens: list[str]) -> list[str]:
    """The tokens with a number's suffix or letter written apart joined to the number."""
    out: list[str] = []
    last = len(tokens) - 1
    for i, token in enumerate(tokens):
        if out and out[-1].isdigit() and (token in _SUFFIXES or (i == last and token in _LETTERS)):
            out[-1] += token
        else:
            out.append(token)
    return out


@dataclass(frozen=True, slots=True)
class Address:
    """A street address folded for comparison: the whole, its house number and street (with
    its side, if it says: see :func:`street_side`)."""

    text: str
    number: str | None
    street: str


def normalize_address(raw: str, country: str | None = None) -> Address | None:
    """Fold an address, abbreviate street types and find its house number and street name
    (``country``: the ISO code of the country it is in, where known)."""
    parts = _address_parts(raw, country)
    if parts is None:
        return None
    words, number, street = parts
    return Address(text=" ".join(words), number=number, street=street)


def street_and_number(raw: str, country: str | None = None) -> tuple[str, str | None] | None:
    """:func:`normalize_address`'s street and house number, without the rest (for dedupe)."""
    parts = _address_parts(raw, country)
    return None if parts is None else (parts[2], parts[1])


# A Chinese address runs from the province down to the door without spaces: "北京市朝阳区
# 建国路88号SOHO现代城5号楼". The street is the road before the first "号" (after the last
# division: province, city, district, county, town, subdistrict), the number its number;
# the building and room after it say where inside.
# Taiwan numbers a long road's sections and its lanes: "信義路五段7號", "忠孝東路四段216巷
# 27弄8號" (section 5 of Xinyi Road; lane 216, alley 27 of section 4): they are the street's.
_HAN_ROAD = re.compile(r"([\u4e00-\u9fff\w]{1,30}?(?:大道|大街|路|街|道|巷|弄|胡同|里)"
                       r"(?:[〇一二三四五六七八九十\d]{1,3}段)?(?:\d+巷)?(?:\d+弄)?)\s*"
                       r"(\d+)(?:-\d+|之\d+)?\s*号")
# A road written without its door: the last road named ("东莞市长安镇霄边社区振安中路").
_HAN_ROAD_ALONE = re.compile(r"([\u4e00-\u9fff]{1,30}?(?:大道|大街|路|街)"
                             r"(?:[〇一二三四五六七八九十]{1,3}段)?)(?![\u4e00-\u9fff\d])")
_HAN_DIVISION = re.compile(r"^.*(?:省|自治区|特别行政区|市|区|县|旗|镇|乡|街道|开发区|园区|社区)(?=.)")


def _han_parts(raw: str) -> tuple[list[str], str | None, str] | None:
    m = _HAN_ROAD.search(raw)
    if m is None:
        alone = _HAN_ROAD_ALONE.search(raw)
        if alone is None:
            return None
        return [fold(raw)], None, fold(_HAN_DIVISION.sub("", alone.group(1)))
    road = _HAN_DIVISION.sub("", m.group(1))
    return [fold(raw)], m.group(2), fold(road)


_HANGUL_ROAD = re.compile(r"([\uac00-\ud7af\d]+(?:로|길))\s*(\d+)(?:-\d+)?(?!\d)")


def _hangul_parts(raw: str) -> tuple[list[str], str | None, str] | None:
    m = _HANGUL_ROAD.search(raw)
    if m is None:
        return None
    return [fold(raw)], m.group(2), fold(m.group(1))


# A Thai address runs from the door to the province: "99/9 ถนนสุขุมวิท แขวงคลองเตย เขต
# คลองเตย กรุงเทพฯ 10110", "123 หมู่ 4 ซ.รามคำแหง 24 ต.บางพลี". The street is the road after
# "ถนน" (thanon, written "ถ."), or where none is named the lane after "ซอย" ("ซ.", soi,
# with its number: soi 21 and soi 23 are two lanes); the village number (หมู่), sub-district
# (แขวง, ตำบล), district (เขต, อำเภอ) and province (จังหวัด) say where around. The house
# number leads the line (after "เลขที่", number, if written), "99/9" as Thailand writes a
# door (see _UNIT_FIRST).
_THAI_ROAD = re.compile(r"(?:ถนน|ถ\.)\s*([\u0e00-\u0e7f]+(?:\s+\d+)?)")
_THAI_LANE = re.compile(r"(?:ซอย|ซ\.)\s*([\u0e00-\u0e7f]*(?:\s*\d+)?)")
_THAI_DOOR = re.compile(r"^\s*(?:(?:บ้าน)?เลขที่\s*)?(\d+)(?:/\d+)?(?=\s|$)")


def _thai_parts(raw: str) -> tuple[list[str], str | None, str] | None:
    m = _THAI_ROAD.search(raw) or _THAI_LANE.search(raw)
    door = _THAI_DOOR.search(raw)
    if m is None and _THAI.match(raw.lstrip(" 0123456789/,")) is None:
        return None  # a line in Latin letters with a Thai word in it
    street = fold(m.group(1)) if m is not None and m.group(1).strip() else ""
    return [fold(raw)], door.group(1) if door is not None else None, street


# A Japanese address names no street: from the prefecture and the municipality down to the
# district, its block (chōme), the lot (banchi) and the building (gō), written "丸の内1-1-1"
# or "丸の内一丁目1番1号". The district with its block is the street, the lot the number;
# the postcode, prefecture and municipality before say where around, the building after.
_JAPANESE = re.compile(r"[\u3040-\u30ff]|丁目|番地|^\s*(?:〒\s*\d{3}-?\d{4}\s*)?"
                       r"(?:東京都|北海道|京都府|大阪府|[\u4e00-\u9fff]{2,3}県)")
_JP_POSTCODE = re.compile(r"〒?\s*(?<!\d)\d{3}-\d{4}(?!\d)")
_JP_PREFECTURE = re.compile(r"^\s*(?:東京都|北海道|京都府|大阪府|[\u4e00-\u9fff]{2,3}県)")
# A municipality: a city and its ward ("横浜市中区"), a ward of Tokyo ("千代田区"), or a town
# or village in its district ("西多摩郡瑞穂町"); not a district's own "町" ("有楽町").
_JP_MUNICIPALITY = re.compile(r"^[\u4e00-\u9fff\u3040-\u30ff]{1,5}?(?:郡[\u4e00-\u9fff]{1,4}?[町村]"
                              r"|市(?:[\u4e00-\u9fff]{1,3}?区)?|区)")
_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_JP_BLOCKS = re.compile(r"([〇一二三四五六七八九十]+)丁目")
_JP_NUMBERS = re.compile(r"^([^\d]+?)\s*(\d+)(?:\s*[-‐－ー−の]\s*(\d+))?")
# Sapporo (and Asahikawa, Obihiro) number a grid: "北1条西2丁目1-1" is lot 1 of the block
# north 1, west 2. The grid's block is the street, the lot the number.
_JP_GRID = re.compile(r"([東西南北])\s*(\d+)\s*条\s*([東西南北])\s*(\d+)")
_JP_GRID_KANJI = re.compile(r"([〇一二三四五六七八九十]+)(?=\s*(?:条|丁目))")
_JP_LOT = re.compile(r"\D*?(\d+)")


def _kanji_value(text: str) -> int:
    """A number written in kanji: "一" is 1, "十二" 12, "二〇" 20."""
    tens, _, ones = text.partition("十")
    if "十" in text:
        return (_KANJI_DIGITS.get(tens, 1) if tens else 1) * 10 + (
            _KANJI_DIGITS.get(ones, 0) if ones else 0)
    return int("".join(str(_KANJI_DIGITS[c]) for c in text))


def _kanji_number(m: re.Match[str]) -> str:
    """A block's number written in kanji, as digits: "一丁目" is 1-, "十二丁目" 12-."""
    return f"{_kanji_value(m.group(1))}-"


def _japanese_parts(raw: str) -> tuple[list[str], str | None, str] | None:
    text = unicodedata.normalize("NFKC", raw)
    text = _JP_POSTCODE.sub(" ", text).strip()
    text = _JP_PREFECTURE.sub("", text)
    text = _JP_MUNICIPALITY.sub("", text, count=1)
    if "条" in text:
        text = _JP_GRID_KANJI.sub(lambda m: str(_kanji_value(m.group(1))), text)
        grid = _JP_GRID.search(text)
        if grid is not None:
            lot = _JP_LOT.match(text[grid.end():].replace("丁目", "-"))
            block = "".join(grid.groups())
            return [fold(raw)], lot.group(1) if lot else None, fold(block)
    text = _JP_BLOCKS.sub(_kanji_number, text)
    text = text.replace("丁目", "-").replace("番地", "-").replace("番", "-").replace("号", "")
    m = _JP_NUMBERS.match(text.strip())
    if m is None:
        return None
    district, first, second = fold(m.group(1)), m.group(2), m.group(3)
    if not district:
        return None
    if second is None:  # "山下町10": a lot in a district without blocks
        return [fold(raw)], first, district
    return [fold(raw)], second, f"{district}{first}"


# Colombia numbers its streets and its doors by them: "Calle 93 # 11-27" is door 27 of the
# block of Carrera 11 on Calle 93. The street is its type and number as one word ("cl93":
# Calle 93 and Calle 94 are two streets, though both are "calle"), the door "11-27".
_COLOMBIAN = re.compile(
    r"^\s*(?:av(?:enida|da)?\.?\s+)?(calle|cll?|carrera|cra|kra?|diagonal|dg|transversal|tv)"
    r"\.?\s*(\d+\s?[a-z]?(?:\s?bis)?)\s*(?:#|no\.?|n[º°]\.?)\s*(\d+\s?[a-z]?)\s*-\s*(\d+)\b", re.I)
_COLOMBIAN_TYPES = {"calle": "cl", "cl": "cl", "cll": "cl", "carrera": "cra", "cra": "cra",
                    "kr": "cra", "kra": "cra", "diagonal": "dg", "dg": "dg",
                    "transversal": "tv", "tv": "tv"}


def _colombian_parts(raw: str) -> tuple[list[str], str | None, str] | None:
    m = _COLOMBIAN.match(raw)
    if m is None:
        return None
    street = _COLOMBIAN_TYPES[m.group(1).lower()] + fold(m.group(2)).replace(" ", "")
    return [fold(raw)], f"{fold(m.group(3)).replace(' ', '')}-{m.group(4)}", street


def _part_tokens(part: str, first_without_digits: bool) -> list[str]:
    """A comma part's folded tokens, a number's suffix joined to it ("12 bis"), and a
    leading number word read as digits where the address has no digits ("One Penn Plaza")."""
    tokens = fold(part).split()
    if tokens and (tokens[-1] in _LETTERS or not _SUFFIXES.isdisjoint(tokens)):
        tokens = _joined(tokens)
    if first_without_digits and len(tokens) > 1 and tokens[0] in NUMBER_WORDS:
        tokens[0] = NUMBER_WORDS[tokens[0]]
    return tokens


def _postcode_after(word: str, tokens: list[str], i: int) -> bool:
    """Is a number (digits) after a street's name a postcode: five digits or more (no door
    is numbered so high after its street's name), or four before two letters ("1017 gc")?"""
    if len(word) >= 5:
        return True
    return (len(word) == 4 and i + 1 < len(tokens) and len(tokens[i + 1]) == 2
            and tokens[i + 1].isalpha() and tokens[i + 1] not in _SUFFIXES)


def _floors(tokens: list[str]) -> frozenset[int]:
    """Where floors by their ordinal or name stand ("3rd floor", "2. Stock", "Upper Ground
    Floor", "Ground Floor & 1st Floor"), as token positions: they say where inside,
    wherever they stand."""
    if _FLOORS.isdisjoint(tokens):
        return frozenset()
    at: set[int] = set()
    for i in range(len(tokens) - 1):
        if tokens[i + 1] in _FLOORS and (_ORDINAL.match(tokens[i]) or tokens[i] in _FLOOR_NAMES):
            at.update((i - 1, i, i + 1) if i and tokens[i - 1] in _FLOOR_SIDES else (i, i + 1))
    # "and" between two floors joins them.
    at.update(i for i in range(1, len(tokens) - 1)
              if tokens[i] == "and" and i - 1 in at and i + 1 in at)
    return frozenset(at)


def _type_ends_street(tokens: list[str], at: int) -> bool:
    """Is ``tokens[at]`` a street's type that ends the street: last, or before a direction,
    a corner's "and", a unit or a cross-street note ("E 14 St", "W 57 St, ...", "14 St NW")?"""
    if at >= len(tokens) or not _is_type(tokens[at]):
        return False
    after = tokens[at + 1] if at + 1 < len(tokens) else None
    return after is None or after == "and" or after in _DIRECTIONS or (
        after in _DIRECTION_WORDS or after in _ENDS_STREET)


def _door_range(first: str, second: str) -> bool:
    """Are two numbers joined by a hyphen a range of doors or units side by side ("346-348",
    "9-10"), not a unit and its door or Queens' one number?"""
    return second[0] != "0" and 0 < int(second) - int(first) <= _DOORS_SPANNED


def _unit_door(m: re.Match[str]) -> str:
    """A hyphenated number leading a Canadian address: a unit and its door ("900-595 Bay
    St" is suite 900 of 595), or a range of doors ("346-348 Spadina Avenue")."""
    first, second = m.group(1), m.group(2)
    return first if len(first) >= 3 and _door_range(first, second) else second


def _hyphenated(m: re.Match[str]) -> str:
    """A hyphenated number leading an address: a range's first door, or Queens' one number."""
    first, second = m.group(1), m.group(2)
    return first if _door_range(first, second) else first + second


# An address read: its words (abbreviated as one writes them all), the house number, the street.
_Parts = tuple[list[str], str | None, str]


def _in_own_script(raw: str) -> tuple[_Parts | None, str]:
    """An address written in Hangul, Japanese, Thai or Han characters, read as that script's
    addresses are written; and the text as the Latin reading should take it, if that fails."""
    if "،" in raw:  # the Arabic comma
        raw = raw.replace("،", ",")
    raw = raw.translate(ARABIC_DIGITS)  # "١٥ شارع التحرير" is door 15, as "15 شارع التحرير"
    if HANGUL.search(raw) is not None:
        return _hangul_parts(raw), raw
    if _JAPANESE.search(raw) is not None:
        return _japanese_parts(raw), raw
    if _THAI.search(raw) is not None:
        return _thai_parts(raw), raw
    if HAN.search(raw) is not None:
        raw = raw.translate(simplified())  # "廣州市天河區體育西路5號" as the mainland
    return _han_parts(raw), raw


def _rewritten(raw: str, country: str | None) -> str:
    """The address line with what would mislead the reading set right: a name's "@", hyphenated
    and ranged doors, other languages' spellings of street types, units written "#12" or
    "12/3", a unit before the door."""
    if "@" in raw:
        raw = _NUMBERED_NAME.sub("", raw)
    if "-" in raw:
        if raw.lstrip()[:1].isalpha() and (unit := _UNIT_HYPHEN_DOOR.match(raw)) is not None and (
                not _door_range(unit.group(2), unit.group(3))):
            raw = f"{unit.group(1)}, {raw[unit.end():]}"
        if country == "CA" or (country is None and _CANADIAN_POSTCODE.search(raw)):
            raw = _HYPHENATED_NUMBER.sub(_unit_door, raw)
        raw = _NUMBER_RANGE.sub(r"\1", _HYPHENATED_NUMBER.sub(_hyphenated, raw))
    # Most addresses have none of these: skip the patterns.
    if _SPELLING_HINT.search(raw) or (not raw.isascii() and _SPELLING_HINT_ELSEWHERE.search(raw)):
        for pattern, spelled in _SPELLINGS:
            raw = pattern.sub(spelled, raw)
        if " -" in raw or " –" in raw:
            raw = _DISTRICT_AFTER.sub(r"\1, ", raw)
        if "-" in raw and not raw.isascii():
            for pattern, spelled in _HYPHENATED_TYPES:
                raw = pattern.sub(spelled, raw)
    if "#" in raw or "/" in raw:
        raw = _INSIDE.sub(" ", _NO_NUMBER.sub(" ", raw))
        if "/" in raw:
            units_first = country in _UNIT_FIRST or (country is None and _THAI.search(raw) is None)
            raw = _UNIT_SLASH.sub(_unit_slash if units_first else _door_slash, raw)
    if raw.lstrip()[:1].isalpha() and (unit := _UNIT_BEFORE_DOOR.match(raw) or (
            None if "," in raw else _UNIT_BEFORE_PLACE.match(raw))) is not None:
        raw = f"{unit.group(1)}, {raw[unit.end():]}"  # "Suite 200 1234 Main St": the unit apart
    return raw


def _address_parts(raw: str, country: str | None = None) -> _Parts | None:
    if not raw.isascii():  # most addresses are: the other scripts' patterns only if they may match
        found, raw = _in_own_script(raw)
        if found is not None:
            return found
    if ("#" in raw or "-" in raw) and raw.lstrip()[:1] in "CcKkDdTtAa":
        colombian = _colombian_parts(raw)
        if colombian is not None:
            return colombian
    raw = _rewritten(raw, country)
    # One pass: the words abbreviated, the first house number, the street's words up to a
    # unit ("1st floor", "suite 200", "building z" say where inside, not which street) or a
    # cross-street note. A comma-separated part that starts with a unit is skipped whole.
    words: list[str] = []
    number: str | None = None
    door_first = False  # the house number came before the street's words
    street: list[str] = []
    direction = ""  # the last direction before the street's name ("n" in "W North Ave")
    side = ""  # the first after it ("nw" in "Pennsylvania Ave NW")
    closed = False
    block = _BLOCK.search(raw)
    if block is not None:
        number = block.group(1).lower()
        door_first = True
        raw = raw[:block.start()] + raw[block.end():]
    numbered = any(c.isdigit() for c in raw)
    parts = raw.split(",")
    trailing = numbered and _door_last(parts)
    postal = _postal_part(parts)
    building: list[str] = []  # the name of a building read before the street's part
    boxed = False  # a part was a post office box
    typed = False  # a street's type was read
    for at, part in enumerate(parts):
        # The town's line after the street, or after a post office box ("Postbus 12, 1000
        # AB Amsterdam"): not the street's words, and its postcode is no house number.
        town_line = 0 < at <= postal and (
            (bool(street) and (number is not None or at == postal)) or (boxed and at == postal))
        # After a street known by its type ("Street", "Calle", "-straße") and its number, the
        # parts say where inside or around, not which street: "12 High Street, Shoreditch",
        # "C/ Mayor 3, 2º B", "Hauptstr. 5, Hinterhaus", "9 Morrow Ave, Dundas St W". An
        # untyped line may be a building's or an estate's, the street on the next ("51
        # Lakes Retirement Estate, Hurley Street"): read on.
        if town_line or (typed and street and number is not None):
            closed = True
        tokens = _part_tokens(part, at == 0 and not numbered)
        if at and street and _place_around(part, tokens, typed):
            closed = True
        box = bool(tokens) and tokens[0] in _PO_BOX_FIRST and _PO_BOX.match(part) is not None
        boxed = boxed or box
        inside = bool(tokens) and (box or _inside(tokens, part, boxed and not street))
        floors = _floors(tokens)
        if inside and street and number is not None:
            # "1 Jurong West Central 2, #01-33A, Jurong Point Shopping Centre": where inside,
            # then the building's name; the street was whole before.
            closed = True
        # The street's words before this part: a postcode follows the street's name in its
        # own part ("Rue de Rivoli 75001 Paris"), while "21001 N Tatum Blvd" after "Desert
        # Ridge Marketplace," leads its part with the house number.
        named = len(street)
        # Words read so far from parts with no door number name a building, an estate or an
        # area if a typed street follows ("ZI des Paluds, 123 avenue du Douard", "The Old
        # Barn, Church Road"), and a square or a plaza if a door on a typed street does
        # ("Mel Lastman Square, 5100 Yonge Street", "Hougang Plaza, 1189 Upper Serangoon Rd").
        named_only = bool(street) and number is None
        was_typed = typed
        part_typed = False
        sides = (direction, side)
        types: list[str] = []  # the street types' words of this part, read so far
        for i, token in enumerate(tokens):
            if i in floors:
                words.append(token)
                if street:
                    closed = True
                continue
            if token.endswith(_STRASSE) and token not in _STRASSE:
                token = token[: -len(next(s for s in _STRASSE if token.endswith(s)))] + "str"
            if not typed and (token.endswith(_TYPED_ENDS) or token in _LEADING_TYPES):
                typed = True  # "Hauptstr.", "Kalverstraat", "Keizersgracht", "Jalan ..."
                part_typed = True
            word = _ABBREVIATIONS.get(token) or _ORDINAL_WORDS.get(token, token)
            if word[-1] in "dht" and word[0].isdigit() and _ORDINAL.match(word):
                word = _ordinal(word[:-2])  # "E 93th St" is E 93rd St, as its digits say
            words.append(word)
            if inside:
                continue
            if closed:
                # "Via Roma, 12", "Boulevard of the Allies, 34": the number may follow a comma;
                # not the postcode of the town's line ("Jalan Ampang, 50450 Kuala Lumpur").
                if number is None and _HOUSE_NUMBER.match(word) and not (
                        town_line and at == postal and len(word) >= 4 and len(tokens) > 1):
                    number = word
                continue
            if word[0].isdigit() and (block or (trailing and at < len(parts) - 1 and len(tokens) > 1)):
                street.append(word)  # a number of the street's name ("Avenue 10")
            elif word[0].isdigit() and i and street and street[-1] == tokens[i - 1] in _NUMBERED_NAMES:
                # In its part: "Benoi Sector, 20" is door 20 of the street "Benoi Sector".
                street.append(word)
                typed = True  # "Sector 18": named and numbered, as a typed street is
                part_typed = True
                closed = number is not None  # "Plot 45 Sector 18 Gurgaon": then the town
            elif (word[0].isdigit() and (number is not None or types[-1:] == ["hwy"]
                                         or types[-1:] == ["rte"] or len(tokens) == 2)
                  and not street and types
                  and i and _ABBREVIATIONS.get(tokens[i - 1], tokens[i - 1]) == types[-1]):
                # A type and a number after the door's: "8-2-293, Road No. 12, Banjara
                # Hills" is on Road 12, in Banjara Hills; a highway's or a route's, or a part
                # that is a type and a number alone ("Street 81, Phnom Penh"), with no door.
                street.extend((types.pop(), word))
            elif word.isdigit() and i and tokens[i - 1] in _LANES and not closed:
                street.append(word)  # "Lorong 4 Toa Payoh", "Soi 21": the lane's number
            elif word.isdigit() and door_first and len(street) > named and (
                    tokens[i - 1] in _LANES or (len(word) <= 3 and i == len(tokens) - 1 and (
                        types or typed or street[0] in _LANES))):
                # After the door's number, a number that ends the street's part or follows
                # a lane's type is the street's: "10 Ang Mo Kio Ave 3", "456 Jurong West
                # Street 41", "12 Lorong 16 Geylang", "99/9 Soi Sukhumvit 21" (Ave 3 and
                # Ave 8 are two streets, as "Blk 10 Ang Mo Kio Ave 3" was read already).
                street.append(word)
            elif word.isdigit() and len(street) > named and _postcode_after(word, tokens, i):
                # "Rue de Rivoli 75001 Paris", "Kerkstraat 12 1017 GC Amsterdam": the town's
                # line without a comma; its postcode is no house number, its town no street.
                closed = True
            elif (word.isdigit() and not street and not types and len(word) <= 3
                  and _street_ordinal(tokens, i, number, door_first)):
                street.append(_ordinal(word))
            elif word[0].isdigit() and not _ORDINAL.match(word):
                if number is None and _HOUSE_NUMBER.match(word):
                    number = word
                    door_first = not street
            elif not street and not i and word in _CROSS:
                # "at Ellsworth Ave.", "Off Jalan Loyang Besar": the line names a street the
                # place is by, and no other; after a street's number, type or direction
                # ("4 E North Ave, at Federal St": North Ave), a cross street.
                closed = closed or (at > 0 and (number is not None or typed or bool(direction)))
                continue
            elif (word in _BUILDING_WORDS and len(street) > named and i == len(tokens) - 1
                  and number is None and at < len(parts) - 1):
                # "Empire State Building, 350 5th Ave": the part names a building, not where
                # inside one ("Building 3"); the street is in a part after it, if any is.
                building = [*street[named:], word]
                del street[named:]
            elif street and (word in _ENDS_STREET or (word == "and" and (
                    types or (direction and len(street) == 1 and _ORDINAL.match(street[0]))))):
                # "Yonge St & Bloor St": after a street known by its type, "and" names the
                # cross street of a corner, as "at" does.
                closed = True
            elif word not in _STREET_WORDS or (street and street[-1] in _ARTICLES):
                # After an article a type's word is the name's: "Via del Corso".
                street.append(word)
            elif word == _NEIGHBOURHOOD:
                street.clear()  # the words before named the neighbourhood, not the street
            elif word not in _DIRECTION_WORDS:
                typed = True  # a street's type: "Street", "Calle"
                part_typed = True
                types.append(word)
            elif not street:
                direction = word
            else:
                side = side or word  # "Pennsylvania Ave NW"
        if named_only and part_typed and len(street) > named and (
                not was_typed or number is not None):
            del street[:named]
            # Their direction too ("West Coast Park, ..."); not this part's ("350 W Granton Rd").
            direction = "" if direction == sides[0] else direction
            side = "" if side == sides[1] else side
        if not street and len(types) > 1 and not closed:
            # Types' words alone: all but the last name the street ("Court Street", "Plaza
            # Drive", "Avenue Road"), as a direction alone does ("North Street").
            street.extend(types[:-1])
    if not street and building:
        street = building  # "Sim Lim Tower, #05-56": no street but the building's name
    return (words, number, _street_text(street, direction, side)) if words else None


def _door_last(parts: list[str]) -> bool:
    """Is the house number written after the last comma, the street first ("Jurong West
    Street 41, 5", "Lorong 16 Geylang, 25": OpenStreetMap's street and housenumber joined)?
    Then a number inside the street's name names the street, as an ordinal does."""
    last = parts[-1].split() if len(parts) > 1 else []
    return (len(last) == 1 and _HOUSE_NUMBER.match(last[0].lower()) is not None
            and not parts[0].lstrip()[:1].isdigit())


def _postal_part(parts: list[str]) -> int:
    """The last part that holds a postcode (-1: none): the parts up to it after the street
    are the town's line ("75002 Paris"; "Springfield, IL 62701"; "London, SW1A 1AA")."""
    if len(parts) > 1:
        return next((i for i in range(len(parts) - 1, 0, -1)
                     if _POSTCODE_IN_PART.search(parts[i]) and not _street_line(parts[i])), -1)
    return -1


def _place_around(part: str, tokens: list[str], typed: bool) -> bool:
    """Does a part after the street's name the place around it: a town ("12 Claremont Park,
    Edinburgh"), or, after a street known by its type (``typed``), words with no number and
    no type ("High Street, Little Snoring", "Ocean Drive, South Beach")?"""
    return " ".join(tokens) in _town_names() or (
        typed and not any(ch.isdigit() for ch in part) and not any(map(_is_type, tokens)))


def _inside(tokens: list[str], part: str, unplaced_box: bool) -> bool:
    """Does a part say where inside, not which street? One that starts with a unit ("Suite
    200, 12 High St"), and the town after a post office box with no street yet ("PO Box 55,
    Springfield": ``unplaced_box``)."""
    first = tokens[0]
    return (first in _UNITS or first in _LOCALITIES
            or (first in _NUMBERED_UNITS and len(tokens) > 1 and tokens[1][0].isdigit())
            or (unplaced_box and not any(c.isdigit() for c in part)))


def _street_ordinal(tokens: list[str], i: int, number: str | None, door_first: bool) -> bool:
    """Is the number ``tokens[i]``, before any of the street's words or types, the street's
    ordinal written as a number ("E 14th St" written "E 14 St")?

    After the door's number and the line's direction or right after the door: "322 E 14 St",
    "100 W 57 St", before a type that ends the street (not before a name: "12-14 St James
    Ctr" is saint). With no door, second on the line after its direction: "E 14 St", "West
    93 And Broadway", before such a type or a corner's "and".
    """
    if number is not None:
        return (door_first and 0 < i + 1 < len(tokens)
                and (tokens[i - 1] == number
                     or _DIRECTIONS.get(tokens[i - 1], tokens[i - 1]) in _DIRECTION_WORDS)
                and _type_ends_street(tokens, i + 1))
    return (i == 1 and _DIRECTIONS.get(tokens[0], tokens[0]) in _DIRECTION_WORDS
            and i + 1 < len(tokens) and (_type_ends_street(tokens, i + 1) or (
                tokens[i + 1] == "and" and i + 2 < len(tokens)
                and not tokens[i + 2][0].isdigit())))


def _street_text(street: list[str], direction: str, side: str) -> str:
    """The street as read: its words, with the direction or side the line gave it."""
    while street and street[-1] == "and":
        street.pop()  # "Victoria Street, 87 & 89": the doors' "and", not the street's
    if direction and not street:
        # The direction is the street's name: "North Street", "5 South St", "W North Ave"
        # (the last one before the type).
        street.append(direction)
    elif direction or side:
        # In "W Ogden Ave", "E 42nd St", "North Bridge Road" it is the side of a street
        # or of a town, kept after the name (see street_side): often left out ("Ogden
        # Ave" is W Ogden), but "E 42nd St" is not "W 42nd St".
        street.append(_SIDE + (direction or side))
    return " ".join(street)


# Towns go by other names in other languages and spellings ("München", "Munich"; "Bombay",
# "Mumbai"; "Москва", "Moscow"; "Saigon", "Thành phố Hồ Chí Minh"): GeoNames' names of the
# towns of 100,000 people or more (prospect/data/towns.tsv.gz, bench/make_town_aliases.py).
@functools.lru_cache(maxsize=1)
def _town_names() -> dict[str, str]:
    data = resources.files("prospect.data").joinpath("towns.tsv.gz").read_bytes()
    names: dict[str, str] = {}
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, others = line.partition("\t")
            names.setdefault(name, name)  # the more populous town keeps a shared name
            for other in others.split("|"):
                names.setdefault(other, name)
    # A town listed apart that is another's other name reads as that one: "Manhattan" is
    # New York City's, and so is "NYC", which GeoNames gives to Manhattan.
    return {alias: names.get(name, name) for alias, name in names.items()}


# Chinese, Japanese and Korean towns are written with their kind or without ("深圳市" and
# "深圳", "東京都" and "東京", "서울특별시" and "서울"); GeoNames has them with it.
_TOWN_KINDS = ("市", "都", "府", "특별시", "광역시", "시")


def is_known_town(raw: str) -> bool:
    """Is ``raw`` the name of a town of 100,000 people or more, in any of its names
    ("New Delhi", "München")?"""
    return fold(raw) in _town_names()


@functools.lru_cache(maxsize=65536)
def town(raw: str) -> str:
    """A town's name folded, as GeoNames names it where it goes by others ("München" and
    "Munich": "munich"; "Bangalore": "bengaluru"); a town it does not list, folded."""
    folded = fold(raw)
    names = _town_names()
    found = names.get(folded)
    if found is None and not folded.isascii():
        found = next((names[folded + kind] for kind in _TOWN_KINDS if folded + kind in names),
                     None)
    return found or folded


def street_side(street: str) -> tuple[str, str]:
    """A read street's name and the side it is on, if it says ("ogden ~w": "ogden", "w")."""
    name, _, side = street.rpartition(" " + _SIDE)
    return (name, side) if name else (street, "")


# Malay, Indonesian and Arabic streets lead with their type, which the reading keeps as a
# word of the name ("Jalan Ampang", "Jln. Ampang", "Lorong 16 Geylang", "شارع التحلية"):
# it names no street.
_LEADING_TYPES = frozenset({"jalan", "jln", "jl", "lorong", "lor", "lrg", "lebuh", "persiaran",
                            "psrn", "gang", "gg", "شارع", "طريق"})  # Arabic street, road
_NOT_THE_NAME = _ARTICLES | _LEADING_TYPES
# Lanes numbered after their type or name: Singapore's "Lorong 16", Thailand's "Soi 21".
_LANES = frozenset({"lorong", "lor", "lrg", "soi"})


def street_name(street: str) -> str:
    """A read street without the articles that lead its name ("de la paix": "paix", "of
    the americas": "americas"): "rue de la Paix" and "rue de Rivoli" are two streets, and
    "Calle de Alcalá" is "Calle Alcalá"; nor the type Malaysia and Indonesia write first
    ("jalan ampang": "ampang", as "jln ampang" is; "Jalan Sultan" is another street)."""
    words = street.split()
    start = 0
    while start < len(words) - 1 and words[start] in _NOT_THE_NAME:
        start += 1
    return " ".join(words[start:]) if start else street


def normalize_postcode(raw: str) -> str | None:
    """Return a postcode upper-cased without spaces ("sw1a 1aa" -> "SW1A1AA"; ZIP+4 -> ZIP)."""
    # "DE-93437", "D-80331", "CH-8001", "A-1010": a country's letters before the digits.
    text = raw.strip().upper()
    if "-" in text:  # most postcodes have none: the pattern is for the few
        text = _COUNTRY_PREFIX.sub("", text)
    text = _POSTCODE_GAPS.sub("", text)
    # No country's postcodes are letters alone: "BERLIN" in a postcode column is a town (the
    # columns swapped, or a row shifted), and as a postcode it would be every such row's.
    if not text or not text.isalnum() or len(text) > 10 or text.isalpha():
        return None
    if len(text) == 9 and text.isdigit():  # US ZIP+4 written without the dash
        return text[:5]
    m = _ZIP4.fullmatch(raw.strip())
    return m.group(1) if m else text


def postcode_country(postcode: str) -> str | None:
    """The country a postcode's format names alone: "CA" for Canada's ("M5G 2E3"), else None."""
    return "CA" if _CANADIAN_POSTCODE.fullmatch(postcode.strip()) else None
