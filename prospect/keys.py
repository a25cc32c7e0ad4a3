"""What a record is found by: its signature and the blocking keys of the lead book's index.

A record's :class:`Signature` is what dedupe compares; its :func:`blocking_keys` are the
entries of the book's ``lead_keys`` index under which its candidate leads are found. The
lead book keeps that index (after a merge, an unmerge, a forget, a migration) from this
module alone: how records are judged (``prospect.dedupe``) is not storage's business.
"""

from __future__ import annotations

import math
import operator
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import jellyfish

from prospect import normalize as n

__all__ = ["COUNTED", "IDS", "PERSONAL", "Signature", "blocking_keys", "cells", "record_keys",
           "signature", "value_counts"]

# A person's identifiers a record may carry (dedupe weighs each: see dedupe.evidence.PERSONAL_WEIGHTS).
PERSONAL = ("tax_id", "birth_date")


class Signature(NamedTuple):
    """What dedupe compares of one observation, derived from its normalised fields."""

    # A named tuple, not a dataclass: a million of them cross from the normalising worker
    # (see prospect.ingest.prepare), and a tuple pickles and unpickles in C.

    core: str
    family: str | None = None
    domain: str | None = None
    email: str | None = None
    phone: str | None = None
    number: str | None = None
    street: str = ""
    postcode: str | None = None
    city: str | None = None
    country: str | None = None
    ids: tuple[str, ...] = ()
    personal: tuple[str, ...] = ()
    position: tuple[float, float] | None = None  # (latitude, longitude)
    source: str | None = None  # who listed it (see dedupe.CountingStats.listed_apart)

    @property
    def compact(self) -> str:
        """The name core without spaces ("van dijk" and "vandijk" compare equal)."""
        return self.core.replace(" ", "")


# A firm's registry identifiers a record may carry (dedupe weighs agreement on one above all).
IDS = ("lei", "vat", "uscc", "company_number")


def signature(fields: Mapping[str, str], source: str | None = None) -> Signature:
    """Reduce a lead's normalised fields, listed by ``source``, to the signature dedupe
    compares."""
    name = n.normalize_name(fields.get("name", ""))
    # Where the country is not given, a postcode in a format of one country's says it.
    country = fields.get("country") or n.postcode_country(fields.get("postcode", ""))
    address = (n.street_and_number(fields["address"], country) if "address" in fields
               else None)
    phone = fields.get("phone")
    digits = n.national_digits(phone, fields.get("country")) if phone else None
    email = fields.get("email")
    domain = fields.get("domain")
    # Most records carry neither (a set test costs less than the generators).
    ids = () if fields.keys().isdisjoint(IDS) else tuple(
        f"{k}:{fields[k]}" for k in IDS if k in fields)
    personal = () if fields.keys().isdisjoint(PERSONAL) else tuple(
        f"{k}:{fields[k]}" for k in PERSONAL if k in fields)
    city = n.town(fields["city"]) if "city" in fields else None
    street, number = address if address else ("", None)
    lat, lon = fields.get("latitude"), fields.get("longitude")
    position = (float(lat), float(lon)) if lat and lon else None
    if position is not None and not (_fine(position[0]) and _fine(position[1])):
        position = None  # a town's centre, not a door: no evidence of which branch
    # In field order, not by keyword: a named tuple's keywords cost a microsecond a call.
    return _SIGNATURE((name.core, name.family, domain, email, digits, number, street,
                       fields.get("postcode"), city or None, fields.get("country"), ids,
                       personal, position, source))


_SIGNATURE = Signature._make

# The fields whose values the book counts beside its names' words (dedupe weighs agreeing on
# a common one less; how many records each source listed is what two of them meeting is
# compared with), by the letter that stands for each in a count's token. Not postcodes:
# one postcode is seldom most of a book (it holds a street or a few), and the nearly one
# each record has would cost the book a row and every import a count each.
COUNTED = (("city", "t"), ("family", "f"), ("source", "s"))
_COUNTED_FIELDS = operator.attrgetter(*(name for name, _ in COUNTED))


def value_counts(sigs: Iterable[Signature]) -> dict[str, int]:
    """How many of ``sigs`` carry each field of :data:`COUNTED` ("t ": a town) and each of
    its values ("t leeds"), as the book counts them beside its names' words (each token
    holds a space, which a name's word never does)."""
    counts: dict[str, int] = {}
    rows = [_COUNTED_FIELDS(sig) for sig in sigs]
    if not rows:
        return counts
    for (_, letter), column in zip(COUNTED, zip(*rows, strict=True), strict=True):
        found = Counter(value for value in column if value)
        if found:
            counts[f"{letter} "] = sum(found.values())
            counts.update((f"{letter} {value}", k) for value, k in found.items())
    return counts


