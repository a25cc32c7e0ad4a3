"""Addresses whose parts each carry the word that says what they are: Russian and its
neighbours' ("г. Москва, ул. Тверская, д. 7"), Korean ("서울특별시 강남구 테헤란로 123"),
Vietnamese ("Số 12 Nguyễn Huệ, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh") and Turkish
("Nişantepe Mah. Ensar Cad. No: 4/2 İstanbul/Çekmeköy")."""

from __future__ import annotations

import re

from prospect import normalize as n

__all__ = ["marked_address"]

# Countries that write their addresses in Russian, with a six-digit postcode.
_CYRILLIC_COUNTRIES = frozenset({"RU", "BY", "KZ", "KG", "UZ", "TJ"})
_LABEL = re.compile(r"^[^:\d]{1,40}:\s*")
_LONG = 200

# The town: "г. Москва", "г.Москва", "город Москва".
_RU_TOWN = re.compile(r"^(?:г\.|гор\.|город\s)\s*(\S.*)$", re.I)
# Regions above the town: "Московская область", "Краснодарский край", "Республика Татарстан".
_RU_REGION = re.compile(r"\b(?:обл(?:асть|\.)|кра[йя]|респ(?:ублика|\.)|р-н|район|округ|АО)\b",
                        re.I)
# A street by its type, written before or after its name ("ул. Тверская", "Тверская ул.").
_RU_STREET = re.compile(r"(?<!\w)(?:ул(?:ица)?|пр(?:оспект|-кт|-т)?|пер(?:еулок)?|наб(?:ережная)?|"
                        r"ш(?:оссе)?|б(?:ульва)?р|б-р|пл(?:ощадь)?|пр-д|проезд|мкр|микрорайон|"
                        r"тупик|аллея|тракт|линия)(?:\.|(?!\w))", re.I)
# The parts after the street: house, building, structure, office, premises, floor, flat.
_RU_UNIT = re.compile(r"^(?:д(?:ом)?|вл(?:ад)?|двлд|корп(?:ус)?|к|стр(?:оение)?|оф(?:ис)?|"
                      r"пом(?:ещение|\.)?|эт(?:аж)?|кв|литер(?:а)?|лит)\.?\s*\S|^\d", re.I)
_RU_COUNTRY = re.compile(r"^(?:Россия|Российская\s+Федерация|РФ|Беларусь|Казахстан)$", re.I)


def _cyrillic(line: str) -> dict[str, str]:
    """"117218, город Москва, ул. Кржижановского, д. 15 к. 5": street and units, postcode,
    town."""
    parts = [p.strip(" .") for p in _LABEL.sub("", line).split(",")]
    parts = [p for p in parts if p and not _RU_COUNTRY.match(p)]
    postcode = ""
    town = ""
    rest: list[str] = []
    for i, part in enumerate(parts):
        if re.fullmatch(r"\d{6}", part):
            postcode = postcode or part
            continue
        m = _RU_TOWN.match(part)
        if m:
            town = m.group(1).strip()
            rest = parts[i + 1:]
            break
        if _RU_REGION.search(part):
            continue
        if _RU_STREET.search(part) or re.search(r"\d", part):
            break
        if postcode and not town:
            town, rest = part, parts[i + 1:]  # "109012, Москва, ул. Варварка"
            break
    if not town or not rest:
        return {}
    street = rest[0]
    units = [street]
    for part in rest[1:]:
        if not _RU_UNIT.match(part):
            break
        units.append(part)
    address = ", ".join(units)
    # A street by its type, or a house by its mark after the name ("2ая Карачаровская д. 1С1").
    if not re.search(r"\d", address) or not (_RU_STREET.search(street)
                                              or re.search(r"(?<!\w)(?:д|дом)\.?\s*\d", address)):
        return {}
    return {"address": address, "postcode": postcode, "city": town} if postcode else \
        {"address": address, "city": town}


# Korea's provinces and metropolitan cities, written in full or short: "서울특별시",
# "서울", "경기도", "충남".
_KR_REGION = (r"(?:서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충청북|충청남|충북|충남|전라북|"
              r"전라남|전북|전남|경상북|경상남|경북|경남|제주)(?:특별시|광역시|특별자치시|특별자치도|도)?")
_KR_METRO = re.compile(r"^(?:서울|부산|대구|인천|광주|대전|울산|세종)")
# Region, city / county / district, then the road and its number (road-name address) or
# the neighbourhood and its lot number (the older form).
_KR_ADDRESS = re.compile(rf"(?<![가-힣])(?P<region>{_KR_REGION})\s+"
                         r"(?P<divisions>(?:[가-힣]+(?:시|군|구)\s+){0,2})"
                         r"(?P<street>[가-힣][가-힣0-9·.]*(?:로|길)\s*\d+(?:-\d+)?|"
                         r"[가-힣][가-힣0-9]*(?:동|리|가)\s*\d+(?:-\d+)?)(?![\d-])")
# What may follow the number: a building, a block, a floor, a room.
_KR_UNIT = re.compile(r"^(?:\S*(?:빌딩|타워|센터|플라자|프라자|오피스텔|아파트|빌라|상가|스퀘어|몰)|"
                      r"[A-Z0-9]{1,3}동|\d+층|\d+호|[B]?\d+F|지하\d*층?|제?\d+동)$")
