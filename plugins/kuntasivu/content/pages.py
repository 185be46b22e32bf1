"""Turn loaded content into page sources: one Markdown text plus template data per page and language.

This is the whole site in engine-neutral form. The MkDocs adapter only hands these
to MkDocs; another engine would render the same sources with the same templates.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import feeds, urls
from .feedback_data import FeedbackData
from .feedback_export import THANKS_ID as FEEDBACK_THANKS_ID
from .feedback_export import exported as feedback_exported
from .feedback_pages import feedback_pages
from .feedback_view import feedback_view
from .form_export import ACCESSIBILITY_FORM, PLACEHOLDER, form_view, used_forms
from .images import CONTENT, HERO, LOGO_HEIGHT, ImageError, Images, Placement, logo_placement
from .loading import Content, Sourced
from .metadata import page_metadata
from .model import SYSTEM_PAGES, Event, Image, NewsItem, Page, Text
from .references import PAGE_LINK

COMPONENTS_URL = "_components/"
"""Where the component library is published in every site."""
ADMIN_DIR = "admin"
"""Folder of the browser editor (Decap CMS) in a built site; the address /admin/ is what Decap's
guides use. Here, beside COMPONENTS_URL, because robots.txt (sitemap.py) keeps it out too."""
SITE_INDEX_LOOSE = 10
"""The most pages outside the navigation's sections the search page's site index lists (as section_nav)."""

"""Placeholders shared pages may use; replaced with the municipality's own details."""


@dataclass
class PageSource:
    """One page of the built site in one language."""

    url: str
    """Address relative to the site root, ending in '/' ('' for the home page)."""
    lang: str
    kind: str
    """Which template renders it: home, page, section, news_index, news, events_index, event,
    contact, accessibility, form_thanks, feedback_statistics, feedback_reports or redirect."""
    title: str
    markdown: str
    """Main text in Markdown; page links already point at the target's source file."""
    context: dict[str, Any]
    """Template data for this page; plain, already-translated values."""
    key: str
    """Same for all translations of one page; used to link the translations together."""
    source: Path | None = None
    """The YAML file the page comes from, if any (for error reports)."""
    description: str = ""
    breadcrumbs: list[dict[str, str]] = field(default_factory=list)
    section: str | None = None
    alternates: dict[str, str] = field(default_factory=dict)
    """Language code → URL of this page in that language."""

    @property
    def src_uri(self) -> str:
        return urls.source_uri(self.url)


def localize(value: Any, lang: str) -> Any:
    """A model as plain data in one language: every Text becomes a string."""
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, BaseModel):
        return {name: localize(getattr(value, name), lang) for name in type(value).model_fields}
    if isinstance(value, list):
        return [localize(item, lang) for item in value]
    if isinstance(value, dict):
        return {key: localize(item, lang) for key, item in value.items()}
    return value


