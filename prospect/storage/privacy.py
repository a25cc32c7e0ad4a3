"""Privacy: forgetting a person everywhere, do-not-contact, redaction."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from prospect import normalize as n
from prospect.models import now_iso
from prospect.storage.part import Part

__all__ = ["Privacy"]


class Privacy(Part):
    """Forgetting and suppressing: what must not stay or must not be contacted."""

    def _salt(self) -> str:
        if self._salt_value is None:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
            if row:
                self._salt_value = str(row[0])
            else:
                self._salt_value = secrets.token_hex(16)
                self.db.execute("INSERT INTO meta (key, value) VALUES ('salt', ?)",
                                [self._salt_value])
        return self._salt_value

    def _hash(self, kind: str, value: str) -> str:
        return hashlib.sha256(f"{self._salt()}|{kind}|{value}".encode()).hexdigest()

    def _forgotten_kinds(self) -> frozenset[str]:
        kinds = self._kinds
        if kinds is None:
            kinds = frozenset(r[0] for r in self.db.execute("SELECT DISTINCT kind FROM forgotten"))
            self._kinds = kinds
        return kinds

    def _forgotten_hashes(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT hash FROM forgotten")}

    @staticmethod
    def _person_values(value: str) -> list[tuple[str, str]]:
        email = n.normalize_email(value)
        if email:
            return [("email", email)]
        digits = "".join(c for c in value if c.isdigit())
        if len(digits) >= 7 and len(digits) >= len(value.replace(" ", "")) - 3:
            return [("phone", digits[-9:])]
        return [("name", n.fold(value))]

    def forgotten(self) -> set[str]:
        """The hashes of what was forgotten, for :meth:`without_forgotten` (empty: nothing)."""
        return self._forgotten_hashes()

    def without_forgotten(self, fields: dict[str, str], raw: Any, forgotten: set[str]
                          ) -> tuple[bool, dict[str, str], Any]:
        """A new observation's fields and raw payload with what was forgotten taken out:
        (whether anything was, fields, raw)."""
        removed = self._scrub(fields, forgotten)
        fields, said = self._redacted(fields, forgotten)
        raw, in_raw = self._redacted(raw, forgotten)
        if removed or said or in_raw:
            return True, fields, self._scrub_raw(raw, removed)
        return False, fields, raw

    def _scrub(self, fields: dict[str, str], forgotten: set[str]) -> list[str]:
        """Remove forgotten values from ``fields``; return the values removed.

        Forgetting a person's name also drops their birth date and tax number: without the
        name they are only ways to find the person again.
        """
        removed: list[str] = []
        for key in ("email", "phone", "fax", "contact_name", "name"):
            if key not in fields:
                continue
            value = fields[key]
            kind, norm = self._person_values(value)[0]
            if self._hash(kind, norm) in forgotten:
                removed.append(fields.pop(key))
                if kind == "name":
                    removed.extend(fields.pop(k) for k in ("birth_date", "tax_id") if k in fields)
        return removed

    def _scrub_raw(self, raw: Mapping[str, Any], removed: list[str],
                   *also: tuple[str, str]) -> dict[str, Any]:
        """The raw payload with every cell that holds a removed value (or ``also``) blanked."""
        marks = {*also, *(self._person_values(r)[0] for r in removed)}
        personal = {re.sub(r"\W", "", r).upper() for r in removed}
        return {k: ("[forgotten]" if isinstance(v, str) and (
            any(_contains(v, kind, norm) for kind, norm in marks)
            or re.sub(r"\W", "", v).upper() in personal) else v) for k, v in raw.items()}

    def _redacted(self, value: Any, forgotten: set[str]) -> tuple[Any, bool]:
        """``value`` (text, or JSON of lists and dicts) with forgotten values written over.

        Free text holds people too (a description, a note, a saved page): every e-mail
        address, phone number (in any format) and run of one to four words in it is
        normalised and hashed as ``forget`` hashes, and replaced by "[forgotten]" on a match.
        """
        if isinstance(value, str):
            text = _redact(value, lambda kind, norm: self._hash(kind, norm) in forgotten,
                           self._forgotten_kinds())
            return text, text != value
        if isinstance(value, list):
            pairs = [self._redacted(v, forgotten) for v in value]
            return [v for v, _ in pairs], any(c for _, c in pairs)
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            changed = False
            for k, v in value.items():
                out[k], hit = self._redacted(v, forgotten)
                changed = changed or hit
            return out, changed
        return value, False

    def redact(self, text: str) -> str:
        """``text`` with everything forgotten in this book written over (for logs, caches)."""
        return str(self._redacted(text, self._forgotten_hashes())[0])

    def forget(self, value: str) -> int:
        """Erase a person's e-mail, phone or name everywhere; return observations changed.

        Everywhere is every observation's fields and raw payload (free text and saved pages
        included), the follow-up notes and the vetting findings; a salted hash is kept so the
        same value is not added again by a later import. The caller clears caches and logs.
        """
        kind, norm = self._person_values(value)[0]
        digests = {self._hash(kind, norm)}
        if kind == "name" and len(norm.split()) > 1:  # "Doe, Jane" is the same person
            digests.add(self._hash(kind, " ".join(reversed(norm.split()))))
        changed = 0
        with self.db.atomic():
            self.db.conn.executemany("INSERT OR IGNORE INTO forgotten VALUES (?, ?, ?)",
                                     [(d, kind, now_iso()) for d in digests])
            self._kinds = None
            touched: set[int] = set()
            for obs_id, lead_id, fields_json, raw_json in self.db.execute(
                    "SELECT id, lead_id, fields, raw FROM observations").fetchall():
                fields = json.loads(fields_json)
                removed = self._scrub(fields, digests)
                fields, said = self._redacted(fields, digests)
                raw, in_raw = self._redacted(json.loads(raw_json), digests)
                if not (removed or said or in_raw):
                    continue
                raw = self._scrub_raw(raw, removed, (kind, norm))
                self.db.execute("UPDATE observations SET fields = ?, raw = ? WHERE id = ?",
                                [json.dumps(fields, ensure_ascii=False),
                                 json.dumps(raw, ensure_ascii=False), obs_id])
                touched.add(lead_id)
                changed += 1
            for lead_id in touched:
                self._recompute(lead_id)
            for table, key, columns in (("activities", "id", ("note",)),
                                        ("findings", "rowid", ("detail", "evidence")),
                                        ("vettings", "id", ("decided_by", "input"))):
                for row in self.db.execute(
                        f"SELECT {key}, {', '.join(columns)} FROM {table}").fetchall():
                    new = [self._redacted(v, digests)[0] if isinstance(v, str) else v
                           for v in row[1:]]
                    if new != list(row[1:]):
                        self.db.execute(f"UPDATE {table} SET "
                                        + ", ".join(f"{c} = ?" for c in columns)
                                        + f" WHERE {key} = ?", [*new, row[0]])
        if self.path is not None:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return changed

    def suppress(self, value: str) -> int:
        """Mark a domain, e-mail or phone do-not-contact; return how many leads it covers.

        The rule stays for leads that come later, whether or not a lead has the value now.
        """
        email = n.normalize_email(value)
        if email:
            kind, norm = "email", email
        elif "." in value and not value.replace(".", "").replace(" ", "").isdigit():
            domain = n.registered_domain(value)
            if not domain:
                raise ValueError(f"{value!r} is not a domain, e-mail or phone number")
            kind, norm = "domain", domain
        else:
            phone = n.normalize_phone(value)
            if phone is None:
                raise ValueError(f"{value!r} is not a domain, e-mail or phone number")
            kind, norm = "phone", phone.digits
        with self.db.atomic():
            self.db.execute("INSERT OR IGNORE INTO suppressions VALUES (?, ?, ?)",
                            [kind, norm, now_iso()])
            self._apply_suppressions(None)
        rows = self.db.execute("SELECT id, domain, email, phone FROM leads WHERE suppressed = 1")
        return len(_suppressed(rows.fetchall(), {kind: {norm}}))

    def _apply_suppressions(self, lead_ids: list[int] | None) -> None:
        rules = self.db.execute("SELECT kind, value FROM suppressions").fetchall()
        if not rules:
            return
        by_kind: dict[str, set[str]] = {}
        for kind, value in rules:
            by_kind.setdefault(kind, set()).add(value)
        if lead_ids is None:
            rows = self.db.execute("SELECT id, domain, email, phone FROM leads WHERE suppressed = 0")
        else:
            marks = ",".join("?" * len(lead_ids))
            rows = self.db.execute(
                f"SELECT id, domain, email, phone FROM leads WHERE id IN ({marks})", lead_ids)
        hits = [(lead_id,) for lead_id in _suppressed(rows.fetchall(), by_kind)]
        self.db.conn.executemany("UPDATE leads SET suppressed = 1 WHERE id = ?", hits)


def _suppressed(rows: Iterable[Sequence[Any]], by_kind: Mapping[str, set[str]]) -> list[int]:
    """Ids of the (id, domain, email, phone) rows that a do-not-contact rule covers."""
    hits = []
    for lead_id, domain, email, phone in rows:
        email_domain = email.split("@")[1] if email else None
        parsed = n.normalize_phone(phone) if phone else None
        digits = parsed.digits if parsed else None
        if (domain in by_kind.get("domain", ()) or email_domain in by_kind.get("domain", ())
                or email in by_kind.get("email", ())
                or digits in by_kind.get("phone", ())):
            hits.append(int(lead_id))
    return hits


_EMAIL_LIKE = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}", re.I)
_PHONE_LIKE = re.compile(r"\+?\d[\d ().\-/]{5,24}\d")
_WORD = re.compile(r"\w+")


def _redact(text: str, forgotten: Callable[[str, str], bool],
            kinds: frozenset[str] = frozenset(("email", "phone", "name"))) -> str:
    """``text`` with every e-mail, phone and name that ``forgotten(kind, norm)`` knows replaced.

    ``kinds``: the kinds of value forgotten at all (names cost the most to look for).
    """
    if not text:
        return text
    spans: list[tuple[int, int]] = []
    for m in _EMAIL_LIKE.finditer(text) if "email" in kinds and "@" in text else ():
        email = n.normalize_email(m.group(0))
        if email and forgotten("email", email):
            spans.append(m.span())
    for m in _PHONE_LIKE.finditer(text) if "phone" in kinds else ():
        digits = "".join(c for c in m.group(0) if c.isdigit())
        if len(digits) >= 7 and forgotten("phone", digits[-9:]):
            spans.append(m.span())
    words = list(_WORD.finditer(text)) if "name" in kinds else []
    for i in range(len(words)):
        for size in range(1, 5):
            if i + size > len(words):
                break
            start, end = words[i].start(), words[i + size - 1].end()
            if forgotten("name", n.fold(text[start:end])):
                spans.append((start, end))
    if not spans:
        return text
    out, at = [], 0
    for start, end in sorted(spans):
        if start < at:  # inside a span already written over
            continue
        out.append(text[at:start] + "[forgotten]")
        at = end
    return "".join(out) + text[at:]


def _contains(text: str, kind: str, norm: str) -> bool:
    if kind == "phone":
        return norm in "".join(c for c in text if c.isdigit())
    if kind == "email":
        return norm in text.lower()
    # A name also hides in the parts a spreadsheet split it into (first name, surname).
    folded = n.fold(text)
    return bool(folded) and (folded == norm or set(folded.split()) <= set(norm.split()))
