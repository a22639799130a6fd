"""Which sobc this is, and where its data files live, in a wheel and in a source checkout alike."""

from __future__ import annotations

from pathlib import Path

VERSION = "0.1.0"

_PACKAGE = Path(__file__).resolve().parent


def package_dir() -> Path:
    """The installed `sobc` package itself (its code, templates and assets)."""
    return _PACKAGE


def schema_dir() -> Path:
    """The JSON Schemas: inside the package when installed, in schema/ beside it in a checkout."""
    packaged = _PACKAGE / "schema"
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / "schema"


def templates_dir() -> Path:
    return _PACKAGE / "render" / "templates"
