"""look (望): is the company real, registered, and consistent with itself?

Offline: identifier checksums (VAT, LEI, China's unified social credit code, via python-stdnum),
the consistency of phone region, address country, web and mail domains, free and disposable
mail. Online: the registries — GLEIF (by LEI or by name and country), EU VIES (by VAT number,
REST or SOAP), UK Companies House (with the user's free key) and SEC EDGAR's list of filers.
A registry match is left in ``subject.notes["registry"]`` for verify's status check.

Formats as recorded in tests/recorded/{gleif,vies,companies_house,sec_edgar}/ (see SOURCES.md).
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from datetime import date
from typing import Any
from urllib.parse import quote

import phonenumbers
from rapidfuzz import fuzz

from prospect import normalize as n
from prospect.http import FetchError
from prospect.normalize import is_disposable_mail, is_free_mail
from prospect.sources.directories import gleif_fields
from prospect.vetting.base import Check, CheckSkipped, Finding, Subject

__all__ = ["ClaimedNameCheck", "CompaniesHouseCheck", "ConsistencyCheck", "EdgarCheck", "GleifCheck",
           "IdentifiersCheck", "MailDomainCheck", "OpenCorporatesCheck", "ViesCheck",
           "name_similarity", "parse_vies_soap"]

# Country-code domains sold as generic names: their TLD says nothing about a country.
_GENERIC_CC = frozenset({"io", "co", "ai", "me", "tv", "cc", "ws", "fm", "am", "ly", "gg", "to", "sh",
                         "la", "so", "sx", "vc", "gd", "ms", "nu", "tk", "ml", "ga", "cf", "gq"})
_VIES_NS = "urn:ec.europa.eu:taxud:vies:services:checkVat:types"


def name_similarity(a: str, b: str) -> float:
    """How alike two company names are, 0-100, legal forms and punctuation aside."""
    ca, cb = n.normalize_name(a).core, n.normalize_name(b).core
    if not ca or not cb:
        return 0.0
    return float(fuzz.token_set_ratio(ca, cb))


def _domain_country(domain: str) -> str | None:
    tld = domain.rsplit(".", 1)[-1].lower()
    if len(tld) != 2 or tld in _GENERIC_CC:
        return None
    return "GB" if tld == "uk" else tld.upper()


def _phone_country(phone: str, hint: str | None) -> str | None:
    try:
        num = phonenumbers.parse(phone, hint or None)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.region_code_for_number(num) or None


class IdentifiersCheck(Check):
    """Checksums of the VAT number, LEI and unified social credit code the lead gave."""

    name = "identifiers"
    step = "look"

    def run(self, subject: Subject) -> Finding:
        """Validate every identifier present; one that fails its checksum is a fake or a typo."""
        from stdnum import lei as std_lei
        from stdnum.cn import uscc as std_uscc
        from stdnum.eu import vat as std_vat

        tests = {"vat": std_vat.is_valid, "lei": std_lei.is_valid, "uscc": std_uscc.is_valid}
        seen = {k: subject.get(k) for k in tests if subject.get(k)}
        if not seen:
            raise CheckSkipped("no VAT number, LEI or credit code given", applicable=False)
        bad = [f"{k.upper()} {v}" for k, v in seen.items() if not tests[k](v)]
        good = [f"{k.upper()} {v}" for k, v in seen.items() if tests[k](v)]
        if bad:
            return self.finding("fail", f"checksum wrong: {', '.join(bad)}", good)
        return self.finding("pass", f"checksum valid: {', '.join(good)}")


class MailDomainCheck(Check):
    """Free or throw-away mail, and a mail domain unrelated to the company's web site."""

    name = "mail-domain"
    step = "look"

    def run(self, subject: Subject) -> Finding:
        """Judge where the lead's e-mail lives."""
        domain = subject.mail_domain
        if not domain:
            raise CheckSkipped("no e-mail address")
        site = subject.site
        mail_reg = n.registered_domain(domain) or domain
        if is_disposable_mail(domain):
            return self.finding("fail", f"{domain} is a throw-away mailbox provider", weight=2.0)
        if is_free_mail(domain):
            if site and not is_free_mail(site):
                return self.finding("warn", f"has its own domain {site} but writes from free mail "
                                            f"{domain}", weight=1.5)
            return self.finding("warn", f"free mail ({domain}), no company mail domain")
        if site and site != mail_reg:
            a, b = site.split(".", 1)[0], mail_reg.split(".", 1)[0]
            if a not in b and b not in a:
                return self.finding("warn", f"mail domain {mail_reg} is unrelated to web site {site}")
        return self.finding("pass", f"company mail domain {mail_reg}"
                                    + (" matches the web site" if site == mail_reg else ""))


