"""`sobc serve` as a real subprocess: started on a free port, stopped with Ctrl-C (SIGINT)."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ADDRESS = re.compile(r"^serving (http://\S+) ")
START_TIMEOUT = 120.0
STOP_TIMEOUT = 20.0


class Serving:
    """One `sobc serve` process; its output lines are collected so tests can read them."""

    def __init__(self, paths: Sequence[Path], *extra: str) -> None:
        command = [sys.executable, "-m", "sobc", "serve", *map(str, paths), "--port", "0", *extra]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self._wait_for_address()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            self.lines.put(line)

    def _wait_for_address(self) -> str:
        while True:
            try:
                line = self.lines.get(timeout=START_TIMEOUT)
            except queue.Empty:
                self.stop()
                raise RuntimeError("sobc serve printed no address:\n" + "".join(self.output))
            match = ADDRESS.match(line)
            if match:
                return match.group(1)
            if self.process.poll() is not None and self.lines.empty():
                raise RuntimeError("sobc serve stopped:\n" + "".join(self.output))

    def stop(self) -> int:
        """Ctrl-C, as a person would; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT)
        return self.process.returncode
