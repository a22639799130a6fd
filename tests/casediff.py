"""A test case as a change to the example program: reading, applying and writing case.diff.

A case folder holds case.diff, a description and then a unified diff of the example's files whose
every hunk is placed by its text: the text must occur in its file exactly once, at the line its @@
line names, or the case fails naming itself, the file and the hunk. Whole files (new ones, or one
whose entire content is the point) lie under files/; a case with a program of its own holds it in
program/. The format, and how to write a case: tests/cases/README.md.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path, PurePosixPath

from .conftest import EXAMPLE, PROGRAMS

Lines = tuple[bytes, ...]
DEV_NULL = "/dev/null"
NO_NEWLINE = b"\\ No newline at end of file\n"
HEADER = re.compile(rb"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")  # a count left out is 1
CASE_ENTRIES = {"case.diff", "expected.json", "files", "program"}


class CaseError(Exception):
    """A malformed case, or one that does not fit its program: the message names the case and
    the line of case.diff, or the file and the hunk."""


@dataclass(frozen=True)
class Hunk:
    """Lines marked b" " (kept), b"-" (removed) or b"+" (added); the starts are 1-based lines."""

    old_start: int
    new_start: int
    body: tuple[tuple[bytes, bytes], ...]

    @property
    def old(self) -> Lines:
        return tuple(line for mark, line in self.body if mark in (b" ", b"-"))

    @property
    def new(self) -> Lines:
        return tuple(line for mark, line in self.body if mark in (b" ", b"+"))

    def text(self) -> bytes:
        counts = (self.old_start, len(self.old), self.new_start, len(self.new))
        lines = [b"@@ -%d,%d +%d,%d @@\n" % counts]
        for mark, line in self.body:
            lines.append(mark + line if line.endswith(b"\n") else mark + line + b"\n" + NO_NEWLINE)
        return b"".join(lines)


@dataclass(frozen=True)
class FileChange:
    """The hunks of one file of the example; a removed file's hunks remove all of it."""

    path: str
    removed: bool
    hunks: tuple[Hunk, ...]

    def text(self) -> bytes:
        new = DEV_NULL if self.removed else self.path
        head = f"--- {self.path}\n+++ {new}\n".encode()
        return head + b"".join(hunk.text() for hunk in self.hunks)


@dataclass(frozen=True)
class CaseDiff:
    description: str
    changes: tuple[FileChange, ...]

    def text(self) -> bytes:
        body = b"".join(change.text() for change in self.changes)
        return self.description.encode() + b"\n" + (b"\n" + body if body else b"")


def split_lines(data: bytes) -> Lines:
    """data's lines, each with its b"\\n" (the last may lack one); a b"\\r" stays in its line."""
    return tuple(re.findall(rb"[^\n]*\n|[^\n]+\Z", data))


# ---- reading ----


class _Reader:
    """case.diff's lines with a cursor; each failure names the case and the line of case.diff."""

    def __init__(self, data: bytes, label: str) -> None:
        self.lines, self.at, self.label = split_lines(data), 0, label

    def fail(self, message: str) -> CaseError:
        return CaseError(f"{self.label}/case.diff, line {self.at}: {message}")

    def peek(self) -> bytes:
        return self.lines[self.at] if self.at < len(self.lines) else b""

    def take(self, what: str) -> bytes:
        if self.at == len(self.lines):
            raise self.fail(f"case.diff ends where {what} should be")
        self.at += 1
        return self.lines[self.at - 1]

    def path(self, prefix: bytes) -> str:
        line = self.take(f"a {prefix.decode().strip()} line")
        if not line.startswith(prefix):
            raise self.fail(f"expected a line starting {prefix.decode()!r}")
        path = line[len(prefix) :].rstrip(b"\n").decode()
        parts = PurePosixPath(path).parts
        if path != DEV_NULL and (not parts or parts[0] == "/" or ".." in parts):
            raise self.fail(f"{path!r} is not a path inside the program")
        return path


def parse_case(data: bytes, label: str) -> CaseDiff:
    """The description and file changes of a case.diff; CaseError names what is malformed."""
    reader = _Reader(data, label)
    description = b""
    while reader.peek() and not reader.peek().startswith(b"--- "):
        description += reader.take("the description")
    if not description.strip():
        raise CaseError(f"{label}/case.diff starts with a description of what the case changes")
    changes = []
    while reader.peek():
        changes.append(_file_change(reader))
    return CaseDiff(description.decode().strip(), tuple(changes))


