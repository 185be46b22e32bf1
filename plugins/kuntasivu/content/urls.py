"""Where each piece of content lives in the built site, per language.

URLs are relative to the site root and end in '/' (directory URLs): the default
language at the root, the others under '/<lang>/'. Fixed parts such as the news
folder come from the UI texts (``slug.news``: 'ajankohtaista' / 'aktuellt').
"""

from __future__ import annotations

from .loading import Content
from .model import Event, NewsItem, Page, Section, Text


def slug_of(slug: Text | None, default: str, lang: str) -> str:
    if slug is None:
        return default
    return slug.plain if slug.plain is not None else slug.by_lang.get(lang, default)


def home_url(content: Content, lang: str) -> str:
    return "" if lang == content.languages[0] else f"{lang}/"


def _fixed(content: Content, lang: str, name: str) -> str:
    return f"{home_url(content, lang)}{content.texts[lang][f'slug.{name}']}/"


def section_url(content: Content, section: Section, lang: str) -> str:
    return f"{home_url(content, lang)}{slug_of(section.slug, section.id, lang)}/"


def page_url(content: Content, page: Page, lang: str) -> str:
    own = slug_of(page.slug, page.id, lang)
    section = find_section(content, page.section)
    base = section_url(content, section, lang) if section else home_url(content, lang)
    return f"{base}{own}/"


def find_section(content: Content, section_id: str | None) -> Section | None:
    for section in content.site.item.navigation:
        if section.id == section_id:
            return section
    return None


def news_index_url(content: Content, lang: str) -> str:
    return _fixed(content, lang, "news")


def news_url(content: Content, item: NewsItem, lang: str) -> str:
    return f"{news_index_url(content, lang)}{item.id}/"


def events_index_url(content: Content, lang: str) -> str:
    return _fixed(content, lang, "events")


def event_url(content: Content, item: Event, lang: str) -> str:
    return f"{events_index_url(content, lang)}{item.id}/"


def contact_url(content: Content, lang: str) -> str:
    return _fixed(content, lang, "contact")


def accessibility_url(content: Content, lang: str) -> str:
    return _fixed(content, lang, "accessibility")


STATEMENT_JSON_NAME = "accessibility-statement.json"
"""The accessibility statement's machine-readable twin, beside the statement page."""


def search_url(content: Content, lang: str) -> str:
    """The search page: haku/ in Finnish, sv/sok/ in Swedish."""
    return _fixed(content, lang, "search")


def source_uri(url: str) -> str:
    """The generated Markdown file's name for a directory URL ('' → 'index.md')."""
    return f"{url}index.md"


def thanks_url(content: Content, form_id: str, lang: str) -> str:
    """The thank-you page a form without JavaScript returns to: lomakkeet/<id>/kiitos/ in Finnish."""
    return f"{_fixed(content, lang, 'forms')}{form_id}/{content.texts[lang]['slug.thanks']}/"
