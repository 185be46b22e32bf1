"""The staff page, without JavaScript: the token is entered once and kept in an HttpOnly,
SameSite=Strict cookie; the buttons are forms with a CSRF token bound to that cookie."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from .body import read_form
from .errors import Refusal
from .forms import Form
from .pages import render
from .service import inbox
from .staff_api import STATUSES, form_filter, site_of_token, submission_id
from .tokens import csrf_token, csrf_valid, hash_token

COOKIE = "ks_staff"
LANG_COOKIE = "ks_staff_lang"
FORM_LIMIT = 4096
LANGUAGES = ("fi", "sv", "en")
"""The staff page's languages (texts/<lang>.json); the first is the default."""
LANGUAGE_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}


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


def _login(request: Request, status: int = 200, error: bool = False) -> Response:
    return _render(request, "staff_login.html", status, error=error)


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
        csrf=csrf_token(service.secret, hash_token(token)),
        headers={"Cache-Control": "no-store"},
    )


async def login(request: Request) -> Response:
    service = inbox(request)
    service.limiter.hit(request.client.host if request.client else None)
    given = await read_form(request, body_limit=FORM_LIMIT, max_fields=5)
    token = given.get("token", [""])[0].strip()
    if await site_of_token(service, token) is None:
        return _login(request, 401, error=True)
    response = RedirectResponse("/staff", status_code=303)
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
