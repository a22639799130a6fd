"""The publishing rule (docs/security.md): nothing outside the program folder is read or
published, only referenced media of allowed kinds reach the package, under safe names that the
pages, the manifest and the runtime loader agree on; special files never hang a run."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
import yaml

from sobc import runtime
from sobc.check.validation import validate_program
from sobc.package.build import build
from sobc.runtime.layout import published_path

from .conftest import EXAMPLE

SECRET = "PRIVATE KEY do-not-publish 8f1c"


def _codes(program: Path) -> list[str]:
    _, problems = validate_program(program)
    return [d.code for d in problems]


def _set_captions(example: Path, value: str) -> None:
    path = example / "modules" / "grunder.yaml"
    path.write_text(path.read_text().replace("captions: media/film.vtt", f"captions: {value}"))


def _add_to_body(example: Path, markdown: str) -> None:
    path = example / "modules" / "grunder.yaml"
    data = yaml.safe_load(path.read_text())
    data["sections"][0]["steps"][0]["body"] += "\n\n" + markdown
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def _package_files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


@pytest.fixture
def secrets(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "id_rsa").write_text(SECRET + "\n")
    (folder / "film.vtt").write_text("WEBVTT\n\n" + SECRET + "\n")
    return folder


def test_a_media_folder_that_links_elsewhere_publishes_nothing(
    example: Path, secrets: Path, tmp_path: Path
) -> None:
    real_media = example / "media"
    referenced = sorted(real_media.iterdir())  # the example uses every file of its media
    for file in referenced:
        file.unlink()
    real_media.rmdir()
    (example / "media").symlink_to(secrets, target_is_directory=True)
    assert _codes(example).count("SOBC311") == len(referenced)  # captions, transcript, poster
    out = tmp_path / "out"
    assert not build([example], out).ok
    assert not out.exists()


def test_a_linked_media_file_that_leads_out_is_refused(
    example: Path, secrets: Path, tmp_path: Path
) -> None:
    (example / "media" / "film.vtt").unlink()
    (example / "media" / "film.vtt").symlink_to(secrets / "film.vtt")
    (example / "media" / "id_rsa").symlink_to(secrets / "id_rsa")
    _, problems = validate_program(example)
    assert sorted(d.code for d in problems) == ["SOBC311", "SOBC324"]  # and id_rsa is unused
    assert all(SECRET not in str(d) for d in problems)


def test_a_link_inside_media_is_followed(example: Path, tmp_path: Path) -> None:
    (example / "media" / "undertexter.vtt").symlink_to("film.vtt")
    _set_captions(example, "media/undertexter.vtt")
    out = tmp_path / "out"
    assert build([example], out).ok
    assert (out / "example" / "_media" / "undertexter.vtt").read_bytes() == (
        example / "media" / "film.vtt"
    ).read_bytes()


def test_a_yaml_file_that_links_elsewhere_is_refused_without_showing_it(
    example: Path, secrets: Path
) -> None:
    (example / "forms" / "hemlig.yaml").symlink_to(secrets / "id_rsa")
    _, problems = validate_program(example)
    assert "SOBC001" in [d.code for d in problems]
    assert all(SECRET not in str(d) and "id_rsa" not in str(d) for d in problems)


def test_unreferenced_and_active_files_are_not_published(example: Path, tmp_path: Path) -> None:
    (example / "media" / "evil.html").write_text("<script>alert(1)</script>")
    (example / "media" / "x.svg").write_text('<svg onload="alert(1)"/>')
    assert sorted(_codes(example)) == ["SOBC324", "SOBC324"]  # warnings: not published
    out = tmp_path / "out"
    assert build([example], out).ok
    published = _package_files(out / "example" / "_media")
    assert published == sorted(p.name for p in (EXAMPLE / "media").iterdir())
    listed = json.loads((out / "example" / "manifest.json").read_text())["files"]
    assert not [
        f for f in listed if f["path"].endswith((".html", ".svg")) and "_media" in f["path"]
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("affisch.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("sida.html", b"<html><script>alert(1)</script></html>"),
        ("bild.png", b"<html><script>alert(1)</script></html>"),  # HTML named .png
        ("bild.jpg", b"\x89PNG\r\n\x1a\n"),  # a PNG named .jpg
    ],
)
def test_a_referenced_file_of_the_wrong_kind_is_an_error(
    example: Path, name: str, content: bytes
) -> None:
    (example / "media" / name).write_bytes(content)
    _add_to_body(example, f"![En bild](media/{name})")
    assert _codes(example) == ["SOBC322"]


def test_a_real_image_is_published(example: Path, tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    (example / "media" / "Bild på knät.png").write_bytes(png)
    _add_to_body(example, "![Ett knä](<media/Bild på knät.png>)")
    out = tmp_path / "out"
    assert build([example], out).ok, _codes(example)
    assert (out / "example" / "_media" / "bild-pa-knat.png").read_bytes() == png
    page = (out / "example" / "grunder" / "introduktion.html").read_text()
    assert 'src="../_media/bild-pa-knat.png"' in page


def test_swedish_file_names_are_published_under_names_pages_manifest_and_load_agree_on(
    example: Path, tmp_path: Path
) -> None:
    os.rename(example / "media" / "film.vtt", example / "media" / "Övning 1.vtt")
    _set_captions(example, "media/Övning 1.vtt")
    assert _codes(example) == []
    out = tmp_path / "out"
    assert build([example], out).ok
    assert published_path("media/Övning 1.vtt") == "_media/ovning-1.vtt"
    assert (out / "example" / "_media" / "ovning-1.vtt").is_file()
    page = (out / "example" / "grunder" / "film.html").read_text()
    assert 'src="../_media/ovning-1.vtt"' in page
    loaded = runtime.load(out / "example")
    steps = [s for m in loaded.modules for section in m.sections for s in section.steps]
    captions = [s.media.captions for s in steps if s.media]
    assert "_media/ovning-1.vtt" in captions


def test_published_names_never_climb_or_hide() -> None:
    for written in ("media/%2e%2e/%2e%2e/index.html", "media/../x.png", "media/.hidden.png"):
        published = published_path(written)
        parts = published.split("/")
        assert parts[0] == "_media" and all(p and not p.startswith(".") for p in parts), written


def test_literal_percent_folders_cannot_lead_out_of_the_package(example: Path) -> None:
    folder = example / "media" / "%2e%2e" / "%2e%2e"
    folder.mkdir(parents=True)
    (folder / "index.html").write_text("<p>x</p>")
    _add_to_body(example, "[länk](media/%2e%2e/%2e%2e/index.html)")
    assert "SOBC311" in _codes(example) or "SOBC322" in _codes(example)


def _with_timeout(action: object, seconds: float = 10) -> None:
    done = threading.Event()

    def run() -> None:
        action()  # type: ignore[operator]
        done.set()

    threading.Thread(target=run, daemon=True).start()
    assert done.wait(seconds), "it hung"


def test_a_fifo_named_like_a_form_does_not_hang_validate(example: Path) -> None:
    os.mkfifo(example / "forms" / "p.yaml")
    found: list[str] = []
    _with_timeout(lambda: found.extend(_codes(example)))
    assert "SOBC001" in found


def test_a_referenced_fifo_in_media_does_not_hang(example: Path) -> None:
    (example / "media" / "film.vtt").unlink()
    os.mkfifo(example / "media" / "film.vtt")
    found: list[str] = []
    _with_timeout(lambda: found.extend(_codes(example)))
    assert found == ["SOBC322"]
