"""Reports of one gate run: a11y.json for tools, junit.xml for CI, report.html for people.

Messages, selectors and snippets come from the checkers and from the pages themselves, so every
text is escaped, and characters that XML and HTML cannot hold (control characters) are dropped.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .findings import Finding, shorten
from .result import GateResult

SCHEMA = "kuntasivu-a11y/1"
"""The value of "schema" in a11y.json; bumped when a field changes meaning or goes away."""
SCHEMA_PATH = Path(__file__).with_name("a11y-report.schema.json")
"""JSON Schema (draft-07) of a11y.json."""
SUMMARY_LIMIT = 20
"""Findings listed by summary_lines before '… and N more'."""

# C0/C1 controls (except tab, newline, carriage return), lone surrogates and non-characters:
# not allowed in XML 1.0, and Nu reports them as forbidden code points in HTML.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def write_reports(result: GateResult, reports_dir: Path) -> dict[str, Path]:
    """Write a11y.json, junit.xml and report.html into ``reports_dir`` (created if missing)."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": reports_dir / "a11y.json",
        "junit": reports_dir / "junit.xml",
        "html": reports_dir / "report.html",
    }
    text = json.dumps(_json_data(result), ensure_ascii=False, indent=2, default=_jsonable)
    paths["json"].write_text(_clean(text) + "\n", encoding="utf-8")
    tree = ET.ElementTree(_junit(result))
    ET.indent(tree)
    tree.write(paths["junit"], encoding="utf-8", xml_declaration=True)
    paths["html"].write_text(_html(result), encoding="utf-8")
    return paths


def summary_lines(result: GateResult, *, report: Path | str | None = None) -> list[str]:
    """A short terminal summary: counts, then the first SUMMARY_LIMIT errors and warnings.

    ``report`` is where the HTML report was written, for the '… and N more' line;
    by default reports/<slug>/report.html.
    """
    engines = f" ({', '.join(result.engines)})" if result.engines else ""
    lines = [
        f"{_count(len(result.pages), 'page')}: {result.cached} from cache, {result.checked} checked{engines}",
        ", ".join(
            [
                _count(len(result.errors), "error"),
                _count(len(result.warnings), "warning"),
                _count(len(result.known), "known issue"),
            ]
        ),
    ]
    if result.skipped:
        lines.append(f"not run: {', '.join(result.skipped)}")
    listed = sorted(result.errors, key=_order) + sorted(result.warnings, key=_order)
    for finding in listed[:SUMMARY_LIMIT]:
        criterion = f" ({finding.criterion})" if finding.criterion else ""
        source = f" [source: {finding.source}]" if finding.source else ""
        lines.append(
            f"{finding.severity.upper()} {finding.url or '/'} {finding.rule_id}{criterion}: "
            f"{shorten(finding.message)}{source}"
        )
    if len(listed) > SUMMARY_LIMIT:
        where = report if report is not None else f"reports/{result.slug}/report.html"
        lines.append(f"… and {len(listed) - SUMMARY_LIMIT} more (see {where})")
    return lines


# --- a11y.json -----------------------------------------------------------------------------------


def _json_data(result: GateResult) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "slug": result.slug,
        "site_url": result.site_url,
        "started": result.started,
        "seconds": round(result.seconds, 3),
        "engines": dict(result.engines),
        "skipped": list(result.skipped),
        "pages": list(result.pages),
        "summary": {
            "pages": len(result.pages),
            "checked": result.checked,
            "cached": result.cached,
            "errors": len(result.errors),
            "warnings": len(result.warnings),
            "known_issues": len(result.known),
            "passed": result.passed,
        },
        "findings": [f.to_json() for f in sorted(result.findings, key=_order)],
    }


# --- junit.xml -----------------------------------------------------------------------------------


