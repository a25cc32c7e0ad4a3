"""The ``prospect`` command line: parse, call the library, print. No logic of its own.

Exit codes: 0 ok; 1 error; 2 usage error; 3 lead book problem (missing, locked, corrupt,
read-only, newer schema); 4 unknown lead id or nothing to undo; 5 unreadable input file;
6 search/refresh: some sources failed (the others' results are saved); 7 search/refresh:
every source failed; 8 refresh: another refresh is running; 130 interrupted.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Annotated, Any

import typer
import typer.core
import typer.main
from rich.console import Console
from rich.table import Table

from prospect import __version__
from prospect.errors import BookError, InputError, ProspectError, UsageError
from prospect.presets import LEAD_COLUMNS

# The main help lists commands by the job they serve, in the order a user meets them.
COMMAND_GROUPS: dict[str, tuple[str, ...]] = {
    "Find leads": ("search", "import", "enrich", "sources"),
    "Vet them": ("vet", "learn"),
    "Work the list": ("leads", "show", "serve", "mark", "note", "set", "rank", "tiers", "export"),
    "Keep it fresh": ("refresh", "searches", "runs", "schedule"),
    "The book": ("merge", "unmerge", "dedupe", "suppress", "forget", "doctor"),
}


class _Grouped(typer.core.TyperGroup):
    """The main help: commands under the job they serve, not in code order."""

    def list_commands(self, ctx: Any) -> list[str]:
        order = [c for names in COMMAND_GROUPS.values() for c in names]
        known = super().list_commands(ctx)
        return [c for c in order if c in known] + [c for c in known if c not in order]

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        listed: set[str] = set()
        for title, names in [*COMMAND_GROUPS.items(), ("Other", tuple(self.list_commands(ctx)))]:
            rows = []
            for name in names:
                command = self.get_command(ctx, name)
                if command is None or command.hidden or name in listed:
                    continue
                listed.add(name)
                rows.append((name, command.get_short_help_str(limit=200)))
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


app = typer.Typer(
    cls=_Grouped,
    name="prospect",
    help="Find business leads, vet them, keep them in one deduplicated lead book.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)

# Data goes to stdout, messages and progress to stderr, so `prospect export > f.csv` is clean.
out = Console(no_color=bool(os.environ.get("NO_COLOR")) or None, soft_wrap=True)
err = Console(stderr=True, no_color=bool(os.environ.get("NO_COLOR")) or None, soft_wrap=True)

OBS_COLUMNS = ["lead_id", "observation_id", "source", "reference", "fetched_at", "name",
               "website", "email", "phone", "address", "city", "postcode", "country"]


class State:
    """Options every command shares."""

    book: Path | None = None
    debug: bool = False


state = State()


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


def _version(value: bool) -> None:
    if value:
        out.print(f"prospect {__version__}")
        raise typer.Exit()


@app.callback()
def callback(
    book: Annotated[Path | None, typer.Option(
        metavar="FILE", help="The lead book (default: $PROSPECT_BOOK, else leads.db in your "
                             "user data folder).")] = None,
    debug: Annotated[bool, typer.Option("--debug", metavar="", help="Show tracebacks on errors.")] = False,
    version: Annotated[bool, typer.Option("--version", metavar="", callback=_version, is_eager=True,
                                          help="Show the version.")] = False,
) -> None:
    """Find business leads, vet them, keep them in one deduplicated lead book."""
    state.book = book
    state.debug = debug


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


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="CSV file (any encoding and delimiter).")],
    source: Annotated[str | None, typer.Option(
        metavar="NAME", help="Name of the list, e.g. 'Canton Fair'.")] = None,
    id_column: Annotated[str | None, typer.Option(metavar="COLUMN",
        help="Column that identifies a row in its source (else the row's content).")] = None,
    map_: Annotated[list[str] | None, typer.Option(
        "--map", metavar="COLUMN=FIELD",
        help="Take COLUMN as lead field FIELD, over the automatic column mapping.")] = None,
    rejects: Annotated[Path | None, typer.Option(metavar="FILE",
        help="Where to write rejected rows [default: FILE.rejects.csv].")] = None,
    encoding: Annotated[str | None, typer.Option(metavar="NAME",
        help="The file's encoding (e.g. cp1252, gb18030), over the detected one.")] = None,
) -> None:
    """Import leads from a CSV file; re-importing the same file changes nothing.

    Any encoding and delimiter; headers in English, Chinese, German, French, Spanish,
    Italian, Dutch, Portuguese, Japanese and Russian are recognised. Bad rows are reported
    with their line number and written to a rejects file; the good rows are kept.
    """
    from prospect.csvio import CsvImport
    from prospect.models import LEAD_FIELDS

    overrides: dict[str, str] = {}
    for item in map_ or []:
        column, _, fld = item.partition("=")
        if not fld or fld not in LEAD_FIELDS:
            raise UsageError(f"--map {item!r}: expected COLUMN=FIELD with FIELD one of "
                                f"{', '.join(LEAD_FIELDS)}")
        overrides[column] = fld
    reader = CsvImport(file, source or f"import:{file.name}", id_column, overrides,
                       chosen_encoding=encoding)
    book = _book(create=True)
    with _progress(f"importing {file.name}") as bar:
        task = bar.add_task("import", total=None)
        summary = book.ingest(reader, progress=lambda k: bar.advance(task, k))
    err.print(f"read {summary.read + len(reader.rejects)} rows ({reader.encoding}, "
              f"delimiter {reader.delimiter!r}): {summary.new_leads} new leads, "
              f"{summary.folded} folded into existing leads, {summary.unchanged} already in "
              f"the book, {len(reader.rejects)} rejected", markup=False, highlight=False)
    if reader.unmapped:
        err.print(f"columns not imported as lead fields (kept in each row's raw data): "
                  f"{', '.join(reader.unmapped)}; use --map COLUMN=FIELD to take one",
                  markup=False, highlight=False)
    if reader.rejects:
        target = rejects or file.with_name(file.stem + ".rejects.csv")
        try:
            reader.write_rejects(target)
        except OSError:
            target = Path.cwd() / (file.stem + ".rejects.csv")
            reader.write_rejects(target)
        for r in reader.rejects[:5]:
            err.print(f"  line {r.line}: {r.reason}", markup=False, highlight=False)
        err.print(f"rejected rows written to {target}")


def _filter(country: str | None, search: str | None, source: str | None, sort: str,
            limit: int | None, suppressed: bool, grade: str | None = None,
            status: str | None = None, not_touched: int | None = None,
            tier: str | None = None, near: str | None = None, within: float = 10.0) -> Any:
    from prospect.storage import SORTS, STATUSES, LeadFilter

    if sort not in SORTS:
        raise UsageError(f"--sort {sort!r}: use {', '.join(SORTS)}")
    if sort == "distance" and not near:
        raise UsageError("--sort distance needs --near LAT,LON")
    grades = tuple(g.strip().upper() for g in grade.split(",") if g.strip()) if grade else ()
    for g in grades:
        if g not in ("A", "B", "C", "D"):
            raise UsageError(f"--grade {g!r}: grades are A, B, C and D")
    statuses = tuple(x.strip().lower() for x in status.split(",") if x.strip()) if status else ()
    for x in statuses:
        if x not in STATUSES:
            raise UsageError(f"--status {x!r}: use {', '.join(STATUSES)}")
    return LeadFilter(country=tuple(c.strip() for c in country.split(",")) if country else (),
                      search=search, source=source, sort=sort, limit=limit,
                      include_suppressed=suppressed, grades=grades, statuses=statuses,
                      not_touched_days=not_touched,
                      tiers=tuple(t.strip() for t in tier.split(",")) if tier else (),
                      near=_home(near, "--near") if near else None, within_km=within)


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


@app.command()
def leads(
    country: CountryOpt = None, search: SearchOpt = None, source: SourceOpt = None,
    sort: SortOpt = "id", limit: LimitOpt = None,
    grade: Annotated[str | None, typer.Option(metavar="GRADES", help="Only these grades, e.g. A,B.")] = None,
    status: StatusOpt = None, not_touched: NotTouchedOpt = None, tier: TierOpt = None,
    near: NearOpt = None, within: WithinOpt = 10.0,
    as_json: Annotated[bool, typer.Option("--json", metavar="", help="Print a JSON array.")] = False,
) -> None:
    """List leads, filtered and sorted."""
    book = _book(write=False)
    rows = book.leads(_filter(country, search, source, sort, limit, True, grade, status,
                              not_touched, tier, near, within))
    if as_json:
        out.file.write("[")
        for i, row in enumerate(rows):
            out.file.write((",\n" if i else "\n") + json.dumps(row, ensure_ascii=False))
        out.file.write("\n]\n")
        return
    count = _table(
        ["id", "grade", "status", "dnc", "name", "country", "city", "website", "phone", "email",
         "sources"],
        ([str(row["id"]), row.get("grade") or "", row.get("status") or "",
          "dnc" if row["suppressed"] else "", row["name"] or "", row["country"] or "",
          row["city"] or "", row["domain"] or "", row["phone"] or "", row["email"] or "",
          ", ".join(row["sources"])] for row in rows),
        drop=("sources", "status", "city", "email", "phone", "country", "grade", "website"))
    err.print(f"{count} leads")


@app.command()
def show(
    lead_id: Annotated[int, typer.Argument(metavar="ID", help="Lead id.")],
    as_json: Annotated[bool, typer.Option("--json", metavar="", help="Print JSON.")] = False,
) -> None:
    """Show every field of a lead, where each came from, and every observation."""
    from prospect.web.lead import lead_view

    view = lead_view(_book(write=False), lead_id)
    lead, observations, activities = view["lead"], view["observations"], view["activities"]
    if as_json:
        out.file.write(json.dumps({"lead": lead, "observations": observations,
                                   "merges": view["merges"], "vettings": view["vettings"],
                                   "activities": activities, "claimed_by": view["claims"]},
                                  ensure_ascii=False, indent=2) + "\n")
        return
    fields: list[list[str]] = []
    for key in LEAD_COLUMNS[1:]:
        value = lead.get(key)
        if value:
            shown = ", ".join(value) if isinstance(value, list) else str(value)
            fields.append([key, shown, str(lead["provenance"].get(key, ""))])
    if lead["suppressed"]:
        fields.append(["do not contact", "yes", ""])
    fields.append(["status", lead["status"], ""])
    for key in ("rank_score", "tier"):
        if lead.get(key) is not None:
            fields.append([key, str(lead[key]), ""])
    for key, value in lead["user_values"].items():
        fields.append([key, f"{value:g}", "you"])
    _table(["field", "value", "from observation"], fields, title=f"lead {lead_id}")
    for a in activities:
        what = f"status -> {a['status']}" if a["kind"] == "status" else "note"
        out.print(f"{a['at']}  {what}" + (f": {a['note']}" if a["note"] else ""),
                  markup=False, highlight=False)
    for o in observations:
        why = ""
        if o["match"]:
            why = f" joined: score {o['match']['score']} (" + ", ".join(
                f"{r} {w:+g}" for r, w in o["match"]["reasons"]) + ")"
        out.print(f"observation {o['id']}: {o['source']} {o['reference']} at {o['fetched_at']}"
                  f"{why}", markup=False, highlight=False)
        out.print("  " + json.dumps(o["raw"], ensure_ascii=False), markup=False, highlight=False)
    for m in view["merges"]:
        state_ = f"undone {m['undone']}" if m["undone"] else "active"
        out.print(f"merge {m['id']}: lead {m['absorbed_id']} into {m['kept_id']} "
                  f"({m['reason']}, {m['created']}, {state_})", markup=False)
    own, messages = view["own"], view["messages"]
    if own:
        latest = own[0]
        out.print(f"\nvetted {latest['at']}: grade {latest['grade']} (score {latest['score']:g}, "
                  f"confidence {latest['confidence']:.0%})", markup=False, highlight=False)
        _print_findings([{**f, "check": f["check_name"]} for f in latest["findings"]])
        for older, newer in zip(own[1:], own, strict=False):
            if older["grade"] != newer["grade"]:
                changed = _changed_findings(older["findings"], newer["findings"])
                out.print(f"grade {older['grade']} -> {newer['grade']} on {newer['at']}"
                          + (f": {changed}" if changed else ""), markup=False, highlight=False)
    for v in messages:
        out.print(f"message {v['input']} vetted {v['at']}: grade {v['grade']} (the message's, "
                  "not the company's)", markup=False, highlight=False)
    for c in view["claims"]:
        out.print(f"warning: a message filed as lead {c['sender_lead']} ({c['input'] or 'stdin'}, "
                  f"{c['at']}) used this company's name: {c['detail']}",
                  markup=False, highlight=False)


@app.command()
def export(
    output: Annotated[str, typer.Option(
        "-o", "--output", metavar="FILE", help="File, or - for stdout.")] = "-",
    fmt: Annotated[str, typer.Option("--format", metavar="FORMAT", help="csv or jsonl.")] = "csv",
    excel: Annotated[bool, typer.Option(
        "--excel", metavar="", help="Add the BOM Excel needs for UTF-8.")] = False,
    columns: Annotated[str | None, typer.Option(metavar="COLUMNS", help="Comma-separated columns.")] = None,
    observations: Annotated[bool, typer.Option("--observations", metavar="",
        help="One row per observation with its lead_id, source and reference.")] = False,
    preset: Annotated[str | None, typer.Option(metavar="NAME",
        help="Column layout for a CRM import: hubspot, salesforce, pipedrive, plain, or yours "
             "from the config.")] = None,
    country: CountryOpt = None, search: SearchOpt = None, source: SourceOpt = None,
    sort: SortOpt = "id", limit: LimitOpt = None,
    grade: Annotated[str | None, typer.Option(metavar="GRADES", help="Only these grades, e.g. A,B.")] = None,
    status: StatusOpt = None, not_touched: NotTouchedOpt = None, tier: TierOpt = None,
    near: NearOpt = None, within: WithinOpt = 10.0,
) -> None:
    """Export leads (never do-not-contact ones) as CSV or JSON lines, streamed."""
    from prospect.csvio import write_csv, write_header, write_jsonl
    from prospect.presets import EXPORT_COLUMNS, EXPORTABLE, load_presets, preset_rows

    if fmt not in ("csv", "jsonl"):
        raise UsageError(f"--format {fmt!r}: use csv or jsonl")
    book = _book(write=False)
    flt = _filter(country, search, source, sort, limit, False, grade, status, not_touched, tier,
                  near, within)
    if observations:
        cols = columns.split(",") if columns else OBS_COLUMNS
        rows: Any = _observation_rows(book, flt)
    else:
        rows = _with_activity(book, flt)
        cols = columns.split(",") if columns else EXPORT_COLUMNS
        if preset:
            from prospect.config import load_config

            presets = load_presets(load_config().section("export", "presets"))
            if preset not in presets:
                raise UsageError(f"--preset {preset!r}: use one of {', '.join(presets)}")
            if columns:
                raise UsageError("--preset and --columns do not go together")
            rows = preset_rows(rows, presets[preset])
            cols = presets[preset].headers()
    allowed = OBS_COLUMNS if observations else EXPORTABLE
    unknown = [c for c in cols if c not in allowed] if not preset else []
    if unknown:
        raise UsageError(f"unknown column(s): {', '.join(unknown)}")
    # Everything is checked by now. A file is written beside the target and renamed over it
    # only when complete, so a failure (disk full, a crash) leaves the previous file whole.
    with _output(output) as fh:
        if fmt == "csv" and not observations and not preset:
            # Plain lead rows: SQLite computes the cells, Python only writes them.
            write_header(cols, fh, bom=excel)
            count = book.write_csv_lines(flt, cols, fh)
        elif fmt == "csv":
            count = write_csv(rows, cols, fh, bom=excel)
        else:
            count = write_jsonl(rows, cols if columns else None, fh)
    if output != "-":
        err.print(f"exported {count} rows to {output}", markup=False, highlight=False)


@contextlib.contextmanager
def _output(output: str) -> Iterator[IO[str]]:
    """Standard output for "-"; else a new owner-only file renamed to ``output`` when done."""
    if output == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(output)
    folder = target.parent
    if not folder.is_dir():
        raise ProspectError(f"cannot write {output}: there is no folder {folder}")
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
    except OSError as ex:
        raise ProspectError(f"cannot write in {folder}: {ex.strerror or ex}") from ex
    try:
        with open(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _with_activity(book: Any, flt: Any) -> Any:
    """Leads with their activity log as text; the log is read only when a row is wanted."""
    activity = book.activity_texts()
    for row in book.leads(flt):
        yield {**row, "activity": activity.get(row["id"], "")}


def _observation_rows(book: Any, flt: Any) -> Any:
    where, params = flt.where()
    sql = ("SELECT o.id, o.lead_id, o.source, o.reference, o.fetched_at, o.fields FROM "
           f"observations o JOIN leads ON leads.id = o.lead_id WHERE {where} ORDER BY o.id")
    for obs_id, lead_id, src, ref, fetched, fields in book.db.execute(sql, params):
        row = json.loads(fields)
        row.update(lead_id=lead_id, observation_id=obs_id, source=src, reference=ref,
                   fetched_at=fetched)
        yield row


@app.command()
def serve(
    port: Annotated[int, typer.Option(metavar="PORT", min=0, max=65535,
                                      help="Port to listen on (0: any free one).")] = 8001,
    host: Annotated[str, typer.Option(metavar="HOST",
        help="Address to listen on; anything but 127.0.0.1 lets others read the book.")]
        = "127.0.0.1",
    write: Annotated[bool, typer.Option("--write", metavar="",
        help="Allow marking a status and adding notes from the lead page.")] = False,
    open_browser: Annotated[bool, typer.Option("--open", metavar="",
        help="Open the page in your web browser.")] = False,
) -> None:
    """Browse the book in a web page: the list with facets, a map, each lead's evidence."""
    import socket

    from prospect import web

    try:
        import uvicorn

        from prospect.web import site
    except ImportError:
        raise ProspectError(web.EXTRA_MESSAGE) from None
    from prospect.config import load_config

    path = state.book or default_book()
    # Opened once as a writer would, so the schema is current and a cut-off import finished;
    # a book in a read-only folder must already be current.
    book = _book(write=os.access(path.parent, os.W_OK))
    book.close()
    host = host.strip("[]")  # "[::1]" as in a URL, or "::1"
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as ex:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {ex.strerror}; "
                         "pass another --port or --host") from None
    port = sock.getsockname()[1]
    if not web.is_local(host):
        err.print(f"warning: listening on {host}, not only on this machine: the book holds "
                  "personal data (names, e-mails, phone numbers) that anyone who can reach it "
                  "can read" + (", and its leads can be marked" if write else ""),
                  markup=False, highlight=False)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    app_ = site.build(path, tiles=site.tile_layer(load_config()), write=write)
    err.print(f"serving {path} at {url} ({'marks and notes allowed' if write else 'read-only'}; "
              "Ctrl-C stops)", markup=False, highlight=False)
    if open_browser:
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    server = uvicorn.Server(uvicorn.Config(app_.app(), log_level="warning", lifespan="on"))
    server.run(sockets=[sock])


