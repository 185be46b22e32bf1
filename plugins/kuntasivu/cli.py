"""Command line: kuntasivu build | check | sites | serve | new | lint | schema."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .changes import ChangesError, plan_changes
from .checks.layers import LAYERS
from .lint import run as lint_commands

if TYPE_CHECKING:
    from .checks.run import CheckOptions

# The gate, the build and the site's statement data are imported by the commands that use them:
# `kuntasivu lint`, run on every commit, starts in a fraction of the time without them.

CACHE_DIR = Path(".cache") / "a11y"
"""Where check results are kept between builds, inside the project folder."""


def find_root(start: Path) -> Path:
    """The project folder: the nearest one up from ``start`` that has mkdocs.yml and municipalities/."""
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "municipalities").is_dir():
            return folder
    raise SystemExit(f"kuntasivu: no mkdocs.yml with a municipalities/ folder in {start} or above; use --root")


def _shown(path: Path) -> Path:
    """A path as short as it can be shown: relative to the current folder when inside it."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _municipalities(root: Path, municipalities_dir: Path) -> list[str]:
    return sorted(p.name for p in municipalities_dir.iterdir() if (p / "site.yml").is_file())


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False
    # Our own messages (e.g. feedback figures that could not be fetched) are meant for the user.
    own = logging.getLogger("kuntasivu")
    own.handlers[:] = [handler]
    own.setLevel(logging.INFO)
    own.propagate = False


