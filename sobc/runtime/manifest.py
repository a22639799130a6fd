"""Reading a program package's manifest, for runtimes: `load` checks the manifest against
`schema/manifest.schema.json`, verifies the size and SHA-256 of every file it lists (and that it
lists every file), and returns typed, frozen objects. Kept apart from the writer so that a build
does not create these classes.

Whatever the package holds, `load` returns or raises `ManifestError`: it reads only regular files
found by walking the package folder without following links (never a path the manifest names),
each through `files.read_regular`, and reads JSON strictly (`parse_json`).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import types
from collections.abc import Iterable
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from ..model.shapes import Adjustable, Band, Media, QuestionInfo, Schedule, Trigger, ValueBand
from ..read.files import Unreadable, read_regular
from .format import FILE_NAME, FORMAT_VERSION, SIGNATURE_FILE, ManifestError
from .keys import PublicKey
from .references import reference_problems

# The shapes the manifest shares with the model (`shapes.py`), by the names runtimes import.
MediaInfo = Media
BandInfo = Band
TriggerInfo = Trigger
ValueBandInfo = ValueBand
AdjustableInfo = Adjustable
ScheduleInfo = Schedule

T = TypeVar("T")

MAX_SIZE = 64 * 1024 * 1024  # bytes of manifest.json; sobc writes some 500 bytes per step
MAX_DEPTH = 64  # arrays and objects inside each other; sobc's manifest nests 10 deep
MAX_NUMBER = 40  # characters of one number; more is never needed, and int() of it is slow


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
    emergency: str | None = None  # written by sobc since it had `emergency:`; optional in format 3


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
class NextWhenInfo:
    module: str
    form: str
    question: str
    values: tuple[str | bool, ...]


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
    next_when: tuple[NextWhenInfo, ...]
    ends: bool
    parallel_with: tuple[str, ...]
    standalone_forms: tuple[str, ...]
    page: str
    sections: tuple[SectionInfo, ...]

    @property
    def steps(self) -> tuple[StepInfo, ...]:
        return tuple(step for section in self.sections for step in section.steps)


@dataclass(frozen=True)
class TotalInfo:
    id: str
    title: str
    questions: tuple[str, ...]
    min: int | None
    max: int | None
    bands: tuple[BandInfo, ...]


@dataclass(frozen=True)
class ScoringInfo:
    totals: tuple[TotalInfo, ...]
    reverse: tuple[str, ...]
    unanswered: str
    max_unanswered: int | None


@dataclass(frozen=True)
class InstrumentInfo:
    name: str
    reference: str
    licence: str


@dataclass(frozen=True)
class ComputedInfo:
    id: str
    title: str
    description: str | None
    unit: str | None
    decimals: int
    min: float | None
    max: float | None
    bands: tuple[ValueBandInfo, ...]
    expression: str
    tree: dict[str, Any]  # kinds.computed.from_json reads it


@dataclass(frozen=True)
class FormInfo:
    id: str
    title: str
    number: str | None
    description: str | None
    questions: tuple[QuestionInfo, ...]
    scoring: ScoringInfo | None
    instrument: InstrumentInfo | None
    computed: tuple[ComputedInfo, ...]


@dataclass(frozen=True)
class FlagInfo:
    id: str
    title: str
    trigger: TriggerInfo
    recipient: str
    message: str
    optional: bool
    adjustable: tuple[AdjustableInfo, ...]


@dataclass(frozen=True)
class ActivityPlanInfo:
    id: str
    title: str
    form: str
    activation: str
    optional: bool
    schedule: ScheduleInfo


@dataclass(frozen=True)
class ChoiceOptionInfo:
    module: str
    label: str


@dataclass(frozen=True)
class ModuleChoiceInfo:
    """Alternative modules of which a patient gets one; `chosen_by` patient or clinician."""

    id: str
    title: str
    question: str
    description: str | None
    chosen_by: str
    options: tuple[ChoiceOptionInfo, ...]

    @property
    def modules(self) -> tuple[str, ...]:
        return tuple(o.module for o in self.options)


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
class RenameInfo:
    kind: str
    path: tuple[str, ...]
    from_: str  # "from" in the JSON


@dataclass(frozen=True)
class ChartInfo:
    """A total followed over time (docs/authoring.md, Charts over time); `vega_lite` is the
    chart as a Vega-Lite spec whose `datasets.scores` a runtime fills with its submissions."""

    form: str
    total: str
    title: str
    description: str
    note: str | None
    worse: str
    min: int
    max: int
    bands: tuple[BandInfo, ...]
    vega_lite: dict[str, Any]


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
    module_choices: tuple[ModuleChoiceInfo, ...]
    root: Path
    renames: tuple[RenameInfo, ...] = ()  # a program's renamed_from; absent from older manifests
    charts: tuple[ChartInfo, ...] = ()  # the forms' charts; absent when there are none

    def module(self, module_id: str) -> ModuleInfo | None:
        return next((m for m in self.modules if m.id == module_id), None)

    def form(self, form_id: str) -> FormInfo | None:
        return next((f for f in self.forms if f.id == form_id), None)

    def choice_of(self, module_id: str) -> ModuleChoiceInfo | None:
        """The module choice the module is an option of, if any."""
        return next((c for c in self.module_choices if module_id in c.modules), None)


def _convert(hint: Any, value: Any) -> Any:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        if value is None:
            return None
        if len(args) == 1:
            return _convert(args[0], value)
        number = float in args and isinstance(value, int) and not isinstance(value, bool)
        return float(value) if number else value  # a bound: a number, or a time as text
    if origin is tuple:
        (item, _) = get_args(hint)
        return tuple(_convert(item, v) for v in value)
    if isinstance(hint, type) and is_dataclass(hint):
        return _typed(hint, value)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is int and isinstance(value, float):  # JSON Schema's integers include 730.0
        return int(value)
    return value


def _typed(cls: type[T], data: dict[str, Any]) -> T:
    hints = get_type_hints(cls)
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    return cls(**{n: _convert(hints[n], data[n]) for n in names if n in data})


# ---------------------------------------------------------------- JSON, strictly


class Refused(Exception):
    """JSON that `parse_json` will not read: the message says why."""


def parse_json(raw: bytes) -> Any:
    """The JSON value in `raw`, read strictly, or `Refused` with the reason.

    Refused: bytes that are not UTF-8, a byte order mark, an object with the same key twice,
    NaN and Infinity (written, or a number too large for a float), numbers longer than
    MAX_NUMBER characters, nesting deeper than MAX_DEPTH, and strings with a lone surrogate
    (`"\\ud800"`), which cannot be written out again as UTF-8.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Refused(f"not UTF-8 (byte {error.start:,} cannot be decoded)") from None
    if text.startswith("\ufeff"):
        raise Refused("it starts with a byte order mark (U+FEFF), which JSON does not allow")
    try:
        value = json.loads(
            text,
            object_pairs_hook=_object,
            parse_constant=_constant,
            parse_int=_int,
            parse_float=_float,
        )
    except RecursionError:  # json recurses once per level
        raise Refused(f"arrays and objects nested more than {MAX_DEPTH} deep") from None
    except ValueError as error:  # json.JSONDecodeError is one
        raise Refused(f"not valid JSON: {error}") from None
    _check_nesting_and_text(value)
    return value


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise Refused(f"the key {_shown(repr(key))} appears twice in one object")
        result[key] = value
    return result


