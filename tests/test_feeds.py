"""Feeds and metadata: RSS per language, iCalendar files, sitemap.xml, robots.txt, the 404 page
of each language, JSON-LD and Open Graph. Each file is read back by a real parser (feedparser,
icalendar, lxml, json), from two fixture sites built once with the own checks and from the six
sample sites the session builds with the whole gate."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import html
import json
import os
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import icalendar
import pytest
import yaml
from bs4 import BeautifulSoup
from kuntasivu.content import ical
from kuntasivu.content.feeds import RSS_ITEMS, calendar_feed_url, feed_files, feed_links
from kuntasivu.content.loading import load_content
from kuntasivu.content.pages import page_sources
from kuntasivu.content.sitemap import robots_txt
from kuntasivu.editor import is_admin
from lxml import etree

from tests.conftest import FIXTURES, SAMPLES, SHARED, make_project
from tests.theme.test_components import make_ks, theme_environment

BUILT_AT = dt.datetime(2026, 11, 26, 8, 30, tzinfo=dt.UTC)
"""SOURCE_DATE_EPOCH of the fixture build: the feeds' lastBuildDate and the calendars' DTSTAMP."""
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
NS = {"s": SITEMAP_NS, "xhtml": XHTML_NS}
KAKSI = "https://www.kaksikielinen.fi/"
PIENI = "https://www.pieni.fi/"


def tiny_png() -> bytes:
    """A valid 1×1 PNG, so that a news item has an image link previews can show."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"IEND", b"")
    )


