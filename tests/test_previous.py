"""The previous build's cache: damaged or foreign caches cost a rebuild, never a wrong output;
unchanged programs' records are carried over as they were; the output check can run aside."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sobc import previous
from sobc.build import CACHE_FILE, build

from .test_build import _edit_step, fresh
from .test_build_speed import tree, two_programs


def _lines(out: Path) -> list[bytes]:
    return (out / CACHE_FILE).read_bytes().split(b"\n")


def _damage(how: str, out: Path) -> None:
    cache = out / CACHE_FILE
    data = cache.read_bytes()
    lines = data.split(b"\n")
    if how == "not json":
        cache.write_bytes(b"{" + data)
    elif how == "cut short":
        cache.write_bytes(data[: len(data) // 2])
    elif how == "a line missing":
        cache.write_bytes(b"\n".join(lines[:-2]) + b"\n")
    elif how == "lines swapped":
        cache.write_bytes(b"\n".join([lines[0], lines[2], lines[1], *lines[3:]]))
    elif how == "records of another shape":
        cache.write_bytes(lines[0] + b"\n" + lines[1].replace(b",null,", b",") + b"\n" + lines[2])
    elif how == "an earlier format":
        cache.write_bytes(
            lines[0].replace(b'"format":5', b'"format":4') + b"\n" + b"\n".join(lines[1:])
        )
    else:
        raise AssertionError(how)


@pytest.mark.parametrize(
    "how",
    [
        "not json",
        "cut short",
        "a line missing",
        "lines swapped",
        "records of another shape",
        "an earlier format",
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


def test_unchanged_programs_keep_their_records_as_written(tmp_path: Path) -> None:
    programs = two_programs(tmp_path)
    out = tmp_path / "out"
    assert build([programs], out).ok
    before = _lines(out)
    _edit_step(programs / "andra", "introduktion", body="Ny text.")
    assert build([programs], out).ok
    after = _lines(out)
    header = previous.read_cache(out).header
    assert header["lines"] == ["andra", "example"]
    assert after[2] == before[2]  # example: untouched, byte for byte
    assert after[1] != before[1]  # andra: made again


def test_an_output_of_an_earlier_version_is_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build([Path(__file__).parent / "example"], out).ok
    (out / CACHE_FILE).rename(out / ".sobc-cache.json")  # as earlier versions named it
    result = build([Path(__file__).parent / "example"], out)
    assert result.ok and result.rendered > 0
    assert not (out / ".sobc-cache.json").exists() and (out / CACHE_FILE).is_file()


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
