"""The staff API for Open311 service requests (Bearer token, the token's municipality only):
list them with their private contact details, reply, close, move them to another category and
approve them for the public list. ``to_change`` and ``apply_change`` are the one change path;
the staff page (staff_pages.py) uses them too."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .body import MalformedBody, read_body, read_form
from .errors import NotFound
from .feedback import Feedback
from .forms import SLUG
from .open311 import MAX_DESCRIPTION, REQUEST_ID
from .reports import STATUSES, Change, ServiceRequest, owner_mail, reply_mail
from .service import Inbox, inbox
from .staff_api import BadQuery, staff_site
from .store import Mail

CHANGES = ("status", "status_notes", "service_code", "published")
PUBLISHED = {"true": True, "false": False}


@dataclass(frozen=True)
class Problem:
    field: str
    """One of CHANGES."""
    code: str
    """What is wrong, for the staff page's message (texts: error_<code>)."""
    detail: str
    """The same in English, for the API."""


class InvalidChange(BadQuery):
    """Raised by to_change with every problem of the values at once."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(" ".join(p.detail for p in problems))
        self.problems = problems


def clean_notes(text: str) -> str:
    """A reply as stored: a browser sends a textarea's line breaks as CRLF, the API as given."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def to_change(feedback: Feedback | None, fields: Mapping[str, str]) -> Change:
    """The change that ``fields`` (names of CHANGES; published "true" or "false") ask for.
    Whether the result may be published depends on the stored report: Reports.change decides."""
    problems = []
    status = fields.get("status")
    if status is not None and status not in STATUSES:
        problems.append(Problem("status", "status", f"status must be one of {', '.join(STATUSES)}."))
    notes = fields.get("status_notes")
    if notes is not None:
        notes = clean_notes(notes)
        if len(notes) > MAX_DESCRIPTION:
            detail = f"status_notes may be at most {MAX_DESCRIPTION} characters."
            problems.append(Problem("status_notes", "reply_too_long", detail))
    code = fields.get("service_code")
    if code is not None and (feedback is None or feedback.category(code) is None):
        detail = "service_code is not a category of this municipality's feedback."
        problems.append(Problem("service_code", "category", detail))
    published = fields.get("published")
    if published is not None and published not in PUBLISHED:
        problems.append(Problem("published", "published", "published must be true or false."))
    if problems:
        raise InvalidChange(problems)
    return Change(
        status=status,
        status_notes=notes,
        service_code=code,
        published=None if published is None else PUBLISHED[published],
    )


@dataclass(frozen=True)
class Changed:
    before: ServiceRequest
    after: ServiceRequest
    reply_mailed: bool
    """A reply mail to the reporter was queued with the change."""
    owner_notified: bool
    """The new category's owner was notified of the move."""


async def apply_change(service: Inbox, site: str, request_id: str, change: Change) -> Changed:
    """Store the change and queue its mails in one transaction: a new reply to a reporter who
    left an e-mail, a move to the new category's owner. NotFound for another site's report;
    NotPublishable (Reports.change) leaves everything as it was."""
    feedback = service.feedback.get(site)
    seen: list[ServiceRequest] = []
    queued: dict[str, Mail] = {}

    def mails(before: ServiceRequest, after: ServiceRequest) -> list[Mail]:
        seen.append(before)
        if feedback is None:
            return []
        moved = owner_mail(feedback, after, moved=True) if after.service_code != before.service_code else None
        new_reply = after.status_notes and after.status_notes != before.status_notes
        reply = reply_mail(feedback, after, after.status_notes) if new_reply and after.status_notes else None
        queued.update({kind: mail for kind, mail in (("owner", moved), ("reply", reply)) if mail is not None})
        return list(queued.values())

    changed = await run_in_threadpool(service.reports.change, site, request_id, change, mails)
    if changed is None:
        raise NotFound("No such service request for this municipality.")
    service.outbox.wake.set()
    return Changed(seen[0], changed, "reply" in queued, "owner" in queued)


async def list_requests(request: Request) -> Response:
    site = await staff_site(request)
    status = request.query_params.get("status") or None
    if status is not None and status not in STATUSES:
        raise BadQuery(f"status must be one of {', '.join(STATUSES)}.")
    code = request.query_params.get("service_code") or None
    if code is not None and not SLUG.match(code):
        raise BadQuery("service_code must be a category code such as 'katuvalot'.")
    found = await run_in_threadpool(
        inbox(request).reports.find, site, statuses=[status] if status else None, codes=[code] if code else None
    )
    return JSONResponse({"requests": [r.staff_json() for r in found]}, headers={"Cache-Control": "no-store"})


async def _changes(request: Request) -> dict[str, str]:
    """The body as JSON ({"status": "closed", "published": true, …}) or as a form; only the
    known names, once each. published is true or false (JSON booleans, or the words)."""
    settings = inbox(request).settings
    if request.headers.get("content-type", "").split(";")[0].strip().lower() == "application/json":
        try:
            given = json.loads(await read_body(request, settings.body_limit))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise MalformedBody("The body is not valid JSON.") from None
        if not isinstance(given, dict) or not all(
            isinstance(v, str) or (k == "published" and isinstance(v, bool)) for k, v in given.items()
        ):
            raise BadQuery("Send a JSON object: strings status, status_notes, service_code; published true or false.")
        fields = {str(k): ("true" if v else "false") if isinstance(v, bool) else v for k, v in given.items()}
    else:
        form = await read_form(request, body_limit=settings.body_limit, max_fields=settings.max_fields)
        if any(len(v) > 1 for v in form.values()):
            raise BadQuery(f"Give each of {', '.join(CHANGES)} at most once.")
        fields = {k: v[0] for k, v in form.items()}
    unknown = sorted(k for k in fields if k not in CHANGES)
    if unknown or not fields:
        wrong = f", not {', '.join(unknown)}" if unknown else ""
        raise BadQuery(f"Send one or more of {', '.join(CHANGES)}{wrong}.")
    return {k: v.strip() for k, v in fields.items()}


async def change_request(request: Request) -> Response:
    site = await staff_site(request)
    service = inbox(request)
    request_id = str(request.path_params["id"])
    if not REQUEST_ID.fullmatch(request_id):
        raise NotFound("No such service request for this municipality.")
    change = to_change(service.feedback.get(site), await _changes(request))
    changed = await apply_change(service, site, request_id, change)
    return JSONResponse(changed.after.staff_json(), headers={"Cache-Control": "no-store"})
