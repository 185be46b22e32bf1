"""Running `kuntasivu lint` in-process on temporary municipality folders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from kuntasivu.cli import main

from tests.conftest import FIXTURES, ROOT

TODAY = "2026-11-26"


def municipalities(tmp_path: Path, *names: str) -> Path:
    """A municipalities folder with copies of the named fixture municipalities."""
    folder = tmp_path / "municipalities"
    for name in names:
        shutil.copytree(FIXTURES / "municipalities" / name, folder / name)
    return folder


def lint(
    capsys: pytest.CaptureFixture[str], folder: Path | None, *args: str, today: str = TODAY
) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of `kuntasivu lint` run from the project folder."""
    argv = ["--root", str(ROOT), "lint", "--today", today, *args]
    if folder is not None:
        argv += ["--municipalities-dir", str(folder)]
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def lint_json(capsys: pytest.CaptureFixture[str], folder: Path | None, *args: str) -> list[dict[str, Any]]:
    status, out, err = lint(capsys, folder, "--format", "json", *args)
    assert status in (0, 1), err
    rows: list[dict[str, Any]] = json.loads(out)
    return rows
