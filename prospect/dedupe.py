"""Incremental, explainable deduplication: does this observation belong to a lead we have?

A new observation is reduced to a :class:`Signature`. Its blocking keys (registered domain,
e-mail, phone digits, registry identifiers, house number + street in its town, the name's
words in its postcode or town and around its position, the name's head and tail in its
town) find the candidate leads: those that share one key other than a common word of the
name, or more than one such word. Each candidate is scored field by field, with weights read
as log-odds evidence for "same business": agreement on a rare exact key counts a lot, a
conflict on a strong key (a different house number, domain, registry id or country) counts
against, a distance says how likely one spot is, and a name alone must be nearly identical
to count. The observation joins the best candidate whose score reaches
:data:`MATCH_THRESHOLD`, or starts a new lead. The weights are set by what each agreement
means, never fitted to a benchmark's labels; what the book's own records say adjusts them:
how many names carry a word, how many leads share a key, how many records a town or a
legal form (agreeing on one that most records carry says little: see
:meth:`CountingStats.agreement`).

Guards against chaining strangers together: a record is compared with the whole lead (every
distinct value its observations carried), conflicts are judged against all of them, keys
that many leads share (a switchboard phone, a franchise's domain, a mall's street address)
lose their weight, and a shared web site or mailbox does not join two places of one chain
(see :func:`score`).

Nothing here does I/O: :class:`Clusterer` asks an index for candidates and profiles, which
the lead book backs with SQLite (``prospect.storage``) and tests back with dicts.
"""

from __future__ import annotations

import functools
import math
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from prospect import normalize as n
from prospect.keys import (
    Signature,
    _address_key,
    blocking_keys,
    cells,
    signature,
    value_counts,
)

__all__ = [
    "MATCH_THRESHOLD",
    "AnyProfile",
    "Clusterer",
    "Decision",
    "Index",
    "MemoryIndex",
    "OneProfile",
    "Profile",
    "Signature",
    "Values",
    "blocking_keys",
    "grow",
    "name_evidence",
    "score",
    "signature",
    "value_counts",
]

MATCH_THRESHOLD = 4.5
# A match beyond doubt: evidence twice what a match needs (odds of 2^9 to one). A record
# that matches two leads so says they are one (see Clusterer.assign): records come one at a
# time, so a person or a firm whose first two records missed each other (a typo in each)
# starts two leads, which a third record that agrees with both then shows are one. At
# the threshold itself, that would join a chain's branches through a record alike to both.
SURE = 2 * MATCH_THRESHOLD
# A blocking key shared by more leads than this is too common to find candidates with
# (a city-wide token); the other keys of the record still do.
MAX_BLOCK = 8
# What a shared blocking key says, in units: a word of the name in one place 2, the whole
# name without a place 2 (one name is in many towns), the head or tail of the name 1 (it
# mostly repeats a shared word), a rare one (two leads or fewer) or any other key 4. A
# candidate is scored from 4 units: one common word in one place, or one name in another
# town, is how strangers meet (at 300k leads, 1 such candidate in 3,000-4,000 was a match,
# and the name-only ones were half of all candidates scored); see assign().
_KEY_UNITS = {"t": 2, "h": 1, "l": 1, "c": 2, "g": 2}
_ENOUGH = 4
# A rare head or tail of the name (h, l) makes a candidate alone only where the two names'
# words could not meet: under different places, when one record lacks the postcode the
# words key under. Between two postcodes that differ, only a name alike at both ends (both
# keys) can outweigh the postcode; the rest were strangers, two in five candidates scored.
_ENDS = frozenset("hl")
# Keys that more leads than this share stop counting as identity evidence (switchboards,
# group domains); see score().
SHARED_KEY = 3
# Such a key (a site, mailbox or phone) alone makes a candidate no more than a word of the
# name does: score() weighs it as little, and in a large book namesakes in other towns
# share one site. Late in a 1M import those candidates were a quarter of all scored (2.02
# -> 1.50 a record), 1 in 200 joined; F1 stayed 0.985 there, and alike at 300k.
_WEAK_WHEN_SHARED = frozenset("dep")


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
_SPOT_WEIGHT = 3.0
_DISTANCE_WEIGHTS = ((SAME_SPOT_KM, _SPOT_WEIGHT), (SAME_BLOCK_KM, 2.0), (_NEARBY_KM, 0.0), (FAR_KM, -2.0))
def _elsewhere(sig: Signature, prof: AnyProfile) -> bool:
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


# A person's identifiers, typed by hand and so often one keystroke off: (agree, one edit
# apart, differ). Two strangers share a tax number almost never and a birth date about once
# in 25,000 pairs, so agreement says much; a differing value is as often a typing slip as
# another person, so it says less than a differing registry id (which is checksummed).
_PERSONAL: dict[str, tuple[float, float, float]] = {
    "tax_id": (8.0, 2.5, -2.0),
    "birth_date": (5.0, 1.0, -2.0),
}


class Values(NamedTuple):
    """A lead's profile: every distinct value its observations' signatures carried.

    Declared once, here. Each field pools the :class:`Signature` field of its name (the
    street address pools the house number and street as pairs); :class:`Profile` and
    :class:`OneProfile` are made from this list, and a signature field that no field here
    pools is an error when the module loads. A new field is a line in each class.
    """

    core: tuple[str, ...] = ()
    family: tuple[str, ...] = ()
    domain: tuple[str, ...] = ()
    email: tuple[str, ...] = ()
    phone: tuple[str, ...] = ()
    address: tuple[tuple[str, str], ...] = ()
    postcode: tuple[str, ...] = ()
    city: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    personal: tuple[str, ...] = ()
    source: tuple[str, ...] = ()


# How a profile pools each field of a signature: one value (_ONE), each of several (_MANY),
# or the street address (_PAIR). The signature's position is kept apart: see Profile.
_ONE, _MANY, _PAIR = range(3)
_UNPOOLED = frozenset({"number", "street", "position"})
# A million leads share a few thousand towns and countries: one string each, not one a lead.
_INTERNED = frozenset({"city", "country", "source"})
# Values kept of a field: a lead seen a hundred times under one name keeps its variety, not
# every spelling.
_CAP = 40


