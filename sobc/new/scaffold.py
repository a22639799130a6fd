"""`sobc new`: start a program, a module or a form with files that validate as they are.

Nothing is ever overwritten. A new module is added to program.yaml's `modules` list by inserting
one line (or, in a `[…]` list, one item) where ruamel.yaml's round-trip reader places the last
module: every other byte of the file, comments and blank lines included, stays as it was.
ruamel's own writer is not used, because it would re-indent the whole file to one style and
attaches a comment or blank line after the list to the last item, which the new item would follow.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..paths import display_path
from ..read.files import Unreadable, read_regular
from ..read.schema import ID_PATTERN
from ..read.source import MAX_FILE_BYTES
from ..resources import schema_dir
from . import templates
from .writing import Changes, WriteError

MAX_ID_LENGTH = 64
FIRST_MODULE = "kom-igang"
FIRST_FORM = "om-dig"
PLACEHOLDER_FORM = "formular"
# The titles of the first module and form of a new program, as patients read them.
TITLES = {FIRST_MODULE: "Kom igång", FIRST_FORM: "Om dig"}


class ScaffoldError(Exception):
    """A usage problem: the message says what is wrong, and nothing was written."""


@dataclass
class Created:
    """What `sobc new` did: files written, files changed, and what the author does next."""

    written: list[Path] = field(default_factory=list)
    changed: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)


def check_id(kind: str, new_id: str) -> None:
    """The rule every sobc id follows (`schema/common.schema.json`)."""
    if len(new_id) > MAX_ID_LENGTH or not re.fullmatch(ID_PATTERN, new_id):
        raise ScaffoldError(
            f"'{new_id}' is not a valid {kind} id: use lowercase letters a-z, digits and "
            f"hyphens, starting with a letter or digit, at most {MAX_ID_LENGTH} characters"
        )


def schema_reference(folder: Path) -> str:
    """The schema folder as the `# yaml-language-server` line of a file in `folder` names it.

    Relative when a `schema/` folder with sobc's schemas lies beside some parent of the folder
    (as in this repository: `../../schema`), else the schemas sobc itself carries, as a file URI.
    """
    start = folder.resolve()
    for parent in (start, *start.parents):
        if (parent / "schema" / "program.schema.json").is_file():
            return Path(os.path.relpath(parent / "schema", start)).as_posix()
    return schema_dir().resolve().as_uri()


def create(kind: str, new_id: str, folder: Path | None, title: str | None = None) -> Created:
    """`sobc new KIND ID [--in FOLDER] [--title TITLE]`: FOLDER is a program's parent or a
    program folder; without a title, one is made from the id (and a note says so)."""
    if title is not None and not title.strip():
        raise ScaffoldError("--title is empty: give the title patients read, or leave it out")
    if kind == "program":
        created = new_program(new_id, folder or Path("programs"), title)
    else:
        make = new_module if kind == "module" else new_form
        created = make(new_id, folder or Path("."), title)
    if title is None:
        created.notes.append(
            f"the title '{title_from_id(new_id)}' is made from the id, which has no å, ä or ö: "
            f"correct it in {display_path(created.written[0])} (or give --title)"
        )
    return created


def title_from_id(new_id: str) -> str:
    """A title from an id, for a file that validates until the author writes the real one."""
    return TITLES.get(new_id) or new_id.replace("-", " ").capitalize()


def describe(created: Created, *, verbose: bool = False) -> str:
    """What `sobc new` says: each file written or changed (`verbose`: its full path), notes,
    and what to do next."""

    def shown(path: Path) -> str:
        return str(path.resolve()) if verbose else display_path(path)

    lines = [f"wrote {shown(path)}{'/' if path.is_dir() else ''}" for path in created.written]
    lines += [f"changed {shown(path)}" for path in created.changed]
    lines += [f"note: {note}" for note in created.notes]
    lines += ["next:", *(f"  {step}" for step in created.next_steps)]
    return "\n".join(lines)


def new_program(program_id: str, parent: Path, title: str | None = None) -> Created:
    """programs/<id>/: program.yaml, a first module that shows a first form, and media/."""
    check_id("program", program_id)
    if (parent / "program.yaml").exists():
        raise ScaffoldError(
            f"{display_path(parent)} is a program folder; --in names the folder programs are in"
        )
    root = parent / program_id
    _refuse_existing(root)
    values = {"__ID__": program_id, "__MODULE__": FIRST_MODULE, "__FORM__": FIRST_FORM}
    values["__TITLE__"] = _yaml_text(title or title_from_id(program_id))
    created, changes = Created(), _changes(parent)
    _write(changes, root / "program.yaml", templates.PROGRAM, values, created)
    _write_module(changes, root, FIRST_MODULE, FIRST_FORM, templates.FORM_STEP, created)
    form = {"__ID__": FIRST_FORM, "__TITLE__": _yaml_text(title_from_id(FIRST_FORM))}
    _write(changes, root / "forms" / f"{FIRST_FORM}.yaml", templates.FORM, form, created)
    changes.folder(f"{program_id}/media")
    _commit(changes)
    created.written.append(root / "media")
    shown = display_path(root)
    created.next_steps = [f"sobc validate --strict {shown}", f"sobc serve {shown}"]
    return created


def new_module(module_id: str, program: Path, title: str | None = None) -> Created:
    """modules/<id>.yaml, and the id added at the end of program.yaml's `modules` list."""
    check_id("module", module_id)
    listing = _program_file(program)
    path = program / "modules" / f"{module_id}.yaml"
    new = with_module(_program_text(listing), module_id, display_path(listing))
    _refuse_existing(path)
    created, changes = Created(), _changes(program)
    form = _first_form(program)
    step = templates.FORM_STEP_EXAMPLE
    _write_module(changes, program, module_id, form, step, created, title)
    _guarded(changes.change, "program.yaml", new.encode("utf-8"))
    _commit(changes)
    created.changed.append(listing)
    created.notes = [f"added '{module_id}' at the end of the modules list in program.yaml"]
    shown = display_path(program)
    created.next_steps = [
        f"write the module's sections and steps in {display_path(path)}",
        f"sobc validate --strict {shown}",
        f"sobc serve {shown}",
    ]
    return created


