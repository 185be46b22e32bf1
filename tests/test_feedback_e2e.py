"""A resident reports a problem on Karvia's feedback map, end to end (issue 6's acceptance).

Everything is real and local, as in test_forms_e2e.py: Karvia built with its addresses on
127.0.0.1 and served by a static server; the receiving service as a subprocess with a SQLite
file; its mail at an aiosmtpd server; Debian's Chromium as the resident. There is no internet
here, so the map's tiles never load: every map test is also the "tiles blocked" case.

- by keyboard only with the map: the marker moved with the arrow keys;
- with the address field only;
- with JavaScript off;
- the widget of a site whose feedback goes to an external Open311 server (a second service
  instance standing in) delivers there;
- the statistics page and the public list built from what the service answers.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from kuntasivu.checks.nu import run_nu
from kuntasivu.checks.tools import Tools
from kuntasivu_inbox.config import Settings
from playwright.sync_api import Browser, Page

from tests.inbox.conftest import Server, free_port
from tests.inbox.test_mail import Collect
from tests.karvia_local import SITE, build_karvia
from tests.serving import serve_folder
from tests.test_forms_e2e import assert_axe_clean, delivered_to

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
PAGE = "asuminen/palaute-kartalla/"
THANKS = "lomakkeet/palaute-kartalla/kiitos/"
OWNER = "tekninen@karvia.fi"
KEY_VARIABLE = "KUNTASIVU_OPEN311_KARVIA_TEST"


def settings_for(database: Path, forms_dir: Path, mailbox: Collect) -> Settings:
    return Settings(
        database_url=f"sqlite:///{database}",
        forms_dir=forms_dir,
        secret="e2e",
        smtp_host="127.0.0.1",
        smtp_port=mailbox.port,  # type: ignore[attr-defined]
        min_fill_seconds=0.5,
        mail_poll=0.2,
        mail_retry=0.5,
        forward_poll=0.2,
        forward_retry=0.5,
    )


def start(settings: Settings, log: Path, port: int) -> Server:
    server = Server(settings, log)
    server.port = port
    server.url = f"http://127.0.0.1:{port}"
    server.start()
    return server


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("feedback-e2e")


@pytest.fixture(scope="module")
def site(work: Path, ports: tuple[int, int]) -> Iterator[str]:
    built = build_karvia(work / "project", *ports)
    with serve_folder(built, ports[0]) as base:
        yield base


@pytest.fixture(scope="module")
def inbox(site: str, work: Path, mailbox: Collect, ports: tuple[int, int]) -> Iterator[Path]:
    """The receiving service on the port site.yml names; yields its SQLite file."""
    database = work / "inbox.sqlite3"
    server = start(settings_for(database, work / "project" / "public", mailbox), work / "inbox.log", ports[1])
    yield database
    server.stop()


@pytest.fixture
def keyboard_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


def reports(database: Path, description: str) -> list[dict[str, Any]]:
    """The stored service requests with this description, straight from the SQLite file."""
    with sqlite3.connect(database) as connection:
        connection.row_factory = sqlite3.Row
        found = connection.execute(
            "SELECT * FROM service_requests WHERE site = ? AND description = ?", (SITE, description)
        )
        return [dict(row) for row in found]


def wait_for_mail(mailbox: Collect, text: str, count: int = 1) -> list[str]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(delivered_to(mailbox, text)) < count:
        time.sleep(0.1)
    return delivered_to(mailbox, text)


def tab_to(page: Page, selector: str, *, limit: int = 80) -> None:
    """Press Tab until ``selector`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_by_keyboard_only_with_the_map(site: str, inbox: Path, mailbox: Collect, keyboard_page: Page) -> None:
    page = keyboard_page
    description = "Kuoppa tiessä näppäimistöllä valitussa kohdassa."
    page.goto(site + PAGE)
    page.locator("[data-feedback-map-area]:not([hidden])").wait_for()
    tab_to(page, "input[name=service_code]")
    page.keyboard.press("ArrowDown")  # the second category: streets and roads
    assert page.evaluate("document.activeElement.value") == "tiet"
    tab_to(page, "#field-description")
    page.keyboard.type(description)
    tab_to(page, "#feedback-map")
    start_lat, start_long = page.input_value("#feedback-lat"), page.input_value("#feedback-long")
    for key in ("ArrowUp", "ArrowUp", "ArrowRight"):
        page.keyboard.press(key)
    lat, long = page.input_value("#feedback-lat"), page.input_value("#feedback-long")
    assert lat and long and (lat, long) != (start_lat, start_long)
    said = page.locator("[data-feedback-position]").inner_text()
    assert lat.replace(".", ",")[:6] in said or lat[:6] in said, said  # the coordinates are announced
    assert "Lähin paikka" in said, said
    tab_to(page, ".ks-form__send")
    page.keyboard.press("Enter")
    page.locator(".ks-form__thanks").wait_for()
    (stored,) = reports(inbox, description)
    assert stored["service_code"] == "tiet"
    assert stored["lat"] == pytest.approx(float(lat)) and stored["long"] == pytest.approx(float(long))
    assert stored["address_string"] is None
    assert wait_for_mail(mailbox, description) == [OWNER]


def test_with_the_address_field_only(site: str, inbox: Path, mailbox: Collect, keyboard_page: Page) -> None:
    page = keyboard_page
    description = "Roska-astia on täynnä, osoite kirjoitettuna."
    page.goto(site + PAGE)
    page.get_by_label("Roska-astiat ja roskaaminen").check()
    page.locator("#field-description").fill(description)
    page.locator("#field-address_string").fill("Keskustie 5, linja-autopysäkki")
    page.locator("#field-email").fill("asukas@example.fi")
    page.locator(".ks-form__send").click()
    page.locator(".ks-form__thanks").wait_for()
    (stored,) = reports(inbox, description)
    assert stored["service_code"] == "roskat"
    assert stored["address_string"] == "Keskustie 5, linja-autopysäkki"
    assert stored["lat"] is None and stored["long"] is None
    assert json.loads(stored["contact"]) == {"email": "asukas@example.fi"}
    assert wait_for_mail(mailbox, description) == [OWNER]


def test_without_javascript(site: str, inbox: Path, mailbox: Collect, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site + PAGE)
        assert page.locator("[data-feedback-map-area]").is_hidden(), "no map without JavaScript"
        assert page.locator("#field-address_string").is_visible()
        # Every category's questions are on the page; the street-light question is required.
        page.get_by_label("Katuvalot").check()
        page.get_by_label("Valo vilkkuu").check()
        description = "Katuvalo vilkkuu, lähetetty ilman JavaScriptiä."
        page.locator("#field-description").fill(description)
        page.locator("#field-address_string").fill("Kauppatie 2")
        page.locator(".ks-form__send").click()
        page.wait_for_url(site + THANKS)
        (stored,) = reports(inbox, description)
        assert stored["service_code"] == "katuvalot" and stored["address_string"] == "Kauppatie 2"
        assert json.loads(stored["attributes"]) == {"vika": "vilkkuu"}
        assert wait_for_mail(mailbox, description) == [OWNER]
    finally:
        context.close()


def test_without_javascript_a_mistake_is_shown_with_every_value_kept(site: str, inbox: Path, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site + PAGE)
        page.locator("#field-address_string").fill("Koulutie 1")
        page.locator(".ks-form__send").click()  # no category, no description
        page.wait_for_load_state()
        assert page.title().startswith("Virhe: ")
        summary = page.locator(".ks-error-summary, [class*=error-summary]").first
        assert "Kuvaus" in summary.inner_text()
        assert page.locator("#field-address_string").input_value() == "Koulutie 1"
        assert_axe_clean(page, browser, javascript=False)
        html = page.content()
    finally:
        context.close()
    checked = inbox.parent / "feedback-422.html"
    checked.write_text(html, "utf-8")
    findings = run_nu({checked: "feedback-422"}, Tools.find(ROOT))
    assert not any(findings.values()), findings


def credential(database: Path, kind: str) -> str:
    """A new staff token or Open311 API key for Karvia, from the service's own command line."""
    command = [
        sys.executable,
        "-m",
        "kuntasivu_inbox.cli",
        kind,
        "create",
        SITE,
        "--database-url",
        f"sqlite:///{database}",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)
    return result.stdout.strip().splitlines()[-1]


def send(page: Page, site: str, description: str, category: str = "Kadut ja tiet") -> None:
    page.goto(site + PAGE)
    page.get_by_label(category).check()
    page.locator("#field-description").fill(description)
    page.locator("#field-address_string").fill("Karviantie 1")
    page.locator(".ks-form__send").click()
    page.locator(".ks-form__thanks").wait_for()


def test_a_site_that_forwards_to_another_open311_server_delivers_there(
    site: str, work: Path, mailbox: Collect, keyboard_page: Page
) -> None:
    """Karvia's feedback pointed (site.yml feedback.open311) at an external GeoReport v2 server:
    a second service instance, which knows Karvia from the ordinary export. The API key is in
    the forwarding service's environment only."""
    site_port, inbox_port, external_port = free_port(), free_port(), free_port()
    external_db, forwarding_db = work / "external.sqlite3", work / "forwarding.sqlite3"
    key = credential(external_db, "apikey")
    endpoint = f"http://127.0.0.1:{external_port}/open311/v2/"
    extra = f"  open311:\n    endpoint: {endpoint}\n    jurisdiction_id: {SITE}\n    api_key_env: {KEY_VARIABLE}\n"
    built = build_karvia(work / "forwarding", site_port, inbox_port, extra)
    assert json.loads((built / "feedback.json").read_text("utf-8"))["forward"]["api_key_env"] == KEY_VARIABLE
    assert key not in (built / "feedback.json").read_text("utf-8")
    external = start(
        settings_for(external_db, work / "project" / "public", mailbox), work / "external.log", external_port
    )
    os.environ[KEY_VARIABLE] = key
    try:
        forwarding = start(
            settings_for(forwarding_db, work / "forwarding" / "public", mailbox), work / "fw.log", inbox_port
        )
    finally:
        del os.environ[KEY_VARIABLE]
    description = "Liikennemerkki kaatunut, lähetetty ulkoiseen järjestelmään."
    try:
        with serve_folder(built, site_port) as base:
            send(keyboard_page, base, description)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not reports(external_db, description):
            time.sleep(0.2)
        (delivered,) = reports(external_db, description)
        assert delivered["service_code"] == "tiet" and delivered["address_string"] == "Karviantie 1"
        (kept,) = reports(forwarding_db, description)
        external_id = None
        while time.monotonic() < deadline and external_id is None:  # saved once the answer is read
            with sqlite3.connect(forwarding_db) as connection:
                query = "SELECT external_id FROM forwards WHERE request_id = ?"
                external_id = connection.execute(query, (kept["id"],)).fetchone()[0]
            time.sleep(0.1)
        assert external_id == delivered["id"]
        # The external system routes the report: its owner mail is the only one.
        assert wait_for_mail(mailbox, description) == [OWNER]
        time.sleep(1)
        assert delivered_to(mailbox, description) == [OWNER]
    finally:
        forwarding.stop()
        external.stop()


def test_the_statistics_page_and_the_public_list_come_from_the_service(
    site: str, inbox: Path, work: Path, ports: tuple[int, int], keyboard_page: Page, browser: Browser
) -> None:
    answered, unpublished = "Kuoppa Kauppatiellä, vastattu ja julkaistu.", "Kuoppa pihatiellä, ei julkaistu."
    send(keyboard_page, site, answered)
    send(keyboard_page, site, unpublished)
    (report,) = reports(inbox, answered)
    token = credential(inbox, "token")
    service = f"http://127.0.0.1:{ports[1]}"
    change = {"status": "closed", "status_notes": "Kuoppa paikattu 27.11.", "published": True}
    answer = httpx.post(
        f"{service}/staff/api/requests/{report['id']}", json=change, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 200, answer.text
    published = build_karvia(work / "published", free_port(), ports[1], "", "--fetch-feedback")
    figures = httpx.get(f"{service}/statistics/{SITE}.json").json()

    statistics_page = (published / "palautetilastot" / "index.html").read_text("utf-8")
    total = re.search(r"<tfoot>.*?</tfoot>", statistics_page, re.S)
    assert total is not None
    cells = re.findall(r"<td>([^<]*)</td>", total.group(0))
    assert cells[:2] == [str(figures["total"]["count"]), str(figures["total"]["replied"])]
    assert figures["total"]["count"] >= 2 and figures["total"]["replied"] >= 1

    list_page = (published / "kasitellyt-palautteet" / "index.html").read_text("utf-8")
    assert answered in list_page and "Kuoppa paikattu 27.11." in list_page
    assert unpublished not in list_page, "only reports staff approved are published"
    assert "@" not in re.sub(r"<(header|footer)\b.*?</\1>", "", list_page, flags=re.S), "no contact details"

    pages = {
        published / "palautetilastot" / "index.html": "statistics",
        published / "kasitellyt-palautteet" / "index.html": "list",
    }
    findings = run_nu(pages, Tools.find(ROOT))
    assert not any(findings.values()), findings
    context = browser.new_context()
    try:
        with serve_folder(published) as base:
            for url in ("palautetilastot/", "kasitellyt-palautteet/"):
                page = context.new_page()
                page.goto(base + url)
                assert_axe_clean(page, browser, javascript=True)
    finally:
        context.close()