def _pooling(fields: tuple[str, ...], defaults: Mapping[str, Any], pooled: tuple[str, ...]
             ) -> tuple[tuple[int, int, int], ...]:
    """Where each of the ``pooled`` fields (:class:`Values`) is found among a signature's
    ``fields``, and how: (kind, place, the street's place for the address)."""
    at = {name: i for i, name in enumerate(fields)}
    plan = []
    for name in pooled:
        if name == "address":
            plan.append((_PAIR, at["number"], at["street"]))
        elif name in at:
            many = isinstance(defaults.get(name), tuple)
            plan.append((_MANY if many else _ONE, at[name], -1))
        else:
            raise TypeError(f"profile field {name!r} pools no signature field")
    missed = set(fields) - set(pooled) - _UNPOOLED
    if missed:
        raise TypeError(f"signature fields {sorted(missed)} are in no profile field")
    return tuple(plan)


_PLAN = _pooling(Signature._fields, Signature._field_defaults, Values._fields)
_INTERNED_AT = frozenset(Values._fields.index(name) for name in _INTERNED)


_VALUES = Values._make


def _pooled(sig: Signature) -> Values:
    """A signature's values, field by field, as a profile of it alone holds them."""
    out: list[tuple[Any, ...]] = []
    for kind, i, j in _PLAN:
        v = sig[i]
        if kind == _ONE:
            out.append((v,) if v else ())
        elif kind == _MANY:
            out.append(tuple(dict.fromkeys(v)) if v else ())
        else:
            out.append(((v or "", sig[j]),) if v or sig[j] else ())
    return _VALUES(out)


class Profile:
    """Every distinct value a lead's observations carried, for comparing a newcomer with it."""

    __slots__ = ("_values", "positions")

    def __init__(self) -> None:
        self._values = Values()
        self.positions: tuple[tuple[float, float], ...] = ()

    def add(self, sig: Signature) -> None:
        """Fold one more observation's signature into the profile."""
        if sig.position and sig.position not in self.positions and len(self.positions) < 10:
            self.positions = (*self.positions, sig.position)
        values = self._values
        pools: list[tuple[Any, ...]] | None = None
        for at, (kind, i, j) in enumerate(_PLAN):
            v: Any = sig[i]
            if kind == _PAIR:
                items: tuple[Any, ...] = ((v or "", sig[j]),) if v or sig[j] else ()
            else:
                items = () if not v else (v,) if kind == _ONE else v
            for item in items:
                kept = values[at] if pools is None else pools[at]
                if item not in kept and len(kept) < _CAP:
                    if pools is None:
                        pools = list(values)
                    pools[at] = (*kept, sys.intern(item) if at in _INTERNED_AT else item)
        if pools is not None:
            self._values = _VALUES(pools)

    def values(self) -> Values:
        """Every field at once: :func:`score` reads most of them."""
        return self._values


class OneProfile:
    """The profile of a lead seen once: its signature, read as a :class:`Profile`.

    Most leads of a large import are seen once; a profile of one-value tuples costs some
    600 bytes more than the signature it repeats. The tuples are made when read instead.
    """

    __slots__ = ("sig",)

    def __init__(self, sig: Signature) -> None:
        self.sig = sig

    @property
    def positions(self) -> tuple[tuple[float, float], ...]:
        """As :attr:`Profile.positions`."""
        return (self.sig.position,) if self.sig.position else ()

    def values(self) -> Values:
        """As :meth:`Profile.values`, made when asked."""
        return _pooled(self.sig)


AnyProfile = Profile | OneProfile


def grow(profiles: dict[int, AnyProfile], lead_id: int, sig: Signature) -> None:
    """Fold ``sig`` into the profile of ``lead_id`` in ``profiles``, starting one if need be."""
    prof = profiles.get(lead_id)
    if prof is None:
        profiles[lead_id] = OneProfile(sig)
        return
    if isinstance(prof, OneProfile):
        full = Profile()
        full.add(prof.sig)
        profiles[lead_id] = prof = full
    prof.add(sig)


class TokenStats(Protocol):
    """How many leads' names carry a token: rare tokens identify, common ones do not."""

    def idf(self, token: str) -> float:
        """Return the inverse document frequency of ``token`` among lead names."""

    def agreement(self, kind: str, value: str, most: float) -> float:
        """Return what two records agreeing on ``value`` of a field say: at most ``most``."""

    def listed_apart(self, source: str) -> float:
        """Return what a record of ``source`` meeting a lead that ``source`` listed says."""

    def matched_beyond_doubt(self, source: str, listed: bool) -> None:
        """Count a record of ``source`` that matched a lead beyond doubt (``listed``: one
        that ``source`` listed)."""


# How many records of other values a field's counts begin with (see
# CountingStats.agreement): a small book keeps the hand-set weights, a large one speaks
# for itself.
_PRIOR_RECORDS = 20
# How many matches beyond doubt a source's weight begins with, as if in each the source said
# nothing (see CountingStats.listed_apart).
_PRIOR_MATCHES = 20
# The counts of those matches are kept in thousandths (a count is a whole number).
_MILLI = 1000


