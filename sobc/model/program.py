"""The program as frozen objects; each keeps a reference to where it was written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..diagnostics import JsonPath, Location
from .shapes import Adjustable as Adjustable  # the shapes the manifest shares: shapes.py
from .shapes import Band as Band
from .shapes import Media as Media
from .shapes import Schedule as Schedule
from .shapes import Trigger as Trigger
from .shapes import ValueBand as ValueBand

Value = str | bool
Bound = float | str  # a question's min or max: a number, or a time or date as written


class Positions(Protocol):
    """What a `Ref` asks of the file it points into (`read.source.Document` is the one sobc
    reads): the model is declared below the reader, so it names only what it uses."""

    def location(
        self, at: JsonPath = (), *, key: bool = False, offset: int | None = None
    ) -> Location: ...

    def source_line(self, line: int) -> str: ...


@dataclass(frozen=True, eq=False)
class Ref:
    """A place in a source document; checks ask it for file:line:col."""

    doc: Positions
    path: JsonPath = ()

    def at(self, *sub: str | int, key: bool = False, offset: int | None = None) -> Location:
        """Where the value at `sub` is (or its key); with `offset`, that character of its text."""
        return self.doc.location((*self.path, *sub), key=key, offset=offset)

    def child(self, *sub: str | int) -> Ref:
        return Ref(self.doc, (*self.path, *sub))

    def source_line(self, location: Location) -> str:
        return self.doc.source_line(location.line)


@dataclass(frozen=True)
class Source:
    """Where content comes from: written for this package, or a place in the region's document.

    An element without one has its parent's (the guide resolves that, `render/guide.py`)."""

    written_here: bool = False
    document: str | None = None
    page: str | None = None
    section: str | None = None
    note: str | None = None


# `sources:` of an element, field name → that field's own source (a field not in it has the
# element's); pairs in the order written, so that the element stays hashable.
FieldSources = tuple[tuple[str, Source], ...]


def field_source(sources: FieldSources, name: str) -> Source | None:
    """A field's own source, if `sources:` gives it one."""
    return next((source for key, source in sources if key == name), None)


def answer_value(value: Any) -> Value:
    """Answer values are stored as text; booleans only come from consent questions."""
    if isinstance(value, bool):
        return value
    return str(value)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    exclusive: bool = False
    score: int | None = None
    renamed_from: str | None = None  # the id (an option: the value) in the previous version
    group: str | None = None  # a checklist's heading the point stands under


@dataclass(frozen=True)
class EnableWhen:
    question: str
    values: tuple[Value, ...]
    ref: Ref = field(compare=False, repr=False)
    key: str = "equals"  # how the author wrote it: equals (one value) or in (a list)


@dataclass(frozen=True)
class Column:
    id: str
    type: str
    text: str
    required: bool
    options: tuple[Option, ...]
    renamed_from: str | None = None  # the id (an option: the value) in the previous version


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: str
    ref: Ref = field(compare=False, repr=False)
    help: str | None = None
    required: bool = False
    enable_when: EnableWhen | None = None
    options: tuple[Option, ...] = ()
    min_selections: int | None = None
    max_selections: int | None = None
    max_length: int | None = None
    min: Bound | None = None  # of the kind its type's record says (`kinds/bounds.py`)
    max: Bound | None = None
    min_label: str | None = None
    max_label: str | None = None
    unit: str | None = None
    integer: bool = False
    statement: str | None = None
    columns: tuple[Column, ...] = ()
    min_rows: int | None = None
    max_rows: int | None = None
    renamed_from: str | None = None  # the id (an option: the value) in the previous version
    source: Source | None = None


@dataclass(frozen=True)
class Total:
    id: str
    title: str
    questions: tuple[str, ...]  # the ids it sums; for `all`, every scored question of the form
    ref: Ref = field(compare=False, repr=False)
    bands: tuple[Band, ...] = ()
    all_questions: bool = False  # written as `questions: all`


@dataclass(frozen=True)
class Scoring:
    totals: tuple[Total, ...]
    ref: Ref = field(compare=False, repr=False)
    reverse: tuple[str, ...] = ()
    unanswered: str = "no_total"
    max_unanswered: int | None = None


@dataclass(frozen=True)
class Instrument:
    name: str
    reference: str  # where it is published (not `source`, the provenance of sobc's elements)
    licence: str
    fingerprint: str


