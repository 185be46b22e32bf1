"""Addresses the build fills by itself: no page, section or redirect of the content may take them.

A content page lives at a folder address ('palvelut/kirjasto/'); a redirect's old address is
written to `_redirects` and to nginx with and without its final '/', so a redirect can also hide
a file ('/robots.txt/' would catch /robots.txt) or anything inside a folder of the build's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import feeds, urls
from .feedback_export import EXPORT_PATH as FEEDBACK_EXPORT_PATH
from .feedback_export import THANKS_ID as FEEDBACK_THANKS_ID
from .feedback_export import exported as feedback_exported
from .feedback_pages import reports_page_url, statistics_page_url
from .form_export import export_path, used_forms
from .loading import Content

SERVER_FILES = ("_headers", "_redirects", "_nginx.conf")
"""The server configuration the build writes beside the site (serving/policy.py DEPLOYMENT_FILES)."""


@dataclass(frozen=True)
class Reserved:
    """What the build publishes by itself, each with words for an error message."""

    pages: dict[str, str]
    """Folder address of each page the site makes itself ('haku/') → what it is."""
    files: dict[str, str]
    """Path of each single file ('robots.txt', 'ajankohtaista/rss.xml') → what it is."""
    folders: dict[str, str]
    """Folders whose whole content the build writes ('assets/') → what is in them."""


def reserved(content: Content) -> Reserved:
    """Every address of the built site that does not come from a page, section or redirect."""
    # Imported here: pages.py imports references.py, which imports this.
    from .not_found import not_found_path
    from .pages import ADMIN_DIR, COMPONENTS_URL

    site = content.site.item
    pages: dict[str, str] = {}
    files = {
        "robots.txt": "robots.txt (the rules for search engines)",
        "sitemap.xml": "sitemap.xml (the list of pages for search engines)",
        "sitemap.xml.gz": "sitemap.xml.gz (the list of pages for search engines)",
        "favicon.svg": "favicon.svg (the site's icon)",
        **{name: f"{name} (the web server's configuration)" for name in SERVER_FILES},
    }
    forms = used_forms(content)
    for form_id in forms:
        files[export_path(form_id)] = f"{export_path(form_id)} (form '{form_id}' for the receiving service)"
    if feedback_exported(content):
        files[FEEDBACK_EXPORT_PATH] = f"{FEEDBACK_EXPORT_PATH} (the feedback settings for the receiving service)"
    for lang in content.languages:
        pages[urls.home_url(content, lang)] = "the home page"
        if site.features.news:
            pages[urls.news_index_url(content, lang)] = "the news list"
            for news in content.news:
                pages[urls.news_url(content, news.item, lang)] = f"news item '{news.item.id}' ({news.path.name})"
            files[feeds.rss_url(content, lang)] = "the news feed"
        if site.features.events:
            pages[urls.events_index_url(content, lang)] = "the event calendar"
            for event in content.events:
                pages[urls.event_url(content, event.item, lang)] = f"event '{event.item.id}' ({event.path.name})"
                files[feeds.event_calendar_url(content, event.item, lang)] = f"the calendar file of '{event.item.id}'"
            if (calendar := feeds.calendar_feed_url(content, lang)) is not None:
                files[calendar] = "the calendar of all events"
        pages[urls.search_url(content, lang)] = "the search page"
        pages[urls.contact_url(content, lang)] = "the contact page"
        pages[urls.accessibility_url(content, lang)] = "the accessibility statement"
        files[f"{urls.accessibility_url(content, lang)}{urls.STATEMENT_JSON_NAME}"] = (
            "the accessibility statement's data"
        )
        files[not_found_path(content, lang)] = "the page shown for an unknown address"
        for form_id in forms:
            pages[urls.thanks_url(content, form_id, lang)] = f"the thank-you page of form '{form_id}'"
        if feedback_exported(content):
            pages[urls.thanks_url(content, FEEDBACK_THANKS_ID, lang)] = "the thank-you page of the feedback map"
            pages[statistics_page_url(content, lang)] = "the feedback statistics page"
            if site.feedback is not None and site.feedback.public_list:
                pages[reports_page_url(content, lang)] = "the page of published feedback"
    pages[COMPONENTS_URL] = "the component library"
    folders = {
        "assets/": "the site's own files (styles, scripts, images)",
        "pagefind/": "the search index",
    }
    if site.editor is not None:
        folders[f"{ADMIN_DIR}/"] = "the browser editor (editor: in site.yml)"
    return Reserved(pages, files, folders)
