"""Commands that work the lead list and keep the book: leads, show, export, serve, mark,
note, set, rank, tiers, merge, unmerge, dedupe, doctor, forget, suppress."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from pathlib import Path
from typing import Annotated, Any

import typer

from prospect.cli import env
from prospect.cli.app import app, state
from prospect.cli.common import (
    OBS_COLUMNS,
    CountryOpt,
    LimitOpt,
    NearOpt,
    NotTouchedOpt,
    SearchOpt,
    SortOpt,
    SourceOpt,
    StatusOpt,
    TierOpt,
    WithinOpt,
    _binary_output,
    _book,
    _changed_findings,
    _home,
    _log_dir,
    _output,
    _print_findings,
    _progress,
    _table,
    default_book,
)
from prospect.cli.env import err, out
from prospect.errors import BookError, InputError, ProspectError, UsageError


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
          "dnc" if row["suppressed"] else "", _called(row), row["country"] or "",
          row["city"] or "", row["domain"] or "", row["phone"] or "", row["email"] or "",
          ", ".join(row["sources"])] for row in rows),
        drop=("sources", "status", "city", "email", "phone", "country", "grade", "website"))
    err.print(f"{count} leads")


# What a lead without a name is known by in a table, in this order.
_KNOWN_BY = (("contact_name", ""), ("vat", "VAT "), ("lei", "LEI "),
             ("company_number", "company "), ("uscc", "USCC "))


def _called(row: dict[str, Any]) -> str:
    """A lead's name in a table, or what it is known by when it has none ("VAT DE...")."""
    if row.get("name"):
        return str(row["name"])
    return next((f"{label}{row[key]}" for key, label in _KNOWN_BY if row.get(key)), "")


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
    for item in view["fields"]:
        origin = str(item["observation"] or "")
        # A site's observation says which of its pages (the imprint, the contact page).
        fields.append([item["field"], item["value"],
                       f"{origin} ({item['page']})" if item["page"] else origin])
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
    fmt: Annotated[str | None, typer.Option(
        "--format", metavar="FORMAT",
        help="csv, jsonl or xlsx; by default the output file's extension says (.xlsx, .jsonl), "
             "else csv.")] = None,
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
    """Export leads (never do-not-contact ones) as CSV, JSON lines or an Excel workbook."""
    from prospect.csvio import write_csv, write_header, write_jsonl, write_xlsx
    from prospect.presets import EXPORT_COLUMNS, EXPORTABLE, load_presets, preset_rows

    fmt = fmt or _FORMAT_OF.get(Path(output).suffix.lower(), "csv")
    if fmt not in ("csv", "jsonl", "xlsx"):
        raise UsageError(f"--format {fmt!r}: use csv, jsonl or xlsx")
    if fmt == "xlsx" and output == "-":
        raise UsageError("an Excel workbook is a file: pass -o FILE.xlsx")
    book = _book(write=False)
    flt = _filter(country, search, source, sort, limit, False, grade, status, not_touched, tier,
                  near, within)
    if observations:
        cols = columns.split(",") if columns else OBS_COLUMNS
        rows: Any = book.observation_rows(flt)
    else:
        rows = _with_activity(book, flt)
        cols = columns.split(",") if columns else EXPORT_COLUMNS
        if preset:

            presets = load_presets(env.current.config().section("export", "presets"))
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
    if fmt == "xlsx":
        # A workbook is written cell by cell, far slower than CSV: a large one shows progress.
        with _binary_output(output) as binary, _progress("exporting") as bar:
            task = bar.add_task("export", total=None)
            count = write_xlsx(rows, cols, binary, progress=lambda k: bar.advance(task, k))
        err.print(f"exported {count} rows to {output}", markup=False, highlight=False)
        return
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


# The format an export's file name asks for, by its extension.
_FORMAT_OF = {".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def _with_activity(book: Any, flt: Any) -> Any:
    """Leads with their activity log as text; the log is read only when a row is wanted."""
    activity = book.activity_texts()
    for row in book.leads(flt):
        yield {**row, "activity": activity.get(row["id"], "")}



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
    app_ = site.build(path, tiles=site.tile_layer(env.current.config()), write=write)
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
    where = _home(home or env.current.config().section("rank").get("home"))
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
    counts = book.tier_counts()
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
    from prospect.ingest.engine import recluster

    total = book.counts()["observations"]
    with _progress("dedupe") as bar:
        task = bar.add_task("dedupe", total=total)
        before, after = recluster(book, progress=lambda k: bar.advance(task, k))
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
        counts = book.counts()
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
