"""What the commands share: the book, tables that pipe cleanly, progress, filters, logs."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.table import Table

from prospect.cli.app import state
from prospect.cli.env import err, out
from prospect.errors import ProspectError, UsageError

OBS_COLUMNS = ["lead_id", "observation_id", "source", "reference", "fetched_at", "name",
               "website", "email", "phone", "address", "city", "postcode", "country"]


def default_book() -> Path:
    """Return the book path: $PROSPECT_BOOK, else the platform's user data directory."""
    env = os.environ.get("PROSPECT_BOOK")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("prospect")) / "leads.db"


def _book(create: bool = False, write: bool = True) -> Any:
    """The lead book; ``write`` False for commands that only read (a read-only copy will do)."""
    from prospect.storage import LeadBook

    return LeadBook.open(state.book or default_book(), create=create, notice=err.print,
                         write=write)


def _cell(value: str) -> str:
    return " ".join(value.split()) if any(c in value for c in "\t\r\n") else value


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], *,
           drop: Sequence[str] = (), title: str | None = None) -> int:
    """Print rows: a table on a terminal, tab-separated lines with a header when piped.

    Piped, nothing is cut, so ``| grep`` and ``| cut -f`` see every value. On a terminal too
    narrow for every column, the columns in ``drop`` go first (in that order); the rest fold
    their long values onto more lines instead of cutting them. Returns the number of rows.
    """
    if not out.is_terminal:
        out.file.write("\t".join(headers) + "\n")
        count = 0
        for row in rows:
            out.file.write("\t".join(_cell(c) for c in row) + "\n")
            count += 1
        out.file.flush()
        return count
    from rich.text import Text

    body = [list(r) for r in rows]
    if not body:
        return 0
    shown = list(range(len(headers)))
    def needed() -> int:  # long values fold, so a column needs at most 30 characters
        return 1 + sum(3 + max(len(headers[i]), min(30, max(len(r[i]) for r in body)))
                       for i in shown)
    for name in drop:
        if needed() <= out.width:
            break
        if name in headers and len(shown) > 2:
            shown.remove(list(headers).index(name))
    table = Table(*(headers[i] for i in shown), title=title)
    for column in table.columns:
        column.overflow = "fold"
    for r in body:
        table.add_row(*(Text(r[i]) for i in shown))
    out.print(table)
    return len(body)


def _progress(label: str) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = [TextColumn(label), BarColumn(), MofNCompleteColumn()]
    return Progress(*columns, console=err, transient=True, disable=not err.is_terminal)


CountryOpt = Annotated[str | None, typer.Option(
    metavar="COUNTRY", help="Country codes or names, comma-separated.")]


SearchOpt = Annotated[str | None, typer.Option(
    metavar="WORDS", help="Full-text search in names and addresses.")]


SourceOpt = Annotated[str | None, typer.Option(metavar="NAME", help="Only leads seen by this source.")]


SortOpt = Annotated[str, typer.Option(metavar="KEY",
    help="id, name, country, first_seen, last_seen, grade, rank, touched, or distance "
         "(from --near).")]


StatusOpt = Annotated[str | None, typer.Option(metavar="STATUSES",
    help="Only these follow-up statuses, e.g. contacted,replied.")]


NotTouchedOpt = Annotated[int | None, typer.Option(metavar="DAYS",
    help="Only leads with no note or status change for this many days.")]


TierOpt = Annotated[str | None, typer.Option(metavar="TIERS", help="Only these tiers (1, 2, 3, customer).")]


LimitOpt = Annotated[int | None, typer.Option(metavar="N", help="At most this many leads.")]


NearOpt = Annotated[str | None, typer.Option(
    metavar="LAT,LON", help="Only leads within --within km of this point.")]


WithinOpt = Annotated[float, typer.Option(metavar="KM", min=0, help="Radius for --near.")]


@contextlib.contextmanager
def _output(output: str) -> Iterator[IO[str]]:
    """Standard output for "-"; else a new owner-only file renamed to ``output`` when done."""
    if output == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with _new_file(output, "w") as fh:
        yield fh


