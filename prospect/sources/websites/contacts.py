"""Contacts as pages write them: e-mails hidden from robots, phones beside their labels, VAT
and register numbers, the point a map link shows."""

from __future__ import annotations

import html as html_lib
import importlib
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote, urlsplit

import phonenumbers

from prospect import normalize as n

__all__ = [
    "EMAIL", "ID_LABELS", "OBFUSCATED", "cfemail", "deobfuscate", "find_register", "find_vat",
    "is_fax", "joomla_cloaks", "map_position", "phone_matches", "valid_vat",
]

EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
                    r"\.[A-Za-z]{2,24}(?![\w-])")
# "[at]", "(@)", " at ", and an instruction in brackets: "[put the at sign here]"; the at
# sign's names in French, Spanish, Portuguese and Italian ("arobase", "arroba", "chiocciola");
# "#" for "@", as Chinese sites write it ("please replace # with @"); "@" between spaces.
_AT_WORDS = r"at|@|ät|#|arobase|arroba|chiocciola"
_AT = (rf"(?:\s*[\[({{<]\s*(?:{_AT_WORDS})\s*[\])}}>]\s*|"
       r"\s+(?:at|AT|arobase|arroba|chiocciola)\s+|\s*＠\s*|\s+@\s+|#|"
       r"\s*[\[({<][^\])}>\n]{0,20}\b(?:at|@|ät)(?:[\s-]+sign)?\b[^\])}>\n]{0,20}[\])}>]\s*)")
_DOT_WORDS = r"dot|punkt|point|punto|ponto"
_DOT = (rf"(?:\s*[\[({{<]\s*(?:{_DOT_WORDS}|\.)\s*[\])}}>]\s*|\s+(?:{_DOT_WORDS}|DOT)\s+|"
        r"\s+\.\s+|\.)")
OBFUSCATED = re.compile(rf"([A-Za-z0-9][A-Za-z0-9._%+-]{{0,63}}){_AT}"
                         rf"([A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)+)")
# The labels imprints put before a VAT number. The number itself is looked for in the few
# words after the label ("Umsatzsteuer-Identifikationsnummer gemäß §27 a
# Umsatzsteuergesetz: DE...") and must pass its country's check digits (python-stdnum).
_VAT_LABEL = re.compile(
    r"USt[.-]?\s?Id(?:ent)?[.-]?\s?Nr\.?|Umsatzsteuer[- ]?(?:ID|Identifikationsnummer)|"
    r"VAT(?:\s?(?:ID|No\.?|number|reg(?:istration)?\.?\s?(?:no\.?|number)?))?|"
    r"TVA(?:\s?intracom\w*)?|P(?:artita\s+|\.\s?|\s)?I\.?V\.?A\b\.?|NIF|CIF|BTW(?:[- ]?(?:nummer|nr|no)\.?)?|"
    r"Moms(?:reg)?\.?\s?nr\.?|MWST|UID|NIP|NIPC|DI[ČC]|I[ČC]\s?DPH|"
    # Greece's tax number (ΑΦΜ), Romania's fiscal code (CUI), Croatia's OIB, and the VAT
    # numbers' own names in Lithuania, Estonia, Finland, Slovenia, Bulgaria and Hungary.
    r"Α\.?\s?Φ\.?\s?Μ\b\.?|C\.?U\.?I\b\.?|Cod\s+fiscal|OIB|PVM\s+(?:mokėtojo\s+)?kodas|KMKR|"
    r"ALV-?(?:numero|nro|tunnus)|ID\s+za\s+DDV|ДДС|Közösségi\s+adószám", re.I)
# A candidate: an optional country prefix, then digits with the spaces and dots people write.
# Poland writes its NIP in groups with hyphens ("774-000-14-54").
_VAT_NUMBER = re.compile(r"(?:\b[A-Z]{2}[\s.]?(?:U\s?)?)?\d[\dA-Z .-]{5,18}")  # ATU12345675 too
_SWISS_UID = re.compile(r"\bCHE[-\s]?\d{3}[.\s]?\d{3}[.\s]?\d{3}\b")
# Labels of a number on the same line before it: the nearest one says fax or phone.
_PHONE_LABEL = re.compile(r"(fax|telefax|t[ée]l[ée]copie|ファックス|ＦＡＸ|传真|傳真)|\b(f)\s*[:.]|"
                          r"(tel|t[ée]l|phone|telefon|fon|mobil|mobile|cell|call|hotline|helpline|"
                          r"電話|电话|手机|手機|热线|熱線|客服|座机|总机)|\b(t|p)\s*[:.]",
                          re.I)
