"""Where a business is and how it is reached: street address, position, postcode, town and
phone, weighed as evidence."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from prospect import normalize as n
from prospect.dedupe.profiles import AnyProfile
from prospect.dedupe.stats import TokenStats
from prospect.keys import Signature, _address_key

__all__ = [
    "FAR_KM", "SAME_BLOCK_KM", "SAME_SPOT_KM", "SHARED_KEY", "SPOT_WEIGHT", "address_bound",
    "elsewhere", "key_weight", "postcodes_may_agree", "weigh_locality", "weigh_phone",
    "weigh_place",
]

# Keys that more leads than this share stop counting as identity evidence (switchboards,
# group domains); see evidence.score().
SHARED_KEY = 3


# One business is in one place. On the shared data with ground truth and positions, records
# of one business from two sources lay within 0.44 km in 99 % of pairs (OSM against Yelp,
# Pittsburgh; all within 1.02 km), while different businesses of one name lay 0.6-0.7 km
# apart at the 5th percentile and 3-8 km at the median. Past this distance a lead is another
# place, so another business (a chain's branch), unless something only one business has
# agrees.
FAR_KM = 1.0


# Where two records of one place put it: two sources' geocoders (a door, a building's
# centre, a parcel) differ by tens of metres; a hundred and fifty metres is a city block.
# Within that, the positions say "the same spot" more precisely than two ways of writing an
# address can (OSM's "Mall Drive" and Yelp's "100 Robinson Center Dr" for one shop); farther
# apart the street address is the better witness and the distance only adds its doubt.
SAME_SPOT_KM = 0.05
SAME_BLOCK_KM = 0.15
_NEARBY_KM = 0.5
# What a distance says, as log-odds like every other weight: at the same spot a namesake
# (another branch) is rare, as many shops of one name a street apart are; half a kilometre
# to FAR_KM is where a chain's branches are, and seldom where one place is put twice.
SPOT_WEIGHT = 3.0
_DISTANCE_WEIGHTS = ((SAME_SPOT_KM, SPOT_WEIGHT), (SAME_BLOCK_KM, 2.0), (_NEARBY_KM, 0.0), (FAR_KM, -2.0))
def elsewhere(sig: Signature, prof: AnyProfile) -> bool:
    """Is the lead somewhere else (every position it has over FAR_KM away), with nothing
    that only one business has in common (a registry id, the mailbox, the phone, the door)?

    Such a lead is another branch of a chain, whatever the name, site or brand say.
    """
    assert sig.position is not None
    positions = prof.positions
    if not positions or any(n.distance_km(sig.position, p) <= FAR_KM for p in positions):
        return False
    values = prof.values()
    if sig.ids and not set(sig.ids).isdisjoint(values.ids):
        return False
    if sig.email and sig.email in values.email:
        return False
    if sig.phone and sig.phone in values.phone:
        return False
    # One door in one town is one place, wherever a geocoder put it: "2126 E Cactus Rd,
    # 85022" geocoded 5.7 km from "2126 East Cactus, Phoenix, AZ 85022".
    return not (sig.number and sig.street and (sig.postcode in values.postcode
                                               or sig.city in values.city)
                and any(number == sig.number and street and _same_street(sig.street, street)
                        for number, street in values.address))


def _distance(sig: Signature, positions: tuple[tuple[float, float], ...]
              ) -> tuple[str, float, bool] | None:
    """The position evidence: (reason, weight, the same spot or block), by the nearest position."""
    if sig.position is None or not positions:
        return None
    km = min(n.distance_km(sig.position, p) for p in positions)
    for bound, w in _DISTANCE_WEIGHTS:
        if km <= bound:
            return (f"{km * 1000:.0f} m apart", w, km <= SAME_BLOCK_KM)
    return (f"{km:.1f} km apart", _DISTANCE_WEIGHTS[-1][1], False)


def _same_block(a: str, b: str) -> bool:
    """Say whether two phones differ only in their last three digits (one PBX's number block)."""
    return len(a) == len(b) >= 7 and a[:-3] == b[:-3]


def _near(a: str, b: str) -> bool:
    return a == b or (len(a) > 3 and len(b) > 3 and fuzz.ratio(a, b) >= 80)


_DIGITS = re.compile(r"\d+")


def _same_street(a: str, b: str) -> bool:
    if a == b:
        return True
    number_a, number_b = _DIGITS.search(a), _DIGITS.search(b)
    if number_a and number_b and number_a.group() != number_b.group():
        # Streets numbered in their names: "Ang Mo Kio Avenue 10" and "... Avenue 8",
        # "Sector 18" and "Sector 19", "Highway 7" and "Highway 27", soi 21 and soi 23;
        # by the digits of the first number ("Highway 7 E" is "hwy 7e", "Highway 7 East"
        # "hwy 7 ~e"; a floor left in a line, "59th Street 1st", comes after).
        return False
    if a.isascii() != b.isascii():
        # One written in its own script, one in Latin letters ("科技园路", "keji yuan"):
        # the two in Latin letters, without spaces; the type is often left untranslated.
        x = (n.romanized(a) or a).replace(" ", "")
        y = (n.romanized(b) or b).replace(" ", "")
        return min(len(x), len(y)) >= 4 and (x.startswith(y) or y.startswith(x)
                                              or fuzz.ratio(x, y) >= 85)
    (a, side_a), (b, side_b) = n.street_side(a), n.street_side(b)
    if side_a and side_b and side_a != side_b:
        return False  # "E 42nd St" and "W 42nd St"; one side left out may be either
    # The name's first word, not an article's ("de la paix" and "de rivoli" are two).
    a, b = n.street_name(a), n.street_name(b)
    # Address lines come swapped, split or with typos in the street type: compare token sets.
    if a == b or a.split()[0] == b.split()[0]:
        return True
    if len(a) <= 3 or len(b) <= 3:
        return False
    first = fuzz.ratio(a.split()[0], b.split()[0]) >= 80 if a[0] == b[0] else False
    return first or fuzz.token_set_ratio(a, b) >= 80 or fuzz.partial_ratio(a, b) >= 85


def key_weight(shared: Mapping[str, int], key: str, strong: float) -> float:
    """A key many leads carry (a switchboard, a group's domain) is weak evidence."""
    return strong if shared.get(key, 1) <= SHARED_KEY else min(strong, 1.5)


def weigh_locality(sig: Signature, postcodes: tuple[str, ...], cities: tuple[str, ...], placed: bool,
              reasons: list[tuple[str, float]], stats: TokenStats) -> None:
    """Add the postcode and town evidence; at one spot or block (``placed``) they say no more."""
    same_postcode = False
    if sig.postcode and postcodes:
        if sig.postcode in postcodes:
            same_postcode = True
            reasons.append(("postcode", 0.0 if placed else 1.0))
        elif not any(OSA.distance(sig.postcode, p, score_cutoff=1) <= 1 for p in postcodes):
            reasons.append(("postcode differs", -1.5))
    if sig.city and cities:
        if sig.city in cities or any(_near(sig.city, c) for c in cities):
            reasons.append(("city", 0.0 if placed else stats.agreement("t", sig.city, 0.5)))
        elif same_postcode:
            # The postcode pins the place; the town's name is the looser label (a
            # neighbourhood, "Long Island City" for Queens, "Manhattan" for New York).
            reasons.append(("town named otherwise, same postcode", 0.0))
        else:
            reasons.append(("city differs", -2.0))


def weigh_phone(phone: str, phones: tuple[str, ...], shared: Mapping[str, int]) -> tuple[str, float]:
    """The phone evidence: the same number (weak if many leads share it), its block, or not."""
    # Loops, not any() over a generator: most leads have one phone.
    for p in phones:
        if phone.endswith(p[-7:]) and (p.endswith(phone) or phone.endswith(p)):
            return ("phone", key_weight(shared, f"p:{phone[-7:]}", 4.0))
    if any(_same_block(phone, p) for p in phones):
        # 850-7000 and 850-7176: direct lines of one switchboard's block of a thousand
        # numbers. Not proof (a district's schools share one), so it counts neither way.
        return ("phone of the same block", 0.0)
    return ("phone differs", -1.5)


def weigh_place(sig: Signature, prof: AnyProfile, addresses: tuple[tuple[str, str], ...],
           reasons: list[tuple[str, float]], address_bound: float | None,
           shared: Mapping[str, int]) -> bool:
    """Add the street address and distance evidence; say whether the two are at one spot or
    block (where the postcode and town are bound to agree, and say no more). At one spot
    the address is compared whatever ``address_bound`` says: the better of the two counts."""
    where = _distance(sig, prof.positions) if sig.position is not None else None
    placed = where is not None and where[2]
    if (sig.number or sig.street) and addresses:
        address = (_busy(sig, _address(sig, addresses), shared) if address_bound is None
                   else ("address differs", address_bound))
        if where is not None and placed:
            # The same spot or block: the better of the two says where, not their sum
            # (one building gives one address and one position: the same evidence twice).
            reasons.append(address if address[1] >= where[1] else where[:2])
            return True
        reasons.append(address)
    if where is not None:
        reasons.append(where[:2])
    return placed


def _busy(sig: Signature, address: tuple[str, float], shared: Mapping[str, int]
          ) -> tuple[str, float]:
    """An address many leads of the book share (a mall, an office tower, a market hall) is a
    building of many businesses: agreeing on it says as little as a shared switchboard."""
    key = _address_key(sig) if address[1] > 0 else None
    holders = shared.get(key, 1) if key else 1
    return address if holders <= SHARED_KEY else (f"address of {holders} leads", min(address[1], 1.5))


def _address(sig: Signature, addresses: tuple[tuple[str, str], ...]) -> tuple[str, float]:
    """The address evidence: the best of the lead's (house number, street) pairs."""
    best = -4.0
    # A street read as a direction alone ("North St", "5 South St") is told only from another
    # such street: beside a named one it may be a misread line ("W Noth", "East 51 Street"),
    # as a street not read at all is.
    lone = n.is_direction(sig.street)
    for number, street in addresses:
        street_ok = bool(sig.street and street and _same_street(sig.street, street))
        known = bool(sig.street and street) and lone == n.is_direction(street)
        if sig.number and number:
            if sig.number == number:
                w = 4.5 if street_ok or not known else -3.0
            elif street_ok:
                # "158" for "185", "2" for "27": a slip of the keyboard costs less than
                # a house number of its own; "128" for "130", a door or two along the same
                # side, less again (one shop over two doors, or a neighbour: the names say).
                w = (-1.0 if _next_door(sig.number, number) else
                     -2.5 if OSA.distance(sig.number, number, score_cutoff=1) <= 1 else -4.0)
            else:
                w = -3.0
        else:
            w = 0.5 if street_ok else -0.5
        best = max(best, w)
    return ("address" if best > 0 else "address differs", best)


def _next_door(a: str, b: str) -> bool:
    """Are two house numbers a door or two apart on the same side of a street (128, 130)?"""
    return a.isdigit() and b.isdigit() and a != b and (int(a) - int(b)) % 2 == 0 \
        and abs(int(a) - int(b)) <= 4


def postcodes_may_agree(sig: Signature, prof: AnyProfile) -> bool:
    """Say whether a lead's postcodes leave it possibly where ``sig`` is: none, or one alike."""
    if not sig.postcode:
        return True
    postcodes = prof.values().postcode
    return not postcodes or any(p == sig.postcode or OSA.distance(sig.postcode, p, score_cutoff=1) <= 1
                                for p in postcodes)


def address_bound(sig: Signature, addresses: tuple[tuple[str, str], ...]) -> float | None:
    """The most :func:`_address` can give without comparing streets, if it is below zero."""
    if not sig.number:
        return None
    bound = -4.0
    for number, _ in addresses:
        if not number or number == sig.number:
            return None  # the streets decide, either way
        # A door or two along -1.0, one keystroke apart -2.5 on the same street, else at most
        # -3.0 (see _address).
        near = OSA.distance(sig.number, number, score_cutoff=1) <= 1
        bound = max(bound, -1.0 if _next_door(sig.number, number) else -2.5 if near else -3.0)
    return bound
