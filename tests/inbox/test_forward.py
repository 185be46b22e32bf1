"""Forwarding to another Open311 server (PROTOCOL.md, "Forwarding to another Open311 server").

The other server is a second real instance of the service (its own export of the same site,
its own database and an API key made with the CLI), or, where an answer must be chosen (503,
429, a token), a small local HTTP server. The forwarding instance runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime
import http.server
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx2 as httpx
import pytest
from kuntasivu_inbox.cli import main
from kuntasivu_inbox.config import Settings
from kuntasivu_inbox.db import migrate, now
from kuntasivu_inbox.forward import Forwarder, Round
from kuntasivu_inbox.reports import ServiceRequest
from kuntasivu_inbox.service import Inbox
from kuntasivu_inbox.tokens import hash_token, new_api_key
from starlette.testclient import TestClient

from . import feedback_exports
from .conftest import SECRET, Server, free_port, make_client
from .exports import SITE
from .feedback_exports import INSIDE, OWNER, PARKS_OWNER
from .test_mail import smtp_server
from .test_open311 import mails_for

KEY_ENV = "KUNTASIVU_OPEN311_TEST"
URL = f"/feedback/{SITE}"
JSON = {"Accept": "application/json"}
WIDGET_REPORT: dict[str, Any] = {
    "_lang": "sv",
    "service_code": "katuvalot",
    "description": "Lampan lyser inte.",
    "address_string": "Kyrkvägen 1",
    "lat": INSIDE[0],
    "long": INSIDE[1],
    "attribute[kind]": "dark",
    "attribute[times]": ["evening", "night"],
    "name": "Anna Maria Lindqvist",
    "email": "anna@example.fi",
    "phone": "040 765 4321",
}


def wait_for(check: Callable[[], Any], timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("waited in vain")


def forwarding_export(forms_dir: Path, endpoint: str | None, *, api_key_env: str | None = KEY_ENV) -> None:
    """The site's feedback.json with ``forward`` (None: handled here)."""
    export = feedback_exports.feedback()
    export["forward"] = (
        {"endpoint": endpoint, "jurisdiction_id": SITE, "api_key_env": api_key_env} if endpoint else None
    )
    time.sleep(0.01)  # a new mtime, so that the service reads it again
    feedback_exports.write(forms_dir, export)


# The other server


class Receiver:
    """A second instance of the service: the same site, its own export, database and API key."""

    def __init__(self, folder: Path, *, categories: tuple[str, ...] = ("katuvalot", "puistot")) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        export = feedback_exports.feedback()
        export["categories"] = [c for c in export["categories"] if c["code"] in categories]
        feedback_exports.write(folder / "public", export)
        self.settings = Settings(
            database_url=f"sqlite:///{folder / 'receiver.sqlite3'}",
            forms_dir=folder / "public",
            secret=SECRET,
            rate_limit=0,
        )
        self.server = Server(self.settings, folder / "receiver.log")
        self.endpoint = self.server.url + "/open311/v2/"
        self.key = ""

    def make_key(self, capsys: pytest.CaptureFixture[str]) -> str:
        """An API key for the site, as an administrator makes one: with the CLI."""
        capsys.readouterr()
        assert main(["apikey", "create", SITE, "--database-url", self.settings.database_url]) == 0
        self.key = capsys.readouterr().out.strip().splitlines()[-1]
        return self.key

    def reports(self) -> list[ServiceRequest]:
        inbox = Inbox.from_settings(self.settings)
        try:
            return inbox.reports.find(SITE)
        finally:
            inbox.engine.dispose()


@pytest.fixture
def receiver(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Receiver]:
    other = Receiver(tmp_path / "receiver")
    other.make_key(capsys)
    other.server.start()
    yield other
    other.server.stop()


