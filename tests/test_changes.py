"""`kuntasivu build --changed-since REF` and `kuntasivu sites --changed-since REF` on a temporary git repository."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from kuntasivu.changes import classify

from tests.conftest import make_project

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Testi",
    "GIT_AUTHOR_EMAIL": "testi@example.invalid",
    "GIT_COMMITTER_NAME": "Testi",
    "GIT_COMMITTER_EMAIL": "testi@example.invalid",
}


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, env={**os.environ, **GIT_ENV}, check=True
    )
    return result.stdout


def kuntasivu(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kuntasivu.cli", *args], cwd=repo, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A project with two municipalities, committed on main and tagged 'published'."""
    root = make_project(tmp_path / "repo")
    (root / "README.md").write_text("# Kunnat\n", "utf-8")
    (root / ".gitignore").write_text("node_modules\npublic/\nreports/\n.cache/\n", "utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "sites")
    git(root, "tag", "published")
    return root


def changed(repo: Path) -> tuple[list[str], str]:
    result = kuntasivu(repo, "sites", "--changed-since", "published", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def test_a_municipality_edit_builds_that_municipality_only(repo: Path) -> None:
    page = repo / "municipalities" / "pieni" / "site.yml"
    page.write_text(page.read_text("utf-8") + "\n", "utf-8")
    git(repo, "commit", "-q", "-am", "pieni")
    sites, said = changed(repo)
    assert sites == ["pieni"]
    assert "building pieni: changed since published: municipalities/pieni/site.yml" in said


def test_uncommitted_and_new_files_count_too(repo: Path) -> None:
    news = repo / "municipalities" / "kaksikielinen" / "news"
    news.mkdir(exist_ok=True)
    (news / "uusi.yml").write_text("id: uusi\n", "utf-8")
    sites, said = changed(repo)
    assert sites == ["kaksikielinen"]
    assert "municipalities/kaksikielinen/news/uusi.yml" in said


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("site_src/texts/fi.yml", "shared content"),
        ("themes/kunta/base.html", "the theme"),
        ("plugins/kuntasivu/new_module.py", "the generator"),
        ("mkdocs.yml", "the base configuration"),
        ("package-lock.json", "the npm tools"),
        ("deploy.cfg", "not known to be outside the build"),
    ],
)
def test_shared_content_theme_code_or_unknown_files_build_everything(repo: Path, path: str, why: str) -> None:
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a", encoding="utf-8") as file:
        file.write("\n")
    sites, said = changed(repo)
    assert sites == ["kaksikielinen", "pieni"]
    assert f"building all 2 sites: changed since published: {path} ({why})" in said


def test_files_no_site_is_built_from_build_nothing(repo: Path) -> None:
    (repo / "tests").mkdir()
    (repo / "tests" / "test_x.py").write_text("", "utf-8")
    (repo / "README.md").write_text("# Kunnat ja niiden sivut\n", "utf-8")
    (repo / "docs").mkdir()
    (repo / "docs" / "opas.md").write_text("# Opas\n", "utf-8")
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "sites.yml").write_text("on: push\n", "utf-8")
    sites, said = changed(repo)
    assert sites == []
    assert "nothing to build: no site's content, theme or code changed since published (4 changed files" in said


def test_a_removed_municipality_is_named_and_not_built(repo: Path) -> None:
    git(repo, "rm", "-r", "-q", "municipalities/pieni")
    git(repo, "commit", "-q", "-m", "pieni joins kaksikielinen")
    sites, said = changed(repo)
    assert sites == []
    assert "not building pieni: its folder was removed since published" in said


def test_changes_on_the_base_branch_after_forking_are_not_charged_to_the_branch(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    site = repo / "municipalities" / "kaksikielinen" / "site.yml"
    site.write_text(site.read_text("utf-8") + "\n", "utf-8")
    git(repo, "commit", "-q", "-am", "kaksikielinen")
    git(repo, "checkout", "-q", "main")
    theme = repo / "themes" / "kunta" / "base.html"
    theme.write_text(theme.read_text("utf-8") + "\n", "utf-8")
    git(repo, "commit", "-q", "-am", "theme on main")
    git(repo, "checkout", "-q", "feature")
    result = kuntasivu(repo, "sites", "--changed-since", "main", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["kaksikielinen"]


def test_an_unknown_ref_says_how_to_fix_it(repo: Path) -> None:
    for command in (["sites", "--changed-since", "origin/main"], ["build", "--changed-since", "origin/main"]):
        result = kuntasivu(repo, *command)
        assert result.returncode == 2
        assert "git could not find where HEAD and origin/main meet" in result.stderr
        assert "fetch-depth: 0" in result.stderr
        assert "Traceback" not in result.stderr


def test_build_changed_since_builds_and_publishes_only_the_changed_site(repo: Path) -> None:
    page = repo / "municipalities" / "pieni" / "site.yml"
    page.write_text(page.read_text("utf-8") + "\n", "utf-8")
    result = kuntasivu(repo, "build", "--changed-since", "published", "--checks", "static", "--today", "2026-11-26")
    assert result.returncode == 0, result.stderr
    assert "building pieni: changed since published: municipalities/pieni/site.yml" in result.stderr
    assert "[1/1] pieni: published" in result.stderr
    assert (repo / "public" / "pieni" / "index.html").is_file()
    assert not (repo / "public" / "kaksikielinen").exists()


def test_build_changed_since_with_nothing_changed_builds_nothing_and_succeeds(repo: Path) -> None:
    result = kuntasivu(repo, "build", "--changed-since", "published")
    assert result.returncode == 0, result.stderr
    assert "nothing to build" in result.stderr
    assert not (repo / "public").exists()


def test_sites_without_a_ref_lists_every_municipality(repo: Path) -> None:
    result = kuntasivu(repo, "sites", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["kaksikielinen", "pieni"]


def test_classify_counts_a_renamed_page_on_both_sides(tmp_path: Path) -> None:
    municipalities = tmp_path / "municipalities"
    for slug in ("a", "b"):
        (municipalities / slug).mkdir(parents=True)
        (municipalities / slug / "site.yml").write_text("", "utf-8")
    plan = classify(
        ["municipalities/a/pages/x.yml", "municipalities/b/pages/x.yml", "municipalities/a/site.yml"],
        "REF",
        municipalities,
        tmp_path,
    )
    assert plan.sites(["a", "b"]) == ["a", "b"]
    assert plan.by_site["a"] == ["municipalities/a/pages/x.yml", "municipalities/a/site.yml"]
    assert plan.everything == []
