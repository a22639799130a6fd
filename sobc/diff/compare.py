"""Matching two versions of a program by id and classifying every difference by a rule."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..diagnostics import Location
from ..kinds.questions import QUESTION_TYPES
from .rules import ChangeClass, Rule, rule
from .text import Words, emergency_changed, renders_alike, word_diff
from .tree import CHILDREN, Node

# The hook for scoring (scores on options, totals, bands): a change to a field of any of these
# names, anywhere in a form, is `form-scoring-changed`. Add a name here when scoring gains one.
SCORING_FIELDS = frozenset({"score", "scores", "scoring", "total", "totals", "band", "bands"})
_SCORED_KINDS = frozenset({"form", "question", "option", "column"})  # not a flag's trigger.score

# Strings that are not text anyone reads: ids, kinds, addresses, files.
KEYWORDS = frozenset(
    {
        "id",
        "type",
        "visibility",
        "recipient",
        "form",
        "forms",
        "module",
        "question",
        "values",
        "activation",
        "purge",
        "every",
        "weekday",
        "audience",
        "src",
        "captions",
        "transcript",
        "poster",
        "phone",
        "email",
        "url",
        "code",
        "use",
        "responsible_role",
        "tracks",
        "next",
        "parallel_with",
        "standalone_forms",
        "plan",
        "score",
        "time",
        "unanswered",
        "fingerprint",
        "chosen_by",
    }
)
DAY_FIELDS = frozenset({"length_days", "recommended_length_days", "interval_days"})

# Fields whose change a rule names, whatever kind of value changed.
FIELD_RULES: dict[tuple[str, str], str] = {
    ("question", "type"): "question-type-changed",
    ("column", "type"): "plan-columns-changed",
    ("column", "required"): "plan-columns-changed",
    ("flag", "trigger"): "flag-trigger-changed",
    ("flag", "recipient"): "flag-recipient-changed",
    ("program", "retention"): "retention-changed",
    ("program", "support"): "contact-changed",
    ("activity_plan", "form"): "activity-plan-form-changed",
    **{
        ("module", name): "module-flow-changed"
        for name in ("next", "parallel_with", "visibility", "tracks", "standalone_forms")
    },
}
# Of those, the ones whose text is itself what matters (a contact's name, hours or note).
ALWAYS = frozenset({("program", "support")})

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
}


class VersionPolicy(StrEnum):
    SEMVER = "semver"  # any change but cosmetic: a new version; data-breaking: a new major
    CHANGED = "changed"  # any change but cosmetic: a new version
    OFF = "off"


Path = tuple[tuple[str, str], ...]  # (kind, id) from the program down, as in NEW


@dataclass(frozen=True)
class Change:
    rule: Rule
    program: str
    path: Path
    message: str
    field: str | None = None
    old: Any = None
    new: Any = None
    location: Location | None = None  # in NEW (for something removed: where it was held)
    old_location: Location | None = None
    words: Words | None = None

    @property
    def change_class(self) -> ChangeClass:
        return self.rule.change_class


def name(kind: str, ident: str) -> str:
    return f"{kind.replace('_', ' ')} '{ident}'"


def _where(node: Node | None, *at: str | int) -> Location | None:
    return node.ref.at(*at) if node is not None and node.ref is not None else None


def _where_changed(node: Node, field_name: str, old: Any, new: Any) -> Location | None:
    """Where a field changed: at its first differing part, and in a text at the first
    character that differs (the line that changed). A part the model names otherwise than the
    YAML (a module's guidance goals) falls back to the field."""
    if node.ref is None:
        return None
    at, a, b = next(iter(differing(old, new)), ((), old, new))
    if isinstance(a, str) and isinstance(b, str):
        same = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), None)
        same = min(len(a), len(b)) if same is None else same
        if 0 < same < len(b):
            return node.ref.at(field_name, *at, offset=same)
    return node.ref.at(field_name, *at)


def _leaves(
    value: Any, at: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*at, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _leaves(item, (*at, i))
    else:
        yield at, value


def differing(old: Any, new: Any) -> list[tuple[tuple[str | int, ...], Any, Any]]:
    """Every leaf that differs, with its path inside the value (None where one side has none)."""
    a, b = dict(_leaves(old)), dict(_leaves(new))
    return [(k, a.get(k), b.get(k)) for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)]


def _leaf_key(field_name: str, at: tuple[str | int, ...]) -> str:
    """The name a leaf is stored under: its last key (list items: the list's)."""
    return next((str(k) for k in reversed(at) if isinstance(k, str)), field_name)


