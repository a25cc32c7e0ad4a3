"""Text folded for comparing: case, accents, scripts, spacing; Chinese simplified; Hangul and
kana in Latin letters; the data files shipped in ``prospect/data``."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from importlib import resources

from anyascii import anyascii

__all__ = ["ARABIC_DIGITS", "BLANK_CELLS", "CJK", "HAN", "HANGUL", "NOT_DIGIT", "data_lines", "fold",
           "romanized", "simplified"]

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# Initialisms written with dots ("N.V.", "G.m.b.H.", "S. p. A.", "U.S.") lose their dots so
# that every spelling of a legal form folds to one token.
_DOTTED = re.compile(r"(?<![^\W\d_])((?:[^\W\d_]\.\s?)+[^\W\d_]?)(?![^\W\d_])")
# Latin letters that Unicode writes whole, not as a letter and a mark (NFKD leaves them):
# "Łódź" is typed "Lodz", "Møller" "Moller", "Đorđević" "Djordjevic" or "Dordevic".
_UNDECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ŧ": "t",
                               "ŀ": "l", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe"})
_CLOSE_DOT = re.compile(r"\.[^\W\d_]")  # a dot with a letter right after it: "D.S"
_APOSTROPHE = re.compile(r"[\'\u2019\u2018`´]")
# Marks are accents on Latin, Greek and Cyrillic letters, written or left out as the writer
# pleases ("Müller" and "Muller", Vietnamese "Công ty" and "Cong ty", Russian "ё" for "е"),
# and Arabic and Hebrew vowel points: dropped. In the scripts of South and South-East Asia a
# mark is the letter's vowel or tone (Thai "จำกัด", Hindi "हिंदी"), part of the word, as
# kana's voicing marks are ("ブ" is not "フ"), and Hangul is written by syllables, not by
# the jamo decomposing would make of them.
_MARKS_ARE_LETTERS = re.compile(r"[\u0900-\u0dff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
                                r"\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\uac00-\ud7af]")
_ACCENTED = re.compile(r"[\u00c0-\u024f\u0300-\u036f\u0370-\u03ff\u0400-\u04ff"
                       r"\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u1e00-\u1eff"
                       r"\u1f00-\u1fff]+")
_NON_WORD = re.compile(r"[^\w\u0900-\u0dff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]+")
# "@" after a word is "at": "Gym @ Old Police Academy", "library@Orchard" (a name that starts
# with one, "@Home", keeps only its word).
_AT = re.compile(r"(?<=[^\s@])\s*@\s*(?=\w)")
_SPACES = re.compile(r"\s+")
# Compiled once: re.sub(pattern, ...) looks its pattern up in re's cache at every call.
NOT_DIGIT = re.compile(r"\D")
# Arabic-Indic and Persian digits as ASCII ones, for str.translate: "١٢٣٤" is 1234.
ARABIC_DIGITS = {**{0x660 + i: str(i) for i in range(10)}, **{0x6F0 + i: str(i) for i in range(10)}}


def data_lines(name: str) -> Iterable[str]:
    """The non-blank, non-comment lines of a data file shipped in prospect/data/."""
    text = resources.files("prospect.data").joinpath(name).read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


# Text of ASCII letters, digits and spaces folds to itself lower-cased with single spaces:
# most names, streets and towns (most of what a large import folds) skip the expressions.
_PLAIN = re.compile(r"[A-Za-z0-9 ]*")


# What lists write in a cell that holds nothing: databases' NULL, spreadsheets' #N/A and
# formula errors, "not given" in our markets' languages. Not "NA" (Namibia's code), nor "0"
# (the equator's latitude, Greenwich's longitude).
_NOTHING = ("NULL", "None", "nil", "N/A", "n.a.", "n. a.", "-", "--", "---", "—", "–", "/",
            "?", "unknown", "not available", "not applicable", "no data", "TBD",
            "#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!",
            "k.A.", "k. A.", "keine Angabe", "unbekannt", "inconnu", "non renseigné",
            "sin datos", "desconocido", "sconosciuto", "onbekend", "nenhum",
            "无", "暂无", "没有", "未知", "不详", "空", "なし", "不明", "нет")
BLANK_CELLS = frozenset(form for word in _NOTHING for form in (
    word, word.lower(), word.upper(), word.title(), word.capitalize()))
"""A cell's text (stripped) that says the cell holds nothing, in the cases lists write it."""


