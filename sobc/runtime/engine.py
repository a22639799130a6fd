"""The reference engine: what a runtime must do for one patient's timeline, by the semantics
docs/authoring.md states ("Clock and calendar" through "Simulating a program").

Pure: `simulate(manifest, timeline)` takes the manifest's typed objects and the timeline's
events and returns decisions (flags raised, due dates, misses, scores, what the patient sees
each day); it reads no file and no clock. Happenings are processed in order of time; at one
instant, due periods open first, then the timeline's events as listed, then the 09:00
evaluation, then the program's end on its end date.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from fractions import Fraction
from functools import partial
from typing import Any

from ..kinds.bounds import NUMBER
from ..kinds.triggers import KEYS
from .clock import EVALUATION, MIDNIGHT, at, local
from .manifest import FlagInfo, Manifest, ModuleChoiceInfo, ModuleInfo, TriggerInfo
from .plans import PlanRun
from .result import ComputedResult, Day, Raised, Refusal, Result, ScoreResult, WayOn, chart_points
from .scores import AnswerError, Given, answer_holds, answered, computed, score, stored
from .timeline import PATIENT_EVENTS, Event, Timeline, TimelineError

SNAPSHOT, BOUNDARY, EVENT, EVALUATE, END = -1, 0, 1, 2, 3  # the order at one instant


class Refused(Exception):
    """An event the runtime does not carry out: the message says why."""


@dataclass(order=True)
class _Item:
    at: datetime
    rank: int
    seq: int
    action: Callable[[], None] = field(compare=False)


@dataclass
class _Started:
    start: date  # the module's day 0
    number: int  # the how-manieth start of the module
    done: bool = False


def simulate(manifest: Manifest, timeline: Timeline) -> Result:
    """What the runtime does for `timeline`; `TimelineError` when it names what the program
    lacks, or the program has no end date and the timeline no `until`."""
    run = _Run(manifest, timeline)
    run.go()
    scores = run.result.scores
    run.result.charts = [chart_points(c.form, c.total, scores) for c in manifest.charts]
    return run.result


class _Run:
    def __init__(self, manifest: Manifest, timeline: Timeline) -> None:
        self.manifest, self.timeline = manifest, timeline
        self.day0 = local(timeline.start).date()
        length = manifest.program.recommended_length_days
        self.end_date = self.day0 + timedelta(days=length) if length is not None else None
        last = timeline.until or self.end_date
        if last is None:
            raise TimelineError("the program has no end date: give the timeline an until date")
        self.last_day = last
        _check_ids(manifest, timeline)
        self.result = Result(manifest.program.id, manifest.format_version, timeline.start)
        self.queue: list[_Item] = []
        self.ended = False
        self.modules: dict[str, _Started] = {}
        self.starts: Counter[str] = Counter()
        self.opened: set[str] = set()  # choices the clinician opened
        self.latest: dict[str, dict[str, Given]] = {}  # form → its latest stored answers
        self.switched_on: set[str] = set()  # optional flags the clinician switched on
        self.settings: dict[str, dict[str, Any]] = {}  # flag → its adjusted trigger keys
        self.plans: dict[str, PlanRun] = {}
        self.runs: Counter[str] = Counter()
        self.last_active = self.day0
        self.quiet_since: dict[str, date] = {}  # inactivity flags: the activity they fired for
        self.once: set[tuple[str, str, int]] = set()  # (flag, module, start) already fired
        self.due_on: dict[date, list[str]] = {}
        self.now = timeline.start
        self.seq = 0

    # ------------------------------------------------------------ the queue

    def go(self) -> None:
        self._push(self.timeline.start, EVENT, self.begin)
        for event in self.timeline.events:
            self._push(event.at, EVENT, partial(self.event, event))
        day = self.day0
        while day <= self.last_day:
            if at(day, EVALUATION) >= self.timeline.start:
                self._push(at(day, EVALUATION), EVALUATE, partial(self.evaluate, day))
            self._push(at(day + timedelta(days=1), MIDNIGHT), SNAPSHOT, partial(self.snap, day))
            day += timedelta(days=1)
        if self.end_date is not None and self.end_date <= self.last_day:
            self._push(at(self.end_date, EVALUATION), END, partial(self.finish, "end_date"))
        horizon = (at(self.last_day + timedelta(days=1), MIDNIGHT), SNAPSHOT)
        while self.queue and (self.queue[0].at, self.queue[0].rank) <= horizon:
            item = heapq.heappop(self.queue)
            self.now = item.at
            item.action()

    def _push(self, instant: datetime, rank: int, action: Callable[[], None]) -> None:
        self.seq += 1
        heapq.heappush(self.queue, _Item(instant, rank, self.seq, action))

    # ------------------------------------------------------------ flags

    def raise_flags(self, kind: str, matches: Callable[[FlagInfo], bool]) -> None:
        for flag in self.live_flags():
            if flag.trigger.type == kind and matches(flag):
                self.fire(flag)

    def live_flags(self) -> list[FlagInfo]:
        """The flags that are on for this patient, each with the clinician's settings."""
        return [
            replace(f, trigger=replace(f.trigger, **self.settings[f.id]))
            if f.id in self.settings
            else f
            for f in self.manifest.flags
            if not f.optional or f.id in self.switched_on
        ]

    def switch_on(self, event: Event) -> None:
        self.switched_on.add(self.optional_flag(event).id)

    def switch_off(self, event: Event) -> None:
        self.switched_on.discard(self.optional_flag(event).id)

    def optional_flag(self, event: Event) -> FlagInfo:
        flag = next(f for f in self.manifest.flags if f.id == event.flag)
        if not flag.optional:
            raise Refused(f"flag {flag.id!r} is not optional: it is on for every patient")
        return flag

    def adjust(self, event: Event) -> None:
        """New values for the flag's adjustable trigger keys, each within its bounds."""
        flag = next(f for f in self.manifest.flags if f.id == event.flag)
        bounds = {a.key: a for a in flag.adjustable}
        for key, value in event.settings.items():
            allowed = bounds.get(key)
            if allowed is None:
                raise Refused(f"flag {flag.id!r}: {key} cannot be adjusted")
            if KEYS[key].schema.get("type") == "integer" and value != int(value):
                raise Refused(f"flag {flag.id!r}: {key} is a whole number, not {value:g}")
            if not allowed.min <= value <= allowed.max:
                raise Refused(
                    f"flag {flag.id!r}: {key} {value:g} is outside {allowed.min:g}–{allowed.max:g}"
                )
        self.settings[flag.id] = {**self.settings.get(flag.id, {}), **event.settings}

    def fire(self, flag: FlagInfo, module: str | None = None) -> None:
        raised = Raised(flag.id, flag.trigger.type, flag.recipient, self.now, module)
        self.result.flags.append(raised)

    # ------------------------------------------------------------ the program

    def begin(self) -> None:
        self.raise_flags("program_started", lambda flag: True)
        for module in self.manifest.modules:
            alone = self.manifest.choice_of(module.id) is None
            if module.visibility == "always" and alone and self.in_track(module):
                self.start_module(module.id)
        for plan in self.manifest.activity_plans:
            if plan.activation == "program_start" and not plan.optional:
                self.activate(plan.id, self.day0)

    def finish(self, by: str) -> None:
        if self.ended:
            return
        for run in self.plans.values():
            run.stop(self.now)
        self.result.end = (self.now, by)
        self.snap(local(self.now).date())
        self.ended = True

    def in_track(self, module: ModuleInfo) -> bool:
        return not module.tracks or self.timeline.track in module.tracks

    # ------------------------------------------------------------ events

    def event(self, event: Event) -> None:
        try:
            if self.ended:
                raise Refused("the program has ended")
            HANDLERS[event.type](self, event)
        except Refused as refusal:
            self.result.refused.append(Refusal(event.index, event.at, str(refusal)))
            return
        if event.type in PATIENT_EVENTS:
            self.last_active = local(event.at).date()

    def submit(self, event: Event) -> None:
        assert event.form is not None
        form = self.manifest.form(event.form)
        assert form is not None  # _check_ids
        today = local(event.at).date()
        if form.id not in self.open_forms(today):
            raise Refused(f"the patient cannot fill in form {form.id!r} now")
        try:
            answers = stored(form, event.answers)
        except AnswerError as error:
            raise Refused(str(error)) from None
        self.latest[form.id] = answers
        scored = score(form, answers)
        if scored is not None:
            self.result.scores.append(ScoreResult(form.id, event.at, scored.items, scored.totals))
        self.raise_flags("form_submitted", lambda flag: flag.trigger.form == form.id)
        self.raise_flags(
            "form_answered",
            lambda flag: flag.trigger.form == form.id and answered(form, answers, flag.trigger),
        )
        values = computed(form, answers)
        if values:
            self.result.computed.append(ComputedResult(form.id, event.at, values))
        numbers: dict[str, int | Fraction | None] = dict(values)
        if scored is not None:
            numbers.update(scored.items)
            numbers.update({t.id: t.value for t in scored.totals})
        self.raise_flags(
            "form_scored",
            lambda flag: (
                flag.trigger.form == form.id
                and _within(numbers.get(flag.trigger.score or ""), flag.trigger)
            ),
        )
        for run in self.plans.values():
            if run.plan.form == form.id and run.start <= today:
                run.submitted(event.at)

    def open_forms(self, today: date) -> set[str]:
        """The forms the patient can submit: those on the steps and among the standalone
        forms of the modules the patient sees, and those of the plans started by today."""
        forms: set[str] = set()
        for module_id in self.modules:
            module = self.manifest.module(module_id)
            assert module is not None
            forms.update(module.standalone_forms)
            forms.update(f for step in module.steps for f in step.forms)
        forms.update(r.plan.form for r in self.plans.values() if r.start <= today)
        return forms

    def activity(self, event: Event) -> None:
        return  # counted in `event`, as every patient event carried out is

    def choose(self, event: Event) -> None:
        assert event.module is not None
        choice = self.manifest.choice_of(event.module)
        if choice is None or choice.id not in self.offered():
            raise Refused(f"module {event.module!r} is not offered to the patient to choose")
        self.start_module(event.module)

    def start(self, event: Event) -> None:
        assert event.module is not None
        module = self.manifest.module(event.module)
        assert module is not None
        if not self.in_track(module):
            raise Refused(f"module {module.id!r} is not in the patient's track")
        if module.id in self.modules:
            raise Refused(f"module {module.id!r} is started already")
        choice = self.manifest.choice_of(module.id)
        for other in choice.modules if choice else ():
            self.modules.pop(other, None)  # starting another alternative hides the one started
        self.start_module(module.id)

    def start_module(self, module_id: str) -> None:
        self.starts[module_id] += 1
        self.modules[module_id] = _Started(local(self.now).date(), self.starts[module_id])
        self.raise_flags("module_started", lambda flag: flag.trigger.module == module_id)

    def started(self, event: Event) -> _Started:
        if event.module not in self.modules:
            raise Refused(f"module {event.module!r} is not started")
        return self.modules[event.module]

    def hide(self, event: Event) -> None:
        self.started(event)
        del self.modules[event.module or ""]

    def done(self, event: Event) -> None:
        self.started(event).done = True
        self.raise_flags("module_completed", lambda flag: flag.trigger.module == event.module)
        module = self.manifest.module(event.module or "")
        if module is not None and (module.next or module.ends):
            self.result.ways_on.append(self.way_on(module))

    def way_on(self, module: ModuleInfo) -> WayOn:
        """The modules of next that hold now (one with a condition holds when the patient's
        latest submission of its form gave one of its values), else the end if it says so."""
        conditions = {w.module: w for w in module.next_when}
        holding = tuple(
            m
            for m in module.next
            if m not in conditions
            or answer_holds(
                self.latest.get(conditions[m].form), conditions[m].question, conditions[m].values
            )
        )
        return WayOn(module.id, self.now, holding, module.ends and not holding)

    def open_choice(self, event: Event) -> None:
        choice = next(c for c in self.manifest.module_choices if c.id == event.choice)
        if choice.chosen_by != "patient":
            raise Refused(f"choice {choice.id!r} is the clinician's")
        self.opened.add(choice.id)

    def offered(self) -> list[str]:
        """The patient's module choices offered now: visible, in the track, none started."""
        return [c.id for c in self.manifest.module_choices if self._offers(c)]

    def _offers(self, choice: ModuleChoiceInfo) -> bool:
        modules = [self.manifest.module(m) for m in choice.modules]
        visible = choice.id in self.opened or all(m and m.visibility == "always" for m in modules)
        in_track = any(m and self.in_track(m) for m in modules)
        chosen = any(m in self.modules for m in choice.modules)
        return choice.chosen_by == "patient" and visible and in_track and not chosen

    def end_program(self, event: Event) -> None:
        self.finish("clinician")

    # ------------------------------------------------------------ plans

    def plan_activated(self, event: Event) -> None:
        assert event.plan is not None
        today = local(event.at).date()
        start = event.start or today
        if start < today:
            raise Refused("a plan's start date cannot be before the day it is activated")
        self.activate(event.plan, start)

    def activate(self, plan_id: str, start: date) -> None:
        """A new run of the plan (the old one, if any, stops): its first due period opens at
        its due time, or at once when that has passed (a plan activated late in the day)."""
        plan = next(p for p in self.manifest.activity_plans if p.id == plan_id)
        if plan_id in self.plans:
            self.plans[plan_id].stop(self.now)
        self.runs[plan_id] += 1
        run = PlanRun(plan, self.runs[plan_id], start)
        self.plans[plan_id] = run
        first = run.first_due()
        if run.due_at(first) < self.now:
            self.opened_period(run, first, self.now)
        else:
            self._push(run.due_at(first), BOUNDARY, partial(self.boundary, run, first))

    def boundary(self, run: PlanRun, day: date) -> None:
        if self.ended or self.plans.get(run.plan.id) is not run:
            return  # the plan was deactivated or started again
        self.opened_period(run, day, self.now)
        if run.plan.schedule.time is not None:
            self.raise_flags("plan_due", lambda flag: flag.trigger.plan == run.plan.id)

    def opened_period(self, run: PlanRun, day: date, opens: datetime) -> None:
        self.result.due.append(run.open(day, opens))
        self.due_on.setdefault(day, []).append(run.plan.id)
        following = run.next_due(day)
        self._push(run.due_at(following), BOUNDARY, partial(self.boundary, run, following))

    def plan_deactivated(self, event: Event) -> None:
        run = self.plans.pop(event.plan or "", None)
        if run is None:
            raise Refused(f"plan {event.plan!r} is not active")
        run.stop(event.at)

    # ------------------------------------------------------------ 09:00

    def evaluate(self, day: date) -> None:
        if self.ended:
            return
        for flag in self.live_flags():
            daily = DAILY.get(flag.trigger.type)
            if daily is not None:
                daily(self, flag, day)

    def inactivity(self, flag: FlagInfo, day: date) -> None:
        days = flag.trigger.days or 0
        quiet = day >= self.last_active + timedelta(days=days)
        if quiet and self.quiet_since.get(flag.id) != self.last_active:
            self.quiet_since[flag.id] = self.last_active
            self.fire(flag)

    def program_ends(self, flag: FlagInfo, day: date) -> None:
        before = timedelta(days=flag.trigger.days_before or 0)
        if self.end_date is not None and day == self.end_date - before:
            self.fire(flag)  # a date comes once: once per program

    def module_ends(self, flag: FlagInfo, day: date) -> None:
        before = timedelta(days=flag.trigger.days_before or 0)
        for module in self.manifest.modules:
            started = self.modules.get(module.id)
            if started is None or started.done or module.length_days is None:
                continue
            if flag.trigger.module not in (None, module.id):
                continue
            key = (flag.id, module.id, started.number)
            end = started.start + timedelta(days=module.length_days)
            if day == end - before and key not in self.once:
                self.once.add(key)
                self.fire(flag, module.id)

    def plan_missed(self, flag: FlagInfo, day: date) -> None:
        run = self.plans.get(flag.trigger.plan or "")
        missed = run is not None and run.count >= (flag.trigger.count or 1)
        if run is not None and missed and flag.id not in run.fired:
            run.fired.add(flag.id)
            self.fire(flag)

    def plan_due(self, flag: FlagInfo, day: date) -> None:
        run = self.plans.get(flag.trigger.plan or "")
        if run is None or run.plan.schedule.time is not None:
            return  # a plan with a due time is reminded at it
        if run.current is not None and run.current.date == day:
            self.fire(flag)

    # ------------------------------------------------------------ what the patient sees

    def snap(self, day: date) -> None:
        if self.ended:
            return
        modules = tuple(
            (m.id, "done" if self.modules[m.id].done else "started")
            for m in self.manifest.modules
            if m.id in self.modules
        )
        due = tuple(self.due_on.get(day, ()))
        entry = Day(day, (day - self.day0).days, modules, tuple(self.offered()), due)
        self.result.days.append(entry)


