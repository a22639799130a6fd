"""axe-core on every kind of page, in both perspectives, at phone and desktop width.

Screenshots of each go to tests/_artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..conftest import EXAMPLE, PROGRAMS
from .conftest import WAIT_MS
from .pages import KINDS, page_of_kind, program
from .serving import Serving

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
WIDTHS = {"320": (320, 700), "390": (390, 844), "1280": (1280, 900)}
REAL = ("artrosskola", "sjukskrivningskollen", "plus")
SOURCES = {"example": EXAMPLE, **{name: PROGRAMS / name for name in REAL}}


def _cases() -> list[tuple[str, str]]:
    cases = [("example", kind) for kind in KINDS]
    for name in REAL:
        cases.extend((name, kind) for kind in KINDS if kind != "catalogue")
    return cases


@pytest.fixture(scope="module", params=list(WIDTHS))
def sized(request: pytest.FixtureRequest, browser: Any) -> Iterator[tuple[str, Any]]:
    """One tab per width; CSP bypassed only so that axe can be injected."""
    width, height = WIDTHS[request.param]
    context = browser.new_context(
        viewport={"width": width, "height": height}, bypass_csp=True, locale="sv-SE"
    )
    context.set_default_timeout(WAIT_MS)
    yield request.param, context.new_page()
    context.close()


def _readable(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
        for node in v["nodes"][:5]:
            lines.append(f"    at {' '.join(node['target'])}: {node['failureSummary']!r}")
    return "\n".join(lines)


@pytest.mark.parametrize("perspective", ["patient", "clinician"])
@pytest.mark.parametrize(("name", "kind"), _cases())
def test_no_wcag_violations(
    served: Serving,
    sized: tuple[str, Any],
    axe_script: Path,
    screenshots: Path,
    name: str,
    kind: str,
    perspective: str,
) -> None:
    width, tab = sized
    path = page_of_kind(program(SOURCES[name]), kind)
    prefix = "_behandlare/" if perspective == "clinician" else ""
    tab.goto(served.url + prefix + path)
    tab.wait_for_load_state("load")
    if perspective == "clinician" and kind in ("program", "module"):
        tab.locator("[data-sim-program]").wait_for(state="visible")
    tab.add_script_tag(path=str(axe_script))
    result = tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    shot = screenshots / f"{name}-{kind}-{perspective}-{width}.jpg"
    tab.screenshot(path=str(shot), full_page=True, type="jpeg", quality=80)  # PNG: twice as slow
    violations = result["violations"]
    assert not violations, f"{tab.url}\n{_readable(violations)}"


def test_a_site_themed_catalogue_has_no_wcag_violations(
    serve: Any, sized: tuple[str, Any], axe_script: Path, screenshots: Path, tmp_path: Path
) -> None:
    """The catalogue in a site's look (site.yaml beside the programs): logo, name, colours."""
    import shutil

    from ..test_theme import _png

    folder = tmp_path / "programs"
    shutil.copytree(EXAMPLE, folder / "example")
    (folder / "media").mkdir()
    (folder / "media" / "logo.png").write_bytes(_png())
    (folder / "site.yaml").write_text(
        'theme:\n  name: Region Provsajt\n  logo: media/logo.png\n  colours: {brand: "#204060"}\n',
        "utf-8",
    )
    width, tab = sized
    server = serve(folder)
    tab.goto(server.url)
    tab.wait_for_load_state("load")
    assert tab.locator("img.site-logo").get_attribute("alt") == "Region Provsajt"
    tab.add_script_tag(path=str(axe_script))
    result = tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    tab.screenshot(path=str(screenshots / f"site-catalogue-{width}.jpg"), type="jpeg", quality=80)
    assert not result["violations"], _readable(result["violations"])
