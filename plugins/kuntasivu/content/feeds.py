"""The news feed (RSS 2.0) and the event calendars (iCalendar) of each language, as file texts.

Engine-neutral: the adapter only writes what ``feed_files`` returns. Event times in the
content are local Finnish time; the calendars give them in UTC, so no VTIMEZONE is needed.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from . import ical, urls
from .loading import Content
from .model import Event, NewsItem

HELSINKI = ZoneInfo("Europe/Helsinki")
"""The time zone in which content gives event times and news dates."""
ATOM = "http://www.w3.org/2005/Atom"
RSS_FILE = "rss.xml"
RSS_TYPE = "application/rss+xml"
RSS_ITEMS = 50
"""The newest news items a feed carries: readers poll the whole file, so it must not grow with the archive."""
PRODID = "-//Kuntasivu//Kuntasivu//FI"
REFRESH = "P1D"
"""How often a subscribed calendar should ask again (RFC 7986 REFRESH-INTERVAL; X-PUBLISHED-TTL for
clients that predate it): events are added when the site is built, at most a few times a day."""


# --- where the files are ------------------------------------------------------------------------
def rss_url(content: Content, lang: str) -> str:
    """The news feed of one language, inside that language's news folder: 'ajankohtaista/rss.xml'."""
    return urls.news_index_url(content, lang) + RSS_FILE


def calendar_feed_url(content: Content, lang: str) -> str | None:
    """Every event of one language in one calendar: 'tapahtumat/kalenteri.ics'; None when the site
    has no events, as a calendar must hold at least one (RFC 5545 3.6), so there is no file to link."""
    if not content.events:
        return None
    return f"{urls.events_index_url(content, lang)}{content.texts[lang]['slug.calendar']}.ics"


def event_calendar_url(content: Content, event: Event, lang: str) -> str:
    """One event's calendar file beside its page: 'tapahtumat/<id>/<id>.ics'."""
    return f"{urls.event_url(content, event, lang)}{event.id}.ics"


def feed_links(content: Content, lang: str) -> list[dict[str, str]]:
    """The feeds every page of a language announces in its head (feed readers find them there)."""
    if not content.site.item.features.news:
        return []
    t = content.texts[lang]
    title = t["news.feed_title"].format(name=content.site.item.name.get(lang), title=t["news.title"])
    return [{"url": rss_url(content, lang), "type": RSS_TYPE, "title": title}]


def feed_files(content: Content, built: dt.datetime) -> dict[str, str]:
    """Every feed and calendar file of the site by its path from the site root.

    ``built`` (aware) is the build time: the feed's lastBuildDate and the calendars' DTSTAMP."""
    site = content.site.item
    events = sorted((e.item for e in content.events), key=lambda e: (_start_key(e), e.id))
    files: dict[str, str] = {}
    for lang in content.languages:
        if site.features.news:
            files[rss_url(content, lang)] = rss_feed(content, lang, built)
        feed_url = calendar_feed_url(content, lang)
        if site.features.events and feed_url is not None:
            files[feed_url] = calendar_feed(content, lang, events, built)
            for event in events:
                files[event_calendar_url(content, event, lang)] = event_calendar(content, lang, event, built)
    return files


def _start_key(event: Event) -> dt.datetime:
    start = event.start
    moment = start if isinstance(start, dt.datetime) else dt.datetime.combine(start, dt.time())
    return local(moment).astimezone(dt.UTC)


