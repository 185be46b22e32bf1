"""Page weight: what each built page costs a first-time visitor, measured from the built files.

A page's first load is the HTML itself and everything it makes the browser fetch before the
reader can use it: style sheets (and their @import), scripts, the fonts of @font-face rules,
icons (favicon), preloads, and the images outside <main> (the logo). Content images, those
inside <main>, are left out: they load lazily and are the content itself. Each file counts once
per page, as a browser fetches it once.

Sizes are transfer sizes: text files (HTML, CSS, JavaScript, SVG, JSON) as gzip at level 6 —
zlib's default, what Apache, Caddy and most CDNs send (level 9 saves under 1 %) — and files
that are compressed already (PNG, JPEG, WebP, WOFF2) as they are. 1 KB is 1000 bytes, as
browsers' developer tools count. Not counted: requests that scripts make after the page has
loaded (the feedback map's tiles and marker images), CSS background images (fetched only when
an element uses them) and response headers.

Engine-neutral: the MkDocs adapter runs ``measure_site`` and ``budget_problems`` after each build;
benchmarks/weight.py uses ``measure_page`` too.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .editor import is_admin

GZIP_LEVEL = 6
KB = 1000
COMPRESSIBLE = frozenset(
    {".html", ".htm", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".webmanifest", ".ttf", ".otf"}
)
"""File types servers compress; everything else (images, WOFF2) travels as it is."""
_HOST = "site.invalid"
"""Stands for the site's own host while resolving addresses; any other host is a third party."""
OTHER_HOST = "another host: its size cannot be measured here"
NOT_WRITTEN = "the build did not write this file"


@dataclass(frozen=True)
class Resource:
    """One request of a page's first load."""

    address: str
    """Path inside the site (``assets/kunta.0123456789.css``), or the URL when on another host."""
    kind: str
    """page, stylesheet, script, font, icon, image, frame or preload."""
    size: int
    """Transfer size in bytes; 0 when it cannot be measured (see ``problem``)."""
    problem: str = ""
    """'' when measured; otherwise why not (another host, or a file the build did not write)."""


@dataclass(frozen=True)
class PageWeight:
    page: str
    """The HTML file, relative to the site folder (``asuminen/vesihuolto/index.html``)."""
    resources: tuple[Resource, ...]
    """The page itself first, then what it loads, each once."""

    @property
    def requests(self) -> int:
        return len(self.resources)

    @property
    def size(self) -> int:
        return sum(resource.size for resource in self.resources)

    def biggest(self, count: int = 3) -> list[Resource]:
        return sorted(self.resources, key=lambda resource: -resource.size)[:count]


@dataclass(frozen=True)
class Budget:
    kb: float
    requests: int
    name: str = "budget"
    """How the report names it ('budget', 'map page budget')."""
    keys: tuple[str, str] = ("budget_kb", "budget_requests")
    """The mkdocs.yml settings that set it, named in the fix."""

    def allows(self, weight: PageWeight) -> bool:
        return weight.size <= self.kb * KB and weight.requests <= self.requests

    def describe(self) -> str:
        return f"{self.kb:g} KB and {self.requests} requests"


def transfer_size(data: bytes, suffix: str) -> int:
    """Bytes on the wire: gzip (GZIP_LEVEL) for text types, the file as it is otherwise."""
    if suffix.lower() in COMPRESSIBLE:
        return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))
    return len(data)


def kb(size: int) -> str:
    return f"{size / KB:.1f} KB"


# --- reading pages and style sheets -----------------------------------------------------------------

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?["']?([^"')\s;]+)""", re.I)
_FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}", re.I)
_FONT_SRC = re.compile(r"""(?:^|;)\s*src\s*:[^;]*?url\(\s*["']?([^"')]+?)["']?\s*\)""", re.I)
_ICON_RELS = frozenset({"icon", "apple-touch-icon", "mask-icon"})
_PRELOAD_KINDS = {"style": "stylesheet", "script": "script", "font": "font", "image": "image"}


