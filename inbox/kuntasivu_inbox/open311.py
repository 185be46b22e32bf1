"""Open311 GeoReport v2 under /open311/v2/: the categories of feedback.json as services, and
service requests. Every answer in JSON or XML by the path's suffix; refusals are turned into
the spec's error list in app.py. Contact details are stored but never published."""

from __future__ import annotations

import datetime
import json
import math
import re
import xml.etree.ElementTree as ET
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from .body import read_form
from .db import now
from .errors import NotFound, Refusal
from .feedback import Category, Feedback, Question
from .mail import UNSAFE_ADDRESS
from .reports import STATUSES, ServiceRequest, new_request_id, owner_mail
from .rules import EMAIL
from .service import Inbox, inbox
from .tokens import hash_token

FORMATS = ("json", "xml")
MAX_DESCRIPTION = 4000
MAX_RESULTS = 1000
DEFAULT_WINDOW = datetime.timedelta(days=90)
LIMITS = {
    "address_string": 500,
    "address_id": 200,
    "email": 254,
    "first_name": 100,
    "last_name": 100,
    "phone": 50,
    "device_id": 100,
    "account_id": 100,
    "media_url": 2000,
}
CONTACT = ("email", "first_name", "last_name", "phone", "device_id", "account_id")
SINGLE = {"jurisdiction_id", "service_code", "lat", "long", "description", "api_key", "locale", *LIMITS}
ATTRIBUTE = re.compile(r"attribute\[([^\]]*)\](\[\])?")
REQUEST_ID = re.compile(r"[a-z0-9]{1,16}")
URL = re.compile(r"https?://[^\s]+")
LIST_TAGS = {"attributes": "attribute", "values": "value"}
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class BadRequest(Refusal):
    """Raised by the Open311 views for a request they cannot take; app.py lists ``problems``
    as the spec's errors, one per problem."""

    status_code = 400

    def __init__(self, *problems: str) -> None:
        super().__init__(" ".join(problems))
        self.problems = list(problems)


class Forbidden(Refusal):
    """Raised by POST requests for a missing, unknown or revoked api_key."""

    status_code = 403


# Answers


def _element(parent: ET.Element, tag: str, value: Any) -> None:
    child = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, inner in value.items():
            _element(child, key, inner)
    elif isinstance(value, list):
        for inner in value:
            _element(child, LIST_TAGS.get(tag, "item"), inner)
    elif isinstance(value, bool):
        child.text = "true" if value else "false"
    elif value is not None:
        child.text = NOT_XML.sub("", str(value))


def xml_document(root: str, item: str | None, body: Any) -> bytes:
    element = ET.Element(root)
    if item is None:
        for key, value in body.items():
            _element(element, key, value)
    else:
        for entry in body:
            _element(element, item, entry)
    body_xml: bytes = ET.tostring(element, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body_xml


def answer(fmt: str, body: Any, root: str, item: str | None, status: int = 200) -> Response:
    if fmt == "xml":
        return Response(xml_document(root, item, body), status_code=status, media_type="text/xml; charset=utf-8")
    content = json.dumps(body, ensure_ascii=False).encode()
    return Response(content, status_code=status, media_type="application/json; charset=utf-8")


def error_answer(path: str, status: int, problems: list[str], headers: dict[str, str] | None = None) -> Response:
    """The spec's error format: [{"code": 400, "description": "…"}] or <errors><error>…"""
    errors = [{"code": status, "description": p} for p in problems]
    response = answer("xml" if path.endswith(".xml") else "json", errors, "errors", "error", status)
    response.headers.update(headers or {})
    return response


# What every view needs


def _fmt(request: Request) -> str:
    fmt = str(request.path_params["fmt"])
    if fmt not in FORMATS:
        raise NotFound("Not found: the format must be .json or .xml.")
    return fmt


def jurisdiction(service: Inbox, given: str) -> Feedback:
    """jurisdiction_id = site; it may be left out when the service has one site only."""
    if not given:
        sites = service.feedback.sites()
        if len(sites) != 1:
            raise BadRequest(f"jurisdiction_id is required: one of {', '.join(sites) or '(none)'}.")
        given = sites[0]
    found = service.feedback.get(given)
    if found is None:
        raise NotFound(f"Unknown jurisdiction_id {given[:100]!r}.")
    return found


def language(feedback: Feedback, locale: str) -> str:
    """locale as fi, sv, en or fi_FI, sv-FI…; else the site's first language."""
    code = locale.strip()[:2].lower()
    return code if code in feedback.languages else feedback.languages[0]


def _query(request: Request, name: str) -> str:
    return request.query_params.get(name, "").strip()


# Services


def _service(feedback: Feedback, category: Category, lang: str) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": feedback.t(category.name, lang),
        "description": feedback.t(category.description, lang),
        "metadata": bool(category.questions),
        "type": "realtime",
        "keywords": ",".join(category.keywords),
        "group": feedback.t(category.group, lang),
    }