class _Builder:
    def __init__(
        self,
        content: Content,
        lang: str,
        today: dt.date,
        feedback_data: FeedbackData | None = None,
        images: Images | None = None,
    ) -> None:
        self.content = content
        self.images = images or Images(None)
        self.feedback_data = feedback_data
        self.site = content.site.item
        self.lang = lang
        self.today = today
        self.t = content.texts[lang]

    # --- small helpers ---------------------------------------------------------------------
    def text(self, value: Text | None) -> str:
        return value.get(self.lang) if value is not None else ""

    def date(self, value: dt.date) -> str:
        months = self.t["format.months"].split(",")
        return self.t["format.date"].format(
            day=value.day, month=value.month, year=value.year, month_name=months[value.month - 1]
        )

    def clock(self, moment: dt.datetime) -> str:
        return self.t["format.clock"].format(hour=moment.hour, minute=moment.minute)

    def when(self, start: dt.date, end: dt.date | None) -> str:
        """'20.2.2027 klo 11.00–15.00', '20.2.2027–22.2.2027' or '20.2.2027 klo 18.00'."""

        def one(moment: dt.date) -> str:
            if isinstance(moment, dt.datetime):
                return f"{self.date(moment)} {self.t['format.time'].format(clock=self.clock(moment))}"
            return self.date(moment)

        if end is None or end == start:
            return one(start)
        if isinstance(start, dt.datetime) and isinstance(end, dt.datetime) and end.date() == start.date():
            return self.t["format.range"].format(start=one(start), end=self.clock(end))
        return self.t["format.range"].format(start=one(start), end=one(end))

    def asset(self, source: Sourced[Any] | None, src: str) -> str:
        shared = source is not None and not source.path.is_relative_to(self.content.municipality_dir)
        return f"assets/shared/{src.removeprefix('assets/')}" if shared else src

    def asset_file(self, source: Sourced[Any] | None, src: str) -> Path:
        """Where an asset a content file names is on disk (the content was checked: it is there)."""
        shared = source is not None and not source.path.is_relative_to(self.content.municipality_dir)
        return (self.content.shared_dir if shared else self.content.municipality_dir) / src

    def image(
        self, source: Sourced[Any] | None, image: Image | None, placement: Placement = CONTENT
    ) -> dict[str, Any] | None:
        """{src, alt, width, height, srcset, sizes} (images.py): what partials/image.html renders."""
        if image is None:
            return None
        try:
            view = self.images.describe(self.asset_file(source, image.src), self.asset(source, image.src), placement)
        except ImageError as error:
            raise ImageError(f"{error} (the image '{image.src}' of {source.path if source else 'the site'})") from None
        return {**view, "alt": "" if image.decorative else self.text(image.alt)}

    def page_link(self, page_id: str) -> dict[str, str]:
        """Title and URL of any page, including the ones the site makes itself."""
        c, lang = self.content, self.lang
        system = {
            "home": (self.t["home_title"], urls.home_url(c, lang)),
            "news": (self.t["news.title"], urls.news_index_url(c, lang)),
            "events": (self.t["events.title"], urls.events_index_url(c, lang)),
            "contact": (self.t["contact.title"], urls.contact_url(c, lang)),
            "accessibility": (self.t["accessibility.title"], urls.accessibility_url(c, lang)),
        }
        if page_id in system:
            title, url = system[page_id]
        else:
            page = c.pages[page_id].item
            title, url = self.text(page.title), urls.page_url(c, page, lang)
        return {"title": title, "url": url}

    def markdown(self, source_url: str, text: Text | None, *, to_source: bool = True) -> str:
        """Markdown with ``page:`` links resolved.

        Page bodies link to the target's generated source file, so that MkDocs checks and
        rewrites them; Markdown rendered inside templates (FAQ answers) links to the URL.
        """
        markdown = self.text(text)
        here = posixpath.dirname(urls.source_uri(source_url)) or "."

        def link(match: re.Match[str]) -> str:
            target_url = self.page_link(match.group(1))["url"]
            if to_source:
                target = posixpath.relpath(urls.source_uri(target_url), here)
            else:
                target = posixpath.relpath(target_url or ".", source_url or ".") + "/"
            return f"]({target}{match.group(2) or ''})"

        contact = self.site.contact
        details = {
            "organisation": self.text(contact.organisation or self.site.name),
            "email": contact.email,
            "phone": contact.phone,
        }
        markdown = PLACEHOLDER.sub(lambda m: details[m.group(1)], markdown)
        return PAGE_LINK.sub(link, markdown)

    def crumbs(self, *trail: dict[str, str]) -> list[dict[str, str]]:
        return [{"title": self.t["home_title"], "url": urls.home_url(self.content, self.lang)}, *trail]

    def make(self, url: str, kind: str, title: str, key: str, **extra: Any) -> PageSource:
        return PageSource(
            url=url,
            lang=self.lang,
            kind=kind,
            title=title,
            key=key,
            markdown=extra.pop("markdown", ""),
            source=extra.pop("source", None),
            description=extra.pop("description", ""),
            breadcrumbs=extra.pop("breadcrumbs", []),
            section=extra.pop("section", None),
            context=extra,
        )

    # --- listings ----------------------------------------------------------------------------
    def news_teaser(self, news: Sourced[NewsItem]) -> dict[str, Any]:
        item = news.item
        return {
            "title": self.text(item.title),
            "url": urls.news_url(self.content, item, self.lang),
            "date": self.date(item.date),
            "datetime": item.date.isoformat(),
            "lead": self.text(item.lead),
        }

    def event_teaser(self, event: Sourced[Event]) -> dict[str, Any]:
        item = event.item
        return {
            "title": self.text(item.title),
            "url": urls.event_url(self.content, item, self.lang),
            "when": self.when(item.start, item.end),
            "datetime": item.start.isoformat(),
            "place": self.text(item.place),
            "summary": self.text(item.summary),
        }

    def is_upcoming(self, event: Event) -> bool:
        last = event.end or event.start
        last_day = last.date() if isinstance(last, dt.datetime) else last
        return last_day >= self.today

    def sorted_news(self) -> list[Sourced[NewsItem]]:
        return sorted(self.content.news, key=lambda n: (n.item.date, n.item.id), reverse=True)

    def sorted_events(self) -> tuple[list[Sourced[Event]], list[Sourced[Event]]]:
        def start(e: Sourced[Event]) -> dt.datetime:
            s = e.item.start
            return s if isinstance(s, dt.datetime) else dt.datetime.combine(s, dt.time())

        events = sorted(self.content.events, key=start)
        upcoming = [e for e in events if self.is_upcoming(e.item)]
        past = [e for e in reversed(events) if not self.is_upcoming(e.item)]
        return upcoming, past

    def section_pages(self, section_id: str) -> list[dict[str, str]]:
        pages = [p.item for p in self.content.pages.values() if p.item.section == section_id]
        pages.sort(key=lambda p: (p.order, self.text(p.title)))
        return [
            {
                "id": p.id,
                "title": self.text(p.title),
                "url": urls.page_url(self.content, p, self.lang),
                "summary": self.text(p.summary),
            }
            for p in pages
        ]

    # --- the pages ----------------------------------------------------------------------------
    def all(self) -> list[PageSource]:
        c, lang = self.content, self.lang
        out = [self.home()]
        for section in self.site.navigation:
            url = urls.section_url(c, section, lang)
            title = self.text(section.title)
            out.append(
                self.make(
                    url,
                    "section",
                    title,
                    f"section:{section.id}",
                    description=self.text(section.summary),
                    breadcrumbs=self.crumbs({"title": title, "url": url}),
                    section=section.id,
                    summary=self.text(section.summary),
                    pages=self.section_pages(section.id),
                )
            )
        out.extend(self.page(page) for page in c.pages.values())
        if self.site.features.news:
            out.extend(self.news_pages())
        if self.site.features.events:
            out.extend(self.event_pages())
        out.append(self.contact())
        out.append(self.accessibility())
        out.append(self.search())
        out.extend(self.thanks_pages())
        out.extend(feedback_pages(self, self.feedback_data))
        out.extend(self.redirects())
        if self.lang == c.languages[0]:
            # For designers and reviewers: linked from nowhere, left out of the sitemap.
            out.append(self.make(COMPONENTS_URL, "components", self.t["components.title"], "components"))
        return out

    def home(self) -> PageSource:
        site, c, lang = self.site, self.content, self.lang
        hero = None
        if site.hero is not None:
            hero = {
                "image": self.image(c.site, site.hero.image.model_copy(), HERO),
                "title": self.text(site.hero.title) or self.text(site.name),
                "lead": self.text(site.hero.lead),
            }
        tasks = []
        for task in site.top_tasks:
            if task.page:
                link = self.page_link(task.page)
                tasks.append({"title": self.text(task.title) or link["title"], "url": link["url"], "external": False})
            else:
                tasks.append({"title": self.text(task.title), "url": task.url, "external": True})
        upcoming, _ = self.sorted_events()
        return self.make(
            urls.home_url(c, lang),
            "home",
            self.text(site.name),
            "home",
            source=c.site.path,
            description=self.text(site.description),
            hero=hero,
            top_tasks=tasks,
            news=[self.news_teaser(n) for n in self.sorted_news()[:3]] if site.features.news else None,
            events=[self.event_teaser(e) for e in upcoming[:3]] if site.features.events else None,
        )

    def page(self, sourced: Sourced[Page]) -> PageSource:
        page, c, lang = sourced.item, self.content, self.lang
        url = urls.page_url(c, page, lang)
        section = urls.find_section(c, page.section)
        trail = [{"title": self.text(section.title), "url": urls.section_url(c, section, lang)}] if section else []
        title = self.text(page.title)
        blocks = []
        for block in page.blocks:
            data = localize(block, lang)
            if block.type == "links":
                data["links"] = [
                    {
                        "title": self.text(link.text) or self.page_link(link.page)["title"],
                        "url": self.page_link(link.page)["url"],
                        "external": False,
                    }
                    if link.page
                    else {"title": self.text(link.text), "url": link.url, "external": True}
                    for link in block.links
                ]
            elif block.type == "contact":
                data["tel"] = _tel(block.phone) if block.phone else None
            elif block.type == "faq":
                for item, model in zip(data["items"], block.items, strict=True):
                    item["answer"] = self.markdown(url, model.answer, to_source=False)
            elif block.type == "form":
                if not self.site.inbox_url:
                    continue  # only shared pages get here: they tell how to get in touch instead
                data["form"] = form_view(c, block.form, lang)
            elif block.type == "feedback":
                if not feedback_exported(c):
                    continue  # only shared pages get here: a site's own page without it is a content error
                data["feedback"] = feedback_view(c, lang)
            blocks.append(data)
        return self.make(
            url,
            "page",
            title,
            f"page:{page.id}",
            source=sourced.path,
            markdown=self.markdown(url, page.body),
            description=self.text(page.summary),
            breadcrumbs=self.crumbs(*trail, {"title": title, "url": url}),
            section=page.section,
            summary=self.text(page.summary),
            image=self.image(sourced, page.image),
            blocks=blocks,
            form=next((b["form"] for b in blocks if b["type"] == "form"), None),
            # Not "feedback": the accessibility statement's context has that (its feedback contact).
            feedback_widget=next((b["feedback"] for b in blocks if b["type"] == "feedback"), None),
            section_title=self.text(section.title) if section else "",
            section_url=urls.section_url(c, section, lang) if section else "",
            section_pages=self.section_pages(section.id) if section else [],
        )

    def news_pages(self) -> list[PageSource]:
        c, lang = self.content, self.lang
        index_url = urls.news_index_url(c, lang)
        title = self.t["news.title"]
        out = [
            self.make(
                index_url,
                "news_index",
                title,
                "news",
                breadcrumbs=self.crumbs({"title": title, "url": index_url}),
                items=[self.news_teaser(n) for n in self.sorted_news()],
                feed=feeds.rss_url(c, lang),
            )
        ]
        for news in self.content.news:
            item = news.item
            url = urls.news_url(c, item, lang)
            heading = self.text(item.title)
            out.append(
                self.make(
                    url,
                    "news",
                    heading,
                    f"news:{item.id}",
                    source=news.path,
                    markdown=self.markdown(url, item.body),
                    description=self.text(item.lead),
                    breadcrumbs=self.crumbs({"title": title, "url": index_url}, {"title": heading, "url": url}),
                    lead=self.text(item.lead),
                    date=self.date(item.date),
                    datetime=item.date.isoformat(),
                    image=self.image(news, item.image),
                )
            )
        return out

    def event_pages(self) -> list[PageSource]:
        c, lang = self.content, self.lang
        index_url = urls.events_index_url(c, lang)
        title = self.t["events.title"]
        upcoming, past = self.sorted_events()
        out = [
            self.make(
                index_url,
                "events_index",
                title,
                "events",
                breadcrumbs=self.crumbs({"title": title, "url": index_url}),
                upcoming=[self.event_teaser(e) for e in upcoming],
                past=[self.event_teaser(e) for e in past],
                calendar_feed=feeds.calendar_feed_url(c, lang),
            )
        ]
        for event in self.content.events:
            item = event.item
            url = urls.event_url(c, item, lang)
            heading = self.text(item.title)
            out.append(
                self.make(
                    url,
                    "event",
                    heading,
                    f"event:{item.id}",
                    source=event.path,
                    markdown=self.markdown(url, item.description),
                    description=self.text(item.summary),
                    breadcrumbs=self.crumbs({"title": title, "url": index_url}, {"title": heading, "url": url}),
                    summary=self.text(item.summary),
                    when=self.when(item.start, item.end),
                    datetime=item.start.isoformat(),
                    place=self.text(item.place),
                    image=self.image(event, item.image),
                    registration_form=item.registration_form,
                    calendar_file=feeds.event_calendar_url(c, item, lang),
                    form=form_view(c, item.registration_form, lang) if item.registration_form else None,
                    email=self.site.contact.email,
                )
            )
        return out

    def contact(self) -> PageSource:
        url = urls.contact_url(self.content, self.lang)
        title = self.t["contact.title"]
        return self.make(
            url,
            "contact",
            title,
            "contact",
            source=self.content.site.path,
            description=self.t["contact.lead"],
            breadcrumbs=self.crumbs({"title": title, "url": url}),
        )

    def accessibility(self) -> PageSource:
        url = urls.accessibility_url(self.content, self.lang)
        title = self.t["accessibility.title"]
        return self.make(
            url,
            "accessibility",
            title,
            "accessibility",
            source=self.content.site.path,
            description=self.t["accessibility.lead"].format(organisation=self.organisation()),
            breadcrumbs=self.crumbs({"title": title, "url": url}),
            feedback=localize(self.site.accessibility, self.lang),
            form=form_view(self.content, ACCESSIBILITY_FORM, self.lang)
            if ACCESSIBILITY_FORM in used_forms(self.content)
            else None,
        )

    def search(self) -> PageSource:
        url = urls.search_url(self.content, self.lang)
        title = self.t["search.title"]
        return self.make(
            url,
            "search",
            title,
            "search",
            breadcrumbs=self.crumbs({"title": title, "url": url}),
            site_index=self.site_index(),
        )

    def site_index(self) -> dict[str, Any]:
        """What the search page lists for those whose browser cannot run the search (and for anyone
        who would rather browse): the sections, each linking to its own page that lists its pages;
        the fixed pages (news, events, contact, accessibility statement); and at most
        ``SITE_INDEX_LOOSE`` pages outside the sections, in their order. Its size depends on the
        navigation, never on how many pages the site has (the page weight budget, weight.py)."""
        c, lang = self.content, self.lang
        sections = [{"title": self.text(s.title), "url": urls.section_url(c, s, lang)} for s in self.site.navigation]
        in_sections = {s.id for s in self.site.navigation}
        loose = [p.item for p in c.pages.values() if p.item.section not in in_sections]
        loose.sort(key=lambda p: (p.order, self.text(p.title)))
        features = self.site.features
        fixed = [name for name, shown in (("news", features.news), ("events", features.events)) if shown]
        others = [self.page_link(name) for name in (*fixed, "contact", "accessibility")]
        others += [self.page_link(p.id) for p in loose[:SITE_INDEX_LOOSE]]
        return {"sections": sections, "others": others, "more": max(0, len(loose) - SITE_INDEX_LOOSE)}

    def thanks_pages(self) -> list[PageSource]:
        """A thank-you page for each form the site shows, and for location-based feedback: where a
        submission without JavaScript lands."""
        out = []
        for form_id in used_forms(self.content):
            view = form_view(self.content, form_id, self.lang)
            url = urls.thanks_url(self.content, form_id, self.lang)
            title = self.t["forms.thanks_title"].format(title=view["title"])
            out.append(
                self.make(
                    url,
                    "form_thanks",
                    title,
                    f"thanks:{form_id}",
                    source=self.content.forms[form_id].path,
                    breadcrumbs=self.crumbs({"title": title, "url": url}),
                    thanks=view["thanks"],
                    form_title=view["title"],
                )
            )
        if feedback_exported(self.content):
            url = urls.thanks_url(self.content, FEEDBACK_THANKS_ID, self.lang)
            title = self.t["forms.thanks_title"].format(title=self.t["feedback.title"])
            out.append(
                self.make(
                    url,
                    "form_thanks",
                    title,
                    f"thanks:{FEEDBACK_THANKS_ID}",
                    source=self.content.site.path,
                    breadcrumbs=self.crumbs({"title": title, "url": url}),
                    thanks=self.t["feedback.thanks"],
                    form_title=self.t["feedback.title"],
                )
            )
        return out

    def organisation(self) -> str:
        return self.text(self.site.contact.organisation or self.site.name)

    def redirects(self) -> list[PageSource]:
        """A page at each old address that sends the reader on (default language only)."""
        if self.lang != self.content.languages[0]:
            return []
        out = []
        for old, new in self.site.redirects.items():
            external = new.startswith("https://")
            if external:
                target = {"title": new, "url": new}
            elif new.startswith("/"):
                target = {"title": new, "url": new.lstrip("/")}
            else:
                target = self.page_link(new)
            out.append(
                self.make(
                    old.strip("/") + "/",
                    "redirect",
                    self.t["redirect.title"],
                    f"redirect:{old}",
                    source=self.content.site.path,
                    target=target,
                    external=external,
                )
            )
        return out


