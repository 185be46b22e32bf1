"""The Open311 conformance suite: GeoReport v2 (https://wiki.open311.org/GeoReport_v2) in JSON and
XML, on SQLite and PostgreSQL, through the app and against the real running service."""

from __future__ import annotations

import datetime
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx2 as httpx
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kuntasivu_inbox.app import create_app
from kuntasivu_inbox.cli import main
from kuntasivu_inbox.config import Settings
from kuntasivu_inbox.db import outbox
from kuntasivu_inbox.feedback import SCHEMA_PATH, FeedbackExportError, FeedbackRegistry, load_feedback
from kuntasivu_inbox.reports import ServiceRequest
from kuntasivu_inbox.service import Inbox
from kuntasivu_inbox.tokens import hash_token, new_api_key, new_staff_token
from sqlalchemy import select
from starlette.testclient import TestClient

from . import feedback_exports
from .conftest import Server, make_client
from .exports import OTHER_SITE, SITE
from .feedback_exports import INSIDE, OWNER, PARKS_OWNER

BASE = "/open311/v2"
CONTACT = {
    "email": "maija@example.fi",
    "first_name": "Maija",
    "last_name": "Meikäläinen",
    "phone": "+358401234567",
    "device_id": "device-42",
    "account_id": "account-7",
}
PRIVATE_WORDS = ("maija@example.fi", "Maija", "Meikäläinen", "+358401234567", "device-42", "account-7")
PRIVATE_KEYS = ("email", "first_name", "last_name", "phone", "device_id", "account_id", "contact")


def api_key(service: Inbox, site: str = SITE) -> str:
    key = new_api_key()
    service.reports.add_key(site, hash_token(key))
    return key


def report(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "jurisdiction_id": SITE,
        "service_code": "katuvalot",
        "lat": INSIDE[0],
        "long": INSIDE[1],
        "description": "Valo ei pala Kirkkotiellä.",
        "attribute[kind]": "dark",
        "attribute[times][]": ["evening", "night"],
        **CONTACT,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post(client: TestClient, key: str, fmt: str = "json", **changes: object) -> Any:
    return client.post(f"{BASE}/requests.{fmt}", data={**report(**changes), "api_key": key})


def created(client: TestClient, key: str, **changes: object) -> str:
    response = post(client, key, **changes)
    assert response.status_code == 201, response.text
    return str(response.json()[0]["service_request_id"])


def errors_of(response: Any) -> list[str]:
    """The spec's error list, JSON or XML; the code of each error is the status."""
    if response.headers["content-type"].startswith("text/xml"):
        root = ET.fromstring(response.content)
        assert root.tag == "errors"
        pairs = [(e.findtext("code"), e.findtext("description") or "") for e in root.findall("error")]
        assert all(code == str(response.status_code) for code, _ in pairs)
        return [d for _, d in pairs]
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, list) and body
    assert all(set(e) == {"code", "description"} and e["code"] == response.status_code for e in body)
    return [e["description"] for e in body]


def mails_for(service: Inbox, request_id: str) -> list[tuple[str, str, str]]:
    with service.engine.connect() as conn:
        rows = conn.execute(
            select(outbox.c.recipient, outbox.c.subject, outbox.c.body)
            .where(outbox.c.submission_id == request_id)
            .order_by(outbox.c.id)
        )
        return [(r.recipient, r.subject, r.body) for r in rows]


def assert_public(text: str) -> None:
    for word in PRIVATE_WORDS:
        assert word not in text, f"contact data {word!r} published"


# The exports


@pytest.mark.parametrize("site", [SITE, OTHER_SITE])
def test_fixtures_are_valid_exports(site: str) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    validator.validate(feedback_exports.feedback(site))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e: e.update(format=2), "format: 1 was expected"),
        (lambda e: e["categories"][0].update(owner="not an address"), "is not a 'email'"),
        (lambda e: e.update(site="muu"), "does not match the path"),
        (lambda e: e["map"].update(bounds=[62, 22, 61, 23]), "south < north"),
        (lambda e: e["categories"][1].update(code="katuvalot"), "category codes are not unique"),
        (lambda e: e["categories"][0]["questions"][0].update(values=[]), "needs values"),
    ],
)
def test_invalid_export_names_file(tmp_path: Path, change: object, message: str) -> None:
    export = feedback_exports.feedback()
    change(export)  # type: ignore[operator]
    path = tmp_path / SITE / "feedback.json"
    path.parent.mkdir()
    path.write_text(json.dumps(export), encoding="utf-8")
    with pytest.raises(FeedbackExportError) as error:
        load_feedback(path)
    assert str(path) in str(error.value) and message in str(error.value)