def css_references(css: str) -> list[tuple[str, str]]:
    """(kind, address) of what a style sheet makes the browser fetch at once: @import, and the
    first url() of each @font-face src (a browser stops at the first format it supports)."""
    css = _COMMENT.sub("", css)
    found = [("stylesheet", address) for address in _IMPORT.findall(css)]
    for block in _FONT_FACE.findall(css):
        match = _FONT_SRC.search(block)
        if match:
            found.append(("font", match.group(1)))
    return found


class _PageParser(HTMLParser):
    """The addresses a page loads, in document order; images inside <main> are content."""

    def __init__(self, all_content: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.references: list[tuple[str, str]] = []
        self.inline_css: list[str] = []
        self.frames: list[str] = []
        """srcdoc of each <iframe>: documents inside this one."""
        self._main_depth = 1 if all_content else 0
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "main":
            self._main_depth += 1
        elif tag == "style":
            self._in_style = True
            self.inline_css.append("")
        elif tag == "link" and a.get("href"):
            rels = set(a.get("rel", "").lower().split())
            if "stylesheet" in rels and "alternate" not in rels:
                self.references.append(("stylesheet", a["href"]))
            elif rels & _ICON_RELS:
                self.references.append(("icon", a["href"]))
            elif rels & {"preload", "modulepreload"}:
                self.references.append((_PRELOAD_KINDS.get(a.get("as", ""), "preload"), a["href"]))
            elif "manifest" in rels:
                self.references.append(("preload", a["href"]))
        elif tag == "script" and a.get("src"):
            self.references.append(("script", a["src"]))
        elif tag == "img" and a.get("src") and not self._main_depth:
            self.references.append(("image", a["src"]))
        elif tag == "iframe":
            if "srcdoc" in a:
                self.frames.append(a["srcdoc"])
            elif a.get("src"):
                self.references.append(("frame", a["src"]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "main" and self._main_depth:
            self._main_depth -= 1
        elif tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.inline_css[-1] += data


def page_references(html: str, *, all_content: bool = False) -> list[tuple[str, str]]:
    """(kind, address as written) of everything ``html`` loads, including frames given inline."""
    parser = _PageParser(all_content)
    parser.feed(html)
    parser.close()
    found = list(parser.references)
    for css in parser.inline_css:
        found += css_references(css)
    for frame in parser.frames:
        # An inline frame sits inside its parent's <main> (the component library): all of its
        # images are content; its style sheets and scripts are fetched like the parent's.
        found += page_references(frame, all_content=True)
    return found


# --- measuring ----------------------------------------------------------------------------------


@dataclass
class SiteFiles:
    """A built site folder, served at ``base_path`` of its host (``/`` or ``/kunta/``)."""

    folder: Path
    base_path: str = "/"
    _sizes: dict[Path, int] = field(default_factory=dict)

    @classmethod
    def for_site_url(cls, folder: Path, site_url: str) -> SiteFiles:
        path = urlsplit(site_url).path or "/"
        return cls(folder, path if path.endswith("/") else path + "/")

    def address_of(self, path: Path) -> str:
        return path.relative_to(self.folder).as_posix()

    def resolve(self, address: str, referrer: str) -> str | None:
        """A reference as a path inside the site, the full URL when it is on another host, None
        when it loads nothing (data:, javascript:, a fragment)."""
        url = urljoin(f"http://{_HOST}{self.base_path}{referrer}", address.strip())
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return None
        if parts.netloc != _HOST:
            return url
        path = unquote(parts.path)
        if not path.startswith(self.base_path):
            return path  # on the site's host but outside its folder
        inside = path[len(self.base_path) :]
        return inside + "index.html" if inside == "" or inside.endswith("/") else inside

    def measure(self, address: str, kind: str) -> Resource:
        if "://" in address:
            return Resource(address, kind, 0, OTHER_HOST)
        if address.startswith("/"):
            return Resource(address, kind, 0, f"outside the site's folder {self.base_path}: not measured")
        path = self.folder / address
        if not path.is_file():
            return Resource(address, kind, 0, NOT_WRITTEN)
        if path not in self._sizes:
            self._sizes[path] = transfer_size(path.read_bytes(), path.suffix)
        return Resource(address, kind, self._sizes[path])


def measure_page(site: SiteFiles, html_file: Path) -> PageWeight:
    """The first load of one built page."""
    page = site.address_of(html_file)
    resources = [site.measure(page, "page")]
    seen = {page}
    pending = [(kind, address, page) for kind, address in page_references(html_file.read_text("utf-8"))]
    while pending:
        kind, written, referrer = pending.pop(0)
        address = site.resolve(written, referrer)
        if address is None or address in seen:
            continue
        seen.add(address)
        resource = site.measure(address, kind)
        resources.append(resource)
        if kind == "stylesheet" and not resource.problem:
            css = (site.folder / address).read_text("utf-8", errors="replace")
            pending += [(k, a, address) for k, a in css_references(css)]
    return PageWeight(page, tuple(resources))


def measure_site(site: SiteFiles) -> list[PageWeight]:
    """Every HTML page of the site, in path order."""
    # The browser editor (admin/) is a tool for staff, not a page residents load.
    pages = [path for path in sorted(site.folder.rglob("*.html")) if not is_admin(site.address_of(path))]
    return [measure_page(site, path) for path in pages]


# --- the budget ---------------------------------------------------------------------------------


def _what_to_do(weight: PageWeight, budget: Budget, source: str | None) -> str:
    """The fix for the page's largest part, then the way out if the page must weigh more."""
    top = weight.biggest(1)[0]
    if weight.size <= budget.kb * KB:  # only the number of requests is over
        fix = f"load fewer files (it loads {weight.requests}: a script or style sheet the page does not need?)"
    elif top.kind == "page":
        where = f" ({source})" if source else ""
        fix = f"the page's own HTML is the largest part: split its text into several pages{where}"
    elif top.kind == "image":
        fix = f"{top.address} is the largest part: use a smaller file (an SVG, or a PNG at most 96 px high for a logo)"
    elif top.kind == "font":
        fix = f"the font {top.address} is the largest part: the theme's system fonts cost nothing"
    else:
        fix = f"{top.address} is the largest part: make it smaller or load it only on the pages that use it"
    kb_key, requests_key = budget.keys
    return (
        f"{fix}; or, if the page must weigh more, raise {kb_key} / {requests_key} under "
        "'plugins: - kuntasivu:' in mkdocs.yml (budget_level: warning only warns)"
    )


def budget_problems(
    weights: Iterable[PageWeight],
    budget: Budget,
    own_budgets: Mapping[str, Budget] | None = None,
    sources: Mapping[str, str] | None = None,
) -> list[str]:
    """One line per page over its budget, and per file a page loads that is not there.

    ``own_budgets``: pages (HTML files) held to a budget of their own instead of ``budget``, by
    name in the report (the feedback map's pages: Leaflet alone is about 43 KB gzip).
    ``sources``: HTML file → the content file it comes from."""
    problems = []
    for weight in weights:
        for resource in weight.resources:
            if resource.problem == NOT_WRITTEN:
                problems.append(
                    f"{weight.page}: loads {resource.address} ({resource.kind}), which the build did not write: "
                    "fix the address in the template or content that links to it"
                )
        limit = (own_budgets or {}).get(weight.page, budget)
        if limit.allows(weight):
            continue
        parts = ", ".join(
            f"{'page HTML' if r.kind == 'page' else r.address} {kb(r.size)}" for r in weight.biggest() if r.size
        )
        unknown = [r.address for r in weight.resources if r.problem and r.problem != NOT_WRITTEN]
        unmeasured = f" (+ {len(unknown)} not measured: {', '.join(unknown)})" if unknown else ""
        problems.append(
            f"{weight.page}: first load {kb(weight.size)} gzip in {weight.requests} requests{unmeasured}, "
            f"over the {limit.name} of {limit.describe()} — biggest: {parts} — "
            f"{_what_to_do(weight, limit, (sources or {}).get(weight.page))}"
        )
    return problems
