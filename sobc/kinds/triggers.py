"""The flag triggers: one record per trigger type, and the keys they take, declared once.

Made from these records: `$defs/trigger` in `schema/program.schema.json` (the type enum, each
type's required keys and the keys that do not apply to it), the trigger table in
`docs/authoring.md` (between its `triggers:` marker comments), the clinician guide's sentence
for each flag, the checks' "can never fire" rules and which ids a trigger refers to. The
manifest writes every key of `KEYS` (`manifest.py`), and tests hold `model.Trigger`,
`manifest_reader.TriggerInfo` and `schema/manifest.schema.json` to the same keys.

Adding a trigger type is one `Kind` below (and any new key in `KEYS`, `model.Trigger` and
`manifest_reader.TriggerInfo`), then `python -m sobc.kinds` to remake the
schema fragment and the table, and a case folder for each new check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from ..model.program import ActivityPlan, Form, Program, Question, Trigger
from ..model.shapes import Threshold
from .bounds import NUMBER, swedish_number
from .questions import question_type
from .scoring import item_range, total_range

# Time-based triggers are evaluated once a day at this time (Europe/Stockholm): nobody is
# notified at night (docs/authoring.md).
EVALUATION_TIME = "09:00"
MIDNIGHT = "00:00"
_ID = {"$ref": "common.schema.json#/$defs/id"}


@dataclass(frozen=True)
class Key:
    """A key a trigger may carry: its JSON Schema, what it refers to, its manifest schema."""

    name: str
    schema: dict[str, Any]
    refers_to: Literal["module", "form", "plan"] | None = None
    manifest: dict[str, Any] = field(default_factory=lambda: {"$ref": "#/$defs/optionalDays"})
    words: str = ""  # Swedish, for the guide: what a clinician adjusting the key changes

    def table_text(self) -> str:
        """'`days` (1–365)' for the authoring table."""
        low, high = self.schema.get("minimum"), self.schema.get("maximum")
        return f"`{self.name}`" + (f" ({low}–{high})" if low is not None else "")


def _id_key(name: str, title: str, description: str, refers_to: Any) -> Key:
    schema = {"title": title, "description": description, **_ID}
    return Key(name, schema, refers_to, {"$ref": "#/$defs/optionalId"})


def _count_key(name: str, title: str, description: str, low: int, high: int, words: str) -> Key:
    schema = {
        "title": title,
        "description": description,
        "type": "integer",
        "minimum": low,
        "maximum": high,
    }
    return Key(name, schema, words=words)


def _threshold_key(name: str, title: str, description: str, words: str) -> Key:
    schema = {"title": title, "description": description, "type": ["number", "string"]}
    return Key(name, schema, None, {"type": ["number", "string", "null"]}, words)


# A score or a computed value is a number: form_scored holds its limits to numbers, not the
# times and dates a form_answered limit may be (`Kind.narrowed`).
_NUMBER_LIMIT = {"type": "number"}


KEYS: dict[str, Key] = {
    k.name: k
    for k in (
        _id_key(
            "module",
            "Module",
            "The id of the module the trigger watches. For module_ends it may be left out: "
            "then it watches every started module.",
            "module",
        ),
        _id_key("form", "Form", "The id of the form whose submission fires the flag.", "form"),
        _count_key(
            "days",
            "Days without activity",
            "Whole days without patient activity before the flag fires.",
            1,
            365,
            "antalet dagar",
        ),
        _count_key(
            "days_before",
            "Days before the end",
            "How many days before the end the flag fires.",
            0,
            730,
            "antalet dagar före slutet",
        ),
        _id_key(
            "plan", "Activity plan", "The id of the activity plan the trigger watches.", "plan"
        ),
        _count_key(
            "count",
            "Missed due dates",
            "How many due dates of the plan in a row must pass without a submission of its "
            "form before the flag fires.",
            1,
            365,
            "antalet missade tillfällen",
        ),
        _id_key(
            "score",
            "Score",
            "form_scored: the id of a total of the form's scoring, of a question a total "
            "counts (its item score), or of a computed value of the form.",
            None,  # an id inside the form: checked with the form (SOBC342)
        ),
        _threshold_key(
            "at_least",
            "At least",
            "form_scored: fires when the score (or value) is this or more. form_answered: "
            "when the answer is this or later in the question's order (a number, or a time "
            "HH:MM or date YYYY-MM-DD, like the question's min).",
            "den lägsta gränsen",
        ),
        _threshold_key(
            "at_most",
            "At most",
            "form_scored: fires when the score (or value) is this or less. form_answered: "
            "when the answer is this or earlier (a time range may pass midnight: at_least "
            "22:00, at_most 03:00).",
            "den högsta gränsen",
        ),
        _id_key(
            "question",
            "Question",
            "form_answered: the id of the question of the form whose answer fires the flag.",
            None,  # an id inside the form: checked with the form (SOBC345)
        ),
        Key(
            "answers",
            {
                "title": "Answers",
                "description": "form_answered: the answers that fire the flag, any one of them: "
                "option values (a multiple_choice question: one of them among those chosen), "
                "true or false for a consent, or exact numbers, times, dates or texts.",
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {"type": ["string", "number", "boolean"]},
            },
            None,
            {
                "type": ["array", "null"],
                "minItems": 1,
                "items": {"type": ["string", "boolean"]},
            },
        ),
    )
}


@dataclass(frozen=True)
class Finding:
    """A reason a flag can never fire: a diagnostic code, the trigger key it stands at (None:
    the trigger itself) and the code's context besides the flag's id."""

    code: str
    key: str | None
    context: dict[str, Any]


Sentence = Callable[[Program, Trigger], str]
NeverFires = Callable[[Program, Trigger], Iterator[Finding]]


def _fires_always(program: Program, trigger: Trigger) -> Iterator[Finding]:
    return iter(())


@dataclass(frozen=True)
class Kind:
    """One trigger type: its keys, the exact semantics for docs/authoring.md, the clinician
    guide's sentence and the rules that tell when it can never fire."""

    type: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    fires: str  # Markdown: the authoring table's "fires" column
    repeats: str  # Markdown: its "repeats" column
    sentence: Sentence  # the clinician guide, Swedish
    never_fires: NeverFires = _fires_always
    one_of: tuple[str, ...] = ()  # optional keys of which at least one is given (SOBC343)
    narrowed: tuple[str, ...] = ()  # limits held to numbers (a score's, a computed value's)

    @property
    def keys(self) -> tuple[str, ...]:
        return self.required + self.optional

    def schema_of(self, key: str) -> dict[str, Any]:
        """The key's schema in a source file for this type (a score's limits: numbers)."""
        schema = KEYS[key].schema
        return {**schema, **_NUMBER_LIMIT} if key in self.narrowed else schema

    def lacks_one_of(self, trigger: Trigger) -> bool:
        """The trigger gives none of the keys of which it needs one."""
        return bool(self.one_of) and all(getattr(trigger, k) is None for k in self.one_of)

    @property
    def references(self) -> tuple[str, ...]:
        """The keys that name a module, form or plan (checked as references)."""
        return tuple(k for k in self.keys if KEYS[k].refers_to)

    def keys_text(self) -> str:
        parts = [KEYS[k].table_text() for k in self.required]
        parts += [f"optional {KEYS[k].table_text()}" for k in self.optional]
        return ", ".join(parts) or "—"


