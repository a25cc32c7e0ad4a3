"""A business's name: its legal form read apart ("GmbH", "有限公司", "ООО"), its words
written out, what is not a lead's name."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from prospect.normalize.text import CJK, HAN, data_lines, fold

__all__ = ["CompanyName", "cn_division", "cn_divisions_at_head", "is_not_a_lead",
           "normalize_name"]


@dataclass(frozen=True, slots=True)
class CompanyName:
    """A company name split into its distinctive core and its legal form."""

    core: str
    legal_form: str | None
    family: str | None


@functools.lru_cache(maxsize=1)
def _legal_forms() -> tuple[dict[tuple[str, ...], str], list[tuple[str, str]], int]:
    spaced: dict[tuple[str, ...], str] = {}
    glued: list[tuple[str, str]] = []
    for line in data_lines("legal_forms.tsv"):
        family, variants = line.split("\t", 1)
        for variant in variants.split("|"):
            if CJK.search(variant):
                glued.append((variant, family))
            else:  # folded as names are (Thai "จำกัด" as NFKC writes it; "ذ.م.م" undotted)
                spaced.setdefault(tuple(fold(variant).split()), family)
    glued.sort(key=lambda item: -len(item[0]))
    longest = max(len(k) for k in spaced)
    return spaced, glued, longest


# Words of names that people shorten or spell the British or the American way, read as
# written out ("St. Mary's Medical Ctr" and "Saint Mary's Medical Centre"); the long form,
# as other languages' forms of it are a letter or two away ("internationale").
_NAME_WORDS = {
    "st": "saint", "mt": "mount", "ft": "fort", "ctr": "center", "cntr": "center",
    "centre": "center", "theatre": "theater", "bros": "brothers", "intl": "international",
    "dept": "department", "univ": "university", "inst": "institute", "natl": "national",
    "assn": "association", "assoc": "association", "svcs": "services", "svc": "service",
    "mfg": "manufacturing", "acad": "academy", "hosp": "hospital",
    "apts": "apartments", "rr": "railroad", "elem": "elementary", "bldg": "building",
    "twp": "township", "hts": "heights", "mtn": "mountain", "sch": "school",
    # Trading firms' words ("Ningbo Star Imp. & Exp. Co., Ltd.", "Sharma Trdg. Co.").
    "imp": "import", "exp": "export", "trdg": "trading", "mktg": "marketing",
    "engg": "engineering", "mfr": "manufacturer", "mfrs": "manufacturers",
    # Brothers, as European firms shorten the word ("Gebr. Müller" is "Gebrüder Müller",
    # Dutch "Gebroeders"; "Hnos. García"; "F.lli Rossi", folded "f lli": see normalize_name).
    "gebr": "gebroeders", "gebruder": "gebroeders", "hnos": "hermanos",
}
# Words that carry no identity: dropped from the core wherever they stand.
_STOPWORDS = frozenset({"the", "and", "und", "et", "en"})
# Legal forms that may also stand before the name ("N.V. Philips", "PT Maju", "株式会社ソニー",
# "SARL Boulangerie Dupont"; not "SAS", a brand's name as often as a form), with the family
# of those that stand only there (None: the family legal_forms.tsv gives): Russian forms lead
# the name ("ООО «Ромашка»", "PAO Sberbank"; "pão" and "ao" end Portuguese names), as do
# Vietnamese ("Công ty TNHH Minh Phát", "CTCP"), Thai ("บริษัท") and Arabic ("شركة") words
# for company.
_PREFIX_FORMS: dict[tuple[str, ...], str | None] = {
    **dict.fromkeys([("nv",), ("bv",), ("pt",), ("cv",), ("株式会社",), ("sa",), ("ab",),
                     ("sarl",), ("eurl",), ("sasu",), ("주식회사",), ("유한회사",)]),
    **dict.fromkeys([("ooo",), ("ооо",), ("ao",), ("ао",), ("pao",), ("пао",), ("zao",),
                     ("зао",), ("oao",), ("оао",), ("ип",)], "ru"),
    **dict.fromkeys([("cong", "ty", "tnhh", "mtv"), ("cong", "ty", "tnhh"),
                     ("cong", "ty", "co", "phan"), ("cong", "ty", "cp"), ("cong", "ty"),
                     ("cty", "tnhh"), ("cty", "cp"), ("ctcp",), ("tnhh",)], "vn"),
    ("บริษัท",): "th",
    ("شركة",): "ar", ("موسسة",): "ar",  # company; establishment (مؤسسة, folded)
}
# The forms of Russia, Ukraine and Kazakhstan written out, as registers and GLEIF's legal
# names write them, in Cyrillic, transliterated, and in English ("Общество с ограниченной
# ответственностью «Ромашка»", "OBSHCHESTVO S OGRANICHENNOY OTVETSTVENNOSTYU ...", "Public
# Joint Stock Company Sberbank").
_PREFIX_FORMS.update(dict.fromkeys((tuple(fold(form).split()) for form in (
    "общество с ограниченной ответственностью", "акционерное общество",
    "публичное акционерное общество", "закрытое акционерное общество",
    "открытое акционерное общество", "индивидуальный предприниматель",
    "товарищество с ограниченной ответственностью", "тоо",
    "товариство з обмеженою відповідальністю", "тов", "акціонерне товариство", "ат",
    "приватне акціонерне товариство", "прат", "публічне акціонерне товариство", "пат", "фоп",
    "obshchestvo s ogranichennoy otvetstvennostyu", "aktsionernoye obshchestvo",
    "aktsionernoe obshchestvo", "publichnoe aktsionernoe obshchestvo",
    "publichnoye aktsionernoye obshchestvo", "zakrytoe aktsionernoe obshchestvo",
    "otkrytoe aktsionernoe obshchestvo", "tovarystvo z obmezhenoiu vidpovidalnistiu")), "ru"))
_PREFIX_FORMS.update(dict.fromkeys((tuple(form.split()) for form in (
    "limited liability company", "joint stock company", "public joint stock company",
    "closed joint stock company", "open joint stock company")), "any"))
# Korean and Japanese firms write their form in brackets, before or after the name, by its
# first character: "(주)삼성전자", "㈜카카오" (주식회사), "(株)トヨタ自動車", "㈱" (株式会社),
# "(有)山田商店" (有限会社), "(유)" (유한회사).
_BRACKETED_FORMS = {"주": "주식회사", "㈜": "주식회사", "유": "유한회사", "株": "株式会社",
                    "㈱": "株式会社", "有": "有限会社", "㈲": "有限会社"}
_BRACKETED = re.compile(r"\(\s*([주유株有])\s*\)|([㈜㈱㈲])")


@functools.lru_cache(maxsize=1)
def _last_words() -> frozenset[str]:
    return frozenset(form[-1] for form in _legal_forms()[0])


def _strip_tail(
    tokens: list[str], forms: list[str], spaced: dict[tuple[str, ...], str], longest: int
) -> str | None:
    """Strip legal forms from the end, longest first, repeatedly ("GmbH & Co. KG")."""
    family: str | None = None
    ends = _last_words()
    changed = True
    # Every form ends in one of a few words: most names end in none and need no lookups.
    while changed and len(tokens) > 1 and tokens[-1] in ends:
        changed = False
        for size in range(min(longest, len(tokens) - 1), 0, -1):
            fam = spaced.get(tuple(tokens[-size:]))
            if fam is not None:
                forms.insert(0, " ".join(tokens[-size:]))
                family = family or (fam if fam != "any" else None)
                del tokens[-size:]
                changed = True
                break
    return family


def _ends_with_form(tokens: list[str], spaced: dict[tuple[str, ...], str], longest: int) -> bool:
    return any(tuple(tokens[-size:]) in spaced for size in range(1, min(longest, len(tokens)) + 1))


def _before_place(raw: str, spaced: dict[tuple[str, ...], str], longest: int) -> str:
    """Cut a place written after the legal form and a comma ("Cargill B.V., Bergen op Zoom").

    Registers and fair lists often put the seat in the name field. A comma followed by
    another legal form ("Acme Co., Ltd.") is one form written in two parts, not a place, and
    words that end in one are a subsidiary's name ("Hitachi ... Inc, Netherlands B.V.").
    """
    parts = raw.split(",")
    for i in range(1, len(parts)):
        head, rest = fold(",".join(parts[:i])).split(), fold(",".join(parts[i:])).split()
        if len(head) > 1 and rest and (_ends_with_form(head, spaced, longest)
                                       or _starts_with_form(head, spaced, longest)) \
                and tuple(rest[:1]) not in spaced and tuple(rest[:2]) not in spaced \
                and not _ends_with_form(rest, spaced, longest):
            return ",".join(parts[:i])
    return raw


def _starts_with_form(tokens: list[str], spaced: dict[tuple[str, ...], str], longest: int) -> bool:
    """Does a legal form lead the words, with a name after it ("N.V. Nutricia")?"""
    return any(tuple(tokens[:size]) in spaced for size in range(1, min(longest, len(tokens) - 1) + 1))


# A dotted legal form glued to the name's last word, as registers and OCR leave it:
# "KONINKLIJKE PHILIPS ELECTRONICSN.V.", "HUNTERDOUGLASINDUSTRIESB.V.".
_GLUED_FORM = re.compile(r"[^\W\d_]((?:[^\W\d_]\.\s?){2,})\s*$")


# "Spa" ending a name as English writes a word, not as Italian registers write a form.
_DAY_SPA = re.compile(r"(?<!\.)\bSpa\W*$")


@functools.lru_cache(maxsize=65536)
def normalize_name(raw: str) -> CompanyName:
    """Split a company name into a folded core and a legal form kept on the side."""
    spaced, glued, longest = _legal_forms()
    raw = _forms_set_apart(raw, spaced)
    text = fold(_before_place(raw, spaced, longest) if "," in raw else raw)
    # Forms written without spaces are all Chinese or Japanese: plain text holds none.
    glued = glued if not text.isascii() else []
    forms: list[str] = []
    text, family = _glued_at_ends(text, glued, forms)
    tokens = [t for t in text.split() if t not in _STOPWORDS]
    family = _strip_tail(tokens, forms, spaced, longest) or family
    family = _form_before_place(tokens, forms, family, spaced, longest)
    family = _leading_form(tokens, forms, family, spaced)
    tokens = _words_spelt_out(tokens)
    if forms == ["spa"] and _DAY_SPA.search(raw) is not None:
        # "Sun Spa", "The Tan Spa": a spa, not a società per azioni ("FIAT S.p.A.", "ENI
        # SpA", "ENI SPA", as Italian registers write it).
        tokens.append("spa")
        forms, family = [], None
    core = " ".join(tokens)
    for form, fam in glued:  # a Chinese name may carry its form inside: 某某（深圳）有限公司
        if core.endswith(form) and len(core) > len(form):
            core = core[: -len(form)].strip()
            forms.append(form)
            family = family or fam
            break
    if not core.isascii():
        core = _han_divisions(core)
    return CompanyName(core=core, legal_form=" ".join(forms) or None, family=family)


def _forms_set_apart(raw: str, spaced: dict[tuple[str, ...], str]) -> str:
    """A name with its legal form written out where it was bracketed ("(주)삼성전자") and set
    apart where it was glued to the last word ("ELECTRONICSN.V.")."""
    if not raw.isascii() and _BRACKETED.search(raw) and fold(_BRACKETED.sub("", raw)):
        raw = _BRACKETED.sub(lambda m: f" {_BRACKETED_FORMS[m.group(1) or m.group(2)]} ", raw)
    stuck = _GLUED_FORM.search(raw, max(0, len(raw) - 16)) if "." in raw else None
    if stuck is not None and (fold(stuck.group(1)),) in spaced:  # 16: "G. m. b. H." at most
        raw = f"{raw[:stuck.start(1)]} {raw[stuck.start(1):]}"
    return raw


def _glued_at_ends(text: str, glued: list[tuple[str, str]], forms: list[str]
                   ) -> tuple[str, str | None]:
    """Take a form written without spaces off either end ("有限公司"): the text left, and
    the form's family (the form goes to ``forms``)."""
    for form, fam in glued:
        if len(text) > len(form) and (text.endswith(form) or text.startswith(form)):
            text = text[: -len(form)] if text.endswith(form) else text[len(form) :]
            forms.append(form)
            return text.strip(), fam
    return text, None


