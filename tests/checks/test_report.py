"""The gate's reports: a11y.json against its documented schema, junit.xml for CI, and report.html for people."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from kuntasivu.checks.findings import ENGINES, Finding
from kuntasivu.checks.report import SCHEMA_PATH, summary_lines, write_reports
from kuntasivu.checks.result import GateResult

try:
    import jsonschema
except ImportError:  # not in the project's venv; the structural check below stands in
    jsonschema = None

XSS = '<img src="x" onerror="alert(1)">'
KIRJASTO = "vapaa-aika/kirjasto/"


def finding(url: str, engine: str, rule: str, **extra: Any) -> Finding:
    extra.setdefault("severity", "error")
    extra.setdefault("message", f"{rule} is broken")
    return Finding(url=url, engine=engine, rule=rule, **extra)


def sample() -> GateResult:
    """Three pages with errors, a warning and a known issue, plus one clean page."""
    findings = [
        finding(
            KIRJASTO,
            "kuntasivu",
            "heading-order",
            criterion="1.3.1",
            message="Heading levels skip from h2 to h4",
            line=40,
            source="municipalities/x/pages/kirjasto.yml",
        ),
        finding(
            KIRJASTO,
            "axe",
            "image-alt",
            criterion="1.1.1",
            message='Images must have alternate text: <script>alert("x")</script> & more',
            selector="main > p:nth-child(2) > img",
            snippet=XSS,
            source="municipalities/x/pages/kirjasto.yml",
        ),
        finding(
            KIRJASTO,
            "axe",
            "image-alt",
            criterion="1.1.1",
            message="Images must have alternate text",
            selector="main > p:nth-child(5) > img",
            snippet='<img src="kansi.jpg">',
        ),
        finding(
            "", "axe", "link-name", criterion="2.4.4", message="Links must have discernible text", selector="a.logo"
        ),
        finding("", "htmlcs", "WCAG2AA.H48", severity="warning", message="Navigation could be coded as a list"),
        finding(
            "asuminen/",
            "axe",
            "color-contrast",
            criterion="1.4.3",
            message="Elements must meet minimum color contrast ratio thresholds",
            selector="#kartta .label",
            known_issue={
                "page": "/asuminen/",
                "rule": "axe/color-contrast",
                "reason": "Map by the vendor <Karttakeskus> & fixed in 2027",
                "expires": dt.date(2027, 1, 31),
            },
        ),
    ]
    return GateResult(
        slug="x",
        site_url="https://www.x.fi/",
        started="2026-03-14T09:30:00+02:00",
        pages=["", KIRJASTO, "asuminen/", "yhteystiedot/"],
        findings=findings,
        engines={"kuntasivu": "0.1.0", "nu": "26.9.27", "axe": "4.11.0", "htmlcs": "2.6.0"},
        checked=2,
        cached=2,
        skipped=[],
        seconds=12.3456,
    )


def empty() -> GateResult:
    return GateResult(
        slug="tyhja",
        site_url="https://tyhja.fi",
        started="2026-03-14T09:30:00+02:00",
        pages=["", "a/"],
        findings=[],
        engines={"kuntasivu": "0.1.0"},
        checked=2,
    )


@pytest.fixture
def written(tmp_path: Path) -> dict[str, Path]:
    return write_reports(sample(), tmp_path / "reports" / "x")


# --- a11y.json -----------------------------------------------------------------------------------


def test_writes_the_three_reports_into_a_new_folder(tmp_path: Path) -> None:
    paths = write_reports(sample(), tmp_path / "reports" / "x")
    assert paths == {
        "json": tmp_path / "reports/x/a11y.json",
        "junit": tmp_path / "reports/x/junit.xml",
        "html": tmp_path / "reports/x/report.html",
    }
    assert all(p.is_file() for p in paths.values())


def test_json_has_the_run_and_summary(written: dict[str, Path]) -> None:
    data = json.loads(written["json"].read_text(encoding="utf-8"))
    assert data["schema"] == "kuntasivu-a11y/1"
    assert (data["slug"], data["site_url"], data["started"]) == ("x", "https://www.x.fi/", "2026-03-14T09:30:00+02:00")
    assert data["seconds"] == 12.346
    assert data["engines"]["axe"] == "4.11.0"
    assert data["skipped"] == []
    assert data["pages"] == ["", KIRJASTO, "asuminen/", "yhteystiedot/"]
    assert data["summary"] == {
        "pages": 4,
        "checked": 2,
        "cached": 2,
        "errors": 4,
        "warnings": 1,
        "known_issues": 1,
        "passed": False,
    }


def test_json_findings_are_sorted_by_page_severity_and_rule(written: dict[str, Path]) -> None:
    findings = json.loads(written["json"].read_text(encoding="utf-8"))["findings"]
    assert [(f["url"], f["severity"], f["rule_id"]) for f in findings] == [
        ("", "error", "axe/link-name"),
        ("", "warning", "htmlcs/WCAG2AA.H48"),
        ("asuminen/", "error", "axe/color-contrast"),
        (KIRJASTO, "error", "axe/image-alt"),
        (KIRJASTO, "error", "axe/image-alt"),
        (KIRJASTO, "error", "kuntasivu/heading-order"),
    ]
    # Same rule: ordered by selector, so the report does not change between runs.
    assert findings[3]["snippet"] == XSS
    assert findings[2]["known_issue"]["expires"] == "2027-01-31"
    assert Finding.from_json({**findings[5], "known_issue": None}) == sample().findings[0]


def test_json_report_matches_the_documented_schema(tmp_path: Path) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    for result in (sample(), empty()):
        data = json.loads(write_reports(result, tmp_path / result.slug)["json"].read_text(encoding="utf-8"))
        validate(data, schema)
    broken = json.loads(write_reports(sample(), tmp_path / "broken")["json"].read_text(encoding="utf-8"))
    broken["findings"][0]["severity"] = "fatal"
    with pytest.raises(AssertionError if jsonschema is None else jsonschema.ValidationError):
        validate(broken, schema)


def test_schema_documents_every_property_and_knows_every_engine() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    undocumented = [path for path, node in _properties(schema, "") if not node.get("description")]
    assert undocumented == []
    finding_schema = schema["properties"]["findings"]["items"]
    assert finding_schema["properties"]["engine"]["enum"] == list(ENGINES)
    assert set(finding_schema["properties"]) == set(sample().findings[0].to_json())
    if jsonschema is not None:
        jsonschema.Draft7Validator.check_schema(schema)


# --- junit.xml -----------------------------------------------------------------------------------


def test_junit_has_one_case_per_page_and_a_failure_per_error(written: dict[str, Path]) -> None:
    root = ET.parse(written["junit"]).getroot()
    suites = root.findall("testsuite")
    assert len(suites) == 1
    suite = suites[0]
    assert suite.get("name") == "a11y.x"
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "2", "0")
    assert (root.get("tests"), root.get("failures")) == ("4", "2")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert list(cases) == ["/", KIRJASTO, "asuminen/", "yhteystiedot/"]
    assert {case.get("classname") for case in cases.values()} == {"x"}

    kirjasto = cases[KIRJASTO].findall("failure")
    assert [f.get("type") for f in kirjasto] == ["axe/image-alt", "axe/image-alt", "kuntasivu/heading-order"]
    first = kirjasto[0]
    assert first.get("message") == '1.1.1 Images must have alternate text: <script>alert("x")</script> & more'
    assert "selector: main > p:nth-child(2) > img" in (first.text or "")
    assert f"snippet: {XSS}" in (first.text or "")
    assert "source: municipalities/x/pages/kirjasto.yml" in (first.text or "")
    assert "line: 40" in (kirjasto[2].text or "")

    home = cases["/"]
    assert [f.get("type") for f in home.findall("failure")] == ["axe/link-name"]
    assert home.findtext("system-out") == "WARNING htmlcs/WCAG2AA.H48 Navigation could be coded as a list"

    # A known issue is not a failure, but CI logs still mention it.
    assert cases["asuminen/"].findall("failure") == []
    assert "KNOWN ISSUE axe/color-contrast 1.4.3" in (cases["asuminen/"].findtext("system-out") or "")
    assert "expires 2027-01-31" in (cases["asuminen/"].findtext("system-out") or "")
    assert list(cases["yhteystiedot/"]) == []


def test_junit_escapes_markup_and_drops_characters_xml_cannot_hold(tmp_path: Path) -> None:
    result = empty()
    result.findings = [
        finding("a/", "nu", "bad-char", message="Forbidden \x00code\x0b point ]]> <b>", snippet="\x1b[x]")
    ]
    raw = write_reports(result, tmp_path)["junit"].read_bytes()
    assert raw.startswith(b"<?xml")
    failure = ET.fromstring(raw).find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "Forbidden code point ]]> <b>"
    assert "snippet: [x]" in (failure.text or "")
    suite = ET.fromstring(raw).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")


def test_junit_for_a_clean_site_has_no_failures(tmp_path: Path) -> None:
    root = ET.parse(write_reports(empty(), tmp_path)["junit"]).getroot()
    assert (root.get("tests"), root.get("failures")) == ("2", "0")
    assert root.findall(".//failure") == []
    assert [c.get("name") for c in root.iter("testcase")] == ["/", "a/"]


# --- report.html ---------------------------------------------------------------------------------


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_html_is_a_self_contained_accessible_page(written: dict[str, Path]) -> None:
    text = written["html"].read_text(encoding="utf-8")
    assert text.lower().startswith("<!doctype html>")
    soup = BeautifulSoup(text, "html.parser")
    html_tag = soup.find("html")
    assert isinstance(html_tag, Tag)
    assert html_tag.get("lang") == "en"
    assert soup.title is not None
    assert soup.title.string == "Accessibility report – x"
    assert len(soup.find_all("h1")) == 1
    skip = soup.find("a")
    assert isinstance(skip, Tag)
    assert skip.get("href") == "#main"
    main = soup.find("main")
    assert isinstance(main, Tag)
    assert main.get("id") == "main"
    # Nothing that runs or loads: no script, no element from a snippet, only inline style.
    assert soup.find_all(["script", "img", "link", "iframe"]) == []
    assert not any(tag.get("src") or tag.get("onerror") for tag in soup.find_all(True))
    assert 'src="x"' not in text
    links = [a["href"] for a in soup.find_all("a")]
    assert all(str(href).startswith(("#", "https://www.x.fi/")) for href in links)
    # Headings do not skip levels.
    levels = [int(h.name[1]) for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert all(b - a <= 1 for a, b in pairwise(levels))


def test_html_summary_counts_and_verdict_in_words(written: dict[str, Path]) -> None:
    soup = soup_of(written["html"])
    rows = {
        th.get_text(strip=True): th.find_next_sibling("td").get_text(strip=True)
        for th in soup.select("table th[scope=row]")
    }
    assert rows == {
        "Result": "FAILED",
        "Pages": "4",
        "Checked": "2",
        "Cached": "2",
        "Errors": "4",
        "Warnings": "1",
        "Known issues": "1",
    }
    verdict = soup.select_one(".verdict")
    assert verdict is not None
    assert verdict.get_text(" ", strip=True).startswith("FAILED")
    assert "4 accessibility errors on 2 pages" in verdict.get_text(" ", strip=True)
    engines = [li.get_text(strip=True) for li in soup.select("#engines + ul li")]
    assert engines == ["kuntasivu 0.1.0", "nu 26.9.27", "axe 4.11.0", "htmlcs 2.6.0"]


def section(soup: BeautifulSoup, anchor: str) -> list[Tag]:
    """The elements between the section's h2 and the next h2."""
    heading = soup.find("h2", id=anchor)
    assert isinstance(heading, Tag)
    out = []
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        out.append(sibling)
    return out


