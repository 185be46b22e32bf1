"""Submitting, with and without JavaScript, on SQLite and PostgreSQL."""

from __future__ import annotations

import socket

from bs4 import BeautifulSoup
from kuntasivu_inbox.service import Inbox
from starlette.testclient import TestClient

from .conftest import Server
from .exports import SITE, VALID_FEEDBACK

URL = f"/forms/{SITE}/palaute"
JSON = {"Accept": "application/json"}


def test_json_success_is_stored(client: TestClient, service: Inbox) -> None:
    response = client.post(URL, data={**VALID_FEEDBACK, "areas": ["north", "south"]}, headers=JSON)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["thanks_url"] == "https://www.testikunta.fi/kiitos/"
    stored = service.store.get(SITE, body["id"])
    assert stored is not None
    assert stored.data["name"] == "Maija Meikäläinen"
    assert stored.data["areas"] == ["north", "south"]
    assert stored.lang == "fi"


def test_no_js_success_redirects_to_thanks_in_language(client: TestClient, service: Inbox) -> None:
    response = client.post(URL, data={**VALID_FEEDBACK, "_lang": "sv"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "https://www.testikunta.fi/sv/tack/"
    assert service.store.count() == 1


def test_json_errors_in_language(client: TestClient, service: Inbox) -> None:
    data = {**VALID_FEEDBACK, "name": " ", "email": "ei-osoite", "_lang": "sv"}
    response = client.post(URL, data=data, headers=JSON)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors == [
        {"field": "name", "code": "required", "message": "Fyll i ”Nimi (sv)”."},
        {"field": "email", "code": "email", "message": "Skriv en e-postadress i ”Sähköposti (sv)”."},
    ]
    assert service.store.count() == 0


def test_error_page_markup(client: TestClient) -> None:
    hostile = '<script>alert("x")</script>'
    data = {**VALID_FEEDBACK, "name": hostile, "message": "", "topic": "", "code": "abc", "areas": ["south"]}
    response = client.post(URL, data=data)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "<script>" not in response.text
    page = BeautifulSoup(response.text, "html.parser")
    assert page.html is not None and page.html["lang"] == "fi"
    assert page.title is not None and page.title.string is not None
    assert page.title.string.startswith("Virhe: Palaute")
    assert len(page.find_all("h1")) == 1 and page.find("main") is not None
    assert [link["href"] for link in page.select("link[rel=stylesheet]")] == [
        "https://www.testikunta.fi/assets/kunta.css"
    ]
    summary = page.select_one(".ks-error-summary")
    assert summary is not None and summary["tabindex"] == "-1" and summary.has_attr("autofocus")
    links = {a["href"]: a.get_text() for a in summary.select("a")}
    assert set(links) == {"#field-message", "#field-topic", "#field-code"}
    assert links["#field-code"] == "Kolme isoa kirjainta."
    for href in links:
        target = page.select_one(href)
        assert target is not None
        # a group of radios is described by its fieldset, as on the site (form_field component)
        group = target.find_parent("fieldset", class_="ks-field__group")
        holder = group if group is not None else target
        if group is None:
            assert target["aria-invalid"] == "true"
        assert f"{href[1:]}-error" in holder["aria-describedby"].split()
        error = page.find(id=f"{href[1:]}-error")
        hidden_prefix = error.select_one(".visually-hidden") if error is not None else None
        assert hidden_prefix is not None and error.get_text() == hidden_prefix.get_text() + links[href]
    # every value kept, hostile text escaped but intact
    name = page.select_one("#field-name")
    assert name is not None and name["value"] == hostile
    assert page.select_one("#field-email")["value"] == "maija@example.fi"  # type: ignore[index]
    assert page.select_one("#field-code")["value"] == "abc"  # type: ignore[index]
    assert page.select_one("#field-reply").has_attr("checked")  # type: ignore[union-attr]
    assert page.select_one("#field-areas-2").has_attr("checked")  # type: ignore[union-attr]
    assert not page.select_one("#field-areas").has_attr("checked")  # type: ignore[union-attr]
    assert page.select_one("#field-consent").has_attr("checked")  # type: ignore[union-attr]
    # labels, hints, required in text, fieldsets and legends
    for control in page.select("input:not([type=hidden]):not([type=radio]):not([type=checkbox]), select, textarea"):
        assert page.find("label", attrs={"for": control["id"]}) is not None, control
    assert "(pakollinen)" in page.find("label", attrs={"for": "field-name"}).get_text()  # type: ignore[union-attr]
    assert page.select_one("#field-email")["aria-describedby"] == "field-email-hint"  # type: ignore[index]
    legends = [legend.get_text(" ", strip=True) for legend in page.find_all("legend")]
    assert "Yhteystiedot" in legends and "Vastaustapa (pakollinen)" in legends
    assert page.select_one("input[name=_lang]")["value"] == "fi"  # type: ignore[index]


def test_error_page_in_swedish(client: TestClient) -> None:
    response = client.post(URL, data={**VALID_FEEDBACK, "name": "", "_lang": "sv"})
    page = BeautifulSoup(response.text, "html.parser")
    assert page.html is not None and page.html["lang"] == "sv"
    assert "Rätta dessa punkter" in response.text and "Fel: Respons" in response.text


def test_honeypot_answers_like_success_and_stores_nothing(client: TestClient, service: Inbox) -> None:
    response = client.post(URL, data={**VALID_FEEDBACK, "_homepage": "http://spam"}, follow_redirects=False)
    assert response.status_code == 303
    response = client.post(URL, data={**VALID_FEEDBACK, "_homepage": "x"}, headers=JSON)
    assert response.status_code == 201 and response.json()["id"]
    assert service.store.count() == 0
    assert service.outbox.pending() == 0


def test_start_token(client: TestClient, service: Inbox) -> None:
    token = client.get(URL + "/availability").json()["token"]
    too_fast = client.post(URL, data={**VALID_FEEDBACK, "_token": token}, headers=JSON)
    assert too_fast.status_code == 422
    assert too_fast.json()["errors"] == [
        {"field": None, "code": "too_fast", "message": service.registry.get(SITE, "palaute").message("too_fast", "fi")}
    ]  # type: ignore[union-attr]
    old = service.start_tokens.issue(SITE, "palaute", now=1_000_000)
    assert client.post(URL, data={**VALID_FEEDBACK, "_token": old}, headers=JSON).status_code == 201
    assert client.post(URL, data=VALID_FEEDBACK, headers=JSON).status_code == 201  # no token: allowed (no JS)
    # A token the service did not sign (e.g. before a restart with a new secret) counts as no
    # token: the resident's submission is stored, never refused for it.
    forged = old[:-3] + "abc"
    assert client.post(URL, data={**VALID_FEEDBACK, "_token": forged}, headers=JSON).status_code == 201
    other_form = service.start_tokens.issue(SITE, "ilmoittautuminen", now=1_000_000)
    assert client.post(URL, data={**VALID_FEEDBACK, "_token": other_form}, headers=JSON).status_code == 201
    assert service.store.count() == 4


def test_too_fast_page_keeps_token(client: TestClient) -> None:
    token = client.get(URL + "/availability").json()["token"]
    response = client.post(URL, data={**VALID_FEEDBACK, "_token": token})
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    assert page.select_one("input[name=_token]")["value"] == token  # type: ignore[index]
    assert "koneen lähettämältä" in page.select_one(".ks-error-summary").get_text()  # type: ignore[union-attr]


def test_refusals_have_reasons(client: TestClient) -> None:
    cases = [
        (f"/forms/{SITE}/nothing", VALID_FEEDBACK, 404, "nothing"),
        ("/forms/nowhere/palaute", VALID_FEEDBACK, 404, "nowhere"),
        ("/forms/Bad..Site/palaute", VALID_FEEDBACK, 404, "Bad..Site"),
        (URL, {**VALID_FEEDBACK, "evil": "1", "zzz": "2"}, 400, "Unknown fields: evil, zzz."),
        (URL, {**VALID_FEEDBACK, "name": ["a", "b"]}, 400, "more than once: name"),
        (URL, {**VALID_FEEDBACK, "_lang": "de"}, 400, "_lang must be one of fi, sv"),
    ]
    for url, data, status, reason in cases:
        response = client.post(url, data=data, headers=JSON)
        assert response.status_code == status, (url, response.text)
        assert reason in response.json()["detail"]
    html = client.post(URL, data={**VALID_FEEDBACK, "bogus": "1"})
    assert html.status_code == 400 and "Unknown fields: bogus." in html.text and 'lang="fi"' in html.text


def test_malformed_bodies(client: TestClient) -> None:
    form_type = {"Content-Type": "application/x-www-form-urlencoded", **JSON}
    response = client.post(URL, content=b"name=%ff%fe", headers=form_type)
    assert response.status_code == 400 and "UTF-8" in response.json()["detail"]
    response = client.post(URL, content="name=Mäija".encode(), headers=form_type)
    assert response.status_code == 400 and "percent-encoded" in response.json()["detail"]
    response = client.post(URL, content=b"name=a%00b", headers=form_type)
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
    response = client.post(URL, content=b'{"name": "x"}', headers={"Content-Type": "application/json", **JSON})
    assert response.status_code == 415 and "application/x-www-form-urlencoded" in response.json()["detail"]
    multipart = {"Content-Type": "multipart/form-data; boundary=zz", **JSON}
    response = client.post(URL, content=b"--zz\r\ngarbage", headers=multipart)
    assert response.status_code in (400, 422)
    assert client.get(URL).status_code == 405


def test_multipart_accepted_files_refused(client: TestClient) -> None:
    fields = {k: (None, v) for k, v in VALID_FEEDBACK.items()}
    assert client.post(URL, files=fields, headers=JSON).status_code == 201
    with_file = {**fields, "name": ("x.txt", b"data", "text/plain")}
    response = client.post(URL, files=with_file, headers=JSON)
    assert response.status_code == 400 and "Files" in response.json()["detail"]


def test_body_size_limit(client: TestClient, service: Inbox) -> None:
    big = {**VALID_FEEDBACK, "message": "x" * 9000}
    response = client.post(URL, data=big, headers=JSON)
    assert response.status_code == 413 and "8192 bytes" in response.json()["detail"]

    page = client.post(URL, data=big)
    assert page.status_code == 413 and "8192 bytes" in page.text
    assert service.store.count() == 0


def test_field_count_limit(client: TestClient) -> None:
    many = "&".join(f"areas=north{i}" for i in range(41))
    response = client.post(URL, content=many, headers={"Content-Type": "application/x-www-form-urlencoded", **JSON})
    assert response.status_code == 413 and "the limit is 40" in response.json()["detail"]
    fields = [("areas", (None, "north")) for _ in range(41)]
    response = client.post(URL, files=fields, headers=JSON)
    assert response.status_code == 413 and "the limit is 40" in response.json()["detail"]


def test_availability_is_json_with_token(client: TestClient) -> None:
    response = client.get(f"/forms/{SITE}/ilmoittautuminen/availability")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["options"] == {
        "session": {"morning": {"capacity": 10, "left": 10}, "evening": {"capacity": 2, "left": 2}},
        "extras": {"lunch": {"capacity": 1, "left": 1}},
    }
    assert body["token"]
    assert client.get(URL + "/availability").json()["options"] == {}
    assert client.get(f"/forms/{SITE}/none/availability").status_code == 404


def test_body_limit_holds_while_streaming(server: Server) -> None:
    """A chunked body without Content-Length: the 413 comes before the body ends."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        head = f"POST {URL} HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n"
        head += "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
        sock.sendall(head.encode())
        for _ in range(3):
            sock.sendall(b"%x\r\n%s\r\n" % (4000, b"y" * 4000))
        answer = sock.recv(65536).decode()  # the body never ended: no final 0-chunk was sent
        while "8192" not in answer and (more := sock.recv(65536)):
            answer += more.decode()
    assert answer.startswith("HTTP/1.1 413"), answer
    assert "8192 bytes" in answer
