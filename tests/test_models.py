"""The JSON the book stores: written as json.dumps writes it, read as json.loads reads it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prospect import models

_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12)


@given(_VALUES)
def test_json_text_is_what_json_dumps_writes(value: Any) -> None:
    assert models.json_text(value) == json.dumps(value, ensure_ascii=False)


def test_json_text_without_the_c_encoder_writes_the_same(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    value = {"name": "Kaffeerösterei", "n": [1, 2.5, None], "ok": True}
    fast = models.json_text(value)
    monkeypatch.setattr(models, "_C_ENCODER", None)
    assert models.json_text(value) == fast == json.dumps(value, ensure_ascii=False)


def test_json_text_refuses_what_json_cannot_write() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        models.json_text({"at": object()})


@given(_VALUES)
def test_json_value_reads_back_what_json_loads_reads(value: Any) -> None:
    text = models.json_text(value)
    # Compared as text: NaN is not equal to itself.
    assert models.json_text(models.json_value(text)) == models.json_text(json.loads(text))


def test_json_value_without_the_c_scanner_reads_the_same(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    text = '{"name": "Kaffeerösterei", "n": [1, 2.5, null], "ok": true}'
    fast = models.json_value(text)
    monkeypatch.setattr(models, "_SCAN", None)
    assert models.json_value(text) == fast == json.loads(text)


@pytest.mark.parametrize(("cell", "email"), [
    ("info@x-gmbh.de, sales@x-gmbh.de", "info@x-gmbh.de"),
    ("info@x-gmbh.de; sales@x-gmbh.de", "info@x-gmbh.de"),
    ("info@x-gmbh.de / sales@x-gmbh.de", "info@x-gmbh.de"),
    ("Max Mustermann <max@x-gmbh.de>", "max@x-gmbh.de"),
    ("Info: info@x-gmbh.de", "info@x-gmbh.de"),
    ("INFO@X-GMBH.DE", "info@x-gmbh.de"),
    ("02/01/16", None),  # not what its column claims: dropped, as before
])
def test_an_email_cell_gives_its_first_address(cell: str, email: str | None) -> None:
    assert models.normalize_fields({"name": "X GmbH", "email": cell}).get("email") == email


@pytest.mark.parametrize(("cell", "website", "domain"), [
    ("www.x-gmbh.de; www.x-gmbh.com", "www.x-gmbh.de", "x-gmbh.de"),
    ("http://x-gmbh.de, http://y-ag.de", "http://x-gmbh.de", "x-gmbh.de"),
    ("Homepage: www.x-gmbh.de", "www.x-gmbh.de", "x-gmbh.de"),
    ("https://www.x-gmbh.de/de/index.html", "https://www.x-gmbh.de/de/index.html", "x-gmbh.de"),
    ("Yes", None, None),
])
def test_a_website_cell_gives_its_first_site(cell: str, website: str | None,
                                             domain: str | None) -> None:
    fields = models.normalize_fields({"name": "X GmbH", "website": cell})
    assert (fields.get("website"), fields.get("domain")) == (website, domain)
