"""Records to leads, one at a time: candidates found by blocking keys, scored, joined to the
best or started anew (see :class:`Clusterer`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from prospect import normalize as n
from prospect.dedupe.evidence import (
    LISTED_APART,
    MATCH_THRESHOLD,
    PERSONAL_WEIGHTS,
    PLACE_CONFLICTS,
    SURE,
    Score,
    score,
)
from prospect.dedupe.places import (
    SAME_BLOCK_KM,
    SHARED_KEY,
    elsewhere,
    postcodes_may_agree,
)
from prospect.dedupe.profiles import AnyProfile, OneProfile, grow
from prospect.dedupe.stats import TokenStats
from prospect.keys import Signature, blocking_keys

__all__ = ["MAX_BLOCK", "Clusterer", "Decision", "Index", "MemoryIndex"]

# A blocking key shared by more leads than this is too common to find candidates with
# (a city-wide token); the other keys of the record still do.
MAX_BLOCK = 8
# What a shared blocking key says, in units: a word of the name in one place 2, the whole
# name without a place 2 (one name is in many towns), the head or tail of the name 1 (it
# mostly repeats a shared word), a rare one (two leads or fewer) or any other key 4. A
# candidate is scored from 4 units: one common word in one place, or one name in another
# town, is how strangers meet (such candidates are seldom one business, and in a large book
# the name-only ones are many); see assign().
_KEY_UNITS = {"t": 2, "h": 1, "l": 1, "c": 2, "g": 2}
_ENOUGH = 4
# A rare head or tail of the name (h, l) makes a candidate alone only where the two names'
# words could not meet: under different places, when one record lacks the postcode the
# words key under. Between two postcodes that differ, only a name alike at both ends (both
# keys) can outweigh the postcode; the rest are strangers.
_ENDS = frozenset("hl")


# Such a key (a site, mailbox or phone) alone makes a candidate no more than a word of the
# name does: score() weighs it as little, and in a large book namesakes in other towns
# share one site: such candidates grow with the book, and are seldom one business.
_WEAK_WHEN_SHARED = frozenset("dep")


class Index(Protocol):
    """Where the clusterer finds candidate leads and their profiles."""

    def leads_for_keys(self, keys: list[str]) -> list[Sequence[int]]:
        """Return the ids of the leads that carry each of ``keys``, key by key."""

    def profile(self, lead_id: int) -> AnyProfile:
        """Return the profile of lead ``lead_id``."""

    def add(self, lead_id: int, keys: Iterable[str], sig: Signature) -> None:
        """Record that lead ``lead_id`` now carries ``keys`` and one more observation."""

    def new_lead_id(self) -> int:
        """Return a fresh lead id."""

    def blocked(self, lead_id: int, forbidden: frozenset[int]) -> bool:
        """Say whether the user forbade joining an observation to ``lead_id``."""


@dataclass
class MemoryIndex:
    """An index held in dicts: the whole of it for a test, a cache in front of the book.

    A million leads carry some six million keys, so each is held compactly: by its
    string's hash (a collision costs one more candidate to score, never a wrong merge) and,
    for the many keys only one lead carries, by that lead's id instead of a list.
    """

    keys: dict[int, int | list[int]] = field(default_factory=dict)
    profiles: dict[int, AnyProfile] = field(default_factory=dict)
    next_id: int = 1

    def leads_for_keys(self, keys: list[str]) -> list[Sequence[int]]:
        """Return the ids of the leads that carry each of ``keys``, key by key."""
        # One call a record, not one a key: a record has eight keys or so.
        get = self.keys.get
        return [() if (found := get(hash(key))) is None else (found,) if isinstance(found, int)
                else found for key in keys]

    def put(self, key: str, lead_id: int) -> bool:
        """Record that ``lead_id`` carries ``key``; say whether that is new."""
        return bool(self.put_keys(lead_id, (key,)))

    def profile(self, lead_id: int) -> AnyProfile:
        """Return the profile of lead ``lead_id``."""
        return self.profiles[lead_id]

    def add(self, lead_id: int, keys: Iterable[str], sig: Signature) -> None:
        """Record that lead ``lead_id`` now carries ``keys`` and one more observation."""
        self.put_keys(lead_id, keys)
        grow(self.profiles, lead_id, sig)

    def put_keys(self, lead_id: int, keys: Iterable[str]) -> list[str]:
        """:meth:`put` each key; return those that are new to the lead."""
        # put, written out: a call per key would cost more than the work it does.
        table = self.keys
        new: list[str] = []
        for key in keys:
            h = hash(key)
            found = table.get(h)
            if found is None:
                table[h] = lead_id
            elif isinstance(found, int):
                if found == lead_id:
                    continue
                table[h] = [found, lead_id]
            elif lead_id in found:
                continue
            else:
                found.append(lead_id)
            new.append(key)
        return new

    def new_lead_id(self) -> int:
        """Return a fresh lead id."""
        self.next_id += 1
        return self.next_id - 1

    def blocked(self, lead_id: int, forbidden: frozenset[int]) -> bool:
        """Say whether the user forbade joining an observation to ``lead_id``."""
        return lead_id in forbidden


@dataclass(frozen=True)
class Decision:
    """Where an observation went: the lead, whether it is new, and why."""

    lead_id: int
    new: bool
    score: float
    reasons: tuple[tuple[str, float], ...]
    # Other leads the observation matched as well as it matched ``lead_id``, where that says
    # the leads are one (see Clusterer.assign): the caller merges them, saying ``why``.
    also: tuple[int, ...] = ()
    why: str = ""


class Clusterer:
    """Assigns observations to leads one at a time, through an :class:`Index`."""

    def __init__(self, *, index: Index, stats: TokenStats) -> None:
        self.index = index
        self.stats = stats

    def attach(self, sig: Signature, lead_id: int, why: str,
               keys: list[str] | None = None) -> Decision:
        """Join ``sig`` to a lead the caller already knows it belongs to; record the keys.

        ``keys``: ``blocking_keys(sig)`` if the caller has them (see :meth:`assign`).
        """
        self.index.add(lead_id, blocking_keys(sig) if keys is None else keys, sig)
        return Decision(lead_id, False, 1.0, ((why, 1.0),))

    def assign(self, sig: Signature, forbidden: frozenset[int] = frozenset(),
               keys: list[str] | None = None) -> Decision:
        """Join ``sig`` to its best-matching lead, or start a new one; record the keys.

        ``keys``: ``blocking_keys(sig)``, if the caller has them: a large import's worker
        process derives them, so that this one, which clusters, need not.
        """
        if keys is None:
            keys = blocking_keys(sig)
        hits, sizes, ends = _shared(keys, self.index.leads_for_keys(keys))
        # A record with nothing but a name (a patent register, a list of firms) has only
        # its words to be found by: every candidate they give is scored.
        enough = _ENOUGH if sig.city or sig.postcode else 1
        bare = _bare(sig)
        best: tuple[float, int, Score] | None = None
        matched: list[int] = []  # of a bare record: every lead it matches
        strong: list[tuple[int, Score]] = []  # the leads matched by SURE or more
        for lead_id, shared in hits.items():
            if shared < enough and not (lead_id in ends
                                        and postcodes_may_agree(sig, self.index.profile(lead_id))):
                continue
            if forbidden and self.index.blocked(lead_id, forbidden):
                continue
            if sig.position is not None and elsewhere(sig, self.index.profile(lead_id)):
                continue
            prof = self.index.profile(lead_id)
            # Scored as far as it could still beat the best, or be matched beyond doubt too
            # (where it shares what one business has: see SURE).
            floor = (MATCH_THRESHOLD if best is None or bare else
                     SURE if best[0] > SURE and _shares_one_of_a_kind(sig, prof) else best[0])
            result = score(sig, prof, self.stats, sizes, floor)
            if result.total >= MATCH_THRESHOLD:
                if bare:
                    matched.append(lead_id)
                if result.total >= SURE:
                    strong.append((lead_id, result))
                if best is None or result.total > best[0]:
                    best = (result.total, lead_id, result)
        if best is None:
            lead_id = self.index.new_lead_id()
            self.index.add(lead_id, keys, sig)
            return Decision(lead_id, True, 0.0, ())
        if sig.source is not None:
            self._learn(sig, best[1], best[2])
        self.index.add(best[1], keys, sig)
        also = self._one_with(best[1], matched) if len(matched) > 1 else ()
        why = "a name alone, matched both" if also else ""
        if len(strong) > 1:
            # Matched beyond doubt, twice or more: those leads are one (see SURE).
            sure = [lead for lead, result in strong if _one_of_a_kind(result.reasons)]
            if best[1] in sure and len(sure) > 1:
                also = tuple(dict.fromkeys([*also, *(lead for lead in sure if lead != best[1])]))
                why = why or f"matched both beyond doubt (each {SURE:g} or more)"
        return Decision(best[1], False, best[0], best[2].reasons, also, why)

    def _learn(self, sig: Signature, lead_id: int, result: Score) -> None:
        """Tell the stats what a match beyond doubt shows of the record's source."""
        assert sig.source is not None
        total = result.total
        if total < SURE:
            # Beyond doubt without the source's weight (what is learned must not feed on
            # itself): only where that weight was given.
            total -= sum(w for reason, w in result.reasons if reason == LISTED_APART)
            if total < SURE:
                return
        prof = self.index.profile(lead_id)
        listed = (prof.sig.source == sig.source if isinstance(prof, OneProfile)
                  else sig.source in prof.values().source)
        self.stats.matched_beyond_doubt(sig.source, listed)

    def _one_with(self, chosen: int, matched: list[int]) -> tuple[int, ...]:
        """Which other leads a bare record matched are one with the ``chosen`` lead.

        Records join leads one at a time, so the order they come in can split one firm:
        "Koninklijke Philips" arrives before any record that ties it to "Koninklijke
        Philips Electronics N.V." and starts a lead of its own; "Koninklijke Philips N.V."
        then matches both. A record with nothing but a name that matches two leads says
        they are one, where one of them has nothing but names too: two leads that each
        have a place may be two firms of one name, which a name cannot tell apart.
        """
        profile = self.index.profile
        chosen_bare = _bare_profile(profile(chosen))
        return tuple(lead_id for lead_id in matched
                     if lead_id != chosen and (chosen_bare or _bare_profile(profile(lead_id))))


