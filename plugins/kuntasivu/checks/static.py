"""Our own static checks on built HTML: fast, no browser, one parse per page.

They catch what the theme and the content can get wrong and what the other engines report
less usefully for an editor (a generic link text, a file link that hides its type, an image
with empty alt that nobody declared decorative). Every finding is an error of engine
"kuntasivu" and names its WCAG criterion, a CSS selector and the element's HTML.
"""

from __future__ import annotations

import html as html_lib
import importlib.util
import posixpath
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString, PreformattedString

from .findings import Finding, shorten
from .link_texts import normalise_link_text

PARSER = "lxml" if importlib.util.find_spec("lxml") is not None else "html.parser"
"""lxml is several times faster; html.parser (standard library) gives the same findings on our pages."""

ENGINE = "kuntasivu"

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
NO_LABEL_INPUTS = frozenset({"hidden", "submit", "reset", "button", "image"})
PRESENTATIONAL = frozenset({"presentation", "none"})
NOT_TEXT = frozenset({"script", "style", "template", "noscript"})
BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "section", "table"}
    | {"td", "th", "tr", "ul"}
)
"""Elements a browser separates from the text around them when it computes a name."""

FILE_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    ".pdf": ("PDF", ("pdf",)),
    **dict.fromkeys((".doc", ".docx", ".odt", ".rtf"), ("Word", ("word", "docx", "doc", "odt", "rtf"))),
    **dict.fromkeys((".xls", ".xlsx", ".ods"), ("Excel", ("excel", "xlsx", "xls", "ods"))),
    **dict.fromkeys((".ppt", ".pptx", ".odp"), ("PowerPoint", ("powerpoint", "pptx", "ppt", "odp"))),
}
"""Extension → the type's name for messages and the words that mention it in a link text."""
NAME_WORDS = frozenset({"word", "excel", "powerpoint"})
"""Names that Finnish and Swedish inflect without a colon ('Excelissä'): matched at the start of a word only."""

EXAMPLE_DESTINATION = {"fi": "Kirjaston aukioloajat", "sv": "Bibliotekets öppettider", "en": "Library opening hours"}

_CSS_ID = re.compile(r"-?[A-Za-z_][A-Za-z0-9_-]*\Z")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SVG = re.compile(r"<svg\b.*?</svg\s*>", re.S | re.I)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.S | re.I)


@dataclass(frozen=True)
class StaticContext:
    """What the checks need to know about the site."""

    languages: tuple[str, ...]
    """The site's languages, the default first, e.g. ("fi", "sv")."""
    generic_link_texts: dict[str, frozenset[str]]
    """Language → normalised link texts that do not say where a link goes (see load_generic_link_texts)."""
    decorative_images: frozenset[str]
    """Site-relative paths of images that may have alt="", e.g. "assets/logo.svg"."""


def page_title(html: str) -> str | None:
    """The text of the page's <title> (not an SVG's), whitespace collapsed; None when there is none."""
    match = _TITLE.search(_SVG.sub("", _COMMENT.sub("", html)))
    return " ".join(html_lib.unescape(match.group(1)).split()) if match else None


def check_site(pages: dict[str, str]) -> list[Finding]:
    """Checks across pages (url → HTML): every title is used by one page only."""
    findings: list[Finding] = []
    first: dict[str, str] = {}
    for url in sorted(pages):
        title = page_title(pages[url])
        if not title:
            continue  # document-title reports it
        if title not in first:
            first[title] = url
            continue
        findings.append(
            Finding(
                url=url,
                engine=ENGINE,
                rule="title-unique",
                severity="error",
                criterion="2.4.2",
                message=f"title '{title}' is also the title of {_page_name(first[title])}; "
                "give every page a title of its own that says what is on it",
                selector="head > title",
                snippet=shorten(f"<title>{html_lib.escape(title, quote=False)}</title>"),
            )
        )
    return findings


def check_page(url: str, html: str, context: StaticContext) -> list[Finding]:
    """Every static check on one page. ``url`` is site-relative: '', 'a/b/' or 'assets/liite.html'."""
    return _Page(url, html, context).check()


def _page_name(url: str) -> str:
    return f"page '{url}'" if url else "the home page"


def _attr(tag: Tag, name: str) -> str | None:
    value = tag.get(name)
    if value is None:
        return None
    return value if isinstance(value, str) else " ".join(value)


