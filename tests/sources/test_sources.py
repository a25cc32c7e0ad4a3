"""Each source against the services' real recorded responses, including their error bodies."""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import parse_qs

import httpx
import pytest
from conftest import recorded

from prospect.config import Config
from prospect.http import Http
from prospect.models import normalize_fields
from prospect.sources import Query, SourceError, SourceSkipped
from prospect.sources.directories import (
    CompaniesHouseSource,
    GleifSource,
    OpenCorporatesSource,
    WikidataSource,
    sparql_companies,
    sparql_query,
)
from prospect.sources.forums import DiscourseSource, RedditSource, wants_to_buy
from prospect.sources.maps import (
    GooglePlacesSource,
    OsmSource,
    element_fields,
    overpass_query,
    parse_overpass,
)
from prospect.sources.search import (
    BraveSource,
    DuckDuckGoSource,
    SearxngSource,
    lead_name,
    parse_results,
    query_variants,
)

Serve = Callable[[Callable[[httpx.Request], httpx.Response]], Http]
CHALLENGE = ('<html><body><div class="anomaly-modal__title">Unfortunately, bots use DuckDuckGo '
             'too.</div></body></html>')


def config(**env: str) -> Config:
    return Config(env=env)


# ------------------------------------------------------------------ maps / osm

def test_overpass_elements_become_leads_with_contact_tags() -> None:
    els = parse_overpass(recorded("overpass/way-out-center-elbphilharmonie.json"), "philharmonie")
    fields = normalize_fields(element_fields(els[0]))
    assert fields["name"] == "Elbphilharmonie"
    assert fields["email"] == "info@elbphilharmonie.de"
    assert fields["phone"] == "+49403576660"
    assert fields["domain"] == "elbphilharmonie.de"
    assert fields["address"] == "Platz der Deutschen Einheit 1"
    assert fields["country"] == "DE"


def test_overpass_ranks_matches_and_needs_a_name() -> None:
    body = recorded("overpass/nodes-amenity-fast_food-skopje.json")
    els = parse_overpass(body, "pizza")
    assert all(e.get("tags", {}).get("name") for e in els)
    assert len(els) == sum(1 for e in json.loads(body)["elements"] if e.get("tags", {}).get("name"))
    assert "pizza" in json.dumps(els[0]["tags"]).lower()