def site_context(
    content: Content, lang: str, today: dt.date | None = None, images: Images | None = None
) -> dict[str, Any]:
    """What every page in one language shows around its content: header, navigation, footer."""
    builder = _Builder(content, lang, today or dt.date.today(), images=images)
    site, t = content.site.item, content.texts[lang]
    logo_image = None
    if site.brand.logo:
        logo_file = builder.asset_file(content.site, site.brand.logo)
        try:
            placement = logo_placement(builder.images.size(logo_file))
            logo_image = builder.images.describe(logo_file, site.brand.logo, placement)
            # Shown LOGO_HEIGHT px high whatever the file's size: width and height give that size.
            logo_image.update(width=placement.css_px, height=LOGO_HEIGHT)
        except ImageError as error:
            raise ImageError(f"{error} (the logo of {content.site.path})") from None
    contact = localize(site.contact, lang)
    if site.contact.coordinates:
        lat, lon = site.contact.coordinates.lat, site.contact.coordinates.lon
        contact["map_url"] = f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}"
    contact["tel"] = _tel(site.contact.phone)
    for unit in contact["units"]:
        unit["tel"] = _tel(unit["phone"]) if unit["phone"] else None
    alert = None
    if site.alert is not None and (site.alert.until is None or site.alert.until >= builder.today):
        alert = localize(site.alert, lang)
        alert["label"] = t[f"alert.{site.alert.level}"]
        alert["link"] = builder.page_link(site.alert.page) if site.alert.page else None
    footer_links = [builder.page_link(page_id) for page_id in site.footer_pages]
    footer_links += [builder.page_link("contact"), builder.page_link("accessibility")]
    return {
        "name": builder.text(site.name),
        "organisation": builder.organisation(),
        "lang": lang,
        "languages": [
            {"code": code, "name": content.texts[code]["language_name"], "home_url": urls.home_url(content, code)}
            for code in content.languages
        ],
        "home_url": urls.home_url(content, lang),
        "logo": site.brand.logo,
        "logo_image": logo_image,
        "nav": [
            {"id": s.id, "title": builder.text(s.title), "url": urls.section_url(content, s, lang)}
            for s in site.navigation
        ],
        "contact": contact,
        "contact_url": urls.contact_url(content, lang),
        "news_url": urls.news_index_url(content, lang),
        "events_url": urls.events_index_url(content, lang),
        "search_url": urls.search_url(content, lang),
        "social": [{"service": s.service, "label": t[f"social.{s.service}"], "url": s.url} for s in site.social],
        "alert": alert,
        "footer_links": footer_links,
        "site_url": site.site_url,
        "feeds": feeds.feed_links(content, lang),
    }