def cmd_build(args: argparse.Namespace) -> int:
    from .checks.gate import discover_pages
    from .checks.nu import NuFailed
    from .checks.pa11y import Pa11yFailed
    from .checks.run import GateFailed
    from .checks.tools import ToolMissing
    from .content.errors import ContentErrors
    from .content.loading import Content, load_content
    from .pipeline import build_and_validate
    from .publish import build_then_swap
    from .statement.data import load_statement_data

    root = args.root
    municipalities_dir = args.municipalities_dir or root / "municipalities"
    available = _municipalities(root, municipalities_dir)
    slugs = available if args.all else args.slugs
    if args.changed_since:
        try:
            plan = plan_changes(root, municipalities_dir, args.changed_since)
        except ChangesError as exc:
            print(f"kuntasivu build: {exc}", file=sys.stderr)
            return 2
        for line in plan.explain(slugs or available):
            print(line, file=sys.stderr)
        slugs = plan.sites(slugs or available)
        if not slugs:
            return 0
    if not slugs:
        print("kuntasivu build: name the municipalities to build, --all, or --changed-since REF", file=sys.stderr)
        print(f"  available: {', '.join(available) or '(none)'}", file=sys.stderr)
        return 2
    unknown = [slug for slug in slugs if slug not in available]
    if unknown:
        print(f"kuntasivu build: no municipality {', '.join(unknown)} in {municipalities_dir}", file=sys.stderr)
        print(f"  available: {', '.join(available) or '(none)'}", file=sys.stderr)
        return 2
    out_dir = _absolute(args.out)
    options = _check_options(args)
    if args.fetch_feedback:
        os.environ["KUNTASIVU_FETCH_FEEDBACK"] = "1"  # read by the MkDocs adapter, like KUNTASIVU_TODAY
    try:
        statement_data = load_statement_data(root / "site_src")
    except ContentErrors as errors:
        print(errors.format(Path.cwd()), file=sys.stderr)
        return 1
    failed: list[str] = []
    total = len(slugs)
    for number, slug in enumerate(slugs, start=1):
        prefix = f"[{number}/{total}] {slug}"
        say = partial(_say, prefix)
        say("building…")
        started = time.monotonic()
        municipality_dir = municipalities_dir / slug
        shown = _shown(out_dir / slug)
        try:
            # Content errors are found before MkDocs starts, so they are printed as a list
            # of file:line:col lines rather than as one MkDocs error.
            content = load_content(municipality_dir, root / "site_src")

            def build(
                tmp: Path,
                content: Content = content,
                say: Callable[[str], None] = say,
            ) -> None:
                build_and_validate(root, content, tmp, options, statement_data, say)

            live = build_then_swap(out_dir, slug, build)
        except ContentErrors as errors:
            print(errors.format(Path.cwd()), file=sys.stderr)
            say(f"FAILED — fix the errors above; {shown}/ was left as it was")
            failed.append(slug)
            continue
        except GateFailed as exc:
            say(f"FAILED — {exc}; {shown}/ was left as it was")
            failed.append(slug)
            continue
        except (ToolMissing, NuFailed, Pa11yFailed) as exc:
            say(f"FAILED — the site could not be validated: {exc}")
            say(f"{shown}/ was left as it was; nothing is published unvalidated")
            failed.append(slug)
            continue
        except Exception as exc:  # MkDocs' own errors: strict-mode warnings, template errors
            say(f"FAILED — {type(exc).__name__}: {exc}")
            say(f"{shown}/ was left as it was")
            failed.append(slug)
            continue
        pages = len(discover_pages(live))  # the site's pages, not the browser editor's
        say(f"published {pages} pages in {time.monotonic() - started:.1f} s → {_shown(live)}/")
    if failed:
        print(f"{len(failed)} of {total} sites failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    if total > 1:
        print(f"all {total} sites built and validated", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate already-built sites in --out without building them again."""
    from .checks.nu import NuFailed
    from .checks.pa11y import Pa11yFailed
    from .checks.run import GateFailed, validate_site
    from .checks.tools import ToolMissing
    from .content.errors import ContentErrors
    from .content.loading import load_content

    municipalities_dir = args.municipalities_dir or args.root / "municipalities"
    out_dir = _absolute(args.out)
    options = _check_options(args)
    failed = 0
    for slug in args.slugs:
        say = partial(_say, slug)
        site_dir = out_dir / slug
        if not (site_dir / "index.html").is_file():
            say(f"no built site in {_shown(site_dir)}/; run 'kuntasivu build {slug}' first")
            failed += 1
            continue
        try:
            content = load_content(municipalities_dir / slug, args.root / "site_src")
            validate_site(site_dir, content, args.root, options, say)
        except ContentErrors as errors:
            print(errors.format(Path.cwd()), file=sys.stderr)
            failed += 1
        except GateFailed as exc:
            say(f"FAILED — {exc}")
            failed += 1
        except (ToolMissing, NuFailed, Pa11yFailed) as exc:
            say(f"FAILED — the site could not be validated: {exc}")
            failed += 1
    return 1 if failed else 0


def cmd_sites(args: argparse.Namespace) -> int:
    """Print the municipalities, or those a change since a git REF touches (with why): for a CI
    build matrix."""
    municipalities_dir = args.municipalities_dir or args.root / "municipalities"
    sites = _municipalities(args.root, municipalities_dir)
    if args.changed_since:
        try:
            plan = plan_changes(args.root, municipalities_dir, args.changed_since)
        except ChangesError as exc:
            print(f"kuntasivu sites: {exc}", file=sys.stderr)
            return 2
        for line in plan.explain(sites):
            print(line, file=sys.stderr)
        sites = plan.sites(sites)
    print(json.dumps(sites) if args.json else "\n".join(sites))
    return 0


def _say(prefix: str, line: str) -> None:
    print(f"{prefix}: {line}", file=sys.stderr, flush=True)


def _absolute(path: Path) -> Path:
    return path if path.is_absolute() else Path.cwd() / path


def _check_options(args: argparse.Namespace) -> CheckOptions:
    from .checks.run import CheckOptions

    layers = tuple(layer for layer in LAYERS if layer in args.checks.split(","))
    cache_dir = None if args.no_cache else (_absolute(args.cache_dir) if args.cache_dir else args.root / CACHE_DIR)
    return CheckOptions(
        reports_dir=_absolute(args.reports),
        cache_dir=cache_dir,
        layers=layers,
        concurrency=args.concurrency,
        today=args.today,
    )


def _checks(text: str) -> str:
    unknown = [name for name in text.split(",") if name not in LAYERS]
    if unknown or not text:
        raise argparse.ArgumentTypeError(f"unknown check {', '.join(unknown)}; choose from {','.join(LAYERS)}")
    return text


def _add_check_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--reports", type=Path, default=Path("reports"), help="report folder (default: reports)")
    command.add_argument(
        "--checks",
        type=_checks,
        default=",".join(LAYERS),
        help="accessibility layers to run, comma-separated (default: static,nu,pa11y; fewer only for quick local "
        "builds: the report lists what did not run)",
    )
    command.add_argument("--no-cache", action="store_true", help="check every page again")
    command.add_argument("--cache-dir", type=Path, help=f"where check results are kept (default: {CACHE_DIR})")
    command.add_argument("--concurrency", type=int, help="pages checked at once in Chromium (default: 4 per core)")


def cmd_serve(args: argparse.Namespace) -> int:
    from .mkdocs_plugin import serve_site

    municipality_dir = (args.municipalities_dir or args.root / "municipalities") / args.slug
    if not (municipality_dir / "site.yml").is_file():
        print(f"kuntasivu serve: no {municipality_dir}/site.yml", file=sys.stderr)
        return 2
    serve_site(args.root, municipality_dir, args.host, args.port)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldError, scaffold

    try:
        folder = scaffold(args.root / "municipalities", args.slug, args.name, dt.date.today())
    except ScaffoldError as exc:
        print(f"kuntasivu new: {exc}", file=sys.stderr)
        return 2
    print(f"created {folder}; build it with: kuntasivu build {args.slug}", file=sys.stderr)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import CatalogueError

    try:
        return _check_schemas(args.root) if args.check else _write_schemas(args.root, args.out)
    except CatalogueError as exc:
        print(f"{exc}\nkuntasivu schema: the schemas cannot be written until that is fixed", file=sys.stderr)
        return 2


def _check_schemas(root: Path) -> int:
    from .schema import header_problems, stale_schemas

    problems = stale_schemas(root) + [problem.message(root) for problem in header_problems(root)]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"kuntasivu schema: {len(problems)} problem(s); fix them all with: kuntasivu schema", file=sys.stderr)
        return 1
    print("kuntasivu schema: the schemas and every file's schema line are current", file=sys.stderr)
    return 0


def _write_schemas(root: Path, out: Path) -> int:
    from .schema import SCHEMA_DIR, fix_headers, write_schemas

    out = out if out.is_absolute() else root / out
    for path in write_schemas(out, root):
        print(path, file=sys.stderr)
    if out.resolve() == (root / SCHEMA_DIR).resolve():  # the schema lines point to schemas/
        for path in fix_headers(root):
            print(f"added the schema line to {path.relative_to(root)}", file=sys.stderr)
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2027-03-14") from None


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="kuntasivu", description="Accessible municipal websites from YAML content.")
    main.add_argument("--version", action="version", version=f"kuntasivu {__version__}")
    main.add_argument("--root", type=Path, help="project folder (default: found from the current folder)")
    main.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' progress messages")
    sub = main.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="build municipalities into public/<slug>/")
    build.add_argument("slugs", nargs="*", metavar="SLUG", help="municipalities to build")
    build.add_argument("--all", action="store_true", help="build every municipality")
    build.add_argument("--out", type=Path, default=Path("public"), help="output folder (default: public)")
    build.add_argument("--municipalities-dir", type=Path, help="folder of municipalities (default: municipalities)")
    build.add_argument("--today", type=_date, help="date that decides which events are upcoming (default: today)")
    build.add_argument(
        "--fetch-feedback",
        action="store_true",
        help="read feedback statistics and the public list from each site's receiving service (inbox_url)",
    )
    build.add_argument(
        "--changed-since",
        metavar="REF",
        help="build only the municipalities (of SLUG…, or all) whose content changed since the git REF; "
        "all of them when shared content, the theme or the code changed",
    )
    _add_check_options(build)
    build.set_defaults(func=cmd_build)

    sites = sub.add_parser("sites", help="list the municipalities (for a CI build matrix)")
    sites.add_argument("--changed-since", metavar="REF", help="only those a change since the git REF touches, and why")
    sites.add_argument("--json", action="store_true", help="print a JSON list")
    sites.add_argument("--municipalities-dir", type=Path, help="folder of municipalities (default: municipalities)")
    sites.set_defaults(func=cmd_sites)

    check = sub.add_parser("check", help="validate built sites in --out again, without building")
    check.add_argument("slugs", nargs="+", metavar="SLUG")
    check.add_argument("--out", type=Path, default=Path("public"), help="folder of built sites (default: public)")
    check.add_argument("--municipalities-dir", type=Path, help="folder of municipalities (default: municipalities)")
    check.add_argument("--today", type=_date, help="date for known-issue expiry (default: today)")
    _add_check_options(check)
    check.set_defaults(func=cmd_check)

    serve = sub.add_parser("serve", help="preview one municipality with live reload")
    serve.add_argument("slug", metavar="SLUG")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--municipalities-dir", type=Path)
    serve.set_defaults(func=cmd_serve)

    new = sub.add_parser("new", help="create a new municipality that builds at once")
    new.add_argument("slug", metavar="SLUG", help="folder name: lower-case a–z, digits and hyphens")
    new.add_argument("--name", required=True, help="the municipality's name, e.g. 'Demokunta'")
    new.set_defaults(func=cmd_new)

    lint_commands.add_parser(sub, _date)

    schema = sub.add_parser(
        "schema", help="write JSON Schemas of the content files and put the schema line first in each YAML file"
    )
    schema.add_argument("--out", type=Path, default=Path("schemas"))
    schema.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a schema or a file's schema line is not current"
    )
    schema.set_defaults(func=cmd_schema)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.root = (args.root or find_root(Path.cwd())).resolve()
    _setup_logging(args.verbose)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
