"""A message someone sent: plain text or an .eml file, and the lead hidden in it.

``read_message`` accepts what a user pastes or saves: an RFC 5322 e-mail (headers, MIME parts,
attachments) or bare text, optionally starting with a ``Subject:`` line. ``message_fields``
pulls the e-mail addresses, phone numbers, web sites and company name out of a message so the
look, ask and verify checks can run on the sender too.
"""

from __future__ import annotations

import contextlib
import email
import email.errors
import email.header
import email.parser
import email.policy
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from typing import IO, Protocol

import phonenumbers

from prospect import normalize as n
from prospect.errors import InputError
from prospect.textfiles import OLE, ZIP, detect_encoding, is_binary

__all__ = ["LONGEST_WORD", "CompoundFile", "Message", "claimed_since", "cut_long_words",
           "message_fields", "read_message", "read_outlook"]

# Bounds on what one message may cost: bytes read, MIME nesting and parts, text kept.
MAX_MESSAGE = 16 * 2**20
MAX_NESTING = 64
MAX_PARTS = 500
MAX_BODY = 500_000

_HEADER = re.compile(r"^(from|to|subject|date|received|return-path|message-id|mime-version|"
                     r"reply-to|delivered-to|x-[\w-]+|content-type|cc):", re.I)
# Bounded repeats (RFC 5321's lengths): a long word is scanned in linear time, not
# quadratic as with the unbounded pattern.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@(?:[\w-]{1,63}\.){1,8}[a-z]{2,24}\b", re.I)
# No word a rule or an address reads is longer; cutting longer runs keeps every pattern's
# work linear in the text (one very long word made the listen catalogue crawl).
LONGEST_WORD = 256
_LONG_WORD = re.compile(rf"\S{{{LONGEST_WORD + 1},}}")


def cut_long_words(text: str) -> str:
    """``text`` with every run of non-space characters cut to LONGEST_WORD."""
    return _LONG_WORD.sub(lambda m: m.group(0)[:LONGEST_WORD], text)
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
    note: str = ""  # what could not be read as it was (a refused MIME structure)
    mailing_list: bool = False  # sent through a mailing list (List-Id or List-Post, RFC 2919/2369)

    def as_raw(self) -> dict[str, object]:
        """The message as an observation's raw payload (kept so vetting can read it again)."""
        return {"subject": self.subject, "body": self.body, "from_name": self.from_name,
                "from_addr": self.from_addr, "reply_to": list(self.reply_to),
                "attachments": list(self.attachments), "headers": self.headers,
                "file": self.source, "message_id": self.message_id,
                "mailing_list": self.mailing_list}

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
                   source=str(raw.get("file") or ""), message_id=str(raw.get("message_id") or ""),
                   mailing_list=bool(raw.get("mailing_list")))

    @property
    def text(self) -> str:
        """Subject and body as one text, the way the rules read it."""
        return f"{self.subject}\n\n{self.body}" if self.subject else self.body


# Fewer visible characters than this in the plain part, beside an HTML part: a stub.
_STUB = 40
_ESCAPED = re.compile("[\udc80-\udcff]")


def _html_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return soup.get_text("\n")


def _parts(msg: EmailMessage) -> Iterator[EmailMessage]:
    """The message's leaf parts, depth first, iteratively and at most MAX_PARTS of them."""
    stack = [msg]
    seen = 0
    while stack and seen < MAX_PARTS:
        part = stack.pop()
        seen += 1
        if part.is_multipart():
            children = part.get_payload()
            if isinstance(children, list):
                stack.extend(reversed([c for c in children if isinstance(c, EmailMessage)]))
        else:
            yield part


