"""maps / osm: businesses from OpenStreetMap, the area found by Nominatim, the places by Overpass.

Formats as recorded in tests/recorded/{nominatim,overpass}/ (see SOURCES.md there): Nominatim
answers a JSON array whose ``boundingbox`` is [south, north, west, east] as strings; Overpass
answers JSON ``elements`` (``center`` for ways with ``out center``), and reports failures
either as an HTML "OSM3S Response" page or as HTTP 200 JSON with a ``remark`` runtime error:
both are failures, never "no results".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from bs4 import BeautifulSoup

from prospect.config import SERVICES
from prospect.http import FetchError
from prospect.models import Observation
from prospect.sources.base import Query, Source, SourceError, SourceSkipped

__all__ = ["OsmSource", "element_fields", "overpass_query", "parse_overpass"]

# Tags whose value says what a place sells or does; a query word found in any of them counts.
MATCH_TAGS = ("name", "brand", "operator", "shop", "office", "craft", "trade", "amenity",
              "industrial", "description", "products", "cuisine")
# A lead is a business: a place tagged as one of these (not a street or a park named "Coffee").
BUSINESS_TAGS = ("shop", "office", "craft", "amenity", "trade", "industrial", "healthcare",
                 "tourism", "company", "man_made")
# Countries that write the house number after the street ("Elbstraße 12").
_NUMBER_AFTER = frozenset({"AT", "BA", "BE", "BG", "BR", "CH", "CL", "CO", "CZ", "DE", "DK", "EE",
                            "ES", "FI", "GR", "HR", "HU", "IS", "IT", "LT", "LV", "MK", "MX", "NL",
                            "NO", "PL", "PT", "RO", "RS", "RU", "SE", "SI", "SK", "TR", "UA", "AR"})
_STOP = {"and", "the", "for", "with", "von", "und", "der", "die", "das", "les", "des"}


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text.lower()) if len(w) >= 3 and w not in _STOP]


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def overpass_query(text: str, area: str, limit: int, timeout: int = 60) -> str:
    """Return Overpass QL finding places whose name or trade tags match a word of ``text``.

    ``area`` is an Overpass filter: ``(area.a)`` after an area statement, or a bounding box
    ``(south,west,north,east)``.
    """
    words = _words(text) or [text.lower()]
    pattern = _quote("|".join(re.escape(w) for w in words))
    head = f"[out:json][timeout:{timeout}];\n"
    if area.startswith("area:"):
        head += f"{area[5:]}->.a;\n"
        area = "(area.a)"
    union = "".join(f"  nwr[{_quote(tag)}~{pattern},i]{area};\n" for tag in MATCH_TAGS)
    # Several tags of one place match; ask for more than the limit and rank client-side.
    return f"{head}(\n{union});\nout center {limit * 4};"


def _first(value: str | None) -> str:
    # OSM packs several values into one tag with ";" ("+389 2 ...;+389 71 ...").
    return value.split(";")[0].strip() if value else ""


def _overpass_error(body: str) -> str | None:
    """Return the error an Overpass HTML page or JSON remark carries, if any."""
    text = body.lstrip()
    if text.startswith("<"):
        soup = BeautifulSoup(text, "html.parser")
        for p in soup.find_all("p"):
            if p.find("strong") and "Error" in p.get_text():
                message = p.get_text(" ", strip=True).split(":", 1)[-1].strip()
                if "rate_limited" in message:
                    return "rate limited"
                if "timeout" in message.lower() or "timed out" in message.lower():
                    return "timeout"
                return message[:120]
        return "HTML page instead of JSON"
    return None


def parse_overpass(body: str, query_text: str) -> list[dict[str, Any]]:
    """Return the business elements of an Overpass JSON reply, best matches first.

    Raises ValueError with a short reason for an error page, a runtime-error remark or a
    reply that is not Overpass JSON.
    """
    error = _overpass_error(body)
    if error:
        raise ValueError(error)
    try:
        data = json.loads(body)
    except json.JSONDecodeError as ex:
        raise ValueError("truncated or invalid JSON") from ex
    if not isinstance(data, dict) or "elements" not in data:
        raise ValueError("not an Overpass reply")
    remark = str(data.get("remark") or "")
    if "error" in remark.lower():
        raise ValueError("timeout" if "timed out" in remark else remark[:120])
    words = _words(query_text)
    found: list[tuple[int, dict[str, Any]]] = []
    seen: set[str] = set()
    for el in data["elements"]:
        tags = el.get("tags") or {}
        ref = f"{el.get('type')}/{el.get('id')}"
        if not tags.get("name") or ref in seen or not any(t in tags for t in BUSINESS_TAGS):
            continue
        seen.add(ref)
        haystack = " ".join(str(tags.get(t, "")) for t in MATCH_TAGS).lower()
        found.append((sum(w in haystack for w in words), el))
    found.sort(key=lambda item: -item[0])
    return [el for _, el in found]


def element_fields(el: dict[str, Any], country: str | None = None) -> dict[str, str]:
    """Return a lead's fields from one OSM element's tags."""
    tags: dict[str, str] = {k: str(v) for k, v in (el.get("tags") or {}).items()}
    cc = (tags.get("addr:country") or country or "").upper()
    street, number = tags.get("addr:street", ""), tags.get("addr:housenumber", "")
    address = f"{street} {number}" if cc in _NUMBER_AFTER else f"{number} {street}"
    kind = next((f"{t}={tags[t]}" for t in BUSINESS_TAGS if t in tags), "")
    return {
        "name": tags.get("name", ""),
        "website": _first(tags.get("website") or tags.get("contact:website") or tags.get("url")),
        "email": _first(tags.get("email") or tags.get("contact:email")),
        "phone": _first(tags.get("phone") or tags.get("contact:phone")
                        or tags.get("contact:mobile")),
        "address": address.strip(),
        "city": tags.get("addr:city", ""),
        "postcode": tags.get("addr:postcode", ""),
        "region": tags.get("addr:state", ""),
        "country": cc,
        "category": kind,
        "description": tags.get("description", ""),
        # A node has its own position; a way or relation asked with "out center" its centre.
        "latitude": str(el.get("lat", (el.get("center") or {}).get("lat", ""))),
        "longitude": str(el.get("lon", (el.get("center") or {}).get("lon", ""))),
    }


class OsmSource(Source):
    """Shops, offices, crafts and amenities from OpenStreetMap matching the query in an area."""

    name = "osm"
    kind = "maps"
    service = "overpass"

    def _area(self, query: Query) -> tuple[str, str | None]:
        """Return the Overpass area filter for the query's place, and its country code."""
        if not query.place:
            if query.country:
                return (f'area:area["ISO3166-1"={_quote(query.country.upper())}][admin_level=2]',
                        query.country.upper())
            raise SourceSkipped(self.name, "no place: pass --in PLACE or --country")
        base = self.config.endpoint("nominatim").rstrip("/")
        params = {"q": query.place, "format": "jsonv2", "limit": "1", "addressdetails": "1"}
        if query.country:
            params["countrycodes"] = query.country.lower()
        results = self.get_json(f"{base}/search", params=params,
                                interval=SERVICES["nominatim"].interval, service="nominatim")
        if not isinstance(results, list) or not results:
            raise SourceError(self.name, f"place not found: {query.place}")
        hit = results[0]
        country = str((hit.get("address") or {}).get("country_code", "")).upper() or query.country
        osm_type, osm_id = hit.get("osm_type"), hit.get("osm_id")
        if osm_type in ("relation", "way") and str(osm_id).isdigit():
            offset = 3600000000 if osm_type == "relation" else 2400000000
            return f"area:area({offset + int(osm_id)})", country
        south, north, west, east = (float(x) for x in hit["boundingbox"])
        return f"({south},{west},{north},{east})", country

    def search(self, query: Query) -> Iterator[Observation]:
        """Yield the places of the query's area whose name or trade tags match it."""
        area, country = self._area(query)
        ql = overpass_query(query.text, area, query.limit)
        try:
            resp = self.http.post(self.endpoint, data={"data": ql}, interval=self.interval,
                                  ok=(200, 400))
        except FetchError as ex:
            raise SourceError(self.name, ex.reason) from ex
        try:
            elements = parse_overpass(resp.text, query.text)
        except ValueError as ex:
            raise SourceError(self.name, str(ex)) from ex
        for el in elements[: query.limit]:
            ref = f"https://www.openstreetmap.org/{el.get('type')}/{el.get('id')}"
            yield self.observation(ref, element_fields(el, country), el)


