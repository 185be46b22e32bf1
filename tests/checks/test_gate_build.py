"""The gate inside `kuntasivu build`: cache, missing tools, and the site's policy."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.test_cli import kuntasivu, snapshot

TODAY = ("--today", "2026-11-26")


def read_report(project: Path) -> dict:
    return json.loads((project / "reports" / "pieni" / "a11y.json").read_text("utf-8"))


def with_site_yml(project: Path, extra: str) -> None:
    site = project / "municipalities" / "pieni" / "site.yml"
    site.write_text(site.read_text("utf-8").replace("accessibility:\n", "accessibility:\n" + extra, 1), "utf-8")


@pytest.fixture
def generic_link(project: Path) -> Path:
    """pieni with a page whose link says only 'Lue lisää' (found by the own checks)."""
    shutil.copytree(
        FIXTURES / "a11y" / "generic-link" / "broken", project / "municipalities" / "pieni", dirs_exist_ok=True
    )
    return project


@pytest.mark.e2e
def test_unchanged_site_is_not_checked_again_and_one_change_checks_one_page(project: Path) -> None:
    first = kuntasivu("build", "pieni", *TODAY, cwd=project)
    assert first.returncode == 0, first.stderr
    pages = read_report(project)["summary"]["pages"]
    assert read_report(project)["summary"]["checked"] == pages

    second = kuntasivu("build", "pieni", *TODAY, cwd=project)
    assert second.returncode == 0, second.stderr
    assert f"{pages} pages: {pages} from cache, 0 checked" in second.stderr
    assert "Nu Html Checker" not in second.stderr and "pa11y-ci" not in second.stderr

    page = project / "municipalities" / "pieni" / "pages" / "valtuusto.yml"
    page.write_text(page.read_text("utf-8") + "body: Valtuusto kokoontuu kunnantalolla.\n", "utf-8")
    third = kuntasivu("build", "pieni", *TODAY, cwd=project)
    assert third.returncode == 0, third.stderr
    assert f"{pages} pages: {pages - 1} from cache, 1 checked" in third.stderr

    # --no-cache checks every page again; our own checks alone show it (the other engines read the
    # cache the same way, and a cold run of them costs a minute).
    fourth = kuntasivu("build", "pieni", "--no-cache", "--checks", "static", *TODAY, cwd=project)
    assert f"{pages} pages: 0 from cache, {pages} checked" in fourth.stderr
    # Within the build, the statement's audit reuses the first audit: only the statement is new.
    assert f"own checks: 1 page checked, {pages - 1} from cache" in fourth.stderr


@pytest.mark.parametrize(
    ("variable", "says"),
    [
        (
            "KUNTASIVU_JAVA",
            "Java is missing, and the Nu Html Checker needs it: "
            "install it with 'apt-get install -y default-jre-headless'",
        ),
        (
            "KUNTASIVU_CHROMIUM",
            "Chromium is missing, and pa11y-ci needs it: install Debian's with 'apt-get install -y chromium'",
        ),
    ],
)
def test_missing_checker_fails_the_build_and_says_what_to_install(project: Path, variable: str, says: str) -> None:
    assert kuntasivu("build", "pieni", "--checks", "static", *TODAY, cwd=project).returncode == 0
    before = snapshot(project / "public" / "pieni")
    checks = "static,nu" if variable == "KUNTASIVU_JAVA" else "static,pa11y"
    result = kuntasivu("build", "pieni", "--checks", checks, *TODAY, cwd=project, env={variable: ""})
    assert result.returncode == 1
    assert says in result.stderr
    assert "nothing is published unvalidated" in result.stderr
    assert snapshot(project / "public" / "pieni") == before


def test_missing_npm_packages_say_to_run_npm_ci(project: Path) -> None:
    (project / "node_modules").unlink()
    result = kuntasivu("build", "pieni", "--checks", "static,nu", *TODAY, cwd=project)
    assert result.returncode == 1
    assert "the npm package vnu-jar is missing" in result.stderr
    assert "npm ci" in result.stderr


def test_an_error_fails_and_names_page_rule_and_source(generic_link: Path) -> None:
    result = kuntasivu("build", "pieni", "--checks", "static", *TODAY, cwd=generic_link)
    assert result.returncode == 1
    assert (
        "ERROR palvelut/rikki/ kuntasivu/link-generic (2.4.4): link text 'Lue lisää' does not say where the link goes"
        in result.stderr
    )
    assert "[source: municipalities/pieni/pages/rikki.yml]" in result.stderr
    assert "not run: nu (not selected), pa11y (not selected)" in result.stderr
    for name in ("a11y.json", "junit.xml", "report.html"):
        assert (generic_link / "reports" / "pieni" / name).is_file()


def test_rule_set_to_warning_passes_with_a_warning(generic_link: Path) -> None:
    with_site_yml(generic_link, "  rules:\n    kuntasivu/link-generic: warning\n")
    result = kuntasivu("build", "pieni", "--checks", "static", *TODAY, cwd=generic_link)
    assert result.returncode == 0, result.stderr
    summary = read_report(generic_link)["summary"]
    assert (summary["errors"], summary["warnings"]) == (0, 1)


def test_rule_set_to_ignore_passes_silently(generic_link: Path) -> None:
    with_site_yml(generic_link, "  rules:\n    kuntasivu/link-generic: ignore\n")
    result = kuntasivu("build", "pieni", "--checks", "static", *TODAY, cwd=generic_link)
    assert result.returncode == 0, result.stderr
    assert read_report(generic_link)["findings"] == []


KNOWN = """  known_issues:
    - page: /palvelut/rikki/
      rule: kuntasivu/link-generic
      reason: Sivu uusitaan tammikuussa.
      expires: {expires}
