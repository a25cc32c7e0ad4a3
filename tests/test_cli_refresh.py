"""`prospect refresh`, `searches`, `runs` and `schedule` against a local server whose data changes."""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.process
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import recorded, serving
from test_cli import Capture, run

from prospect.ingest.engine import ingest
from prospect.refresh import book_lock

HIDDEN: set[int] = set()  # shops (element indexes) the server leaves out of the Overpass reply
SLOW: list[float] = []  # seconds the Overpass reply takes
GLEIF_STATUS = ["ACTIVE"]  # the entity status GLEIF reports for the one LEI it knows


class Recorded(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def _reply(self, body: str) -> None:
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _route(self) -> None:
        path = urlsplit(self.path).path
        if path.startswith("/nominatim"):
            self._reply(recorded("nominatim/search-ottawa-ontario.json"))
        elif path.startswith("/gleif/lei-records/"):
            record = json.loads(recorded("gleif/lei-record-549300LBI3LRIZ2V8V66-lapsed.json"))
            record["data"]["attributes"]["entity"]["status"] = GLEIF_STATUS[0]
            self._reply(json.dumps(record))
        elif path.startswith("/gleif/"):
            self._reply(json.dumps({"data": [], "meta": {"pagination": {"total": 0}}}))
        else:
            if SLOW:
                time.sleep(SLOW[0])
            data = json.loads(recorded("overpass/nodes-amenity-fast_food-skopje.json"))
            data["elements"] = [e for i, e in enumerate(data["elements"]) if i not in HIDDEN]
            self._reply(json.dumps(data))

    def do_GET(self) -> None:
        self._route()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._route()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    with serving(Recorded) as nominatim, serving(Recorded) as overpass:
        for name, path, httpd in (("NOMINATIM", "/nominatim", nominatim),
                                  ("OVERPASS", "/overpass", overpass)):
            monkeypatch.setenv(f"PROSPECT_{name}_URL",
                               f"http://127.0.0.1:{httpd.server_address[1]}{path}")
        monkeypatch.setenv("PROSPECT_LOG_DIR", str(tmp_path / "log"))
        monkeypatch.setenv("PROSPECT_GLEIF_URL",
                           f"http://127.0.0.1:{nominatim.server_address[1]}/gleif")
        for name in ("DUCKDUCKGO", "RDAP_BOOTSTRAP", "VIES", "EDGAR"):  # nothing listens there
            monkeypatch.setenv(f"PROSPECT_{name}_URL", "http://127.0.0.1:9/")
        monkeypatch.setenv("PROSPECT_DNS_SERVERS", "127.0.0.1:9")
        monkeypatch.setenv("PROSPECT_HTTP_TIMEOUT", "2")
        HIDDEN.clear()
        SLOW.clear()
        GLEIF_STATUS[:] = ["ACTIVE"]
        yield


def test_refresh_reports_only_changes_and_marks_closed_shops(server: None, cli_no_waiting: None,
                                                             capsys: Capture,
                                                             tmp_path: Path) -> None:
    HIDDEN.update({0, 1})  # the first two shops open later
    code, _, err = run(capsys, "search", "--no-enrich", "fast food", "--in", "Skopje", "--source", "osm",
                       "--limit", "200", "--save", "food")
    assert code == 0, err
    # Just saved, so not due: a quiet refresh says nothing (cron sends no empty mail).
    code, out, _ = run(capsys, "refresh", "--quiet", "--no-vet")
    assert (code, out) == (0, "")
    HIDDEN.discard(1)  # the second shop opens
    code, out, _ = run(capsys, "refresh", "--search", "food", "--no-vet", "--force")
    assert code == 0 and "1 new lead(s)" in out and "New leads:" in out and "0 gone quiet" in out
    HIDDEN.add(1)  # ... and closes again
    code, out, _ = run(capsys, "refresh", "--search", "food", "--no-vet", "--force")
    assert code == 0
    assert "Gone quiet" in out and "not seen since" in out and "0 new lead(s)" in out
    code, out, _ = run(capsys, "leads", "--json")
    quiet = [lead for lead in json.loads(out) if lead["quiet_since"]]
    assert len(quiet) == 1  # kept, not deleted
    code, out, _ = run(capsys, "runs", "--json")
    runs = json.loads(out)
    assert [r["status"] for r in runs] == ["ok", "ok", "ok"] and runs[0]["changes"]["quiet"]
    assert runs[1]["changes"]["new_leads"]
    assert (tmp_path / "log" / "prospect.log").read_text().count("started") == 3
    code, out, _ = run(capsys, "searches", "--json")
    assert json.loads(out)[0]["name"] == "food"
    assert run(capsys, "searches", "--remove", "food")[0] == 0
    assert run(capsys, "refresh", "--search", "food")[0] == 1  # no such saved search now


def test_a_second_refresh_exits_at_once(server: None, capsys: Capture, tmp_path: Path) -> None:
    book = tmp_path / "book.db"
    assert run(capsys, "--book", str(book), "search", "--no-enrich", "x", "--in", "Skopje", "--source", "osm",
               "--save", "s")[0] == 0
    with book_lock(book):
        code, _, err = run(capsys, "--book", str(book), "refresh", "--no-vet")
    assert code == 8 and "another refresh is running" in err
    code, _, _ = run(capsys, "--book", str(book), "leads")  # readers are not blocked
    assert code == 0


def test_schedule_prints_the_crontab_line(capsys: Capture, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "--book", str(tmp_path / "b.db"), "schedule", "--daily", "--at", "07:15")
    assert code == 0
    line = out.splitlines()[0]
    assert line.startswith("15 7 * * * PROSPECT_BOOK=")
    assert str(tmp_path / "b.db") in line and "refresh --quiet" in line
    assert line.rstrip().endswith("# prospect refresh")
    code, _, err = run(capsys, "schedule", "--weekly", "--at", "25:00")
    assert code == 2 and "HH:MM" in err



def _book_state(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """What a refresh decides, without the clock: observations, leads, listings."""
    con = sqlite3.connect(path)
    state = {
        "observations": sorted(con.execute(
            "SELECT o.source, o.reference, o.fields, l.name FROM observations o "
            "JOIN leads l ON l.id = o.lead_id").fetchall()),
        "leads": sorted(con.execute(
            "SELECT name, domain, phone, address, observation_count, suppressed, "
            "quiet_since IS NOT NULL FROM leads").fetchall(), key=repr),
        "listed": sorted(con.execute(
            "SELECT s.search, l.name FROM search_leads s JOIN leads l ON l.id = s.lead_id"
        ).fetchall(), key=repr),
    }
    con.close()
    return state


def _refresh_process(book: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PROSPECT_BOOK": str(book)}
    return subprocess.Popen([sys.executable, "-m", "prospect", "refresh", "--force", "--no-vet"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _refresh_body(env: dict[str, str]) -> None:
    """A refresh run in a process the fork server starts, prospect already imported."""
    os.environ.clear()
    os.environ.update(env)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.argv = ["prospect", "refresh", "--force", "--no-vet"]
    from prospect.cli import main

    main()


def _started() -> None:
    """Nothing: a process that shows the fork server is up."""


def _forked_refresh(book: Path | None) -> multiprocessing.process.BaseProcess:
    """Start a refresh of ``book`` in a process of its own, without a new interpreter's start-up.

    A SIGKILL ends it as it ends ``prospect refresh`` from a shell; the fork server (one
    process, no threads, prospect imported once) saves each run the interpreter's start and
    the imports, which are most of a small refresh's time.
    """
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["prospect.cli"])
    if book is None:  # start the fork server (and its imports), so that runs are timed alone
        proc = ctx.Process(target=_started)
        proc.start()
        proc.join(60)
        return proc
    proc = ctx.Process(target=_refresh_body, args=({**os.environ, "PROSPECT_BOOK": str(book)},))
    proc.start()
    return proc


def _integrity(book: Path) -> str:
    con = sqlite3.connect(book)
    try:
        return str(con.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        con.close()


def test_refresh_killed_at_random_points_ends_as_an_uninterrupted_one(
        server: None, capsys: Capture, tmp_path: Path) -> None:
    start = tmp_path / "start.db"
    HIDDEN.add(0)
    assert run(capsys, "--book", str(start), "search", "--no-enrich", "x", "--in", "Skopje",
               "--source", "osm", "--limit", "200", "--save", "s")[0] == 0
    HIDDEN.clear()
    HIDDEN.add(5)  # by the refresh, shop 0 opened and shop 5 closed: both paths write
    reference, faulted = tmp_path / "reference.db", tmp_path / "faulted.db"
    for copy in (reference, faulted):  # the backup API: the book is in WAL mode, still open
        with closing(sqlite3.connect(start)) as src, closing(sqlite3.connect(copy)) as dst:
            src.backup(dst)
    _forked_refresh(None)
    began = time.monotonic()
    proc = _forked_refresh(reference)
    proc.join(60)
    span = time.monotonic() - began
    assert proc.exitcode == 0
    rng = random.Random(20261122)
    kills = attempts = 0
    # Kill points spread over the whole run (opening the book, fetch, ingest, commit) until
    # 10 kills landed; a run that finished before its kill point is no kill, so count only
    # real ones and bound the attempts. Timing on a loaded CI machine varies: a run that
    # ended before its kill point shows that runs may take no longer than that.
    while kills < 10 and attempts < 40:
        attempts += 1
        proc = _forked_refresh(faulted)
        wait = rng.uniform(0, span * 0.9)
        time.sleep(wait)
        proc.kill()
        proc.join(60)
        if proc.exitcode == -signal.SIGKILL:
            kills += 1
        else:
            span = min(span, wait)
        assert _integrity(faulted) == "ok"
    assert kills == 10
    proc = _forked_refresh(faulted)
    proc.join(60)
    assert proc.exitcode == 0
    assert _book_state(faulted) == _book_state(reference)
    assert sum(1 for lead in _book_state(reference)["leads"] if lead[-1]) == 1  # shop 5 is quiet


def test_sigterm_stops_a_refresh_at_a_safe_point(server: None, capsys: Capture,
                                                 tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    book = tmp_path / "book.db"
    assert run(capsys, "--book", str(book), "search", "--no-enrich", "x", "--in", "Skopje", "--source", "osm",
               "--limit", "200", "--save", "s")[0] == 0
    SLOW.append(30.0)  # the Overpass reply would take 30 s
    monkeypatch.setenv("PROSPECT_HTTP_TIMEOUT", "60")  # and no read timeout ends it sooner
    proc = _refresh_process(book)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # wait until the run is under way (its record exists)
        con = sqlite3.connect(book)
        running = con.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchone()[0]
        con.close()
        if running:
            break
        time.sleep(0.05)
    time.sleep(0.5)  # mid-run: waiting for the slow Overpass reply
    proc.send_signal(signal.SIGTERM)
    sent = time.monotonic()
    _, err = proc.communicate(timeout=60)
    assert time.monotonic() - sent < 4, err  # whatever it was waiting on
    assert proc.returncode == 130 and _integrity(book) == "ok"
    assert b"stopping" in err
    con = sqlite3.connect(book)
    assert [r[0] for r in con.execute("SELECT status FROM runs")] == ["interrupted"]
    con.close()


CRONTAB_STANDIN = """#!/bin/sh
# crontab stand-in: the user's table is the file $CRONTAB_FILE
if [ "$1" = "-l" ]; then
  [ -f "$CRONTAB_FILE" ] || { echo "no crontab for $USER" >&2; exit 1; }
  cat "$CRONTAB_FILE"
elif [ "$1" = "-" ]; then
  cat > "$CRONTAB_FILE"
else
  cp "$1" "$CRONTAB_FILE"
fi
"""


def test_schedule_installs_and_removes_only_its_own_line(
        capsys: Capture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "crontab").write_text(CRONTAB_STANDIN)
    (bin_dir / "crontab").chmod(0o755)
    table = tmp_path / "crontab.txt"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("CRONTAB_FILE", str(table))
    book = str(tmp_path / "b.db")
    # No crontab yet: installing creates one.
    assert run(capsys, "--book", book, "schedule", "--daily", "--install")[0] == 0
    assert table.read_text().count("# prospect refresh") == 1
    theirs = "MAILTO=me@example.org\n0 1 * * * backup.sh  # nightly backup\n"
    table.write_text(theirs + table.read_text())
    for _ in range(2):  # idempotent, and a new time replaces our line
        code, _, err = run(capsys, "--book", book, "schedule", "--weekly", "--at", "05:45",
                           "--install")
        assert code == 0, err
    lines = table.read_text().splitlines()
    ours = [line for line in lines if line.endswith("# prospect refresh")]
    assert len(ours) == 1 and ours[0].startswith("45 5 * * 1 ")
    assert table.read_text().startswith(theirs)
    assert run(capsys, "--book", book, "schedule", "--remove")[0] == 0
    assert table.read_text() == theirs  # the other lines are untouched


def test_refresh_end_to_end_a_new_shop_a_closed_one_and_a_lapsed_registry_entry(
        server: None, cli_no_waiting: None, capsys: Capture, tmp_path: Path) -> None:
    HIDDEN.update({0, *range(4, 200)})  # the server lists shops 1, 2 and 3
    assert run(capsys, "search", "--no-enrich", "fast food", "--in", "Skopje", "--source", "osm",
               "--limit", "200", "--save", "food")[0] == 0
    fund = tmp_path / "fund.csv"
    fund.write_text("name,country,lei\nUK Equity Fund (Offshore),IE,549300LBI3LRIZ2V8V66\n")
    assert run(capsys, "import", str(fund))[0] == 0
    # The first vetting of every lead; look and verify only (ask's search engine is polite: 2 s).
    # Refresh vets the shops its search listed, not the imported list nobody asked to vet.
    code, out, err = run(capsys, "refresh", "--force", "--check", "look,verify")
    assert code == 0, err
    _, out, _ = run(capsys, "leads", "--json")
    assert [lead["grade"] for lead in json.loads(out) if lead["name"].startswith("UK")] == [None]
    assert run(capsys, "vet", "--all", "--check", "look,verify")[0] == 0
    _, out, _ = run(capsys, "leads", "--json")
    leads = {lead["name"]: lead for lead in json.loads(out)}
    before = leads["UK Equity Fund (Offshore)"]["grade"]
    assert len(leads) == 4 and before in ("A", "B", "C")
    HIDDEN.discard(0)
    HIDDEN.add(3)  # shop 0 opens, shop 3 closes
    GLEIF_STATUS[:] = ["INACTIVE"]  # and the fund's registry entry lapses
    code, out, err = run(capsys, "refresh", "--force", "--revet-after", "0", "--check", "look,verify")
    assert code == 0, err
    assert "1 new lead(s), 1 gone quiet" in out
    assert f"{before} -> D" in out and "gleif" in out
    _, out, _ = run(capsys, "leads", "--json")
    after = {lead["name"]: lead for lead in json.loads(out)}
    assert len(after) == 5 and after["UK Equity Fund (Offshore)"]["grade"] == "D"
    assert sum(1 for lead in after.values() if lead["quiet_since"]) == 1
    # A shop with nothing to check (no identifiers, domain, e-mail or phone) is unproven, not bad.
    assert after["four seasons"]["grade"] == "C" and after["four seasons"]["vet_score"] is None


def test_refresh_reports_a_grade_change_when_a_registry_entry_lapses(serve: Any) -> None:
    import httpx

    from prospect.config import Config
    from prospect.models import Observation
    from prospect.refresh import refresh
    from prospect.storage import LeadBook
    from prospect.vetting.grade import Vetting

    record = json.loads(recorded("gleif/lei-record-549300LBI3LRIZ2V8V66-lapsed.json"))
    record["data"]["attributes"]["entity"]["status"] = "INACTIVE"  # changed: the entity is gone

    def handler(req: httpx.Request) -> httpx.Response:
        if "lei-records" in req.url.path:
            return httpx.Response(200, json=record)
        return httpx.Response(200, text=recorded("duckduckgo/html-search-no-more-results.html"))

    book = LeadBook.open(None)
    ingest(book, [Observation("csv", "1", {"name": "UK Equity Fund (Offshore)", "country": "IE",
                                          "lei": "549300LBI3LRIZ2V8V66"})])
    lead_id = next(book.leads())["id"]
    # An earlier run, 30 days ago, said B.
    book.record_vetting(lead_id, Vetting("B", 70.0, 0.6, ()), at="2026-10-23T06:30:00+00:00")
    report = refresh(book, config=Config(env={}), http=serve(handler), revet_after=14)
    assert report.revetted == 1
    [(changed, old, new, why)] = report.grade_changes
    assert (changed, old, new) == (lead_id, "B", "D") and "gleif" in why
    assert "Grade changes:" in report.text(book) and "B -> D" in report.text(book)
    book.close()


def test_refresh_leaves_never_vetted_leads_alone_and_caps_the_rest() -> None:
    from prospect.config import Config
    from prospect.models import Observation
    from prospect.refresh import refresh
    from prospect.storage import LeadBook
    from prospect.vetting.grade import Vetting

    book = LeadBook.open(None)
    ingest(book, [Observation("csv", str(i), {"name": f"Shop number {i} GmbH", "country": "DE"})
                 for i in range(6)])
    ids = [lead["id"] for lead in book.leads()]
    for i in ids[:3]:  # three were vetted long ago; three never
        book.record_vetting(i, Vetting("B", 70.0, 0.6, ()), at="2026-01-01T06:30:00+00:00")
    seen: list[tuple[str, int, int]] = []
    report = refresh(book, config=Config(env={}), http=None,  # type: ignore[arg-type]
                     revet_after=14, checks=["identifiers"], max_vet=2,
                     progress=lambda *a: seen.append(a))
    assert report.revetted == 2 and report.left_to_vet == 1
    assert "1 more lead(s) due for vetting" in report.text(book)
    vetted = {lead["id"] for lead in book.leads() if (lead["vetted_at"] or "") > "2026-02"}
    assert vetted <= set(ids[:3]) and len(vetted) == 2
    assert seen[-1] == ("vetting", 2, 2)


def test_schedule_keeps_the_shells_settings_and_offers_a_working_systemd_timer(
        capsys: Capture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROSPECT_GLEIF_URL", "http://127.0.0.1:9/gleif")
    monkeypatch.setenv("PROSPECT_BRAVE_KEY", "k%1")
    monkeypatch.setenv("PATH", str(tmp_path))  # no crontab command here
    code, out, err = run(capsys, "--book", str(tmp_path / "b.db"), "schedule", "--weekly")
    assert code == 0, err
    line = out.splitlines()[0]
    assert "PROSPECT_GLEIF_URL=http://127.0.0.1:9/gleif" in line and "PROSPECT_BRAVE_KEY=" in line
    assert "PROSPECT_BRAVE_KEY" in err  # the user is told the key is on the line
    assert "[Service]" in out and "[Timer]" in out and "OnCalendar=Mon 06:30:00" in out
    assert 'Environment="PROSPECT_BRAVE_KEY=k%%1"' in out and "WantedBy=timers.target" in out
    assert "refresh --quiet" in out.split("[Service]")[1]
    code, _, err = run(capsys, "schedule", "--daily", "--weekly")
    assert code == 2 and "choose one" in err


def test_a_run_killed_before_it_finished_is_marked_interrupted(capsys: Capture,
                                                                tmp_path: Path) -> None:
    from prospect.storage import LeadBook

    book_path = tmp_path / "b.db"
    book = LeadBook.open(book_path)
    book.start_run("refresh", "2026-12-01T06:30:00+00:00")  # then SIGKILL: never finished
    book.close()
    code, _, err = run(capsys, "--book", str(book_path), "refresh", "--no-vet")
    assert code == 0, err
    con = sqlite3.connect(book_path)
    statuses = [r[0] for r in con.execute("SELECT status FROM runs ORDER BY id")]
    con.close()
    assert statuses == ["interrupted", "ok"]
