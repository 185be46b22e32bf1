"""The staff API for Open311 service requests (Bearer token, the token's municipality only):
list them with their private contact details, reply, close, and move them to another category."""

from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .body import MalformedBody, read_body, read_form
from .errors import NotFound
from .forms import SLUG
from .open311 import MAX_DESCRIPTION, REQUEST_ID
from .reports import STATUSES, Change, ServiceRequest, owner_mail, reply_mail
from .service import inbox
from .staff_api import BadQuery, staff_site
from .store import Mail

CHANGES = ("status", "status_notes", "service_code")


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
    """The body as JSON ({"status": "closed", …}) or as a form; only the known names, once each."""
    settings = inbox(request).settings
    if request.headers.get("content-type", "").split(";")[0].strip().lower() == "application/json":
        try:
            given = json.loads(await read_body(request, settings.body_limit))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise MalformedBody("The body is not valid JSON.") from None
        if not isinstance(given, dict) or not all(isinstance(v, str) for v in given.values()):
            raise BadQuery("Send a JSON object of strings: status, status_notes, service_code.")
        fields = {str(k): v for k, v in given.items()}
    else:
        form = await read_form(request, body_limit=settings.body_limit, max_fields=settings.max_fields)
        if any(len(v) > 1 for v in form.values()):
            raise BadQuery("Give each of status, status_notes, service_code at most once.")
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
    fields = await _changes(request)
    feedback = service.feedback.get(site)
    if "status" in fields and fields["status"] not in STATUSES:
        raise BadQuery(f"status must be one of {', '.join(STATUSES)}.")
    if len(fields.get("status_notes", "")) > MAX_DESCRIPTION:
        raise BadQuery(f"status_notes may be at most {MAX_DESCRIPTION} characters.")
    code = fields.get("service_code")
    if code is not None and (feedback is None or feedback.category(code) is None):
        raise BadQuery("service_code is not a category of this municipality's feedback.")
    change = Change(status=fields.get("status"), status_notes=fields.get("status_notes"), service_code=code)

    def mails(before: ServiceRequest, after: ServiceRequest) -> list[Mail]:
        if feedback is None:
            return []
        found = []
        if after.service_code != before.service_code:
            found.append(owner_mail(feedback, after, moved=True))
        if after.status_notes and after.status_notes != before.status_notes:
            found.append(reply_mail(feedback, after, after.status_notes))
        return [m for m in found if m is not None]

    changed = await run_in_threadpool(service.reports.change, site, request_id, change, mails)
    if changed is None:
        raise NotFound("No such service request for this municipality.")
    service.outbox.wake.set()
    return JSONResponse(changed.staff_json(), headers={"Cache-Control": "no-store"})