@dataclass
class CountingStats:
    """Token frequencies counted in memory (seeded from the book and the file being read)."""

    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    # Counts learned from the clustering itself (see count_source, matched_beyond_doubt)
    # since the last drain(): the book keeps them beside the others.
    learned: dict[str, int] = field(default_factory=dict, repr=False)
    # listed_apart's answers, asked for every candidate the source listed, until the counts
    # behind one change.
    _apart: dict[str, float] = field(default_factory=dict, repr=False)
    # idf is asked for millions of times between a batch's counting and the next one's:
    # remember each answer until the counts change.
    _cache: dict[str, float] = field(default_factory=dict, repr=False)

    def add(self, tokens: Iterable[str], weight: int = 1) -> None:
        """Count a name's distinct tokens once."""
        self.total += weight
        for token in set(tokens):
            self.counts[token] = self.counts.get(token, 0) + weight
        if self._cache:
            self._cache.clear()
        self._apart.clear()

    def add_counts(self, counts: Mapping[str, int], names: int) -> None:
        """Count ``names`` names at once, ``counts`` being how many of them carry each token."""
        self.total += names
        for token, k in counts.items():
            self.counts[token] = self.counts.get(token, 0) + k
        if self._cache:
            self._cache.clear()
        self._apart.clear()

    def idf(self, token: str) -> float:
        """Return a smoothed inverse document frequency."""
        value = self._cache.get(token)
        if value is None:
            value = math.log((self.total + 10) / (self.counts.get(token, 0) + 1))
            self._cache[token] = value
        return value

    def agreement(self, kind: str, value: str, most: float) -> float:
        """Return the weight of two records agreeing on ``value`` of a field (``kind``: its
        letter in :data:`prospect.keys.COUNTED`): ``most`` (the hand-set weight), or less
        where the book holds the value often.

        Agreeing on a value that one record in ``1/p`` carries is worth ``-log2 p`` bits at
        most: agreeing on the town in a book of one town says nothing, on "Pte. Ltd." in a
        book of Singapore firms little. The share ``p`` is counted over the book's records
        (see :func:`prospect.keys.value_counts`) as if :data:`_PRIOR_RECORDS` more carried
        other values: a small book keeps the hand-set weight, what the weights beside it
        were set with. Never above ``most``: a rare town does not make a name less of a
        chain's.
        """
        key = f"{kind} {value}"
        weight = self._cache.get(key)
        if weight is None:
            counts = self.counts
            share = counts.get(key, 0) / (counts.get(f"{kind} ", 0) + _PRIOR_RECORDS)
            weight = self._cache[key] = most if share <= 2.0 ** -most else -math.log2(share)
        return weight

    def count_source(self, source: str) -> None:
        """Count one more record of ``source`` as it is decided (see :meth:`listed_apart`),
        for the book to keep too."""
        for token in ("s ", f"s {source}"):
            self.counts[token] = self.counts.get(token, 0) + 1
            self.learned[token] = self.learned.get(token, 0) + 1

    def _share(self, source: str) -> float:
        """The share of the book's records that ``source`` listed."""
        counts = self.counts
        listed = counts.get("s ", 0)
        return counts.get(f"s {source}", 0) / listed if listed else 1.0

    def listed_apart(self, source: str) -> float:
        """Return the weight of a record of ``source`` meeting a lead of which ``source``
        listed another entry: never above zero, and zero in a book of one source.

        A directory, a map or a registry lists a business once, or seldom twice; a list of
        leads typed in by hand may hold it several times. Which sort ``source`` is, the book's
        own matches beyond doubt tell (Fellegi-Sunter's m against u, learned): of the
        records of ``source`` that matched a lead by :data:`SURE` or more without this
        weight, how many matched a lead that ``source`` had listed already, against how many
        would have if the source said nothing (each match adds the share of the book's
        records ``source`` listed then). Both begin at :data:`_PRIOR_MATCHES` matches, so a
        young book keeps the weight near zero. A match where every record was the source's
        could not have been otherwise and is not counted: in a book of one source nothing is
        learned, and nothing is weighed.
        """
        weight = self._apart.get(source)
        if weight is None:
            counts = self.counts
            within = counts.get(f"w {source}", 0)
            expected = counts.get(f"e {source}", 0) / _MILLI
            weight = self._apart[source] = min(0.0, math.log2(
                (within + _PRIOR_MATCHES) / (expected + _PRIOR_MATCHES)))
        return weight

    def matched_beyond_doubt(self, source: str, listed: bool) -> None:
        """Count a record of ``source`` that matched a lead beyond doubt; ``listed``: a lead
        of which ``source`` listed another entry (see :meth:`listed_apart`)."""
        expected = round(self._share(source) * _MILLI)
        if expected >= _MILLI:
            return
        self._apart.pop(source, None)
        for token, k in ((f"w {source}", int(listed)), (f"e {source}", expected)):
            if k:
                self.counts[token] = self.counts.get(token, 0) + k
                self.learned[token] = self.learned.get(token, 0) + k

    def drain(self) -> dict[str, int]:
        """The counts learned since the last call, for the book to keep."""
        learned, self.learned = self.learned, {}
        return learned


def _token_match(a: str, b: str, abbreviations: bool = True) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 4:
        return False
    if a.startswith(b) or b.startswith(a):  # abbreviations: "koninkl", "internat", "maats"
        return abbreviations
    limit = 1 if max(len(a), len(b)) < 8 else 2
    return OSA.distance(a, b, score_cutoff=limit) <= limit


def _matched(ta: list[str], tb: list[str], stats: TokenStats, cut_short: bool = True
             ) -> tuple[float, float, float]:
    """Return the idf mass of ``ta`` matched in ``tb``, of all of ``ta``, of ``tb`` unmatched.

    Tokens are distinct on each side (see :func:`_tokens`): equal tokens pair first, then
    each remaining token of ``ta`` takes the first remaining near one of ``tb``.
    """
    idf = stats.idf
    exact = set(ta).intersection(tb)
    # Summed in the name's order, not the set's: floating-point sums depend on their order,
    # and a set's order on the process's string hashing (a likeness on a weight's edge
    # decided differently from run to run).
    shared = sum(idf(t) for t in ta if t in exact)
    left = [u for u in tb if u not in exact]
    # A word cut short stands for the longer one beside a word both names share ("Koninkl
    # Philips"), or where ``cut_short`` says names are cut and glued (see name_evidence);
    # else it is a word of its own ("Boar" and "Boardsports", "Pizza" and "Pizzaiolo").
    abbreviations = cut_short or bool(exact)
    for t in ta:
        if t in exact or not left:
            continue
        for j, u in enumerate(left):
            if _token_match(t, u, abbreviations):
                del left[j]
                shared += idf(t)
                break
    return shared, sum(idf(t) for t in ta), sum(idf(u) for u in left)


