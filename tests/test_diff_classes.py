"""`sobc diff` classes changes by their consequence for patients and clinicians (docs/diff.md,
Classes): flags whole are safety, instrument rules only for what OLD held as an instrument, a
change implied by another told once as its detail, provenance cosmetic, emergency and risk texts
safety by their words, renames changing nothing that names the renamed element, every text-bearing
element diffed with its words, old → new values in every format."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from sobc.cli import main
from sobc.diff import Change, VersionPolicy, diff
from sobc.diff.text import emergency_sentences

from .conftest import EXAMPLE


def _replace(path: Path, text: str, replacement: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert content.count(text) == 1, text
    path.write_text(content.replace(text, replacement), encoding="utf-8")


def _changes(new: Path, old: Path = EXAMPLE) -> list[Change]:
    result = diff(str(old), str(new), policy=VersionPolicy.OFF)
    assert result.problems == []
    return result.changes


def _rules(changes: list[Change]) -> list[tuple[str, str]]:
    return [(c.rule.id, str(c.change_class)) for c in changes]


NEW_FLAG = (
    "  - id: svar-somnbrist\n    title: Svår sömnbrist\n"
    "    trigger: {type: form_scored, form: mabra, score: summa, at_least: 8}\n"
    "    recipient: clinician\n    message: Kontakta patienten inom en arbetsdag.\n"
    "activity_plans:\n"
)


def test_done_when_a_new_flag_between_two_copies_is_safety_and_fails_on_safety(
    tmp_path: Path,
) -> None:
    """Two copies in folders named otherwise than the program's id, one flag on a form total
    added: safety, and `--fail-on safety` exits 1."""
    old, new = tmp_path / "a-v1", tmp_path / "a-v2"
    shutil.copytree(EXAMPLE, old)
    shutil.copytree(EXAMPLE, new)
    _replace(new / "program.yaml", "activity_plans:\n", NEW_FLAG)
    _replace(new / "program.yaml", 'version: "1.0"', 'version: "1.1"')
    runner = CliRunner()
    result = runner.invoke(main, ["diff", str(old), str(new), "--fail-on", "safety"])
    assert result.exit_code == 1, result.output
    assert "safety [flag-added] flag 'svar-somnbrist' added" in result.output
    assert "SOBC204" not in result.output
    passing = runner.invoke(main, ["diff", str(old), str(new), "--fail-on", "data-breaking"])
    assert passing.exit_code == 0, passing.output


def test_every_change_to_who_when_and_what_a_flag_tells_is_safety(example: Path) -> None:
    program = example / "program.yaml"
    _replace(program, "days: 7}", "days: 14}")  # when
    _replace(program, "score: summa, at_least: 6}", "score: summa, at_least: 7}")  # threshold
    _replace(
        program, "recipient: patient\n    message: Ditt", "recipient: clinician\n    message: Ditt"
    )
    _replace(program, "Boka uppföljning.", "Boka ett samtal.")  # what it tells
    _replace(program, "Kontakta patienten inom en arbetsdag.", "Kontakta patienten inom en vecka.")
    assert sorted(_rules(_changes(example))) == [
        ("flag-message-changed", "safety"),
        ("flag-message-changed", "safety"),
        ("flag-recipient-changed", "safety"),
        ("flag-trigger-changed", "safety"),
        ("flag-trigger-changed", "safety"),
    ]


def test_done_when_short_text_to_time_is_one_change_with_its_detail(example: Path) -> None:
    _replace(
        example / "forms" / "veckologg.yaml",
        "  - id: kommentar\n    type: short_text\n    text: Kommentar\n    max_length: 200\n",
        '  - id: kommentar\n    type: time\n    text: Kommentar\n    min: "06:00"\n',
    )
    [change] = _changes(example)
    assert (change.rule.id, change.field, change.old, change.new) == (
        "question-type-changed",
        "type",
        "short_text",
        "time",
    )
    assert sorted((i.rule.id, i.field) for i in change.implied) == [
        ("answer-range-narrowed", "min"),
        ("answer-range-widened", "max_length"),
    ]


def test_a_choice_made_a_scale_is_one_change_its_options_and_labels_its_detail(
    example: Path,
) -> None:
    """The issue's artefacts: a type change's options, labels and ranges, on a form that was
    an instrument, are neither lines of their own nor instrument wording."""
    _replace(
        example / "forms" / "mabra.yaml",
        "  - id: glad\n    type: single_choice\n    text: Hur ofta har du känt dig glad?\n"
        "    options:\n      - {value: aldrig, label: Aldrig, score: 0}\n"
        "      - {value: ibland, label: Ibland, score: 1}\n"
        "      - {value: ofta, label: Ofta, score: 2}\n"
        "      - {value: jamt, label: Nästan jämt, score: 3}\n",
        "  - id: glad\n    type: scale\n    text: Hur ofta har du känt dig glad?\n"
        "    min: 0\n    max: 3\n    min_label: Aldrig\n    max_label: Nästan jämt\n",
    )
    [change] = _changes(example)
    assert (change.rule.id, change.path[-1]) == ("question-type-changed", ("question", "glad"))
    assert sorted((i.rule.id, i.field or i.path[-1][1]) for i in change.implied) == [
        ("answer-range-narrowed", "max"),
        ("answer-range-narrowed", "min"),
        ("instrument-wording-changed", "max_label"),  # the labels the scale brings
        ("instrument-wording-changed", "min_label"),
        ("option-removed", "aldrig"),
        ("option-removed", "ibland"),
        ("option-removed", "jamt"),
        ("option-removed", "ofta"),
    ]


def test_instrument_rules_apply_only_to_what_old_held_as_an_instrument(example: Path) -> None:
    """veckologg becomes scored: its wording changes are wording, its scoring is added (the
    scores its options gain are the detail), nothing data-breaking or safety."""
    form = example / "forms" / "fragor.yaml"
    _replace(
        form,
        'number: "01.3"\n',
        'number: "01.3"\nscoring:\n  totals:\n    - id: besvar\n      title: Besvär\n'
        "      questions: [mar-du-bra]\n",
    )
    _replace(form, "{value: ja, label: Ja}", "{value: ja, label: Ja, score: 0}")
    _replace(form, "{value: no, label: Nej}", "{value: no, label: Nej, score: 1}")
    _replace(form, "text: Mår du bra?", "text: Mår du bra just nu?")
    changes = _changes(example)
    assert sorted(_rules(changes)) == [
        ("form-scoring-added", "structure"),
        ("text-changed", "wording"),
    ]
    [scoring] = [c for c in changes if c.rule.id == "form-scoring-added"]
    assert sorted(c.path[-1] for c in scoring.implied) == [("option", "ja"), ("option", "no")]
    # the same wording change in a form that was an instrument in OLD is safety
    _replace(example / "forms" / "mabra.yaml", "känt dig orolig?", "varit orolig?")
    assert ("instrument-wording-changed", "safety") in _rules(_changes(example))


def test_a_folded_change_is_never_worse_than_what_it_is_folded_into(example: Path) -> None:
    """A step's type change is structure; an emergency sentence changed with it stays safety,
    on its own line."""
    _replace(
        example / "modules" / "grunder.yaml",
        "        type: text\n        body: Lite text om grunderna.\n",
        "        type: exercise\n        body: Lite text om grunderna. Vid fara, ring 112.\n",
    )
    assert sorted(_rules(_changes(example))) == [
        ("emergency-text-changed", "safety"),
        ("setting-changed", "structure"),
    ]


def test_a_step_s_type_change_brings_its_forms(example: Path) -> None:
    _replace(
        example / "modules" / "grunder.yaml",
        "        type: text\n        body: Lite text om grunderna.\n",
        "        type: form\n        body: Lite text om grunderna.\n        forms: [veckologg]\n",
    )
    [change] = _changes(example)
    assert (change.rule.id, change.old, change.new) == ("setting-changed", "text", "form")
    assert [(i.rule.id, i.field) for i in change.implied] == [("setting-changed", "forms")]


def test_done_when_a_source_note_alone_is_cosmetic_and_needs_no_new_version(
    example: Path, tmp_path: Path
) -> None:
    old = tmp_path / "old" / "example"
    shutil.copytree(EXAMPLE, old)
    for side, note in ((old, "Skriven för exemplet."), (example, "Skriven för exemplet, 2024.")):
        _replace(
            side / "modules" / "grunder.yaml",
            "    title: Grunder del 1\n",
            f'    title: Grunder del 1\n    source: {{package: true, note: "{note}"}}\n',
        )
    result = diff(str(old), str(example))  # the version policy semver, the default
    assert _rules(result.changes) == [("provenance-changed", "cosmetic")]
    [change] = result.changes
    assert change.words == [
        ("=", "Skriven för"),
        ("-", "exemplet."),
        ("+", "exemplet, 2024."),
    ]
    runner = CliRunner()
    cli = runner.invoke(main, ["diff", str(old), str(example), "--fail-on", "wording"])
    assert cli.exit_code == 0, cli.output


def test_a_source_that_comes_with_an_added_item_is_told_with_it(example: Path) -> None:
    _replace(
        example / "program.yaml",
        "      - Skicka ett välkomstmeddelande.\n",
        "      - Skicka ett välkomstmeddelande.\n  - id: uppfoljning\n    title: Uppföljning\n"
        "    source: package\n    steps:\n      - Boka ett samtal.\n",
    )
    [change] = _changes(example)
    assert (change.rule.id, change.path) == ("element-added", (("phase", "uppfoljning"),))
    assert change.words == [("+", "Uppföljning Boka ett samtal.")]


def test_emergency_texts_are_safety_by_their_words_not_their_links(example: Path) -> None:
    step = example / "modules" / "kom-igang.yaml"
    _replace(step, "[1177](https://www.1177.se)", "[1177](https://www.1177.se/somn)")
    [target] = _changes(example)
    assert (target.rule.id, target.change_class) == ("text-changed", "wording")
    assert ("-", "[1177](https://www.1177.se).") in (target.words or [])  # as written
    _replace(step, "Läs mer på [1177]", "Läs gärna mer på [1177]")
    [words] = _changes(example)
    assert (words.rule.id, words.change_class) == ("emergency-text-changed", "safety")


def test_the_platform_s_name_is_no_emergency_number_and_a_heading_no_sentence_of_the_next(
    example: Path,
) -> None:
    _replace(
        example / "modules" / "grunder.yaml",
        "body: Lite text om grunderna.",
        "body: |\n          ## Ring 112 vid fara\n\n"
        "          Allt finns i 1177 Stöd och behandling. Lite text om grunderna.",
    )
    base = example.parent / "base"
    shutil.copytree(example, base)
    _replace(
        example / "modules" / "grunder.yaml",
        "Allt finns i 1177",
        "Allt du behöver finns i 1177",
    )
    [change] = _changes(example, base)
    assert (change.rule.id, change.change_class) == ("text-changed", "wording")


def test_a_tel_link_s_number_is_part_of_an_emergency_sentence(example: Path) -> None:
    step = example / "modules" / "kom-igang.yaml"
    _replace(step, "Här börjar du.", "Här börjar du. Vid fara, ring [112](tel:112).")
    base = example.parent / "base"
    shutil.copytree(example, base)
    _replace(step, "[112](tel:112)", "[112](tel:113)")
    [change] = _changes(example, base)
    assert (change.rule.id, change.change_class) == ("emergency-text-changed", "safety")


def test_risks_are_safety_by_their_words(example: Path) -> None:
    program = example / "program.yaml"
    risks = (
        "risks:\n  - risk: Patienten mår sämre.\n"
        "    action: Ring patienten samma dag, se [rutinen](https://region.example.se/rutin).\n"
        "retention:\n"
    )
    _replace(program, "retention:\n", risks)
    base = example.parent / "base"
    shutil.copytree(example, base)
    _replace(program, "Ring patienten samma dag", "Skriv till patienten")
    [reworded] = _changes(example, base)
    assert (reworded.rule.id, reworded.change_class) == ("risk-changed", "safety")
    shutil.rmtree(example)
    shutil.copytree(base, example)
    _replace(program, "example.se/rutin)", "example.se/rutiner)")
    [link] = _changes(example, base)
    assert (link.rule.id, link.change_class) == ("text-changed", "wording")


def test_a_rename_changes_nothing_that_names_the_renamed_element(example: Path) -> None:
    """A form, a module, a question and an option value renamed with renamed_from: each is told
    once, and the flags, plans, steps, modules, totals and enable_when naming them are not."""
    forms = example / "forms"
    (forms / "veckologg.yaml").rename(forms / "vecka.yaml")
    _replace(
        forms / "vecka.yaml", "title: Veckologg\n", "renamed_from: veckologg\ntitle: Veckologg\n"
    )
    program = example / "program.yaml"
    for text in ("form: veckologg}", "    form: veckologg\n"):
        _replace(program, text, text.replace("veckologg", "vecka"))
    _replace(example / "modules" / "fordjupning.yaml", "[veckologg]", "[vecka]")
    (example / "modules" / "grunder.yaml").rename(example / "modules" / "basen.yaml")
    _replace(program, "  - grunder\n", "  - basen\n")
    _replace(
        example / "modules" / "basen.yaml",
        "title: Grunder\n",
        "renamed_from: grunder\ntitle: Grunder\n",
    )
    _replace(
        program,
        "module: grunder}",
        "module: basen}",
    ) if False else None
    for text in (
        "{type: module_started, module: grunder}",
        "{type: module_completed, module: grunder}",
    ):
        _replace(program, text, text.replace("grunder", "basen"))
    _replace(example / "modules" / "kom-igang.yaml", "(module:grunder)", "(module:basen)")
    fragor = forms / "fragor.yaml"
    _replace(fragor, "  - id: mar-du-bra\n", "  - id: mar-du\n    renamed_from: mar-du-bra\n")
    _replace(fragor, "{value: no, label: Nej}", "{value: nej, label: Nej, renamed_from: no}")
    _replace(fragor, "{question: mar-du-bra, equals: no}", "{question: mar-du, equals: nej}")
    changes = _changes(example)
    assert sorted((c.rule.id, c.path[-1]) for c in changes) == [
        ("element-renamed", ("form", "vecka")),
        ("element-renamed", ("module", "basen")),
        ("element-renamed", ("question", "mar-du")),
        ("option-value-changed", ("option", "nej")),
    ]


def test_checklists_guide_sections_and_choices_show_their_words_without_ids(
    example: Path,
) -> None:
    program = example / "program.yaml"
    _replace(
        program,
        "tracks:\n  - id: spar-a\n",
        "guide_sections:\n  - id: inloggning-for-invanare\n    title: Inloggning för invånare\n"
        "    body: Via startsidan.\ntracks:\n  - id: spar-a\n",
    )
    base = example.parent / "base"
    shutil.copytree(example, base)
    [added] = _changes(base)
    assert added.words == [("+", "Inloggning för invånare Via startsidan.")]  # no id in it
    _replace(program, "    body: Via startsidan.\n", "    body: Via startsidan eller appen.\n")
    _replace(
        program,
        "          - title: Tid för första uppföljningen är bokad\n",
        "          - title: Tid för första uppföljningen är bokad\n"
        "  - id: avslut\n    title: Vid avslut\n    items:\n      - title: Gallring är beställd\n",
    )
    _replace(program, "label: Att slappna av", "label: Att slappna av på kvällen")
    by_path = {c.path: c for c in _changes(example, base)}
    section = by_path[(("guide_section", "inloggning-for-invanare"),)]
    assert section.rule.id == "text-changed"
    assert section.words == [("=", "Via"), ("-", "startsidan."), ("+", "startsidan eller appen.")]
    checklist = by_path[(("checklist", "avslut"),)]
    assert (checklist.rule.id, checklist.words) == (
        "element-added",
        [("+", "Vid avslut Gallring är beställd")],
    )
    choice = by_path[(("module_choice", "val-av-fordjupning"), ("choice_option", "avslappning"))]
    assert choice.rule.id == "text-changed"
    assert ("+", "på kvällen") in (choice.words or [])


def test_old_and_new_values_in_every_format(example: Path) -> None:
    _replace(example / "program.yaml", "days: 7}", "days: 14}")
    runner = CliRunner()
    base = ["diff", str(EXAMPLE), str(example), "--version-policy", "off", "--format"]
    assert re.search(r"\n +days: 7 → 14\n", runner.invoke(main, [*base, "text"]).output)
    assert "  - days: 7 → 14" in runner.invoke(main, [*base, "markdown"]).output
    github = runner.invoke(main, [*base, "github"]).output
    assert "%0Adays: 7 → 14" in github  # the annotation's message, its newline escaped
    [change] = json.loads(runner.invoke(main, [*base, "json"]).output)["changes"]
    assert (change["old"]["days"], change["new"]["days"], change["implied"]) == (7, 14, [])


def test_a_form_no_longer_scored_is_one_scoring_change_its_scores_the_detail(
    example: Path,
) -> None:
    form = example / "forms" / "mabra.yaml"
    text = form.read_text("utf-8")
    text = text[: text.index("scoring:")] + text[text.index("\nquestions:\n") + 1 :]
    form.write_text(re.sub(r", score: \d", "", text), "utf-8")
    changes = {c.field: c for c in _changes(example) if c.path == (("form", "mabra"),)}
    scoring = changes["scoring"]
    assert (scoring.rule.id, scoring.new) == ("form-scoring-changed", None)
    assert sorted({(i.rule.id, i.path[-2][1]) for i in scoring.implied}) == [
        ("form-scoring-changed", "glad"),
        ("form-scoring-changed", "orolig"),
    ]
    assert len(scoring.implied) == 8  # the four options' scores of both questions


def test_what_counts_as_a_sentence_naming_an_emergency_number() -> None:
    """112 and 1177 as words of their own, and the number a tel: link calls; not the platform's
    name, not a web address; a heading is a sentence of its own."""
    text = (
        "## Ring 112 vid fara\n\nAllt finns i 1177 Stöd och behandling. Logga in på 1177.se "
        "eller sob.1177.se. Vid frågor, [ring oss](tel:1177). Ring 1177 Vårdguiden för råd."
    )
    assert emergency_sentences(text) == [
        "Ring 112 vid fara",
        "Vid frågor, ring oss (tel 1177).",
        "Ring 1177 Vårdguiden för råd.",
    ]
