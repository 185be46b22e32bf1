"""The feedback widget's page block: what the component renders (feedback_view), where it is
shown, and the content errors of a page that shows it on a site that cannot have it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from kuntasivu.content.feedback_export import widget_texts
from kuntasivu.content.feedback_view import TEXT_KEYS, feedback_view, widget_pages
from kuntasivu.content.loading import load_content
from kuntasivu.content.pages import page_sources

from tests.conftest import ROOT, SHARED, make_project
from tests.content.test_feedback import FEEDBACK, with_feedback
from tests.content.test_forms import errors_of, with_inbox
from tests.test_cli import build

PAGE = """id: palaute
section: palvelut
title: Palaute kartalla
summary: Kerro, missä on vika.
blocks:
  - type: faq
    items:
      - question: Kuka vastaa?
        answer: Kunnan tekninen toimi.
  - type: feedback
"""
"""A page whose second block is the widget: the block's type is on line 10, column 11."""

NO_FEEDBACK_NOR_INBOX = (
    "pages/palaute.yml:10:11: blocks[1].type: the feedback block needs feedback: (the categories and the map)"
    " and inbox_url (the address of the service that receives the reports) in site.yml;"
    " municipalities/karvia/site.yml shows how"
)


def with_page(municipality: Path, text: str = PAGE, name: str = "palaute.yml") -> Path:
    (municipality / "pages" / name).write_text(text, "utf-8")
    return municipality


def karvia_view(lang: str = "fi") -> dict[str, object]:
    return feedback_view(load_content(ROOT / "municipalities" / "karvia", SHARED), lang)


# --- the view -----------------------------------------------------------------------------------


def test_karvia_view_posts_to_the_service_and_names_fields_as_the_protocol_does() -> None:
    content = load_content(ROOT / "municipalities" / "karvia", SHARED)
    view = feedback_view(content, "fi")
    assert view["action"] == "https://lomakkeet.karvia.fi/feedback/karvia"
    assert [c["code"] for c in view["categories"]] == ["katuvalot", "tiet", "talvikunnossapito", "roskat", "puistot"]
    lights = view["categories"][0]
    assert lights["group"] == "Kadut ja liikenne" and lights["name"] == "Katuvalot"
    assert lights["questions_legend"] == "Lisätietoja aiheesta Katuvalot"
    pole, fault = lights["questions"]
    assert pole == {
        "name": "attribute[pylvasnumero]",
        "type": "text",
        "label": "Pylvään numero",
        "hint": "Numero on pylvään kyljessä noin kahden metrin korkeudella. Jos et näe sitä, jätä tyhjäksi.",
        "required": False,
        "autocomplete": None,
        "min_length": None,
        "max_length": 500,
    }
    assert fault["name"] == "attribute[vika]" and fault["type"] == "radios" and fault["required"] is True
    assert fault["options"][0] == {"value": "pimea", "label": "Valo ei pala", "capacity": None}
    fields = view["fields"]
    assert list(fields) == ["description", "address_string", "name", "email", "phone"]
    assert {name: field["max_length"] for name, field in fields.items()} == {
        "description": 4000,
        "address_string": 500,
        "name": 200,
        "email": 254,
        "phone": 50,
    }
    assert fields["description"]["required"] and not fields["address_string"]["required"]
    assert fields["address_string"]["label"] == "Osoite tai paikan kuvaus"
    assert fields["address_string"]["autocomplete"] is None  # the place is not the resident's own address
    assert [fields[n]["autocomplete"] for n in ("name", "email", "phone")] == ["name", "email", "tel"]
    assert (fields["email"]["type"], fields["phone"]["type"]) == ("email", "tel")


