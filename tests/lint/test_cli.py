"""`kuntasivu lint` as a user meets it: output forms, exit statuses, bad arguments, broken content."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from kuntasivu.cli import main

from tests.conftest import ROOT
from tests.lint.helpers import lint, municipalities

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>[0-9]+):(?P<col>[0-9]+): (?P<level>error|warning): .+ \[[a-z-]+\]$")


def test_sample_municipalities_have_no_findings(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = lint(capsys, None)
    assert (status, out, err) == (0, "", "")


def test_text_output_is_one_sorted_line_per_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = municipalities(tmp_path, "lint-ongelmat", "pieni")
    monkeypatch.chdir(tmp_path)
    status, out, err = lint(capsys, folder)
    assert status == 1
    lines = out.splitlines()
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), [line for line, match in zip(lines, parsed, strict=True) if not match]
    keys = [(m["path"], int(m["line"]), int(m["col"])) for m in parsed if m]
    assert keys == sorted(keys)
    assert all(m["path"].startswith("municipalities/lint-ongelmat/") for m in parsed if m)  # relative, pieni clean
    errors = sum(m["level"] == "error" for m in parsed if m)
    assert err.strip() == f"{errors} errors, {len(lines) - errors} warnings."


def test_json_output_has_every_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = municipalities(tmp_path, "lint-ongelmat", "pieni")
    status, out, _ = lint(capsys, folder, "--format", "json", "lint-ongelmat")
    assert status == 1
    rows = json.loads(out)
    assert rows and all(set(row) == {"path", "line", "column", "level", "code", "message"} for row in rows)
    assert {row["code"] for row in rows} == {
        "alt-text",
        "link-text",
        "heading-level",
        "plain-language",
        "past-event",
        "expired-alert",
        "image-size",
        "dead-link",
    }


@pytest.mark.parametrize(
    ("text", "status", "line"),
    [
        # An English 'here' on a Finnish page says nothing, but the build lets it pass: a warning.
        ("Katso [here](page:valtuusto).", 0, ": warning: link text 'here'"),
        # A Finnish one the build refuses: an error, and lint fails.
        ("Lue [lisää](page:valtuusto).", 1, ": error: link text 'lisää'"),
    ],
)
def test_only_warnings_exit_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, status: int, line: str
) -> None:
    folder = municipalities(tmp_path, "pieni")
    page = folder / "pieni" / "pages" / "kirjasto.yml"
    page.write_text(page.read_text(encoding="utf-8").replace("Kirjastossa on kirjoja ja lehtiä.", text), "utf-8")
    exit_status, out, _ = lint(capsys, folder, "pieni")
    assert exit_status == status
    assert out.count("\n") == 1 and line in out


def test_unknown_municipality_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = municipalities(tmp_path, "pieni")
    status, out, err = lint(capsys, folder, "pienii")
    assert status == 2 and out == ""
    assert "no municipality pienii" in err and "the municipalities are: pieni" in err


def test_content_that_does_not_load_is_reported_the_same_way(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = municipalities(tmp_path, "pieni")
    page = folder / "pieni" / "pages" / "valtuusto.yml"
    page.write_text(page.read_text(encoding="utf-8").replace("section: hallinto", "section: halinto"), encoding="utf-8")
    monkeypatch.chdir(folder)
    status, out, _ = lint(capsys, folder, "pieni")
    assert status == 1
    assert out.startswith("pieni/pages/valtuusto.yml:2:10: error: section: no navigation section 'halinto'")
    assert "did you mean 'hallinto'?" in out and out.rstrip().endswith("[content]")


def test_help_explains_the_exit_status() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kuntasivu.cli", "lint", "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "1 when there is any error, 0 when there are only warnings" in " ".join(result.stdout.split())


def test_missing_or_wrong_schema_line_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Only for municipalities inside the project folder (--root): the line's path depends on it."""
    project = tmp_path / "project"
    municipalities(project, "pieni")
    (project / "site_src").symlink_to(ROOT / "site_src")
    site = project / "municipalities" / "pieni" / "site.yml"
    site.write_text(
        "# yaml-language-server: $schema=../../schemas/site.schema.json\n" + site.read_text("utf-8"), "utf-8"
    )
    page = project / "municipalities" / "pieni" / "pages" / "kirjasto.yml"
    page.write_text(
        "# yaml-language-server: $schema=../../schemas/page.schema.json\n" + page.read_text("utf-8"), "utf-8"
    )
    status = main(["--root", str(project), "lint", "--format", "json", "pieni"])
    rows = json.loads(capsys.readouterr().out)
    assert status == 0
    found = {(row["path"].rsplit("pieni/", 1)[1], row["code"]): row["message"] for row in rows}
    assert set(found) == {
        ("events/konsertti.yml", "schema-line"),
        ("news/uutinen.yml", "schema-line"),
        ("pages/kirjasto.yml", "schema-line"),  # one folder too few in the path
        ("pages/valtuusto.yml", "schema-line"),
    }
    assert (
        "is missing; make the first line '# yaml-language-server: $schema=../../../schemas/event.schema.json'"
        in (found[("events/konsertti.yml", "schema-line")])
    )
    assert "points to the wrong schema" in found[("pages/kirjasto.yml", "schema-line")]


def test_missing_municipalities_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = lint(capsys, tmp_path / "ei-ole")
    assert (status, out) == (2, "")
    assert f"no folder {tmp_path / 'ei-ole'}" in err