def test_invalid_export_stops_the_start(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "kunta").mkdir()
    (tmp_path / "kunta" / "feedback.json").write_text("{not json", encoding="utf-8")
    db = f"sqlite:///{tmp_path}/db.sqlite3"
    with pytest.raises(FeedbackExportError, match=r"kunta/feedback\.json"):
        create_app(Settings(forms_dir=tmp_path, database_url=db, secret="s"))
    assert main(["serve", "--forms-dir", str(tmp_path), "--database-url", db]) == 2
    assert "feedback.json" in capsys.readouterr().err


def test_reload_on_change_keeps_last_good(tmp_path: Path) -> None:
    registry = FeedbackRegistry(tmp_path)
    export = feedback_exports.feedback()
    path = feedback_exports.write(tmp_path, export)
    assert registry.get(SITE).categories[0].owner == OWNER  # type: ignore[union-attr]
    export["categories"][0]["owner"] = "uusi@testikunta.fi"
    feedback_exports.write(tmp_path, export)
    assert registry.get(SITE).categories[0].owner == "uusi@testikunta.fi"  # type: ignore[union-attr]
    path.write_text("{broken", encoding="utf-8")
    assert registry.get(SITE).categories[0].owner == "uusi@testikunta.fi"  # type: ignore[union-attr]
    assert registry.get("../etc") is None and registry.get("none") is None


# Services


