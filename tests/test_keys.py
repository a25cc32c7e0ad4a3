"""The signature and blocking keys a record is found by, and what the book's index holds."""

from __future__ import annotations

from prospect import dedupe, keys
from prospect.models import normalize_fields


def test_a_leads_keys_are_its_records_keys_together() -> None:
    records = [normalize_fields(f) for f in (
        {"name": "Harbour Roasters GmbH", "city": "Hamburg", "phone": "+49 40 1234567",
         "country": "DE"},
        {"name": "Harbour Roasters", "website": "harbour-roasters.de", "postcode": "20095",
         "country": "DE"},
    )]
    together = keys.record_keys(records)
    assert together == {k for f in records for k in keys.blocking_keys(keys.signature(f))}
    assert {"d:harbour-roasters.de", "c:harbourroasters"} <= together


def test_every_personal_identifier_a_signature_keeps_is_weighed_by_dedupe() -> None:
    assert set(keys.PERSONAL) == set(dedupe._PERSONAL)
    sig = keys.signature(normalize_fields({"name": "Ann Lee", "tax_id": "12345678",
                                           "birth_date": "1980-02-01"}))
    assert {item.partition(":")[0] for item in sig.personal} == set(keys.PERSONAL)
