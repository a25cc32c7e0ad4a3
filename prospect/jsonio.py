"""The records of a JSON file as a table of text, for the import to read as it reads a CSV.

Map scrapers (Apify, Outscraper), APIs and Overpass Turbo export JSON, not CSV: an array of
objects, JSON lines (an object a line), an object that holds the array ("data", "results"), or
a GeoJSON FeatureCollection. Nested values become columns named by their path, as Apify
flattens them for CSV: ``location.lat``, ``facebooks/0``; a GeoJSON point gives ``latitude``
and ``longitude``.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["records", "table"]

# How deep a record's nesting and how many items of a list become columns: a place's
# address and its first few links, not the text of its hundred reviews.
_DEPTH = 4
_ITEMS = 10


def records(text: str) -> list[dict[str, Any]] | None:
    """The records a JSON text holds, or ``None`` where the text is not JSON."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        lines = [line for line in text.splitlines() if line.strip()]
        try:
            data = [json.loads(line) for line in lines]
        except json.JSONDecodeError:
            return None
    return _listed(data)


# Where APIs put the records in the object they answer with: most APIs, GeoJSON, Overpass,
# Yelp's and Google's business searches. Another object is one record (a place with its
# list of reviews is not a list of places).
_ENVELOPES = ("data", "results", "items", "records", "features", "elements", "businesses",
              "places", "candidates", "rows")


def _listed(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict):
        held = next((data[k] for k in _ENVELOPES if isinstance(data.get(k), list)), None)
        data = held if held is not None else [data]
    if not isinstance(data, list):
        return []
    return [_one(x) for x in data if isinstance(x, dict)]


def _one(record: dict[str, Any]) -> dict[str, Any]:
    """A record as the import reads it: a GeoJSON feature's or an OSM element's tags, with
    the point's latitude and longitude; any other as it is."""
    if record.get("type") == "Feature":
        return _feature(record)
    if record.get("type") in ("node", "way", "relation") and isinstance(record.get("tags"), dict):
        # Overpass API JSON: a node's position, or a way's "center" (out center).
        where = record if "lat" in record else record.get("center") or {}
        element = {**record["tags"], "id": f"{record['type']}/{record.get('id')}"}
        if "lat" in where and "lon" in where:
            element.setdefault("latitude", where["lat"])
            element.setdefault("longitude", where["lon"])
        return element
    return record


def _feature(feature: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON feature's properties, with its point's latitude and longitude."""
    record = dict(feature.get("properties") or {})
    geometry = feature.get("geometry") or {}
    point = geometry.get("coordinates") if geometry.get("type") == "Point" else None
    if (isinstance(point, list) and len(point) >= 2
            and all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in point[:2])):
        record.setdefault("longitude", point[0])  # GeoJSON writes the longitude first
        record.setdefault("latitude", point[1])
    if "id" in feature:
        record.setdefault("id", feature["id"])
    return record


def table(rows: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """The columns of ``rows`` (every path met, in the order first met) and each row's text."""
    flat = [_flat(row) for row in rows]
    headers = list(dict.fromkeys(key for row in flat for key in row))
    return headers, [[row.get(h, "") for h in headers] for row in flat]


def _flat(value: Any, path: str = "", out: dict[str, str] | None = None,
          depth: int = 0) -> dict[str, str]:
    out = {} if out is None else out
    if isinstance(value, dict):
        if depth < _DEPTH:
            for key, item in value.items():
                _flat(item, f"{path}.{key}" if path else str(key), out, depth + 1)
    elif isinstance(value, list):
        if depth < _DEPTH:
            for i, item in enumerate(value[:_ITEMS]):
                _flat(item, f"{path}/{i}", out, depth + 1)
    elif value is not None and path:
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        out[path] = " ".join(text.split())  # a line break in a value would part the row
    return out
