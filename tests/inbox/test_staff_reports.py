"""The staff page of location-based feedback, /staff/reports: the list, its filters, replying
(mailed through a real local SMTP server), closing, re-routing and approving reports for the
public Open311 list, the refusals, the texts in three languages, and, in Chromium against the
running service, keyboard-only use with axe and the Nu Html Checker finding nothing."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import replace
from email.message import EmailMessage
from importlib.resources import files
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx2 as httpx
import pytest
from bs4 import BeautifulSoup, Tag
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kuntasivu_inbox.config import Settings
from kuntasivu_inbox.reports import STATUSES, osm_link
from kuntasivu_inbox.service import Inbox
from kuntasivu_inbox.staff_api import STATUSES as SUBMISSION_STATUSES
from kuntasivu_inbox.staff_pages import CONTACT_KEYS, DONE, REPORT_FIELDS
from kuntasivu_inbox.tokens import csrf_token, hash_token, new_api_key
from playwright.sync_api import Browser, Page
from starlette.testclient import TestClient

from ..test_forms_e2e import _run_axe, assert_nu_clean
from .conftest import Server, free_port, make_client
from .exports import OTHER_SITE, SITE
from .feedback_exports import OWNER, PARKS_OWNER
from .test_mail import Collect, smtp_server
from .test_open311 import BASE, CONTACT, api_key, assert_public, created, mails_for, old_request, staff
from .test_staff import token_for

PAGE = "/staff/reports"
NO_CONTACT = {name: None for name in CONTACT}
PARKS = {"service_code": "puistot", "attribute[kind]": None, "attribute[times][]": None}
"""A report of the parks category, which has no questions."""


def sign_in(client: TestClient, service: Inbox, site: str = SITE) -> str:
    token = token_for(service, site)
    signed_in = client.post("/staff/login", data={"token": token, "next": PAGE}, follow_redirects=False)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == PAGE
    return token


def soup_of(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def listed(client: TestClient, query: str = "") -> list[str]:
    """The ids of the reports the page shows, in order."""
    response = client.get(PAGE + query)
    assert response.status_code == 200, response.text
    return [str(a["id"]).removeprefix("r-") for a in soup_of(response).find_all("article")]


def report_form(soup: BeautifulSoup, request_id: str) -> tuple[str, dict[str, str]]:
    """The action of a report's form and what a browser would send from it untouched."""
    form = soup.find("form", attrs={"action": re.compile(rf"^/staff/reports/{request_id}(\?|$)")})
    assert isinstance(form, Tag), f"no form for {request_id}"
    values = {}
    for field in form.find_all("input"):
        if field["type"] != "radio" or field.has_attr("checked"):
            values[str(field["name"])] = str(field.get("value", ""))
    textarea = form.find("textarea")
    assert isinstance(textarea, Tag)
    values[str(textarea["name"])] = textarea.text
    select = form.find("select")
    assert isinstance(select, Tag)
    chosen = select.find("option", selected=True)
    assert isinstance(chosen, Tag)
    values[str(select["name"])] = str(chosen["value"])
    return str(form["action"]), values


def save(client: TestClient, request_id: str, soup: BeautifulSoup | None = None, **changes: str) -> Any:
    """Change the report's form as an official would (on ``soup``, else the current page) and send it."""
    action, values = report_form(soup or soup_of(client.get(PAGE)), request_id)
    return client.post(action, data={**values, **changes}, follow_redirects=False)


def done_of(response: Any) -> list[str]:
    assert response.status_code == 303, response.text
    return parse_qs(urlsplit(response.headers["location"]).query).get("done", [])


def confirmation(client: TestClient, response: Any) -> Tag:
    """The message the list shows after a saved change: announced, and where the focus starts."""
    box = soup_of(client.get(response.headers["location"])).find(attrs={"role": "status"})
    assert isinstance(box, Tag)
    assert box.has_attr("autofocus") and box["tabindex"] == "-1"
    return box


def errors_in(response: Any) -> dict[str, str]:
    """The error summary: link target → message."""
    soup = soup_of(response)
    assert soup.title is not None and soup.title.text.startswith("Virhe: ")
    summary = soup.find(class_="ks-error-summary")
    assert isinstance(summary, Tag) and summary.has_attr("autofocus")
    return {str(a["href"]): a.text for a in summary.find_all("a")}


# Signing in


