"""What the book's own records say: how common a word, a town or a legal form is, and what
a source listing a business twice means (learned as the book is built)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["CountingStats", "TokenStats"]


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
        records of ``source`` that matched a lead by evidence.SURE or more without this
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
