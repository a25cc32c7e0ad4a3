"""The ``prospect`` command line: parse, call the library, print. No logic of its own.

Exit codes: 0 ok; 1 error; 2 usage error; 3 lead book problem (missing, locked, corrupt,
read-only, newer schema); 4 unknown lead id or nothing to undo; 5 unreadable input file;
6 search/refresh: some sources failed (the others' results are saved); 7 search/refresh:
every source failed; 8 refresh: another refresh is running; 130 interrupted.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from typing import Any

import typer
import typer.main

from prospect.cli import find, fresh, leads, vetting  # noqa: F401  (they register the commands)
from prospect.cli.app import COMMAND_GROUPS, app, state
from prospect.cli.common import default_book
from prospect.cli.env import err, out
from prospect.errors import ProspectError

__all__ = ["COMMAND_GROUPS", "EXAMPLES", "app", "err", "main", "out", "state"]


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
               "prospect export -o leads.xlsx --country DE",
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