def test_signing_in_leads_back_to_the_reports(client: TestClient, service: Inbox) -> None:
    login = client.get(PAGE)
    assert login.status_code == 200 and 'type="password"' in login.text
    assert soup_of(login).find("input", attrs={"name": "next"})["value"] == PAGE  # type: ignore[index]
    wrong = client.post("/staff/login", data={"token": "ks_nope", "next": PAGE})
    assert wrong.status_code == 401 and 'name="next" value="/staff/reports"' in wrong.text
    elsewhere = client.post(
        "/staff/login",
        data={"token": token_for(service, SITE), "next": "https://evil.example/"},
        follow_redirects=False,
    )
    assert elsewhere.headers["location"] == "/staff", "only the staff pages, never another address"
    cookie = elsewhere.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/staff" in cookie
    sign_in(client, service)
    reports = client.get(PAGE)
    nav = soup_of(reports).find("nav", attrs={"aria-label": "Henkilökunnan sivut"})
    assert isinstance(nav, Tag)
    assert nav.find("a", attrs={"aria-current": "page"})["href"] == PAGE  # type: ignore[index]
    assert reports.headers["cache-control"] == "no-store"
    forms = soup_of(client.get("/staff")).find("nav", attrs={"aria-label": "Henkilökunnan sivut"})
    assert forms.find("a", attrs={"aria-current": "page"})["href"] == "/staff"  # type: ignore[union-attr,index]


# The list


def test_the_list_shows_everything_staff_need(client: TestClient, service: Inbox) -> None:
    key = api_key(service)
    old_request(service, 2, "olderaaaaa")
    rich = created(
        client,
        key,
        description="<b>Vaarallinen</b> risteys\nToinen rivi",
        address_string="Kirkkotie 1",
        media_url="https://kuvat.example/valo.jpg",
        locale="sv",
    )
    bare = created(client, key, lat=None, long=None, address_string="Puistotie 2", **PARKS, **NO_CONTACT)
    created(client, api_key(service, OTHER_SITE), jurisdiction_id=OTHER_SITE, description="Toisen kunnan asia")
    sign_in(client, service)
    response = client.get(PAGE)
    assert listed(client) == [bare, rich, "olderaaaaa"], "the site's own, newest first"
    assert "Toisen kunnan asia" not in response.text
    soup = soup_of(response)
    article = soup.find("article", id=f"r-{rich}")
    assert isinstance(article, Tag)
    heading = article.find("h2")
    assert heading is not None and "Katuvalot" in heading.text and f"#{rich}" in heading.text
    details = {dt.text: dt.find_next_sibling("dd") for dt in article.find_all("dt")}
    text = {name: dd.get_text(" ", strip=True) for name, dd in details.items() if dd is not None}
    assert "<dd>&lt;b&gt;Vaarallinen&lt;/b&gt; risteys<br>Toinen rivi</dd>" in response.text, "escaped, lines kept"
    assert text["Sijainti"].startswith("61.200000, 22.500000")
    map_link = article.find("a", href=osm_link(61.2, 22.5))
    assert map_link is not None and "OpenStreetMap" in map_link.text
    assert text["Osoite tai paikan kuvaus"] == "Kirkkotie 1"
    assert text["Mikä on vialla?"] == "Ei pala" and text["Milloin?"] == "Illalla, Yöllä"
    assert article.find("a", href="https://kuvat.example/valo.jpg") is not None
    for shown in ("Sähköposti: maija@example.fi", "Etunimi: Maija", "Sukunimi: Meikäläinen", "+358401234567"):
        assert shown in text["Yhteystiedot (vain henkilökunnalle)"], shown
    assert "device-42" in text["Yhteystiedot (vain henkilökunnalle)"]
    assert details["Ilmoittajan kieli"].find("span", lang="sv").text == "svenska"  # type: ignore[union-attr]
    assert text["Tila"] == "avoin" and text["Julkinen lista"] == "ei julkaistu" and text["Vastaus"] == "Ei vastausta."
    hint = article.find(id=f"reply-{rich}-hint")
    assert hint is not None and "maija@example.fi" in hint.text
    other = soup.find("article", id=f"r-{bare}")
    assert isinstance(other, Tag)
    assert "Ilmoittaja ei jättänyt yhteystietoja." in other.text
    assert "ei lähetetä" in other.find(id=f"reply-{bare}-hint").text  # type: ignore[union-attr]
    assert "Sijainti" not in other.text, "no coordinates, no map link"


