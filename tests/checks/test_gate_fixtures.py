"""The broken-page corpus: each fault fails the build with the right page and rule, the
published site stays as it was, and the fixed twin passes.

Each case in tests/fixtures/a11y/<case>/ has a broken/ and a fixed/ overlay for the tiny
municipality tests/fixtures/municipalities/pieni. A broken case's build runs the layers whose
rules it expects (a generic link text is our own check's alone, so Nu and Chromium are not started
for it); the twins' build runs the whole gate (own checks, Nu and pa11y-ci in Chromium), so every
engine is shown to pass every fixed page. One cache is shared by the cases so that only changed
pages cost.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from kuntasivu.checks.layers import LAYERS

from tests.conftest import FIXTURES, make_project
from tests.test_cli import kuntasivu, snapshot

pytestmark = pytest.mark.e2e

ENGINE_LAYERS = {"kuntasivu": "static", "nu": "nu", "axe": "pa11y", "htmlcs": "pa11y"}
"""The gate layer (--checks) each engine of a rule ('axe/label') runs in."""
CORPUS = FIXTURES / "a11y"
PAGE = "palvelut/rikki/"

# Each fault, the page it is on, and rules that must report it: our own check where there is
# one, and at least one of the standard engines where they cover the fault too.
CASES: dict[str, tuple[str, set[str]]] = {
    "image-without-alt": (
        PAGE,
        {"kuntasivu/img-alt", "axe/image-alt", "htmlcs/WCAG2AA.Principle1.Guideline1_1.1_1_1.H37"},
    ),
    "empty-link": (PAGE, {"kuntasivu/link-name", "axe/link-name"}),
    "generic-link": (PAGE, {"kuntasivu/link-generic"}),
    "skipped-heading": (PAGE, {"kuntasivu/heading-order", "axe/heading-order"}),
    "two-h1": (PAGE, {"kuntasivu/h1-count"}),
    "low-contrast": (PAGE, {"axe/color-contrast", "htmlcs/WCAG2AA.Principle1.Guideline1_4.1_4_3.G18.Fail"}),
    "input-without-label": (PAGE, {"kuntasivu/form-label", "axe/label"}),
    "duplicate-id": (PAGE, {"kuntasivu/duplicate-id", "nu/duplicate-id-x"}),
    "missing-lang": ("assets/vanha-tiedote.html", {"kuntasivu/html-lang", "axe/html-has-lang"}),
    "invalid-nesting": (PAGE, {"nu/element-x-not-allowed-as-child-of-element-x-in-this-context", "axe/list"}),
    "table-without-headers": (PAGE, {"kuntasivu/table-headers"}),
    "button-without-name": (PAGE, {"kuntasivu/button-name", "axe/button-name"}),
    "iframe-without-title": (PAGE, {"kuntasivu/iframe-title", "axe/frame-title"}),
}


def test_every_corpus_case_is_listed() -> None:
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(CASES)


@pytest.fixture(scope="module")
def corpus_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("corpus") / "project", ("pieni",))
    result = kuntasivu("build", "pieni", "--today", "2026-11-26", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def use(project: Path, overlay: Path) -> None:
    municipality = project / "municipalities" / "pieni"
    shutil.rmtree(municipality)
    shutil.copytree(FIXTURES / "municipalities" / "pieni", municipality)
    shutil.copytree(overlay, municipality, dirs_exist_ok=True)


@pytest.mark.parametrize("case", sorted(CASES))
def test_fault_fails_the_build_with_its_page_and_rule(case: str, corpus_project: Path) -> None:
    url, rules = CASES[case]
    published = corpus_project / "public" / "pieni"
    before = snapshot(published)

    use(corpus_project, CORPUS / case / "broken")
    layers = {ENGINE_LAYERS[rule.split("/", 1)[0]] for rule in rules}
    checks = ",".join(layer for layer in LAYERS if layer in layers)
    result = kuntasivu("build", "pieni", "--checks", checks, "--today", "2026-11-26", cwd=corpus_project)

    assert result.returncode == 1, result.stderr
    assert "accessibility error" in result.stderr and "was left as it was" in result.stderr
    assert snapshot(published) == before
    report = json.loads((corpus_project / "reports" / "pieni" / "a11y.json").read_text("utf-8"))
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert {f["url"] for f in errors} == {url}, errors
    assert rules <= {f["rule_id"] for f in errors}
    own = [f for f in errors if f["engine"] == "kuntasivu"]
    assert all(f["source"] and f["source"].startswith("municipalities/pieni/") for f in own)
    assert report["summary"]["passed"] is False


def test_the_fixed_twins_pass(corpus_project: Path) -> None:
    """All twins in one build (each as its own page): one passing build shows each passes."""
    use(corpus_project, CORPUS / "image-without-alt" / "fixed")  # resets to pieni + one twin
    municipality = corpus_project / "municipalities" / "pieni"
    (municipality / "pages" / "rikki.yml").unlink()
    for case in CASES:
        fixed = CORPUS / case / "fixed"
        for path in fixed.rglob("*"):
            if path.is_dir():
                continue
            target = municipality / path.relative_to(fixed)
            target.parent.mkdir(parents=True, exist_ok=True)
            text = path.read_text("utf-8")
            if path.name == "rikki.yml":
                text = text.replace("id: rikki", f"id: {case}").replace("title: Testisivu", f"title: Korjattu {case}")
                target = target.with_name(f"{case}.yml")
            target.write_text(text, "utf-8")

    result = kuntasivu("build", "pieni", "--today", "2026-11-26", cwd=corpus_project)

    assert result.returncode == 0, result.stderr
    report = json.loads((corpus_project / "reports" / "pieni" / "a11y.json").read_text("utf-8"))
    assert report["findings"] == []
    published = corpus_project / "public" / "pieni"
    for case, (url, _) in CASES.items():
        page = url.replace("rikki", case)
        assert (published / (page if page.endswith(".html") else page + "index.html")).is_file()
