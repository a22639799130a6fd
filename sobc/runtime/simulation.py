"""`sobc simulate`'s library side: a package and a timeline file in, the engine's result out.
The one place of the simulation that reads files; the engine itself reads none."""

from __future__ import annotations

from pathlib import Path

from ..read.files import Unreadable, read_regular
from .charts import svg, with_scores
from .engine import simulate
from .manifest import Manifest, Refused, load, parse_json
from .result import Result, chart_rows
from .timeline import TimelineError, read_timeline

MAX_TIMELINE = 16 * 1024 * 1024  # bytes of a timeline file


def simulate_files(package: Path, timeline: Path) -> Result:
    """The result of the timeline in the file `timeline` for the package (its folder or its
    manifest.json); raises `ManifestError` for a package `load` refuses and `TimelineError` for
    a timeline that cannot be read or names what the program lacks."""
    return simulate_package(package, timeline)[1]


def simulate_package(package: Path, timeline: Path) -> tuple[Manifest, Result]:
    """As `simulate_files`, with the loaded manifest (its charts, say)."""
    manifest = load(package)
    try:
        data = parse_json(read_regular(timeline, MAX_TIMELINE))
    except (Refused, Unreadable, ValueError) as error:
        raise TimelineError(f"{timeline}: {error}") from None
    return manifest, simulate(manifest, read_timeline(data))


def write_charts(manifest: Manifest, result: Result, folder: Path) -> list[Path]:
    """Each chart of the program drawn for the simulation, as `<form>-<total>.svg` in `folder`
    (made when missing); the files written, none when the program has no charts."""
    written = []
    for chart, plotted in zip(manifest.charts, result.charts, strict=True):
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{chart.form}-{chart.total}.svg"
        path.write_text(svg(with_scores(chart.vega_lite, chart_rows(plotted))), "utf-8")
        written.append(path)
    return written
