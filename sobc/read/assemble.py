"""Turn schema-valid data into model objects. Runs only after schema validation has passed."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any, TypeVar

from ..kinds.questions import question_type
from ..model import program as m
from .source import Document

T = TypeVar("T")


_FIELDS: dict[type, frozenset[str]] = {}


def _field_names(cls: type) -> frozenset[str]:
    if cls not in _FIELDS:
        _FIELDS[cls] = frozenset(f.name for f in fields(cls))
    return _FIELDS[cls]


def _plain(cls: type[T], data: dict[str, Any], **extra: Any) -> T:
    """Build a dataclass whose keys match its fields; lists become tuples."""
    names = _field_names(cls)
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in names}
    if "source" in values:
        values["source"] = _source(values["source"])
    if "sources" in data:
        values["sources"] = _field_sources(data["sources"])
    return cls(**{**values, **extra})


def _trigger(data: dict[str, Any]) -> m.Trigger:
    """A trigger; the answers it fires on are stored answer values, as enable_when's are."""
    answers = data.get("answers")
    if answers is None:
        return _plain(m.Trigger, data)
    return _plain(m.Trigger, data, answers=tuple(m.answer_value(v) for v in answers))


def _adjustable(flag: dict[str, Any]) -> tuple[m.Adjustable, ...]:
    """A flag's adjustable trigger keys, in the order of the trigger's keys."""
    written = flag.get("adjustable", {})
    return tuple(m.Adjustable(k, v["min"], v["max"]) for k, v in written.items())


def _renamed(data: dict[str, Any]) -> str | None:
    """`renamed_from` as text (an option's old value may be written as a number)."""
    old = data.get("renamed_from")
    return None if old is None else str(old)


def _source(data: Any) -> m.Source | None:
    """`package` (written for this package) or a place in the region's document."""
    if data is None:
        return None
    if data == "package":
        return m.Source(written_here=True)
    assert isinstance(data, dict)  # the schema allows nothing else
    page = data.get("page")
    return m.Source(
        written_here=data.get("package", False),
        document=data.get("document"),
        page=None if page is None else str(page),
        section=data.get("section"),
        note=data.get("note"),
    )


def _field_sources(data: dict[str, Any]) -> m.FieldSources:
    """`sources:`, each field's own source, in the order written."""
    return tuple((name, source) for name, raw in data.items() if (source := _source(raw)))


def _options(items: list[dict[str, Any]] | None) -> tuple[m.Option, ...]:
    return tuple(
        m.Option(
            str(o["value"]),
            o["label"],
            o.get("exclusive", False),
            o.get("score"),
            renamed_from=_renamed(o),
            group=o.get("group"),
        )
        for o in items or ()
    )


def form(doc: Document, form_id: str) -> m.Form:
    data = doc.data
    questions = tuple(
        _question(q, m.Ref(doc, ("questions", i))) for i, q in enumerate(data["questions"])
    )
    scoring = None
    if "scoring" in data:
        scoring = _scoring(data["scoring"], m.Ref(doc, ("scoring",)), questions)
    instrument = _plain(m.Instrument, data["instrument"]) if "instrument" in data else None
    computed = tuple(
        _plain(
            m.Computed,
            c,
            bands=tuple(_plain(m.ValueBand, b) for b in c.get("bands", ())),
            ref=m.Ref(doc, ("computed", i)),
        )
        for i, c in enumerate(data.get("computed", ()))
    )
    return m.Form(
        form_id,
        data["title"],
        questions,
        m.Ref(doc),
        data.get("number"),
        data.get("description"),
        scoring,
        computed,
        instrument,
        renamed_from=_renamed(data),
        source=_source(data.get("source")),
        sources=_field_sources(data.get("sources", {})),
        charts=tuple(
            _plain(m.Chart, c, ref=m.Ref(doc, ("charts", i)))
            for i, c in enumerate(data.get("charts", ()))
        ),
    )


