"""POST /feedback/{site}, the site's feedback widget (PROTOCOL.md, "The feedback widget"): every
rule with its Finnish and Swedish message, the JSON and HTML answers (the error page through
the Nu Html Checker and axe), the honeypot, the idempotency key, CORS and the owner's mail at a
real SMTP server; on SQLite and PostgreSQL."""

from __future__ import annotations

import concurrent.futures
import copy
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlencode

import httpx2 as httpx
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kuntasivu.checks.nu import run_nu
from kuntasivu.checks.tools import Tools
from kuntasivu.theme import stylesheet
from kuntasivu_inbox.config import Settings
from kuntasivu_inbox.feedback import FeedbackExportError, load_feedback
from kuntasivu_inbox.service import Inbox
from starlette.testclient import TestClient

from tests.theme.test_components import AXE, AXE_TAGS, BRAND, THEME, axe_report

from . import feedback_exports
from .conftest import Server, make_client
from .exports import ORIGIN, OTHER_SITE, SITE
from .feedback_exports import INSIDE, OWNER, PARKS_OWNER
from .test_mail import smtp_server
from .test_open311 import mails_for

if TYPE_CHECKING:  # the browser fixture is in tests/conftest.py
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[2]
URL = f"/feedback/{SITE}"
JSON = {"Accept": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
VALID: dict[str, Any] = {
    "_lang": "fi",
    "service_code": "katuvalot",
    "description": "Valo ei pala Kirkkotiellä.",
    "address_string": "Kirkkotie 1",
    "lat": INSIDE[0],
    "long": INSIDE[1],
    "attribute[kind]": "dark",
    "attribute[times]": ["evening", "night"],
    "name": "Maija Meikäläinen",
    "email": "maija@example.fi",
    "phone": "040 123 4567",
}


SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
"""For the rules, the pages and the refusals, which no database changes: what is stored, and
whether the same key is stored once, is tested on both."""


def report(**changes: Any) -> dict[str, Any]:
    """VALID with changes; None leaves a field out."""
    data = {**VALID, **changes}
    return {k: v for k, v in data.items() if v is not None}


def send(client: TestClient, data: dict[str, Any], **headers: str) -> Any:
    return client.post(URL, data=data, headers={**JSON, **headers}, follow_redirects=False)


def errors_of(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 422, response.text
    errors: list[dict[str, str]] = response.json()["errors"]
    return errors


@pytest.fixture
def widget_export(forms_dir: Path) -> dict[str, Any]:
    """The fixture export with a third category whose questions are of the other datatypes
    (text, textarea, date); written over the site's feedback.json, picked up by its mtime."""
    export = feedback_exports.feedback()
    export["categories"].append(
        {
            "code": "roskat",
            "name": feedback_exports.text("Roska-astiat", "Soptunnor", "Litter bins"),
            "description": feedback_exports.text("Täysi tai rikkinäinen astia.", "Full soptunna.", "Full bin."),
            "owner": "roskat@testikunta.fi",
            "group": None,
            "keywords": [],
            "questions": [
                {
                    "code": "bin",
                    "datatype": "string",
                    "required": True,
                    "label": feedback_exports.text("Astian numero", "Tunnans nummer", "Bin number"),
                    "description": None,
                    "values": [],
                },
                {
                    "code": "details",
                    "datatype": "text",
                    "required": False,
                    "label": feedback_exports.text("Lisätiedot", "Mer information", "Details"),
                    "description": None,
                    "values": [],
                },
                {
                    "code": "seen",
                    "datatype": "datetime",
                    "required": False,
                    "label": feedback_exports.text("Milloin huomasit?", "När såg du det?", "When did you see it?"),
                    "description": None,
                    "values": [],
                },
            ],
        }
    )
    time.sleep(0.01)  # a new mtime, whatever the file system's resolution
    feedback_exports.write(forms_dir, export)
    return export


# The export


def test_export_texts_and_forward_are_read(tmp_path: Path) -> None:
    export = feedback_exports.feedback()
    export["forward"] = {
        "endpoint": "https://palaute.example/open311/v2/",
        "jurisdiction_id": None,
        "api_key_env": "KUNTASIVU_OPEN311_K",
    }
    loaded = load_feedback(feedback_exports.write(tmp_path, export))
    assert loaded.forward is not None and loaded.forward.endpoint == "https://palaute.example/open311/v2/"
    assert (loaded.forward.jurisdiction_id, loaded.forward.api_key_env) == (None, "KUNTASIVU_OPEN311_K")
    assert loaded.message("send", "sv") == "Skicka respons" and loaded.message("send", "de") == "Lähetä palaute"
    assert loaded.origins == (f"https://www.{SITE}.fi",) and loaded.thanks_url["sv"].endswith("/sv/tack/")
    assert load_feedback(feedback_exports.write(tmp_path, feedback_exports.feedback())).forward is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e: e["texts"].pop("sv"), "texts missing for languages sv"),
        (lambda e: e["texts"]["fi"].pop("location_outside"), "'location_outside' is a required property"),
        (lambda e: e.pop("forward"), "'forward' is a required property"),
        (lambda e: e.update(forward={"endpoint": "ftp://x/", "jurisdiction_id": None, "api_key_env": None}), "ftp"),
        (
            lambda e: e["categories"][1]["questions"].append(copy.deepcopy(e["categories"][0]["questions"][2])),
            "question codes are used in more than one category: pole",
        ),
    ],
)
def test_invalid_export_names_the_problem(tmp_path: Path, change: Any, message: str) -> None:
    export = feedback_exports.feedback()
    change(export)
    path = feedback_exports.write(tmp_path, export)
    with pytest.raises(FeedbackExportError) as error:
        load_feedback(path)
    assert str(path) in str(error.value) and message in str(error.value)


