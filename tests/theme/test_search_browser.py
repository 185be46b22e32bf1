"""Search in headless Chromium, on Lohja's site as the whole gate built it (conftest.sample_public).

The sample sites' public/ folder is served as it is, so Lohja lives under /lohja/: a site
published under a sub-path, as on GitHub Pages. Every test records the requests the page makes:
content pages never load anything of search, and the search page fetches nothing under
pagefind/ before the resident searches. Searches are typed with the keyboard; the inflected
forms prove Pagefind's Finnish and Swedish stemming. How search.js times what the status says is
tested on the search component alone, with a stand-in for Pagefind whose answers the test controls.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.serving import serve_folder
from tests.test_forms_e2e import assert_axe_clean
from tests.theme.test_components import COMPONENTS, load_contract, render_example, theme_environment

pytestmark = pytest.mark.e2e

SITE = "lohja/"
PAGE_SIZE = 20
"""search.js shows this many results at a time."""
STRICT_CSP = (
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self'; "
    "img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
"""The least the search page needs: Pagefind compiles WebAssembly and fetches its index; no worker, no blob:."""


@pytest.fixture(scope="module")
def base(sample_public: Path) -> Iterator[str]:
    with serve_folder(sample_public) as url:
        yield url


class Tab:
    """A fresh browser context (nothing cached) whose page records every request URL."""

    def __init__(self, context: BrowserContext, base: str) -> None:
        self.context = context
        self.base = base
        self.page: Page = context.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, path: str) -> Page:
        response = self.page.goto(self.base + path, wait_until="networkidle")
        assert response is not None and response.status == 200, path
        return self.page

    def search_requests(self) -> list[str]:
        return [url for url in self.requests if "/pagefind/" in url]


@pytest.fixture
def tab(browser: Browser, base: str) -> Iterator[Tab]:
    context = browser.new_context()
    yield Tab(context, base)
    context.close()


def type_and_search(page: Page, query: str) -> str:
    """Tab to the search page's field, type ``query``, press Enter; returns the status text once written."""
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "search-q":
            break
    else:
        raise AssertionError("Tab never reached the search field")
    page.keyboard.type(query)
    page.keyboard.press("Enter")
    status = page.locator(".search__status")
    status.locator("xpath=self::*[normalize-space()]").wait_for(state="attached")
    return status.inner_text()


