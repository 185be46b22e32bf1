"""Write the accessibility statement from the audit: status, non-accessible content, method.

The statement follows the EU model (Implementing Decision 2018/1523) as used in Finland. It
is computed from the gate's result for every other page of the site, so it always says what
the latest audit found; it is then rendered and audited itself.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from ..checks.findings import Finding
from ..checks.result import GateResult
from ..content.loading import Content
from ..content.model import Text
from ..content.pages import page_sources
from ..content.urls import STATEMENT_JSON_NAME, accessibility_url
from .data import StatementData

STANDARD = "WCAG 2.1 AA"
REPLY_DAYS = 14
"""The law gives the public body 14 days to answer accessibility feedback."""
ALL_ENGINES = ("kuntasivu", "nu", "axe", "htmlcs")
ENGINE_NAMES = {"nu": "Nu Html Checker", "axe": "axe-core", "htmlcs": "HTML_CodeSniffer"}


def compliance_status(result: GateResult) -> str:
    """'fully' only when every engine ran and nothing is excepted; 'not' when known issues touch
    more than half of the pages; otherwise 'partially'."""
    known_pages = {f.url for f in result.known}
    if not known_pages and all(engine in result.engines for engine in ALL_ENGINES):
        return "fully"
    if known_pages and len(known_pages) * 2 > len(result.pages):
        return "not"
    return "partially"


def _text(value: Any, lang: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, dict):
        return str(value.get(lang) or next(iter(value.values()), ""))
    return str(value)


def _date(day: dt.date, texts: dict[str, str]) -> str:
    months = texts["format.months"].split(",")
    return texts["format.date"].format(day=day.day, month=day.month, year=day.year, month_name=months[day.month - 1])


def _issues(result: GateResult) -> list[tuple[dict[str, Any], list[Finding]]]:
    """Known issues that occurred, each with its findings, in the order site.yml lists them."""
    grouped: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    described: dict[tuple[str, str], dict[str, Any]] = {}
    for finding in result.known:
        assert finding.known_issue is not None
        key = (finding.known_issue["page"], finding.known_issue["rule"])
        grouped[key].append(finding)
        described[key] = finding.known_issue
    return [(described[key], grouped[key]) for key in grouped]


def statement_for(
    content: Content, result: GateResult, data: StatementData, lang: str, today: dt.date
) -> dict[str, Any]:
    """Everything the statement page and its JSON twin say, in one language."""
    site = content.site.item
    texts = content.texts[lang]
    titles = {s.url: s.title for s in page_sources(content, today) if s.kind != "redirect"}
    status = compliance_status(result)
    accessibility = site.accessibility
    audited = dt.date.fromisoformat(result.started[:10])
    prepared = accessibility.statement_prepared or audited
    issues = []
    for known, findings in _issues(result):
        criterion_id = next((f.criterion for f in findings if f.criterion), None)
        criterion = data.criteria.get(criterion_id or "")
        pages = sorted({f.url for f in findings})
        issues.append(
            {
                "rule": known["rule"],
                "criterion": criterion_id,
                "criterion_name": criterion.name.get(lang) if criterion else None,
                "level": criterion.level if criterion else None,
                "description": _text(known.get("description"), lang)
                or (criterion.plain.get(lang) if criterion else findings[0].message),
                "reason_type": known.get("reason_type", "non-compliance"),
                "reason_type_text": data.reason_types[known.get("reason_type", "non-compliance")].get(lang),
                "reason": _text(known.get("reason"), lang),
                "alternative": _text(known.get("alternative"), lang),
                "pages": [{"url": url, "title": titles.get(url, "/" + url)} for url in pages],
            }
        )
    engines = [
        {
            "id": engine,
            "name": texts["statement.engine_own"] if engine == "kuntasivu" else ENGINE_NAMES.get(engine, engine),
            "version": version,
        }
        for engine, version in result.engines.items()
    ]
    audit = accessibility.third_party_audit
    authority = data.authority
    return {
        "lang": lang,
        "status": status,
        "status_text": data.status[status].get(lang),  # type: ignore[index]
        "standard": STANDARD,
        "issues": issues,
        "prepared": prepared.isoformat(),
        "prepared_text": _date(prepared, texts),
        "reviewed": audited.isoformat(),
        "reviewed_text": _date(audited, texts),
        "engines": engines,
        "all_engines": all(engine in result.engines for engine in ALL_ENGINES),
        "third_party": (
            {
                "by": audit.by.get(lang),
                "date": audit.date.isoformat(),
                "date_text": _date(audit.date, texts),
                "summary": _text(audit.summary, lang),
            }
            if audit
            else None
        ),
        "feedback": {
            "email": accessibility.email,
            "phone": accessibility.phone,
            "handler": _text(accessibility.handler, lang),
            "reply_within_days": REPLY_DAYS,
        },
        "authority": {
            "name": authority.name.get(lang),
            "url": authority.url.get(lang),
            "email": authority.email,
            "phone": authority.phone,
        },
        "json_url": f"{accessibility_url(content, lang)}{JSON_NAME}",
    }


JSON_NAME = STATEMENT_JSON_NAME
"""The machine-readable twin, written beside each language's statement page."""
JSON_SCHEMA = "kuntasivu-accessibility-statement/1"


def statement_json(content: Content, statement: dict[str, Any]) -> dict[str, Any]:
    """The machine-readable statement (schema: accessibility-statement.schema.json)."""
    site = content.site.item
    lang = statement["lang"]
    return {
        "schema": JSON_SCHEMA,
        "language": lang,
        "site": {
            "name": site.name.get(lang),
            "organisation": (site.contact.organisation or site.name).get(lang),
            "url": site.site_url,
        },
        "statement_url": site.site_url + accessibility_url(content, lang),
        "standard": statement["standard"],
        "status": statement["status"],
        "status_text": statement["status_text"],
        "prepared": statement["prepared"],
        "reviewed": statement["reviewed"],
        "method": {
            "automated": [
                {"engine": e["id"], "name": e["name"], "version": e["version"]} for e in statement["engines"]
            ],
            "third_party": (
                {key: statement["third_party"][key] for key in ("by", "date", "summary")}
                if statement["third_party"]
                else None
            ),
        },
        "non_accessible": [
            {
                "criterion": issue["criterion"],
                "criterion_name": issue["criterion_name"],
                "level": issue["level"],
                "description": issue["description"],
                "reason_type": issue["reason_type"],
                "reason": issue["reason"],
                "alternative": issue["alternative"],
                "pages": [site.site_url + page["url"] for page in issue["pages"]],
            }
            for issue in statement["issues"]
        ],
        "feedback": statement["feedback"],
        "authority": statement["authority"],
    }


def statements(content: Content, result: GateResult, data: StatementData, today: dt.date) -> dict[str, dict[str, Any]]:
    """The statement in every language of the site."""
    return {lang: statement_for(content, result, data, lang, today) for lang in content.languages}
