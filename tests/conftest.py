"""Shared test helpers: the repository's folders and tiny fixture municipalities."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT / "site_src"


@pytest.fixture
def make_municipality(tmp_path: Path):
    """Copy a fixture municipality into a temporary folder, with optional overlay folders on top."""

    def make(base: str, *overlays: Path) -> Path:
        target = tmp_path / "municipalities" / base
        shutil.copytree(FIXTURES / "municipalities" / base, target)
        for overlay in overlays:
            shutil.copytree(overlay, target, dirs_exist_ok=True)
        return target

    return make
