"""What a file of text is: text at all, and the code page it is written in (spreadsheets
and messages people have are in their Windows' code page as often as in UTF-8)."""

from __future__ import annotations

import re
import unicodedata

from charset_normalizer import from_bytes

__all__ = ["OLE", "ZIP", "detect_encoding", "is_binary"]

# How files that are no text start: an OLE compound file (an Excel 97-2003 workbook, an
# Outlook message) and a zip archive (.xlsx, .docx, .ods ...).
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
# Control characters text holds: tab, line feed, form feed, carriage return, escape
# (ISO-2022-JP's shifts).
_TEXT_CONTROLS = (9, 10, 12, 13, 27)


def is_binary(sample: bytes) -> bool:
    """Is a file that starts with ``sample`` no text: more than one byte in twenty a control
    character text does not hold (UTF-16, marked as such, holds NULs)?"""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    controls = sum(sample.count(bytes([c])) for c in range(32) if c not in _TEXT_CONTROLS)
    return controls > len(sample) // 20


# Signs of text decoded with the wrong code page, token by token: Latin letters and CJK
# ideographs in one word ("M鯾elhaus", Latin-1 read as GB18030); three or more Latin-1
# letters in a row ("¹«Ë¾Ãû³Æ", GBK read as Windows-1252); C1 controls; replacement marks.
# A word ends at Chinese and Japanese punctuation too ("，", "。", "、", "（"), which stands
# between two ideographs as a comma between two words.
_WORD = re.compile(r"[^\s,;|\t\"'()\[\]{}<>/\\\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]+")
_MIXED = re.compile(r"[A-Za-z][\u3400-\u9fff\uac00-\ud7af]|[\u3400-\u9fff\uac00-\ud7af][A-Za-z]")
_LATIN_RUN = re.compile(r"[\u00a0-\u024f]{3,}")
_BROKEN = re.compile(r"[\u0080-\u009f\ufffd]")


def _odd_inside(word: str) -> bool:
    """A symbol or digit-like sign between two letters ("£ódŸ": Polish read as Windows-1252)."""
    for i in range(1, len(word) - 1):
        c = word[i]
        if not c.isascii() and unicodedata.category(c)[0] in "SNP" and word[i - 1].isalpha() \
                and word[i + 1].isalpha():
            return True
    return word[0] in "£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿" and len(word) > 1 and word[1].isalpha()


def _rare_hanzi(text: str) -> float:
    """The share of ideographs outside GB2312's 6,763 common simplified ones.

    Big5 or Shift-JIS bytes read as GB18030 give rare characters; real mainland text does not.
    """
    hanzi = [c for c in text if "\u3400" <= c <= "\u9fff"]
    if not hanzi:
        return 0.0
    rare = 0
    for c in hanzi:
        try:
            c.encode("gb2312")
        except UnicodeEncodeError:
            rare += 1
    return rare / len(hanzi)


def _mess(text: str, encoding: str = "") -> float:
    """How much of the text reads as mis-decoded (0: every word reads as a word)."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    bad = sum(1 for w in words if not w.isascii() and (
        _MIXED.search(w) or _LATIN_RUN.search(w) or _BROKEN.search(w) or _odd_inside(w)))
    mess = bad / len(words)
    if encoding.replace("_", "").lower() in ("gb18030", "gbk", "gb2312"):
        mess += _rare_hanzi(text)
    return mess


def detect_encoding(sample: bytes, whole: bool = True) -> str:
    """The encoding the sample reads best in: the candidate whose words read as words.

    A byte-order mark decides; else valid UTF-8 wins (other encodings rarely make valid
    UTF-8 by accident). Otherwise the candidates are charset-normalizer's guesses and the
    encodings traders' spreadsheets come in (the West's Windows-1252 and Chinese Excel's
    GB18030 first, as ties go to the earlier, then Big5 and Shift-JIS); each is tried on the
    sample, and the one whose text looks least mis-decoded wins. On a small
    file its first guess alone read "Möbelhaus Krüger" in Latin-1 as GB18030.

    ``whole``: the sample is all of the text (else its last character may be cut short).
    """
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as ex:
        if ex.start > len(sample) - 4 and not whole:  # the sample cut a character
            return "utf-8"
    guesses = [m.encoding for m in from_bytes(sample)]
    # Ties (text that several code pages read alike) go to the West's and China's
    # spreadsheets first, then to charset-normalizer's order.
    candidates = list(dict.fromkeys(["cp1252", "gb18030", *guesses, "big5", "shift_jis"]))
    best, best_mess = "latin-1", 1.0
    for rank, encoding in enumerate(candidates):
        try:
            text = sample.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        mess = _mess(text, encoding) + rank * 1e-6  # ties: the earlier candidate
        if mess < best_mess:
            best, best_mess = encoding, mess
    return best
