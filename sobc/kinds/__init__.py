"""The registries: each kind of question (`questions.py`), flag trigger (`triggers.py`) and step
(`steps.py`) declared once, as a record.

The JSON Schemas' enums and per-kind rules and the tables of `docs/authoring.md` are generated
from these records (`python -m sobc.kinds` writes them; `tests/test_kinds.py` fails when they
are out of date), and the checks, the pages, the manifest and the guide read them.
"""