# Stored, answered and routed


def test_json_report_is_stored_as_a_service_request(client: TestClient, service: Inbox) -> None:
    response = send(client, VALID)
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"service_request_id", "thanks_url"}
    assert body["thanks_url"] == f"https://www.{SITE}.fi/kiitos/"
    stored = service.reports.get(SITE, body["service_request_id"])
    assert stored is not None
    assert (stored.service_code, stored.status, stored.lang) == ("katuvalot", "open", "fi")
    assert (stored.lat, stored.long, stored.address_string) == (61.2, 22.5, "Kirkkotie 1")
    assert stored.description == "Valo ei pala Kirkkotiellä."
    assert stored.attributes == {"kind": "dark", "times": ["evening", "night"]}
    assert stored.contact == {"name": "Maija Meikäläinen", "email": "maija@example.fi", "phone": "040 123 4567"}
    ((recipient, subject, text),) = mails_for(service, stored.id)
    assert recipient == OWNER and stored.id in subject
    assert "Kuvaus: Valo ei pala Kirkkotiellä." in text and "name: Maija Meikäläinen" in text
    figures = client.get(f"/statistics/{SITE}.json").json()
    assert figures["total"]["count"] == 1, "the same statistics as Open311 requests"


def test_plain_post_redirects_to_thanks_in_language(client: TestClient, service: Inbox) -> None:
    response = client.post(URL, data=report(_lang="sv"), follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"https://www.{SITE}.fi/sv/tack/"
    (stored,) = service.reports.find(SITE)
    assert stored.lang == "sv"


def test_multipart_and_optional_fields(client: TestClient, service: Inbox) -> None:
    minimal = {"_lang": "fi", "service_code": "puistot", "description": "Penkki rikki."}
    files = {name: (None, value) for name, value in minimal.items()}
    response = client.post(URL, files=files, headers=JSON)
    assert response.status_code == 201, response.text
    stored = service.reports.get(SITE, response.json()["service_request_id"])
    assert stored is not None
    assert stored.contact == {} and stored.lat is None and stored.address_string is None
    assert stored.attributes == {}
    only_name = send(client, {**minimal, "name": "  Maija  ", "email": "", "phone": " "})
    stored = service.reports.get(SITE, only_name.json()["service_request_id"])
    assert stored is not None and stored.contact == {"name": "Maija"}


def test_line_breaks_are_counted_as_the_browser_counts_them(client: TestClient, service: Inbox) -> None:
    """A textarea's line break is one character in the page's script and \\r\\n in the POST."""
    text = "x" * 1999 + "\r\n" + "x" * 2000
    response = send(client, report(description=text))
    assert response.status_code == 201, response.text
    stored = service.reports.get(SITE, response.json()["service_request_id"])
    assert stored is not None and stored.description == text.replace("\r\n", "\n")


def test_answers_to_other_categories_are_ignored(client: TestClient, service: Inbox) -> None:
    """Without JavaScript the resident sees every category's questions; only the chosen one's count."""
    data = report(service_code="puistot", **{"attribute[kind]": "broken", "attribute[pole]": "many"})
    response = send(client, data)
    assert response.status_code == 201, response.text
    stored = service.reports.get(SITE, response.json()["service_request_id"])
    assert stored is not None and stored.service_code == "puistot" and stored.attributes == {}
    assert [m[0] for m in mails_for(service, stored.id)] == [PARKS_OWNER]


# The rules, each with its message in Finnish and Swedish

LIGHTS_FI = "Mitä palautteesi koskee?"
LIGHTS_SV = "Vad gäller din respons?"
RULES: list[tuple[str, dict[str, Any], str, str, str, str]] = [
    # (case, changes, field, code, Finnish message, Swedish message)
    (
        "category missing",
        {"service_code": None},
        "service_code",
        "required_choice",
        f"Valitse vaihtoehto kohdassa ”{LIGHTS_FI}”.",
        f"Välj ett alternativ under ”{LIGHTS_SV}”.",
    ),
    (
        "category unknown",
        {"service_code": "eiole"},
        "service_code",
        "choice",
        f"Valitse kohdassa ”{LIGHTS_FI}” jokin annetuista vaihtoehdoista.",
        f"Välj ett av de givna alternativen under ”{LIGHTS_SV}”.",
    ),
    (
        "description missing",
        {"description": None},
        "description",
        "required",
        "Täytä kohta ”Kuvaus”.",
        "Fyll i ”Beskrivning”.",
    ),
    (
        "description only white space",
        {"description": " \ufeff\u00a0\r\n "},
        "description",
        "required",
        "Täytä kohta ”Kuvaus”.",
        "Fyll i ”Beskrivning”.",
    ),
    (
        "description too long",
        {"description": "x" * 4001},
        "description",
        "too_long",
        "Kohdassa ”Kuvaus” voi olla enintään 4000 merkkiä.",
        "Under ”Beskrivning” får det finnas högst 4000 tecken.",
    ),
    (
        "address too long",
        {"address_string": "x" * 501},
        "address_string",
        "too_long",
        "Kohdassa ”Osoite tai paikan kuvaus” voi olla enintään 500 merkkiä.",
        "Under ”Adress eller beskrivning av platsen” får det finnas högst 500 tecken.",
    ),
    (
        "name too long",
        {"name": "x" * 201},
        "name",
        "too_long",
        "Kohdassa ”Nimi” voi olla enintään 200 merkkiä.",
        "Under ”Namn” får det finnas högst 200 tecken.",
    ),
    (
        "e-mail too long",
        {"email": "m" * 244 + "@example.fi"},
        "email",
        "too_long",
        "Kohdassa ”Sähköposti” voi olla enintään 254 merkkiä.",
        "Under ”E-post” får det finnas högst 254 tecken.",
    ),
    (
        "phone too long",
        {"phone": "0" * 51},
        "phone",
        "too_long",
        "Kohdassa ”Puhelin” voi olla enintään 50 merkkiä.",
        "Under ”Telefon” får det finnas högst 50 tecken.",
    ),
    (
        "not an e-mail address",
        {"email": "maija@"},
        "email",
        "email",
        "Kirjoita kohtaan ”Sähköposti” sähköpostiosoite muodossa nimi@esimerkki.fi.",
        "Skriv en e-postadress under ”E-post” i formen namn@exempel.fi.",
    ),
    (
        "two e-mail addresses",
        {"email": "maija@example.fi,pomo@example.fi"},
        "email",
        "email",
        "Kirjoita kohtaan ”Sähköposti” sähköpostiosoite muodossa nimi@esimerkki.fi.",
        "Skriv en e-postadress under ”E-post” i formen namn@exempel.fi.",
    ),
    (
        "not a phone number",
        {"phone": "puhelin"},
        "phone",
        "tel",
        "Kirjoita kohtaan ”Puhelin” puhelinnumero, esimerkiksi 040 123 4567.",
        "Skriv ett telefonnummer under ”Telefon”, till exempel 040 123 4567.",
    ),
    (
        "lat without long",
        {"long": None},
        "address_string",
        "location_invalid",
        "Sijaintia ei voitu lukea. Valitse paikka kartalta uudelleen tai kirjoita osoite.",
        "Platsen kunde inte läsas. Välj platsen på kartan igen eller skriv en adress.",
    ),
    (
        "lat not a number",
        {"lat": "pohjoinen"},
        "address_string",
        "location_invalid",
        "Sijaintia ei voitu lukea. Valitse paikka kartalta uudelleen tai kirjoita osoite.",
        "Platsen kunde inte läsas. Välj platsen på kartan igen eller skriv en adress.",
    ),
    (
        "lat off the globe",
        {"lat": "91"},
        "address_string",
        "location_invalid",
        "Sijaintia ei voitu lukea. Valitse paikka kartalta uudelleen tai kirjoita osoite.",
        "Platsen kunde inte läsas. Välj platsen på kartan igen eller skriv en adress.",
    ),
    (
        "outside the municipality",
        {"lat": "60.17", "long": "24.94"},
        "address_string",
        "location_outside",
        "Valittu paikka on kunnan alueen ulkopuolella. Valitse paikka kunnan alueelta tai kirjoita osoite.",
        "Den valda platsen ligger utanför kommunen. Välj en plats i kommunen eller skriv en adress.",
    ),
    (
        "required choice question",
        {"attribute[kind]": None},
        "attribute[kind]",
        "required_choice",
        "Valitse vaihtoehto kohdassa ”Mikä on vialla?”.",
        "Välj ett alternativ under ”Vad är fel?”.",
    ),
    (
        "not one of the choices",
        {"attribute[kind]": "broken"},
        "attribute[kind]",
        "choice",
        "Valitse kohdassa ”Mikä on vialla?” jokin annetuista vaihtoehdoista.",
        "Välj ett av de givna alternativen under ”Vad är fel?”.",
    ),
    (
        "one of several not a choice",
        {"attribute[times]": ["evening", "noon"]},
        "attribute[times]",
        "choice",
        "Valitse kohdassa ”Milloin?” jokin annetuista vaihtoehdoista.",
        "Välj ett av de givna alternativen under ”När?”.",
    ),
    (
        "not a number",
        {"attribute[pole]": "1e5"},
        "attribute[pole]",
        "number",
        "Kirjoita kohtaan ”Pylvään numero” luku, esimerkiksi 12 tai 2,5.",
        "Skriv ett tal under ”Stolpens nummer”, till exempel 12 eller 2,5.",
    ),
]
BINS = {"service_code": "roskat", "attribute[kind]": None, "attribute[times]": None, "attribute[bin]": "A-17"}
BIN_RULES: list[tuple[str, dict[str, Any], str, str, str, str]] = [
    (
        "required text question",
        {"attribute[bin]": "  "},
        "attribute[bin]",
        "required",
        "Täytä kohta ”Astian numero”.",
        "Fyll i ”Tunnans nummer”.",
    ),
    (
        "text answer too long",
        {"attribute[bin]": "x" * 501},
        "attribute[bin]",
        "too_long",
        "Kohdassa ”Astian numero” voi olla enintään 500 merkkiä.",
        "Under ”Tunnans nummer” får det finnas högst 500 tecken.",
    ),
    (
        "textarea answer too long",
        {"attribute[details]": "x" * 4001},
        "attribute[details]",
        "too_long",
        "Kohdassa ”Lisätiedot” voi olla enintään 4000 merkkiä.",
        "Under ”Mer information” får det finnas högst 4000 tecken.",
    ),
    (
        "a date that does not exist",
        {"attribute[seen]": "2027-02-30"},
        "attribute[seen]",
        "date",
        "Kirjoita kohtaan ”Milloin huomasit?” oikea päivämäärä, esimerkiksi 2027-03-14.",
        "Skriv ett giltigt datum under ”När såg du det?”, till exempel 2027-03-14.",
    ),
    (
        "a time is not a date",
        {"attribute[seen]": "2027-02-03T10:00"},
        "attribute[seen]",
        "date",
        "Kirjoita kohtaan ”Milloin huomasit?” oikea päivämäärä, esimerkiksi 2027-03-14.",
        "Skriv ett giltigt datum under ”När såg du det?”, till exempel 2027-03-14.",
    ),
]


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("changes", "field", "code", "fi", "sv"), [case[1:] for case in RULES], ids=[case[0] for case in RULES]
)
def test_rule_and_its_message(
    client: TestClient, service: Inbox, changes: dict[str, Any], field: str, code: str, fi: str, sv: str
) -> None:
    for lang, message in (("fi", fi), ("sv", sv)):
        errors = errors_of(send(client, report(_lang=lang, **changes)))
        assert errors == [{"field": field, "code": code, "message": message}], lang
    assert service.reports.find(SITE) == []


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("changes", "field", "code", "fi", "sv"), [case[1:] for case in BIN_RULES], ids=[case[0] for case in BIN_RULES]
)
def test_question_rule_and_its_message(
    client: TestClient,
    service: Inbox,
    widget_export: dict[str, Any],
    changes: dict[str, Any],
    field: str,
    code: str,
    fi: str,
    sv: str,
) -> None:
    for lang, message in (("fi", fi), ("sv", sv)):
        errors = errors_of(send(client, report(_lang=lang, **{**BINS, **changes})))
        assert errors == [{"field": field, "code": code, "message": message}], lang
    assert service.reports.find(SITE) == []


