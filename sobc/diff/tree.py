"""Both sides of a diff in one shape: a tree of elements matched by id, each holding its other
fields as plain values (so a field added to the model is compared without new code).

A side comes from a loaded program (every field of the model) or from a package's manifest
(only what the manifest holds). When one side is a manifest, the other is compared in the
manifest's shape too (`manifest.manifest_data`): the common ground is the manifest's data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from ..model.program import Program, Ref

# Element kinds and, for each, the fields that hold its child elements (in order).
# Every list whose items have ids is one: its items are matched by id and diffed one by one,
# their text as text (a new checklist shows its words, not "checklists of program changed").
CHILDREN: dict[str, tuple[tuple[str, str], ...]] = {
    "program": (
        ("modules", "module"),
        ("forms", "form"),
        ("flags", "flag"),
        ("activity_plans", "activity_plan"),
        ("tracks", "track"),
        ("module_choices", "module_choice"),
        ("roles", "role"),
        ("way_of_working", "phase"),
        ("checklists", "checklist"),
        ("guide_sections", "guide_section"),
    ),
    "module": (("sections", "section"),),
    "section": (("steps", "step"),),
    "form": (("questions", "question"),),
    "question": (("options", "option"), ("columns", "column")),
    "column": (("options", "option"),),
    "module_choice": (("options", "choice_option"),),
}
# Options are matched by the value they store, a module choice's options by their module.
ID_FIELD = {"option": "value", "choice_option": "module"}
# Fields that are not compared: where a thing is, what it is derived from, how it was written.
IGNORED = frozenset(
    {
        "ref",
        "root",
        "unreadable_modules",
        "unreadable_forms",
        "renamed_from",
        "page",  # the manifest's page paths follow from ids
        "index_page",
        "guide_page",
        "answer",  # the manifest's answer shape follows from the type
    }
)
# (class, field) pairs of the model that say how something was written, not what it is.
_HOW_WRITTEN = frozenset({("EnableWhen", "key")})
# (class, field) pairs compared though IGNORED names the field: a source's page in the region's
# document is not a manifest's page path.
_COMPARED = frozenset({("Source", "page")})


@dataclass
class Node:
    kind: str
    id: str
    fields: dict[str, Any]
    children: dict[str, list[Node]] = field(default_factory=dict)
    renamed_from: str | None = None
    ref: Ref | None = None  # where it is written; None on a manifest's side

    def walk(self) -> Iterator[Node]:
        yield self
        for nodes in self.children.values():
            for node in nodes:
                yield from node.walk()


def plain(value: Any) -> Any:
    """A model value as JSON-like data: dataclasses as dicts (without Refs), tuples as lists."""
    if is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        return {
            f.name: plain(getattr(value, f.name))
            for f in fields(value)
            if f.compare
            and (f.name not in IGNORED or (name, f.name) in _COMPARED)
            and (name, f.name) not in _HOW_WRITTEN
        }
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(plain(v) for v in value)
    if isinstance(value, Path):
        return str(value)
    return value


def _get(obj: Any, name: str, default: Any = None) -> Any:
    return obj.get(name, default) if isinstance(obj, dict) else getattr(obj, name, default)


def _names(obj: Any) -> list[str]:
    if isinstance(obj, dict):
        return list(obj)
    return [f.name for f in fields(obj) if f.compare]


def build(
    kind: str,
    obj: Any,
    *,
    ref: Ref | None = None,
    renames: dict[tuple[str, tuple[str, ...]], str] | None = None,
    path: tuple[str, ...] = (),
) -> Node:
    """The tree of an element: `obj` is a model object or a manifest's dict; `ref` is where it
    is written when it keeps no Ref of its own; `renames` the manifest's rename map."""
    own = _get(obj, "ref")
    here = own if isinstance(own, Ref) else ref
    ident = str(_get(obj, ID_FIELD.get(kind, "id"), ""))
    id_path = (*path, ident) if kind != "program" else ()
    renamed = _get(obj, "renamed_from")
    if renamed is None and renames:
        renamed = renames.get((kind, id_path))
    child_keys = {key for key, _ in CHILDREN.get(kind, ())}
    skip = IGNORED | child_keys | {ID_FIELD.get(kind, "id")}
    name = type(obj).__name__
    node = Node(
        kind,
        ident,
        {
            n: plain(_get(obj, n))
            for n in _names(obj)
            if n not in skip and (name, n) not in _HOW_WRITTEN
        },
        renamed_from=None if renamed is None else str(renamed),
        ref=here,
    )
    for key, child_kind in CHILDREN.get(kind, ()):
        # a section's steps are named by module and step (ids are unique within a module)
        below = path if kind == "section" else id_path
        node.children[child_kind] = [
            build(
                child_kind,
                item,
                ref=here.child(key, i) if here is not None else None,
                renames=renames,
                path=below,
            )
            for i, item in enumerate(_get(obj, key) or ())
        ]
    return node


def from_program(program: Program) -> Node:
    return build("program", program)


def manifest_program(data: dict[str, Any]) -> dict[str, Any]:
    """A manifest's data in the shape of a program: its metadata with the element lists."""
    keep = (
        "roles",
        "tracks",
        "modules",
        "forms",
        "flags",
        "activity_plans",
        "module_choices",
        "retention",
    )
    return {**data["program"], **{k: data[k] for k in keep if k in data}}


def from_manifest(data: dict[str, Any], program: Program | None = None) -> Node:
    """The tree of a manifest's data; with the program it was made from, each element also
    knows where it is written."""
    renames = {(r["kind"], tuple(r["path"])): r["from"] for r in data.get("renames", ())}
    tree = build("program", manifest_program(data), renames=renames)
    if program is not None:
        _copy_refs(from_program(program), tree)
    return tree


def _copy_refs(source: Node, target: Node) -> None:
    target.ref = source.ref
    for kind, nodes in target.children.items():
        by_id = {n.id: n for n in source.children.get(kind, ())}
        for node in nodes:
            if node.id in by_id:
                _copy_refs(by_id[node.id], node)