@pytest.mark.parametrize("name, reason", [
    ("overpass/error-html-rate-limited.html", "rate limited"),
    ("overpass/remark-runtime-error-timeout.json", "timeout"),
    ("overpass/error-html-syntax-error.html", "parse error"),
])
def test_overpass_errors_are_failures_not_empty_results(name: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_overpass(recorded(name), "coffee")


def test_overpass_query_escapes_and_limits() -> None:
    ql = overpass_query('caf"e roaster', "area:area(3600062782)", 10)
    assert 'nwr["name"~"caf|roaster",i](area.a);' in ql
    assert ql.startswith("[out:json]") and ql.endswith("out center 40;")


def test_osm_geocodes_then_queries_the_area(serve: Serve) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "geo.test":
            assert request.url.params["format"] == "jsonv2"
            return httpx.Response(200, text=recorded("nominatim/search-ottawa-ontario.json"))
        ql = parse_qs(request.content.decode())["data"][0]
        assert "area(3604136816)->.a;" in ql  # relation 4136816 as an Overpass area
        return httpx.Response(200, text=recorded("overpass/nodes-amenity-fast_food-skopje.json"))

    src = OsmSource(http=serve(handler), config=config(PROSPECT_NOMINATIM_URL="http://geo.test",
                                                       PROSPECT_OVERPASS_URL="http://op.test/api"))
    found = list(src.search(Query("pizza", place="Ottawa, Ontario", limit=5)))
    assert len(found) == 5
    assert found[0].reference.startswith("https://www.openstreetmap.org/node/")
    assert seen[0].headers["user-agent"].startswith("prospect/")


def test_osm_place_not_found_fails_and_no_place_skips(serve: Serve) -> None:
    http = serve(lambda r: httpx.Response(200, text=recorded("nominatim/search-no-results.json")))
    src = OsmSource(http=http, config=config())
    with pytest.raises(SourceError, match="place not found"):
        list(src.search(Query("coffee", place="Nowhere")))
    with pytest.raises(SourceSkipped):
        list(src.search(Query("coffee")))


# ------------------------------------------------------------------ search / duckduckgo

def test_duckduckgo_results_page() -> None:
    results, following = parse_results(recorded("duckduckgo/html-search-eino.html"))
    assert len(results) == 10
    assert results[0]["url"] == "https://github.com/cloudwego/eino"
    assert "Eino" in results[0]["snippet"]
    assert following is not None and following["s"] == "10" and following["vqd"]


def test_duckduckgo_end_and_challenge() -> None:
    results, following = parse_results(recorded("duckduckgo/html-search-no-more-results.html"))
    assert results == [] and following is None
    with pytest.raises(ValueError, match="blocked"):
        parse_results(CHALLENGE)
    with pytest.raises(ValueError, match="markup"):
        parse_results("<html><body><p>something else</p></body></html>")


def test_duckduckgo_source_one_lead_per_site_and_no_encyclopedias(serve: Serve) -> None:
    pages = [recorded("duckduckgo/html-search-eino.html"),
             recorded("duckduckgo/html-search-no-more-results.html")]
    forms: list[dict[str, list[str]]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        forms.append(parse_qs(request.content.decode()))
        return httpx.Response(200, text=pages[min(len(forms) - 1, 1)])

    src = DuckDuckGoSource(http=serve(handler), config=config(PROSPECT_DUCKDUCKGO_URL="http://d.test/"))
    found = list(src.search(Query("eino", limit=100)))
    refs = [o.reference for o in found]
    assert len(refs) == len(set(refs))
    assert "github.com" not in refs  # a code host is not a lead
    assert forms[1]["vqd"]  # the second request re-posted the next-page form
    cloudwego = next(o for o in found if o.reference == "cloudwego.io")
    assert cloudwego.fields["name"] == "CloudWeGo"
    assert cloudwego.fields["website"] == "https://www.cloudwego.io/"


def test_duckduckgo_challenge_is_reported_as_blocked(serve: Serve) -> None:
    src = DuckDuckGoSource(http=serve(lambda r: httpx.Response(200, text=CHALLENGE)), config=config())
    with pytest.raises(SourceError, match="blocked"):
        list(src.search(Query("led strip", country="DE")))


def test_query_variants_follow_the_traders_playbook() -> None:
    variants = query_variants(Query("LED strip", country="DE"))
    assert variants[0] == "LED strip Germany"
    assert "LED strip importer Germany" in variants
    assert "LED strip email site:.de" in variants
    assert lead_name("Acme Ltd | Facebook", "facebook.com", shared=True) == "Acme Ltd"


# ------------------------------------------------------------------ forums

def test_buyer_intent() -> None:
    assert wants_to_buy("Looking for a supplier of LED strips in Germany")
    assert wants_to_buy("求购LED灯带，量大")
    assert not wants_to_buy("How do I add a dropdown menu to the header?")


def test_discourse_keeps_only_buyers_posts(serve: Serve) -> None:
    data = json.loads(recorded("discourse/search-meta.discourse.org-zoom.us.json"))
    assert not any(wants_to_buy(p["blurb"]) for p in data["posts"])
    # Changed for this test: one post's text becomes a buyer's request; the structure is real.
    data["posts"][1]["blurb"] = "We are looking for a supplier of video conferencing hardware."
    http = serve(lambda r: httpx.Response(200, json=data))
    src = DiscourseSource(http=http, config=config(PROSPECT_DISCOURSE_URL="https://forum.test"))
    found = list(src.search(Query("zoom.us")))
    assert len(found) == 1
    post = data["posts"][1]
    assert found[0].reference.endswith(f"/{post['topic_id']}/{post['post_number']}")
    assert found[0].fields["profiles"] == f"https://forum.test/u/{post['username']}"
    with pytest.raises(SourceSkipped):
        list(DiscourseSource(http=http, config=config()).search(Query("x")))


def test_reddit_listing(serve: Serve) -> None:
    data = json.loads(recorded("reddit/oauth-r-all-search-praw-oauth-search.json"))
    post = data["data"]["children"][0]["data"]
    # Changed for this test: the first post asks to buy; the listing is Reddit's own.
    post["title"] = "WTB: 500 m of LED strip, need a supplier in the EU"
    src = RedditSource(http=serve(lambda r: httpx.Response(200, json=data)), config=config())
    found = list(src.search(Query("led strip", limit=10)))
    assert found[0].reference == "https://www.reddit.com" + post["permalink"].split("?")[0]
    assert found[0].fields["contact_name"] == post["author"]


# ------------------------------------------------------------------ directories / gleif

def test_gleif_records(serve: Serve) -> None:
    body = recorded("gleif/lei-records-filter-lei-list.json")
    asked: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        return httpx.Response(200, text=body)

    src = GleifSource(http=serve(handler), config=config())
    found = list(src.search(Query("amazon", country="GB", limit=3)))
    assert len(found) == 3
    assert asked[0].url.params["filter[entity.legalAddress.country]"] == "GB"
    first = normalize_fields(found[0].fields)
    assert first["name"] == "Amazon Digital UK Limited"
    assert first["lei"] and first["company_number"] == "06528297"
    assert first["postcode"] == "EC2A2FA" and first["city"] == "London"


def test_truncated_json_is_a_failure(serve: Serve) -> None:
    body = recorded("gleif/lei-records-filter-lei-list.json")[:500]
    src = GleifSource(http=serve(lambda r: httpx.Response(200, text=body)), config=config())
    with pytest.raises(SourceError, match="invalid JSON"):
        list(src.search(Query("amazon")))


# ------------------------------------------------------------------ wikidata, keyed sources

def test_sparql_results_tolerate_unbound_variables() -> None:
    # The recorded reply is about people, not companies: the format is what is tested here.
    rows = sparql_companies(json.loads(recorded(
        "wikidata_sparql/sparql-results-P742-pseudonyms-labels-descriptions-aliases.json")))
    uris = [uri for uri, _ in rows]
    assert len(uris) == len(set(uris)) > 10 and rows[0][1]["name"] == "Daniel Rojo"


def test_wikidata_companies_by_trade_and_country(serve: Serve) -> None:
    b = {"item": {"type": "uri", "value": "http://www.wikidata.org/entity/Q1234"},
         "itemLabel": {"type": "literal", "xml:lang": "en", "value": "Elbbohne Kaffeerösterei"},
         "website": {"type": "uri", "value": "https://www.elbbohne.de/"},
         "countryCode": {"type": "literal", "value": "DE"},
         "hqLabel": {"type": "literal", "xml:lang": "en", "value": "Hamburg"},
         "topicLabel": {"type": "literal", "xml:lang": "en", "value": "coffee roasting"}}
    unlabelled = {"item": {"type": "uri", "value": "http://www.wikidata.org/entity/Q99"},
                  "itemLabel": {"type": "literal", "value": "Q99"}}
    reply = {"head": {"vars": ["item", "itemLabel", "website", "lei", "hqLabel", "countryCode",
                               "topicLabel"]},
             "results": {"bindings": [b, {**b, "website": {"type": "uri", "value": "https://x.de"}},
                                      unlabelled]}}
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.params["query"])
        return httpx.Response(200, json=reply)

    src = WikidataSource(http=serve(handler), config=config())
    found = list(src.search(Query(text='coffee "roaster"', country="DE")))
    assert [o.fields["name"] for o in found] == ["Elbbohne Kaffeerösterei"]  # one per item
    assert found[0].fields["website"] == "https://www.elbbohne.de/"
    assert found[0].fields["city"] == "Hamburg" and found[0].reference.endswith("Q1234")
    assert 'wdt:P297 "DE"' in asked[0] and '"roaster"' in asked[0] and '""' not in asked[0]
    # Quotes and braces the user types never reach the query: only the words do.
    assert sparql_query(Query(text='x" } DROP', country="DE")) == sparql_query(
        Query(text="x drop", country="DE"))


def test_keyed_sources_skip_with_a_clear_line_without_a_key(serve: Serve) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request without a key")

    http = serve(fail)
    for cls, words in ((BraveSource, "PROSPECT_BRAVE_KEY"), (SearxngSource, "PROSPECT_SEARXNG_URL"),
                       (GooglePlacesSource, "PROSPECT_GOOGLE_PLACES_KEY"),
                       (CompaniesHouseSource, "PROSPECT_COMPANIES_HOUSE_KEY"),
                       (OpenCorporatesSource, "PROSPECT_OPENCORPORATES_KEY")):
        with pytest.raises(SourceSkipped, match=words):
            list(cls(http=http, config=config()).search(Query(text="led strip")))


def test_brave_results_with_the_key_in_a_header(serve: Serve) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        data = json.loads(recorded("brave_search/web-search-hello-world.json"))
        if request.url.params["offset"] != "0":
            data["query"]["more_results_available"] = False
            data["web"]["results"] = []
        return httpx.Response(200, json=data)

    src = BraveSource(http=serve(handler), config=config(PROSPECT_BRAVE_KEY="k-123"))
    found = list(src.search(Query(text="hello world", limit=50)))
    assert seen[0].headers["X-Subscription-Token"] == "k-123"
    assert "k-123" not in str(seen[0].url)  # the key never travels in the URL
    domains = [o.reference for o in found]
    assert "wikipedia.org" not in domains and len(domains) == len(set(domains)) > 3
    assert all("<strong>" not in o.fields.get("description", "") for o in found)


def test_searxng_json_and_a_disabled_json_format(serve: Serve) -> None:
    reply = {"query": "led strip", "results": [
        {"url": "https://www.led-handel.de/kontakt", "title": "LED Handel GmbH – Kontakt",
         "content": "Großhandel für <b>LED</b> Streifen", "engine": "bing", "score": 1.0}],
        "answers": [], "corrections": [], "infoboxes": [], "suggestions": [],
        "unresponsive_engines": []}

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/searx/search" and request.url.params["format"] == "json"
        return httpx.Response(200, json=reply if request.url.params["pageno"] == "1" else
                              {**reply, "results": []})

    src = SearxngSource(http=serve(handler), config=config(PROSPECT_SEARXNG_URL="http://s.local/searx"))
    found = list(src.search(Query(text="led strip", limit=5)))
    assert found[0].fields["website"] == "https://www.led-handel.de/"
    assert found[0].fields["description"] == "Großhandel für LED Streifen"
    forbidden = SearxngSource(http=serve(lambda r: httpx.Response(403, text="Forbidden")),
                              config=config(PROSPECT_SEARXNG_URL="http://s.local"))
    with pytest.raises(SourceError, match="JSON output is disabled"):
        list(forbidden.search(Query(text="led strip")))


def test_companies_house_search(serve: Serve) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"].startswith("Basic ")
        return httpx.Response(200, text=recorded("companies_house/search-companies-absa.json"))

    src = CompaniesHouseSource(http=serve(handler), config=config(PROSPECT_COMPANIES_HOUSE_KEY="k"))
    [obs] = list(src.search(Query(text="absa", country="GB")))
    fields = normalize_fields(obs.fields)
    assert fields["name"] == "ABSA UK PERMANENT ESTABLISHMENT" and fields["company_number"] == "FC040879"
    assert fields["country"] == "ZA" and fields["city"] == "Johannesburg"
    with pytest.raises(SourceSkipped, match="UK register"):
        list(src.search(Query(text="absa", country="DE")))
