"""sobc: compile digital support and treatment programs from YAML into HTML and a manifest.

The library API: `load(path)`, `check(program)`, `validate(paths)` and `build(paths, out)`,
each imported when first used, so that the command line loads only what a command needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .resources import VERSION as __version__

__all__ = ["__version__", "build", "check", "load", "validate"]

if TYPE_CHECKING:
    from .check.rules import check
    from .check.validation import validate
    from .package.build import build
    from .read.loader import load

_HOMES = {
    "build": ".package.build",
    "check": ".check.rules",
    "load": ".read.loader",
    "validate": ".check.validation",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'sobc' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name], __name__), name)