# ---------------------------------------------------------------- the guide's words


def _dagar(n: int | None) -> str:
    return f"{n} dag" if n == 1 else f"{n} dagar"


def _quoted(title: str | None, ident: str | None) -> str:
    return f"”{title}”" if title else str(ident)


def _module(program: Program, trigger: Trigger) -> str:
    module = program.module(trigger.module) if trigger.module else None
    return _quoted(module.title if module else None, trigger.module)


def _form(program: Program, trigger: Trigger) -> str:
    form = program.form(trigger.form) if trigger.form else None
    return _quoted(form.title if form else None, trigger.form)


def _plan(program: Program, trigger: Trigger) -> ActivityPlan | None:
    return program.plan(trigger.plan) if trigger.plan else None


def _plan_title(program: Program, trigger: Trigger) -> str:
    plan = _plan(program, trigger)
    return _quoted(plan.title if plan else None, trigger.plan)


def _module_ends_text(program: Program, trigger: Trigger) -> str:
    target = f"modulen {_module(program, trigger)}" if trigger.module else "en startad modul"
    return f"{_dagar(trigger.days_before)} innan {target} slutar"


def _plan_missed_text(program: Program, trigger: Trigger) -> str:
    plan = _plan_title(program, trigger)
    if trigger.count == 1:
        return f"När patienten har missat en planerad ifyllnad av {plan}"
    return f"När patienten har missat {trigger.count} planerade ifyllnader av {plan} i rad"


