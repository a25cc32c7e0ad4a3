"""Commands that keep the book fresh: refresh, searches, runs, schedule."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Annotated, Any

import typer

from prospect.cli import env
from prospect.cli.app import app, state
from prospect.cli.common import _book, _check_names, _log, _log_dir, _table, _vet_progress, default_book
from prospect.cli.env import err, out
from prospect.errors import ProspectError, UsageError


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
            http = env.current.http(cache=not force)  # --force: fresh replies, not the 20-hour cache
            try:
                with _vet_progress(2) as bar:
                    task = bar.add_task("refresh", total=None)

                    def show(step: str, done: int, total: int) -> None:
                        bar.update(task, description=step, completed=done, total=total or None)

                    report = run_refresh(book, config=env.current.config(), http=http,
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