def _tel(phone: str) -> str:
    """A tel: URI in international form; Finnish numbers drop the leading 0 after +358."""
    digits = re.sub(r"[^0-9+]", "", phone)
    return digits if digits.startswith("+") else "+358" + digits.removeprefix("0")


def page_sources(
    content: Content,
    today: dt.date | None = None,
    feedback_data: FeedbackData | None = None,
    images: Images | None = None,
) -> list[PageSource]:
    """Every page of the site in every language, with translations linked to each other.
    ``feedback_data``: what the receiving service said at build time (feedback_data.py).
    ``images``: measures the images and makes their resized copies (None: sizes only)."""
    today = today or dt.date.today()
    images = images or Images(None)
    sources: list[PageSource] = []
    for lang in content.languages:
        sources.extend(_Builder(content, lang, today, feedback_data, images).all())
    by_key: dict[str, dict[str, str]] = {}
    for source in sources:
        by_key.setdefault(source.key, {})[source.lang] = source.url
    for source in sources:
        source.alternates = by_key[source.key]
        source.context["meta"] = page_metadata(content, source)
    return sources


def site_redirects(content: Content) -> list[tuple[str, str]]:
    """The site.yml redirects as (old, target): the old path from the host root with the site's base
    path, the target likewise or an https:// address. The one source of `_redirects` and `_nginx.conf`;
    references.py has checked both parts (no space, quote or '$' can reach those files)."""
    base = "/" + content.site.item.site_url.split("://", 1)[1].partition("/")[2]
    out = []
    builder = _Builder(content, content.languages[0], dt.date.today())
    for old, new in content.site.item.redirects.items():
        if new.startswith("https://"):
            target = new
        elif new.startswith("/"):
            target = base.rstrip("/") + new
        else:
            target = base + builder.page_link(new)["url"]
        out.append((f"{base.rstrip('/')}{old}", target))
    return out


def redirects_file(content: Content) -> str:
    """Redirects in the `_redirects` format of Netlify and Cloudflare Pages."""
    lines = [f"{old} {target} 301" for old, target in site_redirects(content)]
    return "\n".join(lines) + ("\n" if lines else "")


__all__ = ["SYSTEM_PAGES", "PageSource", "localize", "page_sources", "redirects_file", "site_redirects"]
