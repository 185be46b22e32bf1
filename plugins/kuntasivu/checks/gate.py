"""Run the three layers over a built site, in order: own static checks, Nu, pa11y-ci.

Results come from the cache for pages whose HTML, style sheets and scripts did not change;
the site's policy is applied last.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..editor import is_admin
from . import nu, pa11y, static
from .cache import PageHasher, ResultCache
from .findings import Finding
from .layers import LAYERS
from .policy import Policy, apply_policy
from .result import GateResult
from .tools import Tools


@dataclass(frozen=True)
class SiteFacts:
    """What the gate needs to know about a site besides its HTML."""

    slug: str
    site_url: str
    context: static.StaticContext
    sources: dict[str, str] = field(default_factory=dict)
    """Page URL → the content file it comes from, project-relative."""
    policy: Policy = field(default_factory=Policy)


@dataclass(frozen=True)
class GateSettings:
    layers: tuple[str, ...] = LAYERS
    concurrency: int | None = None
    """pa11y-ci's concurrency; default: pa11y.PAGES_PER_CORE per core."""
    cache_file: Path | None = None
    """Where results are kept between builds; None checks everything every time."""
    timeout_ms: int = 60000
    """How long pa11y-ci may spend on one page."""
    today: dt.date = field(default_factory=dt.date.today)
    exclude: frozenset[str] = frozenset()
    """Page URLs not to check in this run (the statement, before it is written)."""


def discover_pages(site_dir: Path) -> dict[str, Path]:
    """Every HTML file of a built site by URL: 'a/b/' for a/b/index.html, else the file path."""
    pages: dict[str, Path] = {}
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir).as_posix()
        if is_admin(relative):
            continue  # the browser editor (Decap CMS) is a third-party tool for staff, not a site page
        url = relative.removesuffix("index.html") if path.name == "index.html" else relative
        pages[url] = path
    return pages


def _pages(count: int) -> str:
    return f"{count} page" if count == 1 else f"{count} pages"


def _fingerprint(context: static.StaticContext) -> str:
    """A stable text of the static checks' settings (sets sorted: their order varies per run)."""
    return json.dumps(dataclasses.asdict(context), default=sorted, sort_keys=True)


_IFRAME_SRC = re.compile(r"<iframe[^>]*\ssrc=[\"']([^\"']*)", re.IGNORECASE)


def _without_own_frames(path: Path, findings: list[Finding]) -> list[Finding]:
    """Drop axe's "frames should be tested" when every frame is a page of this site: the
    gate checks each of those as a page of its own."""
    sources = _IFRAME_SRC.findall(path.read_text("utf-8", errors="replace"))
    if any(re.match(r"^([a-z]+:|//)", src) for src in sources):
        return findings
    return [f for f in findings if f.rule_id != "axe/frame-tested"]


def _is_redirect(path: Path) -> bool:
    head = path.read_text("utf-8", errors="replace")[:4000].lower()
    return 'http-equiv="refresh"' in head


def run_gate(
    site_dir: Path,
    facts: SiteFacts,
    settings: GateSettings,
    tools: Tools,
    progress: Callable[[str], None] = lambda line: None,
) -> GateResult:
    """Check every page of ``site_dir``. Raises ToolMissing, NuFailed or Pa11yFailed when a
    checker cannot run: the site is then not validated and must not be published."""
    started = time.monotonic()
    started_at = dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
    pages = {url: path for url, path in discover_pages(site_dir).items() if url not in settings.exclude}
    hasher = PageHasher(site_dir)
    fingerprints = {url: hasher.fingerprint(path) for url, path in pages.items()}
    cache = ResultCache(settings.cache_file)
    findings: list[Finding] = []
    fresh: set[str] = set()
    engines: dict[str, str] = {}
    skipped = [f"{layer} (not selected)" for layer in LAYERS if layer not in settings.layers]

    def cached(engine: str, version: str, config: str, urls: list[str]) -> tuple[dict[str, str], list[str]]:
        keys = {url: ResultCache.key(engine, version, config, fingerprints[url]) for url in urls}
        missing = []
        for url, key in keys.items():
            hit = cache.get(key)
            if hit is None:
                missing.append(url)
            else:
                findings.extend(hit)
        return keys, missing

    def store(keys: dict[str, str], results: dict[str, list[Finding]]) -> None:
        for url, page_findings in results.items():
            cache.put(keys[url], page_findings)
            findings.extend(page_findings)
            fresh.add(url)

    if "static" in settings.layers:
        engines["kuntasivu"] = __version__
        keys, missing = cached("kuntasivu", __version__, _fingerprint(facts.context), list(pages))
        store(keys, {url: static.check_page(url, pages[url].read_text("utf-8"), facts.context) for url in missing})
        findings.extend(static.check_site({url: path.read_text("utf-8") for url, path in pages.items()}))
        progress(f"own checks: {_pages(len(missing))} checked, {len(pages) - len(missing)} from cache")

    if "nu" in settings.layers:
        version = nu.version(tools)
        engines["nu"] = version
        keys, missing = cached("nu", version, "", list(pages))
        if missing:
            progress(f"Nu Html Checker: checking {_pages(len(missing))}…")
        store(keys, nu.run_nu({pages[url]: url for url in missing}, tools))

    if "pa11y" in settings.layers:
        versions = pa11y.versions(tools)
        engines.update({"axe": versions["axe"], "htmlcs": versions["htmlcs"]})
        redirects = [url for url, path in pages.items() if _is_redirect(path)]
        if redirects:
            skipped.append(
                f"pa11y on {_pages(len(redirects)).replace('page', 'redirect page')} (they leave at once; "
                "own checks and Nu cover them)"
            )
        browser_pages = [url for url in pages if url not in redirects]
        config = f"{pa11y.STANDARD}|{','.join(pa11y.RUNNERS)}|{versions['pa11y']}"
        roots = pa11y.root_elements({url: pages[url] for url in browser_pages})
        keys, missing = {}, []
        for root in sorted(set(roots.values()), key=str):  # what was checked of a page is part of its key
            group = [url for url in browser_pages if roots[url] == root]
            group_keys, group_missing = cached(
                "pa11y", f"{versions['axe']}|{versions['htmlcs']}", f"{config}|{root}", group
            )
            keys.update(group_keys)
            missing += group_missing
        if missing:
            progress(f"pa11y-ci (axe, HTML_CodeSniffer): checking {_pages(len(missing))}…")
        results = pa11y.run_pa11y(
            site_dir, missing, tools, concurrency=settings.concurrency, timeout_ms=settings.timeout_ms, roots=roots
        )
        store(keys, {url: _without_own_frames(pages[url], found) for url, found in results.items()})

    cache.save(prune=not settings.exclude)  # excluded pages come back later in the same build
    with_sources = [f if f.source else f.with_(source=facts.sources.get(f.url)) for f in findings]
    final = apply_policy(with_sources, facts.policy, settings.today)
    return GateResult(
        slug=facts.slug,
        site_url=facts.site_url,
        started=started_at,
        pages=list(pages),
        findings=sorted(final, key=lambda f: (f.url, f.severity != "error", f.rule_id, f.selector or "")),
        engines=engines,
        checked=len(fresh),
        cached=len(pages) - len(fresh),
        skipped=skipped,
        seconds=time.monotonic() - started,
    )
