"""directories / gleif and wikidata: registers and open data about companies.

gleif: legal entities from the LEI register, by name words and country.

Format as recorded in tests/recorded/gleif/ (JSON:API): ``data[]`` records whose
``attributes.entity`` has ``legalName.name``, ``legalAddress`` (``addressLines``, ``city``,
``region``, ``country``, ``postalCode``), ``registeredAs`` and ``status``, and whose
``attributes.registration.status`` says whether the LEI is kept up (ISSUED, LAPSED ...).

wikidata: companies whose industry (P452) or product (P1056) is labelled with the query's
words, in the country (P17, matched by its ISO code P297), with official website (P856), LEI
(P1278) and headquarters (P159). SPARQL JSON results (tests/recorded/wikidata_sparql/):
``results.bindings[]``, each ``{var: {"type", "value", "xml:lang"?}}``; an OPTIONAL variable
that did not bind is absent from its binding.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from typing import Any

from prospect.models import Observation
from prospect.sources.base import Query, Source, SourceError, SourceSkipped

__all__ = ["CompaniesHouseSource", "GleifSource", "OpenCorporatesSource", "WikidataSource",
           "gleif_fields", "sparql_companies", "sparql_query"]


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


def sparql_query(query: Query) -> str:
    """The SPARQL for companies in the query's trade (industry or product) and country."""
    # Only word characters reach the query: nothing the user types can close the string.
    found = re.findall(r"\w+", query.text.lower())
    words = [w for w in found if len(w) > 2][:4] or found[:4] or ["company"]
    match = " && ".join(f'CONTAINS(LCASE(?topicLabel), "{w}")' for w in words)
    where = ""
    if query.country and re.fullmatch(r"[A-Za-z]{2}", query.country):
        where = f'?country wdt:P297 "{query.country.upper()}" . ?item wdt:P17 ?country .'
    return f"""SELECT ?item ?itemLabel ?website ?lei ?hqLabel ?countryCode ?topicLabel WHERE {{
  {where}
  VALUES ?via {{ wdt:P452 wdt:P1056 }}
  ?item ?via ?topic .
  ?topic rdfs:label ?topicLabel .
  FILTER(LANG(?topicLabel) = "en" && {match})
  OPTIONAL {{ ?item wdt:P856 ?website }}
  OPTIONAL {{ ?item wdt:P1278 ?lei }}
  OPTIONAL {{ ?item wdt:P159 ?hq }}
  OPTIONAL {{ ?item wdt:P17/wdt:P297 ?countryCode }}
  OPTIONAL {{ ?item wdt:P625 ?coord }}
  SERVICE wikibase:label {{ bd:serviceParam wikibase:language "en,mul". }}
}} LIMIT {max(1, query.limit) * 3}"""


def sparql_companies(data: Any) -> list[tuple[str, dict[str, str]]]:
    """One (entity URI, fields) per item of a SPARQL JSON reply, first value of each wins."""
    try:
        bindings = data["results"]["bindings"]
    except (KeyError, TypeError):
        raise ValueError("not a SPARQL JSON result") from None
    items: dict[str, dict[str, str]] = {}
    for row in bindings:
        uri = str((row.get("item") or {}).get("value") or "")
        if not uri:
            continue
        qid = uri.rsplit("/", 1)[-1]

        def value(var: str, row: dict[str, Any] = row) -> str:
            return str((row.get(var) or {}).get("value") or "")

        label = value("itemLabel")
        fields = items.setdefault(uri, {})
        if label and label != qid:  # the label service returns the QID when there is no label
            fields.setdefault("name", label)
        for var, key in (("website", "website"), ("lei", "lei"), ("hqLabel", "city"),
                         ("countryCode", "country"), ("topicLabel", "category")):
            if value(var) and not re.fullmatch(r"Q\d+", value(var)):
                fields.setdefault(key, value(var))
        # P625 comes as WKT, longitude first: "Point(9.99 53.55)".
        point = re.fullmatch(r"\s*Point\(\s*(\S+)\s+(\S+)\s*\)\s*", value("coord"))
        if point and "latitude" not in fields:
            fields["longitude"], fields["latitude"] = point.group(1), point.group(2)
    return [(uri, f) for uri, f in items.items() if f.get("name")]


