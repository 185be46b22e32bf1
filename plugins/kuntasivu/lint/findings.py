"""One lint finding, and its two output forms: ``path:line:col: level: message`` lines and JSON."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Finding:
    """A problem at a place in a content file. ``code`` names the check, e.g. 'alt-text'."""

    path: Path
    line: int
    column: int
    level: Level
    code: str
    message: str

    def shown_path(self, relative_to: Path) -> str:
        with contextlib.suppress(ValueError):  # outside the folder: the full path
            return str(self.path.resolve().relative_to(relative_to.resolve()))
        return str(self.path)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """By path and line, each once (shared pages are linted with every municipality that uses them)."""
    return sorted(set(findings), key=lambda f: (str(f.path), f.line, f.column, f.code, f.message))


def format_text(findings: list[Finding], relative_to: Path) -> str:
    return "".join(
        f"{f.shown_path(relative_to)}:{f.line}:{f.column}: {f.level}: {f.message} [{f.code}]\n" for f in findings
    )


def format_json(findings: list[Finding], relative_to: Path) -> str:
    rows = [
        {
            "path": f.shown_path(relative_to),
            "line": f.line,
            "column": f.column,
            "level": f.level,
            "code": f.code,
            "message": f.message,
        }
        for f in findings
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
