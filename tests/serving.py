"""A folder served over HTTP on 127.0.0.1, as a browser sees a site (file: URLs behave differently)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar


class _Quiet(SimpleHTTPRequestHandler):
    extra_headers: ClassVar[dict[str, str]] = {}

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()


@contextmanager
def serve_folder(folder: Path, port: int = 0, headers: dict[str, str] | None = None) -> Iterator[str]:
    """Serves ``folder`` at the root of ``port`` (0: a free one); yields the base URL, ending with /.
    ``headers`` are sent with every answer (e.g. a Content-Security-Policy to test pages under)."""
    handler = type("_Handler", (_Quiet,), {"extra_headers": dict(headers or {})})
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
