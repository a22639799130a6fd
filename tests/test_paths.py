"""Resolving many program folders at once gives exactly what `Path.resolve` gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sobc.paths import resolved


def test_resolved_is_what_resolve_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tmp_path / "real"
    (real / "a").mkdir(parents=True)
    (real / "b").mkdir()
    (tmp_path / "linked-parent").symlink_to(real)
    (real / "link-to-a").symlink_to(real / "a")
    monkeypatch.chdir(real)
    folders = [
        real / "a",
        real / "b",
        tmp_path / "linked-parent" / "b",
        real / "link-to-a",
        Path("a"),
        Path("."),
        Path("a") / "..",
        Path("missing"),
        Path(os.path.relpath(real / "b", tmp_path / "linked-parent")),
    ]
    assert resolved(folders) == [f.resolve() for f in folders]