def _junit(result: GateResult) -> ET.Element:
    """One test suite for the site, one test case per page; each error is a <failure>.

    "failures" counts failed test cases (pages), as JUnit readers expect, not error findings.
    """
    by_url = _group(result.findings, lambda f: f.url)
    urls = list(dict.fromkeys(result.pages)) + sorted(set(by_url) - set(result.pages))
    failed = sum(1 for url in urls if any(_is_error(f) for f in by_url.get(url, [])))
    seconds = f"{result.seconds:.3f}"
    counts = {"tests": str(len(urls)), "failures": str(failed), "errors": "0", "skipped": "0", "time": seconds}
    root = ET.Element("testsuites", {"name": "kuntasivu accessibility", **counts})
    suite_name = _clean(f"a11y.{result.slug}")
    suite = ET.SubElement(root, "testsuite", {"name": suite_name, "timestamp": _clean(result.started), **counts})
    for url in urls:
        case = ET.SubElement(suite, "testcase", classname=_clean(result.slug), name=_clean(url or "/"))
        findings = sorted(by_url.get(url, []), key=_order)
        for finding in filter(_is_error, findings):
            failure = ET.SubElement(case, "failure", type=_clean(finding.rule_id), message=_clean(_headline(finding)))
            failure.text = _clean("\n".join(_details(finding)))
        warnings = [f for f in findings if f.severity == "warning" and f.known_issue is None]
        notes = [f"WARNING {_headline(f, rule=True)}" for f in warnings]
        notes += [
            f"KNOWN ISSUE {_headline(f, rule=True)} ({_known_text(f)})" for f in findings if f.known_issue is not None
        ]
        if notes:
            ET.SubElement(case, "system-out").text = _clean("\n".join(notes))
    return root


def _headline(finding: Finding, *, rule: bool = False) -> str:
    parts = [finding.rule_id] if rule else []
    if finding.criterion:
        parts.append(finding.criterion)
    parts.append(" ".join(finding.message.split()))
    return " ".join(parts)


def _details(finding: Finding) -> list[str]:
    lines = [finding.message]
    if finding.selector:
        lines.append(f"selector: {finding.selector}")
    if finding.line is not None:
        lines.append(f"line: {finding.line}")
    if finding.snippet:
        lines.append(f"snippet: {finding.snippet}")
    if finding.source:
        lines.append(f"source: {finding.source}")
    return lines


def _known_text(finding: Finding) -> str:
    issue = finding.known_issue or {}
    expires = f"expires {_plain(issue['expires'])}" if issue.get("expires") else "no expiry date"
    return f"{_plain(issue.get('reason')) or 'no reason given'}; {expires}"


# --- report.html ---------------------------------------------------------------------------------

# Contrast on white: text #0b0c0c 19.6:1, links #1d4ed8 6.7:1 (visited #4c2c92 10.1:1), failed
# #a4000f 8.1:1, passed #00703c 6.2:1, muted #505a5f 7.1:1; all stay above 4.5:1 on the #f3f2f1
# behind snippets. Focus is a black outline in a yellow ring (GOV.UK style): visible on any background.
# <pre> wraps instead of scrolling, so no scrollable region needs to be focusable.
_CSS = """
:root { color-scheme: light; }
body { margin: 0; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #0b0c0c; background: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
footer { max-width: 60rem; margin: 0 auto; padding: 1rem 1.25rem; color: #505a5f;
  border-top: 1px solid #b1b4b6; }
a { color: #1d4ed8; text-decoration: underline; text-underline-offset: 0.15em; }
a:visited { color: #4c2c92; }
a:focus-visible, a:focus { outline: 3px solid #0b0c0c; outline-offset: 0; color: #0b0c0c;
  background: #fd0; box-shadow: 0 0 0 6px #fd0; text-decoration: none; }
.skip { position: absolute; left: -10000px; top: 0; }
.skip:focus { position: static; display: inline-block; margin: 0.5rem; padding: 0.25rem 0.5rem; }
h1, h2, h3, h4 { line-height: 1.25; }
h2 { margin-top: 2.5rem; border-bottom: 2px solid #0b0c0c; }
h3 { margin-top: 2rem; overflow-wrap: anywhere; }
.verdict { font-size: 1.25rem; padding: 0.75rem 1rem; border-left: 0.5rem solid; }
.verdict.passed { color: #00703c; background: #fff; }
.verdict.failed { color: #a4000f; background: #fff; }
table { border-collapse: collapse; margin: 1rem 0; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.25rem; }
th, td { text-align: left; padding: 0.25rem 1.5rem 0.25rem 0; border-bottom: 1px solid #b1b4b6; }
td { text-align: right; font-variant-numeric: tabular-nums; }
ol.findings { padding-left: 1.5rem; }
ol.findings > li { margin-bottom: 1.25rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0.5rem 0 0; }
dt { font-weight: bold; }
dd { margin: 0; min-width: 0; }
code { font-family: ui-monospace, "Cascadia Mono", Consolas, monospace; font-size: 0.9375em;
  overflow-wrap: anywhere; }
pre { margin: 0; padding: 0.5rem; background: #f3f2f1; color: #0b0c0c; white-space: pre-wrap;
  overflow-wrap: anywhere; }
.muted { color: #505a5f; }
"""


