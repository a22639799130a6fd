"""sobc: compile digital support and treatment programs from YAML into HTML and a manifest.

The library API: `load(path)`, `check(program)`, `validate(paths)` and `build(paths, out)`,
each imported when first used, so that the command line loads only what a command needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "build", "check", "load", "validate"]

if TYPE_CHECKING:
    from .build import build
    from .checks import check
    from .loader import load
    from .validation import validate

_HOMES = {"build": ".build", "check": ".checks", "load": ".loader", "validate": ".validation"}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'sobc' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name], __name__), name)
