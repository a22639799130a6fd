"""The build cache: what this machine has compiled before. It lives outside every output folder.

One small record per program folder: the digest of the sources it was last compiled from
without any problem, the SHA-256 of the manifest that compile wrote, and the package's entry in
the catalogue (so that a build need not read the manifests of the packages it leaves alone). A
build leaves a program's package as it is when the digest and the manifest still match
(`build.py`). The cache is only ever a shortcut: a missing, damaged or foreign record makes the
program compile again, nothing worse.

Where: `$SOBC_CACHE_DIR`, else `$XDG_CACHE_HOME/sobc`, else `~/.cache/sobc`; a cache that cannot
be written is left alone (the build still succeeds).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..paths import cache_dir
from .digests import sha256

RECORD_VERSION = 2


def _record_path(folder: Path) -> Path:
    key = sha256(os.fsencode(folder.resolve()))[:32]
    return cache_dir() / "programs" / f"{key}.json"


def compiled(folder: Path, digest: str) -> tuple[str, dict[str, Any]] | None:
    """The manifest SHA-256 and the catalogue entry of the clean compile of `folder` from
    `digest`, if one is recorded."""
    try:
        record = json.loads(_record_path(folder).read_bytes())
    except (OSError, ValueError):
        return None
    if (
        isinstance(record, dict)
        and record.get("version") == RECORD_VERSION
        and record.get("digest") == digest
        and isinstance(record.get("manifest"), str)
        and isinstance(record.get("catalogue"), dict)
    ):
        return str(record["manifest"]), record["catalogue"]
    return None


def remember(folder: Path, digest: str, manifest_sha: str, catalogue: dict[str, Any]) -> None:
    """Record a clean compile of `folder`; a cache that cannot be written only costs time later."""
    path = _record_path(folder)
    record = {
        "version": RECORD_VERSION,
        "digest": digest,
        "manifest": manifest_sha,
        "catalogue": catalogue,
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _tag(path.parent.parent)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(json.dumps(record), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


def _tag(folder: Path) -> None:
    """Mark the folder as a cache, so backup tools skip it (bford.info/cachedir)."""
    tag = folder / "CACHEDIR.TAG"
    if not tag.exists():
        tag.write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This folder is sobc's build cache; it can be deleted at any time.\n",
            encoding="utf-8",
        )
