"""The command line end to end: import, list, show, export, merge, forget, suppress, errors."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

import pytest

from prospect import cli
from prospect.cli import env as cli_env
from prospect.ingest.engine import BATCH

Capture = pytest.CaptureFixture[str]

ROWS = [
    ["id", "Company Name", "Website", "Email", "Phone", "Address", "City", "Country"],
    ["1", "Blue Bakery Ltd", "https://www.bluebakery.co.uk", "info@bluebakery.co.uk",
     "020 7946 0958", "12 High Street", "London", "United Kingdom"],
    ["2", "BLUE BAKERY LIMITED", "bluebakery.co.uk", "", "+44 20 7946 0958", "", "London", "GB"],
    ["3", "Kaffeerösterei Müller GmbH", "kaffee-mueller.de", "", "040 1234567", "Hafenstraße 5",
     "Hamburg", "Germany"],
    ["4", "=HYPERLINK(\"http://evil\")", "evil.example", "", "", "", "", "DE"],
]


def run(capsys: Capture, *args: str) -> tuple[int, str, str]:
    old = sys.argv
    sys.argv = ["prospect", *args]
    code = 0
    try:
        cli.main()
    except SystemExit as ex:
        code = int(ex.code or 0)
    finally:
        sys.argv = old
        cli.state.book = None
        cli.state.debug = False
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(path: Path, rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def test_import_dedupes_and_reimport_changes_nothing(tmp_path: Path, capsys: Capture) -> None:
    f = write(tmp_path / "leads.csv", ROWS)
    code, _, err = run(capsys, "import", str(f), "--id-column", "id")
    assert code == 0
    assert "3 new leads, 1 folded" in err
    code, out, _ = run(capsys, "leads", "--json")
    leads = json.loads(out)
    assert len(leads) == 3
    bakery = next(x for x in leads if x["domain"] == "bluebakery.co.uk")
    assert {"id", "name", "website", "domain", "phone", "email", "address", "city", "country",
            "sources"} <= set(bakery)
    assert bakery["phone"] == "+442079460958" and bakery["country"] == "GB"
    code, _, err = run(capsys, "import", str(f), "--id-column", "id")
    assert "0 new leads, 0 folded into existing leads, 4 already in the book" in err
    code, out, _ = run(capsys, "leads", "--json")
    assert json.loads(out) == leads


def test_import_country_is_the_country_of_rows_that_name_none(tmp_path: Path,
                                                              capsys: Capture) -> None:
    f = tmp_path / "aussteller.csv"
    f.write_text("Firma,Telefon\nMüller Kältetechnik GmbH,0711 123456\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(f), "--country", "Deutschland")
    assert code == 0, err
    code, out, _ = run(capsys, "leads", "--json")
    [lead] = json.loads(out)
    assert (lead["country"], lead["phone"]) == ("DE", "+49711123456")
    code, _, err = run(capsys, "import", str(f), "--country", "Atlantis")
    assert code == 2 and "--country 'Atlantis'" in err


def test_a_column_taken_as_each_rows_source_is_said_and_used(tmp_path: Path,
                                                             capsys: Capture) -> None:
    f = write(tmp_path / "g.csv", [["id", "name", "Herkunft"], ["1", "Amber Joinery", "osm"],
                                   ["2", "Birch Joinery", ""]])
    code, _, err = run(capsys, "import", str(f), "--id-column", "id", "--map", "Herkunft=source")
    assert code == 0
    assert "each row's source: its 'Herkunft' column (rows without one: import:g.csv)" in err
    leads = json.loads(run(capsys, "leads", "--json")[1])
    assert sorted((x["name"], x["sources"]) for x in leads) == [
        ("Amber Joinery", ["osm"]), ("Birch Joinery", ["import:g.csv"])]


def test_show_says_where_each_field_came_from(tmp_path: Path, capsys: Capture) -> None:
    run(capsys, "import", str(write(tmp_path / "l.csv", ROWS)), "--id-column", "id")
    code, out, _ = run(capsys, "show", "1", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["lead"]["provenance"]["name"] == data["observations"][0]["id"]
    assert len(data["observations"]) == 2
    assert data["observations"][1]["match"]["reasons"]
    code, _, err = run(capsys, "show", "999")
    assert code == 4 and err.strip() == "Error: no lead with id 999"


def test_export_is_formula_safe_utf8_and_skips_do_not_contact(tmp_path: Path, capsys: Capture) -> None:
    run(capsys, "import", str(write(tmp_path / "l.csv", ROWS)), "--id-column", "id")
    run(capsys, "suppress", "kaffee-mueller.de")
    out_file = tmp_path / "out.csv"
    code, _, _ = run(capsys, "export", "-o", str(out_file), "--excel")
    raw = out_file.read_bytes()
    assert code == 0 and raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    names = [r["name"] for r in rows]
    assert "Kaffeerösterei Müller GmbH" not in names  # suppressed
    assert "'=HYPERLINK(\"http://evil\")" in names
    assert all(not v.startswith(("=", "+", "-", "@")) or re.fullmatch(r"[+-][0-9 ()./-]+", v)
               for r in rows for v in r.values())
    assert {r["phone"] for r in rows} >= {"+442079460958"}
    code, out, _ = run(capsys, "export", "--observations", "--format", "jsonl")
    obs = [json.loads(line) for line in out.splitlines()]
    assert {"lead_id", "source", "reference"} <= set(obs[0])
    assert len(obs) == 3  # the suppressed lead's observation is not exported


def test_chinese_gbk_file_with_chinese_headers(tmp_path: Path, capsys: Capture) -> None:
    rows = [["公司名称", "电话", "邮箱", "网址", "地址", "国家"],
            ["深圳市光明照明有限公司", "0755 8888 1234", "sales@gmled.cn", "www.gmled.cn",
             "深圳市宝安区", "中国"]]
    f = write(tmp_path / "cn.csv", rows, encoding="gbk")
    code, _, err = run(capsys, "import", str(f))
    assert code == 0 and "gb18030" in err
    _, out, _ = run(capsys, "leads", "--json")
    lead = json.loads(out)[0]
    assert lead["name"] == "深圳市光明照明有限公司" and lead["country"] == "CN"
    assert lead["phone"] == "+8675588881234" and lead["legal_form"] == "有限公司"


def test_latin1_semicolon_file(tmp_path: Path, capsys: Capture) -> None:
    rows = [["Firma", "Telefon", "Land"], ["Café Crème SARL", "01 42 68 53 00", "France"]]
    f = write(tmp_path / "fr.csv", rows, encoding="latin-1", delimiter=";")
    write(f, [["name", "phone", "country"], rows[1]], encoding="latin-1", delimiter=";")
    code, _, _ = run(capsys, "import", str(f))
    _, out, _ = run(capsys, "leads", "--json")
    assert code == 0 and json.loads(out)[0]["name"] == "Café Crème SARL"


def test_bad_rows_are_reported_with_line_numbers_and_good_rows_kept(tmp_path: Path, capsys: Capture) -> None:
    huge = "x" * (2 << 20)
    text = ("name,phone\nGood One,0201234567\nRagged,1,2,3\n,\n\"" + huge + "\",1\n"
            "Good Two,0307654321\n,,\n \t, \nGood\x00 Three,0401234567\n")
    f = tmp_path / "bad.csv"
    f.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "import", str(f))
    assert code == 0
    assert "3 new leads" in err
    assert "line 3: 4 fields where the header has 2" in err
    rejects = (tmp_path / "bad.rejects.csv").read_text(encoding="utf-8")
    assert rejects.startswith("line,reason,name,phone")
    # Blank rows are skipped, not rejected; a NUL is dropped.
    assert [row[0] for row in csv.reader(io.StringIO(rejects))][1:] == ["3", "5"]
    _, out, _ = run(capsys, "leads", "--json")
    assert "Good Three" in [lead["name"] for lead in json.loads(out)]


def test_unreadable_input_and_book_errors_are_one_line(tmp_path: Path, capsys: Capture) -> None:
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)) * 64)
    code, _, err = run(capsys, "import", str(junk))
    assert code == 5 and err.count("\n") == 1 and "binary" in err
    missing = tmp_path / "nope.db"
    code, _, err = run(capsys, "--book", str(missing), "leads")
    assert code == 3 and "no lead book" in err and not missing.exists()
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"this is not sqlite at all" * 100)
    before = corrupt.read_bytes()
    code, _, err = run(capsys, "--book", str(corrupt), "leads")
    assert code == 3 and "not a lead book" in err and corrupt.read_bytes() == before


def test_newer_schema_is_refused(tmp_path: Path, capsys: Capture) -> None:
    book = tmp_path / "b.db"
    run(capsys, "--book", str(book), "import", str(write(tmp_path / "l.csv", ROWS)))
    with sqlite3.connect(book) as conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('prospect', 'm999_future', '2030-01-01')")
    code, _, err = run(capsys, "--book", str(book), "leads")
    assert code == 3 and "newer prospect" in err


def _keys_migrated_again(capsys: Capture, tmp_path: Path, rows: list[list[str]],
                         undo: str, migration: str) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """A fresh book's blocking keys, and the same book's after ``undo`` (SQL making it as
    it was before ``migration``) and the migration run again by opening it."""
    book = tmp_path / "b.db"
    run(capsys, "--book", str(book), "import", str(write(tmp_path / "l.csv", rows)))
    with sqlite3.connect(book) as conn:
        fresh = sorted(conn.execute("SELECT key, lead_id FROM lead_keys"))
        conn.execute(undo)
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", (migration,))
    assert run(capsys, "--book", str(book), "leads")[0] == 0
    with sqlite3.connect(book) as conn:
        return fresh, sorted(conn.execute("SELECT key, lead_id FROM lead_keys"))


def test_an_older_book_gets_its_blocking_keys_rebuilt(tmp_path: Path, capsys: Capture) -> None:
    # As m001-m006 left it: address keys without their town; m007 not yet applied.
    fresh, again = _keys_migrated_again(
        capsys, tmp_path, ROWS, "UPDATE lead_keys SET key = 'a:12|high' WHERE key LIKE 'a:%'",
        "m007_address_keys_by_town")
    assert any(k.startswith("a:12|high|") for k, _ in fresh) and again == fresh


def test_an_older_book_read_anew_says_dedupe_would_cluster_it_again(tmp_path: Path,
                                                                    capsys: Capture) -> None:
    """After a migration that changes how records read, the user learns 'prospect dedupe'
    joins what the book now holds apart; a fresh book, or another migration, says nothing."""
    book = tmp_path / "b.db"
    code, _, err = run(capsys, "--book", str(book), "import", str(write(tmp_path / "l.csv", ROWS)))
    assert code == 0 and "prospect dedupe" not in err
    with sqlite3.connect(book) as conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm018_chinese_divisions_apart'")
    code, out, err = run(capsys, "--book", str(book), "leads")
    assert code == 0 and "'prospect dedupe' clusters its leads again" in err
    assert "prospect dedupe" not in out  # the list itself still pipes cleanly
    code, _, err = run(capsys, "--book", str(book), "leads")
    assert "prospect dedupe" not in err  # once


def test_an_older_book_gets_its_keys_stored_by_lead(tmp_path: Path, capsys: Capture) -> None:
    book = tmp_path / "b.db"
    run(capsys, "--book", str(book), "import", str(write(tmp_path / "l.csv", ROWS)))
    with sqlite3.connect(book) as conn:
        fresh = sorted(conn.execute("SELECT key, lead_id FROM lead_keys"))
        # As m001-m007 left it: keys first, and an index by lead.
        conn.execute("DROP TABLE lead_keys")
        conn.execute("CREATE TABLE lead_keys (key TEXT NOT NULL, lead_id INTEGER NOT NULL "
                     "REFERENCES leads(id), PRIMARY KEY (key, lead_id)) WITHOUT ROWID")
        conn.execute("CREATE INDEX lead_keys_lead ON lead_keys(lead_id)")
        conn.executemany("INSERT INTO lead_keys VALUES (?, ?)", fresh)
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm008_keys_by_lead'")
    assert run(capsys, "--book", str(book), "leads")[0] == 0
    with sqlite3.connect(book) as conn:
        assert sorted(conn.execute("SELECT key, lead_id FROM lead_keys")) == fresh
        plan = " ".join(r[3] for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT lead_id FROM lead_keys WHERE key = 'x'"))
        assert "lead_keys_key" in plan


def test_an_older_book_loses_the_name_keys_no_longer_made(tmp_path: Path,
                                                          capsys: Capture) -> None:
    book = tmp_path / "b.db"
    run(capsys, "--book", str(book), "import", str(write(tmp_path / "l.csv", ROWS)))
    with sqlite3.connect(book) as conn:
        fresh = sorted(conn.execute("SELECT key, lead_id FROM lead_keys"))
        # As m001-m008 left it: the name's words keyed with the town as well.
        conn.executemany("INSERT INTO lead_keys (key, lead_id) VALUES (?, ?)",
                         [(f"t:{k[2:].split('|')[0]}|cberlin", lead) for k, lead in fresh
                          if k.startswith("t:")])
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_name_keys_by_place'")
    assert run(capsys, "--book", str(book), "leads")[0] == 0
    with sqlite3.connect(book) as conn:
        assert sorted(conn.execute("SELECT key, lead_id FROM lead_keys")) == fresh


def test_an_older_book_gets_name_keys_around_its_positions(tmp_path: Path,
                                                          capsys: Capture) -> None:
    rows = [["name", "lat", "lon"], ["How Lee", "40.437981", "-79.921352"],
            ["Blue Bakery", "", ""]]
    # As m001-m011 left it: no keys around a position.
    fresh, again = _keys_migrated_again(capsys, tmp_path, rows,
                                        "DELETE FROM lead_keys WHERE key LIKE 'g:%'",
                                        "m012_name_keys_by_position")
    assert any(k.startswith("g:how|") for k, _ in fresh) and again == fresh
    # As m001-m018 left it: no keys of a name's head around its position.
    (tmp_path / "heads").mkdir()
    fresh, again = _keys_migrated_again(capsys, tmp_path / "heads", rows,
                                        "DELETE FROM lead_keys WHERE key LIKE 'g:howl|%'",
                                        "m019_keys_and_value_counts")
    assert any(k.startswith("g:howl|") for k, _ in fresh) and again == fresh


@pytest.mark.parametrize(("row", "before", "migration", "key"), [
    # As m001-m012 left it: "V.le" read as the street "v le".
    (["Trattoria da Gino", "V.le Monza 5", "Milano", "IT"],
     "UPDATE lead_keys SET key = 'a:5|v|milano' WHERE key LIKE 'a:%'",
     "m013_address_spellings", "a:5|monza|milan"),  # Milano is GeoNames' Milan
    # As m001-m013 left it: "One" read as a word of the street, no house number.
    (["Penn Deli", "One Penn Plz.", "New York", "US"],
     "UPDATE lead_keys SET key = 'a:|one penn plz|new york' WHERE key LIKE 'a:%'",
     "m014_number_words_and_postcode_prefixes", "a:1|penn|new york city"),
    # As m001-m014 left it: the direction dropped, no street, so no address key.
    (["Corner Deli", "5 North St", "Leeds", "GB"],
     "DELETE FROM lead_keys WHERE key LIKE 'a:%'",
     "m015_streets_named_by_a_direction", "a:5|n|leeds"),
    # As m001-m015 left it: a unit's floor read as the house number.
    (["Tiong Bahru Pau", "Seng Poh Road, #02-18, 30", "Singapore", "SG"],
     "UPDATE lead_keys SET key = 'a:02|seng|singapore' WHERE key LIKE 'a:%'",
     "m016_units_blocks_and_town_lines", "a:30|seng|singapore"),
    # As m001-m016 left it: the article that leads a street's name keyed as the street.
    (["Casa Lucio", "Calle de la Cava Baja, 35", "Madrid", "ES"],
     "UPDATE lead_keys SET key = 'a:35|de|madrid' WHERE key LIKE 'a:%'",
     "m017_street_names_after_articles", "a:35|cava|madrid"),
    # As m001-m017 left it: a Chinese name's division and trade name one word.
    (["深圳市华为技术有限公司", "科技园路1号", "深圳", "CN"],
     "UPDATE lead_keys SET key = 't:深圳市华为技术|cshenzhen' WHERE key = 't:华为技术|cshenzhen'",
     "m018_chinese_divisions_apart", "t:华为技术|cshenzhen"),
    # As m001-m018 left it: "Plot" read as the street, the sector's number dropped.
    (["Sharma Exports", "Plot No. 45, Sector 18", "Gurugram", "IN"],
     "UPDATE lead_keys SET key = 'a:45|plot|gurugram' WHERE key LIKE 'a:%'",
     "m019_keys_and_value_counts", "a:45|sector|gurugram"),
    # As m001-m019 left it: a building's name before the street read as the street's.
    (["Clementi Books", "Ngee Ann Polytechnic, 535 Clementi Rd", "Singapore", "SG"],
     "UPDATE lead_keys SET key = 'a:535|ngee|singapore' WHERE key LIKE 'a:%'",
     "m020_buildings_before_the_street", "a:535|clemen|singapore"),
    # As m001-m020 left it: a unit and its door after "Unit" read as where inside alone.
    (["Warden Books", "Unit 17-773 Warden Ave", "Toronto", "CA"],
     "DELETE FROM lead_keys WHERE key LIKE 'a:%'",
     "m021_units_and_numbered_buildings", "a:773|warden|toronto"),
])
def test_an_older_book_gets_the_address_keys_read_as_now(
        row: list[str], before: str, migration: str, key: str, tmp_path: Path,
        capsys: Capture) -> None:
    rows = [["name", "address", "city", "country"], row]
    fresh, again = _keys_migrated_again(capsys, tmp_path, rows, before, migration)
    assert (key, 1) in fresh and again == fresh


def test_an_import_counts_towns_and_forms_and_an_older_book_gets_them_counted(
        tmp_path: Path, capsys: Capture) -> None:
    """What dedupe weighs an agreement on a common town or legal form by (see
    CountingStats.agreement) is counted by every import, and by opening an older book."""
    book = tmp_path / "b.db"
    run(capsys, "--book", str(book), "import", str(write(tmp_path / "l.csv", ROWS)))
    # Not what the clustering learned of the sources ("w ", "e "): no count recovers that.
    values = ("SELECT token, count FROM name_tokens WHERE token LIKE '% %' "
              "AND substr(token, 1, 2) NOT IN ('w ', 'e ') ORDER BY token")
    with sqlite3.connect(book) as conn:
        fresh = conn.execute(values).fetchall()
        assert ("t london", 2) in fresh and ("t hamburg", 1) in fresh and ("f gb", 2) in fresh
        # As m001-m018 left it: the names' words alone.
        conn.execute("DELETE FROM name_tokens WHERE token LIKE '% %'")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm019_keys_and_value_counts'")
    assert run(capsys, "--book", str(book), "leads")[0] == 0
    with sqlite3.connect(book) as conn:
        assert conn.execute(values).fetchall() == fresh


# Twenty-five firms a map lists, then a directory lists each again, beyond doubt.
_TWO_SOURCES = [["id", "name", "phone", "address", "city", "country", "source"]] + [
    [f"{source}{i}", f"Firm {i:03d} {word} Joinery", f"0113 496 {i:04d}", f"{i + 1} High Street",
     "Leeds", "GB", source]
    for source in ("osm", "yelp")
    for i, word in enumerate(["Amber", "Birch", "Cedar", "Delta", "Ember"] * 5)]
_LEARNED = "SELECT token, count FROM name_tokens WHERE substr(token, 1, 2) IN ('s ', 'w ', 'e ')"


def test_what_the_import_learns_of_its_sources_is_kept_and_an_older_book_counts_them(
        tmp_path: Path, capsys: Capture) -> None:
    """How many records each source listed is counted as towns are; what the clustering
    learned of each source (see CountingStats.listed_apart) is kept for the next import."""
    book = tmp_path / "b.db"
    run(capsys, "--book", str(book), "import", str(write(tmp_path / "l.csv", _TWO_SOURCES)),
        "--id-column", "id")
    with sqlite3.connect(book) as conn:
        counts = dict(conn.execute(_LEARNED).fetchall())
        assert (counts["s "], counts["s osm"], counts["s yelp"]) == (50, 25, 25)
        assert counts["e yelp"] > counts.get("w yelp", 0) * 1000  # the map's, not its own
        # As m001-m021 left it: no source counted.
        conn.execute("DELETE FROM name_tokens WHERE substr(token, 1, 2) = 's '")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm022_records_by_source'")
    assert run(capsys, "--book", str(book), "leads")[0] == 0
    with sqlite3.connect(book) as conn:
        assert dict(conn.execute(_LEARNED).fetchall()) == counts


def test_what_the_import_learns_of_its_sources_is_the_same_in_one_import_or_many(
        tmp_path: Path, capsys: Capture) -> None:
    """A match is weighed by the share of the records its source listed when it was made,
    not by its batch's: one import of a file learns what ten imports of its parts do."""
    whole, parts = tmp_path / "whole.db", tmp_path / "parts.db"
    run(capsys, "--book", str(whole), "import", str(write(tmp_path / "l.csv", _TWO_SOURCES)),
        "--id-column", "id")
    for k in range(0, 50, 5):
        part = write(tmp_path / f"p{k}.csv", [_TWO_SOURCES[0], *_TWO_SOURCES[1 + k:6 + k]])
        run(capsys, "--book", str(parts), "import", str(part), "--id-column", "id")
    with sqlite3.connect(whole) as a, sqlite3.connect(parts) as b:
        learned = dict(a.execute(_LEARNED).fetchall())
        assert learned["e yelp"] > 0 and learned == dict(b.execute(_LEARNED).fetchall())


