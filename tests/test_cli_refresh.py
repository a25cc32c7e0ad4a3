"""`prospect refresh`, `searches`, `runs` and `schedule` against a local server whose data changes."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import recorded
from test_cli import Capture, run

from prospect.refresh import book_lock

DROPPED: list[int] = []  # how many shops the server leaves out of the Overpass reply
SLOW: list[float] = []  # seconds the Overpass reply takes


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
        else:
            if SLOW:
                time.sleep(SLOW[0])
            data = json.loads(recorded("overpass/nodes-amenity-fast_food-skopje.json"))
            data["elements"] = data["elements"][len(DROPPED):]  # a shop that closed
            self._reply(json.dumps(data))

    def do_GET(self) -> None:
        self._route()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._route()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    servers = []
    for name, path in (("NOMINATIM", "/nominatim"), ("OVERPASS", "/overpass")):
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        monkeypatch.setenv(f"PROSPECT_{name}_URL", f"http://127.0.0.1:{httpd.server_address[1]}{path}")
    monkeypatch.setenv("PROSPECT_LOG_DIR", str(tmp_path / "log"))
    DROPPED.clear()
    SLOW.clear()
    yield
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


def test_refresh_reports_only_changes_and_marks_closed_shops(server: None, capsys: Capture,
                                                             tmp_path: Path) -> None:
    DROPPED.extend([1, 1])  # the first two shops open later
    code, _, err = run(capsys, "search", "fast food", "--in", "Skopje", "--source", "osm",
                       "--limit", "200", "--save", "food")
    assert code == 0, err
    # Just saved, so not due: a quiet refresh says nothing (cron sends no empty mail).
    code, out, _ = run(capsys, "refresh", "--quiet", "--no-vet")
    assert (code, out) == (0, "")
    DROPPED.pop()  # the second shop opens
    code, out, _ = run(capsys, "refresh", "--search", "food", "--no-vet", "--force")
    assert code == 0 and "1 new lead(s)" in out and "New leads:" in out and "0 gone quiet" in out
    DROPPED[:] = [1, 1]  # ... and closes again
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
    assert run(capsys, "--book", str(book), "search", "x", "--in", "Skopje", "--source", "osm",
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
    assert code == 1 and "HH:MM" in err



def test_killed_refresh_leaves_a_sound_book_and_the_next_run_finishes(
        server: None, capsys: Capture, tmp_path: Path) -> None:
    import os
    import signal
    import sqlite3
    import subprocess
    import sys

    book = tmp_path / "book.db"
    assert run(capsys, "--book", str(book), "search", "x", "--in", "Skopje", "--source", "osm",
               "--limit", "200", "--save", "s")[0] == 0
    con = sqlite3.connect(book)
    first = con.execute("SELECT count(*) FROM observations").fetchone()[0]
    con.close()
    env = {**os.environ, "PROSPECT_BOOK": str(book)}
    SLOW.append(2.0)
    results = []
    for sig in (signal.SIGKILL, signal.SIGTERM):
        proc = subprocess.Popen([sys.executable, "-m", "prospect", "refresh", "--force", "--no-vet"],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # wait until this run is under way (its record exists)
            con = sqlite3.connect(book)
            running = con.execute("SELECT count(*) FROM runs WHERE status = 'running' "
                                  "AND finished IS NULL").fetchone()[0]
            con.close()
            if running > len(results):
                break
            time.sleep(0.05)
        time.sleep(0.3)  # mid-run: waiting for the slow Overpass reply
        proc.send_signal(sig)
        proc.communicate(timeout=60)
        results.append(proc.returncode)
        con = sqlite3.connect(book)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()
    assert results == [-signal.SIGKILL, 130]  # SIGTERM: stopped at the next safe point
    SLOW.clear()
    code, _, _ = run(capsys, "--book", str(book), "refresh", "--force", "--no-vet")
    assert code == 0
    con = sqlite3.connect(book)
    assert con.execute("SELECT count(*), count(DISTINCT source || reference) FROM observations"
                       ).fetchone() == (first, first)  # no duplicates however often it ran
    statuses = [r[0] for r in con.execute("SELECT status FROM runs ORDER BY id")]
    con.close()
    assert statuses[-1] == "ok" and "running" in statuses  # the killed run never finished
    assert "interrupted" in statuses


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
    book.ingest([Observation("csv", "1", {"name": "UK Equity Fund (Offshore)", "country": "IE",
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
