"""A message someone sent: plain text or an .eml file, and the lead hidden in it.

``read_message`` accepts what a user pastes or saves: an RFC 5322 e-mail (headers, MIME parts,
attachments) or bare text, optionally starting with a ``Subject:`` line. ``message_fields``
pulls the e-mail addresses, phone numbers, web sites and company name out of a message so the
look, ask and verify checks can run on the sender too.
"""

from __future__ import annotations

import email
import email.policy
import re
import unicodedata
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

import phonenumbers

from prospect import normalize as n

__all__ = ["Message", "claimed_since", "message_fields", "read_message"]

_HEADER = re.compile(r"^(from|to|subject|date|received|return-path|message-id|mime-version|"
                     r"reply-to|delivered-to|x-[\w-]+|content-type|cc):", re.I)
_EMAIL = re.compile(r"[\w.+-]+@(?:[\w-]+\.)+[a-z]{2,}", re.I)
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+", re.I)


@dataclass(frozen=True)
class Message:
    """A message as the checks see it: who sent it, what it says, what came attached."""

    subject: str = ""
    body: str = ""
    from_name: str = ""
    from_addr: str = ""
    reply_to: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()
    headers: bool = False  # True when it came with e-mail headers (an .eml)
    source: str = ""  # the file it came from, or "-" for stdin
    message_id: str = ""

    def as_raw(self) -> dict[str, object]:
        """The message as an observation's raw payload (kept so vetting can read it again)."""
        return {"subject": self.subject, "body": self.body, "from_name": self.from_name,
                "from_addr": self.from_addr, "reply_to": list(self.reply_to),
                "attachments": list(self.attachments), "headers": self.headers,
                "file": self.source, "message_id": self.message_id}

    @classmethod
    def from_raw(cls, raw: dict[str, object]) -> Message:
        """Rebuild a message from :meth:`as_raw`'s payload."""
        def strs(key: str) -> tuple[str, ...]:
            value = raw.get(key)
            return tuple(str(v) for v in value) if isinstance(value, list) else ()

        return cls(subject=str(raw.get("subject") or ""), body=str(raw.get("body") or ""),
                   from_name=str(raw.get("from_name") or ""),
                   from_addr=str(raw.get("from_addr") or ""), reply_to=strs("reply_to"),
                   attachments=strs("attachments"), headers=bool(raw.get("headers")),
                   source=str(raw.get("file") or ""), message_id=str(raw.get("message_id") or ""))

    @property
    def text(self) -> str:
        """Subject and body as one text, the way the rules read it."""
        return f"{self.subject}\n\n{self.body}" if self.subject else self.body


def _html_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return soup.get_text("\n")


def _body(msg: EmailMessage) -> tuple[str, list[str]]:
    texts: list[str] = []
    htmls: list[str] = []
    names: list[str] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        disposition = (part.get_content_disposition() or "").lower()
        if filename or disposition == "attachment":
            names.append(filename or "(unnamed attachment)")
            continue
        ctype = part.get_content_type()
        if ctype not in ("text/plain", "text/html"):
            continue
        try:
            content = part.get_content()
        except (LookupError, ValueError):  # unknown charset: take the bytes as best we can
            payload = part.get_payload(decode=True)
            content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
        (texts if ctype == "text/plain" else htmls).append(str(content))
    body = "\n".join(texts) if texts else "\n".join(_html_text(h) for h in htmls)
    return body, names


def read_message(data: bytes | str, source: str = "") -> Message:
    """Parse an .eml or plain text into a Message; never fails on odd input."""
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogateescape")
    text = raw.decode("utf-8", "replace")
    head = text.lstrip("\ufeff\r\n ").splitlines()[:3]
    if head and _HEADER.match(head[0]) and any(":" in h for h in head) and \
            not head[0].lower().startswith("subject:"):
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        body, attachments = _body(msg)
        from_name, from_addr = parseaddr(str(msg.get("From", "")))
        reply_to = tuple(a.lower() for _, a in getaddresses([str(v) for v in
                                                             msg.get_all("Reply-To", [])]) if a)
        return Message(subject=str(msg.get("Subject", "")).strip(), body=body,
                       from_name=from_name.strip(), from_addr=from_addr.strip().lower(),
                       reply_to=reply_to, attachments=tuple(attachments), headers=True,
                       source=source, message_id=str(msg.get("Message-ID", "")).strip())
    subject = ""
    body = text
    first, _, rest = text.partition("\n")
    if first.lower().startswith("subject:"):
        subject, body = first[8:].strip(), rest.lstrip("\r\n")
    return Message(subject=subject, body=body, source=source)


_SINCE = re.compile(r"\b(?:established|founded|since|incorporated)\s+(?:in\s+)?((?:19|20)\d\d)\b|"
                    r"((?:19|20)\d\d)\s*年\s*成立|成立于\s*((?:19|20)\d\d)", re.I)


def claimed_since(message: Message) -> int | None:
    """The founding year a message claims ("established in 1998", "成立于2005"), if any."""
    m = _SINCE.search(unicodedata.normalize("NFKC", message.text))
    return int(next(g for g in m.groups() if g)) if m else None


def _company_line(line: str) -> str | None:
    words = line.split()
    if not 2 <= len(words) <= 8 or len(line) > 80 or line.endswith(("?", "!", ",")):
        return None
    parsed = n.normalize_name(line)
    return line.strip(" -*|") if parsed.legal_form else None


def message_fields(message: Message) -> dict[str, str]:
    """Return lead fields (name, email, phone, website ...) found in a message."""
    text = unicodedata.normalize("NFKC", message.text)
    fields: dict[str, str] = {}
    emails = [e.lower() for e in _EMAIL.findall(text)]
    sender = message.from_addr or (emails[-1] if emails else "")
    if sender:
        fields["email"] = sender
    others = [e for e in dict.fromkeys(emails + list(message.reply_to)) if e != sender]
    if others:
        fields["other_emails"] = " ".join(others)
    for match in phonenumbers.PhoneNumberMatcher(text, None):  # only numbers written with +CC
        fields.setdefault("phone", phonenumbers.format_number(
            match.number, phonenumbers.PhoneNumberFormat.E164))
    for url in _URL.findall(text):
        domain = n.registered_domain(url)
        if domain and not n.is_shared_host(domain):
            fields.setdefault("website", url.rstrip(".,;"))
            break
    for line in reversed(text.splitlines()):  # signatures sit at the end
        name = _company_line(line.strip())
        if name:
            fields["name"] = name
            break
    if "name" not in fields and message.from_name and "@" not in message.from_name:
        fields["contact_name"] = message.from_name
    return fields
