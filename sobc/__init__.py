"""sobc: compile digital support and treatment programs from YAML into HTML and a manifest.

The library API: `load(path)`, `check(program)`, `validate(paths)` and `build(paths, out)`.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .build import build
from .checks import check
from .loader import load
from .validation import validate

__all__ = ["__version__", "build", "check", "load", "validate"]
