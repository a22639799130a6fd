"""Reading a program package's manifest, for runtimes: `load` checks the manifest against
`schema/manifest.schema.json`, verifies the SHA-256 of every file it lists (and that it lists
every file), and returns typed, frozen objects. Kept apart from the writer so that a build does
not create these classes.
"""

from __future__ import annotations

import hashlib
import json
import types
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from .manifest_format import FILE_NAME, FORMAT_VERSION, ManifestError

T = TypeVar("T")


@dataclass(frozen=True)
class Compiler:
    name: str
    version: str


@dataclass(frozen=True)
class ProgramInfo:
    id: str
    title: str
    version: str
    publisher: str
    summary: str | None
    welcome: str
    recommended_length_days: int | None
    response_time: str | None
    index_page: str
    guide_page: str


@dataclass(frozen=True)
class RoleInfo:
    id: str
    title: str


@dataclass(frozen=True)
class TrackInfo:
    id: str
    title: str
    description: str | None


@dataclass(frozen=True)
class MediaInfo:
    src: str
    description: str
    captions: str | None
    transcript: str | None
    poster: str | None
    duration: str | None


@dataclass(frozen=True)
class StepInfo:
    id: str
    title: str
    number: str | None
    type: str
    page: str
    forms: tuple[str, ...]
    selectable: bool
    media: MediaInfo | None


@dataclass(frozen=True)
class SectionInfo:
    id: str
    title: str
    number: str | None
    steps: tuple[StepInfo, ...]


@dataclass(frozen=True)
class ModuleInfo:
    id: str
    title: str
    number: str | None
    summary: str | None
    visibility: str
    tracks: tuple[str, ...]
    length_days: int | None
    next: tuple[str, ...]
    parallel_with: tuple[str, ...]
    standalone_forms: tuple[str, ...]
    page: str
    sections: tuple[SectionInfo, ...]

    @property
    def steps(self) -> tuple[StepInfo, ...]:
        return tuple(step for section in self.sections for step in section.steps)


@dataclass(frozen=True)
class OptionInfo:
    value: str
    label: str
    exclusive: bool


@dataclass(frozen=True)
class ConditionInfo:
    question: str
    values: tuple[str | bool, ...]


@dataclass(frozen=True)
class ColumnInfo:
    id: str
    type: str
    text: str
    required: bool
    options: tuple[OptionInfo, ...]


@dataclass(frozen=True)
class QuestionInfo:
    id: str
    type: str
    answer: str
    text: str
    help: str | None
    required: bool
    enable_when: ConditionInfo | None
    options: tuple[OptionInfo, ...]
    min_selections: int | None
    max_selections: int | None
    max_length: int | None
    min: float | None
    max: float | None
    min_label: str | None
    max_label: str | None
    unit: str | None
    integer: bool
    statement: str | None
    columns: tuple[ColumnInfo, ...]
    min_rows: int | None
    max_rows: int | None


@dataclass(frozen=True)
class FormInfo:
    id: str
    title: str
    number: str | None
    description: str | None
    questions: tuple[QuestionInfo, ...]


@dataclass(frozen=True)
class TriggerInfo:
    type: str
    module: str | None
    form: str | None
    days: int | None
    days_before: int | None


@dataclass(frozen=True)
class FlagInfo:
    id: str
    title: str
    trigger: TriggerInfo
    recipient: str
    message: str


@dataclass(frozen=True)
class ScheduleInfo:
    every: str
    weekday: str | None
    interval_days: int | None


@dataclass(frozen=True)
class ActivityPlanInfo:
    id: str
    title: str
    form: str
    activation: str
    schedule: ScheduleInfo


@dataclass(frozen=True)
class RetentionInfo:
    purge: str
    max_days: int
    maintenance_days: int
    responsible_role: str | None


