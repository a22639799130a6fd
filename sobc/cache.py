"""The build cache: what this machine has compiled before. It lives outside every output folder.

Per program folder, a small record — the digest of the sources it was last compiled from
without any problem, and the SHA-256 of the manifest that compile wrote; a build leaves a
program's package as it is when both still match (`build.py`) — and the Markdown bodies its
last compile rendered, by a digest of their text (`render/markdown.py`). The cache is only
ever a shortcut: a missing, damaged or foreign file means compiling or rendering again.

Where: `$SOBC_CACHE_DIR`, else `$XDG_CACHE_HOME/sobc`, else `~/.cache/sobc`; a cache that cannot
be written is left alone (the build still succeeds).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .digests import sha256

RECORD_VERSION = 1


def cache_dir() -> Path:
    if os.environ.get("SOBC_CACHE_DIR"):
        return Path(os.environ["SOBC_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sobc"


def _path(kind: str, folder: Path) -> Path:
    key = sha256(os.fsencode(folder.resolve()))[:32]
    return cache_dir() / kind / f"{key}.json"


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def _write(path: Path, data: Any) -> None:
    """Replace the file in one step; a cache that cannot be written only costs time later."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _tag(path.parent.parent)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


def compiled(folder: Path, digest: str) -> str | None:
    """The manifest SHA-256 of the clean compile of `folder` from `digest`, if one is recorded."""
    record = _read(_path("programs", folder))
    if (
        isinstance(record, dict)
        and record.get("version") == RECORD_VERSION
        and record.get("digest") == digest
        and isinstance(record.get("manifest"), str)
    ):
        return str(record["manifest"])
    return None


def remember(folder: Path, digest: str, manifest_sha: str) -> None:
    """Record a clean compile of `folder`."""
    record = {"version": RECORD_VERSION, "digest": digest, "manifest": manifest_sha}
    _write(_path("programs", folder), record)


def bodies(folder: Path, engine: str) -> dict[str, str]:
    """The Markdown bodies the last compile of `folder` rendered with this engine."""
    data = _read(_path("bodies", folder))
    if not isinstance(data, dict) or data.get("engine") != engine:
        return {}
    rendered = data.get("rendered")
    if not isinstance(rendered, dict):
        return {}
    return {k: v for k, v in rendered.items() if isinstance(k, str) and isinstance(v, str)}


def keep_bodies(folder: Path, engine: str, rendered: dict[str, str]) -> None:
    _write(_path("bodies", folder), {"engine": engine, "rendered": rendered})


def _tag(folder: Path) -> None:
    """Mark the folder as a cache, so backup tools skip it (bford.info/cachedir)."""
    tag = folder / "CACHEDIR.TAG"
    if not tag.exists():
        tag.write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This folder is sobc's build cache; it can be deleted at any time.\n",
            encoding="utf-8",
        )
