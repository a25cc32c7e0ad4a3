"""prospect's Datasette plugin: the home page, the lead page, the book's filters and writes."""

from __future__ import annotations

import asyncio
import json
import math
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from datasette import hookimpl
from datasette.facets import Facet
from datasette.filters import FilterArguments
from datasette.utils.asgi import BadRequest, Forbidden, NotFound, Response
from markupsafe import Markup

from prospect import normalize
from prospect.errors import NotFoundError
from prospect.storage import STATUSES, LeadBook, LeadFilter
from prospect.storage.reading import untouched_cutoff
from prospect.web.lead import lead_view
from prospect.web.site import SAVED_VIEWS

__all__ = ["distance_km"]

_F = TypeVar("_F", bound=Callable[..., Any])


def _hook(fn: _F) -> _F:
    return cast(_F, hookimpl(fn))


def _settings(datasette: Any) -> dict[str, Any]:
    return dict(datasette.plugin_config("prospect") or {})


def distance_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> float | None:
    """SQL ``prospect_distance_km``: great-circle km between two points; NULL for a bad one."""
    try:
        a, b = (float(lat1), float(lon1)), (float(lat2), float(lon2))
    except (TypeError, ValueError):
        return None
    if not all(map(math.isfinite, (*a, *b))) or abs(a[0]) > 90 or abs(b[0]) > 90:
        return None
    return normalize.distance_km(a, b)


@_hook
def prepare_connection(conn: sqlite3.Connection) -> None:
    """Give every connection the distance function the 'near' view uses."""
    conn.create_function("prospect_distance_km", 4, distance_km, deterministic=True)


@_hook
def register_routes() -> list[tuple[str, Callable[..., Any]]]:
    """The home page, a page per lead and, with --write, its status and note forms."""
    return [(r"^/$", _home), (r"^/-/lead/(?P<id>\d+)$", _lead_page),
            (r"^/-/lead/(?P<id>\d+)/(?P<action>mark|note)$", _lead_write)]


@_hook
def extra_css_urls(datasette: Any) -> list[str]:
    """The book's own styles (grades, the lead page; the map's popup column kept out of sight)."""
    return [datasette.urls.path("/prospect-static/prospect.css")]


@_hook
def render_cell(row: Any, value: Any, column: str, database: str, datasette: Any) -> Any:
    """A lead's name links its page; its grade shows as a badge."""
    if database != _settings(datasette).get("database"):
        return None
    keys = row.keys() if hasattr(row, "keys") else ()
    if column == "name" and "popup" in keys and "id" in keys and row["id"] is not None:
        return Markup('<a href="{}">{}</a>').format(
            datasette.urls.path(f"/-/lead/{int(row['id'])}"), value or "(no name)")
    if column == "do_not_contact" and "popup" in keys:
        return "yes" if value else "no"
    if column == "grade" and isinstance(value, str) and value in "ABCD" and value:
        return Markup('<span class="grade grade-{0}">{0}</span>').format(value)
    return None


@_hook
def filters_from_request(request: Any, database: str, table: str, datasette: Any) -> Any:
    """The filters of 'prospect leads' on the lead list, through the book's own LeadFilter."""
    if table != "lead_list" or database != _settings(datasette).get("database"):
        return None
    args = request.args
    near = args.get("_near")
    within = args.get("_within")
    untouched = args.get("_not_touched")
    source = args.get("_source")
    if not (near or untouched or source):
        return None
    flt, said = _lead_filter(near, within, untouched, source)
    where, params = flt.where()
    # LeadFilter speaks of the leads table; the list is a view of it, so ask through its ids.
    # Datasette's filters take named parameters: each "?" of LeadFilter's SQL (it writes no
    # other) becomes one, numbered in order.
    named = {f"prospect_{i}": value for i, value in enumerate(params)}
    pieces = where.split("?")
    sql = pieces[0] + "".join(f":prospect_{i}{rest}" for i, rest in enumerate(pieces[1:]))
    return FilterArguments([f"id IN (SELECT id FROM leads WHERE {sql})"], named, said)


@_hook
def register_facet_classes() -> list[type[Facet]]:
    """Facets of the lead list that a plain GROUP BY would count slowly on a big book."""
    return [LeadFacet]


# Bands of "not touched for N days", each a link to the list's _not_touched filter.
NOT_TOUCHED_DAYS = (7, 30, 90)


