"""The manifest: valid against its schema for every program, and `load` verifies every file."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import jsonschema
import pytest

from sobc import runtime
from sobc.package.build import build
from sobc.read.schema import validator
from sobc.resources import schema_dir

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
    loaded = runtime.load(out / folder.name)
    assert loaded.program.id == programs[0].id
    assert [m.id for m in loaded.modules] == [m.id for m in programs[0].modules]


def test_load_returns_typed_objects(built: Path) -> None:
    m = runtime.load(built / "manifest.json")
    assert m.format_version == runtime.FORMAT_VERSION
    assert m.compiler.name == "sobc"
    grunder = m.module("grunder")
    assert grunder is not None
    assert [s.number for s in grunder.steps] == ["01.1", "01.2", "01.3", None, None]
    chart = next(c for c in m.charts if c.form == "mabra")
    assert (chart.form, chart.total, chart.worse, chart.min, chart.max) == (
        "mabra",
        "summa",
        "higher",
        0,
        9,
    )
    assert [b.label for b in chart.bands] == ["Inga besvär", "Lindriga besvär", "Tydliga besvär"]
    assert chart.vega_lite["datasets"] == {"scores": []}
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


def test_a_module_choice_names_its_modules_and_who_chooses(built: Path) -> None:
    m = runtime.load(built)
    choice, clinicians = m.module_choices
    assert (choice.id, choice.chosen_by) == ("val-av-fordjupning", "patient")
    assert (clinicians.id, clinicians.chosen_by) == ("val-av-somnstod", "clinician")
    assert clinicians.modules == ("somnskola", "skiftsomn")
    assert m.choice_of("skiftsomn") is clinicians
    assert choice.question == "Vad vill du öva mest på?"
    assert choice.modules == ("fordjupning", "avslappning")
    assert [o.label for o in choice.options] == ["Andning och rörelse", "Att slappna av"]
    assert m.choice_of("avslappning") is choice and m.choice_of("grunder") is None


def test_whole_numbers_written_with_a_fraction_are_ints(built: Path) -> None:
    """The schema's "integer" accepts 730.0; the typed objects still hold ints."""
    path = built / "manifest.json"
    version = f'"format_version": {runtime.FORMAT_VERSION}'.encode()
    raw = path.read_bytes().replace(version, version + b".0")
    path.write_bytes(raw.replace(b'"max_days":730', b'"max_days": 730.0'))
    m = runtime.load(built)
    assert (m.format_version, m.retention.max_days) == (runtime.FORMAT_VERSION, 730)
    assert type(m.format_version) is int and type(m.retention.max_days) is int


def test_tampered_file_is_rejected(built: Path) -> None:
    page = built / "grunder" / "fragor.html"
    page.write_text(page.read_text().replace("Skicka", "Skicka till mig"))
    with pytest.raises(runtime.ManifestError) as info:
        runtime.load(built)
    assert any(p.startswith("grunder/fragor.html:") for p in info.value.problems)
    assert "changed" in str(info.value)


def test_missing_file_is_rejected(built: Path) -> None:
    (built / "_media" / "film.vtt").unlink()
    with pytest.raises(runtime.ManifestError, match=r"film\.vtt: the file is missing"):
        runtime.load(built)


def test_unlisted_file_is_rejected(built: Path) -> None:
    (built / "grunder" / "extra.html").write_text("<p>not from the build</p>")
    with pytest.raises(runtime.ManifestError, match=r"grunder/extra\.html: a file the manifest"):
        runtime.load(built)


def test_invalid_manifest_is_rejected(built: Path) -> None:
    path = built / "manifest.json"
    data = json.loads(path.read_text())
    data["files"][0]["path"] = "../../etc/passwd"
    del data["retention"]
    path.write_text(json.dumps(data))
    with pytest.raises(runtime.ManifestError) as info:
        runtime.load(path)
    assert len(info.value.problems) >= 2


def test_unreadable_manifest(tmp_path: Path) -> None:
    with pytest.raises(runtime.ManifestError, match="cannot read"):
        runtime.load(tmp_path)
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(runtime.ManifestError, match="not valid JSON"):
        runtime.load(tmp_path)


