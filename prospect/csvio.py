"""Reading spreadsheets people have (any encoding, any delimiter) and writing safe exports."""

from __future__ import annotations

import csv
import hashlib
import json
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from charset_normalizer import from_bytes

from prospect.columns import map_headers, row_fields
from prospect.errors import InputError
from prospect.models import Observation, json_text

__all__ = ["CsvImport", "Reject", "cell_text", "neutralise", "write_csv", "write_header",
           "write_jsonl"]

# A field over this size is a broken row (an unclosed quote swallowing the file), not data.
MAX_FIELD = 1 << 20
_SAMPLE = 1 << 20
# A line without its NUL characters (Excel exports sometimes carry them; csv refuses them).
_NO_NUL = operator.methodcaller("replace", "\x00", "")
# What a lead can be found by: a row with none of these is rejected.
_FINDABLE = frozenset({"name", "contact_name", "website", "email", "phone"})


@dataclass(frozen=True)
class Reject:
    """A row that could not be imported: its line number, the reason and what it held."""

    line: int
    reason: str
    row: Sequence[str] = ()


def _detect_encoding(sample: bytes) -> str:
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as ex:
        if ex.start > len(sample) - 4:  # the sample cut a character in two
            return "utf-8"
    try:
        # Chinese Excel saves CSV as GBK; GB18030 is its superset and rarely decodes by accident.
        text = sample.decode("gb18030")
        if sum("\u4e00" <= c <= "\u9fff" for c in text) >= 2:
            return "gb18030"
    except UnicodeDecodeError:
        pass
    try:
        # Western spreadsheets without UTF-8 are Windows-1252 (a superset of Latin-1's text).
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        best = from_bytes(sample).best()
        return best.encoding if best is not None else "latin-1"


@dataclass
class CsvImport:
    """One CSV file to import: detects encoding and delimiter, maps columns, yields observations."""

    path: Path
    source: str
    id_column: str | None = None
    overrides: Mapping[str, str] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ","
    headers: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)

    def _open(self) -> IO[str]:
        try:
            with self.path.open("rb") as fh:
                sample = fh.read(_SAMPLE)
        except OSError as ex:
            raise InputError(f"cannot read {self.path}: {ex.strerror}") from ex
        if not sample.strip():
            raise InputError(f"{self.path} is empty")
        controls = sum(sample.count(bytes([c])) for c in range(32) if c not in (9, 10, 13))
        if controls > len(sample) // 20 and not sample.startswith((b"\xff", b"\xfe")):
            raise InputError(f"{self.path} is not a CSV file (binary content)")
        self.encoding = _detect_encoding(sample)
        text = sample.decode(self.encoding, errors="replace")
        try:
            self.delimiter = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|").delimiter
        except csv.Error:
            self.delimiter = ","
        return self.path.open(encoding=self.encoding, errors="replace", newline="")

    def observations(self) -> Iterator[Observation]:
        """Yield one observation per good row; bad rows go to :attr:`rejects`."""
        csv.field_size_limit(MAX_FIELD)
        with self._open() as fh:
            reader = csv.reader(map(_NO_NUL, fh), delimiter=self.delimiter)
            try:
                self.headers = [h.strip() for h in next(reader)]
            except (StopIteration, csv.Error) as ex:
                raise InputError(f"{self.path}: cannot read the header row ({ex})") from ex
            if self.id_column and self.id_column not in self.headers:
                raise InputError(f"{self.path}: no column {self.id_column!r} for --id-column "
                                 f"(columns: {', '.join(self.headers)})")
            unknown = [c for c in self.overrides if c not in self.headers]
            if unknown:
                raise InputError(f"{self.path}: --map names no such column: {', '.join(unknown)}")
            data_headers = [h for h in self.headers if h != self.id_column]
            self.mapping = map_headers(data_headers, self.overrides)
            if not self.mapping:
                raise InputError(f"{self.path}: no column names a lead field (name, website, "
                                 "email, phone ...); use --map COLUMN=FIELD")
            ids: set[str] = set()
            while True:
                line = reader.line_num + 1
                try:
                    values = next(reader)
                except StopIteration:
                    break
                except csv.Error as ex:
                    self.rejects.append(Reject(line, f"unreadable row: {ex}"))
                    continue
                if not "".join(values).strip():  # an empty row
                    continue
                if len(values) > len(self.headers):
                    self.rejects.append(Reject(
                        line, f"{len(values)} fields where the header has {len(self.headers)}",
                        values))
                    continue
                row = dict(zip(self.headers, values))  # noqa: B905 (short rows are allowed)
                fields = row_fields(row, self.mapping)
                if fields.keys().isdisjoint(_FINDABLE):  # row_fields keeps no empty value
                    self.rejects.append(Reject(line, "no name, website, e-mail or phone", values))
                    continue
                if self.id_column:
                    reference = row.get(self.id_column, "").strip()
                    if not reference:
                        self.rejects.append(Reject(line, f"empty {self.id_column}", values))
                        continue
                    if reference in ids:
                        self.rejects.append(Reject(
                            line, f"{self.id_column} {reference!r} repeats an earlier row", values))
                        continue
                    ids.add(reference)
                else:
                    content = json_text([row.get(h, "").strip() for h in data_headers])
                    reference = "sha1:" + hashlib.sha1(content.encode()).hexdigest()
                yield Observation(source=self.source, reference=reference, fields=fields,
                                  raw=row)

    def write_rejects(self, path: Path) -> None:
        """Write the rejected rows with their line numbers and reasons, as CSV."""
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["line", "reason", *self.headers])
            for r in self.rejects:
                writer.writerow([r.line, r.reason, *[neutralise(v) for v in r.row]])


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# A number ("+494038612741", "-73.98", "+49 (40) 386-127"): no letters, so no function or
# cell reference a spreadsheet could run; a CRM must get it as it is, without the guard.
_NUMBER = re.compile(r"[+-][0-9][0-9 ()./-]*")


def neutralise(value: Any) -> str:
    """Return a cell a spreadsheet will show as text, never run as a formula (OWASP CSV injection).

    A cell that starts like a formula gets a leading apostrophe, unless it is only a number
    (a phone in international format, a negative coordinate), which cannot call anything.
    """
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], out: IO[str],
              *, bom: bool = False, progress: Callable[[int], None] | None = None) -> int:
    """Stream ``rows`` to ``out`` as CSV with formula-safe cells; return the count."""
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([neutralise(cell_text(row.get(c))) for c in columns])
        count += 1
        if progress and count % 1000 == 0:
            progress(1000)
    return count


def write_header(header: Sequence[str], out: IO[str], *, bom: bool = False) -> None:
    """Start a CSV file: the byte-order mark Excel needs for non-Latin names, if asked, and a header."""
    if bom:
        out.write("\ufeff")
    csv.writer(out, quoting=csv.QUOTE_ALL).writerow(header)


def write_jsonl(rows: Iterable[Mapping[str, Any]], columns: Sequence[str] | None,
                out: IO[str]) -> int:
    """Stream ``rows`` to ``out`` as JSON lines; return the count."""
    count = 0
    for row in rows:
        data = {c: row.get(c) for c in columns} if columns else dict(row)
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
        count += 1
    return count


def cell_text(value: Any) -> str:
    """A value as a CSV cell shows it: lists joined with "; ", booleans yes/no, None empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)

