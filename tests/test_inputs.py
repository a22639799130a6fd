"""Hashing what a build reads: a file is read again unless its record can be believed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from sobc import inputs

from .conftest import EXAMPLE


def _program(tmp_path: Path) -> Path:
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    return folder


def _settled(remembered: dict[str, Any]) -> dict[str, Any]:
    """A copy of the record, as if it had been made long after every file last changed."""
    files = {path: list(record) for path, record in remembered["files"].items()}
    return {"at": remembered["at"] + 10 * inputs.SETTLED_NS, "files": files}


def test_digest_follows_content(tmp_path: Path) -> None:
    folder = _program(tmp_path)
    first = inputs.scan([folder])
    assert inputs.scan([folder]).digests == first.digests
    module = folder / "modules" / "grunder.yaml"
    module.write_text(module.read_text() + "\n")
    assert inputs.scan([folder]).digests != first.digests


def test_a_believed_record_is_not_read_again(tmp_path: Path) -> None:
    folder = _program(tmp_path)
    program = folder / "program.yaml"
    program.write_bytes(program.read_bytes())  # changed just now
    first = inputs.scan([folder])
    path = str(program)
    believed = _settled(first.remembered)
    believed["files"][path][4] = "0" * 64
    # the record is believed: its (made-up) hash is used and the digest changes with it
    assert inputs.scan([folder], believed).digests != first.digests
    # a record made while the file had only just changed is not believed: the file is read
    fresh = {"at": first.remembered["at"], "files": believed["files"]}
    assert inputs.scan([folder], fresh).digests == first.digests


def test_an_edit_that_restores_size_and_time_is_noticed(tmp_path: Path) -> None:
    folder = _program(tmp_path)
    module = folder / "modules" / "grunder.yaml"
    info = module.stat()
    first = inputs.scan([folder])
    text = module.read_text()
    module.write_text(text.replace("Grunder", "Grunden", 1))
    assert module.stat().st_size == info.st_size
    os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns))  # as `cp -p` or an archive would
    again = inputs.scan([folder], _settled(first.remembered))
    assert again.digests != first.digests  # the change time gave it away


def test_broken_records_are_ignored(tmp_path: Path) -> None:
    folder = _program(tmp_path)
    first = inputs.scan([folder])
    for junk in (None, [], {"files": []}, {"at": "x", "files": {}}, {"at": 1, "files": {"a": 3}}):
        assert inputs.scan([folder], junk).digests == first.digests


def test_a_record_of_the_wrong_shape_is_read_again(tmp_path: Path) -> None:
    folder = _program(tmp_path)
    first = inputs.scan([folder])
    path = str(folder / "program.yaml")
    for junk in (None, 7, ["a"], {"sha": 1}):
        damaged = _settled(first.remembered)
        damaged["files"][path][4] = junk
        assert inputs.scan([folder], damaged).digests == first.digests
