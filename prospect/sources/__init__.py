"""Where leads come from: every Source, registered in one catalogue by name."""

from __future__ import annotations

from prospect.sources.base import Query, Source, SourceError, SourceSkipped
from prospect.sources.directories import (
    CompaniesHouseSource,
    GleifSource,
    OpenCorporatesSource,
    WikidataSource,
)
from prospect.sources.forums import DiscourseSource, RedditSource
from prospect.sources.maps import GooglePlacesSource, OsmSource
from prospect.sources.search import BraveSource, DuckDuckGoSource, SearxngSource

__all__ = ["CATALOGUE", "KINDS", "Query", "Source", "SourceError", "SourceSkipped"]

# Third-party sources would register here too; a plugin hook can feed this dict when the
# first outside source exists (kept explicit until then: one place to read them all).
CATALOGUE: dict[str, type[Source]] = {cls.name: cls for cls in (
    OsmSource, DuckDuckGoSource, DiscourseSource, RedditSource, GleifSource, WikidataSource,
    SearxngSource, BraveSource, GooglePlacesSource, CompaniesHouseSource, OpenCorporatesSource,
)}
KINDS = tuple(dict.fromkeys(cls.kind for cls in CATALOGUE.values()))