@app.command()
def merge(
    keep: Annotated[int, typer.Argument(metavar="KEEP", help="Lead that stays.")],
    other: Annotated[int, typer.Argument(metavar="OTHER", help="Lead folded into it.")],
    prefer: Annotated[int | None, typer.Option(
        metavar="ID", help="Whose values win where both have one (default: KEEP's).")] = None,
) -> None:
    """Merge two leads; 'prospect unmerge KEEP' undoes it.

    The merged lead keeps KEEP's id and its values (name, web site, e-mail, phone ...);
    OTHER fills only what KEEP lacks, unless --prefer OTHER.
    """
    if prefer is not None and prefer not in (keep, other):
        raise UsageError(f"--prefer {prefer}: name one of the two leads, {keep} or {other}")
    _book().merge(keep, other, prefer_other=prefer == other)
    err.print(f"merged lead {other} into {keep}"
              + (f" (values of {other} first)" if prefer == other else ""))


@app.command()
def mark(
    lead_id: Annotated[int, typer.Argument(metavar="ID", help="Lead id.")],
    status: Annotated[str, typer.Argument(metavar="STATUSES",
        help="new, contacted, replied, qualified, customer or rejected.")],
    note: Annotated[str | None, typer.Option(metavar="TEXT", help="What happened.")] = None,
) -> None:
    """Set a lead's follow-up status (logged with the time and an optional note)."""
    from prospect.storage import STATUSES

    if status not in STATUSES:
        raise UsageError(f"status {status!r}: use {', '.join(STATUSES)}")
    _book().mark(lead_id, status, note)
    err.print(f"lead {lead_id}: {status}")