def test_filters(client: TestClient, service: Inbox) -> None:
    key = api_key(service)
    lights = created(client, key)
    parks = created(client, key, **PARKS)
    closed = created(client, key)
    assert client.post(f"/staff/api/requests/{closed}", data={"status": "closed"}, headers=staff(service)).is_success
    sign_in(client, service)
    assert listed(client) == [closed, parks, lights]
    assert listed(client, "?status=open") == [parks, lights]
    assert listed(client, "?status=closed") == [closed]
    assert listed(client, "?service_code=puistot") == [parks]
    assert listed(client, "?status=open&service_code=katuvalot") == [lights]
    assert listed(client, "?status=&service_code=") == [closed, parks, lights], "the 'all' choices"
    assert listed(client, "?status=odd") == [closed, parks, lights], "an unknown status filters nothing, as on /staff"
    soup = soup_of(client.get(PAGE + "?status=closed&service_code=katuvalot"))
    assert soup.find("select", id="filter-status").find("option", selected=True)["value"] == "closed"  # type: ignore[union-attr,index]
    assert soup.find("select", id="filter-category").find("option", selected=True)["value"] == "katuvalot"  # type: ignore[union-attr,index]
    action, _ = report_form(soup, closed)
    assert action == f"/staff/reports/{closed}?status=closed&service_code=katuvalot", "a change leads back here"
    bad = client.get(PAGE + "?service_code=%00")
    assert bad.status_code == 400 and "category code" in bad.text and "<html" in bad.text


# Changing a report through the page


@pytest.fixture
def mail_page(settings: Settings) -> Iterator[tuple[TestClient, Inbox, Collect]]:
    """The app with a real local SMTP server to send to."""
    port = free_port()
    client, inbox = make_client(settings, smtp_host="127.0.0.1", smtp_port=port, mail_retry=0.2)
    controller, handler = smtp_server(port)
    try:
        with client:
            yield client, inbox, handler
    finally:
        controller.stop()
        inbox.engine.dispose()


def delivered(inbox: Inbox, handler: Collect) -> dict[str, EmailMessage]:
    deadline = time.monotonic() + 10
    while inbox.outbox.pending() and time.monotonic() < deadline:
        inbox.outbox.deliver_due()
    assert inbox.outbox.pending() == 0
    found = {rcpt[0]: message for rcpt, message in handler.messages}
    handler.messages.clear()
    return found


def body(message: EmailMessage) -> str:
    return str(message.get_content()).replace("\r\n", "\n")


def test_a_reply_written_on_the_page_is_mailed_to_the_reporter(
    mail_page: tuple[TestClient, Inbox, Collect],
) -> None:
    client, inbox, handler = mail_page
    request_id = created(client, api_key(inbox), locale="sv")
    assert set(delivered(inbox, handler)) == {OWNER}, "the owner's notification of the new report"
    sign_in(client, inbox)
    response = save(client, request_id, status_notes="Lampan är bytt.\r\nTack för responsen!")
    assert done_of(response) == ["reply_mailed"]
    box = confirmation(client, response)
    assert f"Palaute #{request_id} tallennettu" in box.text
    assert "Vastaus lähetetään ilmoittajalle sähköpostilla." in box.text
    assert box.find("a", href=f"#r-{request_id}") is not None, "back to the report the official was at"
    stored = inbox.reports.get(SITE, request_id)
    assert stored is not None and stored.status_notes == "Lampan är bytt.\nTack för responsen!"
    assert stored.first_reply_at is not None and stored.status == "open"
    mails = delivered(inbox, handler)
    assert set(mails) == {CONTACT["email"]}
    reply = mails[CONTACT["email"]]
    assert str(reply["Subject"]).startswith("Svar på din respons"), "in the reporter's language"
    assert "Lampan är bytt.\nTack för responsen!" in body(reply) and "Valo ei pala Kirkkotiellä." in body(reply)
    unchanged = save(client, request_id)
    assert done_of(unchanged) == []
    assert f"Palautteeseen #{request_id} ei tehty muutoksia" in confirmation(client, unchanged).text
    assert inbox.outbox.pending() == 0, "saving the same reply again mails nothing"
    assert done_of(save(client, request_id, status_notes="Lampan är bytt igen.")) == ["reply_mailed"]
    assert "Lampan är bytt igen." in body(delivered(inbox, handler)[CONTACT["email"]])
    assert done_of(save(client, request_id, status_notes="  ")) == ["reply_removed"]
    assert inbox.reports.get(SITE, request_id).status_notes is None  # type: ignore[union-attr]
    silent = created(client, api_key(inbox), email=None)
    delivered(inbox, handler)
    saved = save(client, silent, status_notes="Korjattu.")
    assert done_of(saved) == ["reply_saved"]
    assert "ilmoittaja ei jättänyt sähköpostiosoitetta" in confirmation(client, saved).text
    assert delivered(inbox, handler) == {}, "no address, no mail"