def _shared(keys: list[str], found: list[Sequence[int]]
            ) -> tuple[dict[int, int], dict[str, int], set[int]]:
    """What the leads ``found`` under a record's ``keys`` share with it: each lead's units of
    shared keys (see _KEY_UNITS), each key's number of leads, and the leads that share a rare
    head or tail of the name (see _ENDS)."""
    hits: dict[int, int] = {}
    sizes: dict[str, int] = {}
    ends: set[int] = set()
    for key, leads in zip(keys, found, strict=True):
        sizes[key] = len(leads)
        if len(leads) <= MAX_BLOCK:
            # A word only one or two leads here carry is as telling as any other key.
            if len(leads) > SHARED_KEY and key[0] in _WEAK_WHEN_SHARED:
                units = _ENOUGH // 2
            elif len(leads) > 2:
                units = _KEY_UNITS.get(key[0], _ENOUGH)
            elif key[0] in _ENDS:
                units = _ENOUGH // 2
                ends.update(leads)
            else:
                units = _ENOUGH
            for lead_id in leads:
                hits[lead_id] = hits.get(lead_id, 0) + units
    return hits, sizes, ends


# What only one business or person has: its door, its line, its spot, its registry number,
# its tax number or birth date (with a name). Not a site or a mailbox: a chain's branches
# share them, and a record with nothing else matches every branch alike.
_ONE_OF_A_KIND = frozenset({"address", "phone", "registry id", *PERSONAL_WEIGHTS})


