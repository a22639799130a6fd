"""Pages: the Jinja2 environment, the list of pages a program makes, and rendering one page.

Autoescape is on for every template whatever its name (`select_autoescape` would skip `.j2`),
undefined names are errors, and the only `Markup` that reaches a page unescaped is the output of
the sanitising Markdown renderer.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    pass_context,
)
from jinja2.bccache import Bucket
from jinja2.runtime import Context
from markupsafe import Markup, escape

from ..check.theme import stylesheet
from ..kinds.questions import QUESTION_TYPES
from ..model.program import Program, Theme
from ..paths import cache_dir
from ..runtime.layout import asset_paths, theme_asset, transcript_page
from . import guide, views
from .markdown import has_long_word, inline, page_url, to_html

_HERE = Path(__file__).resolve().parent
TEMPLATES = _HERE / "templates"
ASSETS = _HERE / "assets"


@dataclass(frozen=True)
class Page:
    """One HTML page: where it goes (relative to the output folder) and what it shows."""

    path: str
    template: str
    context: dict[str, Any]


@pass_context
def _md(ctx: Context, text: str, level: int = 1) -> Markup:
    return to_html(text, prefix=str(ctx.get("prefix", "")), under=level)


@pass_context
def _inline_md(ctx: Context, text: str) -> Markup:
    return inline(text, prefix=str(ctx.get("prefix", "")))


@pass_context
def _url(ctx: Context, url: str) -> str:
    return page_url(url, str(ctx.get("prefix", "")))


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _breakable(text: str) -> Markup:
    """An address, e-mail address or path with a place to break the line after each / and @ and
    before each dot: a long one wraps there, never inside a word."""
    return Markup(re.sub(r"(?<=[/@])|(?=\.)", "<wbr>", str(escape(text))))


def _tojson_attr(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _runs(items: list[Any], key: str) -> list[dict[str, Any]]:
    """Items in runs that share `key` (a checklist's points under their headings), in order."""
    runs: list[dict[str, Any]] = []
    for item in items:
        title = item[key] if isinstance(item, dict) else getattr(item, key)
        if not runs or runs[-1]["title"] != title:
            runs.append({"title": title, "options": []})
        runs[-1]["options"].append(item)
    return runs


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(Environment):
    """Jinja's environment, quicker at `view.key` on the views (plain dicts): Jinja tries the
    attribute first and takes the key when that fails, and the failure (an exception raised and
    caught) cost about a third of every page's time. A dict has no attribute but its methods, so
    asking for the key first gives the same answer."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


class _CompiledTemplates(FileSystemBytecodeCache):
    """The templates as Jinja compiled them, kept between builds in sobc's cache folder: a build
    process would otherwise compile every template again (a fifth of building one program).
    Jinja keys each by the template's name and source and Python's version; the folder's name
    adds Jinja's version and the environment's settings, which the compiled code depends on. A
    cache that cannot be read or written costs the compile, nothing more."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # damaged: compile again (Jinja resets a stale one itself)
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


_SETTINGS: dict[str, Any] = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}


def _compiled_templates() -> _CompiledTemplates:
    key = hashlib.sha256(f"{jinja2.__version__} {sorted(_SETTINGS.items())}".encode()).hexdigest()
    return _CompiledTemplates(str(cache_dir() / "templates" / key[:16]))


@cache
def environment() -> Environment:
    env = _Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        auto_reload=False,
        bytecode_cache=_compiled_templates(),
        **_SETTINGS,
    )
    env.filters.update(
        md=_md,
        inline_md=_inline_md,
        url=_url,
        paragraphs=_paragraphs,
        tojson_attr=_tojson_attr,
        breakable=_breakable,
        days=guide.days,
        groupby_run=_runs,
    )
    env.tests["contains"] = lambda seq, item: item in seq
    env.tests["long_words"] = has_long_word
    # each question type's control, by the name its record gives (`kinds/questions.py`)
    controls: dict[str, Any] = {}
    env.globals["controls"] = controls
    for kind in QUESTION_TYPES.values():
        controls[kind.name] = env.get_template(kind.template).module.control  # type: ignore[attr-defined]
    return env


def load_templates() -> None:
    """Compile every template now: before a pool forks, so that each worker need not."""
    env = environment()
    for name in env.list_templates(extensions=["j2"]):
        env.get_template(name)


def render(page: Page) -> bytes:
    html = environment().get_template(page.template).render(page.context)
    return (html if html.endswith("\n") else html + "\n").encode("utf-8")


def program_pages(program: Program) -> list[Page]:
    """Every page of one program, paths relative to the output folder."""
    a = asset_paths()
    base = program.id
    pages = [
        Page(f"{base}/index.html", "program.html.j2", views.program_context(program, a)),
        Page(f"{base}/guide.html", "guide.html.j2", guide.guide_context(program, a)),
    ]
    common = views.shared(program)
    for module in program.modules:
        ctx = views.module_context(program, module, a, common)
        pages.append(Page(f"{base}/{views.module_path(module)}", "module.html.j2", ctx))
        contexts = views.step_contexts(program, module, a, common)
        for step, ctx in zip(module.steps, contexts, strict=True):
            pages.append(Page(f"{base}/{views.step_path(module, step)}", "step.html.j2", ctx))
            if step.media is not None and step.media.captions:
                where = f"{base}/{transcript_page(module.id, step.id)}"
                ctx = views.transcript_context(program, module, step, a)
                pages.append(Page(where, "transcript.html.j2", ctx))
    sheet = stylesheet(program.theme)
    theme = program.theme
    for page in pages:
        prefix = page.context["prefix"]
        page.context["theme"] = {
            "name": theme.name if theme else None,
            "logo": theme.logo if theme else None,
            "css": prefix + theme_asset(sheet) if sheet else None,
        }
    return pages


def catalogue_page(
    entries: list[dict[str, Any]], theme: Theme | None = None, logo: str | None = None
) -> Page:
    """The catalogue of packages, from their entries (`guide.catalogue_entry`), in the site's
    theme when there is one (`logo`: where its logo is in the output folder)."""
    page = Page("index.html", "catalogue.html.j2", guide.catalogue_context(entries, asset_paths()))
    if theme is not None:
        sheet = stylesheet(theme)
        page.context["theme"] = {
            "name": theme.name,
            "logo": logo,
            "css": theme_asset(sheet) if sheet else None,
        }
    return page
