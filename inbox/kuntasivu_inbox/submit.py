"""POST /forms/{site}/{form} and GET /forms/{site}/{form}/availability."""

from __future__ import annotations

import logging
import re
import uuid

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from .body import read_form
from .errors import NotFound, Refusal
from .forms import Form
from .mail import compose
from .pages import form_page
from .rules import FieldError, Value, fill, validate
from .service import Inbox, inbox
from .store import Booking
from .tokens import InvalidStartToken

log = logging.getLogger(__name__)

RESERVED = ("_lang", "_token", "_homepage", "_key")
KEY = re.compile(r"[A-Za-z0-9-]{16,64}")
"""The page's key for one submission (_key): a random UUID from the page's script."""


class BadSubmission(Refusal):
    status_code = 400


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def find_form(request: Request) -> Form:
    site, form_id = request.path_params["site"], request.path_params["form"]
    form = inbox(request).registry.get(site, form_id)
    if form is None:
        raise NotFound(f"No form {form_id!r} on site {site!r}.")
    request.state.form = form
    return form


async def availability(request: Request) -> Response:
    service = inbox(request)
    form = find_form(request)
    options = await run_in_threadpool(service.store.availability, form)
    token = service.start_tokens.issue(form.site, form.id)
    return JSONResponse({"token": token, "options": options}, headers={"Cache-Control": "no-store"})


def language_of(languages: tuple[str, ...], given: dict[str, list[str]]) -> str:
    """_lang, one of the site's languages; the site's first when not given."""
    lang = given.get("_lang", [""])[0] or languages[0]
    if len(given.get("_lang", [])) > 1 or lang not in languages:
        raise BadSubmission(f"_lang must be one of {', '.join(languages)}.")
    return lang


async def read_limited(request: Request, languages: tuple[str, ...]) -> tuple[dict[str, list[str]], str]:
    """The body and its _lang (also kept in request.state, so that any refusal page is in the
    sender's language). Over the rate limit, the 429 comes first: before the body's own
    refusals, and after reading _lang only so that its page can be in that language."""
    service = inbox(request)
    settings = service.settings
    limited = service.limiter.over(request.client.host if request.client else None)
    try:
        given = await read_form(request, body_limit=settings.body_limit, max_fields=settings.max_fields)
        request.state.lang = lang = language_of(languages, given)
    except Refusal:
        if limited is not None:
            raise limited from None
        raise
    if limited is not None:
        raise limited
    return given, lang


def _check_names(form: Form, given: dict[str, list[str]]) -> None:
    names = {f.name: f for f in form.fields}
    unknown = sorted(n for n in given if n not in names and n not in RESERVED)
    if unknown:
        raise BadSubmission(f"Unknown fields: {', '.join(unknown)}.")
    repeated = sorted(n for n, v in given.items() if len(v) > 1 and (n in RESERVED or names[n].type != "checkboxes"))
    if repeated:
        raise BadSubmission(f"Given more than once: {', '.join(repeated)}.")


def key_of(given: dict[str, list[str]]) -> str | None:
    """The page's _key for this filling-in, if it sent one."""
    key = given.get("_key", [""])[0].strip()
    if not key:
        return None
    if not KEY.fullmatch(key):
        raise BadSubmission("_key must be 16 to 64 letters, digits or hyphens, such as a UUID.")
    return key


def _success(request: Request, form: Form, lang: str, submission_id: str) -> Response:
    thanks = form.t(form.thanks_url, lang)
    if wants_json(request):
        return JSONResponse({"id": submission_id, "thanks_url": thanks}, status_code=201)
    return RedirectResponse(thanks, status_code=303)


def _full_errors(form: Form, lang: str, full: list[Booking], taken: dict[tuple[str, str], int]) -> list[FieldError]:
    errors = []
    full_keys = {(b.field, b.value) for b in full}
    for booking in full:
        field = form.field(booking.field)
        assert field is not None
        option = field.option(booking.value)
        assert option is not None
        free = [
            form.t(o.label, lang)
            for o in field.options
            if (field.name, o.value) not in full_keys
            and (o.capacity is None or taken.get((field.name, o.value), 0) < o.capacity)
        ]
        code = "full" if free else "full_none"
        params = {"label": form.t(field.label, lang), "option": form.t(option.label, lang)}
        message = fill(form.message(code, lang), alternatives=", ".join(free), **params)
        errors.append(FieldError(field.name, code, message))
    return errors


def _full_options(form: Form, taken: dict[tuple[str, str], int]) -> set[tuple[str, str]]:
    return {
        (f.name, o.value)
        for f in form.fields
        for o in f.options
        if form.kind == "registration" and o.capacity is not None and taken.get((f.name, o.value), 0) >= o.capacity
    }


def _filled_too_fast(service: Inbox, form: Form, token: str) -> bool:
    """A token that is not ours counts as no token, like a visitor without JavaScript: it may
    have been signed before a restart with a new secret, and its submission must not be lost."""
    if not token:
        return False
    try:
        return service.start_tokens.age(token, form.site, form.id) < service.settings.min_fill_seconds
    except InvalidStartToken as refusal:
        log.info("start token ignored: %s", refusal.detail)
        return False


async def submit(request: Request) -> Response:
    service = inbox(request)
    form = find_form(request)
    given, lang = await read_limited(request, form.languages)
    _check_names(form, given)
    if given.get("_homepage", [""])[0].strip():
        return _success(request, form, lang, uuid.uuid4().hex)  # a bot: answered, never stored
    errors: list[FieldError] = []
    if _filled_too_fast(service, form, given.get("_token", [""])[0].strip()):
        errors.append(FieldError(None, "too_fast", form.message("too_fast", lang)))
    values, field_errors = validate(form, given, lang)
    errors += field_errors
    if not errors:
        mails = compose(form, values, lang)
        result = await run_in_threadpool(service.store.submit, form, lang, values, mails, key_of(given))
        if isinstance(result, str):
            service.outbox.wake.set()
            return _success(request, form, lang, result)
        taken = await run_in_threadpool(service.store.taken, form)
        errors = _full_errors(form, lang, result, taken)
    return await _invalid(request, form, lang, given, values, errors, service)


async def _invalid(
    request: Request,
    form: Form,
    lang: str,
    given: dict[str, list[str]],
    values: dict[str, Value],
    errors: list[FieldError],
    service: Inbox,
) -> Response:
    if wants_json(request):
        body = {"errors": [{"field": e.field, "code": e.code, "message": e.message} for e in errors]}
        return JSONResponse(body, status_code=422)
    taken = await run_in_threadpool(service.store.taken, form) if form.kind == "registration" else {}
    return form_page(form, lang, given, values, errors, _full_options(form, taken))
