"""The Typer application, its main help grouped by job, and the options every command shares."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
import typer.core

from prospect import __version__
from prospect.cli.env import out

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


class State:
    """Options every command shares."""

    book: Path | None = None
    debug: bool = False


state = State()


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
