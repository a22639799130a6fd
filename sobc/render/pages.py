"""Pages: the Jinja2 environment, the list of pages a program makes, and rendering one page.

Autoescape is on for every template whatever its name (`select_autoescape` would skip `.j2`),
undefined names are errors, and the only `Markup` that reaches a page unescaped is the output of
the sanitising Markdown renderer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import orjson
from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    pass_context,
)
from jinja2.runtime import Context
from markupsafe import Markup

from .. import __version__
from ..model import Program
from . import guide, views
from .markdown import inline, page_url, to_html

_HERE = Path(__file__).resolve().parent
TEMPLATES = _HERE / "templates"
ASSETS = _HERE / "assets"
ASSET_DIR = "_assets"
ASSET_FILES = {"css": "sobc.css", "js": "sobc.js"}


@dataclass(frozen=True)
class Page:
    """One HTML page: where it goes (relative to the output folder) and what it shows."""

    path: str
    template: str
    context: dict[str, Any]

    def fingerprint(self) -> str:
        """A hash of everything the page's bytes depend on."""
        digest = hashlib.sha256(toolchain_hash().encode())
        digest.update(_canonical([self.template, self.context]))
        return digest.hexdigest()


def _canonical(value: Any) -> bytes:
    """The same bytes for equal plain values (keys sorted): orjson, which is about ten times
    faster than `json`; the standard library for what orjson refuses (a number beyond 64 bits)."""
    try:
        return orjson.dumps(value, default=str, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
        return text.encode("utf-8")


@pass_context
def _md(ctx: Context, text: str, level: int = 1) -> Markup:
    return to_html(text, prefix=str(ctx.get("prefix", "")), heading_offset=level)


@pass_context
def _inline_md(ctx: Context, text: str) -> Markup:
    return inline(text, prefix=str(ctx.get("prefix", "")))


@pass_context
def _url(ctx: Context, url: str) -> str:
    return page_url(url, str(ctx.get("prefix", "")))


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _tojson_attr(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class _Environment(Environment):
    """Looks `x.y` up as a key first when `x` is a dict, as every page context is.

    Jinja tries the attribute first, and on a dict that raises and catches an AttributeError
    for every `x.y` a page shows. The order only matters for a key named like a dict method
    (`items`, `values` …), which the templates write as a subscript (`c['items']`).
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def _bytecode_cache() -> FileSystemBytecodeCache:
    """Compiled templates kept between runs (compiling them costs more than a one-page rebuild).

    Jinja's default folder is private to the user (checked on creation); the file names carry
    a hash of this module, which sets the environment's options, and of Jinja's version, and
    Jinja checks each template's source.
    """
    key = hashlib.sha256(Path(__file__).read_bytes() + jinja2.__version__.encode()).hexdigest()
    return FileSystemBytecodeCache(pattern=f"__sobc_{key[:16]}_%s.cache")


@cache
def environment() -> Environment:
    try:
        bytecode_cache: FileSystemBytecodeCache | None = _bytecode_cache()
    except (OSError, RuntimeError):  # no private temporary folder: compile every time
        bytecode_cache = None
    env = _Environment(
        loader=FileSystemLoader(TEMPLATES),
        bytecode_cache=bytecode_cache,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(
        md=_md, inline_md=_inline_md, url=_url, paragraphs=_paragraphs, tojson_attr=_tojson_attr
    )
    env.tests["contains"] = lambda seq, item: item in seq
    return env


def compile_templates() -> None:
    """Load every template now, e.g. before forking, so that each process need not."""
    env = environment()
    for name in env.list_templates(extensions=["j2"]):
        env.get_template(name)


def render(page: Page) -> bytes:
    html = environment().get_template(page.template).render(page.context)
    return (html if html.endswith("\n") else html + "\n").encode("utf-8")


@cache
def assets() -> dict[str, tuple[str, bytes]]:
    """The shared assets: key → (content-hashed file name under _assets/, bytes)."""
    found = {}
    for key, name in ASSET_FILES.items():
        data = (ASSETS / name).read_bytes()
        stem, ext = name.rsplit(".", 1)
        digest = hashlib.sha256(data).hexdigest()[:12]
        found[key] = (f"{ASSET_DIR}/{stem}.{digest}.{ext}", data)
    return found


def asset_paths() -> dict[str, str]:
    return {key: path for key, (path, _) in assets().items()}


@cache
def toolchain_hash() -> str:
    """Templates, assets and compiler version: a change to any re-renders every page."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(TEMPLATES.rglob("*")) + sorted(ASSETS.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


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
    return pages


def catalogue_page(programs: Iterable[Program]) -> Page:
    ctx = guide.catalogue_context(list(programs), asset_paths())
    return Page("index.html", "catalogue.html.j2", ctx)
