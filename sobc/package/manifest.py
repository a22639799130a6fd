"""Writing the manifest a runtime loads (`schema/manifest.schema.json`): the program's modules,
forms, flags and plans, and the SHA-256 of every file of the package. Reading it is
`sobc.runtime.load`."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from typing import Any

from ..kinds.computed import parse
from ..kinds.questions import QuestionType, question_type
from ..kinds.scoring import total_range
from ..model.program import (
    ActivityPlan,
    Computed,
    Flag,
    Form,
    Media,
    Module,
    ModuleChoice,
    Option,
    Program,
    Question,
    Step,
)
from ..model.shapes import ColumnInfo, ConditionInfo, OptionInfo, QuestionInfo
from ..resources import VERSION
from ..runtime.charts import chart_data
from ..runtime.format import FORMAT, FORMAT_VERSION
from ..runtime.layout import is_media_path, module_page, published_path, step_page


def _media(media: Media | None) -> dict[str, Any] | None:
    if media is None:
        return None
    files = {k: published_path(v) if is_media_path(v) else v for k, v in media.files()}
    return asdict(replace(media, **files))


def _step(module: Module, step: Step) -> dict[str, Any]:
    return {
        "id": step.id,
        "title": step.title,
        "number": step.number,
        "type": step.type,
        "page": step_page(module.id, step.id),
        "forms": list(step.forms),
        "selectable": step.selectable,
        "media": _media(step.media),
    }


def _module(module: Module) -> dict[str, Any]:
    return {
        "id": module.id,
        "title": module.title,
        "number": module.number,
        "summary": module.summary,
        "visibility": module.visibility,
        "tracks": list(module.tracks),
        "length_days": module.length_days,
        "next": list(module.next),
        "next_when": [
            {"module": w.module, "form": w.form, "question": w.question, "values": list(w.values)}
            for w in module.next_when
        ],
        "ends": module.ends,
        "parallel_with": list(module.parallel_with),
        "standalone_forms": list(module.standalone_forms),
        "page": module_page(module.id),
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "number": s.number,
                "steps": [_step(module, step) for step in s.steps],
            }
            for s in module.sections
        ],
    }


def _option(o: Option) -> OptionInfo:
    return OptionInfo(o.value, o.label, o.exclusive, o.score, o.group)


def _question(q: Question) -> dict[str, Any]:
    kind = question_type(q.type)
    cond = q.enable_when
    info = QuestionInfo(
        id=q.id,
        type=q.type,
        answer=kind.answer,
        text=q.text,
        help=q.help,
        required=q.required,
        enable_when=ConditionInfo(cond.question, cond.values) if cond else None,
        options=tuple(_option(o) for o in q.options),
        min_selections=_written_or(kind, q, "min_selections", 1 if q.required else 0),
        max_selections=_written_or(kind, q, "max_selections", len(q.options)),
        max_length=q.max_length,
        min=q.min,
        max=q.max,
        min_label=q.min_label,
        max_label=q.max_label,
        unit=q.unit,
        integer=kind.integer if kind.integer is not None else q.integer,
        statement=q.statement,
        columns=tuple(
            ColumnInfo(c.id, c.type, c.text, c.required, tuple(_option(o) for o in c.options))
            for c in q.columns
        ),
        min_rows=_written_or(kind, q, "min_rows", 0),
        max_rows=q.max_rows,
    )
    data: dict[str, Any] = _as_json(asdict(info))
    return data


def _as_json(value: Any) -> Any:
    """A shape's `asdict` as JSON reads back: its tuples as lists."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_as_json(v) for v in value]
    return value


def _written_or(kind: QuestionType, q: Question, key: str, default: int) -> int | None:
    """A limit as written or, for a type the key applies to, what it means when not written
    (a runtime need not know each key's default)."""
    value: int | None = getattr(q, key)
    return value if value is not None or key not in kind.keys else default


def _scoring(form: Form) -> dict[str, Any] | None:
    scoring = form.scoring
    if scoring is None:
        return None
    totals = []
    for t in scoring.totals:
        low, high = total_range(form, t) or (None, None)
        bands = [asdict(b) for b in t.bands]
        totals.append(
            {
                "id": t.id,
                "title": t.title,
                "questions": list(t.questions),
                "min": low,
                "max": high,
                "bands": bands,
            }
        )
    return {
        "totals": totals,
        "reverse": list(scoring.reverse),
        "unanswered": scoring.unanswered,
        "max_unanswered": scoring.max_unanswered,
    }


def _form(form: Form) -> dict[str, Any]:
    return {
        "id": form.id,
        "title": form.title,
        "number": form.number,
        "description": form.description,
        "questions": [_question(q) for q in form.questions],
        "scoring": _scoring(form),
        "instrument": (
            {"name": i.name, "reference": i.reference, "licence": i.licence}
            if (i := form.instrument)
            else None
        ),
        "computed": [_computed(c) for c in form.computed],
    }


