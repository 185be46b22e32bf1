"""The page a web server shows for an unknown address, once per language.

Where they are is a contract with the server configuration: the default language's at
``404.html``, each other language's at ``<lang>/404.html``, so a server picks the page by the
first folder of the address it could not find.
"""

from __future__ import annotations

from .loading import Content
from .pages import PageSource


def not_found_path(content: Content, lang: str) -> str:
    return "404.html" if lang == content.languages[0] else f"{lang}/404.html"


def not_found_page(content: Content, lang: str) -> PageSource:
    """The 404 page of one language: no canonical address, no translations (its language
    switcher leads to each language's home page), left out of the sitemap."""
    return PageSource(
        url=not_found_path(content, lang),
        lang=lang,
        kind="not_found",
        title=content.texts[lang]["not_found.title"],
        markdown="",
        context={},
        key="404",
    )
