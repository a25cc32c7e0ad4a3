"""What the book's own records say: counts added at once or one by one, a source's weight learned."""

from __future__ import annotations

from prospect import dedupe


def test_token_counts_added_at_once_are_counted_as_one_by_one() -> None:
    names = ["kaffee nord", "kaffee kaffee sud", "tee"]
    one, batch = dedupe.CountingStats(), dedupe.CountingStats()
    for name in names:
        one.add(name.split())
    counts: dict[str, int] = {}
    for name in names:
        for token in set(name.split()):
            counts[token] = counts.get(token, 0) + 1
    batch.idf("kaffee")  # a remembered answer must not outlive the counts it came from
    batch.add_counts(counts, len(names))
    assert (batch.counts, batch.total) == (one.counts, one.total)
    assert batch.idf("kaffee") == one.idf("kaffee")


def test_what_a_source_listing_a_lead_twice_says_is_learned_and_never_for_a_match() -> None:
    stats = dedupe.CountingStats()
    assert stats.listed_apart("osm") == 0.0  # nothing learned: nothing weighed
    stats.add_counts({"s ": 100, "s osm": 100}, 0)
    for _ in range(100):  # a book of one source: every match is one it listed
        stats.matched_beyond_doubt("osm", True)
    assert stats.listed_apart("osm") == 0.0
    stats.add_counts({"s ": 100, "s yelp": 100}, 0)  # half the records are the directory's
    for listed in [False] * 5:
        stats.matched_beyond_doubt("yelp", listed)
    few = stats.listed_apart("yelp")
    for listed in [False] * 95:
        stats.matched_beyond_doubt("yelp", listed)
    assert few < 0.0 and stats.listed_apart("yelp") < few - 1.0  # more matches, surer
    # Kept for the book: the directory's matches, each half expected to be its own; not the
    # map's, made where it was the book's only source.
    assert stats.drain() == {"e yelp": 100 * 500} and stats.drain() == {}
