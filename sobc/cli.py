"""The command line: click parses the options, the library does the work, and this module
prints and chooses the exit code.

Exit codes: 0 no problems, 1 content problems, 2 usage problems.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__, report
from .build import BuildError, BuildResult
from .build import build as build_programs
from .paths import find_programs

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2

paths_argument = click.argument(
    "paths", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")


def _programs(paths: tuple[Path, ...]) -> list[Path]:
    """The program folders the paths name (default programs/); a path naming none is an error."""
    folders, missing = find_programs(list(paths))
    for path in missing:
        click.echo(
            f"error: {path} is not a program folder and holds none (no program.yaml)", err=True
        )
    if not folders and not missing:
        click.echo("error: no programs found", err=True)
    if missing or not folders:
        sys.exit(EXIT_USAGE)
    return folders


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sobc")
def main() -> None:
    """Compile digital support and treatment programs written as YAML."""


@main.command()
@paths_argument
@click.option(
    "--format",
    "output_format",
    type=click.Choice(report.FORMATS),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for workflow annotations.",
)
@strict_option
def validate(paths: tuple[Path, ...], output_format: str, strict: bool) -> None:
    """Check programs and report every problem as file:line:col.

    PATHS are program folders or folders of programs (default: programs/).
    """
    from .validation import validate as validate_programs  # the build needs not load it

    folders = _programs(paths)
    outcome = validate_programs(folders, strict=strict)
    diagnostics = outcome.diagnostics
    if output_format == "json":
        click.echo(report.as_json(len(folders), diagnostics))
    elif output_format == "github":
        if diagnostics:
            click.echo(report.as_github(diagnostics))
        click.echo(report.summary(len(folders), diagnostics), err=True)
    else:
        if diagnostics:
            click.echo(report.as_text(diagnostics))
        click.echo(report.summary(len(folders), diagnostics), err=bool(diagnostics))
    sys.exit(EXIT_OK if outcome.ok else EXIT_CONTENT)


@main.command()
@paths_argument
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="The output folder; replaced only when the build succeeds.",
)
@strict_option
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but problems.")
def build(paths: tuple[Path, ...], out: Path, strict: bool, quiet: bool) -> None:
    """Build the HTML package and manifest of each program.

    PATHS are program folders or folders of programs (default: programs/). Building a folder of
    programs makes the output hold exactly those; building single programs keeps the others.
    """
    folders = _programs(paths)
    try:
        with Progress(not quiet and sys.stderr.isatty()) as progress:
            result = build_programs(
                paths or (Path("programs"),), out, strict=strict, progress=progress.update
            )
    except BuildError as problem:
        click.echo(f"error: {problem}", err=True)
        sys.exit(EXIT_USAGE)
    except OSError as problem:  # the system refused: disk full, permissions, a vanished folder
        click.echo(f"error: cannot write {out}: {problem}", err=True)
        sys.exit(EXIT_USAGE)
    if result.diagnostics:
        click.echo(report.as_text(result.diagnostics), err=True)
    if not result.ok:
        summary = report.summary(len(folders), result.diagnostics)
        click.echo(f"build failed ({summary}); {out} left unchanged", err=True)
        sys.exit(EXIT_CONTENT)
    if not quiet:
        click.echo(built(result, out))
    sys.exit(EXIT_OK)


def built(result: BuildResult, out: Path) -> str:
    """What `sobc build` says when it has succeeded."""
    if not result.rebuilt:
        return f"{out} is up to date ({_count(len(result.programs), 'program')})"
    unchanged = len(result.programs) - len(result.rebuilt)
    return (
        f"built {_count(len(result.rebuilt), 'program')} into {out} "
        f"({_count(result.pages, 'page')}); {unchanged} unchanged"
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


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


@main.command()
@paths_argument
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="0: any free port.",
)
@strict_option
def serve(paths: tuple[Path, ...], host: str, port: int, strict: bool) -> None:
    """Preview programs in a browser, rebuilding when a file changes.

    PATHS are program folders or folders of programs (default: programs/). Stop with Ctrl-C.
    """
    import signal

    from .preview.serve import PreviewServer, is_loopback  # late: only serving needs them
    from .preview.site import Outcome

    folders = _programs(paths)

    def report_build(outcome: Outcome) -> None:
        if outcome.diagnostics:
            click.echo(report.as_text(outcome.diagnostics), err=True)
        if outcome.problem:
            click.echo(f"error: {outcome.problem}", err=True)
        if outcome.ok:
            click.echo(f"built ({_count(outcome.pages, 'page')} written)")
        else:
            click.echo(
                "build failed; the preview shows the problems until they are fixed", err=True
            )

    def ready(url: str) -> None:
        if not is_loopback(host):
            click.echo(
                f"warning: listening on {host}: other machines can see the preview", err=True
            )
        click.echo(f"serving {url} (Ctrl-C stops)")

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)  # stop cleanly when a supervisor ends us too
    server = PreviewServer(folders, host=host, port=port, strict=strict, report=report_build)
    try:
        try:
            url = server.start()
        except OSError as problem:
            click.echo(f"error: cannot listen on {host}:{port}: {problem.strerror}", err=True)
            sys.exit(EXIT_USAGE)
        ready(url)
        server.watch()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.close()
    sys.exit(EXIT_OK)


@main.command()
@click.argument("kind", type=click.Choice(["program", "module", "form"]))
@click.argument("new_id", metavar="ID")
@click.option(
    "--in",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="For a program, the folder it goes in (default: programs/); "
    "for a module or form, its program's folder (default: the current folder).",
)
def new(kind: str, new_id: str, folder: Path | None) -> None:
    """Start a program, module or form with files that validate; never overwrites.

    A new module is also added to the end of program.yaml's modules list.
    """
    from . import scaffold  # late: only this command needs it

    try:
        created = scaffold.create(kind, new_id, folder)
    except scaffold.ScaffoldError as problem:
        click.echo(f"error: {problem}", err=True)
        sys.exit(EXIT_USAGE)
    except OSError as problem:
        click.echo(f"error: cannot write: {problem}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(scaffold.describe(created))
    sys.exit(EXIT_OK)
