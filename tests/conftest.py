"""Shared fixtures: a fresh book, a CLI runner, and a clean environment for every test."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import socket
import threading
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from prospect.http import Http, Politeness, make_http
from prospect.ingest.engine import ingest
from prospect.models import Observation
from prospect.sources.maps import element_fields, parse_overpass
from prospect.storage import LeadBook
from prospect.vetting.base import Finding
from prospect.vetting.grade import Vetting

RECORDED = Path(__file__).parent / "recorded"


def recorded(name: str) -> str:
    """Return a recorded response (see tests/recorded/SOURCES.md) as text."""
    return (RECORDED / name).read_text(encoding="utf-8")


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler],
            server: type[ThreadingHTTPServer] = ThreadingHTTPServer) -> Iterator[ThreadingHTTPServer]:
    """A local HTTP server on a free port of 127.0.0.1, serving on a thread until left."""
    httpd = server(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    # shutdown() waits for the serving loop's next poll: half a second by default, for
    # every server of every test.
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02},
                     daemon=True).start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


_LOOPBACK = {"127.0.0.1", "localhost", "::1", "", None}
# Host names a test serves from 127.0.0.1 (a lead's web site needs a real-looking domain).
LOCAL_NAMES: set[str] = set()


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail fast, and visibly, if any code under test tries to reach a host off this machine."""
    real = socket.getaddrinfo

    def loopback_only(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name in LOCAL_NAMES:
            return real("127.0.0.1", *args, **kwargs)
        if name not in _LOOPBACK:
            raise socket.gaierror(socket.EAI_NONAME, f"tests stay offline: {name}")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", loopback_only)
    LOCAL_NAMES.clear()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep the user's book, config, cache, endpoints and colours out of tests."""
    for key in list(os.environ):
        if key.startswith("PROSPECT_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("PROSPECT_BOOK", str(tmp_path / "default-book.db"))
    monkeypatch.setenv("PROSPECT_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("PROSPECT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PROSPECT_LISTEN_MODEL", str(tmp_path / "listen-model.json"))
    monkeypatch.setenv("NO_COLOR", "1")


class FakeClock:
    """A clock that only moves when someone sleeps: politeness without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    """The fake clock the ``serve`` fixture's client waits on."""
    return FakeClock()


@pytest.fixture
def cli_no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's seam set so that no request waits its polite turn (the clock its interval is
    kept on moves an hour a reading): for tests of what commands do with the replies. How
    long prospect waits between requests is tested in tests/test_http.py."""
    from prospect.cli import env as cli_env

    hours = itertools.count(0.0, 3600.0)
    politeness = Politeness(clock=lambda: float(next(hours)))

    def http(**options: Any) -> Http:
        return make_http(politeness=politeness, **options)

    monkeypatch.setattr(cli_env, "current", cli_env.Env(http=http))


@pytest.fixture
def serve(clock: FakeClock) -> Iterator[Callable[[Callable[[httpx.Request], httpx.Response]], Http]]:
    """Build an Http whose requests go to ``handler`` instead of the network, with no cache."""
    made: list[Http] = []

    def build(handler: Callable[[httpx.Request], httpx.Response]) -> Http:
        http = make_http(transport=httpx.MockTransport(handler), cache=False,
                         politeness=Politeness(clock=clock, sleep=clock.sleep))
        made.append(http)
        return http

    yield build
    for h in made:
        h.close()


@pytest.fixture
def book() -> Iterator[LeadBook]:
    """An empty lead book in memory."""
    b = LeadBook.open(None)
    yield b
    b.close()


class DeadPool:
    """A worker pool whose workers have died: every submit fails as a broken pool."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def __enter__(self) -> DeadPool:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, *args: object) -> None:
        raise BrokenProcessPool("the worker died")


# The web view's book ------------------------------------------------------------

WEB_FETCHED = "2026-11-20T10:00:00+00:00"


def _ago(days: int) -> str:
    return (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)).isoformat(timespec="seconds")


def fill_web_book(path: Path) -> dict[str, int]:
    """Skopje's fast-food places as Overpass answered (tests/recorded), vetted and worked.

    Returns the ids of the leads the tests look at: ``vetted`` (grade B, contacted 40 days
    ago), ``graded_a`` (grade A, never contacted), ``suppressed`` (grade A, do not contact).
    """
    reply = recorded("overpass/nodes-amenity-fast_food-skopje.json")
    elements = parse_overpass(reply, "fast food")
    book = LeadBook.open(path)
    ingest(book, [Observation("osm", f"https://www.openstreetmap.org/{e['type']}/{e['id']}",
                             element_fields(e, "MK"), e, fetched_at=WEB_FETCHED) for e in elements])
    placed = [r["id"] for r in book.leads() if r["latitude"] is not None]
    vetted, graded_a, suppressed = placed[:3]
    findings = (
        Finding("look", "website", "pass", "the site answers and names the company",
                ("https://zito.example.mk/",)),
        Finding("ask", "complaints", "warn", "one forum thread names it",
                ("https://www.reddit.com/r/Scams/comments/abc123/",)),
        Finding("verify", "registry-status", "pass", "active in the registry",
                ("https://api.gleif.org/api/v1/lei-records/5493001KJTIIGC8Y1R12",)))
    book.record_vetting(vetted, Vetting("C", 55.0, 0.6, findings[:1]), at=_ago(60))
    book.record_vetting(vetted, Vetting("B", 72.0, 0.8, findings, ("registry confirmed",)),
                        at=_ago(50))
    book.mark(vetted, "contacted", "sent the catalogue", at=_ago(40))
    for lead in (graded_a, suppressed):
        book.record_vetting(lead, Vetting("A", 90.0, 0.9, findings), at=_ago(45))
    book.db.execute("UPDATE leads SET suppressed = 1 WHERE id = ?", [suppressed])
    book.db.conn.commit()
    book.close()
    return {"vetted": vetted, "graded_a": graded_a, "suppressed": suppressed}


@pytest.fixture
def web_book(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    """A book file of recorded leads, and the ids of the ones the tests look at."""
    path = tmp_path / "leads.db"
    return path, fill_web_book(path)


# Messages for learning tests: written for them, not from any corpus ----------------

SCAMS = ["Dear friend, I am the next of kin of a late minister; send your bank details to claim",
         "Urgent: verify your wallet now or your account will be suspended, click the link",
         "You have won a lottery prize, pay the release fee by western union to claim it",
         "Your mailbox is almost full, sign in to verify your password within 24 hours",
         "Transfer of the inheritance fund needs your confidential cooperation and account",
         "Final notice: your account is locked, confirm your login details to restore it"]
LEGIT = ["Please find attached the minutes of Tuesday's meeting and the revised agenda",
         "The shipment of 200 pallets left the warehouse, tracking is in the portal",
         "Can we move the budget review to Thursday afternoon? Lunch is on me",
         "Attached is our quotation for the 40 ft container, valid until month end",
         "Thanks for the draft contract; legal will send comments on clause 7 tomorrow",
         "The team offsite is confirmed for next week, details in the calendar invite"]