def test_services_json_and_xml(client: TestClient) -> None:
    response = client.get(f"{BASE}/services.json?jurisdiction_id={SITE}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    lights, parks = response.json()
    assert lights == {
        "service_code": "katuvalot",
        "service_name": "Katuvalot",
        "description": "Rikkinäinen tai pimeä katuvalo.",
        "metadata": True,
        "type": "realtime",
        "keywords": "valo,lamppu",
        "group": "Kadut",
    }
    assert parks["metadata"] is False and parks["group"] == "" and parks["keywords"] == ""
    swedish = client.get(f"{BASE}/services.json?jurisdiction_id={SITE}&locale=sv_FI").json()
    assert swedish[0]["service_name"] == "Gatubelysning" and swedish[0]["group"] == "Gator"
    english = client.get(f"{BASE}/services.json?jurisdiction_id={SITE}&locale=en").json()
    assert english[0]["service_name"] == "Street lights"
    unknown = client.get(f"{BASE}/services.json?jurisdiction_id={SITE}&locale=de_DE").json()
    assert unknown[0]["service_name"] == "Katuvalot", "the site's first language"
    xml = client.get(f"{BASE}/services.xml?jurisdiction_id={SITE}")
    assert xml.headers["content-type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(xml.content)
    assert root.tag == "services" and [s.findtext("service_code") for s in root] == ["katuvalot", "puistot"]
    first = root.find("service")
    assert first is not None
    assert first.findtext("metadata") == "true" and first.findtext("type") == "realtime"
    assert first.findtext("keywords") == "valo,lamppu" and first.findtext("group") == "Kadut"


def test_service_definition_json_and_xml(client: TestClient) -> None:
    body = client.get(f"{BASE}/services/katuvalot.json?jurisdiction_id={SITE}").json()
    assert body["service_code"] == "katuvalot"
    kind, times, pole = body["attributes"]
    assert kind == {
        "variable": True,
        "code": "kind",
        "datatype": "singlevaluelist",
        "required": True,
        "datatype_description": "Mikä on vialla?",
        "order": 1,
        "description": "Mikä on vialla?",
        "values": [{"key": "dark", "name": "Ei pala"}, {"key": "blinking", "name": "Vilkkuu"}],
    }
    assert times["datatype"] == "multivaluelist" and times["description"] == "Valitse kaikki sopivat."
    assert times["order"] == 2 and times["required"] is False
    assert pole["datatype"] == "number" and pole["values"] == []
    xml = client.get(f"{BASE}/services/katuvalot.xml?jurisdiction_id={SITE}&locale=sv")
    root = ET.fromstring(xml.content)
    assert root.tag == "service_definition" and root.findtext("service_code") == "katuvalot"
    attributes = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attributes] == ["kind", "times", "pole"]
    assert attributes[0].findtext("variable") == "true" and attributes[0].findtext("order") == "1"
    values = attributes[0].findall("values/value")
    assert [(v.findtext("key"), v.findtext("name")) for v in values] == [
        ("dark", "Lyser inte"),
        ("blinking", "Blinkar"),
    ]
    empty = client.get(f"{BASE}/services/puistot.json?jurisdiction_id={SITE}").json()
    assert empty == {"service_code": "puistot", "attributes": []}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_jurisdiction_and_unknown_things(client: TestClient, fmt: str) -> None:
    missing = client.get(f"{BASE}/services.{fmt}")
    assert missing.status_code == 400 and "jurisdiction_id is required" in errors_of(missing)[0]
    unknown = client.get(f"{BASE}/services.{fmt}?jurisdiction_id=eikunta")
    assert unknown.status_code == 404 and "eikunta" in errors_of(unknown)[0]
    assert client.get(f"{BASE}/requests.{fmt}?jurisdiction_id=eikunta").status_code == 404
    no_service = client.get(f"{BASE}/services/eiole.{fmt}?jurisdiction_id={SITE}")
    assert no_service.status_code == 404 and errors_of(no_service) == ["Unknown service_code."]
    no_request = client.get(f"{BASE}/requests/abcdefghij.{fmt}?jurisdiction_id={SITE}")
    assert no_request.status_code == 404 and "abcdefghij" in errors_of(no_request)[0]
    odd = client.get(f"{BASE}/requests/%00%27.{fmt}?jurisdiction_id={SITE}")
    assert odd.status_code == 404 and errors_of(odd)
    no_route = client.get(f"{BASE}/nothing.{fmt}")
    assert no_route.status_code == 404 and errors_of(no_route)
    wrong_method = client.delete(f"{BASE}/requests.{fmt}")
    assert wrong_method.status_code == 405 and errors_of(wrong_method)


def test_unknown_format_is_404_in_json(client: TestClient) -> None:
    response = client.get(f"{BASE}/services.html?jurisdiction_id={SITE}")
    assert response.status_code == 404 and "json or .xml" in errors_of(response)[0]


def test_one_site_needs_no_jurisdiction(settings: Settings, tmp_path: Path) -> None:
    only = tmp_path / "only"
    feedback_exports.write(only, feedback_exports.feedback())
    client, service = make_client(settings, forms_dir=only)
    with client:
        services = client.get(f"{BASE}/services.json")
        assert services.status_code == 200 and services.json()[0]["service_code"] == "katuvalot"
        key = api_key(service)
        response = client.post(f"{BASE}/requests.json", data={**report(jurisdiction_id=None), "api_key": key})
        assert response.status_code == 201, response.text
    service.engine.dispose()


# Posting


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_request_stores_and_notifies_owner(client: TestClient, service: Inbox, fmt: str) -> None:
    key = api_key(service)
    response = post(client, key, fmt, media_url="https://kuvat.example/valo.jpg", address_string="Kirkkotie 1")
    assert response.status_code == 201, response.text
    if fmt == "json":
        assert response.headers["content-type"].startswith("application/json")
        (body,) = response.json()
        assert set(body) == {"service_request_id", "service_notice", "account_id"}
        request_id, account = body["service_request_id"], body["account_id"]
    else:
        assert response.headers["content-type"] == "text/xml; charset=utf-8"
        root = ET.fromstring(response.content)
        assert root.tag == "service_requests"
        (item,) = root.findall("request")
        request_id, account = item.findtext("service_request_id"), item.findtext("account_id")
        assert item.find("service_notice") is not None
    assert account == "account-7"
    stored = service.reports.get(SITE, str(request_id))
    assert stored is not None
    assert stored.status == "open" and stored.lat == 61.2 and stored.long == 22.5
    assert stored.attributes == {"kind": "dark", "times": ["evening", "night"]}
    assert stored.contact == CONTACT and stored.media_url == "https://kuvat.example/valo.jpg"
    assert stored.first_reply_at is None and stored.status_notes is None
    ((recipient, subject, body_text),) = mails_for(service, str(request_id))
    assert recipient == OWNER and "Katuvalot" in subject and str(request_id) in subject
    for line in (
        "Aihe: Katuvalot (katuvalot)",
        "Kuvaus: Valo ei pala Kirkkotiellä.",
        "Sijainti: 61.200000, 22.500000",
        "https://www.openstreetmap.org/?mlat=61.200000&mlon=22.500000",
        "Osoite: Kirkkotie 1",
        "Mikä on vialla?: Ei pala",
        "Milloin?: Illalla, Yöllä",
        "email: maija@example.fi",
        "phone: +358401234567",
        "first_name: Maija",
    ):
        assert line in body_text, line


def test_post_with_address_only_and_plain_attribute_list(client: TestClient, service: Inbox) -> None:
    key = api_key(service)
    request_id = created(
        client,
        key,
        lat=None,
        long=None,
        address_string="Torikatu 3",
        **{"attribute[times][]": None, "attribute[times]": "night", "attribute[pole]": "12"},
    )
    stored = service.reports.get(SITE, request_id)
    assert stored is not None and stored.lat is None and stored.address_string == "Torikatu 3"
    assert stored.attributes == {"kind": "dark", "times": ["night"], "pole": "12"}
    in_query = {**report(jurisdiction_id=None), "api_key": key}
    assert client.post(f"{BASE}/requests.json?jurisdiction_id={SITE}", data=in_query).status_code == 201


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"service_code": None}, "service_code is required."),
        ({"service_code": "eiole"}, "Unknown service_code 'eiole'."),
        ({"lat": "north"}, "lat and long must be decimal degrees"),
        ({"lat": "nan"}, "lat and long must be decimal degrees"),
        ({"lat": "91", "long": "22.5"}, "lat must be between -90 and 90"),
        ({"long": "181"}, "lat must be between -90 and 90 and long between -180 and 180."),
        ({"lat": "60.17", "long": "24.94"}, "outside the municipality"),
        ({"long": None}, "Give both lat and long."),
        ({"lat": None, "long": None}, "A location is required"),
        ({"description": None}, "description is required."),
        ({"description": "x" * 4001}, "description may be at most 4000 characters."),
        ({"attribute[kind]": None}, "attribute[kind] is required."),
        ({"attribute[kind]": "broken"}, "attribute[kind]: 'broken' is not one of blinking, dark."),
        ({"attribute[times][]": ["evening", "noon"]}, "attribute[times]: 'noon' is not one of evening, night."),
        ({"attribute[pole]": "many"}, "attribute[pole] must be a number."),
        ({"attribute[colour]": "red"}, "attribute[colour] is not a question of service katuvalot."),
        ({"email": "not-an-address"}, "email is not an e-mail address."),
        ({"email": "a@b.fi,boss@b.fi"}, "email is not an e-mail address."),
        ({"media_url": "javascript:alert(1)"}, "media_url must be an http or https URL."),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_refusals(client: TestClient, service: Inbox, fmt: str, changes: dict[str, Any], expected: str) -> None:
    response = post(client, api_key(service), fmt, **changes)
    assert response.status_code == 400, response.text
    assert any(expected in e for e in errors_of(response)), errors_of(response)
    assert service.reports.find(SITE) == []


