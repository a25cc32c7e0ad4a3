"""Merges and re-clustering: joining leads, splitting them, applying what dedupe decided."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from prospect import normalize as n
from prospect.errors import NotFoundError
from prospect.models import now_iso
from prospect.storage.part import PREFER_ABSORBED, Part, lead_out

__all__ = ["Merging"]


class Merging(Part):
    """Joining and splitting leads, by the user or by dedupe."""

    def merge(self, keep: int, other: int, reason: str = "user", *,
              prefer_other: bool = False) -> None:
        """Fold lead ``other`` into ``keep``; the merge is recorded so it can be undone.

        The kept lead keeps its name, web site, e-mail, phone and every other field it has;
        ``other`` only fills the fields it lacks. With ``prefer_other`` it is the other way
        round (the lead id is still ``keep``).
        """
        if prefer_other:
            reason = PREFER_ABSORBED
        if keep == other:
            raise ValueError("cannot merge a lead with itself")
        absorbed = self.lead(other)
        self.lead(keep)
        obs_ids = [r[0] for r in self.db.execute(
            "SELECT id FROM observations WHERE lead_id = ?", [other])]
        act_ids = [r[0] for r in self.db.execute(
            "SELECT id FROM activities WHERE lead_id = ?", [other])]
        with self.db.atomic():
            self.db.execute("UPDATE observations SET lead_id = ? WHERE lead_id = ?", [keep, other])
            self._fold_follow_up(keep, other)
            self.db.execute("DELETE FROM lead_keys WHERE lead_id = ?", [other])
            self.db.execute("DELETE FROM leads WHERE id = ?", [other])
            self.db.execute(
                "INSERT INTO merges (kept_id, absorbed_id, observation_ids, absorbed_lead, reason,"
                " created, activity_ids) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [keep, other, json.dumps(obs_ids), json.dumps(absorbed, ensure_ascii=False),
                 reason, now_iso(), json.dumps(act_ids)])
            self._recompute(keep)

    def unmerge(self, lead_id: int) -> int:
        """Undo the latest merge into ``lead_id``; return the restored lead's id."""
        self.lead(lead_id)
        row = self.db.execute(
            "SELECT id, absorbed_id, observation_ids, activity_ids, absorbed_lead FROM merges "
            "WHERE kept_id = ? AND undone IS NULL ORDER BY id DESC LIMIT 1", [lead_id]).fetchone()
        if row is None:
            raise NotFoundError(f"lead {lead_id} has no merge to undo")
        merge_id, absorbed_id, obs_json, acts_json, absorbed_json = row
        moved = json.loads(obs_json)
        acts = json.loads(acts_json)
        absorbed = json.loads(absorbed_json)
        with self.db.atomic():
            self.db.execute("INSERT INTO leads (id, user_values) VALUES (?, ?)",
                            [absorbed_id, json.dumps(absorbed.get("user_values") or {},
                                                     ensure_ascii=False)])
            if acts:
                self.db.execute(f"UPDATE activities SET lead_id = ? WHERE id IN "
                                f"({','.join('?' * len(acts))})", [absorbed_id, *acts])
            self._follow_up_state(lead_id)
            self._follow_up_state(absorbed_id)
            marks = ",".join("?" * len(moved))
            self.db.execute(f"UPDATE observations SET lead_id = ? WHERE id IN ({marks})",
                            [absorbed_id, *moved])
            # Remember the user's "these differ" so a re-clustering does not join them again.
            stay = [r[0] for r in self.db.execute(
                "SELECT id FROM observations WHERE lead_id = ? ORDER BY id LIMIT 1", [lead_id])]
            if stay and moved:
                a, b = sorted((stay[0], min(moved)))
                self.db.execute("INSERT OR IGNORE INTO cannot_link VALUES (?, ?, ?)",
                                [a, b, now_iso()])
            self.db.execute("UPDATE merges SET undone = ? WHERE id = ?", [now_iso(), merge_id])
            self._recompute(lead_id)
            self._recompute(absorbed_id)
        return int(absorbed_id)

    def detach(self, observation_id: int) -> int:
        """Move one observation out of its lead into a new lead of its own; return its id.

        The pair is remembered as different (``cannot_link``), so a re-clustering keeps it
        apart from the lead it left.
        """
        row = self.db.execute("SELECT lead_id FROM observations WHERE id = ?",
                              [observation_id]).fetchone()
        if row is None:
            raise NotFoundError(f"no observation with id {observation_id}")
        old = int(row[0])
        new_id = int(self.db.execute("SELECT max(id) FROM leads").fetchone()[0] or 0) + 1
        with self.db.atomic():
            self.db.execute("INSERT INTO leads (id) VALUES (?)", [new_id])
            self.db.execute("UPDATE observations SET lead_id = ? WHERE id = ?",
                            [new_id, observation_id])
            stay = self.db.execute("SELECT min(id) FROM observations WHERE lead_id = ?",
                                   [old]).fetchone()[0]
            if stay is not None:
                a, b = sorted((int(stay), observation_id))
                self.db.execute("INSERT OR IGNORE INTO cannot_link VALUES (?, ?, ?)",
                                [a, b, now_iso()])
            self._recompute(old)
            self._recompute(new_id)
        return new_id

    def sender_leads(self, address: str, *, by_domain: bool) -> list[int]:
        """Leads a message from ``address`` belongs to on hard evidence, never on a name.

        Hard evidence is the same mailbox, or (``by_domain``: the caller knows the domain is
        a company's, not a free-mail provider's) the lead's own domain: its web site's or
        the domain of its own e-mail address.
        """
        email = n.normalize_email(address)
        if not email:
            return []
        found = [r[0] for r in self.db.execute(
            "SELECT DISTINCT lead_id FROM lead_keys WHERE key = ? ORDER BY lead_id",
            [f"e:{email}"])]
        domain = email.rpartition("@")[2]
        if by_domain and domain and not n.is_shared_host(domain):
            found += [r[0] for r in self.db.execute(
                "SELECT lead_id FROM lead_keys WHERE key = ? UNION "
                "SELECT id FROM leads WHERE lower(email) LIKE ? ESCAPE '\\' ORDER BY 1",
                [f"d:{domain}", "%@" + domain.replace("%", "").replace("_", "\\_")])]
        return [int(i) for i in dict.fromkeys(found)]

    def leads_named(self, text: str, limit: int = 200) -> list[dict[str, Any]]:
        """Leads whose name shares a word with ``text`` (full-text search), for claims checks."""
        words = [w for w in re.findall(r"\w+", text) if len(w) >= 3]
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in dict.fromkeys(words))
        return [lead_out(r) for r in self.db.query(
            "SELECT * FROM leads WHERE id IN (SELECT rowid FROM leads_fts WHERE leads_fts MATCH ?)"
            " ORDER BY id LIMIT ?", [match, limit])]

    def kept_apart(self, leads: set[int], others: set[int]) -> bool:
        """Does a user's unmerge keep an observation of ``leads`` from one of ``others``?"""
        if not self.db.execute("SELECT 1 FROM cannot_link LIMIT 1").fetchone():
            return False
        marks_a, marks_b = ",".join("?" * len(leads)), ",".join("?" * len(others))
        return self.db.execute(
            "SELECT 1 FROM cannot_link c JOIN observations a ON a.id IN (c.obs_a, c.obs_b)"
            " JOIN observations b ON b.id IN (c.obs_a, c.obs_b) AND b.id != a.id"
            f" WHERE a.lead_id IN ({marks_a}) AND b.lead_id IN ({marks_b}) LIMIT 1",
            [*leads, *others]).fetchone() is not None

    def cannot_links(self) -> list[tuple[int, int]]:
        """The pairs of observations a user's unmerge keeps apart."""
        return [(int(a), int(b)) for a, b in self.db.execute("SELECT obs_a, obs_b FROM cannot_link")]

    def observation_leads(self) -> list[tuple[int, int, dict[str, str], str]]:
        """Every observation, oldest first: its id, its lead, its normalised fields and its
        source."""
        return [(obs_id, lead_id, json.loads(fields), source) for obs_id, lead_id, fields, source
                in self.db.execute("SELECT id, lead_id, fields, source FROM observations "
                                   "ORDER BY id")]

    def kept_by_user(self) -> list[int]:
        """The leads a user's merge (not undone) kept."""
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT kept_id FROM merges WHERE undone IS NULL AND reason LIKE 'user%'")]

    def apply_clusters(self, lead_of: Mapping[int, int]) -> None:
        """Move every observation to the lead ``lead_of`` names for it (a re-clustering).

        A lead left without observations hands its follow-up (log, status, values) to the
        lead that took its earliest observation; every lead that gained or lost one is
        rebuilt from its observations.
        """
        rows = self.db.execute("SELECT id, lead_id FROM observations ORDER BY id").fetchall()
        old_of = {obs_id: lead_id for obs_id, lead_id in rows}
        with self.db.atomic():
            moves = [(lead_of[o], o) for o, old in rows if lead_of[o] != old]
            for new_id in {m[0] for m in moves} - set(old_of.values()):
                self.db.execute("INSERT OR IGNORE INTO leads (id) VALUES (?)", [new_id])
            self.db.conn.executemany("UPDATE observations SET lead_id = ? WHERE id = ?", moves)
            first_obs: dict[int, int] = {}
            for obs_id, old in rows:
                first_obs.setdefault(old, obs_id)
            emptied = {old_of[o] for _, o in moves} - set(lead_of.values())
            for gone in sorted(emptied):
                self._fold_follow_up(lead_of[first_obs[gone]], gone)
            for lead_id in {m[0] for m in moves} | {old_of[o] for _, o in moves}:
                self._recompute(lead_id)
