"""One site from content to a validated folder: build, audit, write the statement, build
again with it, audit it too. Nothing is published here (see publish.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

from .checks.gate import discover_pages
from .checks.result import GateResult
from .checks.run import CheckOptions, validate_site
from .content.loading import Content
from .content.urls import accessibility_url
from .mkdocs_plugin import build_site
from .statement.build import statements
from .statement.data import StatementData


def build_and_validate(
    root: Path,
    content: Content,
    site_dir: Path,
    options: CheckOptions,
    data: StatementData,
    say: Callable[[str], None],
) -> GateResult:
    """Raises GateFailed (with reports written) when any page, the statement included, fails."""
    if options.cache_dir is None:
        # --no-cache: nothing from earlier builds, but the second audit of this build still takes
        # the first's results for the pages that did not change (all but the statement), instead
        # of running Nu and Chromium over every page twice.
        with tempfile.TemporaryDirectory(prefix="kuntasivu-audit-") as scratch:
            this_build_only = dataclasses.replace(options, cache_dir=Path(scratch))
            return build_and_validate(root, content, site_dir, this_build_only, data, say)
    today = options.today or dt.date.today()
    build_site(root, content.municipality_dir, site_dir, today=options.today)
    say(f"built {len(discover_pages(site_dir))} pages; checking accessibility…")  # admin/ is no page
    statement_pages = frozenset(accessibility_url(content, lang) for lang in content.languages)
    audit = validate_site(site_dir, content, root, options, say, exclude=statement_pages, final=False)
    written = statements(content, audit, data, today)
    status = {"fully": "fully compliant", "partially": "partially compliant", "not": "not compliant"}
    say(f"accessibility statement written ({status[written[content.languages[0]]['status']]}); checking it…")
    build_site(root, content.municipality_dir, site_dir, today=options.today, statements=written)
    return validate_site(site_dir, content, root, options, say, earlier=audit)