@dataclass(frozen=True)
class Computed:
    """A value computed from a form's answers (`kinds/computed.py` reads its expression)."""

    id: str
    title: str
    expression: str
    ref: Ref = field(compare=False, repr=False)
    description: str | None = None
    unit: str | None = None
    decimals: int = 0
    min: float | None = None
    max: float | None = None
    bands: tuple[ValueBand, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A total followed over time (`charts` of a form): its axis and which direction is worse;
    `min`/`max` None: the total's range."""

    total: str
    worse: str  # higher / lower
    ref: Ref = field(compare=False, repr=False)
    title: str | None = None
    min: int | None = None
    max: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class Form:
    id: str
    title: str
    questions: tuple[Question, ...]
    ref: Ref = field(compare=False, repr=False)
    number: str | None = None
    description: str | None = None
    scoring: Scoring | None = None
    computed: tuple[Computed, ...] = ()
    instrument: Instrument | None = None
    renamed_from: str | None = None  # the id (an option: the value) in the previous version
    source: Source | None = None
    sources: FieldSources = ()
    charts: tuple[Chart, ...] = ()


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    type: str
    ref: Ref = field(compare=False, repr=False)
    number: str | None = None
    body: str | None = None
    forms: tuple[str, ...] = ()
    media: Media | None = None
    selectable: bool = False
    guidance: str | None = None
    renamed_from: str | None = None  # the id (an option: the value) in the previous version
    source: Source | None = None


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    steps: tuple[Step, ...]
    ref: Ref = field(compare=False, repr=False)
    number: str | None = None
    description: str | None = None
    renamed_from: str | None = None  # the id (an option: the value) in the previous version
    source: Source | None = None


@dataclass(frozen=True)
class Guidance:
    main_content: tuple[str, ...] = ()
    goals_patient: tuple[str, ...] = ()
    goals_clinician: tuple[str, ...] = ()
    when_done: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    source: Source | None = None


@dataclass(frozen=True)
class NextWhen:
    """A module that comes next only when an answer holds: the patient's latest submission of
    `form` answered `question` with one of `values` (docs/authoring.md, "Flows that branch")."""

    module: str
    form: str
    question: str
    values: tuple[Value, ...]
    ref: Ref = field(compare=False, repr=False)  # at the entry's `when`
    key: str = "equals"  # how the author wrote it: equals (one value) or in (a list)


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    sections: tuple[Section, ...]
    ref: Ref = field(compare=False, repr=False)
    number: str | None = None
    summary: str | None = None
    description: str | None = None
    visibility: str = "activated"
    tracks: tuple[str, ...] = ()
    length_days: int | None = None
    expected_duration: str | None = None
    starts_when: str | None = None
    parallel_with: tuple[str, ...] = ()
    next: tuple[str, ...] = ()  # every module next names, with a condition or without
    next_when: tuple[NextWhen, ...] = ()  # the conditions of those that have one
    ends: bool = False  # `{end: true}`: when no module of next holds, the program ends
    # where each module of `next` is written: ("next", 0), or ("next", 1, "module") in a mapping
    next_paths: tuple[tuple[str | int, ...], ...] = field(default=(), compare=False, repr=False)
    guidance: Guidance = Guidance()
    standalone_forms: tuple[str, ...] = ()
    renamed_from: str | None = None  # the id (an option: the value) in the previous version
    source: Source | None = None
    sources: FieldSources = ()

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(step for section in self.sections for step in section.steps)

    def at(self, key: str, index: int) -> tuple[str | int, ...]:
        """Where the index-th id of `next` or `parallel_with` is written in the file."""
        if key == "next" and index < len(self.next_paths):
            return self.next_paths[index]
        return (key, index)


@dataclass(frozen=True)
class Track:
    id: str
    title: str
    description: str | None = None
    ref: Ref | None = field(default=None, compare=False, repr=False)
    renamed_from: str | None = None  # the id (an option: the value) in the previous version
    source: Source | None = None


@dataclass(frozen=True)
class Role:
    id: str
    title: str
    responsibilities: tuple[str, ...]
    examples: tuple[str, ...] = ()
    ref: Ref | None = field(default=None, compare=False, repr=False)
    source: Source | None = None


@dataclass(frozen=True)
class Phase:
    id: str
    title: str
    steps: tuple[str, ...]
    description: str | None = None
    ref: Ref | None = field(default=None, compare=False, repr=False)
    source: Source | None = None


@dataclass(frozen=True)
class UsageExample:
    title: str
    body: str
    source: Source | None = None


@dataclass(frozen=True)
class ActionCode:
    code: str
    title: str
    use: str
    when: str | None = None


@dataclass(frozen=True)
class QualityRegistry:
    name: str
    when: str
    option: str | None = None  # the option to choose in the registry


@dataclass(frozen=True)
class Documentation:
    record_system: str | None = None
    guidance: tuple[str, ...] = ()
    booking: tuple[str, ...] = ()
    action_codes: tuple[ActionCode, ...] = ()
    registries: tuple[QualityRegistry, ...] = ()


@dataclass(frozen=True)
class Contact:
    name: str
    role: str | None = None
    phone: str | None = None
    email: str | None = None
    url: str | None = None
    hours: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Support:
    audience: str
    title: str
    contacts: tuple[Contact, ...]
    description: str | None = None


@dataclass(frozen=True)
class ChecklistItem:
    title: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChecklistGroup:
    """Points under a sub-heading of a checklist."""

    title: str
    items: tuple[ChecklistItem, ...]
    description: str | None = None


@dataclass(frozen=True)
class Checklist:
    id: str
    title: str
    items: tuple[ChecklistItem, ...]
    ref: Ref = field(compare=False, repr=False)
    description: str | None = None
    groups: tuple[ChecklistGroup, ...] = ()
    source: Source | None = None


@dataclass(frozen=True)
class Risk:
    risk: str
    action: str
    source: Source | None = None


@dataclass(frozen=True)
class GuideSection:
    id: str
    title: str
    body: str
    ref: Ref | None = field(default=None, compare=False, repr=False)
    source: Source | None = None


@dataclass(frozen=True)
class Flag:
    id: str
    title: str
    trigger: Trigger
    recipient: str
    message: str
    ref: Ref = field(compare=False, repr=False)
    description: str | None = None
    renamed_from: str | None = None  # the id (an option: the value) in the previous version
    source: Source | None = None
    optional: bool = False  # the clinician switches it on for the patients it suits
    adjustable: tuple[Adjustable, ...] = ()  # trigger keys the clinician may change


@dataclass(frozen=True)
class ActivityPlan:
    id: str
    title: str
    form: str
    activation: str
    schedule: Schedule
    ref: Ref = field(compare=False, repr=False)
    description: str | None = None
    optional: bool = False  # activated only for the patients it suits
    renamed_from: str | None = None  # the id (an option: the value) in the previous version
    source: Source | None = None


@dataclass(frozen=True)
class ChoiceOption:
    module: str
    label: str


@dataclass(frozen=True)
class ModuleChoice:
    """Alternative modules of which the patient gets one; `question` decides which."""

    id: str
    title: str
    question: str
    chosen_by: str  # patient or clinician
    options: tuple[ChoiceOption, ...]
    ref: Ref = field(compare=False, repr=False)
    description: str | None = None
    source: Source | None = None

    @property
    def modules(self) -> tuple[str, ...]:
        return tuple(o.module for o in self.options)


@dataclass(frozen=True)
class Retention:
    purge: str
    max_days: int
    maintenance_days: int = 0
    responsible_role: str | None = None
    notes: tuple[str, ...] = ()
    source: Source | None = None


@dataclass(frozen=True)
class Theme:
    """A region's look: name, logo (a path under media/) and colours as (key, #rrggbb) pairs."""

    ref: Ref = field(compare=False, repr=False)
    name: str | None = None
    logo: str | None = None
    colours: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Program:
    id: str
    title: str
    version: str
    publisher: str
    welcome: str
    retention: Retention
    root: Path
    ref: Ref = field(compare=False, repr=False)
    modules: tuple[Module, ...] = ()
    forms: tuple[Form, ...] = ()
    # Listed modules and form files that could not be read (their problems are reported on
    # their own): a model of the rest is still checked, and references to these are not.
    unreadable_modules: frozenset[str] = frozenset()
    unreadable_forms: frozenset[str] = frozenset()
    summary: str | None = None
    description: str | None = None
    target_group: tuple[str, ...] = ()
    benefits: tuple[str, ...] = ()
    principles: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()
    authorised_clinicians: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    recommended_length_days: int | None = None
    response_time: str | None = None
    clinician_time: str | None = None
    way_of_working: tuple[Phase, ...] = ()
    usage_examples: tuple[UsageExample, ...] = ()
    communication: tuple[str, ...] = ()
    documentation: Documentation = Documentation()
    support: tuple[Support, ...] = ()
    checklists: tuple[Checklist, ...] = ()
    risks: tuple[Risk, ...] = ()
    guide_sections: tuple[GuideSection, ...] = ()
    tracks: tuple[Track, ...] = ()
    flags: tuple[Flag, ...] = ()
    activity_plans: tuple[ActivityPlan, ...] = ()
    module_choices: tuple[ModuleChoice, ...] = ()
    source: Source | None = None
    sources: FieldSources = ()
    emergency: str | None = None
    theme: Theme | None = None

    def module(self, module_id: str) -> Module | None:
        return next((m for m in self.modules if m.id == module_id), None)

    def form(self, form_id: str) -> Form | None:
        return next((f for f in self.forms if f.id == form_id), None)

    def plan(self, plan_id: str) -> ActivityPlan | None:
        return next((p for p in self.activity_plans if p.id == plan_id), None)

    def choice_of(self, module_id: str) -> ModuleChoice | None:
        """The module choice the module is an option of, if any (the first, if several)."""
        return next((c for c in self.module_choices if module_id in c.modules), None)
