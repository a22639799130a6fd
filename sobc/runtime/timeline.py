"""A timeline: what a patient and a clinician do in one program, as `sobc simulate` reads it
(docs/authoring.md, "Simulating a program"). `read_timeline` turns its JSON value into typed,
ordered events, or raises `TimelineError` saying what is wrong; it reads no file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .clock import read_instant
from .scores import Given

TIMELINE_VERSION = 1

# Each event type and the keys it takes besides `at` and `type` (those marked ? optional).
EVENTS: dict[str, tuple[str, ...]] = {
    "form_submitted": ("form", "answers?"),  # the patient submits a form
    "activity": (),  # the patient opens a step, saves a form or sends a message
    "module_chosen": ("module",),  # the patient answers a module choice (chosen_by: patient)
    "module_started": ("module",),  # the clinician starts a module
    "module_hidden": ("module",),  # the clinician hides a started module
    "module_done": ("module",),  # the clinician marks a module done (Visa som klar)
    "choice_opened": ("choice",),  # the clinician opens a patient's choice of activated modules
    "plan_activated": ("plan", "start?"),  # start: the plan's start date, else the event's date
    "plan_deactivated": ("plan",),
    "program_ended": (),  # the clinician ends the program (Avsluta)
    "flag_switched_on": ("flag",),  # the clinician switches an optional flag on for the patient
    "flag_switched_off": ("flag",),
    "flag_adjusted": ("flag", "settings"),  # settings: trigger key → the value it now has
}
PATIENT_EVENTS = ("form_submitted", "activity", "module_chosen")


class TimelineError(ValueError):
    """A timeline that cannot be read: the message says where and why."""


@dataclass(frozen=True)
class Event:
    at: datetime
    type: str
    index: int  # its place in the timeline's list: the order of events at one instant
    module: str | None = None
    form: str | None = None
    choice: str | None = None
    plan: str | None = None
    start: date | None = None
    answers: dict[str, Given] = field(default_factory=dict)
    flag: str | None = None
    settings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Timeline:
    start: datetime  # when the clinician starts the program
    track: str | None
    until: date | None  # the last day simulated; None: the program's end date
    events: tuple[Event, ...]  # in order of time, events at one instant as listed


def _instant(text: Any, where: str) -> datetime:
    if not isinstance(text, str):
        raise TimelineError(f"{where}: a date and time such as 2026-03-01T10:00 is needed")
    try:
        return read_instant(text)
    except ValueError:
        raise TimelineError(f"{where}: {text!r} is not a date and time") from None


def _day(text: Any, where: str) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise TimelineError(f"{where}: {text!r} is not a date (YYYY-MM-DD)") from None


def _event(data: Any, index: int) -> Event:
    where = f"events[{index}]"
    if not isinstance(data, dict) or data.get("type") not in EVENTS:
        raise TimelineError(f"{where}: an object whose type is one of {', '.join(EVENTS)}")
    keys = EVENTS[data["type"]]
    needed = {k for k in keys if not k.endswith("?")}
    allowed = {k.rstrip("?") for k in keys} | {"at", "type"}
    if missing := sorted(needed - set(data)):
        raise TimelineError(f"{where}: {data['type']} needs {', '.join(missing)}")
    if extra := sorted(set(data) - allowed):
        raise TimelineError(f"{where}: {data['type']} takes no {', '.join(extra)}")
    values = {k: data[k] for k in ("module", "form", "choice", "plan", "flag") if k in data}
    if not all(isinstance(v, str) for v in values.values()):
        raise TimelineError(f"{where}: ids are text")
    answers = data.get("answers", {})
    if not isinstance(answers, dict):
        raise TimelineError(f"{where}: answers is an object: question id → answer")
    settings = data.get("settings", {})
    if not isinstance(settings, dict) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in settings.values()
    ):
        raise TimelineError(f"{where}: settings is an object: trigger key → number")
    start = _day(data["start"], f"{where}.start") if "start" in data else None
    at = _instant(data.get("at"), f"{where}.at")
    return Event(at, data["type"], index, start=start, answers=answers, settings=settings, **values)


def read_timeline(data: Any) -> Timeline:
    """The timeline in a JSON value (docs/authoring.md, "Simulating a program")."""
    if not isinstance(data, dict):
        raise TimelineError("a timeline is a JSON object")
    if data.get("timeline_version") != TIMELINE_VERSION:
        raise TimelineError(f"timeline_version must be {TIMELINE_VERSION}")
    extra = sorted(set(data) - {"timeline_version", "start", "track", "until", "events"})
    if extra:
        raise TimelineError(f"a timeline has no key {extra[0]!r}")
    start = _instant(data.get("start"), "start")
    track = data.get("track")
    if track is not None and not isinstance(track, str):
        raise TimelineError("track: the id of one of the program's tracks")
    until = _day(data["until"], "until") if data.get("until") is not None else None
    raw = data.get("events", [])
    if not isinstance(raw, list):
        raise TimelineError("events: a list of events")
    events = sorted((_event(e, i) for i, e in enumerate(raw)), key=lambda e: (e.at, e.index))
    if events and events[0].at < start:
        raise TimelineError(f"events[{events[0].index}]: before the program's start")
    return Timeline(start, track, until, tuple(events))
