"""The signature and blocking keys a record is found by, and what the book's index holds."""

from __future__ import annotations

from prospect import dedupe, keys
from prospect.dedupe import evidence
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
    assert set(keys.PERSONAL) == set(evidence.PERSONAL_WEIGHTS)
    sig = keys.signature(normalize_fields({"name": "Ann Lee", "tax_id": "12345678",
                                           "birth_date": "1980-02-01"}))
    assert {item.partition(":")[0] for item in sig.personal} == set(keys.PERSONAL)


def test_a_record_with_only_a_name_is_found_by_its_sound_too() -> None:
    def sig(name: str, **more: str) -> keys.Signature:
        return keys.signature(normalize_fields({"name": name, **more}))

    # A register's names alone: a misspelt one-word name shares no word, head or tail.
    made = dedupe.Clusterer(index=dedupe.MemoryIndex(), stats=dedupe.CountingStats())
    ids = [made.assign(sig(name)).lead_id
           for name in ("UNILEVER N.V.", "UNILIVER N.V.", "ALCATEL N.V.", "ALKATEL N.V.")]
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[0] != ids[2]
    # A record with more to go by is found by that: no sound key.
    assert not any(k.startswith("m:") for k in keys.blocking_keys(
        sig("Uniliver", phone="+31 10 217 4000")))


def test_a_canadian_postcode_says_how_an_address_without_a_country_reads() -> None:
    found = keys.signature({"name": "HUB International", "address": "900-595 Bay St",
                            "postcode": "M5G 2E3"})
    assert (found.number, found.street) == ("595", "bay")
