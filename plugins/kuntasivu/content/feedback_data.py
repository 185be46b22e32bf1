"""What the receiving service knows about a site's feedback, read at build time: the answer-time
statistics (GET {inbox_url}statistics/{slug}.json) and the reports staff approved for the
public list (Open311 GET {inbox_url}open311/v2/requests.json).

The build asks only when told to (``kuntasivu build --fetch-feedback``), so a build never
depends on the service being up: without the data the pages say where the current figures are.
A failed fetch is reported, never fatal; half-read data is never shown.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from .feedback_export import exported
from .loading import Content

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10.0
FIGURES = ("count", "replied", "median_working_days", "answered_within_3_working_days", "answer_time_known")


class FeedbackDataError(ValueError):
    """The service answered something this build cannot show."""


@dataclass(frozen=True)
class FeedbackData:
    statistics: dict[str, Any] | None
    """statistics/{slug}.json as the service wrote it (checked by check_statistics)."""
    reports: list[dict[str, Any]] | None
    """Open311 service requests approved for publishing, newest first; None: not asked or not read."""


def statistics_url(content: Content) -> str:
    return f"{content.site.item.inbox_url}statistics/{content.slug}.json"


def reports_url(content: Content, today: dt.date | None = None) -> str:
    """Open311's list of approved reports over the whole retention (its default is 90 days)."""
    feedback = content.site.item.feedback
    assert feedback is not None
    start = (today or dt.date.today()) - dt.timedelta(days=feedback.retention_days)
    query = urlencode({"jurisdiction_id": content.slug, "start_date": f"{start.isoformat()}T00:00:00Z"})
    return f"{content.site.item.inbox_url}open311/v2/requests.json?{query}"


def _get(url: str, timeout: float) -> Any:
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "kuntasivu-build"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read(5_000_000).decode("utf-8"))


def _number(value: Any, *, none: bool) -> bool:
    if value is None:
        return none
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def check_statistics(data: Any) -> dict[str, Any]:
    """The statistics, or FeedbackDataError saying what is wrong with them."""
    if not isinstance(data, dict) or not isinstance(data.get("categories"), list):
        raise FeedbackDataError("statistics: expected an object with 'categories'")
    for index, row in enumerate([*data["categories"], data.get("total")]):
        where = f"categories[{index}]" if index < len(data["categories"]) else "total"
        if not isinstance(row, dict):
            raise FeedbackDataError(f"statistics: {where} is not an object")
        for name in FIGURES:
            if not _number(row.get(name), none=name in ("median_working_days", "answered_within_3_working_days")):
                raise FeedbackDataError(f"statistics: {where}.{name} is not a number")
        if where != "total" and not isinstance(row.get("service_code"), str):
            raise FeedbackDataError(f"statistics: {where}.service_code is missing")
    if not isinstance(data.get("generated"), str):
        raise FeedbackDataError("statistics: 'generated' is missing")
    return data


def check_reports(data: Any) -> list[dict[str, Any]]:
    """Open311 requests with the fields the list shows, or FeedbackDataError."""
    if not isinstance(data, list):
        raise FeedbackDataError("requests: expected a list of service requests")
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            raise FeedbackDataError(f"requests[{index}] is not an object")
        for name in ("service_request_id", "service_code", "status", "description", "requested_datetime"):
            if not isinstance(item.get(name), str):
                raise FeedbackDataError(f"requests[{index}].{name} is missing")
    return data


def fetch_feedback_data(content: Content, timeout: float = TIMEOUT_SECONDS) -> FeedbackData | None:
    """Both documents from the service, each None when it could not be read (and logged)."""
    if not exported(content):
        return None
    feedback = content.site.item.feedback
    assert feedback is not None
    wanted: list[tuple[str, str, Callable[[Any], Any]]] = [("statistics", statistics_url(content), check_statistics)]
    if feedback.public_list:
        wanted.append(("reports", reports_url(content), check_reports))
    found: dict[str, Any] = {"statistics": None, "reports": None}
    for name, url, check in wanted:
        try:
            found[name] = check(_get(url, timeout))
        except (OSError, http.client.HTTPException, ValueError) as problem:  # JSON and shape errors are ValueErrors
            log.info("%s: could not read %s (%s); the page says where to find them", content.slug, url, problem)
    return FeedbackData(statistics=found["statistics"], reports=found["reports"])
