"""The state of one activation of an activity plan (a *run*): its current due period, its
count of missed due dates in a row and the `plan_missed` flags fired since that count last
started at zero (docs/authoring.md, "Activity plans")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .manifest import ActivityPlanInfo
from .result import DueDate
from .schedule import due_instant, first_due_date, interval


@dataclass
class PlanRun:
    plan: ActivityPlanInfo
    number: int  # the how-manieth run of the plan: boundaries of older runs are ignored
    start: date
    current: DueDate | None = None  # the due period open now
    count: int = 0  # missed due dates in a row
    fired: set[str] = field(default_factory=set)  # plan_missed flags fired since count was 0

    def first_due(self) -> date:
        return first_due_date(self.plan.schedule, self.start)

    def next_due(self, day: date) -> date:
        return day + timedelta(days=interval(self.plan.schedule))

    def due_at(self, day: date) -> datetime:
        return due_instant(self.plan.schedule, day)

    def open(self, day: date, opens: datetime) -> DueDate:
        """A new due period; the one it follows is missed when nothing was submitted in it."""
        if self.current is not None and self.current.submitted is None:
            self.current.missed = opens
            self.count += 1
        self.current = DueDate(self.plan.id, day, opens)
        return self.current

    def submitted(self, at: datetime) -> None:
        """A submission of the plan's form: it counts for the open period and starts the count
        over (a submission before the first due time counts for no period)."""
        if self.current is not None and self.current.submitted is None:
            self.current.submitted = at
        self.count = 0
        self.fired.clear()

    def stop(self, at: datetime) -> None:
        """The plan or the program ends: the open period is cut short, never missed."""
        if self.current is not None and self.current.submitted is None:
            self.current.cut_short = at
        self.current = None