def test_a_join_shows_its_weights_as_the_book_set_them(tmp_path: Path, capsys: Capture) -> None:
    # Sixty firms of one town: agreeing on the town says less there (see
    # CountingStats.agreement), and the join shows that weight short, as the score is.
    rows = [["id", "name", "phone", "city", "country"]]
    rows += [[str(i), f"Firm {i} Ltd", f"0113 496 {i:04d}", "Leeds", "GB"] for i in range(60)]
    rows += [["a", "Blue Bakery Ltd", "0113 496 7777", "Leeds", "GB"],
             ["b", "BLUE BAKERY LIMITED", "+44 113 496 7777", "Leeds", "GB"]]
    book = str(tmp_path / "b.db")
    assert run(capsys, "--book", book, "import", str(write(tmp_path / "l.csv", rows)),
               "--id-column", "id")[0] == 0
    _, out, _ = run(capsys, "--book", book, "show", "61")
    joined = next(line for line in out.splitlines() if "joined" in line)
    assert re.search(r"city \+0\.\d\d?[,)]", joined), joined


def test_book_is_owner_only(tmp_path: Path, capsys: Capture) -> None:
    book = tmp_path / "b.db"
    run(capsys, "--book", str(book), "import", str(write(tmp_path / "l.csv", ROWS)))
    assert stat.S_IMODE(os.stat(book).st_mode) == 0o600