def _tokens(core: str) -> list[str]:
    # A name written twice over ("X - X", as joined columns do) is the name once.
    return list(dict.fromkeys(core.split()))


def name_evidence(a: str, b: str, stats: TokenStats, cut_short: bool = True
                  ) -> tuple[float, float]:
    """Return how alike two name cores are and how much the longer contains the shorter, 0..1.

    Alike: by characters, or by the rare tokens they share. Contained: "Viva Family Center"
    within "Children's Home Viva Family Center", a programme or branch named inside its
    parent's name (the shorter name needs two tokens or more). ``cut_short``: the names may
    be a register's, cut short and glued ("Koninkl", "Philipsogloeilampenfabrie"), so a
    word that starts another stands for it even where no other word is shared; else only
    beside a shared one (a list of places: "Boar" and "Boardsports" are two names).
    """
    if not a or not b:
        return 0.0, 0.0
    if a == b:
        return 1.0, 1.0
    char = fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")) / 100.0
    ta, tb = _tokens(a), _tokens(b)
    shared, total_a, rest_b = _matched(ta, tb, stats, cut_short)
    weighted = shared / (total_a + rest_b) if total_a + rest_b else 0.0
    contained = 0.0
    if len(ta) <= len(tb):
        if len(ta) >= 2 and total_a:
            contained = shared / total_a
    elif len(tb) >= 2:
        shared_b, total_b, _ = _matched(tb, ta, stats, cut_short)
        contained = shared_b / total_b if total_b else 0.0
    return max(char, weighted), contained


_NAME_BEST = 4.5  # the most a name can add: near-identical
_PLACE_CONFLICTS = frozenset({"address differs", "postcode differs", "city differs",
                              "phone differs"})


@dataclass(frozen=True)
class Score:
    """A candidate's score and the evidence behind it, field by field."""

    total: float
    reasons: tuple[tuple[str, float], ...]


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


def _weight(shared: Mapping[str, int], key: str, strong: float) -> float:
    """A key many leads carry (a switchboard, a group's domain) is weak evidence."""
    return strong if shared.get(key, 1) <= SHARED_KEY else min(strong, 1.5)


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
    # no less than the facts, and the names add at most _NAME_BEST.
    bound = _address_bound(sig, values[5])
    if bound is not None and _short_of(_facts(sig, prof, values, shared, stats, bound), floor):
        return _GIVEN_UP
    facts = _facts(sig, prof, values, shared, stats)
    if _short_of(facts, floor):
        return _GIVEN_UP
    return _judge(sig, values, stats, shared, facts)


def _facts(sig: Signature, prof: AnyProfile, values: Values, shared: Mapping[str, int],
           stats: TokenStats, address_bound: float | None = None) -> list[tuple[str, float]]:
    """The evidence but the names': identifiers, contacts, where, and what a chain shares.

    With ``address_bound``, the address counts as that (see :func:`_address_bound`).
    """
    (_, families, domains, emails, phones, addresses, postcodes, cities, countries, ids,
     personal, sources) = values
    reasons = _identifiers(sig, ids, personal)
    if sig.source and sig.source in sources:
        # The lead holds an entry of this record's source already: the source lists the two
        # apart. What that says, the book's own matches tell (see listed_apart).
        apart = stats.listed_apart(sig.source)
        if apart:
            reasons.append((_LISTED_APART, apart))
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
        reasons.append(_phone(sig.phone, phones, shared))
    placed = _where(sig, prof, addresses, reasons, address_bound, shared)
    _locality(sig, postcodes, cities, placed, reasons, stats)
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


_LISTED_APART = "listed apart by its source"


def _locality(sig: Signature, postcodes: tuple[str, ...], cities: tuple[str, ...], placed: bool,
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
                 if w < 0 and (label in _PLACE_CONFLICTS or label.endswith(" apart"))]
    elsewhere = len(conflicts) >= 2 or any(
        w <= -3.0 for label, w in reasons if label == "address differs")
    for label, key, strong in organisation:
        w = min(strong, 1.5) if elsewhere else _weight(shared, key, strong)
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
            agree, near, differ = _PERSONAL[kind]
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


def _phone(phone: str, phones: tuple[str, ...], shared: Mapping[str, int]) -> tuple[str, float]:
    """The phone evidence: the same number (weak if many leads share it), its block, or not."""
    # Loops, not any() over a generator: most leads have one phone.
    for p in phones:
        if phone.endswith(p[-7:]) and (p.endswith(phone) or phone.endswith(p)):
            return ("phone", _weight(shared, f"p:{phone[-7:]}", 4.0))
    if any(_same_block(phone, p) for p in phones):
        # 850-7000 and 850-7176: direct lines of one switchboard's block of a thousand
        # numbers. Not proof (a district's schools share one), so it counts neither way.
        return ("phone of the same block", 0.0)
    return ("phone differs", -1.5)


