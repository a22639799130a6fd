"""What a patient's pages say, read from the HTML: the start page's welcome and emergency box,
no system concepts, the module page's start, media in reading order, forms that instruct once."""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import pytest

from sobc.model.program import Program
from sobc.read.loader import load
from sobc.render import pages
from sobc.render.views import caption_paragraphs, reading_minutes

from .conftest import EXAMPLE, PROGRAMS

REAL = ("artrosskola", "plus", "sjukskrivningskollen")


@cache
def _program(folder: Path) -> Program:
    result = load(folder)
    assert result.program is not None, result.diagnostics
    return result.program


@cache
def _pages(folder: Path) -> dict[str, str]:
    """Every page of a program, path (below the program's folder) → HTML."""
    program = _program(folder)
    made = pages.program_pages(program)
    return {p.path.removeprefix(f"{program.id}/"): pages.render(p).decode() for p in made}


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _headings(fragment: str) -> list[str]:
    return [_text(h) for _, h in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", fragment, re.S)]


def _patient_pages(folder: Path) -> dict[str, str]:
    return {path: page for path, page in _pages(folder).items() if path != "guide.html"}


@pytest.mark.parametrize("name", REAL)
def test_the_start_page_welcomes_once(name: str) -> None:
    headings = _headings(_main(_pages(PROGRAMS / name)["index.html"]))
    welcomes = [h for h in headings if h.startswith("Välkommen")]
    assert len(welcomes) == 1, headings


@pytest.mark.parametrize("name", REAL)
def test_the_start_page_has_the_emergency_box_from_the_program(name: str) -> None:
    program = _program(PROGRAMS / name)
    assert program.emergency
    main = _main(_pages(PROGRAMS / name)["index.html"])
    box = main[main.index('<section class="emergency"') :]
    box = box[: box.index("</section>")]
    assert _headings(box) == ["Om det är akut"]
    assert "112" in _text(box)
    welcome = main[main.index('<section class="welcome"') :]
    assert "112" not in _text(welcome[: welcome.index("</section>")])


def test_a_welcome_without_a_heading_gets_one(example: Path) -> None:
    program = _program(EXAMPLE)
    assert not program.welcome.lstrip().startswith("#")
    assert "Välkommen" in _headings(_main(_pages(EXAMPLE)["index.html"]))
    # and a program without an emergency text has no box for one
    yaml = example / "program.yaml"
    text = yaml.read_text("utf-8")
    assert text.endswith(f"emergency: |\n  {program.emergency}")
    yaml.write_text(text[: text.index("emergency: |\n")], "utf-8")
    assert _program(example).emergency is None
    assert 'class="emergency"' not in _pages(example)["index.html"]


@pytest.mark.parametrize("folder", [EXAMPLE, *(PROGRAMS / n for n in REAL)])
def test_no_system_concept_reaches_a_patient(folder: Path) -> None:
    program = _program(folder)
    for path, page in _patient_pages(folder).items():
        text = _text(_main(page))
        for track in program.tracks:
            assert track.title not in text, (path, track.title)
        assert "spår" not in text.lower(), path
        assert "väljer om det här steget" not in text, path
        assert "Väljs av din behandlare" not in text, path
        assert 'href="guide.html"' not in page and 'href="../guide.html"' not in page, path


def test_the_start_page_lists_only_modules_every_patient_gets() -> None:
    program = _program(PROGRAMS / "sjukskrivningskollen")
    main = _main(_pages(PROGRAMS / "sjukskrivningskollen")["index.html"])
    listed = set(re.findall(r'href="([a-z0-9-]+)/index\.html"', main))
    assert listed == {m.id for m in program.modules if not m.tracks}
    assert "Din behandlare öppnar fler moduler" in _text(main)


def test_a_module_page_has_a_start_button_and_reading_time() -> None:
    program = _program(PROGRAMS / "plus")
    module = program.modules[0]
    main = _main(_pages(PROGRAMS / "plus")[f"{module.id}/index.html"])
    start = re.search(r'<a class="nhsuk-button start-button" href="([^"]+)"', main)
    assert start and start.group(1) == f"../{module.id}/{module.steps[0].id}.html"
    minutes = reading_minutes(module)
    assert f"Lästid: cirka {minutes} minuter" in _text(main)


def test_reading_time_counts_the_module_s_words() -> None:
    module = _program(EXAMPLE).modules[0]
    words = sum(len((s.body or "").split()) for s in module.steps)
    words += len((module.description or "").split())
    words += sum(len((s.description or "").split()) for s in module.sections)
    assert reading_minutes(module) == max(1, -(-words // 150))


def test_a_step_with_a_form_is_called_a_form() -> None:
    program = _program(PROGRAMS / "plus")
    for module in program.modules:
        main = _main(_pages(PROGRAMS / "plus")[f"{module.id}/index.html"])
        for step in module.steps:
            item = main[main.index(f'data-step-key="{module.id}/{step.id}"') :]
            label = re.search(r'<span class="step-type">([^<]+)</span>', item)
            assert label is not None
            assert (label.group(1) == "Formulär") is bool(step.forms), (module.id, step.id)


def test_an_audio_step_reads_intro_player_transcript_with_one_heading_each() -> None:
    page = _main(_pages(PROGRAMS / "plus")["angest/andningsovning.html"])
    intro, player, transcript = (
        page.index('<div class="body">'),
        page.index("<audio"),
        page.index('class="transcript"'),
    )
    assert intro < player < transcript
    assert _text(page).count("minuter") == _text(page[transcript:]).count("minuter") + 1
    inside = page[transcript : page.index("</section>", transcript)]
    assert len(_headings(inside)) == 1  # the transcript's own title, no second above it


def test_a_video_s_captions_are_a_readable_page() -> None:
    folder = PROGRAMS / "plus"
    step_page = _pages(folder)["angest/kroppens-larmsystem.html"]
    link = re.search(r'<a href="([^"]+)">Läs texten till filmen</a>', step_page)
    assert link is not None and link.group(1) == "../angest/kroppens-larmsystem_text.html"
    assert ".vtt" not in re.sub(r"<track [^>]+>", "", _main(step_page))
    text_page = _main(_pages(folder)["angest/kroppens-larmsystem_text.html"])
    assert "-->" not in text_page and "WEBVTT" not in text_page
    assert _text(text_page).startswith("Text till filmen: Kroppens larmsystem")


def test_caption_paragraphs_leave_out_everything_but_the_words() -> None:
    vtt = (
        "WEBVTT\n\nNOTE written here\n\n1\n00:00.000 --> 00:02.000\n<v Röst>Hej och välkommen.</v>"
        "\n\n00:02.000 --> 00:04.000 line:0\nAndas in\nlångsamt.\n"
    )
    assert caption_paragraphs(vtt) == ["Hej och välkommen.", "Andas in långsamt."]


def test_the_required_note_only_where_a_question_is_required() -> None:
    for folder in (EXAMPLE, *(PROGRAMS / n for n in REAL)):
        for form in _program(folder).forms:
            needed = any(q.required for q in form.questions)
            for page in _patient_pages(folder).values():
                at = page.find(f'<form class="sobc-form" id="form-{form.id}"')
                if at < 0:
                    continue
                shown = page[at : page.index("</form>", at)]
                assert ("(obligatorisk) måste besvaras" in shown) is needed, form.id
                break


def test_a_multiple_choice_question_instructs_once() -> None:
    for folder in (EXAMPLE, *(PROGRAMS / n for n in REAL)):
        for path, page in _patient_pages(folder).items():
            for group in re.findall(r"<fieldset[^>]*>(.*?)</fieldset>", page, re.S):
                if "nhsuk-checkboxes" not in group:
                    continue
                said = re.findall(r'<p class="(?:help|instruction)"[^>]*>([^<]*)</p>', group)
                assert len([s for s in said if s.startswith("Välj")]) <= 1, (path, said)
                assert not any(re.fullmatch(r"Välj 0–\d+ alternativ\.", s) for s in said), path


def test_a_long_word_in_a_heading_marks_it_for_a_phone() -> None:
    main = _main(_pages(PROGRAMS / "sjukskrivningskollen")["index.html"])
    assert '<h1 class="long-words">Sjukskrivningskollen</h1>' in main
    assert '<h2 class="long-words">Välkommen till Sjukskrivningskollen</h2>' in main
    assert '<h2 id="modules-heading">Moduler</h2>' in main  # short words: its full size
