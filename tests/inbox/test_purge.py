"""Retention: submissions and their unsent mails go after retention_days."""

from __future__ import annotations

import datetime

from kuntasivu_inbox.cli import main
from kuntasivu_inbox.config import Settings
from kuntasivu_inbox.db import now
from kuntasivu_inbox.service import Inbox
from starlette.testclient import TestClient

from . import exports
from .exports import SITE, VALID_FEEDBACK


def test_purge_after_retention(client: TestClient, service: Inbox, settings: Settings) -> None:
    response = client.post(f"/forms/{SITE}/palaute", data=VALID_FEEDBACK, headers={"Accept": "application/json"})
    assert response.status_code == 201
    forms = service.registry.all_forms()
    assert service.store.purge(forms, now() + datetime.timedelta(days=29)) == 0
    assert service.store.count() == 1 and service.outbox.pending() == 2
    # the build shortened the retention: the shorter one counts at once
    export = exports.feedback()
    export["retention_days"] = 5
    exports.write(settings.forms_dir, export)
    assert service.store.purge(service.registry.all_forms(), now() + datetime.timedelta(days=6)) == 1
    assert service.store.count() == 0 and service.outbox.pending() == 0


def test_purge_command(client: TestClient, service: Inbox, settings: Settings, capsys: object) -> None:
    client.post(f"/forms/{SITE}/palaute", data=VALID_FEEDBACK)
    args = ["purge", "--database-url", settings.database_url, "--forms-dir", str(settings.forms_dir)]
    assert main(args) == 0
    assert "purged 0" in capsys.readouterr().out  # type: ignore[attr-defined]
    assert service.store.count() == 1