class FakeOpen311:
    """A local HTTP server that records each POST and gives the next of ``answers`` (status,
    JSON body); the last answer repeats."""

    def __init__(self, answers: list[tuple[int, Any]]) -> None:
        self.answers = answers
        self.received: list[tuple[str, dict[str, list[str]]]] = []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                fields = parse_qs(self.rfile.read(length).decode(), keep_blank_values=True, strict_parsing=True)
                fake.received.append((self.path, fields))
                status, body = fake.answers[min(len(fake.received), len(fake.answers)) - 1]
                content = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.httpd.server_address[1]}/georeport/v2/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fake() -> Iterator[Callable[[list[tuple[int, Any]]], FakeOpen311]]:
    made: list[FakeOpen311] = []

    def make(answers: list[tuple[int, Any]]) -> FakeOpen311:
        made.append(FakeOpen311(answers))
        return made[-1]

    yield make
    for server in made:
        server.close()


@pytest.fixture
def local(settings: Settings) -> Iterator[tuple[TestClient, Inbox, Forwarder]]:
    """The forwarding service in this process; its forwarder is driven by the test."""
    client, inbox = make_client(settings)
    forwarder = Forwarder(inbox.reports, inbox.feedback, outbox=inbox.outbox, first_delay=0.05, timeout=5)
    with client:
        yield client, inbox, forwarder
    inbox.engine.dispose()


def widget_report(client: TestClient, **changes: Any) -> str:
    response = client.post(URL, data={**WIDGET_REPORT, **changes}, headers=JSON)
    assert response.status_code == 201, response.text
    return str(response.json()["service_request_id"])


# End to end: two real services


