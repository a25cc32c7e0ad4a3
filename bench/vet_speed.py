"""How close does vetting many leads come to the politeness bound?

Starts a local HTTP server (GLEIF, RDAP bootstrap and RDAP, DuckDuckGo; every reply delayed by
--latency) with one port per service, as the real services are separate hosts, and a local DNS
server; fills a book with N leads (distinct .de domains); vets them all through the library
with the HTTP cache off, and prints wall time next to the politeness bound: for each host,
requests x its minimum interval; the slowest host sets the bound.

    python bench/vet_speed.py [--leads 200] [--latency 0.1] [--check look,verify]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import dns.message  # noqa: E402
import dns.rcode  # noqa: E402
import dns.rrset  # noqa: E402

from prospect.config import SERVICES, load_config  # noqa: E402
from prospect.http import make_http  # noqa: E402
from prospect.ingest.engine import ingest  # noqa: E402
from prospect.models import Observation  # noqa: E402
from prospect.storage import LeadBook  # noqa: E402
from prospect.vetting.runner import build_checks, lead_subject, vet_many  # noqa: E402

RECORDED = ROOT / "tests" / "recorded"
HITS: Counter[str] = Counter()


def serve(name: str, body: bytes, latency: float) -> str:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _reply(self) -> None:
            HITS[name] += 1
            time.sleep(latency)
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = _reply
        do_POST = _reply

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}"


def dns_server() -> str:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))

    def loop() -> None:
        while True:
            wire, addr = sock.recvfrom(4096)
            HITS["dns"] += 1
            query = dns.message.from_wire(wire)
            reply = dns.message.make_response(query)
            q = query.question[0]
            if dns.rdatatype.to_text(q.rdtype) == "MX":
                reply.answer.append(dns.rrset.from_text_list(q.name, 300, "IN", "MX",
                                                             ["10 mail.example.net."]))
            sock.sendto(reply.to_wire(), addr)

    threading.Thread(target=loop, daemon=True).start()
    return f"127.0.0.1:{sock.getsockname()[1]}"


def main() -> None:
    """Run the benchmark and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--leads", type=int, default=200)
    ap.add_argument("--latency", type=float, default=0.1)
    ap.add_argument("--check", default="look,verify")
    ap.add_argument("--workers", type=int, default=8)
    args = ap.parse_args()
    gleif = serve("gleif", b'{"data": [], "meta": {"pagination": {"lastPage": 1}}}', args.latency)
    rdap_reply = (RECORDED / "rdap" / "domain-bitcoin.org-namecheap.json").read_bytes()
    rdap = serve("rdap", rdap_reply, args.latency)
    boot = serve("rdap_bootstrap", json.dumps({"services": [[["de"], [rdap + "/"]]]}).encode(),
                 args.latency)
    ddg = serve("duckduckgo", (RECORDED / "duckduckgo" / "html-search-no-more-results.html")
                .read_bytes(), args.latency)
    os.environ.update({"PROSPECT_GLEIF_URL": gleif, "PROSPECT_RDAP_BOOTSTRAP_URL": boot + "/dns.json",
                       "PROSPECT_DUCKDUCKGO_URL": ddg + "/html/", "PROSPECT_DNS_SERVERS": dns_server()})
    with tempfile.TemporaryDirectory() as tmp:
        book = LeadBook.open(Path(tmp) / "bench.db")
        ingest(book, (Observation("bench", str(i), {
            "name": f"Firma {i} Handels GmbH", "website": f"https://firma{i}.de/",
            "email": f"info@firma{i}.de", "phone": f"+49 30 {1000000 + i}", "country": "DE"})
            for i in range(args.leads)))
        ids = book.to_vet()
        http = make_http(cache=False)
        checks = build_checks(http=http, config=load_config(), only=args.check.split(","))
        start = time.perf_counter()
        grades: Counter[str] = Counter()
        for subject, result in vet_many((lead_subject(book, i) for i in ids), checks,
                                        workers=args.workers):
            book.record_vetting(subject.lead_id, result)
            grades[result.grade] += 1
        wall = time.perf_counter() - start
        http.close()
        book.close()
    bound = {name: HITS[name] * SERVICES[name if name != "rdap" else "rdap_bootstrap"].interval
             for name in HITS if name != "dns"}
    slowest = max(bound, key=lambda k: bound[k]) if bound else "-"
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(ids)} leads, checks {args.check}, latency {args.latency * 1000:.0f} ms, "
          f"{args.workers} workers")
    print("requests per host: " + ", ".join(f"{k} {v}" for k, v in sorted(HITS.items())))
    print(f"politeness bound {bound.get(slowest, 0):.0f} s ({slowest}); wall {wall:.0f} s "
          f"= {wall / max(bound.get(slowest, 1), 1):.2f}x the bound; peak RSS {rss:.0f} MB")
    print("grades: " + ", ".join(f"{g} {n}" for g, n in sorted(grades.items())))


if __name__ == "__main__":
    main()
