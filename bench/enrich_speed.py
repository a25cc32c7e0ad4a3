"""How close does website enrichment come to the politeness bound?

Starts --hosts local HTTP servers (one port each, so each is its own host to the politeness
layer), every reply delayed by --latency; fills a book with --leads leads whose web sites are
spread over those hosts (each lead its own site under a path: home, Kontakt and Impressum
pages, with JSON-LD, an obfuscated e-mail and a VAT number); enriches them all through the
library with the HTTP cache off at the default website pace (1 request/s per host) and prints
wall time next to the bound: the busiest host's requests x the interval (plus one latency).

    python bench/enrich_speed.py [--leads 1000] [--hosts 50] [--latency 0.1]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from prospect.config import SERVICES  # noqa: E402
from prospect.http import make_http  # noqa: E402
from prospect.sources.websites import enrich  # noqa: E402
from prospect.storage import LeadBook  # noqa: E402

FILLER = "<p>" + "Frisch geröstet, fair gehandelt, schnell geliefert. " * 60 + "</p>"


def home(shop: str) -> str:
    """A shop's home page: JSON-LD, navigation to its contact pages, some text."""
    data = {"@context": "https://schema.org", "@type": "LocalBusiness", "name": f"Shop {shop} GmbH",
            "telephone": "+49 40 3200550", "address": {"@type": "PostalAddress",
                                                       "streetAddress": "Am Sandtorkai 5",
                                                       "postalCode": "20457",
                                                       "addressLocality": "Hamburg"}}
    return (f"<html><head><script type='application/ld+json'>{json.dumps(data)}</script></head>"
            f"<body><a href='/{shop}/kontakt'>Kontakt</a> <a href='/{shop}/impressum'>Impressum</a>"
            f"<a href='https://www.instagram.com/{shop}'>Instagram</a>{FILLER}</body></html>")


def imprint(shop: str) -> str:
    """An Impressum: address lines, an obfuscated address, a VAT number."""
    return (f"<html><body><h1>Impressum</h1><p>Shop {shop} GmbH<br>Am Sandtorkai 5<br>20457 Hamburg"
            f"</p><p>E-Mail: info [at] {shop} [dot] de</p><p>USt-IdNr.: DE136695976</p>{FILLER}"
            "</body></html>")


class Site(BaseHTTPRequestHandler):
    """Every shop's pages on this host, each reply after the configured latency."""

    latency = 0.1
    counts: ClassVar[Counter[int]] = Counter()  # requests per port, shared by all servers
    lock = threading.Lock()

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        time.sleep(self.latency)
        with self.lock:
            self.counts[self.server.server_address[1]] += 1
        parts = self.path.strip("/").split("/")
        if self.path == "/robots.txt":
            body, kind = "User-agent: *\nDisallow: /private/\n", "text/plain"
        elif len(parts) == 1:
            body, kind = home(parts[0]), "text/html; charset=utf-8"
        else:
            body, kind = imprint(parts[0]), "text/html; charset=utf-8"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main() -> None:
    """Serve, enrich, print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--leads", type=int, default=1000)
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--latency", type=float, default=0.1)
    args = ap.parse_args()
    Site.latency = args.latency
    # The sites are on this machine, which prospect refuses to fetch unless told (SSRF guard).
    os.environ.setdefault("PROSPECT_ALLOW_NETWORKS", "127.0.0.0/8")
    servers = []
    for _ in range(args.hosts):
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Site)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
    with tempfile.TemporaryDirectory() as tmp:
        book = LeadBook.open(Path(tmp) / "bench.db")
        book.db["leads"].insert_all(
            ({"id": i + 1, "name": f"Shop {i}", "country": "DE", "observation_count": 0,
              "website": f"http://127.0.0.1:{servers[i % args.hosts].server_address[1]}/shop{i}/"}
             for i in range(args.leads)), batch_size=1000)
        http = make_http(cache=False)
        t0 = time.perf_counter()
        report = enrich(book, http, range(1, args.leads + 1))
        took = time.perf_counter() - t0
        http.close()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with_mail = book.db.execute("SELECT count(*) FROM leads WHERE email IS NOT NULL").fetchone()[0]
        with_vat = book.db.execute("SELECT count(*) FROM leads WHERE vat IS NOT NULL").fetchone()[0]
        book.close()
    interval = SERVICES["website"].interval
    busiest = max(Site.counts.values())
    bound = (busiest - 1) * interval + args.latency
    total = sum(Site.counts.values())
    print(f"leads {args.leads} on {args.hosts} hosts, latency {args.latency * 1000:.0f} ms, "
          f"interval {interval:g} s per host")
    print(f"sites read {report.read}/{report.sites}, failed {len(report.failed)}; "
          f"leads with e-mail {with_mail}, with VAT {with_vat}")
    print(f"requests {total} ({busiest} on the busiest host); wall {took:.1f} s; "
          f"bound {bound:.1f} s; ratio {took / bound:.2f}x (goal <= 1.3x); "
          f"{total / took:.1f} requests/s; peak RSS {rss:.0f} MB")
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


if __name__ == "__main__":
    main()
