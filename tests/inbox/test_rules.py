"""The rules of PROTOCOL.md, one by one, happy and failing."""

from __future__ import annotations

import logging

import pytest
from kuntasivu_inbox.config import ConfigError, Settings
from kuntasivu_inbox.forms import Form, _build
from kuntasivu_inbox.ratelimit import RateLimited, RateLimiter
from kuntasivu_inbox.rules import validate
from starlette.testclient import TestClient

from . import exports
from .conftest import make_client
from .exports import SITE, VALID_FEEDBACK

FORM: Form = _build(exports.feedback())


def codes(**changes: str | list[str]) -> dict[str | None, str]:
    given = {k: v if isinstance(v, list) else [v] for k, v in {**VALID_FEEDBACK, **changes}.items()}
    return {e.field: e.code for e in validate(FORM, given, "fi")[1]}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, {}),
        ({"name": "  Ab  "}, {}),
        ({"name": "   "}, {"name": "required"}),
        ({"name": "A"}, {"name": "too_short"}),
        ({"name": "Ä" * 100}, {}),
        ({"name": "Ä" * 101}, {"name": "too_long"}),
        ({"message": "x\r\n" * 249 + "xx"}, {}),  # CRLF counts as one character, as in the browser
        ({"message": "x\r\n" * 250 + "x"}, {"message": "too_long"}),
        ({"email": ""}, {}),
        ({"email": "a@b"}, {"email": "email"}),
        ({"email": "a b@c.fi"}, {"email": "email"}),
        ({"phone": "+358 40 123 4567"}, {}),
        ({"phone": "(09) 123"}, {"phone": "tel"}),
        ({"phone": "040"}, {"phone": "tel"}),
        ({"age": "42"}, {}),
        ({"age": "4,5"}, {"age": "integer"}),
        ({"age": "121"}, {"age": "too_large"}),
        ({"age": "-1"}, {"age": "too_small"}),
        ({"age": "neljä"}, {"age": "number"}),
        ({"age": "1e5"}, {"age": "number"}),
        ({"amount": "2,5"}, {}),
        ({"amount": "10.5"}, {}),
        ({"amount": "0,4"}, {"amount": "too_small"}),
        ({"amount": "10,51"}, {"amount": "too_large"}),
        ({"day": "2027-03-14"}, {}),
        ({"day": "2027-02-30"}, {"day": "date"}),
        ({"day": "14.3.2027"}, {"day": "date"}),
        ({"day": "2025-12-31"}, {"day": "too_small"}),
        ({"day": "2031-01-01"}, {"day": "too_large"}),
        ({"topic": ""}, {"topic": "required_choice"}),
        ({"topic": "other"}, {"topic": "choice"}),
        ({"reply": ""}, {"reply": "required_choice"}),
        ({"reply": "fax"}, {"reply": "choice"}),
        ({"areas": ["north", "north"]}, {}),
        ({"areas": ["west"]}, {"areas": "choice"}),
        ({"code": "ABC"}, {}),
        ({"code": "ABCD"}, {"code": "pattern"}),
        ({"consent": ""}, {"consent": "consent"}),
        ({"consent": "no"}, {"consent": "consent"}),
    ],
)
def test_rule(changes: dict[str, str | list[str]], expected: dict[str, str]) -> None:
    assert codes(**changes) == expected


def test_messages_fill_placeholders() -> None:
    given = {k: [v] for k, v in {**VALID_FEEDBACK, "name": "A", "code": "x"}.items()}
    errors = {e.field: e.message for e in validate(FORM, given, "fi")[1]}
    assert errors == {"name": "Kirjoita kohtaan ”Nimi” vähintään 2 merkkiä.", "code": "Kolme isoa kirjainta."}
    given = {k: [v] for k, v in {**VALID_FEEDBACK, "amount": "11"}.items()}
    assert validate(FORM, given, "fi")[1][0].message == "Kohdan ”Määrä” pitää olla enintään 10.5."


def test_required_checkboxes() -> None:
    export = exports.feedback()
    export["fieldsets"][1]["fields"][6]["required"] = True
    form = _build(export)
    given = {k: [v] for k, v in VALID_FEEDBACK.items()}
    assert [e.code for e in validate(form, given, "fi")[1]] == ["required_choice"]


def test_rate_limiter() -> None:
    limiter = RateLimiter(2, 60, b"k")
    limiter.hit("10.0.0.1", now=0)
    limiter.hit("10.0.0.1", now=1)
    limiter.hit("10.0.0.2", now=1)
    with pytest.raises(RateLimited) as refused:
        limiter.hit("10.0.0.1", now=2)
    assert refused.value.headers["Retry-After"] == "58" and "limit is 2 in 60 seconds" in refused.value.detail
    limiter.hit("10.0.0.1", now=61)
    assert all("10.0.0" not in repr(k) for k in limiter._hits)


def test_rate_limit_answer(settings: Settings) -> None:
    client, inbox = make_client(settings, rate_limit=2)
    with client:
        url = f"/forms/{SITE}/palaute"
        for _ in range(2):
            assert client.post(url, data=VALID_FEEDBACK, follow_redirects=False).status_code == 303
        page = client.post(url, data={**VALID_FEEDBACK, "_lang": "sv"})
        assert page.status_code == 429 and page.headers["retry-after"]
        assert "[sv] Lomakkeita on lähetetty" in page.text
        json = client.post(url, data=VALID_FEEDBACK, headers={"Accept": "application/json"})
        assert json.status_code == 429 and "limit is 2" in json.json()["detail"]
    inbox.engine.dispose()


def test_access_log_has_no_address_or_values(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="kuntasivu_inbox.access"):
        client.post(
            f"/forms/{SITE}/palaute?secret=1", data={**VALID_FEEDBACK, "name": "Salainen Nimi"}, follow_redirects=False
        )
    records = [r for r in caplog.records if r.name == "kuntasivu_inbox.access"]
    assert len(records) == 1
    fields = records[0].fields  # type: ignore[attr-defined]
    assert fields["method"] == "POST" and fields["path"] == f"/forms/{SITE}/palaute" and fields["status"] == 303
    assert set(fields) == {"method", "path", "status", "duration_ms"}
    ours = [r for r in caplog.records if r.name.startswith(("kuntasivu_inbox", "uvicorn"))]  # not the test's client
    everything = " ".join(r.getMessage() + repr(getattr(r, "fields", "")) for r in ours)
    assert "Salainen" not in everything and "testclient" not in everything and "secret" not in everything


def test_settings_from_env_and_flags() -> None:
    env = {"KUNTASIVU_INBOX_PORT": "9000", "KUNTASIVU_INBOX_SMTP_STARTTLS": "yes", "KUNTASIVU_INBOX_BODY_LIMIT": "10"}
    settings = Settings.from_env(env)
    assert settings.port == 9000 and settings.smtp_starttls and settings.body_limit == 10
    with pytest.raises(ConfigError, match="KUNTASIVU_INBOX_PORT"):
        Settings.from_env({"KUNTASIVU_INBOX_PORT": "many"})
