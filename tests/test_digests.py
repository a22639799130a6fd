"""The build's digest of a program folder: what it reads, and what changes it."""

from __future__ import annotations

import os
import shutil
import tracemalloc
from pathlib import Path

import pytest

from sobc.package.digests import program_digest

from .conftest import EXAMPLE


@pytest.fixture
def program(tmp_path: Path) -> Path:
    folder = tmp_path / "programs" / "example"
    shutil.copytree(EXAMPLE, folder)
    return folder


def test_a_link_out_of_the_program_is_digested_as_what_it_says(
    program: Path, tmp_path: Path
) -> None:
    """Nothing outside the program is read for its digest: a link is taken for its target's
    name, so the content it leads to changes nothing, and a link to a FIFO hangs nothing."""
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "key.txt").write_text("one")
    os.mkfifo(secret / "pipe")
    (program / "media" / "unused.txt").symlink_to(secret / "key.txt")
    (program / "media" / "pipe.txt").symlink_to(secret / "pipe")
    (program / "media" / "secret").symlink_to(secret, target_is_directory=True)
    before = program_digest(program)
    (secret / "key.txt").write_text("two")
    (secret / "more.txt").write_text("more")
    assert program_digest(program) == before
    (program / "media" / "unused.txt").unlink()
    (program / "media" / "unused.txt").symlink_to(secret / "more.txt")
    assert program_digest(program) != before  # where it leads is part of the folder


def test_a_file_is_read_a_piece_at_a_time(program: Path) -> None:
    film = program / "media" / "film.mp4"
    with film.open("wb") as file:
        file.truncate(64 * 1024 * 1024)  # sparse: quick to make and to read
    tracemalloc.start()
    try:
        program_digest(program)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024


def test_any_change_of_a_file_changes_the_digest(program: Path) -> None:
    before = program_digest(program)
    (program / "media" / "film.vtt").write_bytes(b"WEBVTT\n\nchanged")
    changed = program_digest(program)
    assert changed != before
    (program / "media" / "film.vtt").rename(program / "media" / "filmen.vtt")
    assert program_digest(program) not in (before, changed)
