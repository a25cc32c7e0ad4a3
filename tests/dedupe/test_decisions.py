"""Dedupe decisions: who joins whom, and the guards that keep strangers apart."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from typing import Any

import pytest

from prospect import dedupe
from prospect import normalize as n
from prospect.dedupe import clusterer
from prospect.models import normalize_fields


def sig(**fields: str) -> dedupe.Signature:
    return dedupe.signature(normalize_fields(fields))


def cluster(*records: dict[str, str]) -> list[int]:
    stats = dedupe.CountingStats()
    sigs = [sig(**r) for r in records]
    for s in sigs:
        stats.add(s.core.split())
    stats.add_counts(dedupe.value_counts(sigs), 0)
    c = dedupe.Clusterer(index=dedupe.MemoryIndex(), stats=stats)
    return [c.assign(s).lead_id for s in sigs]


def test_a_signature_holds_each_field_where_its_name_says() -> None:
    made = sig(name="Röstwerk GmbH", website="https://www.roestwerk.de/", phone="040 1234567",
               email="info@roestwerk.de", address="Hauptstraße 5", postcode="20095",
               city="Hamburg", country="DE", vat="DE123456789", birth_date="1956-04-09")
    assert made._asdict() == {
        "core": "rostwerk", "family": "de", "domain": "roestwerk.de",
        "email": "info@roestwerk.de", "phone": "401234567", "number": "5", "street": "hauptstr",
        "postcode": "20095", "city": "hamburg", "country": "DE", "ids": ("vat:DE123456789",),
        "personal": ("birth_date:19560409",), "position": None, "source": None}


def test_variants_of_one_business_join() -> None:
    ids = cluster(
        {"name": "Blue Bakery Ltd", "phone": "+44 20 7946 0958", "city": "London", "country": "GB"},
        {"name": "BLUE BAKERY LIMITED", "phone": "020 7946 0958", "city": "London", "country": "GB"},
        {"name": "Blue Bakrey", "website": "https://www.bluebakery.co.uk", "phone": "02079460958",
         "country": "GB"},
    )
    assert ids[0] == ids[1] == ids[2]


def test_a_name_meets_by_its_words_in_the_postcode_and_by_head_and_tail_in_the_town() -> None:
    both = set(dedupe.blocking_keys(sig(name="Harbour Roasters", city="Hamburg",
                                        postcode="20095", country="DE")))
    assert {"t:harbour|z20095", "t:roasters|z20095", "h:harbo|chamburg",
            "l:sters|chamburg"} <= both
    # Not also the words in the town: they made a third of all keys, and found strangers.
    assert not {k for k in both if k.startswith("t:") and k.endswith("|chamburg")}
    # A record that lacks the postcode, or the town, still shares keys of the name's place.
    town = set(dedupe.blocking_keys(sig(name="Harbour Roasterz", city="Hamburg", country="DE")))
    assert {"h:harbo|chamburg"} <= town & both
    code = set(dedupe.blocking_keys(sig(name="Harbor Roasters", postcode="20095", country="DE")))
    assert {"t:roasters|z20095"} <= code & both


@pytest.fixture
def scored(monkeypatch: pytest.MonkeyPatch) -> list[dedupe.Signature]:
    """The signatures dedupe.score is called for, in order: the candidates weighed."""
    calls: list[dedupe.Signature] = []
    real_score = dedupe.score

    def counting_score(s: dedupe.Signature, *args: Any, **kwargs: Any) -> dedupe.Score:
        calls.append(s)
        return real_score(s, *args, **kwargs)

    monkeypatch.setattr(clusterer, "score", counting_score)  # where Clusterer finds it
    return calls


def test_a_rare_end_of_the_name_finds_a_lead_only_where_the_postcodes_could_agree(
        scored: list[dedupe.Signature]) -> None:
    ids = cluster(
        {"name": "Harbour Roasters GmbH", "city": "Hamburg", "postcode": "20095", "country": "DE"},
        # No postcode, so its words key under the town: only the head "harbo" meets the first.
        {"name": "Harbour Roastrs", "city": "Hamburg", "country": "DE"},
        # The same head under another postcode is a stranger's, and is not even scored.
        {"name": "Harbour Roasterie", "city": "Hamburg", "postcode": "22767", "country": "DE"},
    )
    assert ids[0] == ids[1] != ids[2]
    assert [s.core for s in scored] == ["harbour roastrs"]


def test_a_site_many_leads_share_makes_no_candidate_alone(scored: list[dedupe.Signature]) -> None:
    # Namesakes in five towns whose sites came out alike: the site is all they share.
    towns = ["Leeds", "York", "Hull", "Bath", "Derby", "Derby"]
    ids = cluster(*[{"name": f"Price Works {t}", "website": "priceworks.co.uk", "city": t,
                     "country": "GB"} for t in towns])
    assert len(set(ids)) == 5 and ids[4] == ids[5]
    # Up to SHARED_KEY (three) leads, the site alone finds each; past it, only with a
    # second key: the name in its town finds the one Derby lead.
    assert [s.city for s in scored] == [n.town(t) for t in
                                        ("York", "Hull", "Hull", "Bath", "Bath", "Bath", "Derby")]


def test_same_name_in_same_city_with_conflicting_phone_and_address_stays_apart() -> None:
    ids = cluster(
        {"name": "Smith Plumbing Ltd", "city": "Leeds", "address": "12 High Street",
         "phone": "0113 496 0000", "country": "GB"},
        {"name": "Smith Plumbing Ltd", "city": "Leeds", "address": "90 Mill Road",
         "phone": "0113 496 1111", "country": "GB"},
    )
    assert ids[0] != ids[1]


def test_shared_free_mail_domain_is_not_identity() -> None:
    ids = cluster(
        {"name": "Alpha Trading", "website": "facebook.com/alpha", "email": "alpha@gmail.com"},
        {"name": "Omega Foods", "website": "facebook.com/omega", "email": "omega@gmail.com"},
    )
    assert ids[0] != ids[1]


def test_different_house_number_on_same_street_is_a_conflict() -> None:
    s = sig(name="Jones Academy", address="4344 S Wentworth Ave")
    prof = dedupe.Profile()
    prof.add(sig(name="Jones Academy", address="4350 S Wentworth Ave"))
    result = dedupe.score(s, prof, dedupe.CountingStats())
    assert ("address differs", -4.0) in result.reasons
    assert result.total < dedupe.MATCH_THRESHOLD


def test_an_address_many_leads_share_is_a_building_not_a_business() -> None:
    # A mall: five shops at one street address. Two restaurants whose names share a word
    # are two tenants there; the same restaurant listed twice is still one.
    mall = {"address": "100 Robinson Center Dr", "city": "Pittsburgh", "country": "US"}
    shops = [{"name": n, **mall} for n in ("Cinnabon", "Auntie Anne's", "Foot Locker",
                                           "Bath & Body Works", "Sephora")]
    ids = cluster(*shops, {"name": "Golden Dragon Buffet", **mall},
                  {"name": "Golden Dragon Express", **mall},
                  {"name": "Golden Dragon Buffet", **mall})
    assert len(set(ids[:5])) == 5
    assert ids[5] != ids[6] and ids[7] == ids[5]
    # Where the book holds no other lead at that address, it says as much as ever.
    ids = cluster({"name": "Golden Dragon Buffet", **mall}, {"name": "Golden Dragon Express", **mall})
    assert ids[0] == ids[1]


def test_a_floor_gives_up_only_what_could_not_reach_it() -> None:
    # House numbers alike, one keystroke apart or far apart, on one street or another, with
    # other facts for and against (a shared site, which another branch's address weakens):
    # with a floor, a candidate scores as it would without one, or is given up because it
    # could not have reached the floor.
    stats = dedupe.CountingStats()
    addresses = ["12 High Street", "12 Mill Road", "21 High Street", "13 High St", "90 Mill Road",
                 "High Street", ""]
    checked = given_up = 0
    for mine, theirs, phone, site in itertools.product(
            addresses, addresses, ("0113 496 0000", "0113 496 1111"), ("", "smithplumbing.co.uk")):
        s = sig(name="Smith Plumbing", city="Leeds", address=mine, phone=phone,
                country="GB", website=site)
        prof = dedupe.Profile()
        prof.add(sig(name="Smith Plumbing Ltd", city="Leeds", address=theirs,
                     phone="0113 496 0000", country="GB", website=site))
        whole = dedupe.score(s, prof, stats)
        for floor in (0.0, dedupe.MATCH_THRESHOLD, 9.0):
            floored = dedupe.score(s, prof, stats, floor=floor)
            if floored.total == float("-inf"):
                assert whole.total < floor
                given_up += 1
            else:
                assert floored == whole
            checked += 1
    assert given_up and given_up < checked


def test_a_name_within_the_other_joins_when_names_are_all_there_is() -> None:
    # A register of firms: "Philips Electronics N.V." is the firm of the longer name.
    ids = cluster(
        {"name": "KONINKLIJKE PHILIPS ELECTRONICS N.V."},
        {"name": "PHILIPS ELECTRONICS N V"},
    )
    assert ids[0] == ids[1]


def test_a_name_within_the_other_at_another_address_is_a_branch() -> None:
    # The same pair beside other evidence: a programme named inside its parent's name, at
    # its own address, stays a lead of its own even with the parent's switchboard.
    ids = cluster(
        {"name": "Henry Booth House North Kenwood Day Care Center", "address": "1020 E 42nd St",
         "phone": "(773) 555-0100", "city": "Chicago"},
        {"name": "North Kenwood Day Care Center", "address": "4201 S Drexel Blvd",
         "phone": "(773) 555-0100", "city": "Chicago"},
    )
    assert ids[0] != ids[1]


def test_a_business_at_the_place_the_other_names_is_another_business() -> None:
    # A stadium and the restaurant in it: one address, the stadium's name inside the
    # restaurant's, after "at". The name within the other is not the same business here.
    ids = cluster(
        {"name": "PNC Park", "address": "115 Federal St", "postcode": "15212", "city": "Pittsburgh"},
        {"name": "Primanti Brothers at PNC Park", "address": "115 Federal St", "postcode": "15212",
         "city": "Pittsburgh"},
        {"name": "The Saloon of Mt. Lebanon", "address": "622 Washington Rd"},
        {"name": "Mt. Lebanon", "address": "622 Washington Rd"},
        # The shorter name first, a place after it: a branch's or a site's name, one firm.
        {"name": "Days Inn", "address": "6 Landings Drive", "postcode": "15238"},
        {"name": "Days Inn Pittsburgh-Harmarville", "address": "6 Landings Drive",
         "postcode": "15238"},
        # "@" is "at", with or without spaces around it.
        {"name": "Old Police Academy", "address": "1 Mount Pleasant Rd", "postcode": "298332"},
        {"name": "Gym @ Old Police Academy", "address": "1 Mount Pleasant Rd",
         "postcode": "298332"},
        {"name": "Boon Lay Shopping Centre", "address": "221 Boon Lay Pl", "postcode": "640221"},
        {"name": "Witson Hardware@Boon Lay Shopping Centre", "address": "221 Boon Lay Pl",
         "postcode": "640221"},
    )
    assert ids[0] != ids[1] and ids[2] != ids[3] and ids[4] == ids[5]
    assert ids[6] != ids[7] and ids[8] != ids[9]


def test_a_chains_site_or_name_alone_does_not_join_its_branches() -> None:
    ids = cluster(
        # Two branches in one town and postcode, one web site: another street address
        # makes the site a chain's, not one shop's.
        {"name": "Starbucks", "address": "600 Grant St", "postcode": "15219",
         "city": "Pittsburgh", "website": "starbucks.com"},
        {"name": "Starbucks Coffee", "address": "530 William Penn Pl", "postcode": "15219",
         "city": "Pittsburgh", "website": "https://www.starbucks.com/store-locator/store/123"},
        # The name at two places in the book, and a record with the name and the town only.
        {"name": "Subway", "address": "1 Main St", "city": "Springfield"},
        {"name": "Subway", "address": "99 Elm St", "city": "Springfield"},
        {"name": "Subway", "city": "Springfield"},
        # One shop listed twice still joins.
        {"name": "Starbucks", "address": "600 Grant Street", "postcode": "15219",
         "phone": "412-555-0100", "website": "starbucks.com"},
    )
    assert ids[0] != ids[1] and len({ids[2], ids[3], ids[4]}) == 3 and ids[5] == ids[0]


def test_the_tenants_of_one_building_share_its_address_and_switchboard_and_stay_apart() -> None:
    # One address, one switchboard: the building gives both. Names that share nothing, or
    # one of them a hotel's or a food court's, say two businesses; no name need say
    # "casino" (Fodor's against Zagat's, Las Vegas).
    ids = cluster(
        {"name": "The Heathman Hotel", "address": "220 Kirkland Ave", "phone": "(425) 284-5800",
         "city": "Kirkland"},
        {"name": "Trellis", "address": "220 Kirkland Ave", "phone": "(425) 284-5800",
         "city": "Kirkland"},
        {"name": "Park Avenue Food Court", "address": "59 4th Ave.", "phone": "(212) 475-7032",
         "postcode": "10003"},
        {"name": "Andy's Deli", "address": "59 4th Ave.", "phone": "(212) 475-7032",
         "postcode": "10003"},
        {"name": "cafe roma", "address": "3570 las vegas blvd. s", "city": "las vegas",
         "phone": "702/731-7547"},
        {"name": "palace court", "address": "3570 las vegas blvd. s.", "city": "las vegas",
         "phone": "702-731-7547"},
        # A name inside the other, or one word shared, is the same place listed twice ...
        {"name": "the palm", "address": "9001 santa monica blvd.", "city": "los angeles",
         "phone": "310/550-8811"},
        {"name": "palm  the (los angeles)", "address": "9001 santa monica blvd.",
         "city": "w. hollywood", "phone": "310-550-8811"},
        # ... and so is a site known by its operator's initials.
        {"name": "Casa Central - CSC Development Program", "address": "1343 N. California",
         "city": "Chicago", "phone": "773-645-2300"},
        {"name": "Community Service Center", "address": "1343 N. California Ave",
         "city": "Chicago", "phone": "773-645-2300"},
    )
    assert ids[0] != ids[1] and ids[2] != ids[3] and ids[4] != ids[5]
    assert ids[6] == ids[7] and ids[8] == ids[9]


def test_a_number_written_as_a_word_and_a_postcode_with_its_country_read_as_written() -> None:
    ids = cluster(
        # Two branches of a chain: "One Penn Plz." is number 1, not a street called "one".
        {"name": "Subway", "address": "One Penn Plz.", "city": "New York", "postcode": "10119"},
        {"name": "Subway", "address": "250 W 57th St", "city": "New York", "postcode": "10019"},
        # One café: "DE-93437" is the postcode 93437.
        {"name": "Café Müller", "address": "Hauptstr. 5", "postcode": "93437",
         "city": "Furth im Wald"},
        {"name": "Cafe Mueller", "address": "Hauptstraße 5", "postcode": "DE-93437",
         "city": "Furth i. Wald"},
    )
    assert ids[0] != ids[1] and ids[2] == ids[3]


def test_another_legal_form_does_not_keep_a_group_apart() -> None:
    s = sig(name="Unilever PLC")
    prof = dedupe.Profile()
    prof.add(sig(name="Unilever N.V."))
    result = dedupe.score(s, prof, dedupe.CountingStats())
    assert result.total >= dedupe.MATCH_THRESHOLD
    # ... but a country of its own does.
    prof = dedupe.Profile()
    prof.add(sig(name="Unilever N.V.", country="NL"))
    assert dedupe.score(sig(name="Unilever PLC", country="GB"), prof,
                        dedupe.CountingStats()).total < dedupe.MATCH_THRESHOLD


def test_agreeing_on_a_value_most_of_the_book_carries_weighs_less() -> None:
    stats = dedupe.CountingStats()
    stats.add_counts(dedupe.value_counts(
        sig(name=f"Firm {i} Pte Ltd", city="Singapore", postcode=f"{400000 + i}")
        for i in range(300)), 0)
    # Every record's town and legal form: agreeing on them says little.
    assert stats.agreement("t", "singapore", 0.5) < 0.3
    assert stats.agreement("f", "sea", 1.0) < 0.3
    # A value the book does not hold weighs what it did.
    assert stats.agreement("t", "johor bahru", 0.5) == 0.5
    # A small book keeps the weights it would have had without counts.
    small = dedupe.CountingStats()
    small.add_counts(dedupe.value_counts(
        sig(name=f"Firm {i} Pte Ltd", city="Singapore") for i in range(5)), 0)
    assert small.agreement("t", "singapore", 0.5) == 0.5
    assert small.agreement("f", "sea", 1.0) == 1.0


def test_two_firms_at_one_door_whose_names_share_the_countrys_are_two() -> None:
    # Singapore firms: nearly every one a "Pte. Ltd.", so the form both carry does not
    # tip two names that share only "Singapore" (one building, two tenants).
    place = {"address": "7 Changi South Street 2", "postcode": "486415", "country": "SG"}
    others = [{"name": f"Firm {i} Pte Ltd", "postcode": f"{400000 + i}", "country": "SG"}
              for i in range(100)]
    ids = cluster(*others,
                  {"name": "Acushnet Singapore Pte Ltd", "latitude": "1.330778",
                   "longitude": "103.964297", **place},
                  {"name": "Pactera Singapore Pte. Ltd.", "latitude": "1.330570",
                   "longitude": "103.964291", **place})
    assert ids[-1] != ids[-2]


def test_a_word_that_starts_another_stands_for_it_only_in_a_register_or_beside_a_shared_one(
        ) -> None:
    stats = dedupe.CountingStats()
    # A list of places: two names, though one word starts the other.
    assert dedupe.name_evidence("boar", "boardsports", stats, cut_short=False)[0] < 0.75
    assert dedupe.name_evidence("pizza pizza", "pizzaiolo", stats, cut_short=False)[0] < 0.75
    # Beside a word both share, a word cut short ("Koninkl") is the longer one.
    assert dedupe.name_evidence("koninkl philips", "koninklijke philips", stats,
                                cut_short=False)[0] == 1.0
    # A register's names alone are cut and glued: "Philips" is "Philipsogloeilampenfabrie".
    assert dedupe.name_evidence("philips", "philipsogloeilampenfabrie", stats)[0] == 1.0


def test_a_spot_finds_the_name_written_otherwise_around_it() -> None:
    # "Laing" on the map, "Laings" in a directory 36 m away: no word of one name is the
    # other's, but their first letters meet around the spot.
    ids = cluster({"name": "Laing", "address": "72 George Street", "postcode": "EH2 3BX",
                   "latitude": "55.9527501", "longitude": "-3.2005561"},
                  {"name": "Laings", "latitude": "55.952640675831326",
                   "longitude": "-3.2000182211650205"})
    assert ids[0] == ids[1]
    # Two places that only begin alike, one beside the other, stay two.
    ids = cluster({"name": "Boar", "latitude": "43.7011177", "longitude": "-79.3970207"},
                  {"name": "Boardsports", "address": "2010 Yonge Street", "postcode": "M4S 1Z9",
                   "latitude": "43.7009144", "longitude": "-79.397352"})
    assert ids[0] != ids[1]


@pytest.mark.parametrize(("here", "there"), [
    ("Blk 531 Ang Mo Kio Avenue 10", "Blk 531 Ang Mo Kio Avenue 8"),
    ("550 Highway 7 E", "550 Highway 27"),
    ("Plot No. 45, Sector 18", "Plot No. 45, Sector 19"),
])
def test_streets_numbered_in_their_names_are_two_streets_when_the_numbers_differ(
        here: str, there: str) -> None:
    # A chain's shop at the same door number of two numbered streets: two shops.
    prof = dedupe.Profile()
    prof.add(sig(name="Kopitiam", address=there, city="Singapore"))
    result = dedupe.score(sig(name="Kopitiam", address=here, city="Singapore"), prof,
                          dedupe.CountingStats())
    assert ("address differs", -3.0) in result.reasons
    # The same street written otherwise is one: "Highway 7 E" and "Highway 7 East".
    prof = dedupe.Profile()
    prof.add(sig(name="Kopitiam", address="550 Highway 7 East", city="Markham"))
    assert ("address", 4.5) in dedupe.score(
        sig(name="Kopitiam", address="550 Highway 7 E", city="Markham"), prof,
        dedupe.CountingStats()).reasons


def test_decision_explains_itself() -> None:
    stats = dedupe.CountingStats()
    c = dedupe.Clusterer(index=dedupe.MemoryIndex(), stats=stats)
    c.assign(sig(name="Acme GmbH", website="acme.de"))
    d = c.assign(sig(name="ACME", website="https://www.acme.de/impressum"))
    assert not d.new
    assert ("domain", 5.0) in d.reasons


def _decisions(*records: dict[str, str]) -> list[dedupe.Decision]:
    stats = dedupe.CountingStats()
    sigs = [sig(**r) for r in records]
    for s in sigs:
        stats.add(s.core.split())
    c = dedupe.Clusterer(index=dedupe.MemoryIndex(), stats=stats)
    return [c.assign(s) for s in sigs]


def test_a_name_alone_that_matches_two_leads_of_names_says_they_are_one() -> None:
    # The short name came first and stayed apart (a name within the other, no legal form);
    # the third matches both: the order of the records split one firm.
    electronics, short, both = _decisions(
        {"name": "Koninklijke Philips Electronics N.V."}, {"name": "KONINKLIJKE, PHILIPS"},
        {"name": "Koninklijke Philips N.V."})
    assert short.new and short.lead_id != electronics.lead_id
    assert not both.new
    assert {both.lead_id, *both.also} == {electronics.lead_id, short.lead_id}


def test_a_name_alone_does_not_join_two_leads_that_each_have_a_place() -> None:
    # Two firms of one name in two towns: a record with only the name matches both and
    # cannot say which, nor that they are one.
    berlin, munich, bare = _decisions(
        {"name": "Acme Handel GmbH", "address": "Hauptstraße 5", "city": "Berlin"},
        {"name": "Acme Handel GmbH", "address": "Leopoldstraße 9", "city": "München"},
        {"name": "Acme Handel GmbH"})
    assert berlin.lead_id != munich.lead_id
    assert bare.also == ()


def test_a_record_with_a_place_that_matches_two_leads_joins_one() -> None:
    first, second, placed = _decisions(
        {"name": "Koninklijke Philips Electronics N.V."}, {"name": "KONINKLIJKE, PHILIPS"},
        {"name": "Koninklijke Philips N.V.", "city": "Eindhoven"})
    assert first.lead_id != second.lead_id
    assert placed.also == ()


def test_the_sides_of_a_street_are_two_addresses_and_a_side_left_out_is_either() -> None:
    east, west, plain = _decisions(
        {"name": "Midtown Deli", "address": "5 E 42nd St", "city": "New York"},
        {"name": "Midtown Deli", "address": "5 West 42nd Street", "city": "New York"},
        {"name": "Midtown Deli", "address": "5 42nd St", "city": "New York"})
    assert west.new and west.lead_id != east.lead_id
    assert not plain.new


def test_streets_whose_names_start_with_one_article_are_two_streets() -> None:
    paix, rivoli, alcala, calle_alcala = _decisions(
        {"name": "Boulangerie Paul", "address": "12 rue de la Paix", "city": "Paris"},
        {"name": "Boulangerie Paul", "address": "12 rue de Rivoli", "city": "Paris"},
        {"name": "Casa Pepe", "address": "Calle de Alcalá 45", "city": "Madrid"},
        {"name": "Casa Pepe", "address": "Calle Alcalá, 45", "city": "Madrid"})
    assert rivoli.new and rivoli.lead_id != paix.lead_id
    assert calle_alcala.lead_id == alcala.lead_id and "address" in dict(calle_alcala.reasons)


def test_a_street_named_by_types_words_is_a_street_of_its_own() -> None:
    _, main = _decisions(
        {"name": "Joe's Deli", "address": "10 Court Street", "city": "Brooklyn"},
        {"name": "Joe's Deli", "address": "10 Main Street", "city": "Brooklyn"})
    assert main.new and "address" not in dict(main.reasons)


def test_a_post_office_box_is_no_other_address() -> None:
    street, box = _decisions(
        {"name": "Van Dijk Handel B.V.", "address": "Keizersgracht 62", "city": "Amsterdam",
         "phone": "+31 20 555 0101"},
        {"name": "Van Dijk Handel B.V.", "address": "Postbus 123, 1000 AB Amsterdam",
         "city": "Amsterdam", "phone": "020 555 0101"})
    assert box.lead_id == street.lead_id and "address differs" not in dict(box.reasons)


def test_a_lead_that_holds_a_numbered_name_takes_no_other_number() -> None:
    # Whatever came first: the campus's name, then one building's, then another building.
    for first, second in itertools.permutations(
            [{"name": "Republic Polytechnic"}, {"name": "Republic Polytechnic W65R"}]):
        ids = cluster({**first, "latitude": "1.44430", "longitude": "103.78400"},
                      {**second, "latitude": "1.44432", "longitude": "103.78402"},
                      {"name": "Republic Polytechnic W36L", "latitude": "1.44431",
                       "longitude": "103.78401"})
        assert ids[0] == ids[1] and ids[2] != ids[1]


def test_two_kinds_of_venue_of_one_name_at_one_door_are_two_outlets() -> None:
    cafe, dining = _decisions(
        {"name": "Ritz-Carlton Cafe (Buckhead)", "address": "3434 Peachtree Rd. NE",
         "city": "Atlanta", "phone": "404-237-2700"},
        {"name": "Ritz-Carlton Dining Room (Buckhead)", "address": "3434 Peachtree Rd.",
         "city": "Atlanta", "phone": "404/237-2700"})
    assert dining.new and dining.lead_id != cafe.lead_id
    # A restaurant is any kind of venue: "Grill" and "Restaurant" may name one place.
    grill, restaurant = _decisions(
        {"name": "Dong Hai Grill", "address": "108 W. 39th St.", "city": "New York",
         "phone": "(212) 221-7237"},
        {"name": "Dong Hai Restaurant", "address": "108 West 39th St.", "city": "New York",
         "phone": "2122217237"})
    assert restaurant.lead_id == grill.lead_id


def test_a_trading_firms_shortened_words_read_written_out() -> None:
    # A trade fair's list gives the mailbox, a directory the site, each its own spelling.
    ids = cluster(
        {"name": "Ningbo Star Imp. & Exp. Co., Ltd.", "website": "http://nbstar.cn",
         "country": "CN"},
        {"name": "Ningbo Star Import and Export Co. Ltd", "email": "info@nbstar.cn",
         "country": "CN"})
    assert ids[0] == ids[1]


def test_shortened_words_of_venues_read_written_out() -> None:
    ids = cluster(
        {"name": "Hyland Hills Apartments", "latitude": "40.417987", "longitude": "-80.036964"},
        {"name": "Hyland Hills Apts", "postcode": "15220", "latitude": "40.418925",
         "longitude": "-80.036106"})
    assert ids[0] == ids[1]


def test_a_letter_beside_a_buildings_word_names_another_building() -> None:
    ids = cluster(
        {"name": "Humber College North - E Bldg.", "latitude": "43.728432",
         "longitude": "-79.608627"},
        {"name": "Humber College North - N Building", "latitude": "43.728340",
         "longitude": "-79.607253"})
    assert ids[0] != ids[1]


@pytest.mark.parametrize(("place", "other", "apart"), [
    # A school and its canteen, a club and its pool: at one spot, one door, one line.
    ({"name": "Nan Hua High School", "address": "41 Clementi Avenue 1",
      "latitude": "1.31910", "longitude": "103.76490"},
     {"name": "Nan Hua High School Canteen", "address": "41 Clementi Ave 1",
      "latitude": "1.31912", "longitude": "103.76492"}, True),
    ({"name": "Raffles Town Club", "address": "1 Plymouth Ave", "phone": "+65 6653 4888"},
     {"name": "Swimming Pool | Raffles Town Club", "address": "1 Plymouth Avenue",
      "phone": "6653 4888", "country": "SG"}, True),
    # A hall's gym, a residence's, a club's is the place's; a chapel is.
    ({"name": "Bellefield Hall", "latitude": "40.44530", "longitude": "-79.95140"},
     {"name": "Bellefield Hall Gym", "latitude": "40.44532", "longitude": "-79.95141"}, True),
    ({"name": "Duquesne University", "address": "600 Forbes Ave", "city": "Pittsburgh"},
     {"name": "Duquesne University Chapel", "address": "600 Forbes Avenue",
      "city": "Pittsburgh"}, True),
    # A gym, a cafe, a shop named by a brand is a business: "Crunch Gym" is Crunch.
    ({"name": "Crunch", "address": "404 Lafayette St", "city": "New York"},
     {"name": "Crunch Gym", "address": "404 Lafayette Street", "city": "New York"}, False),
])
def test_a_facility_of_a_place_is_not_the_place(place: dict[str, str], other: dict[str, str],
                                                apart: bool) -> None:
    first, second = _decisions(place, other)
    if apart:
        assert second.new and second.lead_id != first.lead_id
    else:
        assert second.lead_id == first.lead_id


def test_two_parts_named_after_one_place_are_two_places() -> None:
    # The campus and one building joined (one name inside the other, a few dozen metres
    # apart); another building named after the campus is not that building.
    campus = {"name": "Duquesne University", "latitude": "40.437905", "longitude": "-79.991979"}
    koren = {"name": "Duquesne University - Koren Building", "address": "718 5th Ave",
             "postcode": "15219", "latitude": "40.438740", "longitude": "-79.992516"}
    press = {"name": "Duquesne University Press", "address": "600 Forbes Ave",
             "postcode": "15219", "latitude": "40.437729", "longitude": "-79.993689"}
    ids = cluster(campus, koren, press)
    assert ids[0] == ids[1] and ids[2] != ids[1]
    # A line the lead is reached at: one organisation's church and its annex over the road.
    ids = cluster(
        {"name": "First Church of Love And Faith - First Church of Love & Faith Church",
         "address": "2140 W 79th St", "phone": "773 873 9155"},
        {"name": "First Church of Love And Faith FIRST CHURCH OF LOVE AND FAITH#1",
         "address": "2140 W. 79th St.", "postcode": "60620", "phone": "773 224 6800"},
        {"name": "First Church of Love and Faith", "address": "2140 W 79th Street",
         "postcode": "60620", "phone": "773 873 9155"},
        {"name": "First Church of Love And Faith - First Church of Love & Faith Annex",
         "address": "2141 W 79th St", "phone": "773 224 6800"})
    assert len(set(ids)) == 1
    # Names alone (a register): a group's firms extend its name in many ways.
    others = [{"name": name} for name in ("Shell Nederland", "Unilever Research", "DSM Resins",
                                           "ASML Holding", "Fokker Aircraft", "Organon")]
    ids = cluster(*others, {"name": "Philips Electronics N.V."},
                  {"name": "Koninklijke Philips Electronics N.V."},
                  {"name": "Philips Electronics Nederland N.V."})
    assert len(set(ids[-3:])) == 1


def test_forbidden_lead_is_not_joined() -> None:
    c = dedupe.Clusterer(index=dedupe.MemoryIndex(), stats=dedupe.CountingStats())
    first = c.assign(sig(name="Acme GmbH", website="acme.de"))
    second = c.assign(sig(name="Acme GmbH", website="acme.de"), frozenset({first.lead_id}))
    assert second.new


def test_sole_trader_found_again_by_tax_number_and_birth_date() -> None:
    # Same person, given name mistyped and address replaced: the personal ids decide.
    ids = cluster(
        {"contact_name": "Carly Benger", "address": "61 Gellibrand Street", "city": "Carnegie",
         "tax_id": "5651019", "birth_date": "1971-01-26"},
        {"contact_name": "Matthew Benger", "address": "1 Gellibrand Street", "city": "Carnegie",
         "tax_id": "5651019", "birth_date": "19710126"},
    )
    assert ids[0] == ids[1]


def test_namesakes_with_other_tax_number_and_birth_date_stay_apart() -> None:
    ids = cluster(
        {"contact_name": "Sophie Pascoe", "address": "46 Blackman Crescent", "city": "Paradise",
         "tax_id": "9967942", "birth_date": "19200214"},
        {"contact_name": "Sophie Pascoe", "address": "46 Blackman Crescent", "city": "Paradise",
         "tax_id": "1234567", "birth_date": "19941127"},
    )
    assert ids[0] != ids[1]


def test_a_lead_seen_once_reads_as_the_profile_of_its_one_signature() -> None:
    sigs = [dedupe.signature(normalize_fields(f)) for f in (
        {"name": "Röstwerk Hamburg GmbH", "phone": "+49 40 1234567", "email": "info@roestwerk.de",
         "website": "https://roestwerk.de", "address": "Hafenstraße 12", "postcode": "20457",
         "city": "Hamburg", "country": "DE", "vat": "DE123456789"},
        {"name": "Nordlicht", "city": "Kiel"},
        {"name": "Kaffee Kontor", "address": "Speicherstadt", "country": "DE"},
    )]
    for sig in sigs:
        full = dedupe.Profile()
        full.add(sig)
        # What score() reads: every field at once, in the same order, either way.
        assert dedupe.OneProfile(sig).values() == full.values()
        assert full.values().core == (sig.core,)
    profiles: dict[int, dedupe.AnyProfile] = {}
    dedupe.grow(profiles, 1, sigs[0])
    assert isinstance(profiles[1], dedupe.OneProfile)
    dedupe.grow(profiles, 1, sigs[1])  # a second observation: a profile of both
    prof = profiles[1]
    assert isinstance(prof, dedupe.Profile) and prof.values().city == ("hamburg", "kiel")


def test_the_index_holds_each_lead_of_a_key_once() -> None:
    index = dedupe.MemoryIndex()
    assert index.put_keys(1, ["d:a.de", "t:a|c1"]) == ["d:a.de", "t:a|c1"]
    assert index.put_keys(1, ["d:a.de", "e:x@a.de"]) == ["e:x@a.de"]  # a.de is known
    assert index.put_keys(2, ["d:a.de"]) == ["d:a.de"]
    assert index.put_keys(3, ["d:a.de", "d:a.de"]) == ["d:a.de"]
    assert not index.put("d:a.de", 2) and index.put("p:1234567", 2)
    assert index.leads_for_keys(["d:a.de", "t:a|c1", "p:1234567", "c:x"]) == [
        [1, 2, 3], (1,), (2,), ()]


def test_branches_of_a_chain_in_other_places_stay_apart() -> None:
    """One business is in one place: a name, a site and a brand do not join two branches."""
    ids = cluster(
        {"name": "Subway", "website": "subway.com", "city": "New York",
         "latitude": "40.750568", "longitude": "-73.993519"},  # Penn Station
        {"name": "Subway", "website": "subway.com", "city": "New York",
         "latitude": "40.739295", "longitude": "-73.989308"},  # Flatiron, 1.3 km away
        {"name": "SUBWAY", "city": "New York",
         "latitude": "40.764361", "longitude": "-73.973022"},  # 59th St, 2.4 km away
        {"name": "Subway", "website": "subway.com", "city": "New York",
         "latitude": "40.750611", "longitude": "-73.993402"},  # Penn Station again, 10 m
        {"name": "Subway", "phone": "+1 212 555 0100", "city": "New York",
         "latitude": "40.700000", "longitude": "-74.010000"},  # far, but
        {"name": "Subway", "phone": "+1 212 555 0100", "city": "New York",
         "latitude": "40.750599", "longitude": "-73.993500"})  # the same phone: one business
    assert ids[0] == ids[3] and len({ids[0], ids[1], ids[2]}) == 3
    assert ids[4] == ids[5]


def test_one_door_in_one_town_is_one_place_wherever_it_was_geocoded() -> None:
    # Yelp and Zomato put one restaurant 5.7 km apart; its door says where it is.
    _, same_door, other_door = _decisions(
        {"name": "Carolina's Mexican Food", "address": "2126 E Cactus Rd", "city": "Phoenix",
         "postcode": "85022", "latitude": "33.59683215", "longitude": "-112.0361985"},
        {"name": "Carolina's Mexican Food", "address": "2126 East Cactus, Phoenix, AZ 85022",
         "city": "Phoenix", "postcode": "85022", "latitude": "33.545363",
         "longitude": "-112.047665"},
        {"name": "Carolina's Mexican Food", "address": "1202 E Mohave St", "city": "Phoenix",
         "postcode": "85034", "latitude": "33.441850", "longitude": "-112.056530"})
    assert not same_door.new and other_door.new


def test_a_towns_centre_is_no_position_to_tell_places_apart() -> None:
    # Gazetteer positions (whole arc minutes, two decimals) say which town, not which door.
    coarse = dedupe.signature(normalize_fields({"name": "Alcatel NV", "latitude": "52.35",
                                                "longitude": "4.9166667"}))
    fine = dedupe.signature(normalize_fields({"name": "Alcatel NV", "latitude": "52.351234",
                                              "longitude": "4.917951"}))
    assert coarse.position is None and fine.position == (52.351234, 4.917951)
    minutes = dedupe.signature(normalize_fields({"name": "ASML", "latitude": "51.4166667",
                                                 "longitude": "5.4166667"}))
    assert minutes.position is None  # both on whole arc minutes, to seven decimals
    ids = cluster({"name": "Alcatel NV", "latitude": "52.35", "longitude": "4.9166667"},
                  {"name": "Alcatel NV", "latitude": "51.9166667", "longitude": "4.5"})
    assert ids[0] == ids[1]


def test_a_neighbourhood_for_the_town_is_no_conflict_when_the_postcode_agrees() -> None:
    ids = cluster(
        {"name": "Jackson Diner", "postcode": "11372", "city": "Jackson Heights"},
        {"name": "Jackson Diner", "postcode": "11372", "city": "Queens"},
        {"name": "Jackson Diner", "postcode": "10001", "city": "New York"})
    assert ids[0] == ids[1] and ids[2] != ids[0]


def test_a_name_only_node_finds_the_listing_of_the_shop_it_stands_at() -> None:
    """An OSM node (a name and a position) meets a directory's listing by where both are."""
    ids = cluster(
        {"name": "How Lee Chinese Food", "address": "5888 Forbes Ave", "postcode": "15217",
         "latitude": "40.438129", "longitude": "-79.921897"},
        {"name": "How Lee", "latitude": "40.437981", "longitude": "-79.921352"},  # 49 m
        {"name": "How Lee", "latitude": "40.447981", "longitude": "-79.941352"})  # 2 km
    assert ids[0] == ids[1] != ids[2]
    keys = set(dedupe.blocking_keys(sig(name="How Lee", latitude="40.437981",
                                        longitude="-79.921352")))
    near = set(dedupe.blocking_keys(sig(name="How Lee Chinese Food", postcode="15217",
                                        latitude="40.438129", longitude="-79.921897")))
    assert {k for k in keys & near if k.startswith("g:how|")}


