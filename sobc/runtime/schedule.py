"""An activity plan's due dates and due times (docs/authoring.md, "Activity plans"), from the
manifest's schedule alone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from .clock import EVALUATION, MIDNIGHT, at, parse_time
from .manifest import ScheduleInfo

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def interval(schedule: ScheduleInfo) -> int:
    """Days from one due date to the next."""
    if schedule.every == "day":
        return 1
    if schedule.every == "week":
        return 7
    assert schedule.interval_days is not None  # the manifest schema requires it for n_days
    return schedule.interval_days


def first_due_date(schedule: ScheduleInfo, start: date) -> date:
    """The first due date on or after the plan's start date: the start date itself, except for
    a weekly plan, whose first due date is its weekday on or after the start date (the start
    date when it is that weekday)."""
    if schedule.every != "week":
        return start
    assert schedule.weekday is not None  # the manifest schema requires it for week
    ahead = (WEEKDAYS.index(schedule.weekday) - start.weekday()) % 7
    return start + timedelta(days=ahead)


def due_time(schedule: ScheduleInfo) -> time:
    """The time of day a due period opens: `schedule.time`, else 00:00."""
    return parse_time(schedule.time) if schedule.time else MIDNIGHT


def reminder_time(schedule: ScheduleInfo) -> time:
    """When `plan_due` fires on a due date: the due time, or 09:00 for a plan without one."""
    return parse_time(schedule.time) if schedule.time else EVALUATION


def due_instant(schedule: ScheduleInfo, day: date) -> datetime:
    return at(day, due_time(schedule))


def reminder_instant(schedule: ScheduleInfo, day: date) -> datetime:
    return at(day, reminder_time(schedule))


def is_due_date(schedule: ScheduleInfo, start: date, day: date) -> bool:
    first = first_due_date(schedule, start)
    return day >= first and (day - first).days % interval(schedule) == 0