def _file_change(reader: _Reader) -> FileChange:
    old, new = reader.path(b"--- "), reader.path(b"+++ ")
    if old == DEV_NULL:
        raise reader.fail(f"{new} is a new file: it belongs under files/, not in case.diff")
    if new not in (old, DEV_NULL):
        raise reader.fail(f"{old} becomes {new}: a case changes a file in place or removes it")
    hunks = [_hunk(reader)]
    while reader.peek().startswith(b"@@"):
        hunks.append(_hunk(reader))
    return FileChange(old, new == DEV_NULL, tuple(hunks))


def _hunk(reader: _Reader) -> Hunk:
    header = HEADER.match(reader.take("an @@ line"))
    if header is None:
        raise reader.fail("expected an @@ -start[,count] +start[,count] @@ line")
    old_start, old_count, new_start, new_count = (int(n or 1) for n in header.groups())
    body: list[tuple[bytes, bytes]] = []
    old_left, new_left = old_count, new_count
    while old_left > 0 or new_left > 0:
        body.append(_body_line(reader))
        old_left -= body[-1][0] != b"+"
        new_left -= body[-1][0] != b"-"
    if old_left or new_left:
        raise reader.fail("the hunk's lines do not add up to the counts of its @@ line")
    return Hunk(old_start, new_start, tuple(body))


def _body_line(reader: _Reader) -> tuple[bytes, bytes]:
    """One marked line; a bare newline is a kept empty line whose space an editor trimmed."""
    line = reader.take("more lines of the hunk (its @@ line counts them)")
    mark, text = (b" ", line) if line == b"\n" else (line[:1], line[1:])
    if mark not in (b" ", b"-", b"+"):
        raise reader.fail("a hunk's lines start with ' ', '-' or '+'")
    if reader.peek() == NO_NEWLINE:
        reader.take("the no-newline mark")
        text = text.removesuffix(b"\n")
    return mark, text


# ---- applying ----


def apply_case(diff: CaseDiff, program: Path, label: str) -> None:
    """Changes program (a copy of the example) as the case's diff says."""
    for change in diff.changes:
        target = program / change.path
        if not target.is_file():
            raise CaseError(f"{label}: {change.path} is not a file of the program")
        result = patched(split_lines(target.read_bytes()), change, label)
        if not change.removed:
            target.write_bytes(b"".join(result))
        elif result:
            raise CaseError(f"{label}: {change.path} is removed, so its hunks remove all of it")
        else:
            target.unlink()


def patched(lines: Lines, change: FileChange, label: str) -> Lines:
    """lines with change's hunks applied, each placed where its text is (see place)."""
    out: list[bytes] = []
    done = 0
    for number, hunk in enumerate(change.hunks, 1):
        where = f"{label}: {change.path}, hunk {number}"
        at = place(lines, hunk, where)
        if at < done:
            raise CaseError(f"{where} overlaps or comes before the hunk above it")
        out += lines[done:at]
        new_start = len(out) + bool(hunk.new)  # with no new lines, the line before them
        if hunk.new_start != new_start:
            raise CaseError(f"{where}: its @@ line says +{hunk.new_start}, not +{new_start}")
        out += hunk.new
        done = at + len(hunk.old)
    return (*out, *lines[done:])


def place(lines: Lines, hunk: Hunk, where: str) -> int:
    """Where hunk's old text starts in lines: once in the file, at the line its @@ line names."""
    size = len(hunk.old)
    if size == 0:
        raise CaseError(f"{where} has no kept or removed line to place it by")
    found = [i for i in range(len(lines) - size + 1) if lines[i : i + size] == hunk.old]
    if not found:
        raise CaseError(f"{where}: its text is not in the file (has the example changed?)")
    if len(found) > 1:
        at = ", ".join(str(i + 1) for i in found)
        raise CaseError(f"{where}: its text is at lines {at}; give it more context")
    if found[0] + 1 != hunk.old_start:
        raise CaseError(
            f"{where}: its text is at line {found[0] + 1}, not {hunk.old_start} as its @@ line"
            " says; if the example moved, so did the lines expected.json names"
        )
    return found[0]


def materialise(case: Path, target: Path, entries: frozenset[str] = frozenset()) -> Path:
    """The case's program in target/example: its base with case.diff applied and files/ laid on
    (`entries`: what else the folder may hold, such as a diff scenario's expected.yaml)."""
    label = f"{case.parent.name}/{case.name}"
    strays = sorted(p.name for p in case.iterdir() if p.name not in CASE_ENTRIES | entries)
    if strays:
        raise CaseError(f"{label}: {', '.join(strays)}: not part of a case (README.md)")
    program = target / "example"
    shutil.copytree(case / "program" if (case / "program").is_dir() else EXAMPLE, program)
    diff = parse_case((case / "case.diff").read_bytes(), label)
    apply_case(diff, program, label)
    whole = case / "files"
    for source in sorted(p for p in whole.rglob("*") if p.is_file()):
        path = source.relative_to(whole).as_posix()
        if any(change.path == path for change in diff.changes):
            raise CaseError(f"{label}: {path} is both in case.diff and under files/")
        (program / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, program / path)
    return program