def test_question_answers_of_every_datatype_are_stored(
    client: TestClient, service: Inbox, widget_export: dict[str, Any]
) -> None:
    data = report(**BINS, **{"attribute[details]": "Kansi\r\nrikki", "attribute[seen]": "2027-02-03"})
    response = send(client, data)
    assert response.status_code == 201, response.text
    stored = service.reports.get(SITE, response.json()["service_request_id"])
    assert stored is not None
    assert stored.attributes == {"bin": "A-17", "details": "Kansi\nrikki", "seen": "2027-02-03"}
    assert [m[0] for m in mails_for(service, stored.id)] == ["roskat@testikunta.fi"]


@SQLITE_ONLY
def test_one_message_per_field_in_the_order_of_the_widget(client: TestClient) -> None:
    data = report(
        _lang="en",
        description=None,
        email="x" * 300,
        lat="0",
        long="0",
        address_string="x" * 600,
        **{"attribute[kind]": None, "attribute[pole]": "many"},
    )
    errors = errors_of(send(client, data))
    assert [(e["field"], e["code"]) for e in errors] == [
        ("description", "required"),
        ("address_string", "location_outside"),
        ("attribute[kind]", "required_choice"),
        ("attribute[pole]", "number"),
        ("email", "email"),
    ]
    assert errors[0]["message"] == "Fill in “Description”."


