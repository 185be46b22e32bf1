"""The accessibility statement is written from the audit and changes with it."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from bs4 import BeautifulSoup
from kuntasivu.checks.findings import Finding
from kuntasivu.checks.result import GateResult
from kuntasivu.statement.build import compliance_status

from tests.conftest import FIXTURES, ROOT
from tests.test_cli import kuntasivu

SCHEMA = json.loads((ROOT / "plugins/kuntasivu/statement/accessibility-statement.schema.json").read_text("utf-8"))
ENGINES = {"kuntasivu": "0.1.0", "nu": "26.9.27", "axe": "4.11.4", "htmlcs": "2.5.1"}


def result(pages: int, known_on: list[str], engines: dict[str, str] = ENGINES) -> GateResult:
    known = [
        Finding(
            url=url, engine="axe", rule="x", severity="error", message="m", known_issue={"page": "*", "rule": "axe/x"}
        )
        for url in known_on
    ]
    return GateResult(
        slug="s",
        site_url="https://s.fi/",
        started="2026-11-26T10:00:00+00:00",
        pages=[f"p{i}/" for i in range(pages)],
        findings=known,
        engines=engines,
    )


def test_status_is_fully_only_without_known_issues_and_with_every_engine() -> None:
    assert compliance_status(result(10, [])) == "fully"
    assert compliance_status(result(10, ["p1/"])) == "partially"
    assert compliance_status(result(10, [f"p{i}/" for i in range(6)])) == "not"
    assert compliance_status(result(10, [], {"kuntasivu": "0.1.0"})) == "partially"


def statement(project: Path, lang_url: str = "saavutettavuusseloste/") -> tuple[dict, BeautifulSoup]:
    folder = project / "public" / "pieni" / lang_url
    data = json.loads((folder / "accessibility-statement.json").read_text("utf-8"))
    jsonschema.validate(data, SCHEMA)
    return data, BeautifulSoup((folder / "index.html").read_text("utf-8"), "html.parser")


KNOWN = """  known_issues:
    - page: /palvelut/rikki/
      rule: kuntasivu/link-generic
      reason: Sivu uusitaan tammikuussa.
      expires: 2027-01-31
      alternative: Kirjaston aukioloajat ovat myös kirjaston sivulla.
"""


@pytest.mark.e2e
def test_statement_follows_the_audit(project: Path) -> None:
    # --today fixes which events are upcoming and when known issues expire; the statement's
    # review date is the day the audit really ran, whatever --today says.
    before = dt.date.today().isoformat()
    first = kuntasivu("build", "pieni", "--today", "2026-11-26", cwd=project)
    after = dt.date.today().isoformat()
    assert first.returncode == 0, first.stderr
    data, page = statement(project)
    assert data["status"] == "fully"
    assert data["non_accessible"] == []
    assert data["reviewed"] in {before, after}
    assert {e["engine"] for e in data["method"]["automated"]} == {"kuntasivu", "nu", "axe", "htmlcs"}
    assert data["authority"]["email"] == "saavutettavuus@traficom.fi"
    assert data["status_text"] in page.main.get_text(" ")
    assert page.find("a", href="accessibility-statement.json") is not None

    municipality = project / "municipalities" / "pieni"
    shutil.copytree(FIXTURES / "a11y" / "generic-link" / "broken", municipality, dirs_exist_ok=True)
    site = municipality / "site.yml"
    site.write_text(site.read_text("utf-8").replace("accessibility:\n", "accessibility:\n" + KNOWN, 1), "utf-8")
    second = kuntasivu("build", "pieni", "--today", "2026-11-26", cwd=project)
    assert second.returncode == 0, second.stderr
    assert "partially compliant" in second.stderr

    data, page = statement(project)
    assert data["status"] == "partially"
    (issue,) = data["non_accessible"]
    assert issue["criterion"] == "2.4.4"
    assert issue["level"] == "A"
    assert issue["reason_type"] == "non-compliance"
    assert issue["reason"] == "Sivu uusitaan tammikuussa."
    assert issue["alternative"] == "Kirjaston aukioloajat ovat myös kirjaston sivulla."
    assert issue["pages"] == ["https://www.pieni.fi/palvelut/rikki/"]
    text = page.main.get_text(" ")
    assert data["status_text"] in text and "Sivu uusitaan tammikuussa." in text
    assert page.main.find("a", string="Testisivu") is not None  # the page is named and linked