def test_every_problem_is_listed(client: TestClient, service: Inbox) -> None:
    response = post(client, api_key(service), lat="x", description=None, **{"attribute[kind]": None})
    assert response.status_code == 400 and len(errors_of(response)) == 3


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_api_key(client: TestClient, service: Inbox, fmt: str) -> None:
    url = f"{BASE}/requests.{fmt}"
    for key in (None, "", "o311_wrong", "x" * 500, api_key(service, OTHER_SITE)):
        data = report() if key is None else {**report(), "api_key": key}
        response = client.post(url, data=data)
        assert response.status_code == 403 and "api_key" in errors_of(response)[0]
    key = api_key(service)
    assert service.reports.revoke_key(hash_token(key))
    assert client.post(url, data={**report(), "api_key": key}).status_code == 403
    assert service.reports.find(SITE) == []


def test_malformed_bodies_get_the_spec_format(client: TestClient, service: Inbox) -> None:
    url = f"{BASE}/requests.xml"
    assert client.post(url, content=b"{}", headers={"Content-Type": "application/json"}).status_code == 415
    too_large = client.post(url, data={"description": "x" * 9000})
    assert too_large.status_code == 413 and "8192 bytes" in errors_of(too_large)[0]
    twice = client.post(url, content=b"service_code=a&service_code=b", headers={"Content-Type": FORM})
    assert twice.status_code == 400 and "service_code" in errors_of(twice)[0]


FORM = "application/x-www-form-urlencoded"


# Reading


def old_request(service: Inbox, days: int, request_id: str, status: str = "open") -> None:
    at = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days)
    service.reports.create(
        ServiceRequest(
            id=request_id,
            site=SITE,
            service_code="puistot",
            lang="fi",
            status=status,
            status_notes=None,
            description=f"{days} päivää sitten",
            lat=61.3,
            long=22.6,
            address_string=None,
            address_id=None,
            attributes={},
            contact=CONTACT,
            media_url=None,
            requested_at=at,
            updated_at=at,
            first_reply_at=None,
        ),
        365,
        [],
    )


def publish(client: TestClient, request_id: str, headers: dict[str, str]) -> None:
    """Handle and approve a report through the staff API: only such are in the public list."""
    approval = {"status": "closed", "status_notes": "Korjattu.", "published": True}
    response = client.post(f"/staff/api/requests/{request_id}", json=approval, headers=headers)
    assert response.status_code == 200 and response.json()["published_at"], response.text


