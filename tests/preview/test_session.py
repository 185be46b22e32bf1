"""A preview session (kuntasivu.preview.session): what a failed or good build leaves, what the
terminal is told, and which requests get the error page."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from wsgiref.types import StartResponse, WSGIEnvironment

import lxml.html
import pytest
from kuntasivu.content.errors import ContentError, ContentErrors
from kuntasivu.preview import BuildFailed, Preview
from kuntasivu.preview.session import ERROR_FILE

URL = "http://127.0.0.1:8000/"


class Served:
    """The engine's server, as the preview wraps it: remembers which path it was asked for."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        self.paths.append(environ["PATH_INFO"])
        return [b""]


def ask(app: Callable[[WSGIEnvironment, StartResponse], Iterable[bytes]], path: str) -> None:
    app({"PATH_INFO": path}, lambda status, headers, exc_info=None: lambda data: None)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    page = tmp_path / "municipalities" / "pieni" / "pages" / "kirjasto.yml"
    page.parent.mkdir(parents=True)
    page.write_text("id: kirjasto\ntittle: Kirjasto\n", "utf-8")
    (tmp_path / "site_dir").mkdir()
    return tmp_path


@pytest.fixture
def said() -> list[str]:
    return []


@pytest.fixture
def preview(project: Path, said: list[str]) -> Preview:
    return Preview(project, project / "municipalities" / "pieni", project / "site_dir", URL, said.append)


def content_errors(project: Path) -> ContentErrors:
    page = project / "municipalities" / "pieni" / "pages" / "kirjasto.yml"
    return ContentErrors([ContentError(page, 2, 1, "tittle", "unknown field 'tittle' — did you mean 'title'?")])


def failing_with(error: Exception) -> Callable[[], None]:
    def build() -> None:
        raise error

    return build


