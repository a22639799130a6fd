"""The command line: click parses the options; `commands.py` (or the library, for what only one
command does) does the rest, prints, and chooses the exit code.

Exit codes: 0 no problems, 1 content problems, 2 usage problems.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__, commands, report
from .commands import EXIT_CONTENT, EXIT_OK, EXIT_USAGE

paths_argument = click.argument(
    "paths", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")


def _programs(paths: tuple[Path, ...]) -> list[Path]:
    try:
        return commands.programs(paths)
    except commands.UsageError:
        sys.exit(EXIT_USAGE)


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
    from .validation import validate as validate_programs  # only this command needs it

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

    PATHS are program folders or folders of programs (default: programs/).
    """
    sys.exit(commands.build(paths, out, strict=strict, quiet=quiet))


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
            click.echo(f"built ({outcome.rendered} pages rendered, {outcome.reused} unchanged)")
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
