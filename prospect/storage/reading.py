"""Reading the lead book: leads, observations, CSV export, the filters they share."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from prospect import normalize as n
from prospect import parallel_csv
from prospect.errors import NotFoundError
from prospect.models import LEAD_FIELDS
from prospect.normalize.text import CJK
from prospect.storage.part import Part, busy_seconds, lead_out

__all__ = ["SORTS", "LeadFilter", "Reading", "untouched_cutoff"]

# What leads can be sorted by, and how.
SORTS: dict[str, str] = {
    "id": "id", "name": "name COLLATE NOCASE", "country": "country, id",
    "first_seen": "first_seen DESC", "last_seen": "last_seen DESC",
    "grade": "grade IS NULL, grade, id", "rank": "rank_score IS NULL, rank_score DESC, id",
    "touched": "coalesce(touched_at, first_seen), id",
    "distance": ""}  # nearest to LeadFilter.near first: the expression needs the point


def _spellings(word: str) -> list[str]:
    """A searched word as the text index may hold it: as typed, with "ae", "oe", "ue" read as
    the umlauts they stand for (the index keeps "Müller" as "muller"), and with "ss" for "ß"
    and "ß" for "ss" ("Königstraße", "Hauptstrasse"), as keyboards and addresses write them."""
    low = word.lower()
    forms = [low, low.replace("ae", "a").replace("oe", "o").replace("ue", "u")]
    forms += [f.replace("ss", "ß") for f in forms] + [f.replace("ß", "ss") for f in forms]
    return list(dict.fromkeys(forms))


@dataclass(frozen=True)
class LeadFilter:
    """The filters ``leads`` and ``export`` share."""

    country: Sequence[str] = ()
    search: str | None = None
    source: str | None = None
    include_suppressed: bool = True
    grades: Sequence[str] = ()
    statuses: Sequence[str] = ()
    not_touched_days: int | None = None  # no note or status change for this many days
    tiers: Sequence[str] = ()
    near: tuple[float, float] | None = None  # (latitude, longitude)
    within_km: float = 10.0
    sort: str = "id"
    limit: int | None = None

    def where(self) -> tuple[str, list[Any]]:
        """Return the SQL condition and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.country:
            codes = [n.normalize_country(c) or c.upper() for c in self.country]
            clauses.append(f"country IN ({','.join('?' * len(codes))})")
            params.extend(codes)
        if self.search:
            words = self.search.replace('"', " ").split()
            run_together = [w for w in words if CJK.search(w)]
            if len(run_together) < len(words):
                clauses.append("id IN (SELECT rowid FROM leads_fts WHERE leads_fts MATCH ?)")
                params.append(" AND ".join(
                    "(" + " OR ".join(f'"{v}"' for v in _spellings(t)) + ")"
                    for t in words if t not in run_together))
            for word in run_together:
                # Chinese, Japanese and Korean write a name's words together ("深圳市腾讯计算机
                # 系统有限公司"): the text index holds it as one word, so a trade name inside it
                # is looked for as part of the searched columns.
                clauses.append("(instr(name, ?) OR instr(contact_name, ?) OR instr(address, ?) "
                               "OR instr(city, ?))")
                params.extend([word] * 4)
        if self.source:
            # An import's default name is "import:FILE"; the file name alone finds it too.
            # Few leads' lists of sources differ: pick the lists that name it once (read from
            # their index), then find the leads by list, not by opening every lead's list.
            clauses.append("sources IN (SELECT sources FROM leads GROUP BY sources HAVING EXISTS "
                           "(SELECT 1 FROM json_each(sources) WHERE value IN (?, ?)))")
            params.extend((self.source, f"import:{self.source}"))
        if not self.include_suppressed:
            clauses.append("suppressed = 0")
        if self.grades:
            clauses.append(f"grade IN ({','.join('?' * len(self.grades))})")
            params.extend(g.upper() for g in self.grades)
        if self.statuses:
            clauses.append(f"status IN ({','.join('?' * len(self.statuses))})")
            params.extend(self.statuses)
        if self.tiers:
            clauses.append(f"tier IN ({','.join('?' * len(self.tiers))})")
            params.extend(self.tiers)
        if self.not_touched_days is not None:
            # A lead never touched counts from when it was first seen.
            clauses.append("coalesce(touched_at, first_seen) < ?")
            params.append(untouched_cutoff(self.not_touched_days))
        if self.near is not None:
            clauses.append(f"latitude IS NOT NULL AND {self.squared_km()} <= ?")
            params.append(self.within_km ** 2)
        return (" AND ".join(clauses) or "1"), params

    def squared_km(self) -> str:
        """SQL for the squared distance in km from ``near`` to a lead's position.

        Equirectangular: exact enough within a few hundred km, and plain arithmetic, so every
        connection (the export's workers too) can run it. The point is two floats, written
        into the SQL as numbers: no text reaches it.
        """
        if self.near is None:
            raise ValueError("a distance needs a point (--near LAT,LON)")
        lat, lon = (float(x) for x in self.near)
        k = 111.195 * math.cos(math.radians(lat))
        return (f"((latitude - {lat!r}) * 111.195) * ((latitude - {lat!r}) * 111.195) + "
                f"((longitude - {lon!r}) * {k!r}) * ((longitude - {lon!r}) * {k!r})")


