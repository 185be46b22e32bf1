"""The staff API (Authorization: Bearer <token>): a token sees only its own municipality."""

from __future__ import annotations

import csv
import io
import json
import re

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .errors import NotFound, Refusal
from .service import Inbox, inbox
from .store import Submission
from .tokens import hash_token

STATUSES = ("new", "handled")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Unauthorized(Refusal):
    status_code = 401

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="kuntasivu-inbox"'})


class BadQuery(Refusal):
    status_code = 400


async def site_of_token(service: Inbox, token: str) -> str | None:
    if not token or len(token) > 200:
        return None
    return await run_in_threadpool(service.store.token_site, hash_token(token))


async def staff_site(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Send a staff token: Authorization: Bearer <token>.")
    site = await site_of_token(inbox(request), token.strip())
    if site is None:
        raise Unauthorized("The staff token is not valid or has been revoked.")
    return site


FORM_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SUBMISSION_ID = re.compile(r"[0-9a-f]{32}")


def form_filter(request: Request) -> str | None:
    """?form=, which must look like a form id (never passed on to the database otherwise)."""
    form = request.query_params.get("form") or None
    if form is not None and not FORM_ID.fullmatch(form):
        raise BadQuery("form must be a form id such as 'palaute' (lower-case letters, digits, hyphens).")
    return form


def submission_id(request: Request) -> str:
    """The {id} of the path: 32 hexadecimal digits, else there is no such submission."""
    given = str(request.path_params["id"])
    if not SUBMISSION_ID.fullmatch(given):
        raise NotFound("No such submission for this municipality.")
    return given


async def _selection(request: Request) -> list[Submission]:
    site = await staff_site(request)
    form = form_filter(request)
    status = request.query_params.get("status") or None
    if status is not None and status not in STATUSES:
        raise BadQuery(f"status must be one of {', '.join(STATUSES)}.")
    return await run_in_threadpool(inbox(request).store.find, site, form=form, status=status)


async def list_submissions(request: Request) -> Response:
    return JSONResponse({"submissions": [s.as_json() for s in await _selection(request)]})


async def _one(request: Request) -> Submission:
    site = await staff_site(request)
    found = await run_in_threadpool(inbox(request).store.get, site, submission_id(request))
    if found is None:
        raise NotFound("No such submission for this municipality.")
    return found


async def get_submission(request: Request) -> Response:
    return JSONResponse((await _one(request)).as_json())


async def mark_handled(request: Request) -> Response:
    submission = await _one(request)
    await run_in_threadpool(inbox(request).store.mark_handled, submission.site, submission.id)
    return JSONResponse((await _one(request)).as_json())


def neutralise(cell: str) -> str:
    """A spreadsheet must not read a cell as a formula."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def to_csv(rows: list[Submission]) -> str:
    fixed = ["id", "form", "lang", "status", "created_at", "handled_at"]
    names = list(dict.fromkeys(name for s in rows for name in s.data))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(fixed + names)
    for s in rows:
        record = s.as_json()
        cells = [str(record[k] or "") for k in fixed]
        for name in names:
            value = s.data.get(name, "")
            cells.append("; ".join(value) if isinstance(value, list) else value)
        writer.writerow([neutralise(c) for c in cells])
    return out.getvalue()


async def export_csv(request: Request) -> Response:
    rows = await _selection(request)
    return Response(
        to_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="submissions.csv"', "Cache-Control": "no-store"},
    )


async def export_json(request: Request) -> Response:
    rows = await _selection(request)
    body = json.dumps([s.as_json() for s in rows], ensure_ascii=False, indent=1)
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="submissions.json"', "Cache-Control": "no-store"},
    )