@dataclass(frozen=True)
class FileInfo:
    path: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    """A verified manifest; `root` is the program package folder the paths are relative to."""

    format: str
    format_version: int
    compiler: Compiler
    program: ProgramInfo
    roles: tuple[RoleInfo, ...]
    tracks: tuple[TrackInfo, ...]
    modules: tuple[ModuleInfo, ...]
    forms: tuple[FormInfo, ...]
    flags: tuple[FlagInfo, ...]
    activity_plans: tuple[ActivityPlanInfo, ...]
    retention: RetentionInfo
    files: tuple[FileInfo, ...]
    root: Path

    def module(self, module_id: str) -> ModuleInfo | None:
        return next((m for m in self.modules if m.id == module_id), None)

    def form(self, form_id: str) -> FormInfo | None:
        return next((f for f in self.forms if f.id == form_id), None)


def _convert(hint: Any, value: Any) -> Any:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        if value is None:
            return None
        return _convert(args[0], value) if len(args) == 1 else value
    if origin is tuple:
        (item, _) = get_args(hint)
        return tuple(_convert(item, v) for v in value)
    if isinstance(hint, type) and is_dataclass(hint):
        return _typed(hint, value)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _typed(cls: type[T], data: dict[str, Any]) -> T:
    hints = get_type_hints(cls)
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    return cls(**{n: _convert(hints[n], data[n]) for n in names if n in data})


def _read(path: Path) -> tuple[Path, dict[str, Any]]:
    file = path / FILE_NAME if path.is_dir() else path
    try:
        data = json.loads(file.read_bytes())
    except OSError as exc:
        raise ManifestError(file, [f"cannot read the file: {exc.strerror or exc}"]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(file, [f"not valid JSON: {exc}"]) from None
    if not isinstance(data, dict):
        raise ManifestError(file, ["the top level is not a JSON object"])
    return file, data


def _schema_problems(data: dict[str, Any]) -> list[str]:
    from .schema import validator

    problems = []
    for error in sorted(validator("manifest").iter_errors(data), key=lambda e: list(e.path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        problems.append(f"{where}: {error.message}")
    return problems


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _file_problems(root: Path, data: dict[str, Any]) -> list[str]:
    problems = []
    base = root.resolve()
    listed = {f["path"] for f in data["files"]}
    for entry in data["files"]:
        rel = entry["path"]
        path = root / rel
        if not path.resolve().is_relative_to(base) or path.is_symlink():
            problems.append(f"{rel}: lies outside the package")
        elif not path.is_file():
            problems.append(f"{rel}: the file is missing")
        elif path.stat().st_size != entry["size"] or file_hash(path) != entry["sha256"]:
            problems.append(f"{rel}: the file has been changed (its SHA-256 does not match)")
    pages = [data["program"]["index_page"], data["program"]["guide_page"]]
    for module in data["modules"]:
        pages.append(module["page"])
        pages.extend(step["page"] for s in module["sections"] for step in s["steps"])
    problems.extend(
        f"{p}: a page the manifest names is not in its files" for p in pages if p not in listed
    )
    problems.extend(f"{rel}: a file the manifest does not list" for rel in _unlisted(root, listed))
    return problems


def _unlisted(root: Path, listed: set[str]) -> list[str]:
    """Files in the package folder that its manifest does not name (a runtime would serve them
    unverified)."""
    found = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if (path.is_file() or path.is_symlink()) and rel != FILE_NAME and rel not in listed:
            found.append(rel)
    return found


def load(path: str | Path) -> Manifest:
    """Read a program package's manifest (the file or its folder) and verify every file."""
    file, data = _read(Path(path))
    problems = _schema_problems(data)
    if not problems and data["format_version"] != FORMAT_VERSION:
        problems.append(f"format version {data['format_version']} is not supported")
    if problems:
        raise ManifestError(file, problems)
    problems = _file_problems(file.parent, data)
    if problems:
        raise ManifestError(file, problems)
    return _typed(Manifest, {**data, "root": file.parent})
