"""Where leads come from: every Source, registered in one catalogue by name."""

from __future__ import annotations

from prospect.sources.base import Query, Source, SourceError, SourceSkipped
from prospect.sources.directories import GleifSource
from prospect.sources.forums import DiscourseSource, RedditSource
from prospect.sources.maps import OsmSource
from prospect.sources.search import DuckDuckGoSource

__all__ = ["CATALOGUE", "KINDS", "Query", "Source", "SourceError", "SourceSkipped"]

# Third-party sources would register here too; a plugin hook can feed this dict when the
# first outside source exists (kept explicit until then: one place to read them all).
CATALOGUE: dict[str, type[Source]] = {cls.name: cls for cls in (
    OsmSource, DuckDuckGoSource, DiscourseSource, RedditSource, GleifSource,
)}
KINDS = tuple(dict.fromkeys(cls.kind for cls in CATALOGUE.values()))
