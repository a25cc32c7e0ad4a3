"""Reading spreadsheets people have (any encoding, any delimiter) and writing safe exports."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from prospect import jsonio
from prospect import normalize as n
from prospect.columns import map_headers, row_fields
from prospect.errors import InputError, UsageError
from prospect.keys import IDS
from prospect.models import Observation, json_text
from prospect.textfiles import OLE, ZIP, detect_encoding, is_binary

__all__ = ["CsvImport", "Reject", "cell_text", "neutralise", "write_csv", "write_header",
           "write_jsonl", "write_xlsx"]

# A field over this size is a broken row (an unclosed quote swallowing the file), not data.
MAX_FIELD = 1 << 20
_SAMPLE = 1 << 20
# A line without its NUL characters (Excel exports sometimes carry them; csv refuses them).
_NO_NUL = operator.methodcaller("replace", "\x00", "")
# What a lead can be found by: a row with none of these is rejected. A registry number is
# a firm's identity (VIES, GLEIF and the registers look it up), a tax number a person's.
_FINDABLE = frozenset({"name", "contact_name", "website", "email", "phone", *IDS, "tax_id"})


def _source(named: str) -> str:
    """A row's own source (a file gathered from several), in place of the import's: the
    site of a page it names."""
    # A scraper writes the page it read each row from: the site is the source, one of a
    # few, not each page one of its own.
    if "://" in named or named.lower().startswith("www."):
        return n.registered_domain(named) or named
    return named


@dataclass(frozen=True)
class Reject:
    """A row that could not be imported, or was imported with a value dropped or corrected
    (``kept``): its line number, the reason and what it held."""

    line: int
    reason: str
    row: Sequence[str] = ()
    kept: bool = False


class _NotXlsx(Exception):
    """A zip archive that openpyxl cannot read as a workbook."""


def _sheet_csv(path: Path) -> tuple[str, int, str]:
    """A workbook's sheet as CSV text from its first filled row on, a row a line; that
    row's number and the sheet's name.

    The sheet is the first whose first rows hold one that names two lead fields or more
    (else one, else the first sheet with anything in it); which row is the header, under a
    list's title and notes, the import finds as in any file (CsvImport._read_header).
    """
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as ex:
        raise _NotXlsx from ex
    best: tuple[int, list[list[str]], int, str] | None = None  # (fields named, rows, at, name)
    try:
        for sheet in book.worksheets:
            rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            filled = [i for i, row in enumerate(rows) if any(row)]
            if not filled:
                continue
            named = max(min(len(map_headers([h for h in rows[i] if h])), 2)
                        for i in filled[:_HEADER_ROWS])
            if best is None or named > best[0]:
                best = (named, rows[filled[0]:], filled[0] + 1, sheet.title)
            if named >= 2:
                break
    finally:
        book.close()
    if best is None:
        return "", 1, ""
    _, rows, first, title = best
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue(), first, title


# A file's header is looked for in its first rows, under a title and notes.
_HEADER_ROWS = 20


def _cell(value: object) -> str:
    """A cell's value as the text it shows: whole numbers without ".0", dates as ISO dates,
    a line break in the cell a space (so a row stays one line)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


# The first bytes of a gzip file.
_GZIP = b"\x1f\x8b"
# The delimiters a file may use, in the order preferred where several read its header alike.
_DELIMITERS = ",;\t|"
# Excel's hint for the delimiter, the first line of some exports: "sep=;" ("sep=\t" a tab).
_SEP_LINE = re.compile(r"sep=([^\r\n])\r?\n", re.I)


