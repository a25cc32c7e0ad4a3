"""What every part of the lead book shares: its database, and the methods parts call across."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

__all__ = ["PREFER_ABSORBED", "Part", "busy_seconds", "lead_out"]

# The reason of a user merge whose absorbed lead's values win over the kept lead's.
PREFER_ABSORBED = "user, values of the absorbed lead"


class Part:
    """The state of a lead book that each of its parts (reading, merging, privacy ...) uses.

    :class:`prospect.storage.LeadBook` is made of the parts; a part calls another's methods
    through ``self``, declared here for the type checker.
    """

    db: Database
    path: Path | None
    _salt_value: str | None
    _kinds: frozenset[str] | None

    if TYPE_CHECKING:
        def lead(self, lead_id: int) -> dict[str, Any]: ...
        def _recompute(self, lead_id: int) -> None: ...
        def _apply_suppressions(self, lead_ids: list[int] | None) -> None: ...
        def _fold_follow_up(self, keep: int, other: int) -> None: ...
        def _follow_up_state(self, lead_id: int) -> None: ...


def lead_out(row: dict[str, Any]) -> dict[str, Any]:
    """A leads row as callers see it: its JSON columns read, its flag a bool."""
    out = dict(row)
    out["sources"] = json.loads(row.get("sources") or "[]")
    out["provenance"] = json.loads(row.get("provenance") or "{}")
    out["suppressed"] = bool(row.get("suppressed"))
    out["user_values"] = json.loads(row.get("user_values") or "{}")
    return out


def busy_seconds() -> float:
    """How long to wait for a book another process is writing ($PROSPECT_BUSY_TIMEOUT, 10 s)."""
    try:
        return max(0.0, float(os.environ.get("PROSPECT_BUSY_TIMEOUT") or 10))
    except ValueError:
        return 10.0
