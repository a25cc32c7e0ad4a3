"""Map the column headers people put in spreadsheets to lead fields, in the languages traders use."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from importlib import resources

from prospect.normalize import BLANK_CELLS, fold

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["HEADER_SYNONYMS", "map_headers", "row_fields"]

# field -> header spellings, from data/headers.toml (compared after fold(): case, accents and
# punctuation ignored).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    field: tuple(spellings) for field, spellings in tomllib.loads(
        resources.files("prospect.data").joinpath("headers.toml").read_text("utf-8")).items()}

_LOOKUP = {fold(h): f for f, hs in HEADER_SYNONYMS.items() for h in hs}
_LOOKUP.update({fold(h).replace(" ", ""): f for f, hs in HEADER_SYNONYMS.items() for h in hs})


# Words that end many headers naming other things ("Account Number", "Order Date"): a
# header is read by its last words only where they say more than one of these.
_TOO_COMMON_TO_END = frozenset({"number", "no", "nr", "name", "id", "code", "type", "date"})
# Headers whose last words name a field they are not: a computer's address, a picture's or
# a map's link ("IP Address" is no door, "Image URL" no site).
_NOT_BY_END = frozenset({"ip address", "ip", "mac address", "image url", "photo url", "logo url",
                         "thumbnail url", "icon url", "picture url", "avatar url"})
# Fields that keep the values of all their columns (a page on each network), space-separated.
_GATHERED = frozenset({"profiles"})
# Fields that say a row is a person's: beside them a "Title" is a job title.
_PERSON = frozenset({"contact_name", "given_name", "surname", "birth_date", "tax_id"})
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# A word with a number written on: "phone1", "email2".
_GLUED_NUMBER = re.compile(r"(\D+?)\d{1,2}")


def _words(header: str) -> str:
    # "postalCode", "geometry.location.lat": the words as a person would write them (the
    # lookup also tries them without spaces, so "CompanyName" still meets "companyname").
    part = _PART.fullmatch(header)
    if part:
        base, _, what = part.groups()
        what = fold(what)
        if what in _LABEL_PARTS:  # "Phone 1 - Type": "Work", "Mobile"; names no field
            return ""
        # The number counts the contact's addresses or phones, not an address's lines:
        # "Address 2 - Formatted" is a second address, no "Address 2" (line two).
        header = base if what in _VALUE_PARTS else f"{base} {what}"
    return fold(_CAMEL.sub(" ", header))


# Google Contacts writes each field as "<field> <n> - <part>": "E-mail 1 - Value", "Phone 2 -
# Value", "Address 1 - Formatted", "Address 1 - City", "Organization 1 - Name".
_PART = re.compile(r"(.*?\D)\s*(\d{1,2})\s+-\s+(.+)")
_VALUE_PARTS = frozenset({"value", "formatted"})
_LABEL_PARTS = frozenset({"type", "label"})
# A person's whole name, where the file also has a firm's name and a person's names: the
# contact's (a contact list's "Name" beside "Given Name" and "Organization 1 - Name").
_WHOLE_NAME = frozenset({"name", "full name", "display name"})


def _field(words: str) -> str | None:
    return _LOOKUP.get(words) or _LOOKUP.get(words.replace(" ", ""))


def map_headers(headers: Sequence[str], overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return ``{header: field}`` for the headers that name a lead field; ``overrides`` win.

    A header is read whole first; one that names no field is read by its last words
    ("Full Address", "formatted_phone_number", "location.lat", as map scrapers and APIs
    export them). A field named by several headers ("Phone 1", "Phone 2", "Mobile"; "Email"
    twice; "Business Phone") takes each, those named whole first, each group in the file's
    order: a row's value is the first of them it fills (see :func:`row_fields`). A field the
    user mapped takes only the user's columns.
    """
    mapping: dict[str, str] = {}
    by_end: set[str] = set()  # headers read by their last words
    overrides = dict(overrides or {})
    mapped = set(overrides.values())

    def claim(header: str, fld: str, *, several: bool = True) -> None:
        if fld not in mapped and (several or fld not in mapping.values()):
            mapping[header] = fld

    for header in headers:
        if header in overrides:  # the user's word, as given
            mapping[header] = overrides[header]
    words_of = {header: _words(header) for header in headers}
    for header in headers:
        fld = None if header in mapping else _field(words_of[header])
        if fld:
            claim(header, fld)
    taken = set(mapping.values())
    if "name" not in taken and taken.isdisjoint(_PERSON):
        # A map scraper's or a feed's "title" is the place's name (Apify's Google Maps
        # export, RSS); beside a person's name it is a job title, and is left alone.
        title = next((h for h in headers if h not in mapping and words_of[h] == "title"), None)
        if title is not None:
            claim(title, "name")
    for header in headers:
        if header in mapping:
            continue
        # "Phone 1", "E-mail 2 Address", "phone1": one of several of the field, read
        # without its number; else by its last words ("Business Phone").
        tokens = words_of[header].split()
        glued = [g.group(1) if (g := _GLUED_NUMBER.fullmatch(w)) else w
                 for w in tokens if not w.isdigit()]
        if glued != tokens:  # it had a number
            fld = _field(" ".join(glued))
            if fld:
                claim(header, fld)
                continue
        if " ".join(glued) in _NOT_BY_END:
            continue
        tails = (" ".join(glued[start:]) for start in range(1, len(glued)))
        fld = next((f for tail in tails if tail not in _TOO_COMMON_TO_END and (f := _field(tail))),
                   None)
        if fld:
            claim(header, fld)
            by_end.add(header)
    names = [h for h, f in mapping.items() if f == "name" and h not in overrides]
    if len(names) > 1 and not set(mapping.values()).isdisjoint(("given_name", "surname")):
        for header in names:
            if words_of[header] in _WHOLE_NAME:
                del mapping[header]
                claim(header, "contact_name", several=False)
    # A field's columns named whole first, each in the file's order: the main phone or
    # e-mail stands first.
    at = {header: i for i, header in enumerate(headers)}
    return {h: mapping[h] for h in sorted(mapping, key=lambda h: (h in by_end, at[h]))}


