"""The command line: click parses the options, the library does the work, and this module
prints and chooses the exit code.

Exit codes: 0 no errors (warnings alone exit 0, and 1 with --strict), 1 content problems, 2 usage
problems.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import report, stopping
from .package.build import BuildError, BuildResult
from .package.build import build as build_programs
from .paths import display_path, find_programs, path_problem
from .resources import VERSION

if TYPE_CHECKING:
    from .preview.changes import Since  # only `sobc serve` loads the preview
    from .preview.serve import PreviewServer
    from .preview.site import Outcome
    from .runtime.keys import SigningKey

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2

paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(report.FORMATS),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for workflow annotations.",
)
F = TypeVar("F", bound=Callable[..., Any])


def _set_color(ctx: click.Context, _: click.Parameter, value: bool | None) -> None:
    """--color/--no-color, else NO_COLOR (https://no-color.org), else colour on a terminal."""
    if value is None and os.environ.get("NO_COLOR"):
        value = False
    if value is not None:
        ctx.color = value  # every click.echo of this command follows it


def output_options(command: F) -> F:
    """-q, -v and --color/--no-color, which every command takes."""
    options = [
        click.option("-q", "--quiet", is_flag=True, help="Print nothing but problems."),
        click.option("-v", "--verbose", is_flag=True, help="Also say what was done, and where."),
        click.option(
            "--color/--no-color",
            default=None,
            expose_value=False,
            callback=_set_color,
            help="Colour the output (default: on a terminal, unless NO_COLOR is set).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def error(message: str) -> None:
    click.echo(f"{click.style('error', fg='red', bold=True)}: {message}", err=True)


def warning(message: str) -> None:
    click.echo(f"{click.style('warning', fg='yellow', bold=True)}: {message}", err=True)


def _programs(paths: tuple[Path, ...]) -> list[Path]:
    """The program folders the paths name (default programs/); a path naming none is an error."""
    problems = [problem for path in paths or (Path("programs"),) if (problem := path_problem(path))]
    for problem in problems:
        error(problem)
    if problems:
        sys.exit(EXIT_USAGE)
    folders, missing = find_programs(list(paths))
    for path in missing:
        error(f"{path} is not a program folder and holds none (no program.yaml)")
    if not folders and not missing:
        error("no programs found")
    if missing or not folders:
        sys.exit(EXIT_USAGE)
    return folders


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(VERSION, "-V", "--version", prog_name="sobc")
def main() -> None:
    """Compile digital support and treatment programs written as YAML."""


@main.command()
@paths_argument
@format_option
@strict_option
@output_options
def validate(
    paths: tuple[Path, ...], output_format: str, strict: bool, quiet: bool, verbose: bool
) -> None:
    """Check programs and report every problem as file:line:col.

    PATHS are program folders or folders of programs (default: programs/).
    """
    from .check.validation import validate as validate_programs  # the build needs not load it

    folders = _programs(paths)
    if verbose:
        for folder in folders:
            click.echo(f"checking {folder}", err=True)
    outcome = validate_programs(folders, strict=strict)
    diagnostics = outcome.diagnostics
    summary = report.summary(len(folders), diagnostics)
    if output_format == "json":
        click.echo(report.as_json(len(folders), diagnostics))
    else:
        _show(diagnostics, output_format)
        if not quiet:
            click.echo(summary, err=output_format == "github" or bool(diagnostics))
    sys.exit(EXIT_OK if outcome.ok else EXIT_CONTENT)


def _show(diagnostics: list[Any], output_format: str) -> None:
    """Diagnostics as text or GitHub annotations, on standard output."""
    if diagnostics:
        github = output_format == "github"
        click.echo(
            report.as_github(diagnostics) if github else report.as_text(diagnostics, style=True)
        )


@main.command()
@paths_argument
@format_option
@strict_option
@click.option(
    "--summary",
    is_flag=True,
    help="Also print each module's median and worst step LIX and reading time.",
)
@output_options
def lint(
    paths: tuple[Path, ...],
    output_format: str,
    strict: bool,
    summary: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Check patient text and content: readability (LIX), klarspråk, accessibility, personal
    data and workload, after the problems `sobc validate` reports (docs/lint.md).

    PATHS are program folders or folders of programs (default: programs/).
    """
    from .lint import lint as lint_programs  # late: only this command needs it
    from .lint.summary import as_table

    folders = _programs(paths)
    if verbose:
        for folder in folders:
            click.echo(f"linting {folder}", err=True)
    outcome = lint_programs(folders, strict=strict)
    diagnostics = outcome.diagnostics
    if output_format == "json":
        payload = json.loads(report.as_json(len(folders), diagnostics))
        if summary:
            payload["summary"] = {
                display_path(p.folder): {
                    "median_lix": None if p.median_lix is None else round(p.median_lix, 1),
                    "modules": [m.to_dict() for m in p.modules],
                    "activity_plans": [plan.to_dict() for plan in p.plans],
                }
                for p in outcome.programs
            }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        _show(diagnostics, output_format)
        if summary:
            tables = [
                as_table(display_path(p.folder), p.modules, p.median_lix, p.plans)
                for p in outcome.programs
            ]
            click.echo("\n\n".join(tables), err=output_format == "github")
        if not quiet:
            text = report.summary(len(folders), diagnostics)
            click.echo(text, err=output_format == "github" or bool(diagnostics))
    sys.exit(EXIT_OK if outcome.ok else EXIT_CONTENT)


def out_option(default: str, help: str) -> Callable[[F], F]:
    """`--out DIR`: a folder to write into."""
    return click.option(
        "--out",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path(default),
        show_default=True,
        help=help,
    )


@main.command()
@out_option("schema", "The folder to write the schemas into.")
@output_options
def schema(out: Path, quiet: bool, verbose: bool) -> None:
    """Write the JSON Schemas of program, module and form files (and the manifest).

    An editor reads them through a YAML file's first line; for modules/<id>.yaml:

    \b
      # yaml-language-server: $schema=../../../schema/module.schema.json
    """
    from .resources import schema_dir

    try:
        out.mkdir(parents=True, exist_ok=True)
        written = [_copy(source, out) for source in sorted(schema_dir().glob("*.schema.json"))]
    except OSError as problem:
        error(f"cannot write {out}: {problem}")
        sys.exit(EXIT_USAGE)
    if verbose:
        click.echo("\n".join(str(path) for path in written), err=True)
    if not quiet:
        click.echo(f"wrote {_count(len(written), 'schema')} into {out}")
    sys.exit(EXIT_OK)


def _copy(source: Path, folder: Path) -> Path:
    target = folder / source.name
    target.write_bytes(source.read_bytes())
    return target


@main.command()
@paths_argument
@out_option("build", "The output folder; replaced only when the build succeeds.")
@strict_option
@click.option(
    "--sign",
    "key_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Sign each package with this Ed25519 private key (PEM, from `sobc key new`): "
    "manifest.json.jws beside its manifest (docs/manifest.md).",
)
@output_options
def build(
    paths: tuple[Path, ...],
    out: Path,
    strict: bool,
    key_file: Path | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build the HTML package and manifest of each program.

    PATHS are program folders or folders of programs (default: programs/). Building a folder of
    programs makes the output hold exactly those; building single programs keeps the others.
    """
    folders = _programs(paths)
    signer = _signing_key(key_file) if key_file is not None else None
    started = time.monotonic()
    try:
        with Progress(not quiet and sys.stderr.isatty()) as progress:
            result = build_programs(
                paths or (Path("programs"),),
                out,
                strict=strict,
                progress=progress.update,
                signer=signer,
            )
    except BuildError as problem:
        error(str(problem))
        sys.exit(EXIT_USAGE)
    except OSError as problem:  # the system refused: disk full, permissions, a vanished folder
        error(f"cannot write {out}: {problem}")
        sys.exit(EXIT_USAGE)
    if result.diagnostics:
        click.echo(report.as_text(result.diagnostics, style=True), err=True)
    if not result.ok:
        summary = report.summary(len(folders), result.diagnostics)
        click.echo(f"build failed ({summary}); {out} left unchanged", err=True)
        sys.exit(EXIT_CONTENT)
    if verbose:
        click.echo(details(result), err=True)
    if not quiet:
        click.echo(built(result, out, time.monotonic() - started))
    sys.exit(EXIT_OK)


def _signing_key(path: Path) -> SigningKey:
    from .runtime.keys import KeyProblem, read_signing_key

    try:
        return read_signing_key(path)
    except KeyProblem as problem:
        error(str(problem))
        sys.exit(EXIT_USAGE)


def built(result: BuildResult, out: Path, seconds: float) -> str:
    """What `sobc build` says when it has succeeded."""
    took = f"{seconds:.1f} s"
    if not result.rebuilt:
        return f"{out} is up to date ({_count(len(result.programs), 'program')}; {took})"
    unchanged = len(result.programs) - len(result.rebuilt)
    return (
        f"built {_count(len(result.rebuilt), 'program')} into {out} "
        f"({_count(result.pages, 'page')}) in {took}; {unchanged} unchanged"
    )


def details(result: BuildResult) -> str:
    """What `sobc build -v` adds: each package compiled or left as it was, and the cache."""
    from .paths import cache_dir

    lines = [f"compiled {name}" for name in result.rebuilt]
    lines += [f"unchanged {name}" for name in result.programs if name not in result.rebuilt]
    lines.append(f"cache: {cache_dir()}")
    return "\n".join(lines)


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


def _build_reporter(quiet: bool, verbose: bool) -> Callable[[Outcome], None]:
    """What `sobc serve` says after each build: its problems, then that it built (or failed)."""
    failed = [False]  # whether the latest build failed: the next good one is a fix

    def report_build(outcome: Outcome) -> None:
        if outcome.diagnostics:
            click.echo(report.as_text(outcome.diagnostics, style=True), err=True)
        if outcome.problem:
            error(outcome.problem)
        if outcome.ok and verbose:
            for name in outcome.rebuilt:
                click.echo(f"compiled {name}", err=True)
        if outcome.ok and not quiet:
            click.echo(built_message(outcome.pages, fixed=failed[0]))
        elif not outcome.ok:
            click.echo(
                "build failed; the preview shows the problems until they are fixed", err=True
            )
        failed[0] = not outcome.ok

    return report_build


def built_message(pages: int, *, fixed: bool) -> str:
    """What `sobc serve` says after a good build; `fixed`: the one before it failed. A build
    that writes nothing left every page as the last good build had it."""
    if pages:
        return f"{'fixed: ' if fixed else ''}built ({_count(pages, 'page')} written)"
    if fixed:
        return "fixed: built, every page as it was before the problem"
    return "built: no page changed"


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
@click.option(
    "--since",
    metavar="OLD",
    default=None,
    help="Also show clinicians what changed since OLD (a git revision, a folder or a package, "
    "as sobc diff reads them) on each program's start page.",
)
@output_options
def serve(
    paths: tuple[Path, ...],
    host: str,
    port: int,
    strict: bool,
    since: str | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Preview programs in a browser, rebuilding when a file changes.

    PATHS are program folders or folders of programs (default: programs/). Stop with Ctrl-C.
    """
    from .preview.serve import PreviewServer, is_loopback  # late: only serving needs them

    folders = _programs(paths)
    report_build = _build_reporter(quiet, verbose)

    def ready(url: str) -> None:
        if not is_loopback(host):
            warning(f"listening on {host}: other machines can see the preview")
        click.echo(f"serving {url} (Ctrl-C stops)")
        if verbose:
            from .paths import cache_dir

            click.echo(f"cache: {cache_dir()}", err=True)

    server: PreviewServer | None = None
    with stopping.on_signals() as stop:
        try:
            changes = _since(since, folders)
            server = PreviewServer(
                folders, host=host, port=port, strict=strict, report=report_build, since=changes
            )
            _listen_and_watch(server, ready)
        except KeyboardInterrupt:  # `Stopped`, or the watcher's own when it saw the signal
            if not quiet:
                click.echo("stopped")
        finally:
            stop.hurry()  # a second Ctrl-C while the build folder is removed ends at once
            if server is not None:
                server.close()
    sys.exit(EXIT_OK)


def _listen_and_watch(server: PreviewServer, ready: Callable[[str], None]) -> None:
    """Listen (a usage error when the address cannot be had), then rebuild on every change."""
    try:
        url = server.start()
    except OSError as problem:
        error(f"cannot listen on {server.host}:{server.port}: {problem.strerror}")
        sys.exit(EXIT_USAGE)
    ready(url)
    server.watch()


def _since(since: str | None, folders: list[Path]) -> Since | None:
    """`--since OLD` read (a git revision is copied out of the repository), or None."""
    if since is None:
        return None
    from .diff import UsageProblem
    from .preview.changes import Since

    try:
        return Since(since, folders)
    except UsageProblem as problem:
        error(str(problem))
        sys.exit(EXIT_USAGE)


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
@click.option(
    "--title",
    default=None,
    help="Its title, as patients read it (default: made from the id, which has no å, ä or ö).",
)
@output_options
def new(
    kind: str, new_id: str, folder: Path | None, title: str | None, quiet: bool, verbose: bool
) -> None:
    """Start a program, module or form with files that validate; never overwrites.

    A new module is also added to the end of program.yaml's modules list.
    """
    from .new import scaffold  # late: only this command needs it

    try:
        created = scaffold.create(kind, new_id, folder, title)
    except scaffold.ScaffoldError as problem:
        error(str(problem))
        sys.exit(EXIT_USAGE)
    except OSError as problem:
        error(f"cannot write: {problem}")
        sys.exit(EXIT_USAGE)
    if not quiet:
        click.echo(scaffold.describe(created, verbose=verbose))
    sys.exit(EXIT_OK)


@main.command(name="diff")
@click.argument("old")
@click.argument("new")
@click.argument("program_ids", metavar="[PROGRAM]...", nargs=-1)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("text", "json", "markdown", "github")),
    default="text",
    show_default=True,
    help="text for people, json for tools, markdown for a pull-request comment, github for "
    "workflow annotations.",
)
@click.option(
    "--fail-on",
    type=click.Choice(("data-breaking", "safety", "structure", "wording", "cosmetic")),
    default=None,
    help="Exit 1 when a change of this class or a worse one is found.",
)
@click.option(
    "--version-policy",
    type=click.Choice(("semver", "changed", "off")),
    default="semver",
    show_default=True,
    help="semver: any change but cosmetic needs a new version, a data-breaking one a new major "
    "version; changed: any change but cosmetic needs a new version; off: no check.",
)
@output_options
def diff_command(
    old: str,
    new: str,
    program_ids: tuple[str, ...],
    output_format: str,
    fail_on: str | None,
    version_policy: str,
    quiet: bool,
    verbose: bool,
) -> None:
    """What changed from OLD to NEW, classified by what it does to patients already in the
    program (docs/diff.md).

    OLD and NEW are each a program folder, a folder of programs, a built package (its
    manifest.json) or a git revision of this repository (read from git, never checked out).
    PROGRAM ids limit the comparison to those programs.
    """
    from .diagnostics import has_errors
    from .diff import ChangeClass, UsageProblem, VersionPolicy, diff
    from .diff.report import render

    try:
        with stopping.on_signals():  # so a revision's copy is removed on SIGTERM or SIGHUP too
            result = diff(old, new, program_ids, VersionPolicy(version_policy))
    except UsageProblem as problem:
        error(str(problem))
        sys.exit(EXIT_USAGE)
    except stopping.Stopped as stopped:
        sys.exit(stopped.exit_code)
    if result.problems:
        click.echo(report.as_text(result.problems, style=True), err=True)
    if has_errors(result.problems):
        error("cannot compare: a program above could not be read")
        sys.exit(EXIT_USAGE)
    if (
        result.changes
        or output_format in ("json", "markdown")
        or (output_format == "text" and not quiet)
    ):
        click.echo(render(result, output_format, style=True))
    failed = fail_on is not None and result.fails(ChangeClass(fail_on))
    if verbose:
        click.echo(f"compared {old} → {new}", err=True)
    sys.exit(EXIT_CONTENT if failed else EXIT_OK)


@main.command()
@click.argument("package", type=click.Path(path_type=Path))
@click.argument("timeline", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="text for people, json for tools (docs/authoring.md, Simulating a program).",
)
@click.option(
    "--charts",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also draw each chart of the program for the timeline, as FORM-TOTAL.svg in this "
    "folder (made when missing).",
)
@output_options
def simulate(
    package: Path,
    timeline: Path,
    output_format: str,
    charts: Path | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """What a runtime must do for the TIMELINE (a JSON file of patient and clinician events) in
    the built PACKAGE: the flags it raises and when, each plan's due dates and misses, each score
    and what the patient sees each day (docs/authoring.md, Simulating a program); with
    --charts, each chart over time as the clinician will see it."""
    from .runtime import ManifestError
    from .runtime.result import as_json, as_text
    from .runtime.simulation import simulate_package, write_charts
    from .runtime.timeline import TimelineError

    try:
        manifest, result = simulate_package(package, timeline)
    except (ManifestError, TimelineError) as problem:
        error(str(problem))
        sys.exit(EXIT_USAGE)
    try:
        drawn = write_charts(manifest, result, charts) if charts else []
    except OSError as problem:
        error(f"cannot write the charts in {charts}: {problem}")
        sys.exit(EXIT_USAGE)
    if output_format == "json":
        click.echo(json.dumps(as_json(result), ensure_ascii=False, indent=2))
    elif not quiet:
        click.echo(as_text(result), nl=False)
    if verbose:
        click.echo(f"simulated {timeline} in {package}", err=True)
        for path in drawn:
            click.echo(f"drew {path}", err=True)
    sys.exit(EXIT_OK)


@main.group()
def key() -> None:
    """Keys that sign packages for deployment (docs/manifest.md, Signatures)."""


@key.command(name="new")
@click.option(
    "--out",
    "folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder for the key pair (made if missing); nothing in it is overwritten.",
)
def key_new(folder: Path) -> None:
    """Make an Ed25519 key pair: signing-key.pem (the private key, readable by its owner only:
    keep it out of the repository, in the deployment's secrets), public-key.pem and
    public-key.jwk (for the runtimes that trust it)."""
    from .runtime.keys import PRIVATE_FILE, KeyProblem, new_key_pair

    try:
        public = new_key_pair(folder)
    except KeyProblem as problem:
        error(str(problem))
        sys.exit(EXIT_USAGE)
    except OSError as problem:
        error(f"cannot write {folder}: {problem}")
        sys.exit(EXIT_USAGE)
    click.echo(f"made the key {public.kid} in {folder}")
    click.echo(f"keep {folder / PRIVATE_FILE} secret: never commit it")
    sys.exit(EXIT_OK)
