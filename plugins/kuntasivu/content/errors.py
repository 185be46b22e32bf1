"""Content errors: what went wrong, in which file, on which line, and how to fix it."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in a content file, reported as ``path:line:col: field: message``."""

    path: Path
    line: int
    column: int
    field: str
    message: str

    def format(self, relative_to: Path | None = None) -> str:
        shown = self.path
        if relative_to is not None:
            with contextlib.suppress(ValueError):  # outside the folder: show the full path
                shown = self.path.resolve().relative_to(relative_to.resolve())
        where = f"{shown}:{self.line}:{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ContentErrors(Exception):
    """Raised by the loader with every problem found, so that all can be fixed in one go."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = sorted(set(errors), key=lambda e: (str(e.path), e.line, e.column, e.message))
        super().__init__(self.format())

    def format(self, relative_to: Path | None = None) -> str:
        lines = [error.format(relative_to) for error in self.errors]
        count = len(self.errors)
        lines.append(f"{count} error{'s' if count != 1 else ''} in content; nothing was published.")
        return "\n".join(lines)