HANDLERS: dict[str, Callable[[_Run, Event], None]] = {
    "form_submitted": _Run.submit,
    "activity": _Run.activity,
    "module_chosen": _Run.choose,
    "module_started": _Run.start,
    "module_hidden": _Run.hide,
    "module_done": _Run.done,
    "choice_opened": _Run.open_choice,
    "plan_activated": _Run.plan_activated,
    "plan_deactivated": _Run.plan_deactivated,
    "program_ended": _Run.end_program,
    "flag_switched_on": _Run.switch_on,
    "flag_switched_off": _Run.switch_off,
    "flag_adjusted": _Run.adjust,
}

DAILY: dict[str, Callable[[_Run, FlagInfo, date], None]] = {
    "inactivity": _Run.inactivity,
    "program_ends": _Run.program_ends,
    "module_ends": _Run.module_ends,
    "plan_missed": _Run.plan_missed,
    "plan_due": _Run.plan_due,
}


def _within(value: int | Fraction | None, trigger: TriggerInfo) -> bool:
    """Whether a score (or a computed value, as rounded) is at least `at_least` and at most
    `at_most` (a limit not given holds)."""
    if value is None:
        return False  # a total the unanswered rule leaves out fires nothing, nor a missing value
    return NUMBER.contains(value, trigger.at_least, trigger.at_most)


def _check_ids(manifest: Manifest, timeline: Timeline) -> None:
    """Every id the timeline names is the program's."""
    known = {
        "module": {m.id for m in manifest.modules},
        "form": {f.id for f in manifest.forms},
        "plan": {p.id for p in manifest.activity_plans},
        "choice": {c.id for c in manifest.module_choices},
        "flag": {f.id for f in manifest.flags},
    }
    if timeline.track is not None and timeline.track not in {t.id for t in manifest.tracks}:
        raise TimelineError(f"track: the program has no track {timeline.track!r}")
    for event in timeline.events:
        for kind, ids in known.items():
            value = getattr(event, kind)
            if value is not None and value not in ids:
                raise TimelineError(f"events[{event.index}]: the program has no {kind} {value!r}")