# The grid a position's name words are keyed under (see blocking_keys): four grids offset by
# half a cell, so that two points less than half a cell apart on each axis share a cell in at
# least one of them, whichever side of a line they fall on.
_CELL_DEGREES = 0.006


def _fine(degrees: float) -> bool:
    """Is a coordinate finer than a town's? Not on the 0.01 degree grid (1.1 km) and not
    on whole arc minutes (1.85 km), where gazetteers put towns ("52.35", "51.9166667")."""
    # A whole minute kept to six decimals (51.416667) is 2e-5 of a minute off its whole;
    # 1e-4 of a minute is 18 cm.
    return not any(abs(degrees * step - round(degrees * step)) < 1e-4 for step in (100, 60))


def cells(position: tuple[float, float]) -> list[str]:
    """The grid cells a position's name words are keyed under ("g:<word>|<cell>")."""
    lat, lon = position[0] / _CELL_DEGREES, position[1] / _CELL_DEGREES
    return [f"{grid}{math.floor(lat + dy)},{math.floor(lon + dx)}"
            for grid, (dy, dx) in enumerate(((0.0, 0.0), (0.5, 0.0), (0.0, 0.5), (0.5, 0.5)))]


def _place(sig: Signature) -> list[str]:
    places = [f"c{sig.city}"] if sig.city else []
    if sig.postcode:
        places.append(f"z{sig.postcode}")
    return places or [f"k{sig.country or ''}"]


def _address_key(sig: Signature) -> str | None:
    """The blocking key of a signature's street address, if it has a number and a street.

    "1 High Street" is in every town: an address finds candidates in its own town. Without
    a town the street goes alone (a postcode is too often left out to be one).
    """
    if sig.number and sig.street:
        return f"a:{sig.number}|{n.street_name(sig.street).split()[0][:6]}|{sig.city or ''}"
    return None


def blocking_keys(sig: Signature) -> list[str]:
    """Return the keys under which a signature's candidate leads are found."""
    keys: list[str] = []
    if sig.domain and not n.is_shared_host(sig.domain):
        keys.append(f"d:{sig.domain}")
    if sig.email:
        keys.append(f"e:{sig.email}")
    if sig.phone and len(sig.phone) >= 7:
        keys.append(f"p:{sig.phone[-7:]}")
    keys.extend(f"i:{i}" for i in sig.ids)
    for item in sig.personal:
        if item.startswith("tax_id:"):
            keys.append(f"i:{item}")
        else:  # a birth date is shared by thousands, but rarely in one town
            keys.extend(f"b:{item.partition(':')[2]}|{place}" for place in _place(sig))
            # or by one name's word: a person who moved, or whose town is misspelt
            keys.extend(f"b:{item.partition(':')[2]}|n{token}"
                        for token in dict.fromkeys(sig.core.split()) if len(token) >= 2)
    address = _address_key(sig)
    if address:
        keys.append(address)
    compact = sig.compact
    if compact:
        alone = not keys and sig.position is None
        keys.append(f"c:{compact}")
        # The words of the name meet in the smaller place (the postcode, if known), its head
        # and tail in the larger (the town): a record that lacks one of the two still meets
        # the other. Words in the town too made a third of the keys and two thirds of the
        # candidates scored, nearly all strangers, and found no pair more on the benchmarks.
        places = _place(sig)
        if alone:
            # Nothing but a name (a register, a list of firms) is found by its words only: a
            # one-word name misspelt ("Uniliver", "Alkatel") met nothing. Its sound is a key.
            keys.append(f"m:{jellyfish.metaphone(compact)}|{places[0]}")
        if len(compact) >= 6:
            keys.append(f"h:{compact[:5]}|{places[0]}")
            keys.append(f"l:{compact[-5:]}|{places[0]}")
        # In the name's order, not a set's: a set's order changes with each process's
        # string hashing, and the order keys are looked up in settles ties.
        tokens = [token for token in dict.fromkeys(sig.core.split()) if len(token) >= 2]
        keys.extend(f"t:{token}|{places[-1]}" for token in tokens)
        if sig.position is not None:
            # Where a door is known, the name's words also meet around it: a record with no
            # town or postcode (an OSM node) finds the listing of the same shop, and a chain's
            # name, under too many leads town-wide to be a key, is a key in its street.
            around = cells(sig.position)
            keys.extend(f"g:{token}|{cell}" for token in tokens for cell in around)
            # And so do its first four letters: the same shop written otherwise ("Laing" and
            # "Laings", "Bar Burrito" and "BarBurrito", "Dollarama" and "Dollerama") shares
            # no word, but its head.
            head = compact[:4]
            if len(compact) >= 4 and head not in tokens:
                keys.extend(f"g:{head}|{cell}" for cell in around)
    return keys


def record_keys(records: Iterable[Mapping[str, str]]) -> set[str]:
    """Return the blocking keys of records' normalised fields, together (a lead's keys)."""
    return {key for fields in records for key in blocking_keys(signature(fields))}