def test_closing_and_moving_to_another_owner(mail_page: tuple[TestClient, Inbox, Collect]) -> None:
    client, inbox, handler = mail_page
    request_id = created(client, api_key(inbox))
    delivered(inbox, handler)
    sign_in(client, inbox)
    closed = save(client, request_id, status="closed")
    assert done_of(closed) == ["closed"] and "Palaute on suljettu." in confirmation(client, closed).text
    assert inbox.reports.get(SITE, request_id).status == "closed"  # type: ignore[union-attr]
    moved = save(client, request_id, service_code="puistot")
    assert done_of(moved) == ["moved"]
    assert "aiheeseen Puistot" in confirmation(client, moved).text
    stored = inbox.reports.get(SITE, request_id)
    assert stored is not None and stored.service_code == "puistot"
    mails = delivered(inbox, handler)
    assert set(mails) == {PARKS_OWNER}, "the new owner, and nobody else"
    assert str(mails[PARKS_OWNER]["Subject"]).startswith("Palaute siirretty sinulle: Puistot")
    assert "Valo ei pala Kirkkotiellä." in body(mails[PARKS_OWNER]) and "phone: +358401234567" in body(
        mails[PARKS_OWNER]
    )
    article = soup_of(client.get(PAGE)).find("article", id=f"r-{request_id}")
    assert "Mikä on vialla?" in article.text, "the answers to the first category's questions stay"  # type: ignore[union-attr]
    reopened = save(client, request_id, status="open")
    assert done_of(reopened) == ["opened"] and inbox.reports.get(SITE, request_id).status == "open"  # type: ignore[union-attr]


def public_ids(client: TestClient) -> list[str]:
    response = client.get(f"{BASE}/requests.json?jurisdiction_id={SITE}")
    assert response.status_code == 200
    assert_public(response.text)
    return [r["service_request_id"] for r in response.json()]


def test_publishing_needs_a_closed_report_with_a_reply(client: TestClient, service: Inbox) -> None:
    request_id = created(client, api_key(service))
    sign_in(client, service)
    refused = save(client, request_id, status_notes="Korjataan ensi viikolla.", published="true")
    assert refused.status_code == 409
    assert list(errors_in(refused)) == [f"#published-{request_id}-false"]
    assert "vasta, kun se on suljettu ja siihen on vastattu" in errors_in(refused)[f"#published-{request_id}-false"]
    soup = soup_of(refused)
    assert f"Muutoksia palautteeseen #{request_id} ei tallennettu." in soup.text
    assert soup.find("textarea", id=f"reply-{request_id}").text == "Korjataan ensi viikolla.", "the reply is kept"  # type: ignore[union-attr]
    assert soup.find("input", id=f"published-{request_id}-true").has_attr("checked")  # type: ignore[union-attr]
    assert soup.find(id=f"published-{request_id}-error") is not None
    stored = service.reports.get(SITE, request_id)
    assert stored is not None and stored.status_notes is None and stored.published_at is None, "nothing of it stored"
    assert len(mails_for(service, request_id)) == 1, "and no reply mailed"
    assert public_ids(client) == []
    # the same form, with the status changed too: closed, answered and published in one save
    published = save(client, request_id, soup, status="closed")
    assert done_of(published) == ["reply_mailed", "closed", "published"]
    assert "Palaute näkyy nyt julkisessa listassa." in confirmation(client, published).text
    assert public_ids(client) == [request_id]
    first_approval = service.reports.get(SITE, request_id).published_at  # type: ignore[union-attr]
    assert first_approval is not None
    article = soup_of(client.get(PAGE)).find("article", id=f"r-{request_id}")
    shown = article.find("dt", string="Julkinen lista").find_next_sibling("dd").text  # type: ignore[union-attr]
    assert shown.startswith("julkaistu 20") and shown.endswith(" UTC"), shown
    assert done_of(save(client, request_id, status_notes="Korjattu.")) == ["reply_mailed"]
    assert service.reports.get(SITE, request_id).published_at == first_approval, "a new reply keeps the approval"  # type: ignore[union-attr]
    withdrawn = save(client, request_id, published="false")
    assert done_of(withdrawn) == ["withdrawn"] and public_ids(client) == []
    one = client.get(f"{BASE}/requests/{request_id}.json?jurisdiction_id={SITE}")
    assert one.status_code == 200 and one.json()[0]["status_notes"] == "Korjattu.", "the receipt still answers"
    assert done_of(save(client, request_id, published="true")) == ["published"] and public_ids(client) == [request_id]
    reopened = save(client, request_id, status="open")
    assert done_of(reopened) == ["opened", "left_list"]
    assert "Julkaise se uudelleen" in confirmation(client, reopened).text
    assert public_ids(client) == [] and service.reports.get(SITE, request_id).published_at is None  # type: ignore[union-attr]