def _attribute(feedback: Feedback, question: Question, order: int, lang: str) -> dict[str, Any]:
    return {
        "variable": True,
        "code": question.code,
        "datatype": question.datatype,
        "required": question.required,
        "datatype_description": feedback.t(question.label, lang),
        "order": order,
        "description": feedback.t(question.description, lang) or feedback.t(question.label, lang),
        "values": [{"key": v.key, "name": feedback.t(v.name, lang)} for v in question.values],
    }


async def services(request: Request) -> Response:
    fmt = _fmt(request)
    feedback = jurisdiction(inbox(request), _query(request, "jurisdiction_id"))
    lang = language(feedback, _query(request, "locale"))
    return answer(fmt, [_service(feedback, c, lang) for c in feedback.categories], "services", "service")


async def service_definition(request: Request) -> Response:
    fmt = _fmt(request)
    feedback = jurisdiction(inbox(request), _query(request, "jurisdiction_id"))
    lang = language(feedback, _query(request, "locale"))
    category = feedback.category(str(request.path_params["service_code"]))
    if category is None:
        raise NotFound("Unknown service_code.")
    attributes = [_attribute(feedback, q, i, lang) for i, q in enumerate(category.questions, 1)]
    body = {"service_code": category.code, "attributes": attributes}
    return answer(fmt, body, "service_definition", None)


# Posting a request


def _coordinates(feedback: Feedback, lat: str, long: str) -> tuple[float, float] | str:
    """(lat, long), or what is wrong with them."""
    try:
        values = float(lat), float(long)
    except ValueError:
        return "lat and long must be decimal degrees, such as lat=61.1 and long=22.8."
    if not all(math.isfinite(v) for v in values):
        return "lat and long must be decimal degrees, such as lat=61.1 and long=22.8."
    if not (-90 <= values[0] <= 90 and -180 <= values[1] <= 180):
        return "lat must be between -90 and 90 and long between -180 and 180."
    if not feedback.inside(*values):
        south, west, north, east = feedback.bounds
        return f"The location is outside the municipality (lat {south}…{north}, long {west}…{east})."
    return values


def _answer_of(question: Question, values: list[str]) -> tuple[str | list[str] | None, str | None]:
    """The stored answer and what is wrong with it."""
    name = f"attribute[{question.code}]"
    values = [v.strip() for v in values if v.strip()]
    if not values:
        return None, f"{name} is required." if question.required else None
    keys = {v.key for v in question.values}
    if question.datatype == "multivaluelist":
        unknown = [v for v in values if v not in keys]
        if unknown:
            return None, f"{name}: {unknown[0][:100]!r} is not one of {', '.join(sorted(keys))}."
        return list(dict.fromkeys(values)), None
    if len(values) > 1:
        return None, f"{name} takes one value."
    value = values[0]
    if question.datatype == "singlevaluelist" and value not in keys:
        return None, f"{name}: {value[:100]!r} is not one of {', '.join(sorted(keys))}."
    if question.datatype == "number":
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            return None, f"{name} must be a number."
    if question.datatype == "datetime" and parse_datetime(value) is None:
        return None, f"{name} must be a date and time in ISO 8601, such as 2026-05-04T10:00:00+03:00."
    limit = MAX_DESCRIPTION if question.datatype == "text" else 500
    if len(value) > limit:
        return None, f"{name} may be at most {limit} characters."
    return value, None


