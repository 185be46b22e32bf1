"""Page sources: addresses per language, translations linked, links and texts resolved."""

from __future__ import annotations

import datetime as dt

from kuntasivu.content.loading import load_content
from kuntasivu.content.pages import page_sources, redirects_file, site_context

from tests.conftest import SHARED

TODAY = dt.date(2026, 11, 26)


def by_url(sources):
    return {s.url: s for s in sources}


def test_default_language_at_root_others_under_their_code(make_municipality) -> None:
    content = load_content(make_municipality("kaksikielinen"), SHARED)
    pages = by_url(page_sources(content, TODAY))
    assert pages["palvelut/kirjasto/"].lang == "fi"
    assert pages["sv/tjanster/bibliotek/"].lang == "sv"
    assert pages["sv/"].kind == "home"
    assert pages["sv/kontaktuppgifter/"].kind == "contact"
    assert pages["sv/aktuellt/"].kind == "news_index"


def test_each_page_links_to_its_own_translation(make_municipality) -> None:
    content = load_content(make_municipality("kaksikielinen"), SHARED)
    pages = by_url(page_sources(content, TODAY))
    assert pages["palvelut/kirjasto/"].alternates == {"fi": "palvelut/kirjasto/", "sv": "sv/tjanster/bibliotek/"}
    assert pages["sv/dataskydd/"].alternates == {"fi": "tietosuoja/", "sv": "sv/dataskydd/"}
    translated = [p for p in pages.values() if p.kind not in ("components", "redirect")]  # default language only
    assert all(set(p.alternates) == {"fi", "sv"} for p in translated)


def test_page_links_point_at_the_target_source_file(make_municipality) -> None:
    content = load_content(make_municipality("pieni"), SHARED)
    page = by_url(page_sources(content, TODAY))["palvelut/kirjasto/"]
    assert "[digituesta](../digituki/index.md)" in page.markdown


def test_shared_page_placeholders_are_the_municipality_details(make_municipality) -> None:
    content = load_content(make_municipality("pieni"), SHARED)
    privacy = by_url(page_sources(content, TODAY))["tietosuoja/"]
    assert "{{" not in privacy.markdown
    assert "kirjaamo@pieni.fi" in privacy.markdown


def test_event_times_in_finnish_and_swedish(make_municipality) -> None:
    municipality = make_municipality("kaksikielinen")
    (municipality / "events").mkdir()
    (municipality / "events" / "konsertti.yml").write_text(
        "id: konsertti\ntitle: {fi: Konsertti, sv: Konsert}\nstart: 2026-12-20T18:00\nend: 2026-12-20T19:30\n"
        "place: {fi: Kirkko, sv: Kyrkan}\nsummary: {fi: Joulukonsertti., sv: Julkonsert.}\n",
        encoding="utf-8",
    )
    pages = by_url(page_sources(load_content(municipality, SHARED), TODAY))
    assert pages["tapahtumat/konsertti/"].context["when"] == "20.12.2026 klo 18.00–19.30"
    assert pages["sv/evenemang/konsertti/"].context["when"] == "20.12.2026 kl. 18.00–19.30"


def test_past_events_are_not_upcoming(make_municipality) -> None:
    content = load_content(make_municipality("pieni"), SHARED)
    before = by_url(page_sources(content, dt.date(2026, 12, 20)))
    after = by_url(page_sources(content, dt.date(2026, 12, 21)))
    assert [e["title"] for e in before[""].context["events"]] == ["Joulukonsertti"]
    assert after[""].context["events"] == []
    assert [e["title"] for e in after["tapahtumat/"].context["past"]] == ["Joulukonsertti"]


def test_alert_disappears_after_its_last_day(make_municipality) -> None:
    municipality = make_municipality("pieni")
    site = municipality / "site.yml"
    site.write_text(
        site.read_text("utf-8") + "alert:\n  title: Vesikatko\n  text: Vesi on poikki.\n  until: 2026-11-30\n",
        encoding="utf-8",
    )
    content = load_content(municipality, SHARED)
    assert site_context(content, "fi", dt.date(2026, 11, 30))["alert"]["label"] == "Huomio"
    assert site_context(content, "fi", dt.date(2026, 12, 1))["alert"] is None


def test_redirect_pages_and_redirects_file(make_municipality) -> None:
    content = load_content(make_municipality("pieni"), SHARED)
    redirect = by_url(page_sources(content, TODAY))["vanha/kirjasto/"]
    assert redirect.kind == "redirect"
    assert redirect.context["target"] == {"title": "Kirjasto", "url": "palvelut/kirjasto/"}
    assert redirects_file(content) == "/vanha/kirjasto/ /palvelut/kirjasto/ 301\n"


def test_phone_links_use_the_international_form(make_municipality) -> None:
    content = load_content(make_municipality("pieni"), SHARED)
    assert site_context(content, "fi", TODAY)["contact"]["tel"] == "+35821234567"
