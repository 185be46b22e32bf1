"""Mail through a real local SMTP server (aiosmtpd): notification, confirmation, retries."""

from __future__ import annotations

import email
import email.policy
import time
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from kuntasivu_inbox.config import Settings
from kuntasivu_inbox.service import Inbox
from starlette.testclient import TestClient

from .conftest import free_port, make_client
from .exports import SITE, VALID_FEEDBACK

URL = f"/forms/{SITE}/palaute"
JSON = {"Accept": "application/json"}


class Collect:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        content = envelope.content  # type: ignore[attr-defined]
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), message))  # type: ignore[attr-defined]
        return "250 OK"


def smtp_server(port: int) -> tuple[Controller, Collect]:
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, handler


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def mail_client(settings: Settings, smtp_port: int) -> Iterator[tuple[TestClient, Inbox]]:
    client, inbox = make_client(settings, smtp_host="127.0.0.1", smtp_port=smtp_port, mail_retry=0.2)
    with client:
        yield client, inbox
    inbox.engine.dispose()


def test_notification_and_confirmation(mail_client: tuple[TestClient, Inbox], smtp_port: int) -> None:
    client, inbox = mail_client
    controller, handler = smtp_server(smtp_port)
    try:
        data = {**VALID_FEEDBACK, "_lang": "sv", "message": "Rivi 1\r\nRivi 2", "areas": ["north", "south"]}
        assert client.post(URL, data=data, headers=JSON).status_code == 201
        assert inbox.outbox.deliver_due() == 2
    finally:
        controller.stop()
    by_recipient = {rcpt[0]: message for rcpt, message in handler.messages}
    staff = by_recipient["kirjaamo@testikunta.fi"]
    assert staff["Subject"] == "Palaute"
    body = staff.get_content().replace("\r\n", "\n")
    assert "Nimi: Maija Meikäläinen" in body and "Alueet: Pohjoinen, Etelä" in body
    assert "Viesti:\n  Rivi 1\n  Rivi 2" in body and "Aihe: Tiet" in body
    assert "http" not in body and "token" not in body.lower()
    assert staff.get_content_charset() == "utf-8"
    confirmation = by_recipient["maija@example.fi"]
    assert confirmation["Subject"] == "Respons"
    assert confirmation.get_content().startswith("Tack! Ditt meddelande har skickats.")
    assert inbox.outbox.pending() == 0


def test_smtp_down_then_up(mail_client: tuple[TestClient, Inbox], smtp_port: int) -> None:
    client, inbox = mail_client
    response = client.post(URL, data=VALID_FEEDBACK, headers=JSON)
    assert response.status_code == 201  # the submission does not wait for mail
    assert inbox.outbox.deliver_due() == 0  # nobody listens on smtp_port
    assert inbox.store.get(SITE, response.json()["id"]) is not None
    assert inbox.outbox.pending() == 2
    assert inbox.outbox.deliver_due() == 0  # not due yet: backing off
    controller, handler = smtp_server(smtp_port)
    try:
        deadline = time.monotonic() + 10
        sent = 0
        while sent < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
            sent += inbox.outbox.deliver_due()
    finally:
        controller.stop()
    assert sent == 2 and len(handler.messages) == 2
    assert inbox.outbox.pending() == 0


def test_background_worker_delivers(settings: Settings, smtp_port: int) -> None:
    from kuntasivu_inbox.app import create_app

    changed = Settings(**{**settings.__dict__, "smtp_host": "127.0.0.1", "smtp_port": smtp_port, "mail_poll": 0.1})
    inbox = Inbox.from_settings(changed)
    from kuntasivu_inbox.db import migrate

    migrate(inbox.engine)
    controller, handler = smtp_server(smtp_port)
    try:
        with TestClient(create_app(changed, inbox, background=True)) as client:
            data = {**VALID_FEEDBACK, "email": ""}  # no confirmation without an address
            assert client.post(URL, data=data, headers=JSON).status_code == 201
            deadline = time.monotonic() + 10
            while not handler.messages and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        controller.stop()
        inbox.engine.dispose()
    assert [rcpt for rcpt, _ in handler.messages] == [["kirjaamo@testikunta.fi"]]


class Refusing(Collect):
    """Refuses one address for good (550) and another for now (450), takes the rest."""

    async def handle_RCPT(self, server: object, session: object, envelope: Any, address: str, options: object) -> str:
        if address.startswith("ei-ole"):
            return "550 5.1.1 No such user"
        if address.startswith("taynna"):
            return "450 4.2.2 Mailbox full, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.mark.parametrize(("address", "kept"), [("ei-ole@example.fi", 0), ("taynna@example.fi", 1)])
def test_a_mail_refused_for_good_is_given_up_and_the_submission_kept(
    mail_client: tuple[TestClient, Inbox], smtp_port: int, address: str, kept: int
) -> None:
    client, inbox = mail_client
    handler = Refusing()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        response = client.post(URL, data={**VALID_FEEDBACK, "email": address}, headers=JSON)
        assert response.status_code == 201
        assert inbox.outbox.deliver_due() == 1  # the notification to the municipality
    finally:
        controller.stop()
    assert [rcpt for rcpt, _ in handler.messages] == [["kirjaamo@testikunta.fi"]]
    assert inbox.outbox.pending() == kept, "550: given up; 450: tried again later"
    assert inbox.store.get(SITE, response.json()["id"]) is not None
