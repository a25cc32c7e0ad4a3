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

The package, each module importing only those above it:

- :mod:`~prospect.dedupe.profiles`: a lead as the clusterer sees it, its records' values pooled;
- :mod:`~prospect.dedupe.stats`: what the book's own records say (word, town and form counts,
  what a source listing a business twice means);
- :mod:`~prospect.dedupe.names` and :mod:`~prospect.dedupe.places`: the comparisons, of names
  and of where a business is and how it is reached;
- :mod:`~prospect.dedupe.evidence`: the model, :func:`score`, weighing them together;
- :mod:`~prospect.dedupe.clusterer`: the candidates and the decision, record by record.
"""

from prospect.dedupe.clusterer import MAX_BLOCK, Clusterer, Decision, Index, MemoryIndex
from prospect.dedupe.evidence import MATCH_THRESHOLD, SURE, Score, score
from prospect.dedupe.names import name_evidence
from prospect.dedupe.places import SHARED_KEY
from prospect.dedupe.profiles import AnyProfile, OneProfile, Profile, Values, grow
from prospect.dedupe.stats import CountingStats, TokenStats
from prospect.keys import Signature, blocking_keys, signature, value_counts

__all__ = [
    "MATCH_THRESHOLD",
    "MAX_BLOCK",
    "SHARED_KEY",
    "SURE",
    "AnyProfile",
    "Clusterer",
    "CountingStats",
    "Decision",
    "Index",
    "MemoryIndex",
    "OneProfile",
    "Profile",
    "Score",
    "Signature",
    "TokenStats",
    "Values",
    "blocking_keys",
    "grow",
    "name_evidence",
    "score",
    "signature",
    "value_counts",
]
