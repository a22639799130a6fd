"""How the change of one field of an element is classified: by what the field is (a flag's
trigger, a limit on answers, a length in days, scoring …), else by what kind of value changed
(text is wording unless its words tell someone what to do in an emergency, a flag's message, a
risk, an instrument's wording; anything else is a setting). Provenance (`source:`) is split off
first and is cosmetic; references to renamed elements are read through the renames first."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..diagnostics import Location
from .change import Change, Path, name
from .renames import Renames
from .rules import rule
from .text import emergency_changed, renders_alike, reworded, source_diff, word_diff
from .tree import Node
from .values import At, differing, leaf_key, leaves

# The hook for scoring (scores on options, totals, bands): a change to a field of any of these
# names, anywhere in a form, is `form-scoring-changed`. Add a name here when scoring gains one.
SCORING_FIELDS = frozenset(
    {"score", "scores", "scoring", "total", "totals", "band", "bands", "computed"}
)
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
# Fields named like a keyword that are text people read (a module choice's question).
TEXT_FIELDS = frozenset({("module_choice", "question")})
# Where content comes from: shown in the clinician guide beside it; changes nothing else.
PROVENANCE = "source"
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
    ("module_choice", "chosen_by"): "module-flow-changed",
    ("form", "charts"): "chart-changed",
    **{
        ("module", name): "module-flow-changed"
        for name in (
            "next",
            "next_when",
            "ends",
            "parallel_with",
            "visibility",
            "tracks",
            "standalone_forms",
        )
    },
}
# Of those, the ones whose text is itself what matters (a contact's name, hours or note).
ALWAYS = frozenset({("program", "support"), ("form", "charts")})
# Texts whose words tell someone what to do: reworded, they are safety, not wording.
SAFETY_TEXTS = {
    ("flag", "title"): "flag-message-changed",
    ("flag", "message"): "flag-message-changed",
    ("flag", "description"): "flag-message-changed",
    ("program", "risks"): "risk-changed",
}


@dataclass(frozen=True)
class Versions:
    """What a field's classification needs to know of the two versions as a whole."""

    program: str
    renames: Renames
    instruments: frozenset[str] = frozenset()  # forms that were instruments in OLD
    scored: frozenset[str] = frozenset()  # forms that were scored in OLD


def keyword(kind: str, field_name: str, at: At) -> bool:
    """Whether a leaf of a field is a keyword (an id, a kind, an address), not text."""
    if not at and (kind, field_name) in TEXT_FIELDS:
        return False
    return leaf_key(field_name, at) in KEYWORDS


def flat_text(kind: str, field_name: str, value: Any) -> str:
    """The text a value shows, paragraph by paragraph: its strings, keywords left out."""
    return "\n\n".join(
        v
        for at, v in leaves(value)
        if isinstance(v, str) and not keyword(kind, field_name, at) and PROVENANCE not in at
    )


def own_text(node: Node) -> str:
    """The text of an element and everything in it, for one added or removed as a whole."""
    parts = [flat_text(node.kind, n, v) for n, v in node.fields.items() if n != PROVENANCE]
    parts += [own_text(child) for children in node.children.values() for child in children]
    return "\n\n".join(p for p in parts if p)


def without_provenance(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_provenance(v) for k, v in value.items() if k != PROVENANCE}
    if isinstance(value, list):
        return [without_provenance(v) for v in value]
    return value


def field_changes(
    versions: Versions, old: Node, new: Node, field_name: str, a: Any, b: Any, path: Path
) -> list[Change]:
    """The changes of one field: its provenance, then the rest (read through the renames)."""
    if field_name == PROVENANCE:
        return [_provenance_changed(versions, old, new, field_name, a, b, path)]
    source = None
    if _provenance(a) != _provenance(b):
        source = _provenance_changed(versions, old, new, field_name, a, b, path)
    content_a = versions.renames.translate(without_provenance(a), field_name, path)
    content_b = without_provenance(b)
    if content_a == content_b:
        return [source] if source else []
    content = _classify(versions, old, new, field_name, content_a, content_b, path)
    # the source of a part added, removed or moved comes with it: told with the change
    return [replace(content, implied=(source,)) if source else content]


def _provenance(value: Any) -> dict[str, Any]:
    """The `source:` parts of a value, by where they are in it (`0.source.note`)."""
    return {".".join(map(str, at)): v for at, v in leaves(value) if PROVENANCE in at}


