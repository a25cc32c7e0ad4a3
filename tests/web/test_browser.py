"""``prospect serve`` in a real headless Chromium: the list, the map, a lead page.

Chromium comes from Debian's ``chromium`` package (``.ci/run`` installs it); without it these
tests are skipped. The server and every page, script and tile request stay on 127.0.0.1: the
tile URL points at the test's own server, which has no tiles, so the map shows markers on a
blank ground. Set PROSPECT_SCREENSHOTS=DIR to keep a screenshot of each page there.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import fill_web_book

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium package")
# Read at import: every test runs with the PROSPECT_ variables cleared (conftest.clean_env).
SCREENSHOTS = os.environ.get("PROSPECT_SCREENSHOTS")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, dict[str, int]]]:
    """`prospect serve` on a book of recorded leads, as a user starts it."""
    tmp = tmp_path_factory.mktemp("served")
    path = tmp / "leads.db"
    ids = fill_web_book(path)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROSPECT_")}
    env["PROSPECT_TILES_URL"] = base + "/no-tiles/{z}/{x}/{y}.png"
    env["PROSPECT_CONFIG"] = str(tmp / "no-config.toml")
    server = subprocess.Popen([sys.executable, "-m", "prospect", "--book", str(path), "serve",
                               "--port", str(port)], env=env, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("prospect serve did not start: "
                                       + (server.stderr.read().decode() if server.stderr else "")
                                       ) from None
                time.sleep(0.1)
        yield base, path, ids
    finally:
        server.terminate()
        server.wait(10)
        if server.stderr:
            server.stderr.close()


def _browse(url: str, tmp: Path, shot: str) -> str:
    """The page's DOM once its scripts have run, as Chromium renders it."""
    flags = [CHROMIUM or "chromium", "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-quic", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--hide-scrollbars",
             f"--user-data-dir={tmp / 'profile'}", "--window-size=1280,1400",
             "--virtual-time-budget=10000"]
    dom = subprocess.run([*flags, "--dump-dom", url], capture_output=True, text=True,
                         timeout=90, check=True).stdout
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        subprocess.run([*flags, f"--screenshot={Path(SCREENSHOTS) / shot}", url],
                       capture_output=True, timeout=90, check=True)
    return dom


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_map_shows_every_placed_lead(served: tuple[str, Path, dict[str, int]],
                                         tmp_path: Path) -> None:
    base, path, _ = served
    import sqlite3

    with sqlite3.connect(path) as conn:
        placed = conn.execute("SELECT count(*) FROM leads WHERE latitude IS NOT NULL").fetchone()[0]
        total = conn.execute("SELECT count(*) FROM leads").fetchone()[0]
    dom = _browse(base + "/leads/lead_list", tmp_path, "lead-list.png")
    # Single markers are images; clusters are divs that show how many markers they hold.
    singles = len(re.findall(r'<img[^>]*class="leaflet-marker-icon', dom))
    clusters = [int(n) for n in re.findall(
        r'class="leaflet-marker-icon marker-cluster[^"]*"[^>]*><div><span>(\d+)</span>', dom)]
    assert singles + len(clusters) > 1
    assert singles + sum(clusters) == placed
    text = _text(dom)
    assert f"{total} rows" in text
    assert re.search(rf"sources \(lead\) 1 osm {total}\b", text)
    assert re.search(r"grade 2 A 2 B 1", text)


def test_the_lead_page_shows_its_grade_evidence_and_place(
        served: tuple[str, Path, dict[str, int]], tmp_path: Path) -> None:
    base, _, ids = served
    dom = _browse(f"{base}/-/lead/{ids['vetted']}", tmp_path, "lead-page.png")
    text = _text(dom)
    assert re.search(r"<h1><span class=\"grade grade-B\"[^>]*>B</span>", dom)
    assert "status contacted" in text
    assert re.search(r"registry-status\s*: active in the registry", text)
    # The small map drew its one marker.
    assert len(re.findall(r'<img[^>]*class="leaflet-marker-icon', dom)) == 1


def test_the_home_page_counts_and_links_the_saved_views(
        served: tuple[str, Path, dict[str, int]], tmp_path: Path) -> None:
    base, _, _ = served
    text = _text(_browse(base + "/", tmp_path, "home.png"))
    assert "By grade A 2 B 1" in text
    assert "Follow-ups gone quiet" in text and "A and B leads never contacted" in text