# ---- writing ----

Change = tuple[int, int, int, int]  # old[i1:i2] becomes new[j1:j2]


def write_case(edited: Path, case: Path, description: str) -> None:
    """Makes case the change from the example to edited: case.diff says how the example's files
    change (or that one is removed) and files/ holds the files edited adds. expected.json stays."""
    shutil.rmtree(case / "files", ignore_errors=True)
    changes = []
    for path in sorted(_files(EXAMPLE) | _files(edited)):
        if not (EXAMPLE / path).is_file():
            (case / "files" / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(edited / path, case / "files" / path)
            continue
        change = _change(edited, path)
        changes += [change] if change else []
    (case / "case.diff").write_bytes(CaseDiff(description, tuple(changes)).text())


def _change(edited: Path, path: str) -> FileChange | None:
    """How the example's file at path becomes edited's (None: it does not change)."""
    new = split_lines((edited / path).read_bytes()) if (edited / path).is_file() else None
    return file_change(path, split_lines((EXAMPLE / path).read_bytes()), new)


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def file_change(path: str, old: Lines, new: Lines | None) -> FileChange | None:
    """old becoming new (None: the file is removed), or None if it stays the same. Each hunk has
    the least context (at least a line each side) that makes its text occur once in old."""
    if new == old:
        return None
    ops = SequenceMatcher(None, old, new or (), autojunk=False).get_opcodes()
    changes = [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in ops if tag != "equal"]
    hunks: list[Hunk] = []
    shift = 0
    for low, high, group in _spans(old, changes):
        body = _body(old, new or (), low, high, group)
        hunk = Hunk(low + 1, 0, body)
        hunks.append(Hunk(low + 1, low + shift + bool(hunk.new), body))
        shift += len(hunk.new) - len(hunk.old)
    return FileChange(path, new is None, tuple(hunks))


def _spans(old: Lines, changes: list[Change]) -> list[tuple[int, int, list[Change]]]:
    """The changes as spans of old, each widened until its text occurs once; spans that meet or
    overlap are one."""
    spans: list[tuple[int, int, list[Change]]] = []
    for change in changes:
        low, high = _unique_span(old, change[0], change[1])
        if spans and low <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(high, spans[-1][1]), [*spans[-1][2], change])
        else:
            spans.append((low, high, [change]))
    return spans


def _unique_span(old: Lines, start: int, end: int) -> tuple[int, int]:
    for context in range(1, len(old) + 1):
        low, high = max(0, start - context), min(len(old), end + context)
        text = old[low:high]
        if sum(old[i : i + len(text)] == text for i in range(len(old) - len(text) + 1)) == 1:
            return low, high
    return 0, len(old)


def _body(
    old: Lines, new: Lines, low: int, high: int, group: list[Change]
) -> tuple[tuple[bytes, bytes], ...]:
    body: list[tuple[bytes, bytes]] = []
    at = low
    for i1, i2, j1, j2 in group:
        body += [(b" ", line) for line in old[at:i1]]
        body += [(b"-", line) for line in old[i1:i2]] + [(b"+", line) for line in new[j1:j2]]
        at = i2
    return (*body, *((b" ", line) for line in old[at:high]))


# ---- rebasing on a changed example ----


def rebase_case(case: Path, old: Path, today: Path) -> None:
    """Re-places a case written against `old` (a copy of a program before it changed) on
    `today` (that program now): the case's program is laid out on the old one, today's changes
    are merged into it (git merge-file, as a three-way merge), the case is written anew and the
    lines expected.json names follow the lines they were on. A conflict leaves the case as it
    was and says so."""
    global EXAMPLE
    label = f"{case.parent.name}/{case.name}"
    saved = EXAMPLE
    with tempfile.TemporaryDirectory() as tmp:
        try:
            EXAMPLE = old
            edited = materialise(case, Path(tmp) / "old", frozenset({"expected.yaml"}))
            EXAMPLE = today
            moved = {
                path: _merged(edited / path, old / path, today / path, label)
                for path in sorted(_files(today) | _files(old))
                if _read(old / path) != _read(today / path)
            }
            # Only the changed files are written anew; files/ stays as it is.
            written = parse_case((case / "case.diff").read_bytes(), label)
            kept = {c.path: c for c in written.changes if c.path not in moved}
            changes = kept | {path: _change(edited, path) for path in moved}
            ordered = tuple(changes[path] for path in sorted(changes) if changes[path])
            (case / "case.diff").write_bytes(CaseDiff(written.description, ordered).text())
        finally:
            EXAMPLE = saved
    _move_expected(case / "expected.json", moved)