def new_form(form_id: str, program: Path, title: str | None = None) -> Created:
    """forms/<id>.yaml with example questions; it validates, but is unused until shown."""
    check_id("form", form_id)
    _program_file(program)
    path = program / "forms" / f"{form_id}.yaml"
    _refuse_existing(path)
    created, changes = Created(), _changes(program)
    values = {"__ID__": form_id, "__TITLE__": _yaml_text(title or title_from_id(form_id))}
    _write(changes, path, templates.FORM, values, created)
    _commit(changes)
    created.notes = [
        f"form '{form_id}' is not used yet: until a step shows it (type: form, forms: "
        f"[{form_id}]), a module lists it in standalone_forms or an activity plan names it, "
        "sobc validate warns (SOBC312) and sobc validate --strict fails"
    ]
    shown = display_path(program)
    created.next_steps = [
        f"add forms: [{form_id}] to a step in {display_path(program / 'modules')}/",
        f"sobc validate --strict {shown}",
        f"sobc serve {shown}",
    ]
    return created


def with_module(text: str, module_id: str, shown: str) -> str:
    """program.yaml's text with module_id added after the last module; nothing else changes."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    try:
        data = YAML(typ="rt").load(text)
    except Exception as problem:  # YAMLError, and NotImplementedError on some comment layouts
        raise ScaffoldError(f"cannot read {shown}: {_first_line(problem)}") from None
    modules = data.get("modules") if isinstance(data, CommentedMap) else None
    if not isinstance(modules, CommentedSeq) or not modules:
        raise ScaffoldError(f"{shown} has no list of modules to add '{module_id}' to")
    if module_id in modules:
        raise ScaffoldError(f"module '{module_id}' is already listed in {shown}")
    line, col = modules.lc.item(len(modules) - 1)
    lines = re.findall(r"[^\n]*\n|[^\n]+\Z", text)  # as YAML counts them: \r\n is one break
    if modules.fa.flow_style():
        lines[line] = _after_flow_item(lines[line], col, modules[-1], module_id, shown)
    else:
        lines[line : line + 1] = _block_item(lines[line], col, module_id, shown)
    new = "".join(lines)
    _check_reads_alike(text, new, module_id, shown)
    return new


def _block_item(last: str, col: int, module_id: str, shown: str) -> list[str]:
    """The last module's line and, after it, one like it (indentation, dash, line ending)."""
    prefix = last[:col]
    if not re.fullmatch(r"[ ]*-[ ]+", prefix):
        raise _cannot_add(module_id, shown)
    ending = "\r\n" if last.endswith("\r\n") else "\n"
    if not last.endswith("\n"):  # the file's last line
        last += ending
    return [last, f"{prefix}{module_id}{ending}"]


