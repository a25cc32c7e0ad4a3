"""A lead as the clusterer sees it: every signature field pooled, each value kept once."""

from __future__ import annotations

import sys

import pytest

from prospect import dedupe
from prospect.dedupe import profiles
from prospect.models import normalize_fields


def test_every_signature_field_is_pooled_by_a_profile_field() -> None:
    fields, defaults = dedupe.Signature._fields, dedupe.Signature._field_defaults
    profiles._pooling(fields, defaults, dedupe.Values._fields)  # the declared pair agrees
    with pytest.raises(TypeError, match=r"'hours'.* in no profile field"):
        profiles._pooling((*fields, "hours"), defaults, dedupe.Values._fields)
    with pytest.raises(TypeError, match="'hours' pools no signature field"):
        profiles._pooling(fields, defaults, (*dedupe.Values._fields, "hours"))


def test_a_profile_keeps_each_value_once_and_a_town_as_one_string() -> None:
    prof = dedupe.Profile()
    for i in range(50):
        prof.add(dedupe.signature(normalize_fields(
            {"name": f"Kontor {i % 3}", "city": "Kiel", "vat": "DE123456789",
             "address": f"Hafenstraße {i}"})))
    values = prof.values()
    assert values.core == ("kontor 0", "kontor 1", "kontor 2")
    assert values.ids == ("vat:DE123456789",)
    assert len(values.address) == 40 and values.address[0] == ("0", "hafenstr")
    city = "".join(["ki", "el"])
    assert values.city == (city,) and values.city[0] is sys.intern(city)
