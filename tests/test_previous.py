"""The first look at the previous build: nothing to do only when exactly these programs were
built and left as they are; the output check aside, its failure, and when a fork is safe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sobc import previous
from sobc.build import build

from .test_build_speed import two_programs


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
