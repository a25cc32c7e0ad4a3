"""Export presets: which columns, under which headers, with which values, for a CRM import.

Presets are data (``prospect/data/export_presets.toml``, and ``[export.presets.NAME]`` in the
user's config), so a new CRM layout needs no code.
"""

from __future__ import annotations

import string
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from prospect.errors import ProspectError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["EXPORTABLE", "EXPORT_COLUMNS", "LEAD_COLUMNS", "Preset", "load_presets", "person_columns",
           "preset_rows"]

# A lead's own columns (what `show` lists), then the plain export: follow-up, vetting and rank.
LEAD_COLUMNS = ["id", "name", "legal_form", "contact_name", "website", "domain", "email",
                "phone", "address", "city", "postcode", "region", "country", "vat", "lei",
                "company_number", "uscc", "category", "profiles", "latitude", "longitude",
                "sources", "first_seen", "last_seen"]
EXPORT_COLUMNS = [*LEAD_COLUMNS, "grade", "status", "touched_at", "rank_score", "tier", "activity"]
# Every column an export may name (--columns, or a preset).
EXPORTABLE = [*EXPORT_COLUMNS, "fax", "description", "vetted_at", "quiet_since", "provenance",
              "observation_count", "user_values"]


@dataclass(frozen=True)
class Preset:
    """One export layout: header -> source column or template, and value translations."""

    name: str
    about: str = ""
    columns: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def headers(self) -> list[str]:
        """The output headers, in order."""
        return list(self.columns) or list(EXPORT_COLUMNS)


def _parse(name: str, spec: Any, where: str) -> Preset:
    if not isinstance(spec, dict):
        raise ProspectError(f"{where}: preset {name!r} must be a table")
    columns = spec.get("columns", {})
    values = spec.get("values", {})
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise ProspectError(f"{where}: {name}.columns must map headers to column names")
    known = {*EXPORTABLE, *_PERSON}
    for header, source in columns.items():
        used = [f for _, f, _, _ in string.Formatter().parse(source) if f] if "{" in source \
            else [source]
        unknown = [u for u in used if u not in known]
        if unknown:
            raise ProspectError(f"{where}: {name}.columns.{header!r}: unknown column "
                                f"{unknown[0]!r}; use {', '.join(sorted(known))}")
    if not isinstance(values, dict) or not all(isinstance(v, dict) for v in values.values()):
        raise ProspectError(f"{where}: {name}.values must hold one table per column")
    return Preset(name, str(spec.get("about", "")), dict(columns),
                  {k: {str(a): str(b) for a, b in v.items()} for k, v in values.items()})


def load_presets(user: Mapping[str, Any] | None = None) -> dict[str, Preset]:
    """The shipped presets, plus (and overridden by) the user's from the config file."""
    text = resources.files("prospect.data").joinpath("export_presets.toml").read_text("utf-8")
    presets = {k: _parse(k, v, "export_presets.toml") for k, v in tomllib.loads(text).items()}
    for k, v in (user or {}).items():
        presets[k] = _parse(k, v, "config [export.presets]")
    return presets


def preset_rows(rows: Iterable[Mapping[str, Any]], preset: Preset) -> Iterator[dict[str, Any]]:
    """Rows under the preset's headers, values translated."""
    from prospect.csvio import cell_text  # here: the CLI imports this module at start-up

    if not preset.columns:
        yield from ({c: row.get(c) for c in EXPORT_COLUMNS} for row in rows)
        return
    for row in rows:
        row = {**row, **person_columns(row.get("contact_name"))}
        out: dict[str, Any] = {}
        for header, source in preset.columns.items():
            if "{" in source:
                filled = source.format_map(_Blank({k: cell_text(v) for k, v in row.items()}))
                # Drop the separators that empty parts leave behind ("Berlin, , DE").
                value = ", ".join(p.strip() for p in filled.split(",") if p.strip())
            else:
                value = cell_text(row.get(source))
                value = preset.values.get(source, {}).get(value, value)
            out[header] = value
        yield out


# Columns a preset may name that are worked out from the contact's name.
_PERSON = ("contact_name_or_unknown", "contact_first_name", "contact_last_name")
# Chinese family names of two characters; any other Chinese name starts with a one-character one.
_COMPOUND_SURNAMES = frozenset((
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "端木", "澹台", "公冶", "申屠", "太史", "闻人", "呼延", "歐陽", "諸葛", "長孫", "軒轅"))


def person_columns(name: Any) -> dict[str, str]:
    """A contact's name as CRMs want it: first and last name (a last name is never empty).

    Western names are split by nameparser (titles, particles such as "von", suffixes); a
    Chinese name written without spaces has its family name first.
    """
    full = " ".join(str(name or "").split())
    if not full:
        return {"contact_name_or_unknown": "(unknown)", "contact_first_name": "",
                "contact_last_name": "(unknown)"}
    if " " not in full and all("\u3400" <= c <= "\u9fff" for c in full) and len(full) >= 2:
        cut = 2 if full[:2] in _COMPOUND_SURNAMES and len(full) > 2 else 1
        first, last = full[cut:], full[:cut]
    else:
        from nameparser import HumanName

        parsed = HumanName(full)
        first = " ".join(p for p in (parsed.first, parsed.middle) if p)
        last = parsed.last
        if not last:
            first, last = "", first or full
    return {"contact_name_or_unknown": full, "contact_first_name": first,
            "contact_last_name": last}


class _Blank(dict[str, str]):
    """format_map helper: a column the row lacks is empty."""

    def __missing__(self, key: str) -> str:
        return ""