def _computed(value: Computed) -> dict[str, Any]:
    return {
        "id": value.id,
        "title": value.title,
        "description": value.description,
        "unit": value.unit,
        "decimals": value.decimals,
        "min": value.min,
        "max": value.max,
        "bands": [asdict(b) for b in value.bands],
        "expression": value.expression,
        "tree": parse(value.expression).as_json(),  # the checks have read it
    }


def _program(program: Program) -> dict[str, Any]:
    return {
        "id": program.id,
        "title": program.title,
        "version": program.version,
        "publisher": program.publisher,
        "summary": program.summary,
        "welcome": program.welcome,
        "emergency": program.emergency,
        "recommended_length_days": program.recommended_length_days,
        "response_time": program.response_time,
        "index_page": "index.html",
        "guide_page": "guide.html",
    }


def renames(program: Program) -> list[dict[str, Any]]:
    """The rename map (`renamed_from`): each renamed element's kind, id path now, and old id."""
    found: list[tuple[str, list[str], str | None]] = []
    for m in program.modules:
        found.append(("module", [m.id], m.renamed_from))
        found += [("section", [m.id, s.id], s.renamed_from) for s in m.sections]
        found += [("step", [m.id, s.id], s.renamed_from) for s in m.steps]
    for f in program.forms:
        found.append(("form", [f.id], f.renamed_from))
        for q in f.questions:
            found.append(("question", [f.id, q.id], q.renamed_from))
            found += [("option", [f.id, q.id, o.value], o.renamed_from) for o in q.options]
            for c in q.columns:
                found.append(("column", [f.id, q.id, c.id], c.renamed_from))
                found += [
                    ("option", [f.id, q.id, c.id, o.value], o.renamed_from) for o in c.options
                ]
    found += [("track", [t.id], t.renamed_from) for t in program.tracks]
    found += [("flag", [x.id], x.renamed_from) for x in program.flags]
    found += [("activity_plan", [p.id], p.renamed_from) for p in program.activity_plans]
    return [{"kind": k, "path": path, "from": old} for k, path, old in found if old is not None]


def manifest_data(program: Program, files: dict[str, tuple[str, int]]) -> dict[str, Any]:
    """The manifest of a built program; `files` maps package paths to (sha256, size)."""
    r = program.retention
    renamed = renames(program)  # written only when there are some
    charted = [c for f in program.forms for chart in f.charts if (c := chart_data(f, chart))]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "compiler": {"name": "sobc", "version": VERSION},
        "program": _program(program),
        "roles": [{"id": role.id, "title": role.title} for role in program.roles],
        "tracks": [
            {"id": t.id, "title": t.title, "description": t.description} for t in program.tracks
        ],
        "modules": [_module(m) for m in program.modules],
        "forms": [_form(f) for f in program.forms],
        "flags": [_flag(f) for f in program.flags],
        "activity_plans": [_plan(p) for p in program.activity_plans],
        "module_choices": [_choice(c) for c in program.module_choices],
        "retention": {
            "purge": r.purge,
            "max_days": r.max_days,
            "maintenance_days": r.maintenance_days,
            "responsible_role": r.responsible_role,
        },
        "files": [
            {"path": path, "sha256": sha, "size": size}
            for path, (sha, size) in sorted(files.items())
        ],
        **({"renames": renamed} if renamed else {}),
        **({"charts": charted} if charted else {}),
    }


def _flag(f: Flag) -> dict[str, Any]:
    trigger = _as_json(asdict(f.trigger))
    return {
        "id": f.id,
        "title": f.title,
        "trigger": trigger,
        "recipient": f.recipient,
        "message": f.message,
        "optional": f.optional,
        "adjustable": [asdict(a) for a in f.adjustable],
    }


def _plan(p: ActivityPlan) -> dict[str, Any]:
    return {
        "id": p.id,
        "title": p.title,
        "form": p.form,
        "activation": p.activation,
        "optional": p.optional,
        "schedule": asdict(p.schedule),
    }


def _choice(c: ModuleChoice) -> dict[str, Any]:
    return {
        "id": c.id,
        "title": c.title,
        "question": c.question,
        "description": c.description,
        "chosen_by": c.chosen_by,
        "options": [{"module": o.module, "label": o.label} for o in c.options],
    }


def dumps(data: Any) -> bytes:
    """Stable JSON: sorted keys, compact, UTF-8, a final newline. Compact because an indent
    makes Python's `json` leave its C encoder for the pure-Python one (a twentieth of a build's
    time), and a runtime reads it the same; `python -m json.tool` shows it to a person."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")
