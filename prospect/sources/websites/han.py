"""Addresses in Chinese and Japanese script: "地址：浙江省杭州市西湖区文三路478号", "〒100-0005
東京都千代田区丸の内1-1-1"."""

from __future__ import annotations

import re

from prospect import normalize as n

__all__ = ["han_address"]


# Chinese and Japanese addresses run from the largest place to the smallest on one line,
# after a label ("地址：", "公司地址:", "住所") or a postal mark ("〒100-0005"): province or
# prefecture, city, district, then road, number and building.
_HAN_LABEL = re.compile(r"(?:(?:公司|办公|辦公|联系|聯絡|总部|總部|工厂|工廠|通讯|通訊|本社)?"
                        r"(?:地\s*址|住\s*所|所在地)|〒\s*(?P<mark>\d{3}-?\d{4}))\s*[:：]?\s*")
_HAN_POSTCODE = re.compile(r"(?:邮\s*编|郵\s*編|邮政编码|郵遞區號|郵便番号|〒)\s*[:：]?\s*"
                           r"(\d{3}-?\d{4}|\d{6}|\d{5})")
# What ends the address: a wide gap, a bar, the next field's label (a known one, or any
# "标签：" that follows a space), a mailbox, or the site's licence numbers and copyright,
# which every Chinese footer carries ("鲁ICP备17003630号", "公网安备").
_HAN_END = re.compile(r"\s{2,}|[|｜]|(?:电\s*话|電\s*話|传\s*真|傳\s*真|手\s*机|邮\s*编|郵\s*編|"
                      r"邮政编码|郵遞區號|邮\s*箱|网\s*址|網\s*址|(?<![A-Za-z])(?:TEL|Tel|FAX|Fax|E-?mail)\b|郵便番号|〒)|"
                      r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{2,8}\s*[:：]|[\w.+-]+@[\w-]+\.|"
                      r"[\u4e00-\u9fff]?(?:ICP[备證证]|公[网網]安[备備])|版[权權]所有|©|Copyright")
_HAN_PLACE = re.compile(r"^(?:中国|中國|日本)?"
                        r"(?P<region>[\u4e00-\u9fff]{1,6}?(?:省|自治区|自治區|特别行政区|都|道|府|県))?"
                        r"(?P<city>[\u4e00-\u9fff]{1,6}?(?:市|盟|自治州))?"
                        r"(?P<district>[\u4e00-\u9fff]{1,6}?(?:区|區|县|縣|町|村|旗))?"
                        r"(?P<rest>.+)$")
_HAN_DISTRICT = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:区|區|县|縣|旗)")
_HAN_NUMBER = re.compile(r"\d|[号號番丁]")


def _han_place(text: str, chinese: bool) -> tuple[str, str] | None:
    """The town and the rest (road, number, building) of an address in Chinese or Japanese
    script, or None if it names no city or district first."""
    if chinese:
        # China's divisions by name, written in full or short ("广东深圳南山区", "武汉"): the
        # town is the city (prefecture or municipality), else a county-level city, else the
        # district.
        divisions, rest = n.cn_divisions_at_head(re.sub(r"^(?:中国|中國)", "", text))
        cities = [w for w, level in divisions if level == "city"]
        counties = [w for w, level in divisions if level == "county"]
        town = (cities[-1] if cities else
                next((w for w in counties if w.endswith("市")), counties[0] if counties else ""))
        if town:
            district = None if counties else _HAN_DISTRICT.match(rest)  # "工业园区", a zone
            return town, rest[district.end():] if district else rest
    place = _HAN_PLACE.match(text)
    if not place or not (place["city"] or place["district"]):
        return None
    if place["city"] and place["district"] and place["district"].endswith(("町", "村")):
        # "福島市東浜町7-8": a 町 inside a city is a neighbourhood, the street's first part.
        return place["city"], place["district"] + place["rest"]
    return place["city"] or place["district"] or "", place["rest"]


def han_address(lines: list[str], chinese: bool = True) -> dict[str, str]:
    """A Chinese or Japanese address: street (road, number, building), postcode, town (the
    city, or the district of a city that has no city above it, as Tokyo's wards)."""
    postcode = ""
    for line in lines:
        m = _HAN_POSTCODE.search(line)
        if m:
            postcode = m.group(1)
            break
    for i, line in enumerate(lines):
        for label in _HAN_LABEL.finditer(line):
            text = line[label.end():]
            # "〒530-0001" on a line of its own, the address below it, on as many as two
            # lines ("東京都千代田区" / "丸の内1-1-1"): read on until the number.
            for below in lines[i + 1:i + 3]:
                if _HAN_NUMBER.search(text):
                    break
                text = f"{text}{below}"
            end = _HAN_END.search(text)
            text = text[:end.start()] if end else text
            text = text.strip(" ,，。;；()（）")
            place = _han_place(text, chinese)
            if place is None:
                continue
            town, rest = place[0], place[1].strip(" ,，")
            if not _HAN_NUMBER.search(rest) or len(rest) > 60:
                continue
            code = label["mark"] or postcode
            return {"address": rest, "postcode": code, "city": town} if code else \
                {"address": rest, "city": town}
    return {}
