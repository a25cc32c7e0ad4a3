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

The package: :mod:`~prospect.sources.websites.pages` reads one page, with
:mod:`~prospect.sources.websites.structured` (schema.org items),
:mod:`~prospect.sources.websites.contacts` (e-mails, phones, VAT and register numbers) and
:mod:`~prospect.sources.websites.addresses` (the postal address in the text), into a
:class:`~prospect.sources.websites.facts.PageFacts`; this module fetches a site's pages and
folds what they say into the book.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import unquote, urlsplit

from prospect import normalize as n
from prospect.config import SERVICES
from prospect.fanin import Job, fan_in
from prospect.http import FetchError, Http, html_text
from prospect.ingest.engine import ingest
from prospect.models import Observation
from prospect.sources.websites.facts import PageFacts
from prospect.sources.websites.pages import read_page
from prospect.storage import LeadBook

__all__ = ["EnrichReport", "PageFacts", "enrich", "fetch_site", "read_page"]

SOURCE = "website"
MAX_CONTACT_PAGES = 2
# Refreshes in the page followed from the home, at most (a loop of them ends here).
MAX_REFRESHES = 2


# Contact and imprint pages name the firm, its address and its people; "about" less often.
# Of the pages _CONTACT finds, those that give the firm's contacts or legal notice, read
# before the pages about it.
_PREFER = re.compile(r"impressum|imprint|kontakt|cont[aá]ct|legal|mentions|aviso|contato|"
                     r"fale|ileti[sş]im|контакт|li[eê]n|hubungi|kontak|联系|聯絡|聯繫|"
                     r"問い合わせ|연락처|اتصل|ติดต่อ", re.I)


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
    # The country the caller knows, else the one the firm's own numbers are of (a Danish CVR
    # number, a German VAT number): it reads the lead's phones and picks its registries.
    country = country or next((p.country for p in pages if p.country), None)
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

    texts: dict[int, tuple[str, str]] = {}  # each page's html and where it ended up

    def page(url: str) -> PageFacts | None:
        resp = http.get(url, interval=pace, robots=True)
        kind = resp.headers.get("content-type", "text/html")
        if "html" not in kind and "xml" not in kind:
            return None
        # Read where the page ended up: its links are relative to that, not to the address
        # asked for (a home that redirects to /de/).
        text, where = html_text(resp), str(resp.url)
        facts = read_page(text, where, country)
        texts[id(facts)] = (text, where)
        return facts

    first = page(home)  # a failure here is the site's failure
    pages: list[PageFacts] = []
    for _ in range(MAX_REFRESHES):
        # An older site's home may send the visitor on with a refresh in the page.
        if first is None or not first.refresh or _home_url(first.refresh) is None:
            break
        pages.append(first)
        try:
            first = page(first.refresh)
        except FetchError:
            first = None
    if first:
        pages.append(first)
    links = sorted(first.contact_links if first else [],
                   key=lambda u: (not _PREFER.search(unquote(u)), len(u)))
    for url in links[:MAX_CONTACT_PAGES]:
        try:
            facts = page(url)
        except FetchError:
            continue  # a missing contact page does not spoil the home page's facts
        if facts:
            pages.append(facts)
    found = None if country else next((p.country for p in pages if p.country), None)
    if found:
        # The firm's country, named by one page's VAT number or register (a legal notice),
        # is how every page's national numbers and addresses read: read them so again.
        pages = [p if p.country else read_page(*texts[id(p)], found) for p in pages]
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