class ConsistencyCheck(Check):
    """Phone region, address country, web and mail country-code domains, registry country."""

    name = "consistency"
    step = "look"

    def run(self, subject: Subject) -> Finding:
        """Collect every country the lead's data claims and see whether they agree."""
        claims: dict[str, str] = {}
        country = subject.get("country").upper() or None
        if country:
            claims["address"] = country
        phone = subject.get("phone")
        if phone:
            region = _phone_country(phone, country)
            if region:
                claims["phone"] = region
        site = subject.site
        if site and _domain_country(site):
            claims["web site"] = _domain_country(site) or ""
        mail = subject.mail_domain
        if mail and not is_free_mail(mail) and _domain_country(mail):
            claims["mail"] = _domain_country(mail) or ""
        registry = subject.notes.get("registry") or {}
        if registry.get("country"):
            claims["registry"] = str(registry["country"]).upper()
        if len(claims) < 2:
            raise CheckSkipped("fewer than two country clues (address, phone, domains)")
        said = ", ".join(f"{k} {v}" for k, v in claims.items())
        if len(set(claims.values())) == 1:
            return self.finding("pass", f"all point to {next(iter(claims.values()))}: {said}")
        return self.finding("warn", f"countries disagree: {said}", weight=1.5)


class _Registry(Check):
    step = "look"
    weight = 2.0

    def get_json(self, url: str, **kw: Any) -> Any:
        if self.http is None:
            raise CheckSkipped("offline")
        try:
            return self.http.get_json(url, interval=self.interval, **kw)
        except FetchError as ex:
            raise CheckSkipped(f"{self.name}: {ex.reason}") from ex

    def matched(self, subject: Subject, *, source: str, name: str, status: str, active: bool | None,
                created: str, country: str, url: str, address: str = "") -> Finding:
        """Record the registry match for verify and judge name and country.

        Only an entry under the lead's own name is a registry confirmation for verify's
        status check: a number that belongs to someone else confirms nobody.
        """
        entry = {"source": source, "name": name, "status": status, "active": active,
                 "created": created, "country": country, "url": url}
        sim = name_similarity(subject.get("name"), name) if subject.get("name") else 100.0
        if sim < 70:
            subject.notes.setdefault("registry_other", entry)
        else:
            subject.notes["registry"] = entry
        where = f"{name} ({status or 'status unknown'}"
        where += f", since {created}" if created else ""
        where += f", {address}" if address else ""
        where += ")"
        lead_country = subject.get("country").upper()
        if active is False:
            return self.finding("fail", f"{source}: {where} is not active", [url], hard=True)
        if sim < 70:
            return self.finding("warn", f"{source}: number belongs to {where}, name similarity "
                                        f"{sim:.0f}%", [url])
        if lead_country and country and lead_country != country.upper():
            return self.finding("warn", f"{source}: {where} registered in {country}, lead says "
                                        f"{lead_country}", [url])
        return self.finding("pass", f"{source}: {where}, name similarity {sim:.0f}%", [url])