def test_get_requests_filters(client: TestClient, service: Inbox) -> None:
    key = api_key(service)
    newest = created(client, key, address_string="Kirkkotie 1", media_url="https://kuvat.example/1.jpg")
    unapproved = created(client, key)
    old_request(service, 10, "tenaaaaaaa", status="closed")
    old_request(service, 20, "twentyaaaa", status="closed")
    old_request(service, 100, "hundredaaa")
    headers = staff(service)
    for request_id in (newest, "tenaaaaaaa", "hundredaaa"):
        publish(client, request_id, headers)
    url = f"{BASE}/requests.json?jurisdiction_id={SITE}"

    def ids(query: str = "") -> list[str]:
        response = client.get(url + query)
        assert response.status_code == 200, response.text
        assert_public(response.text)
        return [r["service_request_id"] for r in response.json()]

    assert ids() == [newest, "tenaaaaaaa"], "the approved ones of the last 90 days, newest first"
    assert ids(f"&service_request_id={newest},hundredaaa") == [newest, "hundredaaa"], "ids ignore the window"
    assert ids("&service_request_id=tenaaaaaaa&status=open") == ["tenaaaaaaa"], "and the other filters"
    assert ids(f"&service_request_id={unapproved},twentyaaaa,{newest}") == [newest], "but not the approval"
    assert ids("&service_code=puistot") == ["tenaaaaaaa"]
    assert ids("&service_code=katuvalot,puistot") == [newest, "tenaaaaaaa"]
    assert ids("&status=closed") == [newest, "tenaaaaaaa"]
    assert ids("&status=open,closed") == [newest, "tenaaaaaaa"]
    assert ids("&status=open") == [], "open ones are never approved: the list is of handled reports"
    client.post(f"/staff/api/requests/{newest}", data={"status": "open"}, headers=headers)
    assert ids("&status=open") == [] and ids("&status=open,closed") == ["tenaaaaaaa"], "reopened: out of the list"
    publish(client, newest, headers)
    day = datetime.timedelta(days=1)
    today = datetime.datetime.now(datetime.UTC)
    start = (today - 200 * day).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(f"&start_date={start}") == [newest, "tenaaaaaaa", "hundredaaa"]
    end = (today - 50 * day).isoformat(timespec="seconds")
    assert ids("&" + urlencode({"end_date": end})) == ["hundredaaa"], "end_date alone: the 90 days before it"
    window = {"start_date": (today - 20 * day).isoformat(), "end_date": (today - 5 * day).isoformat()}
    assert ids("&" + urlencode(window)) == ["tenaaaaaaa"]
    assert ids(f"&start_date={(today - 20 * day).date().isoformat()}") == [newest, "tenaaaaaaa"]
    for bad in ("&start_date=yesterday", "&end_date=2026-13-01", "&status=pending"):
        response = client.get(url + bad)
        assert response.status_code == 400 and errors_of(response), bad
    reversed_window = client.get(url + "&start_date=2026-02-01&end_date=2026-01-01")
    assert reversed_window.status_code == 400 and "after end_date" in errors_of(reversed_window)[0]


REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def test_get_one_request_json_and_xml(client: TestClient, service: Inbox) -> None:
    request_id = created(client, api_key(service), address_string="Kirkkotie 1", media_url="https://k.example/1.jpg")
    response = client.get(f"{BASE}/requests/{request_id}.json?jurisdiction_id={SITE}")
    assert response.status_code == 200
    (one,) = response.json()
    assert set(one) == REQUEST_FIELDS
    assert one["service_request_id"] == request_id and one["status"] == "open" and one["status_notes"] is None
    assert one["service_name"] == "Katuvalot" and one["service_code"] == "katuvalot"
    assert one["agency_responsible"] == "Testikunnan tekninen toimi"
    assert one["address"] == "Kirkkotie 1" and one["lat"] == 61.2 and one["long"] == 22.5
    assert one["media_url"] == "https://k.example/1.jpg"
    assert one["expected_datetime"] is None and one["zipcode"] is None and one["address_id"] is None
    requested = datetime.datetime.fromisoformat(one["requested_datetime"])
    assert requested.tzinfo is not None and abs(datetime.datetime.now(datetime.UTC) - requested).total_seconds() < 60
    xml = client.get(f"{BASE}/requests/{request_id}.xml?jurisdiction_id={SITE}&locale=sv")
    root = ET.fromstring(xml.content)
    assert root.tag == "service_requests"
    (item,) = root.findall("request")
    assert {child.tag for child in item} == REQUEST_FIELDS
    assert item.findtext("service_name") == "Gatubelysning" and item.findtext("lat") == "61.2"
    assert item.findtext("expected_datetime") == "" and item.findtext("status") == "open"


