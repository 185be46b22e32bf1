"""What every response of a site carries and how long it may be cached, from the content and
the built site: the Content-Security-Policy and the other security headers, the cache rules,
the redirects. `_headers` (headers_file.py) and `_nginx.conf` (nginx.py) both write this."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..assets import FINGERPRINT
from ..content.images import HASH_LENGTH, RESIZABLE
from ..content.loading import Content
from ..content.pages import site_redirects
from ..content.tiles import tile_server_source
from .admin import admin_headers
from .scan import PageScan, scan_site

log = logging.getLogger("kuntasivu.serving")

HEADERS_FILE = "_headers"
NGINX_FILE = "_nginx.conf"
REDIRECTS_FILE = "_redirects"
DEPLOYMENT_FILES = (HEADERS_FILE, REDIRECTS_FILE, NGINX_FILE)
"""Files in the site folder that configure the server; nginx must never serve them."""

IMMUTABLE = "public, max-age=31536000, immutable"
"""For files whose name changes whenever their content does: cached for a year, never revalidated."""
REVALIDATE = "no-cache"
"""For everything else, pages above all: a browser may keep a copy but asks the server (a cheap
304 thanks to ETag) before each use. A municipality's pages carry urgent notices (a boil-water
alert, a road closure), so a reader must never be shown yesterday's page from cache."""

HSTS = "max-age=31536000"
"""One year. Deliberately without includeSubDomains and preload: a municipality's other
subdomains (an old intranet, a supplier's booking service) may not serve HTTPS yet, and a
preloaded domain cannot be taken back quickly. A site can add them when its whole domain is ready."""

REFERRER_POLICY = "strict-origin-when-cross-origin"
"""Other sites learn only which site a reader came from, never the page (an address can hold a
search term); the receiving service still gets the Origin header its forms and CORS rely on,
which 'same-origin' would turn into 'null' for the forms posted without JavaScript."""

PERMISSIONS_OFF = (
    "accelerometer",
    "camera",
    "display-capture",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "usb",
)
"""Powerful features no page of the site uses, turned off for the site and anything it embeds.
Only features browsers know: an unknown one (interest-cohort) is an error in Chromium's console."""


@dataclass(frozen=True)
class CachedForever:
    """Files that are named by their content, as a regular expression on the path below the site
    root; ``splat`` says the same in `_headers`' pattern language, where one `*` can."""

    pattern: str
    splat: str | None
    what: str


FINGERPRINTED: tuple[CachedForever, ...] = (
    CachedForever(
        rf"(?:[^/]+/)*[^/]+{FINGERPRINT}",
        None,  # listed file by file in _headers: a splat could not require the ten hex digits
        "the site's CSS and JavaScript, fingerprinted (assets/kunta.0123456789.css)",
    ),
    CachedForever(
        # content/images.py names them <name>.<width>w.<hash>.<extension of RESIZABLE>.
        rf"(?:[^/]+/)*[^/]+\.[0-9]+w\.[0-9a-f]{{{HASH_LENGTH}}}\.(?:{'|'.join(sorted(set(RESIZABLE.values())))})",
        None,  # file by file too: the original (assets/kuva.jpg) keeps its name and must be revalidated
        "resized copies of images, named by their content (assets/kuva.480w.0123456789.jpg)",
    ),
    CachedForever(
        r"pagefind/fragment/[^/]+_[0-9a-f]{7,}\.pf_fragment",
        "pagefind/fragment/*.pf_fragment",
        "search result fragments (Pagefind)",
    ),
    CachedForever(r"pagefind/index/[^/]+_[0-9a-f]{7,}\.pf_index", "pagefind/index/*.pf_index", "search index chunks"),
    CachedForever(r"pagefind/pagefind\.[^/]+_[0-9a-f]{7,}\.pf_meta", "pagefind/pagefind.*.pf_meta", "search metadata"),
)
"""Pagefind's pagefind.js, pagefind-entry.json and wasm.<lang>.pagefind keep their names from one
Pagefind version to the next, so they are revalidated like pages."""


class ServingError(Exception):
    """The built site cannot be served under the site's Content-Security-Policy or a host's limits."""


@dataclass(frozen=True)
class SiteAddress:
    """The parts of site_url that serving needs."""

    scheme: str
    host: str
    """Host name, without the port."""
    port: int | None
    base: str
    """Path of the site's root, '/' or '/sub/path/'."""

    @classmethod
    def of(cls, url: str) -> SiteAddress:
        parts = urlsplit(url)
        return cls(parts.scheme, parts.hostname or "", parts.port, parts.path or "/")

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host}" + (f":{self.port}" if self.port else "")

    @property
    def https(self) -> bool:
        return self.scheme == "https"


def tile_source(content: Content) -> str | None:
    """The CSP source of the feedback map's tile server, None without a map (content validation
    has refused a tile host the policy cannot allow: feedback.tile_server_source)."""
    feedback = content.site.item.feedback
    if feedback is None:
        return None
    return tile_server_source(feedback.map.tiles)


