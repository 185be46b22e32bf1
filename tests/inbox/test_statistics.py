"""Answer times in Finnish working days: holidays, weekends, Finnish time, and the figures."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from kuntasivu_inbox.reports import ServiceRequest
from kuntasivu_inbox.service import Inbox
from kuntasivu_inbox.statistics import site_statistics
from kuntasivu_inbox.workdays import HELSINKI, easter, holidays, is_working_day, working_days_between
from starlette.testclient import TestClient

from .exports import SITE


def local(text: str) -> datetime.datetime:
    """A moment in Finnish time, as the database stores it (UTC)."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=HELSINKI).astimezone(datetime.UTC)


@pytest.mark.parametrize(
    ("year", "sunday"), [(2024, "2024-03-31"), (2025, "2025-04-20"), (2026, "2026-04-05"), (2027, "2027-03-28")]
)
def test_easter(year: int, sunday: str) -> None:
    assert easter(year) == datetime.date.fromisoformat(sunday)


def test_the_finnish_days_off_of_2026() -> None:
    weekdays_off = sorted(str(day) for day in holidays(2026) if day.weekday() < 5)
    assert weekdays_off == [
        "2026-01-01",  # New Year's Day (Thu)
        "2026-01-06",  # Epiphany (Tue)
        "2026-04-03",  # Good Friday
        "2026-04-06",  # Easter Monday
        "2026-05-01",  # May Day (Fri)
        "2026-05-14",  # Ascension Day (Thu)
        "2026-06-19",  # Midsummer Eve (Fri)
        "2026-12-24",  # Christmas Eve (Thu)
        "2026-12-25",  # Christmas Day (Fri)
    ]  # Midsummer Day and All Saints' Day are Saturdays, Independence Day and St Stephen's a Sunday
    assert not is_working_day(datetime.date(2026, 5, 14)) and is_working_day(datetime.date(2026, 5, 15))


def test_working_days_skip_weekends_and_holidays_in_finnish_time() -> None:
    assert working_days_between(local("2026-05-08T15:00"), local("2026-05-11T09:00")) == 1  # Fri → Mon
    assert working_days_between(local("2026-05-13T10:00"), local("2026-05-18T10:00")) == 2  # over Ascension Day
    assert working_days_between(local("2026-05-11T08:00"), local("2026-05-11T16:00")) == 0  # the same day
    # Sunday 22.30 UTC is already Monday 01.30 in Finland: answered on Monday is the same day
    sunday_night = datetime.datetime(2026, 5, 10, 22, 30, tzinfo=datetime.UTC)
    assert working_days_between(sunday_night, local("2026-05-11T12:00")) == 0


def report(number: int, code: str, sent: str, replied: str | None) -> ServiceRequest:
    at = local(sent)
    return ServiceRequest(
        id=f"r{number}",
        site=SITE,
        service_code=code,
        lang="fi",
        status="closed" if replied else "open",
        status_notes="Korjattu." if replied else None,
        description="Kuvaus",
        lat=61.3,
        long=22.6,
        address_string=None,
        address_id=None,
        attributes={},
        contact={},
        media_url=None,
        requested_at=at,
        updated_at=at,
        first_reply_at=local(replied) if replied else None,
    )


def test_figures_on_reports_with_known_dates(service: Inbox) -> None:
    feedback = service.feedback.get(SITE)
    assert feedback is not None
    reports = [
        report(1, "katuvalot", "2026-05-08T15:00", "2026-05-11T09:00"),  # Fri → Mon: 1
        report(2, "katuvalot", "2026-05-13T10:00", "2026-05-18T10:00"),  # over Ascension Day: 2
        report(3, "katuvalot", "2026-05-12T10:00", "2026-05-18T10:00"),  # 3: still on time
        report(4, "katuvalot", "2026-05-11T10:00", "2026-05-18T10:00"),  # 4: late
        dataclasses.replace(
            report(7, "katuvalot", "2026-05-11T12:00", "2026-05-11T12:00"),
            requested_at=datetime.datetime(2026, 5, 10, 22, 30, tzinfo=datetime.UTC),  # Monday in Finland: 0
        ),
        report(5, "puistot", "2026-05-11T23:30", None),  # unanswered for more than 3 working days: late
        report(6, "puistot", "2026-05-19T10:00", None),  # sent yesterday: not known yet
    ]
    figures = site_statistics(feedback, reports, local("2026-05-20T12:00"))
    by_code = {c["service_code"]: c for c in figures["categories"]}
    assert {k: v for k, v in by_code["katuvalot"].items() if k != "service_name"} == {
        "service_code": "katuvalot",
        "count": 5,
        "replied": 5,
        "median_working_days": 2,
        "answered_within_3_working_days": 0.8,
        "answer_time_known": 5,
    }
    assert by_code["puistot"]["count"] == 2 and by_code["puistot"]["replied"] == 0
    assert by_code["puistot"]["median_working_days"] is None
    assert by_code["puistot"]["answered_within_3_working_days"] == 0.0
    assert by_code["puistot"]["answer_time_known"] == 1
    assert figures["total"] == {
        "count": 7,
        "replied": 5,
        "median_working_days": 2,
        "answered_within_3_working_days": 0.6667,
        "answer_time_known": 6,
    }


def test_the_statistics_endpoint(client: TestClient, service: Inbox) -> None:
    service.reports.create(report(1, "katuvalot", "2026-05-08T15:00", "2026-05-11T09:00"), 3650, [])
    answer = client.get(f"/statistics/{SITE}.json")
    assert answer.status_code == 200
    body = answer.json()
    assert body["jurisdiction_id"] == SITE and body["promise_working_days"] == 3
    lights = next(c for c in body["categories"] if c["service_code"] == "katuvalot")
    assert lights["count"] == 1 and lights["median_working_days"] == 1
    assert "contact" not in answer.text and "Kuvaus" not in answer.text
    missing = client.get("/statistics/ei-ole.json")
    assert missing.status_code == 404 and "ei-ole" in missing.json()["detail"]