# The HTML answer: the widget's fields again, with the summary, the values and the messages


def error_page(client: TestClient, lang: str = "fi") -> Any:
    data = report(
        _lang=lang,
        description=None,
        email="maija@",
        **{"attribute[times]": ["night"], "attribute[kind]": None, "attribute[pole]": "many", "_key": "k" * 20},
    )
    response = client.post(URL, data=data)
    assert response.status_code == 422 and response.headers["content-type"].startswith("text/html")
    return response


@SQLITE_ONLY
def test_error_page_has_summary_values_and_messages(client: TestClient) -> None:
    page = BeautifulSoup(error_page(client).text, "html.parser")
    assert page.html is not None and page.html["lang"] == "fi"
    assert page.title is not None and page.title.string == "Virhe: Palaute kartalla – Testikunta"
    summary = page.select_one(".ks-error-summary")
    assert summary is not None and summary.get("tabindex") == "-1" and summary.has_attr("autofocus")
    assert summary.h2 is not None and summary.h2.string == "Korjaa nämä kohdat"
    links = [(a["href"], a.get_text()) for a in summary.select("a")]
    assert links == [
        ("#field-description", "Täytä kohta ”Kuvaus”."),
        ("#field-attribute%5Bkind%5D", "Valitse vaihtoehto kohdassa ”Mikä on vialla?”."),
        ("#field-attribute%5Bpole%5D", "Kirjoita kohtaan ”Pylvään numero” luku, esimerkiksi 12 tai 2,5."),
        ("#field-email", "Kirjoita kohtaan ”Sähköposti” sähköpostiosoite muodossa nimi@esimerkki.fi."),
    ]
    for href, message in links:
        target = page.find(id=unquote(href[1:]))
        assert target is not None, href
        field = target.find_parent(class_="ks-field")
        assert field is not None and "ks-field--error" in field["class"]
        error = field.select_one(".ks-field__error")
        assert error is not None and error.get_text() == "Virhe: " + message
    form = page.select_one("form.ks-feedback__form")
    assert form is not None and form["method"] == "post" and form.has_attr("novalidate")
    chosen = {(i["name"], i["value"]) for i in form.select("input[checked]")}
    assert chosen == {("service_code", "katuvalot"), ("attribute[times]", "night")}
    assert page.select_one("#field-address_string")["value"] == "Kirkkotie 1"  # type: ignore[index]
    assert page.find(id="field-attribute[pole]")["value"] == "many"  # type: ignore[index]
    assert page.select_one("#field-email")["value"] == "maija@"  # type: ignore[index]
    assert page.select_one("#field-name")["value"] == "Maija Meikäläinen"  # type: ignore[index]
    assert page.select_one("#field-phone")["value"] == "040 123 4567"  # type: ignore[index]
    hidden = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    assert hidden == {"_lang": "fi", "_key": "k" * 20, "lat": INSIDE[0], "long": INSIDE[1]}
    assert form.select_one("input[name=_homepage]") is not None
    legends = [legend.get_text(" ", strip=True) for legend in form.select("legend.ks-form__legend")]
    assert legends == ["Sijainti", "Lisätietoja aiheesta Katuvalot", "Yhteystietosi"]
    privacy = form.select_one(".ks-form__privacy a")
    assert privacy is not None and privacy["href"] == f"https://www.{SITE}.fi/tietosuoja/"
    send_button = form.select_one("button.ks-form__send")
    assert send_button is not None and send_button.get_text() == "Lähetä palaute"
    assert page.select_one(f'link[rel=stylesheet][href="https://www.{SITE}.fi/assets/kunta.css"]') is not None


