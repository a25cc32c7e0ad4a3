"""`prospect vet` end to end: messages, leads in the book, a local HTTP server and a local DNS server.

The services are reached only through their endpoint settings (PROSPECT_*_URL) and the DNS
resolver through PROSPECT_DNS_SERVERS, as a user behind a company resolver would set them.
"""

from __future__ import annotations

import io
import json
import socket
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

import dns.message
import dns.rcode
import dns.rrset
import pytest
from conftest import LEGIT, SCAMS, recorded, serving
from test_cli import Capture, run

SCAM = ("Subject: URGENT BUSINESS PROPOSAL\n\nDear friend, permit me to contact you. I am Barrister "
        "John Okafor. My late client left US$12,500,000 in a dormant account. You will receive 30% "
        "for your assistance. Send your full name, address, phone and occupation, and the release "
        "fee will be explained. Reply to my private email john.okafor@yahoo.com\n")
BUYER = ("From: Anna Weber <anna.weber@weber-licht.de>\nTo: sales@example.cn\n"
         "Subject: Inquiry LED strip 5050\nMessage-ID: <1@weber-licht.de>\n\n"
         "Dear Sales,\nplease quote model LS-5050-60 12V, 2,000 meters, CE and RoHS, FOB Ningbo,\n"
         "lead time and MOQ.\n\nAnna Weber\nWeber Licht GmbH\nTel. +49 30 1234567\n")

ZONE = {("weber-licht.de.", "MX"): ["10 mail.weber-licht.de."],
        ("weber-licht.de.", "TXT"): ['"v=spf1 mx -all"'],
        ("_dmarc.weber-licht.de.", "TXT"): ['"v=DMARC1; p=reject"']}


def _dns_server(sock: socket.socket) -> None:
    while True:
        try:
            wire, addr = sock.recvfrom(4096)
        except OSError:
            return
        query = dns.message.from_wire(wire)
        reply = dns.message.make_response(query)
        q = query.question[0]
        name, rdtype = q.name.to_text().lower(), dns.rdatatype.to_text(q.rdtype)
        if not any(n == name for n, _ in ZONE):
            reply.set_rcode(dns.rcode.NXDOMAIN)
        elif (name, rdtype) in ZONE:
            reply.answer.append(dns.rrset.from_text_list(name, 300, "IN", rdtype, ZONE[(name, rdtype)]))
        sock.sendto(reply.to_wire(), addr)


