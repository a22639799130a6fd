"""site.yaml beside the program folders: the catalogue page in the region's look, its
contrast and logo checked with file:line, and the build's catalogue kept up to date with it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sobc.check.media import LOGO_LIMIT
from sobc.check.validation import validate
from sobc.package.build import build
from sobc.runtime.layout import ASSET_DIR, CATALOGUE

from .conftest import EXAMPLE
from .test_theme import _png

SITE = 'theme:\n  name: Region Provsajt\n  logo: media/logo.png\n  colours: {brand: "#204060"}\n'


@pytest.fixture
def programs(tmp_path: Path) -> Path:
    folder = tmp_path / "programs"
    shutil.copytree(EXAMPLE, folder / "example")
    (folder / "media").mkdir()
    (folder / "media" / "logo.png").write_bytes(_png())
    (folder / "site.yaml").write_text(SITE, "utf-8")
    return folder


def test_the_catalogue_takes_the_site_s_name_logo_and_colours(
    programs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert build([programs], out).ok
    catalogue = (out / CATALOGUE).read_text("utf-8")
    assert "Region Provsajt" in catalogue
    logos = list((out / ASSET_DIR).glob("logo.*.png"))
    sheets = list((out / ASSET_DIR).glob("theme.*.css"))
    assert len(logos) == 1 and logos[0].read_bytes() == _png()
    assert len(sheets) == 1 and "#204060" in sheets[0].read_text("utf-8")
    assert f'src="{ASSET_DIR}/{logos[0].name}"' in catalogue
    assert f'href="{ASSET_DIR}/{sheets[0].name}"' in catalogue
    # the program's own pages keep its own look: no site colours in its package
    assert "Region Provsajt" not in (out / "example" / "index.html").read_text("utf-8")
    assert not list((out / "example").rglob("logo.*"))


def test_a_changed_site_file_rewrites_only_the_catalogue(programs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([programs], out)
    again = build([programs], out)
    assert again.ok and again.rebuilt == []
    (programs / "site.yaml").write_text(SITE.replace("Region Provsajt", "Region Annan"), "utf-8")
    changed = build([programs], out)
    assert changed.ok and changed.rebuilt == []  # no package was compiled again
    assert "Region Annan" in (out / CATALOGUE).read_text("utf-8")
    single = build([programs / "example"], out)  # a single program beside the same site file
    assert single.ok and "Region Annan" in (out / CATALOGUE).read_text("utf-8")


@pytest.mark.parametrize(
    ("site", "code", "line"),
    [
        (SITE.replace("#204060", "#b0c4de"), "SOBC380", 4),  # too light behind white text
        (SITE.replace("media/logo.png", "media/saknas.png"), "SOBC310", 3),
        (SITE.replace("media/logo.png", "../logo.png"), "SOBC105", 3),  # not under media/
        (SITE + "colour: red\n", "SOBC101", 5),
    ],
)
def test_site_problems_are_reported_at_their_line_and_stop_the_build(
    programs: Path, tmp_path: Path, site: str, code: str, line: int
) -> None:
    (programs / "site.yaml").write_text(site, "utf-8")
    found = validate([programs / "example"]).diagnostics
    where = {(d.code, Path(d.location.path).name, d.location.line) for d in found if d.location}
    assert where == {(code, "site.yaml", line)}
    out = tmp_path / "out"
    result = build([programs], out)
    assert not result.ok and not out.exists()


def test_a_logo_that_is_not_an_image_is_not_published(programs: Path, tmp_path: Path) -> None:
    (programs / "media" / "logo.png").write_text("<svg onload=alert(1)>", "utf-8")
    found = validate([programs / "example"]).diagnostics
    assert [d.code for d in found] == ["SOBC322"]
    assert not build([programs], tmp_path / "out").ok


def test_a_logo_path_with_a_nul_character_is_a_problem(programs: Path, tmp_path: Path) -> None:
    site = (programs / "site.yaml").read_text("utf-8")
    (programs / "site.yaml").write_text(site.replace("media/logo.png", '"media/lo\\0go.png"'))
    (found,) = validate([programs / "example"]).diagnostics
    assert (found.code, found.location and found.location.line) == ("SOBC325", 3)
    assert not build([programs], tmp_path / "out").ok


def test_programs_from_different_folders_take_no_site_file(programs: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "andra"
    shutil.copytree(EXAMPLE, other)
    data = (other / "program.yaml").read_text("utf-8").replace("id: example", "id: andra")
    (other / "program.yaml").write_text(data, "utf-8")
    out = tmp_path / "out"
    assert build([programs / "example", other], out).ok
    assert "Region Provsajt" not in (out / CATALOGUE).read_text("utf-8")
    assert json.loads((out / "example" / "manifest.json").read_text("utf-8"))["program"]


def test_a_site_logo_larger_than_a_logo_is_not_published(programs: Path, tmp_path: Path) -> None:
    with (programs / "media" / "logo.png").open("r+b") as logo:
        logo.truncate(LOGO_LIMIT + 1)
    (found,) = validate([programs / "example"]).diagnostics
    assert found.code == "SOBC322" and f"larger than {LOGO_LIMIT:,}" in found.message
    assert not build([programs], tmp_path / "out").ok