def _filled(tag: Tag, name: str) -> str | None:
    """The attribute's value, stripped, or None when it is missing or blank."""
    value = _attr(tag, name)
    return value.strip() or None if value is not None else None


def _hidden(tag: Tag) -> bool:
    return (_attr(tag, "aria-hidden") or "").strip().lower() == "true" or tag.has_attr("hidden")


def _role(tag: Tag) -> str:
    role = (_attr(tag, "role") or "").split()
    return role[0].lower() if role else ""


def _text(node: Tag) -> str:
    """Text content as a name: descendant images give their alt, aria-hidden subtrees give nothing."""
    parts: list[str] = []
    _collect_text(node, parts)
    return " ".join("".join(parts).split())


def _collect_text(node: Tag, parts: list[str]) -> None:
    for child in node.children:
        if isinstance(child, Tag):
            if child.name in NOT_TEXT or _hidden(child):
                continue
            if child.name == "img":
                parts.append(f" {_attr(child, 'alt') or ''} ")
            elif child.name in BLOCKS:
                parts.append(" ")
                _collect_text(child, parts)
                parts.append(" ")
            else:
                _collect_text(child, parts)
        elif isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
            parts.append(str(child))


def _mentions(name: str, words: Iterable[str]) -> bool:
    lowered = name.lower()
    for word in words:
        tail = "" if word in NAME_WORDS else r"(?!\w)"
        if re.search(rf"(?<!\w){word}{tail}", lowered):
            return True
    return False


