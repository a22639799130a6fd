"""`python -m sobc.kinds`: write what the registries declare into the schemas and docs."""

from pathlib import Path

from .generate import outputs

root = Path(__file__).resolve().parents[2]
for path, text in outputs(root).items():
    if path.read_text("utf-8") != text:
        path.write_text(text, "utf-8")
        print(f"wrote {path.relative_to(root)}")
