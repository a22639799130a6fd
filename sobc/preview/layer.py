"""What the preview adds to a built page: the perspective switch, the reload script, and under
the clinician prefix the clinician's layer. The page's own bytes are otherwise left as built.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..render.pages import environment as page_environment
from .headers import BUILT_CSP, PREVIEW_CSP

TEMPLATES = Path(__file__).resolve().parent / "templates"
ASSETS = Path(__file__).resolve().parent / "assets"
CLINICIAN_PREFIX = "_behandlare"  # `_` never occurs in ids, so no program can be called this
PREVIEW_PREFIX = "_preview"
CSS = f"/{PREVIEW_PREFIX}/preview.css"
JS = f"/{PREVIEW_PREFIX}/preview.js"
STATUS = f"/{PREVIEW_PREFIX}/status.json"


@cache
def environment() -> Environment:
    """The preview's templates, with the page templates' filters (Markdown, URLs)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(page_environment().filters)
    env.filters["lower_first"] = _lower_first
    return env


def _lower_first(text: str) -> str:
    """A sentence's words inside another sentence: 'När patienten …' → 'när patienten …'."""
    return text[:1].lower() + text[1:]


def render(template: str, context: dict[str, Any]) -> str:
    return environment().get_template(template).render(context)


def asset(name: str) -> bytes | None:
    """A preview asset by file name, or None."""
    if name not in ("preview.js", "preview.css"):
        return None
    return (ASSETS / name).read_bytes()


def _insert(html: str, marker: str, text: str, *, after: bool) -> str:
    """Put `text` just after (or before) the first `marker`; at the end when there is none."""
    at = html.find(marker)
    if at < 0:
        return html + text
    at = at + len(marker) if after else at
    return html[:at] + text + html[at:]


def decorate(html: str, rel: str, *, clinician: bool, generation: int, layer: str) -> str:
    """A built page as the preview serves it."""
    # The built page allows no network requests; the reload check asks this server.
    html = html.replace(f'content="{BUILT_CSP}"', f'content="{PREVIEW_CSP}"', 1)
    head = (
        f'<link rel="stylesheet" href="{CSS}">\n'
        f'<script src="{JS}" data-generation="{generation}" defer></script>\n'
    )
    html = _insert(html, "</head>", head, after=False)
    bar = render(
        "bar.html.j2",
        {
            "clinician": clinician,
            "patient_href": "/" + rel,
            "clinician_href": f"/{CLINICIAN_PREFIX}/{rel}",
        },
    )
    html = _insert(html, '<header class="site-header', bar, after=False)
    if layer:
        html = _insert(html, "</main>", layer, after=False)
    return html


def waiting_page(message: str, generation: int) -> str:
    """The page served before any build has succeeded."""
    context = {
        "csp": PREVIEW_CSP,
        "css": CSS,
        "js": JS,
        "generation": generation,
        "message": message,
    }
    return render("waiting.html.j2", context)
