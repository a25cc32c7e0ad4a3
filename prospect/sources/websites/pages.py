"""One page read: its links, scripts, structured items and text, into :class:`PageFacts`."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from functools import cache
from urllib.parse import unquote, urljoin, urlsplit

import phonenumbers
from bs4 import BeautifulSoup, Tag

from prospect import normalize as n
from prospect.sources.websites.addresses import (
    BREAK,
    address_format,
    is_firm,
    lines_of,
    names_site,
    page_address,
)
from prospect.sources.websites.contacts import (
    EMAIL,
    ID_LABELS,
    OBFUSCATED,
    cfemail,
    deobfuscate,
    find_register,
    find_vat,
    is_fax,
    joomla_cloaks,
    map_position,
    phone_matches,
)
from prospect.sources.websites.facts import PageFacts, add_value, page_email, social_profile
from prospect.sources.websites.structured import read_schema

__all__ = ["read_page"]

# Links to the pages that say who a firm is and how to reach it, by their address or their
# words, in the languages of the markets our users sell to (a path's words as written, a
# link's as shown): contact, imprint and legal notice, about us, how to find us.
_CONTACT = re.compile(
    r"impressum|imprint|kontakt|cont[aá]ct|legal|mentions|about|ueber|über|uber-uns|anfahrt|"
    r"chi[ -]siamo|contatt|dove[ -]siamo|aviso-legal|qui[ -]sommes|[aà][ -]?propos|"
    r"qui[eé]nes[ -]somos|(?<!con )nosotros|localizaci[oó]n|ubicaci[oó]n|contato|"
    r"fale[ -]conosco|quem[ -]somos|sobre[ -]n[oó]s|"
    r"over[ -]ons|om-oss|\bo[ -]nas\b|ileti[sş]im|hakk[iı]m[iı]zda|bize[ -]ula[sş]|"
    r"контакт|о[ -]компании|o-kompanii|связаться|свяжитесь|li[eê]n[ -]h[eệ]|hubungi|tentang|kontak|"
    r"联系|聯絡|聯繫|关于|關於|お問い合わせ|問い合わせ|会社概要|会社案内|연락처|회사소개|문의|"
    r"اتصل|من نحن|ติดต่อ",
    re.I)


def read_page(html: str, url: str, country: str | None = None) -> PageFacts:
    """Extract the business facts one page publishes."""
    soup = BeautifulSoup(html, "html.parser")
    facts = PageFacts(url)
    site = n.registered_domain(url)
    hint = "" if country else _hinted_country(site or "", _page_strings(soup))
    schema_others = read_schema(soup, html, url, facts, country or hint or None)
    facts.refresh = _refresh_target(soup, url)
    _read_links(soup, url, site, country, facts)
    _read_scripts(soup, facts)
    lines = _visible_lines(soup)
    flat = "\n".join(lines)
    region = (country or "").upper() or None
    _read_text(flat, region, facts, hint)
    own = [e for e in facts.emails if n.registered_domain(e.partition("@")[2]) == site]
    if own:
        # Beside the firm's own mailboxes, one at another domain is someone else's: an
        # agency's, a tenant's, a partner's ("dining@trellisrestaurant.net" on a hotel's page).
        facts.emails[:] = own
    blocks = _block_lines(soup)  # also marks the blocks _numbers_of_others reads by
    # A page of no known country is read as its own numbers' country (else its domain's):
    # its addresses in that country's format, others' numbers dialled as the firm's are.
    country = country or facts.country or hint or None
    region = region or country
    if not facts.address:
        facts.address = page_address(soup, blocks, lines, country, site or "", facts)
    others = _numbers_of_others(soup, site, region, facts.address, bool(own)) | schema_others
    facts.phones[:] = [p for p in facts.phones if p not in others]
    facts.fax[:] = [p for p in facts.fax if p not in others]
    return facts


def _read_links(soup: BeautifulSoup, url: str, site: str | None, country: str | None,
                facts: PageFacts) -> None:
    """Mailboxes and numbers behind links, social profiles, the site's contact pages, and
    where a map link or an embedded map puts the firm."""
    # A <base> says what the page's relative links are relative to.
    base = soup.find("base", href=True)
    within = urljoin(url, str(base["href"]).strip()) if isinstance(base, Tag) else url
    for a in soup.find_all("a", href=True):
        href = str(a["href"]).strip()
        low = href.lower()
        if low.startswith("mailto:"):
            add_value(facts.emails, page_email(href[7:]))
        elif low.startswith("tel:"):
            phone = n.normalize_phone(unquote(href[4:]), country)
            add_value(facts.phones, phone.e164 if phone else None)
        elif "/cdn-cgi/l/email-protection#" in low:
            add_value(facts.emails, page_email(cfemail(href.rsplit("#", 1)[1]) or ""))
        else:
            target = urljoin(within, href)
            social = social_profile(target)
            if social:
                add_value(facts.socials, social)
            elif (n.registered_domain(target) == site and target.split("#")[0] != url
                  and (_CONTACT.search(unquote(urlsplit(target).path))
                       or _CONTACT.search(a.get_text(" ")))):
                add_value(facts.contact_links, target.split("#")[0], limit=12)
    for tag in soup.select("[data-cfemail]"):
        add_value(facts.emails, page_email(cfemail(str(tag["data-cfemail"])) or ""))
    if not facts.position:
        # A map of where the firm is: a link to it or an embedded map, the first on the page.
        for tag in soup.find_all(["a", "iframe"]):
            position = map_position(str(tag.get("href") or tag.get("src") or ""))
            if position:
                facts.position = position
                break


# <meta http-equiv="refresh" content="0; URL=/de/">: the delay, then where to (HTML's
# "shared declarative refresh steps": the URL may be quoted, "URL=" may be left out).
_REFRESH = re.compile(r"^\s*(\d+)(?:\.\d*)?\s*[;,]?\s*(?:url\s*=\s*)?['\"]?([^'\"]+)", re.I)


def _refresh_target(soup: BeautifulSoup, url: str) -> str:
    """Where a page that sends the visitor on at once (within ten seconds) sends them; ""."""
    for meta in soup.find_all("meta", attrs={"http-equiv": True, "content": True}):
        if str(meta["http-equiv"]).strip().lower() != "refresh":
            continue
        m = _REFRESH.match(str(meta["content"]))
        to = str(m.group(2)).strip() if m else ""
        if m and int(m.group(1)) <= 10 and to:
            target = urljoin(url, to)
            if target.startswith(("http://", "https://")) and target != url:
                return target
    return ""


def _read_scripts(soup: BeautifulSoup, facts: PageFacts) -> None:
    """Mailboxes a script writes into the page (Joomla's cloak), then no scripts or styles."""
    for script in soup.find_all("script"):
        cloaked = [e for e in map(page_email, joomla_cloaks(script.get_text())) if e]
        for address in cloaked:
            add_value(facts.emails, address)
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


# Country-code domains sold to anyone, which say nothing of where a firm is.
_VANITY = frozenset({"ac", "ad", "ai", "as", "cc", "cd", "co", "fm", "gg", "im", "io", "je", "la",
                     "ly", "me", "ms", "mu", "nu", "sh", "so", "st", "tk", "to", "tv", "vc", "ws"})


def _domain_country(site: str) -> str:
    """The country a site's country-code domain names ("firm.co.uk": GB, "firm.fr": FR), or
    "" for a generic one (.com) or one sold to anyone (.io, .co, .tv)."""
    code = site.rpartition(".")[2].lower()
    if len(code) != 2 or code in _VANITY:
        return ""
    code = {"uk": "gb"}.get(code, code)
    return n.normalize_country(code.upper()) or ""


@cache
def _state_and_postcode(country: str) -> re.Pattern[str]:
    """"Auburn, CA 95602", "Burlington, ON L7P 1Y7": a town, a state's or province's two
    letters, and the country's postcode (Google's address data), a shape no country outside
    North America writes."""
    fmt = address_format(country)
    code = fmt.code if fmt else r"(?!)"
    return re.compile(rf"[A-Za-z.]\s*,?\s+(?P<state>[A-Z]{{2}})\s+(?:{code})(?![\w-])")


# "1011 MH Amsterdam": the Netherlands' four digits and two letters (never SA, SD or SS), then
# the town; not a size ("1024 KB Download").
_NL_PLACE = re.compile(r"(?<![\w-])[1-9]\d{3} ?(?!SA|SD|SS|KB|MB|GB|TB|AM|PM)[A-Z]{2} +"
                       r"[A-Z][a-z]+(?:[- ][A-Za-z]+)*\b(?!\s*\d)")
# "(530) 401-7099", "206-588-2075", "212.334.5100": a North American number as North America
# writes it (three, three and four digits, brackets, dashes or dots); other countries' numbers
# lead with a trunk 0 or group their digits otherwise.
_NANP = re.compile(r"(?<![\d+(])(?:\(\d{3}\)\s?|\d{3}[-.])\d{3}[-.]\d{4}(?![\d-])")


# An address ending with its country's name after a comma, a number before it: "...,
# Shanghai 200090, China", "..., Jiangsu Province, P.R. China.", "... 10330, Thailand".
_COUNTRY_LAST = re.compile(r"\d[^,\n]{0,80}(?:,[^,\n]{1,60}){0,3},\s*(?:P\.?\s?R\.?\s+)?"
                           r"(?P<country>[A-Z][A-Za-z'’ .-]{2,40}?)\.?(?:\s+\d{4,6})?\s*$")


def _hinted_country(site: str, strings: list[str]) -> str:
    """Where a page of no known country is most likely from: its country-code domain's
    country, else the country an address on it ends with, else the United States or Canada
    if it writes a town, state and postcode, or a phone number, as they do (its numbers then
    dial in North America either way)."""
    country = _domain_country(site)
    if country:
        return country
    for string in strings:
        m = _COUNTRY_LAST.search(string) if len(string) <= 300 else None
        named = n.normalize_country(m["country"]) if m else None
        if named:
            return named
    text = " ".join(strings)
    for code in ("CA", "US"):
        fmt = address_format(code)
        if fmt and any(n.fold(m["state"]) in fmt.regions
                       for m in _state_and_postcode(code).finditer(text)):
            return code
    if _NL_PLACE.search(text):
        return "NL"
    for m in _NANP.finditer(text):
        try:
            if phonenumbers.is_valid_number(phonenumbers.parse(m.group(0), "US")):
                return "US"
        except phonenumbers.NumberParseException:
            continue
    return ""


def _page_strings(soup: BeautifulSoup) -> list[str]:
    """The page's texts, element by element, without its scripts' and styles'."""
    return [str(t) for t in soup.find_all(string=True)
            if not (isinstance(t.parent, Tag) and t.parent.name in ("script", "style"))]


def _read_text(flat: str, region: str | None, facts: PageFacts, hint: str = "") -> None:
    """Mailboxes, phone and fax numbers (each by its label), VAT and register numbers; with no
    region known, numbers dial as the firm's own VAT number's country, else ``hint``'s (the
    country the page hints at, see :func:`_hinted_country`)."""
    for m in EMAIL.finditer(flat):
        add_value(facts.emails, page_email(m.group(0)))
    for m in OBFUSCATED.finditer(flat):
        add_value(facts.emails, page_email(deobfuscate(m.group(1), m.group(2))))
    if not facts.vat:
        # A number written without its country's prefix is read as the hinted country's,
        # and must pass that country's check.
        facts.vat = find_vat(flat, region or hint or None)
    kind, number, country = find_register(flat, region or hint or None)
    if kind == "uscc":
        facts.uscc = number
    elif kind:
        facts.register = number
    # Whose the firm is, by its own numbers: a VAT number's prefix, a register's wording.
    prefix = facts.vat[:2]
    facts.country = {"EL": "GR", "XI": "GB"}.get(prefix, prefix) if facts.vat else country
    # A page of no known country dials its national numbers in its firm's country.
    region = region or facts.country or hint or None
    try:
        for start, parsed in phone_matches(flat, region):
            number = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
            line_start = flat.rfind("\n", 0, start) + 1
            before = flat[line_start:start]
            above = flat[flat.rfind("\n", 0, max(0, line_start - 1)) + 1:max(0, line_start - 1)]
            if is_fax(before, above):
                add_value(facts.fax, number)
            elif number not in facts.fax:
                add_value(facts.phones, number)
    except Exception:  # libphonenumber on odd text must not lose the page's other facts
        pass


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
    fmt = address_format(region or "")
    postcode = address.get("postcode", "")
    # The owner's street, as letters and digits only, to tell its block from a neighbour's.
    street = _plain(address.get("address", "").split(",")[0])

    @cache
    def directory() -> bool:
        firms = (line for line in lines_of(soup) if len(line) <= 80 and is_firm(line)
                 and not names_site(line, site))
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
        domains = _domains_named(block, words)
        if _credited(block, words, credits()):
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
        for _, parsed in phone_matches(words, region):
            number = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
            verdicts.setdefault(number, []).append(others)
    return {number for number, said in verdicts.items() if all(said)}


def _domains_named(block: Tag, words: str) -> set[str]:
    """The domains a contact block's mailboxes and sites are at (its ``words``), free
    mailboxes aside: written, linked, or cloaked and read back."""
    mails = [m.group(0) for m in EMAIL.finditer(words)] + [
        str(a["href"])[7:].split("?")[0] for a in block.find_all("a", href=True)
        if str(a["href"]).lower().startswith("mailto:")]
    for tag in [block, *block.find_all(True, attrs={_CLOAKED: True})]:
        mails.extend(str(tag.get(_CLOAKED) or "").split())
    hosts = [m.partition("@")[2] for m in mails] + _WWW.findall(words)
    return {d for d in map(n.registered_domain, hosts) if d and not n.is_free_mail(d)}


def _credited(block: Tag, words: str, credits: bool) -> bool:
    """Is a contact block (its ``words``) the web host's or the site's makers', by its first
    words or, where the page has such a heading (``credits``), by the heading above it?"""
    heading = block.find_previous(_HEADINGS) if credits else None
    return bool(_CREDITS.search(" ".join(words.split())[:40]) or (
        heading is not None and _CREDITS.search(heading.get_text(" ")[:60])))


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


_ID_LABEL = re.compile(rf"(?:{ID_LABELS})|\bregistered\s+in\s+(?:england|wales|scotland|"
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
    (so :func:`lines_of` reads any part of it the same way)."""
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before(BREAK)
        tag.insert_after(BREAK)
    return lines_of(soup)