def add_feed_content(municipality: Path) -> None:
    """News and events with markup characters, summer and winter times and whole days, an image,
    coordinates, social media and a logo on top of the bilingual fixture."""
    shutil.copytree(FIXTURES / "feeds" / "kaksikielinen", municipality, dirs_exist_ok=True)
    (municipality / "assets").mkdir(exist_ok=True)
    (municipality / "assets" / "kirjasto.png").write_bytes(tiny_png())
    shutil.copy(FIXTURES / "municipalities" / "pieni" / "assets" / "logo.svg", municipality / "assets" / "logo.svg")
    site_file = municipality / "site.yml"
    site = yaml.safe_load(site_file.read_text("utf-8"))
    site["brand"] = {"logo": "assets/logo.svg"}
    site["contact"]["coordinates"] = {"lat": 60.25, "lon": 24.07}
    site["social"] = [{"service": "facebook", "url": "https://www.facebook.com/kaksikielinen"}]
    site_file.write_text(yaml.safe_dump(site, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pieni (fi) and kaksikielinen (fi + sv, with the feed content above) built with the own checks."""
    root = make_project(tmp_path_factory.mktemp("feeds") / "project")
    add_feed_content(root / "municipalities" / "kaksikielinen")
    out = root / "public"
    command = ["build", "pieni", "kaksikielinen", "--today", "2026-11-26", "--checks", "static", "--out", str(out)]
    command += ["--reports", str(root / "reports"), "--cache-dir", str(root / "cache")]
    result = subprocess.run(
        [sys.executable, "-m", "kuntasivu.cli", *command],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "SOURCE_DATE_EPOCH": str(int(BUILT_AT.timestamp()))},
    )
    assert result.returncode == 0, result.stderr
    return out


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def local_file(site: Path, site_url: str, url: str) -> Path:
    """The file an absolute address of the site is served from."""
    assert url.startswith(site_url), url
    relative = url.removeprefix(site_url)
    return site / relative / "index.html" if relative == "" or relative.endswith("/") else site / relative


def html_pages(site: Path) -> list[Path]:
    """The site's pages: not the browser editor (admin/), a tool for staff that search engines are kept from."""
    return sorted(path for path in site.rglob("*.html") if not is_admin(path.relative_to(site).as_posix()))


# --- RSS ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "lang", "channel_link"),
    [("ajankohtaista/rss.xml", "fi", f"{KAKSI}ajankohtaista/"), ("sv/aktuellt/rss.xml", "sv", f"{KAKSI}sv/aktuellt/")],
)
def test_news_feed_per_language_parses_cleanly(public: Path, path: str, lang: str, channel_link: str) -> None:
    site = public / "kaksikielinen"
    feed = feedparser.parse((site / path).read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert feed.feed.language == lang
    assert feed.feed.link == channel_link
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [KAKSI + path]
    assert feed.feed.updated_parsed[:5] == (2026, 11, 26, 8, 30)
    assert len(feed.entries) == 2
    newest, older = feed.entries
    expected_title = {"fi": "Kirjasto & kahvila <auki>", "sv": "Bibliotek & kafé <öppet>"}[lang]
    assert newest.title == expected_title
    assert newest.id == newest.link
    # Published at the start of the day in Finland (UTC+2 in November): 22:00 UTC the day before.
    assert newest.published == "Fri, 20 Nov 2026 00:00:00 +0200"
    assert newest.published_parsed[:4] == (2026, 11, 19, 22)
    assert older.published_parsed[:3] == (2026, 9, 30)
    for entry in feed.entries:
        assert entry.link.startswith(channel_link)
        assert local_file(site, KAKSI, entry.link).is_file()
    # Readers take a description as HTML: the plain-text lead arrives as text, not as markup.
    lead = {"fi": "Uusi kirjasto avautuu joulukuussa. </script><!-- Ei koodia -->"}.get(lang)
    if lead is not None:
        assert html.unescape(newest.summary) == lead and "<" not in newest.summary


def test_feed_text_is_escaped_xml(public: Path) -> None:
    text = (public / "kaksikielinen" / "ajankohtaista" / "rss.xml").read_text("utf-8")
    assert "Kirjasto &amp; kahvila &lt;auki&gt;" in text
    etree.fromstring(text.encode("utf-8"))  # well-formed: raises otherwise


def test_every_page_announces_its_languages_feed(public: Path) -> None:
    site = public / "kaksikielinen"
    for path in html_pages(site):
        links = soup(path).find_all("link", attrs={"type": "application/rss+xml"})
        assert len(links) == 1, path
        sv = path.relative_to(site).parts[0] == "sv"
        href = links[0]["href"]
        # The 404 pages are shown at any address, so their links start from the site root.
        target = site / href.lstrip("/") if href.startswith("/") else path.parent / href
        assert target.resolve() == (site / ("sv/aktuellt" if sv else "ajankohtaista") / "rss.xml").resolve(), path
        assert links[0]["title"] == ("Tvåspråkig – Aktuellt (RSS)" if sv else "Kaksikielinen – Ajankohtaista (RSS)")
    index = soup(site / "ajankohtaista" / "index.html").main
    visible = index.find("a", attrs={"type": "application/rss+xml"})
    assert visible.get_text() == "Uutiset RSS-syötteenä" and visible["href"] == "rss.xml"


def test_no_news_feed_when_news_is_off(make_municipality) -> None:
    municipality = make_municipality("pieni")
    site_file = municipality / "site.yml"
    site_file.write_text(site_file.read_text("utf-8") + "features:\n  news: false\n", encoding="utf-8")
    content = load_content(municipality, SHARED)
    files = feed_files(content, BUILT_AT)
    assert not any(path.endswith("rss.xml") for path in files)
    assert feed_links(content, "fi") == []
    assert calendar_feed_url(content, "fi") in files


def add_news(municipality: Path, count: int) -> None:
    """``count`` news items, one a day from 1.1.2026: 'uutinen-000' is the oldest."""
    (municipality / "news").mkdir(exist_ok=True)
    for number in range(count):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=number)
        text = f"id: uutinen-{number:03d}\ndate: {day.isoformat()}\ntitle: Uutinen {number:03d}\nlead: Lyhyesti.\n"
        (municipality / "news" / f"uutinen-{number:03d}.yml").write_text(text, encoding="utf-8")


def test_a_feed_carries_only_the_newest_items(make_municipality) -> None:
    municipality = make_municipality("pieni")
    add_news(municipality, RSS_ITEMS + 10)
    files = feed_files(load_content(municipality, SHARED), BUILT_AT)
    feed = feedparser.parse(files["ajankohtaista/rss.xml"].encode("utf-8"))
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert RSS_ITEMS == 50
    titles = [entry.title for entry in feed.entries]
    # pieni's own item is from 20.11.2026, newer than all the added ones.
    assert titles == ["Kirjasto avautuu"] + [f"Uutinen {n:03d}" for n in range(RSS_ITEMS + 9, 10, -1)]
    assert len(titles) == RSS_ITEMS


def test_the_feed_title_comes_from_the_texts(make_municipality) -> None:
    municipality = make_municipality("pieni")
    assert [link["title"] for link in feed_links(load_content(municipality, SHARED), "fi")] == [
        "Pieni – Ajankohtaista (RSS)"
    ]
    (municipality / "texts").mkdir()
    (municipality / "texts" / "fi.yml").write_text('news:\n  feed_title: "{title}: {name}, RSS-syöte"\n', "utf-8")
    assert [link["title"] for link in feed_links(load_content(municipality, SHARED), "fi")] == [
        "Ajankohtaista: Pieni, RSS-syöte"
    ]


# --- iCalendar ------------------------------------------------------------------------------------
def calendars(site: Path) -> list[Path]:
    return sorted(site.rglob("*.ics"))


def test_every_calendar_file_is_rfc5545_text(public: Path) -> None:
    files = calendars(public / "kaksikielinen") + calendars(public / "pieni")
    # Both languages: the feed and five event files each; pieni: the feed and one event.
    assert len(files) == 2 * 6 + 2
    for path in files:
        raw = path.read_bytes()
        assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b""), path
        for line in raw.split(b"\r\n")[:-1]:
            assert len(line) <= 75, (path, line)
            line.decode("utf-8")  # a fold never splits a character: each line decodes on its own
        parsed = icalendar.Calendar.from_ical(raw.decode("utf-8"))
        assert str(parsed["VERSION"]) == "2.0" and str(parsed["PRODID"])
        for event in parsed.walk("VEVENT"):
            for name in ("UID", "DTSTAMP", "DTSTART", "SUMMARY", "LOCATION", "DESCRIPTION", "URL"):
                assert name in event, (path, name)
            assert event.decoded("DTSTAMP") == BUILT_AT
            slug = path.relative_to(public).parts[0]
            site_url = {"kaksikielinen": KAKSI, "pieni": PIENI}[slug]
            assert local_file(public / slug, site_url, str(event["URL"])).is_file()