def test_positions_at_one_spot_outweigh_two_ways_of_writing_the_address() -> None:
    ids = cluster(
        {"name": "Starbucks", "address": "Mall Drive", "latitude": "40.451120",
         "longitude": "-80.178270"},
        {"name": "Starbucks", "address": "100 Robinson Center Dr", "postcode": "15205",
         "latitude": "40.451310", "longitude": "-80.178590"})  # 33 m
    assert ids[0] == ids[1]


def test_shops_in_one_building_with_unlike_names_stay_apart() -> None:
    """One position is the building's, not a business's: the names say which business."""
    ids = cluster(
        {"name": "Damon's Grill & Sports Bar", "postcode": "15219",
         "latitude": "40.440921", "longitude": "-79.996262"},
        {"name": "Istanbul Grille", "postcode": "15219",
         "latitude": "40.441150", "longitude": "-79.996010"},
        {"name": "South Hills Eye Associates", "address": "713 Washington Road",
         "postcode": "15228", "latitude": "40.390600", "longitude": "-80.047400"},
        {"name": "South Hills Hot Yoga", "address": "704 Washington Rd", "postcode": "15228",
         "latitude": "40.390800", "longitude": "-80.047000"})
    assert len(set(ids)) == 4


def test_a_chains_name_alone_does_not_say_which_branch() -> None:
    """The book holds "Starbucks" at two places: a node between them joins neither by name."""
    ids = cluster(
        {"name": "Starbucks", "address": "301 Grant St", "postcode": "15219",
         "latitude": "40.438700", "longitude": "-79.996900"},
        {"name": "Starbucks", "address": "530 William Penn Pl", "postcode": "15219",
         "latitude": "40.441000", "longitude": "-79.994300"},  # 330 m away
        {"name": "Starbucks", "latitude": "40.438500", "longitude": "-79.994000"},  # 250-280 m
        {"name": "Starbucks", "latitude": "40.441050", "longitude": "-79.994350"})  # 7 m
    assert len({ids[0], ids[1], ids[2]}) == 3 and ids[3] == ids[1]
    # The name at a few hundred metres, where the book holds it once, is still the place.
    assert len(set(cluster(
        {"name": "Bluebird Kitchen", "address": "221 Forbes Ave", "postcode": "15222",
         "latitude": "40.438700", "longitude": "-80.000900"},
        {"name": "Bluebird Kitchen", "latitude": "40.440700", "longitude": "-80.002900"}))) == 1


