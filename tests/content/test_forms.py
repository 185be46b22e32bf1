"""Forms from YAML: the model, where forms are shown, the thank-you pages and the export.

The export is the whole contract with the receiving service, so every sample site's forms are
validated against inbox/kuntasivu_inbox/form.schema.json here, without building the sites.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from kuntasivu.content.errors import ContentErrors
from kuntasivu.content.form_export import form_export, form_view, used_forms
from kuntasivu.content.forms import FormField, autocomplete_problem
from kuntasivu.content.loading import Content, load_content
from kuntasivu.content.pages import page_sources
from pydantic import ValidationError

from tests.conftest import ROOT, SHARED

SCHEMA = json.loads((ROOT / "inbox" / "kuntasivu_inbox" / "form.schema.json").read_text("utf-8"))
SAMPLES = sorted(path.name for path in (ROOT / "municipalities").iterdir() if (path / "site.yml").is_file())


def sample(slug: str) -> Content:
    return load_content(ROOT / "municipalities" / slug, SHARED)


def with_inbox(municipality: Path, url: str = "https://lomakkeet.pieni.fi/") -> Path:
    site = municipality / "site.yml"
    site.write_text(site.read_text("utf-8") + f"inbox_url: {url}\n", "utf-8")
    return municipality


def errors_of(municipality: Path) -> list[str]:
    with pytest.raises(ContentErrors) as raised:
        load_content(municipality, SHARED)
    return [error.format(municipality) for error in raised.value.errors]


# --- the export -------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SAMPLES)
def test_every_used_form_exports_valid_json(slug: str) -> None:
    content = sample(slug)
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    for form_id in used_forms(content):
        export = json.loads(json.dumps(form_export(content, form_id)))  # as written to the file
        problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(export)]
        assert problems == [], f"{slug}/{form_id}"


def test_samples_with_inbox_url_use_the_shared_forms() -> None:
    assert used_forms(sample("karvia")) == ["digituki-ajanvaraus", "saavutettavuuspalaute"]
    assert used_forms(sample("lohja")) == ["palaute", "digituki-ajanvaraus", "saavutettavuuspalaute"]
    assert used_forms(sample("kankaanpaa")) == []  # no inbox_url: no forms, no exports


def test_export_has_absolute_addresses_and_texts_in_every_site_language() -> None:
    content = sample("lohja")
    export = form_export(content, "palaute")
    assert export["site"] == "lohja" and export["languages"] == ["fi", "sv"]
    assert export["origins"] == ["https://www.lohja.fi"]
    assert export["stylesheets"] == ["https://www.lohja.fi/assets/kunta.css"]
    assert export["thanks_url"] == {
        "fi": "https://www.lohja.fi/lomakkeet/palaute/kiitos/",
        "sv": "https://www.lohja.fi/sv/blanketter/palaute/tack/",
    }
    assert export["privacy_url"] == {
        "fi": "https://www.lohja.fi/tietosuoja/",
        "sv": "https://www.lohja.fi/sv/dataskydd/",
    }
    assert export["recipients"] == ["kirjaamo@lohja.fi"]  # '{{ email }}' is the site's main address
    assert set(export["title"]) == {"fi", "sv"}  # the shared form's English text is left out
    assert export["texts"]["sv"]["sent"].startswith("Tack för din respons")  # the form's own thanks
    assert export["texts"]["fi"]["required"] == "Täytä kohta ”{label}”."
    email = export["fieldsets"][1]["fields"][1]
    assert email == {
        "name": "email",
        "type": "email",
        "label": {"fi": "Sähköpostiosoite", "sv": "E-postadress"},
        "hint": email["hint"],
        "required": False,
        "autocomplete": "email",
        "max_length": 254,  # the build's default
    }
    statement_form = form_export(content, "saavutettavuuspalaute")
    assert statement_form["recipients"] == ["viestinta@lohja.fi"]  # accessibility.email
    assert statement_form["fieldsets"][0]["legend"] is None  # plain fields: one group, no fieldset


def test_registration_exports_capacity_and_the_view_carries_the_service_addresses() -> None:
    content = sample("karvia")
    export = form_export(content, "digituki-ajanvaraus")
    slots = export["fieldsets"][0]["fields"][0]
    assert export["kind"] == "registration"
    assert [o["capacity"] for o in slots["options"]] == [2, 2, 2, 2, 2]
    view = form_view(content, "digituki-ajanvaraus", "fi")
    assert view["action"] == "https://lomakkeet.karvia.fi/forms/karvia/digituki-ajanvaraus"
    assert view["availability_url"] == view["action"] + "/availability"
    assert view["schema_url"] == "https://www.karvia.fi/forms/digituki-ajanvaraus.json"
    assert view["fieldsets"][0]["fields"][0]["options"][0]["label"] == "klo 9.00–9.45"


# --- where forms are shown ---------------------------------------------------------------------


def test_pages_events_and_statement_show_their_forms_and_each_form_has_a_thank_you_page() -> None:
    sources = {(s.lang, s.url): s for s in page_sources(sample("lohja"))}
    page = sources[("fi", "hallinto/palaute/")]
    assert page.context["form"]["id"] == "palaute"
    assert sources[("sv", "sv/forvaltning/respons/")].context["form"]["title"] == "Ge respons eller ställ en fråga"
    assert sources[("fi", "terveys-ja-hyvinvointi/digituki/")].context["form"]["id"] == "digituki-ajanvaraus"
    assert sources[("sv", "sv/tillganglighetsutlatande/")].context["form"]["id"] == "saavutettavuuspalaute"
    thanks = sources[("sv", "sv/blanketter/palaute/tack/")]
    assert thanks.kind == "form_thanks" and thanks.title == "Skickat: Ge respons eller ställ en fråga"
    assert thanks.alternates == {"fi": "lomakkeet/palaute/kiitos/", "sv": "sv/blanketter/palaute/tack/"}
    event = {s.url: s for s in page_sources(sample("karvia"))}["tapahtumat/2027-03-digitukipaiva-kirjastossa/"]
    assert event.context["form"]["id"] == "digituki-ajanvaraus"


def test_shared_pages_show_no_form_on_a_site_without_inbox_url(make_municipality) -> None:
    content = load_content(make_municipality("pieni"), SHARED)
    digituki = next(s for s in page_sources(content) if s.key == "page:digituki")
    assert digituki.context["form"] is None
    assert [b["type"] for b in digituki.context["blocks"]] == ["links", "faq"]
    assert not any(s.kind == "form_thanks" for s in page_sources(content))
    statement = next(s for s in page_sources(content) if s.kind == "accessibility")
    assert statement.context["form"] is None


def test_a_municipality_form_replaces_the_shared_one(make_municipality) -> None:
    municipality = with_inbox(make_municipality("pieni"))
    (municipality / "forms").mkdir()
    (municipality / "forms" / "saavutettavuuspalaute.yml").write_text(
        "id: saavutettavuuspalaute\ntitle: Saavutettavuus\nrecipients: [saavutettavuus@pieni.fi]\n"
        "fields:\n  - name: viesti\n    type: textarea\n    label: Viesti\n    required: true\n",
        "utf-8",
    )
    content = load_content(municipality, SHARED)
    assert content.forms["saavutettavuuspalaute"].path.is_relative_to(municipality)
    assert form_export(content, "saavutettavuuspalaute")["recipients"] == ["saavutettavuus@pieni.fi"]
    assert "palaute" in content.forms  # the shared ones it does not replace stay available


def test_a_page_has_one_form(make_municipality) -> None:
    municipality = with_inbox(make_municipality("pieni"))
    (municipality / "pages" / "palaute.yml").write_text(
        "id: palaute\ntitle: Palaute\nsummary: Anna palautetta.\n"
        "blocks:\n  - type: form\n    form: palaute\n  - type: form\n    form: saavutettavuuspalaute\n",
        "utf-8",
    )
    assert errors_of(municipality) == [
        "pages/palaute.yml:8:11: blocks[1].form: a page can have only one form; put this form on a page of its own"
    ]


def test_an_event_registration_needs_inbox_url(make_municipality) -> None:
    municipality = make_municipality("pieni")
    event = municipality / "events" / "konsertti.yml"
    event.write_text(event.read_text("utf-8") + "registration_form: digituki-ajanvaraus\n", "utf-8")
    assert errors_of(municipality) == [
        "events/konsertti.yml:7:20: registration_form: this site has no inbox_url: add inbox_url to site.yml,"
        " the address of the service that receives the forms (e.g. https://lomakkeet.kunta.fi/)"
    ]


def test_a_used_form_needs_its_privacy_notice(make_municipality) -> None:
    municipality = with_inbox(make_municipality("pieni"))
    site = municipality / "site.yml"
    site.write_text(site.read_text("utf-8").replace("  - tietosuoja\nfooter_pages: [tietosuoja]\n", ""), "utf-8")
    assert errors_of(municipality) == [
        # The shared digituki page shows the booking form: the error points at its line in site.yml.
        "site.yml:26:5: shared_pages[0]: form 'digituki-ajanvaraus' links to the privacy notice 'tietosuoja',"
        " which is not a page of this site; add it to shared_pages in site.yml",
        "site.yml:32:12: inbox_url: form 'saavutettavuuspalaute' links to the privacy notice 'tietosuoja', which is"
        " not a page of this site; add it to shared_pages in site.yml",
    ]


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://lomakkeet.pieni.fi/", True),
        ("https://palvelut.pieni.fi/lomakkeet/", True),
        ("http://127.0.0.1:8001/", True),
        ("http://localhost:8080/", True),
        ("https://lomakkeet.pieni.fi", False),
        ("http://lomakkeet.pieni.fi/", False),
    ],
)
def test_inbox_url_is_https_or_a_local_address(make_municipality, url: str, ok: bool) -> None:
    municipality = with_inbox(make_municipality("pieni"), url)
    if ok:
        assert load_content(municipality, SHARED).site.item.inbox_url == url
    else:
        assert errors_of(municipality) == [
            f"site.yml:34:12: inbox_url: '{url}' must be the receiving service's https:// address ending with '/',"
            " e.g. 'https://lomakkeet.kunta.fi/' (http://127.0.0.1:PORT/ or http://localhost:PORT/ for local testing)"
        ]


# --- the model ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("email", None),
        ("shipping street-address", None),
        ("section-kotiin billing mobile tel", None),
        ("work email", None),
        ("off", None),
        ("nmae", "unknown autocomplete token 'nmae' — did you mean 'name'? (tokens are listed in the HTML standard)"),
        ("mobile name", "'mobile' is not allowed before 'name' in autocomplete"),
        ("home off", "'off' must stand alone in autocomplete"),
    ],
)
def test_autocomplete_tokens(value: str, problem: str | None) -> None:
    assert autocomplete_problem(value) == problem


def test_field_settings_must_fit_the_field_type(make_municipality) -> None:
    municipality = make_municipality("pieni")
    (municipality / "forms").mkdir()
    (municipality / "forms" / "kysely.yml").write_text(
        "id: kysely\ntitle: Kysely\nfields:\n"
        "  - {name: ika, type: number, label: Ikä, max_length: 3, min: kymmenen}\n"
        "  - {name: aihe, type: select, label: Aihe}\n"
        "  - {name: paiva, type: date, label: Päivä, max: 2027-02-30}\n"
        "  - {name: postinumero, type: text, label: Postinumero, pattern: '[0-9]{5}'}\n",
        "utf-8",
    )
    assert errors_of(municipality) == [
        "forms/kysely.yml:4:43: fields[0].max_length: 'max_length' is only for text, email, tel and textarea"
        " fields, not number",
        "forms/kysely.yml:4:63: fields[0].min: expected a number, got 'kymmenen'",
        "forms/kysely.yml:5:24: fields[1].type: a select field needs 'options' to choose from",
        "forms/kysely.yml:6:50: fields[2].max: expected a date as 2027-03-14, got '2027-02-30'",
        "forms/kysely.yml:7:66: fields[3].pattern: give 'pattern_message' too: it tells residents what to write",
    ]


@pytest.mark.parametrize(
    ("pattern", "python_only"),
    [
        ("[0-9]{5}", None),
        ("(?:FI)?[0-9]{2}( ?[0-9]{4}){4}", None),
        ("(?=.*[0-9])[A-Za-z0-9]{6,}", None),
        ("(?i)[a-z]{3}", "(?i)"),
        ("(?P<postinumero>[0-9]{5})", "(?P"),
        ("\\A[0-9]{5}\\Z", "\\A"),
    ],
)
def test_a_pattern_must_mean_the_same_in_the_browser(pattern: str, python_only: str | None) -> None:
    """The page's script checks patterns with JavaScript's RegExp and the service with Python's
    re: syntax only one of them has would stop the form in the browser, or pass different input."""
    field = {"name": "koodi", "type": "text", "label": "Koodi", "pattern": pattern, "pattern_message": "Tarkista."}
    if python_only is None:
        FormField.model_validate(field)
    else:
        with pytest.raises(ValidationError, match=re.escape(f"'{python_only}' works only in Python")):
            FormField.model_validate(field)
