"""The build cache: damaged or foreign caches cost a rebuild, never a wrong output; only the
files of programs made again are written; only changed sources are parsed again."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from sobc import cache
from sobc.build import CACHE_FILE, build

from .test_build import _edit_step, fresh
from .test_build_speed import tree, two_programs


def _files(out: Path) -> dict[str, bytes]:
    """The cache's files by name."""
    return {p.name: p.read_bytes() for p in sorted((out / CACHE_FILE).iterdir())}


def _records(out: Path, program_id: str) -> Path:
    return out / CACHE_FILE / cache.read_cache(out).programs[program_id]["records"]


def _damage(how: str, out: Path) -> None:
    index = out / CACHE_FILE / cache.INDEX
    data = index.read_bytes()
    example = _records(out, "example")
    if how == "index not json":
        index.write_bytes(b"{" + data)
    elif how == "index cut short":
        index.write_bytes(data[: len(data) // 2])
    elif how == "an earlier format":
        index.write_bytes(data.replace(b'"format":6', b'"format":5'))
    elif how == "records missing":
        example.unlink()
    elif how == "records of another program":
        example.write_bytes(_records(out, "andra").read_bytes())
    elif how == "records of another shape":
        example.write_bytes(example.read_bytes().replace(b",null,", b","))
    elif how == "records not json":
        example.write_bytes(example.read_bytes()[:-5])
    elif how == "a name that climbs out":
        index.write_bytes(data.replace(example.name.encode(), b"../../" + example.name.encode()))
    elif how == "a file in its place":
        shutil.rmtree(out / CACHE_FILE)
        (out / CACHE_FILE).write_text("{}")
    else:
        raise AssertionError(how)


@pytest.mark.parametrize(
    "how",
    [
        "index not json",
        "index cut short",
        "an earlier format",
        "records missing",
        "records of another program",
        "records of another shape",
        "records not json",
        "a name that climbs out",
        "a file in its place",
    ],
)
def test_a_damaged_cache_costs_a_rebuild_not_a_wrong_output(tmp_path: Path, how: str) -> None:
    programs = two_programs(tmp_path)
    out = tmp_path / "out"
    first = build([programs], out)
    assert first.ok
    _damage(how, out)
    _edit_step(programs / "andra", "introduktion", body="Ny text.")
    result = build([programs], out)
    assert result.ok and result.rendered > 0
    assert tree(out) == fresh(programs, tmp_path)
    again = build([programs], out)  # and the cache it wrote is whole again
    assert again.ok and again.rendered == 0


def _named(out: Path, program_id: str) -> list[str]:
    entry = cache.read_cache(out).programs[program_id]
    return [entry["records"], entry["sources"]]


def test_only_the_files_of_programs_made_again_are_written(tmp_path: Path) -> None:
    programs = two_programs(tmp_path)
    out = tmp_path / "out"
    assert build([programs], out).ok
    before = _files(out)
    kept = {name: (out / CACHE_FILE / name).stat() for name in _named(out, "example")}
    _edit_step(programs / "andra", "introduktion", body="Ny text.")
    assert build([programs], out).ok
    after = _files(out)
    for name, stamp in kept.items():  # example: not written again
        assert (out / CACHE_FILE / name).stat().st_mtime_ns == stamp.st_mtime_ns
        assert after[name] == before[name]
    made = _named(out, "andra")
    assert not set(made) & set(before)  # andra: new files, the old ones gone
    assert sorted(after) == sorted([cache.INDEX, *kept, *made])


def test_an_output_of_an_earlier_version_is_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    example = Path(__file__).parent / "example"
    assert build([example], out).ok
    shutil.rmtree(out / CACHE_FILE)
    (out / ".sobc-cache.json").write_text("{}")  # as earlier versions named their cache
    result = build([example], out)
    assert result.ok and result.rendered > 0
    assert not (out / ".sobc-cache.json").exists() and (out / CACHE_FILE).is_dir()


class _Parses:
    """Counts the files the loader parses (in this process: the build runs serially)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from sobc import build as build_module
        from sobc import loader

        monkeypatch.setattr(build_module, "PARALLEL_MIN_BYTES", 10**12)
        self.files: list[str] = []
        real = loader.parse_bytes

        def spy(raw: bytes, display: str, *args: Any) -> Any:
            self.files.append(Path(display).name)
            return real(raw, display, *args)

        monkeypatch.setattr(loader, "parse_bytes", spy)


def test_an_edit_parses_only_the_edited_file(
    tmp_path: Path, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert build([example], out).ok
    parses = _Parses(monkeypatch)
    _edit_step(example, "introduktion", body="Ny text.")
    result = build([example], out)
    assert result.ok and result.rendered > 0
    assert parses.files == ["grunder.yaml"]
    assert tree(out) == fresh(example, tmp_path)


def test_problems_in_files_not_parsed_again_are_where_a_fresh_build_finds_them(
    tmp_path: Path, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert build([example], out).ok
    parses = _Parses(monkeypatch)
    step = example / "modules" / "grunder.yaml"
    step.write_text(step.read_text().replace("forms: [fragor]", "forms: [fragr]"))
    again = build([example], out)
    assert "program.yaml" not in parses.files  # taken from the cache, positions read lazily
    cold = build([example], tmp_path / "cold")
    assert not again.ok and again.diagnostics == cold.diagnostics
    assert any(d.code == "SOBC302" for d in again.diagnostics)
    (example / "modules" / "grunder.yaml").unlink()  # now program.yaml names a missing module
    parses.files.clear()
    again = build([example], out)
    assert "program.yaml" not in parses.files
    cold = build([example], tmp_path / "cold")
    assert again.diagnostics == cold.diagnostics
    missing = next(d for d in again.diagnostics if d.code == "SOBC201")
    assert missing.location is not None and missing.location.line > 1
    assert "grunder" in missing.source_line


@pytest.mark.parametrize("how", ["not whole", "another reader", "other bytes", "off the schema"])
def test_a_wrong_record_of_what_was_read_costs_a_parse_not_a_wrong_output(
    tmp_path: Path, example: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    import hashlib
    import json

    out = tmp_path / "out"
    assert build([example], out).ok
    entry = cache.read_cache(out).programs["example"]
    path = out / CACHE_FILE / entry["sources"]
    read = json.loads(path.read_bytes())
    program = read["files"]["program.yaml"]
    if how == "not whole":
        data = path.read_bytes()[:-3]
    else:
        if how == "another reader":
            read["reader"] = "0" * 16
        elif how == "other bytes":
            program[0] = hashlib.sha256(b"other").hexdigest()
            program[1]["title"] = "Inte programmets titel"
        else:
            program[1]["title"] = 7  # the schema wants text
        data = json.dumps(read).encode()
        # named by its content, as the build names it: only the content is wrong
        named = f"example.read.{hashlib.sha256(data).hexdigest()[:16]}.json"
        index = out / CACHE_FILE / cache.INDEX
        index.write_text(index.read_text().replace(entry["sources"], named))
        path = out / CACHE_FILE / named
    path.write_bytes(data)
    parses = _Parses(monkeypatch)
    _edit_step(example, "introduktion", body="Ny text.")
    result = build([example], out)
    assert result.ok and "program.yaml" in parses.files
    assert tree(out) == fresh(example, tmp_path)


@pytest.mark.parametrize("large", [False, True], ids=["standard library", "orjson"])
def test_both_json_readers_refuse_what_json_does_not_allow(large: bool) -> None:
    assert cache._loads(b'{"a": [1, "b"]}', large) == {"a": [1, "b"]}
    for data in (b'{"a": NaN}', b'{"a": Infinity}', b"{'a': 1}"):
        with pytest.raises(ValueError):
            cache._loads(data, large)
