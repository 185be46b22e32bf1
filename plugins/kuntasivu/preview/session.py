"""One preview session: build, and while the last build failed, answer every page with the error page.

The engine's live-reload server calls ``rebuild`` for every change and reloads the browsers
once it returns. A failed build therefore has to *return* (MkDocs keeps the old site and the
browser stuck when the builder raises), leaving behind the error page and the state that makes
``app`` answer page addresses with it. The page is a file in the served folder, so the server
adds its live-reload script as to any page: the next build, good or bad, reloads it. Its name
starts with a dot because MkDocs' clean step leaves such files alone, and the server's own
requests (/livereload/…) and other files (style sheets, images) pass untouched.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from ..content.errors import ContentError, ContentErrors
from .page import error_page
from .texts import preview_texts

ERROR_FILE = ".kuntasivu-preview-error.html"
"""The error page in the served folder (hidden: MkDocs' clean step keeps it, and it is never a page)."""
LOGGERS = ("mkdocs", "kuntasivu")
"""Whose warnings and errors during a failed build explain it (MkDocs logs a PluginError's text)."""
_LOCATED = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>[0-9]+):(?P<column>[0-9]+): (?P<message>.+)$")


class BuildFailed(Exception):
    """Raised by the engine adapter when the engine stopped a build and has logged why."""


class Preview:
    """The state of a live preview of one municipality, served from ``site_dir``."""

    def __init__(
        self,
        root: Path,
        municipality_dir: Path,
        site_dir: Path,
        url: str,
        say: Callable[[str], None] | None = None,
        *,
        shared_dir: Path | None = None,
    ) -> None:
        self.root = root
        self.municipality_dir = municipality_dir
        self.shared_dir = shared_dir or root / "site_src"
        self.site_dir = site_dir
        self.url = url
        self.say = say or _stderr
        self.failed = False
        self._building = False
        self._settled = threading.Condition()

    def rebuild(self, build: Callable[[], None]) -> None:
        """Run ``build``; on failure write the error page and say what failed. Never raises,
        so the server always reloads the browsers, to the site or to the error page."""
        with self._settled:
            self._building = True
        # Gone before the build reads the folder (the search index and the serving files read every
        # page); requests wait for the build to finish, so none asks for it in between.
        (self.site_dir / ERROR_FILE).unlink(missing_ok=True)
        errors: list[ContentError] = []
        messages: list[str] = []
        try:
            with _captured(LOGGERS) as logged:
                try:
                    build()
                except ContentErrors as found:
                    errors = list(found.errors)
                    self.say(found.format(Path.cwd()))
                except BuildFailed as failed:
                    messages = logged or [str(failed)]  # already in the terminal, through the engine's log
                except Exception as error:  # a template or plugin bug: the traceback is for whoever fixes it
                    self.say(traceback.format_exc().rstrip())
                    messages = [*logged, f"{type(error).__name__}: {error}"]
            if errors or messages:
                located, other = _split_located(messages, self.root)
                self._write_error_page([*errors, *located], other)
                self.say(f"preview: {self.url} shows these errors on every page until they are fixed")
            elif self.failed:
                self.say(f"preview: fixed; {self.url} shows the site again")
            self.failed = bool(errors or messages)
        finally:
            with self._settled:
                self._building = False
                self._settled.notify_all()

    def _write_error_page(self, errors: list[ContentError], messages: list[str]) -> None:
        lang, texts = preview_texts(self.shared_dir, self.municipality_dir)
        html = error_page(errors, messages, self.root, lang, texts, self.municipality_dir.name)
        self.site_dir.mkdir(parents=True, exist_ok=True)
        (self.site_dir / ERROR_FILE).write_text(html, encoding="utf-8")

    def app(self, serve: WSGIApplication, wait_for_server: Callable[[], None] = lambda: None) -> WSGIApplication:
        """``serve`` (the engine's server), with page addresses answered by the error page
        while the last build failed. A request during a build waits for it to decide: first for
        the build the server has started (``wait_for_server``: it may not have called rebuild yet),
        then for ours."""

        def answer(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
            path = str(environ.get("PATH_INFO", ""))
            if _is_page(path):
                wait_for_server()
                with self._settled:
                    self._settled.wait_for(lambda: not self._building)
                    failed = self.failed
                if failed:
                    environ = {**environ, "PATH_INFO": "/" + ERROR_FILE}
            return serve(environ, start_response)

        return answer


def _is_page(path: str) -> bool:
    """A page address (``/``, ``/palvelut/kirjasto/``, ``…/index.html``, ``/missing``), not a file
    the page loads, nor the live-reload server's own polling address."""
    if path.startswith("/livereload/"):
        return False
    last = path.rsplit("/", 1)[-1]
    return last == "" or last.endswith(".html") or "." not in last


def _split_located(messages: list[str], root: Path) -> tuple[list[ContentError], list[str]]:
    """Lines of the engine's messages in ``path:line:col: message`` form become errors with
    their file's lines shown; the rest stay messages."""
    located: list[ContentError] = []
    other: list[str] = []
    for message in messages:
        rest = []
        for line in message.splitlines():
            match = _LOCATED.match(line.strip())
            if match is None:
                rest.append(line)
                continue
            path = Path(match["path"])
            located.append(
                ContentError(
                    path if path.is_absolute() else root / path,
                    int(match["line"]),
                    int(match["column"]),
                    "",
                    match["message"],
                )
            )
        if "\n".join(rest).strip():
            other.append("\n".join(rest).strip())
    return located, other


@contextmanager
def _captured(names: tuple[str, ...]) -> Iterator[list[str]]:
    """The warnings and errors the named loggers (and their children) log inside the block."""
    logged: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            logged.append(record.getMessage())

    handler = Keep(logging.WARNING)
    loggers = [logging.getLogger(name) for name in names]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield logged
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def _stderr(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