def _plan_due_text(program: Program, trigger: Trigger) -> str:
    plan = _plan(program, trigger)
    time = plan.schedule.time if plan and plan.schedule.time else EVALUATION_TIME
    return f"Kl. {time} de dagar då {_plan_title(program, trigger)} ska fyllas i"


# ---------------------------------------------------------------- when a flag can never fire


def _program_ends_never(program: Program, trigger: Trigger) -> Iterator[Finding]:
    before, length = trigger.days_before, program.recommended_length_days
    if length is None:
        reason = "the program has no recommended_length_days, so it has no end date"
        yield Finding("SOBC317", None, {"reason": reason})
    elif before is not None and before > length:
        reason = f"it fires {before} days before the end, but the program lasts {length} days"
        yield Finding("SOBC317", None, {"reason": reason})


def _module_ends_never(program: Program, trigger: Trigger) -> Iterator[Finding]:
    before = trigger.days_before
    if trigger.module and program.module(trigger.module) is None:
        return  # an unknown module is reported as such (SOBC303)
    watched = [program.module(trigger.module)] if trigger.module else list(program.modules)
    lengths = [m.length_days for m in watched if m is not None and m.length_days]
    if not lengths:
        reason = "no module it watches has length_days, so none has an end date"
        yield Finding("SOBC317", None, {"reason": reason})
    elif before is not None and before > max(lengths):
        what = f"module '{trigger.module}'" if trigger.module else "the longest module"
        reason = f"it fires {before} days before the end, but {what} lasts {max(lengths)} days"
        yield Finding("SOBC317", None, {"reason": reason})


def interval_days(plan: ActivityPlan) -> int:
    """Days between two due dates of the plan."""
    every = plan.schedule.every
    return 1 if every == "day" else 7 if every == "week" else plan.schedule.interval_days or 1


