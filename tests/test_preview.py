"""The live preview end to end: a real `kuntasivu serve` on 127.0.0.1, Debian's Chromium on a
page, and content files edited underneath it. The browser is never reloaded by the test: what
it shows after an edit is what the preview's live reload brought it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import make_project
from tests.inbox.conftest import free_port
from tests.theme.test_components import AXE, AXE_TAGS, axe_report

pytestmark = pytest.mark.e2e

CHANGE = 20_000
"""Milliseconds an edit may take to reach the browser: the file watcher, a build, the reload."""
ERROR_ONE = "Sisällössä on virhe"


@contextmanager
def serving(root: Path) -> Iterator[tuple[str, Path]]:
    """`kuntasivu serve pieni` in ``root``; yields its address and the file its terminal output goes to."""
    port = free_port()
    log = root / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "kuntasivu.cli", "--root", str(root), "serve", "pieni", "--port", str(port)],
            cwd=root,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        base = f"http://127.0.0.1:{port}/"
        try:
            _wait_until_up(base, server, log)
            yield base, log
        finally:
            server.send_signal(signal.SIGINT)  # as Ctrl+C: the preview removes its temporary folder
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_up(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"kuntasivu serve exited ({server.returncode}):\n{log.read_text('utf-8')}")
        try:
            with urllib.request.urlopen(base, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError(f"kuntasivu serve did not answer in 30 s:\n{log.read_text('utf-8')}")


def run_axe(page: Page) -> None:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    assert not results["violations"], "axe violations:\n" + axe_report(results["violations"])
    assert not results["incomplete"], "axe needs review:\n" + axe_report(results["incomplete"])


def fits_320_px(page: Page) -> bool:
    """At 400% zoom a 1280 px window is 320 CSS px wide: nothing may need scrolling sideways."""
    page.set_viewport_size({"width": 320, "height": 640})
    fits = page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.set_viewport_size({"width": 1280, "height": 720})
    return bool(fits)


def test_a_broken_edit_shows_the_error_page_and_the_fix_brings_the_page_back(tmp_path: Path, browser: Browser) -> None:
    root = make_project(tmp_path / "project", ("pieni",))
    library = root / "municipalities" / "pieni" / "pages" / "kirjasto.yml"
    good = library.read_text("utf-8")
    assert good.splitlines()[2] == "title: Kirjasto"
    with serving(root) as (base, log):
        page = browser.new_page()
        page.goto(base + "palvelut/kirjasto/")
        heading = page.locator("h1")
        expect(heading).to_have_text("Kirjasto")

        # An unknown key, on a line long enough to need wrapping at 400% zoom.
        long_value = "Kirjasto" + "-aukioloajat" * 40
        lines = good.splitlines(keepends=True)
        library.write_text("".join([*lines[:3], f"otsikko: {long_value}\n", *lines[3:]]), "utf-8")
        expect(heading).to_have_text(ERROR_ONE, timeout=CHANGE)
        assert page.url == base + "palvelut/kirjasto/"
        expect(page.locator("h2")).to_have_text("municipalities/pieni/pages/kirjasto.yml")
        expect(page.locator("h3")).to_have_text("Rivi 4, sarake 1")
        expect(page.locator("main")).to_contain_text("unknown field 'otsikko'")
        expect(page.locator("mark")).to_have_text(f"▶ 4  otsikko: {long_value} (virheen rivi)")
        expect(page.locator("figure pre")).to_contain_text("3  title: Kirjasto")
        assert page.locator("html").get_attribute("lang") == "fi"
        assert fits_320_px(page)
        run_axe(page)

        library.write_text(good, "utf-8")
        expect(heading).to_have_text("Kirjasto", timeout=CHANGE)

        # A YAML syntax error: PyYAML notices the unclosed '[' at the next key, on line 4.
        library.write_text(good.replace("title: Kirjasto", "title: [Kirjasto"), "utf-8")
        expect(heading).to_have_text(ERROR_ONE, timeout=CHANGE)
        expect(page.locator("h3")).to_have_text("Rivi 4, sarake 8")
        expect(page.locator("main")).to_contain_text("YAML syntax error: expected ',' or ']', but got ':'")
        expect(page.locator("mark")).to_have_text("▶ 4  summary: Kirjasto on auki arkisin. (virheen rivi)")
        expect(page.locator("figure pre")).to_contain_text("3  title: [Kirjasto")

        library.write_text(good, "utf-8")
        expect(heading).to_have_text("Kirjasto", timeout=CHANGE)
        expect(page.locator("main")).to_contain_text("Kirjastossa on kirjoja ja lehtiä.")
        page.close()
    terminal = log.read_text("utf-8")
    assert "municipalities/pieni/pages/kirjasto.yml:4:1: otsikko: unknown field 'otsikko'" in terminal
    assert "municipalities/pieni/pages/kirjasto.yml:4:8: YAML syntax error: expected ',' or ']'" in terminal
    assert terminal.count("shows the site again") == 2


def test_a_broken_file_at_startup_shows_the_error_page_at_every_address(tmp_path: Path, browser: Browser) -> None:
    root = make_project(tmp_path / "project", ("pieni",))
    site = root / "municipalities" / "pieni" / "site.yml"
    good = site.read_text("utf-8")
    assert good.startswith("name: Pieni\n")
    site.write_text(good.replace("name: Pieni", "name: [Pieni", 1), "utf-8")
    with serving(root) as (base, log):
        page = browser.new_page()
        for address in ("", "palvelut/kirjasto/", "ei-tallaista-sivua/"):
            page.goto(base + address)
            expect(page.locator("h1")).to_have_text(ERROR_ONE)
            expect(page.locator("h2")).to_have_text("municipalities/pieni/site.yml")
            expect(page.locator("mark")).to_have_text("▶ 2  languages: [fi] (virheen rivi)")
        run_axe(page)

        site.write_text(good, "utf-8")
        expect(page.locator("h1")).not_to_have_text(ERROR_ONE, timeout=CHANGE)
        assert page.url == base + "ei-tallaista-sivua/"
        expect(page).to_have_title("Sivua ei löytynyt – Pieni")
        page.goto(base + "palvelut/kirjasto/")
        expect(page.locator("h1")).to_have_text("Kirjasto")
        page.close()
    assert "municipalities/pieni/site.yml:2:10: YAML syntax error" in log.read_text("utf-8")


def test_a_build_outside_the_preview_still_fails_on_content_errors(tmp_path: Path) -> None:
    """Only serve_site lets content errors through to the error page; `kuntasivu build` and
    `mkdocs build` stop with MkDocs' error as before."""
    from kuntasivu.mkdocs_plugin import build_site
    from mkdocs.exceptions import Abort

    root = make_project(tmp_path / "project", ("pieni",))
    library = root / "municipalities" / "pieni" / "pages" / "kirjasto.yml"
    library.write_text(library.read_text("utf-8").replace("title:", "tittle:"), "utf-8")
    with pytest.raises(Abort, match="Aborted with a BuildError"):
        build_site(root, root / "municipalities" / "pieni", tmp_path / "site")
    assert not (tmp_path / "site" / "index.html").exists()
