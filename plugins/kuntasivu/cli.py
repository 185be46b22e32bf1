"""Command line: kuntasivu build | serve | new | schema."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import time
from functools import partial
from pathlib import Path

from . import __version__
from .content.errors import ContentErrors
from .content.loading import load_content
from .publish import build_then_swap


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


def cmd_build(args: argparse.Namespace) -> int:
    from .mkdocs_plugin import build_site

    root = args.root
    municipalities_dir = args.municipalities_dir or root / "municipalities"
    available = _municipalities(root, municipalities_dir)
    slugs = available if args.all else args.slugs
    if not slugs:
        print("kuntasivu build: name the municipalities to build, or use --all", file=sys.stderr)
        print(f"  available: {', '.join(available) or '(none)'}", file=sys.stderr)
        return 2
    unknown = [slug for slug in slugs if slug not in available]
    if unknown:
        print(f"kuntasivu build: no municipality {', '.join(unknown)} in {municipalities_dir}", file=sys.stderr)
        print(f"  available: {', '.join(available) or '(none)'}", file=sys.stderr)
        return 2
    out_dir = args.out if args.out.is_absolute() else Path.cwd() / args.out
    failed: list[str] = []
    total = len(slugs)
    for number, slug in enumerate(slugs, start=1):
        prefix = f"[{number}/{total}] {slug}"
        print(f"{prefix}: building…", file=sys.stderr, flush=True)
        started = time.monotonic()
        municipality_dir = municipalities_dir / slug
        shown = _shown(out_dir / slug)
        try:
            # Content errors are found before MkDocs starts, so they are printed as a list
            # of file:line:col lines rather than as one MkDocs error.
            load_content(municipality_dir, root / "site_src")
            live = build_then_swap(out_dir, slug, partial(build_site, root, municipality_dir, today=args.today))
        except ContentErrors as errors:
            print(errors.format(Path.cwd()), file=sys.stderr)
            print(f"{prefix}: FAILED — fix the errors above; {shown}/ was left as it was", file=sys.stderr)
            failed.append(slug)
            continue
        except Exception as exc:  # MkDocs' own errors: strict-mode warnings, template errors
            print(f"{prefix}: FAILED — {type(exc).__name__}: {exc}", file=sys.stderr)
            print(f"{prefix}: {shown}/ was left as it was", file=sys.stderr)
            failed.append(slug)
            continue
        pages = sum(1 for _ in live.rglob("index.html"))
        seconds = time.monotonic() - started
        print(f"{prefix}: {pages} pages in {seconds:.1f} s → {_shown(live)}/", file=sys.stderr, flush=True)
    if failed:
        print(f"{len(failed)} of {total} sites failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    if total > 1:
        print(f"all {total} sites built", file=sys.stderr)
    return 0


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
    from .schema import write_schemas

    out = args.out if args.out.is_absolute() else args.root / args.out
    for path in write_schemas(out):
        print(path, file=sys.stderr)
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
    build.set_defaults(func=cmd_build)

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

    schema = sub.add_parser("schema", help="write JSON Schemas of the content files")
    schema.add_argument("--out", type=Path, default=Path("schemas"))
    schema.set_defaults(func=cmd_schema)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.root = (args.root or find_root(Path.cwd())).resolve()
    _setup_logging(args.verbose)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