@pytest.mark.parametrize("name", ["chicago_ece", "geo_osm_yelp_pit", "locu_foursquare"])
def test_every_bail_out_gives_the_full_models_decision_on_real_records(name: str) -> None:
    """With a floor, a candidate scores as without one, or is given up only if it could not
    have reached the floor: checked on every pair of records that share a blocking key in a
    slice of real data (business lists, map points with positions, venues)."""
    import csv
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "shared" / "bench" / "data" / name / "records.csv"
    if not path.exists():
        pytest.fail(f"{path} is missing: the shared bench data must be beside the repository")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))[:600]
    keep = ("record_id", "cluster_id", "source")
    sigs = [sig(**{k: v for k, v in r.items() if v and k not in keep}) for r in rows]
    stats = dedupe.CountingStats()
    for s in sigs:
        stats.add(s.core.split())
    by_key: dict[str, list[int]] = {}
    for i, s in enumerate(sigs):
        for key in dedupe.blocking_keys(s):
            by_key.setdefault(key, []).append(i)
    pairs = {(a, b) for group in by_key.values() if len(group) <= 8
             for a in group for b in group if a != b}
    given_up = 0
    for a, b in sorted(pairs):
        prof = dedupe.Profile()
        prof.add(sigs[b])
        sizes = {key: len(by_key[key]) for key in dedupe.blocking_keys(sigs[a])}
        whole = dedupe.score(sigs[a], prof, stats, sizes)
        for floor in (0.0, dedupe.MATCH_THRESHOLD, whole.total + 0.5):
            floored = dedupe.score(sigs[a], prof, stats, sizes, floor=floor)
            if floored.total == float("-inf"):
                assert whole.total < floor, (rows[a]["record_id"], rows[b]["record_id"])
                given_up += 1
            else:
                assert floored == whole, (rows[a]["record_id"], rows[b]["record_id"])
    assert len(pairs) > 100 and given_up


