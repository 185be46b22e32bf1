"""forms.js in headless Chromium, on Karvia's real built pages, and the same form without JavaScript.

The receiving service is not run here: its address (https://lomakkeet.karvia.fi/) is answered
by Playwright routes, which also record what the page sent. Each test drives the form as a
person would, by clicking and typing, and reads what the page then shows and focuses.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Browser, Page, Route

from tests.serving import serve_folder
from tests.theme.test_browser import TARGET_SIZE

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
INBOX = "https://lomakkeet.karvia.fi/forms/karvia/digituki-ajanvaraus"
PAGE = "hallinto/digituki/"
THANKS = "lomakkeet/digituki-ajanvaraus/kiitos/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Karvia built with the own static checks only, served at the root of a local port."""
    work = tmp_path_factory.mktemp("forms")
    command = [sys.executable, "-m", "kuntasivu.cli", "build", "karvia", "--checks", "static", "--today", "2026-11-26"]
    command += ["--out", str(work / "public"), "--reports", str(work / "reports"), "--cache-dir", str(work / "cache")]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    with serve_folder(work / "public" / "karvia") as base:
        yield base


class Inbox:
    """Stands in for the service: answers availability and submissions, and records the posts."""

    def __init__(self, answer: Any = None, availability: dict[str, Any] | None = None) -> None:
        self.answer = answer
        self.availability = availability
        self.posts: list[dict[str, Any]] = []

    def __call__(self, route: Route) -> None:
        request = route.request
        if request.method == "GET" and request.url == INBOX + "/availability":
            if self.availability is None:
                route.abort()
            else:
                route.fulfill(status=200, content_type="application/json", body=json.dumps(self.availability))
            return
        self.posts.append(
            {"accept": request.headers.get("accept", ""), "body": parse_qs(request.post_data or "", True)}
        )
        if self.answer is None:
            route.abort("internetdisconnected")
        else:
            self.answer(route)


def open_form(browser: Browser, site: str, inbox: Inbox, **options: Any) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, **options)
    context.route("https://lomakkeet.karvia.fi/**", inbox)
    page = context.new_page()
    page.goto(site + PAGE, wait_until="networkidle")
    return page


def fill_valid(page: Page) -> None:
    page.get_by_label("klo 10.00–10.45").check()
    page.get_by_label("Nimi (pakollinen)").fill("Maija Mallikas")
    page.get_by_label("Puhelinnumero (pakollinen)").fill("040 123 4567")
    page.get_by_label("Hyväksyn, että tietojani käytetään ajanvarauksen hoitamiseen. (pakollinen)").check()


def focused(page: Page) -> str:
    return str(page.evaluate("document.activeElement.id || document.activeElement.className"))


def test_invalid_submit_shows_the_error_summary_which_takes_focus_and_links_to_the_fields(
    browser: Browser, site: str
) -> None:
    inbox = Inbox()
    page = open_form(browser, site, inbox)
    page.get_by_label("Nimi (pakollinen)").fill("  Maija  ")
    page.get_by_label("Puhelinnumero (pakollinen)").fill("12")
    page.get_by_role("button", name="Lähetä").click()

    summary = page.locator(".ks-error-summary")
    assert focused(page) == "ks-error-summary"
    assert summary.get_by_role("heading").inner_text() == "Korjaa nämä kohdat"
    links = summary.get_by_role("link")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        "#field-time_slot",
        "#field-phone",
        "#field-consent",
    ]
    assert links.nth(1).inner_text() == "Kirjoita kohtaan ”Puhelinnumero” puhelinnumero, esimerkiksi 040 123 4567."
    assert page.title().startswith("Virhe: ")
    # The message is repeated at the field and tied to it; what the user wrote stays.
    phone = page.locator("#field-phone")
    assert phone.get_attribute("aria-invalid") == "true"
    assert phone.get_attribute("aria-describedby") == "field-phone-hint field-phone-error"
    assert page.locator("#field-phone-error").text_content() == "Virhe: " + links.nth(1).inner_text()
    assert page.locator("#field-name").input_value() == "  Maija  "
    assert page.locator("#field-name").get_attribute("aria-invalid") is None
    assert page.locator("#field-time_slot").get_attribute("aria-invalid") is None  # radio: on the fieldset's text
    assert "field-time_slot-error" in (
        page.locator(".ks-field--radios fieldset").get_attribute("aria-describedby") or ""
    )

    links.nth(1).click()
    assert focused(page) == "field-phone"
    links.nth(2).click()
    assert focused(page) == "field-consent"
    assert inbox.posts == []  # nothing was sent


def test_character_count_follows_typing_and_is_announced_after_a_pause(browser: Browser, site: str) -> None:
    page = open_form(browser, site, Inbox())
    count = page.locator("#field-topic-count")
    assert count.inner_text() == "Voit kirjoittaa vielä 500 merkkiä."
    page.locator("#field-topic").press_sequentially("Verkkopankki")
    assert count.inner_text() == "Voit kirjoittaa vielä 488 merkkiä."
    live = page.locator("#field-topic-count + [aria-live=polite]")
    assert live.inner_text() == ""  # not on every key
    page.wait_for_function("document.querySelector('#field-topic-count + [aria-live]').textContent !== ''")
    assert live.inner_text() == count.inner_text()
    page.locator("#field-topic").fill("ä" * 503)
    assert count.inner_text() == "Tekstissä on 3 merkkiä liikaa."
    assert "ks-field__count--over" in (count.get_attribute("class") or "")