def events_of(path: Path) -> dict[str, icalendar.Event]:
    parsed = icalendar.Calendar.from_ical(path.read_text("utf-8"))
    return {str(event["UID"]).split("@")[0]: event for event in parsed.walk("VEVENT")}


def test_calendar_feed_holds_every_event_with_the_uids_of_the_event_files(public: Path) -> None:
    site = public / "kaksikielinen"
    fi = events_of(site / "tapahtumat" / "kalenteri.ics")
    sv = events_of(site / "sv" / "evenemang" / "kalender.ics")
    ids = {"kesajuhla", "talvikonsertti", "kevatkavely", "joulumarkkinat", "kirpputori"}
    assert set(fi) == set(sv) == ids
    for event_id in ids:
        single = events_of(site / "tapahtumat" / event_id / f"{event_id}.ics")
        assert list(single) == [event_id]
        assert str(single[event_id]["UID"]) == str(fi[event_id]["UID"]) == f"{event_id}@www.kaksikielinen.fi"
        assert str(sv[event_id]["URL"]) == f"{KAKSI}sv/evenemang/{event_id}/"
    name = icalendar.Calendar.from_ical((site / "sv" / "evenemang" / "kalender.ics").read_text("utf-8"))["NAME"]
    assert str(name) == "Tvåspråkig – Evenemang"