def test_italian_and_spanish_spellings_of_one_address_are_one_address() -> None:
    """Dotted street types and number markers, as registers and sites write them."""
    for mine, theirs in (("Viale Monza 5", "V.le Monza, 5"), ("Piazza Duomo 1", "P.zza Duomo n. 1"),
                         ("Calle Mayor 5", "C/ Mayor nº 5"), ("Avenida de América 32",
                                                              "Avda. de América, 32"),
                         ("Paseo de Gracia 21", "Pº de Gracia 21"), ("Via Roma 10", "V. Roma, 10")):
        assert sig(address=mine).street == sig(address=theirs).street, (mine, theirs)
        assert sig(address=mine).number == sig(address=theirs).number, (mine, theirs)
    # A letter after a hyphen is the house number's: 123-A is not 123 on "Keizersgracht A".
    assert (sig(address="Keizersgracht 123-A").street, sig(address="Keizersgracht 123-A").number) \
        == ("keizersgracht", "123a")
    ids = cluster({"name": "Trattoria da Gino", "address": "V.le Monza 5", "city": "Milano",
                   "country": "IT"},
                  {"name": "Trattoria Da Gino srl", "address": "Viale Monza n. 5",
                   "city": "Milano", "country": "IT", "phone": "+39 02 2610 0000"})
    assert ids[0] == ids[1]