def content_security_policy(content: Content, scan: PageScan) -> str:
    """The site's Content-Security-Policy: its own files only, plus the receiving service for forms
    and the tile server for the feedback map when the site has them."""
    site = content.site.item
    address = SiteAddress.of(site.site_url)
    inbox = [SiteAddress.of(site.inbox_url).origin] if site.inbox_url else []
    tiles = tile_source(content)
    scripts = ["'self'", "'wasm-unsafe-eval'", *(f"'{h}'" for h in sorted(scan.script_hashes))]
    styles = ["'self'", *(f"'{h}'" for h in sorted(scan.style_hashes))]
    # Leaflet cancels a tile it no longer needs by pointing the <img> at a data: GIF.
    images = ["'self'", *(["data:", tiles] if tiles else [])]
    directives = [
        ("default-src", ["'self'"]),
        # 'wasm-unsafe-eval' lets the search (Pagefind) compile its WebAssembly; it allows no eval().
        ("script-src", scripts),
        ("style-src", styles),
        ("img-src", images),
        ("font-src", ["'self'"]),
        ("connect-src", ["'self'", *inbox]),
        ("form-action", ["'self'", *inbox]),
        # The component library's examples are srcdoc frames: same document, no address to allow.
        ("frame-src", ["'self'"]),
        ("frame-ancestors", ["'none'"]),
        ("base-uri", ["'self'"]),
        ("object-src", ["'none'"]),
    ]
    policy = [f"{name} {' '.join(sources)}" for name, sources in directives]
    if address.https:
        policy.append("upgrade-insecure-requests")
    return "; ".join(policy)


def permissions_policy(content: Content) -> str:
    # The feedback map's "use my location" button asks the browser where the reader is.
    geolocation = "geolocation=(self)" if content.site.item.feedback is not None else "geolocation=()"
    features = sorted([*(f"{name}=()" for name in PERMISSIONS_OFF), geolocation])
    return ", ".join(features)


def security_headers(content: Content, scan: PageScan) -> list[tuple[str, str]]:
    """The headers every response of the site carries, pages, files and errors alike."""
    headers = [("Content-Security-Policy", content_security_policy(content, scan))]
    if SiteAddress.of(content.site.item.site_url).https:
        headers.append(("Strict-Transport-Security", HSTS))
    headers += [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", REFERRER_POLICY),
        ("Permissions-Policy", permissions_policy(content)),
        # The site opens no windows that must talk back to it; this isolates it from pages it links to.
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    return headers


@dataclass(frozen=True)
class Redirect:
    old: str
    """Old address as a path from the host root, with the site's base path, ending with '/'."""
    target: str
    """A path from the host root, or an https:// address of another site."""


def redirects(content: Content) -> list[Redirect]:
    """The site.yml redirects, the same as `_redirects` states them (pages.site_redirects is the one
    source of both): old path with the base path, target path or address, status 301."""
    return [Redirect(old, target) for old, target in site_redirects(content)]


def fingerprinted_files(site_dir: Path) -> list[str]:
    """Paths (below the site root) of the built site's files that match FINGERPRINTED."""
    patterns = [re.compile(rule.pattern) for rule in FINGERPRINTED]
    return sorted(
        path.relative_to(site_dir).as_posix()
        for path in site_dir.rglob("*")
        if path.is_file() and any(p.fullmatch(path.relative_to(site_dir).as_posix()) for p in patterns)
    )


@dataclass(frozen=True)
class Serving:
    """Everything a web server needs to know to serve one built site."""

    slug: str
    name: str
    address: SiteAddress
    languages: list[str]
    headers: list[tuple[str, str]]
    redirects: list[Redirect]
    fingerprinted: list[str]
    """Fingerprinted files found in the build (paths below the site root)."""
    inline_scripts: int
    inline_styles: int
    admin_headers: list[tuple[str, str]] | None = None
    """Headers of the browser editor (admin/, serving/admin.py) in place of ``headers``; None without one."""


def serving(content: Content, site_dir: Path) -> Serving:
    """Describe how to serve the site built in ``site_dir``; raises ServingError when a page has
    inline code no Content-Security-Policy can allow safely, or loads files from other sites."""
    site = content.site.item
    address = SiteAddress.of(site.site_url)
    allowed = {address.origin}
    if site.inbox_url:
        allowed.add(SiteAddress.of(site.inbox_url).origin)
    scan = scan_site(site_dir, frozenset(allowed))
    if scan.problems:
        shown = scan.problems[:20]
        more = f"\n  … and {len(scan.problems) - 20} more" if len(scan.problems) > 20 else ""
        raise ServingError(
            f"{len(scan.problems)} thing(s) in the built pages would break under the Content-Security-Policy:\n  "
            + "\n  ".join(shown)
            + more
        )
    for kind, hashes in (("script", scan.script_hashes), ("style", scan.style_hashes)):
        for source, pages in sorted(hashes.items()):
            log.info(
                "%s: the Content-Security-Policy allows an inline <%s> by its hash (%s) on %d page(s), e.g. %s; "
                "a file under assets/ would need no hash",
                content.slug,
                kind,
                source,
                len(pages),
                pages[0],
            )
    headers = security_headers(content, scan)
    return Serving(
        slug=content.slug,
        name=site.name.get(content.languages[0]),
        address=address,
        languages=content.languages,
        headers=headers,
        redirects=redirects(content),
        fingerprinted=fingerprinted_files(site_dir),
        inline_scripts=len(scan.script_hashes),
        inline_styles=len(scan.style_hashes),
        admin_headers=admin_headers(content, headers),
    )
