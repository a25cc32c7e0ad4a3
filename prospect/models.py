"""The values prospect passes around: a lead's fields, and one observation of a lead."""

from __future__ import annotations

import datetime as dt
import json
import json.scanner
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from prospect import normalize as n

__all__ = ["LEAD_FIELDS", "Observation", "json_text", "json_value", "normalize_fields", "now_iso"]

# The fields a lead has, in display order. Sources and imports fill what they know.
LEAD_FIELDS: tuple[str, ...] = (
    "name", "legal_form", "contact_name", "website", "domain", "email", "phone", "fax",
    "address", "city", "postcode", "region", "country", "vat", "lei", "company_number", "uscc",
    "category", "description", "profiles", "tax_id", "birth_date", "latitude", "longitude",
)
_IDENTIFIERS = ("vat", "lei", "company_number", "uscc", "tax_id")


@dataclass(frozen=True)
class Observation:
    """One record of a lead as one source saw it: the raw payload and where it came from."""

    source: str
    reference: str
    fields: Mapping[str, str]
    raw: Mapping[str, Any] = field(default_factory=dict)
    fetched_at: str | None = None
    # The lead this observation is about when the source knows it (the lead's own web site):
    # it joins that lead without a dedupe decision.
    lead_id: int | None = None


def now_iso() -> str:
    """The current UTC time as the book stores it (ISO 8601, seconds)."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _raise(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# json.dumps makes its C encoder anew at each call (JSONEncoder.iterencode): a third of the
# time of encoding a record's fields. The C encoder is made once here, as iterencode makes
# it, without the check for circular values (these are strings and numbers from a record).
_MAKE: Callable[..., Callable[[Any, int], list[str]]] | None = getattr(
    json.encoder, "c_make_encoder", None)
_C_ENCODER = _MAKE and _MAKE(None, _raise, json.encoder.encode_basestring, None, ": ", ", ",
                             False, False, True)
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def json_text(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)``, without making an encoder each call."""
    # A large import encodes two or three values a record.
    if _C_ENCODER is None:  # no C accelerator (another Python than CPython)
        return _ENCODE(value)
    return "".join(_C_ENCODER(value, 0))


# json.loads goes through two Python calls and an expression that checks what follows the
# value: a large share of the time to read a record's fields back. Text the book wrote is
# read by the C scanner directly.
_MAKE_SCANNER: Callable[[json.JSONDecoder], Callable[[str, int], tuple[Any, int]]] | None = (
    getattr(json.scanner, "c_make_scanner", None))
_SCAN = _MAKE_SCANNER and _MAKE_SCANNER(json.JSONDecoder())


def json_value(text: str) -> Any:
    """``json.loads(text)`` for JSON text this program wrote (nothing after the value)."""
    if _SCAN is None:  # no C accelerator (another Python than CPython)
        return json.loads(text)
    return _SCAN(text, 0)[0]


def _clean(value: object) -> str:
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return "" if text in n.BLANK_CELLS else text


def normalize_fields(raw: Mapping[str, object]) -> dict[str, str]:
    """Turn the fields a source gave (lead field names, raw text) into a lead's normalised fields.

    Values that are not what their column claims (a website "Yes", an e-mail "02/01/16")
    are dropped here; the raw payload keeps them for audit.
    """
    src = {k: text for k, v in raw.items() if (text := _clean(v))}
    out: dict[str, str] = {}
    country = n.normalize_country(src["country"]) if "country" in src else None
    if country:
        out["country"] = country
    name = src.get("name") or src.get("contact_name")
    if name:
        out["name"] = name
        parsed = n.normalize_name(name)
        if parsed.legal_form and "name" in src:
            out["legal_form"] = src.get("legal_form") or parsed.legal_form
    if "contact_name" in src:
        out["contact_name"] = src["contact_name"]
    # Pages on social networks, by their addresses: a bare handle ("@acme") names no network.
    profiles: list[str] = [p for p in src.get("profiles", "").split() if n.registered_domain(p)]
    if "website" in src:
        site = n.first_site(src["website"])
        if site and n.is_shared_host(site[1]):
            profiles.append(site[0])
        elif site:
            out["website"], out["domain"] = site
    email = n.first_email(src["email"]) if "email" in src else None
    if email:
        out["email"] = email
    for key in ("phone", "fax"):
        if key in src:
            phone = n.normalize_phone(src[key], country)
            if phone is not None:
                out[key] = phone.e164 or src[key]
    if "address" in src:
        out["address"] = src["address"]
    for key in ("city", "region", "category", "description"):
        if key in src:
            out[key] = src[key]
    if "postcode" in src:
        postcode = n.normalize_postcode(src["postcode"])
        if postcode:
            out["postcode"] = postcode
    for key in _IDENTIFIERS:
        if key in src:
            value = n.normalize_identifier(key, src[key])
            if value:
                out[key] = value
    if "birth_date" in src:
        birth = n.normalize_date(src["birth_date"])
        if birth:
            out["birth_date"] = birth
    if profiles:
        out["profiles"] = " ".join(dict.fromkeys(profiles))
    if "latitude" in src and "longitude" in src:
        position = n.normalize_position(src["latitude"], src["longitude"])
        if position:
            out["latitude"], out["longitude"] = position
    return out