class _Lines:
    """The file's lines for csv.reader, counted, with the lines of the current row kept so
    they can be read again (pushed back) when the row turns out to be broken."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self._back: list[str] = []
        self.taken: list[str] = []
        self.number = 0  # the last line handed out

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._back.pop() if self._back else next(self._lines)
        self.taken.append(line)
        self.number += 1
        return line

    def push_back(self, lines: Sequence[str]) -> None:
        """Hand these lines out again, in order."""
        self._back.extend(reversed(lines))
        self.number -= len(lines)


def _column(name: str, headers: list[str]) -> str:
    """The header a user's column name means: itself, else the one header that is the same
    but for case and surrounding spaces (else the name as given)."""
    if name in headers:
        return name
    alike = [h for h in headers if h.strip().casefold() == name.strip().casefold()]
    return alike[0] if len(alike) == 1 else name


# A column with no name in the header ("", and "(2)", "(3)" after it, as _distinct names them).
_UNNAMED = re.compile(r"(?: \(\d+\))?")


def _distinct(headers: list[str]) -> list[str]:
    """Headers made unique ("Phone", "Phone (2)"), so no column's values overwrite another's."""
    seen: dict[str, int] = {}
    out = []
    for header in headers:
        count = seen.get(header.lower(), 0) + 1
        seen[header.lower()] = count
        out.append(header if count == 1 else f"{header} ({count})")
    return out


def _swallowed(values: Sequence[str], delimiter: str, width: int) -> bool:
    """Does a field spanning lines hold whole rows (an unclosed quote), not a long text?"""
    need = max(2, width - 1)
    for value in values:
        if "\n" not in value and "\r" not in value:
            continue
        for part in value.splitlines()[1:]:
            if len(next(csv.reader([part], delimiter=delimiter), [])) >= need:
                return True
    return False


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
    chosen_encoding: str | None = None  # --encoding: the user's word over the detection
    country: str | None = None  # --country: the country of rows that name none (ISO code)
    separator_line: bool = False  # the file starts with Excel's "sep=;" line
    first_row: int = 1  # the row of a workbook's sheet its header is on
    sheet: str = ""  # the workbook's sheet read (an .xlsx file), else ""
    from_json: bool = False  # the file is JSON records (see prospect.jsonio)
    gzipped: bool = field(default=False, init=False)  # read through gzip (see _sample)
    # The header row as read, case folded: a row that repeats it is no firm.
    _header_row: list[str] = field(default_factory=list, init=False, repr=False)

    @property
    def unmapped(self) -> list[str]:
        """The named columns that no lead field took (kept in each observation's raw row only)."""
        return [h for h in self.headers if h not in self.mapping and h != self.id_column
                and not _UNNAMED.fullmatch(h)]

    def _sample(self) -> bytes:
        """The file's first bytes, uncompressed if it is gzip-compressed (``list.csv.gz``,
        which :attr:`gzipped` then says)."""
        with self.path.open("rb") as fh:
            sample = fh.read(_SAMPLE)
        self.gzipped = sample.startswith(_GZIP)
        if not self.gzipped:
            return sample
        with gzip.open(self.path, "rb") as fh:
            return fh.read(_SAMPLE)

    def _text(self) -> IO[str]:
        """The file as text in its encoding, bad bytes replaced, line ends as they are."""
        if self.gzipped:
            return gzip.open(self.path, "rt", encoding=self.encoding, errors="replace",
                             newline="")
        return self.path.open(encoding=self.encoding, errors="replace", newline="")

    def _open(self) -> IO[str]:
        try:
            sample = self._sample()
        except (OSError, EOFError) as ex:  # EOFError: a gzip file cut short
            raise InputError(f"cannot read {self.path}: "
                             f"{getattr(ex, 'strerror', None) or ex}") from ex
        if not sample.strip():
            raise InputError(f"{self.path} is empty")
        if sample.startswith((OLE, ZIP)):
            return self._open_workbook(sample)
        if is_binary(sample):
            raise InputError(f"{self.path} is not a CSV file (binary content)")
        if self.chosen_encoding:
            try:
                codecs.lookup(self.chosen_encoding)
            except LookupError as ex:
                raise InputError(f"--encoding {self.chosen_encoding!r}: no such encoding") from ex
            self.encoding = self.chosen_encoding
        else:
            self.encoding = detect_encoding(sample, whole=len(sample) < _SAMPLE)
        text = sample.decode(self.encoding, errors="replace")
        if text.lstrip("\ufeff \t\r\n").startswith(("[", "{")):
            table = self._open_json()
            if table is not None:
                return table
        # Files written for Excel may say their delimiter on a first line of its own ("sep=;").
        said = _SEP_LINE.match(text.lstrip("\ufeff"))
        self.separator_line = said is not None
        if said is not None:
            self.delimiter = said.group(1)
            return self._text()
        try:
            sniffed = csv.Sniffer().sniff(text[:65536], delimiters=_DELIMITERS).delimiter
        except csv.Error:  # too few rows, or mixed line ends
            sniffed = ","
        self.delimiter = self._header_delimiter(text, sniffed)
        return self._text()

    def _header_delimiter(self, text: str, sniffed: str) -> str:
        """The delimiter that splits the first line into the most lead fields; the sniffed
        one where it does as well (it read the rows too), else the first that does."""
        first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
        scores = {d: self._fields_named([h.strip() for h in next(csv.reader([first],
                                                                           delimiter=d), [])])
                  for d in (sniffed, *_DELIMITERS)}
        best = max(scores.values())
        return sniffed if scores[sniffed] == best else next(d for d in _DELIMITERS
                                                            if scores[d] == best)

    def _open_json(self) -> IO[str] | None:
        """A JSON file's records as CSV text (see :mod:`prospect.jsonio`), record k on line
        k; ``None`` where the file is no JSON after all (a CSV may start with "[")."""
        try:
            with self._text() as fh:
                text = fh.read()
        except (OSError, EOFError) as ex:
            raise InputError(f"cannot read {self.path}: "
                             f"{getattr(ex, 'strerror', None) or ex}") from ex
        found = jsonio.records(text.lstrip("\ufeff"))
        if found is None:
            return None
        headers, rows = jsonio.table(found)
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\n").writerows([headers, *rows])
        out.seek(0)
        # Its rejects are written as CSV in UTF-8 with a byte-order mark, which Excel reads.
        self.encoding, self.delimiter, self.separator_line = "utf-8-sig", ",", False
        self.first_row = 0  # the header is no line of the file: record 1 is line 1
        self.from_json = True
        return out

    def _open_workbook(self, sample: bytes) -> IO[str]:
        """An Excel workbook's sheet as CSV text (see :func:`_sheet_csv`), or an InputError
        saying what to do with a workbook it cannot read."""
        if sample.startswith(OLE):
            raise InputError(f"{self.path} is an Excel 97-2003 workbook (.xls): save it as "
                             ".xlsx or CSV and import that")
        try:
            text, self.first_row, sheet = _sheet_csv(self.path)
        except _NotXlsx:
            raise InputError(f"{self.path} is a zip archive, not an Excel workbook or CSV; "
                             "save a spreadsheet as .xlsx or CSV and import that") from None
        # Its rejects are written as CSV in UTF-8 with a byte-order mark, which Excel reads.
        self.sheet, self.encoding, self.delimiter, self.separator_line = sheet, "utf-8-sig", ",", False
        return io.StringIO(text, newline="")

    def observations(self) -> Iterator[Observation]:
        """Yield one observation per good row; bad rows go to :attr:`rejects`."""
        csv.field_size_limit(MAX_FIELD)
        with self._open() as fh:
            lines = _Lines(map(_NO_NUL, fh))
            lines.number = self.first_row - 1  # a sheet's rows above its header
            if self.separator_line:
                next(lines, None)  # counted: a bad row's line number is the file's
            reader = csv.reader(lines, delimiter=self.delimiter)
            data_headers = self._read_header(reader)
            ids: set[str | tuple[str, str]] = set()
            while True:
                line = lines.number + 1
                lines.taken.clear()
                try:
                    values = next(reader)
                except StopIteration:
                    break
                except EOFError:  # gzip's, for a compressed file cut short
                    raise InputError(f"{self.path} ends before its end (a compressed file "
                                     f"cut short): read up to line {line - 1}") from None
                except csv.Error as ex:
                    self.rejects.append(Reject(line, f"unreadable row: {ex}"))
                    if len(lines.taken) > 1:  # read on the lines after it as rows of their own
                        lines.push_back(lines.taken[1:])
                        reader = csv.reader(lines, delimiter=self.delimiter)
                    continue
                if len(lines.taken) > 1 and _swallowed(values, self.delimiter, len(self.headers)):
                    # A quote opened in this row and closed (if at all) rows later: the rows
                    # in between are rows, not one field's text.
                    self.rejects.append(Reject(
                        line, f"a quote opened on this line is not closed where the row ends "
                              f"(it ran on over {len(lines.taken)} lines)",
                        [lines.taken[0].rstrip("\r\n")]))
                    lines.push_back(lines.taken[1:])
                    continue
                if not "".join(values).strip():  # an empty row
                    continue
                if (values[0].strip().casefold() == self._header_row[0]
                        and [v.strip().casefold() for v in values] == self._header_row):
                    # Files joined one after another ("cat a.csv b.csv"): no firm's row.
                    self.rejects.append(Reject(line, "the header row again (files joined one "
                                                     "after another?): skipped", values))
                    continue
                if len(values) > len(self.headers) and not "".join(
                        values[len(self.headers):]).strip():
                    values = values[:len(self.headers)]  # empty cells after the last column
                if len(values) > len(self.headers):
                    self.rejects.append(Reject(
                        line, f"{len(values)} fields where the header has {len(self.headers)}",
                        values))
                    continue
                row = dict(zip(self.headers, values))  # noqa: B905 (short rows are allowed)
                fields = row_fields(row, self.mapping)
                if fields.keys().isdisjoint(_FINDABLE):  # row_fields keeps no empty value
                    self.rejects.append(Reject(
                        line, "no name, website, e-mail, phone or registry number", values))
                    continue
                named = fields.pop("source", "")
                source = _source(named) if named else self.source
                if self.id_column:
                    reference = self._given_id(row, values, line, source, ids)
                    if reference is None:
                        continue
                else:
                    content = json_text([row.get(h, "").strip() for h in data_headers])
                    reference = "sha1:" + hashlib.sha1(content.encode()).hexdigest()
                if "latitude" in fields or "longitude" in fields:
                    position, problem = n.read_position(fields.get("latitude", ""),
                                                        fields.get("longitude", ""))
                    if problem:
                        what = "position corrected" if position else "position left out"
                        self.rejects.append(Reject(line, f"imported; {what}: {problem}", values,
                                                   kept=True))
                if self.country and not n.normalize_country(fields.get("country", "")):
                    # None named, or none that reads as one ("N/A", "-"): the list's country.
                    fields["country"] = self.country
                yield Observation(source=source, reference=reference, fields=fields, raw=row)

    def _read_header(self, reader: Iterator[list[str]]) -> list[str]:
        """Read the header row into :attr:`headers` and :attr:`mapping`; return the headers
        that hold data (all but the id column). A header no row could be read under is an
        :class:`InputError`.

        The header is the first row, unless that names no lead field and one of the next
        rows names two or more (with the id column and the ``--map`` columns): a title and
        notes above the header, as a sheet saved as CSV keeps them.
        """
        try:
            first = [h.strip() for h in next(reader)]
        except (StopIteration, csv.Error) as ex:
            raise InputError(f"{self.path}: cannot read the header row ({ex})") from ex
        row = first
        if self._fields_named(first) < 1:
            for _ in range(_HEADER_ROWS):
                try:
                    row = [h.strip() for h in next(reader)]
                except (StopIteration, csv.Error):
                    row = first
                    break
                if self._fields_named(row) >= 2:
                    break
            else:
                row = first
        self.headers = _distinct(row)
        self._header_row = [h.casefold() for h in row]
        # "--id-column id" for a column "ID": a column the user named is found in any case.
        if self.id_column:
            self.id_column = _column(self.id_column, self.headers)
        self.overrides = {_column(c, self.headers): f for c, f in self.overrides.items()}
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
        return data_headers

    def _fields_named(self, row: list[str]) -> int:
        """How many lead fields a row would name as the header (0 if it lacks the id column or
        a ``--map`` column)."""
        headers = _distinct(row)
        own = _column(self.id_column, headers) if self.id_column else None
        overrides = {_column(c, headers): f for c, f in self.overrides.items()}
        if (own and own not in headers) or any(c not in headers for c in overrides):
            return 0
        return len(map_headers([h for h in headers if h and h != own], overrides))

    def _given_id(self, row: Mapping[str, str], values: list[str], line: int, source: str,
                  ids: set[str | tuple[str, str]]) -> str | None:
        """A row's id from the id column, or ``None`` (rejected) where it is empty or repeats
        an earlier row's of the same source; ``ids`` holds those met."""
        assert self.id_column
        reference = row.get(self.id_column, "").strip()
        if not reference:
            self.rejects.append(Reject(line, f"empty {self.id_column}", values))
            return None
        # Each source numbers its own records: in a file gathered from several, one id may
        # stand in two sources' rows.
        seen = reference if source == self.source else (source, reference)
        if seen in ids:
            self.rejects.append(Reject(
                line, f"{self.id_column} {reference!r} repeats an earlier row", values))
            return None
        ids.add(seen)
        return reference

    def write_rejects(self, path: Path) -> None:
        """Write the rejected rows with their line numbers and reasons, as CSV."""
        # In the input's own encoding, so the program that made the file reads it back.
        encoding = self.encoding or "utf-8"
        with path.open("w", encoding=encoding, errors="replace", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([neutralise(v) for v in ["line", "reason", *self.headers]])
            for r in self.rejects:
                writer.writerow([r.line, neutralise(r.reason), *[neutralise(v) for v in r.row]])


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


# An Excel sheet's rows (the header is one) and a cell's characters, at most.
_XLSX_ROWS = 1_048_576
_XLSX_CELL = 32_767


def write_xlsx(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], out: IO[bytes],
               *, progress: Callable[[int], None] | None = None) -> int:
    """Stream ``rows`` to ``out`` as an Excel workbook of one sheet; return the count.

    Text stays text (a phone keeps its "+" and leading zero, "=..." is never a formula);
    numbers are numbers; lists are joined as in CSV. More rows than a sheet holds are an
    :class:`~prospect.errors.UsageError`.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    sheet = book.create_sheet("leads")
    sheet.append(list(columns))
    count = 0

    def cell(value: Any) -> Any:
        if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
            return value
        # Characters XML cannot hold (control codes in scraped text) are dropped; a longer
        # text than a cell holds is cut, as Excel would refuse the file.
        text = ILLEGAL_CHARACTERS_RE.sub("", cell_text(value))[:_XLSX_CELL]
        if not text.startswith("="):
            return text
        written = WriteOnlyCell(sheet, value=text)
        written.data_type = "s"  # openpyxl takes text that starts with "=" for a formula
        return written

    try:
        for row in rows:
            count += 1
            if count >= _XLSX_ROWS:
                raise UsageError(f"an Excel sheet holds {_XLSX_ROWS - 1:,} rows under its "
                                 "header: export fewer (--limit, --grade, --country) or as CSV")
            sheet.append([cell(row.get(c)) for c in columns])
            if progress and count % 1000 == 0:
                progress(1000)
    except BaseException:
        sheet.close()  # its temporary file, half written, is ended and let go
        raise
    book.save(out)
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

