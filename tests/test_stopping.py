"""`sobc.stopping`: stop signals raise `Stopped` however the process was started, and one more
while stopping ends the process at once."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sobc import stopping

from .browser.serving import IGNORING_SIGINT
from .conftest import EXAMPLE

WAIT = 30.0
# Says "ready", then waits; on a stop signal says which, then takes its time cleaning up.
SLOW_TO_STOP = """
import sys, time
from sobc import stopping
with stopping.on_signals():
    try:
        print("ready", flush=True)
        time.sleep(60)
    except stopping.Stopped as stopped:
        print("stopping", stopped.signum, flush=True)
        time.sleep(60)
"""


def _start(sigint_ignored: bool) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", SLOW_TO_STOP]
    if sigint_ignored:
        command = [sys.executable, "-c", IGNORING_SIGINT, *command]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "ready\n"
    return process


@pytest.mark.parametrize("sigint_ignored", [False, True], ids=["foreground", "background"])
@pytest.mark.parametrize(
    "signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["SIGINT", "SIGTERM", "SIGHUP"]
)
def test_a_second_signal_while_stopping_ends_at_once(sigint_ignored: bool, signum: int) -> None:
    process = _start(sigint_ignored)
    try:
        process.send_signal(signum)
        assert process.stdout is not None
        assert process.stdout.readline() == f"stopping {signum}\n"  # the first one is raised
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=WAIT) == 128 + signal.SIGINT
        assert time.monotonic() - started < 5  # not after the minute of cleaning up
        assert process.stderr is not None and process.stderr.read() == "stopped at once\n"
    finally:
        process.kill()
        process.wait()


def test_the_dispositions_are_restored() -> None:
    before = {signum: signal.getsignal(signum) for signum in stopping.SIGNALS}
    with stopping.on_signals() as state:
        assert all(signal.getsignal(s) == state.handle for s in stopping.SIGNALS)
    assert {signum: signal.getsignal(signum) for signum in stopping.SIGNALS} == before


def test_stopped_says_which_signal() -> None:
    stopped = stopping.Stopped(signal.SIGTERM)
    assert isinstance(stopped, KeyboardInterrupt)  # `except Exception` lets it through
    assert (str(stopped), stopped.exit_code) == ("SIGTERM", 128 + signal.SIGTERM)


FAKE_GIT = """#!/bin/sh
# git, but reading the revision's files waits: the copy folder exists meanwhile
case " $* " in *" cat-file "*) touch "$MARK"; exec sleep 60;; esac
exec {git} "$@"
"""


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize(
    "signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["SIGINT", "SIGTERM", "SIGHUP"]
)
def test_diff_stopped_by_a_signal_leaves_no_copy(tmp_path: Path, signum: int) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo / "programs" / "example")
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "first"]):
        identity = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
        subprocess.run(["git", "-C", str(repo), *identity, *args], check=True)
    fake = tmp_path / "bin" / "git"
    fake.parent.mkdir()
    fake.write_text(FAKE_GIT.format(git=shutil.which("git")))
    fake.chmod(0o755)
    temp, mark = tmp_path / "temp", tmp_path / "mark"
    temp.mkdir()
    env = {**os.environ, "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}"}
    env |= {"TMPDIR": str(temp), "MARK": str(mark)}
    command = [sys.executable, "-m", "sobc", "diff", "HEAD", "programs"]
    process = subprocess.Popen(
        command, cwd=repo, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        deadline = time.monotonic() + WAIT
        while not mark.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [p.name[:10] for p in temp.iterdir()] == ["sobc-diff-"]  # the revision's copy
        process.send_signal(signum)
        assert process.wait(timeout=WAIT) == 128 + signum
        assert process.stderr is not None and "Traceback" not in process.stderr.read()
        assert list(temp.iterdir()) == []
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # git too, whatever sobc did
        process.wait()
