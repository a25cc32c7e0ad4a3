"""One lead as ``prospect show`` and its web page show it: fields with their sources, merges,
vettings, follow-up.

Plain data read through the book's own methods, one reading for the terminal and the page, so
the two never disagree; no web library is needed here.
"""

from __future__ import annotations

from typing import Any

from prospect.presets import LEAD_COLUMNS
from prospect.storage import LeadBook
from prospect.vetting.base import STEPS

__all__ = ["STEP_NAMES", "lead_view", "page_of"]

STEP_NAMES = {"look": "look (望): is it real and consistent",
              "listen": "listen (闻): what the message gives away",
              "ask": "ask (问): what others say",
              "verify": "verify (切): the hard facts"}


# Which of a page's facts (see prospect.sources.websites.PageFacts) gives each lead field.
_PAGE_FACTS = {"email": "emails", "phone": "phones", "fax": "fax", "vat": "vat",
               "company_number": "register", "uscc": "uscc", "name": "name",
               "profiles": "socials", "address": "address", "postcode": "address",
               "city": "address", "latitude": "position", "longitude": "position"}


def page_of(observation: dict[str, Any] | None, key: str, value: str) -> str:
    """The page of a web site observation that gave lead field ``key`` its ``value`` ('' when
    the observation is not a site's, or no page says so)."""
    raw = observation.get("raw") if observation else None
    pages = raw.get("pages") if isinstance(raw, dict) else None
    fact = _PAGE_FACTS.get(key)
    if not isinstance(pages, list) or fact is None:
        return ""
    first = ""
    for page in pages:
        if not isinstance(page, dict) or not page.get(fact):
            continue
        got = page[fact]
        first = first or str(page.get("url", ""))
        if isinstance(got, dict):
            said = str(got.get(key, ""))
        elif isinstance(got, list):
            said = value if value.casefold() in {str(g).casefold() for g in got} else ""
        else:
            said = str(got)
        if said and said.casefold() == value.casefold():
            return str(page.get("url", ""))
    return first


def lead_view(book: LeadBook, lead_id: int) -> dict[str, Any]:
    """Everything the lead page shows, as plain data (raises NotFoundError for an unknown id)."""
    lead = book.lead(lead_id)
    observations = list(book.observations(lead_id))
    by_id = {o["id"]: o for o in observations}
    fields = []
    for key in LEAD_COLUMNS[1:]:
        value = lead.get(key)
        if not value:
            continue
        source = by_id.get(lead["provenance"].get(key))
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        fields.append({"field": key, "value": shown,
                       "page": page_of(source, key, shown),
                       "observation": source["id"] if source else None,
                       "source": source["source"] if source else "",
                       "reference": source["reference"] if source else "",
                       "fetched_at": source["fetched_at"] if source else ""})
    vettings = book.vettings(lead_id)
    # The lead's own vettings grade it; a message filed under it is graded on its own.
    own = [v for v in vettings if not v["input"] or lead["sources"] == ["inquiry"]]
    messages = [v for v in vettings if v not in own]
    latest = own[0] if own else None
    steps = []
    if latest is not None:
        for step in (*STEPS, *sorted({f["step"] for f in latest["findings"]} - set(STEPS))):
            found = [f for f in latest["findings"] if f["step"] == step]
            if found:
                steps.append({"step": step, "title": STEP_NAMES.get(step, step),
                              "findings": found})
    history = [{"at": v["at"], "grade": v["grade"], "score": v["score"],
                "confidence": v["confidence"]} for v in reversed(own)]
    joined = [{"observation": o["id"], "source": o["source"], "reference": o["reference"],
               "fetched_at": o["fetched_at"], "score": o["match"]["score"],
               "reasons": [f"{reason} {weight:+g}" for reason, weight in o["match"]["reasons"]]}
              for o in observations if o["match"]]
    return {"lead": lead, "fields": fields, "observations": observations, "joined": joined,
            "merges": book.merges(lead_id), "vettings": vettings, "own": own, "latest": latest,
            "steps": steps, "history": history, "messages": messages,
            "activities": book.activities(lead_id), "claims": book.claims_on(lead_id)}