def test_the_calendar_feed_is_named_and_refreshed_and_event_files_are_not(public: Path) -> None:
    site = public / "kaksikielinen"
    for path in (site / "tapahtumat" / "kalenteri.ics", site / "sv" / "evenemang" / "kalender.ics"):
        feed = icalendar.Calendar.from_ical(path.read_text("utf-8"))
        assert str(feed["NAME"]) == str(feed["X-WR-CALNAME"]) and str(feed["NAME"])
        assert feed.decoded("REFRESH-INTERVAL") == dt.timedelta(days=1)
        assert feed["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
        assert str(feed["X-PUBLISHED-TTL"]) == "P1D"
        assert "METHOD" not in feed, "a subscribed calendar is no iTIP message"
    singles = [path for path in calendars(site) if path.parent.name == path.stem]
    assert len(singles) == 2 * 5
    for path in singles:
        single = icalendar.Calendar.from_ical(path.read_text("utf-8"))
        # With a calendar name, clients offer to make a new calendar for the one event.
        for name in ("NAME", "X-WR-CALNAME", "REFRESH-INTERVAL", "X-PUBLISHED-TTL"):
            assert name not in single, (path, name)
        assert str(single["METHOD"]) == "PUBLISH"
        assert len(list(single.walk("VEVENT"))) == 1


def test_no_calendar_file_or_link_without_events(make_municipality) -> None:
    municipality = make_municipality("pieni")
    for event in (municipality / "events").glob("*.yml"):
        event.unlink()
    content = load_content(municipality, SHARED)
    assert content.site.item.features.events
    # A VCALENDAR must hold at least one component (RFC 5545 3.6): no file, so nothing links to one.
    assert calendar_feed_url(content, "fi") is None
    assert not [path for path in feed_files(content, BUILT_AT) if path.endswith(".ics")]
    (index,) = [s for s in page_sources(content, BUILT_AT.date()) if s.kind == "events_index"]
    assert index.context["calendar_feed"] is None
    html = (
        theme_environment()
        .get_template("kinds/events_index.html")
        .render(ks=make_ks({"page": dataclasses.asdict(index)}))
    )
    page = BeautifulSoup(html, "html.parser")
    assert page.find("a", attrs={"type": "text/calendar"}) is None
    assert page.h1 is not None and "Tulevia tapahtumia ei ole juuri nyt." in page.get_text()


@pytest.mark.parametrize(
    ("event_id", "start", "end"),
    [
        # Summer time, UTC+3.
        ("kesajuhla", dt.datetime(2027, 6, 15, 15, 0, tzinfo=dt.UTC), dt.datetime(2027, 6, 15, 19, 30, tzinfo=dt.UTC)),
        # Winter time, UTC+2; no end given, so no DTEND.
        ("talvikonsertti", dt.datetime(2027, 1, 10, 16, 0, tzinfo=dt.UTC), None),
        # The day summer time starts: noon is already UTC+3.
        ("kevatkavely", dt.datetime(2027, 3, 28, 9, 0, tzinfo=dt.UTC), dt.datetime(2027, 3, 28, 11, 0, tzinfo=dt.UTC)),
        # Whole days: DTEND is the day after the last day.
        ("joulumarkkinat", dt.date(2026, 12, 12), dt.date(2026, 12, 14)),
        ("kirpputori", dt.date(2027, 4, 17), dt.date(2027, 4, 18)),
    ],
)
def test_event_times(public: Path, event_id: str, start: dt.date, end: dt.date | None) -> None:
    event = events_of(public / "kaksikielinen" / "tapahtumat" / event_id / f"{event_id}.ics")[event_id]
    assert event.decoded("DTSTART") == start
    assert type(event.decoded("DTSTART")) is type(start)
    if end is None:
        assert "DTEND" not in event
    else:
        assert event.decoded("DTEND") == end
    raw = (public / "kaksikielinen" / "tapahtumat" / event_id / f"{event_id}.ics").read_bytes().decode("utf-8")
    page = soup(public / "kaksikielinen" / "tapahtumat" / event_id / "index.html")
    if isinstance(start, dt.datetime):
        assert f"DTSTART:{start:%Y%m%dT%H%M%S}Z\r\n" in raw
        assert " klo " in page.main.find("time").get_text()
    else:
        assert f"DTSTART;VALUE=DATE:{start:%Y%m%d}\r\n" in raw
        assert "klo" not in page.main.find("time").get_text()  # a whole day, not midnight


def test_text_values_are_escaped_and_long_lines_folded(public: Path) -> None:
    path = public / "kaksikielinen" / "tapahtumat" / "kesajuhla" / "kesajuhla.ics"
    raw = path.read_bytes().decode("utf-8")
    assert "SUMMARY:Kesäjuhla\\; musiikkia\\, tanssia\r\n" in raw
    assert "\r\n " in raw  # the place is longer than one line
    event = events_of(path)["kesajuhla"]
    assert str(event["SUMMARY"]) == "Kesäjuhla; musiikkia, tanssia"
    assert str(event["DESCRIPTION"]) == "Musiikkia, tanssia; ja kahvia."
    place = yaml.safe_load((FIXTURES / "feeds" / "kaksikielinen" / "events" / "kesajuhla.yml").read_text("utf-8"))
    assert str(event["LOCATION"]) == place["place"]["fi"]


def test_fold_counts_octets_and_never_splits_a_character() -> None:
    line = "DESCRIPTION:" + "äöå€😀 " * 40
    folded = ical.fold(line)
    pieces = folded.split("\r\n")
    assert len(pieces) > 3
    for index, piece in enumerate(pieces):
        octets = piece.encode("utf-8")
        assert len(octets) <= 75
        assert index == 0 or piece.startswith(" ")
        # Full lines stop only where the next character would not fit.
        if index < len(pieces) - 1:
            assert len(octets) + len(pieces[index + 1][1].encode("utf-8")) > 75
    assert "".join(piece.removeprefix(" ") if i else piece for i, piece in enumerate(pieces)) == line
    assert ical.fold("SUMMARY:short") == "SUMMARY:short"
    assert len(ical.fold("X:" + "a" * 73).split("\r\n")) == 1  # exactly 75 octets stays one line
    assert len(ical.fold("X:" + "a" * 74).split("\r\n")) == 2


def test_escape_text() -> None:
    assert ical.escape_text("a\\b;c,d\ne\r\nf\x07") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_event_page_links_its_calendar_file_and_the_index_the_feed(public: Path) -> None:
    site = public / "kaksikielinen"
    for page, expected_text, target in [
        (site / "tapahtumat" / "kesajuhla" / "index.html", "Lisää kalenteriin (iCal)", "kesajuhla.ics"),
        (site / "sv" / "evenemang" / "kesajuhla" / "index.html", "Lägg till i kalendern (iCal)", "kesajuhla.ics"),
        (site / "tapahtumat" / "index.html", "Tapahtumakalenteri (iCal)", "kalenteri.ics"),
        (site / "sv" / "evenemang" / "index.html", "Evenemangskalender (iCal)", "kalender.ics"),
    ]:
        links = soup(page).main.find_all("a", attrs={"type": "text/calendar"})
        assert [(a.get_text(), a["href"]) for a in links] == [(expected_text, target)], page
        assert (page.parent / target).is_file()


# --- sitemap, canonical addresses, robots.txt ---------------------------------------------------------
def sitemap_entries(site: Path) -> dict[str, dict[str, str]]:
    """loc → {hreflang: href} of a sitemap, after checking it is well-formed and namespaced."""
    root = etree.fromstring((site / "sitemap.xml").read_bytes())
    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    entries: dict[str, dict[str, str]] = {}
    for url in root.findall("s:url", NS):
        locs = url.findall("s:loc", NS)
        assert len(locs) == 1
        assert locs[0].text not in entries, "a page is listed twice"
        entries[locs[0].text] = {
            link.get("hreflang"): link.get("href")
            for link in url.findall("xhtml:link", NS)
            if link.get("rel") == "alternate"
        }
        assert all(child.tag in (f"{{{SITEMAP_NS}}}loc", f"{{{XHTML_NS}}}link") for child in url)
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == (site / "sitemap.xml").read_bytes()
    return entries


def canonicals(path: Path) -> list[str]:
    return [link["href"] for link in soup(path).find_all("link", rel="canonical")]


def check_sitemap(site: Path, site_url: str, languages: list[str]) -> None:
    entries = sitemap_entries(site)
    assert entries, site
    for loc, alternates in entries.items():
        page = local_file(site, site_url, loc)
        assert page.is_file(), loc
        doc = soup(page)
        assert canonicals(page) == [loc], loc
        assert doc.find("meta", attrs={"name": "robots"}) is None, loc
        assert doc.body["data-kind"] not in ("redirect", "components", "form_thanks", "not_found", "search"), loc
        if len(languages) == 1:
            assert alternates == {}, loc
            continue
        assert set(alternates) == {*languages, "x-default"}, loc
        assert alternates["x-default"] == alternates[languages[0]]
        assert loc in alternates.values()
        for href in alternates.values():
            assert entries[href] == alternates, f"{loc} and {href} do not name each other the same way"
        head = {link["hreflang"]: link["href"] for link in doc.select('link[rel="alternate"][hreflang]')}
        assert head == {lang: alternates[lang] for lang in languages}, loc
    # Every page that names itself canonical and may be indexed is listed.
    for path in html_pages(site):
        own = canonicals(path)
        if path.name == "404.html":
            assert own == [], path
            continue
        assert len(own) == 1 and own[0].startswith(site_url), path
        kind = soup(path).body["data-kind"]
        if kind == "redirect":
            # An old address is not listed; its canonical link names the new one, which is.
            assert f"{site_url}{path.parent.relative_to(site).as_posix()}/" not in entries, path
            assert own[0] in entries or not own[0].startswith(site_url), path
        elif kind not in ("components", "form_thanks", "search"):
            assert own[0] in entries, path
            assert local_file(site, site_url, own[0]) == path


def test_sitemap_of_a_bilingual_site(public: Path) -> None:
    check_sitemap(public / "kaksikielinen", KAKSI, ["fi", "sv"])
    entries = sitemap_entries(public / "kaksikielinen")
    assert entries[f"{KAKSI}sv/tjanster/bibliotek/"] == {
        "fi": f"{KAKSI}palvelut/kirjasto/",
        "sv": f"{KAKSI}sv/tjanster/bibliotek/",
        "x-default": f"{KAKSI}palvelut/kirjasto/",
    }


def test_sitemap_of_a_one_language_site_leaves_out_what_is_not_for_search_engines(public: Path) -> None:
    site = public / "pieni"
    check_sitemap(site, PIENI, ["fi"])
    text = (site / "sitemap.xml").read_text("utf-8")
    assert "xhtml:link" not in text
    for not_listed in ("_components", "vanha/kirjasto", "404"):
        assert not_listed not in text
    assert (site / "vanha" / "kirjasto" / "index.html").is_file()  # the redirect page exists, unlisted


def test_robots_txt(public: Path) -> None:
    assert (public / "pieni" / "robots.txt").read_text("utf-8") == (
        "User-agent: *\nAllow: /\nDisallow: /_components/\n\nSitemap: https://www.pieni.fi/sitemap.xml\n"
    )


def test_robots_txt_of_a_site_under_a_sub_path(make_municipality) -> None:
    municipality = make_municipality("pieni")
    site_file = municipality / "site.yml"
    site_file.write_text(
        site_file.read_text("utf-8").replace("https://www.pieni.fi/", "https://www.example.fi/pieni/"), "utf-8"
    )
    text = robots_txt(load_content(municipality, SHARED))
    assert "Disallow: /pieni/_components/\n" in text
    assert text.endswith("Sitemap: https://www.example.fi/pieni/sitemap.xml\n")


# --- 404 pages --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "lang", "home", "title"),
    [("404.html", "fi", "/", "Sivua ei löytynyt"), ("sv/404.html", "sv", "/sv/", "Sidan hittades inte")],
)
def test_not_found_page_per_language(public: Path, path: str, lang: str, home: str, title: str) -> None:
    doc = soup(public / "kaksikielinen" / path)
    assert doc.html["lang"] == lang
    assert doc.h1.get_text() == title
    assert doc.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert doc.find("link", rel="canonical") is None
    assert doc.select('link[rel="alternate"][hreflang]') == []
    # Shown at any address, so its links start from the site root.
    assert f"https://x.fi{home}" in [
        urljoin("https://x.fi/any/missing/page", a["href"]) for a in doc.main.find_all("a")
    ]
    assert doc.find("script", type="application/ld+json") is None
    assert doc.find("meta", property="og:url") is None


