"""Commands that find leads: import, search, enrich, sources."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from prospect.cli import env
from prospect.cli.app import app
from prospect.cli.common import _book, _country, _names, _progress, _stopping, _table
from prospect.cli.env import err, out
from prospect.errors import UsageError

if TYPE_CHECKING:
    from prospect.gather import GatherReport
    from prospect.sources.websites import EnrichReport
    from prospect.storage import LeadBook


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(
        metavar="FILE", help="CSV file (any encoding and delimiter; gzip too), Excel workbook "
                             "(.xlsx) or JSON records; - reads standard input.")],
    source: Annotated[str | None, typer.Option(
        metavar="NAME", help="Name of the list, e.g. 'Canton Fair' (a row whose 'Source' "
                             "column names another is that one's).")] = None,
    id_column: Annotated[str | None, typer.Option(metavar="COLUMN",
        help="Column that identifies a row in its source (else the row's content).")] = None,
    map_: Annotated[list[str] | None, typer.Option(
        "--map", metavar="COLUMN=FIELD",
        help="Take COLUMN as lead field FIELD, over the automatic column mapping; "
             "FIELD 'source': the column names each row's source.")] = None,
    rejects: Annotated[Path | None, typer.Option(metavar="FILE",
        help="Where to write rejected rows [default: FILE.rejects.csv].")] = None,
    encoding: Annotated[str | None, typer.Option(metavar="NAME",
        help="The file's encoding (e.g. cp1252, gb18030), over the detected one.")] = None,
    country: Annotated[str | None, typer.Option(metavar="COUNTRY",
        help="The country of rows that name none (code or name: DE, Germany): a list from "
             "one country, its phones and addresses read as that country's.")] = None,
) -> None:
    """Import leads from a CSV file, Excel workbook or JSON; importing it again changes nothing.

    A CSV file in any encoding and delimiter, an Excel workbook (its first sheet with a
    header row naming a lead field), or JSON as map scrapers and APIs export it (an array of
    records, JSON lines, GeoJSON, Overpass; nested keys read as "location.lat"); headers in
    English, Chinese, German, French, Spanish, Italian, Dutch, Portuguese, Japanese and
    Russian are recognised. Bad rows are reported with their line number (a JSON file's:
    the record's number) and written to a rejects file; the good rows are kept.
    """
    from prospect.csvio import CsvImport
    from prospect.models import LEAD_FIELDS

    overrides: dict[str, str] = {}
    for item in map_ or []:
        column, _, fld = item.partition("=")
        if not fld or fld not in (*LEAD_FIELDS, "source"):
            raise UsageError(f"--map {item!r}: expected COLUMN=FIELD with FIELD one of "
                                f"{', '.join(LEAD_FIELDS)} or source")
        overrides[column] = fld
    from prospect.ingest.engine import ingest

    book = _book(create=True)
    name = "stdin" if str(file) == "-" else file.name
    with _input(file) as path:
        reader = CsvImport(path, source or f"import:{name}", id_column, overrides,
                           chosen_encoding=encoding, country=_country(country))
        with _progress(f"importing {name}") as bar:
            task = bar.add_task("import", total=None)
            summary = ingest(book, reader, progress=lambda k: bar.advance(task, k))
    rejected = [r for r in reader.rejects if not r.kept]
    corrected = len(reader.rejects) - len(rejected)
    how = (f"sheet {reader.sheet!r}" if reader.sheet else "JSON records" if reader.from_json
           else f"{reader.encoding}, delimiter {reader.delimiter!r}")
    err.print(f"read {summary.read + len(rejected)} rows ({how}): {summary.new_leads} new leads, "
              f"{summary.folded} folded into existing leads, {summary.unchanged} already in "
              f"the book, {len(rejected)} rejected"
              + (f", {corrected} imported with a value left out or corrected" if corrected else ""),
              markup=False, highlight=False)
    named = [h for h, fld in reader.mapping.items() if fld == "source"]
    if named:
        err.print(f"each row's source: its {named[0]!r} column (rows without one: "
                  f"{reader.source})", markup=False, highlight=False)
    if reader.unmapped:
        # A JSON export's nested values make hundreds of columns: the first are named.
        shown = ", ".join(reader.unmapped[:_UNMAPPED_SHOWN]) + (
            f" and {len(reader.unmapped) - _UNMAPPED_SHOWN} more"
            if len(reader.unmapped) > _UNMAPPED_SHOWN else "")
        err.print(f"columns not imported as lead fields (kept in each row's raw data): "
                  f"{shown}; use --map COLUMN=FIELD to take one", markup=False, highlight=False)
    if reader.rejects:
        target = rejects or (Path("stdin.rejects.csv") if str(file) == "-"
                             else file.with_name(file.stem + ".rejects.csv"))
        try:
            reader.write_rejects(target)
        except OSError:
            target = Path.cwd() / (file.stem + ".rejects.csv")
            reader.write_rejects(target)
        for r in reader.rejects[:5]:
            err.print(f"  line {r.line}: {r.reason}", markup=False, highlight=False)
        err.print(f"{'rejected rows' if rejected else 'rows'} and reasons written to {target}")


_UNMAPPED_SHOWN = 20


@contextlib.contextmanager
def _input(file: Path) -> Iterator[Path]:
    """The file to import: ``file``, or for "-" what standard input holds, kept in a temporary
    file while the import reads it (its worker reads it again from the start)."""
    if str(file) != "-":
        yield file
        return
    fd, temp = tempfile.mkstemp(prefix="prospect-stdin-", suffix=".part")
    try:
        with open(fd, "wb") as fh:
            shutil.copyfileobj(sys.stdin.buffer, fh)
        yield Path(temp)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)


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
    from prospect.gather import SourceReport, gather
    from prospect.models import now_iso
    from prospect.sources import Query

    cc = _country(country)
    classes = _source_classes(source, kind)
    config = env.current.config()
    query = Query(text=text, place=in_, country=cc, limit=limit)
    book = _book(create=True)
    http = env.current.http()
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
    if as_json:
        query_json = {"text": text, "in": in_, "country": cc, "limit": limit}
        out.print_json(data=_search_json(book, report, sites, query_json), ensure_ascii=False)
    _print_search_report(report, sites, save)
    if report.interrupted:
        err.print("interrupted: what was found before is saved", markup=False)
        raise typer.Exit(130)
    ran = report.ran
    if ran and all(s.status == "failed" for s in ran):
        raise typer.Exit(7)
    if report.failed:
        raise typer.Exit(6)


def _source_classes(source: str | None, kind: str | None) -> list[Any]:
    """The source classes ``--source`` and ``--kind`` choose (all, without either)."""
    from prospect.sources import CATALOGUE, KINDS

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
    return classes


def _search_json(book: LeadBook, report: GatherReport, sites: EnrichReport | None,
                 query: dict[str, Any]) -> dict[str, Any]:
    """A search's report and leads, as ``search --json`` prints them."""
    added = report.added
    return {
        "query": query,
        "new_leads": added.new_leads, "updated_leads": len(report.lead_ids) - added.new_leads,
        "folded": added.folded, "unchanged": added.unchanged,
        "sources": [{"name": s.name, "kind": s.kind, "status": s.status,
                     "reason": s.reason, "found": s.found} for s in report.sources],
        "websites": None if sites is None else {
            "sites": sites.sites, "read": sites.read, "disallowed": sites.disallowed,
            "failed": len(sites.failed)},
        "leads": [book.lead(i) for i in report.lead_ids]}


def _print_search_report(report: GatherReport, sites: EnrichReport | None,
                         save: str | None) -> None:
    """What a search added, and a line for each source, on stderr."""
    added = report.added
    updated = len(report.lead_ids) - added.new_leads
    err.print(f"{added.new_leads} new leads, {updated} updated, {added.folded} duplicates "
              f"folded, {added.unchanged} already seen" + (f"; saved as {save!r}" if save else ""),
              markup=False, highlight=False)
    for s in report.sources:
        err.print(f"  {s.kind}/{s.name}: {s.line()}, {s.found} found", markup=False,
                  highlight=False)
    if sites is not None:
        err.print("  web/website: " + _sites_line(sites), markup=False, highlight=False)


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

    book = _book()
    if not lead_ids and not all_:
        raise UsageError("say which leads: ids, or --all")
    ids = list(lead_ids or []) if not all_ else book.websites()
    for lead_id in lead_ids or []:
        book.lead(lead_id)  # an unknown id is an error, not a silent skip
    http = env.current.http()
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
    from prospect.config import SERVICES
    from prospect.sources import CATALOGUE

    config = env.current.config()
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
