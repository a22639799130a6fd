"""`sobc new` through click's CliRunner: what each kind writes validates, a new module is added to
program.yaml in place, and nothing is ever overwritten."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from click.testing import CliRunner, Result

from sobc.cli import main
from sobc.kinds.questions import QUESTION_TYPES
from sobc.read.loader import load
from sobc.read.source import parse_bytes


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def new(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(main, ["new", *args])


def validate(runner: CliRunner, folder: Path, *options: str) -> Result:
    return runner.invoke(main, ["validate", *options, str(folder)])


def files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def program(runner: CliRunner, tmp_path: Path) -> Path:
    result = new(runner, "program", "min-plan", "--in", str(tmp_path / "programs"))
    assert result.exit_code == 0, result.output
    return tmp_path / "programs" / "min-plan"


def test_new_program_writes_a_folder_that_validates_strictly(
    runner: CliRunner, program: Path
) -> None:
    assert files(program) == [
        "forms",
        "forms/om-dig.yaml",
        "media",
        "modules",
        "modules/kom-igang.yaml",
        "program.yaml",
    ]
    checked = validate(runner, program, "--strict")
    assert checked.exit_code == 0, checked.output
    assert "no problems" in checked.output


def test_new_program_says_what_it_wrote_and_what_comes_next(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = new(runner, "program", "min-plan", "--in", str(tmp_path))
    root = tmp_path / "min-plan"
    assert f"wrote {root / 'program.yaml'}" in result.output
    assert f"wrote {root / 'media'}/" in result.output
    assert f"sobc validate --strict {root}" in result.output
    assert f"sobc serve {root}" in result.output


def test_program_yaml_shows_each_section_as_an_example(program: Path) -> None:
    text = (program / "program.yaml").read_text("utf-8")
    for key in ("tracks", "flags", "activity_plans", "support", "way_of_working", "checklists"):
        assert f"\n# {key}:\n" in text, key
    for key in ("roles", "modules", "retention"):
        assert re.search(rf"^{key}:", text, re.MULTILINE), key


def uncomment_examples(path: Path) -> None:
    """Every commented example line of a written file turned into YAML (prose stays comment)."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    example = re.compile(r"^(\s*)# (?=[a-z_]+:|\s|- )")
    path.write_text("".join(lines[:1] + [example.sub(r"\1", line) for line in lines[1:]]), "utf-8")


def test_the_commented_examples_validate_once_uncommented(runner: CliRunner, program: Path) -> None:
    for written in ("program.yaml", "modules/kom-igang.yaml", "forms/om-dig.yaml"):
        uncomment_examples(program / written)
    (program / "media" / "film.vtt").write_text("WEBVTT\n\n", "utf-8")  # the video's captions
    (program / "media" / "ljud.md").write_text("Vad som sägs.\n", "utf-8")  # the transcript
    assert new(runner, "module", "nasta-modul", "--in", str(program)).exit_code == 0
    text = (program / "program.yaml").read_text("utf-8")
    assert "\ntracks:\n" in text and "\nflags:\n" in text and "\nactivity_plans:\n" in text
    checked = validate(runner, program, "--strict")
    assert checked.exit_code == 0, checked.output
    loaded = load(program).program
    form = loaded.form("om-dig") if loaded else None
    assert form is not None and form.scoring is not None and form.instrument is not None
    assert {q.type for q in form.questions} == set(QUESTION_TYPES)  # every type has an example