# --- times --------------------------------------------------------------------------------------
def local(moment: dt.datetime) -> dt.datetime:
    """A time from the content as an aware Finnish time (content gives local time without offset)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=HELSINKI)


def news_published(item: NewsItem) -> dt.datetime:
    """A news item is published at the start of its day in Finland (content gives the day only)."""
    return dt.datetime.combine(item.date, dt.time(), tzinfo=HELSINKI)


# --- RSS ----------------------------------------------------------------------------------------
def rss_feed(content: Content, lang: str, built: dt.datetime) -> str:
    """RSS 2.0 of the language's ``RSS_ITEMS`` newest news items, newest first, with absolute links
    and RFC 822 dates. Older news stays on the site's news list."""
    site, t = content.site.item, content.texts[lang]
    name = site.name.get(lang)
    news = sorted((n.item for n in content.news), key=lambda n: (n.date, n.id), reverse=True)[:RSS_ITEMS]
    # atom:link is written as a prefixed name with its declaration on <rss>: the usual RSS form.
    rss = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM})
    channel = ET.SubElement(rss, "channel")
    _text(channel, "title", f"{name} – {t['news.title']}")
    _text(channel, "link", site.site_url + urls.news_index_url(content, lang))
    _text(channel, "description", html.escape(t["news.feed_description"].format(name=name), quote=False))
    _text(channel, "language", lang)
    if news:
        _text(channel, "pubDate", email.utils.format_datetime(news_published(news[0])))
    _text(channel, "lastBuildDate", email.utils.format_datetime(built.astimezone(dt.UTC)))
    _text(channel, "generator", "Kuntasivu")
    ET.SubElement(
        channel, "atom:link", {"href": site.site_url + rss_url(content, lang), "rel": "self", "type": RSS_TYPE}
    )
    for item in news:
        url = site.site_url + urls.news_url(content, item, lang)
        entry = ET.SubElement(channel, "item")
        _text(entry, "title", item.title.get(lang))
        _text(entry, "link", url)
        # RSS readers take a description as HTML: the lead is plain text, so its '<' and '&' are
        # escaped for HTML here (and once more for XML by ElementTree).
        _text(entry, "description", html.escape(item.lead.get(lang), quote=False))
        _text(entry, "pubDate", email.utils.format_datetime(news_published(item)))
        ET.SubElement(entry, "guid", {"isPermaLink": "true"}).text = url
    ET.indent(rss)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(rss, encoding="unicode") + "\n"


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = text


# --- iCalendar ----------------------------------------------------------------------------------
def calendar_feed(content: Content, lang: str, events: list[Event], built: dt.datetime) -> str:
    """The calendar of every event in one language, to subscribe to: named (a client shows it as a
    calendar of its own) and with how often to ask again. ``events`` must not be empty (RFC 5545 3.6).

    The events keep the UIDs of their own files (``event_calendar``), so a calendar that has both
    (or both languages) shows each event once."""
    if not events:
        raise ValueError("a calendar needs at least one event (RFC 5545 3.6); calendar_feed_url is None then")
    site, t = content.site.item, content.texts[lang]
    name = ical.escape_text(f"{site.name.get(lang)} – {t['events.title']}")
    lines = [
        *_calendar_head(),
        ("NAME", name),
        ("X-WR-CALNAME", name),
        ("REFRESH-INTERVAL;VALUE=DURATION", REFRESH),
        ("X-PUBLISHED-TTL", REFRESH),
    ]
    for event in events:
        lines.extend(_vevent(content, lang, event, built))
    lines.append(("END", "VCALENDAR"))
    return ical.document(lines)


def event_calendar(content: Content, lang: str, event: Event, built: dt.datetime) -> str:
    """One event's file, to add to a calendar the reader already has: METHOD:PUBLISH and no calendar
    name (with NAME or X-WR-CALNAME, clients offer to create a new calendar for the one event)."""
    lines = [*_calendar_head(), ("METHOD", "PUBLISH"), *_vevent(content, lang, event, built), ("END", "VCALENDAR")]
    return ical.document(lines)


def _calendar_head() -> list[tuple[str, str]]:
    return [("BEGIN", "VCALENDAR"), ("VERSION", "2.0"), ("PRODID", PRODID), ("CALSCALE", "GREGORIAN")]


def _vevent(content: Content, lang: str, event: Event, built: dt.datetime) -> list[tuple[str, str]]:
    site = content.site.item
    host = urlsplit(site.site_url).hostname or "localhost"
    lines = [
        ("BEGIN", "VEVENT"),
        ("UID", f"{event.id}@{host}"),
        ("DTSTAMP", ical.utc_stamp(built)),
        *_times(event),
        ("SUMMARY", ical.escape_text(event.title.get(lang))),
        ("LOCATION", ical.escape_text(event.place.get(lang))),
        ("DESCRIPTION", ical.escape_text(event.summary.get(lang))),
        ("URL", site.site_url + urls.event_url(content, event, lang)),
        ("END", "VEVENT"),
    ]
    return lines


def _times(event: Event) -> list[tuple[str, str]]:
    """DTSTART and DTEND: UTC times for a timed event; whole days for a date-only one, where DTEND
    is the day after the last day (RFC 5545 3.6.1: the end is not part of the event)."""
    start, end = event.start, event.end
    if isinstance(start, dt.datetime):
        out = [("DTSTART", ical.utc_stamp(local(start)))]
        if isinstance(end, dt.datetime):
            out.append(("DTEND", ical.utc_stamp(local(end))))
        return out
    last = end if end is not None and not isinstance(end, dt.datetime) else start
    return [
        ("DTSTART;VALUE=DATE", ical.date_value(start)),
        ("DTEND;VALUE=DATE", ical.date_value(last + dt.timedelta(days=1))),
    ]
