"""Small pieces of the gate without a browser: policy, cache, and reading the checkers' output."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kuntasivu.checks.cache import PageHasher, ResultCache
from kuntasivu.checks.findings import Finding
from kuntasivu.checks.nu import rule_of
from kuntasivu.checks.pa11y import _finding, _htmlcs_criterion, config
from kuntasivu.checks.policy import KnownIssueRule, Policy, apply_policy

TODAY = dt.date(2026, 11, 26)


def finding(**changes: object) -> Finding:
    base = Finding(url="a/", engine="axe", rule="color-contrast", severity="error", message="low contrast")
    return base.with_(**changes)


def known(page: str = "/a/", expires: dt.date = dt.date(2027, 1, 1)) -> KnownIssueRule:
    return KnownIssueRule(page=page, rule="axe/color-contrast", reason="Korjataan.", expires=expires, source="s.yml:9")


def test_policy_severity_ignore_and_known_issues() -> None:
    findings = [finding(), finding(url="b/"), finding(rule="region", severity="error")]
    policy = Policy(rules={"axe/region": "warning"}, known_issues=(known(),))
    out = apply_policy(findings, policy, TODAY)
    assert [(f.url, f.rule, f.severity, f.known_issue is not None) for f in out] == [
        ("a/", "color-contrast", "error", True),
        ("b/", "color-contrast", "error", False),
        ("a/", "region", "warning", False),
    ]
    assert apply_policy(findings, Policy(rules={"axe/color-contrast": "ignore"}), TODAY)[0].rule == "region"


def test_known_issue_for_every_page_and_expiry_day() -> None:
    assert apply_policy([finding(url="x/y/")], Policy(known_issues=(known(page="*"),)), TODAY)[0].known_issue
    on_last_day = apply_policy([finding()], Policy(known_issues=(known(expires=TODAY),)), TODAY)
    assert on_last_day[0].known_issue is not None
    after = apply_policy([finding()], Policy(known_issues=(known(expires=TODAY - dt.timedelta(days=1)),)), TODAY)
    assert [f.rule_id for f in after] == ["axe/color-contrast", "gate/known-issue-expired"]
    assert all(f.known_issue is None and f.severity == "error" for f in after)
    assert after[1].source == "s.yml:9"


def test_cache_keeps_only_the_entries_of_the_last_run(tmp_path: Path) -> None:
    path = tmp_path / "cache.json"
    cache = ResultCache(path)
    cache.put("axe:1", [finding()])
    cache.put("axe:2", [])
    cache.save()
    again = ResultCache(path)
    assert again.get("axe:1") == [finding()]
    again.save()
    third = ResultCache(path)
    assert third.get("axe:2") is None
    assert third.get("axe:1") == [finding()]


def test_damaged_cache_costs_only_a_full_check(tmp_path: Path) -> None:
    path = tmp_path / "cache.json"
    path.write_text("{not json", "utf-8")
    assert ResultCache(path).get("axe:1") is None


def test_page_fingerprint_changes_with_its_style_sheet(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    page = tmp_path / "a" / "index.html"
    page.write_text('<link rel="stylesheet" href="../s.css"><p>x</p>', "utf-8")
    (tmp_path / "s.css").write_text("p{color:#000}", "utf-8")
    before = PageHasher(tmp_path).fingerprint(page)
    assert PageHasher(tmp_path).fingerprint(page) == before
    (tmp_path / "s.css").write_text("p{color:#999}", "utf-8")
    assert PageHasher(tmp_path).fingerprint(page) != before
    key = ResultCache.key("nu", "26.9.27", "", before)
    assert key != ResultCache.key("nu", "26.10.1", "", before)


def test_nu_rule_ignores_names_and_trailing_notes() -> None:
    assert rule_of("Duplicate ID “ohje”.") == rule_of("Duplicate ID “toinen”.") == "duplicate-id-x"
    assert (
        rule_of("Element “p” not allowed as child of element “ul” in this context. (Suppressing further errors.)")
        == "element-x-not-allowed-as-child-of-element-x-in-this-context"
    )


def test_pa11y_issues_become_findings() -> None:
    axe = {
        "code": "image-alt",
        "type": "error",
        "message": "m",
        "context": "<img>",
        "selector": "img",
        "runner": "axe",
        "runnerExtras": {"needsFurtherReview": False},
    }
    assert _finding("a/", axe, {"image-alt": "1.1.1"}) == Finding(
        url="a/",
        engine="axe",
        rule="image-alt",
        severity="error",
        message="m",
        criterion="1.1.1",
        selector="img",
        snippet="<img>",
    )
    review = {**axe, "code": "color-contrast", "type": "warning", "runnerExtras": {"needsFurtherReview": True}}
    assert _finding("a/", review, {}).severity == "warning"  # type: ignore[union-attr]
    htmlcs_notice = {**axe, "runner": "htmlcs", "type": "notice", "code": "WCAG2AA.Principle2.Guideline2_4.2_4_2.H25.2"}
    assert _finding("a/", htmlcs_notice, {}) is None
    crashed = _finding("a/", {"message": "net::ERR_CONNECTION_REFUSED"}, {})
    assert crashed is not None and crashed.rule_id == "gate/page-not-checked" and crashed.severity == "error"
    assert _htmlcs_criterion("WCAG2AA.Principle1.Guideline1_4.1_4_3.G18.Fail") == "1.4.3"


def test_pa11y_config_keeps_the_settings_that_matter() -> None:
    settings = config(["http://127.0.0.1:1/"], "/usr/bin/chromium", 2, 30000)["defaults"]
    assert settings["runners"] == ["axe", "htmlcs"]
    assert settings["standard"] == "WCAG2AA"
    assert settings["useIncognitoBrowserContext"] is False
    assert settings["chromeLaunchConfig"]["executablePath"] == "/usr/bin/chromium"
    assert "--no-sandbox" in settings["chromeLaunchConfig"]["args"]