@app.command()
def note(
    lead_id: Annotated[int, typer.Argument(metavar="ID", help="Lead id.")],
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The note.")],
) -> None:
    """Add a timestamped note to a lead's activity log."""
    if not text.strip():
        raise UsageError("the note is empty")
    _book().note(lead_id, text)
    err.print(f"lead {lead_id}: note added")


@app.command("set")
def set_(
    lead_id: Annotated[int, typer.Argument(metavar="ID", help="Lead id.")],
    values: Annotated[list[str], typer.Argument(metavar="NAME=NUMBER...",
        help="NAME=NUMBER pairs, e.g. order_value=25000 (NAME= clears one).")],
) -> None:
    """Set your own numbers on a lead (order value, cost to serve ...) for 'prospect rank'."""
    import re

    parsed: dict[str, float | None] = {}
    for item in values:
        m = re.fullmatch(r"([A-Za-z_][\w-]*)=(.*)", item.strip())
        if not m:
            raise UsageError(f"{item!r}: write NAME=NUMBER, e.g. order_value=25000")
        raw = m.group(2).replace(",", "").replace("_", "").strip()
        if not raw:
            parsed[m.group(1)] = None
            continue
        try:
            parsed[m.group(1)] = float(raw)
        except ValueError:
            raise UsageError(f"{item!r}: {m.group(2)!r} is not a number") from None
    now = _book().set_values(lead_id, parsed)
    err.print(f"lead {lead_id}: " + (", ".join(f"{k}={v:g}" for k, v in now.items()) or "no values"))


def _home(text: str | None, what: str = "home") -> tuple[float, float] | None:
    import re

    if not text:
        return None
    m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*", str(text))
    if not m or not (-90 <= float(m.group(1)) <= 90 and -180 <= float(m.group(2)) <= 180):
        raise UsageError(f"{what} {text!r}: write latitude,longitude, e.g. 53.55,9.99")
    return float(m.group(1)), float(m.group(2))


@app.command("rank")
def rank_(
    weights: Annotated[Path | None, typer.Option(metavar="FILE",
        help="Criteria and pairwise judgments (TOML); default: prospect's own.")] = None,
    show_weights: Annotated[bool, typer.Option("--show-weights", metavar="",
        help="Show the weights, the consistency ratio and what each criterion measures.")] = False,
    home: Annotated[str | None, typer.Option(metavar="LAT,LON",
        help="Your location as lat,lon for the distance criterion [config: [rank] home].")] = None,
    top: Annotated[int, typer.Option(metavar="N", help="Show this many leads.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", metavar="", help="Print JSON.")] = False,
) -> None:
    """Rank leads by the analytic hierarchy process; store each lead's score and tier."""
    from prospect.config import load_config
    from prospect.rank import MEASURES, default_model, parse_weights, rank

    if weights:
        try:
            text = weights.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as ex:
            why = ex.strerror if isinstance(ex, OSError) else ex
            raise InputError(f"cannot read {weights}: {why}") from ex
        model = parse_weights(text, str(weights))
    else:
        model = default_model()
    where = _home(home or load_config().section("rank").get("home"))
    if not model.consistent:
        err.print(f"warning: consistency ratio {model.cr:.3f} exceeds 0.10: the judgments "
                  "contradict each other; revisit them (Saaty)", markup=False)
    result = rank(_book(), model, home=where, top=top)
    if as_json:
        out.file.write(json.dumps({"model": model.as_dict(), "ranked": result.ranked,
                                   "coverage": result.coverage, "tiers": result.tiers,
                                   "top": result.top}, ensure_ascii=False, indent=2) + "\n")
        return
    names = [c.name for c in model.criteria]
    if show_weights:
        weight_rows = []
        for c, w in zip(model.criteria, model.weights, strict=True):
            measure = MEASURES.get(c.measure) or MEASURES["field:NAME"].replace("NAME", c.measure[6:])
            weight_rows.append([c.name, f"{w:.3f}", f"{c.measure}: {measure}", c.better,
                                f"{result.coverage[c.name]} of {result.ranked}"])
        _table(["criterion", "weight", "measured by", "better", "leads with a value"],
               weight_rows, title=f"weights from {model.source}")
        out.print(f"lambda_max {model.lambda_max:.3f}, consistency index {model.ci:.3f}, "
                  f"consistency ratio {model.cr:.3f} ({'ok' if model.consistent else 'over 0.10'})",
                  markup=False, highlight=False)
        out.print("A lead's value on a criterion: vetting score, grade and stage as a share of "
                  "their scale (a lead never vetted counts as the low end of grade C, "
                  "'unproven'); other measures as a percentile among all leads, where a lead "
                  "without a value ranks below every lead with one. Its score is the weighted "
                  "sum. Rejected leads get no tier and are not listed.",
                  markup=False, highlight=False)
    _table(["id", "score", "tier", "status", "grade", "name", *names],
           ([str(row["id"]), f"{row['score']:.3f}", row["tier"] or "", row["status"],
             row["grade"] or "", row["name"] or "", *(f"{row['criteria'][n]:.2f}" for n in names)]
            for row in result.top),
           drop=(*reversed(names), "status", "tier"))
    err.print(f"ranked {result.ranked} leads; tiers: "
              + ", ".join(f"{k} {v}" for k, v in sorted(result.tiers.items())))


