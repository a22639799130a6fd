"""Matching two versions of a program by id and classifying every difference by a rule: the
elements here (`match`, the order, a step moved), each field by `fields.py`, renames read
through `renames.py`, and what a change implies folded into it by `implied.py`."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from ..diagnostics import Location
from ..kinds.questions import QUESTION_TYPES
from .change import Change, Path, name
from .fields import Versions, field_changes, own_text
from .implied import fold_scoring, fold_type
from .renames import Renames
from .rules import ChangeClass, rule
from .text import excerpt
from .tree import CHILDREN, Node

REMOVED = {
    "module": "module-removed",
    "section": "element-removed",
    "step": "step-removed",
    "form": "form-removed",
    "question": "question-removed",
    "option": "option-removed",
    "column": "plan-columns-changed",
    "flag": "flag-removed",
    "activity_plan": "activity-plan-removed",
    "track": "track-removed",
    "module_choice": "module-flow-changed",
    "choice_option": "module-flow-changed",
}
ADDED = {
    "column": "plan-columns-changed",
    "flag": "flag-added",
    "choice_option": "module-flow-changed",
}
# Elements whose type decides what else they hold (implied.py folds that into the type change).
TYPED = frozenset({"question", "column", "step"})
# Elements in no order of their own: forms are read in the order of their files' names.
UNORDERED = frozenset({"form"})


class VersionPolicy(StrEnum):
    SEMVER = "semver"  # any change but cosmetic: a new version; data-breaking: a new major
    CHANGED = "changed"  # any change but cosmetic: a new version
    OFF = "off"


def _where(node: Node | None, *at: str | int) -> Location | None:
    return node.ref.at(*at) if node is not None and node.ref is not None else None


def _major_raised(old: str, new: str) -> bool:
    """Whether the major part (before the first dot) went up; if either is not a number,
    whether it changed."""
    a, b = old.split(".", 1)[0], new.split(".", 1)[0]
    if re.fullmatch(r"\d+", a) and re.fullmatch(r"\d+", b):
        return int(b) > int(a)
    return a != b


class Comparison:
    def __init__(self, program: str, old: Node, new: Node) -> None:
        self.program = program
        self.changes: list[Change] = []
        self.renames = Renames(new)
        self.versions = Versions(
            program,
            self.renames,
            instruments=_forms_with(old, "instrument") | _forms_with(old, "scoring"),
            scored=_forms_with(old, "scoring") | _forms_with(old, "computed"),
        )

    def add(self, rule_id: str, path: Path, message: str, **extra: Any) -> None:
        self.changes.append(Change(rule(rule_id), self.program, path, message, **extra))

    # ---- elements

    def element(self, old: Node, new: Node, path: Path) -> None:
        start = len(self.changes)
        self.fields(old, new, path)
        for child_kind, olds in old.children.items():
            if new.kind == "section" and child_kind == "step":
                continue  # steps are matched across their module's sections
            self.match(child_kind, olds, new.children.get(child_kind, []), new, path)
        if new.kind == "module":
            self.steps(old, new, path)
        if new.kind in TYPED and old.fields.get("type") != new.fields.get("type"):
            fold_type(self.changes, start, new.kind, path)
        if new.kind == "form":
            fold_scoring(self.changes, start, path)

    def match(
        self,
        kind: str,
        olds: list[Node],
        news: list[Node],
        parent: Node,
        path: Path,
        ordered: bool = True,
    ) -> list[tuple[Node, Node]]:
        """Pair elements by id (or by a declared rename); report the rest and (when `ordered`)
        the order."""
        by_id = {self.renames.match_id(kind, o.id): o for o in olds}
        # an old id that is still there, or that an earlier element was renamed from, is taken
        taken = {n.id for n in news}
        pairs: list[tuple[Node, Node]] = []
        for n in news:
            o = by_id.get(n.id)
            if o is None and n.renamed_from in by_id and n.renamed_from not in taken:
                taken.add(n.renamed_from)
                o = by_id[n.renamed_from]
                self.renamed(kind, o, n, path)
            if o is None:
                self.added(kind, n, path)
                continue
            pairs.append((o, n))
        paired = {id(o): n.id for o, n in pairs}  # an old element → its id in NEW
        for o in olds:
            if id(o) not in paired:
                self.removed(kind, o, parent, path)
        if ordered and kind not in UNORDERED:
            before = [paired[id(o)] for o in olds if id(o) in paired]
            self.order(kind, before, [n.id for _, n in pairs], parent, path)
        for o, n in pairs:
            self.element(o, n, (*path, (kind, n.id)))
        return pairs

    def renamed(self, kind: str, old: Node, new: Node, path: Path) -> None:
        rule_id = "option-value-changed" if kind == "option" else "element-renamed"
        self.add(
            rule_id,
            (*path, (kind, new.id)),
            f"{name(kind, old.id)} renamed to '{new.id}'",
            field="id",
            old=old.id,
            new=new.id,
            location=_where(new, "value" if kind == "option" else "id"),
            old_location=_where(old),
        )

    def added(self, kind: str, node: Node, path: Path) -> None:
        self.add(
            ADDED.get(kind, "element-added"),
            (*path, (kind, node.id)),
            f"{name(kind, node.id)} added",
            location=_where(node),
            words=excerpt(own_text(node), "+") or None,
        )

    def removed(self, kind: str, node: Node, parent: Node, path: Path) -> None:
        rule_id = REMOVED.get(kind, "element-removed")
        if kind == "question" and _stores_nothing(node):
            rule_id = "element-removed"  # an information text stores no answer
        # where the list that held it is (a module's steps: its sections)
        held = dict((k, key) for key, k in CHILDREN.get(parent.kind, ())).get(kind, "sections")
        self.add(
            rule_id,
            (*path, (kind, node.id)),
            f"{name(kind, node.id)} removed",
            location=_where(parent, held),
            old_location=_where(node),
            words=excerpt(own_text(node), "-") or None,
        )

    def order(
        self, kind: str, before: list[str], after: list[str], parent: Node, path: Path
    ) -> None:
        if before == after:
            return
        kept = set(_common_order(before, after))
        moved = [i for i in after if i not in kept]
        self.add(
            "element-reordered",
            path,
            f"{kind.replace('_', ' ')}s of {name(parent.kind, parent.id)} in another order: "
            + ", ".join(f"'{i}'" for i in moved)
            + " moved",
            old=before,
            new=after,
            location=_where(parent),
        )

    def steps(self, old: Node, new: Node, path: Path) -> None:
        """A module's steps: matched across its sections, so a step moved between them is kept."""

        def listed(module: Node) -> tuple[list[Node], dict[str, str]]:
            steps, section_of = [], {}
            for section in module.children.get("section", []):
                for step in section.children.get("step", []):
                    steps.append(step)
                    section_of[step.id] = section.id
            return steps, section_of

        olds, old_section = listed(old)
        news, new_section = listed(new)
        moved = set()
        module = (path[-1][1],) if path else ()
        for o, n in self.match("step", olds, news, new, path, ordered=False):
            if self.renames.new_id("section", old_section[o.id], module) != new_section[n.id]:
                moved.add(n.id)
                self.add(
                    "element-moved",
                    (*path, ("step", n.id)),
                    f"{name('step', n.id)} moved from section '{old_section[o.id]}' to "
                    f"'{new_section[n.id]}'",
                    old=old_section[o.id],
                    new=new_section[n.id],
                    location=_where(n),
                    old_location=_where(o),
                )
        # the order of the other steps: a step's move is its new place, told once
        ids = {n.id for n in news}
        before = [self.renames.new_id("step", o.id, module) for o in olds]
        before = [i for i in before if i in ids and i not in moved]
        after = [n.id for n in news if n.id in set(before)]
        self.order("step", before, after, new, path)

    # ---- fields

    def fields(self, old: Node, new: Node, path: Path) -> None:
        for field_name, b in new.fields.items():
            if field_name not in old.fields or (new.kind, field_name) == ("program", "version"):
                continue  # a field only one side has: a manifest holds fewer, older ones fewer
            a = old.fields[field_name]
            if a != b:
                self.changes += field_changes(self.versions, old, new, field_name, a, b, path)


