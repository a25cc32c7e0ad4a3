"""Commands that vet leads and messages: vet, learn."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from prospect.cli import env
from prospect.cli.app import app
from prospect.cli.common import _book, _check_names, _print_findings, _stopping, _vet_progress
from prospect.cli.env import err, out
from prospect.errors import InputError, UsageError

if TYPE_CHECKING:
    from prospect.storage import LeadBook


def _read_file(name: str) -> bytes:
    """A message file's bytes; "-" is standard input."""
    return sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()


def _title(subject: Any) -> str:
    """What a vetting is of: "lead 4: Name" or "message from file.eml: sender"."""
    label = subject.fields.get("name") or subject.fields.get("email") or ""
    title = f"lead {subject.lead_id}" if subject.lead_id is not None else "message"
    if subject.message is not None and subject.message.source:
        title += f" from {subject.message.source}"
    return f"{title}: {label}".rstrip(": ")


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
        help="Lead ids; with --inquiry, message files (.eml, Outlook .msg or text; - for stdin).")] = None,
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
    from prospect.vetting.runner import (
        Unreadable,
        build_checks,
        lead_subject,
        message_subjects,
        record,
        vet_many,
    )

    only = _check_names(check)
    targets = list(targets or [])
    if not inquiry and not all_ and not targets:
        raise UsageError("say what to vet: lead ids, --all, or --inquiry FILE")
    if grade_below and grade_below.upper() not in ("A", "B", "C", "D"):
        raise UsageError(f"--grade-below {grade_below!r}: grades are A, B, C and D")
    config = env.current.config()
    http = None if offline else env.current.http()
    book = None if (inquiry and no_save) else _book(create=inquiry)
    # --offline keeps every check: those that need the network say "skip (offline)", so the
    # grade's confidence shows how little could be checked.
    checks = build_checks(http=http, config=config, only=only or None)
    try:
        # What to vet in the order given: a subject, or a file that could not be read.
        entries: list[Any]
        if inquiry:
            entries = message_subjects(book, targets or ["-"], _read_file)
        else:
            assert book is not None
            ids = _lead_ids(book, targets, all_, grade_below, stale)
            entries = [lead_subject(book, i) for i in ids]
        subjects = [e for e in entries if not isinstance(e, Unreadable)]
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
                if isinstance(entry, Unreadable):
                    unreadable += 1
                    _print_unreadable(entry.source, entry.error, as_json)
                    continue
                subject, result = next(results)
                data_out = record(book, subject, result, inquiry=inquiry)
                if as_json:
                    out.file.write(json.dumps(data_out, ensure_ascii=False) + "\n")
                    out.file.flush()
                else:
                    _print_vetting(_title(subject), data_out)
                done += 1
                bar.update(task, completed=done)
    finally:
        if http is not None:
            http.close()
    err.print(f"{done} vetted" + (f", {unreadable} unreadable" if unreadable else ""),
              markup=False)
    if unreadable:
        raise typer.Exit(InputError.exit_code)


def _lead_ids(book: LeadBook, targets: list[str], all_: bool, grade_below: str | None,
              stale: int | None) -> list[int]:
    """The leads to vet: every one due (``--all``), else the ids given."""
    if all_:
        return book.to_vet(grade_below=grade_below, stale_days=stale)
    ids = []
    for t in targets:
        if not t.isdigit():
            raise UsageError(f"{t!r} is not a lead id (use --inquiry for messages)")
        ids.append(int(t))
    return ids


def _print_unreadable(source: str, error: str, as_json: bool) -> None:
    """Say that a message file could not be read: on stderr, and as a JSON line with --json."""
    if as_json:
        out.file.write(json.dumps({"file": source, "error": error}, ensure_ascii=False) + "\n")
    err.print(f"Error: {error}", markup=False, highlight=False)


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
    from prospect.models import now_iso
    from prospect.vetting import model

    path = model.user_model_path(env.current.config().env)
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
