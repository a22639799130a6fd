"""Running the preview: build once, serve, and rebuild whenever a file under a program changes."""

from __future__ import annotations

import ipaddress
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .server import PreviewHTTPServer
from .site import Outcome, Site

if TYPE_CHECKING:
    from .changes import Since

Report = Callable[[Outcome], None]


def folders(roots: Sequence[Path]) -> list[Path]:
    """Every folder under the roots, never through a symbolic link (a link to `/` or `/usr` in
    a program would have the watcher walk and watch the whole system), nor into the folders
    the watcher ignores anyway (`.git`, `__pycache__`, …); the roots themselves first."""
    from watchfiles import DefaultFilter  # imported late: only serving needs it

    found: list[Path] = []
    for root in roots:
        for folder, subfolders, _ in os.walk(root, followlinks=False):
            subfolders[:] = sorted(d for d in subfolders if d not in DefaultFilter.ignore_dirs)
            found.append(Path(folder))
    return found


def _changed_since(watched: Sequence[Path], moment: float) -> bool:
    """Whether any entry of the watched folders was written at or after `moment` (a
    time.time()); links are not followed."""
    for folder in watched:
        try:
            with os.scandir(folder) as entries:
                if any(entry.stat(follow_symlinks=False).st_mtime >= moment for entry in entries):
                    return True
        except OSError:
            return True  # gone since: a change
    return False


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class PreviewServer:
    """A preview of some programs: `start()` builds and listens, `watch()` rebuilds on change."""

    def __init__(
        self,
        program_dirs: Sequence[Path],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        strict: bool = False,
        report: Report | None = None,
        since: Since | None = None,
    ) -> None:
        self.program_dirs = [Path(p) for p in program_dirs]
        self.host = host
        self.port = port
        self.report = report
        self.site = Site(self.program_dirs, strict=strict, since=since)
        self.httpd: PreviewHTTPServer | None = None
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self.httpd is None:
            raise RuntimeError("the preview server is not started")
        address, port = self.httpd.server_address[:2]
        host = address.decode() if isinstance(address, bytes) else address
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"

    def start(self) -> str:
        """Listen, build once, then serve; returns the address (the first build may fail)."""
        # Bound before building, so a port in use is reported at once.
        self.httpd = PreviewHTTPServer(
            (self.host, self.port), self.site, loopback=is_loopback(self.host)
        )
        self.rebuild()
        httpd = self.httpd
        self.thread = threading.Thread(
            target=lambda: httpd.serve_forever(poll_interval=0.1), name="sobc-preview", daemon=True
        )
        self.thread.start()
        return self.url

    def rebuild(self) -> Outcome:
        outcome = self.site.rebuild()
        if self.report is not None:
            self.report(outcome)
        return outcome

    def watch(self, stop: threading.Event | None = None) -> None:
        """Rebuild after each batch of changes until `stop` is set (or Ctrl-C).

        Each folder of the programs is watched on its own (`folders`), so nothing a link leads
        to is watched; when folders come or go, the watcher starts again on the new set."""
        while not (stop is not None and stop.is_set()):
            try:
                self._watch_folders(folders(self.program_dirs), stop)
            except FileNotFoundError:  # a folder went between the walk and the watch
                continue

    def _watch_folders(self, watched: list[Path], stop: threading.Event | None) -> None:
        """Rebuild on changes in these folders until `stop` or until the set of folders
        changes."""
        from watchfiles import watch  # imported late: only serving needs it

        caught_up = False
        changes_seen = watch(
            *watched,
            stop_event=stop,
            step=50,  # watchfiles' own: a save's events come within a few ms of each other
            rust_timeout=500,
            yield_on_timeout=True,
            recursive=False,
            ignore_permission_denied=True,
        )
        for changes in changes_seen:
            if not caught_up:
                # The watcher starts after the last build: catch what changed in between.
                caught_up = True
                if changes or _changed_since(watched, self.site.built_at):
                    self.rebuild()
            elif changes:
                self.rebuild()
            if changes and folders(self.program_dirs) != watched:
                return

    def close(self) -> None:
        """Stop serving and remove the build folder; safe at any point of `start()` (a server
        that never began serving is not waited for: `shutdown()` would wait for ever)."""
        try:
            if self.thread is not None:
                assert self.httpd is not None
                self.httpd.shutdown()
                self.thread.join(timeout=5)
            if self.httpd is not None:
                self.httpd.server_close()
        finally:
            self.site.close()


def serve(
    program_dirs: Sequence[Path],
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    strict: bool = False,
    report: Report | None = None,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until interrupted; `ready` is told the address once the server listens."""
    server = PreviewServer(program_dirs, host=host, port=port, strict=strict, report=report)
    try:
        url = server.start()
        if ready is not None:
            ready(url)
        server.watch()
    finally:
        server.close()