def _after_flow_item(line: str, col: int, last: Any, module_id: str, shown: str) -> str:
    """The line holding the last module of a `[…]` list, with ', module_id' after that item."""
    quote = line[col]
    end = line.find(quote, col + 1) + 1 if quote in "'\"" else col + len(str(last))
    if end <= col or line[col:end].strip("'\"") != str(last):
        raise _cannot_add(module_id, shown)
    return f"{line[:end]}, {module_id}{line[end:]}"


def _check_reads_alike(old: str, new: str, module_id: str, shown: str) -> None:
    """sobc's own reader reads the new text as the old plus the module, or nothing is written."""
    from ..read.source import parse_bytes

    before, _ = parse_bytes(old.encode("utf-8"), shown)
    after, _ = parse_bytes(new.encode("utf-8"), shown)
    if before is None:
        raise ScaffoldError(f"{shown} has problems: run sobc validate and fix them first")
    expected = dict(before.data, modules=[*before.data["modules"], module_id])
    if after is None or after.data != expected:
        raise _cannot_add(module_id, shown)


def _cannot_add(module_id: str, shown: str) -> ScaffoldError:
    return ScaffoldError(
        f"cannot add '{module_id}' to the modules list of {shown} without changing other "
        f"lines; add it there yourself (nothing was written)"
    )


def _first_line(problem: Exception) -> str:
    return str(problem).strip().splitlines()[0] if str(problem).strip() else "not YAML"


def _program_file(program: Path) -> Path:
    listing = program / "program.yaml"
    if not listing.is_file():
        raise ScaffoldError(
            f"{display_path(program)} is not a program folder (it has no program.yaml); "
            "name one with --in"
        )
    return listing


def _first_form(program: Path) -> str:
    forms = sorted((program / "forms").glob("*.yaml"))
    return forms[0].stem if forms else PLACEHOLDER_FORM


def _write_module(
    changes: Changes,
    root: Path,
    module_id: str,
    form: str,
    step: str,
    created: Created,
    title: str | None = None,
) -> None:
    text = templates.MODULE.replace("__FORM_STEP__", step)
    values = {"__ID__": module_id, "__FORM__": form}
    values["__TITLE__"] = _yaml_text(title or title_from_id(module_id))
    _write(changes, root / "modules" / f"{module_id}.yaml", text, values, created)


def _write(
    changes: Changes, path: Path, template: str, values: dict[str, str], created: Created
) -> None:
    """Fill in the template and add the file to what `changes` creates (never replacing one)."""
    values = {"__SCHEMA__": schema_reference(path.parent), **values}
    text = template
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    _guarded(changes.create, os.path.relpath(path, changes.shown), text.encode("utf-8"))
    created.written.append(path)


def _changes(root: Path) -> Changes:
    """What this run writes below `root` (its real path), all of it or nothing."""
    return Changes.below(root)


def _guarded(add: Callable[[str, bytes], None], rel: str, data: bytes) -> None:
    try:
        add(rel, data)
    except WriteError as problem:
        raise ScaffoldError(str(problem)) from None


def _commit(changes: Changes) -> None:
    """Write everything, or nothing: a failure leaves every file as it was."""
    try:
        changes.commit()
    except WriteError as problem:
        raise ScaffoldError(str(problem)) from None
    except OSError as problem:
        raise ScaffoldError(
            f"cannot write: {problem.strerror or problem} (nothing was written)"
        ) from None


def _program_text(listing: Path) -> str:
    """program.yaml's text, read the careful way: a regular file, not a link, UTF-8."""
    try:
        raw = read_regular(listing, MAX_FILE_BYTES)
    except Unreadable as problem:
        raise ScaffoldError(f"cannot read {display_path(listing)}: {problem}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as problem:
        line = raw[: problem.start].count(b"\n") + 1
        raise ScaffoldError(
            f"{display_path(listing)} is not UTF-8 text (line {line}); save it as UTF-8 first"
        ) from None


def _yaml_text(text: str) -> str:
    """A title as one line of YAML text: quoted, so that any character reads as written."""
    import json

    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def _refuse_existing(path: Path) -> None:
    if path.exists() or path.is_symlink():
        raise _exists(path)


def _exists(path: Path) -> ScaffoldError:
    return ScaffoldError(f"{display_path(path)} already exists; sobc new never overwrites anything")
