"""The I/O floor: parse the corpus's YAML with libyaml and write as many bytes as sobc writes.

What no compiler of this content can avoid: reading and parsing every source file (libyaml's C
loader, the fastest YAML reader Python has) and writing the same files, of the same sizes, to
the same disk. Run in a fresh process, like sobc:

    python -m benchmarks.floor CORPUS SIZES.json OUT
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import yaml


def floor(corpus: Path, sizes: dict[str, int], out: Path) -> int:
    """Parse every .yaml under corpus, write `sizes` (relative path → bytes) under out."""
    parsed = 0
    for path in sorted(corpus.rglob("*.yaml")):
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        parsed += 1
    made: set[Path] = set()
    for rel, size in sizes.items():
        target = out / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        # the cheapest write Python has (sobc's own pages are written the same way)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            os.write(fd, b"x" * size)
        finally:
            os.close(fd)
    return parsed


def main() -> None:
    corpus, sizes_file, out = map(Path, sys.argv[1:4])
    sizes = json.loads(sizes_file.read_text(encoding="utf-8"))
    floor(corpus, sizes, out)


if __name__ == "__main__":
    main()
