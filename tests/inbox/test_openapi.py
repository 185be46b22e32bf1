"""/openapi.json is valid OpenAPI 3.1 and lists exactly the app's routes; fuzzing finds no 5xx."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kuntasivu_inbox.app import ROUTES
from openapi_spec_validator import validate
from starlette.routing import Route
from starlette.testclient import TestClient

from .exports import SITE, VALID_FEEDBACK


def test_valid_and_complete(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    validate(spec)
    documented = {
        (path, method.upper()) for path, item in spec["paths"].items() for method in item if method != "parameters"
    }
    served = {(r.path, m) for r in ROUTES if isinstance(r, Route) for m in (r.methods or ()) if m != "HEAD"}
    assert documented == served | {
        ("/forms/{site}/{form}", "OPTIONS"),
        ("/forms/{site}/{form}/availability", "OPTIONS"),
    }


def test_health(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}


NAMES = st.sampled_from([*VALID_FEEDBACK, "areas", "_lang", "_token", "_homepage", "x", ""]) | st.text(max_size=12)
VALUES = st.text(max_size=60) | st.sampled_from(["yes", "north", "email", "roads", "fi", "sv", "1,5", "2027-02-30"])
BODIES = st.lists(st.tuples(NAMES, VALUES), max_size=15)
PATHS = st.sampled_from(
    [
        f"/forms/{SITE}/palaute",
        f"/forms/{SITE}/ilmoittautuminen",
        f"/forms/{SITE}/palaute/availability",
        "/forms/x/y",
        "/staff",
        "/staff/login",
        "/staff/logout",
        "/staff/submissions/abc/handled",
        "/staff/api/submissions",
        "/staff/api/submissions/abc",
        "/staff/api/submissions/abc/handled",
        "/staff/api/export.csv",
        "/staff/api/export.json",
        "/staff/api/requests",
        "/staff/api/requests/abc",
        f"/open311/v2/services.json?jurisdiction_id={SITE}",
        "/open311/v2/services/katuvalot.xml",
        "/open311/v2/requests.json",
        f"/open311/v2/requests.xml?jurisdiction_id={SITE}",
        "/open311/v2/requests/abc.json",
        f"/statistics/{SITE}.json",
        "/statistics/ei-ole.json",
        "/health",
        "/openapi.json",
    ]
)
CONTENT_TYPES = st.sampled_from(
    ["application/x-www-form-urlencoded", "multipart/form-data; boundary=b", "multipart/form-data", "text/plain", ""]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=PATHS,
    method=st.sampled_from(["GET", "POST", "OPTIONS", "PUT"]),
    fields=BODIES,
    raw=st.binary(max_size=300),
    use_raw=st.booleans(),
    content_type=CONTENT_TYPES,
    accept=st.sampled_from(["application/json", "text/html", "*/*"]),
    query=st.dictionaries(st.sampled_from(["form", "status"]), st.text(max_size=10), max_size=2),
    auth=st.sampled_from([None, "Bearer x", "Bearer", "Basic a", "Bearer " + "y" * 300]),
)
def test_fuzz_no_server_errors(
    client: TestClient,
    path: str,
    method: str,
    fields: list[tuple[str, str]],
    raw: bytes,
    use_raw: bool,
    content_type: str,
    accept: str,
    query: dict[str, str],
    auth: str | None,
) -> None:
    headers = {"Accept": accept, "Origin": "https://www.testikunta.fi"}
    if auth:
        headers["Authorization"] = auth
    kwargs: dict[str, Any] = {"params": query, "headers": headers}
    if method in ("POST", "PUT"):
        if use_raw:
            kwargs["content"] = raw
            headers["Content-Type"] = content_type
        else:
            near_valid = [*VALID_FEEDBACK.items(), *fields] if fields and fields[0][0] in VALID_FEEDBACK else fields
            kwargs["content"] = urlencode(near_valid).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
    response = client.request(method, path, **kwargs)
    assert response.status_code < 500, (response.status_code, response.text[:500])
