"""Answer times of location-based feedback per category, in Finnish working days: the numbers
the municipality reports on (the pilot's promise was an answer within 3 working days)."""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .db import now
from .errors import NotFound
from .feedback import Feedback
from .reports import ServiceRequest
from .service import inbox
from .workdays import working_days_between, working_days_later

PROMISE = 3
"""Working days within which a report should get its first answer."""


def figures(requests: Iterable[ServiceRequest], today: datetime.datetime) -> dict[str, Any]:
    """count; replied; the median working days to the first reply (of the replied); and the share
    answered within PROMISE working days, of the reports whose answer time is known: replied,
    or unanswered for longer than PROMISE working days (a report of this morning is neither
    late nor on time yet)."""
    count, days, decided, on_time = 0, [], 0, 0
    for request in requests:
        count += 1
        if request.first_reply_at is not None:
            took = working_days_between(request.requested_at, request.first_reply_at)
            days.append(took)
            decided += 1
            on_time += took <= PROMISE
        elif working_days_later(request.requested_at, PROMISE) < today.date():
            decided += 1
    return {
        "count": count,
        "replied": len(days),
        "median_working_days": statistics.median(days) if days else None,
        "answered_within_3_working_days": round(on_time / decided, 4) if decided else None,
        "answer_time_known": decided,
    }


def site_statistics(feedback: Feedback, requests: list[ServiceRequest], today: datetime.datetime) -> dict[str, Any]:
    by_code: dict[str, list[ServiceRequest]] = {c.code: [] for c in feedback.categories}
    for request in requests:
        by_code.setdefault(request.service_code, []).append(request)
    lang = feedback.languages[0]
    return {
        "jurisdiction_id": feedback.site,
        "generated": today.isoformat(timespec="seconds"),
        "promise_working_days": PROMISE,
        "categories": [
            {
                "service_code": code,
                "service_name": {language: feedback.t(category.name, language) for language in feedback.languages}
                if (category := feedback.category(code)) is not None
                else {lang: code},
                **figures(found, today),
            }
            for code, found in by_code.items()
        ],
        "total": figures(requests, today),
    }


async def view(request: Request) -> Response:
    """GET /statistics/{site}.json: every report the service still keeps (retention bounds it)."""
    service = inbox(request)
    site = str(request.path_params["site"])
    feedback = service.feedback.get(site)
    if feedback is None:
        raise NotFound(f"No location-based feedback for site {site!r}.")
    requests = await run_in_threadpool(service.reports.find, site)
    return JSONResponse(site_statistics(feedback, requests, now()), headers={"Cache-Control": "max-age=300"})
