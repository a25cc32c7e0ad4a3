"""Countries and positions: read, or refused with a reason."""

from __future__ import annotations

import pytest

from prospect import normalize as n


@pytest.mark.parametrize(("lat", "lon", "position", "problem"), [
    ("52.52", "13.405", ("52.52", "13.405"), ""),
    ("52,52", "13,405", ("52.52", "13.405"), ""),  # decimal commas
    ("52°31'12.5\"N", "13°24'18\"E", ("52.520139", "13.405"), ""),
    ("33 51 36 S", "151 12 40 E", ("-33.86", "151.211111"), ""),
    ("13°24'18\"E", "52°31'12.5\"N", ("52.520139", "13.405"), "swapped"),
    ("151.2093", "-33.8688", ("-33.8688", "151.2093"), "swapped"),
    ("0", "0", None, "null island"),
    ("95.5", "200", None, "out of range"),
    ("nan", "1", None, "not a coordinate"),
    ("52°75'0\"N", "13°E", None, "not a coordinate"),  # 75 minutes
])
def test_a_position_is_read_or_refused_with_a_reason(lat: str, lon: str,
                                                    position: tuple[str, str] | None,
                                                    problem: str) -> None:
    got, why = n.read_position(lat, lon)
    assert got == position and problem in why and bool(why) == bool(problem)


@pytest.mark.parametrize(("name", "code"), [
    ("Allemagne", "DE"), ("Alemania", "DE"), ("Germania", "DE"), ("Duitsland", "DE"),
    ("Россия", "RU"), ("Германия", "DE"), ("Almanya", "DE"), ("Niemcy", "DE"),
    ("ドイツ", "DE"), ("독일", "DE"), ("Đức", "DE"), ("Jerman", "DE"), ("ألمانيا", "DE"),
    ("Estados Unidos", "US"), ("Émirats arabes unis", "AE"), ("中国大陆", "CN"),
    ("P.R. China", "CN"), ("PRC", "CN"), ("KSA", "SA"), ("Reino Unido", "GB"),
    ("Vereinigtes Königreich", "GB"), ("Turquía", "TR"), ("Brasil", "BR"), ("德國", "DE"),
])
def test_a_country_is_read_in_the_languages_of_our_markets(name: str, code: str) -> None:
    assert n.normalize_country(name) == code


@pytest.mark.parametrize(("raw", "code"), [
    # As trade statistics, the World Bank's and the UN's lists write them.
    ("Republic of Korea", "KR"), ("Korea, Rep.", "KR"), ("Korea, Dem. People's Rep.", "KP"),
    ("Iran, Islamic Rep.", "IR"), ("Egypt, Arab Rep.", "EG"), ("Congo, Dem. Rep.", "CD"),
    ("Congo, Rep.", "CG"), ("Lao PDR", "LA"), ("Micronesia, Fed. Sts.", "FM"),
    ("United Republic of Tanzania", "TZ"), ("Hong Kong SAR", "HK"),
    ("Hong Kong SAR, China", "HK"), ("Mainland China", "CN"), ("St. Lucia", "LC"),
    # Words that name no one country stay unread.
    ("Republic", None), ("Democratic Republic", None),
])
def test_country_names_as_international_lists_write_them(raw: str, code: str | None) -> None:
    assert n.normalize_country(raw) == code