def _provenance_changed(
    versions: Versions, old: Node, new: Node, field_name: str, a: Any, b: Any, path: Path
) -> Change:
    if field_name != PROVENANCE:
        at = next(at for at, _, _ in differing(a, b) if PROVENANCE in at)
        where = at[: at.index(PROVENANCE) + 1]
        a, b = _provenance(a), _provenance(b)
        message = f"source in {_what(field_name, new)} changed"
    else:
        where, message = (), f"source of {name(new.kind, new.id)} changed"
    extra = _extra(old, new, field_name, a, b)
    if new.ref is not None:
        extra["location"] = new.ref.at(field_name, *where)
    notes = differing(a, b)
    if all(isinstance(x, str | None) and isinstance(y, str | None) for _, x, y in notes):
        before = " ".join(x or "" for _, x, _ in notes)  # notes: shown word by word
        extra["words"] = source_diff(before, " ".join(y or "" for _, _, y in notes))
    return Change(rule("provenance-changed"), versions.program, path, message, **extra)


def _what(field_name: str, node: Node) -> str:
    return f"{field_name.replace('_', ' ')} of {name(node.kind, node.id)}"


def _extra(old: Node, new: Node, field_name: str, a: Any, b: Any) -> dict[str, Any]:
    return {
        "field": field_name,
        "old": a,
        "new": b,
        "location": _where_changed(new, field_name, a, b),
        "old_location": old.ref.at(field_name) if old.ref is not None else None,
    }


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


def _classify(
    versions: Versions, old: Node, new: Node, field_name: str, a: Any, b: Any, path: Path
) -> Change:
    kind, what = new.kind, _what(field_name, new)
    extra = _extra(old, new, field_name, a, b)
    found = differing(a, b)
    keys = {leaf_key(field_name, at) for at, _, _ in found}
    texts = all(
        isinstance(x, str | None)
        and isinstance(y, str | None)
        and not keyword(kind, field_name, at)
        for at, x, y in found
    )

    def change(rule_id: str, message: str) -> Change:
        return Change(rule(rule_id), versions.program, path, message, **extra)

    if texts and all(renders_alike(x or "", y or "") for _, x, y in found):
        return change("formatting-changed", f"{what}: formatting only")
    charts = (kind, field_name) == ("form", "charts")  # a chart's `total` is no scoring
    if (
        kind in _SCORED_KINDS
        and not charts
        and (field_name in SCORING_FIELDS or keys & SCORING_FIELDS)
    ):
        form = next((i for k, i in path if k == "form"), new.id)
        scored = form in versions.scored
        return change("form-scoring-changed" if scored else "form-scoring-added", f"{what} changed")
    if (kind, field_name) in FIELD_RULES and (not texts or (kind, field_name) in ALWAYS):
        return change(FIELD_RULES[(kind, field_name)], f"{what} changed")
    if kind in ("question", "column") and _is_limit(field_name):
        narrowed = _narrowed(field_name, a, b)
        return change(
            "answer-range-narrowed" if narrowed else "answer-range-widened", f"{what} changed"
        )
    if keys <= DAY_FIELDS:
        return change("length-changed", f"{what} changed")
    if texts:
        return _text(versions, new, field_name, a, b, path, what, extra)
    return change("setting-changed", f"{what} changed")


def _text(
    versions: Versions,
    new: Node,
    field_name: str,
    a: Any,
    b: Any,
    path: Path,
    what: str,
    extra: dict[str, Any],
) -> Change:
    old_text, new_text = flat_text(new.kind, field_name, a), flat_text(new.kind, field_name, b)
    words = word_diff(old_text, new_text)
    form = next((i for k, i in path if k == "form"), None)
    if emergency_changed(old_text, new_text):
        rule_id = "emergency-text-changed"
    elif not reworded(words):  # the same words: a link's target or the markup changed
        rule_id, words = "text-changed", source_diff(old_text, new_text)
    elif (new.kind, field_name) in SAFETY_TEXTS:
        rule_id = SAFETY_TEXTS[(new.kind, field_name)]
    elif new.kind in ("question", "option", "column") and form in versions.instruments:
        rule_id = "instrument-wording-changed"
    else:
        rule_id = "text-changed"
    return Change(rule(rule_id), versions.program, path, f"{what} changed", words=words, **extra)


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
