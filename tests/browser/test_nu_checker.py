"""The Nu Html Checker (vnu-jar from npm, run with Debian's Java) over a whole build: every page
of the three programs and the example, the catalogue and the guides, with zero errors.

It found 134 errors once, every one a skipped heading level (a body's `##` became `<h3>` right
after the page's `<h1>`); a body's headings now follow the page's structure
(`render.markdown.heading_levels`).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from sobc.package.build import build

from ..conftest import EXAMPLE, PROGRAMS
from .conftest import missing

VNU = Path(__file__).resolve().parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_built_page_is_valid_html(tmp_path: Path) -> None:
    java = shutil.which("java")
    if java is None:
        missing("no Java for the Nu Html Checker")
    if not VNU.is_file():
        missing(f"the Nu Html Checker is not installed at {VNU}")
    out = tmp_path / "out"
    assert build([PROGRAMS, EXAMPLE], out).ok
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 200
    checked = subprocess.run(
        [str(java), "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(checked.stderr or checked.stdout)["messages"]
    errors = [f"{m['url']}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == [], "\n".join(errors[:20])