def _constant(name: str) -> Any:
    raise Refused(f"{name} is not a number JSON allows")


def _number_text(text: str) -> str:
    if len(text) > MAX_NUMBER:
        raise Refused(f"a number written with more than {MAX_NUMBER} characters")
    return text


def _int(text: str) -> int:
    return int(_number_text(text))


def _float(text: str) -> float:
    value = float(_number_text(text))
    if not math.isfinite(value):
        raise Refused(f"the number {text} is too large")
    return value


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _check_nesting_and_text(value: Any) -> None:
    """Refuse nesting deeper than MAX_DEPTH and lone surrogates, without recursing."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise Refused(f"the text {_shown(ascii(item))} holds a lone surrogate")
            continue
        if not isinstance(item, dict | list):
            continue
        if depth > MAX_DEPTH:
            raise Refused(f"arrays and objects nested more than {MAX_DEPTH} deep")
        children = [*item, *item.values()] if isinstance(item, dict) else item
        pending.extend((child, depth + 1) for child in children)


# ---------------------------------------------------------------- the manifest


def _shown(text: str, limit: int = 200) -> str:
    """`text` fit for one line of a message: as written when printable, else as a Python
    literal (so a file name cannot start a line of its own), and at most `limit` characters."""
    shown = text if text.isprintable() else ascii(text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _read(path: Path) -> tuple[Path, bytes, dict[str, Any]]:
    file = path / FILE_NAME if os.path.isdir(path) else path
    try:
        raw = read_regular(file, MAX_SIZE)
        data = parse_json(raw)
    except Refused as error:
        raise ManifestError(file, [str(error)]) from None
    except (Unreadable, ValueError) as error:  # ValueError: a NUL in the path
        raise ManifestError(file, [f"cannot read the file: {error}"]) from None
    if not isinstance(data, dict):
        raise ManifestError(file, ["the top level is not a JSON object"])
    return file, raw, data


def _schema_problems(data: dict[str, Any]) -> list[str]:
    from ..read.schema import validator

    problems = []
    for error in sorted(validator("manifest").iter_errors(data), key=lambda e: list(e.path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        message = error.message
        schema = error.schema if isinstance(error.schema, dict) else {}
        if error.validator == "pattern" and "description" in schema:  # say what a path is
            message = f"{error.instance!r} is not valid: {schema['description']}"
        problems.append(f"{_shown(where)}: {_shown(message, 300)}")
    return problems


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# What the walk finds besides files and folders, and why it is refused.
_REFUSED_KINDS = {
    "link": "a symbolic link; a package holds only regular files and folders",
    "special": "not a regular file or folder (a pipe, device or socket)",
    "unlistable": "a folder that cannot be listed",
}


def _walk(root: Path) -> tuple[dict[str, int], dict[str, str]]:
    """The package's regular files (path relative to `root` → size) and everything else in it
    (path → "folder" or a key of _REFUSED_KINDS). Links are reported, never followed."""
    files: dict[str, int] = {}
    others: dict[str, str] = {}
    pending = [""]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(root / folder) as entries:
                for entry in entries:
                    rel = f"{folder}/{entry.name}" if folder else entry.name
                    if entry.is_symlink():
                        others[rel] = "link"
                    elif entry.is_dir(follow_symlinks=False):
                        others[rel] = "folder"
                        pending.append(rel)
                    elif entry.is_file(follow_symlinks=False):
                        files[rel] = entry.stat(follow_symlinks=False).st_size
                    else:
                        others[rel] = "special"
        except OSError:
            others[folder or "."] = "unlistable"
    return files, others


def _content_problem(root: Path, rel: str, entry: dict[str, Any], size: int) -> str | None:
    """Why the package's regular file `rel` does not match its entry in the manifest, if so."""
    if size != entry["size"]:
        return f"{rel}: the file has been changed (it has {size:,} bytes, not {entry['size']:,})"
    try:
        data = read_regular(root / rel, entry["size"], inside=root)
    except Unreadable as error:
        return f"{rel}: cannot read the file: {error}"
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        return f"{rel}: the file has been changed (its SHA-256 does not match)"
    return None


