"""The summary `sobc lint --summary` prints: per module, the median and worst step LIX and the
time a patient spends reading and watching, in all and per week of the module's length (with the
activity plans every patient gets); per activity plan, its form's reading time and its week."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any

from .readability import excerpt, scored_sentences, step_lix
from .registry import Context
from .workload import fillings_a_week, module_time, module_weekly, plan_filling, plan_weekly


@dataclass(frozen=True)
class ModuleSummary:
    module: str
    steps: int
    scored: int  # steps with enough words for a LIX (`lix.min_words`)
    median_lix: float | None
    worst_lix: float | None
    worst_step: str | None
    reading_minutes: float
    viewing_minutes: float
    weekly_minutes: float | None
    longest_words: int = 0  # the longest sentence of the module's step pages
    longest_at: str = ""  # file:line:col
    longest_text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {k: round(v, 1) if isinstance(v, float) else v for k, v in vars(self).items()}


@dataclass(frozen=True)
class PlanSummary:
    plan: str
    form: str
    fillings_a_week: float
    reading_minutes: float  # one filling-in of its form
    weekly_minutes: float
    optional: bool  # not in the modules' weeks: only the patients it suits get it

    def to_dict(self) -> dict[str, Any]:
        return {k: round(v, 1) if isinstance(v, float) else v for k, v in vars(self).items()}


def summarise_plans(ctx: Context) -> list[PlanSummary]:
    wpm = ctx.config.words_per_minute
    return [
        PlanSummary(
            plan.id,
            plan.form,
            fillings_a_week(plan.schedule),
            plan_filling(ctx, plan).reading(wpm),
            plan_weekly(ctx, plan),
            plan.optional,
        )
        for plan in ctx.program.activity_plans
    ]


def summarise(ctx: Context) -> list[ModuleSummary]:
    config, rows = ctx.config, []
    for module in ctx.program.modules:
        scores = {s.id: step_lix(ctx, s) for s in module.steps}
        scored = {k: v.value for k, v in scores.items() if v.words >= config.lix_min_words}
        worst = max(scored, key=lambda k: scored[k]) if scored else None
        time = module_time(ctx, module)
        sentences = [p for s in module.steps for p in scored_sentences(ctx, s)]
        longest = max(sentences, key=lambda p: len(p.sentence.words), default=None)
        rows.append(
            ModuleSummary(
                module.id,
                len(module.steps),
                len(scored),
                median(scored.values()) if scored else None,
                scored[worst] if worst else None,
                worst,
                time.reading(config.words_per_minute),
                time.viewing,
                module_weekly(ctx, module),
                len(longest.sentence.words) if longest else 0,
                str(longest.text.location(longest.offset)) if longest else "",
                excerpt(longest.sentence.text) if longest else "",
            )
        )
    return rows


def program_median(ctx: Context) -> float | None:
    """The median LIX of every scored step of the program (reported in its README)."""
    scores = [step_lix(ctx, s) for m in ctx.program.modules for s in m.steps]
    values = [s.value for s in scores if s.words >= ctx.config.lix_min_words]
    return median(values) if values else None


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def as_table(
    name: str,
    rows: list[ModuleSummary],
    overall: float | None,
    plans: Sequence[PlanSummary] = (),
) -> str:
    """A plain table for a terminal; min/week holds the activity plans every patient gets,
    listed below it."""
    head = ("module", "steps", "median LIX", "worst LIX (step)", "read min", "view min", "min/week")
    lines = [head]
    for r in rows:
        worst = f"{_number(r.worst_lix)} ({r.worst_step})" if r.worst_step else "–"
        lines.append(
            (
                r.module,
                f"{r.steps}",
                _number(r.median_lix),
                worst,
                _number(r.reading_minutes),
                _number(r.viewing_minutes),
                _number(r.weekly_minutes),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = [f"{name}: median step LIX {_number(overall)}"]
    for line in lines:
        cells = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        out.append("  " + "  ".join(cells))
    out += _plan_lines(list(plans))
    out.append("  longest sentence of each module:")
    out += [
        f"    {r.module}: {r.longest_words} words, {r.longest_at}" for r in rows if r.longest_at
    ]
    return "\n".join(out)


def _plan_lines(plans: list[PlanSummary]) -> list[str]:
    lines = ["  activity plans (in every module's min/week unless optional):"] if plans else []
    for p in plans:
        often = f"{p.fillings_a_week:g}× a week"
        optional = ", optional" if p.optional else ""
        lines.append(
            f"    {p.plan}: form {p.form}, {often}{optional}: {p.reading_minutes:.1f} min "
            f"each, {p.weekly_minutes:.1f} min/week"
        )
    return lines
