"""ask (问): what do others say? Complaint and anti-fraud traces through the search sources.

The guide asks for several keyword variants (name, domain, e-mail, phone, each with scam /
fraud / complaint / 骗子 / 投诉 / 诈骗). Hits on known complaint and review sites (a data list,
``prospect/data/complaint_sites.txt``) are shown as evidence. When no search source answers,
the finding is ``skip`` and lists ready-made search URLs so the user can look by hand.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import quote_plus, urlsplit

from prospect import normalize as n
from prospect.normalize import is_free_mail
from prospect.sources.base import SourceError
from prospect.sources.search import DuckDuckGoSource
from prospect.vetting.base import Check, CheckSkipped, Finding, Subject

__all__ = ["ComplaintsCheck", "complaint_site", "manual_urls", "queries"]

MAX_QUERIES = 4  # one page each: enough to find a loud complaint, gentle on the engine


@cache
def _sites() -> tuple[tuple[str, str], ...]:
    pairs = (line.partition(" ") for line in n.data_lines("complaint_sites.txt"))
    return tuple((domain, path.strip().lower()) for domain, _, path in pairs)


def complaint_site(url: str) -> str | None:
    """Return the complaint site ``url`` belongs to, or None."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = parts.path.lower()
    for domain, prefix in _sites():
        if (host == domain or host.endswith("." + domain)) and path.startswith(prefix):
            return domain + (prefix or "")
    return None


def queries(subject: Subject) -> list[str]:
    """The keyword variants to search, most telling first."""
    name = subject.get("name")
    domain = subject.site
    email = subject.get("email")
    phone = subject.get("phone")
    out: list[str] = []
    if name:
        cjk = any("\u4e00" <= c <= "\u9fff" for c in name)
        out.append(f'"{name}" 骗子 投诉' if cjk else f'"{name}" scam OR fraud OR complaint')
    if email:
        out.append(f'"{email}"')
    if domain and not is_free_mail(domain):
        out.append(f'"{domain}" scam OR fraud OR review')
    if phone:
        out.append(f'"{phone}"')
    if name and not any("\u4e00" <= c <= "\u9fff" for c in name):
        out.append(f'"{name}" 骗子 OR 诈骗 OR 投诉')
    return out


def manual_urls(subject: Subject) -> list[str]:
    """Search URLs a user can open by hand (Google, Baidu, complaint sites)."""
    name = subject.get("name") or subject.get("email") or subject.get("domain")
    if not name:
        return []
    q = quote_plus(f'"{name}" scam')
    urls = [f"https://www.google.com/search?q={q}",
            f"https://www.baidu.com/s?wd={quote_plus(name + ' 骗子')}",
            f"https://www.bbb.org/search?find_text={quote_plus(name)}",
            f"https://www.reddit.com/r/Scams/search/?q={quote_plus(name)}&restrict_sr=1"]
    domain = subject.site
    if domain:
        urls += [f"https://www.scamadviser.com/check-website/{domain}",
                 f"https://www.trustpilot.com/review/{domain}"]
    return urls


class ComplaintsCheck(Check):
    """Search for complaints about the lead under several keyword variants."""

    name = "complaints"
    step = "ask"
    service = "duckduckgo"
    weight = 1.5

    def run(self, subject: Subject) -> Finding:
        """Search, and report hits on complaint and scam-report sites."""
        variants = queries(subject)[:MAX_QUERIES]
        if not variants:
            raise CheckSkipped("nothing to search for (no name, e-mail, domain or phone)")
        manual = tuple(manual_urls(subject))
        if self.http is None:
            raise CheckSkipped("offline: search by hand", manual)
        engine = DuckDuckGoSource(http=self.http, config=self.config)
        # A complaint page counts only when it names the lead (its name, domain, e-mail or phone).
        # The name's core spells its shortened words out ("St." as "saint"): the name as
        # written is a mark too.
        name = subject.get("name")
        marks = [m for m in (n.normalize_name(name).core, n.fold(name), n.fold(subject.get("email")),
                             n.fold(subject.get("domain")), subject.get("phone").lstrip("+")) if m]
        hits: list[dict[str, Any]] = []
        asked = 0
        for variant in variants:
            try:
                results = engine.web_results(variant)
            except SourceError as ex:
                if asked == 0:
                    raise CheckSkipped(f"search failed ({ex.reason}): search by hand", manual) from ex
                break
            asked += 1
            for result in results:
                site = complaint_site(result["url"])
                text = n.fold(f"{result['title']} {result['snippet']} {result['url']}")
                if site and any(m in text for m in marks) and result["url"] not in {h["url"] for h in hits}:
                    hits.append({"site": site, "url": result["url"], "title": result["title"],
                                 "query": variant})
        if not hits:
            return self.finding("pass", f"no complaint-site hits in {asked} searches",
                                data={"queries": variants[:asked]})
        sites = sorted({h["site"] for h in hits})
        verdict = "fail" if len(sites) >= 2 else "warn"
        return self.finding(verdict, f"{len(hits)} hit(s) on {', '.join(sites)}",
                            [f"{h['url']} ({h['title'][:60]})" for h in hits[:6]],
                            data={"queries": variants[:asked]})
