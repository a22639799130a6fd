"""Data shapes the model and the manifest share, declared once: the model holds them as
written, the manifest writes them as they are (`dataclasses.asdict`), and its reader returns
them (`manifest_reader`). Plain values without source references, so the reader can use them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    min: int
    max: int
    label: str


@dataclass(frozen=True)
class Media:
    src: str
    description: str
    captions: str | None = None
    transcript: str | None = None
    poster: str | None = None
    duration: str | None = None

    def files(self) -> list[tuple[str, str]]:
        """(key, path) of every local file the media refers to."""
        keys = ("src", "captions", "transcript", "poster")
        return [(k, v) for k in keys if (v := getattr(self, k)) and not v.startswith("https://")]


@dataclass(frozen=True)
class Trigger:
    type: str
    module: str | None = None
    form: str | None = None
    days: int | None = None
    days_before: int | None = None
    plan: str | None = None
    count: int | None = None
    score: str | None = None
    at_least: int | None = None
    at_most: int | None = None


@dataclass(frozen=True)
class Schedule:
    every: str
    weekday: str | None = None
    interval_days: int | None = None
    time: str | None = None  # "HH:MM" the form is due from; None: 00:00
