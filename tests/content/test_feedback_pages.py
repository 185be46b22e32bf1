"""The statistics page and the public list of handled feedback: built from what the receiving
service answers at build time, and honest about it when it does not answer."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from kuntasivu.content.feedback_data import FeedbackData, fetch_feedback_data
from kuntasivu.content.feedback_pages import decimal
from kuntasivu.content.loading import load_content
from kuntasivu.content.pages import PageSource, page_sources

from tests.conftest import SHARED
from tests.content.test_feedback import with_feedback
from tests.content.test_forms import with_inbox
from tests.inbox.test_mail import free_port
from tests.serving import serve_folder

STATISTICS = {
    "jurisdiction_id": "pieni",
    "generated": "2026-11-20T08:00:00+00:00",
    "promise_working_days": 3,
    "categories": [
        {
            "service_code": "katuvalot",
            "service_name": {"fi": "Katuvalot"},
            "count": 4,
            "replied": 3,
            "median_working_days": 1.5,
            "answered_within_3_working_days": 0.6667,
            "answer_time_known": 3,
        },
        {
            "service_code": "roskat",
            "service_name": {"fi": "Roska-astiat"},
            "count": 0,
            "replied": 0,
            "median_working_days": None,
            "answered_within_3_working_days": None,
            "answer_time_known": 0,
        },
    ],
    "total": {
        "count": 4,
        "replied": 3,
        "median_working_days": 2,
        "answered_within_3_working_days": 0.6667,
        "answer_time_known": 3,
    },
}
REPORT = {
    "service_request_id": "abcdefgh23",
    "status": "closed",
    "status_notes": "Lamppu vaihdettu.\nKiitos ilmoituksesta!",
    "service_name": "Katuvalot",
    "service_code": "katuvalot",
    "description": "Valo ei pala.",
    "requested_datetime": "2026-11-18T09:30:00+00:00",
    "updated_datetime": "2026-11-19T09:30:00+00:00",
    "address": "Keskustie 5",
    "lat": 60.25,
    "long": 24.06,
}


def pieni(make_municipality: Any, extra: str = "", inbox: str = "https://lomakkeet.pieni.fi/") -> Path:
    return with_feedback(with_inbox(make_municipality("pieni"), inbox), FEEDBACK_WITH_LIST + extra)


FEEDBACK_WITH_LIST = """feedback:
  public_list: true
  map:
    centre: [60.25, 24.06]
  categories:
    - code: katuvalot
      name: Katuvalot
      description: Pimeä tai vilkkuva katuvalo.
      owner: tekninen@pieni.fi
    - code: roskat
      name: Roska-astiat
      description: Täysi roska-astia.
      owner: tekninen@pieni.fi