# A label with nothing else on its line ("Fax:", "Telefon"), and a lone letter before a
# number at a line's start ("F 020 7629 1317", "T +49 ...").
_BARE_LABEL = re.compile(r"^\W*(?:fax|telefax|t[ée]l[ée]copie|tel|t[ée]l|phone|telefon|telephone|"
                         r"t[ée]l[ée]phone|tel[ée]fono|fon|mobil|mobile|hotline|"
                         r"ファックス|ＦＡＸ|传真|傳真|電話|电话|手机|手機|热线|服务热线|客服电话)\W*$", re.I)
_BARE_LETTER = re.compile(r"^\s*[FfTtPp]\s+$")


def cfemail(hexed: str) -> str | None:
    """Decode Cloudflare's e-mail protection (a hex string XORed with its first byte)."""
    try:
        data = bytes.fromhex(hexed)
    except ValueError:
        return None
    if len(data) < 2:
        return None
    return "".join(chr(b ^ data[0]) for b in data[1:])


# Joomla's e-mail cloak writes an address with JavaScript from entity-encoded pieces:
# "var addy123 = 'inf&#111;' + '&#64;'; addy123 = addy123 + 'firm' + '&#46;' + 'it';"
_CLOAK = re.compile(r"\b(addy\d+)\s*=\s*((?:addy\d+|'[^'\n]*')(?:\s*\+\s*(?:addy\d+|'[^'\n]*'))*)\s*;")


def joomla_cloaks(script: str) -> list[str]:
    """The addresses a Joomla cloak script writes, in the order it writes them."""
    if "addy" not in script:
        return []
    values: dict[str, str] = {}
    for m in _CLOAK.finditer(script):
        values[m.group(1)] = "".join(values.get(t[1], "") if t[1] else t[2]
                                     for t in re.finditer(r"(addy\d+)|'([^'\n]*)'", m.group(2)))
    return [html_lib.unescape(v) for v in values.values() if "@" in html_lib.unescape(v)]


def deobfuscate(local: str, domain: str) -> str:
    """The address ``name [at] domain [dot] com`` stands for."""
    domain = re.sub(_DOT, ".", domain)
    return f"{local}@{domain}"


_MAP_HOSTS = re.compile(r"(^|\.)(google\.[a-z.]+|openstreetmap\.org|osm\.org|apple\.com|"
                        r"bing\.com)$")
_NUMBER = r"(-?\d{1,3}\.\d{3,})"
# Where map links keep the point: Google's "@lat,lon,17z", "?q=lat,lon", "ll=", an embed's
# "!3dLAT!2dLON" (or "!2dLON!3dLAT"); OpenStreetMap's "mlat=&mlon=" and "#map=17/lat/lon";
# Apple's and Bing's "ll=" and "cp=lat~lon". Each pattern gives (latitude, longitude).
_MAP_POINTS = (
    re.compile(rf"!3d{_NUMBER}!2d{_NUMBER}"),
    re.compile(rf"@{_NUMBER},{_NUMBER}"),
    re.compile(rf"[?&](?:q|ll|query|center|destination|daddr|sll)=(?:loc:)?{_NUMBER}(?:,|%2C)\s*{_NUMBER}",
               re.I),
    re.compile(rf"mlat={_NUMBER}&(?:amp;)?mlon={_NUMBER}"),
    re.compile(rf"#map=\d+/{_NUMBER}/{_NUMBER}"),
    re.compile(rf"[?&]cp={_NUMBER}~{_NUMBER}"),
)
_LON_LAT = re.compile(rf"!2d{_NUMBER}!3d{_NUMBER}")


def map_position(link: str) -> tuple[str, str] | None:
    """The point a map link or embedded map shows (Google, OpenStreetMap, Apple, Bing)."""
    if not link or not _MAP_HOSTS.search(urlsplit(link if "//" in link else "//" + link)
                                         .hostname or ""):
        return None
    text = unquote(link)
    for pattern in _MAP_POINTS:
        m = pattern.search(text)
        if m:
            return n.normalize_position(m.group(1), m.group(2))
    m = _LON_LAT.search(text)
    return n.normalize_position(m.group(2), m.group(1)) if m else None