def _form_before_place(tokens: list[str], forms: list[str], family: str | None,
                       spaced: dict[tuple[str, ...], str], longest: int) -> str | None:
    """Cut the few words after a legal form inside the name, a place's ("Philips Electronics
    N.V., Eindhoven"); return the family.

    Where the name ends in a form of another country's, the one inside is its parent's
    ("Hitachi Global Storage Technologies, Inc. Netherlands B.V." is the Netherlands B.V.;
    not "Maasland N.V. a Dutch Limited Co"): that form is taken out and the words stay.
    """
    last_family = family if len(forms) == 1 else None  # one form ends it, not "Limited Co"
    for i in range(max(1, len(tokens) - 6), len(tokens) - 1):
        size = next((n for n in (3, 2, 1) if 0 < len(tokens) - i - n <= 3
                     and spaced.get(tuple(tokens[i : i + n])) not in (None, "any")), 0)
        if size and last_family and spaced.get(tuple(tokens[i : i + size])) != last_family:
            forms.insert(0, " ".join(tokens[i : i + size]))
            del tokens[i : i + size]
            break
        if size:
            del tokens[i + size :]
            family = _strip_tail(tokens, forms, spaced, longest) or family
            break
    return family


def _leading_form(tokens: list[str], forms: list[str], family: str | None,
                  spaced: dict[tuple[str, ...], str]) -> str | None:
    """Take a legal form that leads the name off ("N.V. Nutricia", "OOO Ромашка"); return
    the family."""
    for size in (4, 3, 2, 1):
        head = tuple(tokens[:size])
        if len(tokens) > size and (head in _PREFIX_FORMS or (size == 2 and head in spaced)):
            head_family = _PREFIX_FORMS.get(head) or spaced.get(head)
            forms.insert(0, " ".join(head))
            family = family or (head_family if head_family not in (None, "any") else None)
            del tokens[:size]
            break
    return family


