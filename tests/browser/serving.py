"""`sobc serve` as a real subprocess: started on a free port, stopped with Ctrl-C (SIGINT).

It can be started with SIGINT ignored, as a non-interactive shell starts a background job
(`make test &` in a script): the server must stop on Ctrl-C all the same.

Its output goes to a file rather than a pipe, so no reader thread is left running (the build
uses a second process only when the caller has no other threads).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ADDRESS = re.compile(r"^serving (http://\S+) ", re.MULTILINE)
START_TIMEOUT = 120.0
STOP_TIMEOUT = 20.0
# Runs the command in its arguments with SIGINT ignored, a disposition exec passes on.
IGNORING_SIGINT = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


class Serving:
    """One `sobc serve` process and what it printed."""

    def __init__(
        self,
        paths: Sequence[Path],
        *extra: str,
        tmp: Path | None = None,
        sigint_ignored: bool = False,
    ) -> None:
        command = [sys.executable, "-m", "sobc", "serve", *map(str, paths), "--port", "0", *extra]
        if sigint_ignored:
            command = [sys.executable, "-c", IGNORING_SIGINT, *command]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        if tmp is not None:  # where the server keeps its build
            env["TMPDIR"] = str(tmp)
        # Binary, and read with pread: the child writes at the offset this open file shares with
        # us, so a seek here would make its next line overwrite the start of the log.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close)
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.url = self._wait_for_address()

    @property
    def output(self) -> str:
        descriptor = self.log.fileno()
        size = os.fstat(descriptor).st_size
        return os.pread(descriptor, size, 0).decode("utf-8", errors="replace")

    def _wait_for_address(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            match = ADDRESS.search(self.output)
            if match:
                return match.group(1)
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("sobc serve printed no address:\n" + self.output)

    def stop(self, signum: int = signal.SIGINT) -> int:
        """Ctrl-C (or another signal), as a person would; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT)
        return self.process.returncode

    def close(self) -> None:
        self.stop()
        self.log.close()
