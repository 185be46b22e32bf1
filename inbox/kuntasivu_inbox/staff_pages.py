"""The staff pages, without JavaScript: the token is entered once and kept in an HttpOnly,
SameSite=Strict cookie; the buttons are forms with a CSRF token bound to that cookie.
/staff lists form submissions, /staff/reports location-based feedback (Open311 service
requests), where staff reply, close, re-route and approve reports for the public list."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from functools import cache
from importlib.resources import files
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from .body import read_form
from .errors import NotFound, Refusal
from .feedback import Feedback, Question
from .forms import SLUG, Form
from .open311 import MAX_DESCRIPTION, REQUEST_ID
from .pages import render
from .reports import STATUSES as REPORT_STATUSES
from .reports import NotPublishable, ServiceRequest, osm_link
from .service import Inbox, inbox
from .staff_api import STATUSES, BadQuery, form_filter, site_of_token, submission_id
from .staff_requests import Changed, InvalidChange, apply_change, clean_notes, to_change
from .tokens import csrf_token, csrf_valid, hash_token

COOKIE = "ks_staff"
LANG_COOKIE = "ks_staff_lang"
FORM_LIMIT = 4096
LANGUAGES = ("fi", "sv", "en")
"""The staff page's languages (texts/<lang>.json); the first is the default."""
LANGUAGE_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}
PAGES = ("/staff", "/staff/reports")
"""Where signing in may lead (the page that asked for it); nothing else, so no open redirect."""
REPORT_LIMIT = 200
REPORT_FIELDS = (
    "csrf",
    "status_notes",
    "status",
    "service_code",
    "published",
    "shown_notes",
    "shown_status",
    "shown_service_code",
    "shown_published",
)
"""The names of a report's form on the staff page: the values, and what the page showed."""
DONE = (
    "reply_mailed",
    "reply_saved",
    "reply_not_mailed",
    "reply_removed",
    "closed",
    "opened",
    "moved",
    "published",
    "withdrawn",
    "left_list",
)
"""What a saved change did, told on the page after the redirect (texts: done_<key>)."""
CONTACT_KEYS = ("name", "first_name", "last_name", "email", "phone", "device_id", "account_id")
"""Contact details the page names (texts: contact_<key>); any other is shown by its key."""
LINKABLE = re.compile(r"https?://[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+")
"""A media_url made only of URL characters is a link; anything else a resident sent is text."""


@cache
def _texts(lang: str) -> dict[str, str]:
    return dict(json.loads(files("kuntasivu_inbox").joinpath("texts", f"{lang}.json").read_text("utf-8")))


def staff_language(request: Request) -> str:
    """?lang= (remembered in a cookie), else the cookie, else the browser's Accept-Language."""
    for chosen in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if chosen in LANGUAGES:
            return str(chosen)
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return LANGUAGES[0]


def _render(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    lang = staff_language(request)
    texts = _texts(lang)
    response = render(
        template,
        status,
        lang=lang,
        stylesheets=(),
        s=lambda key, **values: texts[key].format(**values),
        languages={code: LANGUAGE_NAMES[code] for code in LANGUAGES},
        **context,
    )
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, httponly=True, samesite="strict", path="/staff")
    return response


class CsrfFailed(Refusal):
    status_code = 403


def _login(request: Request, status: int = 200, error: bool = False, next_page: str = PAGES[0]) -> Response:
    return _render(request, "staff_login.html", status, error=error, next_page=next_page)


async def page(request: Request) -> Response:
    service = inbox(request)
    token = request.cookies.get(COOKIE, "")
    site = await site_of_token(service, token)
    if site is None:
        return _login(request)
    form_id = form_filter(request)
    status = request.query_params.get("status")
    status = status if status in STATUSES else None
    rows = await run_in_threadpool(service.store.find, site, form=form_id, status=status, limit=200)
    forms: dict[str, Form] = {f.id: f for f in service.registry.site_forms(site)}
    return _render(
        request,
        "staff_list.html",
        site=site,
        rows=rows,
        forms=forms,
        form_id=form_id,
        filter_status=status,
        statuses=STATUSES,
        section="submissions",
        csrf=csrf_token(service.secret, hash_token(token)),
        headers={"Cache-Control": "no-store"},
    )


async def login(request: Request) -> Response:
    service = inbox(request)
    service.limiter.hit(request.client.host if request.client else None)
    given = await read_form(request, body_limit=FORM_LIMIT, max_fields=5)
    token = given.get("token", [""])[0].strip()
    next_page = given.get("next", [""])[0]
    next_page = next_page if next_page in PAGES else PAGES[0]
    if await site_of_token(service, token) is None:
        return _login(request, 401, error=True, next_page=next_page)
    response = RedirectResponse(next_page, status_code=303)
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/staff"
    )
    return response


