"""Vettings: what each check found about a lead, and which leads are due one."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from prospect.models import now_iso

if TYPE_CHECKING:
    from prospect.vetting.grade import Vetting
from prospect.storage.part import Part

__all__ = ["Vettings"]


class Vettings(Part):
    """The vetting record of each lead."""

    def record_vetting(self, lead_id: int | None, vetting: Vetting, *, at: str | None = None,
                       source: str | None = None, sets_grade: bool = True) -> int:
        """Store one vetting run and its findings; the lead takes the new grade if ``sets_grade``.

        A message linked to a lead is kept with it but is not the company's grade (``sets_grade``
        False): what one mail says does not re-grade the firm it came from.
        """
        at = at or now_iso()
        with self.db.atomic():
            cur = self.db.execute(
                "INSERT INTO vettings (lead_id, at, grade, score, confidence, listen_score, input, "
                "decided_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [lead_id, at, vetting.grade, vetting.score, vetting.confidence,
                 vetting.listen_score, source, json.dumps(list(vetting.decided_by),
                                                          ensure_ascii=False)])
            vid = int(cur.lastrowid or 0)
            self.db.conn.executemany(
                "INSERT INTO findings (vetting_id, lead_id, step, check_name, verdict, detail, "
                "evidence, weight, hard, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(vid, lead_id, f.step, f.check, f.verdict, f.detail,
                  json.dumps(list(f.evidence), ensure_ascii=False), f.weight, int(f.hard), f.score)
                 for f in vetting.findings])
            if lead_id is not None and sets_grade:
                self.db.execute("UPDATE leads SET grade = ?, vetted_at = ?, vet_score = ? WHERE id = ?",
                                [vetting.grade, at,
                                 vetting.score if vetting.confidence > 0 else None, lead_id])
        return vid

    def vettings(self, lead_id: int) -> list[dict[str, Any]]:
        """Return a lead's vetting runs, newest first, each with its findings."""
        runs = list(self.db.query("SELECT * FROM vettings WHERE lead_id = ? ORDER BY at DESC, id DESC",
                                  [lead_id]))
        for run in runs:
            run["decided_by"] = json.loads(run["decided_by"])
            run["findings"] = [
                {**f, "evidence": json.loads(f["evidence"]), "hard": bool(f["hard"])}
                for f in self.db.query("SELECT step, check_name, verdict, detail, evidence, weight, "
                                       "hard, score FROM findings WHERE vetting_id = ? ORDER BY id",
                                       [run["id"]])]
        return runs

    def last_vetting(self, lead_id: int) -> dict[str, Any] | None:
        """The lead's own latest vetting with its findings (messages' vettings aside), or None."""
        row = self.db.execute("SELECT id FROM vettings WHERE lead_id = ? AND input IS NULL "
                              "ORDER BY at DESC, id DESC LIMIT 1", [lead_id]).fetchone()
        if row is None:
            return None
        return next(v for v in self.vettings(lead_id) if v["id"] == row[0])

    def claims_on(self, lead_id: int) -> list[dict[str, Any]]:
        """Messages, filed under other leads, that used this lead's company name."""
        return list(self.db.query(
            "SELECT v.lead_id AS sender_lead, v.at, v.input, f.detail FROM findings f "
            "JOIN vettings v ON v.id = f.vetting_id WHERE f.check_name = 'claimed-name' "
            "AND f.verdict != 'skip' AND f.evidence LIKE ? ORDER BY v.at, v.id",
            [f'%"claims lead {int(lead_id)}: %']))

    def to_vet(self, *, grade_below: str | None = None, stale_days: int | None = None,
               now: dt.datetime | None = None, never_vetted: bool = True) -> list[int]:
        """Ids of leads due for vetting: never vetted, graded below a grade, or vetted too long ago.

        ``never_vetted`` False leaves out leads that were never vetted (refresh re-vets; it
        does not vet a whole imported list unasked). Stalest first.
        """
        clauses: list[str] = []
        params: list[Any] = []
        if grade_below:
            # "below B" means worse than B: C or D (or never graded).
            clauses.append("(grade IS NULL OR grade > ?)")
            params.append(grade_below.upper())
        if stale_days is not None:
            cutoff = (now or dt.datetime.now(dt.timezone.utc)) - dt.timedelta(days=stale_days)
            clauses.append("(vetted_at IS NULL OR vetted_at <= ?)")
            params.append(cutoff.isoformat(timespec="seconds"))
        if not never_vetted:
            clauses.append("vetted_at IS NOT NULL")
        where = " AND ".join(clauses) or "1"
        return [int(r[0]) for r in self.db.execute(
            f"SELECT id FROM leads WHERE suppressed = 0 AND {where} ORDER BY vetted_at, id",
            params)]