def _flat_text(value: Any) -> str:
    """The text a value shows: its strings, paragraph by paragraph."""
    return "\n\n".join(v for _, v in _leaves(value) if isinstance(v, str))


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
        self.instruments = _instruments(old) | _instruments(new)

    def add(self, rule_id: str, path: Path, message: str, **extra: Any) -> None:
        self.changes.append(Change(rule(rule_id), self.program, path, message, **extra))

    # ---- elements

    def element(self, old: Node, new: Node, path: Path) -> None:
        self.fields(old, new, path)
        for child_kind, olds in old.children.items():
            if new.kind == "section" and child_kind == "step":
                continue  # steps are matched across their module's sections
            self.match(child_kind, olds, new.children.get(child_kind, []), new, path)
        if new.kind == "module":
            self.steps(old, new, path)

    def match(
        self, kind: str, olds: list[Node], news: list[Node], parent: Node, path: Path
    ) -> list[tuple[Node, Node]]:
        """Pair elements by id (or by a declared rename); report the rest and the order."""
        by_id = {o.id: o for o in olds}
        # an old id that is still there, or that an earlier element was renamed from, is taken
        taken = {n.id for n in news}
        pairs: list[tuple[Node, Node]] = []
        for n in news:
            o = by_id.get(n.id)
            if o is None and n.renamed_from in by_id and n.renamed_from not in taken:
                taken.add(n.renamed_from)
                o = by_id[n.renamed_from]
                rule_id = "option-value-changed" if kind == "option" else "element-renamed"
                self.add(
                    rule_id,
                    (*path, (kind, n.id)),
                    f"{name(kind, o.id)} renamed to '{n.id}'",
                    field="id",
                    old=o.id,
                    new=n.id,
                    location=_where(n, "value" if kind == "option" else "id"),
                    old_location=_where(o),
                )
            if o is None:
                self.added(kind, n, path)
                continue
            pairs.append((o, n))
        paired = {o.id for o, _ in pairs}
        for o in olds:
            if o.id not in paired:
                self.removed(kind, o, parent, path)
        self.order(
            kind, [o.id for o in olds if o.id in paired], [o.id for o, _ in pairs], parent, path
        )
        for o, n in pairs:
            self.element(o, n, (*path, (kind, n.id)))
        return pairs

    def added(self, kind: str, node: Node, path: Path) -> None:
        rule_id = "plan-columns-changed" if kind == "column" else "element-added"
        self.add(
            rule_id, (*path, (kind, node.id)), f"{name(kind, node.id)} added", location=_where(node)
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
        for o, n in self.match("step", olds, news, new, path):
            if old_section[o.id] != new_section[n.id]:
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

    # ---- fields

    def fields(self, old: Node, new: Node, path: Path) -> None:
        for field_name, b in new.fields.items():
            if field_name not in old.fields or (new.kind, field_name) == ("program", "version"):
                continue  # a field only one side has: a manifest holds fewer, older ones fewer
            a = old.fields[field_name]
            if a != b:
                self.field(old, new, field_name, a, b, path)

    def field(self, old: Node, new: Node, field_name: str, a: Any, b: Any, path: Path) -> None:
        kind = new.kind
        what = f"{field_name.replace('_', ' ')} of {name(kind, new.id)}"
        extra: dict[str, Any] = {
            "field": field_name,
            "old": a,
            "new": b,
            "location": _where_changed(new, field_name, a, b),
            "old_location": _where(old, field_name),
        }
        leaves = differing(a, b)
        keys = {_leaf_key(field_name, at) for at, _, _ in leaves}
        # only text changed (a text added or removed too), no id, kind or number
        texts = all(
            isinstance(x, str | None)
            and isinstance(y, str | None)
            and _leaf_key(field_name, at) not in KEYWORDS
            for at, x, y in leaves
        )
        if texts and all(renders_alike(x or "", y or "") for _, x, y in leaves):
            self.add("formatting-changed", path, f"{what}: formatting only", **extra)
        elif kind in _SCORED_KINDS and (field_name in SCORING_FIELDS or keys & SCORING_FIELDS):
            self.add("form-scoring-changed", path, f"{what} changed", **extra)
        elif (kind, field_name) in FIELD_RULES and (not texts or (kind, field_name) in ALWAYS):
            self.add(FIELD_RULES[(kind, field_name)], path, f"{what} changed", **extra)
        elif kind in ("question", "column") and _is_limit(field_name):
            narrowed = _narrowed(field_name, a, b)
            rule_id = "answer-range-narrowed" if narrowed else "answer-range-widened"
            self.add(rule_id, path, f"{what} changed from {a} to {b}", **extra)
        elif keys <= DAY_FIELDS:
            self.add("length-changed", path, f"{what} changed from {a} to {b}", **extra)
        elif texts:
            self.text(new, field_name, a, b, path, what, extra)
        else:
            self.add("setting-changed", path, f"{what} changed", **extra)

    def text(
        self,
        new: Node,
        field_name: str,
        a: Any,
        b: Any,
        path: Path,
        what: str,
        extra: dict[str, Any],
    ) -> None:
        old_text, new_text = _flat_text(a), _flat_text(b)
        words = word_diff(old_text, new_text)
        form = next((i for k, i in path if k == "form"), None)
        if emergency_changed(old_text, new_text):
            rule_id = "emergency-text-changed"
        elif new.kind in ("question", "option", "column") and form in self.instruments:
            rule_id = "instrument-wording-changed"
        else:
            rule_id = "text-changed"
        self.add(rule_id, path, f"{what} changed", words=words, **extra)


def _is_limit(field_name: str) -> bool:
    """A limit on answers: min, max, integer, min_…/max_… (not their labels)."""
    if field_name in ("min", "max", "integer"):
        return True
    return field_name.startswith(("min_", "max_")) and not field_name.endswith("_label")


def _narrowed(field_name: str, a: Any, b: Any) -> bool:
    """Whether answers valid under the old limit may be invalid under the new one."""
    if field_name == "integer":
        return bool(b) and not a
    if b is None:
        return False  # the limit is gone
    if a is None:
        return True
    try:  # numbers, and times and dates written as ISO text, compare in order
        return bool(b > a) if field_name.startswith("min") else bool(b < a)
    except TypeError:  # limits of different kinds: any change may exclude stored answers
        return True


def _instruments(program: Node) -> set[str]:
    """Forms whose wording is an instrument's: declared as a published instrument, or scored
    (their answers are read as numbers)."""
    return {
        form.id
        for form in program.children.get("form", [])
        if form.fields.get("instrument") is not None or form.fields.get("scoring") is not None
    }


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
