"""Step types: what each one is, its Swedish name (pages, guide, clinician view), and what it
must or must not carry. `generate.py` writes the module schema's type enum and per-type rules
and the authoring table from these records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class StepType:
    name: str
    label: str  # Swedish, as patients and clinicians read it
    is_for: str  # the authoring table: what the step is
    body: bool = False  # a body is required
    forms: bool = False  # at least one form is required
    media: Literal["required", "optional", "none"] = "optional"
    media_needs: str | None = None  # a key the media must then have (captions, transcript)


STEP_TYPES: dict[str, StepType] = {
    t.name: t
    for t in (
        StepType("text", "Text", "text to read", body=True, media="none"),
        StepType("video", "Film", "a film with captions", media="required", media_needs="captions"),
        StepType(
            "audio",
            "Ljud",
            "a recording with a transcript",
            media="required",
            media_needs="transcript",
        ),
        StepType("exercise", "Övning", "an exercise to do, with an optional recording", body=True),
        StepType("form", "Formulär", "one or more forms to fill in", forms=True, media="none"),
        StepType("pause", "Paus", "a pause between parts, with an optional text", media="none"),
    )
}


def _if_type(names: list[str]) -> dict[str, Any]:
    test = {"const": names[0]} if len(names) == 1 else {"enum": names}
    return {"properties": {"type": test}, "required": ["type"]}


def step_rules() -> list[dict[str, Any]]:
    """The per-type rules of the module schema's `$defs/step`."""
    rules: list[dict[str, Any]] = []
    with_body = [t.name for t in STEP_TYPES.values() if t.body]
    if with_body:
        rules.append({"if": _if_type(with_body), "then": {"required": ["body"]}})
    for t in STEP_TYPES.values():
        if t.forms:
            then = {"required": ["forms"], "properties": {"forms": {"minItems": 1}}}
            rules.append({"if": _if_type([t.name]), "then": then})
        if t.media == "required":
            media: dict[str, Any] = {"required": [t.media_needs]} if t.media_needs else {}
            then = {"required": ["media"], **({"properties": {"media": media}} if media else {})}
            rules.append({"if": _if_type([t.name]), "then": then})
    without = [t.name for t in STEP_TYPES.values() if t.media == "none"]
    if without:
        rules.append({"if": _if_type(without), "then": {"properties": {"media": False}}})
    return rules


def step_table() -> str:
    lines = ["| type | the step is … | needs |", "|---|---|---|"]
    for t in STEP_TYPES.values():
        needs = []
        if t.body:
            needs.append("`body`")
        if t.forms:
            needs.append("`forms` (at least one)")
        if t.media == "required":
            needs.append(f"`media` with `{t.media_needs}`" if t.media_needs else "`media`")
        elif t.media == "none":
            needs.append("no `media`")
        lines.append(f"| `{t.name}` ({t.label}) | {t.is_for} | {', '.join(needs) or '—'} |")
    return "\n".join(lines)