def valid_vat(raw: str, country: str | None = None) -> str:
    """A valid EU (or UK) VAT number from what a page wrote, or ""; the country's prefix is
    added when the page left it out ("VAT Registration No: 927547983")."""
    from stdnum.eu import vat
    from stdnum.gb import vat as gb_vat

    value = re.sub(r"[\s.-]", "", raw or "").upper()
    if not value:
        return ""

    def valid(number: str) -> str:  # the UK left the EU's list: its own check digits
        if number.startswith("GB"):
            return str(gb_vat.compact(number)) if gb_vat.is_valid(number) else ""
        return str(vat.compact(number)) if vat.is_valid(number) else ""

    candidates = [value]
    if value[:1].isdigit() and country:
        prefix = {"GR": "EL"}.get(country.upper(), country.upper())
        candidates.append(prefix + value)
    for candidate in candidates:
        # Trailing words the pattern took ("GB 846 9263 86 To") come off one at a time.
        while len(candidate) >= 8:
            found = valid(candidate)
            if found:
                return found if found[:2].isalpha() else "GB" + found
            if candidate[-1].isdigit():
                break
            candidate = candidate[:-1]
    return ""


def find_vat(text: str, country: str | None) -> str:
    """The site owner's VAT number: after a VAT label, or a Swiss UID anywhere."""
    for label in _VAT_LABEL.finditer(text):
        window = text[label.end():label.end() + 100]
        for m in _VAT_NUMBER.finditer(window):
            found = valid_vat(m.group(0), country)
            if found:
                return found
    from stdnum.ch import uid

    for m in _SWISS_UID.finditer(text):
        if uid.is_valid(m.group(0)):
            return str(uid.compact(m.group(0)))
    if country == "ES":
        # A Spanish firm's NIF (CIF) is printed bare in its legal footer ("S.L.U. B19275155");
        # its form and check character are distinctive, and ES before it is its VAT number.
        from stdnum.es import cif

        for m in _SPANISH_CIF.finditer(text):
            if cif.is_valid(m.group(0)):
                return "ES" + str(cif.compact(m.group(0)))
    return ""


_SPANISH_CIF = re.compile(r"(?<![\w-])[ABCDEFGHJNPQRSUVW]-?\d{7}[0-9A-J](?![\w-])")