def _where(sig: Signature, prof: AnyProfile, addresses: tuple[tuple[str, str], ...],
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


def _judge(sig: Signature, values: Values, stats: TokenStats, shared: Mapping[str, int],
           reasons: list[tuple[str, float]]) -> Score:
    """Weigh the names beside the facts: how alike, one inside the other, one at the other's
    place, their numbers; a building's tenants; a name the book holds at several places."""
    cores = values[0]
    if not (sig.core and cores):
        return Score(sum(w for _, w in reasons), tuple(reasons))
    alone = all(label == "legal form" for label, _ in reasons)
    reasons.insert(0, _names(
        sig.core, cores, stats, alone=alone,
        local=_local_words(sig, shared), anchored=any(
            (w > 0 and label in ("address", "phone"))
            or (w >= _SPOT_WEIGHT and label.endswith(" m apart")) for label, w in reasons),
        streets=(sig.street, values.address)))
    # "Blk 212" and "Blk 211", "Car Park 3" and "Car Park 5", "Store #1042", "Building D"
    # and "Building J": a number or letter in a name is a block's, a branch's or a store's,
    # as a house number is a door's.
    outlets = False
    if _numbers_differ(sig.core, cores):
        reasons.append(("numbers in the names differ", -4.0))
    elif _letters_differ(sig.core, cores):
        reasons.append(("letters ending the names differ", -4.0))
    elif _directions_differ(sig.core, cores):
        reasons.append(("directions in the names differ", -4.0))
    elif _divisions_differ(sig.core, cores):
        reasons.append(("divisions in the names differ", -4.0))
    elif outlets := _kinds_differ(sig.core, cores):
        # "Ritz-Carlton Cafe" and "Ritz-Carlton Dining Room": two outlets of one host, at
        # its address and switchboard, which say where once.
        reasons.append(("kinds of venue in the names differ", -4.0))
    elif outlets := _facility_of(sig.core, cores):
        # "Nan Hua High School" and "Nan Hua High School Canteen", "Raffles Town Club" and
        # "Swimming Pool | Raffles Town Club": a place and a facility in it, which a
        # directory of venues lists apart, at the place's address, line and spot.
        reasons.append(("a facility of the place the other names", -4.0))
    elif (not alone and not any(label == "phone" for label, _ in reasons)
          and _parts_differ(sig.core, cores)):
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
    :func:`_kinds_differ`, :func:`_facility_of`).

    A hotel and its restaurant, a casino's restaurants, a mall and a shop in it: one
    building gives them its address, its switchboard and its spot, so together these say
    where, once. The names say two businesses when one names a host building or the two
    share nothing (a site that goes by its operator's name and by its own still shares a
    word or its initials: "CSC" and "Community Service Center").
    """
    place = [i for i, (label, w) in enumerate(reasons)
             if w > 0 and (label in ("address", "phone") or label.endswith(" apart"))]
    if len(place) > 1 and (outlets or _hosts(core) or any(map(_hosts, cores))
                           or _nothing_in_common(core, cores)):
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


# How alike two names read (characters or rare words, see name_evidence), as a weight: the
# least likeness each weight needs, best first; below the last, -3.
_LIKENESS_WEIGHTS = ((0.97, _NAME_BEST), (0.92, 3.5), (0.85, 2.5), (0.75, 1.0), (0.6, -0.5),
                     (0.4, -2.0))


def _names(core: str, cores: tuple[str, ...], stats: TokenStats, alone: bool,
           local: Callable[[str], bool] | None = None, anchored: bool = False,
           streets: tuple[str, tuple[tuple[str, str], ...]] = ("", ())) -> tuple[str, float]:
    """The name evidence against the lead's names (``alone``: nothing else to go by;
    ``local``: which words many leads around carry, see :func:`_local_words`; ``anchored``:
    the street address, the phone or the spot agrees; ``streets``: the record's street and
    the lead's street addresses)."""
    sim, contained, street = _likeness(core, cores, stats, local, streets, cut_short=alone)
    w = next((w for least, w in _LIKENESS_WEIGHTS if sim >= least), -3.0)
    if street:
        # "Wood Street" (a station) inside "Wood Street Galleries" at 601 Wood St: a name
        # that is the name of the street either record is on says where, not who; nor is
        # it another name ("Castle Terrace" for the restaurant at 33 Castle Terrace).
        return (f"name {sim:.2f}, the street's", max(w, 0.0))
    if w < _NAME_BEST and contained >= 0.95 and any(_at_place(core, c) for c in cores):
        # "Primanti Brothers at PNC Park", "The Saloon of Mt. Lebanon": the longer name
        # is another business, at the place the shorter one names.
        return ("a business at the place the other names", -3.0)
    if w < 2.5 and contained >= 0.95:
        # Nothing but the names to go by (a register, a list of firms): one written
        # whole inside the other is the same firm more often than not ("Philips
        # Electronics" in "Koninklijke Philips Electronics"). Beside other evidence it
        # is often a programme or branch named inside its parent's name: weaker.
        return ("name within the other", 3.5 if alone else 2.5)
    if w < 2.0 and anchored and _begins(core, cores, local, streets):
        # "Shell" and "Shell Leith" at one street address, "Sugardaddy's" and "SugarDaddy's
        # Bakery" at one spot: a one-word name that starts the other, unless the word is a
        # street's ("Ossington" and "Ossington Avenue Baptist Church", "Sherbourne" and
        # "Sherbourne Optical" on Sherbourne Street) or a district's (see local).
        return ("name begins with the other", 2.0)
    if w < 1.0 and contained >= 0.5:
        # Most of the shorter name's rare words in the longer one: strangers seldom
        # share them, variants of one name ("City Colleges Olive-Harvey CDC") mostly do.
        return (f"name shares its rare words {contained:.2f}", 1.0)
    return (f"name {sim:.2f}", w)


def _likeness(core: str, cores: tuple[str, ...], stats: TokenStats,
              local: Callable[[str], bool] | None,
              streets: tuple[str, tuple[tuple[str, str], ...]] = ("", ()), cut_short: bool = True
              ) -> tuple[float, float, bool]:
    """How alike the name is to the nearest of the lead's names, how much of the shorter of
    two is inside the longer (see :func:`name_evidence`, and its ``cut_short``) but for the
    place's words, and whether the shorter is inside as the name of either record's street."""
    sim = contained = 0.0
    within_of = ""
    han = not core.isascii()
    for c in cores:
        plain = not han and c.isascii()  # most names: compared as they are, no call
        pair = (core, c) if plain else _as_compared(core, c)
        alike, within = name_evidence(*pair, stats, cut_short)
        if han == c.isascii():  # one in another script: compared in Latin letters
            # Every word of the romanized name found in the Latin one: "lanhaidianzi" in
            # "lanhai electronics" (the trade name, its trade translated, not transliterated).
            words, latin = (pair[0], pair[1]) if han else (pair[1], pair[0])
            found = [w for w in words.split() if any(_token_match(w, x) for x in latin.split())]
            within = max(within, len(found) / len(words.split()) if words else 0.0)
        if within > contained:
            within_of = c
        sim, contained = max(sim, alike), max(contained, within)
    if contained >= 0.5 and local is not None:
        shorter = min(_tokens(core), _tokens(within_of), key=len)
        if all(map(local, shorter)):
            # "Choa Chu Kang" inside "Choa Chu Kang Public Library", "UPMC Shadyside"
            # inside "UPMC Shadyside Family Health Center": the words many names around
            # carry name the place, and say nothing of which business this is.
            contained = 0.0
    if contained >= 0.5 and _names_a_street(min(core, within_of, key=len), streets):
        return sim, 0.0, True
    return sim, contained, False


