"""Module choices and checklist groups, as the pages, the guide and the preview show them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sobc.check.validation import validate_program
from sobc.model.program import Program
from sobc.package.build import build
from sobc.preview.clinician import layer_context
from sobc.preview.layer import render as render_layer
from sobc.preview.pages import page_index

from .conftest import EXAMPLE, PROGRAMS


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    assert build([EXAMPLE, PROGRAMS / "artrosskola"], out).ok
    return out


def _program(folder: Path) -> Program:
    loaded, problems = validate_program(folder)
    assert loaded.program is not None and problems == []
    return loaded.program


def test_the_program_page_shows_the_choice_in_place_of_its_modules(built: Path) -> None:
    html = (built / "artrosskola" / "index.html").read_text("utf-8")
    module_list = html.split('<ol class="module-list">')[1].split("</ol>")[0]
    # the choice stands where its first module would; neither module has a card of its own
    cards = re.findall(r'<li class="card[^"]*"[^>]*>\s*<h3[^>]*>(.*?)</h3>', module_list)
    assert [re.sub("<[^>]+>", "", c) for c in cards] == [
        "Teoretisk del",
        "Benövningar",
        "Handövningar",
    ]
    choice = module_list.split('class="card module-choice"')[1]
    assert 'data-chosen-by="patient"' in module_list
    assert "<strong>Vilken led besvärar dig mest?</strong>" in choice
    answers = re.findall(r"<h4>(.*?)</h4>\s*<p><a href=\"([^\"]+)\">", choice)
    assert answers == [
        ("Höften eller knät", "artrosskola-hoft-och-kna/index.html"),
        ("Handen", "artrosskola-hand/index.html"),
    ]


def test_a_choice_within_one_track_is_not_on_the_start_page(built: Path) -> None:
    """The example's choice is between two modules of Spår A: a patient of another track never
    gets it, so the start page, which every patient reads, does not show it."""
    html = (built / "example" / "index.html").read_text("utf-8")
    assert "module-choice" not in html and "Vad vill du öva mest på?" not in html


def test_artrosskola_asks_which_joint_troubles_most(built: Path) -> None:
    html = (built / "artrosskola" / "index.html").read_text("utf-8")
    assert "Vilken led besvärar dig mest?" in html
    assert "Du väljer en av modulerna." in html  # visible from the start: no clinician first
    choice = html.split('class="card module-choice"')[1].split("</ul>")[0]
    assert "Artrosskola – Höft och knä" in choice and "Artrosskola – Hand" in choice
    assert "Benövningar" not in choice


def test_the_guide_names_the_choice_and_each_module_its_alternatives(built: Path) -> None:
    html = (built / "example" / "guide.html").read_text("utf-8")
    section = html.split('id="val-val-av-fordjupning"')[1].split("</section>")[0]
    assert "<dt>Fråga</dt><dd>Vad vill du öva mest på?</dd>" in section
    assert "<dt>Vem väljer</dt><dd>Patienten väljer</dd>" in section
    assert '<a href="#modul-avslappning">Avslappning</a>' in section
    facts = html.split('id="modul-fordjupning"')[1].split("</dl>")[0]
    assert "i stället för Avslappning" in facts


def test_checklist_groups_are_sub_headings_after_the_items(built: Path) -> None:
    html = (built / "example" / "guide.html").read_text("utf-8")
    checklists = html.split('id="checklistor"')[1].split("</section>")[0]
    headings = re.findall(r"<h(\d)>(.*?)</h\1>", checklists)
    assert headings == [("3", "Vid första besöket"), ("4", "Om programmet"), ("4", "Uppföljning")]
    before_groups = checklists.split("<h4>")[0]
    assert "Patienten har e-legitimation" in before_groups


def test_bilaga_1_keeps_the_method_supports_sub_headings() -> None:
    program = _program(PROGRAMS / "sjukskrivningskollen")
    (checklist,) = program.checklists
    assert len(checklist.items) == 7
    assert [g.title for g in checklist.groups][:2] == [
        "Syftet med programmet",
        "Fördelar med programmet",
    ]


def test_the_simulation_starts_one_alternative_at_a_time() -> None:
    """Modules of a choice wait for it (even when visible from the start), and their start
    buttons name the choice so that starting one stops the others (preview.js)."""
    program = _program(PROGRAMS / "artrosskola")
    info = page_index([program])["artrosskola/index.html"]
    html = render_layer("layer.html.j2", layer_context(info, [program]))
    starts = re.findall(r'data-sim-start="([^"]+)" data-sim-choice="([^"]+)"', html)
    assert starts == [
        ("artrosskola-hoft-och-kna", "teoretisk-del"),
        ("artrosskola-hand", "teoretisk-del"),
    ]
    assert 'data-sim-module="artrosskola-hand" data-sim-place="started" ' in html
    always = re.findall(
        r'data-sim-module="([^"]+)" data-sim-place="started"[^>]*data-sim-always', html
    )
    assert always == []
