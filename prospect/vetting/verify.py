"""verify (切): the hard facts — domain age (RDAP), mail DNS, the phone number, registry status.

RDAP: the IANA bootstrap (``PROSPECT_RDAP_BOOTSTRAP_URL``, cached by the HTTP layer) maps a
TLD to its registry's RDAP base; ``{base}domain/{name}`` gives ``events`` with the
``registration`` date (format as recorded in tests/recorded/rdap/).
DNS: MX (does the domain accept mail at all), SPF and DMARC, through dnspython with the
resolver set by ``PROSPECT_DNS_SERVERS`` ("1.1.1.1 9.9.9.9", or "127.0.0.1:5353" for tests);
no SMTP probing. Phone: phonenumbers, offline; Chinese region and carrier names for Chinese
numbers (the guide's 手机归属地 check).
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

import phonenumbers
from phonenumbers import PhoneNumberType

from prospect import normalize as n
from prospect.config import Config
from prospect.http import FetchError
from prospect.normalize import is_free_mail
from prospect.vetting.base import Check, CheckSkipped, Finding, Subject
from prospect.vetting.look import years_since

__all__ = ["DnsCheck", "PhoneCheck", "RdapCheck", "RegistryStatusCheck", "Resolver",
           "make_resolver", "rdap_base", "rdap_facts"]

YOUNG_DAYS = 180  # a domain younger than this is a warning
NEWBORN_DAYS = 30  # ... and younger than this, a failure


class Resolver(Protocol):
    """What the DNS check needs: TXT/MX answers as strings, or an exception from dns.resolver."""

    def lookup(self, name: str, rdtype: str) -> list[str]:
        """Return the answers' text, [] for no answer; raise NXDOMAIN when the name does not exist."""


class _DnsPython:
    def __init__(self, servers: str | None, timeout: float) -> None:
        import dns.resolver

        self.resolver = dns.resolver.Resolver(configure=not servers)
        if servers:
            hosts: list[str] = []
            for item in servers.replace(",", " ").split():
                host, _, port = item.rpartition(":") if item.count(":") == 1 else (item, "", "")
                hosts.append(host or item)
                if port:
                    self.resolver.port = int(port)
            self.resolver.nameservers = hosts
        self.resolver.lifetime = timeout

    def lookup(self, name: str, rdtype: str) -> list[str]:
        import dns.resolver

        try:
            answer = self.resolver.resolve(name, rdtype)
        except (dns.resolver.NoAnswer, dns.resolver.NoNameservers):
            return []
        return [r.to_text() for r in answer]


def make_resolver(config: Config, timeout: float = 5.0) -> Resolver:
    """The resolver prospect uses: the system's, or ``PROSPECT_DNS_SERVERS``."""
    return _DnsPython(config.env.get("PROSPECT_DNS_SERVERS") or None, timeout)


def rdap_base(bootstrap: dict[str, Any], domain: str) -> str | None:
    """The RDAP base URL for ``domain`` from an IANA bootstrap document (longest TLD match)."""
    labels = domain.lower().split(".")
    best: tuple[int, str] | None = None
    for service in bootstrap.get("services") or []:
        if not isinstance(service, list) or len(service) < 2:
            continue
        tlds, urls = service[0], service[1]
        https = [u for u in urls if str(u).startswith("https://")] or list(urls)
        for tld in tlds:
            parts = str(tld).lower().split(".")
            if labels[-len(parts):] == parts and https and (best is None or len(parts) > best[0]):
                best = (len(parts), str(https[0]))
    return best[1] if best else None


def rdap_facts(data: dict[str, Any]) -> dict[str, str]:
    """Registration and expiry dates and the registrar's name from an RDAP domain object."""
    out: dict[str, str] = {}
    for event in data.get("events") or []:
        action = str(event.get("eventAction") or "")
        if action in ("registration", "expiration") and event.get("eventDate"):
            out[action] = str(event["eventDate"])
    for entity in data.get("entities") or []:
        if "registrar" in (entity.get("roles") or []):
            card = entity.get("vcardArray") or []
            for item in card[1] if len(card) > 1 else []:
                if item and item[0] == "fn":
                    out["registrar"] = str(item[3])
    return out


def _site_domain(subject: Subject) -> str:
    """The lead's own domain: its web site's, else its mail domain unless that is free mail."""
    if subject.site:
        return subject.site
    mail = subject.mail_domain
    return (n.registered_domain(mail) or "") if mail and not is_free_mail(mail) else ""


