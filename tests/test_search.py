"""Search: the search page per language, and Pagefind's index of a real built fixture site.

The index is read back from Pagefind's own files: pagefind-entry.json lists the languages, and
each fragment (gzip, "pagefind_dcd" + JSON) holds the URL and the text Pagefind indexed for one
page, so what is and is not searchable can be checked without a browser. The browser side is
tests/theme/test_search_browser.py.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from kuntasivu import search
from kuntasivu.content.loading import load_content
from kuntasivu.content.pages import SITE_INDEX_LOOSE, page_sources, site_context
from kuntasivu.search import SearchIndexError, index_site, indexed_languages

from tests.conftest import FIXTURES, ROOT, SHARED

TODAY = dt.date(2026, 11, 26)


# --- the search page ---------------------------------------------------------------------------


def test_a_search_page_in_every_language_linked_to_its_translations(make_municipality) -> None:
    content = load_content(make_municipality("kaksikielinen"), SHARED)
    pages = {s.url: s for s in page_sources(content, TODAY) if s.kind == "search"}
    assert set(pages) == {"haku/", "sv/sok/"}
    fi, sv = pages["haku/"], pages["sv/sok/"]
    assert (fi.lang, fi.title, fi.key) == ("fi", "Haku", "search")
    assert (sv.lang, sv.title, sv.key) == ("sv", "Sök", "search")
    assert fi.alternates == sv.alternates == {"fi": "haku/", "sv": "sv/sok/"}
    assert sv.breadcrumbs == [{"title": "Startsida", "url": "sv/"}, {"title": "Sök", "url": "sv/sok/"}]
    assert site_context(content, "sv", TODAY)["search_url"] == "sv/sok/"
    assert site_context(content, "fi", TODAY)["search_url"] == "haku/"


def site_index(municipality: Path) -> dict[str, Any]:
    content = load_content(municipality, SHARED)
    (page,) = [s for s in page_sources(content, TODAY) if s.kind == "search"]
    return page.context["site_index"]


def test_the_search_page_lists_the_sections_and_the_pages_outside_them(make_municipality) -> None:
    index = site_index(make_municipality("pieni"))
    # The sections alone: each section's page lists its own pages.
    assert index["sections"] == [{"title": "Palvelut", "url": "palvelut/"}, {"title": "Hallinto", "url": "hallinto/"}]
    # News and events are on in pieni; then contact, the statement and the privacy notice (in no section).
    assert [o["url"] for o in index["others"]] == [
        "ajankohtaista/",
        "tapahtumat/",
        "yhteystiedot/",
        "saavutettavuusseloste/",
        "tietosuoja/",
    ]
    assert index["more"] == 0


def add_pages(municipality: Path, count: int, section: str | None) -> None:
    """``count`` pages 'Sivu 000'… in ``section`` (or in none), ordered last first (order 1 is 'Sivu <count-1>')."""
    for number in range(count):
        page_id = f"{section or 'irrallinen'}-{number:03d}"
        lines = [
            f"id: {page_id}",
            f"title: Sivu {number:03d}",
            f"order: {count - number}",
            "summary: Lyhyesti.",
            "body: Tekstiä.",
        ]
        if section:
            lines.insert(1, f"section: {section}")
        (municipality / "pages" / f"{page_id}.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_site_index_does_not_grow_with_the_pages(make_municipality) -> None:
    municipality = make_municipality("pieni")
    small = site_index(municipality)
    add_pages(municipality, 300, "palvelut")
    add_pages(municipality, 40, None)
    index = site_index(municipality)
    assert index["sections"] == small["sections"], "a section's pages are listed on the section's page"
    fixed = ["ajankohtaista/", "tapahtumat/", "yhteystiedot/", "saavutettavuusseloste/"]
    assert [o["url"] for o in index["others"][: len(fixed)]] == fixed
    # Then the first SITE_INDEX_LOOSE pages outside the sections in their order; the rest are counted.
    loose = index["others"][len(fixed) :]
    assert [o["title"] for o in loose] == [f"Sivu {n:03d}" for n in range(39, 39 - SITE_INDEX_LOOSE, -1)]
    assert index["more"] == 40 + 1 - SITE_INDEX_LOOSE  # the 40 added and the privacy notice (order 100)


def test_the_search_address_comes_from_the_texts(make_municipality) -> None:
    municipality = make_municipality("pieni")
    (municipality / "texts").mkdir()
    (municipality / "texts" / "fi.yml").write_text("slug:\n  search: etsi\n", encoding="utf-8")
    content = load_content(municipality, SHARED)
    assert [s.url for s in page_sources(content, TODAY) if s.kind == "search"] == ["etsi/"]


# --- Pagefind on a real build -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """pieni (fi) and kaksikielinen (fi + sv) built by the real generator (MkDocs and Pagefind, no gate)."""
    work = tmp_path_factory.mktemp("search")
    code = (
        "import datetime, sys, pathlib; from kuntasivu.mkdocs_plugin import build_site; "
        "build_site(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3]), "
        "datetime.date.fromisoformat(sys.argv[4]))"
    )
    sites = {}
    for slug in ("pieni", "kaksikielinen"):
        args = [str(ROOT), str(FIXTURES / "municipalities" / slug), str(work / slug), TODAY.isoformat()]
        result = subprocess.run(
            [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr
        assert "pagefind" not in result.stdout.lower() + result.stderr.lower(), "Pagefind's output reached the build's"
        sites[slug] = work / slug
    return sites


def fragments(site: Path) -> dict[str, str]:
    """Page URL → the text Pagefind indexed for it."""
    found = {}
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        fragment = json.loads(data[len(b"pagefind_dcd") :])
        found[fragment["url"]] = fragment["content"]
    return found


def marked_pages(site: Path) -> dict[str, str]:
    """URL ('/a/b/') → language of every built page whose <main> is marked for the index."""
    marked = {}
    for path in sorted(site.rglob("*.html")):
        doc = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        if doc.main is not None and doc.main.has_attr("data-pagefind-body"):
            relative = path.relative_to(site).as_posix()
            marked["/" + relative.removesuffix("index.html")] = doc.html["lang"]
    return marked


def test_one_index_per_language(built: dict[str, Path]) -> None:
    for slug, languages in (("pieni", {"fi"}), ("kaksikielinen", {"fi", "sv"})):
        site = built[slug]
        entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
        assert set(entry["languages"]) == languages
        marked = marked_pages(site)
        for lang in languages:
            assert indexed_languages(site)[lang] == sum(1 for v in marked.values() if v == lang)
            assert (site / "pagefind" / f"wasm.{lang}.pagefind").is_file(), "the language's stemmer"


def test_exactly_the_pages_worth_finding_are_indexed(built: dict[str, Path]) -> None:
    site = built["kaksikielinen"]
    indexed = set(fragments(site))
    assert indexed == set(marked_pages(site))
    assert {"/", "/palvelut/kirjasto/", "/sv/tjanster/bibliotek/", "/yhteystiedot/", "/sv/"} <= indexed
    assert not indexed & {"/haku/", "/sv/sok/", "/_components/"}
    pieni = set(fragments(built["pieni"]))
    assert "/palvelut/kirjasto/" in pieni and "/vanha/kirjasto/" not in pieni  # a redirect page


def test_pages_that_answer_no_search_are_left_out_and_all_others_marked(built: dict[str, Path]) -> None:
    """Every built page of every kind the builder makes, read back: its <main> is marked for the
    index exactly when the kind is an answer to a search (not a redirect, the component library,
    a thank-you page, the 404 page or the search page)."""
    marked = marked_pages(built["pieni"])
    content = load_content(FIXTURES / "municipalities" / "pieni", SHARED)
    kinds: dict[str, set[str]] = {}
    for source in page_sources(content, TODAY):
        kinds.setdefault(source.kind, set()).add("/" + source.url)
    kinds["not_found"] = {"/404.html"}
    unanswering = {"redirect", "components", "form_thanks", "not_found", "search"}
    assert unanswering - {"form_thanks"} <= set(kinds), "the fixture should build a page of each kind"
    assert {"home", "page", "section", "news", "news_index", "event", "events_index", "contact"} <= set(kinds)
    for kind, addresses in kinds.items():
        for address in addresses:
            assert (address in marked) is (kind not in unanswering), (kind, address)


def test_only_the_main_content_is_indexed(built: dict[str, Path]) -> None:
    texts = fragments(built["kaksikielinen"])
    fi, sv = texts["/palvelut/kirjasto/"], texts["/sv/tjanster/bibliotek/"]
    assert "Kirjastossa on kirjoja" in fi and "Biblioteket har böcker" in sv
    everything = "\n".join(texts.values())
    for outside in ("Siirry sisältöön", "Päävalikko", "Hae sivustolta", "Kuntasivu-työkalulla", "Gå till innehållet"):
        assert outside not in everything, f"{outside!r} is from outside <main>"


def test_the_section_navigation_is_not_indexed(built: dict[str, Path]) -> None:
    site = built["pieni"]
    page = BeautifulSoup((site / "palvelut/kirjasto/index.html").read_text("utf-8"), "html.parser")
    neighbour = page.select_one("main nav.section-nav a:not([aria-current])")
    assert neighbour is not None, "the page should show its section's other pages"
    assert neighbour.get_text(strip=True) not in fragments(site)["/palvelut/kirjasto/"]


def test_news_and_events_are_found_on_their_own_pages_not_in_the_lists(built: dict[str, Path]) -> None:
    texts = fragments(built["pieni"])
    news = [url for url, text in texts.items() if "Uusi kirjasto avautuu joulukuussa" in text]
    events = [url for url, text in texts.items() if "Joulukonsertti" in text]
    assert news == ["/ajankohtaista/uusi-kirjasto/"], news
    assert len(events) == 1 and events[0].startswith("/tapahtumat/") and events[0] != "/tapahtumat/", events
    # The lists are still on those pages, only left out of the index.
    home = BeautifulSoup((built["pieni"] / "index.html").read_text("utf-8"), "html.parser")
    assert "Kirjasto avautuu" in home.main.get_text() and "Joulukonsertti" in home.main.get_text()
    assert home.main.select("ul.teaser-list[data-pagefind-ignore]")


def test_only_what_search_js_uses_is_published(built: dict[str, Path]) -> None:
    bundle = built["kaksikielinen"] / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    for name in search.UNUSED_FILES:
        assert not (bundle / name).exists(), name
    assert not list(bundle.glob("*.html"))  # the gate checks every .html file of the site


def test_the_header_searches_in_the_page_language_without_script(built: dict[str, Path]) -> None:
    site = built["kaksikielinen"]
    for page, action in (("palvelut/kirjasto/index.html", "../../haku/"), ("sv/index.html", "sok/")):
        doc = BeautifulSoup((site / page).read_text("utf-8"), "html.parser")
        form = doc.select_one("header search form")
        assert form is not None and form["action"] == action and form["method"] == "get"
        field = form.select_one("input[name=q]")
        assert doc.select_one(f"label[for={field['id']}]").get_text(strip=True) in (
            "Hae sivustolta",
            "Sök på webbplatsen",
        )
        assert form.select_one("button[type=submit]").get_text(strip=True) in ("Hae", "Sök")
        assert not [s for s in doc.find_all("script", src=True) if "search" in s["src"] or "pagefind" in s["src"]]
    search_page = BeautifulSoup((site / "haku/index.html").read_text("utf-8"), "html.parser")
    assert search_page.select_one("header search") is None, "one search form on the search page"
    assert search_page.select_one("main search form")["action"] == "./"
    scripts = [s["src"] for s in search_page.find_all("script", src=True)]
    assert len(scripts) == 1 and scripts[0].startswith("../assets/search.") and scripts[0].endswith(".js")
    assert search_page.select_one("[data-pagefind]")["data-pagefind"] == "../pagefind/pagefind.js"


# --- failures -----------------------------------------------------------------------------------


def test_a_missing_pagefind_says_which_install_fixes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import pagefind.service

    monkeypatch.setattr(pagefind.service, "get_executable", lambda: None)
    with pytest.raises(SearchIndexError, match=r"pip install 'pagefind\[bin\]>=1.5,<2'"):
        search.pagefind_binary()


def test_a_missing_pagefind_package_says_which_install_fixes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pagefind.service", None)  # import fails as if not installed
    with pytest.raises(SearchIndexError, match=r"not installed .*pip install 'pagefind\[bin\]"):
        search.pagefind_binary()


def page(lang: str | None, text: str) -> str:
    html_lang = f' lang="{lang}"' if lang else ""
    body = f"<main data-pagefind-body><h1>{text}</h1></main>"
    return f"<!doctype html><html{html_lang}><head><title>{text}</title></head><body>{body}</body></html>"


def test_pagefind_warnings_stop_the_build_with_its_message(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(page("fi", "Etusivu"), "utf-8")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(page(None, "Kirjasto"), "utf-8")  # Pagefind guesses, and says so
    with pytest.raises(SearchIndexError) as raised:
        index_site(tmp_path, ["fi"])
    message = str(raised.value)
    assert "Pagefind warned while indexing" in message and "--site" in message
    assert '"/a/" has no html lang attribute' in message


def test_a_language_without_an_index_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(page("fi", "Kirjasto"), "utf-8")
    with pytest.raises(SearchIndexError, match=r"no pages in sv \(it has \{'fi': 1\}\)"):
        index_site(tmp_path, ["fi", "sv"])
    assert index_site(tmp_path, ["fi"]) == {"fi": 1}


def test_a_failing_pagefind_reports_its_status_and_output(tmp_path: Path) -> None:
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: could not read the site' >&2\nexit 3\n", "utf-8")
    fake.chmod(0o755)
    with pytest.raises(SearchIndexError, match=r"exited with status 3 .*\n.*could not read the site"):
        index_site(tmp_path, ["fi"], binary=fake)


def test_the_same_site_gives_the_same_index(tmp_path: Path) -> None:
    for lang in ("fi", "sv", "en"):
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "index.html").write_text(page(lang, "Kirjasto Bibliotek Library"), "utf-8")
    entries = set()
    for _ in range(4):  # Pagefind's own order of the languages varies from run to run
        index_site(tmp_path, ["fi", "sv", "en"])
        entries.add((tmp_path / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert len(entries) == 1
    assert list(json.loads(entries.pop())["languages"]) == ["en", "fi", "sv"]