def _move_expected(expected: Path, moved: dict[str, dict[int, int]]) -> None:
    """The lines expected.json names, where the merge moved them."""
    if not expected.is_file():
        return
    findings = json.loads(expected.read_text("utf-8"))
    lines = [(f, moved[f["file"]]) for f in findings if f.get("file") in moved and "line" in f]
    if any(f["line"] != went.get(f["line"], f["line"]) for f, went in lines):
        for finding, went in lines:
            finding["line"] = went.get(finding["line"], finding["line"])
        expected.write_text(json.dumps(findings, indent=2, ensure_ascii=False) + "\n", "utf-8")


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def _merged(ours: Path, base: Path, theirs: Path, label: str) -> dict[int, int]:
    """Merges the example's change (base → theirs) into the case's file ours, in place; returns
    where each line of ours went (1-based)."""
    before = split_lines(ours.read_bytes()) if ours.is_file() else ()
    if not base.is_file() and theirs.is_file() and not ours.is_file():  # a new file
        ours.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(theirs, ours)
        return {}
    if base.is_file() and not theirs.is_file() and _read(ours) == _read(base):  # removed
        ours.unlink()
        return {}
    if not ours.is_file() or not base.is_file() or not theirs.is_file():
        raise CaseError(f"{label}: {ours.name} was added or removed on both sides: by hand")
    run = subprocess.run(
        ["git", "merge-file", "-p", str(ours), str(base), str(theirs)],
        capture_output=True,
        check=False,
    )
    if run.returncode != 0:
        raise CaseError(f"{label}: the example's change to {ours.name} conflicts with the case")
    ours.write_bytes(run.stdout)
    after = split_lines(run.stdout)
    lines: dict[int, int] = {}
    for block in SequenceMatcher(None, before, after, autojunk=False).get_matching_blocks():
        lines.update({block.a + k + 1: block.b + k + 1 for k in range(block.size)})
    return lines


# ---- python -m tests.casediff ----


USAGE = """\
python -m tests.casediff write EDITED CASE [DESCRIPTION]
    makes CASE (a folder) the change from the example to EDITED, an edited copy of it;
    without DESCRIPTION, CASE keeps the one its case.diff has
python -m tests.casediff show CASE FOLDER
    lays out CASE's program in FOLDER/example, to read its lines
python -m tests.casediff rebase OLD CASE...
    re-places the cases written against OLD (a copy of the example, or of a program the diff
    scenarios change, before it changed: `git worktree add` of the revision before) on that
    program today, lines and all; the cases of other programs are left as they are"""


def main(argv: list[str]) -> int:
    match argv:
        case ["write", edited, case, *description] if len(description) < 2:
            Path(case).mkdir(parents=True, exist_ok=True)
            kept = [] if description else [_description(Path(case))]
            write_case(Path(edited), Path(case), (description or kept)[0])
        case ["show", case, folder]:
            print(materialise(Path(case).resolve(), Path(folder)))
        case ["rebase", old, *cases] if cases:
            return _rebase_all(Path(old).resolve(), [Path(c).resolve() for c in cases])
        case _:
            print(USAGE, file=sys.stderr)
            return 2
    return 0


def _rebase_all(old: Path, cases: list[Path]) -> int:
    """Rebases the cases on the program `old` is an old copy of (by its id); others are left."""
    program = re.search(r"(?m)^id: *(\S+)", (old / "program.yaml").read_text("utf-8"))
    name = program.group(1) if program else old.name
    today = EXAMPLE if name == "example" else PROGRAMS / name
    failed = 0
    for case in cases:
        scenario = case / "expected.yaml"  # a diff scenario names the program it changes
        base = "example"
        if scenario.is_file():
            found = re.search(r"(?m)^program: *(\S+)", scenario.read_text("utf-8"))
            base = found.group(1) if found else base
        if base != name or (case / "program").is_dir() or not (case / "case.diff").is_file():
            continue  # another program's, a program of its own, or not a case
        try:
            rebase_case(case, old, today)
        except CaseError as problem:
            print(problem, file=sys.stderr)
            failed += 1
    return 1 if failed else 0


def _description(case: Path) -> str:
    label = f"{case.parent.name}/{case.name}"
    return parse_case((case / "case.diff").read_bytes(), label).description


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