def test_publishing_through_the_staff_api(client: TestClient, service: Inbox) -> None:
    request_id = created(client, api_key(service))
    headers = staff(service)
    url = f"/staff/api/requests/{request_id}"
    refused = client.post(url, json={"published": True}, headers=headers)
    assert refused.status_code == 409
    assert "not closed" in refused.json()["detail"] and "no reply" in refused.json()["detail"]
    half = client.post(url, json={"status": "closed", "published": True}, headers=headers)
    assert half.status_code == 409 and "not closed" not in half.json()["detail"]
    assert service.reports.get(SITE, request_id).status == "open", "a refused change stores nothing"  # type: ignore[union-attr]
    for bad in ({"published": "maybe"}, {"published": 1}, {"published": None}):
        response = client.post(url, json=bad, headers=headers)
        assert response.status_code == 400 and "published" in response.json()["detail"], bad
    assert client.post(url, data={"published": "yes"}, headers=headers).status_code == 400
    published = client.post(
        url, json={"status": "closed", "status_notes": "Korjattu.", "published": True}, headers=headers
    )
    assert published.status_code == 200 and published.json()["published_at"] is not None
    (listed_one,) = client.get("/staff/api/requests", headers=headers).json()["requests"]
    assert listed_one["published_at"] == published.json()["published_at"]
    assert public_ids(client) == [request_id]
    again = client.post(url, data={"published": "true"}, headers=headers).json()
    assert again["published_at"] == published.json()["published_at"], "approving again keeps the first approval"
    no_reply = client.post(url, json={"status_notes": ""}, headers=headers).json()
    assert no_reply["status_notes"] is None and no_reply["published_at"] is None, "without a reply it leaves the list"
    assert public_ids(client) == []
    assert client.post(url, json={"status_notes": "Uusi vastaus.", "published": "true"}, headers=headers).is_success
    withdrawn = client.post(url, json={"published": False}, headers=headers).json()
    assert withdrawn["published_at"] is None and withdrawn["status"] == "closed" and public_ids(client) == []
    theirs = client.post(url, json={"published": False}, headers=staff(service, OTHER_SITE))
    assert theirs.status_code == 404


def test_only_what_the_official_changed_is_saved(client: TestClient, service: Inbox) -> None:
    """A page opened before another official's change does not undo it: a value is saved only
    when it differs from what the page showed, and publishing is checked on the stored report."""
    request_id = created(client, api_key(service))
    sign_in(client, service)
    stale = soup_of(client.get(PAGE))
    answered = {"status": "closed", "status_notes": "Toisen virkailijan vastaus."}
    assert client.post(f"/staff/api/requests/{request_id}", data=answered, headers=staff(service)).is_success
    moved = save(client, request_id, stale, service_code="puistot", published="true")
    assert done_of(moved) == ["moved", "published"]
    stored = service.reports.get(SITE, request_id)
    assert stored is not None and stored.status_notes == "Toisen virkailijan vastaus." and stored.status == "closed"
    assert stored.service_code == "puistot" and stored.published_at is not None