async def logout(request: Request) -> Response:
    response = RedirectResponse("/staff", status_code=303)
    response.delete_cookie(COOKIE, path="/staff", httponly=True, samesite="strict")
    return response


async def handled(request: Request) -> Response:
    service = inbox(request)
    token = request.cookies.get(COOKIE, "")
    site = await site_of_token(service, token)
    if site is None:
        return RedirectResponse("/staff", status_code=303)
    given = await read_form(request, body_limit=FORM_LIMIT, max_fields=5)
    if not csrf_valid(service.secret, hash_token(token), given.get("csrf", [""])[0]):
        raise CsrfFailed("The form has expired (CSRF check failed); reload the staff page.")
    await run_in_threadpool(service.store.mark_handled, site, submission_id(request))
    return RedirectResponse("/staff", status_code=303)


# Location-based feedback: /staff/reports


def notes_digest(notes: str | None) -> str:
    """What the page showed of a reply, in a hidden field: a reply is changed only when the
    official changed it, and a copy of it would double the body."""
    return hashlib.sha256(clean_notes(notes or "").encode()).hexdigest()


def _report_filters(request: Request) -> tuple[str | None, str | None]:
    """?status= (open or closed, else all) and ?service_code=, which must look like a code."""
    status = request.query_params.get("status")
    code = request.query_params.get("service_code") or None
    if code is not None and not SLUG.match(code):
        raise BadQuery("service_code must be a category code such as 'katuvalot'.")
    return (status if status in REPORT_STATUSES else None), code


def _list_url(status: str | None, code: str | None, **more: list[str] | str) -> str:
    """The list with the filters it was shown with (a change leads back to the same view)."""
    given = {"status": status, "service_code": code, **more}
    query = urlencode({name: value for name, value in given.items() if value}, doseq=True)
    return "/staff/reports" + (f"?{query}" if query else "")


def _shown(r: ServiceRequest) -> dict[str, str]:
    """A report's form as the page shows it first: the stored values."""
    status, code, published = r.status, r.service_code, "true" if r.published_at else "false"
    return {
        "status_notes": r.status_notes or "",
        "status": status,
        "service_code": code,
        "published": published,
        "shown_notes": notes_digest(r.status_notes),
        "shown_status": status,
        "shown_service_code": code,
        "shown_published": published,
    }


def _category_name(feedback: Feedback | None, lang: str) -> Callable[[str], str]:
    """A category's name in the page's language; one the export no longer has by its code."""

    def name(code: str) -> str:
        category = feedback.category(code) if feedback else None
        return feedback.t(category.name, lang) if feedback and category else code

    return name


def _answers(feedback: Feedback | None, lang: str) -> Callable[[ServiceRequest], list[tuple[str, str]]]:
    """answers(report) → (label, answer) per extra question, by the labels of the export. Every
    question of the site is looked up by its code (codes are unique within a site): a report
    moved to another category keeps the answers to its first category's questions. A question
    or choice the export no longer has is shown by its code."""
    questions: dict[str, Question] = {q.code: q for c in (feedback.categories if feedback else ()) for q in c.questions}

    def answers(report: ServiceRequest) -> list[tuple[str, str]]:
        found = []
        for code, value in report.attributes.items():
            question = questions.get(code)
            if feedback is None or question is None:
                found.append((code, ", ".join([value] if isinstance(value, str) else value)))
                continue
            names = {choice.key: feedback.t(choice.name, lang) for choice in question.values}
            given = [value] if isinstance(value, str) else value
            found.append((feedback.t(question.label, lang), ", ".join(names.get(one, one) for one in given)))
        return found

    return answers


async def _reports(
    request: Request,
    service: Inbox,
    site: str,
    token: str,
    status: int = 200,
    errors: dict[str, str] | None = None,
    failed: tuple[str, dict[str, str]] | None = None,
) -> Response:
    """The list; ``failed`` is the id and the posted form of a change that was refused, shown
    again with ``errors`` (field → texts key) and the official's values."""
    filter_status, code = _report_filters(request)
    rows = await run_in_threadpool(
        service.reports.find,
        site,
        statuses=[filter_status] if filter_status else None,
        codes=[code] if code else None,
        limit=REPORT_LIMIT,
    )
    forms = {r.id: _shown(r) for r in rows}
    if failed is not None:
        failed_id, given = failed
        if failed_id not in forms:  # changed by someone else so that the filter leaves it out
            current = await run_in_threadpool(service.reports.get, site, failed_id)
            rows = ([current] if current else []) + rows
            forms.update({current.id: _shown(current)} if current else {})
        forms[failed_id] = {**forms.get(failed_id, {}), **given}
    saved, done = None, []
    saved_id = request.query_params.get("saved", "")
    if failed is None and REQUEST_ID.fullmatch(saved_id):
        saved = await run_in_threadpool(service.reports.get, site, saved_id)
        done = [key for key in DONE if key in request.query_params.getlist("done")]
    feedback = service.feedback.get(site)
    return _render(
        request,
        "staff_reports.html",
        status,
        site=site,
        rows=rows,
        forms=forms,
        feedback=feedback,
        categories=feedback.categories if feedback else (),
        category_name=_category_name(feedback, staff_language(request)),
        answers=_answers(feedback, staff_language(request)),
        utc=lambda moment: moment.strftime("%Y-%m-%d %H:%M UTC"),
        linkable=lambda url: LINKABLE.fullmatch(url) is not None,
        filter_status=filter_status,
        filter_code=code,
        statuses=REPORT_STATUSES,
        action_query=_list_url(filter_status, code).removeprefix("/staff/reports"),
        errors=errors or {},
        failed_id=failed[0] if failed else None,
        saved=saved,
        done=done,
        max_reply=MAX_DESCRIPTION,
        osm_link=osm_link,
        contact_keys=CONTACT_KEYS,
        language_names=LANGUAGE_NAMES,
        section="reports",
        csrf=csrf_token(service.secret, hash_token(token)),
        headers={"Cache-Control": "no-store"},
    )


