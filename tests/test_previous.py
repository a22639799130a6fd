"""The previous build's cache: damaged or foreign caches cost a rebuild, never a wrong output;
unchanged programs' records stay as they were; the output check can run aside."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from sobc import previous
from sobc.build import CACHE_FILE, build

from .test_build import _edit_step, fresh
from .test_build_speed import tree, two_programs


def _files(out: Path) -> dict[str, bytes]:
    """The cache's files by name."""
    return {p.name: p.read_bytes() for p in sorted((out / CACHE_FILE).iterdir())}


def _records(out: Path, program_id: str) -> Path:
    return out / CACHE_FILE / previous.read_cache(out).programs[program_id]["records"]


def _damage(how: str, out: Path) -> None:
    index = out / CACHE_FILE / previous.INDEX
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


def test_only_the_records_of_programs_made_again_are_written(tmp_path: Path) -> None:
    programs = two_programs(tmp_path)
    out = tmp_path / "out"
    assert build([programs], out).ok
    before = _files(out)
    example = _records(out, "example")
    stamp = example.stat()
    _edit_step(programs / "andra", "introduktion", body="Ny text.")
    assert build([programs], out).ok
    after = _files(out)
    assert example.stat().st_ino == stamp.st_ino and example.stat().st_mtime_ns == stamp.st_mtime_ns
    assert sorted(after) == sorted([previous.INDEX, example.name, _records(out, "andra").name])
    assert _records(out, "andra").name not in before  # made again: a new file, the old one gone
    assert after[example.name] == before[example.name]


def test_an_output_of_an_earlier_version_is_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    example = Path(__file__).parent / "example"
    assert build([example], out).ok
    shutil.rmtree(out / CACHE_FILE)
    (out / ".sobc-cache.json").write_text("{}")  # as earlier versions named their cache
    result = build([example], out)
    assert result.ok and result.rendered > 0
    assert not (out / ".sobc-cache.json").exists() and (out / CACHE_FILE).is_dir()


def test_a_failed_check_aside_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    programs = two_programs(tmp_path)
    out = tmp_path / "out"
    assert build([programs], out).ok
    monkeypatch.setattr(previous, "may_fork", lambda: True)

    def broken(*_: Any) -> set[str]:
        raise ValueError("the disk said no")

    monkeypatch.setattr(previous._CheckHere, "programs", broken)  # the forked process inherits it
    with pytest.raises(
        RuntimeError, match=r"(?s)checking the previous output failed.*the disk said no"
    ):
        build([programs], out)


def test_nothing_to_do_only_when_exactly_these_programs_were_built(tmp_path: Path) -> None:
    programs = two_programs(tmp_path)
    out = tmp_path / "out"
    assert build([programs], out).ok
    one = [programs / "example"]
    look = previous.look(one, out)
    try:
        assert not look.unchanged()  # andra is in the output but not asked for
    finally:
        look.cancel()
    result = build(one, out)
    assert result.ok and result.programs == ["example"] and not (out / "andra").exists()
    look = previous.look(one, out)
    try:
        assert look.unchanged()
    finally:
        look.cancel()


def test_no_fork_while_another_thread_runs() -> None:
    import os
    import threading

    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: never forks")
    assert previous.may_fork()
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not previous.may_fork()
    finally:
        release.set()
        other.join()
    assert previous.may_fork()