def test_invalid_values_get_the_error_summary(client: TestClient, service: Inbox) -> None:
    request_id = created(client, api_key(service))
    sign_in(client, service)
    too_long = save(client, request_id, status_notes="x" * 4001, status="done")
    assert too_long.status_code == 400
    errors = errors_in(too_long)
    assert errors == {
        f"#reply-{request_id}": "Vastaus saa olla enintään 4000 merkkiä pitkä.",
        f"#status-{request_id}-open": "Valitse tila: avoin tai suljettu.",
    }
    textarea = soup_of(too_long).find("textarea", id=f"reply-{request_id}")
    assert textarea is not None and textarea.text == "x" * 4001 and textarea["aria-invalid"] == "true"
    assert f"reply-{request_id}-error" in str(textarea["aria-describedby"])
    unknown = save(client, request_id, service_code="eiole")
    assert unknown.status_code == 400 and list(errors_in(unknown)) == [f"#category-{request_id}"]
    odd = save(client, request_id, published="maybe")
    assert odd.status_code == 400 and list(errors_in(odd)) == [f"#published-{request_id}-false"]
    stored = service.reports.get(SITE, request_id)
    assert stored is not None and stored.status == "open" and stored.status_notes is None
    assert stored.service_code == "katuvalot" and stored.updated_at == stored.requested_at, "nothing stored"


def test_a_site_whose_feedback_export_is_gone(client: TestClient, service: Inbox, forms_dir: Any) -> None:
    """The reports stay and can be handled; categories and answers are shown by their codes."""
    request_id = created(client, api_key(service))
    sign_in(client, service)
    (forms_dir / SITE / "feedback.json").unlink()
    page = client.get(PAGE)
    assert page.status_code == 200 and "sivustolla ei ole feedback.json-tiedostoa" in page.text
    article = soup_of(page).find("article", id=f"r-{request_id}")
    assert isinstance(article, Tag) and "katuvalot" in article.h2.text and "kind" in article.text  # type: ignore[union-attr]
    saved = save(client, request_id, status_notes="Korjattu.", status="closed")
    assert done_of(saved) == ["reply_not_mailed", "closed"], "the reporter left an address: say why no mail"
    assert "feedback.json" in confirmation(client, saved).text
    assert mails_for(service, request_id)[1:] == []
    moved = save(client, request_id, service_code="puistot")
    assert moved.status_code == 400 and list(errors_in(moved)) == [f"#category-{request_id}"]


# Who may change what


def test_a_token_of_another_municipality_cannot_see_or_change_a_report(client: TestClient, service: Inbox) -> None:
    request_id = created(client, api_key(service))
    sign_in(client, service)
    _, values = report_form(soup_of(client.get(PAGE)), request_id)
    client.cookies.clear()
    theirs = sign_in(client, service, OTHER_SITE)
    assert listed(client) == [] and request_id not in client.get(PAGE).text
    values["csrf"] = csrf_token(service.secret, hash_token(theirs))
    response = client.post(f"{PAGE}/{request_id}", data={**values, "status": "closed", "published": "true"})
    assert response.status_code == 404 and "<html" in response.text
    assert client.get(f"{PAGE}?saved={request_id}&done=closed").text.count(request_id) == 0, "not even by name"
    stored = service.reports.get(SITE, request_id)
    assert stored is not None and stored.status == "open" and stored.published_at is None


