"""Working the list from the command line: mark, note, follow-ups, rank, tiers, CRM exports."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from conftest import DeadPool
from test_cli import Capture, run, write

ROWS = [
    ["company", "contact", "email", "phone", "city", "country", "address", "postcode"],
    ["Hanse LED Handel GmbH", "Jana Brandt", "jana@hanse-led.de", "+49 40 3000 1000", "Hamburg",
     "DE", "Speicherstadt 1", "20457"],
    ["Lumen Import BV", "", "info@lumen-import.nl", "+31 20 555 0100", "Amsterdam", "NL", "", ""],
    ["=Nordlicht Trading", "Ole Berg", "ole@nordlicht.no", "+47 22 00 00 00", "Oslo", "NO", "", ""],
]


@pytest.fixture
def book(tmp_path: Path, capsys: Capture) -> list[int]:
    code, _, err = run(capsys, "import", str(write(tmp_path / "leads.csv", ROWS)))
    assert code == 0, err
    _, out, _ = run(capsys, "leads", "--json")
    return [lead["id"] for lead in json.loads(out)]


def test_mark_note_and_the_follow_ups_that_went_quiet(book: list[int], capsys: Capture) -> None:
    hanse, lumen, _ = book
    assert run(capsys, "mark", str(hanse), "contacted", "--note", "sent catalogue")[0] == 0
    assert run(capsys, "note", str(hanse), "called; wants CIF Hamburg")[0] == 0
    assert run(capsys, "mark", str(lumen), "contacted")[0] == 0
    code, _, err = run(capsys, "mark", str(hanse), "hot")
    assert code == 2 and "new, contacted, replied" in err
    assert run(capsys, "mark", "999", "contacted")[0] == 4  # unknown lead
    code, out, _ = run(capsys, "show", str(hanse))
    assert "status -> contacted: sent catalogue" in out and "note: called; wants CIF Hamburg" in out
    code, out, _ = run(capsys, "leads", "--status", "contacted", "--json")
    assert sorted(x["id"] for x in json.loads(out)) == sorted([hanse, lumen])
    code, out, _ = run(capsys, "leads", "--status", "contacted", "--not-touched", "14", "--json")
    assert json.loads(out) == []  # both were touched just now
    code, out, _ = run(capsys, "leads", "--status", "new", "--json")
    assert len(json.loads(out)) == 1


def test_rank_with_a_weights_file_and_tiers(book: list[int], capsys: Capture, tmp_path: Path) -> None:
    hanse, lumen, nord = book
    assert run(capsys, "set", str(lumen), "order_value=40,000")[0] == 0
    assert run(capsys, "set", str(hanse), "order_value=5000")[0] == 0
    assert run(capsys, "set", str(nord), "order_value=800")[0] == 0
    code, _, err = run(capsys, "set", str(hanse), "order_value=lots")
    assert code == 2 and "not a number" in err
    weights = tmp_path / "weights.toml"
    weights.write_text("""