class GleifCheck(_Registry):
    """The LEI register: by LEI, else by legal name within the lead's country."""

    name = "gleif"
    service = "gleif"

    def _record(self, subject: Subject) -> dict[str, Any] | None:
        headers = {"Accept": "application/vnd.api+json"}
        if subject.get("lei"):
            data = self.get_json(f"{self.endpoint}/lei-records/{subject.get('lei')}", headers=headers)
            rec = data.get("data") if isinstance(data, dict) else None
            return rec if isinstance(rec, dict) else None
        if not subject.get("name"):
            raise CheckSkipped("no LEI and no company name")
        params = {"filter[entity.legalName]": subject.get("name"), "page[size]": 10}
        if subject.get("country"):
            params["filter[entity.legalAddress.country]"] = subject.get("country").upper()
        data = self.get_json(f"{self.endpoint}/lei-records", params=params, headers=headers)
        records = data.get("data") if isinstance(data, dict) else None
        best, score = None, 0.0
        for rec in records if isinstance(records, list) else []:
            sim = name_similarity(subject.get("name"), gleif_fields(rec)["name"])
            if sim > score:
                best, score = rec, sim
        return best if score >= 85 else None

    def run(self, subject: Subject) -> Finding:
        """Look the lead up in GLEIF."""
        rec = self._record(subject)
        if rec is None:
            raise CheckSkipped("no LEI record matches (most small firms have none)", applicable=False)
        fields = gleif_fields(rec)
        attrs = rec.get("attributes") or {}
        entity = attrs.get("entity") or {}
        registration = attrs.get("registration") or {}
        entity_status = str(entity.get("status") or "").upper()
        lei_status = str(registration.get("status") or "").upper()
        url = f"https://search.gleif.org/#/record/{fields['lei']}"
        created = str(entity.get("creationDate") or registration.get("initialRegistrationDate")
                      or "")[:10]
        finding = self.matched(subject, source="GLEIF", name=fields["name"],
                               status=f"entity {entity_status.lower()}, LEI {lei_status.lower()}",
                               active=entity_status != "INACTIVE" if entity_status else None,
                               created=created, country=fields["country"], url=url,
                               address=", ".join(x for x in (fields["address"], fields["city"]) if x))
        if finding.verdict == "pass" and lei_status in ("LAPSED", "RETIRED", "ANNULLED",
                                                       "DUPLICATE", "MERGED"):
            return self.finding("warn", finding.detail + f"; LEI {lei_status.lower()}: not kept up",
                                finding.evidence)
        return finding


def parse_vies_soap(xml: str) -> dict[str, Any]:
    """Read a VIES SOAP checkVatResponse (any namespace prefix) or raise ValueError on a fault."""
    root = ET.fromstring(xml)
    fault = root.find(".//{http://schemas.xmlsoap.org/soap/envelope/}Fault")
    if fault is not None:
        raise ValueError((fault.findtext("faultstring") or "SOAP fault").strip())
    resp = root.find(f".//{{{_VIES_NS}}}checkVatResponse")
    if resp is None:
        raise ValueError("not a checkVatResponse")

    def text(tag: str) -> str:
        return (resp.findtext(f"{{{_VIES_NS}}}{tag}") or "").strip()

    return {"isValid": text("valid").lower() == "true", "name": text("name"),
            "address": text("address"), "countryCode": text("countryCode"),
            "vatNumber": text("vatNumber"), "requestDate": text("requestDate")}


class ViesCheck(_Registry):
    """EU VIES: is the VAT number registered for intra-EU trade, and under which name?"""

    name = "vies"
    service = "vies"

    def _ask(self, cc: str, number: str) -> dict[str, Any]:
        if self.endpoint.endswith("checkVatService"):  # the SOAP service
            if self.http is None:
                raise CheckSkipped("offline")
            body = (f'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
                    f'xmlns:urn="{_VIES_NS}"><soapenv:Body><urn:checkVat><urn:countryCode>{cc}'
                    f"</urn:countryCode><urn:vatNumber>{number}</urn:vatNumber></urn:checkVat>"
                    "</soapenv:Body></soapenv:Envelope>")
            try:
                resp = self.http.post(self.endpoint, content=body.encode(), interval=self.interval,
                                      headers={"Content-Type": "text/xml; charset=utf-8"},
                                      ok=(200, 500))
                return parse_vies_soap(resp.text)
            except FetchError as ex:
                raise CheckSkipped(f"VIES unreachable: {ex.reason}") from ex
            except (ValueError, ET.ParseError) as ex:
                raise CheckSkipped(f"VIES: {ex}") from ex
        data = self.get_json(f"{self.endpoint}/ms/{cc}/vat/{quote(number)}")
        if not isinstance(data, dict) or "isValid" not in data:
            errors = data.get("errorWrappers") if isinstance(data, dict) else None
            raise CheckSkipped(f"VIES: {errors[0].get('error') if errors else 'unexpected reply'}")
        return data

    def run(self, subject: Subject) -> Finding:
        """Check the VAT number with VIES."""
        vat = subject.get("vat").upper()
        if not vat:
            raise CheckSkipped("no VAT number", applicable=False)
        cc, number = vat[:2], vat[2:]
        if cc == "GR":
            cc = "EL"
        from stdnum.eu import vat as std_vat

        if cc not in std_vat.MEMBER_STATES and cc.lower() not in std_vat.MEMBER_STATES:
            raise CheckSkipped(f"{vat[:2]} is not an EU member state", applicable=False)
        data = self._ask(cc, number)
        error = str(data.get("userError") or "")
        url = f"https://ec.europa.eu/taxation_customs/vies/#/vat-validation-result?country={cc}"
        if not data.get("isValid"):
            if error and error not in ("VALID", "INVALID"):
                raise CheckSkipped(f"VIES: {error} (the member state did not answer)")
            return self.finding("fail", f"VIES: {vat} is not a valid, registered VAT number", [url])
        name = str(data.get("name") or "").strip()
        if not name or name == "---":
            return self.finding("pass", f"VIES: {vat} is registered (name not disclosed)", [url])
        address = " ".join(str(data.get("address") or "").split())
        return self.matched(subject, source="VIES", name=name, status="VAT registered", active=True,
                            created="", country=vat[:2], url=url, address=address)