def test_cookie_and_csrf(client: TestClient, service: Inbox) -> None:
    request_id = created(client, api_key(service))
    token = sign_in(client, service)
    action, values = report_form(soup_of(client.get(PAGE)), request_id)
    closing = {**values, "status": "closed"}
    forged = client.post(action, data={**closing, "csrf": "forged"})
    assert forged.status_code == 403 and "CSRF" in forged.text
    other_token = token_for(service, SITE)
    of_another = client.post(action, data={**closing, "csrf": csrf_token(service.secret, hash_token(other_token))})
    assert of_another.status_code == 403, "a CSRF token is bound to the token in the cookie"
    without = client.post(action, data={k: v for k, v in closing.items() if k != "csrf"})
    assert without.status_code == 403
    twice = client.post(action, content=b"status=closed&status=open&csrf=" + values["csrf"].encode(),
                        headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert twice.status_code == 400 and "each once" in twice.text
    assert client.post(action, data={**closing, "colour": "red"}).status_code == 400
    assert client.post(f"{PAGE}/zzzzzzzzzz", data=closing).status_code == 404
    assert client.post(f"{PAGE}/%00", data=closing).status_code == 404
    assert service.reports.get(SITE, request_id).status == "open"  # type: ignore[union-attr]
    client.cookies.clear()
    signed_out = client.post(action, data=closing, follow_redirects=False)
    assert signed_out.status_code == 303 and signed_out.headers["location"] == PAGE
    assert service.store.revoke_token(hash_token(token))
    client.cookies.set("ks_staff", token, path="/staff")
    revoked = client.post(action, data=closing, follow_redirects=False)
    assert revoked.status_code == 303 and service.reports.get(SITE, request_id).status == "open"  # type: ignore[union-attr]


# Texts


TEXTS = files("kuntasivu_inbox").joinpath("texts")
TEMPLATES = files("kuntasivu_inbox").joinpath("templates")
DYNAMIC = {
    "status_": SUBMISSION_STATUSES,
    "done_": DONE,
    "error_": ("status", "reply_too_long", "category", "published", "not_publishable"),
    "report_status_": STATUSES,
    "contact_": CONTACT_KEYS,
}
"""The keys the templates build: prefix ~ value."""


def test_the_texts_are_there_in_finnish_swedish_and_english() -> None:
    texts = {lang: json.loads(TEXTS.joinpath(f"{lang}.json").read_text("utf-8")) for lang in ("fi", "sv", "en")}
    assert texts["fi"].keys() == texts["sv"].keys() == texts["en"].keys()
    for key, finnish in texts["fi"].items():
        placeholders = set(re.findall(r"\{(\w+)\}", finnish))
        for lang in ("sv", "en"):
            assert texts[lang][key].strip(), (lang, key)
            assert set(re.findall(r"\{(\w+)\}", texts[lang][key])) == placeholders, (lang, key)
    used, prefixes = set(), set()
    for template in TEMPLATES.iterdir():
        if template.name.startswith("staff_"):
            source = template.read_text("utf-8")
            used |= set(re.findall(r"""\bs\(\s*["'](\w+)["']\s*[,)]""", source))
            prefixes |= set(re.findall(r"""\bs\(\s*["'](\w+)["']\s*~""", source))
    assert prefixes == DYNAMIC.keys(), "every key a template builds is listed here"
    used |= {prefix + value for prefix, values in DYNAMIC.items() for value in values}
    assert "reports_of" in used and "done_left_list" in used
    assert used <= texts["fi"].keys(), sorted(used - texts["fi"].keys())


def test_the_page_in_swedish_and_english(client: TestClient, service: Inbox) -> None:
    request_id = created(client, api_key(service))
    sign_in(client, service)
    swedish = client.get(PAGE, headers={"Accept-Language": "sv-FI,sv;q=0.9"})
    assert '<html lang="sv">' in swedish.text and "Respons på kartan: testikunta" in swedish.text
    assert "Gatubelysning" in swedish.text, "the category in the page's language"
    english = client.get(PAGE + "?lang=en")
    assert '<html lang="en">' in english.text and "Reply to the reporter" in english.text
    refused = save(client, request_id, published="true")
    assert refused.status_code == 409 and "only when it is closed and has a reply" in refused.text, "remembered"


# Fuzz: no 5xx from the page, whatever a browser or a forger sends


FIELD_NAMES = st.sampled_from([*REPORT_FIELDS, "x", ""]) | st.text(max_size=8)
FIELD_VALUES = st.text(max_size=30) | st.sampled_from(["open", "closed", "true", "false", "puistot", "x" * 4001, ""])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.lists(st.tuples(FIELD_NAMES, FIELD_VALUES), max_size=10),
    keep=st.booleans(),
    path=st.sampled_from(["{id}", "zzzzzzzzzz", "%00", "x" * 40]),
    query=st.dictionaries(
        st.sampled_from(["status", "service_code", "saved", "done", "lang"]), FIELD_VALUES, max_size=3
    ),
)
def test_fuzz_the_page(
    client: TestClient,
    service: Inbox,
    fields: list[tuple[str, str]],
    keep: bool,
    path: str,
    query: dict[str, str],
) -> None:
    if not hasattr(service, "_fuzz"):
        request_id = created(client, api_key(service))
        sign_in(client, service)
        service._fuzz = (request_id, report_form(soup_of(client.get(PAGE)), request_id)[1])  # type: ignore[attr-defined]
    request_id, values = service._fuzz  # type: ignore[attr-defined]
    sent = [*values.items(), *fields] if keep else fields
    response = client.post(
        f"{PAGE}/{path.format(id=request_id)}",
        params=query,
        content=urlencode(sent).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert response.status_code < 500, response.text[:300]
    assert client.get(PAGE, params=query).status_code < 500


# In Chromium, against the running service: keyboard only, axe and Nu


def tab_to(page: Page, selector: str, *, back: bool = False, limit: int = 40) -> None:
    """Press Tab (or Shift+Tab) until ``selector`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"{'Shift+' if back else ''}Tab never reached {selector}")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the pages are the same on both databases
def test_keyboard_only_with_axe_and_nu(server: Server, settings: Settings, browser: Browser) -> None:
    """An official signs in, replies, closes and publishes a report, and meets a refusal, with Tab,
    the arrow keys and Enter only; every page on the way passes axe and the Nu Html Checker."""
    service = Inbox.from_settings(replace(settings))
    key = new_api_key()
    service.reports.add_key(SITE, hash_token(key))
    token = token_for(service, SITE)
    service.engine.dispose()
    base = server.url + BASE
    with httpx.Client(timeout=10) as http:

        def post(**data: Any) -> str:
            form = {
                "jurisdiction_id": SITE,
                "service_code": "katuvalot",
                "lat": "61.2",
                "long": "22.5",
                "description": "Valo ei pala.\nPylväs kallellaan.",
                "attribute[kind]": "dark",
                "api_key": key,
                "address_string": "Kirkkotie 1",
                "email": "maija@example.fi",
                "first_name": "Maija",
                **data,
            }
            answer = http.post(f"{base}/requests.json", data={k: v for k, v in form.items() if v is not None})
            assert answer.status_code == 201, answer.text
            return str(answer.json()[0]["service_request_id"])

        first = post(media_url="https://kuvat.example/valo.jpg", locale="sv")
        second = post(
            service_code="puistot", **{"attribute[kind]": None}, email=None, first_name=None, lat=None, long=None
        )
    pages: dict[str, str] = {}
    page = browser.new_page(locale="fi-FI")
    try:
        page.goto(server.url + PAGE)
        pages["login"] = page.content()
        _run_axe(page)
        tab_to(page, "#token")
        page.keyboard.type(token)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == server.url + PAGE, "signing in leads back to the reports"
        assert page.locator("article").count() == 2
        pages["list"] = page.content()
        _run_axe(page)
        # the first report: publishing an open one is refused, and the summary takes the focus
        tab_to(page, f"#published-{first}-false")
        page.keyboard.press("ArrowDown")
        assert page.locator(f"#published-{first}-true").is_checked()
        tab_to(page, f"#r-{first} button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.classList.contains('ks-error-summary')")
        pages["refused"] = page.content()
        _run_axe(page)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == f"#published-{first}-false"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == f"published-{first}-false", "the link leads to the field"
        # reply, close and publish in one save
        tab_to(page, f"#reply-{first}", back=True)
        page.keyboard.type("Lampan är bytt.")
        page.keyboard.press("Enter")
        page.keyboard.type("Tack!")
        tab_to(page, f"#status-{first}-open")
        page.keyboard.press("ArrowDown")
        assert page.locator(f"#status-{first}-closed").is_checked()
        tab_to(page, f"#published-{first}-true")
        assert page.locator(f"#published-{first}-true").is_checked(), "the choice was kept from the refused save"
        tab_to(page, f"#r-{first} button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.getAttribute('role')") == "status", "the message has the focus"
        assert "Palaute näkyy nyt julkisessa listassa." in page.locator("[role=status]").inner_text()
        pages["saved"] = page.content()
        _run_axe(page)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == f"#r-{first}"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert page.evaluate(f"document.getElementById('r-{first}').contains(document.activeElement)"), (
            "the next Tab continues in the report just saved"
        )
        # the filter form, by keyboard too
        tab_to(page, "#filter-status", back=True)
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        tab_to(page, ".ks-staff__filter button")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "status=closed" in page.url and page.locator("article").count() == 1
        page.goto(server.url + PAGE + "?lang=sv")
        pages["swedish"] = page.content()
        _run_axe(page)
    finally:
        page.close()
    assert_nu_clean(pages)
    service = Inbox.from_settings(replace(settings))
    stored = service.reports.get(SITE, first)
    untouched = service.reports.get(SITE, second)
    service.engine.dispose()
    assert stored is not None and stored.status == "closed" and stored.published_at is not None
    assert stored.status_notes == "Lampan är bytt.\nTack!"
    assert untouched is not None and untouched.status == "open" and untouched.published_at is None
    with httpx.Client(timeout=10) as http:
        public = http.get(f"{base}/requests.json", params={"jurisdiction_id": SITE})
    assert [r["service_request_id"] for r in public.json()] == [first]
    assert_public(public.text)
