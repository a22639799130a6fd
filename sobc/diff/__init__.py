"""`sobc diff`: what a change to a program does to the people already in it.

`diff(old, new)` resolves both operands (`sources.py`), builds each program as a tree of
elements matched by id (`tree.py`), classifies every difference by a rule (`compare.py`,
`rules.py`), and returns the changes; `report.py` writes them for people and CI.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace

from ..diagnostics import Diagnostic, has_errors
from .change import Change
from .compare import VersionPolicy, compare_programs
from .rules import CLASSES, RULES, ChangeClass, Rule
from .sources import UsageProblem, resolve

__all__ = [
    "CLASSES",
    "RULES",
    "Change",
    "ChangeClass",
    "DiffResult",
    "Rule",
    "UsageProblem",
    "VersionPolicy",
    "diff",
]


@dataclass
class DiffResult:
    old: str
    new: str
    policy: VersionPolicy
    changes: list[Change] = field(default_factory=list)
    # Problems of what was read: errors of programs that could not be read (nothing is compared
    # when there are any), warnings of those read despite them (an old revision today's checks
    # would refuse). A revision's are named as git names them, `REVISION:path`.
    problems: list[Diagnostic] = field(default_factory=list)

    def worst(self) -> ChangeClass | None:
        return max((c.change_class for c in self.changes), key=lambda c: c.rank, default=None)

    def fails(self, threshold: ChangeClass) -> bool:
        """Whether any change is of the class given or worse (`--fail-on`)."""
        return any(c.change_class.rank >= threshold.rank for c in self.changes)


def diff(
    old: str,
    new: str,
    programs: Sequence[str] = (),
    policy: VersionPolicy = VersionPolicy.SEMVER,
) -> DiffResult:
    """The changes from OLD to NEW (paths or revisions), of the programs named (else all);
    `UsageProblem` when an operand or program name cannot be used."""
    result = DiffResult(old, new, policy)
    with ExitStack() as stack:
        before = resolve(old, new, stack)
        after = resolve(new, old, stack)
        result.problems = [
            replace(d, location=side.named(d.location))
            for side in (before, after)
            for d in side.problems
        ]
        if has_errors(result.problems):
            return result
        present = before.programs.keys() | after.programs.keys()
        unknown = [p for p in programs if p not in present]
        if unknown:
            raise UsageProblem(
                f"no program {', '.join(repr(p) for p in unknown)} in {old} or {new}"
                f" (there are: {', '.join(sorted(present))})"
            )
        wanted = set(programs) or present
        old_trees, new_trees = {}, {}
        for program_id in sorted(wanted):
            a, b = before.programs.get(program_id), after.programs.get(program_id)
            # a package on either side: both compared on the manifest's common ground
            as_manifest = any(x is not None and x.program is None for x in (a, b))
            if a is not None:
                old_trees[program_id] = a.tree(as_manifest)
            if b is not None:
                new_trees[program_id] = b.tree(as_manifest)
        result.changes = [
            replace(c, location=after.shown(c.location), old_location=before.shown(c.old_location))
            for c in compare_programs(old_trees, new_trees, policy)
        ]
    return result
