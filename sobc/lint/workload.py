"""Workload: how long a patient spends reading and watching, per step, per module and per week
of the module's length (`length_days`).

Reading time is the words the patient reads on a step's page (title, body, a recording's
description, the questions of the forms it shows) at `words_per_minute` (default 200: a
common estimate for adults reading easy Swedish prose on a screen; sobc-lint.yaml changes it).
Viewing time is a recording's `duration` as written ("5 minuter", "cirka 1 timme", "3:30").
An activity plan's form is read each time it is due: its minutes a week (`plan_weekly`) are part
of the week of every module, for the plans every patient gets (not `optional` ones).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model.program import ActivityPlan, Module, Schedule, Step
from .registry import Context, rule

_UNITS = {"s": 1 / 60, "sek": 1 / 60, "sekund": 1 / 60, "sekunder": 1 / 60, "min": 1.0}
_UNITS |= {"minut": 1.0, "minuter": 1.0, "h": 60.0, "tim": 60.0, "timme": 60.0, "timmar": 60.0}
_AMOUNT = re.compile(r"(\d+(?:[.,]\d+)?)\s*([a-zåäö]+)", re.IGNORECASE)
_CLOCK = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{2})\s*\Z")


def duration_minutes(text: str) -> float | None:
    """Minutes of a duration as written, or None when it cannot be read."""
    clock = _CLOCK.match(text)
    if clock:
        hours, minutes, seconds = (int(g or 0) for g in clock.groups())
        return hours * 60 + minutes + seconds / 60
    total, found = 0.0, False
    for amount, unit in _AMOUNT.findall(text):
        factor = _UNITS.get(unit.lower())
        if factor is None:
            continue
        total += float(amount.replace(",", ".")) * factor
        found = True
    return total if found else None


@dataclass(frozen=True)
class Time:
    words: int = 0
    viewing: float = 0.0  # minutes

    def reading(self, words_per_minute: int) -> float:
        return self.words / words_per_minute

    def total(self, words_per_minute: int) -> float:
        return self.reading(words_per_minute) + self.viewing

    def __add__(self, other: Time) -> Time:
        return Time(self.words + other.words, self.viewing + other.viewing)


def step_time(ctx: Context, step: Step) -> Time:
    """Reading: the patient's texts of the step's page and of the forms it shows."""
    texts = [t for t in ctx.step_texts(step) if t.audience == "patient"]
    texts += [t for form in step.forms for t in ctx.form_texts(form)]
    viewing = 0.0
    if step.media and step.media.duration:
        viewing = duration_minutes(step.media.duration) or 0.0
    return Time(sum(t.words for t in texts), viewing)


def module_time(ctx: Context, module: Module) -> Time:
    return sum((step_time(ctx, s) for s in module.steps), Time())


def per_week(minutes: float, module: Module) -> float | None:
    """Minutes a week over the module's length; None without a length."""
    if not module.length_days:
        return None
    return minutes / max(module.length_days / 7, 1)


_FILLINGS = {"day": 7.0, "week": 1.0}  # a week's due dates by `every`; n_days: 7 / interval


def fillings_a_week(schedule: Schedule) -> float:
    """How often a week a plan's form is due."""
    if schedule.every == "n_days":
        return 7 / schedule.interval_days if schedule.interval_days else 0.0
    return _FILLINGS.get(schedule.every, 0.0)


def plan_filling(ctx: Context, plan: ActivityPlan) -> Time:
    """Reading one filling-in of a plan's form: the words of its questions."""
    return Time(sum(t.words for t in ctx.form_texts(plan.form)))


def plan_weekly(ctx: Context, plan: ActivityPlan) -> float:
    wpm = ctx.config.words_per_minute
    return plan_filling(ctx, plan).total(wpm) * fillings_a_week(plan.schedule)


def plans_weekly(ctx: Context) -> float:
    """Minutes a week every patient spends on activity plans (the optional ones left out)."""
    return sum(plan_weekly(ctx, p) for p in ctx.program.activity_plans if not p.optional)


def module_weekly(ctx: Context, module: Module) -> float | None:
    """A week in the module: its own time over its length, and the activity plans'."""
    own = per_week(module_time(ctx, module).total(ctx.config.words_per_minute), module)
    return None if own is None else own + plans_weekly(ctx)


@rule("workload", "SOBC540", "SOBC541")
def workload(ctx: Context) -> None:
    wpm, budget = ctx.config.words_per_minute, ctx.config.weekly_minutes
    for module in ctx.program.modules:
        for step in module.steps:
            media = step.media
            if media and media.duration and duration_minutes(media.duration) is None:
                location = step.ref.at("media", "duration")
                ctx.at("SOBC541", location, step.ref.source_line, step, duration=media.duration)
        minutes = module_time(ctx, module).total(wpm)
        weekly = module_weekly(ctx, module)
        plans = round(plans_weekly(ctx))
        if weekly is not None and weekly > budget:
            location = module.ref.at("length_days")
            ctx.at(
                "SOBC540",
                location,
                module.ref.source_line,
                module=module.id,
                weekly=round(weekly),
                budget=budget,
                total=round(minutes),
                days=module.length_days,
                plans=f", and {plans} minutes a week of activity plans" if plans else "",
            )