def test_html_groups_errors_by_page_then_rule(written: dict[str, Path]) -> None:
    soup = soup_of(written["html"])
    errors = section(soup, "errors")
    pages = [h for h in errors if h.name == "h3"]
    assert [h.get_text(" ", strip=True) for h in pages] == ["/ (1 finding)", f"{KIRJASTO} (3 findings)"]
    link = pages[1].find("a")
    assert isinstance(link, Tag)
    assert link["href"] == "https://www.x.fi/vapaa-aika/kirjasto/"

    rules = [h.get_text(" ", strip=True) for h in errors if h.name == "h4"]
    assert rules == [
        "axe/link-name , WCAG 2.4.4: 1",
        "axe/image-alt , WCAG 1.1.1: 2",
        "kuntasivu/heading-order , WCAG 1.3.1: 1",
    ]
    image_alt = [h for h in errors if h.name == "h4"][1].find_next_sibling("ol")
    assert isinstance(image_alt, Tag)
    items = image_alt.find_all("li", recursive=False)
    assert len(items) == 2
    first = items[0]
    assert first.p is not None
    assert first.p.get_text() == 'Images must have alternate text: <script>alert("x")</script> & more'
    assert [c.get_text() for c in first.select("dd > code")] == [
        "main > p:nth-child(2) > img",
        "municipalities/x/pages/kirjasto.yml",
    ]
    snippet = first.select_one("pre > code")
    assert snippet is not None
    assert snippet.get_text() == XSS