def test_one_language_site_has_one_not_found_page(public: Path) -> None:
    assert [p.relative_to(public / "pieni").as_posix() for p in (public / "pieni").rglob("404.html")] == ["404.html"]


# --- JSON-LD and Open Graph --------------------------------------------------------------------------
def json_ld(path: Path) -> list[dict]:
    return [json.loads(script.string) for script in soup(path).find_all("script", type="application/ld+json")]


def test_home_page_describes_the_organisation(public: Path) -> None:
    [fi] = json_ld(public / "kaksikielinen" / "index.html")
    [sv] = json_ld(public / "kaksikielinen" / "sv" / "index.html")
    assert fi["@context"] == "https://schema.org" and fi["@type"] == "GovernmentOrganization"
    assert fi["@id"] == sv["@id"] == f"{KAKSI}#organisation"
    assert (fi["name"], sv["name"]) == ("Kaksikielinen", "Tvåspråkig")
    assert (fi["url"], sv["url"]) == (KAKSI, f"{KAKSI}sv/")
    assert fi["logo"] == f"{KAKSI}assets/logo.svg"
    assert fi["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Kunnantie 1",
        "postalCode": "12345",
        "addressLocality": "Kaksikielinen",
        "addressCountry": "FI",
    }
    assert sv["address"]["streetAddress"] == "Kommunvägen 1"
    assert fi["telephone"] == "+358 2 123 4567" and fi["email"] == "kirjaamo@kaksikielinen.fi"
    assert fi["geo"] == {"@type": "GeoCoordinates", "latitude": 60.25, "longitude": 24.07}
    assert fi["sameAs"] == ["https://www.facebook.com/kaksikielinen"]
    [pieni] = json_ld(public / "pieni" / "index.html")
    assert "geo" not in pieni and "sameAs" not in pieni


