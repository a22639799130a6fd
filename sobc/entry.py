"""The `sobc` command's entry point: a build with nothing to do is answered before start-up.

Authors rebuild on every save, and most of the time nothing has changed. Importing the command
line parser (click) and the compiler costs more than finding that out, so a plain
`sobc build [PATH…] [--out DIR] [--strict] [--quiet]` first takes a look at the previous build
(`previous.look`). When nothing is to be done it answers at once; otherwise the command line
(`cli`) runs as always and the build continues from that look instead of taking another. Any
other command, or any option this does not know, goes to the command line untouched, which also
reports every usage problem.
"""

from __future__ import annotations

import sys
from pathlib import Path

TYPE_CHECKING = False  # `typing` costs start-up, which is all this module is about

if TYPE_CHECKING:
    from .previous import Look


def main() -> None:
    first = _first_look(sys.argv[1:])
    look = None
    if first is not None:
        look, out, quiet = first
        if _nothing_to_do(look):
            look.cancel()
            if not quiet:
                print(built(len(look.folders), out, 0, look.pages))
            sys.exit(0)
    from .cli import main as command_line

    command_line(obj=look)


def built(programs: int, out: Path, rendered: int, reused: int) -> str:
    """What `sobc build` says when it has succeeded."""
    return f"built {programs} programs into {out} ({rendered} pages rendered, {reused} unchanged)"


def _nothing_to_do(look: Look) -> bool:
    try:
        return look.unchanged()
    except Exception:  # the build proper meets it again and reports it
        return False


def _first_look(args: list[str]) -> tuple[Look, Path, bool] | None:
    """The previous build looked at for a plain build command (with its --out and --quiet);
    None for any other command, or when the command line should speak first."""
    parsed = _plain_build(args)
    if parsed is None:
        return None
    paths, out, quiet = parsed
    from . import previous
    from .output import BuildError
    from .paths import find_programs

    folders, missing = find_programs(paths)
    if missing or not folders:
        return None
    try:
        return previous.look(folders, out), out, quiet
    except (BuildError, OSError):
        return None


def _plain_build(args: list[str]) -> tuple[list[Path], Path, bool] | None:
    """PATHs, --out and --quiet of `build [PATH…] [--out DIR] [--strict] [--quiet|-q]`, in
    exactly these spellings; None for anything else."""
    if not args or args[0] != "build":
        return None
    paths: list[Path] = []
    out, quiet = Path("build"), False
    rest = iter(args[1:])
    for arg in rest:
        if arg in ("--quiet", "-q"):
            quiet = True
        elif arg == "--strict":
            continue  # a build with nothing to do had no warnings either
        elif arg == "--out" or arg.startswith("--out="):
            value = arg[len("--out=") :] if arg.startswith("--out=") else next(rest, "")
            if not value:
                return None
            out = Path(value)
        elif arg.startswith("-"):
            return None
        else:
            paths.append(Path(arg))
    return paths, out, quiet