def _forms_with(program: Node, field_name: str) -> frozenset[str]:
    """The forms that have the field (`instrument`, `scoring`, `computed`): an instrument is
    declared as a published instrument, or scored (its answers are read as numbers)."""
    return frozenset(
        form.id
        for form in program.children.get("form", [])
        if form.fields.get(field_name) not in (None, [])
    )


def _common_order(a: list[str], b: list[str]) -> list[str]:
    """The longest run of ids both lists hold in the same order (what did not move)."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            table[i][j] = (
                table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
            )
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            out.append(a[i])
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return out


def compare_program(
    old: Node, new: Node, policy: VersionPolicy = VersionPolicy.SEMVER
) -> list[Change]:
    """Every change from one version of a program to another, the version policy's findings
    last."""
    comparison = Comparison(new.id, old, new)
    comparison.element(old, new, ())
    changes = comparison.changes
    old_version, new_version = str(old.fields.get("version")), str(new.fields.get("version"))
    worst = max((c.change_class.rank for c in changes), default=0)
    where = {
        "location": _where(new, "version"),
        "old": old_version,
        "new": new_version,
        "field": "version",
    }
    if policy is VersionPolicy.OFF or worst == 0:
        return changes
    breaking = worst == ChangeClass.DATA_BREAKING.rank
    if policy is VersionPolicy.SEMVER and breaking and not _major_raised(old_version, new_version):
        comparison.add(
            "major-version-not-bumped",
            (),
            "data-breaking changes, but the version's major part is unchanged "
            f"({old_version} → {new_version})",
            **where,
        )
    elif old_version == new_version:
        comparison.add(
            "version-not-bumped",
            (),
            f"the program changed, but its version is still {new_version}",
            **where,
        )
    return comparison.changes


def compare_programs(
    old: dict[str, Node], new: dict[str, Node], policy: VersionPolicy = VersionPolicy.SEMVER
) -> list[Change]:
    """Programs matched by id; one only on the new side is added, one only on the old removed."""
    changes: list[Change] = []
    for program_id in sorted(old.keys() | new.keys()):
        o, n = old.get(program_id), new.get(program_id)
        if o is None and n is not None:
            changes.append(
                Change(
                    rule("element-added"),
                    program_id,
                    (),
                    f"{name('program', program_id)} added",
                    location=_where(n),
                )
            )
        elif n is None and o is not None:
            changes.append(
                Change(
                    rule("program-removed"),
                    program_id,
                    (),
                    f"{name('program', program_id)} removed",
                    old_location=_where(o),
                )
            )
        elif o is not None and n is not None:
            changes.extend(compare_program(o, n, policy))
    return changes


def _stores_nothing(node: Node) -> bool:
    """A question whose type stores no answer (its removal loses no patient's data)."""
    kind = QUESTION_TYPES.get(str(node.fields.get("type")))
    return kind is not None and not kind.stores_answer