def _attributes(category: Category, given: dict[str, list[str]]) -> tuple[dict[str, str | list[str]], list[str]]:
    by_code: dict[str, list[str]] = {}
    problems = []
    for name, values in given.items():
        match = ATTRIBUTE.fullmatch(name)
        if match is None:
            continue
        if category.question(match[1]) is None:
            problems.append(f"{name[:100]} is not a question of service {category.code}.")
        by_code.setdefault(match[1], []).extend(values)
    answers: dict[str, str | list[str]] = {}
    for question in category.questions:
        value, problem = _answer_of(question, by_code.get(question.code, []))
        if problem:
            problems.append(problem)
        elif value is not None:
            answers[question.code] = value
    return answers, problems


def _single(given: dict[str, list[str]]) -> dict[str, str]:
    repeated = sorted(n for n, v in given.items() if len(v) > 1 and n in SINGLE)
    if repeated:
        raise BadRequest(f"Given more than once: {', '.join(repeated)}.")
    return {name: given[name][0].strip() for name in SINGLE if name in given}


async def _api_key_site(service: Inbox, key: str) -> str | None:
    if not key or len(key) > 200:
        return None
    return await run_in_threadpool(service.reports.key_site, hash_token(key))


def build_request(feedback: Feedback, one: dict[str, str], given: dict[str, list[str]]) -> ServiceRequest:
    """The new request, or BadRequest listing every problem."""
    problems = []
    category = feedback.category(one.get("service_code", ""))
    if not one.get("service_code"):
        problems.append("service_code is required.")
    elif category is None:
        problems.append(f"Unknown service_code {one['service_code'][:100]!r}.")
    lat, long = one.get("lat", ""), one.get("long", "")
    place: tuple[float, float] | None = None
    if lat or long:
        checked = _coordinates(feedback, lat, long) if lat and long else "Give both lat and long."
        if isinstance(checked, str):
            problems.append(checked)
        else:
            place = checked
    elif not (one.get("address_string") or one.get("address_id")):
        problems.append("A location is required: lat and long, or address_string, or address_id.")
    description = one.get("description", "")
    if not description:
        problems.append("description is required.")
    elif len(description) > MAX_DESCRIPTION:
        problems.append(f"description may be at most {MAX_DESCRIPTION} characters.")
    problems += [f"{name} may be at most {limit} characters." for name, limit in LIMITS.items()
                 if len(one.get(name, "")) > limit]  # fmt: skip
    if one.get("email") and (not EMAIL.fullmatch(one["email"]) or UNSAFE_ADDRESS & set(one["email"])):
        problems.append("email is not an e-mail address.")
    if one.get("media_url") and not URL.fullmatch(one["media_url"]):
        problems.append("media_url must be an http or https URL.")
    answers: dict[str, str | list[str]] = {}
    if category is not None:
        answers, wrong = _attributes(category, given)
        problems += wrong
    if problems or category is None:
        raise BadRequest(*problems)
    at = now()
    return ServiceRequest(
        id=new_request_id(),
        site=feedback.site,
        service_code=category.code,
        lang=language(feedback, one.get("locale", "")),
        status="open",
        status_notes=None,
        description=description,
        lat=place[0] if place else None,
        long=place[1] if place else None,
        address_string=one.get("address_string") or None,
        address_id=one.get("address_id") or None,
        attributes=answers,
        contact={name: one[name] for name in CONTACT if one.get(name)},
        media_url=one.get("media_url") or None,
        requested_at=at,
        updated_at=at,
        first_reply_at=None,
    )


async def post_request(request: Request) -> Response:
    fmt = _fmt(request)
    service = inbox(request)
    settings = service.settings
    limited = service.limiter.over(request.client.host if request.client else None)
    given = await read_form(request, body_limit=settings.body_limit, max_fields=settings.max_fields)
    if limited is not None:
        raise limited
    one = _single(given)
    feedback = jurisdiction(service, one.get("jurisdiction_id") or _query(request, "jurisdiction_id"))
    if await _api_key_site(service, one.get("api_key", "")) != feedback.site:
        raise Forbidden("A valid api_key of this jurisdiction is required.")
    new = build_request(feedback, one, given)
    mail = owner_mail(feedback, new)
    await run_in_threadpool(service.reports.create, new, feedback.retention_days, [mail] if mail else [])
    service.outbox.wake.set()
    body = [{"service_request_id": new.id, "service_notice": "", "account_id": new.contact.get("account_id")}]
    return answer(fmt, body, "service_requests", "request", status=201)