"""


def test_known_issue_is_accepted_and_kept_in_the_report(generic_link: Path) -> None:
    with_site_yml(generic_link, KNOWN.format(expires="2027-01-31"))
    result = kuntasivu("build", "pieni", "--checks", "static", *TODAY, cwd=generic_link)
    assert result.returncode == 0, result.stderr
    report = read_report(generic_link)
    assert report["summary"]["known_issues"] == 1
    (finding,) = report["findings"]
    assert finding["known_issue"]["reason"] == "Sivu uusitaan tammikuussa."
    assert finding["known_issue"]["expires"] == "2027-01-31"


def test_expired_known_issue_is_an_error_that_says_where_it_is_written(generic_link: Path) -> None:
    with_site_yml(generic_link, KNOWN.format(expires="2026-11-25"))
    result = kuntasivu("build", "pieni", "--checks", "static", *TODAY, cwd=generic_link)
    assert result.returncode == 1
    assert "gate/known-issue-expired" in result.stderr
    assert "expired on 2026-11-25" in result.stderr
    assert "municipalities/pieni/site.yml:34" in result.stderr  # the "- page:" line of the entry


def test_known_issue_that_no_longer_occurs_is_a_warning(project: Path) -> None:
    with_site_yml(project, KNOWN.format(expires="2027-01-31"))
    result = kuntasivu("build", "pieni", "--checks", "static", *TODAY, cwd=project)
    assert result.returncode == 0, result.stderr
    assert "gate/known-issue-unused" in result.stderr


def test_policy_rule_ids_are_checked_when_content_loads(project: Path) -> None:
    with_site_yml(project, "  rules:\n    color-contrast: warning\n")
    result = kuntasivu("build", "pieni", "--checks", "static", *TODAY, cwd=project)
    assert result.returncode == 1
    assert "must be engine/rule as in the report, e.g. 'axe/color-contrast'" in result.stderr


def test_check_validates_an_existing_build_again(generic_link: Path) -> None:
    missing = kuntasivu("check", "pieni", "--checks", "static", *TODAY, cwd=generic_link)
    assert missing.returncode == 1
    assert "no built site in public/pieni/; run 'kuntasivu build pieni' first" in missing.stderr

    with_site_yml(generic_link, "  rules:\n    kuntasivu/link-generic: warning\n")
    assert kuntasivu("build", "pieni", "--checks", "static", *TODAY, cwd=generic_link).returncode == 0
    site = generic_link / "municipalities" / "pieni" / "site.yml"
    site.write_text(site.read_text("utf-8").replace("kuntasivu/link-generic: warning", "kuntasivu/link-generic: error"))

    result = kuntasivu("check", "pieni", "--checks", "static", *TODAY, cwd=generic_link)

    assert result.returncode == 1
    assert "ERROR palvelut/rikki/ kuntasivu/link-generic" in result.stderr
    assert "from cache" in result.stderr  # policy is applied after the cache: nothing re-checked
