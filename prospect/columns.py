"""Map the column headers people put in spreadsheets to lead fields, in English and Chinese."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from prospect.normalize import fold

__all__ = ["HEADER_SYNONYMS", "map_headers", "row_fields"]

# field -> header spellings (compared after fold(): case, accents and punctuation ignored).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("name", "company", "company name", "companyname", "business", "business name",
             "organisation", "organization", "organisation name", "organization name", "firm",
             "legal name", "site name", "account name", "exhibitor", "exhibitor name", "buyer",
             "公司名称", "公司", "企业名称", "名称", "客户名称", "单位名称", "公司名", "客户"),
    "contact_name": ("contact", "contact name", "contact person", "person", "full name",
                     "联系人", "姓名", "联系人姓名"),
    "given_name": ("given name", "first name", "firstname", "forename", "名"),
    "surname": ("surname", "last name", "lastname", "family name", "姓"),
    "website": ("website", "web", "url", "homepage", "home page", "site", "web site", "www",
                "domain", "网址", "网站", "主页", "公司网址", "官网"),
    "email": ("email", "e mail", "mail", "email address", "e mail address", "emails",
              "邮箱", "电子邮件", "电子邮箱", "邮件", "email邮箱"),
    "phone": ("phone", "telephone", "tel", "phone number", "telephone number", "mobile",
              "cell", "mobile phone", "whatsapp", "电话", "手机", "联系电话", "座机", "电话号码",
              "手机号", "手机号码"),
    "fax": ("fax", "fax number", "传真"),
    "street_number": ("street number", "house number", "house no", "number", "门牌号"),
    "address": ("address", "street", "street address", "address1", "address 1", "addr",
                "address line 1", "地址", "详细地址", "公司地址", "通讯地址"),
    "address_2": ("address2", "address 2", "address line 2"),
    "city": ("city", "town", "suburb", "locality", "城市", "市", "所在城市"),
    "region": ("state", "province", "region", "county", "省", "省份", "地区"),
    "postcode": ("postcode", "postal code", "post code", "zip", "zip code", "zipcode", "plz",
                 "邮编", "邮政编码"),
    "country": ("country", "country code", "nation", "country region", "国家", "国家地区",
                "国别"),
    "vat": ("vat", "vat number", "vat id", "vat no", "ust idnr", "tva", "税号", "增值税号"),
    "lei": ("lei", "lei code"),
    "company_number": ("company number", "registration number", "reg no", "crn",
                       "company registration number", "registry number", "注册号", "工商注册号"),
    "uscc": ("统一社会信用代码", "uscc", "unified social credit code", "社会信用代码", "信用代码"),
    # A sole trader is identified by the owner's tax number and, with the name, birth date.
    "tax_id": ("tax id", "tax number", "tin", "taxpayer id", "ssn", "social security number",
               "soc sec id", "national id", "national insurance number", "纳税人识别号", "税务登记号"),
    "birth_date": ("date of birth", "birth date", "dob", "birthday", "出生日期", "生日"),
    "category": ("category", "industry", "sector", "type", "行业", "类别", "主营产品", "产品"),
    "description": ("description", "notes", "note", "remarks", "备注", "简介", "描述"),
}

_LOOKUP = {fold(h): f for f, hs in HEADER_SYNONYMS.items() for h in hs}
_LOOKUP.update({fold(h).replace(" ", ""): f for f, hs in HEADER_SYNONYMS.items() for h in hs})


def map_headers(headers: Sequence[str], overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return ``{header: field}`` for the headers that name a lead field; ``overrides`` win."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    overrides = dict(overrides or {})
    for header in headers:
        if header in overrides:
            mapping[header] = overrides[header]
            taken.add(overrides[header])
    for header in headers:
        if header in mapping:
            continue
        key = fold(header)
        fld = _LOOKUP.get(key) or _LOOKUP.get(key.replace(" ", ""))
        if fld and fld not in taken:
            mapping[header] = fld
            taken.add(fld)
    return mapping


def row_fields(row: Mapping[str, str], mapping: Mapping[str, str]) -> dict[str, str]:
    """Gather one row's values under lead field names (joining name and address parts)."""
    out: dict[str, str] = {}
    for header, fld in mapping.items():
        value = (row.get(header) or "").strip()
        if value:
            out[fld] = value
    given, surname = out.pop("given_name", ""), out.pop("surname", "")
    if (given or surname) and "contact_name" not in out:
        out["contact_name"] = f"{given} {surname}".strip()
    number = out.pop("street_number", "")
    if number:
        out["address"] = f"{number} {out.get('address', '')}".strip()
    line2 = out.pop("address_2", "")
    if line2:
        out["address"] = f"{out.get('address', '')}, {line2}".strip(", ")
    return out
