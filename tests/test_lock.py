"""The tests run with the locked versions: every package of the lock (`requirements.txt`) is
installed at exactly its pinned version, and nothing else is installed besides sobc itself
(and the setuptools every 3.11 venv starts with).
`make test-latest` runs the suite on newer releases on purpose and says so (SOBC_UNLOCKED)."""

from __future__ import annotations

import os
import re
from importlib.metadata import distributions

import pytest

from .conftest import ROOT

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", re.MULTILINE)


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503


@pytest.mark.skipif(bool(os.environ.get("SOBC_UNLOCKED")), reason="make test-latest")
def test_the_installed_packages_are_the_locked_ones() -> None:
    locked = {_name(n): v for n, v in PIN.findall((ROOT / "requirements.txt").read_text("utf-8"))}
    pip = PIN.findall((ROOT / "requirements" / "pip.txt").read_text("utf-8"))
    locked.update({_name(n): v for n, v in pip})
    installed = {_name(d.metadata["Name"]): d.version for d in distributions()}
    installed.pop("sobc", None)
    installed.pop("setuptools", None)  # what `python -m venv` puts in every venv on 3.11
    assert len(locked) > 30  # the lock was read
    assert installed == locked
