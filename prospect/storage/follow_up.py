"""Follow-up: a lead's status, notes and the values a user sets."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from prospect.models import now_iso
from prospect.storage.part import Part
from prospect.storage.reading import _ACTIVITY_LINE

__all__ = ["STATUSES", "FollowUp"]

# The follow-up stages, in pipeline order; "rejected" ends a lead at any stage.
STATUSES: tuple[str, ...] = ("new", "contacted", "replied", "qualified", "customer", "rejected")


class FollowUp(Part):
    """The user's work on a lead: status, notes, values."""

    def _fold_follow_up(self, keep: int, other: int) -> None:
        """Move ``other``'s activity log and values to ``keep`` (inside the caller's transaction)."""
        self.db.execute("UPDATE activities SET lead_id = ? WHERE lead_id = ?", [keep, other])
        rows = {r[0]: json.loads(r[1] or "{}") for r in self.db.execute(
            "SELECT id, user_values FROM leads WHERE id IN (?, ?)", [keep, other])}
        values = {**rows.get(other, {}), **rows.get(keep, {})}  # the kept lead's values win
        self.db.execute("UPDATE leads SET user_values = ? WHERE id = ?",
                        [json.dumps(values, ensure_ascii=False), keep])
        self._follow_up_state(keep)

    def _follow_up_state(self, lead_id: int) -> None:
        """Status and last touch from the lead's own log: the latest status change wins."""
        status = self.db.execute(
            "SELECT status FROM activities WHERE lead_id = ? AND kind = 'status' "
            "ORDER BY at DESC, id DESC LIMIT 1", [lead_id]).fetchone()
        touched = self.db.execute("SELECT max(at) FROM activities WHERE lead_id = ?",
                                  [lead_id]).fetchone()
        self.db.execute("UPDATE leads SET status = ?, touched_at = ? WHERE id = ?",
                        [status[0] if status else "new", touched[0] if touched else None, lead_id])

    def mark(self, lead_id: int, status: str, note: str | None = None, *,
             at: str | None = None) -> None:
        """Set a lead's follow-up status, logged with an optional note."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        self.lead(lead_id)
        at = at or now_iso()
        with self.db.atomic():
            self.db.execute("INSERT INTO activities (lead_id, at, kind, status, note) "
                            "VALUES (?, ?, 'status', ?, ?)", [lead_id, at, status, note or None])
            self._follow_up_state(lead_id)

    def note(self, lead_id: int, text: str, *, at: str | None = None) -> None:
        """Add a timestamped note to a lead's activity log."""
        if not text.strip():
            raise ValueError("the note is empty")
        self.lead(lead_id)
        with self.db.atomic():
            self.db.execute("INSERT INTO activities (lead_id, at, kind, note) VALUES (?, ?, 'note', ?)",
                            [lead_id, at or now_iso(), text.strip()])
            self._follow_up_state(lead_id)

    def activities(self, lead_id: int) -> list[dict[str, Any]]:
        """Return a lead's activity log, oldest first."""
        return list(self.db.query("SELECT id, at, kind, status, note FROM activities "
                                  "WHERE lead_id = ? ORDER BY at, id", [lead_id]))

    def activity_texts(self) -> dict[int, str]:
        """Every lead's activity log as one line of text (for exports), by lead id."""
        return dict(self.db.execute(
            f"SELECT lead_id, group_concat(line, ' | ') FROM (SELECT lead_id, {_ACTIVITY_LINE} "
            "AS line FROM activities ORDER BY lead_id, at, id) GROUP BY lead_id").fetchall())

    def set_values(self, lead_id: int, values: Mapping[str, float | None]) -> dict[str, float]:
        """Set (or, with None, clear) user values such as order_value; return them all."""
        current = dict(self.lead(lead_id)["user_values"])
        for key, value in values.items():
            if value is None:
                current.pop(key, None)
            else:
                current[key] = value
        with self.db.atomic():
            self.db.execute("UPDATE leads SET user_values = ? WHERE id = ?",
                            [json.dumps(current, ensure_ascii=False), lead_id])
        return current

    def set_ranks(self, ranks: Mapping[int, tuple[float, str | None]]) -> None:
        """Store each lead's rank score and tier; do-not-contact leads lose theirs."""
        with self.db.atomic():
            self.db.execute("UPDATE leads SET rank_score = NULL, tier = NULL WHERE suppressed = 1")
            self.db.conn.executemany("UPDATE leads SET rank_score = ?, tier = ? WHERE id = ?",
                                     [(score, tier, i) for i, (score, tier) in ranks.items()])
