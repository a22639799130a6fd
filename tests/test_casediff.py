"""case.diff, the form of a test case: what the writer makes applies back byte for byte, and a case
that does not fit its program fails naming the case, the file and the hunk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .casediff import (
    CaseDiff,
    CaseError,
    file_change,
    materialise,
    parse_case,
    patched,
    split_lines,
    write_case,
)
from .conftest import EXAMPLE

NOTES = b"a\nb\na\nc\n"


def own_case(tmp_path: Path, diff: bytes) -> Path:
    """A case named a-case with a program of its own: notes.txt (NOTES) and old.txt."""
    case = tmp_path / "cases" / "a-case"
    (case / "program").mkdir(parents=True)
    (case / "program" / "notes.txt").write_bytes(NOTES)
    (case / "program" / "old.txt").write_bytes(b"old\n")
    (case / "case.diff").write_bytes(diff)
    return case


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_case_changes_its_program_removes_a_file_and_lays_whole_files_on_it(
    tmp_path: Path,
) -> None:
    case = own_case(
        tmp_path,
        b"two changes and a removal\n\n"
        b"--- notes.txt\n+++ notes.txt\n@@ -1,2 +1,3 @@\n a\n+new\n b\n@@ -3,2 +4,1 @@\n-a\n c\n"
        b"--- old.txt\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-old\n",
    )
    (case / "files" / "forms").mkdir(parents=True)
    (case / "files" / "forms" / "whole.yaml").write_bytes(b"- a list\n")
    program = materialise(case, tmp_path / "out")
    assert tree(program) == {"notes.txt": b"a\nnew\nb\nc\n", "forms/whole.yaml": b"- a list\n"}


def test_what_write_case_makes_gives_back_the_edited_example(tmp_path: Path) -> None:
    edited = tmp_path / "edited"
    shutil.copytree(EXAMPLE, edited)
    program = edited / "program.yaml"
    program.write_bytes(program.read_bytes().replace(b"version: ", b"version: 2\nold: ", 1))
    (edited / "media" / "film.vtt").unlink()
    (edited / "forms" / "ny.yaml").write_bytes(b"title: Ny")
    case = tmp_path / "cases" / "written"
    case.mkdir(parents=True)
    write_case(edited, case, "a case made from an edited copy")
    assert tree(materialise(case, tmp_path / "out")) == tree(edited)
    assert sorted(tree(case)) == ["case.diff", "files/forms/ny.yaml"]


LINES = st.lists(st.sampled_from([b"a\n", b"b\n", b"c\n", b"\n"]), max_size=12)
LAST = st.sampled_from([b"", b"a", b"c\n"])  # a last line with its newline or without


@given(old=LINES, old_last=LAST, new=LINES, new_last=LAST)
def test_a_written_change_reads_back_and_applies_exactly(
    old: list[bytes], old_last: bytes, new: list[bytes], new_last: bytes
) -> None:
    """Repeated and blank lines make context hard to choose; a file may lose all its lines."""
    before = split_lines(b"".join(old) + old_last) or (b"x\n",)
    after = split_lines(b"".join(new) + new_last)
    for target in (after, None):
        change = file_change("f", before, target)
        if change is None:
            assert target == before
            continue
        (read,) = parse_case(CaseDiff("round trip", (change,)).text(), "t").changes
        assert read == change
        assert patched(before, read, "t") == (target or ())


def hunk(header: bytes, *lines: bytes) -> bytes:
    return b"a change\n\n--- notes.txt\n+++ notes.txt\n" + header + b"\n" + b"".join(lines)


FAILURES = {
    "no description": (b"--- notes.txt\n", "a-case/case.diff starts with a description"),
    "text not found": (
        hunk(b"@@ -1,1 +1,1 @@", b"-x\n", b"+y\n"),
        "a-case: notes.txt, hunk 1: its text is not in the file",
    ),
    "text found twice": (
        hunk(b"@@ -1,1 +1,1 @@", b"-a\n", b"+y\n"),
        "a-case: notes.txt, hunk 1: its text is at lines 1, 3; give it more context",
    ),
    "text at another line": (
        hunk(b"@@ -3,1 +3,1 @@", b"-c\n", b"+d\n"),
        "hunk 1: its text is at line 4, not 3",
    ),
    "new start wrong": (
        hunk(b"@@ -2,2 +5,2 @@", b" b\n", b"-a\n", b"+y\n"),
        "hunk 1: its @@ line says +5, not +2",
    ),
    "hunks out of order": (
        hunk(b"@@ -4,1 +4,1 @@", b"-c\n", b"+d\n", b"@@ -2,1 +2,1 @@\n-b\n+e\n"),
        "hunk 2 overlaps or comes before the hunk above it",
    ),
    "counts do not add up": (
        hunk(b"@@ -4,1 +4,0 @@", b" c\n"),
        "case.diff, line 6: the hunk's lines do not add up",
    ),
    "unmarked line": (hunk(b"@@ -4,1 +4,1 @@", b"?c\n"), "line 6: a hunk's lines start with"),
    "no new start": (hunk(b"@@ -4,1 @@"), "line 5: expected an @@ -start[,count] +start[,count]"),
    "hunk cut short": (hunk(b"@@ -4,2 +4,2 @@", b" c\n"), "line 6: case.diff ends where more"),
    "nothing to place by": (
        hunk(b"@@ -0,0 +1,1 @@", b"+x\n"),
        "hunk 1 has no kept or removed line to place it by",
    ),
    "new file": (b"d\n--- /dev/null\n+++ new.txt\n", "new.txt is a new file: it belongs under"),
    "renamed file": (b"d\n--- notes.txt\n+++ other.txt\n", "changes a file in place or removes"),
    "path outside": (b"d\n--- ../notes.txt\n", "'../notes.txt' is not a path inside the program"),
    "file not there": (
        b"d\n--- gone.txt\n+++ gone.txt\n@@ -1,1 +1,1 @@\n-a\n+b\n",
        "a-case: gone.txt is not a file of the program",
    ),
    "part of a removed file": (
        b"d\n--- notes.txt\n+++ /dev/null\n@@ -4,1 +3,0 @@\n-c\n",
        "a-case: notes.txt is removed, so its hunks remove all of it",
    ),
}


@pytest.mark.parametrize(("diff", "message"), FAILURES.values(), ids=FAILURES.keys())
def test_a_case_that_does_not_fit_fails_naming_itself(
    tmp_path: Path, diff: bytes, message: str
) -> None:
    with pytest.raises(CaseError, match=r"^cases/a-case") as failure:
        materialise(own_case(tmp_path, diff), tmp_path / "out")
    assert message in str(failure.value)


def test_a_file_both_changed_and_laid_whole_is_refused(tmp_path: Path) -> None:
    case = own_case(tmp_path, hunk(b"@@ -4,1 +4,1 @@", b"-c\n", b"+d\n"))
    (case / "files").mkdir()
    (case / "files" / "notes.txt").write_bytes(b"whole\n")
    with pytest.raises(CaseError) as failure:
        materialise(case, tmp_path / "out")
    assert str(failure.value) == "cases/a-case: notes.txt is both in case.diff and under files/"


def test_a_stray_file_in_a_case_folder_is_refused(tmp_path: Path) -> None:
    """Such as a whole copy of a file of the example, which the old form of a case laid over it."""
    case = own_case(tmp_path, b"a change\n")
    (case / "notes.txt").write_bytes(NOTES)
    with pytest.raises(CaseError) as failure:
        materialise(case, tmp_path / "out")
    assert str(failure.value) == "cases/a-case: notes.txt: not part of a case (README.md)"


def test_a_count_of_one_may_be_left_out_as_diff_does(tmp_path: Path) -> None:
    case = own_case(tmp_path, b"a change\n\n--- notes.txt\n+++ notes.txt\n@@ -4 +4 @@\n-c\n+d\n")
    assert (materialise(case, tmp_path / "out") / "notes.txt").read_bytes() == b"a\nb\na\nd\n"


def test_a_blank_kept_line_whose_space_an_editor_trimmed_still_applies(tmp_path: Path) -> None:
    diff = b"a change\n\n--- notes.txt\n+++ notes.txt\n@@ -1,2 +1,3 @@\n a\n\n+x\n"
    case = own_case(tmp_path, diff)
    (case / "program" / "notes.txt").write_bytes(b"a\n\nb\n")
    assert (materialise(case, tmp_path / "out") / "notes.txt").read_bytes() == b"a\n\nx\nb\n"