_KR_POSTCODE = re.compile(r"(?:우편번호|\(우\)|우\))\s*[:.]?\s*(\d{5})|[\[(](\d{5})[\])]")


def _korean(line: str) -> dict[str, str]:
    """"서울특별시 성동구 아차산로11가길 10, HSF빌딩 7F": road and number with the building,
    postcode, town (the metropolitan city, else the city or county)."""
    m = _KR_ADDRESS.search(line)
    if not m:
        return {}
    region = m.group("region")
    divisions = m.group("divisions").split()
    # A metropolitan city is the town itself; a province's town is its city or county.
    town = region if _KR_METRO.match(region) else \
        next((d for d in divisions if d.endswith(("시", "군"))), "")
    if not town:
        return {}
    end = m.end()
    for token in re.finditer(r"[^\s,]+", line[m.end():]):
        if not _KR_UNIT.match(token.group(0)):
            break
        end = m.end() + token.end()
    code = _KR_POSTCODE.search(line)
    address = {"address": line[m.start("street"):end], "city": town}
    if code:
        address["postcode"] = code.group(1) or code.group(2)
    return address


# Vietnam: ward, district, city or province, each by its word ("Phường Bến Nghé", "P. Bến
# Nghé", "Quận 1", "Q.1", "TP. Hồ Chí Minh", "Tỉnh Bình Dương").
_VN_WARD = re.compile(r"^(?:phường|p\.|xã|thị\s+trấn|tt\.)\s*", re.I)
_VN_DISTRICT = re.compile(r"^(?:quận|q\.|huyện|thị\s+xã|tx\.)\s*", re.I)
_VN_CITY = re.compile(r"^(?:thành\s+phố|tp\.?|tỉnh)\s*", re.I)
_VN_CITIES = frozenset({"ha noi", "ho chi minh", "da nang", "hai phong", "can tho"})


def _vietnamese(line: str) -> dict[str, str]:
    """"Số 9 Ngõ 80 phố Trung Kính, Phường Yên Hòa, Quận Cầu Giấy, Thành Phố Hà Nội": the
    street parts before the ward, the city."""
    parts = [p.strip(" .") for p in _LABEL.sub("", line).split(",")]
    parts = [p for p in parts if p and n.normalize_country(p) != "VN"]
    street: list[str] = []
    town = ""
    marked = False
    for part in parts:
        city = _VN_CITY.match(part)
        if city:
            town = part[city.end():].strip()
            break
        if _VN_WARD.match(part) or _VN_DISTRICT.match(part):
            marked = True
            continue
        if n.fold(part) in _VN_CITIES and marked:
            town = part
            break
        if not marked:
            street.append(part)
    if not (town and marked and street and re.search(r"\d", street[-1])):
        return {}
    return {"address": ", ".join(street), "city": town}


# Turkey: the neighbourhood, avenue, street or boulevard by its word ("Nişantepe Mah. Ensar
# Cad."), the door after "No:", then the district and the province either side of a slash
# ("Yeşilyurt/Malatya", "İstanbul/Çekmeköy"); a postcode is seldom written.
_TR_MARK = re.compile(r"(?<!\w)(?:mah(?:allesi)?|mh|cad(?:desi)?|cd|sok(?:ak|ağı)?|sk|blv|bulvarı|"
                      r"bul)\.?(?!\w)", re.I)
_TR_ADDRESS = re.compile(r"(?P<street>[^\s:;,][^:;\n]{0,80}?\bNo\s*[:.]?\s*\d+[A-Za-z]?"
                         r"(?:/\d+[A-Za-z]?)?(?:\s+(?:Kat|Daire|D)\s*[:.]?\s*\d+)*)\s*,?\s*"
                         r"(?P<a>[^\W\d]\w*(?:\s[^\W\d]\w*)?)\s*/\s*"
                         r"(?P<b>[^\W\d]\w*(?:\s[^\W\d]\w*)?)")


def _turkish(line: str) -> dict[str, str]:
    """"Nişantepe Mah. Ensar Cad. No: 4/2 İstanbul/Çekmeköy": street and door, and the
    district (the side of the slash that is no province)."""
    from prospect.sources.websites.addresses import address_format  # it imports this module

    m = _TR_ADDRESS.search(line)
    if not m or not _TR_MARK.search(m.group("street")):
        return {}
    fmt = address_format("TR")
    provinces = fmt.regions if fmt else frozenset()
    town = m.group("b") if n.fold(m.group("a")) in provinces else m.group("a")
    return {"address": m.group("street").strip(), "city": town}


def marked_address(lines: list[str], country: str | None) -> dict[str, str]:
    """The first address on ``lines`` in the marked forms of ``country`` (any of them if the
    country is not known), {} if none."""
    code = (country or "").upper()
    readers = [reader for reader, countries in _READERS if not code or code in countries]
    for line in lines:
        if len(line) > _LONG:
            continue
        for reader in readers:
            found = reader(line)
            if found:
                return found
    return {}


_READERS = ((_cyrillic, _CYRILLIC_COUNTRIES), (_korean, frozenset({"KR"})),
            (_vietnamese, frozenset({"VN"})), (_turkish, frozenset({"TR"})))