# Company register numbers in the wording each country's imprints and footers use. Each
# yields the number as the register writes it; see find_register for the checks.
# Each with the python-stdnum modules its numbers must pass one of, where it has a check.
_REGISTERS: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    # Companies House: "Company No. 08418945", "Registered in England and Wales No. 2443078"
    ("GB", re.compile(r"\b(?:company|registered|registration)\s*(?:reg(?:istration|istered)?\.?\s*)?"
                      r"(?:no\.?|number|nr\.?)\s*[:.]?\s*([A-Z]{2}\d{6}|\d{6,8})\b|"
                      r"\bregistered\s+in\s+(?:england|wales|scotland|northern\s+ireland)"
                      r"(?:\s+(?:and|&)\s+wales)?[,.]?\s*(?:under\s+)?(?:company\s+)?"
                      r"(?:no\.?|number|(?=:|[ \t]))\s*[:.]?[ \t]*([A-Z]{2}\d{6}|\d{6,8})\b", re.I), ()),
    # Kamer van Koophandel: "KvK 17081685", "KvK-nummer: ...", "KvK Middelburg 40310817"
    ("NL", re.compile(r"\b(?:(?i:k\.?v\.?k)\.?|Kamer\s+van\s+Koophandel)(?:[- ]?(?:nummer|nr\.?|no\.?))?"
                      r"\s*[:.]?\s*(?:[A-Z][a-z]+\s+)?(\d{8})\b"), ()),
    # Firmenbuch "FN 123456a"; Vereinsregister "ZVR 701317730" (Austria)
    ("AT", re.compile(r"\b(?:FN|Firmenbuch(?:nummer)?)\s*[:.]?\s*(\d{1,6}\s?[a-z])\b|"
                      r"\bZVR(?:-Zahl|-Nr\.?|-Nummer)?\s*[:.]?\s*(\d{9,10})\b"), ()),
    # Registre du commerce: "RCS Paris B 732 829 320", "immatriculée au RCS de Paris sous le
    # numéro 732 829 320", "732 829 320 R.C.S. Paris", "SIREN 732829320", "SIRET ..."
    ("FR", re.compile(r"\b(?:R\.?\s?C\.?\s?S\.?|SIRE[NT]|(?i:registre\s+du\s+commerce\s+et\s+des\s+"
                      r"soci[ée]t[ée]s))(?:\s+(?:de\s+|d['’]\s?)?[A-ZÉ][\w'’-]+)*"
                      r"(?:\s+[AB])?(?:\s+sous\s+le\s+(?:n[°º]|num[ée]ro))?\s*[:n°.]*\s*"
                      r"(\d{3}\s?\d{3}\s?\d{3}(?:\s?\d{5})?)\b|"
                      r"\b(\d{3}\s?\d{3}\s?\d{3})\s+R\.?\s?C\.?\s?S\.?(?!\w)"), ()),
    # Registro delle imprese: "Registro Imprese di Lecco 01601990136" (the firm's codice
    # fiscale, checked as one), else "REA MI-1234567"
    ("IT", re.compile(r"\bRegistro\s+(?:delle\s+)?Imprese(?:\s+di\s+[A-Z][\w'-]+)?"
                      r"(?:\s+(?:n\.?|nr\.?|n°|numero))?\s*[:.]?\s*(\d{11})\b", re.I), ("it.iva",)),
    ("IT", re.compile(r"\b(?:R\.?E\.?A\.?|N\.\s*REA)\s*[:.]?\s*([A-Z]{2}\s?[- ]\s?\d{4,7})\b",
                      re.I), ()),
    # Poland's court register (KRS, ten digits), Denmark's CVR, Czechia's and Slovakia's IČO,
    # Belgium's enterprise number (KBO / BCE), Sweden's organisation number.
    ("PL", re.compile(r"\bKRS\s*(?:nr\.?|numer)?\s*[:.]?\s*(\d{10})\b"), ()),
    ("DK", re.compile(r"\bCVR(?:[- ]?(?:nr|nummer)\.?)?\s*[:.]?\s*(\d{2}\s?\d{2}\s?\d{2}\s?\d{2})\b"),
     ("dk.cvr",)),
    ("CZ", re.compile(r"\bI[ČC]O?\s*[:.]?\s*(\d{2}\s?\d{3}\s?\d{3})\b"), ("cz.dic",)),
    ("BE", re.compile(r"\b(?:(?i:ondernemingsnummer|n(?:[°º]|um[ée]ro)\s+d['’]\s?entreprise)"
                      r"(?:\s+(?:BCE|KBO))?|BCE|KBO)\s*[:.]?\s*(\d{4}[.\s]?\d{3}[.\s]?\d{3})\b"),
     ("be.vat",)),
    ("SE", re.compile(r"\b(?i:org(?:anisations)?\.?\s?-?nr|org\.?\s?nummer)\.?\s*[:.]?\s*"
                      r"(\d{6}-?\d{4})\b"), ("se.orgnr",)),
    # Romania's trade register: "Nr. Reg. Com.: J40/1234/2005", "ORC J40/...".
    ("RO", re.compile(r"\b(?:(?:Nr\.?\s?)?Reg\.?\s?Com\.?|(?:Nr\.?\s?)?(?:ONRC|ORC)|"
                      r"(?i:registrul\s+comer[țţt]ului))\s*[:.]?\s*(?:nr\.?\s*)?"
                      r"([JFC]\s?\d{1,2}\s?/\s?\d{1,7}\s?/\s?\d{4})(?![\d/])"), ("ro.onrc",)),
    # Norway's organisation number (nine digits, often in threes: "Org.nr. 923 609 016"),
    # Finland's business ID ("Y-tunnus 0112038-9").
    ("NO", re.compile(r"\b(?i:org(?:anisasjons)?\.?\s?-?nr|org\.?\s?nummer)\.?\s*[:.]?\s*"
                      r"(?:NO\s?)?(\d{3}\s?\d{3}\s?\d{3})(?:\s?MVA)?\b"), ("no.orgnr",)),
    ("FI", re.compile(r"\b(?i:y-tunnus|business\s+id|fo-nummer)\s*[:.]?\s*(\d{7}-\d)\b"),
     ("fi.ytunnus",)),
    # Russia's state register number (ОГРН) and taxpayer number (ИНН), Korea's business
    # registration number, Vietnam's enterprise (tax) code.
    ("RU", re.compile(r"(?<!\w)(?:ОГРН(?:ИП)?|ИНН)\s*[:.]?\s*(\d{13}|\d{15}|\d{12}|\d{10})(?!\d)"),
     ("ru.ogrn", "ru.inn")),
    ("KR", re.compile(r"사업자\s?등록\s?번호\s*[:：.]?\s*(\d{3}-?\d{2}-?\d{5})(?!\d)"), ("kr.brn",)),
    ("VN", re.compile(r"(?:Mã\s+số\s+(?:thuế|doanh\s+nghiệp)|(?<!\w)MST)\s*[:.]?\s*"
                      r"(\d{10}(?:-\d{3})?)(?!\d)", re.I), ("vn.mst",)),
    # Japan's corporate number (法人番号, the National Tax Agency's).
    ("JP", re.compile(r"(?:法人番号|(?i:corporate\s+number))\s*[:：]?\s*(\d{13})(?!\d)"), ("jp.cn",)),
    # Brazil's CNPJ; India's GST number and corporate identity number (CIN).
    ("BR", re.compile(r"\bCNPJ\s*(?:n[°º.]?)?\s*[:.]?\s*(\d{2}\.?\d{3}\.?\d{3}/?\d{4}-?\d{2})(?!\d)"),
     ("br.cnpj",)),
    ("IN", re.compile(r"\bGST(?:IN|\s?No\.?|\s?Number)?\s*[:.]?\s*"
                      r"(\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z])\b"), ("in_.gstin",)),
    ("IN", re.compile(r"\bCIN\s*[:.]?\s*([LU]\d{5}[A-Z]{2}\d{4}[A-Z]{3}\d{6})\b"), ()),
)
# Handelsregister: the court ("Amtsgericht München", "Registergericht: Hamburg") and the
# register number ("HRB 12345"), in either order, within a few lines.
_HR_NUMBER = re.compile(r"\b(HR[AB]|GnR|PR|VR)\s*[:.]?\s*(\d{1,6}(?:\s?[A-Z]{1,2})?)\b")
_HR_COURT = re.compile(r"(?:Amtsgericht|Registergericht|AG)\s*[:.]?\s*(?:Amtsgericht\s+)?"
                       r"(?!Amtsgericht)([A-ZÄÖÜ][\wäöüß.-]+(?:\s*\([\wäöüß ]+\))?"
                       r"(?:\s+(?:am|an der|im|in der)\s+[\wäöüß]+)?)")