def _body(msg: EmailMessage) -> tuple[str, list[str]]:
    texts: list[str] = []
    htmls: list[str] = []
    names: list[str] = []
    for part in _parts(msg):
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
    plain = "\n".join(texts)
    # A plain part with nothing to read beside an HTML one (an empty part, "view this in
    # your browser") is a stub: phishing kits add one so that filters reading plain text
    # read nothing. The HTML is the message then.
    if htmls and len("".join(plain.split())) < _STUB:
        return "\n".join(_html_text(h) for h in htmls), names
    return plain, names


def _header(msg: EmailMessage, name: str) -> list[str]:
    """Every value of header ``name``, decoded as far as it can be, never an exception.

    The header registry's parsers fail on what scammers and broken mailers write (a
    ``Message-Id: <>`` raised IndexError), so the raw values are read and decoded here.
    """
    values = []
    for key, value in msg.raw_items():
        if key.lower() != name.lower():
            continue
        text = str(value)
        with contextlib.suppress(ValueError, LookupError, UnicodeError,
                                 email.errors.HeaderParseError):
            text = str(email.header.make_header(email.header.decode_header(text)))
        if _ESCAPED.search(text):
            # Raw 8-bit bytes in a header (UTF-8 written without encoded words) come through
            # as surrogate escapes: give them back their characters.
            raw = text.encode("utf-8", "surrogateescape")
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
        values.append(" ".join(text.split()))
    return values


def _headers_only(raw: bytes, source: str) -> Message:
    """A message whose MIME structure is refused (nested past MAX_NESTING): headers, raw text."""
    msg = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(raw)
    assert isinstance(msg, EmailMessage)
    _, _, rest = raw.partition(b"\n\n")
    return _from_headers(msg, rest.decode("utf-8", "replace")[:MAX_BODY], [], source,
                         note="MIME structure nested too deep to read; raw text used")


def _from_headers(msg: EmailMessage, body: str, attachments: list[str], source: str,
                  note: str = "") -> Message:
    from_name, from_addr = parseaddr(next(iter(_header(msg, "From")), ""))
    reply_to = tuple(a.lower() for _, a in getaddresses(_header(msg, "Reply-To")) if a)
    return Message(subject=next(iter(_header(msg, "Subject")), "").strip(), body=body[:MAX_BODY],
                   from_name=from_name.strip(), from_addr=from_addr.strip().lower(),
                   reply_to=reply_to, attachments=tuple(attachments), headers=True,
                   source=source, message_id=next(iter(_header(msg, "Message-ID")), "").strip(),
                   note=note,
                   mailing_list=bool(_header(msg, "List-Id") or _header(msg, "List-Post")))


def read_message(data: bytes | str, source: str = "") -> Message:
    """Parse an .eml or plain text into a Message; never fails on odd input.

    Hostile input is bounded: at most MAX_MESSAGE bytes are read, MIME nested past
    MAX_NESTING levels is not parsed (the raw text is used), at most MAX_PARTS parts are
    walked, and the body kept is at most MAX_BODY characters.
    """
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogateescape")
    if raw.startswith(OLE):
        return _outlook_file(raw, source)
    raw = raw[:MAX_MESSAGE]
    _refuse_files(raw, source)
    text = _plain_text(raw)
    head = text.lstrip("\ufeff\r\n ").splitlines()[:3]
    if head and _HEADER.match(head[0]) and any(":" in h for h in head) and \
            not head[0].lower().startswith("subject:"):
        if raw.lower().count(b"boundary=") > MAX_NESTING:
            return _headers_only(raw, source)
        try:
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            assert isinstance(msg, EmailMessage)
            body, attachments = _body(msg)
        except RecursionError:
            return _headers_only(raw, source)
        return _from_headers(msg, body, attachments, source)
    subject = ""
    body = text
    first, _, rest = text.partition("\n")
    if first.lower().startswith("subject:"):
        subject, body = first[8:].strip(), rest.lstrip("\r\n")
    return Message(subject=subject[:MAX_BODY], body=body[:MAX_BODY], source=source)


