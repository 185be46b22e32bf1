"""The outcome of one site's accessibility gate."""

from __future__ import annotations

from dataclasses import dataclass, field

from .findings import Finding


@dataclass
class GateResult:
    """Everything the reports and the terminal summary need about one gate run."""

    slug: str
    site_url: str
    """The site's public address (site.yml), for links in reports."""
    started: str
    """When the run started, ISO 8601 with time zone."""
    pages: list[str]
    """Every page checked, as site-relative URLs (see Finding.url)."""
    findings: list[Finding]
    """All findings, errors and warnings, including those accepted as known issues."""
    engines: dict[str, str]
    """Engines that ran, with their versions, e.g. {"nu": "26.9.27", "axe": "4.11.0"}."""
    checked: int = 0
    """Pages checked in this run."""
    cached: int = 0
    """Pages whose results came from the cache because nothing about them changed."""
    skipped: list[str] = field(default_factory=list)
    """Engines that did not run, with the reason, e.g. 'pa11y (--checks)'."""
    seconds: float = 0.0

    @property
    def errors(self) -> list[Finding]:
        """Errors not covered by a known issue: any of these fails the build."""
        return [f for f in self.findings if f.severity == "error" and f.known_issue is None]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning" and f.known_issue is None]

    @property
    def known(self) -> list[Finding]:
        """Findings accepted in site.yml accessibility.known_issues (kept for the statement)."""
        return [f for f in self.findings if f.known_issue is not None]

    @property
    def passed(self) -> bool:
        return not self.errors