def test_news_article(public: Path) -> None:
    path = public / "kaksikielinen" / "sv" / "aktuellt" / "kirjasto-avautuu" / "index.html"
    html = path.read_text("utf-8")
    script = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script and ">" not in script and "&" not in script  # nothing can end the element
    [data] = json_ld(path)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Bibliotek & kafé <öppet>"
    assert data["description"] == "Det nya biblioteket öppnar i december. </script><!-- Ingen kod -->"
    assert data["datePublished"] == "2026-11-20"
    assert data["inLanguage"] == "sv"
    assert data["url"] == f"{KAKSI}sv/aktuellt/kirjasto-avautuu/" == canonicals(path)[0]
    assert data["image"] == [f"{KAKSI}assets/kirjasto.png"]
    assert data["publisher"]["@type"] == "GovernmentOrganization" and data["publisher"]["name"] == "Tvåspråkig"


@pytest.mark.parametrize(
    ("event_id", "start", "end"),
    [
        ("kesajuhla", "2027-06-15T18:00:00+03:00", "2027-06-15T22:30:00+03:00"),
        ("talvikonsertti", "2027-01-10T18:00:00+02:00", None),
        ("joulumarkkinat", "2026-12-12", "2026-12-13"),
    ],
)
def test_event(public: Path, event_id: str, start: str, end: str | None) -> None:
    [data] = json_ld(public / "kaksikielinen" / "tapahtumat" / event_id / "index.html")
    assert data["@type"] == "Event"
    assert data["startDate"] == start
    assert data.get("endDate") == end
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"]["@type"] == "Place" and data["location"]["name"]
    assert data["url"] == f"{KAKSI}tapahtumat/{event_id}/" and data["inLanguage"] == "fi"
    assert data["organizer"]["@id"] == f"{KAKSI}#organisation"
    assert data["description"]