@app.command()
def tiers(as_json: Annotated[bool, typer.Option("--json", metavar="", help="Print JSON.")] = False,
          ) -> None:
    """Leads per tier and follow-up status (tiers come from 'prospect rank')."""
    from prospect.storage import STATUSES

    book = _book(write=False)
    counts: dict[str, dict[str, int]] = {}
    for tier, status, count in book.db.execute(
            "SELECT coalesce(tier, CASE WHEN suppressed THEN 'do not contact' "
            "WHEN rank_score IS NULL THEN 'unranked' ELSE 'out' END), status, count(*) "
            "FROM leads GROUP BY 1, 2"):
        counts.setdefault(tier, {})[status] = count
    order = [t for t in ("1", "2", "3", "customer", "out", "unranked", "do not contact")
             if t in counts]
    if as_json:
        out.file.write(json.dumps({t: counts[t] for t in order}, indent=2) + "\n")
        return
    totals = {t: sum(counts[t].values()) for t in order}
    _table(["tier", *STATUSES, "total"],
           ([t, *(str(counts[t].get(s, "")) for s in STATUSES), str(totals[t])] for t in order))
    if out.is_terminal and totals:
        width = max(10, min(50, out.width - 20))
        biggest = max(totals.values())
        for t in order:
            bar = "█" * max(1, round(width * totals[t] / biggest))
            out.print(f"{t:>14} {bar} {totals[t]}", markup=False, highlight=False)


@app.command()
def unmerge(lead_id: Annotated[int, typer.Argument(metavar="ID", help="Lead to split.")]) -> None:
    """Undo the latest merge into a lead; dedupe will not join the two again."""
    restored = _book().unmerge(lead_id)
    err.print(f"lead {restored} split off {lead_id} again")


@app.command()
def dedupe() -> None:
    """Re-cluster the whole book (user merges and unmerges stand)."""
    book = _book()
    total = book.db.execute("SELECT count(*) FROM observations").fetchone()[0]
    with _progress("dedupe") as bar:
        task = bar.add_task("dedupe", total=total)
        before, after = book.recluster(progress=lambda k: bar.advance(task, k))
    err.print(f"{before} leads before, {after} after")


@app.command()
def doctor() -> None:
    """Check the lead book file page by page (SQLite's integrity check) and say what is wrong."""
    path = state.book or default_book()
    try:
        verdict = _book(write=False).integrity()
    except (BookError, sqlite3.DatabaseError) as ex:
        if "no lead book" in str(ex) or "not a lead book" in str(ex):
            raise
        verdict = str(ex)
    if verdict == "ok":
        book = _book(write=False)
        counts = {t: book.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("leads", "observations", "vettings", "activities")}
        err.print(f"{path}: ok; " + ", ".join(f"{v} {k}" for k, v in counts.items()),
                  markup=False, highlight=False)
        return
    err.print(f"{path}: damaged:", markup=False, highlight=False)
    for line in verdict.splitlines()[:20]:
        err.print(f"  {line}", markup=False, highlight=False)
    err.print("Restore a backup, or keep what can be read: sqlite3 BOOK .recover | sqlite3 NEW",
              markup=False, highlight=False)
    raise typer.Exit(3)


@app.command()
def forget(value: Annotated[str, typer.Argument(
        metavar="VALUE", help="E-mail, phone or person's name.")]) -> None:
    """Erase a person's e-mail, phone or name everywhere; it stays erased on re-import."""
    book = _book()
    changed = book.forget(value)
    cleared = _forget_outside(book)
    err.print(f"forgotten in {changed} observations" + (f", {cleared} cached or logged files"
                                                       if cleared else "")
              + "; a salted hash keeps it out of later imports", markup=False, highlight=False)


def _forget_outside(book: Any) -> int:
    """Drop cached replies that mention a forgotten value; write over it in the logs."""
    from prospect.http import default_cache_dir

    touched = 0
    cache = default_cache_dir()
    for path in cache.rglob("*") if cache.is_dir() else ():
        if path.is_file():
            text = path.read_bytes().decode("utf-8", "replace")
            if book.redact(text) != text:
                path.unlink(missing_ok=True)
                touched += 1
    logs = _log_dir()
    for path in logs.glob("*.log*") if logs.is_dir() else ():
        text = path.read_text(encoding="utf-8", errors="replace")
        clean = book.redact(text)
        if clean != text:
            path.write_text(clean, encoding="utf-8")
            touched += 1
    return touched


@app.command()
def suppress(value: Annotated[str, typer.Argument(
        metavar="VALUE", help="Domain, e-mail or phone.")]) -> None:
    """Mark a domain, e-mail or phone do-not-contact: kept, never exported."""
    count = _book().suppress(value)
    if count:
        err.print(f"{value}: {count} lead{'s' if count != 1 else ''} now do-not-contact, and any "
                  "later lead with it", markup=False, highlight=False)
    else:
        err.print(f"{value}: no lead has it now; any later lead with it will be do-not-contact",
                  markup=False, highlight=False)


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


