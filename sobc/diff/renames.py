"""Renames declared with `renamed_from`, and what names the renamed elements: a flag's trigger
naming a renamed form (or a question and option values of it), a step showing it, a module's
`next`, an `enable_when` naming a renamed question or option value, a link to a renamed module
or step (`module:…`, `step:…/…`). An old value is read through the renames before it is
compared, so a rename is told once (`element-renamed`), never again by whatever names the
element."""

from __future__ import annotations

import re
from typing import Any

from .change import Path
from .tree import Node

# A key, anywhere in a field, whose text names an element of a kind; the value is looked up
# among that kind's renames. Data, like the question registry: a new reference is a new line.
REFERENCES: dict[str, str] = {
    "form": "form",
    "forms": "form",
    "standalone_forms": "form",
    "module": "module",
    "next": "module",
    "parallel_with": "module",
    "plan": "activity_plan",
    "tracks": "track",
    "question": "question",
    "questions": "question",
    "reverse": "question",
}
# Element kinds whose id is itself a reference (a module choice's option is the module).
ID_REFERENCES = {"choice_option": "module"}
# Kinds named within a form (questions), or within a form's question (option values).
_IN_FORM = frozenset({"question"})
# A link in Markdown to a module or step (`render/markdown.py`): `](module:m)`, `](step:m/s)`.
_LINK = re.compile(r"\]\((module|step):([a-z0-9-]+)(?:/([a-z0-9-]+))?")

Scope = tuple[str, ...]  # the ids of the elements above: () for the program's own lists


class Renames:
    """The renames NEW declares: by kind and scope, old id → new id."""

    def __init__(self, new: Node) -> None:
        self.renamed: dict[tuple[str, Scope], dict[str, str]] = {}
        self._collect(new, ())

    def _collect(self, node: Node, scope: Scope) -> None:
        """Renames by kind, within the ids of the elements above (a question's: its form)."""
        for kind, children in node.children.items():
            for child in children:
                if child.renamed_from is not None:
                    self.renamed.setdefault((kind, scope), {})[child.renamed_from] = child.id
                    if kind == "step":  # a link names a step within its module
                        self.renamed.setdefault((kind, scope[:1]), {})[child.renamed_from] = (
                            child.id
                        )
                self._collect(child, (*scope, child.id))

    def new_id(self, kind: str, old_id: str, scope: Scope = ()) -> str:
        return self.renamed.get((kind, scope), {}).get(old_id, old_id)

    def match_id(self, kind: str, old_id: str) -> str:
        """An old element's id as NEW would name it, when the id is itself a reference."""
        refers = ID_REFERENCES.get(kind)
        return old_id if refers is None else self.new_id(refers, old_id)

    def translate(self, value: Any, key: str, path: Path) -> Any:
        """An old value with the references in it read through the renames (`key`: the field
        or key it is stored under; `path`: where its element is)."""
        form = next((ident for kind, ident in path if kind == "form"), None)
        return self._value(value, key, () if form is None else (form,))

    def _value(self, value: Any, key: str, form: Scope) -> Any:
        if isinstance(value, dict):
            if not form and isinstance(value.get("form"), str) and "question" in value:
                form = (self.new_id("form", value["form"]),)  # a trigger on a form's question
            out = {k: self._value(v, k, form) for k, v in value.items()}
            for values in ("values", "answers"):  # enable_when's, a form_answered trigger's
                if isinstance(out.get("question"), str) and isinstance(out.get(values), list):
                    scope = (*form, out["question"])  # the question's option values
                    out[values] = [self._option(v, scope) for v in out[values]]
            return out
        if isinstance(value, list):
            return [self._value(v, key, form) for v in value]
        kind = REFERENCES.get(key)
        if isinstance(value, str) and kind is None and ("module:" in value or "step:" in value):
            return _LINK.sub(self._link, value)
        if not isinstance(value, str) or kind is None:
            return value
        if kind in _IN_FORM:
            return self.new_id(kind, value, form) if form else value
        return self.new_id(kind, value)

    def _link(self, link: re.Match[str]) -> str:
        kind, module, step = link.groups()
        module = self.new_id("module", module)
        if kind == "module" or step is None:
            return f"]({kind}:{module}" + (f"/{step}" if step else "")
        return f"](step:{module}/{self.new_id('step', step, (module,))}"

    def _option(self, value: Any, scope: Scope) -> Any:
        return self.new_id("option", value, scope) if isinstance(value, str) else value
