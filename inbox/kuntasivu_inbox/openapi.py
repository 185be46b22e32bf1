"""The OpenAPI 3.1 description of every endpoint, written by hand; test_openapi.py checks that
it is valid and that it lists exactly the app's routes."""

from __future__ import annotations

from typing import Any

from . import __version__
from .openapi_open311 import PATHS as OPEN311_PATHS
from .openapi_open311 import SCHEMAS as OPEN311_SCHEMAS


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _refusal(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref("Detail")}, "text/html": {"schema": {"type": "string"}}},
    }


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


SLUG = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}
FORM_PARAMS = [
    {"name": "site", "in": "path", "required": True, "schema": {"type": "string"}, "description": "site slug"},
    {"name": "form", "in": "path", "required": True, "schema": {"type": "string"}, "description": "form id"},
]
ID_PARAM = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
FILTERS = [
    {"name": "form", "in": "query", "required": False, "schema": {"type": "string"}},
    {"name": "status", "in": "query", "required": False, "schema": {"type": "string", "enum": ["new", "handled"]}},
]
BEARER: list[dict[str, list[str]]] = [{"staffToken": []}]
UNAUTHORIZED = _refusal("missing, unknown or revoked staff token")
SUBMISSION_BODY = {
    "type": "object",
    "description": "The fields by name (a name repeated for checkboxes) and the reserved _lang, _token, _homepage, "
    "_key (the page's key for this submission: sent again with the same key, it is stored once).",
    "properties": {
        "_lang": {"type": "string"},
        "_token": {"type": "string"},
        "_homepage": {"type": "string"},
        "_key": {"type": "string", "pattern": "^[A-Za-z0-9-]{16,64}$"},
    },
    "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
}
SUBMISSIONS = {"type": "array", "items": {"$ref": "#/components/schemas/Submission"}}
ONE_OR_MORE = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
REPORT_BODY = {
    "type": "object",
    "description": "The widget's fields (PROTOCOL.md, 'The feedback widget'): any other name is refused (400). "
    "Answers to questions of other categories than service_code's are ignored.",
    "properties": {
        "_lang": {"type": "string"},
        "_homepage": {"type": "string", "description": "honeypot: filled, the answer is a success and nothing is kept"},
        "_key": {
            "type": "string",
            "pattern": "^[A-Za-z0-9-]{16,64}$",
            "description": "the page's key for this report: sent again with the same key, it is stored once",
        },
        "service_code": {"type": "string", "description": "the category (required)"},
        "description": {"type": "string", "maxLength": 4000},
        "address_string": {"type": "string", "maxLength": 500},
        "lat": {"type": "string", "description": "decimal degrees, with long, inside the export's map.bounds"},
        "long": {"type": "string"},
        "name": {"type": "string", "maxLength": 200},
        "email": {"type": "string", "maxLength": 254},
        "phone": {"type": "string", "maxLength": 50},
    },
    "patternProperties": {"^attribute\\[[a-z][a-z0-9_]{0,39}\\]$": ONE_OR_MORE},
    "additionalProperties": False,
}
PREFLIGHT = {
    "summary": "CORS preflight: allowed only for the form's origins",
    "parameters": [
        {"name": "Origin", "in": "header", "required": True, "schema": {"type": "string"}},
        {"name": "Access-Control-Request-Method", "in": "header", "required": True, "schema": {"type": "string"}},
    ],
    "responses": {
        "204": {"description": "allowed (Access-Control-Allow-* headers)"},
        "403": {
            "description": "origin or method not allowed",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        "405": {"description": "not a preflight (no Origin or Access-Control-Request-Method)"},
    },
}
HTML = {"text/html": {"schema": {"type": "string"}}}
STAFF_FORM = {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}


def _query(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": {"type": "string"}, "description": description}


STAFF_CHANGE = {
    "type": "object",
    "minProperties": 1,
    "additionalProperties": False,
    "properties": {
        "status": {"enum": ["open", "closed"]},
        "status_notes": {"type": "string", "maxLength": 4000, "description": "the reply; mailed to the reporter"},
        "service_code": {"type": "string", "description": "another category: its owner is notified"},
        "published": {
            "type": ["boolean", "string"],
            "enum": [True, False, "true", "false"],
            "description": "approve for the public Open311 list (only a closed report with a reply: else 409), "
            "or withdraw",
        },
    },
}


STAFF_REQUESTS = {"type": "array", "items": _ref("StaffRequest")}
STRING_OR_NULL = {"type": ["string", "null"]}
NUMBER_OR_NULL = {"type": ["number", "null"]}
STAFF_REQUEST: dict[str, Any] = {
    "type": "object",
    "description": "For the municipality's staff only: with the reporter's contact details.",
    "properties": {
        "id": {"type": "string"},
        "site": SLUG,
        "service_code": {"type": "string"},
        "lang": {"type": "string"},
        "status": {"enum": ["open", "closed"]},
        "status_notes": STRING_OR_NULL,
        "description": {"type": "string"},
        "lat": NUMBER_OR_NULL,
        "long": NUMBER_OR_NULL,
        "address_string": STRING_OR_NULL,
        "address_id": STRING_OR_NULL,
        "attributes": {"type": "object"},
        "contact": {"type": "object", "additionalProperties": {"type": "string"}},
        "media_url": STRING_OR_NULL,
        "requested_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
        "first_reply_at": {"type": ["string", "null"], "format": "date-time"},
        "published_at": {
            "type": ["string", "null"],
            "format": "date-time",
            "description": "approved for the public list; null: not public",
        },
    },
}


def spec() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Kuntasivu inbox",
            "version": __version__,
            "description": "Receives the forms of Kuntasivu sites. The form rules and answers are in PROTOCOL.md.",
        },
        "paths": {
            "/health": {
                "get": {
                    "summary": "The service and its database answer",
                    "responses": {
                        "200": _json("healthy", {"type": "object", "properties": {"status": {"const": "ok"}}}),
                        "503": _json("the database does not answer", _ref("Detail")),
                    },
                }
            },
            "/openapi.json": {
                "get": {"summary": "This document", "responses": {"200": _json("OpenAPI 3.1", {"type": "object"})}}
            },
            "/forms/{site}/{form}": {
                "parameters": FORM_PARAMS,
                "options": PREFLIGHT,
                "post": {
                    "summary": "Submit a form",
                    "description": "Without Accept: application/json the answers are 303 and HTML pages.",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/x-www-form-urlencoded": {"schema": SUBMISSION_BODY},
                            "multipart/form-data": {"schema": SUBMISSION_BODY},
                        },
                    },
                    "responses": {
                        "201": _json("stored (JSON)", _ref("Stored")),
                        "303": {"description": "stored: see thanks_url (no JavaScript)"},
                        "400": _refusal("malformed body, unknown or repeated fields, bad _lang or _token"),
                        "404": _refusal("unknown site or form"),
                        "413": _refusal("body or field count over the limit (named in the reason)"),
                        "415": _refusal("not a form body"),
                        "422": {
                            "description": "invalid: the errors (JSON) or the form again with them (HTML)",
                            "content": {"application/json": {"schema": _ref("Errors")}, **HTML},
                        },
                        "429": {**_refusal("rate limit"), "headers": {"Retry-After": {"schema": {"type": "string"}}}},
                    },
                },
            },
            "/feedback/{site}": {
                "parameters": [FORM_PARAMS[0]],
                "post": {
                    "summary": "A report from the site's feedback widget",
                    "description": "An Open311 service request like POST /open311/v2/requests.json, without an "
                    "API key; forwarded when the site's feedback export has `forward`. Without Accept: "
                    "application/json the answers are 303 and HTML pages in _lang. CORS (preflight included): "
                    "only the export's origins.",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/x-www-form-urlencoded": {"schema": REPORT_BODY},
                            "multipart/form-data": {"schema": REPORT_BODY},
                        },
                    },
                    "responses": {
                        "201": _json("stored (JSON), or stored before with the same _key", _ref("ReportStored")),
                        "303": {"description": "stored: see thanks_url (no JavaScript)"},
                        "400": _refusal("malformed body, unknown or repeated fields, bad _lang or _key"),
                        "404": _refusal("no feedback on this site"),
                        "413": _refusal("body or field count over the limit (named in the reason)"),
                        "415": _refusal("not a form body"),
                        "422": {
                            "description": "invalid: the errors in _lang (JSON) or the widget's fields again (HTML)",
                            "content": {"application/json": {"schema": _ref("Errors")}, **HTML},
                        },
                        "429": _refusal("rate limit (Retry-After)"),
                        "503": _refusal("the database did not answer: nothing stored, send again (Retry-After)"),
                    },
                },
            },
            "/forms/{site}/{form}/availability": {
                "parameters": FORM_PARAMS,
                "options": PREFLIGHT,
                "get": {
                    "summary": "Seats left and a start token",
                    "responses": {
                        "200": _json("availability", _ref("Availability")),
                        "404": _refusal("unknown site or form"),
                    },
                },
            },
            "/staff": {
                "get": {
                    "summary": "Staff page (sign-in form, or the submissions when signed in)",
                    "parameters": FILTERS,
                    "responses": {"200": {"description": "HTML page", "content": HTML}},
                }
            },
            "/staff/login": {
                "post": {
                    "summary": "Sign in with a staff token; sets an HttpOnly SameSite=Strict cookie",
                    "requestBody": {"required": True, "content": STAFF_FORM},
                    "responses": {
                        "303": {"description": "signed in: back to /staff"},
                        "400": _refusal("malformed body"),
                        "401": {"description": "invalid token: the sign-in page again", "content": HTML},
                        "413": _refusal("body too large"),
                        "415": _refusal("not a form body"),
                        "429": _refusal("rate limit"),
                    },
                }
            },
            "/staff/logout": {"post": {"summary": "Sign out", "responses": {"303": {"description": "cookie removed"}}}},
            "/staff/submissions/{id}/handled": {
                "parameters": ID_PARAM,
                "post": {
                    "summary": "Mark handled from the staff page (cookie and CSRF token)",
                    "requestBody": {"required": True, "content": STAFF_FORM},
                    "responses": {
                        "303": {"description": "done, or not signed in: back to /staff"},
                        "400": _refusal("malformed body"),
                        "403": _refusal("CSRF check failed"),
                        "413": _refusal("body too large"),
                        "415": _refusal("not a form body"),
                    },
                },
            },
            "/staff/reports": {
                "get": {
                    "summary": "Staff page of location-based feedback (sign-in form, or the reports when signed in)",
                    "parameters": [
                        {"name": "status", "in": "query", "required": False, "schema": {"type": "string"}},
                        _query("service_code", "only this category"),
                        _query("saved", "after a change: the report whose change is confirmed"),
                        _query("done", "after a change, repeated: what it did (the confirmation's sentences)"),
                    ],
                    "responses": {
                        "200": {"description": "HTML page", "content": HTML},
                        "400": _refusal("service_code is not a category code"),
                    },
                }
            },
            "/staff/reports/{id}": {
                "parameters": ID_PARAM,
                "post": {
                    "summary": "Change a report from the staff page (cookie and CSRF token): reply, status, "
                    "category, public list",
                    "description": "Only the values the official changed on the page are applied (the shown_* "
                    "fields hold what it showed); the same change as POST /staff/api/requests/{id}.",
                    "requestBody": {"required": True, "content": STAFF_FORM},
                    "responses": {
                        "303": {"description": "saved: back to the list with a confirmation; not signed in: to it"},
                        "400": {"description": "invalid value: the list with the error summary", "content": HTML},
                        "403": _refusal("CSRF check failed"),
                        "404": _refusal("no such report in this municipality"),
                        "409": {"description": "cannot be published yet: the list with the reason", "content": HTML},
                        "413": _refusal("body too large"),
                        "415": _refusal("not a form body"),
                    },
                },
            },
            "/staff/api/submissions": {
                "get": {
                    "summary": "The municipality's submissions, newest first",
                    "security": BEARER,
                    "parameters": FILTERS,
                    "responses": {
                        "200": _json("list", {"type": "object", "properties": {"submissions": SUBMISSIONS}}),
                        "400": _refusal("bad filter"),
                        "401": UNAUTHORIZED,
                    },
                }
            },
            "/staff/api/submissions/{id}": {
                "parameters": ID_PARAM,
                "get": {
                    "summary": "One submission",
                    "security": BEARER,
                    "responses": {
                        "200": _json("the submission", _ref("Submission")),
                        "401": UNAUTHORIZED,
                        "404": _refusal("no such submission in this municipality"),
                    },
                },
            },
            "/staff/api/submissions/{id}/handled": {
                "parameters": ID_PARAM,
                "post": {
                    "summary": "Mark a submission handled",
                    "security": BEARER,
                    "responses": {
                        "200": _json("the submission", _ref("Submission")),
                        "401": UNAUTHORIZED,
                        "404": _refusal("no such submission in this municipality"),
                    },
                },
            },
            "/staff/api/export.csv": {
                "get": {
                    "summary": "CSV export (cells that could be formulas start with an apostrophe)",
                    "security": BEARER,
                    "parameters": FILTERS,
                    "responses": {
                        "200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}},
                        "400": _refusal("bad filter"),
                        "401": UNAUTHORIZED,
                    },
                }
            },
            "/staff/api/export.json": {
                "get": {
                    "summary": "JSON export",
                    "security": BEARER,
                    "parameters": FILTERS,
                    "responses": {
                        "200": _json("submissions", {"type": "array", "items": _ref("Submission")}),
                        "400": _refusal("bad filter"),
                        "401": UNAUTHORIZED,
                    },
                }
            },
            "/staff/api/requests": {
                "get": {
                    "summary": "The municipality's Open311 requests, newest first, with the reporters' contacts",
                    "security": BEARER,
                    "parameters": [
                        {"name": "status", "in": "query", "required": False, "schema": {"enum": ["open", "closed"]}},
                        _query("service_code", "only this category"),
                    ],
                    "responses": {
                        "200": _json(
                            "list",
                            {
                                "type": "object",
                                "properties": {"requests": {"type": "array", "items": _ref("StaffRequest")}},
                            },
                        ),
                        "400": _refusal("bad filter"),
                        "401": UNAUTHORIZED,
                    },
                }
            },
            "/staff/api/requests/{id}": {
                "parameters": ID_PARAM,
                "post": {
                    "summary": "Change a service request: status, reply (status_notes), category (service_code)",
                    "description": "The first status_notes sets first_reply_at; new status_notes are mailed to a "
                    "reporter who left an e-mail; a new service_code notifies that category's owner; published "
                    "approves the report for the public list or withdraws it. A published report that is reopened "
                    "or loses its reply leaves the list.",
                    "security": BEARER,
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": STAFF_CHANGE},
                            "application/x-www-form-urlencoded": {"schema": STAFF_CHANGE},
                        },
                    },
                    "responses": {
                        "200": _json("the request", _ref("StaffRequest")),
                        "400": _refusal("bad value or unknown field"),
                        "401": UNAUTHORIZED,
                        "404": _refusal("no such service request in this municipality"),
                        "409": _refusal("published true, but the report would not be closed with a reply"),
                    },
                },
            },
            **OPEN311_PATHS,
            "/statistics/{site}.json": {
                "parameters": [{"name": "site", "in": "path", "required": True, "schema": {"type": "string"}}],
                "get": {
                    "summary": "Answer times of location-based feedback per category, in Finnish working days",
                    "description": "count, replied, median_working_days (to the first reply) and "
                    "answered_within_3_working_days (a share of answer_time_known) per category and in total.",
                    "responses": {
                        "200": _json("the figures", {"type": "object"}),
                        "404": _json("no feedback for this site", _ref("Detail")),
                    },
                },
            },
        },
        "components": {
            "securitySchemes": {"staffToken": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Detail": {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}},
                "ReportStored": {
                    "type": "object",
                    "required": ["service_request_id", "thanks_url"],
                    "properties": {"service_request_id": {"type": "string"}, "thanks_url": {"type": "string"}},
                },
                "Stored": {
                    "type": "object",
                    "required": ["id", "thanks_url"],
                    "properties": {"id": {"type": "string"}, "thanks_url": {"type": "string"}},
                },
                "Errors": {
                    "type": "object",
                    "required": ["errors"],
                    "properties": {
                        "errors": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["field", "code", "message"],
                                "properties": {
                                    "field": {"type": ["string", "null"]},
                                    "code": {"type": "string"},
                                    "message": {"type": "string"},
                                },
                            },
                        }
                    },
                },
                "Availability": {
                    "type": "object",
                    "required": ["token", "options"],
                    "properties": {
                        "token": {"type": "string"},
                        "options": {
                            "type": "object",
                            "additionalProperties": {
                                "type": "object",
                                "additionalProperties": {
                                    "type": "object",
                                    "properties": {"capacity": {"type": "integer"}, "left": {"type": "integer"}},
                                },
                            },
                        },
                    },
                },
                **OPEN311_SCHEMAS,
                "StaffRequest": STAFF_REQUEST,
                "Submission": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "site": SLUG,
                        "form": SLUG,
                        "lang": {"type": "string"},
                        "status": {"enum": ["new", "handled"]},
                        "created_at": {"type": "string", "format": "date-time"},
                        "handled_at": {"type": ["string", "null"], "format": "date-time"},
                        "data": {"type": "object"},
                    },
                },
            },
        },
    }
