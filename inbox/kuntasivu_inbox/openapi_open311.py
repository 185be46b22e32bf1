"""The OpenAPI description of Open311 GeoReport v2 under /open311/v2/ (openapi.py adds it to
/openapi.json). Every answer, errors too, is JSON or XML by the path's suffix."""

from __future__ import annotations

from typing import Any


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


SLUG = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}

FMT = {
    "name": "fmt",
    "in": "path",
    "required": True,
    "schema": {"enum": ["json", "xml"]},
    "description": "answer format (errors, too)",
}
JURISDICTION = {
    "name": "jurisdiction_id",
    "in": "query",
    "required": False,
    "schema": SLUG,
    "description": "the site's slug; required when the service has more than one site",
}
LOCALE = {
    "name": "locale",
    "in": "query",
    "required": False,
    "schema": {"type": "string"},
    "description": "fi, sv or en (fi_FI accepted); else the site's first language",
}


def _query(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": {"type": "string"}, "description": description}


def _open311(description: str, json_schema: dict[str, Any], xml_root: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/json": {"schema": json_schema},
            "text/xml": {"schema": {"type": "string", "description": f"<{xml_root}> document"}},
        },
    }


def _open311_errors(description: str) -> dict[str, Any]:
    return _open311(description, _ref("Open311Errors"), "errors")


REQUESTS_LIST = {"type": "array", "items": _ref("Open311Request")}
OPEN311_COMMON = {
    "400": _open311_errors("jurisdiction_id missing with several sites, or a bad parameter"),
    "404": _open311_errors("unknown jurisdiction_id or format"),
}
REQUEST_BODY = {
    "type": "object",
    "required": ["service_code", "description", "api_key"],
    "description": "GeoReport v2 POST Service Request. A location is required: lat and long (inside the "
    "municipality's map bounds), or address_string, or address_id. Answers to the service's attributes as "
    "attribute[code]=value, attribute[code][]=value for a multivaluelist.",
    "properties": {
        "api_key": {"type": "string", "description": "the municipality's API key (kuntasivu-inbox apikey create)"},
        "jurisdiction_id": SLUG,
        "service_code": {"type": "string"},
        "lat": {"type": "string"},
        "long": {"type": "string"},
        "address_string": {"type": "string", "maxLength": 500},
        "address_id": {"type": "string", "maxLength": 200},
        "email": {"type": "string", "maxLength": 254},
        "device_id": {"type": "string", "maxLength": 100},
        "account_id": {"type": "string", "maxLength": 100},
        "first_name": {"type": "string", "maxLength": 100},
        "last_name": {"type": "string", "maxLength": 100},
        "phone": {"type": "string", "maxLength": 50},
        "description": {"type": "string", "maxLength": 4000},
        "media_url": {"type": "string", "maxLength": 2000},
        "locale": {"type": "string", "description": "the reporter's language (for the staff's reply mail)"},
    },
    "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
}
STRING_OR_NULL = {"type": ["string", "null"]}
NUMBER_OR_NULL = {"type": ["number", "null"]}

SCHEMAS: dict[str, Any] = {
    "Open311Errors": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["code", "description"],
            "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
        },
    },
    "Open311Service": {
        "type": "object",
        "properties": {
            "service_code": {"type": "string"},
            "service_name": {"type": "string"},
            "description": {"type": "string"},
            "metadata": {"type": "boolean"},
            "type": {"const": "realtime"},
            "keywords": {"type": "string", "description": "comma-separated"},
            "group": {"type": "string"},
        },
    },
    "Open311ServiceDefinition": {
        "type": "object",
        "properties": {
            "service_code": {"type": "string"},
            "attributes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "variable": {"type": "boolean"},
                        "code": {"type": "string"},
                        "datatype": {
                            "enum": ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
                        },
                        "required": {"type": "boolean"},
                        "datatype_description": {"type": "string"},
                        "order": {"type": "integer"},
                        "description": {"type": "string"},
                        "values": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {"key": {"type": "string"}, "name": {"type": "string"}},
                            },
                        },
                    },
                },
            },
        },
    },
    "Open311Created": {
        "type": "object",
        "properties": {
            "service_request_id": {"type": "string"},
            "service_notice": {"type": "string"},
            "account_id": STRING_OR_NULL,
        },
    },
    "Open311Request": {
        "type": "object",
        "description": "Public: never the reporter's contact details.",
        "properties": {
            "service_request_id": {"type": "string"},
            "status": {"enum": ["open", "closed"]},
            "status_notes": STRING_OR_NULL,
            "service_name": {"type": "string"},
            "service_code": {"type": "string"},
            "description": {"type": "string"},
            "agency_responsible": {"type": "string"},
            "service_notice": {"type": "string"},
            "requested_datetime": {"type": "string", "format": "date-time"},
            "updated_datetime": {"type": "string", "format": "date-time"},
            "expected_datetime": {"type": "null"},
            "address": STRING_OR_NULL,
            "address_id": STRING_OR_NULL,
            "zipcode": {"type": "null"},
            "lat": NUMBER_OR_NULL,
            "long": NUMBER_OR_NULL,
            "media_url": STRING_OR_NULL,
        },
    },
}

