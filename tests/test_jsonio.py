"""Reading JSON records (map scrapers' exports, API answers, GeoJSON, Overpass) as a table."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import recorded

from prospect.csvio import CsvImport
from prospect.jsonio import records, table


def test_nested_values_become_columns_named_by_their_path() -> None:
    found = records(json.dumps([
        {"title": "Café Lento", "location": {"lat": 52.529, "lng": 13.401},
         "facebooks": ["https://www.facebook.com/cafelento"], "permanentlyClosed": False,
         "website": None, "description": "Kaffee\nund Kuchen"},
        {"title": "Bäckerei Süß", "phone": "030 7654321"}]))
    assert found is not None
    headers, rows = table(found)
    assert headers == ["title", "location.lat", "location.lng", "facebooks/0",
                       "permanentlyClosed", "description", "phone"]
    assert rows == [["Café Lento", "52.529", "13.401", "https://www.facebook.com/cafelento",
                     "false", "Kaffee und Kuchen", ""],
                    ["Bäckerei Süß", "", "", "", "", "", "030 7654321"]]


def test_json_lines_an_envelope_and_one_object_are_records() -> None:
    assert records('{"name": "A"}\n{"name": "B"}\n') == [{"name": "A"}, {"name": "B"}]
    assert records('{"count": 2, "results": [{"name": "A"}, {"name": "B"}]}') == [
        {"name": "A"}, {"name": "B"}]
    # A place with its reviews is one place, not a list of reviews.
    assert records('{"name": "A", "reviews": [{"text": "good"}]}') == [
        {"name": "A", "reviews": [{"text": "good"}]}]
    assert records("name,phone\nA,1\n") is None


def test_a_geojson_point_gives_its_latitude_and_longitude() -> None:
    found = records(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "node/1", "properties": {"name": "Kiosk"},
         "geometry": {"type": "Point", "coordinates": [13.401, 52.529]}}]}))
    assert found == [{"name": "Kiosk", "longitude": 13.401, "latitude": 52.529,
                      "id": "node/1"}]


def test_an_overpass_answer_is_read_as_its_elements_tags_and_places() -> None:
    # Recorded answers (see tests/recorded/SOURCES.md): nodes, and a way with "out center".
    nodes = recorded("overpass/nodes-amenity-fast_food-skopje.json")
    found = records(nodes)
    assert found is not None and len(found) == 84
    first = json.loads(nodes)["elements"][0]
    assert found[0]["latitude"] == first["lat"] and found[0]["longitude"] == first["lon"]
    assert found[0]["id"] == f"node/{first['id']}"
    way = records(recorded("overpass/way-out-center-elbphilharmonie.json"))
    assert way is not None and way[0]["id"] == "way/24981342"
    assert {"latitude", "longitude", "contact:email"} <= set(way[0])


def test_a_json_file_imports_as_a_csv_would(tmp_path: Path) -> None:
    path = tmp_path / "places.json"
    path.write_text(json.dumps([
        {"title": "Café Lento", "phone": "+49 30 1234567",
         "location": {"lat": 52.529, "lng": 13.401}},
        {"rating": 4.5},  # nothing to know a business by
        {"title": "Bäckerei Süß", "website": "https://baeckerei-suess.de"}]), encoding="utf-8")
    read = CsvImport(path=path, source="maps")
    found = list(read.observations())
    assert read.from_json
    assert [o.fields for o in found] == [
        {"name": "Café Lento", "phone": "+49 30 1234567", "latitude": "52.529",
         "longitude": "13.401"},
        {"name": "Bäckerei Süß", "website": "https://baeckerei-suess.de"}]
    assert [(r.line, r.reason) for r in read.rejects] == [
        (2, "no name, website, e-mail, phone or registry number")]
