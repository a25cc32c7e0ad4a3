"""The Datasette instance over a lead book: its metadata, saved views and settings."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from prospect.config import Config

__all__ = ["FACETS", "HIDDEN_TABLES", "SAVED_VIEWS", "build", "metadata", "tile_layer"]

# What a user filters the list by, in the order the page shows them.
# "lead" facets are counted by plugin.LeadFacet, which reads the book's indexes.
FACETS: list[Any] = ["grade", "status", "country", "city", "tier", {"lead": "sources"},
                     {"lead": "do_not_contact"}, {"lead": "vetted"}, {"lead": "not_touched"}]
# The book's machinery: nothing a user reads.
HIDDEN_TABLES = ("lead_keys", "name_tokens", "meta", "forgotten", "cannot_link",
                 "_sqlite_migrations", "search_leads")
_COLUMNS = ("id, grade, name, status, do_not_contact, country, city, phone, email, website, "
            "touched_at, latitude, longitude, popup")

SAVED_VIEWS: dict[str, dict[str, Any]] = {
    "gone_quiet": {
        "title": "Follow-ups gone quiet",
        "description": "Leads contacted, replied or qualified with no note or status change for "
                       "DAYS days (14 when left empty), the longest quiet first.",
        "sql": f"SELECT {_COLUMNS} FROM lead_list "
               "WHERE status IN ('contacted', 'replied', 'qualified') "
               "AND coalesce(touched_at, first_seen) < strftime('%Y-%m-%dT%H:%M:%S', 'now', "
               "'-' || coalesce(cast(nullif(:days, '') AS INTEGER), 14) || ' days') "
               "ORDER BY coalesce(touched_at, first_seen)",
        "params": ["days"],
    },
    "never_contacted": {
        "title": "A and B leads never contacted",
        "description": "Graded A or B, not marked do-not-contact, never marked contacted; "
                       "best ranked first.",
        "sql": f"SELECT {_COLUMNS}, rank FROM lead_list l WHERE grade IN ('A', 'B') "
               "AND do_not_contact = 0 AND status = 'new' AND NOT EXISTS (SELECT 1 FROM "
               "activities a WHERE a.lead_id = l.id AND a.status = 'contacted') "
               "ORDER BY grade, rank IS NULL, rank DESC, id",
    },
    "near": {
        "title": "Leads near a point",
        "description": "Leads within KM kilometres (10 when left empty) of LAT, LON "
                       "(decimal degrees, e.g. 53.55 and 9.99), nearest first.",
        "sql": f"SELECT {_COLUMNS}, round(prospect_distance_km(:lat, :lon, latitude, "
               "longitude), 2) AS km FROM lead_list WHERE latitude IS NOT NULL AND "
               "prospect_distance_km(:lat, :lon, latitude, longitude) <= "
               "coalesce(cast(nullif(:km, '') AS REAL), 10) ORDER BY km",
        "params": ["lat", "lon", "km"],
    },
    "new_since_refresh": {
        "title": "New since the last refresh",
        "description": "Leads first seen since the latest 'prospect refresh' started "
                       "(none before the first refresh).",
        "sql": f"SELECT {_COLUMNS}, first_seen FROM lead_list WHERE first_seen >= "
               "(SELECT max(started) FROM runs WHERE kind = 'refresh') ORDER BY first_seen DESC",
    },
}


def tile_layer(config: Config) -> str:
    """The map tile URL: ``PROSPECT_TILES_URL``, else ``[endpoints] tiles``, else OpenStreetMap's."""
    return config.endpoint("tiles")


def metadata(name: str, *, tiles: str, write: bool, book: str) -> dict[str, Any]:
    """Datasette's metadata for a book served as database ``name``."""
    tables: dict[str, Any] = {t: {"hidden": True} for t in HIDDEN_TABLES}
    tables["lead_list"] = {
        "title": "Leads",
        "description": "Every lead, with its grade and follow-up. Filters of 'prospect leads': "
                       "?_near=LAT,LON&_within=KM, ?_not_touched=DAYS, ?_source=NAME.",
        "facets": FACETS, "fts_table": "leads_fts", "fts_pk": "id", "size": 50,
    }
    tables["leads"] = {"fts_table": "leads_fts", "fts_pk": "id", "label_column": "name"}
    return {
        "title": "prospect lead book",
        "databases": {name: {"tables": tables, "queries": SAVED_VIEWS}},
        "plugins": {
            "datasette-cluster-map": {"tile_layer": tiles, "latitude_column": "latitude",
                                      "longitude_column": "longitude"},
            "prospect": {"write": write, "book": book, "database": name},
        },
    }


def build(path: Path, *, tiles: str, write: bool = False) -> Any:
    """A Datasette app over the book at ``path`` (migrated already), with prospect's plugin."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    from prospect.web import plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name="prospect")
    # Datasette prints every error with its locals through rich when rich is installed (it
    # is, for prospect's tables): a mistyped lead id would fill the terminal. Without it, a
    # 4xx answers quietly and a server error still prints its traceback.
    from datasette import handle_exception

    handle_exception.rich = None
    name = path.stem
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    here = Path(__file__).parent
    return Datasette(
        # A book in a read-only folder cannot keep a WAL journal: read it as a fixed file.
        files=[str(path)] if writable else [], immutables=[] if writable else [str(path)],
        metadata=metadata(name, tiles=tiles, write=write, book=str(path)),
        template_dir=str(here / "templates"),
        static_mounts=[("prospect-static", str(here / "static"))],
        settings={
            # Suggesting facets scans every column of a big book on each page.
            "suggest_facets": False,
            "default_page_size": 50,
            "facet_time_limit_ms": 400,
            "sql_time_limit_ms": 5000,
            # The book holds people's contact details: no one-click copy of the whole file.
            "allow_download": False,
            # Marks and notes must show at once, not after a cache expires.
            "default_cache_ttl": 0,
        },
    )
