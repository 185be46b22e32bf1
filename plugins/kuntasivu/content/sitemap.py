"""sitemap.xml with the translations of each page, and robots.txt, as file texts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from urllib.parse import urlsplit

from .loading import Content
from .metadata import listed
from .pages import ADMIN_DIR, COMPONENTS_URL, PageSource

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def sitemap_xml(content: Content, sources: Iterable[PageSource]) -> str:
    """Every listed page of every language at its canonical address. On a site with several
    languages each entry names all its translations, itself included, and the default language's
    version as x-default (hreflang alternates, as search engines read them from sitemaps)."""
    site_url = content.site.item.site_url
    default = content.languages[0]
    # Prefixed names written as they are (ElementTree cannot make the sitemap's namespace the
    # default one while attributes stay unqualified); the text is the usual sitemap form.
    urlset = ET.Element("urlset", {"xmlns": SITEMAP, "xmlns:xhtml": XHTML})
    for source in sources:
        if not listed(source):
            continue
        entry = ET.SubElement(urlset, "url")
        ET.SubElement(entry, "loc").text = site_url + source.url
        if len(source.alternates) < 2:
            continue
        for lang, url in sorted(source.alternates.items()):
            _alternate(entry, lang, site_url + url)
        if default in source.alternates:
            _alternate(entry, "x-default", site_url + source.alternates[default])
    ET.indent(urlset)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(urlset, encoding="unicode") + "\n"


def _alternate(entry: ET.Element, hreflang: str, href: str) -> None:
    ET.SubElement(entry, "xhtml:link", {"rel": "alternate", "hreflang": hreflang, "href": href})


def robots_txt(content: Content) -> str:
    """Crawlers may read everything but the component library; the sitemap's absolute address.

    Paths start from the host's root, so a site published under a sub-path names its own folder
    (crawlers read robots.txt only at the root of a host: such a site's server must serve it there)."""
    site_url = content.site.item.site_url
    base = urlsplit(site_url).path or "/"
    lines = ["User-agent: *", "Allow: /", f"Disallow: {base}{COMPONENTS_URL}"]
    if content.site.item.editor is not None:
        lines.append(f"Disallow: {base}{ADMIN_DIR}/")  # the browser editor, for staff only
    lines += ["", f"Sitemap: {site_url}sitemap.xml"]
    return "\n".join(lines) + "\n"