def test_html_has_own_sections_for_warnings_and_known_issues(written: dict[str, Path]) -> None:
    soup = soup_of(written["html"])
    warnings = section(soup, "warnings")
    assert [h.get_text(" ", strip=True) for h in warnings if h.name == "h3"] == ["/ (1 finding)"]
    assert [h.get_text(" ", strip=True) for h in warnings if h.name == "h4"] == ["htmlcs/WCAG2AA.H48 : 1"]

    known = section(soup, "known-issues")
    assert [h.get_text(" ", strip=True) for h in known if h.name == "h3"] == ["asuminen/ (1 finding)"]
    details = {
        dt_.get_text(): dt_.find_next_sibling("dd").get_text()
        for ol in known
        if ol.name == "ol"
        for dt_ in ol.select("dt")
    }
    assert details["Accepted because"] == "Map by the vendor <Karttakeskus> & fixed in 2027"
    assert details["Expires"] == "2027-01-31"
    # A known issue is not listed among the errors.
    assert "asuminen/" not in " ".join(h.get_text() for h in section(soup, "errors"))


def test_html_for_a_clean_site_says_so(tmp_path: Path) -> None:
    soup = soup_of(write_reports(empty(), tmp_path)["html"])
    text = soup.get_text(" ", strip=True)
    assert "PASSED" in text
    assert "FAILED" not in text
    assert "No findings" in text
    assert [p.get_text() for s in ("errors", "warnings", "known-issues") for p in section(soup, s)] == [
        "No errors.",
        "No warnings.",
        "No known issues.",
    ]


