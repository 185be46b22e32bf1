"""Every address a municipality's built site answers, without building it.

The same functions the build uses (content/urls.py, content/addresses.py) give the pages,
sections, news, events and the pages the build makes itself; redirects' old addresses answer too,
but only by sending the reader on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from ..content import addresses, urls
from ..content.loading import Content
from ..content.model import Event


@dataclass
class SiteAddresses:
    site_url: str
    pages: set[str] = field(default_factory=set)
    """Folder addresses relative to the site root: '', 'palvelut/kirjasto/'."""
    files: set[str] = field(default_factory=set)
    folders: tuple[str, ...] = ()
    moved: dict[str, str] = field(default_factory=dict)
    """A redirect's old folder address → the full address it now sends to."""
    events: dict[str, Event] = field(default_factory=dict)
    """Each event's page address (every language) → the event."""

    @property
    def host(self) -> str:
        return urlsplit(self.site_url).netloc.lower()

    @property
    def base(self) -> str:
        """The site's path from the host root, '/' or '/kunta/'."""
        return urlsplit(self.site_url).path or "/"

    def relative(self, url: str) -> str | None:
        """``url``'s path inside this site ('palvelut/'), or None when it is not an address of the site."""
        parts = urlsplit(url)
        if parts.scheme and (parts.scheme not in ("http", "https") or parts.netloc.lower() != self.host):
            return None
        path = unquote(parts.path or "/")
        if not (path + "/").startswith(self.base):
            return None
        return path[len(self.base) :].removesuffix("index.html")

    def absolute(self, relative: str) -> str:
        return f"{self.site_url}{relative}"


def site_addresses(content: Content) -> SiteAddresses:
    site = content.site.item
    found = SiteAddresses(site.site_url)
    reserved = addresses.reserved(content)
    found.pages.update(reserved.pages)
    found.files.update(reserved.files)
    found.folders = tuple(reserved.folders)
    for lang in content.languages:
        for section in site.navigation:
            found.pages.add(urls.section_url(content, section, lang))
        for page in content.pages.values():
            found.pages.add(urls.page_url(content, page.item, lang))
        for event in content.events:
            found.events[urls.event_url(content, event.item, lang)] = event.item
    default = content.languages[0]
    for old, new in site.redirects.items():
        if new.startswith(("https://", "http://")):
            target = new
        elif new.startswith("/"):
            target = found.absolute(new.lstrip("/"))
        elif new in content.pages:
            target = found.absolute(urls.page_url(content, content.pages[new].item, default))
        else:
            target = found.absolute(new)
        found.moved[unquote(old).strip("/") + "/"] = target
    return found


def lookup(site: SiteAddresses, relative: str) -> str:
    """'page' (an address of the site), 'moved' (a redirect's old address) or 'missing'."""
    folder = relative if relative.endswith("/") or not relative else relative + "/"
    if relative in site.files or folder in site.pages or any(relative.startswith(f) for f in site.folders):
        return "page"
    if folder in site.moved:
        return "moved"
    return "missing"
