"""Countries, positions (latitude and longitude, in any of the ways they are written) and
the distance between two."""

from __future__ import annotations

import contextlib
import functools
import math
import re

from prospect.normalize.text import fold

__all__ = ["distance_km", "normalize_country", "normalize_position", "read_position"]

_COUNTRY_ALIASES = {
    "uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "great britain": "GB",
    "britain": "GB", "usa": "US", "united states of america": "US", "america": "US",
    "holland": "NL", "the netherlands": "NL", "deutschland": "DE", "russia": "RU",
    "south korea": "KR", "korea": "KR", "north korea": "KP", "vietnam": "VN", "iran": "IR",
    "taiwan": "TW", "czech republic": "CZ", "uae": "AE", "turkey": "TR", "bolivia": "BO",
    "venezuela": "VE", "tanzania": "TZ", "syria": "SY", "laos": "LA", "moldova": "MD",
    "hong kong": "HK", "macau": "MO", "ivory coast": "CI", "espana": "ES", "italia": "IT",
    "schweiz": "CH", "suisse": "CH", "osterreich": "AT", "nederland": "NL", "belgique": "BE",
    "polska": "PL", "brasil": "BR",
    "中国": "CN", "中华人民共和国": "CN", "美国": "US", "英国": "GB", "德国": "DE", "法国": "FR",
    "日本": "JP", "韩国": "KR", "香港": "HK", "台湾": "TW", "澳门": "MO", "俄罗斯": "RU",
    "中国大陆": "CN", "prc": "CN", "pr china": "CN", "p r china": "CN", "ksa": "SA",
    "россия": "RU", "macedonia": "MK", "mainland china": "CN", "china mainland": "CN",
    "hong kong sar china": "HK", "macao sar china": "MO", "venezuela rb": "VE",
}
# The languages whose country names are read besides English (pycountry's translations of
# ISO 3166, from Debian's iso-codes): those of the markets our users sell to and buy from.
_COUNTRY_LANGUAGES = ("zh_CN", "zh_TW", "zh_HK", "de", "fr", "es", "it", "nl", "pt", "pt_BR",
                      "ru", "uk", "pl", "cs", "tr", "ar", "ja", "ko", "vi", "id", "ms", "th",
                      "sv", "da", "nb", "fi", "el", "ro", "hu", "he", "hi", "fa")


@functools.lru_cache(maxsize=1)
def _country_table() -> dict[str, str]:

    import pycountry

    table: dict[str, str] = {}
    for c in pycountry.countries:
        code = c.alpha_2
        for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                table.setdefault(fold(value), code)
    for alias, code in _COUNTRY_ALIASES.items():
        table[fold(alias)] = code
    return table


@functools.lru_cache(maxsize=4096)
def normalize_country(raw: str) -> str | None:
    """Return the ISO 3166 alpha-2 code for a country name, code or Chinese name."""
    text = raw.strip()
    if not text:
        return None
    table = _country_table()
    found = table.get(text) or table.get(fold(text))
    if found is None:
        local = _local_country_names()  # read only when a name is not English
        found = local.get(text) or local.get(fold(text))
    if found is None:
        found = _loose_country_names().get(_loose(text))
    return found


# The abbreviations of the World Bank's and the UN's country lists ("Korea, Rep.", "Congo,
# Dem. Rep.", "Lao PDR", "Micronesia, Fed. Sts."), and words that tell no country apart.
_SPELLED = {"rep": "republic", "dem": "democratic", "fed": "federated", "sts": "states",
            "pdr": "peoples democratic republic", "st": "saint", "is": "islands"}
_EMPTY_WORDS = frozenset({"of", "the", "and", "sar"})


def _loose(name: str) -> str:
    """A country name's words, abbreviations spelled out, in any order: "Korea, Rep.",
    "Republic of Korea" and ISO's "Korea, Republic of" are alike."""
    words = " ".join(_SPELLED.get(w, w) for w in fold(name).split()).split()
    return " ".join(sorted({w for w in words if w not in _EMPTY_WORDS}))


