"""The `sobc` command's entry point: `sobc build` in its plain spellings runs without click.

Authors rebuild on every save, and most of the time little or nothing has changed. Importing the
command line parser (click) and the compiler costs more than finding that out, so
`sobc build [PATH…] [--out DIR] [--strict] [--quiet]` first takes a look at the previous build
(`previous.look`) and goes straight to `commands.build`, which answers at once when there is
nothing to do and otherwise builds from that look. Any other command, any option this does not
know, and any build the look refuses (a path that is not a folder, an output that cannot be
used) go to the command line (`cli.py`), which parses and reports everything.
"""

from __future__ import annotations

import sys
from pathlib import Path

TYPE_CHECKING = False  # `typing` costs start-up, which is all this module is about
if TYPE_CHECKING:
    from .previous import Look


def main() -> None:
    plain = _plain_build(sys.argv[1:])
    if plain is not None:
        paths, out, strict, quiet = plain
        look = _first_look(paths, out)
        if look is not None:
            from . import commands

            sys.exit(commands.build(paths, out, strict=strict, quiet=quiet, look=look))
    from .cli import main as command_line

    command_line()


def _first_look(paths: list[Path], out: Path) -> Look | None:
    """The previous build, looked at; None when the command line should speak first."""
    from . import previous
    from .output import BuildError
    from .paths import find_programs

    if not all(path.is_dir() for path in paths):
        return None
    folders, missing = find_programs(paths)
    if missing or not folders:
        return None
    try:
        return previous.look(folders, out)
    except (BuildError, OSError):
        return None


def _plain_build(args: list[str]) -> tuple[list[Path], Path, bool, bool] | None:
    """PATHs, --out, --strict and --quiet of `build [PATH…] [--out DIR] [--strict] [--quiet|-q]`
    in exactly these spellings; None for anything else."""
    if not args or args[0] != "build":
        return None
    paths: list[Path] = []
    out, strict, quiet = Path("build"), False, False
    rest = iter(args[1:])
    for arg in rest:
        if arg in ("--quiet", "-q"):
            quiet = True
        elif arg == "--strict":
            strict = True
        elif arg == "--out" or arg.startswith("--out="):
            value = arg[len("--out=") :] if arg.startswith("--out=") else next(rest, "")
            if not value:
                return None
            out = Path(value)
        elif arg.startswith("-"):
            return None
        else:
            paths.append(Path(arg))
    return paths, out, strict, quiet