def _scoring(data: dict[str, Any], ref: m.Ref, questions: tuple[m.Question, ...]) -> m.Scoring:
    scored = tuple(q.id for q in questions if question_type(q.type).scored)
    totals = []
    for i, t in enumerate(data["totals"]):
        every = t["questions"] == "all"
        totals.append(
            m.Total(
                t["id"],
                t["title"],
                scored if every else tuple(t["questions"]),
                ref.child("totals", i),
                tuple(_plain(m.Band, b) for b in t.get("bands", ())),
                every,
            )
        )
    rest = {k: v for k, v in data.items() if k != "totals"}
    return _plain(m.Scoring, rest, totals=tuple(totals), ref=ref)


def _question(data: dict[str, Any], ref: m.Ref) -> m.Question:
    enable_when = None
    if cond := data.get("enable_when"):
        raw = cond["in"] if "in" in cond else [cond["equals"]]
        values = tuple(m.answer_value(v) for v in raw)
        key = "in" if "in" in cond else "equals"
        enable_when = m.EnableWhen(cond["question"], values, ref.child("enable_when"), key)
    columns = tuple(
        m.Column(
            c["id"],
            c["type"],
            c["text"],
            c.get("required", False),
            _options(c.get("options")),
            renamed_from=_renamed(c),
        )
        for c in data.get("columns", ())
    )
    return _plain(
        m.Question,
        data,
        ref=ref,
        enable_when=enable_when,
        options=_options(data.get("options")),
        columns=columns,
    )


def module(doc: Document, module_id: str) -> m.Module:
    data = doc.data
    sections = tuple(
        _section(s, m.Ref(doc, ("sections", i))) for i, s in enumerate(data["sections"])
    )
    g = data.get("guidance", {})
    goals = g.get("goals", {})
    guidance = m.Guidance(
        tuple(g.get("main_content", ())),
        tuple(goals.get("patient", ())),
        tuple(goals.get("clinician", ())),
        tuple(g.get("when_done", ())),
        tuple(g.get("notes", ())),
        source=_source(g.get("source")),
    )
    rest = {k: v for k, v in data.items() if k not in ("sections", "guidance", "next")}
    flow = _next(data.get("next", ()), m.Ref(doc, ("next",)))
    return _plain(
        m.Module, rest, id=module_id, sections=sections, ref=m.Ref(doc), guidance=guidance, **flow
    )


def _next(entries: list[Any], ref: m.Ref) -> dict[str, Any]:
    """`next` as the model holds it: every module it names, the conditions of those that have
    one, and whether the program ends when none holds."""
    modules: list[str] = []
    conditions: list[m.NextWhen] = []
    paths: list[tuple[str | int, ...]] = []
    for index, entry in enumerate(entries):
        if isinstance(entry, str):
            modules.append(entry)
            paths.append(("next", index))
        elif "module" in entry:
            modules.append(entry["module"])
            paths.append(("next", index, "module"))
            when = entry["when"]
            key = "in" if "in" in when else "equals"
            raw = when[key] if key == "in" else [when[key]]
            values = tuple(m.answer_value(v) for v in raw)
            where = ref.child(index, "when")
            conditions.append(
                m.NextWhen(entry["module"], when["form"], when["question"], values, where, key)
            )
    ends = any(isinstance(e, dict) and e.get("end") for e in entries)
    return {
        "next": tuple(modules),
        "next_when": tuple(conditions),
        "ends": ends,
        "next_paths": tuple(paths),
    }


def _section(data: dict[str, Any], ref: m.Ref) -> m.Section:
    steps = tuple(_step(s, ref.child("steps", i)) for i, s in enumerate(data["steps"]))
    return _plain(m.Section, {k: v for k, v in data.items() if k != "steps"}, steps=steps, ref=ref)