def most_missed(plan: ActivityPlan, length_days: int) -> int:
    """The most due dates in a row that can be missed, and the flag still fire, in a program
    that lasts `length_days`: the n-th miss is known at the due time of the next due date,
    day n × interval at the earliest (a plan started on day 0), and the flag fires at the
    first 09:00 from then on, which must come by the program's end date."""
    late = 1 if (plan.schedule.time or MIDNIGHT) > EVALUATION_TIME else 0
    return max(0, (length_days - late) // interval_days(plan))


def _plan_missed_never(program: Program, trigger: Trigger) -> Iterator[Finding]:
    plan, length, count = _plan(program, trigger), program.recommended_length_days, trigger.count
    if plan is None or length is None or count is None:
        return  # an unknown plan is SOBC340; without an end date, any count can be reached
    most = most_missed(plan, length)
    if count > most:
        if most == 0:
            reason = f"the program's {_days_en(length)} end before a due date can be missed"
            hint = "lengthen recommended_length_days, or watch another plan"
        else:
            reason = f"at most {most} can be missed before the program's {_days_en(length)} end"
            hint = f"lower count to {most} or less, or lengthen recommended_length_days"
        context = {"count": count, "plan": plan.id, "reason": reason, "suggestion": hint}
        yield Finding("SOBC341", "count", context)


def scored(
    program: Program, trigger: Trigger
) -> tuple[Form, str, tuple[float, float] | None] | None:
    """A form_scored trigger's form, the title of what it watches (a total, a question or a
    computed value) and the values it can have; None when the form or score is unknown
    (reported elsewhere)."""
    form = program.form(trigger.form) if trigger.form else None
    if form is None or trigger.score is None:
        return None
    value = next((c for c in form.computed if c.id == trigger.score), None)
    if value is not None:
        low, high = value.min, value.max
        return form, value.title, (low, high) if low is not None and high is not None else None
    if form.scoring is None:
        return None
    total = next((t for t in form.scoring.totals if t.id == trigger.score), None)
    if total is not None:
        return form, total.title, total_range(form, total)
    counted = {q for t in form.scoring.totals for q in t.questions}
    question = next((q for q in form.questions if q.id == trigger.score), None)
    if question is None or question.id not in counted:
        return None
    return form, question.id, item_range(question)


def _form_scored_never(program: Program, trigger: Trigger) -> Iterator[Finding]:
    found = scored(program, trigger)
    if found is None or found[2] is None:
        return  # an unknown form or score is reported as such (SOBC302, SOBC342)
    low, high = found[2]
    least, most = _score_limit(trigger.at_least), _score_limit(trigger.at_most)
    reason = ""
    if least is not None and least > high:
        reason = f"at_least {least} is above the highest possible score {high}"
    elif most is not None and most < low:
        reason = f"at_most {most} is below the lowest possible score {low}"
    elif least is not None and most is not None and least > most:
        reason = f"at_least {least} is above at_most {most}"
    if reason:
        yield Finding("SOBC317", "at_least" if least is not None else "at_most", {"reason": reason})


def _score_limit(limit: Threshold | None) -> float | None:
    """A form_scored limit as the number it is (the schema holds it to a number)."""
    return None if limit is None or isinstance(limit, str) else float(limit)


def _limits(trigger: Trigger) -> str:
    limits = []
    if trigger.at_least is not None:
        limits.append(f"minst {_swedish(trigger.at_least)}")
    if trigger.at_most is not None:
        limits.append(f"högst {_swedish(trigger.at_most)}")
    return " och ".join(limits)


def _swedish(limit: Threshold) -> str:
    return limit if isinstance(limit, str) else swedish_number(limit)


def _within(score: int, trigger: Trigger) -> bool:
    return NUMBER.contains(score, trigger.at_least, trigger.at_most)


def either(words: list[str]) -> str:
    """'”Ofta”', '”Ofta” eller ”Jämt”', '”A”, ”B” eller ”C”'."""
    return " eller ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


def _answers(form: Form, question: Question, trigger: Trigger) -> str:
    """What the patient answers for a counted question's item score to fire the flag, in the
    patient's words: the options' labels, or a scale's values (a reversed item counted so)."""
    span = item_range(question)
    kind = question_type(question.type)
    if span is None or kind.several:  # several options' scores add up: only the score in words
        return f"poängen för frågan ”{question.text}” är {_limits(trigger)}"
    low, high = span
    reverse = form.scoring is not None and question.id in form.scoring.reverse

    def fires(score: int) -> bool:
        return _within(low + high - score if reverse else score, trigger)

    if not kind.value_is_score:
        chosen = [o for o in question.options if o.score is not None and fires(o.score)]
        labels = [f"”{o.label}”" for o in chosen]
        return f"svarar {either(labels)} på frågan ”{question.text}”"
    values = [v for v in range(low, high + 1) if fires(v)]
    if len(values) == 1 or not values:
        given = str(values[0]) if values else "inget värde"
    elif values[-1] == high:
        given = f"{values[0]} eller mer"
    elif values[0] == low:
        given = f"{values[-1]} eller mindre"
    else:
        given = f"mellan {values[0]} och {values[-1]}"
    return f"svarar {given} på frågan ”{question.text}”"


def _form_scored_text(program: Program, trigger: Trigger) -> str:
    found = scored(program, trigger)
    start = f"När patienten skickar in formuläret {_form(program, trigger)} och "
    if found is None:
        return start + f"poängen för {trigger.score} är {_limits(trigger)}"
    form = found[0]
    question = next((q for q in form.questions if q.id == trigger.score), None)
    if question is not None:
        return start + _answers(form, question, trigger)
    value = next((c for c in form.computed if c.id == trigger.score), None)
    if value is not None:
        unit = f" {value.unit}" if value.unit else ""
        return start + f"värdet ”{value.title}” är {_limits(trigger)}{unit}"
    return start + f"summan ”{found[1]}” är {_limits(trigger)}"


def answered(program: Program, trigger: Trigger) -> tuple[Form, Question] | None:
    """A form_answered trigger's form and question; None when either is unknown (reported
    elsewhere: SOBC302, SOBC345)."""
    form = program.form(trigger.form) if trigger.form else None
    if form is None:
        return None
    question = next((q for q in form.questions if q.id == trigger.question), None)
    return None if question is None else (form, question)


def answer_words(question: Question, value: str | bool) -> str:
    """One answer as the patient gives it: an option's label, the number, time, date or text."""
    label = next((o.label for o in question.options if o.value == value), None)
    if label is not None:
        return f"”{label}”"
    bounds = question_type(question.type).bounds
    return (
        bounds.show(value) if bounds is not None and not isinstance(value, bool) else f"”{value}”"
    )


def _answered_text(program: Program, trigger: Trigger) -> str:
    found = answered(program, trigger)
    start = f"När patienten skickar in formuläret {_form(program, trigger)} "
    if found is None:
        return start + f"och svarar på frågan {trigger.question}"
    question = found[1]
    bounds = question_type(question.type).bounds
    ticks = [v for v in trigger.answers or () if isinstance(v, bool)]
    if ticks and len(ticks) == len(trigger.answers or ()):  # a consent: ticked or not
        box = f"”{question.statement}”" if question.statement else "rutan"
        if len(set(ticks)) > 1:
            return start + f"och har svarat på ”{question.text}”"
        return start + (f"och har kryssat i {box}" if ticks[0] else f"utan att kryssa i {box}")
    if trigger.answers:
        given = either([answer_words(question, v) for v in trigger.answers])
    elif bounds is not None:
        unit = f" {question.unit}" if question.unit else ""
        given = bounds.limits(trigger.at_least, trigger.at_most) + unit
    else:
        given = "något"
    return start + f"och svarar {given} på frågan ”{question.text}”"


def _answered_never(program: Program, trigger: Trigger) -> Iterator[Finding]:
    """A range no answer of the question can fall in: its ends reversed (for a kind that does
    not wrap), or past the question's own min or max."""
    found = answered(program, trigger)
    bounds = question_type(found[1].type).bounds if found else None
    if found is None or bounds is None or bounds.wraps or trigger.answers:
        return  # unknown names and wrong values are reported as such (SOBC345, SOBC346)
    question, least, most = found[1], trigger.at_least, trigger.at_most
    ends = [bounds.parse(v) for v in (least, most, question.min, question.max)]
    low, high, q_low, q_high = ends
    if (least is not None and low is None) or (most is not None and high is None):
        return  # a limit not of the question's kind is SOBC346
    reason = ""
    if low is not None and high is not None and low > high:
        reason = f"at_least {bounds.show(least or 0)} is above at_most {bounds.show(most or 0)}"
    elif low is not None and q_high is not None and low > q_high:
        shown = bounds.show(question.max or 0)
        reason = f"at_least {bounds.show(least or 0)} is above the question's max {shown}"
    elif high is not None and q_low is not None and high < q_low:
        shown = bounds.show(question.min or 0)
        reason = f"at_most {bounds.show(most or 0)} is below the question's min {shown}"
    if reason:
        yield Finding("SOBC317", "at_least" if least is not None else "at_most", {"reason": reason})


def _days_en(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


# ---------------------------------------------------------------- the trigger types

KINDS: dict[str, Kind] = {
    k.type: k
    for k in (
        Kind(
            "program_started",
            (),
            (),
            "when the clinician starts the program",
            "never: once per program",
            lambda program, trigger: "När programmet startas",
        ),
        Kind(
            "module_started",
            ("module",),
            (),
            "when the named module is started (moved to Startade moduler)",
            "each time the module is started again after being hidden",
            lambda program, trigger: f"När modulen {_module(program, trigger)} startas",
        ),
        Kind(
            "module_completed",
            ("module",),
            (),
            "when the clinician marks the named module as done (Visa som klar)",
            "each time it is marked done again",
            lambda program, t: f"När modulen {_module(program, t)} markeras som klar",
        ),
        Kind(
            "inactivity",
            ("days",),
            (),
            "at 09:00 on the date `days` after the date of the latest activity (or after day 0 "
            "if there has been none)",
            "not again until the patient has been active; the count then starts over from the "
            "new activity",
            lambda program, t: f"När patienten inte har varit aktiv på {_dagar(t.days)}",
        ),
        Kind(
            "module_ends",
            ("days_before",),
            ("module",),
            "at 09:00 on the module's end date − `days_before`, for a started module that is "
            "not marked done or hidden; without `module`, for every such module",
            "once per start of the module",
            _module_ends_text,
            _module_ends_never,
        ),
        Kind(
            "program_ends",
            ("days_before",),
            (),
            "at 09:00 on the program's end date − `days_before`, while the program is running",
            "once per program",
            lambda program, t: f"{_dagar(t.days_before)} innan programmet slutar",
            _program_ends_never,
        ),
        Kind(
            "form_submitted",
            ("form",),
            (),
            "when the patient submits the named form",
            "at every submission",
            lambda program, t: f"När patienten skickar in formuläret {_form(program, t)}",
        ),
        Kind(
            "plan_missed",
            ("plan", "count"),
            (),
            "at 09:00 on a day on which the named activity plan's count of missed due dates "
            "in a row (see [Activity plans](#activity-plans)) is `count` or more, if it has "
            "not fired since that count last started at zero; while the plan is active",
            "once per run of missed due dates: not again until the patient submits the plan's "
            "form, which starts the count over",
            _plan_missed_text,
            _plan_missed_never,
        ),
        Kind(
            "plan_due",
            ("plan",),
            (),
            "on each due date of the named activity plan, at its due time (`schedule.time`), "
            "while the plan is active; for a plan without `time`, at 09:00 on the due date",
            "at every due date",
            _plan_due_text,
        ),
        Kind(
            "form_scored",
            ("form", "score"),
            ("at_least", "at_most"),
            "when the patient submits the named form and `score` — a total of its scoring, "
            "a counted question's item score (see [Scored forms](#scored-forms)) or a computed "
            "value, as rounded (see [Computed values](#computed-values)) — is at least "
            "`at_least` and at most `at_most` (at least one of the two is given); a total the "
            "unanswered rule leaves out, or a missing value, does not fire",
            "at every such submission",
            _form_scored_text,
            _form_scored_never,
            one_of=("at_least", "at_most"),
            narrowed=("at_least", "at_most"),  # numbers: a score, or a computed value
        ),
        Kind(
            "form_answered",
            ("form", "question"),
            ("answers", "at_least", "at_most"),
            "when the patient submits the named form and the stored answer to `question` is one "
            "of `answers` (a `multiple_choice` answer: one of them is among those chosen), or "
            "lies between `at_least` and `at_most` in the question's own kind (numbers, times "
            "HH:MM, dates YYYY-MM-DD; a range of times whose `at_least` is after its `at_most` "
            "passes midnight). Give `answers` or a range, not both; a hidden or unanswered "
            "question does not fire (see [Flags on answers](#flags-on-answers))",
            "at every such submission",
            _answered_text,
            _answered_never,
            one_of=("answers", "at_least", "at_most"),
        ),
    )
}


def sentence(program: Program, trigger: Trigger) -> str:
    """The clinician guide's words for when a flag fires."""
    kind = KINDS.get(trigger.type)
    return kind.sentence(program, trigger) if kind else trigger.type


def never_fires(program: Program, trigger: Trigger) -> Iterator[Finding]:
    kind = KINDS.get(trigger.type)
    return kind.never_fires(program, trigger) if kind else iter(())


# ---------------------------------------------------------------- generated text


def schema_fragment() -> dict[str, Any]:
    """`$defs/trigger` of program.schema.json: every key once, and for each type the keys it
    needs and the keys that do not apply to it (SOBC107 names them)."""
    names = list(KINDS)
    properties: dict[str, Any] = {
        "type": {
            "title": "Trigger type",
            "description": ", ".join(names[:-1]) + f" or {names[-1]}.",
            "enum": names,
        },
        **{name: key.schema for name, key in KEYS.items()},
    }
    rules = []
    for kind in KINDS.values():
        then: dict[str, Any] = {}
        if kind.required:
            then["required"] = list(kind.required)
        rules_of_keys: dict[str, Any] = {k: kind.schema_of(k) for k in kind.narrowed}
        rules_of_keys.update({k: False for k in KEYS if k not in kind.keys})
        if rules_of_keys:
            then["properties"] = rules_of_keys
        condition = {"properties": {"type": {"const": kind.type}}, "required": ["type"]}
        rules.append({"if": condition, "then": then})
    return {
        "title": "Trigger",
        "description": "When the flag fires; see docs/authoring.md for the exact definition "
        "of each type.",
        "type": "object",
        "required": ["type"],
        "properties": properties,
        "allOf": rules,
        "additionalProperties": False,
    }


def manifest_fragment() -> dict[str, Any]:
    """The manifest's trigger: every key present (null where it does not apply), and for each
    type the keys it needs, held to the same values as in the source (`schema_fragment`)."""

    def local(schema: dict[str, Any]) -> dict[str, Any]:  # the manifest's own $defs
        ref = schema.get("$ref", "")
        return {**schema, "$ref": ref.replace("common.schema.json#", "#")} if ref else schema

    rules = []
    for kind in KINDS.values():
        then = {k: local(kind.schema_of(k)) for k in kind.required}
        then.update({k: {"anyOf": [{"type": "null"}, kind.schema_of(k)]} for k in kind.narrowed})
        then.update({k: {"type": "null"} for k in KEYS if k not in kind.keys})
        condition = {"properties": {"type": {"const": kind.type}}, "required": ["type"]}
        rule: dict[str, Any] = {"properties": then}
        if kind.one_of:  # at least one of them holds a value
            rule["anyOf"] = [{"properties": {k: local(kind.schema_of(k))}} for k in kind.one_of]
        rules.append({"if": condition, "then": rule})
    return {
        "type": "object",
        "additionalProperties": False,
        "description": "Every key is present for every trigger type; keys that do not apply "
        "are null. docs/authoring.md defines when each type fires.",
        "required": ["type", *KEYS],
        "properties": {"type": {"enum": list(KINDS)}, **{n: k.manifest for n, k in KEYS.items()}},
        "allOf": rules,
    }


def authoring_table() -> str:
    rows = [f"| `{k.type}` | {k.keys_text()} | {k.fires} | {k.repeats} |" for k in KINDS.values()]
    return "\n".join(["| trigger | keys | fires | repeats |", "|---|---|---|---|", *rows])