@contextlib.contextmanager
def _binary_output(output: str) -> Iterator[IO[bytes]]:
    """A new owner-only file, written in bytes and renamed to ``output`` when done."""
    with _new_file(output, "wb") as fh:
        yield fh


@contextlib.contextmanager
def _new_file(output: str, mode: str) -> Iterator[Any]:
    target = Path(output)
    folder = target.parent
    if not folder.is_dir():
        raise ProspectError(f"cannot write {output}: there is no folder {folder}")
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
    except OSError as ex:
        raise ProspectError(f"cannot write in {folder}: {ex.strerror or ex}") from ex
    try:
        with (open(fd, mode, encoding="utf-8", newline="") if "b" not in mode
              else open(fd, mode)) as fh:
            yield fh
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _home(text: str | None, what: str = "home") -> tuple[float, float] | None:
    import re

    if not text:
        return None
    m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*", str(text))
    if not m or not (-90 <= float(m.group(1)) <= 90 and -180 <= float(m.group(2)) <= 180):
        raise UsageError(f"{what} {text!r}: write latitude,longitude, e.g. 53.55,9.99")
    return float(m.group(1)), float(m.group(2))


def _check_names(value: str | None) -> list[str]:
    """The --check option: check or step names, each one known."""
    from prospect.vetting.base import STEPS
    from prospect.vetting.runner import CHECKS

    only = _names(value)
    known = {c.name for c in CHECKS} | set(STEPS)
    for name in only:
        if name not in known:
            raise UsageError(f"unknown check {name!r}; known: {', '.join(sorted(known))}")
    return only


def _names(value: str | None) -> list[str]:
    return [v.strip().lower() for v in (value or "").split(",") if v.strip()]


def _country(value: str | None) -> str | None:
    """A ``--country`` option's ISO code (a code or a name in any language read), or None."""
    if not value:
        return None
    from prospect.normalize import normalize_country

    code = normalize_country(value)
    if not code:
        raise UsageError(f"--country {value!r}: not a country name or ISO code")
    return code


@contextlib.contextmanager
def _stopping() -> Iterator[None]:
    """Ctrl-C says "stopping…" at once; the work then winds up and reports what it kept."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_interrupt(signum: int, frame: Any) -> None:
        err.print("stopping…", markup=False)
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def _log_dir() -> Path:
    import platformdirs

    return Path(os.environ.get("PROSPECT_LOG_DIR") or platformdirs.user_log_dir("prospect"))


def _log(name: str) -> Any:
    """A rotated log file under the user log dir ($PROSPECT_LOG_DIR to move it)."""
    import logging
    import logging.handlers

    folder = _log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger(f"prospect.{name}")
    path = str((folder / "prospect.log").absolute())
    # One handler, on the file the environment names now (a process that runs several
    # commands, as the tests do, may be told another folder between them).
    for old in list(logger.handlers):
        if getattr(old, "baseFilename", None) != path:
            logger.removeHandler(old)
            old.close()
    if not logger.handlers:
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000,
                                                       backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    return logger


_MARK = {"pass": "pass", "warn": "WARN", "fail": "FAIL", "skip": "skip"}


_STEP_NAMES = {"look": "look (望)", "listen": "listen (闻)", "ask": "ask (问)", "verify": "verify (切)"}


def _print_findings(findings: list[dict[str, Any]]) -> None:
    step = None
    for f in findings:
        if f["step"] != step:
            step = f["step"]
            out.print(_STEP_NAMES.get(step, step), markup=False, highlight=False)
        out.print(f"  {_MARK.get(f['verdict'], f['verdict']):4}  {f['check']:<16} {f['detail']}",
                  markup=False, highlight=False)
        for ev in f["evidence"][:8]:
            out.print(f"        {ev}", markup=False, highlight=False)


def _changed_findings(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> str:
    old = {f["check_name"]: f["verdict"] for f in before}
    return "; ".join(f"{f['check_name']} {old.get(f['check_name'], 'new')} -> {f['verdict']}"
                     for f in after if old.get(f["check_name"]) != f["verdict"])


def _vet_progress(total: int) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                    MofNCompleteColumn(), console=err, transient=True,
                    disable=not err.is_terminal or total < 1)
