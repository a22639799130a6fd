"""The site: `site.yaml` in the folder that holds the program folders, the look of the catalogue
page that lists their packages (each program's pages take the program's own `theme`).

Only the site file and the logo it names are read from that folder, the logo under its media/
by the same publishing rule as a program's files (`media.py`); they are published only into the
output's `_assets/`, never into a package.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic
from ..model.program import Theme
from ..paths import SITE_FILE, display_path
from ..read.assemble import assemble_theme
from ..read.schema import validate
from ..read.source import parse_bytes, read_file
from .media import KINDS_TEXT, LOGO_LIMIT, locate, shown, unnamable, unpublishable
from .reporter import Reporter
from .theme import contrast_of


@dataclass(frozen=True)
class Site:
    folder: Path
    theme: Theme
    logo: Path | None  # the logo's file, checked for publishing


def load_site(folder: Path) -> tuple[Site | None, list[Diagnostic]]:
    """The site file of `folder`, checked like a program's: schema, contrast, logo."""
    path = folder / SITE_FILE
    shown = display_path(path)
    raw, problems = read_file(path, shown, folder)
    if raw is None:
        return None, problems
    doc, problems = parse_bytes(raw, shown, path)
    if doc is None:
        return None, problems
    problems = validate(doc, "site")
    if problems:
        return None, problems
    theme = assemble_theme(doc)
    report = Reporter()
    contrast_of(theme, report)
    logo = _logo(folder, theme, report)
    if report.diagnostics:
        return None, report.diagnostics
    return Site(folder, theme, logo), []


def _logo(folder: Path, theme: Theme, report: Reporter) -> Path | None:
    if theme.logo is None:
        return None
    referrer, at = "the site's logo", ("logo",)
    if (why := unnamable(theme.logo)) is not None:
        report("SOBC325", theme.ref, *at, file=shown(theme.logo), reason=why)
        return None
    real = locate(folder, theme.logo)
    if real is None:
        hint = "keep the logo in the media/ folder beside site.yaml"
        report("SOBC311", theme.ref, *at, referrer=referrer, file=theme.logo, suggestion=hint)
    elif not os.path.lexists(real):
        report("SOBC310", theme.ref, *at, referrer=referrer, file=theme.logo)
    elif (reason := unpublishable(real, LOGO_LIMIT)) is not None:
        report("SOBC322", theme.ref, *at, file=theme.logo, reason=reason, kinds=KINDS_TEXT)
    return real