def test_availability_marks_full_options_and_fills_the_start_token(browser: Browser, site: str) -> None:
    seats = {
        "time_slot": {"2027-03-10-09-00": {"capacity": 2, "left": 0}, "2027-03-10-10-00": {"capacity": 2, "left": 1}}
    }
    page = open_form(browser, site, Inbox(availability={"token": "t0ken", "options": seats}))
    page.wait_for_function("document.querySelector('input[name=_token]').value === 't0ken'")
    assert page.locator("#field-time_slot").is_disabled()
    assert page.locator("label[for=field-time_slot]").inner_text() == "klo 9.00–9.45 (täynnä)"
    assert page.locator("label[for=field-time_slot-2]").inner_text() == "klo 10.00–10.45 (vapaita paikkoja: 1)"
    assert page.locator("#field-time_slot-2").is_enabled()
    # sent without a time: the summary's link leads to the first time that can take focus
    page.get_by_role("button", name="Lähetä").click()
    page.locator(".ks-error-summary a[href='#field-time_slot']").click()
    assert page.evaluate("document.activeElement.id") == "field-time_slot-2"


def test_a_valid_form_is_sent_as_json_request_and_the_thanks_take_focus(browser: Browser, site: str) -> None:
    def created(route: Route) -> None:
        route.fulfill(status=201, content_type="application/json", body='{"id": "1", "thanks_url": "x"}')

    inbox = Inbox(answer=created, availability={"token": "t0ken", "options": {}})
    page = open_form(browser, site, inbox)
    page.wait_for_function("document.querySelector('input[name=_token]').value === 't0ken'")
    fill_valid(page)
    page.get_by_role("button", name="Lähetä").click()
    page.wait_for_selector(".ks-form__thanks")
    assert focused(page) == "ks-form__thanks"
    assert page.locator(".ks-form__thanks").inner_text().startswith("Kiitos! Aikasi on varattu.")
    assert page.locator("form.ks-form__form").count() == 0
    (post,) = inbox.posts
    assert post["accept"] == "application/json"
    body = post["body"]
    assert body["_lang"] == ["fi"] and body["_token"] == ["t0ken"] and body["_homepage"] == [""]
    assert re.fullmatch("[0-9a-f]{32}", body["_key"][0]), "a key, so that a form sent again is stored once"
    assert (
        body["time_slot"] == ["2027-03-10-10-00"] and body["consent"] == ["yes"] and body["name"] == ["Maija Mallikas"]
    )


def test_the_services_errors_are_shown_like_the_pages_own(browser: Browser, site: str) -> None:
    message = "”klo 10.00–10.45” on jo täynnä. Vapaana on vielä: klo 11.00–11.45."
    errors = [
        {"field": "time_slot", "code": "full", "message": message},
        {"field": None, "code": "too_fast", "message": "Odota."},
    ]

    def invalid(route: Route) -> None:
        route.fulfill(status=422, content_type="application/json", body=json.dumps({"errors": errors}))

    page = open_form(browser, site, Inbox(answer=invalid))
    fill_valid(page)
    page.get_by_role("button", name="Lähetä").click()
    page.wait_for_selector(".ks-error-summary")
    assert focused(page) == "ks-error-summary"
    items = page.locator(".ks-error-summary li")
    assert [items.nth(i).inner_text() for i in range(items.count())] == [message, "Odota."]
    assert page.locator(".ks-error-summary li").nth(1).get_by_role("link").count() == 0
    assert page.locator("#field-time_slot-error").text_content() == "Virhe: " + message


def test_a_network_error_is_said_and_every_answer_stays(browser: Browser, site: str) -> None:
    page = open_form(browser, site, Inbox(answer=None))
    fill_valid(page)
    page.get_by_role("button", name="Lähetä").click()
    status = page.locator(".ks-form__status")
    page.wait_for_function("document.querySelector('.ks-form__status').textContent.includes('yhteys')")
    assert status.get_attribute("role") == "status"
    assert status.inner_text().startswith("Lomaketta ei voitu lähettää, koska yhteys ei toimi.")
    assert page.locator("#field-name").input_value() == "Maija Mallikas"
    assert page.locator("#field-time_slot-2").is_checked()
    assert page.get_by_role("button", name="Lähetä").get_attribute("aria-disabled") is None


def test_form_targets_are_big_enough(browser: Browser, site: str) -> None:
    page = open_form(browser, site, Inbox())
    assert page.evaluate(TARGET_SIZE) == []


def test_without_javascript_the_form_is_a_plain_post_to_the_service(browser: Browser, site: str) -> None:
    def see_other(route: Route) -> None:
        route.fulfill(status=303, headers={"Location": site + THANKS})

    inbox = Inbox(answer=see_other)
    page = open_form(browser, site, inbox, java_script_enabled=False)
    form = page.locator("form.ks-form__form")
    assert form.get_attribute("method") == "post"
    assert form.get_attribute("action") == INBOX
    assert form.get_attribute("novalidate") == ""
    assert form.get_attribute("data-schema") == "https://www.karvia.fi/forms/digituki-ajanvaraus.json"
    assert form.get_attribute("data-availability") == INBOX + "/availability"
    assert page.locator("input[name=_homepage]").is_hidden()
    fill_valid(page)
    page.get_by_role("button", name="Lähetä").click()
    page.wait_for_url(site + THANKS)
    assert page.locator("h1").inner_text() == "Lähetetty: Varaa aika digitukipäivään 10.3.2027"
    (post,) = inbox.posts
    assert "application/json" not in post["accept"]
    assert post["body"]["_lang"] == ["fi"] and post["body"]["_token"] == [""]
    assert post["body"]["time_slot"] == ["2027-03-10-10-00"]