_USCC = re.compile(r"(?:统一社会信用代码|社会信用代码|信用代码)\s*[:：]?\s*([0-9A-Z]{18})")


# Registers two countries label alike: Czechoslovakia's IČO (the same eight digits, the same
# check digit) is Czechia's and Slovakia's. Whose a number is, only the page's country tells.
_LABELLED_ALIKE = {"CZ": frozenset({"CZ", "SK"})}


def find_register(text: str, page_country: str | None = None) -> tuple[str, str, str]:
    """The site owner's company register number: ("company_number" or "uscc", number, the
    register's country), or ("", "", "") when the page names none a checksum or a
    register's format accepts.

    ``page_country``: the page's, where known: it tells whose a register two countries
    label alike is (else the number is kept and its country left "").
    """
    from stdnum.cn import uscc

    for m in _USCC.finditer(text):
        if uscc.is_valid(m.group(1)):
            return "uscc", str(uscc.compact(m.group(1))), "CN"
    for m in _HR_NUMBER.finditer(text):
        window = text[max(0, m.start() - 160):m.end() + 160]
        court = _HR_COURT.search(window)
        if court:
            name = court.group(1).rstrip(".,")
            return "company_number", f"{name} {m.group(1)} {' '.join(m.group(2).split())}", "DE"
    for country, pattern, checks in _REGISTERS:
        for m in pattern.finditer(text):
            number = next(g for g in m.groups() if g)
            if country == "FR":
                from stdnum.fr import siren, siret

                digits = "".join(number.split())
                if not (siren.is_valid(digits[:9]) or siret.is_valid(digits)):
                    continue
                return "company_number", digits[:9], country
            if checks:
                modules = [importlib.import_module(f"stdnum.{check}") for check in checks]
                module = next((m for m in modules if m.is_valid(number)), None)
                if module is None:
                    continue
                # Finland's business ID is looked up with its hyphen ("0112038-9").
                number = str(module.format(number) if country == "FI" else module.compact(number))
            if country == "GB" and number.isdigit():
                number = number.zfill(8)
            alike = _LABELLED_ALIKE.get(country)
            if alike is not None:
                country = (page_country or "").upper()
                country = country if country in alike else ""
            return ("company_number", " ".join(number.split()).replace(" -", "-").replace("- ", "-"),
                    country)
    return "", "", ""


# Digits that read as a number but are a time range ("08.00-18.00", opening hours) or a date
# ("26-08-2009").
_NOT_A_NUMBER = re.compile(r"^\d{1,2}[.:]\d{2}\s*[-–]\s*\d{1,2}[.:]\d{2}$|"
                           r"^\d{1,2}[-./]\d{1,2}[-./](?:19|20)\d{2}$|^(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}$")
