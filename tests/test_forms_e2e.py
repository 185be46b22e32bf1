"""A resident sends Karvia's digital-support booking, end to end, with JavaScript on and off.

Everything is real and local: the site is built from municipalities/karvia (its addresses
pointed at 127.0.0.1), served by a static server; the receiving service runs as
`python -m kuntasivu_inbox.cli serve` with a SQLite file; its mail goes to an aiosmtpd server;
Debian's Chromium fills in the form. Each test reads the database and the mailbox, not only
the page. axe checks the form page with its errors shown and the service's own error page.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from kuntasivu.checks.nu import run_nu
from kuntasivu.checks.tools import Tools
from kuntasivu_inbox.config import Settings
from playwright.sync_api import Browser, BrowserContext, Page

from tests.inbox.conftest import Server
from tests.inbox.test_mail import Collect
from tests.karvia_local import SITE, build_karvia
from tests.serving import serve_folder
from tests.theme.test_components import AXE, AXE_TAGS, axe_report

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
FORM = "digituki-ajanvaraus"
PAGE = "hallinto/digituki/"
THANKS = "lomakkeet/digituki-ajanvaraus/kiitos/"


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("forms-e2e")


@pytest.fixture(scope="module")
def site(work: Path, ports: tuple[int, int]) -> Iterator[str]:
    """Karvia built with its site and inbox addresses on 127.0.0.1, served at a port's root."""
    with serve_folder(build_karvia(work / "project", *ports), ports[0]) as base:
        yield base


@pytest.fixture(scope="module")
def inbox(site: str, work: Path, mailbox: Collect, ports: tuple[int, int]) -> Iterator[Path]:
    """The receiving service on the port site.yml names; yields its SQLite file."""
    database = work / "inbox.sqlite3"
    settings = Settings(
        database_url=f"sqlite:///{database}",
        forms_dir=work / "project" / "public",
        secret="e2e",
        smtp_host="127.0.0.1",
        smtp_port=mailbox.port,  # type: ignore[attr-defined]
        min_fill_seconds=0.5,
        mail_poll=0.2,
        mail_retry=0.5,
    )
    server = Server(settings, work / "inbox.log")
    server.port = ports[1]
    server.url = f"http://127.0.0.1:{server.port}"
    server.start()
    yield database
    server.stop()


