"""Saved searches and runs: what was searched, when, and what each run did."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from prospect.errors import NotFoundError
from prospect.models import now_iso
from prospect.storage.part import Part

__all__ = ["Searches"]


class Searches(Part):
    """Saved searches, the leads each listed, and the runs of search and refresh."""

    def save_search(self, name: str, query: str, place: str | None, country: str | None,
                    sources: list[str], limit: int) -> None:
        """Store (or replace) a named search for ``refresh`` to run again."""
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO saved_searches (name, query, place, country, sources, lim, created, "
                "last_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                "query = excluded.query, place = excluded.place, country = excluded.country, "
                "sources = excluded.sources, lim = excluded.lim, last_run = excluded.last_run",
                [name, query, place, country, json.dumps(sources), limit, now_iso(), now_iso()])

    def saved_searches(self) -> list[dict[str, Any]]:
        """Return every saved search."""
        rows = list(self.db.query("SELECT * FROM saved_searches ORDER BY name"))
        for row in rows:
            row["sources"] = json.loads(row["sources"])
        return rows

    def remove_search(self, name: str) -> None:
        """Delete a saved search (its leads stay in the book)."""
        with self.db.atomic():
            if not self.db.execute("DELETE FROM saved_searches WHERE name = ?", [name]).rowcount:
                raise NotFoundError(f"no saved search named {name!r}")
            self.db.execute("DELETE FROM search_leads WHERE search = ?", [name])

    def search_ran(self, name: str, at: str) -> None:
        """Record that a saved search ran at ``at``."""
        with self.db.atomic():
            self.db.execute("UPDATE saved_searches SET last_run = ? WHERE name = ?", [at, name])

    def mark_listed(self, search: str, lead_ids: Iterable[int], at: str) -> None:
        """Record that ``search`` listed these leads at ``at``; they are no longer quiet."""
        rows = [(search, i, at, at) for i in lead_ids]
        with self.db.atomic():
            self.db.conn.executemany(
                "INSERT INTO search_leads (search, lead_id, first_seen, last_seen) VALUES "
                "(?, ?, ?, ?) ON CONFLICT(search, lead_id) DO UPDATE SET last_seen = excluded.last_seen",
                rows)
            self.db.conn.executemany("UPDATE leads SET quiet_since = NULL WHERE id = ?",
                                     [(r[1],) for r in rows])

    def mark_quiet(self, search: str, before: str) -> list[tuple[int, str]]:
        """Leads ``search`` listed before but not in the run stamped ``before``: mark them quiet."""
        quiet = [(int(r[0]), str(r[1])) for r in self.db.execute(
            "SELECT s.lead_id, s.last_seen FROM search_leads s JOIN leads l ON l.id = s.lead_id "
            "WHERE s.search = ? AND s.last_seen <> ? AND l.quiet_since IS NULL", [search, before])]
        with self.db.atomic():
            self.db.conn.executemany("UPDATE leads SET quiet_since = ? WHERE id = ?",
                                     [(seen, i) for i, seen in quiet])
        return quiet

    def end_abandoned_runs(self, at: str) -> int:
        """Mark runs still 'running' as interrupted (call holding the refresh lock: a run
        that is really running holds it, so these were killed); return how many."""
        with self.db.atomic():
            cur = self.db.execute(
                "UPDATE runs SET status = 'interrupted', finished = ?, report = "
                "CASE WHEN report = '' THEN 'killed before it could finish' ELSE report END "
                "WHERE status = 'running'", [at])
        return int(cur.rowcount or 0)

    def start_run(self, kind: str, at: str) -> int:
        """Open a run record (status 'running' until finish_run)."""
        with self.db.atomic():
            cur = self.db.execute("INSERT INTO runs (kind, started, status) VALUES (?, ?, 'running')",
                                  [kind, at])
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, status: str, report: str, changes: Mapping[str, Any]) -> None:
        """Close a run record with its status, text report and changes."""
        with self.db.atomic():
            self.db.execute("UPDATE runs SET finished = ?, status = ?, report = ?, changes = ? "
                            "WHERE id = ?", [now_iso(), status, report,
                                             json.dumps(changes, ensure_ascii=False), run_id])

    def runs(self, limit: int = 20) -> list[dict[str, Any]]:
        """The latest runs, newest first."""
        rows = list(self.db.query("SELECT * FROM runs ORDER BY id DESC LIMIT ?", [limit]))
        for row in rows:
            row["changes"] = json.loads(row["changes"] or "{}")
        return rows
