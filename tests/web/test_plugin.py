"""The web view's pages, filters, facets and writes, asked in-process (no socket, no browser)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from prospect.storage import LeadBook
from prospect.web import site

T = TypeVar("T")
Tiles = "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png"


def _ask(path: Path, talk: Callable[[Any], Awaitable[T]], *, write: bool = False) -> T:
    async def run() -> T:
        ds = site.build(path, tiles=Tiles, write=write)
        await ds.invoke_startup()
        try:
            return await talk(ds)
        finally:
            for db in ds.databases.values():
                db.close()

    return asyncio.run(run())


def _get(path: Path, url: str, **kwargs: Any) -> Any:
    async def talk(ds: Any) -> Any:
        return await ds.client.get(url, **kwargs)

    return _ask(path, talk)


def _facet(page: dict[str, Any], name: str) -> dict[str, int]:
    return {str(r["label"]): r["count"] for r in page["facet_results"][name]["results"]}


def test_home_counts_leads_by_grade_and_follow_up(web_book: tuple[Path, dict[str, int]]) -> None:
    path, _ = web_book
    page = _get(path, "/")
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", page.text)
    assert re.search(r'grade-A">A</span></a> <span class="count">2<', text)
    assert re.search(r'status=contacted">contacted</a> <span class="count">1<', text)
    for view in site.SAVED_VIEWS.values():
        assert view["title"] in text


def test_the_lead_page_shows_grade_sources_evidence_history_and_log(
        web_book: tuple[Path, dict[str, int]]) -> None:
    path, ids = web_book
    page = _get(path, f"/-/lead/{ids['vetted']}")
    assert page.status_code == 200
    text = page.text
    assert '<span class="grade grade-B" title="grade">B</span>' in text
    # Each value names the observation it came from.
    assert re.search(r'observation-\d+">observation \d+</a>: osm https://www.openstreetmap.org/node/\d+',
                     text)
    # Findings under their step, evidence as links.
    assert text.index("look (望)") < text.index("ask (问)") < text.index("verify (切)")
    assert '<a href="https://www.reddit.com/r/Scams/comments/abc123/"' in text
    assert "because registry confirmed" in text
    # Grade history: C then B.
    history = text[text.index("Grade history"):]
    assert history.index("grade-C") < history.index("grade-B")
    assert "sent the catalogue" in text
    # Read-only: no forms.
    assert 'action="/-/lead/' not in text


def test_an_unknown_lead_is_a_404(web_book: tuple[Path, dict[str, int]]) -> None:
    path, _ = web_book
    assert _get(path, "/-/lead/99999").status_code == 404


def test_the_list_counts_lead_facets_from_the_book(web_book: tuple[Path, dict[str, int]]) -> None:
    path, _ = web_book
    book = LeadBook.open(path)
    total = len(list(book.leads()))
    book.close()
    page = _get(path, "/leads/lead_list.json?_shape=objects").json()
    assert page["filtered_table_rows_count"] == total
    assert _facet(page, "sources") == {"osm": total}
    assert _facet(page, "do_not_contact") == {"yes": 1, "no": total - 1}
    assert _facet(page, "vetted") == {"yes": 3, "no": total - 3}
    # Touched 40 days ago (one lead); the rest first seen on 2026-11-20.
    touched = _facet(page, "not_touched")
    assert touched["30+ days"] >= 1
    assert _facet(page, "grade") == {"A": 2, "B": 1}
    # A facet value links the list filtered the same way, and that list agrees.
    for result in page["facet_results"]["vetted"]["results"]:
        url = result["toggle_url"].replace("http://localhost", "")
        filtered = _get(path, url.replace("/lead_list?", "/lead_list.json?"))
        assert filtered.json()["filtered_table_rows_count"] == result["count"]


def test_the_list_takes_the_filters_of_prospect_leads(web_book: tuple[Path, dict[str, int]]) -> None:
    path, ids = web_book
    near = _get(path, "/leads/lead_list.json?_shape=objects&_near=41.9965,21.4314&_within=1").json()
    book = LeadBook.open(path)
    from prospect.storage import LeadFilter

    expected = {r["id"] for r in book.leads(LeadFilter(near=(41.9965, 21.4314), within_km=1))}
    quiet = {r["id"] for r in book.leads(LeadFilter(not_touched_days=30))}
    book.close()
    assert expected and {r["id"] for r in near["rows"]} == expected
    untouched = _get(path, "/leads/lead_list.json?_shape=objects&_not_touched=30&_size=max").json()
    assert {r["id"] for r in untouched["rows"]} == quiet
    assert ids["vetted"] in quiet
    assert _get(path, "/leads/lead_list.json?_source=nosuch").json()["filtered_table_rows_count"] == 0
    assert _get(path, "/leads/lead_list?_near=north").status_code == 400


def test_popup_links_the_lead_page_and_names_link_it_too(web_book: tuple[Path, dict[str, int]]) -> None:
    path, ids = web_book
    page = _get(path, f"/leads/lead_list.json?_shape=objects&id={ids['vetted']}").json()
    import json

    popup = json.loads(page["rows"][0]["popup"])
    assert popup["link"] == f"/-/lead/{ids['vetted']}"
    assert popup["title"].startswith("B · ")
    html = _get(path, f"/leads/lead_list?id={ids['vetted']}").text
    assert f'<a href="/-/lead/{ids["vetted"]}">' in html


def _post(path: Path, lead: int, action: str, form: dict[str, str], *, write: bool,
          token: bool = True, headers: dict[str, str] | None = None) -> Any:
    """Post the lead page's form as a browser would (its token and cookie, unless ``token``
    is False)."""
    async def talk(ds: Any) -> Any:
        page = await ds.client.get(f"/-/lead/{lead}")
        found = re.search(r'name="csrftoken" value="([^"]+)"', page.text)
        if not token:
            return await ds.client.post(f"/-/lead/{lead}/{action}", data=form, headers=headers)
        return await ds.client.post(
            f"/-/lead/{lead}/{action}", data={**form, "csrftoken": found.group(1) if found else ""},
            cookies={"ds_csrftoken": page.cookies.get("ds_csrftoken", "")}, headers=headers)

    return _ask(path, talk, write=write)


def _log(path: Path, lead: int) -> list[dict[str, Any]]:
    book = LeadBook.open(path)
    try:
        return book.activities(lead)
    finally:
        book.close()


def test_marking_from_the_page_goes_through_the_book_like_prospect_mark(
        web_book: tuple[Path, dict[str, int]]) -> None:
    path, ids = web_book
    lead = ids["graded_a"]
    answer = _post(path, lead, "mark", {"status": "replied", "note": "asked for prices"}, write=True)
    assert answer.status_code == 302
    assert answer.headers["location"] == f"/-/lead/{lead}"
    answer = _post(path, lead, "note", {"note": "call back Monday"}, write=True)
    assert answer.status_code == 302
    log = _log(path, lead)
    book = LeadBook.open(path)
    row = book.lead(lead)
    book.close()
    assert [(a["kind"], a["status"], a["note"]) for a in log] == [
        ("status", "replied", "asked for prices"), ("note", None, "call back Monday")]
    assert row["status"] == "replied"
    assert row["touched_at"] == log[-1]["at"]


@pytest.mark.parametrize(("action", "form"), [("mark", {"status": "won"}), ("note", {"note": "  "})])
def test_a_bad_form_writes_nothing(web_book: tuple[Path, dict[str, int]], action: str,
                                   form: dict[str, str]) -> None:
    path, ids = web_book
    answer = _post(path, ids["graded_a"], action, form, write=True)
    assert answer.status_code == 302
    assert _log(path, ids["graded_a"]) == []


@pytest.mark.parametrize(("write", "token", "headers"), [
    (False, True, None),                              # served read-only
    (True, False, None),                              # no token: not sent from its page
    (True, True, {"origin": "https://evil.example"}),  # another site's page
])
def test_a_write_is_refused_unless_allowed_and_sent_from_its_page(
        web_book: tuple[Path, dict[str, int]], write: bool, token: bool,
        headers: dict[str, str] | None) -> None:
    path, ids = web_book
    answer = _post(path, ids["graded_a"], "mark", {"status": "replied"}, write=write, token=token,
                   headers=headers)
    assert answer.status_code == 403
    assert _log(path, ids["graded_a"]) == []