def _step(data: dict[str, Any], ref: m.Ref) -> m.Step:
    media = _plain(m.Media, data["media"]) if "media" in data else None
    return _plain(m.Step, {k: v for k, v in data.items() if k != "media"}, media=media, ref=ref)


def program(
    doc: Document, root: Path, modules: tuple[m.Module, ...], forms: tuple[m.Form, ...]
) -> m.Program:
    d = doc.data
    lists = _listed(doc)
    theme = assemble_theme(doc) if "theme" in d else None
    rest = {k: v for k, v in d.items() if k not in lists and k not in ("modules", "theme")}
    return _plain(
        m.Program,
        rest,
        retention=_plain(m.Retention, d["retention"]),
        root=root,
        ref=m.Ref(doc),
        modules=modules,
        forms=forms,
        documentation=_documentation(d.get("documentation", {})),
        theme=theme,
        **lists,
    )


def _documentation(docs: dict[str, Any]) -> m.Documentation:
    return m.Documentation(
        docs.get("record_system"),
        tuple(docs.get("guidance", ())),
        tuple(docs.get("booking", ())),
        tuple(_plain(m.ActionCode, a) for a in docs.get("action_codes", ())),
        tuple(_plain(m.QualityRegistry, r) for r in docs.get("registries", ())),
    )


# Lists of program.yaml whose items are one model class each, with no parts of their own.
_SIMPLE = {
    "roles": m.Role,
    "way_of_working": m.Phase,
    "usage_examples": m.UsageExample,
    "risks": m.Risk,
    "guide_sections": m.GuideSection,
    "tracks": m.Track,
}


def _listed(doc: Document) -> dict[str, tuple[Any, ...]]:
    """Every list of program.yaml but its modules, as model objects, by key."""
    d = doc.data

    def items(key: str) -> list[tuple[Any, m.Ref]]:
        return [(x, m.Ref(doc, (key, i))) for i, x in enumerate(d.get(key, ()))]

    lists: dict[str, tuple[Any, ...]] = {
        key: tuple(
            _plain(cls, x, **({"ref": ref} if "ref" in _field_names(cls) else {}))
            for x, ref in items(key)
        )
        for key, cls in _SIMPLE.items()
    }
    lists["support"] = tuple(
        _plain(m.Support, s, contacts=tuple(_plain(m.Contact, c) for c in s["contacts"]))
        for s, _ in items("support")
    )
    lists["checklists"] = tuple(_checklist(c, ref) for c, ref in items("checklists"))
    lists["module_choices"] = tuple(
        _plain(
            m.ModuleChoice,
            c,
            options=tuple(_plain(m.ChoiceOption, o) for o in c["options"]),
            ref=ref,
        )
        for c, ref in items("module_choices")
    )
    lists["flags"] = tuple(
        _plain(m.Flag, f, trigger=_trigger(f["trigger"]), ref=ref, adjustable=_adjustable(f))
        for f, ref in items("flags")
    )
    lists["activity_plans"] = tuple(
        _plain(m.ActivityPlan, p, schedule=_plain(m.Schedule, p["schedule"]), ref=ref)
        for p, ref in items("activity_plans")
    )
    return lists


def assemble_theme(doc: Document) -> m.Theme:
    """The `theme` of a program.yaml or site.yaml."""
    given = doc.data["theme"]
    return m.Theme(
        m.Ref(doc, ("theme",)),
        given.get("name"),
        given.get("logo"),
        tuple(given.get("colours", {}).items()),
    )


def _checklist(data: dict[str, Any], ref: m.Ref) -> m.Checklist:
    def items(points: list[dict[str, Any]]) -> tuple[m.ChecklistItem, ...]:
        return tuple(_plain(m.ChecklistItem, i) for i in points)

    groups = tuple(
        _plain(m.ChecklistGroup, g, items=items(g["items"])) for g in data.get("groups", ())
    )
    return _plain(m.Checklist, data, items=items(data.get("items", [])), groups=groups, ref=ref)