class LeadFacet(Facet):  # type: ignore[misc]  # Datasette ships no type hints
    """Sources, do-not-contact, vetted before and not touched for N days.

    Each is counted from columns the book indexes (``storage.migrations.FACET_INDEXES``):
    a lead's list of sources grouped as written, then split; the follow-up state in one
    pass over one narrow index. Selecting a value applies the same filter as ``prospect leads``.
    """

    type = "lead"

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        """Return Datasette's facet results for the configured lead facets."""
        from datasette.database import QueryInterrupted

        wanted = [c["config"].get("simple") for c in self.get_configs()]
        sources = state = None
        done: list[dict[str, Any]] = []
        timed_out: list[str] = []
        for name in wanted:
            try:
                if name == "sources":
                    sources = sources or await self._sources()
                    done.append(self._result(name, sources))
                elif name in ("do_not_contact", "vetted", "not_touched"):
                    state = state or await self._state()
                    done.append(self._result(name, state[name]))
            except QueryInterrupted:
                timed_out.append(str(name))
        return done, timed_out

    async def _query(self, sql: str) -> Any:
        return await self.ds.execute(self.database, sql, self.params, truncate=False,
                                     custom_time_limit=self.ds.setting("facet_time_limit_ms"))

    async def _sources(self) -> list[tuple[str, int, tuple[str, str]]]:
        rows = await self._query(f"SELECT sources, count(*) FROM ({self.sql}) GROUP BY sources")
        counts: dict[str, int] = {}
        for listed, n in rows.rows:
            try:
                names = set(json.loads(listed or "[]"))
            except ValueError:
                continue
            for source in names:
                counts[str(source)] = counts.get(str(source), 0) + n
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return [(source, n, ("_source", source)) for source, n in ranked]

    async def _state(self) -> dict[str, list[tuple[str, int, tuple[str, str]]]]:
        bands = ", ".join(f"sum(coalesce(touched_at, first_seen) < '{untouched_cutoff(d)}')"
                          for d in NOT_TOUCHED_DAYS)
        row = (await self._query(
            f"SELECT count(*), sum(do_not_contact), count(vetted_at), {bands} "
            f"FROM ({self.sql})")).rows[0]
        total, dnc, vetted = row[0], row[1] or 0, row[2]
        return {
            "do_not_contact": [("yes", dnc, ("do_not_contact", "1")),
                               ("no", total - dnc, ("do_not_contact", "0"))],
            "vetted": [("yes", vetted, ("vetted_at__notnull", "1")),
                       ("no", total - vetted, ("vetted_at__isnull", "1"))],
            "not_touched": [(f"{days}+ days", n or 0, ("_not_touched", str(days)))
                            for days, n in zip(NOT_TOUCHED_DAYS, row[3:], strict=True)],
        }

    def _result(self, name: str, values: list[tuple[str, int, tuple[str, str]]]
                ) -> dict[str, Any]:
        from datasette.utils import path_with_added_args, path_with_removed_args

        pairs = self.get_querystring_pairs()
        size = self.get_facet_size()
        results = []
        for label, count, (key, value) in values[:size]:
            selected = (key, value) in pairs
            path = (path_with_removed_args(self.request, {key: value}) if selected
                    else path_with_added_args(self.request, {key: value}))
            results.append({"value": value, "label": label, "count": count,
                            "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(path)),
                            "selected": selected})
        return {"name": name, "type": self.type, "hideable": False,
                "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {})),
                "results": results, "truncated": len(values) > size}


def _lead_filter(near: str | None, within: str | None, untouched: str | None,
                 source: str | None) -> tuple[LeadFilter, list[str]]:
    said: list[str] = []
    position = None
    km = 10.0
    if near:
        parts = near.replace(";", ",").split(",")
        try:
            position = (float(parts[0]), float(parts[1]))
            km = float(within) if within else 10.0
        except (IndexError, ValueError):
            raise BadRequest("_near takes LAT,LON in decimal degrees and _within kilometres") from None
        said.append(f"within {km:g} km of {position[0]:g}, {position[1]:g}")
    days = None
    if untouched:
        try:
            days = int(untouched)
        except ValueError:
            raise BadRequest("_not_touched takes a number of days") from None
        said.append(f"no note or status change for {days} days")
    if source:
        said.append(f"seen by {source}")
    return LeadFilter(near=position, within_km=km, not_touched_days=days,
                      source=source or None), said