def _listed_problem(
    root: Path, entry: dict[str, Any], files: dict[str, int], others: dict[str, str]
) -> str | None:
    rel = entry["path"]
    if rel in files:
        return _content_problem(root, rel, entry, files[rel])
    if others.get(rel) == "folder":
        return f"{rel}: a folder, not a file"
    if rel in others:
        return None  # a link or a pipe: reported as such
    return f"{rel}: the file is missing"


def _file_problems(file: Path, data: dict[str, Any]) -> list[str]:
    root = file.parent
    files, others = _walk(root)
    problems = [
        f"{_shown(rel)}: {_REFUSED_KINDS[kind]}"
        for rel, kind in sorted(others.items())
        if kind != "folder"
    ]
    listed: set[str] = set()
    for entry in data["files"]:
        if entry["path"] in listed:
            problems.append(f"{entry['path']}: listed twice")
        elif problem := _listed_problem(root, entry, files, others):
            problems.append(problem)
        listed.add(entry["path"])
    pages = [data["program"]["index_page"], data["program"]["guide_page"]]
    for module in data["modules"]:
        pages.append(module["page"])
        pages.extend(step["page"] for s in module["sections"] for step in s["steps"])
    problems.extend(
        f"{p}: a page the manifest names is not in its files" for p in pages if p not in listed
    )
    problems.extend(
        f"{_shown(rel)}: a file the manifest does not list"
        for rel in sorted(files.keys() - listed - {file.name, SIGNATURE_FILE})
    )
    return problems


