"""sobc: compile digital support and treatment programs from YAML into HTML and a manifest.

The library API: `load(path)`, `check(program)`, `validate(paths)` and `build(paths, out)`.
Imports are lazy so that `sobc validate` starts quickly.
"""

from __future__ import annotations

TYPE_CHECKING = False  # `typing` costs start-up (see entry.py)
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "build", "check", "load", "validate"]

if TYPE_CHECKING:
    from .build import build
    from .checks import check
    from .loader import load
    from .validation import validate


def __getattr__(name: str) -> Any:
    if name == "load":
        from .loader import load

        return load
    if name == "check":
        from .checks import check

        return check
    if name == "validate":
        from .validation import validate

        return validate
    if name == "build":
        from .build import build

        return build
    raise AttributeError(f"module 'sobc' has no attribute {name!r}")