@SQLITE_ONLY
def test_error_page_in_swedish_keeps_description_and_drops_a_wrong_place(client: TestClient) -> None:
    data = report(_lang="sv", description="Rad 1\r\nRad 2", lat="60.17", long="24.94")
    response = client.post(URL, data=data)
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    assert page.html is not None and page.html["lang"] == "sv"
    assert page.title is not None and page.title.string == "Fel: Respons på kartan – Testkommun"
    textarea = page.select_one("textarea#field-description")
    assert textarea is not None and textarea.get_text() == "\nRad 1\nRad 2"  # the parser drops the first \n
    error = page.select_one('[data-field="address_string"] .ks-field__error')
    assert error is not None and "utanför kommunen" in error.get_text()
    names = {i["name"] for i in page.select("input[type=hidden]")}
    assert "lat" not in names and "long" not in names, "a wrong place would refuse the report again"


@SQLITE_ONLY
def test_error_page_passes_the_nu_html_checker(
    client: TestClient, tmp_path: Path, widget_export: dict[str, Any]
) -> None:
    pages = {"fi": error_page(client, "fi").text, "sv": error_page(client, "sv").text}
    files = {}
    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_text(html, "utf-8")
        files[tmp_path / f"{name}.html"] = name
    findings = run_nu(files, Tools.find(ROOT))
    assert not any(findings.values()), findings


