"""search / duckduckgo, searxng, brave: web results for the product, in the trader's variants.

SearXNG's JSON API (``/search?format=json``): ``results[]`` with ``url``, ``title``,
``content`` (FORMATS.md section 6; a 403 means the instance has JSON output disabled). Brave
Search API: ``web.results[]`` with ``title``, ``url``, ``description`` (HTML), and
``query.more_results_available`` (tests/recorded/brave_search/).

The HTML endpoint's markup, as recorded in tests/recorded/duckduckgo/: each hit is a
``div.result`` with ``a.result__a`` (title and target URL, sometimes wrapped in a
``/l/?uddg=`` redirect) and ``a.result__snippet``; ads are ``div.result--ad``; the end is a
``result--no-result`` block; the next page is the ``div.nav-link`` form, re-posted. A bot
challenge (``#challenge-form``, "anomaly-modal") is a failure, never zero results.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pycountry
from bs4 import BeautifulSoup
from rapidfuzz import fuzz

from prospect import normalize as n
from prospect.http import FetchError
from prospect.models import Observation
from prospect.sources.base import Query, Source, SourceError, SourceSkipped

__all__ = ["BraveSource", "DuckDuckGoSource", "SearchResult", "SearxngSource", "WebSearchSource",
           "lead_name", "parse_results", "query_variants"]

# How a trader searches for buyers: the product with a buyer's trade, with the country's own
# domain (sites and addresses in it), and with the places buyers ask for suppliers.
_TRADES = ("importer", "wholesaler", "distributor", "buyer")
# Result pages asked per query variant: past the fifth, engines mostly repeat themselves.
MAX_PAGES = 5


def query_variants(query: Query) -> list[str]:
    """Return the search strings for ``query``, the plain one first."""
    where = query.place or ""
    country = None
    if query.country:
        found = pycountry.countries.get(alpha_2=query.country.upper())
        country = str(found.name) if found else query.country
        where = where or country
    plain = f"{query.text} {where}".strip()
    variants = [plain, *(f"{query.text} {trade} {where}".strip() for trade in _TRADES)]
    if query.country:
        tld = "uk" if query.country.upper() == "GB" else query.country.lower()
        variants.append(f"{query.text} email site:.{tld}")
    variants.append(f"{query.text} forum buy supplier {where}".strip())
    return list(dict.fromkeys(variants))


class SearchResult(dict[str, str]):
    """One organic result: ``title``, ``url``, ``snippet``."""


def _target(href: str) -> str:
    # Some captures wrap the target in a redirect: //duckduckgo.com/l/?uddg=<url>&rut=...
    if "uddg=" in href:
        values = parse_qs(urlsplit(href).query).get("uddg")
        if values:
            return values[0]
    return "https:" + href if href.startswith("//") else href


def _classes(element: Any) -> list[str]:
    return str(element.get("class") or "").split()


def _text(element: Any) -> str:
    """The element's text pieces, stripped and joined by a space (bs4's get_text(" ", strip=True))."""
    return " ".join(t.strip() for t in element.itertext() if t.strip())


def parse_results(html: str) -> tuple[list[SearchResult], dict[str, str] | None]:
    """Return the organic results of a results page and the next page's form fields (or None).

    Raises ValueError("blocked") for a bot challenge and ValueError for a page that is not a
    results page at all (the markup changed). Parsed with lxml: html.parser with CSS
    selectors took most of a second on a 67 kB page.
    """
    import lxml.html

    if "bots use DuckDuckGo too" in html:
        raise ValueError("blocked")
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8", "replace"))
    except (ValueError, lxml.etree.ParserError) as ex:
        raise ValueError("unexpected page (not HTML)") from ex

    def having(cls: str, tag: str = "*") -> str:
        return f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]"

    if root.xpath("//*[@id='challenge-form']") or root.xpath(having("anomaly-modal__modal")) \
            or root.xpath(having("anomaly-modal")):
        raise ValueError("blocked")
    blocks = root.xpath(having("result", "div"))
    results: list[SearchResult] = []
    for block in blocks:
        classes = _classes(block)
        if "result--ad" in classes or "result--no-result" in classes:
            continue
        links = block.xpath(having("result__a", "a"))
        if not links:
            continue
        link = links[0]
        url = _target(str(link.get("href") or ""))
        if not url.startswith(("http://", "https://")) or "duckduckgo.com/y.js" in url:
            continue
        snippets = block.xpath(having("result__snippet"))
        results.append(SearchResult(title=_text(link), url=url,
                                    snippet=_text(snippets[0]) if snippets else ""))
    if not blocks and not (root.xpath(having("no-results", "div"))
                           or root.xpath("//*[@id='links']") or root.xpath(having("results"))):
        raise ValueError("unexpected page (markup changed?)")
    forms = root.xpath(having("nav-link", "div") + "//form")
    following = None
    if forms:
        following = {str(i.get("name")): str(i.get("value") or "")
                     for i in forms[0].iter("input") if i.get("name")}
    return results, following


_SEPARATORS = re.compile(r"\s+[|\-–—:·»]\s+|\s*[|·»]\s*")


def lead_name(title: str, domain: str, shared: bool = False) -> str:
    """Pick the business's name out of a result title ("Eino: Overview | CloudWeGo").

    On a site of its own the part most like the domain is the name; on a marketplace or
    social site ("Acme Ltd | Facebook") it is the first part that is not the host's.
    """
    parts = [p.strip() for p in _SEPARATORS.split(title) if p.strip()]
    if not parts:
        return domain
    label = domain.split(".")[0].replace("-", "")

    def closeness(part: str) -> float:
        return float(fuzz.partial_ratio(n.fold(part).replace(" ", ""), label))

    if shared:
        return next((p for p in parts if closeness(p) < 80), parts[0])

    best = max(parts, key=closeness)
    if closeness(best) >= 60:
        return best
    return parts[-1] if len(parts) > 1 else parts[0]


class WebSearchSource(Source):
    """A web search engine asked the trader's query variants; one lead per site."""

    kind = "search"

    def _pages(self, text: str, query: Query) -> Iterator[list[SearchResult]]:
        """Yield the engine's result pages for one query string."""
        raise NotImplementedError

    def search(self, query: Query) -> Iterator[Observation]:
        """Yield one observation per site found, over the query variants, up to the limit.

        A variant is asked at most :data:`MAX_PAGES` pages, and no further once a page
        brings no result it has not seen: engines repeat pages and offer a next one forever.
        """
        seen: set[str] = set()
        for variant in query_variants(query):
            urls: set[str] = set()
            for number, page in enumerate(self._pages(variant, query), 1):
                fresh = [r for r in page if r["url"] not in urls]
                urls.update(r["url"] for r in page)
                for result in fresh:
                    obs = self._observation(result, variant, seen)
                    if obs is None:
                        continue
                    yield obs
                    if len(seen) >= query.limit:
                        return
                if not fresh or number >= MAX_PAGES:
                    break

    def _observation(self, result: SearchResult, variant: str,
                     seen: set[str]) -> Observation | None:
        url = result["url"]
        domain = n.registered_domain(url)
        if not domain or n.is_not_a_lead(domain):
            return None
        shared = n.is_shared_host(domain)
        # Several results from one site are one lead; a marketplace shop or social page is
        # its own lead, known by its URL and kept as a profile link, never as a website.
        reference = url if shared else domain
        if reference in seen:
            return None
        seen.add(reference)
        parts = urlsplit(url)
        fields = {"name": lead_name(result["title"], domain, shared),
                  "description": result["snippet"][:500]}
        if shared:
            fields["profiles"] = url
        else:
            fields["website"] = f"{parts.scheme}://{parts.netloc}/"
        raw: dict[str, Any] = {**result, "query": variant}
        return self.observation(reference, fields, raw)


