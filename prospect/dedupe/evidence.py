"""The evidence model: a record against a lead, field by field, as log-odds for "same
business" (see :func:`score`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from prospect.dedupe.names import (
    NAME_BEST,
    directions_differ,
    divisions_differ,
    facility_of,
    hosts,
    kinds_differ,
    letters_differ,
    nothing_in_common,
    numbers_differ,
    parts_differ,
    weigh_names,
)
from prospect.dedupe.places import (
    SHARED_KEY,
    SPOT_WEIGHT,
    address_bound,
    key_weight,
    weigh_locality,
    weigh_phone,
    weigh_place,
)
from prospect.dedupe.profiles import AnyProfile, Values
from prospect.dedupe.stats import TokenStats
from prospect.keys import Signature, cells

__all__ = [
    "LISTED_APART", "MATCH_THRESHOLD", "PERSONAL_WEIGHTS", "PLACE_CONFLICTS", "SURE", "Score",
    "score",
]

MATCH_THRESHOLD = 4.5
# A match beyond doubt: evidence twice what a match needs (odds of 2^9 to one). A record
# that matches two leads so says they are one (see clusterer.Clusterer.assign): records come one at a
# time, so a person or a firm whose first two records missed each other (a typo in each)
# starts two leads, which a third record that agrees with both then shows are one. At
# the threshold itself, that would join a chain's branches through a record alike to both.
SURE = 2 * MATCH_THRESHOLD


# A person's identifiers, typed by hand and so often one keystroke off: (agree, one edit
# apart, differ). Two strangers share a tax number almost never and a birth date about once
# in 25,000 pairs, so agreement says much; a differing value is as often a typing slip as
# another person, so it says less than a differing registry id (which is checksummed).
PERSONAL_WEIGHTS: dict[str, tuple[float, float, float]] = {
    "tax_id": (8.0, 2.5, -2.0),
    "birth_date": (5.0, 1.0, -2.0),
}


PLACE_CONFLICTS = frozenset({"address differs", "postcode differs", "city differs",
                              "phone differs"})


@dataclass(frozen=True)
class Score:
    """A candidate's score and the evidence behind it, field by field."""

    total: float
    reasons: tuple[tuple[str, float], ...]


def score(sig: Signature, prof: AnyProfile, stats: TokenStats,
          key_leads: Mapping[str, int] | None = None, floor: float | None = None) -> Score:
    """Score how likely ``sig`` is the business ``prof`` describes; each reason is (field, w).

    The evidence model is two steps: :func:`_facts` (who and where the records say the
    business is) and :func:`_judge` (what the names say, and what they change). With
    ``floor``, a candidate that cannot reach it whatever its name says is given up before
    the names are compared (the costly part), with a total of minus infinity and no
    reasons; any other candidate scores as it would without one.
    """
    shared = key_leads or {}
    values = prof.values()
    if floor is None or not (sig.core and values[0]):
        return _judge(sig, values, stats, shared, _facts(sig, prof, values, shared, stats))
    # The bail-outs. Each gives up only what the whole model scores below the floor: the
    # facts with a bound for the address (above what comparing the streets can give) sum to
    # no less than the facts, and the names add at most NAME_BEST.
    bound = address_bound(sig, values[5])
    if bound is not None and _short_of(_facts(sig, prof, values, shared, stats, bound), floor):
        return _GIVEN_UP
    facts = _facts(sig, prof, values, shared, stats)
    if _short_of(facts, floor):
        return _GIVEN_UP
    return _judge(sig, values, stats, shared, facts)


