"""The manifest a runtime loads: writing it at build time, and `load` for runtimes.

`load(path)` checks the manifest against `schema/manifest.schema.json`, then verifies the SHA-256
of every file it lists, and returns typed, frozen objects. Any problem raises `ManifestError`,
whose message lists every problem found, ready to show to a user without a traceback.
"""

from __future__ import annotations

import hashlib
import json
import re
import types
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

import orjson

from . import __version__
from .model import Form, Media, Module, Program, Question, Step
from .render.markdown import MEDIA_DIR
from .render.views import module_path, step_path

FORMAT = "sobc-manifest"
FORMAT_VERSION = 1
FILE_NAME = "manifest.json"
T = TypeVar("T")


class ManifestError(Exception):
    """The manifest cannot be trusted: unreadable, not valid, or files missing or changed."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{path}: the manifest cannot be used:\n{lines}")


# ---------------------------------------------------------------- writing


def _package_path(path: str | None) -> str | None:
    """Media paths as they are in the package: media/x → _media/x; https addresses unchanged."""
    if path is None or not path.startswith("media/"):
        return path
    return MEDIA_DIR + path[len("media") :]


def _media(media: Media | None) -> dict[str, Any] | None:
    if media is None:
        return None
    return {
        "src": _package_path(media.src),
        "description": media.description,
        "captions": _package_path(media.captions),
        "transcript": _package_path(media.transcript),
        "poster": _package_path(media.poster),
        "duration": media.duration,
    }


def _step(module: Module, step: Step) -> dict[str, Any]:
    return {
        "id": step.id,
        "title": step.title,
        "number": step.number,
        "type": step.type,
        "page": step_path(module, step),
        "forms": list(step.forms),
        "selectable": step.selectable,
        "media": _media(step.media),
    }


def _module(module: Module) -> dict[str, Any]:
    return {
        "id": module.id,
        "title": module.title,
        "number": module.number,
        "summary": module.summary,
        "visibility": module.visibility,
        "tracks": list(module.tracks),
        "length_days": module.length_days,
        "next": list(module.next),
        "parallel_with": list(module.parallel_with),
        "standalone_forms": list(module.standalone_forms),
        "page": module_path(module),
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "number": s.number,
                "steps": [_step(module, step) for step in s.steps],
            }
            for s in module.sections
        ],
    }


ANSWERS = {
    "single_choice": "choice",
    "multiple_choice": "choices",
    "short_text": "text",
    "long_text": "text",
    "scale": "number",
    "number": "number",
    "date": "date",
    "consent": "boolean",
    "plan": "rows",
    "info": "none",
}


def _question(q: Question) -> dict[str, Any]:
    min_sel, max_sel = q.min_selections, q.max_selections
    if q.type == "multiple_choice":
        min_sel = min_sel if min_sel is not None else (1 if q.required else 0)
        max_sel = max_sel if max_sel is not None else len(q.options)
    cond = q.enable_when
    return {
        "id": q.id,
        "type": q.type,
        "answer": ANSWERS[q.type],
        "text": q.text,
        "help": q.help,
        "required": q.required,
        "enable_when": {"question": cond.question, "values": list(cond.values)} if cond else None,
        "options": [
            {"value": o.value, "label": o.label, "exclusive": o.exclusive} for o in q.options
        ],
        "min_selections": min_sel,
        "max_selections": max_sel,
        "max_length": q.max_length,
        "min": q.min,
        "max": q.max,
        "min_label": q.min_label,
        "max_label": q.max_label,
        "unit": q.unit,
        "integer": q.integer if q.type == "number" else q.type == "scale",
        "statement": q.statement,
        "columns": [
            {
                "id": c.id,
                "type": c.type,
                "text": c.text,
                "required": c.required,
                "options": [
                    {"value": o.value, "label": o.label, "exclusive": o.exclusive}
                    for o in c.options
                ],
            }
            for c in q.columns
        ],
        "min_rows": (q.min_rows if q.min_rows is not None else 0) if q.type == "plan" else None,
        "max_rows": q.max_rows,
    }


def _form(form: Form) -> dict[str, Any]:
    return {
        "id": form.id,
        "title": form.title,
        "number": form.number,
        "description": form.description,
        "questions": [_question(q) for q in form.questions],
    }


def _program(program: Program) -> dict[str, Any]:
    return {
        "id": program.id,
        "title": program.title,
        "version": program.version,
        "publisher": program.publisher,
        "summary": program.summary,
        "welcome": program.welcome,
        "recommended_length_days": program.recommended_length_days,
        "response_time": program.response_time,
        "index_page": "index.html",
        "guide_page": "guide.html",
    }


def manifest_data(program: Program, files: dict[str, tuple[str, int]]) -> dict[str, Any]:
    """The manifest of a built program; `files` maps package paths to (sha256, size)."""
    r = program.retention
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "compiler": {"name": "sobc", "version": __version__},
        "program": _program(program),
        "roles": [{"id": role.id, "title": role.title} for role in program.roles],
        "tracks": [
            {"id": t.id, "title": t.title, "description": t.description} for t in program.tracks
        ],
        "modules": [_module(m) for m in program.modules],
        "forms": [_form(f) for f in program.forms],
        "flags": [
            {
                "id": f.id,
                "title": f.title,
                "trigger": {
                    "type": f.trigger.type,
                    "module": f.trigger.module,
                    "form": f.trigger.form,
                    "days": f.trigger.days,
                    "days_before": f.trigger.days_before,
                },
                "recipient": f.recipient,
                "message": f.message,
            }
            for f in program.flags
        ],
        "activity_plans": [
            {
                "id": p.id,
                "title": p.title,
                "form": p.form,
                "activation": p.activation,
                "schedule": {
                    "every": p.schedule.every,
                    "weekday": p.schedule.weekday,
                    "interval_days": p.schedule.interval_days,
                },
            }
            for p in program.activity_plans
        ],
        "retention": {
            "purge": r.purge,
            "max_days": r.max_days,
            "maintenance_days": r.maintenance_days,
            "responsible_role": r.responsible_role,
        },
        "files": [
            {"path": path, "sha256": sha, "size": size}
            for path, (sha, size) in sorted(files.items())
        ],
    }


_ORJSON = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
# orjson writes a float below 1e-4 unlike Python (1e-5 as 0.00001, 1e-7 as 1e-7, not 1e-07); any
# such number matches one of these (and so may some text, which only costs the slower path).
# Each starts with a literal, which `re` looks for fast; a digit before `e-` is checked behind.
_SMALL_FLOAT = (re.compile(rb"0\.0000"), re.compile(rb"e-(?<=[0-9]e-)"))


def dumps(data: Any) -> bytes:
    """Stable JSON: sorted keys, two-space indent, UTF-8, a final newline.

    The bytes are those of `json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False)`,
    which manifests have always had; orjson writes them about ten times faster. What orjson
    would write differently (small floats) or refuses (integers beyond 64 bits) goes through
    the standard library.
    """
    try:
        fast = orjson.dumps(data, option=_ORJSON)
    except orjson.JSONEncodeError:
        fast = None
    if fast is not None and not any(p.search(fast) for p in _SMALL_FLOAT):
        return fast
    return (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


# ---------------------------------------------------------------- reading


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
