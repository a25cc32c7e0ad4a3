"""directories / gleif: legal entities from the LEI register, by name words and country.

Format as recorded in tests/recorded/gleif/ (JSON:API): ``data[]`` records whose
``attributes.entity`` has ``legalName.name``, ``legalAddress`` (``addressLines``, ``city``,
``region``, ``country``, ``postalCode``), ``registeredAs`` and ``status``, and whose
``attributes.registration.status`` says whether the LEI is kept up (ISSUED, LAPSED ...).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prospect.models import Observation
from prospect.sources.base import Query, Source, SourceError

__all__ = ["GleifSource", "gleif_fields"]


def gleif_fields(record: dict[str, Any]) -> dict[str, str]:
    """Return a lead's fields from one GLEIF LEI record."""
    attrs = record.get("attributes") or {}
    entity = attrs.get("entity") or {}
    address = entity.get("legalAddress") or {}
    registration = attrs.get("registration") or {}
    return {
        "name": str((entity.get("legalName") or {}).get("name") or ""),
        "address": " ".join(str(x) for x in address.get("addressLines") or [] if x),
        "city": str(address.get("city") or ""),
        "region": str(address.get("region") or ""),
        "postcode": str(address.get("postalCode") or ""),
        "country": str(address.get("country") or ""),
        "lei": str(attrs.get("lei") or record.get("id") or ""),
        "company_number": str(entity.get("registeredAs") or ""),
        "category": f"entity {str(entity.get('status', '')).lower()}, "
                    f"LEI {str(registration.get('status', '')).lower()}",
    }


class GleifSource(Source):
    """Legal entities in the LEI register whose names match the query, in the country."""

    name = "gleif"
    kind = "directories"
    service = "gleif"

    def search(self, query: Query) -> Iterator[Observation]:
        """Yield LEI records for the query's words (and country), page by page."""
        base = self.endpoint.rstrip("/")
        size = min(100, query.limit)
        count = 0
        for number in range(1, 11):
            params: dict[str, Any] = {"filter[fulltext]": query.text, "page[size]": size,
                                      "page[number]": number}
            if query.country:
                params["filter[entity.legalAddress.country]"] = query.country.upper()
            data = self.get_json(f"{base}/lei-records", params=params,
                                 headers={"Accept": "application/vnd.api+json"})
            if not isinstance(data, dict) or not isinstance(data.get("data"), list):
                raise SourceError(self.name, "not a GLEIF reply")
            for record in data["data"]:
                fields = gleif_fields(record)
                if not fields["lei"]:
                    continue
                yield self.observation(f"https://search.gleif.org/#/record/{fields['lei']}",
                                       fields, record)
                count += 1
                if count >= query.limit:
                    return
            pages = (data.get("meta") or {}).get("pagination") or {}
            if number >= int(pages.get("lastPage") or 1):
                return