class RdapCheck(Check):
    """How old is the lead's domain? A new domain for an 'established' company is a warning."""

    name = "domain-age"
    step = "verify"
    service = "rdap_bootstrap"
    weight = 1.5

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self._boot: dict[str, Any] | None = None  # one bootstrap per run, whatever the cache
        self._lock = threading.Lock()

    def _bootstrap(self) -> dict[str, Any]:
        if self.http is None:
            raise CheckSkipped("offline")
        with self._lock:
            if self._boot is None:
                self._boot = self._fetch_bootstrap()
            return self._boot

    def _fetch_bootstrap(self) -> dict[str, Any]:
        assert self.http is not None
        url = self.config.endpoint("rdap_bootstrap")
        try:
            data = self.http.get_json(url, interval=self.interval)
        except FetchError as ex:
            raise CheckSkipped(f"RDAP bootstrap: {ex.reason}") from ex
        if not isinstance(data, dict):
            raise CheckSkipped("RDAP bootstrap is not a bootstrap document")
        return data

    def run(self, subject: Subject) -> Finding:
        """Find the domain's registration date through RDAP."""
        domain = _site_domain(subject)
        if not domain:
            raise CheckSkipped("no company domain (web site or own mail domain)")
        bootstrap = self._bootstrap()
        base = rdap_base(bootstrap, domain)
        if not base:
            raise CheckSkipped(f"no RDAP server for .{domain.rsplit('.', 1)[-1]} (try WHOIS)",
                               (f"https://who.is/whois/{domain}",))
        url = f"{base.rstrip('/')}/domain/{domain}"
        assert self.http is not None
        try:
            resp = self.http.get(url, headers={"Accept": "application/rdap+json"},
                                 interval=self.interval, ok=(200, 404))
        except FetchError as ex:
            raise CheckSkipped(f"RDAP unreachable: {ex.reason}") from ex
        if resp.status_code == 404:
            return self.finding("fail", f"{domain} is not registered (RDAP 404)", [url], hard=True)
        try:
            facts = rdap_facts(resp.json())
        except (ValueError, AttributeError) as ex:
            raise CheckSkipped("RDAP sent invalid JSON") from ex
        born = facts.get("registration")
        if not born:
            raise CheckSkipped(f"RDAP gives no registration date for {domain}", (url,))
        today = self.clock().date()
        age = years_since(born, today)
        if age is None:
            raise CheckSkipped(f"unreadable registration date {born!r}", (url,))
        registrar = f" at {facts['registrar']}" if facts.get("registrar") else ""
        detail = f"{domain} registered {born[:10]}{registrar} ({age:.1f} years ago)"
        # The company's claimed history: its registry entry, else what its message says.
        claimed = years_since(str((subject.notes.get("registry") or {}).get("created")
                                  or subject.notes.get("claimed_since") or ""), today)
        subject.notes["domain_age"] = age
        if age * 365.25 < NEWBORN_DAYS:
            return self.finding("fail", detail + ": brand new", [url])
        if age * 365.25 < YOUNG_DAYS:
            return self.finding("warn", detail + ": very young", [url])
        if claimed is not None and claimed - age > 5 and age < 2:
            return self.finding("warn", detail + f", but the company claims {claimed:.0f} years", [url])
        return self.finding("pass", detail, [url])