def test_pages_without_their_own_schema_have_none(public: Path) -> None:
    for path in ("palvelut/kirjasto/index.html", "yhteystiedot/index.html", "_components/index.html"):
        assert json_ld(public / "kaksikielinen" / path) == [], path


def open_graph(path: Path) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for meta in soup(path).find_all("meta", property=True):
        tags.setdefault(meta["property"], []).append(meta["content"])
    return tags


def test_open_graph_of_a_news_item(public: Path) -> None:
    path = public / "kaksikielinen" / "ajankohtaista" / "kirjasto-avautuu" / "index.html"
    assert open_graph(path) == {
        "og:type": ["article"],
        "og:title": ["Kirjasto & kahvila <auki>"],
        "og:url": canonicals(path),
        "og:site_name": ["Kaksikielinen"],
        "og:locale": ["fi_FI"],
        "og:locale:alternate": ["sv_FI"],
        "og:description": ["Uusi kirjasto avautuu joulukuussa. </script><!-- Ei koodia -->"],
        "og:image": [f"{KAKSI}assets/kirjasto.png"],
        "og:image:width": ["1"],
        "og:image:height": ["1"],
        "og:image:alt": ["Kirjaston lukusali."],
        "article:published_time": ["2026-11-20"],
    }


def test_open_graph_elsewhere(public: Path) -> None:
    sv_home = open_graph(public / "kaksikielinen" / "sv" / "index.html")
    assert sv_home["og:type"] == ["website"] and sv_home["og:locale"] == ["sv_FI"]
    assert sv_home["og:locale:alternate"] == ["fi_FI"] and sv_home["og:url"] == [f"{KAKSI}sv/"]
    # pieni's hero is an SVG, which link previews do not show: no og:image rather than one nobody shows.
    pieni_home = open_graph(public / "pieni" / "index.html")
    assert "og:image" not in pieni_home and "og:locale:alternate" not in pieni_home
    for path in ("404.html", "vanha/kirjasto/index.html", "_components/index.html"):
        assert open_graph(public / "pieni" / path) == {}, path


