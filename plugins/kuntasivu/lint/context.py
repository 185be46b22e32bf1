"""What every check gets: the loaded content, the day to judge dates by, and the other sites."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.loading import Content, Sourced
from ..content.yamlsource import Path_, YamlDocument
from .findings import Finding, Level
from .texts import Located


@dataclass
class LintContext:
    content: Content
    today: dt.date
    sites: Any = None
    """The repository's other municipalities (links.Sites), for links between sites."""
    root: Path | None = None
    """The project folder, for the schema paths of the files' first lines."""
    findings: list[Finding] = field(default_factory=list)

    def at_text(self, text: Located, offset: int, level: Level, code: str, message: str) -> None:
        pos = text.position(offset)
        self.findings.append(Finding(text.doc.path, pos.line, pos.column, level, code, message))

    def at_path(self, doc: YamlDocument, path: Path_, level: Level, code: str, message: str) -> None:
        pos = doc.position(path)
        self.findings.append(Finding(doc.path, pos.line, pos.column, level, code, message))

    def at_source(self, source: Sourced[Any], path: Path_, level: Level, code: str, message: str) -> None:
        self.at_path(source.doc, path, level, code, message)