def _version_problem(version: int) -> str | None:
    """The format version policy (docs/manifest.md): exactly this version is read."""
    if version > FORMAT_VERSION:
        return (
            f"format version {version} is newer than this reader's ({FORMAT_VERSION}): "
            "a runtime refuses a version it does not know"
        )
    if version < FORMAT_VERSION:
        return (
            f"format version {version} is older than this reader's ({FORMAT_VERSION}): "
            "build the package again with this sobc"
        )
    return None


def _signature_problem(file: Path, raw: bytes, trusted: Iterable[PublicKey]) -> str | None:
    """Why the package's signature of `raw` (manifest.json's bytes) is not one to trust."""
    from .signature import MAX_SIZE as SIGNATURE_SIZE
    from .signature import BadSignature, verify

    path = file.with_name(SIGNATURE_FILE)
    if not os.path.lexists(path):
        return f"{SIGNATURE_FILE}: the package is not signed, and a signed one is required"
    try:
        signature = read_regular(path, SIGNATURE_SIZE)  # a link is refused
    except (Unreadable, ValueError) as error:
        return f"{SIGNATURE_FILE}: cannot read the signature: {_shown(str(error))}"
    try:
        verify(raw, signature, trusted)
    except BadSignature as error:
        return f"{SIGNATURE_FILE}: the signature cannot be trusted: {_shown(str(error), 300)}"
    return None


def load(path: str | Path, *, trusted_keys: Iterable[PublicKey] | None = None) -> Manifest:
    """Read a program package's manifest (the file or its folder) and verify every file.

    `trusted_keys`: when given, the package must carry a signature of its manifest by one of
    these keys (`manifest.json.jws`, docs/manifest.md), checked before anything else; when
    None, a signature is neither required nor read.
    """
    file, raw, data = _read(Path(path))
    if trusted_keys is not None and (problem := _signature_problem(file, raw, trusted_keys)):
        raise ManifestError(file, [problem])
    problems = _schema_problems(data)
    if not problems and (problem := _version_problem(data["format_version"])):
        problems.append(problem)
    if not problems:
        problems = reference_problems(data)
    if problems:
        raise ManifestError(file, problems)
    problems = _file_problems(file, data)
    if problems:
        raise ManifestError(file, problems)
    renames = [{**r, "from_": r["from"]} for r in data.get("renames", ())]
    return _typed(Manifest, {**data, "root": file.parent, "renames": renames})