def error_page(project: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((project / "site_dir" / ERROR_FILE).read_text("utf-8"))


def test_content_errors_become_the_error_page_and_the_terminal_lines(
    project: Path, preview: Preview, said: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    preview.rebuild(failing_with(content_errors(project)))
    assert preview.failed
    page = error_page(project)
    assert page.findtext(".//h2/code") == "municipalities/pieni/pages/kirjasto.yml"
    assert page.findtext(".//h3") == "Rivi 2, sarake 1"
    assert [m.text_content() for m in page.iter("mark")] == ["▶ 2  tittle: Kirjasto (virheen rivi)"]
    assert said[0].splitlines()[0] == (
        "municipalities/pieni/pages/kirjasto.yml:2:1: tittle: unknown field 'tittle' — did you mean 'title'?"
    )
    assert said[-1] == f"preview: {URL} shows these errors on every page until they are fixed"


def test_page_addresses_get_the_error_page_until_a_build_succeeds(
    project: Path, preview: Preview, said: list[str]
) -> None:
    served = Served()
    app = preview.app(served)
    preview.rebuild(failing_with(content_errors(project)))
    for path in ("/", "/palvelut/kirjasto/", "/palvelut/kirjasto", "/index.html", "/ei-ole/"):
        ask(app, path)
    for path in ("/assets/kunta.css", "/favicon.svg", "/livereload/123/456"):
        ask(app, path)
    error = "/" + ERROR_FILE
    assert served.paths == [error] * 5 + ["/assets/kunta.css", "/favicon.svg", "/livereload/123/456"]

    built: list[bool] = []
    preview.rebuild(lambda: built.append(True))
    assert built and not preview.failed
    assert not (project / "site_dir" / ERROR_FILE).exists()
    served.paths.clear()
    ask(app, "/palvelut/kirjasto/")
    assert served.paths == ["/palvelut/kirjasto/"]
    assert said[-1] == f"preview: fixed; {URL} shows the site again"


def test_a_good_build_after_a_good_build_says_nothing(preview: Preview, said: list[str]) -> None:
    preview.rebuild(lambda: None)
    preview.rebuild(lambda: None)
    assert said == [] and not preview.failed


def test_the_error_page_is_removed_before_the_next_build_reads_the_folder(project: Path, preview: Preview) -> None:
    preview.rebuild(failing_with(content_errors(project)))
    seen: list[bool] = []
    preview.rebuild(lambda: seen.append((project / "site_dir" / ERROR_FILE).exists()))
    assert seen == [False]


def test_what_the_engine_logged_explains_its_failure(project: Path, preview: Preview, said: list[str]) -> None:
    def build() -> None:
        logging.getLogger("mkdocs.commands.build").error(
            "municipalities/pieni/pages/kirjasto.yml:2:3: image 'kuva.png' not found\nsee the pages' images"
        )
        raise BuildFailed("Aborted with a BuildError!")

    preview.rebuild(build)
    assert preview.failed
    page = error_page(project)
    assert page.findtext(".//h1") == "Sisällössä on 2 virhettä"
    assert page.findtext(".//h3") == "Rivi 2, sarake 3"
    assert [m.text_content() for m in page.iter("mark")] == ["▶ 2  tittle: Kirjasto (virheen rivi)"]
    assert [pre.text_content() for pre in page.iter("pre") if pre.getparent().tag != "figure"] == [
        "see the pages' images"
    ]
    assert "Aborted" not in lxml.html.tostring(page, encoding="unicode")
    assert said == [f"preview: {URL} shows these errors on every page until they are fixed"], "MkDocs printed it"


def test_an_engine_failure_with_nothing_logged_shows_its_own_text(project: Path, preview: Preview) -> None:
    preview.rebuild(failing_with(BuildFailed("Aborted with 1 warnings in strict mode!")))
    page = error_page(project)
    assert page.findtext(".//h1") == "Sivustoa ei voitu koota"
    assert [pre.text_content() for pre in page.iter("pre")] == ["Aborted with 1 warnings in strict mode!"]


def test_an_unexpected_exception_shows_on_the_page_and_its_traceback_in_the_terminal(
    project: Path, preview: Preview, said: list[str]
) -> None:
    preview.rebuild(failing_with(RuntimeError("template <bug>")))
    assert preview.failed
    assert [pre.text_content() for pre in error_page(project).iter("pre")] == ["RuntimeError: template <bug>"]
    assert said[0].startswith("Traceback (most recent call last):")
    assert said[0].endswith("RuntimeError: template <bug>")


def test_a_request_during_a_build_waits_for_its_outcome(project: Path, preview: Preview) -> None:
    preview.rebuild(failing_with(content_errors(project)))
    served = Served()
    app = preview.app(served)
    release = threading.Event()
    builder = threading.Thread(target=preview.rebuild, args=(release.wait,))
    builder.start()
    time.sleep(0.05)
    request = threading.Thread(target=ask, args=(app, "/palvelut/kirjasto/"))
    request.start()
    time.sleep(0.2)
    assert served.paths == [], "answered before the build decided between the site and the error page"
    release.set()
    builder.join(5)
    request.join(5)
    assert served.paths == ["/palvelut/kirjasto/"], "the fixed build's page, not the old error page"


def test_a_request_after_the_server_saw_a_change_waits_for_the_build_it_started(
    project: Path, preview: Preview
) -> None:
    # The server notes a change and only then calls rebuild: a page asked for in between must not be
    # answered from the last build's outcome (here: the error page of a build now fixed).
    preview.rebuild(failing_with(content_errors(project)))
    served = Served()
    server_built = threading.Event()
    app = preview.app(served, lambda: server_built.wait(5))
    request = threading.Thread(target=ask, args=(app, "/palvelut/kirjasto/"))
    request.start()
    time.sleep(0.2)
    assert served.paths == [], "answered before the server's build"
    preview.rebuild(lambda: None)
    server_built.set()
    request.join(5)
    assert served.paths == ["/palvelut/kirjasto/"], "the fixed build's page, not the old error page"


def test_the_wait_for_the_servers_build_reads_what_mkdocs_has(tmp_path: Path) -> None:
    # MkDocs keeps the state private; a release that renames it must fail here, not in every preview.
    from kuntasivu.mkdocs_plugin import _wait_for_rebuild
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(lambda: None, "127.0.0.1", 0, str(tmp_path))
    try:
        assert all(hasattr(server, name) for name in ("_epoch_cond", "_visible_epoch", "_wanted_epoch"))
        _wait_for_rebuild(server)  # nothing is building: returns at once
    finally:
        server.server_close()