def _shares_one_of_a_kind(sig: Signature, prof: AnyProfile) -> bool:
    """Does a lead have the record's phone, door, registry or personal id, or its spot?"""
    values = prof.values()
    return bool((sig.phone and sig.phone in values.phone)
                or (sig.number and any(number == sig.number for number, _ in values.address))
                or (sig.ids and not set(sig.ids).isdisjoint(values.ids))
                or (sig.personal and not set(sig.personal).isdisjoint(values.personal))
                or (sig.position is not None and any(
                    n.distance_km(sig.position, p) <= SAME_BLOCK_KM for p in prof.positions)))


def _one_of_a_kind(reasons: tuple[tuple[str, float], ...]) -> bool:
    """Does a match rest on something only one business or person has, with nothing of the
    place against it (see SURE)?"""
    return not any(w < 0 and (label in PLACE_CONFLICTS or label.endswith(" apart"))
                   for label, w in reasons) and any(
        w > 0 and (label in _ONE_OF_A_KIND or label.endswith(" m apart")) for label, w in reasons)


def _bare(sig: Signature) -> bool:
    """Does a signature hold nothing but a name (and a country)?"""
    return not (sig.domain or sig.email or sig.phone or sig.number or sig.street
                or sig.postcode or sig.city or sig.ids or sig.personal or sig.position)


def _bare_profile(prof: AnyProfile) -> bool:
    """Does a lead's profile hold nothing but names (and countries)?"""
    if isinstance(prof, OneProfile):
        return _bare(prof.sig)
    v = prof.values()
    return not (prof.positions or v.domain or v.email or v.phone or v.address or v.postcode
                or v.city or v.ids or v.personal)