def test_karvia_view_carries_the_map_texts_and_where_a_report_ends() -> None:
    content = load_content(ROOT / "municipalities" / "karvia", SHARED)
    view = feedback_view(content, "fi")
    feedback = content.site.item.feedback
    assert feedback is not None
    assert view["map"]["bounds"] == list(feedback.map.area()) == [61.95, 22.25, 62.35, 22.95]
    assert view["map"]["centre"] == [62.1372, 22.5607] and view["map"]["zoom"] == 13
    assert view["map"]["tiles"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert view["map"]["attribution"] == "© OpenStreetMap contributors"
    places = view["map"]["places"]
    assert 8 <= len(places) <= 12
    assert places[0] == {"name": "Kunnanvirasto, Karviantie 19", "at": [62.1365, 22.562]}
    south, west, north, east = feedback.map.area()
    assert all(south <= lat <= north and west <= long <= east for lat, long in (p["at"] for p in places))
    texts = view["texts"]
    assert set(texts) == set(TEXT_KEYS)
    assert texts == {key: widget_texts(content, "fi")[key] for key in TEXT_KEYS}
    assert texts["send"] == "Lähetä palaute"  # feedback.send overrides forms.send
    assert texts["required"] == "Täytä kohta ”{label}”."  # from forms.*, the same as the service's
    assert view["thanks"] == content.texts["fi"]["feedback.thanks"]
    assert view["thanks_url"] == "lomakkeet/palaute-kartalla/kiitos/"
    assert view["privacy"] == {"title": "Verkkosivuston tietosuojaseloste", "url": "tietosuoja/"}
    assert view["retention"] == "Säilytämme lähettämäsi tiedot 730 päivää. Sen jälkeen ne poistetaan."


def test_the_karvia_page_shows_the_widget_and_no_other_page_does() -> None:
    content = load_content(ROOT / "municipalities" / "karvia", SHARED)
    assert widget_pages(content) == ["palaute-kartalla"]
    sources = {source.url: source for source in page_sources(content)}
    page = sources["asuminen/palaute-kartalla/"]
    assert page.title == "Ilmoita viasta kadulla tai puistossa"
    assert page.context["feedback_widget"] == feedback_view(content, "fi")
    assert [block["type"] for block in page.context["blocks"]] == ["feedback"]
    # Only this page loads the map's scripts (main.html looks at feedback_widget).
    assert [s.url for s in sources.values() if s.context.get("feedback_widget")] == [page.url]


def test_categories_of_a_group_stand_together_in_the_order_groups_first_appear(make_municipality) -> None:
    grouped = (
        FEEDBACK.replace("      name: Katuvalot\n", "      name: Katuvalot\n      group: Kadut\n").replace(
            "      name: Roska-astiat\n", "      name: Roska-astiat\n      group: Ympäristö\n"
        )
        + """    - code: yleinen
      name: Muu asia
      description: Jokin muu.
      owner: kirjaamo@pieni.fi
    - code: aukiot
      group: Kadut
      name: Aukiot
      description: Tori ja aukiot.
      owner: tekninen@pieni.fi
"""
    )
    content = load_content(with_page(with_feedback(with_inbox(make_municipality("pieni")), grouped)), SHARED)
    view = feedback_view(content, "fi")
    assert [(c["group"], c["code"]) for c in view["categories"]] == [
        ("Kadut", "katuvalot"),
        ("Kadut", "aukiot"),
        ("Ympäristö", "roskat"),
        (None, "yleinen"),
    ]
    assert view["categories"][3]["questions"] == []
    assert view["map"]["places"] == []  # none given: only the coordinates are said


def test_a_bilingual_site_gets_the_widget_in_each_language(make_municipality) -> None:
    bilingual = """feedback:
  map:
    centre: [60.25, 24.06]
    places:
      - {name: {fi: Kunnantalo, sv: Kommungården}, at: [60.251, 24.061]}
  categories:
    - code: puistot
      name: {fi: Puistot, sv: Parker}
      description: {fi: Rikkinäinen penkki., sv: En trasig bänk.}
      owner: tekninen@kaksikielinen.fi
      questions:
        - code: maara
          type: number
          label: {fi: "Montako?", sv: "Hur många?"}
        - code: milloin
          type: date
          label: {fi: "Milloin?", sv: "När?"}
        - code: mita
          type: choices
          label: {fi: "Mikä on rikki?", sv: "Vad är trasigt?"}
          options:
            - {value: penkki, label: {fi: Penkki, sv: Bänk}}
"""
    municipality = make_municipality("kaksikielinen")
    with_page(with_feedback(with_inbox(municipality, "https://lomakkeet.kaksikielinen.fi/"), bilingual))
    page = municipality / "pages" / "palaute.yml"
    page.write_text(
        page.read_text("utf-8")
        .replace("title: Palaute kartalla", "title: {fi: Palaute kartalla, sv: Respons på kartan}")
        .replace(
            "summary: Kerro, missä on vika.", 'summary: {fi: "Kerro, missä on vika.", sv: "Berätta var felet är."}'
        )
        .replace("question: Kuka vastaa?", 'question: {fi: "Kuka vastaa?", sv: "Vem svarar?"}')
        .replace("answer: Kunnan tekninen toimi.", "answer: {fi: Tekninen toimi., sv: Tekniska väsendet.}"),
        "utf-8",
    )
    content = load_content(municipality, SHARED)
    swedish = feedback_view(content, "sv")
    assert swedish["action"] == "https://lomakkeet.kaksikielinen.fi/feedback/kaksikielinen"
    assert swedish["texts"]["send"] == "Skicka respons"
    assert swedish["categories"][0]["name"] == "Parker"
    assert swedish["categories"][0]["questions_legend"] == "Mer om ämnet Parker"
    number, date, choices = swedish["categories"][0]["questions"]
    assert (number["type"], number["integer"], number["max_length"]) == ("number", False, None)
    assert (date["type"], date["min"], date["max"]) == ("date", None, None)
    assert (choices["type"], choices["name"], choices["options"][0]["label"]) == (
        "checkboxes",
        "attribute[mita]",
        "Bänk",
    )
    assert swedish["map"]["places"] == [{"name": "Kommungården", "at": [60.251, 24.061]}]
    assert swedish["thanks_url"] == "sv/blanketter/palaute-kartalla/tack/"
    assert swedish["privacy"]["url"] == "sv/dataskydd/"
    sources = {(s.lang, s.url): s for s in page_sources(content)}
    assert sources[("sv", "sv/tjanster/palaute/")].context["feedback_widget"] == swedish
    assert sources[("fi", "palvelut/palaute/")].context["feedback_widget"]["categories"][0]["name"] == "Puistot"


# --- content errors ---------------------------------------------------------------------------------


def test_the_block_on_a_site_without_feedback_nor_inbox_is_an_error_at_the_block(make_municipality) -> None:
    assert errors_of(with_page(make_municipality("pieni"))) == [NO_FEEDBACK_NOR_INBOX]


def test_the_block_needs_feedback_in_site_yml(make_municipality) -> None:
    assert errors_of(with_page(with_inbox(make_municipality("pieni")))) == [
        "pages/palaute.yml:10:11: blocks[1].type: the feedback block needs feedback: (the categories and the map)"
        " in site.yml; municipalities/karvia/site.yml shows how"
    ]


def test_the_block_needs_the_service_as_well(make_municipality) -> None:
    errors = errors_of(with_page(with_feedback(make_municipality("pieni"))))
    assert errors == [
        "pages/palaute.yml:10:11: blocks[1].type: the feedback block needs inbox_url (the address of the service"
        " that receives the reports) in site.yml; municipalities/karvia/site.yml shows how",
        "site.yml:35:3: feedback: feedback needs inbox_url in site.yml: the address of the service that receives"
        " reports",
    ]


def test_one_widget_per_page_and_no_form_beside_it(make_municipality) -> None:
    twice = PAGE + "  - type: feedback\n"
    with_form = PAGE.replace("id: palaute", "id: lomake").replace(
        "blocks:\n", "blocks:\n  - type: form\n    form: palaute\n"
    )
    municipality = with_feedback(with_inbox(make_municipality("pieni")))
    with_page(with_page(municipality, twice), with_form, "lomake.yml")
    assert errors_of(municipality) == [
        "pages/lomake.yml:12:11: blocks[2].type: a page with the feedback block cannot have a form too;"
        " put the form on a page of its own",
        "pages/palaute.yml:11:11: blocks[2].type: a page can have only one feedback block; remove this one",
    ]


def test_a_site_without_the_block_has_no_widget_pages(make_municipality) -> None:
    content = load_content(with_feedback(with_inbox(make_municipality("pieni"))), SHARED)
    assert widget_pages(content) == []
    assert all(source.context.get("feedback_widget") is None for source in page_sources(content))


# --- the build ----------------------------------------------------------------------------------------


@pytest.fixture
def feedback_project(tmp_path: Path) -> Path:
    """A project whose pieni shows the widget, with its own node_modules folder to break."""
    project = make_project(tmp_path / "project", ("pieni",))
    with_page(with_feedback(with_inbox(project / "municipalities" / "pieni")))
    (project / "node_modules").unlink()
    shutil.copytree(ROOT / "node_modules" / "leaflet", project / "node_modules" / "leaflet")
    return project


def test_the_build_copies_leaflet_and_the_script_for_the_widget(feedback_project: Path) -> None:
    result = build("pieni", "--today", "2026-11-26", cwd=feedback_project)
    assert result.returncode == 0, result.stderr
    site = feedback_project / "public" / "pieni"
    dist = ROOT / "node_modules" / "leaflet" / "dist"
    # Leaflet's script and style sheet as npm ships them, under fingerprinted names (assets.py).
    (script,) = (site / "assets" / "leaflet").glob("leaflet.*.js")
    (style,) = (site / "assets" / "leaflet").glob("leaflet.*.css")
    assert script.read_bytes() == (dist / "leaflet.js").read_bytes()
    assert style.read_bytes() == (dist / "leaflet.css").read_bytes()
    for name in ("images/marker-icon.png", "images/marker-shadow.png"):
        assert (site / "assets" / "leaflet" / name).read_bytes() == (dist / name).read_bytes(), name
    (feedback,) = (site / "assets").glob("feedback.*.js")  # form_kit.js + feedback.js in one file
    page = (site / "palvelut" / "palaute" / "index.html").read_text("utf-8")
    assert page.index(f"assets/leaflet/{script.name}") < page.index(f"assets/{feedback.name}")
    assert '<form class="ks-feedback__form" method="post" action="https://lomakkeet.pieni.fi/feedback/pieni"' in page
    # Pages without the widget load neither.
    other = (site / "palvelut" / "kirjasto" / "index.html").read_text("utf-8")
    assert "leaflet" not in other and feedback.name not in other


def test_without_leaflet_the_build_fails_and_says_how_to_install_it(feedback_project: Path) -> None:
    shutil.rmtree(feedback_project / "node_modules" / "leaflet")
    result = build("pieni", "--today", "2026-11-26", cwd=feedback_project)
    assert result.returncode == 1
    assert "the feedback map on page 'palaute' needs Leaflet: the npm package leaflet is missing" in result.stderr
    assert "npm ci" in result.stderr and "make site" in result.stderr
    assert not (feedback_project / "public" / "pieni").exists()