class GooglePlacesSource(Source):
    """Places from Google's Places API (New) text search (needs PROSPECT_GOOGLE_PLACES_KEY).

    Request and reply as FORMATS.md section 14 describes them (no recorded reply was found):
    POST ``places:searchText`` with ``X-Goog-Api-Key`` and a field mask; ``places[]`` with
    ``displayName.text``, ``formattedAddress``, ``websiteUri``, ``internationalPhoneNumber``,
    ``types``; ``nextPageToken`` for more.
    """

    name = "google-places"
    kind = "maps"
    service = "google_places"
    needs_key = True
    FIELDS = ("places.id,places.displayName,places.formattedAddress,places.websiteUri,"
              "places.internationalPhoneNumber,places.nationalPhoneNumber,places.types,"
              "places.location,"
              "nextPageToken")

    def search(self, query: Query) -> Iterator[Observation]:
        """Yield places for "TEXT in PLACE", page by page."""
        key = self.require_key()
        text = f"{query.text} in {query.place}" if query.place else query.text
        body: dict[str, Any] = {"textQuery": text, "pageSize": min(20, query.limit)}
        if query.country:
            body["regionCode"] = query.country.upper()
        headers = {"X-Goog-Api-Key": key, "X-Goog-FieldMask": self.FIELDS,
                   "Content-Type": "application/json"}
        count = 0
        while True:
            try:
                resp = self.http.post(self.endpoint, content=json.dumps(body).encode(),
                                      headers=headers, interval=self.interval)
                data = resp.json()
            except FetchError as ex:
                raise SourceError(self.name, ex.reason) from ex
            except ValueError:
                raise SourceError(self.name, "not a Places API reply") from None
            for place in data.get("places") or []:
                name = str((place.get("displayName") or {}).get("text") or "")
                if not name:
                    continue
                types = place.get("types") or []
                fields = {"name": name, "address": str(place.get("formattedAddress") or ""),
                          "website": str(place.get("websiteUri") or ""),
                          "phone": str(place.get("internationalPhoneNumber")
                                       or place.get("nationalPhoneNumber") or ""),
                          "country": query.country or "",
                          "category": str(types[0]) if types else ""}
                location = place.get("location") or {}
                if isinstance(location, dict):
                    fields["latitude"] = str(location.get("latitude", ""))
                    fields["longitude"] = str(location.get("longitude", ""))
                yield self.observation(f"https://www.google.com/maps/place/?q=place_id:"
                                       f"{place.get('id')}", fields, place)
                count += 1
                if count >= query.limit:
                    return
            token = data.get("nextPageToken")
            if not token:
                return
            body["pageToken"] = token