def untouched_cutoff(days: int) -> str:
    """The time before which a lead counts as not touched for ``days`` days, as stored."""
    return (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)).isoformat(timespec="seconds")



# One entry of a lead's activity log as exports show it: "2026-11-01 contacted: sent catalogue".
_ACTIVITY_LINE = ("substr(at, 1, 10) || ' ' || CASE kind WHEN 'status' THEN status ELSE 'note' END "
                  "|| coalesce(': ' || note, '')")

# Columns csv_lines copies as they are (lists and logs have their own expressions).
_EXPORTABLE = frozenset({"id", *LEAD_FIELDS, "first_seen", "last_seen", "grade", "status",
                         "touched_at", "rank_score", "tier", "vetted_at", "quiet_since",
                         "observation_count", "provenance", "user_values"})


class Reading(Part):
    """What the book holds, as leads, observations and CSV lines."""

    def lead(self, lead_id: int) -> dict[str, Any]:
        """Return one lead as a dict, or raise NotFoundError."""
        rows = list(self.db.query("SELECT * FROM leads WHERE id = ?", [lead_id]))
        if not rows:
            raise NotFoundError(f"no lead with id {lead_id}")
        return lead_out(rows[0])

    def observations(self, lead_id: int | None = None) -> Iterator[dict[str, Any]]:
        """Yield observations (of one lead, or all in id order), streamed."""
        sql = "SELECT * FROM observations"
        params: list[Any] = []
        if lead_id is not None:
            sql += " WHERE lead_id = ?"
            params.append(lead_id)
        for row in self.db.query(sql + " ORDER BY id", params):
            row["raw"] = json.loads(row["raw"])
            row["fields"] = json.loads(row["fields"])
            row["match"] = json.loads(row["match"]) if row["match"] else None
            yield row

    @staticmethod
    def _order(flt: LeadFilter) -> str:
        order = SORTS.get(flt.sort)
        if order is None:
            raise ValueError(f"cannot sort by {flt.sort!r}; use {', '.join(SORTS)}")
        if flt.sort == "distance":  # placed leads first, nearest first
            order = f"latitude IS NULL, {flt.squared_km()}, id"
        return order + (f" LIMIT {int(flt.limit)}" if flt.limit else "")

    def leads(self, flt: LeadFilter = LeadFilter()) -> Iterator[dict[str, Any]]:
        """Yield the leads that pass ``flt``, streamed in the chosen order."""
        where, params = flt.where()
        for row in self.db.query(f"SELECT * FROM leads WHERE {where} ORDER BY {self._order(flt)}",
                                 params):
            yield lead_out(row)

    def csv_lines(self, flt: LeadFilter, columns: Sequence[str]) -> Iterator[str]:
        """Yield export rows as CSV lines made by SQLite: lists joined, formula starts guarded.

        The lines :func:`prospect.csvio.write_csv` makes from :meth:`leads`, so that a large
        export runs at the database's speed rather than Python's.
        """
        sql, params = self._csv_select(flt, columns)
        for (line,) in self.db.execute(f"{sql} ORDER BY {self._order(flt)}", params):
            yield line

    def write_csv_lines(self, flt: LeadFilter, columns: Sequence[str], out: IO[str]) -> int:
        """Write the lines of :meth:`csv_lines` (without header) to ``out``; return the count.

        A large export in id order on a book file is read by worker processes, a range of
        ids each (see :mod:`prospect.parallel_csv`); anything else streams from here.
        """
        low, high = self.db.execute("SELECT min(id), max(id) FROM leads").fetchone()
        busy_ms = int(busy_seconds() * 1000)
        if (self.path is None or flt.sort != "id" or flt.limit or low is None
                or high - low < parallel_csv.FROM_SPAN
                or not parallel_csv.readable(self.path, busy_ms)):
            count = 0
            lines = self.csv_lines(flt, columns)
            for chunk in iter(lambda: list(itertools.islice(lines, 5000)), []):
                out.write("".join(chunk))
                count += len(chunk)
            return count
        sql, params = self._csv_select(flt, columns)
        return parallel_csv.write_ranges(self.path, sql, params, low, high, out, busy_ms)

    def _csv_select(self, flt: LeadFilter, columns: Sequence[str]) -> tuple[str, list[Any]]:
        exprs = []
        for col in columns:
            if col == "sources":
                expr = "(SELECT group_concat(value, '; ') FROM json_each(leads.sources))"
            elif col == "activity":
                expr = (f"(SELECT group_concat(line, ' | ') FROM (SELECT {_ACTIVITY_LINE} "
                        "AS line FROM activities a WHERE a.lead_id = leads.id ORDER BY at, id))")
            elif col in _EXPORTABLE:
                expr = f'"{col}"'
            else:
                raise ValueError(f"unknown column {col!r}")
            exprs.append(_formula_guard(expr))
        # One CSV line a row, as csv.writer writes it (every cell quoted, quotes doubled, CRLF;
        # printf's %w doubles quotes): one string a row instead of a tuple of cells halves
        # what Python spends on a row.
        line = (f"""printf('{",".join(['"%w"'] * len(exprs))}\r\n', """
                + ", ".join(f"coalesce({e}, '')" for e in exprs) + ")")
        where, params = flt.where()
        return f"SELECT {line} FROM leads WHERE ({where})", params

    def merges(self, lead_id: int) -> list[dict[str, Any]]:
        """Return the merges into or out of a lead, oldest first."""
        return list(self.db.query(
            "SELECT * FROM merges WHERE kept_id = ? OR absorbed_id = ? ORDER BY id",
            [lead_id, lead_id]))

    def observation_rows(self, flt: LeadFilter) -> Iterator[dict[str, Any]]:
        """The observations of the leads ``flt`` selects: each one's fields, with its lead,
        source, reference and when it was fetched, oldest first. Sorted or limited, the
        leads are taken in that order (at most ``flt.limit`` of them), each with its
        observations oldest first."""
        where, params = flt.where()
        columns = "o.id, o.lead_id, o.source, o.reference, o.fetched_at, o.fields"
        if flt.sort == "id" and not flt.limit:
            found: Iterable[tuple[Any, ...]] = self.db.execute(
                f"SELECT {columns} FROM observations o JOIN leads ON leads.id = o.lead_id "
                f"WHERE {where} ORDER BY o.id", params)
        else:
            chosen = [r[0] for r in self.db.execute(
                f"SELECT id FROM leads WHERE {where} ORDER BY {self._order(flt)}", params)]
            found = self._observations_of(chosen, columns)
        for obs_id, lead_id, src, ref, fetched, fields in found:
            row = json.loads(fields)
            row.update(lead_id=lead_id, observation_id=obs_id, source=src, reference=ref,
                       fetched_at=fetched)
            yield row

    def _observations_of(self, lead_ids: list[int], columns: str) -> Iterator[tuple[Any, ...]]:
        """The observations of ``lead_ids``, lead by lead in that order, each oldest first."""
        for i in range(0, len(lead_ids), 500):
            chunk = lead_ids[i:i + 500]
            rows = self.db.execute(f"SELECT {columns} FROM observations o WHERE o.lead_id IN "
                                   f"({','.join('?' * len(chunk))}) ORDER BY o.id", chunk)
            by_lead: dict[int, list[tuple[Any, ...]]] = {}
            for row in rows:
                by_lead.setdefault(row[1], []).append(row)
            for lead in chunk:
                yield from by_lead.get(lead, ())

    def websites(self) -> list[int]:
        """The leads with a web site that may be contacted, by id."""
        return [r[0] for r in self.db.execute(
            "SELECT id FROM leads WHERE website IS NOT NULL AND suppressed = 0 ORDER BY id")]

    def website_of(self, lead_id: int) -> tuple[str, str | None] | None:
        """A lead's web site and country, if it has a site and may be contacted."""
        row = self.db.execute("SELECT website, country FROM leads WHERE id = ? AND suppressed = 0",
                              [lead_id]).fetchone()
        return (str(row[0]), row[1]) if row and row[0] else None

    def contactable(self, lead_ids: Iterable[int]) -> list[int]:
        """Those of ``lead_ids`` that exist and are not do-not-contact, in the order given."""
        return [i for i in lead_ids if self.db.execute(
            "SELECT 1 FROM leads WHERE id = ? AND suppressed = 0", [i]).fetchone()]

    def positions(self) -> dict[int, tuple[float, float]]:
        """Each lead's map position (its latitude and longitude), for the leads that have one."""
        return {int(i): (float(lat), float(lon)) for i, lat, lon in self.db.execute(
            "SELECT id, latitude, longitude FROM leads WHERE latitude IS NOT NULL "
            "AND longitude IS NOT NULL")}

    def tier_counts(self) -> dict[str, dict[str, int]]:
        """Leads per tier (or "do not contact", "unranked", "out") and follow-up status."""
        counts: dict[str, dict[str, int]] = {}
        for tier, status, count in self.db.execute(
                "SELECT coalesce(tier, CASE WHEN suppressed THEN 'do not contact' "
                "WHEN rank_score IS NULL THEN 'unranked' ELSE 'out' END), status, count(*) "
                "FROM leads GROUP BY 1, 2"):
            counts.setdefault(tier, {})[status] = count
        return counts

    def counts(self) -> dict[str, int]:
        """How many leads, observations, vettings and activities the book holds."""
        return {t: self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("leads", "observations", "vettings", "activities")}

    def rank_inputs(self, user_keys: Sequence[str]) -> list[tuple[Any, ...]]:
        """Per lead that may be contacted: id, vetting score, grade, status, observations,
        activities, then each of the user's values named in ``user_keys`` (None if unset)."""
        # User values are read by SQLite (json_extract), not parsed row by row in Python.
        extract = "".join(", json_extract(l.user_values, ?)" for _ in user_keys)
        return self.db.execute(
            "SELECT l.id, l.vet_score, l.grade, l.status, l.observation_count, "
            f"(SELECT count(*) FROM activities a WHERE a.lead_id = l.id){extract} "
            "FROM leads l WHERE l.suppressed = 0",
            [f'$."{k}"' for k in user_keys]).fetchall()


def _formula_guard(expr: str) -> str:
    """SQL for csvio.neutralise: a cell that starts like a formula gets a leading apostrophe.

    OWASP CSV injection: = + - @ tab CR start a formula; a plain number such as a phone in
    international format ("+4940...") cannot call anything and is left as it is.
    """
    return (f"CASE WHEN unicode({expr}) IN (61, 43, 45, 64, 9, 13) AND NOT "
            f"(unicode({expr}) IN (43, 45) AND substr({expr}, 2, 1) GLOB '[0-9]' AND "
            f"substr({expr}, 2) NOT GLOB '*[^0-9 ()./-]*') THEN char(39) || {expr} ELSE {expr} END")