def _facts(sig: Signature, prof: AnyProfile, values: Values, shared: Mapping[str, int],
           stats: TokenStats, address_bound: float | None = None) -> list[tuple[str, float]]:
    """The evidence but the names': identifiers, contacts, where, and what a chain shares.

    With ``address_bound``, the address counts as that (see :func:`address_bound`).
    """
    (_, families, domains, emails, phones, addresses, postcodes, cities, countries, ids,
     personal, sources) = values
    reasons = _identifiers(sig, ids, personal)
    if sig.source and sig.source in sources:
        # The lead holds an entry of this record's source already: the source lists the two
        # apart. What that says, the book's own matches tell (see listed_apart).
        apart = stats.listed_apart(sig.source)
        if apart:
            reasons.append((LISTED_APART, apart))
    # A web site and a mail address name an organisation, not one of its places: weighed
    # after the place evidence below.
    organisation: list[tuple[str, str, float]] = []
    if sig.domain and domains:
        if sig.domain in domains:
            organisation.append(("domain", f"d:{sig.domain}", 5.0))
        else:
            reasons.append(("domain differs", -2.5))
    if sig.email and emails:
        if sig.email in emails:
            organisation.append(("email", f"e:{sig.email}", 5.0))
        elif not (sig.domain and sig.domain in domains):
            reasons.append(("email differs", -0.5))
    if sig.phone and phones:
        reasons.append(weigh_phone(sig.phone, phones, shared))
    placed = weigh_place(sig, prof, addresses, reasons, address_bound, shared)
    weigh_locality(sig, postcodes, cities, placed, reasons, stats)
    if sig.country and countries and sig.country not in countries:
        reasons.append(("country differs", -5.0))
    _branches(organisation, shared, reasons)
    if sig.family and families and sig.family in families:
        # "N.V." on both sides is weak evidence (many firms are an N.V.), and only offered
        # to tip a near-identical name. A different form says nothing: a group's companies
        # carry one name under several ("Unilever PLC", "Unilever N.V."), and a foreign
        # register writes a firm's form in its own terms ("Philips Electronics Co., Ltd.").
        reasons.append(("legal form", stats.agreement("f", sig.family, 1.0)))
    return reasons


LISTED_APART = "listed apart by its source"


def _branches(organisation: list[tuple[str, str, float]], shared: Mapping[str, int],
              reasons: list[tuple[str, float]]) -> None:
    """Weigh the shared site and mailbox, and the phone, as one place's or a chain's.

    Two or more place facts in conflict (street address, postcode, city, phone, distance),
    or another street address (its own number on another street, -3 or less), with the same
    site or mailbox is another branch of one organisation, a shop of a chain: the shared
    domain then says no more than a group's domain does, and one phone at both is the
    organisation's central line.
    """
    conflicts = [w for label, w in reasons
                 if w < 0 and (label in PLACE_CONFLICTS or label.endswith(" apart"))]
    elsewhere = len(conflicts) >= 2 or any(
        w <= -3.0 for label, w in reasons if label == "address differs")
    for label, key, strong in organisation:
        w = min(strong, 1.5) if elsewhere else key_weight(shared, key, strong)
        reasons.append((label if not elsewhere else f"{label} (another branch)", w))
    if elsewhere:
        reasons[:] = [("phone (another branch)", min(w, 1.5)) if label == "phone" else (label, w)
                      for label, w in reasons]


def _identifiers(sig: Signature, ids: tuple[str, ...], personal: tuple[str, ...]
                 ) -> list[tuple[str, float]]:
    """Registry ids and a person's identifiers: agreeing, one keystroke apart, or not."""
    reasons: list[tuple[str, float]] = []
    if sig.ids and ids:
        if set(sig.ids) & set(ids):
            reasons.append(("registry id", 8.0))
        elif {i.split(":")[0] for i in sig.ids} & {i.split(":")[0] for i in ids}:
            reasons.append(("registry id differs", -6.0))
    differing = 0
    for item in sig.personal:
        kind, _, value = item.partition(":")
        theirs = [p.partition(":")[2] for p in personal if p.startswith(kind + ":")]
        if theirs:
            agree, near, differ = PERSONAL_WEIGHTS[kind]
            if value in theirs:
                reasons.append((kind, agree))
            elif any(OSA.distance(value, t, score_cutoff=1) <= 1 for t in theirs):
                reasons.append((f"{kind} one edit apart", near))
            else:
                reasons.append((f"{kind} differs", differ))
                differing += 1
    if differing > 1:
        # One slip is common; two unrelated ones at once are another person (father and son).
        reasons.append(("no personal id agrees", -3.0))
    return reasons