@SQLITE_ONLY
def test_error_page_passes_axe(client: TestClient, browser: Browser, widget_export: dict[str, Any]) -> None:
    """With the site's own style sheet (the theme's), as a resident without JavaScript sees it."""
    html = error_page(client, "sv").text
    css = stylesheet(THEME, BRAND)
    tab = browser.new_page()
    try:
        tab.route(
            f"https://www.{SITE}.fi/assets/kunta.css", lambda route: route.fulfill(body=css, content_type="text/css")
        )
        address = "http://inbox.test" + URL
        tab.route(address, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
        tab.goto(address)
        tab.add_script_tag(path=str(AXE))
        results = tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    finally:
        tab.close()
    assert not results["violations"], "axe violations:\n" + axe_report(results["violations"])
    assert not results["incomplete"], "axe needs review:\n" + axe_report(results["incomplete"])


# Spam and repeats


def test_honeypot_answers_like_success_and_stores_nothing(client: TestClient, service: Inbox) -> None:
    response = send(client, report(_homepage="http://spam.example"))
    assert response.status_code == 201 and response.json()["service_request_id"]
    plain = client.post(URL, data=report(_homepage="x", description=None), follow_redirects=False)
    assert plain.status_code == 303 and plain.headers["location"] == f"https://www.{SITE}.fi/kiitos/"
    assert service.reports.find(SITE) == [] and service.outbox.pending() == 0


def test_a_report_sent_again_with_its_key_is_stored_once(client: TestClient, service: Inbox) -> None:
    key = "0f8c1d2e-3a4b-4c5d-8e9f-a0b1c2d3e4f5"
    first = send(client, report(_key=key))
    again = send(client, report(_key=key, description="Toinen kuvaus"))
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    (stored,) = service.reports.find(SITE)
    assert stored.client_key == key and stored.description == "Valo ei pala Kirkkotiellä."
    assert len(mails_for(service, stored.id)) == 1, "mailed once"
    other = send(client, report(_key="another-key-1234567"))
    assert other.json()["service_request_id"] != stored.id
    elsewhere = client.post(f"/feedback/{OTHER_SITE}", data=report(_key=key), headers=JSON)
    assert elsewhere.status_code == 201, "a key is the site's own"
    assert elsewhere.json()["service_request_id"] != stored.id


def test_the_same_key_at_once_is_stored_once(server: Server, settings: Settings) -> None:
    """Copies at the same moment, to the real service: on PostgreSQL the unique index refuses
    all but one insert, and the others get the stored one's id."""
    key = "race-0123456789abcdef"
    body = urlencode(report(_key=key), doseq=True)

    def post(_: int) -> tuple[int, str]:
        answer = httpx.post(server.url + URL, content=body, headers={**JSON, **FORM}, timeout=30)
        return answer.status_code, answer.json().get("service_request_id", answer.text)

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(post, range(16)))
    assert {status for status, _ in answers} == {201}, answers
    assert len({request_id for _, request_id in answers}) == 1
    inbox = Inbox.from_settings(settings)
    try:
        (stored,) = inbox.reports.find(SITE)
        assert stored.client_key == key and len(mails_for(inbox, stored.id)) == 1
    finally:
        inbox.engine.dispose()