def test_merge_unmerge_and_dedupe_remembers(tmp_path: Path, capsys: Capture) -> None:
    run(capsys, "import", str(write(tmp_path / "l.csv", ROWS)), "--id-column", "id")
    code, _, _ = run(capsys, "merge", "1", "2")
    assert code == 0
    _, out, _ = run(capsys, "show", "1", "--json")
    assert len(json.loads(out)["observations"]) == 3
    code, _, _ = run(capsys, "unmerge", "1")
    assert code == 0
    _, out, _ = run(capsys, "show", "2", "--json")
    assert json.loads(out)["lead"]["name"] == "Kaffeerösterei Müller GmbH"
    # Split the bakery's two observations apart by hand, then re-cluster: they stay apart.
    book_path = Path(os.environ["PROSPECT_BOOK"])
    from prospect.storage import LeadBook

    b = LeadBook.open(book_path)
    obs = [o["id"] for o in b.observations(1)]
    with b.db.atomic():
        b.db.execute("INSERT INTO leads (id) VALUES (50)")
        b.db.execute("UPDATE observations SET lead_id = 50 WHERE id = ?", [obs[1]])
        b._recompute(1)
        b._recompute(50)
    b.merge(1, 50)
    b.unmerge(1)
    b.close()
    code, _, err = run(capsys, "dedupe")
    assert code == 0 and "4 leads before, 4 after" in err
    code, _, err = run(capsys, "unmerge", "3")
    assert code == 4


