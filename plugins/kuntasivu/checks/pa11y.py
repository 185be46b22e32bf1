"""pa11y-ci with axe and HTML_CodeSniffer in Debian's Chromium, over a server on 127.0.0.1.

pa11y-ci is run as a subprocess on a config file it reads; the pages are served by a
throw-away HTTP server bound to 127.0.0.1 on a free port (file:// URLs hide problems that
only a server shows). A page pa11y-ci could not check is an error of the gate, never a pass.

The header, navigation and footer come from one template (themes/kunta/base.html, which
names it in `<body data-kind>`): pa11y-ci checks them in full on one page per template and
language and only `<main>` on the others (see root_elements). The own static checks and Nu
still read every whole page; benchmarks/validate.py explains why this finds the same faults.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .findings import Finding, Severity, shorten
from .tools import CHROMIUM_FLAGS, Tools

CLI = "pa11y-ci/bin/pa11y-ci.js"
STANDARD = "WCAG2AA"
RUNNERS = ("axe", "htmlcs")
PAGES_PER_CORE = 4
"""Default pages in Chromium at once, per core. Each page spends about a second waiting for
the network to go quiet (pa11y waits for networkidle2), so with two per core the cores idle;
four per core keeps them busy (measured with benchmarks/validate.py)."""
ROOT_ELEMENT = "main"
"""What pa11y-ci checks of a page whose template's header, navigation and footer it checks on
another page (pa11y's rootElement: axe runs on it; HTML_CodeSniffer's findings outside it are dropped)."""

_KIND = re.compile(r"<body\b[^>]*?\sdata-kind=[\"']([^\"']+)[\"']", re.IGNORECASE)
_LANG = re.compile(r"<html\b[^>]*?\slang=[\"']([^\"']*)[\"']", re.IGNORECASE)
_MAIN = re.compile(r"<main\b", re.IGNORECASE)


class Pa11yFailed(Exception):
    """Raised when pa11y-ci itself fails to run (not when it finds problems)."""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(site_dir: Path) -> Iterator[str]:
    """Serve ``site_dir`` on 127.0.0.1 at a free port; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def versions(tools: Tools) -> dict[str, str]:
    return {
        "axe": tools.package_version("axe-core"),
        "htmlcs": tools.package_version("@pa11y/html_codesniffer"),
        "pa11y": tools.package_version("pa11y"),
    }


def _axe_criteria(tools: Tools, node: str) -> dict[str, str]:
    """axe rule → WCAG criterion, read from the installed axe-core's own rule tags."""
    script = (
        "const axe=require(process.argv[1]);"
        "console.log(JSON.stringify(Object.fromEntries(axe.getRules().map(r=>[r.ruleId,r.tags]))))"
    )
    result = subprocess.run(
        [node, "-e", script, str(tools.node_modules / "axe-core")], capture_output=True, text=True, timeout=60
    )
    if result.returncode != 0:
        return {}
    criteria: dict[str, str] = {}
    for rule, tags in json.loads(result.stdout).items():
        for tag in tags:
            match = re.fullmatch(r"wcag(\d)(\d)(\d+)", tag)
            if match:
                criteria[rule] = ".".join(match.groups())
                break
    return criteria


def _htmlcs_criterion(code: str) -> str | None:
    match = re.search(r"Guideline\d_\d+\.(\d+)_(\d+)_(\d+)", code)
    return ".".join(match.groups()) if match else None


def root_elements(pages: dict[str, Path]) -> dict[str, str | None]:
    """For each page (URL → built file), what pa11y-ci checks: None for the whole page, else
    ROOT_ELEMENT.

    The first page in URL order of each template (`<body data-kind>`) and language is checked
    whole; the others of that template and language only in ROOT_ELEMENT. A page without the
    marker (HTML from a municipality's assets, a frame) or without exactly one <main> is
    always checked whole. Only the pages given are considered, so the choice is the same
    whether their results come from the cache or not.
    """
    roots: dict[str, str | None] = {}
    seen: set[tuple[str, str]] = set()
    for url in sorted(pages):
        html = pages[url].read_text("utf-8", errors="replace")
        kind = _KIND.search(html)
        if kind is None or len(_MAIN.findall(html)) != 1:
            roots[url] = None
            continue
        lang = _LANG.search(html)
        template = (kind.group(1), lang.group(1).lower() if lang else "")
        roots[url] = ROOT_ELEMENT if template in seen else None
        seen.add(template)
    return roots