PATHS: dict[str, Any] = {
    "/open311/v2/services.{fmt}": {
        "parameters": [FMT],
        "get": {
            "summary": "GeoReport v2 GET Service List: the feedback categories",
            "parameters": [JURISDICTION, LOCALE],
            "responses": {
                "200": _open311("services", {"type": "array", "items": _ref("Open311Service")}, "services"),
                **OPEN311_COMMON,
            },
        },
    },
    "/open311/v2/services/{service_code}.{fmt}": {
        "parameters": [{"name": "service_code", "in": "path", "required": True, "schema": SLUG}, FMT],
        "get": {
            "summary": "GeoReport v2 GET Service Definition: the category's questions as attributes",
            "parameters": [JURISDICTION, LOCALE],
            "responses": {
                "200": _open311("definition", _ref("Open311ServiceDefinition"), "service_definition"),
                **OPEN311_COMMON,
            },
        },
    },
    "/open311/v2/requests.{fmt}": {
        "parameters": [FMT],
        "get": {
            "summary": "GeoReport v2 GET Service Requests: the reports staff approved for publishing, newest "
            "first, at most 1000, never contact details",
            "description": "Only reports the municipality's staff approved for the public list (residents' own "
            "words can hold personal details): handled ones, closed with a reply. With service_request_id too; "
            "any single report is answered by GET requests/{service_request_id} (the reporter's receipt). "
            "status=open is empty: a reopened report leaves the list until it is handled and approved again.",
            "parameters": [
                JURISDICTION,
                LOCALE,
                _query(
                    "service_request_id", "comma-separated ids of approved reports; the other filters are then ignored"
                ),
                _query("service_code", "comma-separated service codes"),
                _query("start_date", "ISO 8601; without start_date and end_date: the last 90 days"),
                _query("end_date", "ISO 8601"),
                _query("status", "open, closed or open,closed"),
            ],
            "responses": {"200": _open311("requests", REQUESTS_LIST, "service_requests"), **OPEN311_COMMON},
        },
        "post": {
            "summary": "GeoReport v2 POST Service Request (api_key required)",
            "description": "Stored and the category's owner notified (outbox) before the answer.",
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {"schema": REQUEST_BODY},
                    "multipart/form-data": {"schema": REQUEST_BODY},
                },
            },
            "responses": {
                "201": _open311("stored", {"type": "array", "items": _ref("Open311Created")}, "service_requests"),
                "400": _open311_errors("invalid: every problem is one error"),
                "403": _open311_errors("missing, unknown or revoked api_key, or one of another jurisdiction"),
                "404": _open311_errors("unknown jurisdiction_id or format"),
                "413": _open311_errors("body or field count over the limit"),
                "415": _open311_errors("not a form body"),
                "429": _open311_errors("rate limit"),
            },
        },
    },
    "/open311/v2/requests/{service_request_id}.{fmt}": {
        "parameters": [
            {"name": "service_request_id", "in": "path", "required": True, "schema": {"type": "string"}},
            FMT,
        ],
        "get": {
            "summary": "GeoReport v2 GET Service Request: a list of one, any report of the jurisdiction by its "
            "unguessable id, approved for the public list or not (the reporter's receipt)",
            "parameters": [JURISDICTION, LOCALE],
            "responses": {"200": _open311("the request", REQUESTS_LIST, "service_requests"), **OPEN311_COMMON},
        },
    },
}