def _as_compared(a: str, b: str) -> tuple[str, str]:
    """Two name cores as their words are compared: in Latin letters where one is written in
    another script (:func:`_romanized`), without the Chinese divisions where both are
    Chinese (:func:`_registered`), else as they are."""
    if a.isascii() != b.isascii():
        return _romanized(a, b)
    return (a, b) if a.isascii() else _registered(a, b)


def _divisions(core: str) -> set[str]:
    """The Chinese divisions a name core names ("深圳 华为技术": {"深圳"})."""
    return set() if core.isascii() else {w for w in core.split() if n.cn_division(w)}


def _registered(a: str, b: str) -> tuple[str, str]:
    """Two name cores as compared where a Chinese division leads either: without their
    divisions, unless each names one and none is the other's ("深圳 华为技术", "华为技术 深圳"
    and "华为技术" are one name, left out or written after; "北京 银行" and "上海 银行" are
    two: see :func:`_divisions_differ`)."""
    mine, theirs = _divisions(a), _divisions(b)
    if not (mine or theirs) or (mine and theirs and mine.isdisjoint(theirs)):
        return a, b
    rest_a = [w for w in a.split() if w not in mine]
    rest_b = [w for w in b.split() if w not in theirs]
    return (" ".join(rest_a), " ".join(rest_b)) if rest_a and rest_b else (a, b)


def _romanized(a: str, b: str) -> tuple[str, str]:
    """Two name cores, one in its own script, both in Latin letters, without the Chinese
    division either names ("深圳 蓝海电子" and "shenzhen lanhai electronics": "lanhaidianzi"
    and "lanhai electronics"): the city is not the firm's name (see :func:`_registered`)."""
    ra, rb = n.romanized(a) or a, n.romanized(b) or b
    places = {n.romanized(w) for w in _divisions(a) | _divisions(b)}
    if places:
        words_a = [w for w in ra.split() if w not in places]
        words_b = [w for w in rb.split() if w not in places]
        if words_a and words_b:
            return " ".join(words_a), " ".join(words_b)
    return ra, rb


def _divisions_differ(core: str, cores: tuple[str, ...]) -> bool:
    """Do the name and each of the lead's names lead with Chinese divisions, none of them
    one the other names ("北京 银行" and "上海 银行"; "深圳 腾讯科技" and "北京 腾讯科技")?

    A firm's registered name carries the division of the registry that holds it: two
    divisions are two registrations, a branch or another firm (a province and a city in
    it are two registries too; "广东 深圳 x" and "深圳 x" share the city and may be one).
    """
    mine = _divisions(core)
    if not mine:
        return False
    for other in cores:
        theirs = _divisions(other)
        if not theirs or not mine.isdisjoint(theirs):
            return False
    return True


def _names_a_street(core: str, streets: tuple[str, tuple[tuple[str, str], ...]]) -> bool:
    """Is a name core a street's name, words and type, of the record's or the lead's
    street ("wood street" on Wood St)?"""
    head, _, last = core.rpartition(" ")
    return bool(head) and _street_after(last) and head in _street_names(streets)


def _begins(core: str, cores: tuple[str, ...], local: Callable[[str], bool] | None,
            streets: tuple[str, tuple[tuple[str, str], ...]]) -> bool:
    """Is one name a single word that starts the other, and no word many names around carry
    nor a street's name (either record's street; "Ossington" before "Avenue")?"""
    for other in cores:
        short, long = (core, other) if len(core) <= len(other) else (other, core)
        if (len(short) >= 3 and " " not in short and long.startswith(short + " ")
                and not (local is not None and local(short))
                and not _street_after(long[len(short) + 1:].split(" ", 1)[0])
                and not any(street.split(" ", 1)[0] == short
                            for street in _street_names(streets))):
            return True
    return False


def _street_names(streets: tuple[str, tuple[tuple[str, str], ...]]) -> list[str]:
    """The record's street and those of the lead's street addresses, by name: without their
    sides or the articles that lead them (see :func:`_same_street`)."""
    return [n.street_name(n.street_side(street)[0])
            for street in (streets[0], *[s for _, s in streets[1]])]


def _street_after(word: str) -> bool:
    """Is the word after a name's first a street's type ("Ossington Avenue ...")? A core
    writes "St" out as "saint" (see normalize): after a word it is "Street"."""
    return word == "saint" or n.is_street_type(word)


_GIVEN_UP = Score(-math.inf, ())


_LINKS = frozenset({"at", "of", "in", "inside", "by", "near"})
# Words of the names of places that house other businesses under one address and switchboard.
_HOST_WORDS = frozenset({"hotel", "hotels", "motel", "inn", "hostel", "resort", "casino", "mall",
                         "airport", "terminal", "stadium", "arena", "marketplace", "foodcourt"})


def _hosts(core: str) -> bool:
    """Does a name core name a place that houses other businesses (a hotel, a mall ...)?"""
    words = core.split()
    return any(w in _HOST_WORDS for w in words) or "food court" in core


# A number in a name, with the letter a block or unit may carry ("297a"), not an ordinal
# ("21st century", "5th avenue").
_NUMBER = re.compile(r"\d+[a-z]?(?![a-z\d])")