def _words_spelt_out(tokens: list[str]) -> list[str]:
    """The name's shortened words written out ("F.lli": "fratelli")."""
    if not _NAME_WORDS.keys().isdisjoint(tokens):
        tokens = [_NAME_WORDS.get(t, t) for t in tokens]
    if "lli" in tokens and tokens[:2] == ["f", "lli"]:
        tokens[:2] = ["fratelli"]
    return tokens


# A Chinese firm's registered name leads with the division whose registry holds it
# (行政区划 + 字号 + 行业 + 组织形式: province, city or district; trade name; trade; form),
# written in full or short ("深圳市", "深圳"), or after the trade name in brackets ("腾讯科技
# （深圳）有限公司"); lists and signatures often leave it out ("华为技术有限公司"). Written apart,
# in the one form compared, it is a word of the name that says where (see dedupe).
@functools.lru_cache(maxsize=1)
def _cn_divisions() -> tuple[dict[str, str], int]:
    forms = dict(line.split() for line in data_lines("cn_divisions.txt"))  # "深圳市 深圳"
    return forms, max(map(len, forms))


def cn_division(word: str) -> bool:
    """Is ``word`` a Chinese division in the form names are compared in ("深圳", "南山区")?"""
    return _cn_divisions()[0].get(word) == word