[criteria.profit]
measure = "order_value"
[criteria.loyalty]
measure = "interactions"
[judgments]
profit.loyalty = 7
""")
    code, out, err = run(capsys, "rank", "--weights", str(weights), "--show-weights")
    assert code == 0, err
    assert "0.875" in out and "0.125" in out  # 7:1 -> 7/8 and 1/8
    assert "consistency ratio 0.000" in out and "order_value" in out
    code, out, _ = run(capsys, "rank", "--weights", str(weights), "--json")
    data = json.loads(out)
    assert [row["id"] for row in data["top"]] == [lumen, hanse, nord]
    code, out, _ = run(capsys, "leads", "--sort", "rank", "--json")
    assert json.loads(out)[0]["id"] == lumen
    assert run(capsys, "mark", str(nord), "customer")[0] == 0
    run(capsys, "rank", "--weights", str(weights))
    code, out, _ = run(capsys, "tiers", "--json")
    tiers = json.loads(out)
    assert tiers["customer"] == {"customer": 1}
    assert sum(sum(v.values()) for v in tiers.values()) == 3
    code, out, _ = run(capsys, "tiers")
    assert code == 0 and "customer" in out and "total" in out


def test_bad_weights_are_reported_by_line_and_inconsistency_warned(
        book: list[int], capsys: Capture, tmp_path: Path) -> None:
    weights = tmp_path / "w.toml"
    weights.write_text('[criteria.a]\nmeasure = "vetting"\n[criteria.b]\nmeasure = "sources"\n'
                       '[judgments]\na.b = 10\n')
    code, _, err = run(capsys, "rank", "--weights", str(weights))
    assert code == 1 and f"{weights}: line 6: " in err and "outside Saaty's scale" in err
    weights.write_text('[criteria.a]\nmeasure = "vetting"\n[criteria.b]\nmeasure = "sources"\n'
                       '[criteria.c]\nmeasure = "stage"\n'
                       '[judgments]\na.b = 9\nb.c = 9\nc.a = 9\n')  # a > b > c > a
    code, _, err = run(capsys, "rank", "--weights", str(weights))
    assert code == 0 and "consistency ratio" in err and "exceeds 0.10" in err


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_crm_presets(book: list[int], capsys: Capture, tmp_path: Path) -> None:
    hanse = book[0]
    run(capsys, "mark", str(hanse), "replied", "--note", "asked for prices")
    run(capsys, "rank")
    code, out, _ = run(capsys, "export", "--preset", "salesforce")
    rows = {r["Company"]: r for r in _csv(out)}
    assert code == 0
    assert rows["Hanse LED Handel GmbH"]["Lead Status"] == "Working - Contacted"
    assert rows["Hanse LED Handel GmbH"]["First Name"] == "Jana"
    assert rows["Hanse LED Handel GmbH"]["Last Name"] == "Brandt"
    assert rows["Lumen Import BV"]["Last Name"] == "(unknown)"
    # CRMs import an apostrophe literally: a phone number goes as it is.
    assert rows["Hanse LED Handel GmbH"]["Phone"] == "+494030001000"
    assert rows["Hanse LED Handel GmbH"]["Rating"] in ("Hot", "Warm", "Cold")
    assert "asked for prices" in rows["Hanse LED Handel GmbH"]["Description"]
    assert "'=Nordlicht Trading" in rows  # formula-safe as every export
    code, out, _ = run(capsys, "export", "--preset", "hubspot")
    hub = _csv(out)
    assert list(hub[0])[:2] == ["Company name", "Company Domain Name"]
    assert {r["Lifecycle Stage"] for r in hub} == {"lead", "marketingqualifiedlead"}
    code, out, _ = run(capsys, "export", "--preset", "pipedrive")
    pipe = {r["Organization - Name"]: r for r in _csv(out)}
    assert pipe["Lumen Import BV"]["Person - Phone"] == "+31205550100"
    assert hub[0]["Phone Number"].startswith("+")
    assert pipe["Hanse LED Handel GmbH"]["Organization - Address"] == "Speicherstadt 1, 20457 Hamburg, DE"
    assert pipe["Lumen Import BV"]["Organization - Address"] == "Amsterdam, NL"
    code, out, _ = run(capsys, "export")
    plain = {r["name"]: r for r in _csv(out)}
    assert plain["Lumen Import BV"]["phone"] == "+31205550100"  # the SQL path guards alike
    assert plain["Hanse LED Handel GmbH"]["status"] == "replied"
    assert "replied: asked for prices" in plain["Hanse LED Handel GmbH"]["activity"]


def test_a_preset_of_ones_own_from_the_config(book: list[int], capsys: Capture, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[export.presets.mycrm]\ncolumns = {"Account" = "name", "Stage" = "status"}\n'
                      '[export.presets.mycrm.values.status]\nnew = "Prospect"\n')
    monkeypatch.setenv("PROSPECT_CONFIG", str(config))
    code, out, err = run(capsys, "export", "--preset", "mycrm")
    assert code == 0, err
    rows = _csv(out)
    assert list(rows[0]) == ["Account", "Stage"] and {r["Stage"] for r in rows} == {"Prospect"}
    config.write_text('[export.presets.broken]\ncolumns = {"Account" = "nmae"}\n')
    code, _, err = run(capsys, "export", "--preset", "broken")
    assert code == 1 and "unknown column 'nmae'" in err
    config.unlink()
    code, _, err = run(capsys, "export", "--preset", "nosuch")
    assert code == 2 and "hubspot" in err


@pytest.mark.parametrize("ranges", ["no", "workers", "dead workers"])
def test_the_fast_csv_path_writes_the_cells_the_general_one_does(
        book: list[int], capsys: Capture, monkeypatch: pytest.MonkeyPatch, ranges: str) -> None:
    from prospect import parallel_csv, workers
    from prospect.csvio import write_csv, write_header
    from prospect.presets import EXPORT_COLUMNS
    from prospect.storage import LeadBook, LeadFilter

    if ranges != "no":  # ranges of one id: every lead is formatted by a worker process
        monkeypatch.setattr(parallel_csv, "RANGE", 1)
        monkeypatch.setattr(parallel_csv, "FROM_SPAN", 0)
    if ranges == "dead workers":  # ... or, where they died, by this one
        monkeypatch.setattr(workers, "ProcessPoolExecutor", DeadPool)

    hanse, lumen = book[:2]
    run(capsys, "mark", str(hanse), "replied", "--note", "=SUM(A1) asked for prices")
    run(capsys, "note", str(hanse), "called; 采购经理")
    run(capsys, "set", str(lumen), "order_value=-5")
    run(capsys, "note", str(lumen), 'said "call back",\r\nTuesday')  # all a cell must quote
    run(capsys, "rank")
    lead_book = LeadBook.open(Path(os.environ["PROSPECT_BOOK"]))
    flt = LeadFilter(include_suppressed=False)
    slow = io.StringIO()
    # The ranges' bytes go under a real file's text layer, after its header.
    path = Path(os.environ["PROSPECT_BOOK"]).with_name("fast.csv")
    with path.open("w", encoding="utf-8", newline="") as fh:
        write_header(EXPORT_COLUMNS, fh)
        count = lead_book.write_csv_lines(flt, EXPORT_COLUMNS, fh)
    fast = path.read_bytes().decode("utf-8")
    activity = lead_book.activity_texts()
    write_csv(({**row, "activity": activity.get(row["id"], "")} for row in lead_book.leads(flt)),
              EXPORT_COLUMNS, slow)
    assert fast == slow.getvalue()
    assert count == len(list(lead_book.leads(flt))) >= 2
    assert "'=Nordlicht" in fast and "采购经理" in fast
    cells = {r["id"]: r for r in csv.DictReader(io.StringIO(fast, newline=""))}
    assert cells[str(lumen)]["activity"].endswith('note: said "call back",\r\nTuesday')
    lead_book.close()


@pytest.mark.parametrize(("name", "first", "last"), [
    ("Jana Brandt", "Jana", "Brandt"),
    ("Dr. Hans-Peter von Müller", "Hans-Peter", "von Müller"),
    ("王伟", "伟", "王"),
    ("欧阳娜娜", "娜娜", "欧阳"),
    ("Madonna", "", "Madonna"),
    ("", "", "(unknown)"),
])
def test_a_contacts_first_and_last_name(name: str, first: str, last: str) -> None:
    from prospect.presets import person_columns

    split = person_columns(name)
    assert (split["contact_first_name"], split["contact_last_name"]) == (first, last)


@pytest.mark.parametrize(("cell", "safe"), [
    ("+494030001000", "+494030001000"), ("-73.985", "-73.985"), ("+49 (40) 300-1000", "+49 (40) 300-1000"),
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("@SUM(A1)", "'@SUM(A1)"), ("-", "'-"), ("\tx", "'\tx"), ("+49a", "'+49a"),
])
def test_the_formula_guard_is_the_same_in_python_and_sql(cell: str, safe: str) -> None:
    import sqlite3

    from prospect.csvio import neutralise
    from prospect.storage.reading import _formula_guard

    sql = sqlite3.connect(":memory:").execute(f"SELECT {_formula_guard('?1')}", [cell]).fetchone()[0]
    assert neutralise(cell) == sql == safe