class DnsCheck(Check):
    """Does the mail domain accept mail at all (MX), and does it publish SPF and DMARC?"""

    name = "mail-dns"
    step = "verify"
    weight = 1.5

    def __init__(self, *, resolver: Resolver | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.resolver = resolver

    def run(self, subject: Subject) -> Finding:
        """Look up MX, SPF and DMARC for the lead's mail (else web) domain."""
        import dns.exception
        import dns.resolver

        domain = subject.mail_domain or _site_domain(subject)
        if not domain:
            raise CheckSkipped("no e-mail or web domain")
        if is_free_mail(domain):
            raise CheckSkipped(f"{domain} is a free mail provider: its DNS says nothing about the lead",
                               applicable=False)
        if self.resolver is None and self.http is None:  # vet --offline: no network at all
            raise CheckSkipped("offline")
        resolver = self.resolver or make_resolver(self.config)
        try:
            mx = resolver.lookup(domain, "MX")
            implicit = [] if mx else resolver.lookup(domain, "A")
            spf = [t for t in resolver.lookup(domain, "TXT") if "v=spf1" in t.lower()]
        except dns.resolver.NXDOMAIN:
            return self.finding("fail", f"{domain} does not exist in DNS", hard=True)
        except dns.exception.DNSException as ex:
            raise CheckSkipped(f"DNS lookup failed: {type(ex).__name__}") from ex
        try:
            dmarc = [t for t in resolver.lookup(f"_dmarc.{domain}", "TXT")
                     if "v=dmarc1" in t.lower()]
        except dns.exception.DNSException:  # no _dmarc name at all: simply no DMARC
            dmarc = []
        verdict, detail = _mail_verdict(domain, mx, bool(implicit), bool(spf), bool(dmarc))
        return self.finding(verdict, detail, hard=verdict == "fail")


def _mail_verdict(domain: str, mx: list[str], addressed: bool, spf: bool, dmarc: bool
                  ) -> tuple[str, str]:
    """Whether a domain accepts mail, from its MX records (else its address: ``addressed``),
    and what its SPF and DMARC records and mail hosts say: ("pass" or "fail", detail)."""
    hosts = sorted(r.split()[-1].rstrip(".").lower() for r in mx if r.split())
    if hosts == [""] or any(r.split()[-1] == "." for r in mx if r.split()):
        return "fail", f"{domain} publishes a null MX: it accepts no mail"
    if not mx and not addressed:
        return "fail", f"{domain} has no MX and no address: it accepts no mail"
    extras = [("SPF" if spf else "no SPF"), ("DMARC" if dmarc else "no DMARC")]
    where = f"MX {', '.join(hosts[:2])}" if hosts else "no MX, mail goes to its A record"
    free_mx = [h for h in hosts if is_free_mail(n.registered_domain(h) or h)]
    if free_mx:
        extras.append(f"mail hosted by free provider {free_mx[0]}")
    return "pass", f"{domain}: {where}; {', '.join(extras)}"


_TYPES = {PhoneNumberType.MOBILE: "mobile", PhoneNumberType.FIXED_LINE: "fixed line",
          PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed line or mobile", PhoneNumberType.VOIP: "VoIP",
          PhoneNumberType.TOLL_FREE: "toll free", PhoneNumberType.PREMIUM_RATE: "premium rate",
          PhoneNumberType.PERSONAL_NUMBER: "personal number", PhoneNumberType.UAN: "UAN",
          PhoneNumberType.SHARED_COST: "shared cost"}


class PhoneCheck(Check):
    """Is the phone number valid, what kind is it, where was it issued and by whom?"""

    name = "phone"
    step = "verify"

    def run(self, subject: Subject) -> Finding:
        """Parse the lead's phone offline with phonenumbers."""
        raw = subject.get("phone")
        if not raw:
            raise CheckSkipped("no phone number")
        try:
            num = phonenumbers.parse(raw, subject.get("country").upper() or None)
        except phonenumbers.NumberParseException as ex:
            return self.finding("warn", f"{raw} is not a phone number ({ex})")
        if not phonenumbers.is_valid_number(num):
            return self.finding("warn", f"{raw} is not a valid number")
        e164 = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
        region = phonenumbers.region_code_for_number(num) or "?"
        lang = "zh" if region in ("CN", "TW", "HK", "MO") else "en"
        # Their data is most of phonenumbers' import time: loaded when a number is checked.
        from phonenumbers import carrier, geocoder

        place = geocoder.description_for_number(num, lang) or region
        kind = _TYPES.get(phonenumbers.number_type(num), "unknown type")
        operator = carrier.name_for_number(num, lang)
        detail = f"{e164}: {kind}, {place}" + (f", {operator}" if operator else "")
        if kind in ("VoIP", "premium rate", "personal number"):
            return self.finding("warn", detail + f" ({kind} numbers hide who and where)")
        return self.finding("pass", detail)


class RegistryStatusCheck(Check):
    """The registry match from the look step: is the company active, and since when?"""

    name = "registry-status"
    step = "verify"
    weight = 2.0

    def run(self, subject: Subject) -> Finding:
        """Judge status and age of the matched registry entry."""
        match = subject.notes.get("registry")
        if not match:
            # No confirmation is a gap in the evidence: it counts against confidence, and the
            # grade rules keep such a lead below A.
            other = subject.notes.get("registry_other")
            if other:
                raise CheckSkipped(f"no registry confirms the company: the {other['source']} entry "
                                   f"found is {other['name']}'s", (str(other.get("url") or ""),))
            raise CheckSkipped("no registry entry confirms the company")
        source, status = match.get("source"), match.get("status") or "unknown"
        if match.get("active") is False:
            return self.finding("fail", f"{source}: {status}", [match.get("url", "")], hard=True)
        age = years_since(str(match.get("created") or ""), self.clock().date())
        since = f", registered {age:.1f} years ago" if age is not None else ""
        if age is not None and age < 1:
            return self.finding("warn", f"{source}: {status}{since}: a very young company",
                                [match.get("url", "")])
        return self.finding("pass", f"{source}: {status}{since}", [match.get("url", "")])

