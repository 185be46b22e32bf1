"""The CI templates: GitHub Actions and GitLab CI build every municipality with the README's commands."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import ROOT

GITHUB = ROOT / ".github" / "workflows" / "sites.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
VALIDATOR = ROOT / "node_modules" / ".bin" / "action-validator"


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def municipalities() -> list[str]:
    return sorted(p.parent.name for p in (ROOT / "municipalities").glob("*/site.yml"))


def scripts(job: dict[str, Any]) -> str:
    if "steps" in job:
        return "\n".join(step.get("run", "") for step in job["steps"])
    return "\n".join(job.get("script", []))


def test_the_github_workflow_is_valid_by_the_workflow_schema() -> None:
    assert VALIDATOR.is_file(), "run `make setup` (npm ci installs @action-validator/cli)"
    result = subprocess.run([str(VALIDATOR), str(GITHUB)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_workflow_schema_check_can_fail(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(GITHUB.read_text("utf-8").replace("runs-on:", "runs_on:", 1), "utf-8")
    result = subprocess.run([str(VALIDATOR), str(broken)], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0


def test_github_tests_plans_builds_each_site_and_deploys_main_only() -> None:
    jobs = load(GITHUB)["jobs"]
    assert "make test" in scripts(jobs["test"])
    plan = scripts(jobs["plan"])
    # The branch name reaches the shell as a variable, never pasted into the script.
    assert 'kuntasivu sites --changed-since "origin/$BASE_REF" --json' in plan and "${{ github.base_ref }}" not in plan
    assert jobs["plan"]["steps"][2]["env"]["BASE_REF"] == "${{ github.base_ref }}"
    assert "kuntasivu sites --json" in plan
    assert jobs["plan"]["steps"][0]["with"]["fetch-depth"] == 0
    build = jobs["build"]
    assert build["strategy"]["matrix"]["site"] == "${{ fromJSON(needs.plan.outputs.sites) }}"
    assert "make site SITES=${{ matrix.site }}" in scripts(build)
    uploads = {step["with"]["name"]: step for step in build["steps"] if "upload-artifact" in step.get("uses", "")}
    assert uploads["reports-${{ matrix.site }}"]["if"] == "always()"
    assert uploads["site-${{ matrix.site }}"]["with"]["path"] == "public/${{ matrix.site }}/"
    deploy = jobs["deploy"]
    assert set(deploy["needs"]) == {"test", "build"}
    assert "refs/heads/main" in deploy["if"] and "needs.build.result == 'success'" in deploy["if"]
    assert any("deploy-pages" in step.get("uses", "") for step in deploy["steps"])


def test_gitlab_has_one_job_per_municipality_and_pages_on_main() -> None:
    config = load(GITLAB)
    assert "make test" in scripts(config["test"])
    site = config["site"]
    assert site["parallel"]["matrix"][0]["SITE"] == municipalities(), "list every municipality in .gitlab-ci.yml"
    assert scripts(site) == 'make site SITES="$SITE" CHANGED_SINCE="$CHANGED_SINCE" BUILD_FLAGS="$BUILD_FLAGS"'
    merge_request = site["rules"][0]
    assert merge_request["variables"]["CHANGED_SINCE"] == "$CI_MERGE_REQUEST_DIFF_BASE_SHA"
    assert {"public/$SITE/", "reports/$SITE/"} <= set(site["artifacts"]["paths"])
    assert site["artifacts"]["when"] == "always"
    assert config["variables"]["GIT_DEPTH"] == "0"
    pages = config["pages"]
    assert pages["artifacts"]["paths"] == ["public"]
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert {"job": "site"} in pages["needs"]


SERVER_FILES = ("_nginx.conf", "_headers", "_redirects")
"""What GitHub and GitLab Pages would publish as plain files and apply none of."""


def artifacts(public: Path, folder: str) -> None:
    """A downloaded site artifact: pages, and the server's files at the site's top."""
    site = public / folder
    (site / "palvelut").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html>", "utf-8")
    (site / "palvelut" / "index.html").write_text("<!doctype html>", "utf-8")
    for name in SERVER_FILES:
        (site / name).write_text("/srv/kuntasivu/pieni", "utf-8")


def run_shell(script: str, cwd: Path) -> None:
    result = subprocess.run(["sh", "-e", "-c", script], cwd=cwd, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def published(public: Path) -> list[str]:
    return sorted(path.relative_to(public).as_posix() for path in public.rglob("*") if path.is_file())


def test_github_pages_gets_one_folder_per_site_without_the_servers_files(tmp_path: Path) -> None:
    deploy = load(GITHUB)["jobs"]["deploy"]["steps"]
    (step,) = [step for step in deploy if step.get("name", "").startswith("One folder per site")]
    for slug in ("pieni", "kaksikielinen"):
        artifacts(tmp_path / "public", f"site-{slug}")
    run_shell(step["run"], tmp_path)
    assert published(tmp_path / "public") == [
        f"{slug}/{page}" for slug in ("kaksikielinen", "pieni") for page in ("index.html", "palvelut/index.html")
    ]


def test_gitlab_pages_publishes_no_servers_files(tmp_path: Path) -> None:
    for slug in ("pieni", "kaksikielinen"):
        artifacts(tmp_path / "public", slug)
    run_shell("\n".join(load(GITLAB)["pages"]["script"]), tmp_path)
    assert published(tmp_path / "public") == [
        f"{slug}/{page}" for slug in ("kaksikielinen", "pieni") for page in ("index.html", "palvelut/index.html")
    ]


def test_readme_says_pages_is_a_preview_without_the_servers_headers() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    publishing = readme.split("## Publishing with CI", 1)[1].split("\n## ", 1)[0]
    assert "preview" in publishing and all(name in publishing for name in ("_headers", "_nginx.conf"))


def test_ci_entry_point_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "make site" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")


def test_make_site_passes_sites_and_the_change_plan_to_kuntasivu() -> None:
    def dry_run(*variables: str) -> str:
        # Without the variables of a calling make (make test), which would add "Entering directory" lines.
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
        result = subprocess.run(
            ["make", "-n", "site", *variables],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        (line,) = [line for line in result.stdout.splitlines() if "kuntasivu build" in line]
        return line.strip()

    assert dry_run().endswith("kuntasivu build --all")
    assert dry_run("SITES=karvia lohja").endswith("kuntasivu build karvia lohja")
    assert dry_run("SITES=karvia", "CHANGED_SINCE=abc123").endswith("kuntasivu build --changed-since abc123 karvia")
    assert dry_run("BUILD_FLAGS=--fetch-feedback").endswith("kuntasivu build --all --fetch-feedback")
