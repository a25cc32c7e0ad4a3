"""Phones, e-mails and web sites: the canonical forms, and never an exception."""

from __future__ import annotations

import gc
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prospect import normalize as n
from prospect.models import normalize_fields
from prospect.normalize import contacts


def test_phone_to_e164_with_country_hint() -> None:
    assert n.normalize_phone("020 7946 0958", "GB") == n.Phone("+442079460958", "2079460958")
    assert n.normalize_phone("0044 20 7946 0958", None) == n.Phone("+442079460958", "2079460958")
    assert n.normalize_phone("6380773", None) == n.Phone(None, "6380773")
    assert n.normalize_phone("12", "GB") is None


def test_national_digits_of_e164_equal_a_full_parse_in_every_region() -> None:
    import phonenumbers

    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
            parsed = n.normalize_phone(e164, region)
            assert parsed is not None and parsed.e164 == e164, (region, e164)
            assert n.national_digits(e164, region) == parsed.digits, (region, e164)
    assert n.national_digits("6380773") == "6380773"  # not E.164: parsed as before
    assert n.national_digits("+٤٩٣٠١٢٣٤٥٦٧") == "301234567"  # Arabic-Indic digits
    assert n.national_digits("+3906123456") == "6123456"  # as libphonenumber: no leading 0


def test_registered_domain_never_fetches_and_rejects_non_urls() -> None:
    assert n.registered_domain("https://www.example.co.uk/contact") == "example.co.uk"
    assert n.registered_domain("www.shop.example.de") == "example.de"
    assert n.registered_domain("Yes") is None
    assert n.registered_domain("someone@example.com") is None


def test_registered_domain_is_tldextracts_for_every_rule_of_the_list() -> None:
    # Plain hosts are matched by normalize itself, against tldextract's own list: each rule
    # (its wildcards and exceptions too) under several names, and random mixes of its
    # labels, must give what tldextract gives.
    rules = [rule for rule in contacts._EXTRACT.tlds if rule.isascii()]
    hosts: set[str] = set()
    for rule in rules:
        labels = rule.lstrip("!").replace("*", "w").split(".")
        for k in range(len(labels)):
            tail = ".".join(labels[k:])
            hosts.update(f"{head}{tail}" for head in ("", "x.", "a.x.", "www.", "city."))
    words = sorted({label for rule in rules for label in rule.lstrip("!*.").split(".")})
    rng = random.Random(7)
    hosts.update(".".join(rng.choice([*words, "x", "www"]) for _ in range(rng.randint(1, 5)))
                 for _ in range(20_000))
    hosts.update(["example.com.", "a..de", "xn--80ak6aa92e.com", "192.168.0.1", "-a.de"])
    for host in sorted(hosts):
        assert n.registered_domain(host) == (
            contacts._EXTRACT(host).top_domain_under_public_suffix or None), host


def test_email_and_country() -> None:
    assert n.normalize_email("Info@Example.DE") == "info@example.de"
    assert n.normalize_email("02/01/16") is None
    assert n.normalize_email("mailto:a@b.org") == "a@b.org"
    assert [n.normalize_country(c) for c in ("Germany", "deu", "德国", "UK", "中国", "Atlantis")] == [
        "DE", "DE", "DE", "GB", "CN", None]


@given(st.text(), st.sampled_from([None, "GB", "DE", "US", "CN"]))
def test_phone_never_raises_and_digits_are_digits(text: str, country: str | None) -> None:
    phone = n.normalize_phone(text, country)
    if phone is not None:
        assert phone.digits.isdigit()
        assert phone.e164 is None or phone.e164.startswith("+")


@given(st.text())
def test_domain_and_email_never_raise(text: str) -> None:
    domain = n.registered_domain(text)
    assert domain is None or "." in domain
    email = n.normalize_email(text)
    assert email is None or email == email.lower()


def test_a_number_phonenumbers_rejects_leaves_no_garbage_cycle() -> None:
    # An import builds its batches with the cyclic collector off: a cycle left behind would
    # hold a whole batch until the collector runs.
    gc.collect()
    gc.disable()
    try:
        assert n.normalize_phone("+999 123456") == n.Phone(e164=None, digits="999123456")
        assert gc.collect() == 0
    finally:
        gc.enable()


@pytest.mark.parametrize(("raw", "country", "e164"), [
    # A spreadsheet's cell with the office line and a mobile, or two lines: the first.
    ("0711 123456 / 0171 987654", "DE", "+49711123456"),
    ("0711-123456, 0711-123457", "DE", "+49711123456"),
    ("020 7946 0000 or 07700 900123", "GB", "+442079460000"),
    ("+49 711 123456 / +49 171 9876543", None, "+49711123456"),
    # An extension written in a language phonenumbers does not read ("转": Chinese "ext.").
    ("+86 755 8601 3388 转 8001", "CN", "+8675586013388"),
    # As before: one number, written any way.
    ("0711/123456", "DE", "+49711123456"),
    ("Tel: +49 711 123456", None, "+49711123456"),
])
def test_a_cell_with_more_than_one_number_gives_its_first(raw: str, country: str | None,
                                                          e164: str) -> None:
    found = n.normalize_phone(raw, country)
    assert found is not None and found.e164 == e164


@pytest.mark.parametrize(("raw", "e164"), [
    ("4.9301234567E+10", "+49301234567"),  # every digit kept: the number
    ("4,9301234567E+10", "+49301234567"),  # a decimal comma, as German Excel writes it
    ("4.93012E+10", None),  # six digits of eleven: no line's number
    ("4,93012E+10", None),
    ("7.73E+016", None),  # a Chicago centre's phone in chicago_ece, as the city published it
])
def test_a_phone_a_spreadsheet_wrote_in_scientific_notation(raw: str, e164: str | None) -> None:
    found = n.normalize_phone(raw, "DE")
    if e164 is None:
        assert found is None  # not even its digits: they are no line's
    else:
        assert found is not None and found.e164 == e164


def test_phones_a_spreadsheet_cut_short_do_not_make_two_firms_one() -> None:
    # Two Berlin firms whose numbers Excel saved as "4.93012E+10": digits the two once
    # differed in are gone, and the rest ("49301210") would be a phone key they share.
    first = normalize_fields({"name": "Röstwerk GmbH", "phone": "4.93012E+10", "country": "DE"})
    second = normalize_fields({"name": "Kaffeehaus Süd", "phone": "4.93012E+10",
                               "country": "DE"})
    assert "phone" not in first and "phone" not in second
