"""Stopping a command on a signal the same way however it was started.

A shell starts a background job with SIGINT ignored, and Python keeps an inherited ignored
SIGINT ignored; SIGTERM and SIGHUP end a process without running its `finally` blocks. Within
`on_signals()`, each of the three raises `Stopped` in the main thread instead, whatever the
process inherited, so the command's clean-up runs (temporary folders removed). Once the
command is stopping, another of them ends the process at once (exit 128 + the signal's number):
a second Ctrl-C is never waited on.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Stopped(KeyboardInterrupt):
    """A stop signal arrived: `signum` says which. A KeyboardInterrupt, so code that catches
    `Exception` lets it through, as it does Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


class Stopping:
    """What the handlers know: whether the command is stopping already."""

    def __init__(self) -> None:
        self.stopping = False

    def hurry(self) -> None:
        """From now on a stop signal ends the process at once (the command is cleaning up)."""
        self.stopping = True

    def handle(self, signum: int, frame: FrameType | None) -> None:
        if self.stopping:
            os.write(2, b"stopped at once\n")
            os._exit(128 + signum)
        self.stopping = True
        raise Stopped(signum)


@contextmanager
def on_signals() -> Iterator[Stopping]:
    """SIGINT, SIGTERM and SIGHUP raise `Stopped` (in the main thread) while within; the
    dispositions the process had are restored after."""
    state = Stopping()
    previous = {signum: signal.signal(signum, state.handle) for signum in SIGNALS}
    try:
        yield state
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