class _Page:
    """One parsed page and the findings on it."""

    def __init__(self, url: str, html: str, context: StaticContext) -> None:
        self.url = url
        self.context = context
        self.folder = url.rpartition("/")[0] + "/" if "/" in url else ""
        """The folder relative src and href resolve against: 'a/b/' for 'a/b/', 'assets/' for 'assets/liite.html'."""
        self.soup = BeautifulSoup(html, PARSER, multi_valued_attributes=None)
        self.findings: list[Finding] = []
        self.tags: dict[str, list[Tag]] = {}
        self.headings: list[Tag] = []
        self.ids: list[tuple[str, Tag]] = []
        self.first_with_id: dict[str, Tag] = {}
        self.labels_for: dict[str, list[Tag]] = {}
        self.tables_with_th: set[int] = set()
        wanted = {"html", "title", "img", "a", "input", "select", "textarea", "button", "table", "iframe", "main"}
        for tag in self.soup.find_all(True):
            name = tag.name
            ident = _attr(tag, "id")
            if ident:
                self.ids.append((ident, tag))
                self.first_with_id.setdefault(ident, tag)
            if name in wanted:
                self.tags.setdefault(name, []).append(tag)
            elif name in HEADINGS:
                self.headings.append(tag)
            elif name == "label":
                target = _attr(tag, "for")
                if target:
                    self.labels_for.setdefault(target, []).append(tag)
            elif name == "th":
                table = tag.find_parent("table")
                if table is not None:
                    self.tables_with_th.add(id(table))
        self.id_counts = Counter(ident for ident, _ in self.ids)
        self.mains = len(self.tags.get("main", []))

    # --- helpers ----------------------------------------------------------------------------

    def add(self, rule: str, criterion: str, message: str, tag: Tag | None) -> None:
        self.findings.append(
            Finding(
                url=self.url,
                engine=ENGINE,
                rule=rule,
                severity="error",
                message=message,
                criterion=criterion,
                selector=self.selector(tag) if tag is not None else None,
                snippet=shorten(str(tag)) if tag is not None else None,
            )
        )

    def selector(self, tag: Tag) -> str:
        """A simple CSS path: from the nearest element with a unique id, or from main/body/head/html."""
        steps: list[str] = []
        node: Tag | None = tag
        while node is not None and not isinstance(node, BeautifulSoup):
            ident = _attr(node, "id")
            if ident and self.id_counts[ident] == 1 and _CSS_ID.match(ident):
                steps.append(f"#{ident}")
                break
            if node.name in ("html", "head", "body") or (node.name == "main" and self.mains == 1):
                steps.append(node.name)
                break
            step = node.name
            parent = node.parent
            if parent is not None:
                same = [child for child in parent.children if isinstance(child, Tag) and child.name == node.name]
                if len(same) > 1:
                    step += f":nth-of-type({next(i for i, child in enumerate(same, 1) if child is node)})"
            steps.append(step)
            node = parent
        return " > ".join(reversed(steps))

    def labelledby(self, tag: Tag) -> str | None:
        """The text of the elements aria-labelledby points at, or None when that gives no text."""
        refs = (_attr(tag, "aria-labelledby") or "").split()
        texts = (_text(self.first_with_id[ref]) for ref in refs if ref in self.first_with_id)
        return " ".join(text for text in texts if text) or None

    def name(self, tag: Tag, *, alt: bool = False) -> str:
        """Accessible name, simplified: aria-labelledby > aria-label > content (or alt) > title."""
        content = _filled(tag, "alt") if alt else _text(tag)
        return self.labelledby(tag) or _filled(tag, "aria-label") or content or _filled(tag, "title") or ""

    def resolve(self, src: str) -> str | None:
        """The site-relative path of a src or href, or None for data: URIs and other hosts."""
        parts = urlsplit(src.strip())
        if parts.scheme or parts.netloc:
            return None
        path = unquote(parts.path)
        if path.startswith("/"):
            return posixpath.normpath(path).lstrip("/")  # root-relative, as on 404.html
        resolved = posixpath.normpath(self.folder + path) if path else self.url
        return "" if resolved == "." else resolved

    @property
    def lang(self) -> str:
        html = self.tags.get("html")
        lang = (_attr(html[0], "lang") or "").split("-")[0].strip().lower() if html else ""
        return lang if lang in self.context.generic_link_texts else self.context.languages[0]

    # --- rules ------------------------------------------------------------------------------

    def check(self) -> list[Finding]:
        self.check_lang()
        self.check_title()
        self.check_headings()
        self.check_images()
        self.check_links()
        self.check_forms()
        self.check_ids()
        self.check_tables()
        self.check_iframes()
        return self.findings

    def check_lang(self) -> None:
        languages = ", ".join(self.context.languages)
        html = self.tags.get("html")
        if not html:
            self.add(
                "html-lang",
                "3.1.1",
                f'page has no <html> element; start it with <html lang="{self.context.languages[0]}">',
                None,
            )
            return
        lang = _filled(html[0], "lang")
        if lang is None:
            message = f'<html> has no lang; add the page\'s language, e.g. lang="{self.context.languages[0]}"'
            self.add("html-lang", "3.1.1", message, html[0])
        elif lang.split("-")[0].lower() not in self.context.languages:
            message = (
                f"lang '{lang}' on <html> is not one of the site's languages ({languages}); "
                "set it to the language the page is written in"
            )
            self.add("html-lang", "3.1.1", message, html[0])

    def check_title(self) -> None:
        titles = [tag for tag in self.tags.get("title", []) if tag.find_parent("svg") is None]
        if not titles:
            head = self.soup.find("head")
            message = "page has no <title>; add one that says what is on the page and names the site"
            self.add("document-title", "2.4.2", message, head if isinstance(head, Tag) else None)
        elif not titles[0].get_text().strip():
            message = "<title> is empty; write one that says what is on the page and names the site"
            self.add("document-title", "2.4.2", message, titles[0])

    def check_headings(self) -> None:
        h1s = [tag for tag in self.headings if tag.name == "h1"]
        if not h1s:
            message = "page has no <h1>; give it one main heading that says what the page is about"
            self.add("h1-count", "1.3.1", message, None)
        for extra in h1s[1:]:
            message = (
                f"page has {len(h1s)} <h1> headings (the first is '{shorten(h1s[0].get_text(), 60)}'); "
                "keep one <h1> and make this one an <h2> or lower"
            )
            self.add("h1-count", "1.3.1", message, extra)
        previous: Tag | None = None
        for heading in self.headings:
            level = int(heading.name[1])
            if previous is not None and level > int(previous.name[1]) + 1:
                message = (
                    f"<{heading.name}> '{shorten(heading.get_text(), 60)}' follows <{previous.name}> "
                    f"'{shorten(previous.get_text(), 60)}' and skips a level; "
                    f"make it an <h{int(previous.name[1]) + 1}> (or lower) so headings go one level at a time"
                )
                self.add("heading-order", "1.3.1", message, heading)
            previous = heading

    def check_images(self) -> None:
        for img in self.tags.get("img", []):
            alt = _attr(img, "alt")
            presentational = _role(img) in PRESENTATIONAL
            src = _attr(img, "src") or ""
            if alt is None and not presentational:
                message = (
                    f"image '{shorten(src, 80)}' has no alt attribute; add alt text that says what the image shows "
                    '(alt="" only for a decorative image declared as such)'
                )
                self.add("img-alt", "1.1.1", message, img)
                continue
            if (alt is not None and alt.strip()) and not presentational:
                continue
            path = self.resolve(src) if src.strip() and not src.strip().startswith("data:") else None
            if path is None or path not in self.context.decorative_images:
                how = 'role="presentation"' if presentational else "an empty alt"
                message = (
                    f"image '{path or shorten(src, 80)}' has {how} but is not declared decorative; "
                    "write alt text that says what the image shows, or declare the image decorative if it adds nothing"
                )
                self.add("img-alt", "1.1.1", message, img)

    def check_links(self) -> None:
        generic = self.context.generic_link_texts.get(self.lang, frozenset())
        example = EXAMPLE_DESTINATION.get(self.lang, EXAMPLE_DESTINATION["en"])
        for link in self.tags.get("a", []):
            href = _attr(link, "href")
            if href is None:
                continue
            name = self.name(link)
            if not name:
                message = (
                    f"link to '{shorten(href, 80)}' has no accessible name; give it text that says where it goes "
                    "(or alt text on the image inside it)"
                )
                self.add("link-name", "2.4.4", message, link)
                continue
            if normalise_link_text(name) in generic:
                message = (
                    f"link text '{name}' does not say where the link goes; write the destination, e.g. '{example}'"
                )
                self.add("link-generic", "2.4.4", message, link)
            parts = urlsplit(href.strip())
            if parts.scheme.lower() not in ("", "http", "https"):
                continue
            extension = posixpath.splitext(unquote(parts.path).lower())[1]
            if extension in FILE_TYPES:
                kind, words = FILE_TYPES[extension]
                if not _mentions(name, {extension[1:], *words}):
                    message = (
                        f"link text '{shorten(name, 80)}' does not say that the link opens a {kind} file; "
                        f"add the file type, e.g. '{shorten(name, 80)} ({kind})'"
                    )
                    self.add("link-file-type", "2.4.4", message, link)

    def check_forms(self) -> None:
        controls = [*self.tags.get("input", []), *self.tags.get("select", []), *self.tags.get("textarea", [])]
        for control in controls:
            kind = (_attr(control, "type") or "text").strip().lower() if control.name == "input" else control.name
            if kind == "image":
                if not self.name(control, alt=True):
                    message = 'image button has no alt text; add alt that says what the button does, e.g. alt="Hae"'
                    self.add("button-name", "4.1.2", message, control)
                continue
            if kind in NO_LABEL_INPUTS or self.has_label(control):
                continue
            what = f'<input type="{kind}">' if control.name == "input" else f"<{control.name}>"
            message = (
                f'{what} has no label; add a <label for="…"> with visible text '
                "(or aria-labelledby pointing at the visible text that names it)"
            )
            self.add("form-label", "1.3.1", message, control)
        for button in self.tags.get("button", []):
            if not self.name(button):
                message = "button has no accessible name; give it text that says what it does (or aria-label)"
                self.add("button-name", "4.1.2", message, button)

    def has_label(self, control: Tag) -> bool:
        ident = _attr(control, "id")
        if ident and any(_text(label) for label in self.labels_for.get(ident, [])):
            return True
        label = control.find_parent("label")
        if label is not None and _text(label):
            return True
        return bool(self.labelledby(control) or _filled(control, "aria-label") or _filled(control, "title"))

    def check_ids(self) -> None:
        seen: dict[str, Tag] = {}
        for ident, tag in self.ids:
            if ident not in seen:
                seen[ident] = tag
                continue
            message = (
                f"id '{ident}' is already used by <{seen[ident].name}> at {self.selector(seen[ident])}; "
                "ids must be unique on a page: rename one of them (and what points at it)"
            )
            self.add("duplicate-id", "4.1.1", message, tag)

    def check_tables(self) -> None:
        for table in self.tags.get("table", []):
            if _role(table) in PRESENTATIONAL or id(table) in self.tables_with_th:
                continue
            message = (
                'table has no header cells; mark the row or column headers with <th> (scope="col"/"row"), '
                "or use a list instead if it is not tabular data"
            )
            self.add("table-headers", "1.3.1", message, table)

    def check_iframes(self) -> None:
        for iframe in self.tags.get("iframe", []):
            if _filled(iframe, "title") is None:
                src = _attr(iframe, "src") or ""
                message = f"iframe '{shorten(src, 80)}' has no title; add title=\"…\" that says what the frame shows"
                self.add("iframe-title", "4.1.2", message, iframe)