def config(
    urls: list[str | dict[str, str]], chromium: str, concurrency: int, timeout_ms: int, renderers: int | None = None
) -> dict[str, Any]:
    """pa11y-ci's settings; a URL given as {"url": …, "rootElement": …} is checked only there.

    ``renderers`` caps Chromium's page processes (default: one per core): pages then share
    them instead of starting a process each, and the axe and HTML_CodeSniffer scripts pa11y
    injects into every page are compiled once per process rather than once per page.
    """
    renderers = renderers or os.cpu_count() or 1
    return {
        "defaults": {
            "runners": list(RUNNERS),
            "standard": STANDARD,
            # With an incognito context per page, concurrency > 1 fails with "No target with given id".
            "useIncognitoBrowserContext": False,
            "concurrency": concurrency,
            "timeout": timeout_ms,
            # axe's "needs review" results come as warnings; HTML_CodeSniffer's warnings and
            # notices are prompts for manual review on nearly every element and are dropped.
            "includeWarnings": True,
            "includeNotices": True,
            "levelCapWhenNeedsReview": "warning",
            "chromeLaunchConfig": {
                "executablePath": chromium,
                "args": [*CHROMIUM_FLAGS, f"--renderer-process-limit={renderers}"],
            },
        },
        "urls": urls,
    }


def run_pa11y(
    site_dir: Path,
    urls: list[str],
    tools: Tools,
    *,
    concurrency: int | None = None,
    timeout_ms: int = 60000,
    roots: dict[str, str | None] | None = None,
) -> dict[str, list[Finding]]:
    """Check the pages at ``urls`` (site-relative); returns findings per URL (every URL present).

    ``roots`` gives, per URL, the element to check instead of the whole page (see root_elements).
    """
    results: dict[str, list[Finding]] = {url: [] for url in urls}
    if not urls:
        return results
    chromium = tools.require_chromium()
    node = tools.require_node()
    cli = tools.require_package("pa11y-ci", CLI)
    criteria = _axe_criteria(tools, node)
    workers = max(1, concurrency or PAGES_PER_CORE * (os.cpu_count() or 1))
    with serve(site_dir) as base, tempfile.TemporaryDirectory(prefix="kuntasivu-pa11y-") as tmp:
        address = {base + url: url for url in urls}
        config_file = Path(tmp) / "pa11y-ci.json"
        # The JSON reporter writes to a file: Node cuts long output on a pipe when it exits.
        results_file = Path(tmp) / "results.json"
        entries: list[str | dict[str, str]] = []
        for served, page in address.items():
            root = (roots or {}).get(page)
            entries.append({"url": served, "rootElement": root} if root else served)
        settings = config(entries, chromium, workers, timeout_ms)
        settings["defaults"]["reporters"] = [["json", {"fileName": str(results_file)}]]
        config_file.write_text(json.dumps(settings), encoding="utf-8")
        env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1", "HOME": tmp}
        process = subprocess.run(
            [node, str(cli), "--config", str(config_file)],
            capture_output=True,
            text=True,
            env=env,
            cwd=tools.root,
            timeout=max(600, len(urls) * timeout_ms // 1000 // workers + 120),
        )
        try:
            report = json.loads(results_file.read_text("utf-8"))
        except (OSError, ValueError):
            raise Pa11yFailed(
                f"pa11y-ci did not finish (exit {process.returncode}): {(process.stderr or process.stdout)[-800:]}"
            ) from None
    for address_url, issues in report.get("results", {}).items():
        url = address.get(address_url)
        if url is None:
            continue
        for issue in issues:
            finding = _finding(url, issue, criteria)
            if finding is not None:
                results[url].append(finding)
    return results


def _finding(url: str, issue: dict[str, Any], criteria: dict[str, str]) -> Finding | None:
    if "code" not in issue:  # the page crashed or timed out: pa11y-ci gives only a message
        return Finding(
            url=url,
            engine="gate",
            rule="page-not-checked",
            severity="error",
            message=f"pa11y-ci could not check this page: {issue.get('message', 'no reason given')}",
        )
    runner = issue.get("runner", "")
    extras = issue.get("runnerExtras") or {}
    severity: Severity
    if runner == "htmlcs":
        if issue.get("type") != "error":
            return None
        severity = "error"
        criterion = _htmlcs_criterion(issue["code"])
    else:
        severity = "warning" if extras.get("needsFurtherReview") else "error"
        criterion = criteria.get(issue["code"])
    return Finding(
        url=url,
        engine="axe" if runner == "axe" else "htmlcs",
        rule=issue["code"],
        severity=severity,
        message=issue.get("message", ""),
        criterion=criterion,
        selector=issue.get("selector") or None,
        snippet=shorten(issue["context"]) if issue.get("context") else None,
    )
