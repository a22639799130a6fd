"""Programs written out as one Markdown page per step, as a Hugo site and as a MkDocs project.

The source is a program folder or a folder of programs: the generated corpus, `programs/` or
one of the real programs. Each page is at `<program folder>/<module id>/<step id>.md`.

Both tools get the same pages: a title, the step's Markdown body and, on form steps, the form's
questions as a list. Hugo gets a minimal single-page layout with taxonomies, RSS, sitemap and
robots.txt off; MkDocs its default theme with the navigation it builds itself.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml

HUGO_CONFIG = """baseURL = "/"
title = "sobc benchmark"
languageCode = "sv"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
enableGitInfo = false
"""
HUGO_SINGLE = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1>
{{ .Content }}
</main></body></html>
"""
HUGO_LIST = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul></main></body></html>
"""


def _load(path: Path) -> Any:
    return yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)


def _form_markdown(form: dict[str, Any]) -> str:
    lines = [f"### {form['title']}", ""]
    for q in form["questions"]:
        lines.append(f"- {q['text']}")
        lines.extend(f"    - {o['label']}" for o in q.get("options", ()))
    return "\n".join(lines)


def program_folders(source: Path) -> list[Path]:
    """`source` itself when it is a program folder, else the program folders in it."""
    if (source / "program.yaml").is_file():
        return [source]
    return sorted(p for p in source.iterdir() if (p / "program.yaml").is_file())


def pages(source: Path) -> list[tuple[str, str, str]]:
    """(relative .md path, title, Markdown) for every step of every program in `source`."""
    found = []
    for program in program_folders(source):
        forms = {f.stem: _load(f) for f in sorted((program / "forms").glob("*.yaml"))}
        for module_id in _load(program / "program.yaml")["modules"]:
            module = _load(program / "modules" / f"{module_id}.yaml")
            for section in module["sections"]:
                for step in section["steps"]:
                    parts = [step.get("body", "")]
                    parts += [_form_markdown(forms[f]) for f in step.get("forms", ())]
                    title = f"{step.get('number', '')} {step['title']}".strip()
                    rel = f"{program.name}/{module_id}/{step['id']}.md"
                    found.append((rel, title, "\n\n".join(parts)))
    return found


def _write_pages(root: Path, items: list[tuple[str, str, str]]) -> None:
    for rel, title, text in items:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        front = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n\n"
        target.write_text(front + text + "\n", encoding="utf-8")


def hugo_site(source: Path, site: Path) -> int:
    """Write the Hugo site; returns the number of step pages."""
    if site.exists():
        shutil.rmtree(site)
    items = pages(source)
    _write_pages(site / "content", items)
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    (site / "layouts" / "index.html").write_text(HUGO_LIST, encoding="utf-8")
    return len(items)


def mkdocs_project(source: Path, project: Path) -> int:
    """Write the MkDocs project (default theme); returns the number of step pages."""
    if project.exists():
        shutil.rmtree(project)
    items = pages(source)
    _write_pages(project / "docs", items)
    (project / "docs" / "index.md").write_text("# sobc benchmark\n", encoding="utf-8")
    config = "site_name: sobc benchmark\ntheme:\n  name: mkdocs\n"
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    return len(items)
