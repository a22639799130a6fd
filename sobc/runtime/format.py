"""What the manifest's writer (`package/manifest.py`) and its reader (`runtime/manifest.py`) share:
the file's name, the format and its version, and the error `load` raises. Imports nothing of
sobc's but `layout`, so neither side needs the other."""

from __future__ import annotations

from pathlib import Path

from .layout import MANIFEST_FILE

FORMAT = "sobc-manifest"
FILE_NAME = MANIFEST_FILE  # in each package
SIGNATURE_FILE = MANIFEST_FILE + ".jws"  # beside it in a signed package (`signature.py`)
FORMAT_VERSION = 4  # 4: form_answered (a flag on one answer); 3: min and max of a question's kind
SHOWN_PROBLEMS = 100  # at most this many in the message; `problems` holds them all


class ManifestError(Exception):
    """The manifest cannot be trusted: unreadable, not valid, or files missing or changed."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems[:SHOWN_PROBLEMS])
        if len(problems) > SHOWN_PROBLEMS:
            lines += f"\n  - and {len(problems) - SHOWN_PROBLEMS:,} more"
        super().__init__(f"{path}: the manifest cannot be used:\n{lines}")
