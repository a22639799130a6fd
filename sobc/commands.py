"""What a command does once its options are read: find the programs, call the library, print,
and pick the exit code. No click here: `sobc build` runs on every save, and `entry.py` calls
`build` directly for its plain spellings; `cli.py` parses everything else and calls the same.

Exit codes: 0 no problems, 1 content problems, 2 usage problems.
"""

from __future__ import annotations

import sys
from pathlib import Path

TYPE_CHECKING = False  # `typing` costs start-up (see entry.py)
if TYPE_CHECKING:
    from collections.abc import Sequence

    from .previous import Look

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """The command cannot run as asked; the message has been printed."""


def programs(paths: Sequence[Path]) -> list[Path]:
    """The program folders the paths name (default programs/); a path naming none is an error."""
    from .paths import find_programs  # not the loader: start-up time counts on every save

    folders, missing = find_programs(list(paths))
    for path in missing:
        _say(f"error: {path} is not a program folder and holds none (no program.yaml)")
    if missing or not folders:
        if not folders and not missing:
            _say("error: no programs found")
        raise UsageError
    return folders


def build(
    paths: Sequence[Path], out: Path, *, strict: bool, quiet: bool, look: Look | None = None
) -> int:
    """`sobc build`: the exit code. `look`: `previous.look` of these folders, taken already."""
    try:
        folders = programs(paths)
    except UsageError:
        return EXIT_USAGE
    if look is not None and look.matches(folders, out.resolve()) and _nothing_to_do(look):
        # answered before the compiler is even imported
        look.cancel()
        if not quiet:
            print(built(len(folders), out, 0, look.pages))
        return EXIT_OK
    from .build import BuildError
    from .build import build as build_programs

    try:
        with Progress(not quiet and sys.stderr.isatty()) as progress:
            result = build_programs(
                folders, out, strict=strict, progress=progress.update, look=look
            )
    except BuildError as problem:
        _say(f"error: {problem}")
        return EXIT_USAGE
    except OSError as problem:  # the system refused: disk full, permissions, a vanished folder
        _say(f"error: cannot write {out}: {problem}")
        return EXIT_USAGE
    if result.diagnostics or not result.ok:
        from . import report

        if result.diagnostics:
            _say(report.as_text(result.diagnostics))
        if not result.ok:
            summary = report.summary(len(folders), result.diagnostics)
            _say(f"build failed ({summary}); {out} left unchanged")
            return EXIT_CONTENT
    if not quiet:
        print(built(len(result.programs), out, result.rendered, result.reused))
    return EXIT_OK


def built(programs: int, out: Path, rendered: int, reused: int) -> str:
    """What `sobc build` says when it has succeeded."""
    return f"built {programs} programs into {out} ({rendered} pages rendered, {reused} unchanged)"


def _nothing_to_do(look: Look) -> bool:
    try:
        return look.unchanged()
    except Exception:  # the build proper meets it again and reports it
        return False


def _say(message: str) -> None:
    print(message, file=sys.stderr)


class Progress:
    """A one-line progress display on a terminal; nothing otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.shown = False

    def __enter__(self) -> Progress:
        return self

    def update(self, done: int, total: int, label: str) -> None:
        if not self.enabled or total <= 0:
            return
        width = 24
        filled = width * done // total
        bar = "#" * filled + "-" * (width - filled)
        print(f"\r[{bar}] {done}/{total} {label[:40]:<40}", end="", file=sys.stderr, flush=True)
        self.shown = True

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            print("\r" + " " * 80 + "\r", end="", file=sys.stderr, flush=True)
