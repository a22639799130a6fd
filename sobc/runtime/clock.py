"""The runtime's clock (docs/authoring.md, "Clock and calendar"): calendar dates and times of
day in Europe/Stockholm, daylight saving time included, and instants written as ISO 8601 with
their offset. Pure: nothing here reads the wall clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Europe/Stockholm")
EVALUATION = time(9, 0)  # time-based triggers are evaluated once a day at 09:00
MIDNIGHT = time(0, 0)


def parse_time(text: str) -> time:
    """A time of day written "HH:MM" (24 hours)."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def at(day: date, clock: time) -> datetime:
    """The instant `clock` on `day` in Stockholm. A time the clock skips when summer time begins
    (02:00–02:59 on the last Sunday of March) is the first minute after the gap (03:00); a time
    the clock passes twice in October is the first of the two."""
    wall = datetime.combine(day, clock)
    for minutes in range(24 * 60):  # a gap is an hour; a day holds any gap there can be
        candidate = wall + timedelta(minutes=minutes)
        instant = candidate.replace(tzinfo=ZONE, fold=0)
        if _exists(instant):
            return instant
    raise ValueError(f"no time on {day} is at or after {clock}")  # no zone has a day-long gap


def _exists(instant: datetime) -> bool:
    """Whether the wall-clock time of `instant` is one the clock shows (not inside a gap)."""
    back = local(instant)
    return back.replace(tzinfo=None) == instant.replace(tzinfo=None)


def local(instant: datetime) -> datetime:
    """The instant on Stockholm's clock (through UTC: `astimezone` to the zone an instant is
    already in would keep a wall-clock time the clock skips)."""
    return instant.astimezone(UTC).astimezone(ZONE)


def written(instant: datetime) -> str:
    """`2026-05-29T09:00+02:00`: local time to the minute, with the offset; seconds when any."""
    shown = local(instant)
    return shown.isoformat(timespec="seconds" if shown.second else "minutes")


def read_instant(text: str) -> datetime:
    """An instant as a timeline writes it: local Stockholm time (`2026-03-01T10:00`, taken as
    `at` takes a time of day) or with an offset (`2026-03-01T10:00+01:00`)."""
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is not None:
        return local(parsed)
    return at(parsed.date(), parsed.time())


def day_number(day0: date, instant: datetime) -> int:
    """The program day (day 0 = `day0`) the instant falls on, by Stockholm's calendar."""
    return (local(instant).date() - day0).days