def test_a_chinese_address_is_its_road_and_number_whatever_the_divisions_before_it() -> None:
    """From the province down, or from the road; the building and room after the number."""
    full = sig(address="北京市朝阳区建国路88号SOHO现代城5号楼", city="北京市", country="CN")
    short = sig(address="建国路88号", city="北京市", country="CN")
    assert (full.street, full.number) == (short.street, short.number) == ("建国路", "88")
    ids = cluster({"name": "北京华联商贸有限公司", "address": "北京市朝阳区建国路88号",
                   "city": "北京市", "country": "CN"},
                  {"name": "华联商贸有限公司", "address": "建国路88号SOHO现代城5号楼",
                   "city": "北京市", "country": "CN", "phone": "+86 10 8588 0000"},
                  {"name": "北京华联商贸有限公司", "address": "北京市朝阳区建国路89号",
                   "city": "北京市", "country": "CN", "phone": "+86 10 8588 1111"})
    assert ids[0] == ids[1] != ids[2]  # the next door is another shop


def test_a_chinese_firm_is_one_name_with_its_division_or_without() -> None:
    """Lists leave the registry's division out ("华为技术有限公司") or write it after the trade
    name; two divisions are two registrations, a branch or another firm."""
    ids = cluster({"name": "深圳市华为技术有限公司", "city": "深圳", "country": "CN"},
                  {"name": "华为技术有限公司", "city": "深圳", "country": "CN"},
                  {"name": "华为技术（深圳）有限公司", "city": "深圳", "country": "CN"})
    assert ids[0] == ids[1] == ids[2]
    phone = "+86 10 6622 3826"  # one switchboard, one street address
    ids = cluster({"name": "北京银行", "address": "金融大街17号", "city": "北京", "phone": phone},
                  {"name": "上海银行", "address": "金融大街17号", "city": "北京", "phone": phone})
    assert ids[0] != ids[1]
    # Two firms of one city at one door and switchboard share the city's name, not a word.
    ids = cluster({"name": "深圳市蓝海电子有限公司", "address": "深圳市南山区科技园路18号",
                   "city": "深圳", "phone": "+86 755 2688 1234"},
                  {"name": "深圳市星河物流有限公司", "address": "深圳市南山区科技园路18号",
                   "city": "深圳", "phone": "+86 755 2688 1234"})
    assert ids[0] != ids[1]


