"""The clinician guide: organised like the program, forms written out, linked to the pages, and
honest about where its content comes from."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import pytest

from sobc.model.program import Program, Source, field_source
from sobc.read.loader import load
from sobc.render import guide, pages
from sobc.runtime.layout import asset_paths

from .conftest import PROGRAMS

REAL = ("artrosskola", "plus", "sjukskrivningskollen")
SVG = "{http://www.w3.org/2000/svg}"
PLUS_MODULES = ("stress", "angest", "oro", "nedstamdhet", "kris", "sorg", "alkohol")


@cache
def _program(name: str) -> Program:
    result = load(PROGRAMS / name)
    assert result.program is not None, result.diagnostics
    return result.program


@cache
def _guide(name: str) -> str:
    page = next(p for p in pages.program_pages(_program(name)) if p.path.endswith("guide.html"))
    return pages.render(page).decode("utf-8")


def _headings(text: str) -> list[str]:
    found = re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", text, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", inner)).strip() for _, inner in found]


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment))).strip()


@pytest.mark.parametrize("name", REAL)
def test_every_module_and_section_is_a_heading_in_program_order(name: str) -> None:
    program = _program(name)
    headings = _headings(_guide(name))
    expected = []
    for module in program.modules:
        expected.append(guide.heading(module.number, module.title))
        expected.extend(guide.heading(s.number, s.title) for s in module.sections)
    at = 0
    for title in expected:  # each after the one before it
        assert title in headings[at:], title
        at = headings.index(title, at) + 1


def test_the_sections_the_issue_names_are_headings() -> None:
    assert "01 Vad är stress?" in _headings(_guide("plus"))
    artros = " | ".join(_headings(_guide("artrosskola")))
    for title in ("Vad är artros?", "Rörlighet", "Styrka", "Gym/maskin", "Balans"):
        assert f"{title} |" in artros
    assert "Introduktion del 1" in _headings(_guide("sjukskrivningskollen"))


@pytest.mark.parametrize("name", REAL)
def test_every_step_links_to_its_page_and_every_used_form_is_written_out(name: str) -> None:
    program = _program(name)
    text = _guide(name)
    paths = {p.path.removeprefix(f"{program.id}/") for p in pages.program_pages(program)}
    hrefs = set(re.findall(r'href="([^"#]+)(?:#[^"]*)?"', text))
    for module in program.modules:
        for step in module.steps:
            assert guide.step_path(module, step) in hrefs
    assert {h for h in hrefs if h.endswith(".html")} <= paths
    plain = _text(text)
    used = {f for m in program.modules for s in m.steps for f in s.forms}
    assert used
    for form in program.forms:
        if form.id not in used:
            continue
        assert f'id="formular-{form.id}"' in text
        for question in form.questions:
            assert _text(question.text)[:60] in plain, (form.id, question.id)
            for option in question.options:
                assert option.label in plain


def test_a_scale_shows_both_ends_and_their_labels() -> None:
    text = _text(_guide("artrosskola"))
    assert "Från 0 (Ingen smärta) till 10 (Värsta tänkbara smärta)" in text


def test_a_condition_names_the_question_it_depends_on() -> None:
    assert "Visas bara om patienten har svarat ”Ja” på fråga 1." in _text(_guide("artrosskola"))


@pytest.mark.parametrize(
    ("source", "text", "written_here"),
    [
        (Source(written_here=True), "Skrivet för paketet", True),
        (
            Source(written_here=True, section="Stress", note="Titlarna är manualens."),
            "Skrivet för paketet utifrån regionens dokument, avsnitt ”Stress”. "
            "Titlarna är manualens.",
            True,
        ),
        (Source(page="12", section="Flaggor"), "Källa: s. 12, avsnitt ”Flaggor”", False),
        (Source(document="Manual 3.0", page="4–5"), "Källa: Manual 3.0, s. 4–5", False),
        (Source(), "Källa: regionens dokument", False),
    ],
)
def test_provenance_text(source: Source, text: str, written_here: bool) -> None:
    assert guide.provenance(source) == {"written_here": written_here, "text": text}
    assert guide.provenance(None) is None


@pytest.mark.parametrize("name", REAL)
def test_the_guide_names_the_region_s_document_and_marks_what_was_written_here(name: str) -> None:
    program = _program(name)
    assert program.source is not None and program.source.document
    text = _guide(name)
    assert f"Källa: {html.escape(program.source.document, quote=False)}" in text
    assert text.count('class="provenance written-here"') >= 3


def test_the_plus_markings_follow_its_readme() -> None:
    text = _guide("plus")
    stress = text[text.index('id="modul-stress"') : text.index('id="modul-angest"')]
    # the section's and steps' titles and which steps have forms are the manual's (its picture
    # under Anpassa programmet), its texts were written here
    assert (
        "stegens titlar och ordning och vilka steg som har formulär (01.1, 01.3–01.6) är manualens"
        in stress
    )
    forms = text[text.index('id="formular"') :]
    seed_form = forms[forms.index('id="formular-angest-kan-se-olika-ut"') :]
    seed_form = seed_form[: seed_form.index("</section>")]
    assert "Källa: avsnitt ”Hantera händelser”" in seed_form
    written = forms[forms.index('id="formular-stress-introduktion"') :]
    assert 'class="provenance written-here"' in written[: written.index("</section>")]


def test_source_is_read_from_every_level(example: Path) -> None:
    program_yaml = example / "program.yaml"
    text = program_yaml.read_text(encoding="utf-8")
    text = text.replace("\npublisher:", '\nsource: {document: "Manual", page: 3}\npublisher:', 1)
    program_yaml.write_text(text, encoding="utf-8")
    module = next((example / "modules").glob("*.yaml"))
    module.write_text(
        module.read_text(encoding="utf-8").replace("\ntitle:", "\nsource: package\ntitle:", 1),
        encoding="utf-8",
    )
    result = load(example)
    assert result.program is not None, result.diagnostics
    assert result.program.source == Source(document="Manual", page="3")
    assert any(m.source == Source(written_here=True) for m in result.program.modules)


def test_a_scored_form_shows_its_scores_bands_and_instrument() -> None:
    """The example's scored form: option scores, the reverse item, each total's questions and
    range, the unanswered rule, the bands, and the published instrument it is."""
    from .conftest import EXAMPLE

    result = load(EXAMPLE)
    assert result.program is not None
    page = next(p for p in pages.program_pages(result.program) if p.path.endswith("guide.html"))
    text = _text(pages.render(page).decode("utf-8"))
    assert "Nästan jämt (3 p)" in text
    # the reversed item: each answer with the points it counts as
    assert "räknas omvänt: varje svar ger poängen inom parentes Aldrig (3 p) Ibland (2 p)" in text
    assert "Summan av alla poänggivande frågor: 0–9." in text
    assert "Summan av frågorna 1 och 2: 0–6." in text
    assert "Med högst 1 obesvarad fråga räknas summan upp" in text
    assert "avrundat till närmaste heltal (en halv avrundas uppåt)" in text
    assert "3–5Lindriga besvär" in text  # a row of the bands table
    assert "publicerade instrumentet Måbra-skalan (exempel)" in text
    assert "Klockslag · Mellan 20:00 och 03:00" in text  # a time question's range


def _guide_of(program: Program) -> str:
    page = next(p for p in pages.program_pages(program) if p.path.endswith("guide.html"))
    return pages.render(page).decode("utf-8")


def test_a_field_with_a_source_of_its_own_is_marked_beside_it(example: Path) -> None:
    """`sources:` gives one field its own source; the module's other fields keep the module's."""
    module = example / "modules" / "grunder.yaml"
    text = module.read_text(encoding="utf-8")
    text = text.replace(
        "\ntitle:",
        '\nsource: {section: "Grunder"}\nsources:\n  length_days: package\ntitle:',
        1,
    )
    module.write_text(text, encoding="utf-8")
    result = load(example)
    assert result.program is not None, result.diagnostics
    grunder = result.program.module("grunder")
    assert grunder is not None and grunder.length_days
    assert grunder.sources == (("length_days", Source(written_here=True)),)
    part = _guide_of(result.program)
    part = part[part.index('id="modul-grunder"') :]
    part = part[: part.index("</dl>")]
    facts = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", part))
    assert 'class="provenance written-here"' in facts["Längd"]
    assert "provenance" not in facts["Synlighet"]  # the module's own source, shown once above
    assert "Källa: avsnitt ”Grunder”" in part


def test_a_field_not_of_the_element_is_refused(example: Path) -> None:
    module = example / "modules" / "grunder.yaml"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("\ntitle:", "\nsources:\n  sections: package\ntitle:", 1))
    result = load(example)
    assert result.program is None or [d for d in result.diagnostics if d.severity == "error"]
    assert any("sources" in d.message for d in result.diagnostics)


@pytest.mark.parametrize("name", REAL)
def test_every_module_introduction_is_marked_written_for_the_package(name: str) -> None:
    """The regions' documents hold no patient texts: each module's introduction to the patient
    was written for the package, and says so itself (not by its module's source)."""
    for module in _program(name).modules:
        if module.description:
            own = field_source(module.sources, "description")
            assert own is not None and own.written_here, module.id


@pytest.mark.parametrize(
    ("name", "module", "key"),
    [
        ("artrosskola", "artrosskola-hoft-och-kna", "starts_when"),
        ("artrosskola", "artrosskola-hoft-och-kna", "parallel_with"),
        ("artrosskola", "artrosskola-hand", "starts_when"),
        ("artrosskola", "artrosskola-hand", "parallel_with"),
        ("artrosskola", "benovningar", "description"),
        ("artrosskola", "handovningar", "description"),
        *[("plus", m, k) for m in PLUS_MODULES for k in ("expected_duration", "starts_when")],
    ],
)
def test_the_fields_the_seeds_do_not_hold_are_marked(name: str, module: str, key: str) -> None:
    found = _program(name).module(module)
    assert found is not None
    own = field_source(found.sources, key)
    assert own is not None and own.written_here
    text = _guide(name)
    part = text[text.index(f'id="modul-{module}"') :]
    assert 'class="provenance written-here"' in part[: part.index("</dl>")]


def test_every_artrosskola_flag_says_it_was_written_for_the_package() -> None:
    flags = _program("artrosskola").flags
    assert flags and all(f.source is not None and f.source.written_here for f in flags)


def test_the_guide_s_copy_of_a_seed_section_adds_nothing_to_it() -> None:
    program = _program("artrosskola")
    section = next(s for s in program.guide_sections if s.id == "programmets-innehall")
    assert section.source is None or not section.source.written_here
    assert "synliga från start" not in section.body


def test_plus_says_only_what_its_manual_says_of_retention_and_use() -> None:
    program = _program("plus")
    assert not any("två år" in note for note in program.retention.notes)
    assert program.description is not None
    assert "kan materialet användas som självhjälp" in " ".join(program.description.split())


def test_a_module_choice_says_where_it_comes_from() -> None:
    text = _guide("artrosskola")
    choice = text[text.index('id="val-teoretisk-del"') :]
    choice = choice[: choice.index("</section>")]
    assert (
        'class="provenance written-here"' in choice and "avsnitt ”Programmets innehåll”" in choice
    )


def _toc(text: str) -> list[str]:
    start = text.index('<nav class="toc"')
    nav = text[start : text.index("</nav>", start)]
    return [_text(a) for a in re.findall(r"<a [^>]*>(.*?)</a>", nav, re.S)]


@pytest.mark.parametrize("name", REAL)
def test_the_table_of_contents_is_the_page_s_sections_in_order_once(name: str) -> None:
    text = _guide(name)
    toc = _toc(text)
    assert len(toc) == len(set(toc)), toc
    main = text[text.index("</nav>", text.index('<nav class="toc"')) :]
    sections = [
        _text(h)
        for level, h in re.findall(
            r'<h([23]) id="(?:[a-z]+-heading|avsnitt-[^"]+)">(.*?)</h\1>', main
        )
    ]
    assert toc == sections


def test_the_plus_guide_lists_each_title_once_in_its_contents() -> None:
    """The issue's duplicates: the program's own sections sit under one heading of their own."""
    toc = _toc(_guide("plus"))
    assert toc.count("Roller och behörigheter") == 1 and "Flaggor i programmet" in toc
    assert (
        toc.index("Gallring i programmet") < toc.index("Mer för behandlaren") < toc.index("Gallra")
    )


@pytest.mark.parametrize("name", REAL)
def test_forms_are_written_out_in_the_order_the_patient_meets_them(name: str) -> None:
    program = _program(name)
    met = [
        f
        for m in program.modules
        for f in (*(f for s in m.steps for f in s.forms), *m.standalone_forms)
    ]
    met += [p.form for p in program.activity_plans]  # forms met only through a plan, last
    order = list(dict.fromkeys(met))
    shown = re.findall(r'<section class="guide-form" id="formular-([^"]+)">', _guide(name))
    assert shown == [f for f in order if f in shown] and shown


@pytest.mark.parametrize("name", REAL)
def test_flag_sentences_name_no_question_id(name: str) -> None:
    program = _program(name)
    ids = {q.id for f in program.forms for q in f.questions}
    for flag in guide.guide_context(program, asset_paths())["flags"]:
        named = set(re.findall(r"”([^”]+)”", flag["trigger_text"]))
        assert not named & ids, flag["trigger_text"]


def test_a_flag_on_a_question_s_score_names_the_question_and_the_answers() -> None:
    from sobc.kinds import triggers
    from sobc.model.program import Trigger

    from .conftest import EXAMPLE

    program = load(EXAMPLE).program
    assert program is not None
    said = triggers.sentence(
        program, Trigger("form_scored", form="mabra", score="glad", at_least=2)
    )
    # glad counts reversed: Aldrig 3 p, Ibland 2 p
    assert said.endswith(
        "och svarar ”Aldrig” eller ”Ibland” på frågan ”Hur ofta har du känt dig glad?”"
    )
    said = triggers.sentence(
        program, Trigger("form_scored", form="mabra", score="sover", at_most=1)
    )
    assert said.endswith(
        "och svarar 1 eller mindre på frågan ”Hur mycket har sömnen besvärat dig?”"
    )


@pytest.mark.parametrize("name", REAL)
def test_provenance_is_marked_per_section_not_on_every_row(name: str) -> None:
    """Rows of a table and questions of a form carry no mark of their own: a list after the
    table or form names the ones with a source of their own."""
    text = _guide(name)
    for row in re.findall(r"<tr.*?</tr>", text, re.S):
        assert 'class="provenance' not in row
    for question in re.findall(r'<li class="guide-question">.*?</li>', text, re.S):
        assert 'class="provenance' not in question
    assert text.count('class="provenance-key"') == 1


def test_the_flow_between_modules_says_what_the_method_says() -> None:
    """Sjukskrivningskollen: Förändring i arbetslivet follows Uppnå hållbarhet only when the
    patient is thinking of a change; otherwise the program ends (the method document's words)."""
    text = _text(_guide("sjukskrivningskollen"))
    start = text.index("Flödet mellan modulerna")
    outline = text[start : text.index("Innan du börjar", start)]
    assert (
        "Uppnå hållbarhet i din arbetsförmåga följs av Förändring i arbetslivet om patienten har "
        "svarat ”Ja” eller ”Kanske” på ”Funderar du på att byta yrke eller arbetsplats, söka nytt "
        "jobb eller börja studera?” i formuläret ”Uppnå hållbarhet i din arbetsförmåga – nästa "
        "steg”, annars avslutas programmet efter modulen"
    ) in outline
    assert "Introduktion följs av Stöd i din rehabilitering" in outline


def _chart_section(text: str) -> str:
    found = re.search(r'<section class="guide-chart".*?</section>', text, re.S)
    assert found, "the guide shows no chart"
    return found.group(0)


def test_a_chart_shows_its_definition_an_example_and_its_table() -> None:
    """The example's chart of Måbra-skalan: what it follows, its bands, which way is worse and the
    note; the example drawn (one image with a title and description, five points, three shaded
    and named bands) and the same five points as a table."""
    from .conftest import EXAMPLE

    result = load(EXAMPLE)
    assert result.program is not None
    section = _chart_section(_guide_of(result.program))
    text = _text(section)
    assert "Måbra-skalan över tid" in _headings(section)
    assert "Summa, skala 0–9" in text
    assert "Inga besvär (0–2), Lindriga besvär (3–5), Tydliga besvär (6–9)" in text
    assert "Ett högre värde är sämre." in text
    assert "skäl att ringa patienten" in text  # the note
    svg = ET.fromstring(re.search(r"<svg.*?</svg>", section, re.S).group(0))  # type: ignore[union-attr]
    assert svg.get("role") == "img" and svg.findtext(f"{SVG}title") == "Måbra-skalan över tid"
    assert "Tydliga besvär 6–9" in (svg.findtext(f"{SVG}desc") or "")
    marks = {
        kind: [
            item for g in svg.iter(f"{SVG}g") if f"mark-{kind} " in g.get("class", "") for item in g
        ]
        for kind in ("symbol", "rect")
    }
    assert (len(marks["symbol"]), len(marks["rect"])) == (5, 3)
    labels = {t.text for t in svg.iter(f"{SVG}text")}
    assert {"Inga besvär (0–2)", "Lindriga besvär (3–5)", "Tydliga besvär (6–9)"} <= labels
    rows = re.findall(r"<tr><th scope=\"row\">(\d{4}-\d\d-\d\d)</th><td[^>]*>(\d+)</td>", section)
    assert [int(v) for _, v in rows] == [7, 6, 5, 4, 3]


def test_chart_colours_meet_wcag_contrast() -> None:
    """Text and edges on every band's shade at 4.5:1, the points at 3:1 (WCAG 1.4.3, 1.4.11);
    the bands are told apart by their labels and dashed edges too, not by colour alone."""
    from sobc.check.theme import contrast
    from sobc.runtime.charts import INK, POINT, SHADES

    assert min(contrast(INK, shade) for shade in SHADES) >= 4.5
    assert min(contrast(POINT, shade) for shade in SHADES) >= 3


def test_a_chart_escapes_what_the_author_wrote() -> None:
    from sobc.model.shapes import Band
    from sobc.runtime.charts import svg, vega_lite

    bands = [Band(0, 2, '<script>alert(1)</script> & "x"'), Band(3, 9, "b")]
    drawn = svg(vega_lite("<i>T</i>", "<b>d</b>", "higher", (0, 9), bands))
    assert "<script" not in drawn and "<i>" not in drawn and "<b>" not in drawn
    ET.fromstring(drawn)  # well-formed
