"""`prospect search` end to end against a local HTTP server on 127.0.0.1 serving recorded replies.

The server is chosen only through the endpoint configuration (PROSPECT_*_URL), as a user
would point prospect at a self-hosted Overpass or Nominatim.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import recorded, serving
from test_cli import Capture, run

ROUTES = {
    "/nominatim/search": "nominatim/search-ottawa-ontario.json",
    "/overpass": "overpass/nodes-amenity-fast_food-skopje.json",
    "/gleif/lei-records": "gleif/lei-records-filter-lei-list.json",
    # The recorded SPARQL reply (people with pseudonyms) stands in for a companies query.
    "/wikidata/sparql": "wikidata_sparql/sparql-results-P742-pseudonyms-labels-descriptions-aliases.json",
}


class Recorded(BaseHTTPRequestHandler):
    """Serves recorded replies; reddit answers 429, the forum hangs, duckduckgo pages."""

    def log_message(self, *args: object) -> None:
        pass

    def _reply(self, status: int, body: str, headers: dict[str, str] | None = None) -> None:
        data = body.encode()
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _route(self, form: dict[str, list[str]]) -> None:
        path = urlsplit(self.path).path
        if path in ROUTES:
            self._reply(200, recorded(ROUTES[path]))
        elif path == "/ddg/":
            page = "html-search-no-more-results.html" if "s" in form else "html-search-eino.html"
            self._reply(200, recorded(f"duckduckgo/{page}"))
        elif path == "/reddit/search.json":
            self._reply(429, "Too Many Requests", {"Retry-After": "3600"})
        elif path == "/forum/search.json":
            time.sleep(1.5)  # longer than PROSPECT_HTTP_TIMEOUT
            self._reply(200, "{}")
        else:
            self._reply(404, "not found")

    def do_GET(self) -> None:
        self._route({})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._route(parse_qs(self.rfile.read(length).decode()))


class Server(ThreadingHTTPServer):
    """A test server that keeps quiet about clients that gave up (the timeout test's point)."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    # One server (port) per service: politeness is per host, as it is for the real services.
    with contextlib.ExitStack() as servers:
        for name, path in (("NOMINATIM", "/nominatim"), ("OVERPASS", "/overpass"),
                           ("DUCKDUCKGO", "/ddg/"), ("GLEIF", "/gleif"), ("REDDIT", "/reddit"),
                           ("DISCOURSE", "/forum"), ("WIKIDATA", "/wikidata/sparql")):
            httpd = servers.enter_context(serving(Recorded, Server))
            monkeypatch.setenv(f"PROSPECT_{name}_URL",
                               f"http://127.0.0.1:{httpd.server_address[1]}{path}")
        monkeypatch.setenv("PROSPECT_HTTP_TIMEOUT", "0.5")
        yield "127.0.0.1"


def test_search_saves_what_answered_and_reports_what_failed(server: str, cli_no_waiting: None,
                                                            capsys: Capture) -> None:
    code, out, err = run(capsys, "search", "--no-enrich", "pizza", "--in", "Ottawa", "--limit", "5", "--json",
                         "--save", "pizza-ottawa")
    assert code == 6, err
    report = json.loads(out)
    status = {s["name"]: (s["status"], s["reason"]) for s in report["sources"]}
    assert status["osm"] == ("ok", "")
    assert status["gleif"] == ("ok", "")
    assert status["duckduckgo"][0] == "ok"
    assert status["wikidata"][0] == "ok"
    assert status["brave"] == ("skipped", "no key (PROSPECT_BRAVE_KEY)")
    assert status["reddit"][0] == "failed" and "rate limited" in status["reddit"][1]
    assert status["discourse"][0] == "failed" and status["discourse"][1].endswith("timeout")
    assert report["new_leads"] >= 10
    assert "reddit: failed (rate limited" in err
    code, out, _ = run(capsys, "leads", "--json")
    names = {lead["name"] for lead in json.loads(out)}
    assert "Amazon Digital UK Limited" in names
    # Re-running adds nothing new: observations are unique on (source, reference).
    code, out, _ = run(capsys, "search", "--no-enrich", "pizza", "--in", "Ottawa", "--limit", "5", "--json",
                       "--source", "osm,gleif,duckduckgo")
    assert code == 0
    again = json.loads(out)
    assert again["new_leads"] == 0 and again["unchanged"] >= 10


def test_every_source_failing_exits_7(server: str, capsys: Capture) -> None:
    code, _, err = run(capsys, "search", "x", "--source", "reddit")
    assert code == 7
    assert "0 new leads" in err


def test_unknown_source_is_a_one_line_error(capsys: Capture) -> None:
    code, _, err = run(capsys, "search", "x", "--source", "altavista")
    assert code == 2 and "unknown source 'altavista'" in err


class Endless(BaseHTTPRequestHandler):
    """A search engine that repeats its first page and always offers a next one."""

    posts = 0

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        type(self).posts += 1
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        data = recorded("duckduckgo/html-search-eino.html").encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # a forum that never answers in time
        time.sleep(30)


@pytest.fixture
def endless(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    Endless.posts = 0
    with serving(Endless, Server) as httpd:
        port = httpd.server_address[1]
        monkeypatch.setenv("PROSPECT_DUCKDUCKGO_URL", f"http://127.0.0.1:{port}/ddg/")
        monkeypatch.setenv("PROSPECT_DISCOURSE_URL", f"http://127.0.0.1:{port}/forum")
        yield port


def test_a_search_engine_that_never_stops_paging_is_asked_a_bounded_number_of_pages(
        endless: int, capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    from prospect.config import SERVICES, Service

    monkeypatch.setitem(SERVICES, "duckduckgo", Service("duckduckgo", "", 0.0, "test"))
    code, out, err = run(capsys, "search", "--no-enrich", "eino", "--source", "duckduckgo",
                         "--limit", "1000", "--json")
    assert code == 0, err
    from prospect.sources.base import Query
    from prospect.sources.search import query_variants

    # The repeated page brings nothing new: each variant stops after its second page.
    assert Endless.posts <= 2 * len(query_variants(Query("eino")))
    assert json.loads(out)["new_leads"] > 0


def test_a_source_past_its_deadline_is_partial_and_keeps_its_results(
        endless: int, capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROSPECT_HTTP_TIMEOUT", "20")
    started = time.monotonic()
    code, out, err = run(capsys, "search", "--no-enrich", "eino", "--source", "duckduckgo,discourse",
                         "--timeout", "3", "--json")
    assert time.monotonic() - started < 10
    report = json.loads(out)
    status = {s["name"]: (s["status"], s["reason"]) for s in report["sources"]}
    assert code == 6, err
    # DuckDuckGo waits 2 s between pages, so it runs into the deadline with results in hand.
    assert status["duckduckgo"] == ("partial", "deadline") and report["new_leads"] > 0
    assert status["discourse"][0] == "failed" and status["discourse"][1].endswith("deadline")


def test_ctrl_c_stops_a_search_within_seconds_and_keeps_what_was_found(
        endless: int, tmp_path: Path, capsys: Capture) -> None:
    import os
    import signal
    import subprocess
    import sys

    env = {**os.environ, "PROSPECT_HTTP_TIMEOUT": "20", "PROSPECT_BOOK": str(tmp_path / "b.db")}
    proc = subprocess.Popen([sys.executable, "-m", "prospect", "search", "--no-enrich", "eino",
                             "--source", "duckduckgo,discourse"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Stopped once DuckDuckGo asks for its second page: the first is in, the forum hangs.
    deadline = time.monotonic() + 30
    while Endless.posts < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert Endless.posts >= 2
    proc.send_signal(signal.SIGINT)
    stopped = time.monotonic()
    _, err = proc.communicate(timeout=20)
    assert time.monotonic() - stopped < 4
    assert proc.returncode == 130, err
    assert "stopping…" in err and "interrupted: what was found before is saved" in err
    assert "duckduckgo: partial (stopped)" in err
    # What was found before the signal is in the book (read here: a second process costs
    # a second interpreter's start).
    code, listed, _ = run(capsys, "--book", str(tmp_path / "b.db"), "leads", "--json")
    assert code == 0 and json.loads(listed)