def test_a_build_does_not_load_the_reader() -> None:
    """The runtime reader's classes cost start-up time; writing a manifest never needs them."""
    code = (
        "import sys; from sobc.package.manifest import dumps, manifest_data; "
        "print('sobc.runtime.manifest' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
    assert runtime.Manifest.__module__ == "sobc.runtime.manifest"


def test_the_reader_does_not_load_the_writer() -> None:
    """A runtime that loads packages needs neither the compiler's model nor its renderer."""
    code = "import sys, sobc.runtime.manifest; print('sobc.package.manifest' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


# ---- hardening: whatever the package holds, `load` returns or raises ManifestError ----


def _problems(path: Path) -> list[str]:
    with pytest.raises(runtime.ManifestError) as info:
        runtime.load(path)
    return info.value.problems


@contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging (a FIFO opened for reading waits for a writer)."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


Tamper = Callable[[bytes], bytes]
REFUSED_JSON: dict[str, tuple[Tamper, str]] = {
    "nested 100,000 deep": (
        lambda _: b"[" * 100_000 + b"]" * 100_000,
        "nested more than 64 deep",
    ),
    "nested 65 deep (json itself would read it)": (
        lambda _: b'{"roles": ' + b"[" * 65 + b"]" * 65 + b"}",
        "nested more than 64 deep",
    ),
    "a 5,000-digit integer": (
        lambda _: b'{"format_version": ' + b"1" * 5000 + b"}",
        "more than 40 characters",
    ),
    "a 5,000-digit fraction": (lambda _: b'{"a": 0.' + b"1" * 5000 + b"}", "more than 40"),
    "a number beyond a float": (
        lambda good: good.replace(b'"max_days":730', b'"max_days": 1e400'),
        "the number 1e400 is too large",
    ),
    "NaN": (
        lambda good: good.replace(b'"max_days":730', b'"max_days": NaN'),
        "NaN is not a number JSON allows",
    ),
    "Infinity": (
        lambda good: good.replace(b'"max_days":730', b'"max_days": Infinity'),
        "Infinity is not a number JSON allows",
    ),
    "-Infinity": (
        lambda good: good.replace(b'"max_days":730', b'"max_days": -Infinity'),
        "-Infinity is not a number JSON allows",
    ),
    "a key twice": (
        lambda good: good.replace(b'"max_days":730', b'"max_days": 730, "max_days": 1'),
        "the key 'max_days' appears twice in one object",
    ),
    "Latin-1": (lambda good: good.decode("utf-8").encode("latin-1", "replace"), "not UTF-8"),
    "UTF-16 (which json.loads of bytes would read)": (
        lambda good: good.decode("utf-8").encode("utf-16"),
        "not UTF-8",
    ),
    "a byte order mark (which json.loads of bytes would skip)": (
        lambda good: b"\xef\xbb\xbf" + good,
        "byte order mark",
    ),
    "a lone surrogate": (
        lambda good: good.replace(b'"name":"sobc"', b'"name": "sobc\\ud800"'),
        "holds a lone surrogate",
    ),
    "not JSON": (lambda _: b"{not json", "not valid JSON"),
    "an array": (lambda _: b"[]", "the top level is not a JSON object"),
}


@pytest.mark.parametrize("case", REFUSED_JSON, ids=str)
def test_refused_json(built: Path, case: str) -> None:
    tamper, expected = REFUSED_JSON[case]
    path = built / "manifest.json"
    good = path.read_bytes()
    assert "å".encode() in good  # so that Latin-1 is not UTF-8
    path.write_bytes(tamper(good))
    assert path.read_bytes() != good
    problems = _problems(built)
    assert len(problems) == 1 and expected in problems[0]


def test_manifest_too_large_is_refused_unread(built: Path) -> None:
    path = built / "manifest.json"
    with path.open("r+b") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse: nothing to read if load tried
    assert _problems(built) == [
        "cannot read the file: it has 68,157,440 bytes, more than the 67,108,864 allowed"
    ]


def test_manifest_that_is_a_fifo_does_not_hang(built: Path) -> None:
    (built / "manifest.json").unlink()
    os.mkfifo(built / "manifest.json")
    with _deadline(10):
        problems = _problems(built)
    assert problems == [
        "cannot read the file: it is not a regular file (a folder, pipe, device or socket)"
    ]


def test_manifest_that_is_a_folder(built: Path) -> None:
    (built / "manifest.json").unlink()
    (built / "manifest.json").mkdir()
    assert "not a regular file" in _problems(built)[0]


def test_manifest_that_is_a_link_is_refused(built: Path, tmp_path: Path) -> None:
    path = built / "manifest.json"
    elsewhere = tmp_path / "manifest.json"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    assert "symbolic link" in _problems(built)[0]


def test_path_with_a_nul(tmp_path: Path) -> None:
    assert "cannot read the file" in _problems(tmp_path / "a\0b")[0]


def test_fifo_in_the_package_is_reported(built: Path) -> None:
    os.mkfifo(built / "grunder" / "pipe.html")
    with _deadline(10):
        problems = _problems(built)
    assert problems == [
        "grunder/pipe.html: not a regular file or folder (a pipe, device or socket)"
    ]


def test_listed_file_that_is_a_fifo_is_reported(built: Path) -> None:
    page = built / "grunder" / "fragor.html"
    page.unlink()
    os.mkfifo(page)
    with _deadline(10):
        problems = _problems(built)
    assert problems == [
        "grunder/fragor.html: not a regular file or folder (a pipe, device or socket)"
    ]


def test_socket_in_the_package_is_reported(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(built)  # a socket's path has at most 107 bytes
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind("runtime.sock")
        problems = _problems(built)
    assert problems == ["runtime.sock: not a regular file or folder (a pipe, device or socket)"]


def test_device_in_the_package_is_reported(built: Path) -> None:
    try:
        os.mknod(built / "null", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device needs CAP_MKNOD")
    assert _problems(built) == ["null: not a regular file or folder (a pipe, device or socket)"]


def test_link_to_a_file_outside_is_refused_even_with_the_right_content(
    built: Path, tmp_path: Path
) -> None:
    page = built / "grunder" / "fragor.html"
    outside = tmp_path / "fragor.html"
    page.rename(outside)
    page.symlink_to(outside)
    problems = _problems(built)
    assert problems == [
        "grunder/fragor.html: a symbolic link; a package holds only regular files and folders"
    ]


def test_link_to_a_folder_is_refused_and_not_followed(built: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_text("not to be listed")
    (built / "extra").symlink_to(elsewhere)
    (built / "again").symlink_to(built / "grunder")
    assert _problems(built) == [
        "again: a symbolic link; a package holds only regular files and folders",
        "extra: a symbolic link; a package holds only regular files and folders",
    ]


def test_folder_replaced_by_a_link_is_refused(built: Path, tmp_path: Path) -> None:
    (built / "grunder").rename(tmp_path / "grunder")
    (built / "grunder").symlink_to(tmp_path / "grunder")
    problems = _problems(built)
    assert problems[0] == "grunder: a symbolic link; a package holds only regular files and folders"
    assert "grunder/fragor.html: the file is missing" in problems


def test_listed_file_that_is_a_folder_is_reported(built: Path) -> None:
    (built / "_media" / "film.vtt").unlink()
    (built / "_media" / "film.vtt").mkdir()
    assert _problems(built) == ["_media/film.vtt: a folder, not a file"]


def test_grown_file_is_reported_with_its_size(built: Path) -> None:
    page = built / "index.html"
    size = page.stat().st_size
    with page.open("ab") as handle:
        handle.write(b"<!-- more -->")
    assert _problems(built) == [
        f"index.html: the file has been changed (it has {size + 13:,} bytes, not {size:,})"
    ]


@pytest.mark.parametrize(
    "bad",
    [
        "/etc/passwd",
        "../outside.html",
        "grunder/../index.html",
        "./index.html",
        "grunder\\fragor.html",
        "grunder//fragor.html",
        "grunder/",
        "",
    ],
)
def test_listed_path_outside_or_malformed(built: Path, tmp_path: Path, bad: str) -> None:
    (tmp_path / "outside.html").write_text("outside the package")
    path = built / "manifest.json"
    data = json.loads(path.read_text())
    data["files"][0]["path"] = bad
    path.write_text(json.dumps(data))
    problems = _problems(built)
    assert problems[0] == (
        f"files/0/path: {bad!r} is not valid: A relative path inside the package, with / "
        "between parts and no . or .. parts."
    )


def test_file_listed_twice(built: Path) -> None:
    path = built / "manifest.json"
    data = json.loads(path.read_text())
    data["files"].append(data["files"][0])
    path.write_text(json.dumps(data))
    assert _problems(built) == [f"{data['files'][0]['path']}: listed twice"]


def test_odd_file_names_stay_on_one_line(built: Path) -> None:
    (built / "x\n  - all is well").write_text("")
    with pytest.raises(runtime.ManifestError) as info:
        runtime.load(built)
    assert info.value.problems == ["'x\\n  - all is well': a file the manifest does not list"]
    assert len(str(info.value).splitlines()) == 2


def test_message_lists_at_most_100_problems(built: Path) -> None:
    for n in range(150):
        (built / f"extra-{n:03}.html").write_text("")
    with pytest.raises(runtime.ManifestError) as info:
        runtime.load(built)
    assert len(info.value.problems) == 150
    lines = str(info.value).splitlines()
    assert len(lines) == 1 + 100 + 1 and lines[-1] == "  - and 50 more"
