"""A phone number in E.164, as ``phonenumbers.parse`` reads it, for numbers written plainly.

``phonenumbers.parse`` takes about 22 us a number: it is written for any text a person may
type (letters for digits, extensions, RFC 3966 URIs, full-width digits), and a large import
spent a tenth of its time in it. Nearly every number in a lead list is written as digits and
a few separators, optionally after a ``+``. For those, :func:`e164` takes the steps of
``parse`` that can apply -- the country calling code, the national prefix, the possible
lengths -- from the library's own metadata, in about 3 us. Whatever it is not sure of (an
IDD such as ``00`` or ``011``, a number that starts with its region's calling code, a
national prefix that rewrites digits, a number the library would reject) goes to
``phonenumbers`` itself. The tests check the two agree on every example number of every
region in each format, and on random digits.
"""

from __future__ import annotations

import functools
import re
import traceback

import phonenumbers
from phonenumbers import PhoneMetadata

__all__ = ["calling_code", "e164"]

# Digits and the separators people write between them, a "+" only first: none of it can be
# an extension ("x", "ext", "#", ",", ";") or a second number ("/ x"), and a ( or ) is
# punctuation to the library.
_PLAIN = re.compile(r"\+?[0-9 ().\-]+")
_NOT_DIGIT = re.compile(r"[^0-9]")


class _Ask(Exception):
    """The fast path is not sure: ask phonenumbers."""


def e164(text: str, region: str) -> tuple[str, str] | None:
    """Return ``text``'s E.164 form and national number, or None if it is no possible number.

    ``region``: the ISO code of the region to read a national number in ("ZZ": none).
    The same as parsing with ``phonenumbers`` and checking ``is_possible_number``.
    """
    if _PLAIN.fullmatch(text):
        try:
            return _plain(_NOT_DIGIT.sub("", text), text[0] == "+", region)
        except _Ask:
            pass
    return _library(text, region)


def _library(text: str, region: str) -> tuple[str, str] | None:
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as ex:
        # phonenumbers keeps the error it re-raises in a local of its own frame: a cycle
        # that holds every caller's frame, and with them a whole import batch, until the
        # cyclic collector runs (an import turns it off while a batch is built).
        traceback.clear_frames(ex.__traceback__)
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return (phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
            str(parsed.national_number))


def _plain(digits: str, plus: bool, region: str) -> tuple[str, str] | None:
    """:func:`e164` of digits alone (``plus``: written after a "+"); raise _Ask if unsure."""
    if plus:
        code, national = _calling_code(digits)
        meta = _metadata(code)
    else:
        given = _region(region)
        if given is None or given.country_code is None:
            raise _Ask
        meta, code, national = given, given.country_code, digits
        idd = meta.international_prefix
        if (idd and _compiled(idd).match(digits)) or digits.startswith(str(code)):
            raise _Ask  # an IDD, or perhaps the region's own calling code without its "+"
    stripped = _strip_national_prefix(national, meta)
    if _length(stripped, meta) not in ("too short", "local only", "invalid"):
        national = stripped
    if not national.strip("0"):
        raise _Ask  # a national number of zero: format_number has a rule of its own for it
    if _length(national, _metadata(code)) not in ("possible", "local only"):
        return None  # is_possible_number says no (or parse does: no region allows 18 digits)
    return f"+{code}{national}", national.lstrip("0")


def _calling_code(digits: str) -> tuple[int, str]:
    split = calling_code(digits)
    if split is None:
        raise _Ask
    return split


def calling_code(digits: str) -> tuple[int, str] | None:
    """Split ASCII digits after the "+" into a country calling code and the rest, if any."""
    # As phonenumberutil._extract_country_code: calling codes are prefix-free, 1 to 3 digits.
    # Looked up as text: a code never starts with 0, so "49" is 49.
    codes = _calling_codes()
    for size in (1, 2, 3):
        if digits[:size] in codes:
            return int(digits[:size]), digits[size:]
    return None


@functools.lru_cache(maxsize=1)
def _calling_codes() -> frozenset[str]:
    return frozenset(str(code) for code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE)


@functools.lru_cache(maxsize=512)
def _metadata(code: int) -> PhoneMetadata:
    """The metadata parse and is_possible_number read for a country calling code."""
    region = phonenumbers.region_code_for_country_code(code)
    meta = PhoneMetadata.metadata_for_region_or_calling_code(code, region)
    if meta is None:
        raise _Ask
    return meta


@functools.lru_cache(maxsize=512)
def _region(region: str) -> PhoneMetadata | None:
    """The metadata of a region (``None``: no such region): read once per region."""
    return PhoneMetadata.metadata_for_region(region, None)


@functools.lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _national_match(number: str, meta: PhoneMetadata) -> bool:
    """Whether the number fits the region's national number pattern (_match_national_number)."""
    pattern = meta.general_desc.national_number_pattern if meta.general_desc else None
    return bool(pattern) and _compiled(pattern).fullmatch(number) is not None


def _strip_national_prefix(number: str, meta: PhoneMetadata) -> str:
    """phonenumberutil._maybe_strip_national_prefix_carrier_code, but for transform rules."""
    prefix = meta.national_prefix_for_parsing
    if not prefix:
        return number
    found = _compiled(prefix).match(number)
    if not found:
        return number
    groups = found.groups()
    if meta.national_prefix_transform_rule and (not groups or groups[-1] is not None):
        raise _Ask  # the prefix rewrites digits (Argentina's 15, Mexico's 044): rare here
    stripped = number[found.end():]
    if _national_match(number, meta) and not _national_match(stripped, meta):
        return number
    return stripped


def _length(number: str, meta: PhoneMetadata) -> str:
    """phonenumberutil._test_number_length for an unknown number type."""
    desc = meta.general_desc
    if desc is None or not desc.possible_length:
        raise _Ask
    possible, local = desc.possible_length, desc.possible_length_local_only or ()
    size = len(number)
    if size in local:
        return "local only"
    if size == possible[0]:
        return "possible"
    if size < possible[0]:
        return "too short"
    if size > possible[-1]:
        return "too long"
    return "possible" if size in possible[1:] else "invalid"