def test_a_firm_abroad_is_one_lead_in_its_script_and_in_latin_letters() -> None:
    """Its own register's name and a foreign directory's, romanized as the firm writes it:
    Chinese by pinyin, Russian by its letters; with a phone in common, not a name alone."""
    ids = cluster({"name": "深圳市蓝海电子有限公司", "address": "深圳市南山区科技园路18号",
                   "city": "深圳", "phone": "+86 755 2688 1234", "country": "CN"},
                  {"name": "Shenzhen Lanhai Electronics Co., Ltd.",
                   "address": "No. 18 Keji Yuan Road", "city": "Shenzhen",
                   "phone": "+86-755-26881234", "country": "CN"},
                  {"name": "深圳市星河物流有限公司", "address": "深圳市南山区科技园路18号",
                   "city": "深圳", "phone": "+86 755 2688 1234", "country": "CN"},
                  {"name": "ООО «Ромашка»", "phone": "+7 495 123-45-67", "city": "Москва"},
                  {"name": "Romashka LLC", "phone": "+7 (495) 123 45 67", "city": "Moscow"},
                  {"name": "(주)한빛무역", "phone": "+82 2 555 1234", "city": "서울"},
                  {"name": "Hanbit Trading Co., Ltd.", "phone": "02-555-1234", "city": "Seoul"})
    assert ids[0] == ids[1] != ids[2] and ids[3] == ids[4] and ids[5] == ids[6]
    ids = cluster({"name": "Shenzhen Lanhai Electronics", "city": "Shenzhen", "country": "CN"},
                  {"name": "深圳市蓝海电子有限公司", "city": "深圳", "country": "CN"})
    assert ids[0] != ids[1]  # names alone, in two scripts: not enough