def _book_on(conn: sqlite3.Connection, path: str) -> LeadBook:
    return LeadBook.on_connection(conn, Path(path))


async def _home(datasette: Any, request: Any) -> Any:
    settings = _settings(datasette)
    name = settings["database"]
    db = datasette.get_database(name)
    grades = [dict(r) for r in (await db.execute(
        "SELECT coalesce(grade, 'not vetted') AS grade, count(*) AS n FROM leads "
        "GROUP BY grade ORDER BY grade IS NULL, grade")).rows]
    statuses = {r["status"]: r["n"] for r in (await db.execute(
        "SELECT status, count(*) AS n FROM leads GROUP BY status")).rows}
    placed = (await db.execute("SELECT count(*) FROM leads WHERE latitude IS NOT NULL")).first()[0]
    views = [{"name": key, **view} for key, view in SAVED_VIEWS.items()]
    return Response.html(await datasette.render_template(
        "prospect_home.html",
        {"database": name, "grades": grades, "total": sum(g["n"] for g in grades),
         "statuses": [(s, statuses.get(s, 0)) for s in STATUSES], "placed": placed,
         "views": views, "write": bool(settings.get("write"))},
        request=request))


async def _lead_page(datasette: Any, request: Any) -> Any:
    settings = _settings(datasette)
    lead_id = int(request.url_vars["id"])
    db = datasette.get_database(settings["database"])

    def read(conn: sqlite3.Connection) -> dict[str, Any]:
        return lead_view(_book_on(conn, settings["book"]), lead_id)

    try:
        view = await db.execute_fn(read)
    except NotFoundError as ex:
        raise NotFound(str(ex)) from ex
    return Response.html(await datasette.render_template(
        "prospect_lead.html",
        {**view, "database": settings["database"], "write": bool(settings.get("write")),
         "statuses": STATUSES, "raw_json": _raw_json, "is_link": _is_link,
         "tiles": (datasette.plugin_config("datasette-cluster-map") or {}).get("tile_layer", "")},
        request=request))


async def _lead_write(datasette: Any, request: Any) -> Any:
    settings = _settings(datasette)
    if request.method != "POST":
        raise Forbidden("use the form on the lead page")
    if not settings.get("write"):
        raise Forbidden("this book is served read-only; start 'prospect serve --write' to "
                        "mark leads and add notes")
    # Datasette checks the form's token against its cookie only when the browser sent cookies;
    # a page elsewhere could post here on a browser that never opened the book. No cookie, no
    # write; and a post from another site's page is refused outright.
    origin = request.headers.get("origin", "")
    if not request.cookies.get("ds_csrftoken") or (
            origin and urlsplit(origin).netloc != request.headers.get("host", "")):
        raise Forbidden("this form must be sent from its lead page; reload the page")
    lead_id = int(request.url_vars["id"])
    action = request.url_vars["action"]
    form = await request.post_vars()
    status = (form.get("status") or "").strip()
    text = (form.get("note") or "").strip()
    if action == "mark" and status not in STATUSES:
        datasette.add_message(request, f"unknown status {status!r}", datasette.ERROR)
    elif action == "note" and not text:
        datasette.add_message(request, "the note is empty", datasette.ERROR)
    else:
        try:
            await asyncio.to_thread(_write, settings["book"], lead_id, action, status, text)
        except NotFoundError as ex:
            raise NotFound(str(ex)) from ex
        datasette.add_message(request, f"lead {lead_id}: {status}" if action == "mark"
                              else f"lead {lead_id}: note added", datasette.INFO)
    return Response.redirect(datasette.urls.path(f"/-/lead/{lead_id}"))


def _write(path: str, lead_id: int, action: str, status: str, text: str) -> None:
    """The same calls as 'prospect mark' and 'prospect note', on a writable book of our own."""
    book = LeadBook.open(Path(path), create=False)
    try:
        if action == "mark":
            book.mark(lead_id, status, text or None)
        else:
            book.note(lead_id, text)
    finally:
        book.close()


def _raw_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


def _is_link(text: Any) -> bool:
    return isinstance(text, str) and text.startswith(("http://", "https://")) and " " not in text

