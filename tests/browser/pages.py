"""Which pages the browser tests open: one of each kind, found from the program itself."""

from __future__ import annotations

from pathlib import Path

from sobc.model.program import Program
from sobc.read.loader import load
from sobc.render.views import module_path, step_path
from sobc.runtime.layout import transcript_page

KINDS = (
    "catalogue",
    "program",
    "module",
    "text-step",
    "video-step",
    "form-step",
    "captions",
    "guide",
)


def program(folder: Path) -> Program:
    result = load(folder)
    assert result.program is not None, result.diagnostics
    return result.program


def page_of_kind(prog: Program, kind: str) -> str:
    """The path (relative to the site) of the first page of a kind in a program."""
    if kind == "catalogue":
        return "index.html"
    if kind in ("program", "guide"):
        return f"{prog.id}/{'index' if kind == 'program' else 'guide'}.html"
    if kind == "module":
        return f"{prog.id}/{module_path(prog.modules[0])}"
    if kind == "captions":  # the readable page of a video's captions
        for module in prog.modules:
            for step in module.steps:
                if step.media is not None and step.media.captions:
                    return f"{prog.id}/{transcript_page(module.id, step.id)}"
        raise LookupError(f"{prog.id} has no video with captions")
    step_type = kind.removesuffix("-step")
    for module in prog.modules:
        for step in module.steps:
            if step.type == step_type and (step_type != "text" or step.body):
                return f"{prog.id}/{step_path(module, step)}"
    raise LookupError(f"{prog.id} has no {kind} page")


def broken_words(selector: str) -> str:
    """A script returning each word of the links `selector` finds that is broken over two lines
    (its text's boxes stand at more than one height)."""
    return f"""() => [...document.querySelectorAll({selector!r})].flatMap(link => {{
      const text = link.firstChild, found = [], re = /\\S+/g;
      let m;
      while ((m = re.exec(text.data))) {{
        const range = document.createRange();
        range.setStart(text, m.index);
        range.setEnd(text, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) found.push(m[0]);
      }}
      return found;
    }})"""


def words_broken_inside(selector: str) -> str:
    """A script returning each word inside the elements `selector` finds (all their text, at
    any depth) that is broken over two lines: its text's boxes stand at more than one height."""
    return f"""() => [...document.querySelectorAll({selector!r})].flatMap(element => {{
      const found = [], walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let text = walker.nextNode(); text; text = walker.nextNode()) {{
        const re = /\\S+/g;
        let m;
        while ((m = re.exec(text.data))) {{
          const range = document.createRange();
          range.setStart(text, m.index);
          range.setEnd(text, m.index + m[0].length);
          const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
          if (tops.size > 1) found.push(m[0]);
        }}
      }}
      return found;
    }})"""