async def reports_page(request: Request) -> Response:
    service = inbox(request)
    token = request.cookies.get(COOKIE, "")
    site = await site_of_token(service, token)
    if site is None:
        return _login(request, next_page="/staff/reports")
    return await _reports(request, service, site, token)


def _edited(given: dict[str, str], current: ServiceRequest) -> dict[str, str]:
    """The values the official changed on the page: each compared with what the page showed
    (shown_*), not with what is stored now, so a change another official saved after the page
    was loaded stays unless this one changed the same thing."""
    shown = _shown(current)
    edited: dict[str, str] = {}
    for name in ("status", "service_code", "published"):
        if name in given and given[name] != given.get(f"shown_{name}", shown[name]):
            edited[name] = given[name]
    notes = given.get("status_notes")
    if notes is not None and notes_digest(notes) != given.get("shown_notes", shown["shown_notes"]):
        edited["status_notes"] = notes
    return edited


def _done(changed: Changed, withdrawn: bool) -> list[str]:
    """What the change did, for the message after the redirect (keys of DONE)."""
    before, after = changed.before, changed.after
    done = []
    if after.status_notes != before.status_notes:
        if not after.status_notes:
            done.append("reply_removed")
        elif changed.reply_mailed:
            done.append("reply_mailed")
        else:  # no address, or no feedback export left to write the mail with
            done.append("reply_not_mailed" if after.contact.get("email") else "reply_saved")
    if after.status != before.status:
        done.append("closed" if after.status == "closed" else "opened")
    if after.service_code != before.service_code:
        done.append("moved")
    if after.published_at and not before.published_at:
        done.append("published")
    if before.published_at and not after.published_at:
        done.append("withdrawn" if withdrawn else "left_list")
    return done


async def change_report(request: Request) -> Response:
    """POST /staff/reports/{id}: the report's form. Saved → 303 to the list (same filters)
    with what was done; refused → the list again with the error summary and the values given."""
    service = inbox(request)
    token = request.cookies.get(COOKIE, "")
    site = await site_of_token(service, token)
    if site is None:
        return RedirectResponse("/staff/reports", status_code=303)
    given_lists = await read_form(request, body_limit=service.settings.body_limit, max_fields=len(REPORT_FIELDS) + 2)
    if not csrf_valid(service.secret, hash_token(token), given_lists.get("csrf", [""])[0]):
        raise CsrfFailed("The form has expired (CSRF check failed); reload the staff page.")
    unknown = sorted(name for name in given_lists if name not in REPORT_FIELDS)
    if unknown or any(len(values) > 1 for values in given_lists.values()):
        raise BadQuery(f"Send the report's form as the staff page has it: {', '.join(REPORT_FIELDS)}, each once.")
    given = {name: values[0] for name, values in given_lists.items()}
    filter_status, code = _report_filters(request)
    request_id = str(request.path_params["id"])
    current = None
    if REQUEST_ID.fullmatch(request_id):
        current = await run_in_threadpool(service.reports.get, site, request_id)
    if current is None:
        raise NotFound("No such service request for this municipality.")
    edited = _edited(given, current)
    try:
        change = to_change(service.feedback.get(site), edited)
        changed = await apply_change(service, site, request_id, change) if edited else None
    except InvalidChange as refused:
        errors = {p.field: p.code for p in refused.problems}
        return await _reports(request, service, site, token, refused.status_code, errors, (request_id, given))
    except NotPublishable as refused:
        errors = {"published": "not_publishable"}
        return await _reports(request, service, site, token, refused.status_code, errors, (request_id, given))
    done = _done(changed, withdrawn=change.published is False) if changed else []
    return RedirectResponse(_list_url(filter_status, code, saved=request_id, done=done), status_code=303)