def _html(result: GateResult) -> str:
    title = f"Accessibility report – {result.slug}"
    errors, warnings, known = result.errors, result.warnings, result.known
    out = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#main">Skip to the report</a>',
        '<main id="main">',
        f"<h1>{_esc(title)}</h1>",
    ]
    if result.passed:
        out.append('<p class="verdict passed"><strong>PASSED</strong>: no accessibility errors.</p>')
    else:
        pages = len({f.url for f in errors})
        out.append(
            f'<p class="verdict failed"><strong>FAILED</strong>: {_count(len(errors), "accessibility error")}'
            f" on {_count(pages, 'page')}. The site is not published until they are fixed.</p>"
        )
    if not result.findings:
        out.append(f"<p>No findings: the checkers found no problems on {_count(len(result.pages), 'page')}.</p>")
    out += _run_info(result)
    out += [
        '<nav aria-label="Contents">',
        "<ul>",
        f'<li><a href="#errors">Errors ({len(errors)})</a></li>',
        f'<li><a href="#warnings">Warnings ({len(warnings)})</a></li>',
        f'<li><a href="#known-issues">Known issues ({len(known)})</a></li>',
        "</ul>",
        "</nav>",
    ]
    out += _section(result, "errors", "Errors", errors, "No errors.")
    out += _section(result, "warnings", "Warnings", warnings, "No warnings.")
    out += _section(result, "known-issues", "Known issues", known, "No known issues.")
    out += [
        "</main>",
        f"<footer><p>Written by Kuntasivu. Data: a11y.json (schema {_esc(SCHEMA)}), junit.xml.</p></footer>",
        "</body>",
        "</html>",
    ]
    return _clean("\n".join(out)) + "\n"


def _run_info(result: GateResult) -> list[str]:
    verdict = "PASSED" if result.passed else "FAILED"
    rows = [
        ("Result", verdict),
        ("Pages", len(result.pages)),
        ("Checked", result.checked),
        ("Cached", result.cached),
        ("Errors", len(result.errors)),
        ("Warnings", len(result.warnings)),
        ("Known issues", len(result.known)),
    ]
    href = _href(result.site_url, "")
    site = f'<a href="{_esc(href)}">{_esc(result.site_url)}</a>' if href else _esc(result.site_url or "(no address)")
    out = [
        '<h2 id="summary">Summary</h2>',
        f"<p>Site: {site}. Started {_esc(result.started)}, took {result.seconds:.1f} seconds.</p>",
        "<table>",
        "<caption>Counts</caption>",
        "<tbody>",
        *(f'<tr><th scope="row">{name}</th><td>{_esc(str(value))}</td></tr>' for name, value in rows),
        "</tbody>",
        "</table>",
        '<h2 id="engines">Checkers</h2>',
    ]
    if result.engines:
        items = (f"<li>{_esc(name)} {_esc(version)}</li>" for name, version in result.engines.items())
        out += ["<ul>", *items, "</ul>"]
    else:
        out.append("<p>No checkers ran.</p>")
    if result.skipped:
        out += ["<p>Not run:</p>", "<ul>", *(f"<li>{_esc(s)}</li>" for s in result.skipped), "</ul>"]
    return out