def test_a_firm_is_one_name_with_its_form_before_or_after_it_in_any_script() -> None:
    ids = cluster({"name": "(주)삼성전자", "city": "수원", "country": "KR"},
                  {"name": "삼성전자 주식회사", "city": "수원", "country": "KR"},
                  {"name": "ООО «Ромашка»", "city": "Москва", "country": "RU"},
                  {"name": "Ромашка", "city": "Москва", "country": "RU"},
                  {"name": "Công ty TNHH Minh Phát", "city": "Hà Nội", "country": "VN"},
                  {"name": "Minh Phat Co., Ltd", "city": "Ha Noi", "country": "VN"})
    assert ids[0] == ids[1] != ids[2] == ids[3] != ids[4] == ids[5]


def test_streets_malaysia_and_indonesia_write_by_their_type_first_are_told_apart() -> None:
    """"Jalan" is a street's type, as "Street" is: 12 Jalan Ampang and 12 Jalan Sultan
    Ismail are two doors of a chain in one town, and "Jln" is "Jalan"."""
    ids = cluster({"name": "OldTown White Coffee", "address": "12 Jalan Ampang",
                   "city": "Kuala Lumpur", "country": "MY"},
                  {"name": "OldTown White Coffee", "address": "12 Jalan Sultan Ismail",
                   "city": "Kuala Lumpur", "country": "MY"},
                  {"name": "Oldtown White Coffee Ampang", "address": "12 Jln. Ampang",
                   "city": "Kuala Lumpur", "country": "MY"})
    assert ids[0] != ids[1] and ids[0] == ids[2]


def test_a_town_named_in_two_languages_is_one_town() -> None:
    ids = cluster({"name": "Brauhaus Keller", "city": "München", "country": "DE"},
                  {"name": "Brauhaus Keller", "city": "Munich", "country": "DE"},
                  {"name": "Brauhaus Keller", "city": "Hamburg", "country": "DE"})
    assert ids[0] == ids[1] != ids[2]


def test_a_number_letter_or_direction_in_the_names_tells_blocks_apart() -> None:
    ids = cluster(
        # Two blocks of flats side by side, named by their numbers.
        {"name": "Hougang Ave 8 Block 650", "latitude": "1.371910", "longitude": "103.881233"},
        {"name": "Hougang Ave 8 Blk 653", "latitude": "1.372010", "longitude": "103.881290"},
        # An ordinal names a thing ("21st Century"), it does not number it: the two records
        # of one programme join.
        {"name": "Firman House II SA (21st Century CLC)", "address": "4644 S Dearborn St",
         "postcode": "60609", "phone": "773-373-3400"},
        {"name": "Firman West II SA 4644 S. Dearborn", "address": "4644 S Dearborn",
         "postcode": "60609", "phone": "773-373-3400"},
        # Lettered buildings of one campus, a stone's throw apart; a name that ends in a
        # letter the other lacks ("Studio A", "Studio") is not another building.
        {"name": "Building D", "latitude": "43.728919", "longitude": "-79.608917"},
        {"name": "Building J", "latitude": "43.729012", "longitude": "-79.608087"},
        {"name": "Studio A", "address": "12 Rue de la Paix", "postcode": "75002"},
        {"name": "Studio", "address": "12 Rue de la Paix", "postcode": "75002"},
        # Towers numbered in words, one street apart.
        {"name": "Two Gateway Center", "latitude": "40.442193", "longitude": "-80.005017"},
        {"name": "One Gateway Center", "latitude": "40.443015", "longitude": "-80.004978"},
        # Blocks 714 and 714A, 297A and 297C: the letter is part of the block's number.
        {"name": "Blk 714 Bedok Reservoir Road", "latitude": "1.336988",
         "longitude": "103.923595"},
        {"name": "Blk 714A Bedok Reservoir Road", "latitude": "1.336857",
         "longitude": "103.923499"},
        {"name": "Blk 297A", "latitude": "1.376927", "longitude": "103.741953"},
        {"name": "Blk 297C", "latitude": "1.378001", "longitude": "103.742978"},
        # Towers of one development named by the compass.
        {"name": "Marina One West Tower", "latitude": "1.277003", "longitude": "103.852415"},
        {"name": "Marina One East Tower", "latitude": "1.278100", "longitude": "103.852633"},
    )
    assert ids[0] != ids[1] and ids[2] == ids[3]
    assert ids[4] != ids[5] and ids[6] == ids[7]
    assert ids[8] != ids[9] and ids[10] != ids[11] and ids[12] != ids[13]
    assert ids[14] != ids[15]


def test_a_number_spelt_digit_by_digit_is_the_number_in_digits() -> None:
    # "Cafe Two One One Five" is Cafe 2115 (at 2115 Frederick Douglass Blvd), not a name
    # with other numbers than "Cafe' 2115".
    prof = dedupe.Profile()
    prof.add(sig(name="Cafe' 2115", address="2115 Frederick Douglass Blvd.", city="New York"))
    result = dedupe.score(sig(name="Cafe Two One One Five", city="New York",
                              address="2115 Frederick Douglass Blvd."),
                          prof, dedupe.CountingStats())
    assert "numbers in the names differ" not in dict(result.reasons)


def test_a_name_many_names_around_carry_is_the_places_not_a_business() -> None:
    # A neighbourhood's name inside the names of its stadium, park, clinic and pool: the
    # node named after the neighbourhood, and its library, are none of them.
    ids = cluster(
        {"name": "Choa Chu Kang Stadium", "latitude": "1.385600", "longitude": "103.745000"},
        {"name": "Choa Chu Kang Park", "latitude": "1.386400", "longitude": "103.746900"},
        {"name": "Choa Chu Kang Polyclinic", "latitude": "1.384900", "longitude": "103.746100"},
        {"name": "Choa Chu Kang Swimming Complex", "latitude": "1.386500",
         "longitude": "103.743200"},
        {"name": "Choa Chu Kang", "latitude": "1.385100", "longitude": "103.744300"},
        {"name": "Choa Chu Kang Public Library", "latitude": "1.385300", "longitude": "103.744800"},
        # Words no other name around carries: one name inside the other, at one spot.
        {"name": "Viva Family Center", "latitude": "1.300123", "longitude": "103.800456"},
        {"name": "Children's Home Viva Family Center", "latitude": "1.300223",
         "longitude": "103.800556"},
    )
    assert len(set(ids[:6])) == 6 and ids[6] == ids[7]


def test_a_one_word_name_that_starts_the_other_at_one_address_is_that_business() -> None:
    ids = cluster(
        {"name": "Shell Leith", "address": "Seafield Road, 7", "postcode": "EH6 7LE",
         "latitude": "55.971197", "longitude": "-3.150106"},
        {"name": "Shell", "address": "7 Seafield Road", "postcode": "EH6 7LE",
         "latitude": "55.971220", "longitude": "-3.150100"},
        # At one spot, as at one address.
        {"name": "Sugardaddy's", "latitude": "55.957911", "longitude": "-3.194821"},
        {"name": "SugarDaddy's Bakery", "address": "5 Rodney Street", "postcode": "EH7 4EA",
         "latitude": "55.957990", "longitude": "-3.194700"},
        # Unless the word is a street's name: the longer name goes on with the street's type,
        # or one of the two is on a street of that name.
        {"name": "Ossington", "latitude": "43.654321", "longitude": "-79.421234"},
        {"name": "Ossington Avenue Baptist Church", "latitude": "43.654421",
         "longitude": "-79.421334"},
        {"name": "Sherbourne", "latitude": "43.671759", "longitude": "-79.376784"},
        {"name": "Sherbourne Optical", "address": "Sherbourne Street, 600",
         "latitude": "43.671800", "longitude": "-79.376700"},
        {"name": "King", "latitude": "43.649049", "longitude": "-79.378054"},
        {"name": "King St Grocery", "latitude": "43.649059", "longitude": "-79.378064"},
        # The street's name after its article ("Rue de Rivoli").
        {"name": "Rivoli", "latitude": "48.860512", "longitude": "2.340123"},
        {"name": "Rivoli Optique", "address": "Rue de Rivoli, 120",
         "latitude": "48.860560", "longitude": "2.340200"},
    )
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[4] != ids[5] and ids[6] != ids[7]
    assert ids[8] != ids[9]
    assert ids[10] != ids[11]