"""


def page(sources: list[PageSource], kind: str) -> PageSource:
    found = [s for s in sources if s.kind == kind]
    assert len(found) == 1, [s.url for s in sources]
    return found[0]


def test_without_data_the_pages_say_where_the_figures_are(make_municipality: Any) -> None:
    content = load_content(pieni(make_municipality), SHARED)
    sources = page_sources(content)
    statistics = page(sources, "feedback_statistics")
    assert statistics.url == "palautetilastot/"
    assert statistics.context["statistics"] is None
    assert statistics.context["json_url"] == "https://lomakkeet.pieni.fi/statistics/pieni.json"
    reports = page(sources, "feedback_reports")
    assert reports.url == "kasitellyt-palautteet/"
    assert reports.context["reports"] is None


def test_statistics_rows_are_named_and_written_in_the_page_language(make_municipality: Any) -> None:
    content = load_content(pieni(make_municipality), SHARED)
    data = FeedbackData(statistics=STATISTICS, reports=[REPORT])
    statistics = page(page_sources(content, feedback_data=data), "feedback_statistics").context["statistics"]
    lights, bins = statistics["rows"]
    assert lights == {"name": "Katuvalot", "count": 4, "replied": 3, "median": "1,5", "share": "67 %", "percent": 67}
    assert bins["median"] == "ei vielä vastauksia" and bins["share"] is None and bins["percent"] is None
    assert statistics["total"]["name"] == "Kaikki aiheet" and statistics["total"]["median"] == "2"
    assert statistics["updated"] == "20.11.2026"


def test_the_public_list_shows_no_contact_details(make_municipality: Any) -> None:
    content = load_content(pieni(make_municipality), SHARED)
    leaked = {**REPORT, "email": "asukas@example.fi", "first_name": "Aino"}  # a server that should not say these
    data = FeedbackData(statistics=None, reports=[leaked])
    (report,) = page(page_sources(content, feedback_data=data), "feedback_reports").context["reports"]
    assert report["category"] == "Katuvalot" and report["status"] == "Käsitelty"
    assert report["coordinates"] == "60,25000, 24,06000" and report["address"] == "Keskustie 5"
    assert report["reply"].startswith("Lamppu vaihdettu.")
    assert "asukas@example.fi" not in json.dumps(report) and "Aino" not in json.dumps(report)


def test_no_public_list_unless_the_site_asks(make_municipality: Any) -> None:
    municipality = with_feedback(
        with_inbox(make_municipality("pieni")), FEEDBACK_WITH_LIST.replace("  public_list: true\n", "")
    )
    kinds = {s.kind for s in page_sources(load_content(municipality, SHARED))}
    assert "feedback_statistics" in kinds and "feedback_reports" not in kinds


def test_fetches_both_from_the_service(make_municipality: Any, tmp_path: Path) -> None:
    served = tmp_path / "served"
    (served / "statistics").mkdir(parents=True)
    (served / "statistics" / "pieni.json").write_text(json.dumps(STATISTICS), "utf-8")
    (served / "open311" / "v2").mkdir(parents=True)
    (served / "open311" / "v2" / "requests.json").write_text(json.dumps([REPORT]), "utf-8")
    with serve_folder(served) as url:
        content = load_content(pieni(make_municipality, inbox=url), SHARED)
        data = fetch_feedback_data(content, timeout=5)
    assert data == FeedbackData(statistics=STATISTICS, reports=[REPORT])


@pytest.mark.parametrize(
    ("statistics", "problem"),
    [
        ("{not json", "Expecting property name"),
        (json.dumps({**STATISTICS, "total": {**STATISTICS["total"], "count": "4"}}), "total.count is not a number"),
        (json.dumps({"categories": [{}]}), "categories[0].count is not a number"),
    ],
)
def test_an_answer_it_cannot_show_is_reported_and_left_out(
    make_municipality: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture, statistics: str, problem: str
) -> None:
    served = tmp_path / "served"
    (served / "statistics").mkdir(parents=True)
    (served / "statistics" / "pieni.json").write_text(statistics, "utf-8")
    with serve_folder(served) as url, caplog.at_level(logging.INFO, "kuntasivu"):
        content = load_content(pieni(make_municipality, inbox=url), SHARED)
        data = fetch_feedback_data(content, timeout=5)
    assert data == FeedbackData(statistics=None, reports=None)  # requests.json is missing: a 404
    assert problem in caplog.text and f"{url}statistics/pieni.json" in caplog.text
    assert "HTTP Error 404" in caplog.text


def test_a_service_that_is_down_does_not_stop_the_build(make_municipality: Any) -> None:
    content = load_content(pieni(make_municipality, inbox=f"http://127.0.0.1:{free_port()}/"), SHARED)
    assert fetch_feedback_data(content, timeout=5) == FeedbackData(statistics=None, reports=None)


@pytest.mark.parametrize(("value", "lang", "written"), [(1.5, "fi", "1,5"), (2.0, "sv", "2"), (0.75, "en", "0.8")])
def test_decimals(value: float, lang: str, written: str) -> None:
    assert decimal(value, lang) == written


def test_a_site_that_forwards_its_reports_has_no_figures_to_show(make_municipality: Any) -> None:
    # The other Open311 system answers the reports, so the service here never sees a reply.
    forwarding = "  open311:\n    endpoint: https://palaute.seutu.fi/open311/v2/\n"
    municipality = with_feedback(
        with_inbox(make_municipality("pieni")), FEEDBACK_WITH_LIST.replace("feedback:\n", "feedback:\n" + forwarding)
    )
    kinds = {s.kind for s in page_sources(load_content(municipality, SHARED))}
    assert not kinds & {"feedback_statistics", "feedback_reports"}
