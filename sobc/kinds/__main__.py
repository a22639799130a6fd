"""`python -m sobc.kinds`: write what the registries declare into the schemas and docs of a
checkout (a development command: an installed sobc has no docs to write)."""

import sys
from pathlib import Path

from .generate import outputs

root = Path(__file__).resolve().parents[2]
if not (root / "docs" / "authoring.md").is_file() or not (root / "schema").is_dir():
    sys.exit(f"python -m sobc.kinds writes into a checkout of sobc; {root} is not one")
for path, text in outputs(root).items():
    if path.read_text("utf-8") != text:
        path.write_text(text, "utf-8")
        print(f"wrote {path.relative_to(root)}")