class DuckDuckGoSource(WebSearchSource):
    """Organic web results from DuckDuckGo's HTML endpoint, one lead per site."""

    name = "duckduckgo"
    service = "duckduckgo"

    def _pages(self, text: str, query: Query) -> Iterator[list[SearchResult]]:
        region = f"{query.country.lower()}-{query.country.lower()}" if query.country else "wt-wt"
        if query.country and query.country.upper() == "GB":
            region = "uk-en"
        form: dict[str, str] | None = {"q": text, "kl": region}
        asked: list[dict[str, str]] = []
        while form and form not in asked and len(asked) < MAX_PAGES:
            asked.append(form)
            try:
                resp = self.http.post(self.endpoint, data=form, interval=self.interval,
                                      ok=(200, 202))
            except FetchError as ex:
                raise SourceError(self.name, ex.reason) from ex
            if resp.status_code == 202:
                raise SourceError(self.name, "blocked (HTTP 202 challenge)")
            try:
                results, form = parse_results(resp.text)
            except ValueError as ex:
                raise SourceError(self.name, str(ex)) from ex
            if not results:
                return
            yield results

    def web_results(self, text: str, pages: int = 1) -> list[SearchResult]:
        """Return the organic results for ``text`` (its first pages), for the ask check."""
        out: list[SearchResult] = []
        for number, page in enumerate(self._pages(text, Query(text=text)), 1):
            out.extend(page)
            if number >= pages:
                break
        return out


