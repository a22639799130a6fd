"""A region's theme: WCAG contrast of its colours at build time, and its name, logo and colours on
every page of the package."""

from __future__ import annotations

import json
import re
import struct
import zlib
from pathlib import Path

import pytest

from sobc.check.media import LOGO_LIMIT
from sobc.check.theme import DEFAULTS, PAIRS, colours, contrast, shortfalls, stylesheet
from sobc.model.program import Ref, Theme
from sobc.package.build import build
from sobc.read.loader import load

from .conftest import ROOT

SCSS_THEME = ROOT / "design" / "scss" / "_theme.scss"


def _png() -> bytes:
    """A 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def _theme(**given: str) -> Theme:
    return Theme(Ref(None), colours=tuple(given.items()))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("one", "other", "ratio"),
    [("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#767676", "#ffffff", 4.54)],
)
def test_contrast_is_wcag_s(one: str, other: str, ratio: float) -> None:
    assert contrast(one, other) == pytest.approx(ratio, abs=0.01)
    assert contrast(other, one) == pytest.approx(ratio, abs=0.01)


def test_the_defaults_are_the_compiled_theme_and_pass_every_pair() -> None:
    scss = SCSS_THEME.read_text(encoding="utf-8")
    compiled = dict(re.findall(r"^\$sobc-([a-z-]+): (#[0-9a-f]{6});", scss, re.M))
    names = {"brand": "brand", "text": "text", "page": "page", "link": "link"}
    names["link_visited"] = "link-visited"
    for key, name in names.items():
        assert compiled[name] == DEFAULTS[key], key
    every = colours(None)
    for pair in PAIRS:
        fore, back = every.get(pair.fore, "#ffffff"), every.get(pair.back, "#ffffff")
        assert contrast(fore, back) >= pair.minimum, pair


def test_only_pairs_with_the_theme_s_own_colours_are_reported() -> None:
    assert shortfalls(_theme()) == []
    assert shortfalls(_theme(brand="#0b3d2e", link="#0b3d2e")) == []
    found = shortfalls(_theme(link="#8ab4f8"))
    assert {(s.pair.fore, s.pair.back, s.key) for s in found} == {
        ("link", "page", "link"),
        ("link", "white", "link"),
    }
    assert all(s.ratio < 4.5 for s in found)


def test_the_style_sheet_carries_every_colour_and_the_button_shades() -> None:
    assert stylesheet(None) is None and stylesheet(_theme()) is None
    sheet = (stylesheet(_theme(brand="#204060")) or b"").decode()
    assert "--sobc-brand:#204060;" in sheet and "--sobc-link:#1a5c99;" in sheet
    assert "--sobc-brand-dark:#102030;" in sheet  # half way to black


def test_a_themed_package_shows_the_region_and_its_colours(example: Path, tmp_path: Path) -> None:
    (example / "media" / "logo.png").write_bytes(_png())
    program = example / "program.yaml"
    text = program.read_text(encoding="utf-8").replace(
        "\nretention:",
        '\ntheme:\n  name: Region Exempel\n  logo: media/logo.png\n  colours: {brand: "#204060"}'
        "\nretention:",
        1,
    )
    program.write_text(text, encoding="utf-8")
    loaded = load(example)
    assert loaded.program is not None and loaded.program.theme is not None, loaded.diagnostics
    out = tmp_path / "out"
    result = build([example], out)
    assert not result.diagnostics, result.diagnostics
    package = out / "example"
    sheets = list((package / "_assets").glob("theme.*.css"))
    assert len(sheets) == 1 and "--sobc-brand:#204060;" in sheets[0].read_text(encoding="utf-8")
    step = (package / "grunder" / "fragor.html").read_text(encoding="utf-8")
    assert f'href="../_assets/{sheets[0].name}"' in step
    assert '<img class="site-logo" src="../_media/logo.png" alt="Region Exempel"' in step
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    listed = json.dumps(manifest)
    assert f"_assets/{sheets[0].name}" in listed and "_media/logo.png" in listed


def test_a_logo_larger_than_a_logo_is_not_published(example: Path, tmp_path: Path) -> None:
    """A logo is read whole to be published: one of 300 MB once took 660 MB of memory."""
    with (example / "media" / "logo.png").open("wb") as logo:
        logo.write(_png())
        logo.truncate(LOGO_LIMIT + 1)  # sparse: quick to make
    program = example / "program.yaml"
    theme = (
        '\ntheme:\n  name: Region Exempel\n  logo: media/logo.png\n  colours: {brand: "#204060"}'
    )
    program.write_text(program.read_text("utf-8").replace("\nretention:", theme + "\nretention:"))
    result = build([example], tmp_path / "out")
    (problem,) = result.diagnostics
    assert problem.code == "SOBC322" and f"larger than {LOGO_LIMIT:,}" in problem.message
    assert not (tmp_path / "out").exists()