def _judge(sig: Signature, values: Values, stats: TokenStats, shared: Mapping[str, int],
           reasons: list[tuple[str, float]]) -> Score:
    """Weigh the names beside the facts: how alike, one inside the other, one at the other's
    place, their numbers; a building's tenants; a name the book holds at several places."""
    cores = values[0]
    if not (sig.core and cores):
        return Score(sum(w for _, w in reasons), tuple(reasons))
    alone = all(label == "legal form" for label, _ in reasons)
    reasons.insert(0, weigh_names(
        sig.core, cores, stats, alone=alone,
        local=_local_words(sig, shared), anchored=any(
            (w > 0 and label in ("address", "phone"))
            or (w >= SPOT_WEIGHT and label.endswith(" m apart")) for label, w in reasons),
        streets=(sig.street, values.address)))
    # "Blk 212" and "Blk 211", "Car Park 3" and "Car Park 5", "Store #1042", "Building D"
    # and "Building J": a number or letter in a name is a block's, a branch's or a store's,
    # as a house number is a door's.
    outlets = False
    if numbers_differ(sig.core, cores):
        reasons.append(("numbers in the names differ", -4.0))
    elif letters_differ(sig.core, cores):
        reasons.append(("letters ending the names differ", -4.0))
    elif directions_differ(sig.core, cores):
        reasons.append(("directions in the names differ", -4.0))
    elif divisions_differ(sig.core, cores):
        reasons.append(("divisions in the names differ", -4.0))
    elif outlets := kinds_differ(sig.core, cores):
        # "Ritz-Carlton Cafe" and "Ritz-Carlton Dining Room": two outlets of one host, at
        # its address and switchboard, which say where once.
        reasons.append(("kinds of venue in the names differ", -4.0))
    elif outlets := facility_of(sig.core, cores):
        # "Nan Hua High School" and "Nan Hua High School Canteen", "Raffles Town Club" and
        # "Swimming Pool | Raffles Town Club": a place and a facility in it, which a
        # directory of venues lists apart, at the place's address, line and spot.
        reasons.append(("a facility of the place the other names", -4.0))
    elif (not alone and not any(label == "phone" for label, _ in reasons)
          and parts_differ(sig.core, cores)):
        # A campus's buildings, a park's stands, a hospital's clinics: named after the
        # place, each in words of its own. Not where a register holds names alone (a
        # group's firms extend its name in many ways), nor where one phone line is
        # reached at both (one site, named by its organisation in one list and by its
        # programme in another).
        reasons.append(("names of two parts of one place", -4.0))
    if outlets or reasons[0][1] <= -2.0:
        _one_building(sig.core, cores, reasons, outlets)
    total = sum(w for _, w in reasons)
    if total >= MATCH_THRESHOLD and all(v <= 0 or label == "city" for label, v in reasons[1:]):
        holders = shared.get(f"c:{sig.compact}", 0)
        if holders >= 2:
            # The book holds this name at two places or more (a chain's branches, kept
            # apart by where they are): the name alone cannot say which one this is.
            reasons.append((f"name of {holders} leads", -1.0))
            total -= 1.0
    return Score(total, tuple(reasons))


def _one_building(core: str, cores: tuple[str, ...], reasons: list[tuple[str, float]],
                  outlets: bool = False) -> None:
    """Count the place facts once where unlike names share a building (in ``reasons``);
    ``outlets``: the names are one host's outlets or a place and its facility (see
    :func:`kinds_differ`, :func:`facility_of`).

    A hotel and its restaurant, a casino's restaurants, a mall and a shop in it: one
    building gives them its address, its switchboard and its spot, so together these say
    where, once. The names say two businesses when one names a host building or the two
    share nothing (a site that goes by its operator's name and by its own still shares a
    word or its initials: "CSC" and "Community Service Center").
    """
    place = [i for i, (label, w) in enumerate(reasons)
             if w > 0 and (label in ("address", "phone") or label.endswith(" apart"))]
    if len(place) > 1 and (outlets or hosts(core) or any(map(hosts, cores))
                           or nothing_in_common(core, cores)):
        strongest = max(place, key=lambda i: reasons[i][1])
        for i in place:
            if i != strongest:
                reasons[i] = (f"{reasons[i][0]} of the same building", 0.0)


def _local_words(sig: Signature, shared: Mapping[str, int]) -> Callable[[str], bool] | None:
    """Which words of the record's name many leads around it carry in theirs (where its
    position is known): a neighbourhood's name, a campus's, a mall's."""
    position = sig.position
    if position is None:
        return None

    def local(word: str) -> bool:  # asked only where one name may be inside the other
        return max(shared.get(f"g:{word}|{cell}", 0) for cell in cells(position)) > SHARED_KEY
    return local


_GIVEN_UP = Score(-math.inf, ())


def _short_of(reasons: list[tuple[str, float]], floor: float) -> bool:
    """Say whether the evidence so far stays below ``floor`` whatever the names say."""
    total = 0.0  # in order, as sum() adds: a loop costs less than sum() over a generator
    for _, w in reasons:
        total += w
    return total + NAME_BEST < floor