# Refusals


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("data", "status", "reason"),
    [
        (report(colour="red"), 400, "Unknown fields: colour."),
        (report(**{"attribute[colour]": "red"}), 400, "Unknown fields: attribute[colour]."),
        (report(**{"attribute[kind][]": "dark"}), 400, "Unknown fields: attribute[kind][]."),
        (report(_token="abc", api_key="o311_x"), 400, "Unknown fields: _token, api_key."),
        (report(description=["a", "b"]), 400, "Given more than once: description."),
        (report(**{"attribute[kind]": ["dark", "blinking"]}), 400, "Given more than once: attribute[kind]."),
        (report(_lang="de"), 400, "_lang must be one of fi, sv, en."),
        (report(_key="short"), 400, "_key must be 16 to 64 letters"),
    ],
)
def test_refusals_have_reasons(
    client: TestClient, service: Inbox, data: dict[str, Any], status: int, reason: str
) -> None:
    response = send(client, data)
    assert response.status_code == status and reason in response.json()["detail"]
    page = client.post(URL, data=data)
    assert page.status_code == status and reason in page.text and page.headers["content-type"].startswith("text/html")
    assert service.reports.find(SITE) == []


@SQLITE_ONLY
def test_other_refusals(client: TestClient) -> None:
    unknown = client.post("/feedback/eikunta", data=VALID, headers=JSON)
    assert unknown.status_code == 404 and "eikunta" in unknown.json()["detail"]
    assert client.post("/feedback/..", data=VALID, headers=JSON).status_code == 404
    not_a_form = client.post(URL, content=b"{}", headers={**JSON, "Content-Type": "application/json"})
    assert not_a_form.status_code == 415
    too_large = send(client, report(description="x" * 9000))
    assert too_large.status_code == 413 and "8192 bytes" in too_large.json()["detail"]
    assert client.get(URL).status_code == 405