def test_no_contact_data_in_any_get(client: TestClient, service: Inbox) -> None:
    request_id = created(client, api_key(service))
    publish(client, request_id, staff(service))
    for path in (
        f"requests.json?jurisdiction_id={SITE}",
        f"requests.xml?jurisdiction_id={SITE}",
        f"requests/{request_id}.json?jurisdiction_id={SITE}",
        f"requests/{request_id}.xml?jurisdiction_id={SITE}",
        f"requests.json?jurisdiction_id={SITE}&service_request_id={request_id}",
        f"services.json?jurisdiction_id={SITE}",
        f"services/katuvalot.xml?jurisdiction_id={SITE}",
    ):
        response = client.get(f"{BASE}/{path}")
        assert response.status_code == 200
        assert_public(response.text)
        assert OWNER not in response.text
        if path.startswith("requests"):
            keys = (
                {c.tag for r in ET.fromstring(response.content) for c in r}
                if ".xml" in path
                else {k for r in response.json() for k in r}
            )
            assert keys and not keys & set(PRIVATE_KEYS)


def test_only_approved_reports_are_listed(client: TestClient, service: Inbox) -> None:
    """Residents' own words can hold personal details: the list shows nothing staff have not
    approved, while the reporter's receipt, GET requests/{id}, answers any report."""
    key = api_key(service)
    hidden = created(client, key, description="Naapurini Matti Meikäläinen jätti roskat.")
    handled = created(client, key)
    headers = staff(service)
    answered = {"status": "closed", "status_notes": "Korjattu."}
    assert client.post(f"/staff/api/requests/{hidden}", data=answered, headers=headers).is_success
    for fmt in ("json", "xml"):
        response = client.get(f"{BASE}/requests.{fmt}?jurisdiction_id={SITE}")
        assert response.status_code == 200 and hidden not in response.text and handled not in response.text, fmt
    publish(client, handled, headers)
    listed = client.get(f"{BASE}/requests.json?jurisdiction_id={SITE}&status=open,closed").json()
    assert [r["service_request_id"] for r in listed] == [handled], "closed and answered is not enough: approved"
    assert "Matti" not in str(listed)
    xml = ET.fromstring(client.get(f"{BASE}/requests.xml?jurisdiction_id={SITE}").content)
    assert [r.findtext("service_request_id") for r in xml] == [handled]
    for fmt in ("json", "xml"):
        receipt = client.get(f"{BASE}/requests/{hidden}.{fmt}?jurisdiction_id={SITE}")
        assert receipt.status_code == 200 and "Matti Meikäläinen" in receipt.text
        assert_public(receipt.text.replace("Matti Meikäläinen", ""))


def test_statistics_count_every_report_approved_or_not(client: TestClient, service: Inbox) -> None:
    key = api_key(service)
    published, answered = created(client, key), created(client, key)
    created(client, key)
    headers = staff(service)
    publish(client, published, headers)
    assert client.post(f"/staff/api/requests/{answered}", data={"status_notes": "Ok."}, headers=headers).is_success
    total = client.get(f"/statistics/{SITE}.json").json()["total"]
    assert total["count"] == 3 and total["replied"] == 2, "approval for the public list does not change them"


def test_hostile_text_is_escaped_in_xml(client: TestClient, service: Inbox) -> None:
    hostile = '</description><status>closed</status><x a="1">&amp; \x01'
    request_id = created(client, api_key(service), description=hostile)
    root = ET.fromstring(client.get(f"{BASE}/requests/{request_id}.xml?jurisdiction_id={SITE}").content)
    assert root.findtext("request/description") == hostile.replace("\x01", "")
    assert root.findtext("request/status") == "open"


# Staff


def staff(service: Inbox, site: str = SITE) -> dict[str, str]:
    token = new_staff_token()
    service.store.add_token(site, hash_token(token))
    return {"Authorization": f"Bearer {token}"}


def test_staff_reply_mails_the_reporter(client: TestClient, service: Inbox) -> None:
    request_id = created(client, api_key(service), locale="sv")
    headers = staff(service)
    listed = client.get("/staff/api/requests", headers=headers).json()["requests"]
    assert [r["id"] for r in listed] == [request_id] and listed[0]["contact"] == CONTACT
    before = service.reports.get(SITE, request_id)
    assert before is not None
    changed = client.post(
        f"/staff/api/requests/{request_id}", json={"status_notes": "Korjattu.\nKiitos!"}, headers=headers
    )
    assert changed.status_code == 200, changed.text
    after = changed.json()
    assert after["status_notes"] == "Korjattu.\nKiitos!" and after["first_reply_at"] is not None
    assert after["updated_at"] >= before.updated_at.isoformat(timespec="seconds")
    first_reply = after["first_reply_at"]
    replies = [m for m in mails_for(service, request_id) if m[0] == CONTACT["email"]]
    assert len(replies) == 1
    _, subject, body = replies[0]
    assert subject.startswith("Svar på din respons") and "Korjattu.\nKiitos!" in body
    assert "Valo ei pala Kirkkotiellä." in body and OWNER not in body
    closed = client.post(f"/staff/api/requests/{request_id}", data={"status": "closed"}, headers=headers).json()
    assert closed["status"] == "closed" and closed["first_reply_at"] == first_reply
    assert len(mails_for(service, request_id)) == 2, "no second reply without new notes"
    again = client.post(f"/staff/api/requests/{request_id}", data={"status_notes": "Vielä."}, headers=headers).json()
    assert again["first_reply_at"] == first_reply and len(mails_for(service, request_id)) == 3
    public_one = client.get(f"{BASE}/requests/{request_id}.json?jurisdiction_id={SITE}").json()[0]
    assert public_one["status"] == "closed" and public_one["status_notes"] == "Vielä."
    assert client.get("/staff/api/requests?status=open", headers=headers).json()["requests"] == []