def _plain(html: str) -> str:
    return " ".join(BeautifulSoup(html or "", "html.parser").get_text(" ").split())


class SearxngSource(WebSearchSource):
    """Web results from a SearXNG instance's JSON API (yours, or one that allows JSON)."""

    name = "searxng"
    service = "searxng"
    pages = 3

    def _pages(self, text: str, query: Query) -> Iterator[list[SearchResult]]:
        if not self.endpoint:
            raise SourceSkipped(self.name, "no instance configured (PROSPECT_SEARXNG_URL)")
        base = self.endpoint.rstrip("/")
        url = base if base.endswith("/search") else base + "/search"
        for number in range(1, self.pages + 1):
            params = {"q": text, "format": "json", "pageno": str(number)}
            try:
                resp = self.http.get(url, params=params, interval=self.interval, ok=(200, 403))
            except FetchError as ex:
                raise SourceError(self.name, ex.reason) from ex
            if resp.status_code == 403:  # settings.yml search.formats lacks json
                raise SourceError(self.name, "JSON output is disabled on this instance (HTTP 403)")
            try:
                data = resp.json()
                rows = data["results"]
            except (ValueError, KeyError, TypeError):
                raise SourceError(self.name, "not a SearXNG JSON reply") from None
            page = [SearchResult(title=str(r.get("title") or ""), url=str(r.get("url") or ""),
                                 snippet=_plain(str(r.get("content") or "")))
                    for r in rows if isinstance(r, dict) and r.get("url")]
            if not page:
                return
            yield page


class BraveSource(WebSearchSource):
    """Web results from the Brave Search API (needs PROSPECT_BRAVE_KEY)."""

    name = "brave"
    service = "brave"
    needs_key = True
    pages = 3

    def _pages(self, text: str, query: Query) -> Iterator[list[SearchResult]]:
        key = self.require_key()
        headers = {"X-Subscription-Token": key, "Accept": "application/json"}
        for offset in range(self.pages):
            params = {"q": text, "count": "20", "offset": str(offset)}
            if query.country:
                params["country"] = query.country.upper()
            data = self.get_json(self.endpoint, params=params, headers=headers)
            web = (data or {}).get("web") if isinstance(data, dict) else None
            rows = (web or {}).get("results") if isinstance(web, dict) else None
            if not isinstance(rows, list):
                return  # no "web" block: no web results for this string
            page = [SearchResult(title=_plain(str(r.get("title") or "")),
                                 url=str(r.get("url") or ""),
                                 snippet=_plain(str(r.get("description") or "")))
                    for r in rows if isinstance(r, dict) and r.get("url")]
            if not page:
                return
            yield page
            more = ((data.get("query") or {}).get("more_results_available")
                    if isinstance(data, dict) else False)
            if not more:
                return
