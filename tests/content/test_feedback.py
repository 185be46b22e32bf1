"""Location-based feedback in site.yml: the export the service reads, and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from kuntasivu.content.feedback_export import exported, feedback_export
from kuntasivu.content.loading import load_content
from kuntasivu.content.pages import page_sources

from tests.conftest import ROOT, SHARED
from tests.content.test_forms import errors_of, with_inbox

SCHEMA = json.loads((ROOT / "inbox" / "kuntasivu_inbox" / "feedback.schema.json").read_text("utf-8"))

FEEDBACK = """feedback:
  map:
    centre: [60.25, 24.06]
  categories:
    - code: katuvalot
      name: Katuvalot
      description: Pimeä tai vilkkuva katuvalo.
      owner: tekninen@pieni.fi
      questions:
        - code: vika
          type: choice
          label: Mikä on vialla?
          options:
            - {value: pimea, label: Ei pala}
    - code: roskat
      name: Roska-astiat
      description: Täysi roska-astia.
      owner: tekninen@pieni.fi
"""


def with_feedback(municipality: Path, text: str = FEEDBACK) -> Path:
    site = municipality / "site.yml"
    site.write_text(site.read_text("utf-8") + text, "utf-8")
    return municipality


def test_karvia_exports_its_categories_as_open311_services() -> None:
    content = load_content(ROOT / "municipalities" / "karvia", SHARED)
    export = feedback_export(content)
    jsonschema.validate(export, SCHEMA, format_checker=jsonschema.FormatChecker())
    lights = export["categories"][0]
    assert lights["code"] == "katuvalot" and lights["owner"] == "tekninen@karvia.fi"
    assert [q["datatype"] for q in lights["questions"]] == ["string", "singlevaluelist"]
    assert lights["questions"][1]["values"][0] == {"key": "pimea", "name": {"fi": "Valo ei pala"}}
    assert export["map"]["bounds"] == [61.95, 22.25, 62.35, 22.95]
    assert export["agency"] == {"fi": "Karvian kunta, tekninen toimi"}
    assert export["privacy_url"] == {"fi": "https://www.karvia.fi/tietosuoja/"}
    thanks = [s for s in page_sources(content) if s.key == "thanks:palaute-kartalla"]
    assert [s.url for s in thanks] == ["lomakkeet/palaute-kartalla/kiitos/"]
    assert export["thanks_url"] == {"fi": "https://www.karvia.fi/lomakkeet/palaute-kartalla/kiitos/"}


def test_defaults_openstreetmap_and_an_area_around_the_centre(make_municipality) -> None:
    content = load_content(with_feedback(with_inbox(make_municipality("pieni"))), SHARED)
    export = feedback_export(content)
    jsonschema.validate(export, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert export["map"]["tiles"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert export["map"]["attribution"] == "© OpenStreetMap contributors"
    south, west, north, east = export["map"]["bounds"]
    assert south < 60.25 < north and west < 24.06 < east
    assert export["agency"] == {"fi": "Pieni"}
    assert export["retention_days"] == 730


def test_bilingual_categories_need_both_languages(make_municipality) -> None:
    municipality = with_feedback(with_inbox(make_municipality("kaksikielinen")))
    errors = errors_of(municipality)
    assert errors and all("this site is in fi, sv: give the text in each language" in e for e in errors)
    assert any(e.startswith("site.yml:") and "feedback.categories[0].name" in e for e in errors)


def test_feedback_needs_the_service(make_municipality) -> None:
    municipality = with_feedback(make_municipality("pieni"))
    content_errors = errors_of(municipality)
    assert len(content_errors) == 1 and content_errors[0].endswith(
        "feedback: feedback needs inbox_url in site.yml: the address of the service that receives reports"
    )
    assert content_errors[0].startswith("site.yml:")


def test_a_choice_question_needs_options(make_municipality) -> None:
    broken = (
        FEEDBACK.replace("code: roskat", "code: katuvalot")
        .replace("centre: [60.25, 24.06]", "centre: [60.25, 24.06]\n    bounds: [60.3, 24.0, 60.5, 24.2]")
        .replace("          type: choice\n", "          type: choices\n", 1)
        .replace("            - {value: pimea, label: Ei pala}\n", "")
        .replace("          options:\n", "")
    )
    errors = errors_of(with_feedback(with_inbox(make_municipality("pieni")), broken))
    assert any("categories[0].questions[0]: a choices question needs 'options'" in e for e in errors), errors


def test_category_codes_and_the_map_area_are_checked(make_municipality) -> None:
    broken = FEEDBACK.replace("code: roskat", "code: katuvalot").replace(
        "centre: [60.25, 24.06]", "centre: [60.25, 24.06]\n    bounds: [60.3, 24.0, 60.5, 24.2]"
    )
    errors = errors_of(with_feedback(with_inbox(make_municipality("pieni")), broken))
    assert [e.split(": ", 1)[1] for e in errors] == [  # in the order of the file
        "feedback.map.centre: the centre [60.25, 24.06] is outside bounds [60.3, 24.0, 60.5, 24.2]",
        "feedback.categories[1].code: duplicate category code 'katuvalot' (also category 1); "
        "give each category its own code",
    ]


def test_no_feedback_no_export(make_municipality) -> None:
    content = load_content(with_inbox(make_municipality("pieni")), SHARED)
    assert not exported(content)
    assert not any(s.key == "thanks:palaute-kartalla" for s in page_sources(content))


def test_a_question_code_means_one_question_in_the_whole_site(make_municipality) -> None:
    # The widget names answers attribute[code]: the same code in two categories would collide.
    broken = FEEDBACK + (
        "      questions:\n"
        "        - {code: vika, type: text, label: Vika}\n"
        "        - {code: vika, type: text, label: Muu vika}\n"
    )
    errors = errors_of(with_feedback(with_inbox(make_municipality("pieni")), broken))
    assert [e.split(": ", 1)[1] for e in errors] == [
        "feedback.categories[1].questions[0].code: duplicate question code 'vika' (also in 'katuvalot'); "
        "give each question of the site its own code",
        "feedback.categories[1].questions[1].code: duplicate question code 'vika' (also in 'katuvalot'); "
        "give each question of the site its own code",
    ]


def test_the_export_carries_the_widget_texts_and_the_forwarding_without_its_key(make_municipality) -> None:
    forwarding = FEEDBACK.replace(
        "feedback:\n",
        "feedback:\n  open311:\n    endpoint: https://palaute.seutu.fi/open311/v2/\n"
        "    jurisdiction_id: pieni.fi\n    api_key_env: KUNTASIVU_OPEN311_PIENI\n",
    )
    content = load_content(with_feedback(with_inbox(make_municipality("pieni")), forwarding), SHARED)
    export = feedback_export(content)
    jsonschema.validate(export, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert export["forward"] == {
        "endpoint": "https://palaute.seutu.fi/open311/v2/",
        "jurisdiction_id": "pieni.fi",
        "api_key_env": "KUNTASIVU_OPEN311_PIENI",
    }
    texts = export["texts"]["fi"]
    assert texts["send"] == "Lähetä palaute"  # feedback.send overrides forms.send
    assert texts["required"] == "Täytä kohta ”{label}”."  # from forms.*
    assert texts["sent"].startswith("Kiitos! Palautteesi on välitetty")


def test_the_api_key_itself_is_refused_in_site_yml(make_municipality) -> None:
    leaking = FEEDBACK.replace(
        "feedback:\n",
        "feedback:\n  open311:\n    endpoint: https://palaute.seutu.fi/open311/v2/\n    api_key: s3cret\n",
    )
    errors = errors_of(with_feedback(with_inbox(make_municipality("pieni")), leaking))
    assert len(errors) == 1 and "feedback.open311.api_key" in errors[0], errors


def test_the_key_variable_must_be_one_of_the_forwarding_keys(make_municipality) -> None:
    # Otherwise a site could have the service send e.g. its database password to any address.
    other_secret = FEEDBACK.replace(
        "feedback:\n",
        "feedback:\n  open311:\n    endpoint: https://palaute.seutu.fi/open311/v2/\n"
        "    api_key_env: KUNTASIVU_INBOX_DATABASE_URL\n",
    )
    errors = errors_of(with_feedback(with_inbox(make_municipality("pieni")), other_secret))
    assert len(errors) == 1 and "feedback.open311.api_key_env" in errors[0], errors