def editor_line(path: Path) -> str:
    first = path.read_text("utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    return first.removeprefix("# yaml-language-server: $schema=")


def test_editor_line_is_relative_inside_a_repository_layout(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "program.schema.json").write_text("{}", "utf-8")
    new(runner, "program", "min-plan", "--in", str(tmp_path / "programs"))
    root = tmp_path / "programs" / "min-plan"
    assert editor_line(root / "program.yaml") == "../../schema/program.schema.json"
    assert editor_line(root / "modules" / "kom-igang.yaml") == "../../../schema/module.schema.json"
    assert editor_line(root / "forms" / "om-dig.yaml") == "../../../schema/form.schema.json"


def test_editor_line_names_sobcs_own_schemas_elsewhere(program: Path) -> None:
    for written, schema in (("program.yaml", "program"), ("forms/om-dig.yaml", "form")):
        url = urlparse(editor_line(program / written))
        assert url.scheme == "file"
        assert Path(unquote(url.path)).name == f"{schema}.schema.json"
        assert Path(unquote(url.path)).is_file()


def test_new_module_is_written_and_added_to_the_list_in_place(
    runner: CliRunner, program: Path
) -> None:
    listing = program / "program.yaml"
    before = listing.read_bytes().replace(
        b"modules:\n  - kom-igang\n",
        b"modules:\n  # in the order patients see them\n  - kom-igang   # first\n\n",
    )
    listing.write_bytes(before)
    result = new(runner, "module", "andra", "--in", str(program))
    assert result.exit_code == 0, result.output
    assert listing.read_bytes() == before.replace(
        b"  - kom-igang   # first\n", b"  - kom-igang   # first\n  - andra\n"
    )
    assert (program / "modules" / "andra.yaml").is_file()
    assert f"changed {listing}" in result.output
    assert validate(runner, program, "--strict").exit_code == 0


def test_new_module_in_the_example_keeps_every_other_byte(runner: CliRunner, example: Path) -> None:
    listing = example / "program.yaml"
    before = listing.read_bytes()
    result = new(runner, "module", "nytt", "--in", str(example))
    assert result.exit_code == 0, result.output
    assert listing.read_bytes() == before.replace(
        b"  - skiftsomn\n", b"  - skiftsomn\n  - nytt\n", 1
    )
    checked = validate(runner, example, "--strict")
    assert checked.exit_code == 0, checked.output


@pytest.mark.parametrize(
    ("modules", "expected"),
    [
        (b"modules: [kom-igang]\n", b"modules: [kom-igang, andra]\n"),
        (b"modules: ['kom-igang']  # x\n", b"modules: ['kom-igang', andra]  # x\n"),
        (b'modules:\n- "kom-igang"\n', b'modules:\n- "kom-igang"\n- andra\n'),
        (b"modules:\r\n  - kom-igang\r\n", b"modules:\r\n  - kom-igang\r\n  - andra\r\n"),
    ],
)
def test_new_module_follows_the_lists_own_style(
    runner: CliRunner, program: Path, modules: bytes, expected: bytes
) -> None:
    listing = program / "program.yaml"
    before = listing.read_bytes()
    listing.write_bytes(before.replace(b"modules:\n  - kom-igang\n", modules))
    assert new(runner, "module", "andra", "--in", str(program)).exit_code == 0
    assert listing.read_bytes() == before.replace(b"modules:\n  - kom-igang\n", expected)


def test_new_module_at_the_end_of_a_file_without_a_last_newline(
    runner: CliRunner, program: Path
) -> None:
    listing = program / "program.yaml"
    text = listing.read_text("utf-8").replace("modules:\n  - kom-igang\n", "")
    listing.write_text(text + "modules:\n  - kom-igang", "utf-8")
    assert new(runner, "module", "andra", "--in", str(program)).exit_code == 0
    assert listing.read_text("utf-8") == text + "modules:\n  - kom-igang\n  - andra\n"


def test_edited_program_yaml_reads_alike_in_sobcs_reader(runner: CliRunner, program: Path) -> None:
    new(runner, "module", "andra", "--in", str(program))
    document, problems = parse_bytes((program / "program.yaml").read_bytes(), "program.yaml")
    assert problems == []
    assert document is not None
    assert document.data["modules"] == ["kom-igang", "andra"]


def test_new_form_validates_and_says_how_to_use_it(runner: CliRunner, program: Path) -> None:
    result = new(runner, "form", "veckologg", "--in", str(program))
    assert result.exit_code == 0, result.output
    assert "forms: [veckologg]" in result.output
    assert "SOBC312" in result.output
    lenient = validate(runner, program)
    assert lenient.exit_code == 0, lenient.output
    assert "SOBC312" in lenient.output
    assert validate(runner, program, "--strict").exit_code == 1
    module = program / "modules" / "kom-igang.yaml"
    module.write_text(
        module.read_text("utf-8").replace("forms: [om-dig]", "forms: [om-dig, veckologg]"),
        "utf-8",
    )
    checked = validate(runner, program, "--strict")
    assert checked.exit_code == 0, checked.output


def test_a_title_made_from_the_id_is_said_to_be_so_and_one_given_is_kept(
    runner: CliRunner, program: Path
) -> None:
    made = new(runner, "module", "kvall", "--in", str(program))
    assert made.exit_code == 0, made.output
    assert "note: the title 'Kvall' is made from the id, which has no å, ä or ö" in made.output
    given = new(runner, "form", "somn", "--in", str(program), "--title", "Sömn: hur går det?")
    assert given.exit_code == 0, given.output
    assert "made from the id" not in given.output
    assert '\ntitle: "Sömn: hur går det?"\n' in (program / "forms" / "somn.yaml").read_text("utf-8")
    loaded = load(program).program
    form = loaded.form("somn") if loaded else None
    assert loaded is not None and form is not None and form.title == "Sömn: hur går det?"
    assert [m.title for m in loaded.modules] == ["Kom igång", "Kvall"]
    empty = new(runner, "form", "tom", "--in", str(program), "--title", " ")
    assert empty.exit_code == 2 and "--title is empty" in empty.output
    assert not (program / "forms" / "tom.yaml").exists()


def test_new_takes_quiet_verbose_and_color(runner: CliRunner, tmp_path: Path) -> None:
    quiet = new(runner, "program", "tyst", "--in", str(tmp_path), "-q")
    assert quiet.exit_code == 0 and quiet.output == ""
    assert (tmp_path / "tyst" / "program.yaml").is_file()
    verbose = new(runner, "form", "mer", "--in", str(tmp_path / "tyst"), "-v")
    assert f"wrote {(tmp_path / 'tyst' / 'forms' / 'mer.yaml').resolve()}" in verbose.output
    refused = new(runner, "form", "mer", "--in", str(tmp_path / "tyst"), "-q", "--color")
    assert refused.exit_code == 2
    assert "\x1b[31m" in refused.output and "already exists" in refused.output
    plain = new(runner, "form", "mer", "--in", str(tmp_path / "tyst"), "--no-color")
    assert plain.output.startswith("error: ")


@pytest.mark.parametrize("bad", ["Stress", "-stress", "stress_2", "övning", "a" * 65, ""])
@pytest.mark.parametrize("kind", ["program", "module", "form"])
def test_invalid_ids_are_refused(runner: CliRunner, example: Path, kind: str, bad: str) -> None:
    before = files(example.parent)
    folder = example if kind != "program" else example.parent
    result = new(runner, kind, "--in", str(folder), "--", bad)  # "--": "-stress" is no option
    assert result.exit_code == 2
    assert f"'{bad}' is not a valid {kind} id" in result.output
    assert files(example.parent) == before


def test_an_id_of_64_characters_is_fine(runner: CliRunner, example: Path) -> None:
    assert new(runner, "form", "a" * 64, "--in", str(example)).exit_code == 0


@pytest.mark.parametrize(
    ("kind", "new_id", "path"),
    [
        ("module", "grunder", "program.yaml"),  # listed (and its file exists)
        ("form", "fragor", "forms/fragor.yaml"),
    ],
)
def test_existing_ids_are_refused(
    runner: CliRunner, example: Path, kind: str, new_id: str, path: str
) -> None:
    before = {name: (example / name).read_bytes() for name in ("program.yaml", path)}
    result = new(runner, kind, new_id, "--in", str(example))
    assert result.exit_code == 2
    assert "already" in result.output
    assert {name: (example / name).read_bytes() for name in before} == before


def test_a_listed_module_without_a_file_is_refused(runner: CliRunner, example: Path) -> None:
    (example / "modules" / "grunder.yaml").unlink()
    result = new(runner, "module", "grunder", "--in", str(example))
    assert result.exit_code == 2
    assert "module 'grunder' is already listed" in result.output
    assert not (example / "modules" / "grunder.yaml").exists()


def test_an_unlisted_module_file_is_never_overwritten(runner: CliRunner, example: Path) -> None:
    stray = example / "modules" / "extra.yaml"
    stray.write_text("title: Mine\n", "utf-8")
    before = (example / "program.yaml").read_bytes()
    result = new(runner, "module", "extra", "--in", str(example))
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert stray.read_text("utf-8") == "title: Mine\n"
    assert (example / "program.yaml").read_bytes() == before


def test_an_existing_program_folder_is_refused(runner: CliRunner, program: Path) -> None:
    (program / "program.yaml").write_text("mine\n", "utf-8")
    result = new(runner, "program", "min-plan", "--in", str(program.parent))
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert (program / "program.yaml").read_text("utf-8") == "mine\n"


def test_module_and_form_need_a_program_folder(runner: CliRunner, tmp_path: Path) -> None:
    for kind in ("module", "form"):
        result = new(runner, kind, "stress", "--in", str(tmp_path))
        assert result.exit_code == 2
        assert "is not a program folder" in result.output
    assert files(tmp_path) == []


def test_a_program_is_not_made_inside_another(runner: CliRunner, example: Path) -> None:
    result = new(runner, "program", "inne", "--in", str(example))
    assert result.exit_code == 2
    assert "is a program folder" in result.output
    assert not (example / "inne").exists()


def test_without_in_a_program_goes_in_programs_and_a_form_in_this_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert new(runner, "program", "min-plan").exit_code == 0
    program = tmp_path / "programs" / "min-plan"
    assert (program / "program.yaml").is_file()
    monkeypatch.chdir(program)
    result = new(runner, "form", "veckologg")
    assert result.exit_code == 0, result.output
    assert "wrote forms/veckologg.yaml" in result.output
    assert (program / "forms" / "veckologg.yaml").is_file()


# ---- writing all of it or nothing (sobc/new/writing.py)


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry below the folder (hidden ones too) with a file's bytes."""
    return {
        str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes()
        for p in sorted(folder.rglob("*"))
    }


def _full_disk_at(monkeypatch: pytest.MonkeyPatch, call: int) -> None:
    """The disk fills up at the `call`-th file flushed."""
    real, calls = os.fsync, []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == call:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


def test_a_full_disk_leaves_program_yaml_and_the_modules_as_they_were(
    runner: CliRunner, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(example)
    _full_disk_at(monkeypatch, 2)  # the module is written, then program.yaml's new text fails
    result = new(runner, "module", "ny-modul", "--in", str(example))
    assert result.exit_code == 2 and "No space left on device" in result.output
    assert "nothing was written" in result.output and result.exception is not None
    assert _snapshot(example) == before  # no module, no temporary file, program.yaml whole


def test_a_new_program_that_cannot_be_written_leaves_no_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _full_disk_at(monkeypatch, 3)
    result = new(runner, "program", "min-plan", "--in", str(tmp_path / "programs"))
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


def test_program_yaml_put_in_place_last_and_the_module_taken_back_when_that_fails(
    runner: CliRunner, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(example)

    def refused(*args: object) -> None:
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refused)
    result = new(runner, "module", "ny-modul", "--in", str(example))
    assert result.exit_code == 2 and "Permission denied" in result.output
    assert _snapshot(example) == before


def test_a_read_only_program_yaml_is_refused(runner: CliRunner, example: Path) -> None:
    (example / "program.yaml").chmod(0o444)
    before = _snapshot(example)
    result = new(runner, "module", "ny-modul", "--in", str(example))
    assert result.exit_code == 2 and "program.yaml is read-only" in result.output
    assert _snapshot(example) == before


def test_program_yaml_that_is_not_utf8_is_a_plain_error(runner: CliRunner, example: Path) -> None:
    listing = example / "program.yaml"
    listing.write_bytes(listing.read_bytes() + "# författare: Åsa\n".encode("latin-1"))
    before = _snapshot(example)
    result = new(runner, "module", "ny-modul", "--in", str(example))
    assert result.exit_code == 2 and "is not UTF-8 text (line" in result.output
    assert "Traceback" not in result.output and _snapshot(example) == before


@pytest.mark.parametrize("linked", ["program.yaml", "forms", "modules"])
def test_nothing_is_written_through_a_link(
    runner: CliRunner, example: Path, tmp_path: Path, linked: str
) -> None:
    elsewhere = tmp_path / "elsewhere"
    (example / linked).rename(elsewhere)
    (example / linked).symlink_to(elsewhere, target_is_directory=elsewhere.is_dir())
    outside, inside = _snapshot(elsewhere) if elsewhere.is_dir() else None, _snapshot(example)
    before = elsewhere.read_bytes() if elsewhere.is_file() else None
    kind = "form" if linked == "forms" else "module"
    result = new(runner, kind, "ny", "--in", str(example))
    assert result.exit_code == 2, result.output
    assert "symbolic link" in result.output
    assert _snapshot(example) == inside
    if elsewhere.is_dir():
        assert _snapshot(elsewhere) == outside
    else:
        assert elsewhere.read_bytes() == before