def test_html_does_not_link_to_a_site_address_that_is_not_http(tmp_path: Path) -> None:
    result = sample()
    result.site_url = "javascript:alert(1)//"
    soup = soup_of(write_reports(result, tmp_path)["html"])
    assert [a["href"] for a in soup.find_all("a") if not str(a["href"]).startswith("#")] == []


# --- terminal summary ----------------------------------------------------------------------------


def test_summary_lines_lists_errors_then_warnings() -> None:
    assert summary_lines(sample()) == [
        "4 pages: 2 from cache, 2 checked (kuntasivu, nu, axe, htmlcs)",
        "4 errors, 1 warning, 1 known issue",
        "ERROR / axe/link-name (2.4.4): Links must have discernible text",
        "ERROR vapaa-aika/kirjasto/ axe/image-alt (1.1.1): Images must have alternate text: "
        '<script>alert("x")</script> & more [source: municipalities/x/pages/kirjasto.yml]',
        "ERROR vapaa-aika/kirjasto/ axe/image-alt (1.1.1): Images must have alternate text",
        "ERROR vapaa-aika/kirjasto/ kuntasivu/heading-order (1.3.1): Heading levels skip from h2 to h4"
        " [source: municipalities/x/pages/kirjasto.yml]",
        "WARNING / htmlcs/WCAG2AA.H48: Navigation could be coded as a list",
    ]


