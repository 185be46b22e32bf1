"""feedback.js and the feedback widget in headless Chromium, on Karvia's real built page, and the
same widget without JavaScript.

Nothing here reaches the internet. The receiving service's address (https://lomakkeet.karvia.fi/)
is answered by Playwright routes, which also record what the page sent, and the map images are
refused (as offline) unless a test serves them. Each test drives the widget as a person would:
by keyboard, pointer or location, and reads what the page then says, shows and focuses.
"""

from __future__ import annotations

import base64
import json
import math
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from kuntasivu.content.loading import load_content
from playwright.sync_api import Browser, BrowserContext, Page, Route

from tests.conftest import SHARED
from tests.serving import serve_folder
from tests.theme.test_browser import TARGET_SIZE

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
INBOX = "https://lomakkeet.karvia.fi/feedback/karvia"
TILES = "https://tile.openstreetmap.org/**"
PAGE = "asuminen/palaute-kartalla/"
THANKS = "lomakkeet/palaute-kartalla/kiitos/"
CENTRE = (62.1372, 22.5607)
"""Karvia's feedback.map.centre, where the map opens."""
TEXTS = {
    "at": "Merkki paikassa {lat}, {long}.",
    "found": "Sijaintisi on valittu: {lat}, {long}.",
    "outside": "Valittu paikka on kunnan alueen ulkopuolella. Valitse paikka kunnan alueelta tai kirjoita osoite.",
    "none": "Paikkaa ei ole valittu kartalta.",
    "denied": "Sijaintiasi ei voitu käyttää, koska selain ei antanut lupaa."
    " Valitse paikka kartalta tai kirjoita osoite.",
    "tiles": "Karttakuvia ei voitu ladata. Voit silti valita paikan nuolinäppäimillä tai kirjoittaa osoitteen.",
}
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGO4cuUKAAR8AjtZA4DwAAAAAElFTkSuQmCC")
"""A 1 × 1 px map image, for the test where the tiles do load."""
Opener = Callable[..., Page]
"""open_widget(inbox, tiles=None, **browser_context_options) -> the widget's page."""
PLACE = re.compile(r"^Merkki paikassa (-?[0-9.]+), (-?[0-9.]+)\. Lähin paikka: (.+), noin ([0-9]+) metriä\.$")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Karvia built with the own static checks only, served at the root of a local port."""
    work = tmp_path_factory.mktemp("feedback")
    command = [sys.executable, "-m", "kuntasivu.cli", "build", "karvia", "--checks", "static", "--today", "2026-11-26"]
    command += ["--out", str(work / "public"), "--reports", str(work / "reports"), "--cache-dir", str(work / "cache")]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    with serve_folder(work / "public" / "karvia") as base:
        yield base


@pytest.fixture(scope="module")
def places() -> list[tuple[str, float, float]]:
    feedback = load_content(ROOT / "municipalities" / "karvia", SHARED).site.item.feedback
    assert feedback is not None
    return [(place.name.get("fi"), *place.at) for place in feedback.map.places]


class Inbox:
    """Stands in for the service: records each post and answers it with ``answer`` (None: the
    network fails)."""

    def __init__(self, answer: Callable[[Route], None] | None = None) -> None:
        self.answer = answer
        self.posts: list[dict[str, Any]] = []

    def __call__(self, route: Route) -> None:
        request = route.request
        self.posts.append(
            {
                "url": request.url,
                "accept": request.headers.get("accept", ""),
                "body": parse_qs(request.post_data or "", keep_blank_values=True),
            }
        )
        if self.answer is None:
            route.abort("internetdisconnected")
        else:
            self.answer(route)


def created(route: Route) -> None:
    route.fulfill(status=201, content_type="application/json", body='{"service_request_id": "7", "thanks_url": "x"}')


class Tiles:
    """The map images: refused as when offline, or served; counts the requests either way."""

    def __init__(self, serve: bool = False) -> None:
        self.serve = serve
        self.requests = 0

    def __call__(self, route: Route) -> None:
        self.requests += 1
        if self.serve:
            route.fulfill(status=200, content_type="image/png", body=PNG)
        else:
            route.abort("internetdisconnected")


@pytest.fixture
def open_widget(browser: Browser, site: str) -> Iterator[Opener]:
    """Opens the widget's page in a new browser context (closed after the test) whose service
    and map images are answered by the given routes."""
    contexts: list[BrowserContext] = []

    def open_page(inbox: Inbox, tiles: Tiles | None = None, **options: Any) -> Page:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        contexts.append(context)
        context.route("https://lomakkeet.karvia.fi/**", inbox)
        context.route(TILES, tiles or Tiles())
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(site + PAGE, wait_until="load")
        if options.get("java_script_enabled", True):
            page.wait_for_selector(".leaflet-container")
        assert errors == [], errors
        return page

    yield open_page
    for context in contexts:
        context.close()


def focused(page: Page) -> str:
    """The focused element as a person would name it: its id, else its text or label."""
    return str(
        page.evaluate(
            """() => { const e = document.activeElement;
                 return e.id || e.getAttribute('aria-label') || e.textContent.trim().replace(/\\s+/g, ' '); }"""
        )
    )


def tab(page: Page, times: int = 1) -> list[str]:
    """Press Tab; returns what took focus after each press."""
    seen = []
    for _ in range(times):
        page.keyboard.press("Tab")
        seen.append(focused(page))
    return seen


def said(page: Page) -> str:
    return page.locator("[data-feedback-position]").inner_text().strip()


def hidden_place(page: Page) -> tuple[str, str]:
    return page.locator("#feedback-lat").input_value(), page.locator("#feedback-long").input_value()


def nearest(places: list[tuple[str, float, float]], lat: float, long: float) -> tuple[str, int]:
    """The nearest place and its rounded distance, computed here independently of the script."""

    def metres(a: float, b: float) -> float:
        p1, p2, dp, dl = map(math.radians, (lat, a, a - lat, b - long))
        h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        return 2 * 6371008.8 * math.asin(math.sqrt(h))

    name, a, b = min(places, key=lambda place: metres(place[1], place[2]))
    d = metres(a, b)
    rounded = round(d) if d < 10 else round(d / 10) * 10 if d < 1000 else round(d / 100) * 100
    return name, rounded


def check_announced(page: Page, places: list[tuple[str, float, float]]) -> tuple[float, float]:
    """What the status says matches the hidden lat/long and the nearest place; returns the point."""
    match = PLACE.fullmatch(said(page))
    assert match, said(page)
    lat, long = hidden_place(page)
    assert (match[1], match[2]) == (f"{float(lat):.5f}", f"{float(long):.5f}")
    assert (match[3], int(match[4])) == nearest(places, float(lat), float(long))
    return float(lat), float(long)


def fill_valid(page: Page) -> None:
    page.get_by_label("Kadut ja tiet").check()
    page.get_by_label("Kuvaus (pakollinen)").fill("Kuoppa jalkakäytävällä.")


# --- keyboard only ----------------------------------------------------------------------------------


def test_keyboard_only_report_with_the_marker_moved_by_arrow_keys(
    open_widget: Opener, places: list[tuple[str, float, float]]
) -> None:
    inbox = Inbox(created)
    page = open_widget(inbox)
    # From the top of the page, Tab to the first category.
    for _ in range(40):
        if focused(page) == "field-service_code":
            break
        page.keyboard.press("Tab")
    assert focused(page) == "field-service_code"
    page.keyboard.press("Space")
    assert page.locator("#field-service_code").is_checked()
    assert page.locator("#feedback-questions-katuvalot").is_visible()
    assert tab(page) == ["field-description"]
    page.keyboard.type("Katuvalo ei pala koulun kohdalla.")
    assert tab(page) == ["field-address_string"]
    assert tab(page) == ["feedback-map"]
    the_map = page.locator("#feedback-map")
    assert the_map.get_attribute("role") == "application"
    assert the_map.get_attribute("aria-label") == "Kartta palautteen sijainnin valitsemiseen"
    help_id = the_map.get_attribute("aria-describedby")
    assert page.locator(f"#{help_id}").inner_text().startswith("Napsauta karttaa tai siirrä merkkiä nuolinäppäimillä")
    assert page.locator("#feedback-map-help").is_visible()
    ring = the_map.evaluate("e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).boxShadow]")
    assert ring[0] == "solid" and "255, 221, 0" in ring[1], ring  # the site's focus ring
    status = page.locator("[data-feedback-position]")
    assert status.get_attribute("role") == "status" and said(page) == TEXTS["none"]
    assert hidden_place(page) == ("", "")

    page.keyboard.press("ArrowRight")  # the marker starts from the map's centre
    lat1, long1 = check_announced(page, places)
    assert lat1 == pytest.approx(CENTRE[0], abs=1e-5) and long1 > CENTRE[1]
    page.keyboard.press("ArrowRight")
    lat2, long2 = check_announced(page, places)
    small = long2 - long1
    assert small > 0 and lat2 == pytest.approx(lat1, abs=1e-5)
    page.keyboard.press("Shift+ArrowDown")  # a bigger step
    lat3, long3 = check_announced(page, places)
    assert long3 == pytest.approx(long2, abs=1e-5)
    assert (lat2 - lat3) > 2 * small * math.cos(math.radians(lat2))  # five steps south, in degrees of latitude
    page.keyboard.press("Enter")  # back to the middle of the map
    lat4, long4 = check_announced(page, places)
    assert (lat4, long4) == (pytest.approx(CENTRE[0], abs=1e-4), pytest.approx(CENTRE[1], abs=1e-4))
    page.keyboard.press("ArrowUp")
    lat5, long5 = check_announced(page, places)
    assert lat5 > lat4
    icon = page.locator(".leaflet-marker-icon")
    assert icon.count() == 1 and icon.get_attribute("alt") == TEXTS["at"].format(lat=f"{lat5:.5f}", long=f"{long5:.5f}")
    assert icon.get_attribute("tabindex") is None  # the map takes the keys, the marker adds no Tab stop

    # Tab leaves the map (no trap) and goes through its buttons to the category's questions.
    assert tab(page, 6) == [
        "Lähennä karttaa",
        "Loitonna karttaa",
        "Leaflet",
        "Käytä sijaintiani",
        "Poista valittu paikka",
        "field-attribute[pylvasnumero]",
    ]
    page.keyboard.type("KV-112")
    assert tab(page) == ["field-attribute[vika]"]
    page.keyboard.press("Space")
    assert tab(page, 3) == ["field-name", "field-email", "field-phone"]
    assert tab(page, 2)[1] == "Lähetä palaute"
    page.keyboard.press("Enter")

    page.wait_for_selector(".ks-form__thanks")
    assert page.evaluate("document.activeElement.className") == "ks-form__thanks"
    assert page.locator(".ks-form__thanks").inner_text().startswith("Kiitos! Palautteesi on välitetty")
    (post,) = inbox.posts
    assert post["url"] == INBOX and post["accept"] == "application/json"
    body = post["body"]
    assert body["service_code"] == ["katuvalot"]
    assert body["description"] == ["Katuvalo ei pala koulun kohdalla."]
    assert body["lat"] == [f"{lat5:.6f}"] and body["long"] == [f"{long5:.6f}"]
    assert body["attribute[pylvasnumero]"] == ["KV-112"] and body["attribute[vika]"] == ["pimea"]
    assert body["address_string"] == [""] and body["_lang"] == ["fi"] and body["_homepage"] == [""]
    assert re.fullmatch("[0-9a-f]{32}", body["_key"][0]), "a key per filling-in, so a report sent again is stored once"
    assert "_token" not in body


# --- the three ways to give the place -----------------------------------------------------------------


def test_an_address_alone_is_sent_without_lat_and_long(open_widget: Opener) -> None:
    inbox = Inbox(created)
    page = open_widget(inbox)
    fill_valid(page)
    page.get_by_label("Osoite tai paikan kuvaus").fill("Keskustie 5, apteekin edessä")
    page.get_by_role("button", name="Lähetä palaute").click()
    page.wait_for_selector(".ks-form__thanks")
    body = inbox.posts[0]["body"]
    assert body["address_string"] == ["Keskustie 5, apteekin edessä"] and body["service_code"] == ["tiet"]
    assert "lat" not in body and "long" not in body


def test_a_click_on_the_map_places_the_marker_and_remove_clears_it(
    open_widget: Opener, places: list[tuple[str, float, float]]
) -> None:
    page = open_widget(Inbox())
    the_map = page.locator("#feedback-map")
    the_map.scroll_into_view_if_needed()
    box = the_map.bounding_box()
    assert box is not None
    the_map.click(position={"x": box["width"] * 0.7, "y": box["height"] * 0.6})
    lat, long = check_announced(page, places)
    assert lat < CENTRE[0] and long > CENTRE[1]
    page.get_by_role("button", name="Poista valittu paikka").click()
    assert hidden_place(page) == ("", "") and said(page) == TEXTS["none"]
    assert page.locator(".leaflet-marker-icon").count() == 0


def test_use_my_location_puts_the_marker_where_the_browser_says(
    open_widget: Opener, places: list[tuple[str, float, float]]
) -> None:
    page = open_widget(Inbox(), permissions=["geolocation"], geolocation={"latitude": 62.1358, "longitude": 22.5653})
    page.get_by_role("button", name="Käytä sijaintiani").click()
    page.wait_for_function("document.querySelector('#feedback-lat').value !== ''")
    assert hidden_place(page) == ("62.135800", "22.565300")
    name, metres = nearest(places, 62.1358, 22.5653)
    assert name == "Kirjasto, Keskustie 3"
    expected = TEXTS["found"].format(lat="62.13580", long="22.56530") + f" Lähin paikka: {name}, noin {metres} metriä."
    assert said(page) == expected
    assert page.locator(".leaflet-marker-icon").count() == 1


def test_a_location_outside_the_municipality_is_refused(open_widget: Opener) -> None:
    page = open_widget(Inbox(), permissions=["geolocation"], geolocation={"latitude": 60.1699, "longitude": 24.9384})
    page.get_by_role("button", name="Käytä sijaintiani").click()
    page.wait_for_function(f"document.querySelector('[data-feedback-position]').textContent === {TEXTS['outside']!r}")
    assert hidden_place(page) == ("", "") and page.locator(".leaflet-marker-icon").count() == 0
    # The arrow keys cannot take the marker out either: it stays at its last place inside.
    page.locator("#feedback-map").focus()
    for _ in range(5):
        page.get_by_role("button", name="Loitonna karttaa").click()
    page.locator("#feedback-map").focus()
    page.keyboard.press("ArrowLeft")
    inside = hidden_place(page)
    assert inside != ("", "")
    for _ in range(30):
        page.keyboard.press("Shift+ArrowLeft")
        if said(page).startswith(TEXTS["outside"]):
            break
    assert said(page).startswith(TEXTS["outside"])
    last = hidden_place(page)
    assert float(last[1]) >= 22.25  # Karvia's western edge
    page.keyboard.press("Shift+ArrowLeft")
    assert hidden_place(page) == last


def test_a_denied_location_is_said_in_text(open_widget: Opener) -> None:
    page = open_widget(Inbox())  # no geolocation permission in this context
    page.get_by_role("button", name="Käytä sijaintiani").click()
    page.wait_for_function(f"document.querySelector('[data-feedback-position]').textContent === {TEXTS['denied']!r}")
    assert hidden_place(page) == ("", "")


# --- checking, and the service's answers ---------------------------------------------------------------


def test_the_page_checks_the_protocols_rules_with_its_messages(open_widget: Opener) -> None:
    inbox = Inbox(created)
    page = open_widget(inbox)
    send = page.get_by_role("button", name="Lähetä palaute")
    send.click()
    summary = page.locator(".ks-error-summary")
    assert page.evaluate("document.activeElement.className") == "ks-error-summary"
    assert page.title().startswith("Virhe: ")
    links = summary.get_by_role("link")
    assert [(links.nth(i).get_attribute("href"), links.nth(i).inner_text()) for i in range(links.count())] == [
        ("#field-service_code", "Valitse vaihtoehto kohdassa ”Mitä palautteesi koskee?”."),
        ("#field-description", "Täytä kohta ”Kuvaus”."),
    ]
    assert page.locator("#field-description-error").text_content() == "Virhe: Täytä kohta ”Kuvaus”."
    assert page.locator("#field-description").get_attribute("aria-invalid") == "true"
    links.nth(0).click()
    assert focused(page) == "field-service_code"

    # The chosen category's required question, an e-mail address, and a place outside the area
    # (as kept from an earlier attempt: the map itself refuses such a place).
    page.get_by_label("Katuvalot").check()
    page.get_by_label("Kuvaus (pakollinen)").fill("Valo vilkkuu.")
    page.get_by_label("Sähköposti").fill("maija.example.fi")
    page.evaluate("document.querySelector('#feedback-lat').value = '60.1699'")
    page.evaluate("document.querySelector('#feedback-long').value = '24.9384'")
    send.click()
    assert [(links.nth(i).get_attribute("href"), links.nth(i).inner_text()) for i in range(links.count())] == [
        ("#field-address_string", TEXTS["outside"]),
        ("#field-attribute%5Bvika%5D", "Valitse vaihtoehto kohdassa ”Mikä valossa on vialla?”."),
        ("#field-email", "Kirjoita kohtaan ”Sähköposti” sähköpostiosoite muodossa nimi@esimerkki.fi."),
    ]
    assert page.locator("#field-address_string-error").text_content() == "Virhe: " + TEXTS["outside"]
    assert page.locator("#field-description-error").is_hidden()  # fixed now
    assert page.locator("#field-address_string").get_attribute("aria-describedby") == (
        "field-address_string-hint field-address_string-error"
    )
    links.nth(1).click()
    assert focused(page) == "field-attribute[vika]"
    page.get_by_role("button", name="Poista valittu paikka").click()
    page.get_by_label("Valo vilkkuu").check()
    page.get_by_label("Sähköposti").fill("maija@example.fi")
    page.get_by_label("Kuvaus (pakollinen)").fill("ä" * 4001)
    send.click()
    assert summary.get_by_role("link").inner_text() == "Kohdassa ”Kuvaus” voi olla enintään 4000 merkkiä."
    assert inbox.posts == []  # nothing was sent while anything was wrong


def test_only_the_chosen_categorys_questions_are_shown_and_sent(open_widget: Opener) -> None:
    inbox = Inbox(created)
    page = open_widget(inbox)
    questions = page.locator("#feedback-questions-katuvalot")
    assert questions.is_hidden()  # nothing chosen yet
    page.get_by_label("Katuvalot").check()
    assert questions.is_visible()
    assert page.locator(".ks-feedback__questions-hint").first.is_hidden()  # the no-JavaScript hint
    page.get_by_label("Pylvään numero").fill("KV-7")
    fill_valid(page)  # another category after all
    assert questions.is_hidden()
    page.get_by_role("button", name="Lähetä palaute").click()
    page.wait_for_selector(".ks-form__thanks")
    assert not any(name.startswith("attribute[") for name in inbox.posts[0]["body"])


def test_the_services_422_is_shown_like_the_pages_own_errors(open_widget: Opener) -> None:
    errors = [
        {"field": "description", "code": "too_long", "message": "Kohdassa ”Kuvaus” voi olla enintään 4000 merkkiä."},
        {"field": "address_string", "code": "location_outside", "message": TEXTS["outside"]},
        {"field": None, "code": "rate_limited", "message": "Yritä uudelleen hetken kuluttua."},
    ]

    def invalid(route: Route) -> None:
        route.fulfill(status=422, content_type="application/json", body=json.dumps({"errors": errors}))

    page = open_widget(Inbox(invalid))
    fill_valid(page)
    page.get_by_role("button", name="Lähetä palaute").click()
    page.wait_for_selector(".ks-error-summary")
    assert page.evaluate("document.activeElement.className") == "ks-error-summary"
    items = page.locator(".ks-error-summary li")
    assert [items.nth(i).inner_text() for i in range(items.count())] == [e["message"] for e in errors]
    assert items.nth(2).get_by_role("link").count() == 0
    assert page.locator("#field-address_string-error").text_content() == "Virhe: " + TEXTS["outside"]
    assert page.get_by_label("Kuvaus (pakollinen)").input_value() == "Kuoppa jalkakäytävällä."


def test_a_network_error_is_said_and_everything_stays(open_widget: Opener) -> None:
    page = open_widget(Inbox(None))
    fill_valid(page)
    page.locator("#feedback-map").focus()
    page.keyboard.press("ArrowDown")
    place = hidden_place(page)
    page.get_by_role("button", name="Lähetä palaute").click()
    page.wait_for_function("document.querySelector('.ks-form__status').textContent.includes('yhteys')")
    status = page.locator(".ks-form__status").inner_text()
    assert status.startswith("Lomaketta ei voitu lähettää, koska yhteys ei toimi.")
    assert page.get_by_label("Kuvaus (pakollinen)").input_value() == "Kuoppa jalkakäytävällä."
    assert page.get_by_label("Kadut ja tiet").is_checked() and hidden_place(page) == place
    assert page.get_by_role("button", name="Lähetä palaute").get_attribute("aria-disabled") is None


# --- the map images ------------------------------------------------------------------------------------


def test_when_map_images_fail_it_is_said_once_and_the_marker_still_moves(
    open_widget: Opener, places: list[tuple[str, float, float]]
) -> None:
    tiles = Tiles(serve=False)
    page = open_widget(Inbox(), tiles)
    note = page.locator("[data-feedback-tiles]")
    page.wait_for_function("document.querySelector('[data-feedback-tiles]').textContent !== ''")
    assert tiles.requests > 0
    assert note.inner_text() == TEXTS["tiles"] and note.get_attribute("role") == "status"
    page.locator("#feedback-map").focus()
    page.keyboard.press("ArrowLeft")
    check_announced(page, places)
    page.evaluate(
        """() => { window.noteChanges = 0;
             new MutationObserver(() => { window.noteChanges += 1; }).observe(
               document.querySelector('[data-feedback-tiles]'),
               {childList: true, characterData: true, subtree: true}); }"""
    )
    before = tiles.requests
    page.get_by_role("button", name="Lähennä karttaa").click()  # new images are asked for, and fail too
    page.wait_for_function(f"document.querySelectorAll('.leaflet-tile').length > 0 && {before} >= 0")
    page.wait_for_timeout(500)
    assert tiles.requests > before
    assert page.evaluate("window.noteChanges") == 0 and note.inner_text() == TEXTS["tiles"]  # said once
    page.locator("#feedback-map").focus()
    page.keyboard.press("ArrowLeft")
    check_announced(page, places)


def test_when_map_images_load_nothing_is_said_about_them(open_widget: Opener) -> None:
    tiles = Tiles(serve=True)
    page = open_widget(Inbox(), tiles)
    page.wait_for_selector(".leaflet-tile-loaded")
    page.wait_for_timeout(300)
    assert tiles.requests > 0
    assert page.locator("[data-feedback-tiles]").inner_text() == ""
    assert page.locator(".leaflet-tile").first.get_attribute("alt") == ""  # decorative


# --- the widget's looks and motion -----------------------------------------------------------------------


def test_targets_are_big_enough_and_nothing_scrolls_sideways_at_320_px(open_widget: Opener) -> None:
    page = open_widget(Inbox())
    assert page.evaluate(TARGET_SIZE) == []
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.evaluate(TARGET_SIZE) == []


def test_no_map_animation_when_less_motion_is_asked_for(open_widget: Opener) -> None:
    moving = open_widget(Inbox())
    classes = moving.locator(".leaflet-container").get_attribute("class") or ""
    assert "leaflet-fade-anim" in classes  # Leaflet's default, so the check below can fail
    still = open_widget(Inbox(), reduced_motion="reduce")
    classes = still.locator(".leaflet-container").get_attribute("class") or ""
    assert "leaflet-fade-anim" not in classes and "leaflet-zoom-anim" not in classes


# --- without JavaScript ------------------------------------------------------------------------------------


def test_without_javascript_there_is_no_map_and_the_form_is_a_plain_post(open_widget: Opener, site: str) -> None:
    def see_other(route: Route) -> None:
        route.fulfill(status=303, headers={"Location": site + THANKS})

    inbox = Inbox(see_other)
    tiles = Tiles()
    page = open_widget(inbox, tiles, java_script_enabled=False)
    form = page.locator("form.ks-feedback__form")
    assert form.get_attribute("method") == "post" and form.get_attribute("action") == INBOX
    assert form.get_attribute("novalidate") == ""
    assert page.locator(".leaflet-container").count() == 0 and tiles.requests == 0
    assert page.locator("#feedback-map").is_hidden() and page.locator("#feedback-map-help").is_hidden()
    assert page.get_by_role("button", name="Käytä sijaintiani").count() == 0  # hidden: out of the tree
    assert page.get_by_role("button", name="Poista valittu paikka").count() == 0
    address = page.get_by_label("Osoite tai paikan kuvaus")
    assert address.is_visible()
    first = page.locator("fieldset.ks-feedback__location input:not([type=hidden])").first
    assert first.get_attribute("id") == "field-address_string"  # the place's first field
    # Every category's questions, each group named by its category, with the hint.
    legend = page.locator("#feedback-questions-katuvalot legend").first
    assert legend.is_visible() and legend.inner_text() == "Lisätietoja aiheesta Katuvalot"
    assert page.locator("#feedback-questions-katuvalot-hint").is_visible()
    assert page.locator("input[name=_homepage]").is_hidden()
    fill_valid(page)
    address.fill("Keskustie 5")
    page.get_by_role("button", name="Lähetä palaute").click()
    page.wait_for_url(site + THANKS)
    assert page.locator("h1").inner_text() == "Lähetetty: Palaute kartalla"
    (post,) = inbox.posts
    assert "application/json" not in post["accept"]
    body = post["body"]
    assert body["service_code"] == ["tiet"] and body["address_string"] == ["Keskustie 5"]
    assert body["lat"] == [""] and body["long"] == [""] and body["_key"] == [""] and body["_lang"] == ["fi"]
