"""A page's schema.org items (JSON-LD, microdata, RDFa): the site owner's among them."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from typing import Any

from bs4 import BeautifulSoup

from prospect import normalize as n
from prospect.sources.websites.contacts import valid_vat
from prospect.sources.websites.facts import PageFacts, add_value, page_email, social_profile

__all__ = ["read_schema"]

# schema.org's Organization and LocalBusiness and the kinds of them pages use most.
_ORG_TYPES = re.compile(r"Organization|Corporation|Business|Store|Shop|Restaurant|"
                        r"Establishment|Service|Company|Wholesale|Manufacturer|Dealer|Agency|"
                        r"Hotel|Motel|Hostel|Resort|BedAndBreakfast|Campground|Office|Clinic|"
                        r"Dentist|Physician|Attorney|Notary|Bakery|Brewery|Winery|"
                        r"CafeOrCoffeeShop|BarOrPub", re.I)


def _jsonld_things(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _jsonld_things(item)
    elif isinstance(node, dict):
        yield node
        for key in ("@graph", "publisher", "provider", "seller", "brand", "author",
                    "mainEntity", "parentOrganization"):
            if key in node:
                yield from _jsonld_things(node[key])


def _text_value(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("name") or value.get("@id") or ""
    if isinstance(value, list):
        value = value[0] if value else ""
    # Microdata and RDFa values are an element's text: its line breaks are the page source's.
    return " ".join(str(value or "").split())


def _schema_things(soup: BeautifulSoup, html: str, url: str) -> list[dict[str, Any]]:
    """The schema.org items of a page: JSON-LD blocks, and microdata (itemscope, itemprop)
    as extruct reads it, in the shape JSON-LD has."""
    things: list[dict[str, Any]] = []
    for script in soup.find_all("script", attrs={"type": re.compile(r"ld\+json", re.I)}):
        try:
            data = json.loads(script.string or script.get_text() or "")
        except ValueError:
            continue  # a broken block on a page is common; the rest of the page still counts
        things.extend(_jsonld_things(data))
    low = html.lower()
    syntaxes = [name for name, mark in (("microdata", "itemscope"), ("rdfa", "typeof="))
                if mark in low]
    if syntaxes:
        import extruct

        with contextlib.suppress(Exception):  # a page extruct cannot read keeps the rest
            found = extruct.extract(html, base_url=url, syntaxes=syntaxes, uniform=True)
            things.extend(_jsonld_things(found.get("microdata") or []))
            things.extend(_rdfa_things(found.get("rdfa") or []))
    return things


_SCHEMA_ORG = ("https://schema.org/", "http://schema.org/")


def _rdfa_things(nodes: list[Any]) -> list[dict[str, Any]]:
    """The schema.org items of RDFa as extruct gives it (a flat graph of expanded JSON-LD
    nodes that refer to each other by id), in the compact shape JSON-LD blocks have."""
    by_id = {node.get("@id"): node for node in nodes if isinstance(node, dict)}

    def short(term: Any) -> str | None:
        for prefix in _SCHEMA_ORG:
            if isinstance(term, str) and term.startswith(prefix):
                return term[len(prefix):]
        return None

    def compact(node: dict[str, Any], depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        kinds = [k for k in map(short, node.get("@type") or []) if k]
        if kinds:
            out["@type"] = kinds if len(kinds) > 1 else kinds[0]
        for term, values in node.items():
            name = short(term)
            if not name:
                continue
            items: list[Any] = []
            for value in values if isinstance(values, list) else [values]:
                if not isinstance(value, dict):
                    continue
                if "@value" in value:
                    items.append(value["@value"])
                elif "@id" in value:
                    # An address or a position is a node of its own; a mailto: is an id.
                    ref = by_id.get(value["@id"])
                    items.append(compact(ref, depth + 1) if isinstance(ref, dict) and depth < 3
                                 else value["@id"])
            if items:
                out[name] = items[0] if len(items) == 1 else items
        return out

    return [compact(node, 0) for node in by_id.values()
            if isinstance(node, dict) and any(map(short, node.get("@type") or []))]


def _kinds(thing: dict[str, Any]) -> str:
    kinds = thing.get("@type")
    return " ".join(kinds) if isinstance(kinds, list) else str(kinds or "")


def read_schema(soup: BeautifulSoup, html: str, url: str, facts: PageFacts,
                 country: str | None) -> set[str]:
    """The site owner's facts from the page's schema.org items.

    A page may describe other businesses too (the restaurants near a hotel, an article's
    subject): the owner is the one whose url is on the site, else the one business the page
    describes, else the first of those that name no site. Of several with sites of their
    own, none is taken. Returns the numbers the page's other businesses give (see below).
    """
    firms = [t for t in _schema_things(soup, html, url) if _ORG_TYPES.search(_kinds(t))]
    site = n.registered_domain(url)
    own = [t for t in firms
           if site and n.registered_domain(_text_value(t.get("url"))) == site]
    if not own and (len(firms) == 1 or not any(_text_value(t.get("url")) for t in firms)):
        own = firms[:1]
    for thing in own:
        _read_thing(thing, facts, country)
    # The restaurants a hotel lists, each an item of its own kind or name or site: their
    # numbers are theirs, wherever on the page they are printed.
    others: set[str] = set()
    kinds = {_kinds(t) for t in own}
    names = {_text_value(t.get("name")) for t in own} - {""}
    for thing in firms:
        other_site = _text_value(thing.get("url")) and n.registered_domain(
            _text_value(thing.get("url"))) != site
        name = _text_value(thing.get("name"))
        if any(thing is o for o in own) or not (other_site or _kinds(thing) not in kinds
                                                or (name and names and name not in names)):
            continue
        others.update(_schema_numbers(thing, country))
    for thing in own:
        others.difference_update(_schema_numbers(thing, country))
    return others


def _schema_numbers(thing: dict[str, Any], country: str | None) -> Iterator[str]:
    """The phone and fax numbers anywhere in a schema.org item, in E.164."""
    for raw in _schema_values(thing, ("telephone", "faxNumber")):
        phone = n.normalize_phone(raw, country)
        if phone and phone.e164:
            yield phone.e164


def _schema_values(node: Any, keys: tuple[str, ...], depth: int = 0) -> Iterator[str]:
    """The values of ``keys`` anywhere in a schema.org item (its address's too)."""
    if depth > 4:
        return
    if isinstance(node, list):
        for item in node:
            yield from _schema_values(item, keys, depth + 1)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in keys and isinstance(value, str):
                yield value
            elif isinstance(value, (dict, list)):
                yield from _schema_values(value, keys, depth + 1)


def _read_thing(thing: dict[str, Any], facts: PageFacts, country: str | None) -> None:
    """The facts of one schema.org Organization or LocalBusiness (or a kind of either)."""
    facts.name = facts.name or _text_value(thing.get("legalName") or thing.get("name"))
    add_value(facts.emails, page_email(_text_value(thing.get("email")).removeprefix("mailto:")))
    phone = n.normalize_phone(_text_value(thing.get("telephone")), country)
    add_value(facts.phones, phone.e164 if phone else None)
    facts.vat = facts.vat or valid_vat(_text_value(thing.get("vatID")))
    address = thing.get("address")
    if isinstance(address, list):
        address = address[0] if address else None
    if isinstance(address, dict) and not facts.address:
        parts = {"address": _text_value(address.get("streetAddress")),
                 "postcode": _text_value(address.get("postalCode")),
                 "city": _text_value(address.get("addressLocality")),
                 "region": _text_value(address.get("addressRegion")),
                 "country": _text_value(address.get("addressCountry"))}
        if parts["address"] and not (parts["postcode"] or parts["city"]):
            # The whole address in streetAddress ("Pentland House, Village Way, Wilmslow,
            # Cheshire, SK9 2GH"): the page's own lines, read after, say it better.
            facts.street_only = parts["address"]
        else:
            facts.address = {k: v for k, v in parts.items() if v}
    elif isinstance(address, str) and address.strip() and not facts.address:
        facts.address = {"address": address.strip()}
    geo = thing.get("geo")
    if isinstance(geo, dict) and not facts.position:
        # schema.org GeoCoordinates: where the business itself is.
        position = n.normalize_position(geo.get("latitude", ""), geo.get("longitude", ""))
        facts.position = position or ()
    same = thing.get("sameAs") or []
    for url in same if isinstance(same, list) else [same]:
        add_value(facts.socials, social_profile(str(url)))
