"""What two names say: how alike they are, and the words that make alike names two places
(a branch's number, a host building, a facility, one part of a campus)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from prospect import normalize as n
from prospect.dedupe.stats import TokenStats

__all__ = [
    "NAME_BEST", "directions_differ", "divisions_differ", "facility_of", "hosts",
    "kinds_differ", "letters_differ", "name_evidence", "nothing_in_common", "numbers_differ",
    "parts_differ", "weigh_names",
]


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


NAME_BEST = 4.5  # the most a name can add: near-identical


# How alike two names read (characters or rare words, see name_evidence), as a weight: the
# least likeness each weight needs, best first; below the last, -3.
_LIKENESS_WEIGHTS = ((0.97, NAME_BEST), (0.92, 3.5), (0.85, 2.5), (0.75, 1.0), (0.6, -0.5),
                     (0.4, -2.0))


def weigh_names(core: str, cores: tuple[str, ...], stats: TokenStats, alone: bool,
           local: Callable[[str], bool] | None = None, anchored: bool = False,
           streets: tuple[str, tuple[tuple[str, str], ...]] = ("", ())) -> tuple[str, float]:
    """The name evidence against the lead's names (``alone``: nothing else to go by;
    ``local``: which words many leads around carry, see evidence._local_words; ``anchored``:
    the street address, the phone or the spot agrees; ``streets``: the record's street and
    the lead's street addresses)."""
    sim, contained, street = _likeness(core, cores, stats, local, streets, cut_short=alone)
    w = next((w for least, w in _LIKENESS_WEIGHTS if sim >= least), -3.0)
    if street:
        # "Wood Street" (a station) inside "Wood Street Galleries" at 601 Wood St: a name
        # that is the name of the street either record is on says where, not who; nor is
        # it another name ("Castle Terrace" for the restaurant at 33 Castle Terrace).
        return (f"name {sim:.2f}, the street's", max(w, 0.0))
    if w < NAME_BEST and contained >= 0.95 and any(_at_place(core, c) for c in cores):
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
    two: see :func:`divisions_differ`)."""
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


def divisions_differ(core: str, cores: tuple[str, ...]) -> bool:
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
    sides or the articles that lead them (see :func:`prospect.dedupe.places._same_street`)."""
    return [n.street_name(n.street_side(street)[0])
            for street in (streets[0], *[s for _, s in streets[1]])]


def _street_after(word: str) -> bool:
    """Is the word after a name's first a street's type ("Ossington Avenue ...")? A core
    writes "St" out as "saint" (see normalize): after a word it is "Street"."""
    return word == "saint" or n.is_street_type(word)


_LINKS = frozenset({"at", "of", "in", "inside", "by", "near"})
# Words of the names of places that house other businesses under one address and switchboard.
_HOST_WORDS = frozenset({"hotel", "hotels", "motel", "inn", "hostel", "resort", "casino", "mall",
                         "airport", "terminal", "stadium", "arena", "marketplace", "foodcourt"})


def hosts(core: str) -> bool:
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


def numbers_differ(core: str, cores: tuple[str, ...]) -> bool:
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


def letters_differ(core: str, cores: tuple[str, ...]) -> bool:
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


def directions_differ(core: str, cores: tuple[str, ...]) -> bool:
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


def facility_of(core: str, cores: tuple[str, ...]) -> bool:
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


def kinds_differ(core: str, cores: tuple[str, ...]) -> bool:
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


def parts_differ(core: str, cores: tuple[str, ...]) -> bool:
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


def nothing_in_common(core: str, cores: tuple[str, ...]) -> bool:
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
