"""Writing leads: each field from the first observation that has it, the rest left empty."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest

from prospect.ingest.engine import ingest
from prospect.models import Observation
from prospect.storage import LeadBook, book
from prospect.storage.reading import LeadFilter


def test_new_leads_get_the_fields_they_have_and_leads_in_the_book_keep_theirs() -> None:
    lead_book = LeadBook.open(None)
    ingest(lead_book, [Observation("a", "1", {"name": "Kaffeerösterei Nord", "city": "Kiel"})])
    # One batch: a new lead with a phone, a new lead with an e-mail, and the lead above.
    ingest(lead_book, [
        Observation("b", "1", {"name": "Teehaus Süd", "phone": "+49 431 1234567"}),
        Observation("b", "2", {"name": "Gewürzhandel West", "email": "info@west.example"}),
        Observation("b", "3", {"name": "Kaffeerösterei Nord", "city": "Kiel",
                               "postcode": "24103", "email": "nord@roest.example"}),
    ])
    rows = lead_book.db.execute(
        "SELECT name, phone, email, city, postcode, fax, status, sources, observation_count "
        "FROM leads ORDER BY id").fetchall()
    assert rows == [
        ("Kaffeerösterei Nord", None, "nord@roest.example", "Kiel", "24103", None, "new",
         '["a", "b"]', 2),
        ("Teehaus Süd", "+494311234567", None, None, None, None, "new", '["b"]', 1),
        ("Gewürzhandel West", None, "info@west.example", None, None, None, "new", '["b"]', 1),
    ]
    # Each field names the observation it came from, as JSON that json.dumps would write.
    provenance = [text for (text,) in lead_book.db.execute(
        "SELECT provenance FROM leads ORDER BY id")]
    assert [json.loads(text) for text in provenance] == [
        {"name": 1, "city": 1, "email": 4, "postcode": 4}, {"name": 2, "phone": 2},
        {"name": 3, "email": 3}]
    assert provenance == [json.dumps(json.loads(text)) for text in provenance]


@pytest.mark.parametrize("count", [0, 1, 332, 333, 334, 669])
def test_rows_inserted_many_a_statement_are_each_inserted_once(count: int) -> None:
    # 333 rows of three make one full statement of 999 parameters.
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, n INTEGER)")
    conn.execute("INSERT INTO t VALUES (5, 'old', 0)")
    rows = [(i, f"a{i}", i * 2) for i in range(count)]
    book._insert(conn, "INSERT INTO t (id, a, n)", rows,
                 "ON CONFLICT(id) DO UPDATE SET a = excluded.a, n = excluded.n")
    # Each row once, in order: row 5, when there is one, updates the row that was there.
    expected = {5: (5, "old", 0)} | {row[0]: row for row in rows}
    assert conn.execute("SELECT id, a, n FROM t ORDER BY id").fetchall() == sorted(
        expected.values())


def test_a_search_finds_a_trade_name_inside_a_chinese_or_japanese_name(
        book: LeadBook) -> None:
    # Chinese and Japanese run a name's words together ("深圳市" + "腾讯" + "计算机系统" +
    # "有限公司"): the full-text index holds it as one word, which a search for the trade name
    # alone never matched.
    ingest(book, [Observation("a", "1", {"name": "深圳市腾讯计算机系统有限公司", "city": "深圳"}),
                  Observation("a", "2", {"name": "株式会社トヨタ自動車", "city": "豊田市"}),
                  Observation("a", "3", {"name": "Tencent Holdings Ltd", "city": "Hong Kong"})])
    names = {q: [lead["name"] for lead in book.leads(LeadFilter(search=q))]
             for q in ("腾讯", "トヨタ", "腾讯 深圳", "tencent", "腾讯 tencent")}
    assert names == {"腾讯": ["深圳市腾讯计算机系统有限公司"], "トヨタ": ["株式会社トヨタ自動車"],
                     "腾讯 深圳": ["深圳市腾讯计算机系统有限公司"],
                     "tencent": ["Tencent Holdings Ltd"], "腾讯 tencent": []}


def test_a_search_typed_without_umlauts_or_eszett_finds_them(book: LeadBook) -> None:
    # Keyboards, e-mail addresses and web addresses write "ü" as "ue" and "ß" as "ss".
    ingest(book, [Observation("a", "1", {"name": "Müller Kältetechnik GmbH",
                                         "address": "Königstraße 5", "city": "Köln"}),
                  Observation("a", "2", {"name": "Schmidt Bäckerei", "address": "Hauptstrasse 1",
                                         "city": "Düsseldorf"})])
    found = {q: [lead["id"] for lead in book.leads(LeadFilter(search=q))]
             for q in ("mueller", "koenigstrasse", "baeckerei", "hauptstraße", "Koeln mueller",
                       "duesseldorf", "müller", "mueller baeckerei")}
    assert found == {"mueller": [1], "koenigstrasse": [1], "baeckerei": [2], "hauptstraße": [2],
                     "Koeln mueller": [1], "duesseldorf": [2], "müller": [1],
                     "mueller baeckerei": []}


@pytest.mark.parametrize("fill", [
    lambda b: b.save_search("cafés", "café", "Kiel", "DE", ["osm"], 10),
    lambda b: b.suppress("someone@example.com"),
    lambda b: ingest(b, [Observation("a", "1", {"name": "Kaffeerösterei Nord"})]),
])
def test_a_book_holds_nothing_until_something_is_put_in_it(fill: Any) -> None:
    lead_book = LeadBook.open(None)
    assert lead_book.holds_nothing()
    fill(lead_book)
    assert not lead_book.holds_nothing()
