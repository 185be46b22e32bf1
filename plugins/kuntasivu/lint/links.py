"""Absolute links into the repository's own sites that lead nowhere, or to a past event.

A link from Kankaanpää's page to https://www.karvia.fi/palvelut/kirjasto/ breaks silently when
Karvia renames the page; both sites live here, so the link can be checked against what Karvia's
build will publish. Links by page id (``page:kirjasto``) and redirects to '/paths' are checked by
the loader already; this covers full addresses (and '/paths' in texts) to any of the sites.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.errors import ContentErrors
from ..content.loading import Content, Sourced, load_content
from ..content.model import Link, NewsItem, TopTask
from ..content.yamlsource import parse_yaml
from . import markdown
from .addresses import SiteAddresses, lookup, site_addresses
from .context import LintContext
from .dates import last_day
from .findings import Level
from .texts import sources, texts, walk

CODE = "dead-link"
CODE_EVENT = "past-event"

Report = Callable[[Level, str, str], None]


@dataclass
class Sites:
    """The repository's municipalities: their site_url read cheaply, their content loaded when linked to."""

    municipalities_dir: Path
    shared_dir: Path
    _urls: dict[str, str] | None = None
    _loaded: dict[str, SiteAddresses | None] = field(default_factory=dict)

    def remember(self, content: Content) -> SiteAddresses:
        found = site_addresses(content)
        self._loaded[content.slug] = found
        return found

    def site_urls(self) -> dict[str, str]:
        if self._urls is None:
            self._urls = {}
            for site_yml in sorted(self.municipalities_dir.glob("*/site.yml")):
                doc, errors = parse_yaml(site_yml)
                url = doc.data.get("site_url") if isinstance(doc.data, dict) and not errors else None
                if isinstance(url, str):
                    self._urls[site_yml.parent.name] = url
        return self._urls

    def addresses(self, slug: str) -> SiteAddresses | None:
        if slug not in self._loaded:
            try:
                self._loaded[slug] = site_addresses(load_content(self.municipalities_dir / slug, self.shared_dir))
            except ContentErrors:
                self._loaded[slug] = None  # `kuntasivu lint SLUG` reports that site's own errors
        return self._loaded[slug]

    def owner(self, url: str, own: SiteAddresses) -> tuple[str, SiteAddresses, str] | None:
        """(slug, addresses, path inside the site) of the site ``url`` points into, or None."""
        if url.startswith("/"):
            relative = own.relative(url)
            return ("", own, relative) if relative is not None else None
        for slug, site_url in self.site_urls().items():
            if SiteAddresses(site_url).relative(url) is None:
                continue
            found = own if site_url == own.site_url else self.addresses(slug)
            if found is not None and (relative := found.relative(url)) is not None:
                return slug, found, relative
        return None


def closest_page(relative: str, pages: Iterable[str]) -> str | None:
    """The page address ``relative`` was most likely meant to be. The last part of an address names
    the page and the folders before it are shared by many ('palvelut/kirjasto/' for
    'palvelut/kirjastto/', not 'palvelut/kirkko/'), so it is matched first; then the whole address."""

    def last(path: str) -> str:
        return path.rstrip("/").rsplit("/", 1)[-1]

    ordered = sorted(pages)
    by_last: dict[str, list[str]] = {}
    for page in ordered:
        by_last.setdefault(last(page), []).append(page)
    names = difflib.get_close_matches(last(relative), list(by_last), n=1, cutoff=0.75)
    if names:
        candidates = by_last[names[0]]
        return (difflib.get_close_matches(relative, candidates, n=1, cutoff=0.0) or candidates)[0]
    # No page is named like it: only an address nearly the same as a whole is worth naming (the
    # folders alone, 'palvelut/', would make 'palvelut/aukioloajat/' look like 'palvelut/kirjasto/').
    whole = difflib.get_close_matches(relative, ordered, n=1, cutoff=0.85)
    return whole[0] if whole else None


def _check_url(ctx: LintContext, own: SiteAddresses, url: str, report: Report, *, events_matter: bool) -> None:
    sites: Sites = ctx.sites
    owner = sites.owner(url, own)
    if owner is None:
        return
    slug, site, relative = owner
    whose = "this site" if site is own else f"the site of {slug}"
    status = lookup(site, relative)
    if status == "moved":
        report("warning", CODE, f"{url} has moved; link to the new address {site.moved[relative.rstrip('/') + '/']}")
    elif status == "missing":
        close = closest_page(relative, site.pages)
        hint = f" (did you mean {site.absolute(close)}?)" if close else ""
        report("error", CODE, f"{url} is not a page of {whose}{hint}; fix the address or remove the link")
    elif events_matter:
        folder = relative if relative.endswith("/") else relative + "/"
        event = site.events.get(folder)
        if event is not None and (ended := last_day(event)) < ctx.today:
            report(
                "warning",
                CODE_EVENT,
                f"the link goes to event '{event.id}', which ended on {ended.isoformat()};"
                " remove the link or point it to a coming event",
            )


def _targets(ctx: LintContext) -> Iterator[tuple[str, Sourced[Any], Callable[[Level, str, str], None], bool]]:
    """Each absolute link with a way to report at its place; news about a past event is fine."""
    content = ctx.content
    for text in texts(content):
        if not text.is_markdown:
            continue
        for line in markdown.lines(text.value):
            for regex in (markdown.LINK, markdown.AUTOLINK):
                for match in regex.finditer(line.text):
                    target = match.group("target")
                    if not target.startswith(("https://", "http://", "/")):
                        continue
                    offset = line.offset + match.start()

                    def report(level: Level, code: str, message: str, text: Any = text, offset: int = offset) -> None:
                        ctx.at_text(text, offset, level, code, message)

                    yield target, text.source, report, not isinstance(text.source.item, NewsItem)
    for source in sources(content):
        for path, value, _ in walk(source.item, (), None):
            if isinstance(value, (Link, TopTask)) and value.url is not None:
                where = (*path, "url")

                def report_at(level: Level, code: str, message: str, source: Any = source, where: Any = where) -> None:
                    ctx.at_source(source, where, level, code, message)

                yield value.url, source, report_at, not isinstance(source.item, NewsItem)
    for old, new in content.site.item.redirects.items():
        if new.startswith(("https://", "http://")):

            def report_redirect(level: Level, code: str, message: str, old: str = old) -> None:
                ctx.at_source(content.site, ("redirects", old), level, code, message)

            yield new, content.site, report_redirect, True


def check(ctx: LintContext) -> None:
    own = ctx.sites.remember(ctx.content)
    for url, _source, report, events_matter in _targets(ctx):
        _check_url(ctx, own, url.split("#", 1)[0].split("?", 1)[0] or url, report, events_matter=events_matter)


__all__ = ["CODE", "Sites", "check"]
