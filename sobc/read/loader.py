"""Read a program folder: every file parsed and schema-checked, then assembled into the model.

Later phases run only when earlier ones passed, but every file is read and checked in each
phase, so one run reports all problems of that phase.

`load(folder, reading=True)` reads what exists, for `sobc diff`: a program another version of
sobc wrote, or an old revision today's checks would refuse. The layout rule that a program's id
is its folder's name (SOBC204) is not applied, and a problem that leaves the data read as it was
meant (`READABLE`) does not stop the model: the problems are still returned, for the caller to
show as warnings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..diagnostics import Diagnostic, Location, has_errors, make
from ..model.program import Program
from ..paths import display_path
from . import assemble
from .schema import ID_PATTERN, Kind, matches, validate
from .source import Document, parse_bytes, read_file

# Problems after which the model is still the program as written: '?' in unquoted text in
# brackets (read whole, as libyaml reads it), and files or list entries that are not part of
# the model anyway (a misnamed file, a module listed twice, a module file not listed).
READABLE = frozenset({"SOBC014", "SOBC202", "SOBC203", "SOBC205", "SOBC315"})


@dataclass
class LoadResult:
    program: Program | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    # When some files have problems: the model of the files that could be read, so that the
    # checks still run over them (one run reports every independent problem). Never built.
    partial: Program | None = None
    unreadable_forms: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return self.program is not None


def load(folder: str | os.PathLike[str], *, reading: bool = False) -> LoadResult:
    """Load a program folder; the program is None when any file has errors (then `partial`
    holds what could be read, for the checks, when program.yaml itself could). `reading`: read
    what exists (see the module's docstring)."""
    root = Path(folder)
    if not (root / "program.yaml").is_file():
        return LoadResult(
            None, [make("SOBC200", Location(display_path(root)), folder=display_path(root))]
        )
    result = LoadResult(None)
    program_doc = _read(root / "program.yaml", "program", result, root, reading)
    modules = _read_folder(root / "modules", "module", result, reading)
    forms = _read_folder(root / "forms", "form", result, reading)
    if program_doc is not None:
        _check_layout(program_doc, root, modules, result, by_folder=not reading)
    if program_doc is None:
        return result
    listed = list(dict.fromkeys(program_doc.data["modules"]))  # SOBC315 reports a repeat
    module_objs = tuple(assemble.module(modules[mid], mid) for mid in listed if mid in modules)
    form_objs = tuple(assemble.form(doc, fid) for fid, doc in sorted(forms.items()))
    program = assemble.program(program_doc, root, module_objs, form_objs)
    stopping = [d for d in result.diagnostics if not (reading and d.code in READABLE)]
    if not has_errors(stopping):
        result.program = program
        return result
    result.partial = replace(
        program,
        unreadable_modules=frozenset(mid for mid in listed if mid not in modules),
        unreadable_forms=frozenset(result.unreadable_forms),
    )
    return result


def _read(
    path: Path, kind: Kind, result: LoadResult, root: Path, reading: bool = False
) -> Document | None:
    shown = display_path(path)
    raw, problems = read_file(path, shown, root)
    if raw is None:
        result.diagnostics.extend(problems)
        return None
    doc, problems = parse_bytes(raw, shown, path, readable=reading)
    result.diagnostics.extend(problems)
    if doc is None:
        return None
    result.documents.append(doc)
    schema_problems = validate(doc, kind)
    result.diagnostics.extend(schema_problems)
    return None if schema_problems else doc


def _read_folder(
    folder: Path, kind: Kind, result: LoadResult, reading: bool = False
) -> dict[str, Document]:
    """Parse every .yaml file in a folder; returns the valid ones by id (the file stem)."""
    found: dict[str, Document] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        shown = display_path(path)
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix != ".yaml":
            result.diagnostics.append(make("SOBC205", Location(shown), file=shown))
            continue
        if not matches(ID_PATTERN, path.stem) or len(path.stem) > 64:
            result.diagnostics.append(make("SOBC203", Location(shown), name=path.name))
            continue
        doc = _read(path, kind, result, folder.parent, reading)
        if doc is not None:
            found[path.stem] = doc
        elif kind == "form":
            result.unreadable_forms.add(path.stem)
    return found


def _check_layout(
    program: Document,
    root: Path,
    modules: dict[str, Document],
    result: LoadResult,
    *,
    by_folder: bool = True,
) -> None:
    data = program.data
    folder_name = root.resolve().name
    if by_folder and data["id"] != folder_name:
        loc = program.location(("id",))
        result.diagnostics.append(
            make("SOBC204", loc, program.source_line(loc.line), id=data["id"], folder=folder_name)
        )
    seen: dict[str, int] = {}
    for index, module_id in enumerate(data["modules"]):
        loc = program.location(("modules", index))
        line = program.source_line(loc.line)
        if module_id in seen:
            result.diagnostics.append(
                make("SOBC315", loc, line, id=module_id, first_line=seen[module_id])
            )
            continue
        seen[module_id] = loc.line
        path = root / "modules" / f"{module_id}.yaml"
        if not path.is_file():
            result.diagnostics.append(
                make("SOBC201", loc, line, id=module_id, file=display_path(path))
            )
    for module_id, doc in modules.items():
        if module_id not in seen:
            result.diagnostics.append(
                make("SOBC202", Location(doc.display, 1, 1), file=doc.display, id=module_id)
            )