@pytest.fixture(params=[True, False], ids=["js-on", "js-off"])
def javascript(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest.fixture
def context(javascript: bool, browser: Browser) -> Iterator[BrowserContext]:
    made = browser.new_context(java_script_enabled=javascript)
    yield made
    made.close()


def rows(database: Path, name: str) -> list[str]:
    """The stored submissions whose 'name' field is ``name`` (straight from the SQLite file)."""
    with sqlite3.connect(database) as connection:
        found = connection.execute(
            "SELECT data FROM submissions WHERE site = ? AND form = ? AND data LIKE ?", (SITE, FORM, f"%{name}%")
        )
        return [row[0] for row in found]


def delivered_to(mailbox: Collect, text: str) -> list[str]:
    """Addresses of the delivered mails whose text mentions ``text``."""
    return [
        address
        for addresses, message in mailbox.messages
        if text in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        for address in addresses
    ]


def assert_axe_clean(page: Page, browser: Browser, javascript: bool) -> None:
    """axe on what ``page`` shows. A page opened with JavaScript off cannot run axe, so its HTML
    is shown again, at the same address, in a tab that can (a POST's answer cannot be loaded
    again, so the address is answered with the same HTML)."""
    if not javascript:
        html, url = page.content(), page.url
        checker = browser.new_context()
        try:
            page = checker.new_page()
            page.route(url, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
            page.goto(url)
            _run_axe(page)
        finally:
            checker.close()
        return
    _run_axe(page)


def _run_axe(page: Page) -> None:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    assert not results["violations"], "axe violations:\n" + axe_report(results["violations"])
    assert not results["incomplete"], "axe needs review:\n" + axe_report(results["incomplete"])


def fill_booking(page: Page, name: str, email: str, time: str = "10.00") -> None:
    page.get_by_label(time, exact=False).first.check()
    page.locator("#field-name").fill(name)
    page.locator("#field-phone").fill("044 123 4567")
    page.locator("#field-email").fill(email)
    page.locator("#field-topic").fill("Haluan oppia käyttämään Omakantaa.")
    page.locator("#field-consent").check()


def test_a_booking_is_stored_and_mailed(
    site: str, inbox: Path, mailbox: Collect, context: BrowserContext, javascript: bool
) -> None:
    name = f"Testi Asukas {'js' if javascript else 'nojs'}"
    sender = f"asukas-{'js' if javascript else 'nojs'}@example.fi"
    page = context.new_page()
    page.goto(site + PAGE)
    page.wait_for_timeout(600)  # past the minimum fill time counted from the start token
    fill_booking(page, name, sender)
    page.locator(".ks-form__send").click()
    if javascript:
        thanks = page.locator(".ks-form__thanks")
        thanks.wait_for()
        assert page.url == site + PAGE, "with JavaScript the result is shown without leaving the page"
        assert page.evaluate("document.activeElement.classList.contains('ks-form__thanks')")
    else:
        page.wait_for_url(site + THANKS)
        assert page.locator("h1").inner_text()
    stored = rows(inbox, name)
    assert len(stored) == 1, "the acknowledged submission is in the database exactly once"
    assert "Omakantaa" in stored[0] and "10-00" in stored[0]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(delivered_to(mailbox, name)) < 2:
        time.sleep(0.1)
    # the notification to the form's recipient (Karvia's registry) and the confirmation to the
    # address the resident gave
    assert sorted(delivered_to(mailbox, name)) == sorted(["kirjaamo@karvia.fi", sender])


def test_invalid_input_shows_the_error_summary_and_keeps_the_values(
    site: str, inbox: Path, browser: Browser, context: BrowserContext, javascript: bool
) -> None:
    page = context.new_page()
    page.goto(site + PAGE)
    page.locator("#field-name").fill("Virheellinen Syöttö")
    page.locator("#field-email").fill("ei-sahkopostiosoite")
    page.locator(".ks-form__send").click()
    summary = page.locator(".ks-error-summary")
    summary.wait_for()
    if javascript:
        assert page.url == site + PAGE, "with JavaScript the errors are shown without leaving the page"
    else:
        assert page.url.endswith("/forms/karvia/digituki-ajanvaraus"), "without JavaScript the service answers"
    assert page.evaluate("document.activeElement.classList.contains('ks-error-summary')"), "the summary takes focus"
    links = summary.locator("a")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert {"#field-time_slot", "#field-phone", "#field-email", "#field-consent"} <= set(targets), targets
    assert page.locator("#field-name").input_value() == "Virheellinen Syöttö", "values are kept"
    assert page.locator("#field-email").input_value() == "ei-sahkopostiosoite"
    assert page.locator("#field-email-error").inner_text(), "the message is repeated at the field"
    assert page.locator("#field-email").get_attribute("aria-describedby")
    summary.locator('a[href="#field-email"]').click()
    assert page.evaluate("document.activeElement.id") == "field-email", "the summary's link leads to the field"
    assert not rows(inbox, "Virheellinen"), "nothing invalid is stored"
    if not javascript:
        assert_nu_clean({"error-page": page.content()})
    assert_axe_clean(page, browser, javascript)


def test_the_form_page_passes_axe_before_anything_is_sent(site: str, browser: Browser) -> None:
    page = browser.new_page()
    page.goto(site + PAGE)
    page.locator(".ks-form__send").wait_for()
    _run_axe(page)


def test_staff_read_and_handle_a_booking_by_keyboard(
    site: str, inbox: Path, browser: Browser, ports: tuple[int, int]
) -> None:
    """A token from `kuntasivu-inbox token create`, the staff page in Chromium, Tab and Enter only."""
    created = subprocess.run(
        [sys.executable, "-m", "kuntasivu_inbox.cli", "token", "create", SITE, "--database-url", f"sqlite:///{inbox}"],
        capture_output=True,
        text=True,
        check=True,
    )
    token = created.stdout.strip().splitlines()[-1]
    page = browser.new_page(java_script_enabled=False)
    page.goto(site + PAGE)
    fill_booking(page, "Asukas Henkilökunnalle", "henkilokunnalle@example.fi", time="11.00")
    page.locator(".ks-form__send").click()
    page.wait_for_url(site + THANKS)
    page.close()
    page = browser.new_page(locale="fi-FI")
    page.goto(f"http://127.0.0.1:{ports[1]}/staff")
    pages = {"staff-login": page.content()}
    _run_axe(page)
    page.locator("#token").focus()
    page.keyboard.type(token)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("dd", has_text="Asukas Henkilökunnalle").count() == 1, "the booking is listed"
    pages["staff-list"] = page.content()
    _run_axe(page)
    before = page.locator("button", has_text="Merkitse käsitellyksi").count()
    page.locator("button", has_text="Merkitse käsitellyksi").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("button", has_text="Merkitse käsitellyksi").count() == before - 1
    with sqlite3.connect(inbox) as connection:
        assert connection.execute("SELECT count(*) FROM submissions WHERE status = 'handled'").fetchone() == (1,)
    assert_nu_clean(pages)
    page.close()


def assert_nu_clean(pages: dict[str, str]) -> None:
    """The Nu Html Checker (from node_modules/vnu-jar) on the HTML the service gave."""
    folder = Path(tempfile.mkdtemp(prefix="inbox-pages-"))
    files = {}
    for name, html in pages.items():
        (folder / f"{name}.html").write_text(html, "utf-8")
        files[folder / f"{name}.html"] = name
    findings = run_nu(files, Tools.find(ROOT))
    assert not any(findings.values()), findings


SAME_RULE_CASES: dict[str, dict[str, str]] = {
    "nothing given": {},
    "malformed e-mail and phone": {"name": "Maija", "phone": "puhelin", "email": "maija@", "consent": "yes"},
    "too long": {"name": "x" * 201, "phone": "044 1234567", "topic": "rivi\n" * 101, "consent": "yes"},
    "phone too long, e-mail with spaces": {"name": "M", "phone": "0" * 41, "email": "a b@c.fi"},
    "not a phone number and too long": {"name": "M", "phone": "puhelin-" * 6, "consent": "yes"},
    "only a byte-order mark": {"name": "\ufeff", "email": "\ufeff", "consent": "yes"},
}


@pytest.mark.parametrize("case", SAME_RULE_CASES)
def test_the_page_and_the_service_find_the_same_errors(
    site: str, inbox: Path, browser: Browser, ports: tuple[int, int], case: str
) -> None:
    """forms.js and the service apply one set of rules: for the same input, the page's error
    summary and the service's JSON answer name the same fields with the same messages."""
    given = SAME_RULE_CASES[case]
    page = browser.new_page()
    page.goto(site + PAGE)
    page.locator(".ks-form__send").wait_for()
    for name, value in given.items():
        if name == "consent":
            page.locator("#field-consent").check()
        else:
            page.locator(f"#field-{name}").fill(value)
    page.locator(".ks-form__send").click()
    summary = page.locator(".ks-error-summary")
    summary.wait_for()
    links = summary.locator("a")
    in_page = {
        (str(links.nth(i).get_attribute("href")).removeprefix("#field-"), links.nth(i).inner_text().strip())
        for i in range(links.count())
    }
    page.close()
    answer = httpx.post(
        f"http://127.0.0.1:{ports[1]}/forms/{SITE}/{FORM}",
        data={**given, "_lang": "fi"},
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 422
    from_service = {(error["field"], error["message"]) for error in answer.json()["errors"]}
    assert in_page == from_service