class Recorded(BaseHTTPRequestHandler):
    """GLEIF and RDAP from recordings; the search engine finds nothing."""

    def log_message(self, *args: object) -> None:
        pass

    def _reply(self, status: int, body: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        port = int(self.server.server_address[1])  # type: ignore[index]
        if path == "/rdap/dns.json":  # IANA's format, pointing .de at this server
            self._reply(200, json.dumps({"services": [[["de"], [f"http://127.0.0.1:{port}/rdap/"]]]}))
        elif path == "/rdap/domain/weber-licht.de":
            # bitcoin.org's recorded RDAP reply stands in for the .de registry's (same format).
            self._reply(200, recorded("rdap/domain-bitcoin.org-namecheap.json"))
        elif path.startswith("/gleif/"):
            self._reply(200, recorded("gleif/lei-records-filter-lei-list.json"))
        else:
            self._reply(404, "{}")

    def do_POST(self) -> None:
        self._reply(200, recorded("duckduckgo/html-search-no-more-results.html"))


@pytest.fixture
def services(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with serving(Recorded) as httpd:
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind(("127.0.0.1", 0))
        threading.Thread(target=_dns_server, args=(udp,), daemon=True).start()
        monkeypatch.setenv("PROSPECT_GLEIF_URL", f"{base}/gleif")
        monkeypatch.setenv("PROSPECT_RDAP_BOOTSTRAP_URL", f"{base}/rdap/dns.json")
        monkeypatch.setenv("PROSPECT_DUCKDUCKGO_URL", f"{base}/ddg/")
        monkeypatch.setenv("PROSPECT_VIES_URL", f"{base}/vies")
        monkeypatch.setenv("PROSPECT_DNS_SERVERS", f"127.0.0.1:{udp.getsockname()[1]}")
        monkeypatch.setenv("PROSPECT_HTTP_TIMEOUT", "2")
        yield
        udp.close()


def test_vet_scam_message_offline(tmp_path: Path, capsys: Capture) -> None:
    mail = tmp_path / "scam.txt"
    mail.write_text(SCAM, encoding="utf-8")
    code, out, err = run(capsys, "vet", "--inquiry", str(mail), "--offline", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["file"] == str(mail) and result["grade"] == "D"
    assert result["listen_score"] >= 4
    red = next(f for f in result["findings"] if f["check"] == "red-flags")
    assert red["step"] == "listen" and red["verdict"] == "fail"
    assert any("L70" in e for e in red["evidence"])
    assert {f["step"] for f in result["findings"]} >= {"look", "listen", "verify"}
    # The sender is now a lead, graded, filterable, and its file shows the findings.
    code, out, _ = run(capsys, "leads", "--grade", "D", "--json")
    leads = json.loads(out)
    assert [lead["email"] for lead in leads] == ["john.okafor@yahoo.com"]
    code, out, _ = run(capsys, "show", str(leads[0]["id"]))
    assert "grade D" in out and "red-flags" in out


def test_vet_many_messages_from_a_glob_and_stdin(tmp_path: Path, capsys: Capture,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text(SCAM, encoding="utf-8")
    (tmp_path / "b.eml").write_text(BUYER, encoding="utf-8")
    code, out, _ = run(capsys, "vet", "--inquiry", str(tmp_path / "a.txt"), str(tmp_path / "b.eml"),
                       "--offline", "--json", "--no-save")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    scores = {Path(r["file"]).name: r["listen_score"] for r in rows}
    assert scores["a.txt"] > 4 > scores["b.eml"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SCAM.encode())))
    code, out, _ = run(capsys, "vet", "--inquiry", "--offline", "--json", "--no-save")
    assert json.loads(out)["file"] == "-"


def test_vet_buyer_against_local_services(services: None, cli_no_waiting: None, tmp_path: Path,
                                         capsys: Capture) -> None:
    mail = tmp_path / "buyer.eml"
    mail.write_text(BUYER, encoding="utf-8")
    code, out, err = run(capsys, "vet", "--inquiry", str(mail), "--json")
    assert code == 0, err
    result = json.loads(out)
    verdicts = {f["check"]: (f["verdict"], f["detail"]) for f in result["findings"]}
    assert verdicts["mail-dns"][0] == "pass" and "SPF" in verdicts["mail-dns"][1]
    assert verdicts["domain-age"][0] == "pass" and "2008" in verdicts["domain-age"][1]
    assert verdicts["red-flags"][0] == "pass"
    assert verdicts["complaints"][0] == "pass"
    assert verdicts["consistency"][0] == "pass"
    assert result["grade"] in ("A", "B")
    # vet the same lead again by id: a second run is kept, the grade stays filterable.
    lead_id = result["lead_id"]
    code, out, _ = run(capsys, "vet", str(lead_id), "--check", "verify", "--json")
    assert code == 0 and json.loads(out)["lead_id"] == lead_id
    code, out, _ = run(capsys, "show", str(lead_id), "--json")
    assert len(json.loads(out)["vettings"]) == 2


def test_vet_all_picks_leads_due(tmp_path: Path, capsys: Capture) -> None:
    csv = tmp_path / "leads.csv"
    csv.write_text("name,email,country\nAcme GmbH,info@acme.de,DE\nBeta Ltd,x@mailinator.com,GB\n",
                   encoding="utf-8")
    assert run(capsys, "import", str(csv))[0] == 0
    code, out, _ = run(capsys, "vet", "--all", "--offline", "--json")
    assert code == 0 and len(out.splitlines()) == 2
    code, out, _ = run(capsys, "vet", "--all", "--offline", "--json", "--stale", "1")
    assert out == ""  # everything was vetted just now
    code, out, _ = run(capsys, "vet", "--all", "--offline", "--json", "--grade-below", "A")
    assert len(out.splitlines()) == 2  # offline, nobody can earn an A


def test_vet_errors_are_one_line(capsys: Capture) -> None:
    code, _, err = run(capsys, "vet", "--check", "horoscope", "1")
    assert code == 2 and "unknown check 'horoscope'" in err
    code, _, err = run(capsys, "vet")
    assert code == 2 and "say what to vet" in err
    code, _, err = run(capsys, "vet", "--inquiry", "/nonexistent/mail.eml", "--no-save")
    assert code == 5 and "cannot read /nonexistent/mail.eml" in err


LICHTWERK = ("name,website,email,phone,country\n"
             "Lichtwerk Handels GmbH,https://www.lichtwerk.de,info@lichtwerk.de,+49 40 3861274,DE\n")
IMPOSTOR = ('From: "Lichtwerk Handels GmbH Purchasing" <lichtwerk.purchase@gmail.com>\n'
            "Reply-To: einkauf@lichtwerk-handel.com\nTo: sales@example.cn\n"
            "Subject: Urgent order\nMessage-ID: <x1@mail.gmail.com>\n\n"
            "Dear Sir,\nwe want to order 40 containers of LED strip, any model. Send the proforma "
            "invoice today.\n\nPurchasing\nLichtwerk Handels GmbH\n")
GENUINE = ("From: Jan Kurz <jan.kurz@lichtwerk.de>\nTo: sales@example.cn\n"
           "Subject: LED strip 5050 quote\nMessage-ID: <x2@lichtwerk.de>\n\n"
           "Hello,\nplease quote LS-5050-60 12V, 500 m, FOB Ningbo.\n\nJan Kurz\n"
           "Lichtwerk Handels GmbH\n")


def test_impostor_message_is_not_filed_under_the_lead_it_names(tmp_path: Path,
                                                                capsys: Capture) -> None:
    (tmp_path / "l.csv").write_text(LICHTWERK, encoding="utf-8")
    assert run(capsys, "import", str(tmp_path / "l.csv"))[0] == 0
    code, out, _ = run(capsys, "vet", "1", "--offline", "--json")
    real_grade = json.loads(out)["grade"]
    (tmp_path / "scam.eml").write_text(IMPOSTOR, encoding="utf-8")
    code, out, err = run(capsys, "vet", "--inquiry", str(tmp_path / "scam.eml"), "--offline",
                         "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["lead_id"] != 1
    claim = next(f for f in result["findings"] if f["check"] == "claimed-name")
    assert claim["verdict"] == "fail" and "lichtwerk.de" in claim["detail"]
    # The vetting ran on the sender, not on the real company's domain.
    mail = next(f for f in result["findings"] if f["check"] == "mail-domain")
    assert "gmail.com" in mail["detail"]
    code, out, _ = run(capsys, "show", "1", "--json")
    shown = json.loads(out)
    assert shown["lead"]["grade"] == real_grade and len(shown["observations"]) == 1
    assert shown["claimed_by"][0]["sender_lead"] == result["lead_id"]
    code, out, _ = run(capsys, "show", "1")
    assert "used this company's name" in out
    sender = json.loads(run(capsys, "show", str(result["lead_id"]), "--json")[1])["lead"]
    assert sender["email"] == "lichtwerk.purchase@gmail.com" and sender["name"] != "Lichtwerk Handels GmbH"
    # A mail from the company's own domain is linked to it, and does not re-grade it.
    (tmp_path / "real.eml").write_text(GENUINE, encoding="utf-8")
    code, out, _ = run(capsys, "vet", "--inquiry", str(tmp_path / "real.eml"), "--offline", "--json")
    genuine = json.loads(out)
    assert genuine["lead_id"] == 1
    assert not any(f["check"] == "claimed-name" and f["verdict"] == "fail"
                   for f in genuine["findings"])
    code, out, _ = run(capsys, "show", "1", "--json")
    assert json.loads(out)["lead"]["grade"] == real_grade


def _deep(depth: int) -> str:
    body = "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(depth))
    return ("From: a@deep.example\nTo: c@d.example\nSubject: deep\nMessage-Id: <>\n"
            "MIME-Version: 1.0\n" + body + "Content-Type: text/plain\n\nhello\n"
            + "".join(f"--b{i}--\n" for i in reversed(range(depth))))


def test_hostile_messages_do_not_sink_the_batch(tmp_path: Path, capsys: Capture) -> None:
    import time

    (tmp_path / "a.txt").write_text(SCAM, encoding="utf-8")
    # Nested twice as deep as Python's recursion limit: a parser that recurses per part fails.
    (tmp_path / "deep.eml").write_text(_deep(2 * sys.getrecursionlimit()), encoding="utf-8")
    (tmp_path / "long.txt").write_text("Subject: " + "a" * 50_000 + "\n\nhello", encoding="utf-8")
    (tmp_path / "words.txt").write_text("Subject: x\n\n" + " ".join(["A" * 250] * 2000),
                                        encoding="utf-8")
    (tmp_path / "b.eml").write_text(BUYER, encoding="utf-8")
    names = ["a.txt", "deep.eml", "missing.eml", "long.txt", "words.txt", "b.eml"]
    started = time.monotonic()
    code, out, err = run(capsys, "vet", "--inquiry", *(str(tmp_path / n) for n in names),
                         "--offline", "--json", "--no-save")
    assert time.monotonic() - started < 30
    rows = [json.loads(line) for line in out.splitlines()]
    assert [Path(r["file"]).name for r in rows] == names  # every file, in the order given
    assert "error" in rows[2] and code == 5 and "1 unreadable" in err
    assert rows[0]["grade"] == "D" and all("grade" in r for i, r in enumerate(rows) if i != 2)


def test_a_message_id_of_nothing_and_encoded_headers_are_read() -> None:
    from prospect.vetting.message import read_message

    msg = read_message(b"From: =?utf-8?q?J=C3=B6rg?= <jo@x.de>\nMessage-Id: <>\n"
                       b"Reply-To: Ann <ann@y.example>\nSubject: =?utf-8?b?SGVsbG8=?=\n\nhi", "m.eml")
    assert (msg.from_name, msg.from_addr, msg.subject, msg.reply_to) == (
        "Jörg", "jo@x.de", "Hello", ("ann@y.example",))
    assert msg.message_id == "<>"
    big = read_message(b"From: a@b.example\nSubject: big\n\n" + b"word " * 2_000_000)
    assert len(big.body) <= 500_000


def _mail_folders(tmp_path: Path) -> tuple[Path, Path]:
    scams, legit = tmp_path / "scams", tmp_path / "inbox"
    for folder, texts in ((scams, SCAMS), (legit, LEGIT)):
        folder.mkdir()
        for i, text in enumerate(texts):
            (folder / f"{i}.eml").write_text(f"From: a{i}@example.org\nSubject: note {i}\n\n{text}\n",
                                             encoding="utf-8")
    return scams, legit


def test_learn_trains_on_your_mail_and_vet_uses_it(tmp_path: Path, capsys: Capture) -> None:
    scams, legit = _mail_folders(tmp_path)
    code, _, err = run(capsys, "learn", "--scam", str(scams), "--legit", str(legit))
    assert code == 0, err
    saved = tmp_path / "listen-model.json"  # PROSPECT_LISTEN_MODEL (conftest)
    assert str(saved) in err and saved.exists()
    mail = tmp_path / "new.txt"
    mail.write_text("Subject: wallet\n\nPlease verify your wallet and confirm your login details.")
    code, out, _ = run(capsys, "vet", "--inquiry", str(mail), "--offline", "--json", "--no-save")
    red = next(f for f in json.loads(out)["findings"] if f["check"] == "red-flags")
    assert red["data"]["model"].startswith("your mail: 6 scam and 6 legitimate messages")
    assert red["score"] == pytest.approx(red["data"]["rules_score"] + red["data"]["model_score"])
    code, _, err = run(capsys, "learn", "--reset")
    assert code == 0 and not saved.exists() and "shipped model" in err


def test_learn_reads_labelled_json_lines_and_refuses_too_little(tmp_path: Path,
                                                               capsys: Capture) -> None:
    rows = tmp_path / "labelled.jsonl"
    rows.write_text("".join(json.dumps({"text": t, "label": label}) + "\n"
                            for texts, label in ((SCAMS, "scam"), (LEGIT, "legit")) for t in texts))
    code, _, err = run(capsys, "learn", str(rows))
    assert code == 0, err
    few = tmp_path / "few.jsonl"
    few.write_text(json.dumps({"text": SCAMS[0], "label": "scam"}) + "\n")
    code, _, err = run(capsys, "learn", str(few))
    assert code == 2 and "at least 5 of each" in err
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "hello"}\n')
    code, _, err = run(capsys, "learn", str(broken))
    assert code == 5 and f"{broken}:1:" in err