# A tax or register number's label just before digits: "P.IVA 01234567890" reads as an
# Italian landline, "C.F." and "SIRET" numbers as others.
ID_LABELS = (_VAT_LABEL.pattern + r"|C\.\s?F\.|codice\s+fiscale|SIRE[NT]|RCS(?:\s+[A-Z][\w'-]+)*|"
              r"R\.?E\.?A\.?|KvK|Kamer\s+van\s+Koophandel|HR[AB]|Steuer-?(?:nummer|nr\.?)|"
              r"St\.-?\s?Nr\.?|(?:company|registration|reg\.?)\s+(?:no\.?|number|nr\.?)|ABN|ACN|EIN")
_ID_BEFORE = re.compile(rf"(?:{ID_LABELS})\s*(?:n[°º.o]?\s*)?[:.]?\s*$", re.I)
# A country's calling code in brackets before the number: "Tel ( 86 ) 755-8266- 2458".
_BRACKETED_CODE = re.compile(r"\(\s*(\d{1,3})\s*\)\s*(\d[\d .-]{5,16}\d)")


def _register_spans(text: str) -> list[tuple[int, int]]:
    """Where the numbers after a register's label stand, whether or not their check digits
    pass: the label says what they are ("ИНН 7714010007" dials in Kazakhstan)."""
    spans = []
    for pattern in (_USCC, *(p for _, p, _ in _REGISTERS)):
        for m in pattern.finditer(text):
            group = next(i for i, g in enumerate(m.groups(), 1) if g)
            spans.append(m.span(group))
    return spans


# How North America groups a number's digits: area code, exchange, line ("(530) 401-7099",
# "530.401.7099", "1-800-330-8247"), or all ten (eleven) together; an extension after.
_NANP_GROUPS = frozenset({(10,), (11,), (3, 3, 4), (1, 3, 3, 4), (3, 7), (1, 3, 7), (6, 4)})
_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension|#)\s*\d+\s*$", re.I)


def _not_nanp_grouped(raw: str, number: Any) -> bool:
    """Is a North American number written in groups North America never writes ("54301 -
    54324", a range of ZIP codes)? A number written with its country code may group freely."""
    if number.country_code != 1 or raw.lstrip().startswith("+"):
        return False
    groups = tuple(len(g) for g in re.findall(r"\d+", _EXTENSION.sub("", raw)))
    return groups not in _NANP_GROUPS


def phone_matches(text: str, region: str | None) -> Iterator[tuple[int, Any]]:
    """The phone numbers in ``text`` (where each starts, as parsed): those
    libphonenumber finds valid for ``region``, and those written with their country's code
    in brackets, which it reads as a national number."""
    taken = _register_spans(text)
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
        if _NOT_A_NUMBER.match(match.raw_string.strip()) or _not_nanp_grouped(
                match.raw_string, match.number) or _ID_BEFORE.search(
                text[max(0, match.start - 30):match.start]) or any(
                a < match.end and match.start < b for a, b in taken):
            continue
        taken.append((match.start, match.end))
        yield match.start, match.number
    if not region:
        return
    for m in _BRACKETED_CODE.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue  # the region's own reading of it stands ("(415) 555-1234" in the US)
        code = int(m.group(1))
        other = phonenumbers.region_code_for_country_code(code)  # "ZZ": no country's
        if code == phonenumbers.country_code_for_region(region) or not other.isalpha() \
                or other == "ZZ":
            continue
        try:
            parsed = phonenumbers.parse(f"+{code} {m.group(2)}")
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            yield m.start(), parsed


def is_fax(line_before: str, line_above: str = "") -> bool:
    """Does the nearest label before a number say fax?

    The label sits on the number's line, before it ("Fax: 020 ...", "F 020 ..."), or, when
    nothing stands there, alone on the line above: pages put a label and its number in
    separate elements ("<b>Fax:</b></td><td>020 ..."), which become separate lines of text.
    """
    if _BARE_LETTER.match(line_before):
        return line_before.strip().lower() == "f"
    if not line_before.strip(" \t:.-|"):
        if not _BARE_LABEL.match(line_above):
            return False
        line_before = line_above
    last = None
    for m in _PHONE_LABEL.finditer(line_before[-40:]):
        last = m
    return bool(last and (last.group(1) or last.group(2)))
