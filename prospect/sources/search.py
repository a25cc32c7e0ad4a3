"""search / duckduckgo: web results for the product, in the trader's query variants.

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
from bs4 import BeautifulSoup, Tag
from rapidfuzz import fuzz

from prospect import normalize as n
from prospect.http import FetchError
from prospect.models import Observation
from prospect.sources.base import Query, Source, SourceError

__all__ = ["DuckDuckGoSource", "SearchResult", "lead_name", "parse_results", "query_variants"]

# How a trader searches for buyers: the product with a buyer's trade, with the country's own
# domain (sites and addresses in it), and with the places buyers ask for suppliers.
_TRADES = ("importer", "wholesaler", "distributor", "buyer")


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


def parse_results(html: str) -> tuple[list[SearchResult], dict[str, str] | None]:
    """Return the organic results of a results page and the next page's form fields (or None).

    Raises ValueError("blocked") for a bot challenge and ValueError for a page that is not a
    results page at all (the markup changed).
    """
    soup = BeautifulSoup(html, "html.parser")
    if soup.select_one("#challenge-form, .anomaly-modal__modal, .anomaly-modal") or \
            "bots use DuckDuckGo too" in html:
        raise ValueError("blocked")
    blocks = soup.select("div.result")
    results: list[SearchResult] = []
    for block in blocks:
        classes = list(block.get("class") or [])
        if "result--ad" in classes or "result--no-result" in classes:
            continue
        link = block.select_one("a.result__a")
        if not isinstance(link, Tag):
            continue
        url = _target(str(link.get("href", "")))
        if not url.startswith(("http://", "https://")) or "duckduckgo.com/y.js" in url:
            continue
        snippet = block.select_one(".result__snippet")
        results.append(SearchResult(
            title=link.get_text(" ", strip=True), url=url,
            snippet=snippet.get_text(" ", strip=True) if snippet else ""))
    if not blocks and not soup.select_one("div.no-results, #links, .results"):
        raise ValueError("unexpected page (markup changed?)")
    form = soup.select_one("div.nav-link form")
    following = None
    if isinstance(form, Tag):
        following = {str(i.get("name")): str(i.get("value", "")) for i in form.find_all("input")
                     if isinstance(i, Tag) and i.get("name")}
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


class DuckDuckGoSource(Source):
    """Organic web results from DuckDuckGo's HTML endpoint, one lead per site."""

    name = "duckduckgo"
    kind = "search"
    service = "duckduckgo"

    def _pages(self, text: str, region: str) -> Iterator[list[SearchResult]]:
        form: dict[str, str] | None = {"q": text, "kl": region}
        while form:
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
        for number, page in enumerate(self._pages(text, "wt-wt"), 1):
            out.extend(page)
            if number >= pages:
                break
        return out

    def search(self, query: Query) -> Iterator[Observation]:
        """Yield one observation per site found, over the query variants, up to the limit."""
        region = f"{query.country.lower()}-{query.country.lower()}" if query.country else "wt-wt"
        if query.country and query.country.upper() == "GB":
            region = "uk-en"
        seen: set[str] = set()
        for variant in query_variants(query):
            for page in self._pages(variant, region):
                for result in page:
                    obs = self._observation(result, variant, seen)
                    if obs is None:
                        continue
                    yield obs
                    if len(seen) >= query.limit:
                        return

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
