"""The first look at the previous build: nothing to do only when exactly these programs were
built and left as they are; the output check aside, its failure, and when a fork is safe."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sobc import previous
from sobc.build import build

from .test_build_speed import two_programs


def _aside(monkeypatch: pytest.MonkeyPatch, act: Callable[[], None], method: str) -> None:
    """Check aside, and run `act` whenever the forked process calls `_CheckHere.<method>` (only
    there: it inherits the patch)."""
    parent, real = os.getpid(), getattr(previous._CheckHere, method)

    def patched(self: Any, *args: Any) -> Any:
        if os.getpid() != parent:
            act()
        return real(self, *args)

    monkeypatch.setattr(previous, "may_fork", lambda: True)
    monkeypatch.setattr(previous._CheckHere, method, patched)


def test_a_failed_check_aside_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    programs = two_programs(tmp_path)
    out = tmp_path / "out"
    assert build([programs], out).ok

    def broken() -> None:
        raise ValueError("the disk said no")

    _aside(monkeypatch, broken, "top")  # the forked process always answers this
    failed = r"(?s)checking the previous output failed.*the disk said no"
    with pytest.raises(RuntimeError, match=failed):
        build([programs], out)
    look = previous.look(sorted(programs.iterdir()), out)
    try:
        for _ in range(2):  # and again to whoever asks again (not a closed pipe)
            with pytest.raises(RuntimeError, match=failed):
                look.unchanged()
    finally:
        look.cancel()


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


@pytest.mark.parametrize("length", [0, 1, 2, 7])
def test_two_ends_of_a_list_meet_without_a_gap(length: int) -> None:
    import mmap
    import random

    for seed in range(20):
        ends = previous._Ends(mmap.mmap(-1, 16), length)
        chance = random.Random(seed)
        front: list[int] = []
        back: list[int] = []
        while True:
            side = chance.choice([front, back])
            taken = ends.take_first() if side is front else ends.take_last()
            if taken is None:
                break
            side.append(taken)
        other = ends.take_first() if side is back else ends.take_last()
        while other is not None:  # the other side goes on until it meets the first
            (front if side is back else back).append(other)
            other = ends.take_first() if side is back else ends.take_last()
        assert sorted(front + back) == list(range(length))
        assert front == sorted(front) and back == sorted(back, reverse=True)


def test_this_process_helps_check_once_it_waits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    programs = two_programs(tmp_path)
    out = tmp_path / "out"
    assert build([programs], out).ok
    _aside(monkeypatch, lambda: time.sleep(0.5), "programs")
    look = previous.look(sorted(programs.iterdir()), out)
    try:
        assert look.unchanged()
        # the forked process sleeps over the first program: the last is this one's to check
        assert isinstance(look.check, previous._CheckAside) and "example" in look.check.found
    finally:
        look.cancel()
