"""Helpers shared by the build, render and manifest tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

import html5lib


def tree(root: Path) -> dict[str, str]:
    """Every file under root (relative POSIX path) with its SHA-256."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def html5_errors(data: bytes) -> list[object]:
    parser = html5lib.HTMLParser(strict=False)
    parser.parse(data)
    return list(parser.errors)
