"""Live preview that shows what is wrong instead of a stale or blank page.

`kuntasivu serve` rebuilds the site on every save. When a build fails, the officer's browser
would otherwise keep the last good page (or, at startup, get nothing) and the reason would be
only in a terminal they may not be looking at. Here a failed build becomes an error page that
the preview serves at every page address, with the file, line, message and the offending lines;
the next successful build replaces it. Engine-free: the MkDocs adapter (serve_site) wires it to
MkDocs' live-reload server.
"""

from .session import BuildFailed, Preview

__all__ = ["BuildFailed", "Preview"]