@functools.lru_cache(maxsize=65536)
def _numbers(core: str) -> frozenset[str]:
    """The numbers in a name core, in digits or as words ("one gateway center" and "two
    gateway center" are two towers; digit by digit too: "two one one five" is 2115 as well
    as 2, 1 and 5)."""
    # Cached: every scored pair asks of both names, and a lead's names recur.
    found = set(_NUMBER.findall(core))
    run = ""
    for word in core.split():
        number = n.NUMBER_WORDS.get(word)
        if number is not None and len(number) == 1:
            run += number
            found.add(number)  # and each word alone: "nine two five" is "nine to five"
            continue
        if run:
            found.add(run)
            run = ""
        if number is not None:
            found.add(number)
    if run:
        found.add(run)
    return frozenset(found)


def _numbers_differ(core: str, cores: tuple[str, ...]) -> bool:
    """Do the name and one of the lead's names each carry a number the other lacks ("blk
    212 jurong east st 21" and "blk 211 jurong east st 21", "blk 297a" and "blk 297c", "one
    gateway center" and "two gateway center"; not "hume park 1" and "hume park 1 blk 1",
    nor a name with no number)?

    One is enough: a lead that holds "Republic Polytechnic" and "Republic Polytechnic W65R"
    is W65R, whichever of its names "Republic Polytechnic W36L" is nearest to. Asking all of
    them joined W36L where the campus's name had come before W65R's, and not after it.
    """
    mine = _numbers(core)
    if not mine:
        return False
    for other in cores:
        theirs = _numbers(other)
        if theirs and not (mine <= theirs or theirs <= mine):
            return True
    return False


# Words a letter names a part of a place beside: "Building E", "E Building", "Tower 2B".
_PARTS = frozenset({"building", "block", "blk", "tower", "hall", "wing", "gate", "terminal",
                    "house", "court", "annex", "pavilion"})


def _letters_differ(core: str, cores: tuple[str, ...]) -> bool:
    """Do the name and each of the lead's names end in letters that differ, after the same
    words ("building d" and "building j", "hall a" and "hall nx"), or differ only in the
    letter that names a building beside its word ("north e building", "north n building";
    not "studio a" and "studio", nor "a b jones" and "c b jones")?"""
    words = core.split()
    # Most names neither end in a letter nor name a building: given up at once.
    if len(words) < 2 or not (_letter(words[-1]) or not _PARTS.isdisjoint(words)):
        return False
    for other in cores:
        theirs = other.split()
        if len(theirs) != len(words):
            return False
        apart = [i for i, (a, b) in enumerate(zip(words, theirs, strict=True)) if a != b]
        if len(apart) != 1:
            return False
        i = apart[0]
        if not (_letter(words[i]) and _letter(theirs[i]) and (
                i == len(words) - 1 or not _PARTS.isdisjoint(words[max(i - 1, 0):i + 2]))):
            return False
    return True


def _letter(word: str) -> bool:
    """Is a word of a name a letter or two that names a building or part ("d", "nx")?"""
    return len(word) <= 2 and word.isalpha()


# Words of a name that say which part of a place it is, as a point of the compass does.
_COMPASS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast",
                      "southwest", "central", "upper", "lower"})


def _directions_differ(core: str, cores: tuple[str, ...]) -> bool:
    """Are the name and each of the lead's names one name but for a point of the compass
    ("marina one west tower" and "marina one east tower", "tampines east cc" and "tampines
    west cc"; not "north point" and "north point city")?"""
    words = core.split()
    if _COMPASS.isdisjoint(words):
        return False
    for other in cores:
        theirs = other.split()
        if len(theirs) != len(words):
            return False
        differ = [(a, b) for a, b in zip(words, theirs, strict=True) if a != b]
        if len(differ) != 1 or not (differ[0][0] in _COMPASS and differ[0][1] in _COMPASS):
            return False
    return True


# Kinds of venue a host's outlets are named by. Not "restaurant": every one of these may
# be called one ("Dong Hai Grill" is "Dong Hai Restaurant" in another directory).
_KINDS = frozenset({"cafe", "dining", "room", "bar", "lounge", "grill", "bakery",
                    "bistro", "brasserie", "pub", "spa", "gym", "shop", "store", "club", "buffet",
                    "steakhouse", "diner", "deli", "pool", "salon", "market"})


# What a place holds that is not a business of its own: its pool, its courts, its car park,
# its chapel, a housing project's show flat. Not a cafe or a shop, which a place lets to a
# business of its own.
_FACILITIES = frozenset({"pool", "playground", "court", "courts", "library", "lobby", "canteen",
                         "carpark", "parking", "garage", "room", "ballroom", "auditorium",
                         "classroom", "pantry", "toilet", "toilets", "chapel", "showflat", "gym"})
# A gym is a facility of a place ("Bellefield Hall Gym", a club's, a residence's) or a business
# of its own ("Crunch Gym" is Crunch): the facility of a name that says it is a place.
_OWN_BUSINESS = frozenset({"gym"})
_PLACE_WORDS = _HOST_WORDS | _PARTS | frozenset({
    "club", "centre", "center", "residence", "residences", "college", "school", "university",
    "institute", "academy", "condo", "condominium", "loft", "lofts", "towers", "apartments",
    "estate", "hospital", "church", "campus"})
# Words that say which facility: "swimming pool", "car park", "music room", "tennis court".
_FACILITY_WORDS = _FACILITIES | frozenset({
    "swimming", "car", "park", "loading", "bay", "music", "function", "media", "meeting",
    "tennis", "basketball", "squash", "badminton", "futsal", "multi", "purpose", "sky",
    "basement", "roof", "rooftop", "main", "public", "school", "staff", "lift"})