# Reading requests


def parse_datetime(value: str) -> datetime.datetime | None:
    """W3C / ISO 8601; a query string's unencoded '+' of an offset arrives as a space."""
    value = value.strip()
    if "T" in value:
        value = value.replace(" ", "+")
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def public(feedback: Feedback, r: ServiceRequest, lang: str) -> dict[str, Any]:
    """What anyone may see: never the contact details."""
    category = feedback.category(r.service_code)
    return {
        "service_request_id": r.id,
        "status": r.status,
        "status_notes": r.status_notes,
        "service_name": feedback.t(category.name, lang) if category else r.service_code,
        "service_code": r.service_code,
        "description": r.description,
        "agency_responsible": feedback.t(feedback.agency, lang),
        "service_notice": "",
        "requested_datetime": r.requested_at.isoformat(timespec="seconds"),
        "updated_datetime": r.updated_at.isoformat(timespec="seconds"),
        "expected_datetime": None,
        "address": r.address_string,
        "address_id": r.address_id,
        "zipcode": None,
        "lat": r.lat,
        "long": r.long,
        "media_url": r.media_url,
    }


def _listed(request: Request, name: str) -> list[str]:
    return [v.strip() for v in _query(request, name).split(",") if v.strip()]


def _window(request: Request) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    start_given, end_given = _query(request, "start_date"), _query(request, "end_date")
    start = parse_datetime(start_given) if start_given else None
    end = parse_datetime(end_given) if end_given else None
    problems = [
        f"{name} must be a date and time in ISO 8601, such as 2026-05-04T10:00:00Z."
        for name, given, parsed in (("start_date", start_given, start), ("end_date", end_given, end))
        if given and parsed is None
    ]
    if problems:
        raise BadRequest(*problems)
    if start is None and end is None:
        start = now() - DEFAULT_WINDOW
    elif start is None and end is not None:
        start = end - DEFAULT_WINDOW
    if start is not None and end is not None and start > end:
        raise BadRequest("start_date is after end_date.")
    return start, end


async def get_requests(request: Request) -> Response:
    fmt = _fmt(request)
    service = inbox(request)
    feedback = jurisdiction(service, _query(request, "jurisdiction_id"))
    lang = language(feedback, _query(request, "locale"))
    ids = _listed(request, "service_request_id")
    if ids:  # the spec: with service_request_id, the other filters are ignored
        query: dict[str, Any] = {"ids": [i for i in ids if REQUEST_ID.fullmatch(i)]}
    else:
        statuses = _listed(request, "status")
        wrong = [s for s in statuses if s not in STATUSES]
        if wrong:
            raise BadRequest(f"status must be open, closed or both (open,closed), not {wrong[0][:50]!r}.")
        start, end = _window(request)
        codes = [c for c in _listed(request, "service_code") if len(c) <= 100]
        query = {"codes": codes, "statuses": statuses, "start": start, "end": end}
    found = await run_in_threadpool(service.reports.find, feedback.site, **query, limit=MAX_RESULTS)
    return answer(fmt, [public(feedback, r, lang) for r in found], "service_requests", "request")


async def get_request(request: Request) -> Response:
    fmt = _fmt(request)
    service = inbox(request)
    feedback = jurisdiction(service, _query(request, "jurisdiction_id"))
    lang = language(feedback, _query(request, "locale"))
    request_id = str(request.path_params["service_request_id"])
    found = None
    if REQUEST_ID.fullmatch(request_id):
        found = await run_in_threadpool(service.reports.get, feedback.site, request_id)
    if found is None:
        raise NotFound(f"No service request {request_id[:40]!r} in this jurisdiction.")
    return answer(fmt, [public(feedback, found, lang)], "service_requests", "request")