FIRMS = [["id", "name"], ["1", "Koninklijke Philips Electronics N.V."],
         ["2", "KONINKLIJKE, PHILIPS"], ["3", "Koninklijke Philips N.V."]]


PEOPLE = [["id", "given name", "surname", "tax id", "date of birth", "address", "city", "phone"],
          ["1", "William", "Bracci", "7315057", "", "", "Camp Hill", "+61 2 4567 1234"],
          ["2", "William", "Bracci", "", "1947-06-17", "13 Hann Street", "", "+61 2 9876 5432"],
          ["3", "William", "Bracci", "7315057", "1947-06-17", "13 Hann Street", "Camp Hill", ""]]


def test_a_record_that_matches_two_leads_beyond_doubt_merges_them(tmp_path: Path,
                                                                  capsys: Capture) -> None:
    # The first two share a name and differ on the phone: two leads. The third has the
    # first's tax number and town, the second's birth date and address: one person.
    code, _, err = run(capsys, "import", str(write(tmp_path / "p.csv", PEOPLE)), "--id-column", "id")
    assert code == 0 and "1 new leads, 2 folded" in err
    _, out, _ = run(capsys, "show", "1", "--json")
    shown = json.loads(out)
    assert len(shown["observations"]) == 3
    assert [m["reason"] for m in shown["merges"]] == [
        "dedupe: import:p.csv 3, matched both beyond doubt (each 9 or more)"]
    assert run(capsys, "unmerge", "1")[0] == 0
    code, _, err = run(capsys, "dedupe")
    assert code == 0 and "2 leads before, 2 after" in err


def test_a_name_that_matches_two_leads_merges_them_and_unmerge_keeps_them_apart(
        tmp_path: Path, capsys: Capture) -> None:
    # The second name starts a lead of its own (it came before anything tied it to the
    # first); the third matches both, which are then one lead: a merge dedupe recorded.
    code, _, err = run(capsys, "import", str(write(tmp_path / "f.csv", FIRMS)), "--id-column", "id")
    assert code == 0 and "1 new leads, 2 folded" in err
    _, out, _ = run(capsys, "show", "1", "--json")
    shown = json.loads(out)
    assert len(shown["observations"]) == 3
    assert [m["reason"] for m in shown["merges"]] == [
        "dedupe: import:f.csv 3, a name alone, matched both"]
    assert run(capsys, "unmerge", "1")[0] == 0
    code, _, err = run(capsys, "dedupe")
    assert code == 0 and "2 leads before, 2 after" in err
    more = [FIRMS[0], ["4", "KONINKLIJKE PHILIPS N.V."]]
    code, _, err = run(capsys, "import", str(write(tmp_path / "g.csv", more)), "--id-column", "id")
    assert code == 0 and "0 new leads, 1 folded" in err
    _, out, _ = run(capsys, "leads", "--json")
    assert len(json.loads(out)) == 2


def test_dedupe_joins_the_leads_a_name_alone_matches(tmp_path: Path, capsys: Capture) -> None:
    run(capsys, "import", str(write(tmp_path / "f.csv", FIRMS)), "--id-column", "id")
    from prospect.storage import LeadBook

    b = LeadBook.open(Path(os.environ["PROSPECT_BOOK"]))
    with b.db.atomic():  # as a book clustered before the rule
        b.db.execute("DELETE FROM merges")
        b.db.execute("INSERT INTO leads (id) VALUES (2)")
        b.db.execute("UPDATE observations SET lead_id = 2 WHERE reference != '1'")
        b._recompute(1)
        b._recompute(2)
    b.close()
    code, _, err = run(capsys, "dedupe")
    assert code == 0 and "2 leads before, 1 after" in err


def test_forget_erases_and_stays_erased(tmp_path: Path, capsys: Capture) -> None:
    f = write(tmp_path / "l.csv", ROWS)
    run(capsys, "import", str(f), "--id-column", "id")
    code, _, _ = run(capsys, "forget", "info@bluebakery.co.uk")
    assert code == 0
    book = Path(os.environ["PROSPECT_BOOK"])
    assert b"info@bluebakery.co.uk" not in book.read_bytes() + _wal(book)
    f2 = write(tmp_path / "again.csv", [ROWS[0], ["9", *ROWS[1][1:]]])
    run(capsys, "import", str(f2), "--id-column", "id")
    _, out, _ = run(capsys, "export", "--format", "jsonl")
    assert "info@bluebakery.co.uk" not in out
    # Not in the new observation's raw record either.
    assert b"info@bluebakery.co.uk" not in book.read_bytes() + _wal(book)


def test_forgetting_a_person_takes_their_birth_date_and_tax_number(tmp_path: Path,
                                                                  capsys: Capture) -> None:
    f = write(tmp_path / "p.csv", [["id", "first name", "surname", "date of birth", "ssn", "city"],
                                   ["1", "Mitchell", "Greenhalgh", "1956-04-09", "1804974", "Delmar"]])
    run(capsys, "import", str(f), "--id-column", "id")
    code, _, _ = run(capsys, "forget", "Mitchell Greenhalgh")
    assert code == 0
    book = Path(os.environ["PROSPECT_BOOK"])
    data = book.read_bytes() + _wal(book)
    for value in (b"Greenhalgh", b"1956-04-09", b"19560409", b"1804974"):
        assert value not in data


def _wal(book: Path) -> bytes:
    wal = book.with_name(book.name + "-wal")
    return wal.read_bytes() if wal.exists() else b""


def _written(book: Path) -> bool:
    """Does ``book`` hold an observation yet? Read only: never creates the file."""
    try:
        with closing(sqlite3.connect(f"file:{book}?mode=ro", uri=True, timeout=0.1)) as conn:
            return conn.execute("SELECT 1 FROM observations LIMIT 1").fetchone() is not None
    except sqlite3.Error:
        return False