class CompoundFile(Protocol):
    """The streams of an OLE compound file, as olefile's ``OleFileIO`` reads them."""

    def exists(self, name: str) -> bool:
        """Say whether a stream of that path exists."""
        ...

    def openstream(self, name: str) -> IO[bytes]:
        """Open a stream by its path."""
        ...

    def listdir(self) -> list[list[str]]:
        """Every stream's path, as a list of names."""
        ...


def _outlook_file(raw: bytes, source: str) -> Message:
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(raw))
    except OSError as ex:
        raise InputError(f"{source or 'the input'} is an Outlook message file that is "
                         f"damaged ({ex}); save the message again from Outlook") from None
    try:
        return read_outlook(ole, source)
    finally:
        ole.close()


def read_outlook(ole: CompoundFile, source: str = "") -> Message:
    """An Outlook message (.msg): its internet headers and plain body read as an e-mail, or
    where it has no headers (a draft, a sent item) its subject, sender and body; and the
    names of its attachments.

    [MS-OXMSG]: each property of the message is a stream "__substg1.0_" + its tag + its type
    (001F UTF-16 text, 001E 8-bit text); attachments are storages "__attach_version1.0_#n".
    """
    def text(tag: str, within: str = "") -> str:
        for kind, codec in (("001F", "utf-16-le"), ("001E", "cp1252")):
            name = f"{within}__substg1.0_{tag}{kind}"
            if ole.exists(name):
                return ole.openstream(name).read(MAX_MESSAGE).decode(codec, "replace").rstrip("\0")
        return ""

    attachments = tuple(name for name in (
        text("3707", f"{path[0]}/") or text("3704", f"{path[0]}/")  # long name, else short
        for path in sorted({tuple(p[:1]) for p in ole.listdir()
                            if p[0].startswith("__attach_version1.0_#")})) if name)
    body, headers = text("1000"), text("007D")
    if headers:
        # Its own headers, with the body as the one plain part it now is.
        kept, skipping = [], False
        for line in headers.splitlines():
            if not line.strip():
                continue  # the blank line that ended them: the parts added below come first
            if line[:1] not in (" ", "\t"):
                skipping = line.lower().startswith(("content-", "mime-version:"))
            if not skipping:
                kept.append(line)
        eml = "\r\n".join([*kept, "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
                            "Content-Transfer-Encoding: 8bit", "", body])
        message = read_message(eml.encode("utf-8", "replace"), source)
        if message.headers:
            return replace(message, attachments=attachments)
    return Message(subject=text("0037")[:MAX_BODY], body=body[:MAX_BODY],
                   from_name=text("0C1A").strip(),
                   from_addr=(text("5D01") or text("0C1F")).strip().lower(),
                   attachments=attachments, source=source)


# What a file that is no message may be, by how it starts (an Outlook file is read).
_NOT_MESSAGES = (
    (b"%PDF-", "a PDF, not a message: copy the message's text into a file of its own"),
    (ZIP, "a zip archive or Office document, not a message"),
)
# How much of a file its code page is read from.
_SAMPLE = 1 << 20


def _refuse_files(raw: bytes, source: str) -> None:
    """Refuse a file that is no message (a PDF, an archive, a picture): read as text, its
    bytes would be red flags of their own."""
    for start, what in _NOT_MESSAGES:
        if raw.startswith(start):
            raise InputError(f"{source or 'the input'} is {what}")
    if is_binary(raw[:4096]):
        raise InputError(f"{source or 'the input'} is not a message (binary content)")


def _plain_text(raw: bytes) -> str:
    """The text of a file in the code page it is written in (a message saved as text by
    Notepad or an older mail program: GBK, windows-1252), as an imported spreadsheet's is
    told (:func:`prospect.textfiles.detect_encoding`)."""
    encoding = detect_encoding(raw[:_SAMPLE], whole=len(raw) <= _SAMPLE)
    return raw.decode(encoding, "replace")


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
    text = unicodedata.normalize("NFKC", cut_long_words(message.text))
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
