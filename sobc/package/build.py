"""Orchestration: compile the programs that changed, then put the new output in place.

Each program folder has a digest (its files and sobc's own, `digests.py`). A program whose
package in the output was written by a clean compile of the same digest (`cache.py`) is left
as it is; every other program is compiled whole — loaded, checked and written into a staging
folder — several at a time in a process pool when there are enough of them. Nothing in the
output changes unless every program compiled cleanly; then each new package is swapped in
atomically (`output.place`) and the catalogue is written again from the manifests of every
package the output holds.

A build with a signing key also writes each new package's signature (`manifest.json.jws`,
`runtime/signature.py`) beside its manifest, whose bytes stay those of the unsigned build. A
package counts as up to date only when its signature is what this build would write: none for
an unsigned build, this key's over its manifest for a signed one (Ed25519 is deterministic, so
that is one comparison of bytes); otherwise it is compiled, and signed, again.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic, has_errors
from ..paths import SITE_FILE, site_folder
from ..runtime.format import SIGNATURE_FILE
from ..runtime.layout import CATALOGUE, MANIFEST_FILE, assets
from . import cache, output
from .digests import compiler_digest, program_digest, sha256
from .output import BuildError

if TYPE_CHECKING:
    from ..check.site import Site
    from ..model.program import Program
    from ..runtime.keys import SigningKey
    from .compiler import Compiled, Progress

__all__ = ["BuildError", "BuildResult", "build"]


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic]
    programs: list[str] = field(default_factory=list)  # the packages the output holds
    rebuilt: list[str] = field(default_factory=list)  # the packages this build wrote
    compiled: list[Program] = field(default_factory=list)  # their programs, when asked (`keep`)
    pages: int = 0  # pages written by this build

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


@dataclass
class Plan:
    """What a build will do, decided before anything is written (`decide`); `apply` does it."""

    out: Path  # the output folder, its real path
    ids: list[str]  # the packages of the programs built, one per program folder
    site: Site | None  # the catalogue's look, when a site file lies beside the programs
    todo: list[tuple[Path, str]]  # (program folder, digest) of each program to compile
    entries: dict[str, dict[str, Any]]  # catalogue entries of the packages left as they are
    kept: list[str]  # other packages the output keeps (a build of single programs)
    dropped: list[str]  # packages and leftovers the output loses
    top_level_current: bool  # the catalogue and shared assets are as this build would write
    signer: SigningKey | None = None  # signs each package written, when given

    @property
    def nothing_to_do(self) -> bool:
        return not self.todo and not self.dropped and self.top_level_current

    @property
    def packages(self) -> list[str]:
        """The packages the output holds after the build."""
        return sorted([*self.ids, *self.kept])


def build(
    program_dirs: Sequence[Path],
    out: Path,
    *,
    strict: bool = False,
    progress: Progress | None = None,
    keep: bool = False,
    signer: SigningKey | None = None,
) -> BuildResult:
    """Build the programs into `out`; changes nothing there when any program has problems.

    `program_dirs`: program folders, or folders of programs. When none of them is itself a
    program folder, the output is made to hold exactly these programs (packages of programs no
    longer there are removed); otherwise the output's other packages are kept.
    `progress(done, total, label)` is called as each program is compiled. `keep`: return the
    compiled programs (`BuildResult.compiled`), e.g. for the preview. `signer`: sign each
    package with this key (`runtime.keys.read_signing_key`); unsigned when None.
    """
    plan = decide(program_dirs, Path(out), signer)
    if isinstance(plan, BuildResult):
        return plan
    if plan.nothing_to_do:
        return BuildResult([], plan.packages)
    return apply(plan, strict=strict, progress=progress, keep=keep)


def decide(
    program_dirs: Sequence[Path], out: Path, signer: SigningKey | None = None
) -> Plan | BuildResult:
    """What to compile, keep and drop: each program's digest against the cache's record of the
    package the output holds. A result instead when there is nothing to build or a problem."""
    folders = _expand(program_dirs)
    if not folders:
        return BuildResult([])
    output.check_target(out, folders)
    out = out.resolve()  # staged beside the real folder, when `out` is a link
    ids = _ids(folders)
    site, problems = _site(folders)
    if has_errors(problems):
        return BuildResult(problems)
    present = output.packages(out)
    whole = not any((Path(p) / "program.yaml").is_file() for p in program_dirs)
    kept = [] if whole else [i for i in present if i not in ids]
    dropped = [i for i in present if i not in ids and i not in kept]
    plan = Plan(out, ids, site, [], {}, kept, dropped, _top_level_current(out, site), signer)
    for folder, pid in zip(folders, ids, strict=True):
        digest = program_digest(folder)
        entry = _current(out / pid, folder, digest, signer)
        if entry is None:
            plan.todo.append((folder, digest))
        else:
            plan.entries[pid] = entry
    return plan


def apply(plan: Plan, *, strict: bool, progress: Progress | None, keep: bool) -> BuildResult:
    """Compile what the plan says into a staging folder and, when every program compiled
    cleanly, swap it into the output and remember each clean compile in the cache."""
    # The compiler (and with it the loader, checks and renderer) is imported only now: a build
    # with nothing to do needs none of it.
    from .compiler import compile_all

    with output.staging(plan.out) as staged:
        compiled = compile_all(plan.todo, staged, strict, keep, progress)
        diagnostics = [d for c in compiled for d in c.diagnostics]
        if any(c.package is None for c in compiled):
            return BuildResult(diagnostics)
        if plan.signer is not None:
            _sign(staged, [c.package.id for c in compiled if c.package], plan.signer)
        entries = dict(plan.entries)
        entries.update((c.package.id, c.package.catalogue) for c in compiled if c.package)
        entries.update(_entries_of([plan.out / pid for pid in plan.kept]))
        listed = [entries[pid] for pid in sorted(entries)]
        catalogue = _write_top_level(staged, listed, plan.site)
        output.place(staged, plan.out, plan.dropped)
    _remember(plan.site, compiled, catalogue)
    return BuildResult(
        diagnostics,
        sorted(entries),
        [c.package.id for c in compiled if c.package],
        [c.program for c in compiled if c.program is not None],
        sum(c.package.pages for c in compiled if c.package),
    )


def _remember(site: Site | None, compiled: list[Compiled], catalogue: bytes) -> None:
    """Record each clean compile (and the catalogue's look) in the cache outside the output."""
    if site is not None:
        cache.remember(site.folder, _site_digest(site), sha256(catalogue), {})
    for c in compiled:
        if c.package is not None and not c.diagnostics:
            cache.remember(c.folder, c.digest, c.package.manifest_sha, c.package.catalogue)


def _expand(dirs: Sequence[Path]) -> list[Path]:
    """Program folders; a folder of program folders stands for all of them. A path that is
    neither stays as it is, for the loader to report (SOBC200)."""
    found: list[Path] = []
    for folder in map(Path, dirs):
        children = (
            sorted(c for c in folder.iterdir() if (c / "program.yaml").is_file())
            if (folder.is_dir() and not (folder / "program.yaml").exists())
            else []
        )
        found.extend(children or [folder])
    return found


def _ids(folders: list[Path]) -> list[str]:
    """Each folder's package name (a program's id is its folder's name; SOBC204 checks it)."""
    ids = [folder.resolve().name for folder in folders]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise BuildError(f"two program folders have the same name: {', '.join(twice)}")
    return ids


def _current(
    package: Path, folder: Path, digest: str, signer: SigningKey | None
) -> dict[str, Any] | None:
    """The package's catalogue entry when the package in the output is the one a clean compile
    of these sources wrote, signed as this build signs; None when it must be compiled."""
    recorded = cache.compiled(folder, digest)
    if recorded is None:
        return None
    manifest_sha, entry = recorded
    try:
        manifest = (package / MANIFEST_FILE).read_bytes()
        if sha256(manifest) != manifest_sha:
            return None
        signature = package / SIGNATURE_FILE
        if signer is None:
            return None if os.path.lexists(signature) else entry
        return entry if signature.read_bytes() == _signature(manifest, signer) else None
    except OSError:
        return None


def _signature(manifest: bytes, signer: SigningKey) -> bytes:
    from ..runtime.signature import sign  # only a signed build needs it (and joserfc)

    return sign(manifest, signer)


def _sign(staged: Path, packages: list[str], signer: SigningKey) -> None:
    """Write the signature of each staged package's manifest beside it."""
    for pid in packages:
        manifest = (staged / pid / MANIFEST_FILE).read_bytes()
        (staged / pid / SIGNATURE_FILE).write_bytes(_signature(manifest, signer))


def _top_level_current(out: Path, site: Site | None) -> bool:
    """The catalogue and the shared assets (named by their content) are there; with a site
    file, the catalogue is the one last written in this site's look (the machine's cache)."""
    names = [CATALOGUE, *(path for path, _ in assets().values())]
    if not all((out / name).is_file() for name in names):
        return False
    if site is None:
        return True
    recorded = cache.compiled(site.folder, _site_digest(site))
    try:
        return recorded is not None and sha256((out / CATALOGUE).read_bytes()) == recorded[0]
    except OSError:
        return False


def _site(folders: list[Path]) -> tuple[Site | None, list[Diagnostic]]:
    """The site file beside the programs, if there is one (`site.py`, whose checks are imported
    only then: a build with nothing to do needs none of them)."""
    folder = site_folder(folders)
    if folder is None:
        return None, []
    from ..check.site import load_site

    return load_site(folder)


def _site_digest(site: Site) -> str:
    """What the catalogue's look is made from: the site file, its logo and sobc."""
    parts = [compiler_digest(), sha256((site.folder / SITE_FILE).read_bytes())]
    if site.logo is not None:
        parts.append(sha256(site.logo.read_bytes()))
    return sha256("\0".join(parts).encode())


def _entries_of(packages: list[Path]) -> dict[str, dict[str, Any]]:
    """The catalogue entries of packages this build keeps but did not make, from their
    manifests (only a build of single programs keeps such packages)."""
    from ..render.guide import catalogue_entry

    found = {}
    for package in packages:
        manifest = output.package_manifest(package)
        if manifest is not None:
            found[package.name] = catalogue_entry(manifest)
    return found


def _write_top_level(staged: Path, entries: list[dict[str, Any]], site: Site | None) -> bytes:
    """The catalogue of these entries, and the shared assets; the catalogue's bytes."""
    from .write import write_top_level

    return write_top_level(staged, entries, site)