def test_north_street_and_south_street_are_two_streets() -> None:
    ids = cluster(
        # One name at the same number of two streets named by the compass.
        {"name": "Corner Deli", "address": "5 North St", "city": "Leeds"},
        {"name": "Corner Deli", "address": "5 South St", "city": "Leeds"},
        # A street misread on one side still leaves the number to go by.
        {"name": "Angel Wings", "address": "5365 W North Ave", "city": "Chicago"},
        {"name": "Angel Wings", "address": "5365 W Noth", "city": "Chicago"},
    )
    assert ids[0] != ids[1] and ids[2] == ids[3]


def test_a_name_that_is_the_streets_says_where_not_who() -> None:
    ids = cluster(
        # A station named after its street, 30 m from a gallery on that street.
        {"name": "Wood Street", "latitude": "40.442079", "longitude": "-79.999454"},
        {"name": "Wood Street Galleries", "address": "601 Wood St", "postcode": "15222",
         "latitude": "40.442338", "longitude": "-79.999571"},
        # Nor is it another name: the restaurant at one street address, named by its street.
        {"name": "Castle Terrace Restaurant", "address": "33-35 Castle Terr.",
         "postcode": "EH1 2EL"},
        {"name": "Castle Terrace", "address": "Castle Terrace, 33-34-35"},
    )
    assert ids[0] != ids[1] and ids[2] == ids[3]


def test_one_phone_at_two_street_addresses_is_the_organisations_line() -> None:
    # Two sites of one provider, one central number: a branch each, as with a shared site.
    ids = cluster(
        {"name": "C.C.C. Learning Center", "address": "610 S Canal Street",
         "phone": "(312) 555-0143", "city": "Chicago"},
        {"name": "C.C.C. Learning Center", "address": "219 S Dearborn Street",
         "phone": "(312) 555-0143", "city": "Chicago"},
        # At one address the same name and number are one site listed twice.
        {"name": "C.C.C. Learning Center", "address": "610 S. Canal St.",
         "phone": "312-555-0143", "city": "Chicago"},
    )
    assert ids[0] != ids[1] and ids[2] == ids[0]


def test_a_door_or_two_along_the_same_street_is_a_small_conflict() -> None:
    ids = cluster(
        # One restaurant over two doors, one number: the two directories give either door.
        {"name": "Chopstick House", "address": "130 West 36th St.", "postcode": "10018",
         "phone": "(212) 868-8090"},
        {"name": "Chop Stick House", "address": "128 W. 36th St.", "postcode": "10018",
         "phone": "212-868-8090"},
        # Next-door neighbours with names of their own stay two.
        {"name": "Hudson Dry Cleaners", "address": "132 W 36th St", "postcode": "10018"},
        # The other side of the street, or further along, is another house.
        {"name": "Chopstick House", "address": "131 West 36th St.", "postcode": "10018"},
    )
    assert ids[0] == ids[1] and ids[2] != ids[0] and ids[3] != ids[0]


def test_name_likeness_does_not_depend_on_string_hashing() -> None:
    # A set's order follows the process's string hashing; a float sum follows its order: a
    # likeness summed over a set came out a few ulps apart from run to run, and a likeness
    # on a weight's edge decided a pair differently.
    script = (
        "from prospect import dedupe\n"
        "stats = dedupe.CountingStats()\n"
        "words = 'alpha bravo charlie delta echo foxtrot golf hotel'.split()\n"
        "for i, w in enumerate(words):\n"
        "    for _ in range(3 * i + 1):\n"
        "        stats.add([w])\n"
        "stats.add(['filler'] * 1, weight=997)\n"
        "print(repr(dedupe.name_evidence(' '.join(words), ' '.join(words[::-1]) + ' x', stats)))\n")
    seen = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout
            for seed in range(4)}
    assert len(seen) == 1, seen


def test_a_record_that_matches_two_leads_beyond_doubt_says_they_are_one() -> None:
    # The first two share a name and differ on the phone; the third has the first's tax
    # number and town, the second's birth date and door.
    first, second, third = _decisions(
        {"contact_name": "William Bracci", "tax_id": "7315057", "city": "Camp Hill",
         "phone": "+61 2 4567 1234"},
        {"contact_name": "William Bracci", "birth_date": "1947-06-17",
         "address": "13 Hann Street", "phone": "+61 2 9876 5432"},
        {"contact_name": "William Bracci", "tax_id": "7315057", "birth_date": "1947-06-17",
         "address": "13 Hann Street", "city": "Camp Hill"})
    assert second.new and first.lead_id != second.lead_id
    assert {third.lead_id, *third.also} == {first.lead_id, second.lead_id}
    assert third.why.startswith("matched both beyond doubt")


def test_a_record_matching_two_branches_by_their_site_alone_joins_one() -> None:
    # Two branches of one firm share its site and mailbox; a record with nothing else
    # matches both as well, and says nothing of which branch it is.
    *branches, record = _decisions(
        {"name": "Bos Brothers Ltd", "address": "246 Pine Gardens", "city": "Liverpool",
         "phone": "0525 066 3435", "website": "bosbrothers.co.uk",
         "email": "sales@bosbrothers.co.uk", "country": "GB"},
        {"name": "Bos Brothers LLP", "address": "109 Hill Crescent", "city": "Brighton",
         "phone": "0827 742 0538", "website": "bosbrothers.co.uk",
         "email": "sales@bosbrothers.co.uk", "country": "GB"},
        {"name": "Bos Brothers", "website": "bosbrothers.co.uk",
         "email": "sales@bosbrothers.co.uk", "country": "GB"})
    assert branches[1].new and record.also == ()


def test_a_person_by_birth_date_is_found_in_another_town() -> None:
    # Name written surname first, town misspelt, postcode mistyped: the birth date and a
    # word of the name still meet.
    first, second = _decisions(
        {"contact_name": "Alderson Jasmine", "birth_date": "1968-07-23", "city": "Wonthlela",
         "postcode": "3610"},
        {"contact_name": "Jasmine Alderson", "birth_date": "1968-07-23", "city": "Wonthella",
         "postcode": "3616"})
    assert not second.new and second.lead_id == first.lead_id


_WORDS = ["amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "heath", "indigo",
          "juniper", "kestrel", "linden", "maple", "nettle", "oak", "pine", "quartz", "rowan",
          "sorrel", "thistle"]


def _listed(source: str, **fields: str) -> dedupe.Signature:
    return dedupe.signature(normalize_fields(fields), source)


def _clustered(sigs: list[dedupe.Signature]) -> tuple[list[int], dedupe.CountingStats]:
    stats = dedupe.CountingStats()
    for s in sigs:
        stats.add(s.core.split())
    stats.add_counts(dedupe.value_counts(sigs), 0)
    made = dedupe.Clusterer(index=dedupe.MemoryIndex(), stats=stats)
    return [made.assign(s).lead_id for s in sigs], stats


def _firms(source: str) -> list[dedupe.Signature]:
    # Sixty firms, each with a name, a line and a door of its own.
    return [_listed(source, name=f"{a.title()} {b.title()} Joinery", phone=f"0113 496 {i:04d}",
                    address=f"{i + 1} High Street", city="Leeds", country="GB")
            for i, (a, b) in enumerate(itertools.islice(itertools.permutations(_WORDS, 2), 60))]


def test_a_directory_that_lists_each_business_once_keeps_two_entries_apart() -> None:
    """Two entries of one directory with one name in one town are two businesses once the
    book has learned that the directory lists a business once: its records matched the map's
    beyond doubt sixty times and never one of its own."""
    cafes = [_listed("yelp", name="Blue Bottle Coffee", city="Leeds", country="GB")] * 2
    ids, stats = _clustered([*_firms("osm"), *_firms("yelp"), *cafes])
    assert ids[60:120] == ids[:60]  # each firm is one lead
    assert stats.listed_apart("yelp") < -1.0
    assert ids[120] != ids[121]
    # The same entries from two directories, or in a book of one source, are one business.
    assert len(set(_clustered([*_firms("osm"), *_firms("yelp"), cafes[0],
                               cafes[1]._replace(source="osm")])[0][120:])) == 1
    assert len(set(_clustered([*_firms("osm"), *_firms("osm"), *cafes])[0][120:])) == 1


