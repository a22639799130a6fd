"""The manifest: valid against its schema for every program, and `load` verifies every file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from sobc import manifest
from sobc.build import build
from sobc.resources import schema_dir
from sobc.schema import validator

from .conftest import EXAMPLE, PROGRAMS


def _program_dirs() -> list[Path]:
    if not PROGRAMS.is_dir():
        return []
    return sorted(p for p in PROGRAMS.iterdir() if (p / "program.yaml").is_file())


@pytest.fixture
def built(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    assert build([EXAMPLE], out).ok
    return out / "example"


def test_schema_is_a_valid_schema() -> None:
    schema = json.loads((schema_dir() / "manifest.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("folder", [EXAMPLE, *_program_dirs()], ids=lambda p: p.name)
def test_manifest_validates(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build([folder], out, keep=True)
    assert result.ok, [str(d) for d in result.diagnostics]
    programs = result.compiled
    data = json.loads((out / folder.name / "manifest.json").read_text())
    errors = list(validator("manifest").iter_errors(data))
    assert errors == []
    loaded = manifest.load(out / folder.name)
    assert loaded.program.id == programs[0].id
    assert [m.id for m in loaded.modules] == [m.id for m in programs[0].modules]


def test_load_returns_typed_objects(built: Path) -> None:
    m = manifest.load(built / "manifest.json")
    assert m.format_version == manifest.FORMAT_VERSION
    assert m.compiler.name == "sobc"
    grunder = m.module("grunder")
    assert grunder is not None
    assert [s.number for s in grunder.steps] == ["01.1", "01.2", "01.3", None]
    assert grunder.steps[2].page == "grunder/fragor.html"
    film = grunder.steps[1].media
    assert film is not None and film.captions == "_media/film.vtt"
    form = m.form("fragor")
    assert form is not None
    varfor = form.questions[1]
    assert varfor.enable_when is not None and varfor.enable_when.values == ("no",)
    former = form.questions[2]
    assert (former.answer, former.min_selections, former.max_selections) == ("choices", 1, 3)
    assert isinstance(form.questions[3].min, float)
    assert m.flags[2].trigger.days_before == 3
    assert m.retention.max_days == 730
    paths = [f.path for f in m.files]
    assert paths == sorted(paths) and "manifest.json" not in paths


def test_tampered_file_is_rejected(built: Path) -> None:
    page = built / "grunder" / "fragor.html"
    page.write_text(page.read_text().replace("Skicka", "Skicka till mig"))
    with pytest.raises(manifest.ManifestError) as info:
        manifest.load(built)
    assert any(p.startswith("grunder/fragor.html:") for p in info.value.problems)
    assert "changed" in str(info.value)


def test_missing_file_is_rejected(built: Path) -> None:
    (built / "_media" / "film.vtt").unlink()
    with pytest.raises(manifest.ManifestError, match=r"film\.vtt: the file is missing"):
        manifest.load(built)


def test_unlisted_file_is_rejected(built: Path) -> None:
    (built / "grunder" / "extra.html").write_text("<p>not from the build</p>")
    with pytest.raises(manifest.ManifestError, match=r"grunder/extra\.html: a file the manifest"):
        manifest.load(built)


def test_invalid_manifest_is_rejected(built: Path) -> None:
    path = built / "manifest.json"
    data = json.loads(path.read_text())
    data["files"][0]["path"] = "../../etc/passwd"
    del data["retention"]
    path.write_text(json.dumps(data))
    with pytest.raises(manifest.ManifestError) as info:
        manifest.load(path)
    assert len(info.value.problems) >= 2


def test_unreadable_manifest(tmp_path: Path) -> None:
    with pytest.raises(manifest.ManifestError, match="cannot read"):
        manifest.load(tmp_path)
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(manifest.ManifestError, match="not valid JSON"):
        manifest.load(tmp_path)


def test_a_build_does_not_load_the_reader() -> None:
    """The runtime reader's classes cost start-up time; writing a manifest never needs them."""
    code = (
        "import sys; from sobc.manifest import FILE_NAME, dumps, manifest_data; "
        "print('sobc.manifest_reader' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
    assert manifest.Manifest.__module__ == "sobc.manifest_reader"


def test_the_reader_does_not_load_the_writer() -> None:
    """A runtime that loads packages needs neither the compiler's model nor its renderer."""
    code = "import sys, sobc.manifest_reader; print('sobc.manifest' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
