"""What the built pages hold that a Content-Security-Policy must know: inline scripts and
<style> elements (allowed by their hash), and what no policy can allow safely (event handler and
style attributes, javascript: links, files from other sites, forms sent elsewhere)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from lxml.etree import ParserError, _Element

from ..editor import is_admin

JAVASCRIPT_TYPES = frozenset(
    ["application/ecmascript", "application/javascript", "application/x-ecmascript", "application/x-javascript"]
    + ["text/ecmascript", "text/javascript", "text/jscript", "text/livescript", "text/x-ecmascript"]
    + ["text/x-javascript"]
    + [f"text/javascript1.{minor}" for minor in range(6)]
)
"""The HTML standard's JavaScript MIME type essences: a <script> of any other type (JSON-LD,
application/json) is a data block that the browser never runs and CSP does not govern."""
RUNNABLE_SCRIPT_TYPES = frozenset({"", "module", "importmap", "speculationrules"}) | JAVASCRIPT_TYPES

SUBRESOURCES: dict[str, tuple[str, ...]] = {
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
"""Elements and attributes that make the browser fetch a file while showing the page."""
LINKED_RESOURCES = frozenset({"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch"})


@dataclass
class PageScan:
    """Inline code the Content-Security-Policy must allow, and what it cannot allow."""

    script_hashes: dict[str, list[str]] = field(default_factory=dict)
    """CSP hash source ('sha256-…') → pages with that inline script."""
    style_hashes: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def csp_hash(code: str) -> str:
    """The CSP hash source of an inline script or style, as the browser computes it: over the
    UTF-8 text with line endings already normalised to LF by the HTML parser."""
    text = code.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _script_type(script: _Element) -> str:
    kind = script.get("type")
    if kind is None or not kind.strip():
        language = (script.get("language") or "").strip()
        return f"text/{language}".lower() if language else ""
    return kind.strip().lower()


def _origin(url: str) -> str | None:
    """'https://host[:port]' of an absolute or scheme-relative http(s) address, else None (own file)."""
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _srcset_urls(value: str) -> Iterator[str]:
    for candidate in value.split(","):
        words = candidate.split()
        if words:
            yield words[0]


def scan_html(
    html: str | bytes, page: str, allowed_origins: frozenset[str], scan: PageScan, *, example: bool = False
) -> None:
    """Add one page's inline code and problems to ``scan``; ``allowed_origins`` are the origins the
    page may load files from and send forms to (its own). Frames' srcdoc documents count too:
    they run under the page's policy. Their forms (``example``: the component library's) may
    name any service: the policy's form-action keeps an example from ever sending to it."""
    try:
        document = lxml.html.document_fromstring(html)
    except ParserError:
        return  # an empty file: nothing runs in it
    for element in document.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue  # comments and processing instructions
        name = tag.lower()
        for attribute, value in element.attrib.items():
            attribute = attribute.lower()
            if attribute.startswith("on"):
                scan.problems.append(
                    f"{page}: <{name} {attribute}=…> runs JavaScript from an attribute, which the "
                    "Content-Security-Policy blocks; attach the handler in a script file instead"
                )
            elif attribute == "style":
                scan.problems.append(
                    f'{page}: <{name} style="{value[:60]}"> is a style attribute, which the Content-Security-Policy '
                    "blocks; give the element a class and style it in the theme's CSS (a Markdown '{: style=…}' "
                    "attribute list is the usual source)"
                )
            elif attribute in ("href", "src", "action", "formaction") and value.strip().lower().startswith(
                "javascript:"
            ):
                scan.problems.append(
                    f'{page}: <{name} {attribute}="javascript:…"> is blocked by the Content-Security-Policy; '
                    "use a button and a script file"
                )
        if name == "script" and element.get("src") is None:
            if _script_type(element) in RUNNABLE_SCRIPT_TYPES:
                scan.script_hashes.setdefault(csp_hash(element.text or ""), []).append(page)
        elif name == "style":
            scan.style_hashes.setdefault(csp_hash(element.text or ""), []).append(page)
        elif name == "iframe" and element.get("srcdoc"):
            scan_html(element.get("srcdoc") or "", f"{page} (a frame's srcdoc)", allowed_origins, scan, example=True)
        _check_origins(element, name, page, allowed_origins, scan, example)


def _check_origins(
    element: _Element, name: str, page: str, allowed: frozenset[str], scan: PageScan, example: bool
) -> None:
    urls: list[tuple[str, str]] = []
    for attribute in SUBRESOURCES.get(name, ()):
        value = element.get(attribute)
        if value:
            found = _srcset_urls(value) if attribute == "srcset" else [value]
            urls.extend((attribute, url) for url in found)
    if name == "link" and LINKED_RESOURCES & set((element.get("rel") or "").lower().split()):
        urls.append(("href", element.get("href") or ""))
    for attribute, url in urls:
        origin = _origin(url)
        if origin is not None and origin not in allowed:
            scan.problems.append(
                f'{page}: <{name} {attribute}="{url}"> loads a file from another site ({origin}), which the '
                "Content-Security-Policy blocks and which would tell that site about every reader; put the file "
                "under the municipality's assets/ folder and refer to it as assets/…"
            )
    if example:
        return
    targets = [element.get("action")] if name == "form" else [element.get("formaction")]
    for target in targets:
        origin = _origin(target or "")
        if origin is not None and origin not in allowed:
            scan.problems.append(
                f"{page}: <{name}> sends to {origin}, which the Content-Security-Policy's form-action does not "
                "allow; forms send only to the site itself and its receiving service (inbox_url in site.yml)"
            )


def scan_site(site_dir: Path, allowed_origins: frozenset[str]) -> PageScan:
    """Every HTML file of the built site (see scan_html)."""
    scan = PageScan()
    for path in sorted(site_dir.rglob("*.html")):
        if is_admin(path.relative_to(site_dir).as_posix()):
            continue  # the browser editor has its own headers (policy.ADMIN_HEADERS)
        scan_html(path.read_bytes(), "/" + path.relative_to(site_dir).as_posix(), allowed_origins, scan)
    return scan