@app.command()
def search(
    text: Annotated[str, typer.Argument(
        metavar="TEXT", help="What you sell or look for, e.g. 'coffee roaster'.")],
    in_: Annotated[str | None, typer.Option(
        "--in", metavar="PLACE", help="Place: 'Hamburg, Germany'.")] = None,
    country: Annotated[str | None, typer.Option(
        metavar="COUNTRY", help="Country: code or name (DE, Germany).")] = None,
    kind: Annotated[str | None, typer.Option(metavar="KINDS",
        help="Kinds of source, comma-separated: maps, search, forums, directories.")] = None,
    source: Annotated[str | None, typer.Option(metavar="NAME",
        help="Sources by name, comma-separated (see 'prospect sources').")] = None,
    limit: Annotated[int, typer.Option(metavar="N", min=1, max=1000, help="Leads per source.")] = 50,
    save: Annotated[str | None, typer.Option(
        metavar="NAME", help="Save the search under NAME for 'refresh'.")] = None,
    no_enrich: Annotated[bool, typer.Option("--no-enrich", metavar="",
        help="Do not read the leads' own web sites for contacts.")] = False,
    as_json: Annotated[bool, typer.Option(
        "--json", metavar="", help="Print the report and leads as JSON.")] = False,
    timeout: Annotated[float, typer.Option(metavar="SECONDS",
        min=1, help="Seconds each source may run; one still running then stops, its results "
                    "kept (partial (deadline)).")] = 300.0,
) -> None:
    """Gather leads from maps, web search, forums and directories into the lead book.

    Every source runs at once; one failing keeps the others' results (exit 6; 7 if all
    failed). Ctrl-C stops within a couple of seconds and keeps what was found (exit 130).
    """
    from prospect.config import load_config
    from prospect.gather import SourceReport, gather
    from prospect.http import make_http
    from prospect.models import now_iso
    from prospect.normalize import normalize_country
    from prospect.sources import CATALOGUE, KINDS, Query

    cc = None
    if country:
        cc = normalize_country(country)
        if not cc:
            raise UsageError(f"--country {country!r}: not a country name or ISO code")
    chosen, kinds = _names(source), _names(kind)
    for name in chosen:
        if name not in CATALOGUE:
            raise UsageError(f"unknown source {name!r}; known: {', '.join(CATALOGUE)}")
    for k in kinds:
        if k not in KINDS:
            raise UsageError(f"unknown kind {k!r}; known: {', '.join(KINDS)}")
    classes = [c for n, c in CATALOGUE.items()
               if (not chosen or n in chosen) and (not kinds or c.kind in kinds)]
    if not classes:
        raise UsageError("no source matches --source and --kind together")
    config = load_config()
    query = Query(text=text, place=in_, country=cc, limit=limit)
    book = _book(create=True)
    http = make_http()
    try:
        sources = [c(http=http, config=config) for c in classes]
        with _source_progress([s.name for s in sources]) as bar, _stopping():
            tasks = {s.name: bar.add_task(s.name, total=None, status="") for s in sources}

            def show(report: SourceReport) -> None:
                status = ("done" if report.status == "ok" else report.line()) if report.done \
                    else ("" if report.status == "ok" else report.line())
                bar.update(tasks[report.name], completed=report.found, status=status,
                           total=report.found if report.done else None)

            report = gather(book, sources, query, progress=show, timeout=timeout)
        sites = None
        if not no_enrich and not report.interrupted:
            with _stopping():
                try:
                    sites = _enrich(book, http, report.lead_ids)
                except KeyboardInterrupt:
                    report.interrupted = True
    finally:
        http.close()
    if save:
        book.save_search(save, text, in_, cc, [s.name for s in sources], limit)
        # What this search lists now is refresh's baseline for "gone quiet".
        book.mark_listed(save, list(report.added.lead_ids) + list(report.added.seen_ids),
                         now_iso())
    added = report.added
    updated = len(report.lead_ids) - added.new_leads
    if as_json:
        out.print_json(data={
            "query": {"text": text, "in": in_, "country": cc, "limit": limit},
            "new_leads": added.new_leads, "updated_leads": updated,
            "folded": added.folded, "unchanged": added.unchanged,
            "sources": [{"name": s.name, "kind": s.kind, "status": s.status,
                         "reason": s.reason, "found": s.found} for s in report.sources],
            "websites": None if sites is None else {
                "sites": sites.sites, "read": sites.read, "disallowed": sites.disallowed,
                "failed": len(sites.failed)},
            "leads": [book.lead(i) for i in report.lead_ids]}, ensure_ascii=False)
    err.print(f"{added.new_leads} new leads, {updated} updated, {added.folded} duplicates "
              f"folded, {added.unchanged} already seen" + (f"; saved as {save!r}" if save else ""),
              markup=False, highlight=False)
    for s in report.sources:
        err.print(f"  {s.kind}/{s.name}: {s.line()}, {s.found} found", markup=False,
                  highlight=False)
    if sites is not None:
        err.print("  web/website: " + _sites_line(sites), markup=False, highlight=False)
    if report.interrupted:
        err.print("interrupted: what was found before is saved", markup=False)
        raise typer.Exit(130)
    ran = report.ran
    if ran and all(s.status == "failed" for s in ran):
        raise typer.Exit(7)
    if report.failed:
        raise typer.Exit(6)


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


def _enrich(book: Any, http: Any, lead_ids: list[int]) -> Any:
    """Read the leads' web sites, with a progress bar on a terminal."""
    from prospect.sources.websites import enrich

    with _progress("web sites") as bar:
        task = bar.add_task("web sites", total=None)
        return enrich(book, http, lead_ids, progress=lambda k: bar.advance(task, k),
                      total=lambda n: bar.update(task, total=n))


def _sites_line(sites: Any) -> str:
    return (f"read {sites.read} of {sites.sites} web sites"
            + (f", {sites.disallowed} disallowed by robots.txt" if sites.disallowed else "")
            + (f", {len(sites.failed)} failed" if sites.failed else ""))


@app.command("enrich")
def enrich_(
    lead_ids: Annotated[list[int] | None, typer.Argument(
        metavar="ID...", help="Lead ids (default: --all).")] = None,
    all_: Annotated[bool, typer.Option("--all", metavar="", help="Every lead with a web site.")] = False,
) -> None:
    """Read leads' own web sites (home, contact, imprint pages) for e-mails, phones, addresses."""
    from prospect.http import make_http

    book = _book()
    if not lead_ids and not all_:
        raise UsageError("say which leads: ids, or --all")
    ids = list(lead_ids or []) if not all_ else [
        r[0] for r in book.db.execute("SELECT id FROM leads WHERE website IS NOT NULL "
                                      "AND suppressed = 0 ORDER BY id")]
    for lead_id in lead_ids or []:
        book.lead(lead_id)  # an unknown id is an error, not a silent skip
    http = make_http()
    try:
        sites = _enrich(book, http, ids)
    finally:
        http.close()
    err.print(_sites_line(sites), markup=False, highlight=False)
    for lead_id, reason in sites.failed[:20]:
        err.print(f"  lead {lead_id}: {reason}", markup=False, highlight=False)


def _source_progress(names: list[str]) -> Any:
    from rich.progress import Progress, SpinnerColumn, TextColumn

    width = max(len(n) for n in names)
    return Progress(SpinnerColumn(finished_text="✓"), TextColumn(f"{{task.description:<{width}}}"),
                    TextColumn("{task.completed} found"), TextColumn("{task.fields[status]}"),
                    console=err, transient=False, disable=not err.is_terminal)


