"""The fixture municipality lint-ongelmat: every planted problem is found where its marker says,
and nothing else is (the test fails on a missed problem and on a false alarm alike)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from tests.lint.helpers import lint, lint_json, municipalities

MARKER = re.compile(r"#\s*lint(?:@(?P<line>[0-9]+))?:\s*(?P<codes>[a-z, -]+)$")


def planted(municipality: Path) -> Counter[tuple[str, int, str]]:
    """(file, line, code) of each '# lint: CODE' (this line) or '# lint@N: CODE' (line N) marker."""
    found: Counter[tuple[str, int, str]] = Counter()
    for path in sorted(municipality.rglob("*.yml")):
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = MARKER.search(text)
            if match is None:
                continue
            line = int(match.group("line") or number)
            for code in match.group("codes").split(","):
                found[(str(path.relative_to(municipality.parent)), line, code.strip())] += 1
    return found


def test_every_planted_problem_is_found_and_nothing_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = municipalities(tmp_path, "lint-ongelmat", "pieni")
    monkeypatch.chdir(folder)
    expected = planted(folder / "lint-ongelmat")
    assert len(expected) > 20  # the markers were read
    rows = lint_json(capsys, folder, "lint-ongelmat")
    got = Counter((row["path"], row["line"], row["code"]) for row in rows)
    assert got == expected, f"missing: {expected - got}, unexpected: {got - expected}"


def test_exact_columns_and_levels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = municipalities(tmp_path, "lint-ongelmat", "pieni")
    monkeypatch.chdir(folder)
    rows = {(r["path"], r["line"], r["code"]): r for r in lint_json(capsys, folder, "lint-ongelmat")}
    page = "lint-ongelmat/pages/kirjasto.yml"
    # Inside the '|' block: the '#' of the heading, 4 spaces in.
    assert rows[(page, 11, "heading-level")]["column"] == 5
    assert rows[(page, 11, "heading-level")]["level"] == "error"
    # The link '[tästä](…)' starts at column 23 of its line.
    assert rows[(page, 13, "link-text")]["column"] == 23
    assert rows[(page, 13, "link-text")]["level"] == "error", "the build refuses a Finnish 'tästä' on a Finnish page"
    # Inside a double-quoted string with \n escapes: the link is on the same file line, column 47.
    assert rows[(page, 35, "dead-link")]["column"] == 47
    assert "did you mean https://www.pieni.fi/hallinto/valtuusto/" in rows[(page, 35, "dead-link")]["message"]
    assert rows[(page, 35, "heading-level")]["level"] == "error", "### right after the title: the build's heading-order"
    assert "after the page title (level 1); use ##" in rows[(page, 35, "heading-level")]["message"]
    # Inside a folded '>' text, four lines down; and in a plain multi-line text.
    news = "lint-ongelmat/news/konsertti-oli.yml"
    assert rows[(news, 12, "link-text")]["column"] == 5
    assert rows[(news, 15, "link-text")]["column"] == 18
    # A link into a redirect's old address is a warning that names the new address.
    moved = rows[("lint-ongelmat/site.yml", 40, "dead-link")]
    assert moved["level"] == "warning"
    assert "https://www.pieni.fi/palvelut/kirjasto/" in moved["message"]
    assert rows[("lint-ongelmat/site.yml", 10, "image-size")]["message"].startswith("satama.png is 5000 px wide")
    assert "resize it to at most 2240 px wide" in rows[("lint-ongelmat/site.yml", 10, "image-size")]["message"]


def test_dates_are_judged_by_today(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Before the concert and the alert's last day, neither is reported."""
    folder = municipalities(tmp_path, "lint-ongelmat", "pieni")
    status, out, _ = lint(capsys, folder, "lint-ongelmat", today="2026-09-30")
    assert status == 1
    assert "[past-event]" not in out
    assert "[expired-alert]" not in out
