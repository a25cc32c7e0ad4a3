"""The web view's metadata and saved views, run against a real book."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from prospect.config import Config
from prospect.storage import LeadBook
from prospect.web import is_local
from prospect.web.plugin import distance_km
from prospect.web.site import HIDDEN_TABLES, SAVED_VIEWS, metadata, tile_layer


def _run(path: Path, view: str, **params: Any) -> list[dict[str, Any]]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    conn.create_function("prospect_distance_km", 4, distance_km, deterministic=True)
    wanted = dict.fromkeys(SAVED_VIEWS[view].get("params", []), "")
    rows = conn.execute(SAVED_VIEWS[view]["sql"], {**wanted, **params}).fetchall()
    conn.close()
    return [dict(r) for r in rows]


def test_metadata_hides_the_books_machinery_and_names_the_tiles() -> None:
    meta = metadata("leads", tiles="http://127.0.0.1:9/{z}/{x}/{y}.png", write=False, book="b.db")
    tables = meta["databases"]["leads"]["tables"]
    assert all(tables[t]["hidden"] for t in HIDDEN_TABLES)
    assert "leads" not in HIDDEN_TABLES and "vettings" not in HIDDEN_TABLES
    assert tables["lead_list"]["fts_table"] == "leads_fts"
    assert meta["plugins"]["datasette-cluster-map"]["tile_layer"].startswith("http://127.0.0.1:9/")
    assert meta["plugins"]["prospect"] == {"write": False, "book": "b.db", "database": "leads"}


def test_the_tile_server_is_configurable_like_every_endpoint() -> None:
    assert tile_layer(Config(env={})) == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert tile_layer(Config(endpoints={"tiles": "http://tiles.lan/{z}/{x}/{y}.png"}, env={})
                      ) == "http://tiles.lan/{z}/{x}/{y}.png"
    assert tile_layer(Config(endpoints={"tiles": "http://tiles.lan/{z}/{x}/{y}.png"},
                             env={"PROSPECT_TILES_URL": "http://mine/{z}/{x}/{y}.png"})
                      ) == "http://mine/{z}/{x}/{y}.png"


def test_gone_quiet_lists_contacted_leads_left_alone_for_days(
        web_book: tuple[Path, dict[str, int]]) -> None:
    path, ids = web_book
    assert [r["id"] for r in _run(path, "gone_quiet")] == [ids["vetted"]]  # 40 days > 14
    assert [r["id"] for r in _run(path, "gone_quiet", days="30")] == [ids["vetted"]]
    assert _run(path, "gone_quiet", days="45") == []


def test_never_contacted_lists_good_leads_nobody_called_and_not_the_suppressed(
        web_book: tuple[Path, dict[str, int]]) -> None:
    path, ids = web_book
    assert [r["id"] for r in _run(path, "never_contacted")] == [ids["graded_a"]]
    book = LeadBook.open(path)
    book.mark(ids["graded_a"], "contacted")
    book.mark(ids["graded_a"], "new", "wrong number, start again")
    book.close()
    assert _run(path, "never_contacted") == []  # contacted once is not "never"


def test_near_lists_leads_within_the_radius_nearest_first(
        web_book: tuple[Path, dict[str, int]]) -> None:
    path, _ = web_book
    rows = _run(path, "near", lat="41.9965", lon="21.4314", km="1")
    assert rows
    assert all(r["km"] <= 1 for r in rows)
    assert [r["km"] for r in rows] == sorted(r["km"] for r in rows)
    everything = _run(path, "near", lat="41.9965", lon="21.4314", km="50")
    assert len(everything) > len(rows)
    assert _run(path, "near", lat="", lon="", km="") == []  # an empty form finds nothing


def test_new_since_refresh_needs_a_refresh(web_book: tuple[Path, dict[str, int]]) -> None:
    path, _ = web_book
    assert _run(path, "new_since_refresh") == []
    book = LeadBook.open(path)
    book.start_run("refresh", "2026-11-20T09:00:00+00:00")
    total = len(list(book.leads()))
    book.close()
    assert len(_run(path, "new_since_refresh")) == total


@pytest.mark.parametrize(("a", "b", "km"), [
    ((53.5511, 9.9937), (52.52, 13.405), 255.0),  # Hamburg - Berlin
    ((0.0, 179.9), (0.0, -179.9), 22.2),          # across the date line
])
def test_the_sql_distance_is_great_circle_kilometres(
        a: tuple[float, float], b: tuple[float, float], km: float) -> None:
    assert distance_km(*a, *b) == pytest.approx(km, abs=1.0)


@pytest.mark.parametrize("bad", [None, "", "north", "nan", 91.0])
def test_the_sql_distance_of_a_bad_point_is_null(bad: object) -> None:
    assert distance_km(bad, 10.0, 50.0, 10.0) is None


@pytest.mark.parametrize(("host", "local"), [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True),
    ("0.0.0.0", False), ("192.168.1.20", False), ("example.org", False)])
def test_only_loopback_counts_as_local(host: str, local: bool) -> None:
    assert is_local(host) is local