@functools.lru_cache(maxsize=1)
def _cn_provinces() -> frozenset[str]:
    forms = _cn_divisions()[0]
    return frozenset(form for name, form in forms.items()
                     if name.endswith(("省", "自治区", "特别行政区")))


# A short name that begins a road's name is the road's, not a place above it: "北京路" in
# Guangzhou, "南京东路" in Shanghai, "中山大道".
_ROAD_AFTER = re.compile(r"[东西南北中]?(?:大?[路街道巷弄]|胡同)")
_DIVISION_KINDS = ("区", "县", "旗", "市")


def cn_divisions_at_head(text: str) -> tuple[list[tuple[str, str]], str]:
    """The divisions an address in China begins with, each as written with its level
    ("province", "city" or "county"), and the rest: "广东深圳南山区科技园路1号" gives
    [("广东", "province"), ("深圳", "city"), ("南山区", "county")] and "科技园路1号"."""
    forms, longest = _cn_divisions()
    provinces = _cn_provinces()
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for _ in range(3):  # province, city, district
        text = text.lstrip()  # "广东省 广州市 白云区", as forms write them
        size = next((k for k in range(min(longest, len(text) - 1), 1, -1)
                     if text[:k] in forms), 0)
        if not size:
            break
        written, form = text[:size], forms[text[:size]]
        if (written == form and not written.endswith(_DIVISION_KINDS) and
                _ROAD_AFTER.match(text, size)) or form in seen:
            break  # a road's name, or a zone named after the city ("北京市北京经济技术开发区")
        seen.add(form)
        level = ("province" if form in provinces else
                 "county" if written == form and written.endswith(_DIVISION_KINDS) else "city")
        found.append((written, level))
        text = text[size:]
    return found, text


def _han_divisions(core: str) -> str:
    """A name core with the divisions leading its Chinese words written apart, in the form
    compared ("深圳市华为技术": "深圳 华为技术"; "广东省深圳市腾讯科技": "广东 深圳 腾讯科技"),
    where two characters of name or more follow ("上海滩" stays whole)."""
    forms, longest = _cn_divisions()
    out: list[str] = []
    for token in core.split():
        whole = forms.get(token)
        if whole is not None:  # "腾讯科技 深圳市": the bracketed division
            out.append(whole)
            continue
        for _ in range(3):  # province, city, district
            if not HAN.match(token):
                break
            size = next((k for k in range(min(longest, len(token) - 2), 1, -1)
                         if token[:k] in forms), 0)
            if not size:
                break
            out.append(forms[token[:size]])
            token = token[size:]
        out.append(token)
    return " ".join(out)


@functools.lru_cache(maxsize=1)
def _not_leads() -> frozenset[str]:
    return frozenset(data_lines("not_leads.txt"))


def is_not_a_lead(domain: str) -> bool:
    """Say whether a site is never a lead itself (encyclopedia, dictionary, news, Q&A)."""
    return domain in _not_leads()
