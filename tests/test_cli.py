"""The command line: builds publish only on success, and a new municipality builds at once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def kuntasivu(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kuntasivu.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, **(env or {})},
    )


def build(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A build with only the fast own checks: these tests are about building and publishing;
    tests/checks/test_gate.py runs the whole gate."""
    return kuntasivu("build", "--checks", "static", *args, cwd=cwd)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_publishes_the_site(project: Path) -> None:
    result = build("pieni", "--today", "2026-11-26", cwd=project)
    assert result.returncode == 0, result.stderr
    site = project / "public" / "pieni"
    assert (site / "index.html").is_file()
    assert (site / "palvelut" / "kirjasto" / "index.html").is_file()
    assert (site / "assets" / "kunta.css").is_file()
    assert "[1/1] pieni:" in result.stderr
    assert not list((project / "public").glob(".tmp-*"))


def test_municipalities_folder_outside_the_project_builds(project: Path, tmp_path: Path) -> None:
    """--municipalities-dir may name a folder anywhere; the reports name its files as given."""
    outside = tmp_path / "muualla"
    shutil.copytree(project / "municipalities", outside)
    result = build("pieni", "--municipalities-dir", str(outside), cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "public" / "pieni" / "index.html").is_file()


def test_failed_build_leaves_the_published_site_untouched(project: Path) -> None:
    assert build("pieni", cwd=project).returncode == 0
    published = project / "public" / "pieni"
    before = snapshot(published)
    page = project / "municipalities" / "pieni" / "pages" / "kirjasto.yml"
    page.write_text(page.read_text("utf-8").replace("title: Kirjasto", "tittle: Kirjasto"), encoding="utf-8")

    result = build("pieni", cwd=project)

    assert result.returncode == 1
    assert "municipalities/pieni/pages/kirjasto.yml:3:1: tittle: unknown field 'tittle'" in result.stderr
    assert "public/pieni/ was left as it was" in result.stderr
    assert snapshot(published) == before
    assert not list((project / "public").glob(".tmp-*"))


def test_template_error_also_leaves_the_site_untouched(project: Path) -> None:
    assert build("pieni", cwd=project).returncode == 0
    before = snapshot(project / "public" / "pieni")
    (project / "themes" / "kunta" / "kinds" / "page.html").write_text("{{ ks.t('no.such.text') }}", encoding="utf-8")

    result = build("pieni", cwd=project)

    assert result.returncode == 1
    assert "no.such.text" in result.stderr
    assert snapshot(project / "public" / "pieni") == before


def test_one_failing_site_does_not_stop_the_others(project: Path) -> None:
    (project / "municipalities" / "pieni" / "site.yml").write_text("name: [\n", encoding="utf-8")
    result = build("--all", cwd=project)
    assert result.returncode == 1
    assert (project / "public" / "kaksikielinen" / "index.html").is_file()
    assert "1 of 2 sites failed: pieni" in result.stderr


def test_build_needs_a_municipality(project: Path) -> None:
    result = build(cwd=project)
    assert result.returncode == 2
    assert "available: kaksikielinen, pieni" in result.stderr
    result = build("pienii", cwd=project)
    assert result.returncode == 2
    assert "no municipality pienii" in result.stderr


def test_new_municipality_builds_at_once(project: Path) -> None:
    result = kuntasivu("new", "demo", "--name", "Demokunta", cwd=project)
    assert result.returncode == 0, result.stderr
    result = build("demo", cwd=project)
    assert result.returncode == 0, result.stderr
    html = (project / "public" / "demo" / "index.html").read_text("utf-8")
    assert "<title>Demokunta</title>" in html


def test_new_refuses_bad_slug_and_existing_folder(project: Path) -> None:
    result = kuntasivu("new", "Äänekoski", "--name", "Äänekoski", cwd=project)
    assert result.returncode == 2
    assert "not a valid slug" in result.stderr
    result = kuntasivu("new", "pieni", "--name", "Pieni", cwd=project)
    assert result.returncode == 2
    assert "already exists" in result.stderr


def test_schema_writes_json_schemas_with_field_docs(project: Path) -> None:
    import json

    result = kuntasivu("schema", "--out", "schemas", cwd=project)
    assert result.returncode == 0, result.stderr
    site = json.loads((project / "schemas" / "site.schema.json").read_text("utf-8"))
    assert site["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert site["additionalProperties"] is False
    assert "first is the default" in site["properties"]["languages"]["description"]
    assert {p.name for p in (project / "schemas").iterdir()} == {
        "site.schema.json",
        "page.schema.json",
        "news.schema.json",
        "event.schema.json",
        "form.schema.json",
        "texts.schema.json",
        "accessibility.schema.json",
    }
    form = json.loads((project / "schemas" / "form.schema.json").read_text("utf-8"))
    assert "registration forms only" in json.dumps(form)  # field docs reach the editor
    recipients = form["properties"]["recipients"]
    assert recipients["title"] == "Vastaanottajat"
    assert recipients["description"].startswith("Sähköpostiosoitteet, joihin jokaisesta lähetyksestä ilmoitetaan.")
    assert "\n\nE-mail addresses told of each submission." in recipients["description"]
    site_yml = project / "municipalities" / "pieni" / "site.yml"
    assert site_yml.read_text("utf-8").startswith("# yaml-language-server: $schema=../../schemas/site.schema.json\n")


def test_text_from_content_is_escaped(project: Path) -> None:
    page = project / "municipalities" / "pieni" / "pages" / "valtuusto.yml"
    page.write_text(page.read_text("utf-8").replace("title: Valtuusto", 'title: "Valtuusto <b>& hallitus"'), "utf-8")
    result = build("pieni", cwd=project)
    assert result.returncode == 0, result.stderr
    html = (project / "public" / "pieni" / "hallinto" / "valtuusto" / "index.html").read_text("utf-8")
    assert "<h1>Valtuusto &lt;b&gt;&amp; hallitus</h1>" in html
    assert "<b>" not in html
