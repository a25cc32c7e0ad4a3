"""listen's learned model: its features, its explanations, its file, and learning from mail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import LEGIT, SCAMS

from prospect.errors import ProspectError
from prospect.vetting import model as m
from prospect.vetting.listen import listen_parts
from prospect.vetting.message import read_message


def test_features_say_what_a_message_asks_not_where_it_was_stored() -> None:
    a = m.features("Verify your account at https://secure-login.example/x?id=9 or mail phishing@pot "
                   "before 12/03/2024; call +1 (800) 555-0199 to claim $4,500,000.")
    b = m.features("Verify your account at http://other.example/ or mail jane@firm.example "
                   "before 01/01/1999; call 020 7946 0958 to claim USD 10 million.")
    assert "verify your" in a and "<url>" in a and "<email>" in a and "<phone>" in a
    assert "<money>" in a
    assert a == b  # addresses, numbers, sums and dates are tokens, not things to learn
    assert not any("pot" in f or "2024" in f for f in a)


def test_chinese_is_read_as_character_pairs_and_placeholders_are_dropped() -> None:
    found = m.features("您好，我是XXX公安局民警，您涉嫌洗钱")
    assert {"公安", "安局", "洗钱", "涉嫌"} <= found
    assert not any("x" in f.lower() for f in found)


def test_invisible_characters_do_not_hide_a_word() -> None:
    assert "verify" in m.features("ve\u200brify your pass\u200dword")


def test_a_long_letter_does_not_score_by_its_length() -> None:
    model = m.Model(weights={"claim": 2.0, "your": 0.5})
    short, _ = model.score("claim your prize")
    repeated, _ = model.score("claim your prize" + " the" * 200)  # counts once, whatever the count
    filler = " ".join(f"word{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(300))
    diluted, _ = model.score("claim your prize " + filler)
    assert repeated == pytest.approx(short, rel=0.5)
    assert diluted < short / 3


def test_a_score_is_explained_by_its_largest_contributions_and_capped() -> None:
    model = m.Model(weights={"next of": 3.0, "of kin": 2.0, "meeting": -1.0}, bias=-9.0,
                    meta={"cap": 1.5})
    score, parts = model.score("next of kin")
    assert score == 1.5  # capped; the intercept is no evidence
    assert [f for f, _ in parts][:2] == ["next of", "of kin"]
    assert m.Model(weights={"next": 1.0}).score("下午三点开会")[0] == 0.0  # words it never saw


def test_the_weights_file_round_trips_and_a_bad_one_is_a_clear_error(tmp_path: Path) -> None:
    model = m.Model(weights={"verify your": 1.25}, bias=-0.5, trained_on="test",
                    sources=["unit"], meta={"cap": 2.0})
    again = m.Model.from_json(model.to_json())
    assert again.weights == {"verify your": 1.25} and again.cap == 2.0
    assert again.trained_on == "test" and list(again.sources) == ["unit"]
    bad = tmp_path / "model.json"
    bad.write_text(json.dumps({"format": "something-else", "weights": {}}))
    with pytest.raises(ProspectError, match="cannot use the listen model"):
        m.load(bad)
    assert m.load(tmp_path / "absent.json") is m.shipped()


def test_the_shipped_model_names_a_licence_that_lets_it_ship() -> None:
    shipped = m.shipped()
    assert shipped.weights
    assert "SpamAssassin" in shipped.trained_on
    assert any("PDDL" in s or "CC0" in s for s in shipped.sources)


def test_training_learns_what_separates_scams_from_ordinary_mail() -> None:
    learned = m.train([(t, True) for t in SCAMS] + [(t, False) for t in LEGIT],
                      trained_on="unit", min_count=1)
    assert learned.meta["scam"] == 6 and learned.meta["legit"] == 6
    scam = learned.score("please verify your account and send your bank details")[0]
    legit = learned.score("the revised agenda for the meeting is attached")[0]
    assert scam > 0 > legit
    with pytest.raises(ProspectError, match="both scam and legitimate"):
        m.train([(t, True) for t in SCAMS], trained_on="unit")


def test_the_listen_score_adds_the_models_points_and_shows_its_words() -> None:
    model = m.Model(weights={"wallet": 6.0, "verify your": 6.0})
    text = "Subject: action needed\n\nPlease verify your wallet today."
    msg = read_message(text)
    parts = listen_parts(msg.text, msg, model=model)
    assert parts.model == m.DEFAULT_CAP
    assert parts.score == pytest.approx(parts.rules + m.DEFAULT_CAP)
    hit = next(h for h in parts.hits if h.rule == "M1")
    assert "wallet" in hit.span and "verify your" in hit.span
    quiet = listen_parts(msg.text, msg, model=m.Model(weights={}))
    assert quiet.model == 0 and all(h.rule != "M1" for h in quiet.hits)

