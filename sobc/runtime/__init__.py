"""What a runtime imports: `load(path)`, which verifies a package and returns its manifest as
typed objects (or raises `ManifestError`), the manifest's format and the layout of a package.

`load` and the reader's classes are imported when first asked for: a build writes manifests and
pages without them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .format import FILE_NAME, FORMAT, FORMAT_VERSION, ManifestError

if TYPE_CHECKING:
    from .manifest import Manifest, load

__all__ = ["FILE_NAME", "FORMAT", "FORMAT_VERSION", "Manifest", "ManifestError", "load"]


def __getattr__(name: str) -> Any:
    if name not in ("Manifest", "load"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(".manifest", __name__), name)
