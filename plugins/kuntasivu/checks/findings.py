"""What the checkers found, in one shape for every engine."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

Severity = Literal["error", "warning"]
ENGINES = ("kuntasivu", "nu", "axe", "htmlcs", "gate")
"""kuntasivu: our own static checks; gate: the gate itself (a checker crashed or timed out)."""


@dataclass(frozen=True)
class Finding:
    """One problem on one page."""

    url: str
    """The page's address relative to the site root: '' for the home page, 'vapaa-aika/kirjasto/',
    or a file name such as 'assets/liite.html' for HTML that is not a directory page."""
    engine: str
    """Which checker found it: one of ENGINES."""
    rule: str
    """The checker's own rule code, e.g. 'color-contrast' (axe) or 'img-alt' (kuntasivu)."""
    severity: Severity
    message: str
    """What is wrong and, where the checker says, how to fix it."""
    criterion: str | None = None
    """WCAG success criterion, e.g. '1.1.1'."""
    selector: str | None = None
    """CSS selector of the element."""
    snippet: str | None = None
    """The element's HTML, shortened."""
    line: int | None = None
    """Line in the built HTML file, where the checker reports one."""
    source: str | None = None
    """The content file the page comes from (project-relative), when it comes from content."""
    known_issue: dict[str, Any] | None = field(default=None, compare=False)
    """The accepted exception from site.yml that covers this finding, if any."""

    @property
    def rule_id(self) -> str:
        """Engine and rule together, as used in site.yml policy: 'axe/color-contrast'."""
        return f"{self.engine}/{self.rule}"

    def with_(self, **changes: Any) -> Finding:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["rule_id"] = self.rule_id
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        data = {k: v for k, v in data.items() if k != "rule_id"}
        return cls(**data)


def shorten(html: str, limit: int = 300) -> str:
    """An element's HTML for a report: one line, at most ``limit`` characters."""
    flat = " ".join(html.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
