"""Run every check on municipalities, and the `kuntasivu lint` command around it."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from ..content.errors import ContentErrors
from ..content.loading import load_content
from . import alt_text, dates, headings, image_size, link_text, links, plain_language, schema_line
from .context import LintContext
from .findings import Finding, format_json, format_text, sort_findings

CHECKS: tuple[Callable[[LintContext], None], ...] = (
    alt_text.check,
    link_text.check,
    headings.check,
    plain_language.check,
    dates.check,
    image_size.check,
    links.check,
    schema_line.check,
)


def lint_municipality(
    municipality_dir: Path, shared_dir: Path, today: dt.date, sites: links.Sites, root: Path | None = None
) -> list[Finding]:
    """Every finding in one municipality; content that does not load gives its errors as findings."""
    try:
        content = load_content(municipality_dir, shared_dir)
    except ContentErrors as exc:
        return [
            Finding(e.path, e.line, e.column, "error", "content", _content_message(e.field, e.message))
            for e in exc.errors
        ]
    ctx = LintContext(content, today, sites, root)
    for check in CHECKS:
        check(ctx)
    return ctx.findings


def _content_message(field: str, message: str) -> str:
    return f"{field}: {message}" if field else message


def cmd_lint(args: argparse.Namespace) -> int:
    municipalities_dir: Path = (args.municipalities_dir or args.root / "municipalities").resolve()
    if not municipalities_dir.is_dir():
        print(f"kuntasivu lint: no folder {municipalities_dir}; give --municipalities-dir or --root", file=sys.stderr)
        return 2
    available = sorted(p.name for p in municipalities_dir.iterdir() if (p / "site.yml").is_file())
    unknown = [slug for slug in args.slugs if slug not in available]
    if unknown:
        print(
            f"kuntasivu lint: no municipality {', '.join(unknown)} in {municipalities_dir};"
            f" the municipalities are: {', '.join(available)}",
            file=sys.stderr,
        )
        return 2
    sites = links.Sites(municipalities_dir, args.root / "site_src")
    findings: list[Finding] = []
    for slug in args.slugs or available:
        findings.extend(
            lint_municipality(municipalities_dir / slug, args.root / "site_src", args.today, sites, args.root)
        )
    findings = sort_findings(findings)
    if args.format == "json":
        sys.stdout.write(format_json(findings, Path.cwd()))
    else:
        sys.stdout.write(format_text(findings, Path.cwd()))
        errors = sum(f.level == "error" for f in findings)
        warnings = len(findings) - errors
        if findings:
            print(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}.", file=sys.stderr)
    return 1 if any(f.level == "error" for f in findings) else 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], date: Callable[[str], dt.date]) -> None:
    lint = sub.add_parser(
        "lint",
        help="check content for accessibility and clarity problems without building",
        description="Check municipalities' content without building: alt texts, link texts, heading levels,"
        " long sentences, past events, expired alerts, oversized images and dead links between the sites."
        " Exit status: 1 when there is any error, 0 when there are only warnings or nothing, 2 for an"
        " unknown municipality.",
    )
    lint.add_argument("slugs", nargs="*", metavar="SLUG", help="municipalities to check (default: every one)")
    lint.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    lint.add_argument(
        "--today", type=date, default=dt.date.today(), help="date that decides what is past (default: today)"
    )
    lint.add_argument("--municipalities-dir", type=Path, help="folder of municipalities (default: municipalities)")
    lint.set_defaults(func=cmd_lint)
