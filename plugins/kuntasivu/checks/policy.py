"""Site policy from site.yml: how strict each rule is, and which findings are accepted for now.

Policy is applied after the checkers (and after the cache), so changing it never needs a
page to be checked again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .findings import Finding


@dataclass(frozen=True)
class KnownIssueRule:
    """One accepted exception, with where it is written (for messages)."""

    page: str
    """'/path/' as in site.yml, or '*'."""
    rule: str
    reason: dict[str, str] | str
    expires: dt.date
    source: str
    """'municipalities/x/site.yml:57' — where to change or remove it."""
    reason_type: str = "non-compliance"
    description: dict[str, str] | str | None = None
    alternative: dict[str, str] | str | None = None

    def matches(self, finding: Finding) -> bool:
        return finding.rule_id == self.rule and (self.page == "*" or self.page.strip("/") == finding.url.strip("/"))

    def describe(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "rule": self.rule,
            "reason": self.reason,
            "expires": self.expires.isoformat(),
            "reason_type": self.reason_type,
            "description": self.description,
            "alternative": self.alternative,
        }


@dataclass(frozen=True)
class Policy:
    rules: dict[str, str] = field(default_factory=dict)
    """rule_id → 'error' | 'warning' | 'ignore'."""
    known_issues: tuple[KnownIssueRule, ...] = ()
    source: str = ""
    """Where the policy is written, for messages about it."""


def apply_policy(findings: list[Finding], policy: Policy, today: dt.date) -> list[Finding]:
    """Findings with the site's severities and known issues applied; adds errors for expired ones."""
    out: list[Finding] = []
    used: set[KnownIssueRule] = set()
    active = [k for k in policy.known_issues if k.expires >= today]
    for finding in findings:
        setting = policy.rules.get(finding.rule_id)
        if setting == "ignore":
            continue
        if setting in ("error", "warning"):
            finding = finding.with_(severity=setting)
        for known in active:
            if known.matches(finding):
                used.add(known)
                finding = finding.with_(known_issue=known.describe())
                break
        out.append(finding)
    for known in policy.known_issues:
        if known.expires < today:
            out.append(
                Finding(
                    url=known.page.strip("/") if known.page != "*" else "",
                    engine="gate",
                    rule="known-issue-expired",
                    severity="error",
                    message=(
                        f"the known issue for {known.rule} on {known.page} expired on {known.expires.isoformat()}: "
                        f"fix the page, or if it truly cannot be fixed yet, give a new date and reason in "
                        f"{known.source}"
                    ),
                    source=known.source,
                )
            )
        elif known not in used:
            out.append(
                Finding(
                    url=known.page.strip("/") if known.page != "*" else "",
                    engine="gate",
                    rule="known-issue-unused",
                    severity="warning",
                    message=(
                        f"the known issue for {known.rule} on {known.page} no longer occurs: remove it from "
                        f"{known.source}"
                    ),
                    source=known.source,
                )
            )
    return out


def policy_from_site(site: Any, site_doc_path: Path, positions: dict[int, int], root: Path) -> Policy:
    """Build the policy from a validated Site; ``positions`` maps known-issue index → line."""
    relative = site_doc_path
    # A municipalities folder outside the project (--municipalities-dir) is named as it is given.
    if site_doc_path.is_absolute() and site_doc_path.resolve().is_relative_to(root.resolve()):
        relative = site_doc_path.resolve().relative_to(root.resolve())

    def text(value: Any) -> dict[str, str] | str | None:
        return None if value is None else (value.plain if value.plain is not None else value.by_lang)

    known = tuple(
        KnownIssueRule(
            page=issue.page,
            rule=issue.rule,
            reason=text(issue.reason) or "",
            expires=issue.expires,
            source=f"{relative}:{positions.get(index, 1)}",
            reason_type=issue.reason_type,
            description=text(issue.description),
            alternative=text(issue.alternative),
        )
        for index, issue in enumerate(site.accessibility.known_issues)
    )
    return Policy(rules=dict(site.accessibility.rules), known_issues=known, source=str(relative))