def test_staff_moving_a_request_mails_the_new_owner(client: TestClient, service: Inbox) -> None:
    request_id = created(client, api_key(service), email=None)
    headers = staff(service)
    moved = client.post(f"/staff/api/requests/{request_id}", data={"service_code": "puistot"}, headers=headers)
    assert moved.status_code == 200 and moved.json()["service_code"] == "puistot"
    mails = mails_for(service, request_id)
    assert [m[0] for m in mails] == [OWNER, PARKS_OWNER]
    assert mails[1][1].startswith("Palaute siirretty sinulle: Puistot") and "Valo ei pala" in mails[1][2]
    assert "phone: +358401234567" in mails[1][2]
    replied = client.post(f"/staff/api/requests/{request_id}", data={"status_notes": "Ok"}, headers=headers)
    assert replied.status_code == 200 and len(mails_for(service, request_id)) == 2, "no e-mail left: no reply mail"
    listed = client.get("/staff/api/requests?service_code=puistot", headers=headers).json()["requests"]
    assert [r["id"] for r in listed] == [request_id]


def test_staff_refusals_and_scope(client: TestClient, service: Inbox) -> None:
    request_id = created(client, api_key(service))
    mine, theirs = staff(service), staff(service, OTHER_SITE)
    url = f"/staff/api/requests/{request_id}"
    assert client.get("/staff/api/requests", headers=theirs).json()["requests"] == []
    assert client.post(url, data={"status": "closed"}, headers=theirs).status_code == 404
    assert client.post(url, data={"status": "closed"}).status_code == 401
    assert client.post("/staff/api/requests/%00", data={"status": "closed"}, headers=mine).status_code == 404
    for data in ({"status": "done"}, {"service_code": "eiole"}, {"colour": "red"}, {"status_notes": "x" * 4001}):
        response = client.post(url, data=data, headers=mine)
        assert response.status_code == 400 and response.json()["detail"], data
    assert client.post(url, content=b"[1]", headers={**mine, "Content-Type": "application/json"}).status_code == 400
    assert client.post(url, content=b"{", headers={**mine, "Content-Type": "application/json"}).status_code == 400
    assert client.get("/staff/api/requests?status=x", headers=mine).status_code == 400
    stored = service.reports.get(SITE, request_id)
    assert stored is not None and stored.status == "open" and stored.status_notes is None


def test_apikey_cli(settings: Settings, service: Inbox, capsys: pytest.CaptureFixture[str]) -> None:
    url = ["--database-url", settings.database_url]
    assert main(["apikey", "create", SITE, *url]) == 0
    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert key.startswith("o311_") and service.reports.key_site(hash_token(key)) == SITE
    assert main(["apikey", "list", *url]) == 0
    listing = capsys.readouterr().out
    assert key not in listing and SITE in listing and "active" in listing
    assert main(["apikey", "revoke", key, *url]) == 0
    assert service.reports.key_site(hash_token(key)) is None
    assert main(["apikey", "revoke", key, *url]) == 1
    assert main(["apikey", "create", "Not A Slug", *url]) == 2


def test_purge_deletes_requests_and_their_mails(client: TestClient, service: Inbox) -> None:
    request_id = created(client, api_key(service))
    old_request(service, 400, "oldaaaaaaa")
    feedbacks = service.feedback.all()
    assert service.reports.purge(feedbacks) == 1, "older than retention_days (365)"
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=366)
    assert service.reports.purge(feedbacks, at=later) == 1
    assert service.reports.find(SITE, ids=[request_id]) == [] and mails_for(service, request_id) == []


# Fuzz: no 5xx, always the spec's error format


