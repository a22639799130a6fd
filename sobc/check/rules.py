"""Every semantic rule over a loaded program, in the order they run, one module per family
(`references`, `flow`, `forms`, `scoring`, `computed`, `triggers`, `content`, `charts`, `renames`,
`retention`, `theme`); `check(program)` runs them all."""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..model.program import Program
from . import (
    charts,
    computed,
    content,
    flow,
    forms,
    references,
    renames,
    retention,
    scoring,
    theme,
    triggers,
)
from .reporter import Reporter, Rule

RULES: tuple[Rule, ...] = (
    references.unique_ids,
    references.form_references,
    references.module_references,
    references.flag_references,
    references.track_and_role_references,
    references.unused_forms,
    flow.module_flow,
    flow.next_conditions,
    flow.choice_options,
    flow.choice_tracks,
    flow.choice_visibility,
    flow.choice_flow,
    content.checklist_points,
    retention.retention,
    triggers.flag_timing,
    triggers.score_triggers,
    triggers.answer_triggers,
    triggers.flag_settings,
    forms.question_limits,
    forms.exclusive_options,
    forms.option_groups,
    content.page_addresses,
    forms.conditions,
    scoring.scored_forms,
    computed.computed_values,
    charts.charts,
    content.media,
    content.markdown_links,
    content.markdown_html,
    renames.renames,
    theme.theme_contrast,
)


def check(program: Program) -> list[Diagnostic]:
    """Every semantic problem of a program that passed schema validation, in source order."""
    report = Reporter()
    for rule in RULES:
        rule(program, report)
    return sorted(report.diagnostics, key=Diagnostic.sort_key)