def _facility_of(core: str, cores: tuple[str, ...]) -> bool:
    """Is one of the name and each of the lead's names the other's with words that name a
    facility added ("nan hua high school canteen", "horizon towers swimming pool")?"""
    words = set(core.split())
    for other in cores:
        theirs = set(other.split())
        extra = words - theirs if theirs < words else theirs - words if words < theirs else None
        if not (extra and extra <= _FACILITY_WORDS and not extra.isdisjoint(_FACILITIES)):
            return False
        if extra & _FACILITIES <= _OWN_BUSINESS and (words & theirs).isdisjoint(_PLACE_WORDS):
            return False
    return True


def _kinds_differ(core: str, cores: tuple[str, ...]) -> bool:
    """Are the name and each of the lead's names one name but for the kind of venue ("ritz
    carlton cafe" and "ritz carlton dining room": two outlets of one hotel)?"""
    words = set(core.split())
    if _KINDS.isdisjoint(words):
        return False
    for other in cores:
        theirs = set(other.split())
        mine, their = words - theirs, theirs - words
        if not (mine and their and mine <= _KINDS and their <= _KINDS and words & theirs):
            return False
    return True


def _parts_differ(core: str, cores: tuple[str, ...]) -> bool:
    """Do the name and another of the lead's names each add words of their own to one of
    the lead's names ("duquesne university press" and "duquesne university koren building"
    beside "duquesne university", "pnc park buccos club" and "pnc park box office" beside
    "pnc park"): two parts of one place, not one business?

    A lead's names once joined a place and one part of it; a second part named after the
    place too is that part's neighbour, however much of the name the two share. Words
    that differ by a keystroke or a shortening add nothing ("resturant", "restaurant").
    """
    words = set(core.split())
    for base in cores:
        inner = set(base.split())
        if not inner < words:
            continue
        # Initials of the place's name add nothing to it ("trinity united church of
        # christ ucc").
        same = inner | _initials(base.split())
        mine = words - same
        for other in cores:
            theirs = set(other.split())
            if inner < theirs and not (_within(mine, theirs - same)
                                       or _within(theirs - same, mine)):
                return True
    return False


def _within(a: set[str], b: set[str]) -> bool:
    """Is each word of ``a`` one of ``b``'s, or a keystroke or a shortening off one?"""
    return all(any(_token_match(x, y) for y in b) for x in a)


def _nothing_in_common(core: str, cores: tuple[str, ...]) -> bool:
    """Does a name share nothing with a lead's names: no word, not one a keystroke off, no
    initials ("cafe roma" and "palace court"; not "the palm" and "palm the los angeles",
    not "csc development program" and "community service center")? A Chinese division both
    name is no word in common: "深圳 星河物流" and "深圳 蓝海电子" are two firms of one city."""
    for other in cores:
        words, theirs = (_tokens(name) for name in _as_compared(core, other))
        if any(_token_match(a, b) for b in theirs for a in words):
            return False
        if not _initials(words).isdisjoint(theirs) or not _initials(theirs).isdisjoint(words):
            return False
    return True


def _initials(words: list[str]) -> set[str]:
    """The initials of every run of two words or more ("community service center": "cs",
    "csc", "sc")."""
    return {"".join(w[0] for w in words[i:j])
            for i in range(len(words)) for j in range(i + 2, len(words) + 1)}


def _at_place(a: str, b: str) -> bool:
    """Is the longer of two name cores another business at the place the shorter names
    ("primanti brothers at pnc park" and "pnc park")?"""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    words, part = long.split(), short.split()
    for i in range(2, len(words) - len(part) + 1):
        if words[i:i + len(part)] == part and words[i - 1] in _LINKS:
            return True
    return False


def _short_of(reasons: list[tuple[str, float]], floor: float) -> bool:
    """Say whether the evidence so far stays below ``floor`` whatever the names say."""
    total = 0.0  # in order, as sum() adds: a loop costs less than sum() over a generator
    for _, w in reasons:
        total += w
    return total + _NAME_BEST < floor


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


def _postcodes_may_agree(sig: Signature, prof: AnyProfile) -> bool:
    """Say whether a lead's postcodes leave it possibly where ``sig`` is: none, or one alike."""
    if not sig.postcode:
        return True
    postcodes = prof.values().postcode
    return not postcodes or any(p == sig.postcode or OSA.distance(sig.postcode, p, score_cutoff=1) <= 1
                                for p in postcodes)


def _address_bound(sig: Signature, addresses: tuple[tuple[str, str], ...]) -> float | None:
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
        # put, written out: a call per key was a third of this at 1M records.
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
        hits: dict[int, int] = {}  # lead -> units of shared keys (see _KEY_UNITS)
        sizes: dict[str, int] = {}
        ends: set[int] = set()  # leads that share a rare head or tail (see _ENDS)
        for key, leads in zip(keys, self.index.leads_for_keys(keys), strict=True):
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
        # A record with nothing but a name (a patent register, a list of firms) has only
        # its words to be found by: every candidate they give is scored.
        enough = _ENOUGH if sig.city or sig.postcode else 1
        bare = _bare(sig)
        best: tuple[float, int, Score] | None = None
        matched: list[int] = []  # of a bare record: every lead it matches
        strong: list[tuple[int, Score]] = []  # the leads matched by SURE or more
        for lead_id, shared in hits.items():
            if shared < enough and not (lead_id in ends
                                        and _postcodes_may_agree(sig, self.index.profile(lead_id))):
                continue
            if forbidden and self.index.blocked(lead_id, forbidden):
                continue
            if sig.position is not None and _elsewhere(sig, self.index.profile(lead_id)):
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
            total -= sum(w for reason, w in result.reasons if reason == _LISTED_APART)
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


# What only one business or person has: its door, its line, its spot, its registry number,
# its tax number or birth date (with a name). Not a site or a mailbox: a chain's branches
# share them, and a record with nothing else matches every branch alike.
_ONE_OF_A_KIND = frozenset({"address", "phone", "registry id", *_PERSONAL})


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
    return not any(w < 0 and (label in _PLACE_CONFLICTS or label.endswith(" apart"))
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