NAMES = st.sampled_from(
    [*report(), "api_key", "attribute[kind][]", "attribute[]", "attribute[", "address_id", "locale", "x"]
) | st.text(max_size=12)
VALUES = st.text(max_size=40) | st.sampled_from(["61.2", "22.5", "katuvalot", "dark", "nan", "1e999", SITE, ""])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.lists(st.tuples(NAMES, VALUES), max_size=12),
    with_key=st.booleans(),
    fmt=st.sampled_from(["json", "xml", "txt"]),
    query=st.dictionaries(
        st.sampled_from(["jurisdiction_id", "service_request_id", "status", "start_date", "end_date", "locale"]),
        VALUES,
        max_size=4,
    ),
)
def test_fuzz_open311(
    client: TestClient,
    service: Inbox,
    fields: list[tuple[str, str]],
    with_key: bool,
    fmt: str,
    query: dict[str, str],
) -> None:
    key = getattr(service, "_fuzz_key", None) or api_key(service)
    service._fuzz_key = key  # type: ignore[attr-defined]
    data = [*report().items(), *fields] if with_key else fields
    flat = [(k, x) for k, v in data for x in (v if isinstance(v, list) else [v])]
    body = urlencode([*flat, *([("api_key", key)] if with_key else [])]).encode()
    posted = client.post(f"{BASE}/requests.{fmt}", content=body, headers={"Content-Type": FORM})
    assert posted.status_code < 500, posted.text[:300]
    if posted.status_code >= 400:
        errors_of(posted)
    for path in ("requests", "services", "requests/abc", "services/katuvalot"):
        response = client.get(f"{BASE}/{path}.{fmt}", params=query)
        assert response.status_code < 500, response.text[:300]
        if response.status_code >= 400:
            errors_of(response)


# End to end, plain HTTP from the GeoReport v2 documentation


class TestAgainstRunningService:
    """The real service (uvicorn, a subprocess) as any Open311 client sees it."""

    def test_conversation(self, server: Server, settings: Settings) -> None:
        key = new_api_key()
        service = Inbox.from_settings(replace(settings))
        service.reports.add_key(SITE, hash_token(key))
        staff_headers = staff(service)
        service.engine.dispose()
        base = server.url + BASE
        with httpx.Client(timeout=10) as http:
            services = http.get(f"{base}/services.json", params={"jurisdiction_id": SITE})
            assert services.status_code == 200
            codes = [s["service_code"] for s in services.json()]
            assert codes == ["katuvalot", "puistot"]
            definition = http.get(f"{base}/services/katuvalot.xml", params={"jurisdiction_id": SITE})
            assert ET.fromstring(definition.content).findtext("attributes/attribute/code") == "kind"
            form = {**report(), "api_key": key}
            posted = http.post(f"{base}/requests.xml", data=form)
            assert posted.status_code == 201 and posted.headers["content-type"] == "text/xml; charset=utf-8"
            request_id = ET.fromstring(posted.content).findtext("request/service_request_id")
            assert request_id
            bad_key = http.post(f"{base}/requests.json", data={**form, "api_key": "nope"})
            assert bad_key.status_code == 403 and bad_key.json()[0]["code"] == 403
            outside = http.post(f"{base}/requests.json", data={**form, "lat": "0", "long": "0"})
            assert outside.status_code == 400 and "outside" in outside.json()[0]["description"]
            one = http.get(f"{base}/requests/{request_id}.json", params={"jurisdiction_id": SITE})
            assert one.status_code == 200 and one.json()[0]["status"] == "open"
            assert_public(one.text)
            unapproved = http.get(f"{base}/requests.json", params={"jurisdiction_id": SITE})
            assert unapproved.status_code == 200 and unapproved.json() == [], "nothing listed before approval"
            reply = {"status": "closed", "status_notes": "Lamppu vaihdettu.", "published": "true"}
            changed = http.post(f"{server.url}/staff/api/requests/{request_id}", data=reply, headers=staff_headers)
            assert changed.status_code == 200 and changed.json()["published_at"]
            listed = http.get(f"{base}/requests.xml", params={"jurisdiction_id": SITE, "status": "closed"})
            (item,) = ET.fromstring(listed.content).findall("request")
            assert item.findtext("status_notes") == "Lamppu vaihdettu."
            assert_public(listed.text)
            missing = http.get(f"{base}/requests/zzzzzzzzzz.xml", params={"jurisdiction_id": SITE})
            assert missing.status_code == 404 and ET.fromstring(missing.content).findtext("error/code") == "404"
            unknown = http.get(f"{base}/services.json", params={"jurisdiction_id": "eikunta"})
            assert unknown.status_code == 404 and unknown.json()[0]["code"] == 404
            assert http.get(f"{base}/services.json").status_code == 400
            openapi = http.get(f"{server.url}/openapi.json").json()
            assert f"{BASE}/requests.{{fmt}}" in openapi["paths"]