def test_reports_arrive_at_the_other_service(
    settings: Settings, tmp_path: Path, receiver: Receiver, smtp_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The widget's report and an Open311 client's, each stored here and at the other service,
    with the other's id kept; the owner is not mailed by this service while forwarding works."""
    forwarding_export(settings.forms_dir, receiver.endpoint)
    monkeypatch.setenv(KEY_ENV, receiver.key)  # the service's environment, never the export
    own_key = new_api_key()
    mine = Inbox.from_settings(settings)
    migrate(mine.engine)
    mine.reports.add_key(SITE, hash_token(own_key))
    changed = replace(settings, forward_poll=0.1, mail_poll=0.1, smtp_host="127.0.0.1", smtp_port=smtp_port)
    sender = Server(changed, tmp_path / "sender.log")
    controller, mailbox = smtp_server(smtp_port)
    sender.start()
    try:
        posted = httpx.post(sender.url + URL, data=WIDGET_REPORT, headers=JSON, timeout=10)
        assert posted.status_code == 201, posted.text
        from_widget = posted.json()["service_request_id"]
        client_report = {
            "jurisdiction_id": SITE,
            "api_key": own_key,
            "service_code": "puistot",
            "address_string": "Puistotie 2",
            "description": "Penkki rikki.",
            "first_name": "Matti",
            "last_name": "Virtanen",
            "media_url": "https://kuvat.example/penkki.jpg",
            "locale": "fi",
        }
        posted = httpx.post(sender.url + "/open311/v2/requests.json", data=client_report, timeout=10)
        assert posted.status_code == 201, posted.text
        from_client = posted.json()[0]["service_request_id"]
        arrived = wait_for(lambda: len(receiver.reports()) == 2 and receiver.reports())
        by_code = {r.service_code: r for r in arrived}
        lights, parks = by_code["katuvalot"], by_code["puistot"]
        assert (lights.lat, lights.long, lights.address_string) == (61.2, 22.5, "Kyrkvägen 1")
        assert lights.description == "Lampan lyser inte." and lights.lang == "sv"
        assert lights.attributes == {"kind": "dark", "times": ["evening", "night"]}
        assert lights.contact == {
            "email": "anna@example.fi",
            "first_name": "Anna Maria",
            "last_name": "Lindqvist",
            "phone": "040 765 4321",
        }
        assert parks.address_string == "Puistotie 2" and parks.lat is None and parks.description == "Penkki rikki."
        assert parks.contact == {"first_name": "Matti", "last_name": "Virtanen"}
        assert parks.media_url == "https://kuvat.example/penkki.jpg"
        forwarded = {}
        for request_id in (from_widget, from_client):
            forwarded[request_id] = wait_for(
                lambda request_id=request_id: (f := mine.reports.forwarding(request_id)) and f.forwarded_at and f
            )
        assert forwarded[from_widget].external_id == lights.id
        assert forwarded[from_client].external_id == parks.id
        assert forwarded[from_widget].given_up_at is None and forwarded[from_widget].attempts == 1
        stored = mine.reports.get(SITE, from_widget)
        assert stored is not None and stored.contact["name"] == "Anna Maria Lindqvist", "kept here, too"
        time.sleep(0.5)  # the outbox polls every 0.1 s: it would have sent a mail by now
        assert mails_for(mine, from_widget) == [] and mails_for(mine, from_client) == []
        assert mailbox.messages == []
    finally:
        sender.stop()
        controller.stop()
        mine.engine.dispose()


def test_other_service_down_then_up(
    local: tuple[TestClient, Inbox, Forwarder],
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, inbox, forwarder = local
    other = Receiver(tmp_path / "later")  # its address is known, nothing listens there yet
    monkeypatch.setenv(KEY_ENV, other.make_key(capsys))
    forwarding_export(settings.forms_dir, other.endpoint)
    request_id = widget_report(client)
    assert forwarder.deliver_due() == Round(failed=1)
    queued = inbox.reports.forwarding(request_id)
    assert queued is not None and queued.attempts == 1 and queued.forwarded_at is None
    assert queued.given_up_at is None and queued.last_error and "Connect" in queued.last_error
    assert forwarder.deliver_due() == Round(), "backing off"
    other.server.start()
    try:
        done = wait_for(lambda: forwarder.deliver_due().forwarded)
        assert done == 1
        (arrived,) = other.reports()
    finally:
        other.server.stop()
    forwarded = inbox.reports.forwarding(request_id)
    assert forwarded is not None and forwarded.external_id == arrived.id and forwarded.attempts == 2
    assert arrived.description == "Lampan lyser inte."
    assert mails_for(inbox, request_id) == []


def test_refused_report_is_given_up_and_mailed_to_the_owner(
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    smtp_port: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The other service does not know the category (400): nothing is lost, the owner here gets it."""
    other = Receiver(tmp_path / "lights-only", categories=("katuvalot",))
    monkeypatch.setenv(KEY_ENV, other.make_key(capsys))
    forwarding_export(settings.forms_dir, other.endpoint)
    client, inbox = make_client(settings, smtp_host="127.0.0.1", smtp_port=smtp_port)
    forwarder = Forwarder(inbox.reports, inbox.feedback, outbox=inbox.outbox, first_delay=0.05, timeout=5)
    controller, mailbox = smtp_server(smtp_port)
    other.server.start()
    try:
        with client:
            request_id = widget_report(client, service_code="puistot", description="Penkki rikki.")
            assert mails_for(inbox, request_id) == [], "not while it may still be forwarded"
            with caplog.at_level(logging.ERROR, logger="kuntasivu_inbox.forward"):
                assert forwarder.deliver_due() == Round(given_up=1)
            assert inbox.outbox.deliver_due() == 1
            given_up = inbox.reports.forwarding(request_id)
            assert forwarder.deliver_due() == Round(), "given up is final"
    finally:
        other.server.stop()
        controller.stop()
        inbox.engine.dispose()
    assert other.reports() == []
    assert given_up is not None and given_up.given_up_at is not None and given_up.forwarded_at is None
    assert given_up.last_error and "HTTP 400" in given_up.last_error and "Unknown service_code" in given_up.last_error
    assert any(request_id in r.getMessage() and "given up" in r.getMessage() for r in caplog.records)
    ((recipients, message),) = mailbox.messages
    assert recipients == [PARKS_OWNER]
    body = message.get_content()
    assert "Penkki rikki." in body and "name: Anna Maria Lindqvist" in body


# The rules of forwarding, against a server whose answers the test chooses


def test_what_is_sent_and_a_token_as_the_external_id(
    local: tuple[TestClient, Inbox, Forwarder],
    settings: Settings,
    fake: Callable[[list[tuple[int, Any]]], FakeOpen311],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, inbox, forwarder = local
    other = fake([(201, [{"token": "T-12345"}])])
    monkeypatch.setenv(KEY_ENV, "o311_secret-key")
    forwarding_export(settings.forms_dir, other.endpoint)
    request_id = widget_report(client)
    assert forwarder.deliver_due() == Round(forwarded=1)
    ((path, fields),) = other.received
    assert path == "/georeport/v2/requests.json"
    assert fields == {
        "jurisdiction_id": [SITE],
        "api_key": ["o311_secret-key"],
        "service_code": ["katuvalot"],
        "lat": ["61.2"],
        "long": ["22.5"],
        "address_string": ["Kyrkvägen 1"],
        "description": ["Lampan lyser inte."],
        "email": ["anna@example.fi"],
        "first_name": ["Anna Maria"],
        "last_name": ["Lindqvist"],
        "phone": ["040 765 4321"],
        "attribute[kind]": ["dark"],
        "attribute[times][]": ["evening", "night"],
        "locale": ["sv"],
    }
    forwarded = inbox.reports.forwarding(request_id)
    assert forwarded is not None and forwarded.external_id == "T-12345" and forwarded.forwarded_at is not None


def test_a_corrected_address_mends_the_waiting_reports(
    local: tuple[TestClient, Inbox, Forwarder],
    settings: Settings,
    fake: Callable[[list[tuple[int, Any]]], FakeOpen311],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, inbox, forwarder = local
    monkeypatch.setenv(KEY_ENV, "o311_key")
    wrong = f"http://127.0.0.1:{free_port()}/open311/v2/"
    forwarding_export(settings.forms_dir, wrong)
    request_id = widget_report(client)
    assert forwarder.deliver_due() == Round(failed=1)
    right = fake([(201, [{"service_request_id": "fixed-1"}])])
    forwarding_export(settings.forms_dir, right.endpoint)  # the next build has the right address
    assert wait_for(lambda: forwarder.deliver_due().forwarded) == 1
    forwarded = inbox.reports.forwarding(request_id)
    assert forwarded is not None and forwarded.endpoint == right.endpoint and forwarded.external_id == "fixed-1"


def test_missing_key_variable_is_logged_and_tried_again(
    local: tuple[TestClient, Inbox, Forwarder],
    settings: Settings,
    fake: Callable[[list[tuple[int, Any]]], FakeOpen311],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client, inbox, forwarder = local
    other = fake([(201, [{"service_request_id": "ext-1"}])])
    monkeypatch.delenv(KEY_ENV, raising=False)
    forwarding_export(settings.forms_dir, other.endpoint)
    request_id = widget_report(client)
    with caplog.at_level(logging.ERROR, logger="kuntasivu_inbox.forward"):
        assert forwarder.deliver_due() == Round(failed=1)
    assert any(KEY_ENV in r.getMessage() and r.levelno == logging.ERROR for r in caplog.records)
    assert other.received == [], "never sent without its key"
    queued = inbox.reports.forwarding(request_id)
    assert queued is not None and queued.forwarded_at is None and queued.given_up_at is None
    assert queued.last_error and KEY_ENV in queued.last_error
    assert mails_for(inbox, request_id) == []
    monkeypatch.setenv(KEY_ENV, "o311_set-later")
    assert wait_for(lambda: forwarder.deliver_due().forwarded) == 1
    assert other.received[0][1]["api_key"] == ["o311_set-later"]
    forwarded = inbox.reports.forwarding(request_id)
    assert forwarded is not None and forwarded.external_id == "ext-1" and forwarded.attempts == 2


@pytest.mark.parametrize("status", [500, 503, 429, 408])
def test_temporary_refusals_are_tried_again(
    local: tuple[TestClient, Inbox, Forwarder],
    settings: Settings,
    fake: Callable[[list[tuple[int, Any]]], FakeOpen311],
    monkeypatch: pytest.MonkeyPatch,
    status: int,
) -> None:
    client, inbox, forwarder = local
    other = fake([(status, [{"code": status, "description": "Try later."}]), (200, [{"service_request_id": "x7"}])])
    monkeypatch.setenv(KEY_ENV, "o311_key")
    forwarding_export(settings.forms_dir, other.endpoint)
    request_id = widget_report(client)
    assert forwarder.deliver_due() == Round(failed=1)
    queued = inbox.reports.forwarding(request_id)
    assert queued is not None and queued.last_error and f"HTTP {status}" in queued.last_error
    assert queued.next_attempt_at > now()
    assert wait_for(lambda: forwarder.deliver_due().forwarded) == 1
    forwarded = inbox.reports.forwarding(request_id)
    assert forwarded is not None and forwarded.external_id == "x7" and len(other.received) == 2
    assert mails_for(inbox, request_id) == []


@pytest.mark.parametrize("status", [400, 403, 404, 301])  # a redirect: the endpoint in site.yml is wrong
def test_refusals_for_good_are_given_up(
    local: tuple[TestClient, Inbox, Forwarder],
    settings: Settings,
    fake: Callable[[list[tuple[int, Any]]], FakeOpen311],
    monkeypatch: pytest.MonkeyPatch,
    status: int,
) -> None:
    client, inbox, forwarder = local
    other = fake([(status, [{"code": status, "description": "No."}])])
    monkeypatch.setenv(KEY_ENV, "o311_key")
    forwarding_export(settings.forms_dir, other.endpoint)
    request_id = widget_report(client)
    assert forwarder.deliver_due() == Round(given_up=1)
    assert [m[0] for m in mails_for(inbox, request_id)] == [OWNER]
    assert len(other.received) == 1


def test_a_success_without_an_id_is_not_taken_for_one(
    local: tuple[TestClient, Inbox, Forwarder],
    settings: Settings,
    fake: Callable[[list[tuple[int, Any]]], FakeOpen311],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A 200 from something that is not a GeoReport v2 server (a web page, a proxy) does not
    say the report was taken: it is tried again, and in the end mailed to the owner."""
    client, inbox, forwarder = local
    other = fake([(200, {"ok": True}), (200, [{"service_request_id": "x8"}])])
    monkeypatch.setenv(KEY_ENV, "o311_key")
    forwarding_export(settings.forms_dir, other.endpoint)
    request_id = widget_report(client)
    assert forwarder.deliver_due() == Round(failed=1)
    queued = inbox.reports.forwarding(request_id)
    assert (
        queued is not None
        and queued.external_id is None
        and "without a service_request_id" in (queued.last_error or "")
    )
    assert wait_for(lambda: forwarder.deliver_due().forwarded) == 1


def test_given_up_after_48_hours_of_failures(
    local: tuple[TestClient, Inbox, Forwarder], settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, inbox, forwarder = local
    dead = f"http://127.0.0.1:{free_port()}/open311/v2/"
    monkeypatch.setenv(KEY_ENV, "o311_key")
    forwarding_export(settings.forms_dir, dead)
    for hours, request_id in ((47, "young00001"), (49, "old0000001")):
        at = now() - datetime.timedelta(hours=hours)
        stored = ServiceRequest(
            id=request_id,
            site=SITE,
            service_code="katuvalot",
            lang="fi",
            status="open",
            status_notes=None,
            description=f"{hours} tuntia sitten",
            lat=None,
            long=None,
            address_string="Kirkkotie 1",
            address_id=None,
            attributes={"kind": "dark"},
            contact={},
            media_url=None,
            requested_at=at,
            updated_at=at,
            first_reply_at=None,
        )
        assert inbox.reports.create(stored, 365, [], dead) == request_id
    # the oldest first; a server that did not answer is not waited for again in the same round
    assert forwarder.deliver_due() == Round(given_up=1)
    assert forwarder.deliver_due() == Round(failed=1)
    old, young = inbox.reports.forwarding("old0000001"), inbox.reports.forwarding("young00001")
    assert old is not None and old.given_up_at is not None and "48 hours" in (old.last_error or "")
    assert [m[0] for m in mails_for(inbox, "old0000001")] == [OWNER]
    assert young is not None and young.given_up_at is None and mails_for(inbox, "young00001") == []


def test_a_site_that_stops_forwarding_gets_its_queue_mailed(
    local: tuple[TestClient, Inbox, Forwarder], settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, inbox, forwarder = local
    monkeypatch.setenv(KEY_ENV, "o311_key")
    forwarding_export(settings.forms_dir, f"http://127.0.0.1:{free_port()}/open311/v2/")
    request_id = widget_report(client)
    forwarding_export(settings.forms_dir, None)  # the next build handles reports here
    assert forwarder.deliver_due() == Round(given_up=1)
    assert [m[0] for m in mails_for(inbox, request_id)] == [OWNER]
    later = widget_report(client)
    assert inbox.reports.forwarding(later) is None and [m[0] for m in mails_for(inbox, later)] == [OWNER]


def test_a_claimed_report_is_not_sent_twice(
    local: tuple[TestClient, Inbox, Forwarder],
    settings: Settings,
    fake: Callable[[list[tuple[int, Any]]], FakeOpen311],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another worker (or one that died while sending) holds it: left alone until the lease ends."""
    client, inbox, forwarder = local
    other = fake([(201, [{"service_request_id": "once"}])])
    monkeypatch.setenv(KEY_ENV, "o311_key")
    forwarding_export(settings.forms_dir, other.endpoint)
    request_id = widget_report(client)
    ((queued_id, due),) = inbox.reports.due_forwards(now())
    assert queued_id == request_id
    assert inbox.reports.claim_forward(request_id, due, now() + datetime.timedelta(minutes=5)) is not None
    assert inbox.reports.claim_forward(request_id, due, now()) is None, "claimed once"
    assert forwarder.deliver_due() == Round() and other.received == []


def test_the_same_key_is_forwarded_once(
    local: tuple[TestClient, Inbox, Forwarder],
    settings: Settings,
    fake: Callable[[list[tuple[int, Any]]], FakeOpen311],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, _, forwarder = local
    other = fake([(201, [{"service_request_id": "once"}])])
    monkeypatch.setenv(KEY_ENV, "o311_key")
    forwarding_export(settings.forms_dir, other.endpoint)
    key = "a-resent-report-0001"
    assert widget_report(client, _key=key) == widget_report(client, _key=key)
    assert forwarder.deliver_due() == Round(forwarded=1) and len(other.received) == 1


def test_purge_removes_the_queue_of_purged_reports(
    local: tuple[TestClient, Inbox, Forwarder], settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, inbox, _ = local
    monkeypatch.setenv(KEY_ENV, "o311_key")
    forwarding_export(settings.forms_dir, f"http://127.0.0.1:{free_port()}/open311/v2/")
    request_id = widget_report(client)
    assert inbox.reports.forwarding(request_id) is not None
    later = now() + datetime.timedelta(days=366)
    assert inbox.reports.purge(inbox.feedback.all(), at=later) == 1
    assert inbox.reports.forwarding(request_id) is None and inbox.reports.due_forwards(later) == []


@pytest.fixture
def smtp_port() -> int:
    return free_port()