@functools.lru_cache(maxsize=1)
def _loose_country_names() -> dict[str, str]:
    """ISO 3166's English names and aliases by :func:`_loose`; words two countries share
    in that form ("Congo" and "Congo, Rep." are two) name neither."""
    import pycountry

    found: dict[str, set[str]] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                found.setdefault(_loose(value), set()).add(c.alpha_2)
    return {key: next(iter(codes)) for key, codes in found.items() if len(codes) == 1}


@functools.lru_cache(maxsize=1)
def _local_country_names() -> dict[str, str]:
    """Country names in :data:`_COUNTRY_LANGUAGES`, as written and folded, to their codes."""
    import gettext

    import pycountry

    names: dict[str, str] = {}
    for language in _COUNTRY_LANGUAGES:
        try:
            translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR,
                                              languages=[language])
        except OSError:  # a pycountry build without locales: English and the aliases only
            continue
        for c in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(c, attr, None)
                local = translation.gettext(value) if value else ""
                if local and local != value:  # English names and aliases are read first
                    names.setdefault(local, c.alpha_2)
                    names.setdefault(fold(local), c.alpha_2)
    return names


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (latitude, longitude) points (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def normalize_position(latitude: object, longitude: object) -> tuple[str, str] | None:
    """Return a position as two decimal strings (6 places, about 0.1 m), or None.

    See :func:`read_position`, which also says why a position was dropped or changed.
    """
    return read_position(latitude, longitude)[0]


# 52°31'12.5"N, 13 24 18 E, N 52.52, 52.52 N: degrees, minutes, seconds and a hemisphere.
_DMS = re.compile(r"""^\s*([NSEW])?\s*(-?\d+(?:[.,]\d+)?)\s*(?:°|º)?\s*"""
                  r"""(?:(\d+(?:[.,]\d+)?)\s*(?:'|′|’)?\s*"""
                  r"""(?:(\d+(?:[.,]\d+)?)\s*(?:"|″|”|'')?)?)?\s*([NSEW])?\s*$""", re.I)


def _degrees(text: object) -> tuple[float, str] | None:
    """A coordinate in decimal degrees and its hemisphere letter ("" when none)."""
    with contextlib.suppress(ValueError):  # most positions are plain decimals
        value = float(str(text).strip().replace(",", "."))
        if math.isfinite(value):
            return value, ""
    m = _DMS.match(str(text))
    if not m:
        return None
    before, deg, minutes, seconds, after = m.groups()
    if before and after:
        return None
    parts = [float(x.replace(",", ".")) for x in (minutes or "0", seconds or "0")]
    if parts[0] >= 60 or parts[1] >= 60:
        return None
    value = abs(float(deg.replace(",", "."))) + parts[0] / 60 + parts[1] / 3600
    hemisphere = (before or after or "").upper()
    negative = deg.startswith("-") or hemisphere in ("S", "W")
    return (-value if negative else value), hemisphere


def read_position(latitude: object, longitude: object) -> tuple[tuple[str, str] | None, str]:
    """Read a position: ((latitude, longitude) as decimal strings, or None; what was wrong).

    Decimal degrees, or degrees, minutes and seconds with a hemisphere letter. A pair whose
    letters or ranges say the columns were swapped is read swapped, and says so. None, with
    the reason, for what is no place on Earth: values out of range, text that is no
    coordinate, and 0,0 ("null island"), which exports and geocoders write for "unknown".
    """
    a, b = _degrees(latitude), _degrees(longitude)
    if a is None or b is None:
        given = f"{latitude!s}, {longitude!s}" if str(longitude).strip() else str(latitude)
        return None, f"not a coordinate: {given}"[:120]
    (lat, lat_side), (lon, lon_side) = a, b
    note = ""
    lettered_swap = lat_side in ("E", "W") and lon_side in ("N", "S")
    ranged_swap = abs(lat) > 90 >= abs(lon) and not lat_side and not lon_side
    if lettered_swap or ranged_swap:
        lat, lon = lon, lat
        note = "latitude and longitude were swapped"
    if lat != lat or lon != lon or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, f"out of range: {latitude!s}, {longitude!s}"[:120]
    if lat == 0 and lon == 0:
        return None, "0,0 is no place (null island)"
    return (f"{lat:.6f}".rstrip("0").rstrip("."), f"{lon:.6f}".rstrip("0").rstrip(".")), note
