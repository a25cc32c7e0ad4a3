"""Folding text: case, accents, scripts and spacing, as people type them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prospect import normalize as n
from prospect.normalize import text as folding


def test_letters_unicode_keeps_whole_fold_as_people_type_them() -> None:
    assert n.fold("Łódź") == n.fold("Lodz") == "lodz"
    assert n.fold("MØLLER & SØN") == "moller and son"
    assert n.fold("Þórsdóttir Æðey Œuvre") == "thorsdottir aedey oeuvre"
    assert n.street_and_number("ul. Marszałkowska 10") == n.street_and_number("Marszalkowska 10")


def test_marks_are_dropped_where_they_are_accents_and_kept_where_they_are_letters() -> None:
    """Accents on Latin, Greek and Cyrillic letters are typed or not; a Thai or Hindi vowel
    sign is part of its word, Hangul stays composed, Arabic vowel points are optional."""
    assert n.fold("Công ty Phát") == "cong ty phat" and n.fold("Ёлка") == "елка"
    assert n.fold("บริษัท ปูนซิเมนต์ไทย") == "บริษัท ปูนซิเมนต์ไทย".replace("ำ", "ํา")
    assert n.fold("हिंदी उद्योग") == "हिंदी उद्योग"
    assert n.fold("삼성전자") == "삼성전자"  # not its jamo
    assert n.fold("ブリヂストン") == "ブリヂストン" != n.fold("フリチストン")
    assert n.fold("شَرِكَة") == n.fold("شركة") == "شركة"
    # Names that differ only by a vowel sign stay two names.
    assert n.fold("กิน") != n.fold("กัน")


def test_a_name_romanizes_as_its_writers_romanize_it() -> None:
    assert n.romanized("深圳 蓝海电子") == "shenzhen lanhaidianzi"
    assert n.romanized("ромашка") == "romashka" and n.romanized("αθηνα") == "athina"
    # Korean by the Revised Romanization; not kana, whose kanji a table reads wrong.
    assert n.romanized("한빛무역") == "hanbitmuyeok" and n.romanized("부산") == "busan"
    assert n.romanized("山田 トヨタ") is None
    assert n.romanized("blue bakery") is None


def test_an_at_sign_after_a_word_folds_to_at() -> None:
    assert n.fold("Gym @ Old Police Academy") == "gym at old police academy"
    assert n.fold("library@Orchard") == "library at orchard"
    assert n.fold("@Home") == "home"


@given(st.text())
def test_fold_is_idempotent_and_clean(text: str) -> None:
    once = n.fold(text)
    assert n.fold(once) == once
    assert once == once.strip() and "  " not in once


@given(st.text(alphabet="aBz09 .&-'\t") | st.from_regex(r"[A-Za-z0-9 ]*", fullmatch=True))
def test_plain_text_folds_as_the_full_fold_would(text: str) -> None:
    assert n.fold(text) == folding._fold(text)


@pytest.mark.parametrize(("text", "folded"), [
    ("N.V.", "nv"), ("Foo S. p. A.", "foo spa"), ("U.S. Steel", "us steel"),
    ("D.S.M. N.V.", "dsm nv"), ("U. S. Philips", "us philips"),
    ("2850 W. 24Th St.", "2850 w 24th st"),  # the space after an initial's dot stays
])
def test_initialisms_lose_their_dots_and_keep_the_space_after_them(text: str,
                                                                  folded: str) -> None:
    assert n.fold(text) == folded
