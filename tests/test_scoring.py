"""Scores as a runtime must compute them (docs/authoring.md, Scored forms), on the example's
scored form: orolig 0–3, sover a 0–3 scale, glad 0–3 reverse-scored; prorate with at most one
unanswered."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sobc.kinds.scoring import band_label, fingerprint, item_range, total_range, total_score
from sobc.model.program import Form
from sobc.read.loader import load

from .conftest import EXAMPLE


@pytest.fixture(scope="module")
def form() -> Form:
    program = load(EXAMPLE).program
    assert program is not None
    found = program.form("mabra")
    assert found is not None and found.scoring is not None
    return found


def test_totals_reverse_and_bands(form: Form) -> None:
    assert form.scoring is not None
    summa, oro = form.scoring.totals
    answers = {"orolig": "ofta", "sover": "1", "glad": "jamt"}  # 2 + 1 + (3 → 0)
    assert total_score(form, summa, answers) == 3
    assert band_label(summa, 3) == "Lindriga besvär"
    assert total_score(form, oro, answers) == 3
    assert total_range(form, summa) == (0, 9)


def test_prorating_rounds_half_up_and_stops_at_max_unanswered(form: Form) -> None:
    assert form.scoring is not None
    summa = form.scoring.totals[0]
    # 2 + 3 answered of 3 items: (2 + 0) * 3 / 2 = 3; (1 + 0) * 3 / 2 = 1.5 → 2
    assert total_score(form, summa, {"orolig": "ofta", "glad": "jamt"}) == 3
    assert total_score(form, summa, {"orolig": "ibland", "glad": "jamt"}) == 2
    assert total_score(form, summa, {"orolig": "ibland"}) is None  # two unanswered


@pytest.mark.parametrize(("rule", "expected"), [("no_total", None), ("skip", 2)])
def test_the_other_unanswered_rules(form: Form, rule: str, expected: int | None) -> None:
    assert form.scoring is not None
    scored = replace(form, scoring=replace(form.scoring, unanswered=rule, max_unanswered=None))
    assert scored.scoring is not None
    assert total_score(scored, scored.scoring.totals[0], {"orolig": "ofta"}) == expected


def test_multiple_choice_items_range_over_what_the_limits_allow(form: Form) -> None:
    orolig = form.questions[0]
    several = replace(orolig, type="multiple_choice", min_selections=1, max_selections=2)
    assert item_range(several) == (0, 5)  # one option at least (0), two at most (3 + 2)
    assert item_range(replace(several, min_selections=None, max_selections=None)) == (0, 6)


def test_the_fingerprint_changes_with_the_wording_not_with_the_title(form: Form) -> None:
    reworded = replace(form.questions[0], text="Hur ofta har du varit orolig?")
    assert fingerprint(replace(form, questions=(reworded, *form.questions[1:]))) != fingerprint(
        form
    )
    assert fingerprint(replace(form, title="Ny titel")) == fingerprint(form)


def test_a_form_scored_trigger_may_watch_one_item() -> None:
    """Like PHQ-9's item 9 ≥ 1: the question's own score range decides whether it can fire."""
    from sobc.kinds import triggers
    from sobc.model.program import Trigger

    program = load(EXAMPLE).program
    assert program is not None
    item = Trigger("form_scored", form="mabra", score="orolig", at_least=1)
    found = triggers.scored(program, item)
    assert found is not None and found[1:] == ("orolig", (0, 3))
    assert list(triggers.never_fires(program, item)) == []
    too_high = replace(item, at_least=4)
    (finding,) = triggers.never_fires(program, too_high)
    assert finding.code == "SOBC317" and "highest possible score 3" in finding.context["reason"]
    assert triggers.scored(program, replace(item, score="kommentar")) is None  # not counted
    # in the patient's words: the answers that score at least 1
    sentence = triggers.sentence(program, item)
    assert "svarar ”Ibland”, ”Ofta” eller ”Nästan jämt”" in sentence
    assert "”Hur ofta har du känt dig orolig?”" in sentence