class CompaniesHouseCheck(_Registry):
    """UK Companies House (needs the user's free API key): status, age, registered office."""

    name = "companies-house"
    service = "companies_house"

    def run(self, subject: Subject) -> Finding:
        """Find the lead in Companies House by number, else by name."""
        # Another country's register number may have a British one's form (a Dutch KvK or
        # a Danish CVR number: eight digits); looked up here it would be another firm's.
        country = subject.get("country").upper()
        if country not in ("GB", "UK") and (country or not subject.get("company_number")):
            raise CheckSkipped("not a UK company", applicable=False)
        key = self.config.key("companies_house")
        if not key:
            raise CheckSkipped("no Companies House key (PROSPECT_COMPANIES_HOUSE_KEY)")
        # Companies House: HTTP Basic with the key as user name and an empty password.
        auth = {"Authorization": "Basic " + base64.b64encode(f"{key}:".encode()).decode()}
        number = subject.get("company_number")
        if number and re.fullmatch(r"[A-Z]{0,2}\d{6,8}", number):
            profile = self.get_json(f"{self.endpoint}/company/{number.zfill(8)}", headers=auth)
        elif subject.get("name"):
            found = self.get_json(f"{self.endpoint}/search/companies",
                                  params={"q": subject.get("name"), "items_per_page": 10}, headers=auth)
            items = found.get("items") if isinstance(found, dict) else None
            best = max(items or [], default=None,
                       key=lambda it: name_similarity(subject.get("name"), str(it.get("title", ""))))
            if not best or name_similarity(subject.get("name"), str(best.get("title", ""))) < 85:
                raise CheckSkipped("no company of that name in Companies House")
            profile = {"company_name": best.get("title"), "company_number": best.get("company_number"),
                       "company_status": best.get("company_status"),
                       "date_of_creation": best.get("date_of_creation"),
                       "registered_office_address": best.get("address") or {}}
        else:
            raise CheckSkipped("no company number or name")
        if not isinstance(profile, dict) or not profile.get("company_name"):
            raise CheckSkipped("Companies House sent no profile")
        status = str(profile.get("company_status") or "")
        office = profile.get("registered_office_address") or {}
        address = ", ".join(str(office[k]) for k in ("address_line_1", "locality", "postal_code")
                            if office.get(k))
        url = ("https://find-and-update.company-information.service.gov.uk/company/"
               f"{profile.get('company_number')}")
        return self.matched(subject, source="Companies House", name=str(profile["company_name"]),
                            status=status, active=status in ("active", "open") if status else None,
                            created=str(profile.get("date_of_creation") or ""), country="GB",
                            url=url, address=address)


