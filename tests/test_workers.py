"""What crosses between processes: pickled without a memo, the same value when unpickled."""

from __future__ import annotations

from typing import Any

from prospect.workers import Sent


def test_a_value_crosses_as_it_was() -> None:
    value = ([("bench", "r1", None, None)], [((("acme",) * 3), "c:acme\nt:acme|zx1", "{}", "")],
             {"a": [1, 2.5, b"\x00"]})
    assert Sent(value).value() == value


def test_an_object_met_twice_goes_twice() -> None:
    # No memo: the pickle holds the text twice (the price of not keeping one).
    text = "x" * 1000
    assert len(Sent([text, text]).data) > 2000


def test_a_cyclic_value_is_pickled_the_usual_way() -> None:
    cyclic: list[Any] = [1]
    cyclic.append(cyclic)
    back = Sent(cyclic).value()
    assert back[0] == 1 and back[1] is back
