"""CORS: only the form's origins, preflight included."""

from __future__ import annotations

from starlette.testclient import TestClient

from .exports import ORIGIN, SITE, VALID_FEEDBACK

URL = f"/forms/{SITE}/palaute"


def test_preflight(client: TestClient) -> None:
    asks = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "accept"}
    ok = client.options(URL, headers=asks)
    assert ok.status_code == 204
    assert ok.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in ok.headers["access-control-allow-methods"]
    evil = client.options(URL, headers={**asks, "Origin": "https://evil.example"})
    assert evil.status_code == 403 and "access-control-allow-origin" not in evil.headers
    other_site = client.options("/forms/toinenkunta/palaute", headers=asks)
    assert other_site.status_code == 403
    unknown = client.options(f"/forms/{SITE}/none", headers=asks)
    assert unknown.status_code == 403
    delete = client.options(URL, headers={**asks, "Access-Control-Request-Method": "DELETE"})
    assert delete.status_code == 403


def test_simple_requests(client: TestClient) -> None:
    headers = {"Origin": ORIGIN, "Accept": "application/json"}
    stored = client.post(URL, data=VALID_FEEDBACK, headers=headers)
    assert stored.status_code == 201 and stored.headers["access-control-allow-origin"] == ORIGIN
    assert stored.headers["vary"] == "Origin"
    invalid = client.post(URL, data={**VALID_FEEDBACK, "name": ""}, headers=headers)
    assert invalid.status_code == 422 and invalid.headers["access-control-allow-origin"] == ORIGIN
    availability = client.get(URL + "/availability", headers={"Origin": ORIGIN})
    assert availability.headers["access-control-allow-origin"] == ORIGIN
    foreign = client.get(URL + "/availability", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in foreign.headers
    assert "access-control-allow-origin" not in client.get("/health", headers={"Origin": ORIGIN}).headers