def _section(result: GateResult, anchor: str, name: str, findings: list[Finding], empty: str) -> list[str]:
    """An h2 section; within it an h3 per page and, within a page, an h4 per rule."""
    out = [f'<h2 id="{anchor}">{name} ({len(findings)})</h2>']
    if not findings:
        return [*out, f"<p>{empty}</p>"]
    by_url = _group(sorted(findings, key=_order), lambda f: f.url)
    out.append(f"<p>{_count(len(findings), 'finding')} on {_count(len(by_url), 'page')}, by page and rule.</p>")
    for url, on_page in by_url.items():
        label = f"<code>{_esc(url or '/')}</code>"
        href = _href(result.site_url, url)
        page = f'<a href="{_esc(href)}">{label}</a>' if href else label
        out.append(f"<h3>{page} ({_count(len(on_page), 'finding')})</h3>")
        for rule_id, by_rule in _group(on_page, lambda f: f.rule_id).items():
            criterion = f", WCAG {_esc(by_rule[0].criterion)}" if by_rule[0].criterion else ""
            out.append(f"<h4><code>{_esc(rule_id)}</code>{criterion}: {len(by_rule)}</h4>")
            out += ['<ol class="findings">', *(_finding_item(f) for f in by_rule), "</ol>"]
    return out


def _finding_item(finding: Finding) -> str:
    rows: list[tuple[str, str]] = []
    if finding.selector:
        rows.append(("Element", f"<code>{_esc(finding.selector)}</code>"))
    if finding.line is not None:
        rows.append(("Line", str(finding.line)))
    if finding.snippet:
        rows.append(("HTML", f"<pre><code>{_esc(finding.snippet)}</code></pre>"))
    if finding.source:
        rows.append(("Source", f"<code>{_esc(finding.source)}</code>"))
    if finding.known_issue is not None:
        issue = finding.known_issue
        rows.append(("Accepted because", _esc(_plain(issue.get("reason")) or "no reason given")))
        expires = issue.get("expires")
        rows.append(("Expires", _esc(_plain(expires)) if expires else "no expiry date"))
        if finding.severity == "warning":
            rows.append(("Severity", "warning"))
    details = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)
    return f"<li><p>{_esc(finding.message)}</p>" + (f"<dl>{details}</dl>" if details else "") + "</li>"


# --- helpers -------------------------------------------------------------------------------------


def _order(finding: Finding) -> tuple[str, int, str, int, str, str]:
    """By page, errors before warnings, rule; then line and selector so the order is stable."""
    severity = 0 if finding.severity == "error" else 1
    return (finding.url, severity, finding.rule_id, finding.line or 0, finding.selector or "", finding.message)


def _is_error(finding: Finding) -> bool:
    return finding.severity == "error" and finding.known_issue is None


def _group(findings: Iterable[Finding], key: Callable[[Finding], str]) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(key(finding), []).append(finding)
    return groups


def _href(site_url: str, url: str) -> str | None:
    """The page's public address; None unless the site address is http(s), so no javascript: links."""
    if not site_url.lower().startswith(("https://", "http://")):
        return None
    return site_url.rstrip("/") + "/" + quote(url, safe="/#?&=~+")


def _jsonable(value: Any) -> Any:
    """json.dumps fallback for what a known issue from site.yml may hold: dates and texts."""
    if isinstance(value, dt.date):
        return value.isoformat()
    by_lang = getattr(value, "by_lang", None)  # content.model.Text: one text or one per language
    if isinstance(by_lang, dict):
        plain = getattr(value, "plain", None)
        return plain if plain is not None else dict(by_lang)
    return str(value)


def _plain(value: Any) -> str:
    """A known issue's value as one line of text: dates as YYYY-MM-DD, texts per language as 'fi: …; sv: …'."""
    if value is None:
        return ""
    value = _jsonable(value) if not isinstance(value, str | dict) else value
    if isinstance(value, dict):
        return "; ".join(f"{lang}: {text}" for lang, text in value.items())
    return str(value)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _clean(text: str) -> str:
    return _UNPRINTABLE.sub("", text)


def _esc(text: str) -> str:
    return html.escape(_clean(text), quote=True)
