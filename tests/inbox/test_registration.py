"""Seats: full options, alternatives, and no overbooking under real concurrency."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx
from bs4 import BeautifulSoup
from kuntasivu_inbox.config import Settings
from kuntasivu_inbox.service import Inbox
from starlette.testclient import TestClient

from . import exports
from .conftest import Server
from .exports import SITE

URL = f"/forms/{SITE}/ilmoittautuminen"
JSON = {"Accept": "application/json"}


def person(i: int, session: str = "evening", **extra: object) -> dict[str, object]:
    return {"name": f"Osallistuja {i}", "email": f"o{i}@example.fi", "session": session, **extra}


def test_full_option_names_alternatives(client: TestClient, service: Inbox) -> None:
    for i in range(2):
        assert client.post(URL, data=person(i), headers=JSON).status_code == 201
    response = client.post(URL, data=person(3), headers=JSON)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "session", "code": "full", "message": "”Ilta” on jo täynnä. Vapaana on vielä: Aamu, Etä."}
    ]
    assert client.get(URL + "/availability").json()["options"]["session"]["evening"] == {"capacity": 2, "left": 0}
    assert service.store.count() == 2


def test_checkbox_seats_and_full_none(client: TestClient, service: Inbox) -> None:
    assert client.post(URL, data=person(1, "online", extras=["lunch", "sauna"]), headers=JSON).status_code == 201
    response = client.post(URL, data=person(2, "online", extras=["lunch"]), headers=JSON)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "full"
    assert "Sauna" in response.json()["errors"][0]["message"]
    # a refused submission books nothing, not even the seats that were free
    assert client.get(URL + "/availability").json()["options"]["session"]["morning"]["left"] == 10
    page = client.post(URL, data=person(2, "online", extras=["lunch"]))
    assert page.status_code == 422
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.select_one("a[href='#field-extras']") is not None
    assert "(täynnä)" in soup.find("label", attrs={"for": "field-extras"}).get_text()  # type: ignore[union-attr]
    assert service.store.count() == 1


def test_full_none_when_nothing_is_free(client: TestClient, settings: Settings) -> None:
    export = exports.registration()
    export["fieldsets"][0]["fields"][3]["options"][1]["capacity"] = 1  # sauna too has one seat now
    exports.write(settings.forms_dir, export)  # a new build: picked up without a restart
    assert client.post(URL, data=person(1, "online", extras=["lunch", "sauna"]), headers=JSON).status_code == 201
    response = client.post(URL, data=person(2, "online", extras=["lunch"]), headers=JSON)
    assert response.json()["errors"] == [
        {"field": "extras", "code": "full_none", "message": "Kohdan ”Lisät” kaikki paikat on jo varattu."}
    ]


def test_200_concurrent_registrations_for_10_seats(server: Server, service: Inbox) -> None:
    def register(i: int) -> tuple[int, str]:
        with httpx.Client(base_url=server.url, timeout=60) as http:
            response = http.post(URL, data=person(i, "morning"), headers=JSON)
            codes = [e["code"] for e in response.json().get("errors", [])] if response.status_code == 422 else []
            return response.status_code, ",".join(codes)

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(register, range(200)))
    statuses = [status for status, _ in results]
    assert statuses.count(201) == 10, sorted(set(results))
    assert statuses.count(422) == 190 and {codes for _, codes in results if codes} == {"full"}
    assert service.store.count() == 10
    assert service.store.taken(service.registry.get(SITE, "ilmoittautuminen"))[("session", "morning")] == 10  # type: ignore[arg-type]


def test_a_booking_sent_again_with_its_key_takes_one_seat(client: TestClient, service: Inbox) -> None:
    """The page lost the answer (network) and the resident sent again: same _key, same booking."""
    key = "3f2b9c1e8d7a4b6c9e0f1a2b3c4d5e6f"
    first = client.post(URL, data=person(1, _key=key), headers=JSON)
    again = client.post(URL, data=person(1, _key=key), headers=JSON)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert service.store.count() == 1
    assert service.outbox.pending() == 2, "one notification and one confirmation, not two of each"
    assert client.get(URL + "/availability").json()["options"]["session"]["evening"]["left"] == 1
    other = client.post(URL, data=person(2, _key="another-key-0123456789"), headers=JSON)
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    bad = client.post(URL, data=person(3, _key="short"), headers=JSON)
    assert bad.status_code == 400 and "_key" in bad.json()["detail"]


def test_the_same_key_sent_at_once_is_stored_once(server: Server, service: Inbox) -> None:
    """Twenty copies of one submission at the same moment: one row, one seat, one id."""
    key = "0123456789abcdef0123456789abcdef"

    def send(_: int) -> httpx.Response:
        with httpx.Client(base_url=server.url, timeout=60) as http:
            return http.post(URL, data=person(1, _key=key), headers=JSON)

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(send, range(20)))
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["id"] for a in answers}) == 1
    assert service.store.count() == 1
    form = service.registry.get(SITE, "ilmoittautuminen")
    assert form is not None and service.store.taken(form) == {("session", "evening"): 1}


def test_the_summary_links_to_a_choice_that_can_take_focus(client: TestClient, settings: Settings) -> None:
    """The first time is full, so its radio is disabled: the error summary's link for the
    question goes to the first free one instead (a disabled input cannot take focus)."""
    exports.write(settings.forms_dir, exports.registration(morning=1))
    assert client.post(URL, data=person(1, "morning"), headers=JSON).status_code == 201
    page = BeautifulSoup(client.post(URL, data=person(2, "")).text, "html.parser")
    link = page.select_one(".ks-error-summary a")
    assert link is not None and link["href"] == "#field-session-2"
    target = page.select_one("#field-session-2")
    assert target is not None and target["value"] == "evening" and not target.has_attr("disabled")
    assert page.select_one("#field-session").has_attr("disabled")  # type: ignore[union-attr]