@app.command()
def sources(
    as_json: Annotated[bool, typer.Option("--json", metavar="", help="Print as JSON.")] = False,
) -> None:
    """List every source: kind, key needed, configured or not, endpoint and terms."""
    from prospect.config import SERVICES, load_config
    from prospect.sources import CATALOGUE

    config = load_config()
    rows: list[dict[str, Any]] = []
    for name, cls in CATALOGUE.items():
        svc = SERVICES[cls.service]
        endpoints = config.endpoints_of(cls.service)
        ready = bool(endpoints) and (not cls.needs_key or bool(config.key(cls.service)))
        rows.append({"name": name, "kind": cls.kind, "key": svc.key_env if cls.needs_key else "",
                     "configured": ready, "endpoint": " ".join(endpoints),
                     "env": svc.env, "terms": svc.terms})
    geo = SERVICES["nominatim"]
    rows.append({"name": "nominatim", "kind": "maps (geocoder for osm)", "key": "",
                 "configured": True, "endpoint": config.endpoint("nominatim"),
                 "env": geo.env, "terms": geo.terms})
    site = SERVICES["website"]
    rows.append({"name": "website", "kind": "web (enrichment after search; --no-enrich)",
                 "key": "", "configured": True, "endpoint": "each lead's own web site",
                 "env": "", "terms": site.terms})
    # The services the vetting checks call (prospect vet), each under the check that uses it.
    from prospect.vetting.runner import CHECKS

    listed = {cls.service for cls in CATALOGUE.values()}
    for check in CHECKS:
        if not check.service or check.service in listed:
            continue
        listed.add(check.service)
        svc = SERVICES[check.service]
        rows.append({"name": check.service, "kind": f"vetting ({check.step}: {check.name})",
                     "key": svc.key_env if svc.key else "",
                     "configured": bool(config.endpoint(check.service))
                     and (not svc.key or bool(config.key(check.service))),
                     "endpoint": config.endpoint(check.service), "env": svc.env,
                     "terms": svc.terms})
    tiles = SERVICES["tiles"]
    rows.append({"name": "tiles", "kind": "map tiles of 'prospect serve' (your browser loads them)",
                 "key": "", "configured": True, "endpoint": config.endpoint("tiles"),
                 "env": tiles.env, "terms": tiles.terms})
    dns_servers = config.env.get("PROSPECT_DNS_SERVERS") or ""
    rows.append({"name": "dns", "kind": "vetting (verify: mail-dns)", "key": "",
                 "configured": True, "endpoint": dns_servers or "the system's resolver",
                 "env": "PROSPECT_DNS_SERVERS",
                 "terms": "DNS look-ups of MX, SPF and DMARC records"})
    if as_json:
        out.print_json(data=rows)
        return
    _table(["name", "kind", "key", "ready", "endpoint", "env", "terms"],
           ([r["name"], r["kind"], r["key"] or "no key", "ready" if r["configured"] else "no",
             r["endpoint"] or "(none)", r["env"], r["terms"]] for r in rows),
           drop=("terms", "env", "key"))


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
    if not logger.handlers:
        handler = logging.handlers.RotatingFileHandler(folder / "prospect.log", maxBytes=1_000_000,
                                                       backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    return logger


@app.command()
def refresh(
    search_: Annotated[list[str] | None, typer.Option(
        "--search", metavar="NAME",
        help="Only this saved search (repeatable); runs it even if not due.")] = None,
    revet_after: Annotated[int, typer.Option(metavar="DAYS",
        help="Re-vet leads whose findings are older than this many days (and changed leads).")] = 14,
    no_vet: Annotated[bool, typer.Option("--no-vet", metavar="", help="Do not re-vet.")] = False,
    check: Annotated[str | None, typer.Option(metavar="CHECKS",
        help="Re-vet with only these checks or steps, e.g. look,verify (skips the search "
             "engines of 'ask').")] = None,
    force: Annotated[bool, typer.Option("--force", metavar="",
        help="Run every saved search now, due or not, bypassing the HTTP cache.")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", metavar="", help="Print nothing when nothing changed (for cron).")] = False,
    wait: Annotated[float, typer.Option(metavar="SECONDS",
        help="If another refresh is running, wait up to this many seconds.")] = 0.0,
    max_vet: Annotated[int, typer.Option(metavar="N",
        min=0, help="Vet at most this many leads this run; the rest wait for the next.")] = 50,
) -> None:
    """Re-run due saved searches, mark leads gone quiet, re-vet stale leads; report the changes."""
    import signal

    from prospect.config import load_config
    from prospect.http import make_http
    from prospect.models import now_iso
    from prospect.refresh import book_lock
    from prospect.refresh import refresh as run_refresh

    only = _check_names(check)
    book = _book()
    log = _log("refresh")
    stopping = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        # Every wait for a server ends at once and the run stops at the next safe point;
        # committed work stays. A second signal is not needed, and not lost either.
        err.print("stopping…", markup=False)
        stopping.set()

    old = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with book_lock(book.path, wait):
            book.end_abandoned_runs(now_iso())
            run_id = book.start_run("refresh", now_iso())
            log.info("run %s started", run_id)
            http = make_http(cache=not force)  # --force: fresh replies, not the 20-hour cache
            try:
                with _vet_progress(2) as bar:
                    task = bar.add_task("refresh", total=None)

                    def show(step: str, done: int, total: int) -> None:
                        bar.update(task, description=step, completed=done, total=total or None)

                    report = run_refresh(book, config=load_config(), http=http,
                                         names=list(search_ or ()),
                                         revet_after=None if no_vet else revet_after,
                                         force=force, checks=only, stop=stopping,
                                         log=log.info, max_vet=max_vet, progress=show)
            except Exception as exc:  # recorded, then shown as the usual one-line error
                log.error("run %s failed: %s", run_id, exc)
                book.finish_run(run_id, "failed", f"prospect refresh failed: {exc}", {})
                raise
            finally:
                http.close()
            text = report.text(book)
            book.finish_run(run_id, report.status, text, {
                "searches": report.searches, "new_leads": report.new_leads,
                "quiet": [i for i, _ in report.quiet], "failed": report.failed,
                "grade_changes": [list(g) for g in report.grade_changes]})
            log.info("run %s %s: %s", run_id, report.status, text.splitlines()[0])
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
    if report.changed or not quiet:
        out.print(text, markup=False, highlight=False)
    code = {"ok": 0, "partial": 6, "failed": 7, "interrupted": 130}[report.status]
    if code:
        raise typer.Exit(code)


@app.command()
def searches(
    remove: Annotated[str | None, typer.Option(metavar="NAME", help="Delete this saved search.")] = None,
    as_json: Annotated[bool, typer.Option("--json", metavar="", help="Print JSON.")] = False,
) -> None:
    """List saved searches: query, sources, last run and when each is next due."""
    import datetime as dt

    from prospect.refresh import DUE_HOURS

    book = _book(write=bool(remove))
    if remove:
        book.remove_search(remove)
        err.print(f"removed saved search {remove!r}", markup=False)
        return
    rows = book.saved_searches()
    for row in rows:
        last = row.get("last_run")
        row["next_due"] = ((dt.datetime.fromisoformat(last) + dt.timedelta(hours=DUE_HOURS))
                           .isoformat(timespec="seconds") if last else "now")
    if as_json:
        out.print_json(data=rows)
        return
    _table(["name", "query", "in", "country", "sources", "limit", "last run", "next due"],
           ([r["name"], r["query"], r["place"] or "", r["country"] or "", ",".join(r["sources"]),
             str(r["lim"]), r["last_run"] or "", r["next_due"]] for r in rows),
           drop=("sources", "limit", "country", "in"))


@app.command()
def runs(
    limit: Annotated[int, typer.Option(metavar="N", help="How many runs.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", metavar="", help="Print JSON.")] = False,
) -> None:
    """Past refresh runs: when, how long, status, what changed."""
    rows = _book(write=False).runs(limit)
    if as_json:
        out.print_json(data=rows)
        return
    _table(["run", "started", "finished", "status", "report"],
           ([str(r["id"]), r["started"], r["finished"] or "(did not finish)", r["status"],
             (r["report"] or "").partition("\n")[0]] for r in rows),
           drop=("finished",))


@app.command()
def schedule(
    daily: Annotated[bool, typer.Option("--daily", metavar="", help="Every day.")] = False,
    weekly: Annotated[bool, typer.Option("--weekly", metavar="", help="Every Monday.")] = False,
    at: Annotated[str, typer.Option(metavar="HH:MM", help="Time of day, HH:MM.")] = "06:30",
    install: Annotated[bool, typer.Option(
        "--install", metavar="", help="Add the line to your crontab (idempotent).")] = False,
    remove: Annotated[bool, typer.Option(
        "--remove", metavar="", help="Take prospect's line out of your crontab.")] = False,
) -> None:
    """Print (or install) the crontab line that runs 'prospect refresh --quiet'."""
    import re
    import shlex
    import shutil
    import subprocess

    if daily and weekly:
        raise UsageError("--daily and --weekly: choose one")
    if install and remove:
        raise UsageError("--install and --remove: choose one")
    m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", at)
    if not m:
        raise UsageError(f"--at {at!r}: use HH:MM, e.g. 06:30")
    hour, minute = int(m.group(1)), int(m.group(2))
    exe = shutil.which("prospect") or str(Path(sys.argv[0]).resolve())
    book = (state.book or default_book()).resolve()
    days = "1" if weekly else "*"
    tag = "# prospect refresh"
    # cron starts with an almost empty environment: the endpoints, keys and settings this
    # shell gives prospect go on the line, or the scheduled run would use other services.
    settings = {"PROSPECT_BOOK": str(book), **{
        k: v for k, v in sorted(os.environ.items())
        if k.startswith("PROSPECT_") and k not in ("PROSPECT_BOOK",) and v}}
    env = " ".join(f"{k}={shlex.quote(v)}" for k, v in settings.items())
    # The change report (stdout) and any error go to cron's mail and are appended to a log
    # file; with --quiet a run that changed nothing prints nothing, so cron sends no mail.
    log = _log_dir() / "cron.log"
    line = (f"{minute} {hour} * * {days} {env} "
            f"{shlex.quote(exe)} refresh --quiet 2>&1 | tee -a {shlex.quote(str(log))} {tag}")
    keys = [k for k in settings if k.endswith("_KEY")]
    if keys:
        err.print(f"note: the line carries your {', '.join(keys)}; crontabs are readable by "
                  "you and root only", markup=False, highlight=False)
    crontab = shutil.which("crontab")
    if not (install or remove):
        out.print(line, markup=False, highlight=False)
        if not crontab:
            err.print("no 'crontab' command here; a systemd user timer instead (two files, "
                      "then the command at the end):", markup=False)
            out.print(_systemd_units(exe, settings, "Mon" if weekly else "*-*-*",
                                     f"{hour:02d}:{minute:02d}"), markup=False, highlight=False)
        return
    if not crontab:
        out.print(line, markup=False, highlight=False)
        raise ProspectError("no 'crontab' command on this system; add the line above by hand "
                            "or use a systemd timer")
    current = subprocess.run([crontab, "-l"], capture_output=True, text=True, check=False)
    lines = [x for x in (current.stdout if current.returncode == 0 else "").splitlines()
             if not x.rstrip().endswith(tag)]
    if install:
        lines.append(line)
    subprocess.run([crontab, "-"], input="\n".join(lines) + "\n", text=True, check=True)
    err.print(("installed: " + line) if install else "removed prospect's crontab line", markup=False)


def _systemd_units(exe: str, settings: dict[str, str], days: str, at: str) -> str:
    """A systemd user service and timer that run 'prospect refresh --quiet' on schedule."""
    def quoted(value: str) -> str:  # systemd's quoting, and % is its specifier character
        return value.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")

    env = "\n".join(f'Environment="{k}={quoted(v)}"' for k, v in settings.items())
    return f"""# ~/.config/systemd/user/prospect-refresh.service
[Unit]
Description=prospect refresh: re-run saved searches, re-vet stale leads

[Service]
Type=oneshot
{env}
ExecStart={exe} refresh --quiet

# ~/.config/systemd/user/prospect-refresh.timer
[Unit]
Description=Run prospect refresh on schedule

[Timer]
OnCalendar={days} {at}:00
Persistent=true

[Install]
WantedBy=timers.target

# then: systemctl --user daemon-reload && systemctl --user enable --now prospect-refresh.timer"""


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


def _print_vetting(title: str, result: dict[str, Any]) -> None:
    out.print(title, markup=False, highlight=False, style="bold")
    _print_findings(result["findings"])
    listen = f", listen score {result['listen_score']:g}" if "listen_score" in result else ""
    out.print(f"grade {result['grade']}  (score {result['score']:g}, confidence "
              f"{result['confidence']:.0%}{listen})", markup=False, highlight=False, style="bold")
    for reason in result["decided_by"]:
        out.print(f"  because {reason}", markup=False, highlight=False)
    out.print("")


@app.command()
def vet(
    targets: Annotated[list[str] | None, typer.Argument(metavar="ID|FILE...",
        help="Lead ids; with --inquiry, message files (.eml or text; - for stdin).")] = None,
    inquiry: Annotated[bool, typer.Option(
        "--inquiry", metavar="", help="Vet messages someone sent instead of leads in the book.")] = False,
    all_: Annotated[bool, typer.Option(
        "--all", metavar="", help="Vet every lead due (see --grade-below, --stale).")] = False,
    grade_below: Annotated[str | None, typer.Option(metavar="GRADE",
        help="With --all: only leads never graded or graded worse than this (B: C and D).")] = None,
    stale: Annotated[int | None, typer.Option(metavar="DAYS",
        help="With --all: only leads not vetted in this many days.")] = None,
    check: Annotated[str | None, typer.Option(metavar="CHECKS",
        help="Only these checks or steps, comma-separated: look,verify or gleif,phone.")] = None,
    offline: Annotated[bool, typer.Option(
        "--offline", metavar="", help="No network: the online checks are skipped.")] = False,
    no_save: Annotated[bool, typer.Option("--no-save", metavar="",
        help="With --inquiry: do not file the sender in the book.")] = False,
    as_json: Annotated[bool, typer.Option(
        "--json", metavar="", help="One JSON object per lead or message.")] = False,
) -> None:
    """Vet leads or buyer messages: look, listen, ask, verify; an explained grade A-D."""
    from prospect.config import load_config
    from prospect.http import make_http
    from prospect.vetting.message import read_message
    from prospect.vetting.runner import (
        INQUIRY,
        build_checks,
        keep_earlier,
        lead_subject,
        message_subject,
        vet_many,
    )

    only = _check_names(check)
    targets = list(targets or [])
    if not inquiry and not all_ and not targets:
        raise UsageError("say what to vet: lead ids, --all, or --inquiry FILE")
    if grade_below and grade_below.upper() not in ("A", "B", "C", "D"):
        raise UsageError(f"--grade-below {grade_below!r}: grades are A, B, C and D")
    config = load_config()
    http = None if offline else make_http()
    book = None if (inquiry and no_save) else _book(create=inquiry)
    # --offline keeps every check: those that need the network say "skip (offline)", so the
    # grade's confidence shows how little could be checked.
    checks = build_checks(http=http, config=config, only=only or None)
    try:
        # What to vet in the order given: a subject, or (file, why it could not be read).
        entries: list[Any] = []
        if inquiry:
            for name in targets or ["-"]:
                try:
                    data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
                    entries.append(message_subject(book, read_message(data, name)))
                except OSError as ex:
                    entries.append((name, f"cannot read {name}: {ex.strerror or ex}"))
                except Exception as ex:  # one hostile message must not sink the batch
                    entries.append((name, f"cannot read the message in {name}: "
                                          f"{type(ex).__name__}: {ex}"))
        else:
            assert book is not None
            if all_:
                ids = book.to_vet(grade_below=grade_below, stale_days=stale)
            else:
                ids = []
                for t in targets:
                    if not t.isdigit():
                        raise UsageError(f"{t!r} is not a lead id (use --inquiry for messages)")
                    ids.append(int(t))
            entries = [lead_subject(book, i) for i in ids]
        subjects = [e for e in entries if not isinstance(e, tuple)]
        done = unreadable = 0
        with _vet_progress(len(subjects)) as bar, _stopping():
            task = bar.add_task("vetting", total=len(subjects))

            def checking(subject: Any, name: str) -> None:
                who = f"lead {subject.lead_id}" if subject.lead_id is not None else "message"
                bar.update(task, description=f"vetting {who}: {name}")

            # Checks that only read what they are given run best one message after another.
            workers = 1 if all(check.local for check in checks) else 8
            results = vet_many(subjects, checks, on_check=checking, workers=workers)
            for entry in entries:
                if isinstance(entry, tuple):
                    unreadable += 1
                    if as_json:
                        out.file.write(json.dumps({"file": entry[0], "error": entry[1]},
                                                  ensure_ascii=False) + "\n")
                    err.print(f"Error: {entry[1]}", markup=False, highlight=False)
                    continue
                subject, result = next(results)
                if book is not None and not inquiry and subject.lead_id is not None:
                    result = keep_earlier(result, book.last_vetting(subject.lead_id))
                data_out = result.as_dict()
                if subject.message is not None:
                    data_out = {"file": subject.message.source, **data_out}
                if subject.lead_id is not None:
                    data_out = {"lead_id": subject.lead_id, **data_out}
                if book is not None and (subject.lead_id is not None or inquiry):
                    # A message re-grades only a lead that is nothing but its sender.
                    own = (not inquiry or subject.lead_id is None
                           or book.lead(subject.lead_id)["sources"] == [INQUIRY])
                    book.record_vetting(subject.lead_id, result, sets_grade=own,
                                        source=subject.message.source if subject.message else None)
                if as_json:
                    out.file.write(json.dumps(data_out, ensure_ascii=False) + "\n")
                    out.file.flush()
                else:
                    label = subject.fields.get("name") or subject.fields.get("email") or ""
                    title = (f"lead {subject.lead_id}" if subject.lead_id is not None else "message")
                    if subject.message is not None and subject.message.source:
                        title += f" from {subject.message.source}"
                    _print_vetting(f"{title}: {label}".rstrip(": "), data_out)
                done += 1
                bar.update(task, completed=done)
    finally:
        if http is not None:
            http.close()
    err.print(f"{done} vetted" + (f", {unreadable} unreadable" if unreadable else ""),
              markup=False)
    if unreadable:
        raise typer.Exit(InputError.exit_code)


def _labelled(paths: list[Path], label: bool | None) -> Iterator[tuple[str, bool]]:
    """(text, is_scam) from message files and folders of them, or JSON lines with a label."""
    from prospect.vetting.message import read_message

    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            try:
                data = file.read_bytes()
            except OSError as ex:
                raise InputError(f"cannot read {file}: {ex.strerror}") from None
            if label is not None:
                message = read_message(data, str(file))
                yield message.text, label
                continue
            for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    text = str(row.get("eml") or row["text"])
                    scam = {"scam": True, "legit": False}[str(row["label"]).lower()]
                except (ValueError, KeyError, TypeError, AttributeError):
                    raise InputError(f"{file}:{number}: each line must be JSON with \"text\" (or "
                                     "\"eml\") and \"label\" scam or legit; or pass .eml files "
                                     "with --scam / --legit") from None
                yield read_message(text, f"{file}:{number}").text, scam


@app.command()
def learn(
    files: Annotated[list[Path] | None, typer.Argument(
        metavar="FILE...", help="JSON lines, each with \"text\" (or \"eml\") and \"label\" "
                                "(scam or legit).")] = None,
    scam: Annotated[list[Path] | None, typer.Option(
        metavar="PATH", help="Scam messages: .eml or text files, or folders of them (repeatable).")]
        = None,
    legit: Annotated[list[Path] | None, typer.Option(
        metavar="PATH", help="Legitimate messages, the same way (repeatable).")] = None,
    reset: Annotated[bool, typer.Option("--reset", metavar="",
        help="Forget your model; use the one prospect ships.")] = False,
) -> None:
    """Train the listen check's model on your own labelled mail (as sa-learn does).

    The model learns which words and phrases mark scams in mail like yours; 'vet' then adds
    its score to the red-flag rules and shows the words that weighed most. It is kept in your
    user data folder ($PROSPECT_LISTEN_MODEL to choose); '--reset' goes back to the shipped one.
    """
    from prospect.config import load_config
    from prospect.models import now_iso
    from prospect.vetting import model

    path = model.user_model_path(load_config().env)
    if reset:
        path.unlink(missing_ok=True)
        err.print("listen uses the shipped model again: " + model.shipped().trained_on,
                  markup=False, highlight=False)
        return
    if not (files or scam or legit):
        raise UsageError("give labelled mail: FILE.jsonl, or --scam PATH and --legit PATH")
    examples = [*_labelled(files or [], None), *_labelled(scam or [], True),
                *_labelled(legit or [], False)]
    scams = sum(label for _, label in examples)
    if min(scams, len(examples) - scams) < 5:
        raise UsageError(f"{scams} scam and {len(examples) - scams} legitimate messages: "
                         "give at least 5 of each (hundreds learn far better)")
    learned = model.train(examples, trained_on=f"your mail: {scams} scam and "
                          f"{len(examples) - scams} legitimate messages, {now_iso()[:10]}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                     suffix=".tmp") as fh:
        fh.write(learned.to_json() + "\n")
    os.replace(fh.name, path)
    err.print(f"learned {len(learned.weights)} weights from {scams} scam and "
              f"{len(examples) - scams} legitimate messages; saved to {path}; "
              "'prospect vet --inquiry' uses it from now on", markup=False, highlight=False)


def _vet_progress(total: int) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                    MofNCompleteColumn(), console=err, transient=True,
                    disable=not err.is_terminal or total < 1)


# One or two lines a user can copy, shown at the end of each command's --help.
EXAMPLES: dict[str, tuple[str, ...]] = {
    "search": ('prospect search "LED strip" --in "Hamburg, Germany"',
               'prospect search "LED strip importer" --country DE --source duckduckgo --save led-de'),
    "import": ('prospect import exhibitors.csv --source "Canton Fair 2026"',
               "prospect import list.csv --id-column record_id --map Firma=name --encoding cp1252"),
    "enrich": ("prospect enrich 42 57", "prospect enrich --all"),
    "sources": ("prospect sources", "prospect sources --json | jq '.[] | select(.configured)'"),
    "vet": ("prospect vet 42", "prospect vet --inquiry mail.eml",
            "prospect vet --all --grade-below B --stale 30 --check look,verify"),
    "leads": ("prospect leads --grade A,B --country DE", "prospect leads --status contacted "
              "--not-touched 14 --sort touched", "prospect leads --near 53.55,9.99 --within 5"),
    "show": ("prospect show 42", "prospect show 42 --json"),
    "mark": ('prospect mark 42 contacted --note "sent catalogue"',),
    "note": ('prospect note 42 "called, wants CIF Hamburg"',),
    "set": ("prospect set 42 order_value=25000", "prospect set 42 order_value="),
    "rank": ("prospect rank --show-weights", "prospect rank --weights weights.toml --top 50"),
    "tiers": ("prospect tiers",),
    "export": ("prospect export -o leads.csv --grade A,B --excel",
               "prospect export --preset hubspot -o hubspot.csv"),
    "refresh": ("prospect refresh", "prospect refresh --search led-de --revet-after 14 --quiet"),
    "searches": ("prospect searches", "prospect searches --remove led-de"),
    "runs": ("prospect runs --limit 5",),
    "schedule": ("prospect schedule --daily --at 06:30", "prospect schedule --daily --install"),
    "merge": ("prospect merge 42 57", "prospect merge 42 57 --prefer 57"),
    "unmerge": ("prospect unmerge 42",),
    "dedupe": ("prospect dedupe",),
    "doctor": ("prospect doctor", "prospect --book old.db doctor"),
    "learn": ("prospect learn --scam scams/ --legit inbox/", "prospect learn labelled.jsonl",
              "prospect learn --reset"),
    "serve": ("prospect serve", "prospect serve --open --write", "prospect serve --port 9000"),
    "suppress": ("prospect suppress example.com", "prospect suppress jane@example.com"),
    "forget": ("prospect forget jane@example.com", 'prospect forget "+49 40 1234567"'),
}


def _add_examples() -> None:
    """Append each command's examples to its help (kept verbatim: click's \b marker)."""
    import inspect

    for info in app.registered_commands:
        name = info.name or (info.callback.__name__.rstrip("_") if info.callback else "")
        lines = EXAMPLES.get(name)
        if lines and info.callback is not None and not info.help:
            doc = inspect.getdoc(info.callback) or ""
            info.help = doc + "\n\nExamples:\n\n\b\n" + "\n".join(f"  {x}" for x in lines)


_add_examples()


def _command() -> Any:
    """The click command typer builds from ``app``, its arguments' help made plain.

    An argument's help line shows its metavar ("ID..."); typer adds its Python type
    ("<list[int]>") after it, which says nothing to a user.
    """
    command = typer.main.get_command(app)
    for sub in getattr(command, "commands", {}).values():
        for param in sub.params:
            if getattr(param, "param_type_name", "") == "argument" and param.metavar:
                param.display_type_rich = lambda ctx: None
    return command


def main() -> None:
    """Run the CLI, turning errors into one line and an exit code."""
    # Everything prospect writes (cache, logs, exports, rejects) may hold people's contact
    # details: owner-only, like the book.
    os.umask(os.umask(0o077) | 0o077)
    try:
        code = _command()(standalone_mode=False)
        # Without standalone mode, typer.Exit(n) inside a command comes back as a return value.
        if isinstance(code, int) and code:
            sys.exit(code)
    except ProspectError as ex:
        _fail(ex, str(ex), ex.exit_code)
    except sqlite3.DatabaseError as ex:
        from prospect.storage.book import db_error

        book_error = db_error(state.book or default_book(), ex)
        _fail(ex, str(book_error), book_error.exit_code)
    except (ValueError, OSError) as ex:
        _fail(ex, str(ex), 1)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except typer.Exit as ex:
        sys.exit(ex.exit_code)
    except Exception as ex:  # click's usage errors and aborts carry their own exit code
        code = getattr(ex, "exit_code", None)
        if code is None:
            _fail(ex, f"unexpected error: {ex!r}; rerun with --debug and report it", 1)
        if hasattr(ex, "show"):
            ex.show()
        sys.exit(code)


def _fail(ex: BaseException, message: str, code: int) -> None:
    if state.debug:
        raise ex
    err.print(f"Error: {message}", markup=False, highlight=False)
    sys.exit(code)
