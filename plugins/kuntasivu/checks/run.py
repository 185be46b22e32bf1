"""Validate one built site: run the gate, write its reports, say what was found."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..content.loading import Content
from .facts import site_facts
from .gate import GateSettings, run_gate
from .layers import LAYERS
from .report import summary_lines, write_reports
from .result import GateResult
from .tools import Tools


class GateFailed(Exception):
    """Raised when a built site has accessibility errors; it must not be published."""

    def __init__(self, result: GateResult, report: Path) -> None:
        self.result = result
        self.report = report
        count = len(result.errors)
        super().__init__(f"{count} accessibility error{'s' if count != 1 else ''}; see {report}")


@dataclass(frozen=True)
class CheckOptions:
    reports_dir: Path
    """Reports go to reports_dir/<slug>/."""
    cache_dir: Path | None
    """Results are kept in cache_dir/<slug>.json; None checks every page."""
    layers: tuple[str, ...] = LAYERS
    concurrency: int | None = None
    today: dt.date | None = None


def validate_site(
    site_dir: Path,
    content: Content,
    root: Path,
    options: CheckOptions,
    say: Callable[[str], None],
    *,
    exclude: frozenset[str] = frozenset(),
    final: bool = True,
    earlier: GateResult | None = None,
) -> GateResult:
    """Check ``site_dir``; raises GateFailed on errors and ToolMissing when a checker is missing.

    A run that is not ``final`` (the audit the statement is written from) writes reports and
    a summary only when it fails. ``earlier`` is that first audit: its checked pages count as
    checked in this run too, since they were checked during the same build."""
    today = options.today or dt.date.today()
    facts = site_facts(content, root, today)
    settings = GateSettings(
        layers=options.layers,
        concurrency=options.concurrency,
        cache_file=options.cache_dir / f"{content.slug}.json" if options.cache_dir else None,
        today=today,
        exclude=exclude,
    )
    result = run_gate(site_dir, facts, settings, Tools.find(root), progress=say)
    if earlier is not None:
        result.checked = min(len(result.pages), result.checked + earlier.checked)
        result.cached = len(result.pages) - result.checked
    if not final and result.passed:
        return result
    paths = write_reports(result, options.reports_dir / content.slug)
    for line in summary_lines(result, report=paths["html"]):
        say(line)
    if not result.passed:
        raise GateFailed(result, paths["html"])
    return result