def results(page: Page) -> list[str]:
    """Absolute URLs of the result links, in order."""
    return [
        urljoin(page.url, href or "")
        for href in page.locator(".search__list a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    ]


@pytest.mark.parametrize("path", ["", "vapaa-aika/kirjasto/", "sv/fritid/bibliotek/"])
def test_content_pages_load_nothing_of_search(tab: Tab, path: str) -> None:
    page = tab.open(SITE + path)
    assert page.locator("header search input[name=q]").count() == 1
    assert not [url for url in tab.requests if "/pagefind/" in url or re.search(r"/search\.[^/]*js", url)]


def test_finnish_inflected_search_finds_the_library_page(tab: Tab, base: str) -> None:
    page = tab.open(SITE + "haku/")
    assert tab.search_requests() == [], "pagefind/ was fetched before anyone searched"
    status = type_and_search(page, "kirjastoissa")
    assert re.fullmatch(r"\d+ tulosta haulle ”kirjastoissa”", status), status
    assert page.locator(".search__status").get_attribute("role") == "status"
    found = results(page)
    assert base + SITE + "vapaa-aika/kirjasto/" in found
    assert len(found) == int(status.split()[0]) or len(found) == PAGE_SIZE
    assert page.evaluate("document.activeElement.id") == "search-q", "the search took focus away from the field"
    assert page.url == base + SITE + "haku/?q=kirjastoissa", "the address does not link to these results"
    # Pagefind and the Finnish index come from the site's own folder, not from the host's root.
    fetched = tab.search_requests()
    assert fetched and all(url.startswith(base + SITE + "pagefind/") for url in fetched), fetched
    assert any("wasm.fi." in url for url in fetched) and not any("wasm.sv." in url for url in fetched)
    assert not any("pagefind-worker" in url or "pagefind-ui" in url for url in fetched)
    assert tab.errors == []
    # The results are ordinary links right after the form: Tab from the field, past the button.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('.search-form__button')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.search__list') !== null")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == found[0]


def test_swedish_inflected_search_finds_the_swedish_library_page(tab: Tab, base: str) -> None:
    page = tab.open(SITE + "sv/sok/")
    assert tab.search_requests() == []
    status = type_and_search(page, "biblioteken")
    assert re.fullmatch(r"\d+ träffar för ”biblioteken”", status), status
    assert base + SITE + "sv/fritid/bibliotek/" in results(page)
    assert any("wasm.sv." in url for url in tab.search_requests())
    title = page.locator(".search__list a").first.inner_text()
    excerpt = page.locator(".search-result__excerpt").first
    assert title and excerpt.locator("mark").count() >= 1, "matches are marked in the excerpt"


def test_a_linked_search_shows_its_results_and_the_words(tab: Tab, base: str) -> None:
    page = tab.open(SITE + "haku/?q=kirjastoissa")
    page.locator(".search__list a").first.wait_for()
    assert page.locator("#search-q").input_value() == "kirjastoissa"
    assert base + SITE + "vapaa-aika/kirjasto/" in results(page)
    assert page.locator("h2#search-results-title").is_visible()


def test_the_header_form_leads_to_the_search_page_of_the_page_language(tab: Tab, base: str) -> None:
    page = tab.open(SITE + "sv/fritid/bibliotek/")
    page.locator("header search input[name=q]").fill("biblioteken")
    with page.expect_navigation():
        page.locator("header search input[name=q]").press("Enter")
    assert page.url == base + SITE + "sv/sok/?q=biblioteken"
    page.locator(".search__list a").first.wait_for()
    assert base + SITE + "sv/fritid/bibliotek/" in results(page)


def test_no_results_says_so_and_gives_advice(tab: Tab) -> None:
    page = tab.open(SITE + "haku/")
    status = type_and_search(page, "xqzxqzxq")
    assert status.startswith("Ei tuloksia haulle ”xqzxqzxq”.") and "sivuston sisällystä" in status
    assert page.locator(".search__results").is_hidden()
    assert page.evaluate("document.activeElement.id") == "search-q"


def test_an_empty_search_asks_for_words(tab: Tab) -> None:
    page = tab.open(SITE + "haku/")
    status = type_and_search(page, "")
    assert status == "Kirjoita hakukenttään hakusana."
    assert tab.search_requests() == [], "an empty search need not load the index"


def test_show_more_adds_results_and_moves_focus_to_the_first_new_one(tab: Tab) -> None:
    page = tab.open(SITE + "haku/")
    status = type_and_search(page, "Lohja")
    total = int(status.split()[0])
    assert total > PAGE_SIZE, f"this test needs a word on more than {PAGE_SIZE} pages: {status}"
    assert len(results(page)) == PAGE_SIZE
    more = page.locator(".search__more")
    while more.is_visible():
        before = len(results(page))
        more.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("n => document.querySelectorAll('.search__list a').length > n", arg=before)
        assert (
            page.evaluate("[...document.querySelectorAll('.search__list a')].indexOf(document.activeElement)") == before
        )
    assert len(results(page)) == total


def test_the_search_page_with_results_passes_axe(tab: Tab, browser: Browser) -> None:
    page = tab.open(SITE + "haku/")
    type_and_search(page, "kirjastoissa")
    assert_axe_clean(page, browser, javascript=True)


def test_without_javascript_the_search_page_says_so_and_lists_the_pages(browser: Browser, base: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = Tab(context, base)
        page = tab.open(SITE + "haku/?q=kirjastoissa")
        notice = page.locator(".search__notice")
        assert notice.is_visible() and "JavaScript" in notice.inner_text()
        index = page.locator(".site-index")
        assert index.locator("h2").inner_text() == "Sivuston sisällys"
        links = [
            urljoin(page.url, a) for a in index.locator("a").evaluate_all("l => l.map(a => a.getAttribute('href'))")
        ]
        # The sections (whose pages list their own pages) and the fixed pages, not every page.
        assert base + SITE + "vapaa-aika/" in links and base + SITE + "yhteystiedot/" in links
        assert base + SITE + "vapaa-aika/kirjasto/" not in links
        assert index.locator("h3").all_inner_texts()[:2] == ["Aihealueet", "Muut sivut"]
        assert page.locator(".search__results").is_hidden()
        assert tab.search_requests() == []
    finally:
        context.close()


def test_search_works_under_a_strict_content_security_policy(browser: Browser, sample_public: Path) -> None:
    for policy, works in ((STRICT_CSP, True), (STRICT_CSP.replace(" 'wasm-unsafe-eval'", ""), False)):
        with serve_folder(sample_public, headers={"Content-Security-Policy": policy}) as strict:
            context = browser.new_context()
            try:
                page = Tab(context, strict).open(SITE + "haku/")
                status = type_and_search(page, "kirjastoissa")
                if works:
                    assert "tulosta" in status and strict + SITE + "vapaa-aika/kirjasto/" in results(page), status
                else:  # the resident is told, and the pages are still listed below
                    assert status.startswith("Haku ei juuri nyt toimi"), status
            finally:
                context.close()


# --- what the status says, and when (search.js with a stand-in for Pagefind) ----------------------
FAKE_PAGEFIND = """
// Answers as Pagefind's module does: three pages for any word, after 'delay' ms (window.delay).
export async function options() {}
export async function search(query) {
  await new Promise((done) => setTimeout(done, window.delay || 0));
  return { results: [0, 1, 2].map((n) => ({
    data: async () => ({
      url: "/sivu-" + n + "/", meta: { title: "Sivu " + n }, excerpt: "<mark>" + query + "</mark>",
    }),
  })) };
}
"""
RECORD_STATUS = """
window.said = [];
new MutationObserver(() => {
  const status = document.querySelector('.search__status');
  window.said.push([status.textContent, performance.now()]);
}).observe(document.querySelector('.search__status'), { childList: true, characterData: true, subtree: true });
"""


@pytest.fixture(scope="module")
def component_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The search component's Finnish example with assets/search.js, and a stand-in pagefind/pagefind.js."""
    folder = tmp_path_factory.mktemp("search-component")
    contract = load_contract(COMPONENTS / "search")
    (example,) = [e for e in contract["examples"] if e["name"] == "finnish site"]
    body = render_example(theme_environment(), "search", contract, example)
    (folder / "index.html").write_text(
        f'<!doctype html><html lang="fi"><head><meta charset="utf-8"><title>Haku</title></head>'
        f'<body><main>{body}</main><script src="search.js"></script></body></html>',
        "utf-8",
    )
    shutil.copy(COMPONENTS.parent / "assets" / "search.js", folder / "search.js")
    (folder / "pagefind").mkdir()
    (folder / "pagefind" / "pagefind.js").write_text(FAKE_PAGEFIND, "utf-8")
    with serve_folder(folder) as url:
        yield url


EMPTY_SEARCH_WHEN_SHOWN = """query => new Promise(resolve => {
  const field = document.querySelector('#search-q');
  const list = document.querySelector('.search__list');
  new MutationObserver((_, observer) => {
    if (list.querySelector('a') === null) return;
    observer.disconnect();
    field.value = '';
    field.form.requestSubmit();
    resolve();
  }).observe(list, { childList: true, subtree: true });
  field.value = query;
  field.form.requestSubmit();
})"""
"""Search for ``query`` and, in the microtask after its results appear, search for nothing."""


def submit(page: Page, query: str) -> None:
    page.evaluate("q => { const f = document.querySelector('#search-q'); f.value = q; f.form.requestSubmit(); }", query)


def test_the_same_count_is_announced_again_in_a_task_of_its_own(browser: Browser, component_page: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(component_page)
        page.evaluate(RECORD_STATUS)
        counted = "3 tulosta haulle ”kirjasto”"
        # The status starts empty, so emptying it for the first search changes nothing.
        for changes in (1, 3):  # the second time the index is loaded and the answer comes at once
            submit(page, "kirjasto")
            page.wait_for_function("n => window.said.length >= n", arg=changes)
        page.wait_for_timeout(300)
        said = page.evaluate("window.said")
        assert [text for text, _ in said] == [counted, "", counted]
        # Written a moment after it was emptied, not in the same task (which would not be read again).
        assert said[2][1] - said[1][1] >= 50
        assert page.locator(".search__status").get_attribute("role") == "status"
    finally:
        context.close()


def test_an_older_searchs_announcement_never_replaces_a_newer_one(browser: Browser, component_page: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(component_page)
        submit(page, "lämmitin")  # loads the stand-in module
        page.wait_for_function("document.querySelector('.search__status').textContent !== ''")
        page.evaluate(RECORD_STATUS)
        # A search whose count is waiting to be said, then an empty search before it is said: made in
        # the page as soon as the results are shown, as a test waiting from outside may come too late
        # on a busy machine (the count would rightly have been said by then).
        page.evaluate(EMPTY_SEARCH_WHEN_SHOWN, "kirjasto")
        page.wait_for_timeout(400)
        assert [text for text, _ in page.evaluate("window.said")] == ["", "Kirjoita hakukenttään hakusana."]
        # And a slow search overtaken by a quick one: only the quick one's count is said.
        page.evaluate("window.delay = 300")
        submit(page, "hidas")
        page.evaluate("window.delay = 0")
        submit(page, "nopea")
        page.wait_for_timeout(700)
        assert page.locator(".search__status").inner_text() == "3 tulosta haulle ”nopea”"
        assert "3 tulosta haulle ”hidas”" not in [text for text, _ in page.evaluate("window.said")]
    finally:
        context.close()