def _marked(mark: str) -> list[str]:
    """The ids of live processes whose environment carries ``mark`` (Linux /proc)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if mark.encode() in (proc / "environ").read_bytes():
                found.append(proc.name)
        except OSError:
            continue
    return found


def test_killed_import_leaves_a_sound_book_that_converges(tmp_path: Path, capsys: Capture) -> None:
    # Three batches: killed once the first is in the book, while the others are on their way.
    rows = [["id", "name", "phone", "city", "country"]]
    rows += [[str(i), f"Shop {i % 3000} Trading", f"0201{i % 3000:06d}", "London", "GB"]
             for i in range(2 * BATCH + 2000)]
    f = write(tmp_path / "big.csv", rows)
    mark = f"prospect-test-{os.getpid()}-{tmp_path.name}"
    env = {**os.environ, "PROSPECT_BOOK": str(tmp_path / "killed.db"), "PROSPECT_TEST_MARK": mark}
    cmd = [sys.executable, "-m", "prospect", "import", str(f), "--id-column", "id"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline and not _written(
                tmp_path / "killed.db"):
            time.sleep(0.02)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL  # killed part-way, not after its end
    with sqlite3.connect(tmp_path / "killed.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # The normalising worker ends with its killed parent.
    deadline = time.monotonic() + 10
    while _marked(mark) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _marked(mark)
    # The same import again finishes the book; one into a fresh book is what it should be.
    for name in ("killed.db", "clean.db"):
        assert run(capsys, "--book", str(tmp_path / name), "import", str(f), "--id-column",
                   "id")[0] == 0

    def content(name: str) -> list[tuple[str, int]]:
        with sqlite3.connect(tmp_path / name) as conn:
            return conn.execute("SELECT reference, lead_id FROM observations ORDER BY id").fetchall()

    assert content("killed.db") == content("clean.db")


def test_a_book_another_process_is_writing(tmp_path: Path, capsys: Capture,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    book = tmp_path / "book.db"
    f = write(tmp_path / "l.csv", ROWS)
    assert run(capsys, "--book", str(book), "import", str(f), "--id-column", "id")[0] == 0
    monkeypatch.setenv("PROSPECT_BUSY_TIMEOUT", "0.3")
    other = sqlite3.connect(book)
    other.execute("BEGIN IMMEDIATE")  # another process is in the middle of a write
    other.execute("UPDATE leads SET name = name")
    try:
        more = write(tmp_path / "more.csv", [ROWS[0], ["9", "Neue Firma GmbH", "", "", "", "", "",
                                                       "DE"]])
        code, _, err = run(capsys, "--book", str(book), "import", str(more), "--id-column", "id")
        assert code == 3 and "locked by another process" in err and "Traceback" not in err
        code, out, _ = run(capsys, "--book", str(book), "leads", "--json")  # readers go on
        assert code == 0 and len(json.loads(out)) == 3
    finally:
        other.rollback()
        other.close()
    code, _, _ = run(capsys, "--book", str(book), "import", str(more), "--id-column", "id")
    assert code == 0  # nothing was lost: the same import now goes through


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="file permissions do not bind root")
def test_a_book_on_a_read_only_path(tmp_path: Path, capsys: Capture) -> None:
    book = tmp_path / "ro" / "book.db"
    f = write(tmp_path / "l.csv", ROWS)
    assert run(capsys, "--book", str(book), "import", str(f), "--id-column", "id")[0] == 0
    book.chmod(0o444)
    book.parent.chmod(0o555)
    try:
        code, _, err = run(capsys, "--book", str(book), "import", str(f), "--id-column", "id")
        assert code == 3 and "read-only" in err
        code, out, err = run(capsys, "--book", str(book), "leads", "--json")
        assert code == 0 and len(json.loads(out)) == 3
    finally:
        book.parent.chmod(0o755)
        book.chmod(0o644)


def test_a_book_in_a_folder_one_may_not_write_is_read_but_not_written(
        tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    book = tmp_path / "ro" / "book.db"
    f = write(tmp_path / "l.csv", ROWS)
    assert run(capsys, "--book", str(book), "import", str(f), "--id-column", "id")[0] == 0
    before = book.read_bytes()
    # Permissions do not bind root, who runs CI: the folder is made read-only to prospect.
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: real(p, mode) and (
        not mode & os.W_OK or Path(p) not in (book, book.parent)))
    code, out, err = run(capsys, "--book", str(book), "leads", "--json")
    assert code == 0, err
    assert len(json.loads(out)) == 3
    assert run(capsys, "--book", str(book), "show", "1")[0] == 0
    assert run(capsys, "--book", str(book), "export", "-o", "-")[0] == 0
    code, _, err = run(capsys, "--book", str(book), "note", "1", "called")
    assert code == 3 and "read-only folder" in err and "unable to open" not in err
    assert book.read_bytes() == before


def test_merge_keeps_the_kept_leads_identity_unless_told(tmp_path: Path, capsys: Capture) -> None:
    rows = [["id", "Company Name", "Website", "Email", "Phone", "City", "Country"],
            ["1", "Nordlicht Leuchten GmbH", "nordlicht.de", "info@nordlicht.de", "+49 40 1111111",
             "Hamburg", "DE"],
            ["2", "Sunray Trading Ltd", "sunray.co.uk", "sales@sunray.co.uk", "+44 20 7946 0000",
             "London", "GB"],
            ["3", "Polaris Licht AG", "polaris.ch", "", "", "Zürich", "CH"]]
    run(capsys, "import", str(write(tmp_path / "l.csv", rows)), "--id-column", "id")
    # The kept lead is the later one: its observation is younger than the other's.
    code, _, err = run(capsys, "merge", "2", "1")
    assert code == 0, err
    lead = json.loads(run(capsys, "show", "2", "--json")[1])["lead"]
    assert (lead["name"], lead["domain"], lead["email"], lead["phone"]) == (
        "Sunray Trading Ltd", "sunray.co.uk", "sales@sunray.co.uk", "+442079460000")
    run(capsys, "unmerge", "2")
    code, _, err = run(capsys, "merge", "2", "3", "--prefer", "3")
    assert code == 0, err
    lead = json.loads(run(capsys, "show", "2", "--json")[1])["lead"]
    assert (lead["name"], lead["domain"], lead["email"]) == (
        "Polaris Licht AG", "polaris.ch", "sales@sunray.co.uk")
    code, _, err = run(capsys, "merge", "2", "1", "--prefer", "9")
    assert code == 2 and "--prefer 9" in err


def test_tables_pipe_as_tab_separated_rows_and_fold_on_a_narrow_terminal(
        tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    long_mail = "kontakt@kaffee-mueller-hamburg-speicherstadt.de"
    rows = [*ROWS[:4], ["5", "Speicherstadt Kaffee Spezialitäten Handelsgesellschaft mbH",
                        "speicherkaffee.de", long_mail, "", "", "Hamburg", "DE"]]
    run(capsys, "import", str(write(tmp_path / "l.csv", rows)), "--id-column", "id")
    code, _, err = run(capsys, "suppress", "kaffee-mueller.de")
    assert "1 lead now do-not-contact" in err
    code, _, err = run(capsys, "suppress", "nobody-has-this.org")
    assert code == 0 and "no lead has it now" in err
    code, out, _ = run(capsys, "leads")
    lines = out.splitlines()
    assert lines[0].split("\t")[:5] == ["id", "grade", "status", "dnc", "name"]
    cells = {line.split("\t")[4]: line.split("\t") for line in lines[1:]}
    assert cells["Kaffeerösterei Müller GmbH"][3] == "dnc"
    assert long_mail in out and "…" not in out
    code, out, _ = run(capsys, "sources")
    names = [line.split("\t")[0] for line in out.splitlines()[1:]]
    assert {"vies", "rdap_bootstrap", "edgar", "dns"} <= set(names)
    assert len(names) == len(set(names))
    buf = io.StringIO()
    # The CLI's seam: an Env whose console is a narrow terminal.
    monkeypatch.setattr(cli_env, "current", cli_env.Env(
        out=Console(file=buf, force_terminal=True, width=80, no_color=True)))
    code, _, _ = run(capsys, "leads")
    screen = re.sub(r"\x1b\[[0-9;]*m", "", buf.getvalue())
    assert code == 0 and "…" not in screen and "dnc" in screen
    assert all(len(line) <= 80 for line in screen.splitlines())
    assert "Handelsgesellschaft" in screen  # folded onto a second line, not cut


def test_a_stray_quote_rejects_its_row_and_keeps_the_rows_after_it(tmp_path: Path,
                                                                   capsys: Capture) -> None:
    f = tmp_path / "stray.csv"
    f.write_text('name,phone,city\n"Alpha GmbH,+49 30 1111111,Berlin\nBeta GmbH,+49 30 2222222,'
                 'Berlin\nGamma GmbH,+49 30 3333333,Berlin\nDelta GmbH,+49 30 4444444,Berlin\n',
                 encoding="utf-8")
    code, _, err = run(capsys, "import", str(f))
    assert code == 0 and "1 rejected" in err and "line 2: a quote opened" in err
    names = [lead["name"] for lead in json.loads(run(capsys, "leads", "--json")[1])]
    assert names == ["Beta GmbH", "Gamma GmbH", "Delta GmbH"]
    # A quoted field that really spans lines (an address) is data, not a broken row.
    g = tmp_path / "multi.csv"
    g.write_text('name,phone,address\nEpsilon GmbH,+49 30 5555555,"Hauptstr. 1\nHinterhaus"\n',
                 encoding="utf-8")
    code, _, err = run(capsys, "import", str(g))
    assert "0 rejected" in err
    lead = json.loads(run(capsys, "leads", "--json", "--search", "Epsilon")[1])[0]
    assert "Hinterhaus" in lead["address"]


def test_a_small_latin1_file_is_not_read_as_chinese_and_german_headers_map(
        tmp_path: Path, capsys: Capture) -> None:
    f = tmp_path / "moebel.csv"
    f.write_bytes("Firma;Straße;PLZ;Ort;Land;Telefon;E-Mail;Bemerkung intern\n"
                  "Möbelhaus Krüger KG;Hauptstraße 5;50667;Köln;Deutschland;0221 123456;"
                  "info@krueger.de;x\n".encode("latin-1"))
    code, _, err = run(capsys, "import", str(f))
    assert code == 0, err
    assert "cp1252" in err and "columns not imported" in err and "Bemerkung intern" in err
    lead = json.loads(run(capsys, "leads", "--json")[1])[0]
    assert (lead["name"], lead["city"], lead["postcode"], lead["phone"]) == (
        "Möbelhaus Krüger KG", "Köln", "50667", "+49221123456")
    assert "Hauptstraße 5" in lead["address"]
    # The file name alone finds an import's leads.
    assert json.loads(run(capsys, "leads", "--json", "--source", "moebel.csv")[1])
    # --encoding overrules the detection.
    code, _, err = run(capsys, "import", str(f), "--encoding", "gb18030", "--source", "as-gb")
    assert "gb18030" in err
    code, _, err = run(capsys, "import", str(f), "--encoding", "klingon")
    assert code == 5 and "no such encoding" in err


def test_rejects_are_written_in_the_inputs_encoding(tmp_path: Path, capsys: Capture) -> None:
    f = tmp_path / "gb.csv"
    f.write_bytes("公司名称,电话,城市\n深圳市光明照明有限公司,+86 755 12345678,深圳\n,,深圳\n"
                  .encode("gb18030"))
    code, _, err = run(capsys, "import", str(f))
    assert code == 0 and "gb18030" in err and "1 rejected" in err
    text = (tmp_path / "gb.rejects.csv").read_bytes().decode("gb18030")
    assert "公司名称" in text


def test_a_failed_export_leaves_the_previous_file_whole(tmp_path: Path, capsys: Capture,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    run(capsys, "import", str(write(tmp_path / "l.csv", ROWS)), "--id-column", "id")
    target = tmp_path / "leads.csv"
    assert run(capsys, "export", "-o", str(target))[0] == 0
    before = target.read_bytes()
    assert before.count(b"\r\n") == 4 and stat.S_IMODE(target.stat().st_mode) == 0o600
    code, _, err = run(capsys, "export", "-o", str(target), "--sort", "bogus")
    assert code == 2 and "--sort 'bogus'" in err and target.read_bytes() == before
    code, _, err = run(capsys, "export", "-o", "/no/such/dir/x.csv")
    assert code == 1
    assert err.strip() == "Error: cannot write /no/such/dir/x.csv: there is no folder /no/such/dir"

    def broken(*args: object, **kw: object) -> int:
        raise OSError(28, "No space left on device")

    from prospect.storage import LeadBook

    monkeypatch.setattr(LeadBook, "write_csv_lines", broken)
    code, _, err = run(capsys, "export", "-o", str(target))
    assert code == 1 and "No space left" in err
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_help_groups_commands_shows_examples_and_no_odd_flags(capsys: Capture) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert out.index("Find leads:") < out.index("Vet them:") < out.index("Work the list:") \
        < out.index("Keep it fresh:") < out.index("The book:")
    assert "PROSPECT_BOOK" in out
    for command in cli.EXAMPLES:
        code, text, _ = run(capsys, command, "--help")
        assert code == 0 and "Examples:" in text and f"prospect {command}" in text
        assert "--no-no-" not in text and "<bool>" not in text and "<list" not in text


def test_exit_codes_follow_the_readme(tmp_path: Path, capsys: Capture) -> None:
    run(capsys, "import", str(write(tmp_path / "l.csv", ROWS)), "--id-column", "id")
    assert run(capsys, "leads", "--grade", "E")[0] == 2
    assert run(capsys, "mark", "1", "contaced")[0] == 2
    assert run(capsys, "leads", "--sort", "bogus")[0] == 2
    assert run(capsys, "vet", "--inquiry", str(tmp_path / "nope.eml"), "--offline")[0] == 5
    code, _, err = run(capsys, "rank", "--weights", str(tmp_path / "nope.toml"))
    assert code == 5 and "No such file" in err and "Errno" not in err
    assert run(capsys, "show", "999")[0] == 4


def test_dedupe_keeps_a_users_merge_and_unmerge_still_works(tmp_path: Path,
                                                            capsys: Capture) -> None:
    rows = [["id", "Company Name", "Website", "City", "Country"],
            ["1", "Hanse Licht GmbH", "hanse-licht.de", "Hamburg", "DE"],
            ["2", "Nordstern Leuchten KG", "nordstern-leuchten.de", "Kiel", "DE"],
            ["3", "Polaris Lampen AG", "polaris.ch", "Zürich", "CH"]]
    run(capsys, "import", str(write(tmp_path / "l.csv", rows)), "--id-column", "id")
    assert run(capsys, "merge", "2", "1")[0] == 0  # the user knows: one firm
    code, _, err = run(capsys, "dedupe")
    assert code == 0 and "2 leads before, 2 after" in err
    lead = json.loads(run(capsys, "show", "2", "--json")[1])
    assert len(lead["observations"]) == 2 and lead["lead"]["name"] == "Nordstern Leuchten KG"
    assert run(capsys, "unmerge", "2")[0] == 0
    names = sorted(x["name"] for x in json.loads(run(capsys, "leads", "--json")[1]))
    assert names == ["Hanse Licht GmbH", "Nordstern Leuchten KG", "Polaris Lampen AG"]
    assert all(len(json.loads(run(capsys, "show", str(i), "--json")[1])["observations"]) == 1
               for i in (1, 2, 3))


def test_forget_leaves_nothing_of_the_person_anywhere(tmp_path: Path, capsys: Capture) -> None:
    rows = [["id", "Company Name", "Contact", "Email", "Phone", "Description", "Country"],
            ["1", "Hanse Licht GmbH", "Jane Doe", "jane@hanse-licht.de", "+49 40 1234567",
             "Ask for Jane Doe (JANE@HANSE-LICHT.DE, 040 / 123 45 67).", "DE"],
            ["2", "Polaris AG", "", "info@polaris.ch", "", "Partner of Doe, Jane at Hanse", "CH"]]
    run(capsys, "import", str(write(tmp_path / "l.csv", rows)), "--id-column", "id")
    run(capsys, "note", "1", "called Jane Doe on +49 40 1234567, wrote to jane@hanse-licht.de")
    cache = Path(os.environ["PROSPECT_CACHE_DIR"])
    (cache / "ab").mkdir(parents=True)
    (cache / "ab" / "abcd").write_bytes(b'{}\n<p>Contact: jane@hanse-licht.de</p>')
    (cache / "cd").mkdir()
    (cache / "cd" / "cdef").write_bytes(b'{}\n<p>nothing personal</p>')
    logs = tmp_path / "log"
    logs.mkdir()
    os.environ["PROSPECT_LOG_DIR"] = str(logs)
    try:
        (logs / "prospect.log").write_text("run 1: jane@hanse-licht.de found\n", encoding="utf-8")
        for value in ("jane@hanse-licht.de", "+49 40 1234567", "Jane Doe"):
            assert run(capsys, "forget", value)[0] == 0
        book = Path(os.environ["PROSPECT_BOOK"])
        everything = (book.read_bytes() + _wal(book)).lower() + b"".join(
            p.read_bytes().lower() for p in [*cache.rglob("*"), *logs.rglob("*")] if p.is_file())
        for gone in (b"jane@hanse-licht.de", b"jane doe", b"doe, jane", b"1234567",
                     b"123 45 67"):
            assert gone not in everything, gone
        assert (cache / "cd" / "cdef").exists()  # other cached replies stay
        _, out, _ = run(capsys, "export")
        assert "Jane" not in out and "1234567" not in out
        # A re-import brings nobody back, through the description either.
        run(capsys, "import", str(write(tmp_path / "again.csv", [rows[0], ["9", *rows[1][1:]]])),
            "--id-column", "id")
        assert b"jane@hanse-licht.de" not in (book.read_bytes() + _wal(book)).lower()
    finally:
        del os.environ["PROSPECT_LOG_DIR"]


def test_cache_log_export_and_rejects_files_are_owner_only(tmp_path: Path, capsys: Capture,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    f = write(tmp_path / "l.csv", [*ROWS, ["5", "", "", "", "", "", "", ""]])
    monkeypatch.setenv("PROSPECT_BOOK", str(tmp_path / "b.db"))
    monkeypatch.setenv("PROSPECT_LOG_DIR", str(tmp_path / "log"))
    from prospect.http import DiskCache

    old = os.umask(0o022)  # the usual umask: files anyone may read unless made otherwise
    try:
        for args in (["import", str(f), "--id-column", "id"],
                     ["export", "-o", str(tmp_path / "x.csv")], ["refresh", "--no-vet"]):
            run(capsys, *args)
        DiskCache(tmp_path / "cache").put("ab" * 32, {}, b"x")
    finally:
        os.umask(old)
    for made in (tmp_path / "x.csv", tmp_path / "l.rejects.csv", tmp_path / "log" / "prospect.log"):
        assert stat.S_IMODE(made.stat().st_mode) == 0o600, made
    assert stat.S_IMODE((tmp_path / "cache" / "ab" / ("ab" * 32)).stat().st_mode) == 0o600


def test_no_formula_reaches_a_file_through_a_source_name_or_a_header(tmp_path: Path,
                                                                     capsys: Capture) -> None:
    f = write(tmp_path / "l.csv", [["name", "=cmd|' /C calc'!A0", "country"],
                                   ["Hanse Licht GmbH", "x", "DE"], ["a", "b", "c", "d"]])
    code, _, err = run(capsys, "import", str(f), "--source", '=HYPERLINK("http://evil")')
    assert code == 0, err
    for args in (["export"], ["export", "--columns", "name,sources"], ["export", "--preset",
                                                                        "salesforce"]):
        _, out, _ = run(capsys, *args)
        cells = [c for row in csv.reader(io.StringIO(out)) for c in row]
        assert not any(c.startswith(("=", "@")) for c in cells), (args, cells)
    text = (tmp_path / "l.rejects.csv").read_text(encoding="utf-8")
    assert "'=cmd" in text and not any(c.startswith("=") for row in csv.reader(io.StringIO(text))
                                       for c in row)


def test_another_programs_sqlite_file_is_left_as_it_was(tmp_path: Path, capsys: Capture) -> None:
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (body TEXT)")
    con.commit()
    con.close()
    before = other.read_bytes()
    code, _, err = run(capsys, "--book", str(other), "leads")
    assert code == 3 and "not a lead book" in err
    assert other.read_bytes() == before  # not even switched to WAL


def test_doctor_finds_damage_in_the_middle_of_a_book(tmp_path: Path, capsys: Capture) -> None:
    rows = [["id", "name", "city"]] + [[str(i), f"Shop {i} " + "x" * 200, "Berlin"]
                                       for i in range(3000)]
    book = tmp_path / "b.db"
    run(capsys, "--book", str(book), "import", str(write(tmp_path / "l.csv", rows)),
        "--id-column", "id")
    code, _, err = run(capsys, "--book", str(book), "doctor")
    assert code == 0 and "ok" in err and "3000 observations" in err
    data = bytearray(book.read_bytes())
    middle = len(data) // 2 // 4096 * 4096
    data[middle:middle + 40 * 4096] = os.urandom(40 * 4096)
    book.write_bytes(bytes(data))
    code, _, err = run(capsys, "--book", str(book), "doctor")
    assert code == 3 and "damaged" in err


def test_duplicate_headers_keep_both_columns(tmp_path: Path, capsys: Capture) -> None:
    f = write(tmp_path / "d.csv", [["Phone", "Name", "Phone", "Country"],
                                   ["+49 30 1111111", "Hanse GmbH", "+49 30 2222222", "DE"]])
    code, _, err = run(capsys, "import", str(f))
    # The second is a phone too, taken by the rows whose first is empty: none is left out.
    assert code == 0 and "not imported" not in err
    lead = json.loads(run(capsys, "leads", "--json")[1])[0]
    obs = json.loads(run(capsys, "show", str(lead["id"]), "--json")[1])["observations"][0]
    assert lead["phone"] == "+49301111111" and obs["raw"]["Phone (2)"] == "+49 30 2222222"


def test_where_a_lead_is_is_kept_shown_exported_and_filtered(tmp_path: Path,
                                                             capsys: Capture) -> None:
    rows = [["id", "name", "city", "lat", "lng"],
            ["1", "Elbkaffee", "Hamburg", "53.5511", "9.9937"],
            ["2", "Alster Bohnen", "Hamburg", "53.5753", "10.0153"],
            ["3", "Isar Röster", "München", "48.1351", "11.5820"],
            ["4", "Nirgendwo GmbH", "", "0", "0"]]
    run(capsys, "import", str(write(tmp_path / "g.csv", rows)), "--id-column", "id")
    leads = {x["name"]: x for x in json.loads(run(capsys, "leads", "--json")[1])}
    assert (leads["Elbkaffee"]["latitude"], leads["Elbkaffee"]["longitude"]) == (53.5511, 9.9937)
    assert leads["Nirgendwo GmbH"]["latitude"] is None  # 0,0 means unknown
    near = json.loads(run(capsys, "leads", "--json", "--near", "53.55,9.99", "--within", "5")[1])
    assert sorted(x["name"] for x in near) == ["Alster Bohnen", "Elbkaffee"]
    assert run(capsys, "leads", "--near", "north")[0] == 2
    nearest = json.loads(run(capsys, "leads", "--json", "--near", "48.14,11.58", "--within", "1000",
                             "--sort", "distance")[1])
    assert [x["name"] for x in nearest] == ["Isar Röster", "Elbkaffee", "Alster Bohnen"]
    code, _, err = run(capsys, "leads", "--sort", "distance")
    assert code == 2 and "--near" in err
    _, out, _ = run(capsys, "export", "--near", "48.14,11.58", "--within", "2")
    exported = list(csv.DictReader(io.StringIO(out)))
    assert [r["name"] for r in exported] == ["Isar Röster"] and exported[0]["latitude"] == "48.1351"
    _, out, _ = run(capsys, "show", str(leads["Elbkaffee"]["id"]))
    assert "latitude" in out and "53.5511" in out


def test_map_sources_give_positions() -> None:
    from prospect.models import normalize_fields
    from prospect.sources.directories import sparql_companies
    from prospect.sources.maps import element_fields

    node = element_fields({"type": "node", "lat": 41.99, "lon": 21.43, "tags": {"name": "A"}})
    way = element_fields({"type": "way", "center": {"lat": 53.5, "lon": 9.9}, "tags": {"name": "B"}})
    assert (node["latitude"], node["longitude"]) == ("41.99", "21.43")
    assert normalize_fields(way)["latitude"] == "53.5"
    data = {"results": {"bindings": [{"item": {"value": "http://www.wikidata.org/entity/Q1"},
                                      "itemLabel": {"value": "Hanse Licht"},
                                      "coord": {"value": "Point(9.99 53.55)"}}]}}
    [(_, fields)] = sparql_companies(data)
    assert (fields["latitude"], fields["longitude"]) == ("53.55", "9.99")


def test_bad_coordinates_are_read_or_left_out_with_a_reason(tmp_path: Path,
                                                            capsys: Capture) -> None:
    rows = [["name", "latitude", "longitude"],
            ["Berlin DMS", "52°31'12.5\"N", "13°24'18\"E"],
            ["Berlin swapped", "13°24'18\"E", "52°31'12.5\"N"],
            ["Sydney swapped", "151.2093", "-33.8688"],
            ["Null Island GmbH", "0", "0"],
            ["Nowhere Ltd", "95.5", "200"],
            ["Text Inc", "near the station", "13.4"]]
    book = tmp_path / "b.db"
    code, _, err = run(capsys, "--book", str(book), "import",
                       str(write(tmp_path / "geo.csv", rows)))
    assert code == 0 and "0 rejected, 5 imported with a value left out or corrected" in err
    with sqlite3.connect(book) as conn:
        placed = dict(conn.execute("SELECT name, latitude || ',' || longitude FROM leads"))
    assert placed["Berlin DMS"] == placed["Berlin swapped"] == "52.520139,13.405"
    assert placed["Sydney swapped"] == "-33.8688,151.2093"
    assert placed["Null Island GmbH"] is None and placed["Nowhere Ltd"] is None
    assert placed["Text Inc"] is None
    reasons = (tmp_path / "geo.rejects.csv").read_text(encoding="utf-8")
    assert "null island" in reasons and "swapped" in reasons and "out of range" in reasons


def test_a_lead_known_by_its_vat_number_alone_is_listed_by_it(tmp_path: Path,
                                                               capsys: Capture) -> None:
    f = write(tmp_path / "firms.csv", [["name", "vat", "city"], ["", "DE123456789", "Hamburg"],
                                       ["Acme GmbH", "", "Kiel"]])
    code, _, err = run(capsys, "import", str(f))
    assert code == 0 and "2 new leads" in err
    code, out, _ = run(capsys, "leads")
    names = [line.split("\t")[4] for line in out.splitlines()[1:]]
    assert sorted(names) == ["Acme GmbH", "VAT DE123456789"]


def test_export_to_an_xlsx_file_writes_a_workbook_with_text_kept_as_text(
        tmp_path: Path, capsys: Capture) -> None:
    from openpyxl import load_workbook

    run(capsys, "import", str(write(tmp_path / "l.csv", ROWS)), "--id-column", "id")
    target = tmp_path / "leads.xlsx"
    code, _, err = run(capsys, "export", "-o", str(target), "--columns", "id,name,phone")
    assert code == 0 and "exported" in err
    sheet = load_workbook(target).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["id", "name", "phone"]
    assert all(isinstance(r[0], int) for r in rows[1:])  # numbers stay numbers
    cells = {c.value: c.data_type for row in sheet.iter_rows(min_row=2) for c in row}
    # A name that reads like a formula is text, run by nothing; a phone keeps its "+".
    assert cells['=HYPERLINK("http://evil")'] == "s"
    assert cells["+442079460958"] == "s"
    # Explicitly asked, the format wins over the name; a workbook is no stream.
    code, _, err = run(capsys, "export", "--format", "xlsx")
    assert code == 2 and "-o FILE.xlsx" in err


def test_an_export_larger_than_a_sheet_holds_is_refused_and_writes_nothing(
        tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    from prospect import csvio

    run(capsys, "import", str(write(tmp_path / "l.csv", ROWS)), "--id-column", "id")
    monkeypatch.setattr(csvio, "_XLSX_ROWS", 2)  # a header and one row
    target = tmp_path / "leads.xlsx"
    code, _, err = run(capsys, "export", "-o", str(target))
    assert code == 2 and "as CSV" in err
    assert not target.exists() and not list(tmp_path.glob(".leads.xlsx.*"))


def test_import_of_dash_reads_standard_input(tmp_path: Path, capsys: Capture,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # "curl ... | prospect import -": piped in, imported, the temporary copy gone after.
    data = "Firma;Telefon;Ort\nRöstwerk GmbH;+49 40 1234567;Hamburg\n;;Kiel\n".encode("cp1252")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    code, _, err = run(capsys, "import", "-")
    assert code == 0 and "1 new leads" in err and "1 rejected" in err
    lead = json.loads(run(capsys, "leads", "--json")[1])[0]
    assert lead["name"] == "Röstwerk GmbH" and lead["sources"] == ["import:stdin"]
    assert (tmp_path / "stdin.rejects.csv").exists()
    assert not list((tmp_path / "tmp").iterdir())


def test_an_import_names_at_most_twenty_columns_it_left_out(tmp_path: Path,
                                                           capsys: Capture) -> None:
    # A map scraper's JSON flattened: each review's parts are columns of their own.
    path = tmp_path / "places.json"
    path.write_text(json.dumps([{"title": "Café Lento", "phone": "+49 30 1234567",
                                 "reviews": [{"text": "gut", "stars": 5, "by": "A"}] * 10}]),
                    encoding="utf-8")
    code, _, err = run(capsys, "import", str(path))
    left = err.split("raw data): ")[1].split("; use --map")[0]
    assert code == 0 and left.endswith(" and 10 more") and left.count(",") == 19


def test_an_export_of_observations_keeps_to_the_limit_and_order_of_leads(
        tmp_path: Path, capsys: Capture) -> None:
    run(capsys, "import", str(write(tmp_path / "l.csv", ROWS)), "--id-column", "id")
    leads = json.loads(run(capsys, "leads", "--json", "--sort", "name")[1])
    code, out, _ = run(capsys, "export", "--observations", "--sort", "name", "--limit", "2",
                       "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    # The two leads first by name, in that order, each with all its observations.
    assert code == 0 and list(dict.fromkeys(r["lead_id"] for r in rows)) == [
        lead["id"] for lead in leads[:2]]
    assert len(rows) == sum(lead["observation_count"] for lead in leads[:2])
