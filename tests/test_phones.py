"""The fast path for plainly written numbers gives what phonenumbers itself gives."""

from __future__ import annotations

from collections.abc import Iterator

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prospect import phones

_FORMATS = (phonenumbers.PhoneNumberFormat.NATIONAL,
            phonenumbers.PhoneNumberFormat.INTERNATIONAL,
            phonenumbers.PhoneNumberFormat.E164)
_REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)


def _written(number: phonenumbers.PhoneNumber) -> Iterator[str]:
    """A number as people write it: each format, bare digits, a digit short and one over."""
    for form in _FORMATS:
        text = phonenumbers.format_number(number, form)
        yield text
        digits = "".join(c for c in text if c.isdigit())
        yield ("+" if text.startswith("+") else "") + digits
        yield text[:-1]
        yield text + "7"
        yield "0" + digits  # a trunk prefix written where the region has none, or twice
        yield f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


def _examples() -> Iterator[tuple[str, str]]:
    for region in _REGIONS:
        for kind in phonenumbers.PhoneNumberType.values():
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                for text in _written(number):
                    yield text, region
        invalid = phonenumbers.invalid_example_number(region)
        if invalid is not None:
            for text in _written(invalid):
                yield text, region


def test_every_example_number_of_every_region_reads_as_phonenumbers_reads_it() -> None:
    hints = ("US", "GB", "ZZ")  # read in its own region, from two others, and from nowhere
    for text, region in sorted(set(_examples())):
        for hint in (region, *hints):
            assert phones.e164(text, hint) == phones._library(text, hint), (text, hint)


def test_the_fast_path_answers_for_numbers_written_as_the_regions_write_them() -> None:
    # Else the comparisons above would say little: the fast path could ask every time.
    written = asked = 0
    for region in _REGIONS:
        for kind in phonenumbers.PhoneNumberType.values():
            number = phonenumbers.example_number_for_type(region, kind)
            if number is None:
                continue
            for form in _FORMATS[:2]:
                text = phonenumbers.format_number(number, form)
                written += 1
                try:
                    phones._plain(phones._NOT_DIGIT.sub("", text), text.startswith("+"), region)
                except phones._Ask:
                    asked += 1
    assert written > 2000
    assert asked < written * 0.01, (asked, written)


@pytest.mark.parametrize(("text", "region", "expected"), [
    ("+49 929 039 1570", "DE", ("+499290391570", "9290391570")),
    ("0929 039 1570", "DE", ("+499290391570", "9290391570")),
    ("020 7946 0000", "GB", ("+442079460000", "2079460000")),
    ("+44 (0)20 7946 0000", "GB", ("+442079460000", "2079460000")),
    ("(201) 555-0123", "US", ("+12015550123", "2015550123")),
    ("01 23 45 67 89", "FR", ("+33123456789", "123456789")),
    ("06 1234 5678", "IT", ("+390612345678", "612345678")),  # Italy keeps its 0 in E.164
])
def test_plain_numbers_take_the_fast_path(text: str, region: str,
                                          expected: tuple[str, str]) -> None:
    assert phones._plain(phones._NOT_DIGIT.sub("", text), text.startswith("+"),
                         region) == expected
    assert phones._library(text, region) == expected


_SEPARATORS = st.sampled_from(["", "", "", " ", "-", ".", "(", ")"])


@st.composite
def _plain_text(draw: st.DrawFn) -> str:
    digits = draw(st.text("0123456789", min_size=5, max_size=20))
    parts = [c + draw(_SEPARATORS) for c in digits]
    return draw(st.sampled_from(["", "+", "00"])) + "".join(parts)


@settings(max_examples=1000, deadline=None)
@given(_plain_text(), st.sampled_from(_REGIONS))
def test_random_digits_read_as_phonenumbers_reads_them(text: str, region: str) -> None:
    assert phones.e164(text, region) == phones._library(text, region)


@pytest.mark.parametrize("text", ["+49 000000", "000000", "+39 0000000", "0049 30 123456",
                                  "011 49 30 123456", "49 30 1234567", "1 201 555 0123",
                                  "+0 123 4567", "+999 123 4567", "030 123456 x12",
                                  "0800-FLOWERS", "tel:+49-30-123456"])
def test_odd_numbers_read_as_phonenumbers_reads_them(text: str) -> None:
    for region in ("DE", "US", "IT", "AR", "ZZ"):
        assert phones.e164(text, region) == phones._library(text, region)