def row_fields(row: Mapping[str, str], mapping: Mapping[str, str]) -> dict[str, str]:
    """Gather one row's values under lead field names (joining name and address parts)."""
    out: dict[str, str] = {}
    for header, fld in mapping.items():
        value = (row.get(header) or "").strip()
        if not value or value in BLANK_CELLS:  # "NULL", "#N/A": nothing, as an empty cell
            continue
        if fld not in out:  # of a field's several columns, the first filled
            out[fld] = value
        elif fld in _GATHERED:
            out[fld] = f"{out[fld]} {value}"
    given, surname = out.pop("given_name", ""), out.pop("surname", "")
    if (given or surname) and "contact_name" not in out:
        out["contact_name"] = f"{given} {surname}".strip()
    number = out.pop("street_number", "")
    if number:
        out["address"] = f"{number} {out.get('address', '')}".strip()
    line2 = out.pop("address_2", "")
    if line2:
        out["address"] = f"{out.get('address', '')}, {line2}".strip(", ")
    pair = out.pop("coordinates", "")
    if pair and "latitude" not in out and "longitude" not in out:
        # Unread, it goes whole as the latitude: the import then says why it left it out.
        out["latitude"], out["longitude"] = _coordinates(pair) or (pair, "")
    return out


# WKT and GeoJSON write a point's longitude first ("POINT(13.37 52.51)", "[13.37, 52.51]");
# a map's "copy coordinates" and most spreadsheets write its latitude first ("52.51, 13.37").
_WKT_POINT = re.compile(r"^\s*point\s*z?\s*\(\s*(\S+)\s+(\S+)(?:\s+\S+)?\s*\)\s*$", re.I)
_GEOJSON = re.compile(r"^\s*\[\s*([^,\s]+)\s*,\s*([^,\s\]]+)\s*(?:,[^\]]*)?\]\s*$")
_PAIR = re.compile(r"^\s*\(?\s*([^,;/\s]+(?:\s*°[^,;/]*)?)\s*[,;/]\s*([^,;/)]+?)\s*\)?\s*$")


def _coordinates(text: str) -> tuple[str, str] | None:
    """A position written in one column, as (latitude, longitude) text; ``None`` if unread."""
    if text.count(";") == 1:  # "52,5163; 13,3777": decimal commas, the pair by a semicolon
        first, second = text.strip(" ()").split(";")
        return first.strip(), second.strip()
    for pattern, swapped in ((_WKT_POINT, True), (_GEOJSON, True), (_PAIR, False)):
        m = pattern.match(text)
        if m is not None:
            first, second = m.group(1).strip(), m.group(2).strip()
            return (second, first) if swapped else (first, second)
    # "52.5163 13.3777": two decimals apart by a space.
    parts = text.split()
    if len(parts) == 2 and all(re.fullmatch(r"[-+]?\d+\.\d+", p) for p in parts):
        return parts[0], parts[1]
    return None