@SQLITE_ONLY
def test_rate_limit_page_in_language(settings: Settings) -> None:
    client, inbox = make_client(settings, rate_limit=1)
    with client:
        assert send(client, VALID).status_code == 201
        limited = client.post(URL, data=report(_lang="sv"))
        assert limited.status_code == 429 and limited.headers["retry-after"]
        assert "För många blanketter har skickats på kort tid." in limited.text
        assert '<html lang="sv">' in limited.text
    inbox.engine.dispose()


# CORS: the export's origins only


@SQLITE_ONLY
def test_cors_preflight_and_answers(client: TestClient) -> None:
    asks = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "accept"}
    allowed = client.options(URL, headers=asks)
    assert allowed.status_code == 204 and allowed.headers["access-control-allow-origin"] == ORIGIN
    assert allowed.headers["access-control-allow-methods"] == "POST"
    evil = client.options(URL, headers={**asks, "Origin": "https://evil.example"})
    assert evil.status_code == 403 and "access-control-allow-origin" not in evil.headers
    neighbour = client.options(f"/feedback/{OTHER_SITE}", headers=asks)
    assert neighbour.status_code == 403, "another site's origins are its own"
    assert client.options("/feedback/eikunta", headers=asks).status_code == 403
    get = client.options(URL, headers={**asks, "Access-Control-Request-Method": "GET"})
    assert get.status_code == 403
    stored = send(client, VALID, Origin=ORIGIN)
    assert stored.status_code == 201 and stored.headers["access-control-allow-origin"] == ORIGIN
    assert stored.headers["vary"] == "Origin"
    invalid = send(client, report(description=None), Origin=ORIGIN)
    assert invalid.status_code == 422 and invalid.headers["access-control-allow-origin"] == ORIGIN
    foreign = send(client, VALID, Origin="https://evil.example")
    assert foreign.status_code == 201 and "access-control-allow-origin" not in foreign.headers


# The owner's mail at a real SMTP server


@pytest.fixture
def smtp_port() -> int:
    from .conftest import free_port

    return free_port()


@pytest.fixture
def mail_client(settings: Settings, smtp_port: int) -> Iterator[tuple[TestClient, Inbox]]:
    client, inbox = make_client(settings, smtp_host="127.0.0.1", smtp_port=smtp_port)
    with client:
        yield client, inbox
    inbox.engine.dispose()


def test_owner_is_mailed(mail_client: tuple[TestClient, Inbox], smtp_port: int) -> None:
    client, inbox = mail_client
    controller, handler = smtp_server(smtp_port)
    try:
        response = send(client, report(_lang="sv", description="Rad 1\r\nRad 2"))
        assert response.status_code == 201
        assert inbox.outbox.deliver_due() == 1
    finally:
        controller.stop()
    ((recipients, message),) = handler.messages
    assert recipients == [OWNER]
    body = message.get_content().replace("\r\n", "\n")
    assert "Uusi palaute: Katuvalot" in body, "in the site's first language, whatever the resident's"
    assert "Kuvaus:\n  Rad 1\n  Rad 2" in body and "Mikä on vialla?: Ei pala" in body
    assert "Sijainti: 61.200000, 22.500000" in body and "Osoite: Kirkkotie 1" in body
    assert "name: Maija Meikäläinen" in body and "email: maija@example.fi" in body and "phone: 040 123 4567" in body


# Fuzz: never a 5xx


NAMES = st.sampled_from(
    [*VALID, "attribute[pole]", "attribute[colour]", "attribute[kind][]", "_homepage", "_key", "x", ""]
) | st.text(max_size=12)
VALUES = st.text(max_size=40) | st.sampled_from(["61.2", "22.5", "katuvalot", "puistot", "dark", "nan", "1e999", "sv"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.lists(st.tuples(NAMES, VALUES), max_size=12), base=st.booleans(), as_json=st.booleans())
def test_fuzz_never_5xx(client: TestClient, fields: list[tuple[str, str]], base: bool, as_json: bool) -> None:
    flat = [(k, x) for k, v in VALID.items() for x in (v if isinstance(v, list) else [v])] if base else []
    body = urlencode([*flat, *fields]).encode()
    headers = {**FORM, **(JSON if as_json else {})}
    response = client.post(URL, content=body, headers=headers, follow_redirects=False)
    assert response.status_code in (201, 303, 400, 413, 422), response.text[:300]
    if as_json and response.status_code == 422:
        assert all(e["message"] and e["field"] for e in response.json()["errors"])