class WikidataSource(Source):
    """Companies in the query's trade and country from Wikidata, with web site and LEI."""

    name = "wikidata"
    kind = "directories"
    service = "wikidata"

    def search(self, query: Query) -> Iterator[Observation]:
        """Yield the companies one SPARQL query finds."""
        data = self.get_json(self.endpoint, params={"query": sparql_query(query), "format": "json"},
                             headers={"Accept": "application/sparql-results+json"})
        try:
            companies = sparql_companies(data)
        except ValueError as ex:
            raise SourceError(self.name, str(ex)) from ex
        for uri, fields in companies[: query.limit]:
            yield self.observation(uri, fields, {"item": uri, **fields})


class CompaniesHouseSource(Source):
    """Companies on the UK register whose names match the query (needs a free API key).

    Reply shape as recorded in tests/recorded/companies_house/ (``items[]`` with ``title``,
    ``company_number``, ``company_status``, ``address``, ``date_of_creation``).
    """

    name = "companies-house"
    kind = "directories"
    service = "companies_house"
    needs_key = True

    def search(self, query: Query) -> Iterator[Observation]:
        """Yield register entries for the query words, page by page."""
        key = self.require_key()
        if query.country and query.country.upper() != "GB":
            raise SourceSkipped(self.name, "UK register; the search is not for GB")
        auth = {"Authorization": "Basic " + base64.b64encode(f"{key}:".encode()).decode()}
        count, start = 0, 0
        while count < query.limit:
            size = min(100, query.limit - count)
            data = self.get_json(f"{self.endpoint.rstrip('/')}/search/companies", headers=auth,
                                 params={"q": query.text, "items_per_page": size,
                                         "start_index": start})
            items = data.get("items") if isinstance(data, dict) else None
            if not isinstance(items, list):
                raise SourceError(self.name, "not a Companies House search reply")
            for item in items:
                address = item.get("address") or {}
                number = str(item.get("company_number") or "")
                if not number:
                    continue
                street = " ".join(str(address.get(k) or "") for k in
                                  ("premises", "address_line_1", "address_line_2")).strip()
                fields = {"name": str(item.get("title") or ""), "company_number": number,
                          "address": street, "city": str(address.get("locality") or ""),
                          "region": str(address.get("region") or ""),
                          "postcode": str(address.get("postal_code") or ""),
                          # An overseas company's UK establishment keeps its home address.
                          "country": str(address.get("country") or "GB"),
                          "category": f"{item.get('company_type') or ''} "
                                      f"{item.get('company_status') or ''}".strip()}
                yield self.observation(
                    f"https://find-and-update.company-information.service.gov.uk/company/{number}",
                    fields, item)
                count += 1
            start += len(items)
            if not items or start >= int(data.get("total_results") or 0):
                return


class OpenCorporatesSource(Source):
    """Companies from OpenCorporates by name and jurisdiction (needs an API token).

    Reply shape ``results.companies[].company`` (FORMATS.md section 13, the API reference
    v0.4.8 as used by its client libraries; no recorded reply was found).
    """

    name = "opencorporates"
    kind = "directories"
    service = "opencorporates"
    needs_key = True

    def search(self, query: Query) -> Iterator[Observation]:
        """Yield companies for the query words (in the country's jurisdiction)."""
        token = self.require_key()
        params: dict[str, Any] = {"q": query.text, "api_token": token,
                                  "per_page": min(100, query.limit)}
        if query.country:
            params["country_code"] = query.country.lower()
        data = self.get_json(f"{self.endpoint.rstrip('/')}/companies/search", params=params)
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, dict):
            raise SourceError(self.name, "not an OpenCorporates reply")
        for entry in (results.get("companies") or [])[: query.limit]:
            company = entry.get("company") if isinstance(entry, dict) else None
            if not isinstance(company, dict) or not company.get("name"):
                continue
            jurisdiction = str(company.get("jurisdiction_code") or "")
            fields = {"name": str(company["name"]),
                      "company_number": str(company.get("company_number") or ""),
                      "address": str(company.get("registered_address_in_full") or ""),
                      "country": jurisdiction.split("_")[0].upper()[:2],
                      "category": str(company.get("current_status") or "")}
            url = str(company.get("opencorporates_url") or
                      f"https://opencorporates.com/companies/{jurisdiction}/{fields['company_number']}")
            yield self.observation(url, fields, company)
