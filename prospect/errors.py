"""prospect's errors, one tree, each shown to the user as one line with its exit code.

* ProspectError — anything prospect reports to the user; exit code 1.
  * UsageError — a bad option or argument value (an unknown grade, status, column); exit 2.
  * BookError — the lead book is missing, locked, corrupt, read-only or too new; exit 3.
  * NotFoundError — an unknown lead id or nothing to undo; exit 4.
  * InputError — a file to import cannot be read at all; exit 5.
"""

from __future__ import annotations

__all__ = ["BookError", "InputError", "NotFoundError", "ProspectError", "UsageError"]


class ProspectError(Exception):
    """An error prospect reports to the user as one line."""

    exit_code = 1


class UsageError(ProspectError):
    """A command was given a value it cannot use; nothing was done."""

    exit_code = 2


class BookError(ProspectError):
    """The lead book cannot be opened or written as it is."""

    exit_code = 3


class NotFoundError(ProspectError):
    """Something the user named (a lead id, a merge to undo) does not exist."""

    exit_code = 4


class InputError(ProspectError):
    """An input file cannot be read at all."""

    exit_code = 5