# --- the sample sites, built by the whole gate ----------------------------------------------------
@pytest.mark.e2e
@pytest.mark.parametrize("slug", SAMPLES)
def test_sample_site_feeds_and_sitemap(slug: str, sample_public: Path) -> None:
    from tests.conftest import ROOT

    site = sample_public / slug
    config = yaml.safe_load((ROOT / "municipalities" / slug / "site.yml").read_text("utf-8"))
    languages, site_url = config.get("languages", ["fi"]), config["site_url"]
    check_sitemap(site, site_url, languages)
    assert (site / "robots.txt").read_text("utf-8").endswith(f"Sitemap: {site_url}sitemap.xml\n")
    feeds = sorted(site.rglob("rss.xml"))
    assert len(feeds) == len(languages)
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert feed.bozo == 0 and len(feed.entries) >= 3, path
        assert all(local_file(site, site_url, entry.link).is_file() for entry in feed.entries)
    events = len(list((ROOT / "municipalities" / slug / "events").glob("*.yml")))
    files = calendars(site)
    assert len(files) == len(languages) * (events + 1)
    for path in files:
        parsed = icalendar.Calendar.from_ical(path.read_text("utf-8"))
        assert len(list(parsed.walk("VEVENT"))) in (1, events), path
    for index, lang in enumerate(languages):
        page = site / ("" if index == 0 else lang) / "404.html"
        assert soup(page).html["lang"] == lang
    [organisation] = json_ld(site / "index.html")
    assert organisation["@type"] == "GovernmentOrganization"
    assert urlsplit(organisation["url"]).netloc == urlsplit(site_url).netloc
