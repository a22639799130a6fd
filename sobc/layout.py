"""Where things are in an output folder and in a program's package: the names that the build,
the renderer, the manifest and the runtime reader share. Imports nothing else of sobc's."""

from __future__ import annotations

import hashlib
from functools import cache

from .resources import package_dir

CATALOGUE = "index.html"  # the output folder's list of packages
MANIFEST_FILE = "manifest.json"  # in each package
ASSET_DIR = "_assets"  # the style sheet and script, in the output folder and in each package
MEDIA_DIR = "_media"  # a package's copy of its program's media/
_ASSET_FILES = {"css": "sobc.css", "js": "sobc.js"}


@cache
def assets() -> dict[str, tuple[str, bytes]]:
    """The shared assets: key → (content-hashed path under _assets/, bytes)."""
    found = {}
    for key, name in _ASSET_FILES.items():
        data = (package_dir() / "render" / "assets" / name).read_bytes()
        stem, ext = name.rsplit(".", 1)
        digest = hashlib.sha256(data).hexdigest()[:12]
        found[key] = (f"{ASSET_DIR}/{stem}.{digest}.{ext}", data)
    return found


def asset_paths() -> dict[str, str]:
    return {key: path for key, (path, _) in assets().items()}
