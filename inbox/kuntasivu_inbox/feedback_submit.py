"""POST /feedback/{site}: a report from the site's feedback widget (PROTOCOL.md, "The feedback
widget"). The widget is the municipality's own page, so no API key is needed; otherwise the
report is an Open311 service request like one posted to /open311/v2/requests.json: the same
checks (open311.build_request), storage and routing (open311.store_report). The answers are
those of forms: JSON for the widget's script, 303 or an HTML page for a plain POST."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from .errors import NotFound
from .feedback import Feedback
from .open311 import Door, Invalid, Problem, build_request, store_report
from .pages import feedback_page
from .reports import new_request_id
from .rules import TRIMMED, FieldError, fill
from .service import inbox
from .submit import BadSubmission, key_of, read_limited, wants_json

RESERVED = ("_lang", "_homepage", "_key")
SINGLE = ("service_code", "description", "address_string", "lat", "long", "name", "email", "phone")
CONTACT = ("name", "email", "phone")
ANSWER = re.compile(r"attribute\[([a-z][a-z0-9_]{0,39})\]")
"""attribute[code]: an answer; codes are unique within a site, so the name says the question."""
WIDGET = Door(
    {"address_string": 500, "name": 200, "email": 254, "phone": 50},
    location_required=False,
    other_answers_refused=False,
    dates_only=True,
    phone_checked=True,
)
LABELS = {
    "service_code": "category_legend",
    "description": "description_label",
    "address_string": "address_label",
    "name": "name_label",
    "email": "email_label",
    "phone": "phone_label",
}
"""The texts key of each field's label, the {label} of its messages."""


def find_feedback(request: Request) -> Feedback:
    site = str(request.path_params["site"])
    feedback = inbox(request).feedback.get(site)
    if feedback is None:
        raise NotFound(f"No feedback on site {site[:100]!r}.")
    request.state.feedback = feedback  # refusals are answered in the widget's words
    return feedback


def _check_names(feedback: Feedback, given: dict[str, list[str]]) -> None:
    """Unknown names and repeated single values are the page's mistakes, not the resident's: 400."""
    unknown, repeated = [], []
    for name, values in given.items():
        match = ANSWER.fullmatch(name)
        found = feedback.question(match[1]) if match else None
        if found is None and name not in RESERVED and name not in SINGLE:
            unknown.append(name[:100])
        elif len(values) > 1 and (found is None or found[1].datatype != "multivaluelist"):
            repeated.append(name)
    if unknown:
        raise BadSubmission(f"Unknown fields: {', '.join(sorted(unknown))}.")
    if repeated:
        raise BadSubmission(f"Given more than once: {', '.join(sorted(repeated))}.")


def _clean(value: str) -> str:
    """Trimmed as the page's script trims; line breaks as the browser has them (\\n), so that
    lengths are counted alike."""
    return value.strip(TRIMMED).replace("\r\n", "\n").replace("\r", "\n")


def _label(feedback: Feedback, lang: str, field: str) -> str:
    match = ANSWER.fullmatch(field)
    found = feedback.question(match[1]) if match else None
    if found is not None:
        return feedback.t(found[1].label, lang)
    return feedback.message(LABELS[field], lang) if field in LABELS else field


def messages(feedback: Feedback, lang: str, problems: list[Problem]) -> list[FieldError]:
    """One message per field, in the order of the widget's fields, from the export's texts."""
    order = [
        "service_code",
        "description",
        "address_string",
        *(f"attribute[{q.code}]" for c in feedback.categories for q in c.questions),
        *CONTACT,
    ]
    errors: dict[str, FieldError] = {}
    for problem in sorted(problems, key=lambda p: order.index(p.field) if p.field in order else len(order)):
        if problem.field in errors:
            continue
        template = feedback.message(problem.code, lang)
        text = fill(template, **problem.params, label=_label(feedback, lang, problem.field))
        errors[problem.field] = FieldError(problem.field, problem.code, text)
    return list(errors.values())


def _success(request: Request, feedback: Feedback, lang: str, request_id: str) -> Response:
    thanks = feedback.t(feedback.thanks_url, lang)
    if wants_json(request):
        return JSONResponse({"service_request_id": request_id, "thanks_url": thanks}, status_code=201)
    return RedirectResponse(thanks, status_code=303)


async def submit(request: Request) -> Response:
    feedback = find_feedback(request)
    given, lang = await read_limited(request, feedback.languages)
    _check_names(feedback, given)
    if given.get("_homepage", [""])[0].strip():
        return _success(request, feedback, lang, new_request_id())  # a bot: answered, never stored
    key = key_of(given)
    one = {name: _clean(given[name][0]) for name in SINGLE if name in given}
    # Only the answers; build_request leaves out those to other categories' questions.
    answers = {name: [_clean(v) for v in values] for name, values in given.items() if ANSWER.fullmatch(name)}
    contact = {name: one[name] for name in CONTACT if one.get(name)}
    try:
        new = build_request(feedback, one, answers, WIDGET, contact=contact, lang=lang, client_key=key)
    except Invalid as invalid:
        errors = messages(feedback, lang, invalid.problems)
        if wants_json(request):
            body = {"errors": [{"field": e.field, "code": e.code, "message": e.message} for e in errors]}
            return JSONResponse(body, status_code=422)
        wrong_place = any(p.code.startswith("location") for p in invalid.problems)
        place = (one["lat"], one["long"]) if one.get("lat") and one.get("long") and not wrong_place else None
        by_code = {match[1]: values for name, values in answers.items() if (match := ANSWER.fullmatch(name))}
        return feedback_page(feedback, lang, one, by_code, place, key or "", errors)
    stored = await store_report(request, feedback, new)
    return _success(request, feedback, lang, stored)