class OpenCorporatesCheck(_Registry):
    """OpenCorporates (with the user's API token): company status and age in ~140 registries.

    Reply shape ``results.companies[].company`` with ``name``, ``company_number``,
    ``jurisdiction_code``, ``incorporation_date``, ``dissolution_date``, ``inactive``,
    ``current_status``, ``registered_address_in_full``, ``opencorporates_url`` — from
    OpenCorporates client code (see tests/recorded/SOURCES.md; no recorded reply was found).
    """

    name = "opencorporates"
    service = "opencorporates"

    def run(self, subject: Subject) -> Finding:
        """Search OpenCorporates by name within the lead's country."""
        token = self.config.key("opencorporates")
        if not token:
            raise CheckSkipped("no OpenCorporates token (PROSPECT_OPENCORPORATES_KEY)",
                               applicable=False)
        if not subject.get("name"):
            raise CheckSkipped("no company name")
        params = {"q": subject.get("name"), "api_token": token, "per_page": 10}
        country = subject.get("country").lower()
        if country:
            params["country_code"] = "gb" if country == "uk" else country
        data = self.get_json(f"{self.endpoint}/companies/search", params=params)
        results = (data.get("results") or {}) if isinstance(data, dict) else {}
        best, score = None, 0.0
        for item in results.get("companies") or []:
            company = item.get("company") or {}
            sim = name_similarity(subject.get("name"), str(company.get("name") or ""))
            if sim > score:
                best, score = company, sim
        if best is None or score < 85:
            raise CheckSkipped("no company of that name in OpenCorporates")
        status = str(best.get("current_status") or ("inactive" if best.get("inactive") else ""))
        jurisdiction = str(best.get("jurisdiction_code") or "")
        return self.matched(subject, source="OpenCorporates", name=str(best.get("name")),
                            status=status, active=not best.get("inactive") and not
                            best.get("dissolution_date"),
                            created=str(best.get("incorporation_date") or ""),
                            country=jurisdiction.split("_")[0].upper(),
                            url=str(best.get("opencorporates_url") or ""),
                            address=str(best.get("registered_address_in_full") or ""))


class EdgarCheck(_Registry):
    """SEC EDGAR's list of US filers: is a US lead a registered, listed company?"""

    name = "edgar"
    service = "edgar"
    weight = 1.0

    def run(self, subject: Subject) -> Finding:
        """Look the lead's name up in company_tickers.json."""
        if subject.get("country").upper() != "US":
            raise CheckSkipped("not a US company", applicable=False)
        if not subject.get("name"):
            raise CheckSkipped("no company name")
        data = self.get_json(f"{self.endpoint}/files/company_tickers.json")
        best, score = None, 0.0
        for row in data.values() if isinstance(data, dict) else []:
            sim = name_similarity(subject.get("name"), str(row.get("title", "")))
            if sim > score:
                best, score = row, sim
        if best is None or score < 90:
            raise CheckSkipped("not an SEC-listed company (most private firms are not)",
                               applicable=False)
        cik = int(best["cik_str"])
        url = f"https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK={cik:010d}"
        return self.matched(subject, source="SEC EDGAR", name=str(best["title"]),
                            status=f"listed, ticker {best.get('ticker')}", active=True, created="",
                            country="US", url=url)


def years_since(day: str, today: date) -> float | None:
    """Years from an ISO date (or date-time) to ``today``; None when unreadable."""
    try:
        then = date.fromisoformat(day[:10])
    except ValueError:
        return None
    return (today - then).days / 365.25


class ClaimedNameCheck(Check):
    """A message that uses the name of a company in the book without writing from its domain."""

    name = "claimed-name"
    step = "look"
    weight = 2.0

    def run(self, subject: Subject) -> Finding:
        """Compare the company names a message uses with the leads that own them."""
        if subject.message is None:
            raise CheckSkipped("not a message", applicable=False)
        claims = subject.notes.get("claims") or []
        if not claims:
            raise CheckSkipped("the message names no company of the lead book", applicable=False)
        sender = subject.mail_domain or "(no address)"
        evidence = [f"claims lead {c['lead_id']}: {c['name']}"
                    + (f" ({c['domain']})" if c["domain"] else "") + f", as {c['said']!r}"
                    for c in claims]
        first = claims[0]
        where = f"whose own domain is {first['domain']}" if first["domain"] else "in the book"
        return self.finding(
            "fail", f"uses the name of {first['name']} (lead {first['lead_id']}, {where}) but "
                    f"writes from {sender}: the name is taken from somewhere else", evidence)