def test_summary_lines_stop_after_twenty_and_say_where_the_rest_are() -> None:
    result = empty()
    result.findings = [
        finding(f"sivu-{i:02}/", "axe", "region", message="Content\n  outside landmarks") for i in range(23)
    ]
    result.skipped = ["pa11y (--checks)"]
    lines = summary_lines(result)
    assert lines[:3] == [
        "2 pages: 0 from cache, 2 checked (kuntasivu)",
        "23 errors, 0 warnings, 0 known issues",
        "not run: pa11y (--checks)",
    ]
    assert len(lines) == 3 + 20 + 1
    assert lines[3] == "ERROR sivu-00/ axe/region: Content outside landmarks"
    assert lines[-1] == "… and 3 more (see reports/tyhja/report.html)"
    assert summary_lines(result, report="out/tyhja/report.html")[-1] == "… and 3 more (see out/tyhja/report.html)"


def test_summary_lines_for_a_clean_site() -> None:
    assert summary_lines(empty()) == [
        "2 pages: 0 from cache, 2 checked (kuntasivu)",
        "0 errors, 0 warnings, 0 known issues",
    ]


# --- helpers -------------------------------------------------------------------------------------


def validate(instance: Any, schema: dict[str, Any]) -> None:
    """jsonschema when it is installed; otherwise a structural check of the draft-07 subset the schema uses."""
    if jsonschema is not None:
        jsonschema.Draft7Validator(schema).validate(instance)
    else:
        _check(instance, schema, "$")


_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}
_KEYWORDS = {"$schema", "title", "description", "type", "const", "enum", "required", "properties"}
_KEYWORDS |= {"additionalProperties", "items", "minimum"}


def _check(value: Any, schema: dict[str, Any], where: str) -> None:
    unknown = set(schema) - _KEYWORDS
    assert not unknown, f"{where}: the fallback check does not know {unknown}; install jsonschema or extend it"
    if "type" in schema:
        types = [schema["type"]] if isinstance(schema["type"], str) else schema["type"]
        ok = any(
            isinstance(value, _TYPES[t]) and not (t in ("integer", "number") and isinstance(value, bool)) for t in types
        )
        assert ok, f"{where}: {value!r} is not of type {types}"
    if "const" in schema:
        assert value == schema["const"], f"{where}: {value!r} != {schema['const']!r}"
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    if "minimum" in schema and isinstance(value, int | float) and not isinstance(value, bool):
        assert value >= schema["minimum"], f"{where}: {value} < {schema['minimum']}"
    if isinstance(value, dict):
        for key in schema.get("required", []):
            assert key in value, f"{where}: missing {key!r}"
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in properties:
                _check(item, properties[key], f"{where}.{key}")
            elif extra is False:
                raise AssertionError(f"{where}: unexpected property {key!r}")
            elif isinstance(extra, dict):
                _check(item, extra, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            _check(item, schema["items"], f"{where}[{i}]")


def _properties(schema: dict[str, Any], where: str) -> list[tuple[str, dict[str, Any]]]:
    """Every named property in the schema, nested ones included, with its path."""
    found = []
    for key, node in schema.get("properties", {}).items():
        found.append((f"{where}.{key}", node))
        found += _properties(node, f"{where}.{key}")
    if isinstance(schema.get("items"), dict):
        found += _properties(schema["items"], f"{where}[]")
    return found


def test_known_issue_texts_per_language_and_dates_are_written_as_text(tmp_path: Path) -> None:
    from kuntasivu.content.model import Text

    result = empty()
    result.findings = [
        finding(
            "a/",
            "nu",
            "x",
            severity="warning",
            known_issue={"reason": Text({"fi": "Korjataan", "sv": "Åtgärdas"}), "expires": dt.date(2027, 5, 1)},
        )
    ]
    paths = write_reports(result, tmp_path)
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert data["findings"][0]["known_issue"] == {
        "reason": {"fi": "Korjataan", "sv": "Åtgärdas"},
        "expires": "2027-05-01",
    }
    validate(data, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    assert data["summary"]["passed"] is True
    details = {d.get_text(): d.find_next_sibling("dd").get_text() for d in soup_of(paths["html"]).select("dt")}
    assert details["Accepted because"] == "fi: Korjataan; sv: Åtgärdas"
    assert details["Expires"] == "2027-05-01"