def fold(text: str) -> str:
    """Return ``text`` lower-cased, accent-free, with punctuation as single spaces."""
    if _PLAIN.fullmatch(text):
        return " ".join(text.lower().split())
    return _fold(text)


def _undot(m: re.Match[str]) -> str:
    # "N.V." -> "NV", "S. p. A." -> "SpA"; a space after the last dot stays: "W. 24th St" is
    # "W 24th", not "W24th". Initialisms written close ("D.S.M. N.V.") keep the spaces
    # between them: "DSM NV".
    found = m.group(1)
    core = found.rstrip()
    tail = " " if len(core) < len(found) else ""
    if " " in core and _CLOSE_DOT.search(core):
        return " ".join(part.replace(".", "") for part in core.split()) + tail
    return core.replace(".", "").replace(" ", "") + tail


# Chinese is written in traditional characters in Hong Kong, Taiwan and their directories
# and in simplified ones in the mainland: "廣州藍海電子" is "广州蓝海电子", as "Müller" is
# "Muller" (OpenCC's table, prospect/data/zh_traditional.tsv). Not where kana say the text
# is Japanese, whose kanji are written one way ("自動車").
HAN = re.compile(r"[\u4e00-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff]")


@functools.lru_cache(maxsize=1)
def simplified() -> dict[int, str]:
    return {ord(traditional): simplified for traditional, simplified in
            (line.split("\t") for line in data_lines("zh_traditional.tsv"))}


def _unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _fold(text: str) -> str:
    # ASCII is its own NFKC and NFKD and has no accents: most text skips the slow part.
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    if "." in text:  # the expression scans every letter, for a dot it needs
        text = _DOTTED.sub(_undot, text)
    text = _APOSTROPHE.sub("", text)
    text = text.replace("&", " and ").replace("+", " and ").casefold()
    if "@" in text:
        text = _AT.sub(" at ", text)
    if not text.isascii():
        if _MARKS_ARE_LETTERS.search(text) is None:
            text = _unaccented(text)
        else:  # the accents of the Latin, Greek and Cyrillic words only
            text = _ACCENTED.sub(lambda m: _unaccented(m.group()), text)
        text = text.translate(_UNDECOMPOSED)
        if HAN.search(text) is not None and _KANA.search(text) is None:
            text = text.translate(simplified())
    text = _NON_WORD.sub(" ", text).replace("_", " ")
    return _SPACES.sub(" ", text).strip()


# A firm abroad goes by its name in its own script and in Latin letters ("深圳市蓝海电子有限公司"
# and "Shenzhen Lanhai Electronics Co., Ltd."; "ООО «Ромашка»" and "Romashka LLC"). Chinese
# romanizes by pinyin, as the firms' own English names write it, Cyrillic and Greek by their
# letters (anyascii's tables), Korean by the Revised Romanization (한빛무역: "hanbitmuyeok",
# as "Hanbit Muyeok" is written; anyascii's "HanBichMuYeog" is not); not kana, whose kanji
# a table of characters reads wrong (山田 is "Yamada", not "Shan Tian").
_ROMANIZES = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u4e00-\u9fff\uac00-\ud7a3]")
# The Revised Romanization of Korean, letter by letter: a syllable's initial, vowel and
# final (finals as the standard writes them before a pause; the sound changes between
# syllables are left out).
_RR_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
                "k", "t", "p", "h")
_RR_VOWELS = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
              "wo", "we", "wi", "yu", "eu", "ui", "i")
_RR_FINALS = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m",
              "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")


def _hangul_romanized(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(_RR_INITIALS[code // 588] + _RR_VOWELS[code % 588 // 28]
                       + _RR_FINALS[code % 28])
        else:
            out.append(ch)
    return "".join(out)


@functools.lru_cache(maxsize=65536)
def romanized(core: str) -> str | None:
    """A name core in Latin letters as its writers romanize it ("深圳 蓝海电子": "shenzhen
    lanhaidianzi", "ромашка": "romashka"); None where it is Latin already or its script does
    not romanize so."""
    if core.isascii() or _ROMANIZES.search(core) is None or _KANA.search(core):
        return None
    if HANGUL.search(core) is not None:
        core = _hangul_romanized(core)
    return fold(" ".join(anyascii(word) for word in core.split())) or None


# A Korean road-name address runs from the province down to the door: "서울특별시 강남구
# 테헤란로 152", "강남대로94길 20, 3층". The road ("...로", "...길") and the building's
# number after it are the street and the house number; the divisions before them and the
# floor or room after say where around and inside.
HANGUL = re.compile(r"[\uac00-\ud7af]")
