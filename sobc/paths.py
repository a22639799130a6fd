"""Which folders are programs, and how a path is shown to authors: cheap enough for start-up."""

from __future__ import annotations

import os
from pathlib import Path

from .diagnostics import readable


def display_path(path: Path) -> str:
    """Paths relative to the working directory when below it, as authors see them in git."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return readable(str(path))
    return readable(str(path) if rel.startswith("..") else rel)


def cache_dir() -> Path:
    """What this machine keeps between builds (`package/cache.py`, the compiled templates):
    `$SOBC_CACHE_DIR`, else `$XDG_CACHE_HOME/sobc`, else `~/.cache/sobc`."""
    if os.environ.get("SOBC_CACHE_DIR"):
        return Path(os.environ["SOBC_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sobc"


SITE_FILE = "site.yaml"  # beside the program folders: the catalogue's look (`site.py`)


def site_folder(program_folders: list[Path]) -> Path | None:
    """The folder that holds the programs, when they share one and it has a site file."""
    parents = {folder.resolve().parent for folder in program_folders}
    if len(parents) != 1:
        return None
    (parent,) = parents
    return parent if (parent / SITE_FILE).is_file() else None


def find_programs(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Program folders named by paths (a program folder, or a folder of them); default programs/.

    Returns the folders and, separately, the paths that name no program (a usage problem).
    """
    wanted = paths or [Path("programs")]
    found: list[Path] = []
    missing: list[str] = []
    for path in wanted:
        if (path / "program.yaml").is_file():
            found.append(path)
            continue
        children = (
            sorted(p for p in path.iterdir() if (p / "program.yaml").is_file())
            if path.is_dir()
            else []
        )
        if children:
            found.extend(children)
        else:
            missing.append(display_path(path))
    return found, missing


def path_problem(path: Path) -> str:
    """Why a path given on the command line names no folder ("" when it does), in words that
    say what to give instead."""
    if path.is_dir():
        return ""
    shown = display_path(path)
    if not path.exists():
        return f"{shown} does not exist"
    holder = next((p for p in path.parents if (p / "program.yaml").is_file()), None)
    if holder is None:
        return f"{shown} is a file; give a program folder or a folder of programs"
    return f"{shown} is a file; give the program folder that holds it: {display_path(holder)}"


def resolved(folders: list[Path]) -> list[Path]:
    """Each folder as `Path.resolve` gives it, resolving a parent shared by many folders once
    (a build checks a hundred program folders on every save)."""
    parents: dict[Path, Path] = {}
    found = []
    for folder in folders:
        if folder.name in ("", ".", "..") or folder.is_symlink():
            found.append(folder.resolve())
            continue
        if folder.parent not in parents:
            parents[folder.parent] = folder.parent.resolve()
        found.append(parents[folder.parent] / folder.name)
    return found
