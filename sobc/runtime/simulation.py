"""`sobc simulate`'s library side: a package and a timeline file in, the engine's result out.
The one place of the simulation that reads files; the engine itself reads none."""

from __future__ import annotations

from pathlib import Path

from ..read.files import Unreadable, read_regular
from .engine import simulate
from .manifest import Refused, load, parse_json
from .result import Result
from .timeline import TimelineError, read_timeline

MAX_TIMELINE = 16 * 1024 * 1024  # bytes of a timeline file


def simulate_files(package: Path, timeline: Path) -> Result:
    """The result of the timeline in the file `timeline` for the package (its folder or its
    manifest.json); raises `ManifestError` for a package `load` refuses and `TimelineError` for
    a timeline that cannot be read or names what the program lacks."""
    manifest = load(package)
    try:
        data = parse_json(read_regular(timeline, MAX_TIMELINE))
    except (Refused, Unreadable, ValueError) as error:
        raise TimelineError(f"{timeline}: {error}") from None
    return simulate(manifest, read_timeline(data))
