"""Staff tokens, the API, the CSV export and the staff page."""

from __future__ import annotations

import csv
import io

from bs4 import BeautifulSoup
from kuntasivu_inbox.cli import main
from kuntasivu_inbox.config import Settings
from kuntasivu_inbox.service import Inbox
from kuntasivu_inbox.staff_api import neutralise
from kuntasivu_inbox.tokens import hash_token, new_staff_token
from starlette.testclient import TestClient

from .exports import OTHER_SITE, SITE, VALID_FEEDBACK

JSON = {"Accept": "application/json"}


def token_for(service: Inbox, site: str) -> str:
    token = new_staff_token()
    service.store.add_token(site, hash_token(token))
    return token


def submit(client: TestClient, site: str = SITE, **changes: object) -> str:
    response = client.post(f"/forms/{site}/palaute", data={**VALID_FEEDBACK, **changes}, headers=JSON)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_api_scoped_to_municipality(client: TestClient, service: Inbox) -> None:
    mine = submit(client)
    theirs = submit(client, OTHER_SITE)
    token = token_for(service, SITE)
    listed = client.get("/staff/api/submissions", headers=bearer(token)).json()["submissions"]
    assert [s["id"] for s in listed] == [mine]
    assert client.get(f"/staff/api/submissions/{theirs}", headers=bearer(token)).status_code == 404
    assert client.post(f"/staff/api/submissions/{theirs}/handled", headers=bearer(token)).status_code == 404
    one = client.get(f"/staff/api/submissions/{mine}", headers=bearer(token)).json()
    assert one["data"]["name"] == "Maija Meikäläinen" and one["status"] == "new"
    handled = client.post(f"/staff/api/submissions/{mine}/handled", headers=bearer(token)).json()
    assert handled["status"] == "handled" and handled["handled_at"]
    assert client.get("/staff/api/submissions?status=new", headers=bearer(token)).json()["submissions"] == []
    assert len(client.get("/staff/api/submissions?form=palaute", headers=bearer(token)).json()["submissions"]) == 1
    assert client.get("/staff/api/submissions?form=muu", headers=bearer(token)).json()["submissions"] == []
    bad = client.get("/staff/api/submissions?status=odd", headers=bearer(token))
    assert bad.status_code == 400 and "new, handled" in bad.json()["detail"]


def test_bad_tokens(client: TestClient, service: Inbox) -> None:
    for headers in ({}, {"Authorization": "Basic abc"}, bearer("ks_wrong"), bearer("x" * 500)):
        response = client.get("/staff/api/submissions", headers=headers)
        assert response.status_code == 401 and response.json()["detail"]
        assert response.headers["www-authenticate"].startswith("Bearer")
    token = token_for(service, SITE)
    assert service.store.revoke_token(hash_token(token))
    assert client.get("/staff/api/export.csv", headers=bearer(token)).status_code == 401


def test_csv_and_json_export(client: TestClient, service: Inbox) -> None:
    submit(client, name='=HYPERLINK("http://x")', message="+1", code="", phone="+358 40 123", email="-x@example.fi")
    submit(client, name="@SUM(A1)", message="-1", areas=["north", "south"])
    token = token_for(service, SITE)
    response = client.get("/staff/api/export.csv", headers=bearer(token))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    names = {r["name"] for r in rows}
    assert names == {'\'=HYPERLINK("http://x")', "'@SUM(A1)"}
    assert {r["message"] for r in rows} == {"'+1", "'-1"}
    assert "'+358 40 123" in {r["phone"] for r in rows} and "'-x@example.fi" in {r["email"] for r in rows}
    assert "north; south" in {r["areas"] for r in rows}
    exported = client.get("/staff/api/export.json", headers=bearer(token)).json()
    assert {e["data"]["name"] for e in exported} == {'=HYPERLINK("http://x")', "@SUM(A1)"}
    assert [neutralise(c) for c in ("=1", "+1", "-1", "@1", "\t1", "\r1", "a=1", "")] == [
        "'=1", "'+1", "'-1", "'@1", "'\t1", "'\r1", "a=1", ""
    ]  # fmt: skip


def test_staff_page(client: TestClient, service: Inbox) -> None:
    submission = submit(client, name="<b>Hostile</b>")
    submit(client, OTHER_SITE, name="Toisen kunnan asia")
    login = client.get("/staff")
    assert login.status_code == 200 and 'type="password"' in login.text
    wrong = client.post("/staff/login", data={"token": "ks_nope"}, follow_redirects=False)
    assert wrong.status_code == 401 and "Tunnus ei kelpaa" in wrong.text  # Finnish unless asked otherwise
    token = token_for(service, SITE)
    signed_in = client.post("/staff/login", data={"token": token}, follow_redirects=False)
    assert signed_in.status_code == 303
    cookie = signed_in.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/staff" in cookie
    page = client.get("/staff")
    assert "&lt;b&gt;Hostile&lt;/b&gt;" in page.text and "Toisen kunnan" not in page.text
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.html is not None and soup.html["lang"] == "fi" and len(soup.find_all("h1")) == 1
    assert "Merkitse käsitellyksi" in page.text
    action = f"/staff/submissions/{submission}/handled"
    button = soup.find("form", attrs={"action": action})
    assert button is not None
    forged = client.post(action, data={"csrf": "forged"}, follow_redirects=False)
    assert forged.status_code == 403 and "CSRF" in forged.text
    assert service.store.get(SITE, submission).status == "new"  # type: ignore[union-attr]
    csrf = button.find("input", attrs={"name": "csrf"})["value"]  # type: ignore[index,union-attr]
    done = client.post(action, data={"csrf": csrf}, follow_redirects=False)
    assert done.status_code == 303
    assert service.store.get(SITE, submission).status == "handled"  # type: ignore[union-attr]
    client.post("/staff/logout")
    client.cookies.clear()
    assert 'type="password"' in client.get("/staff").text


def test_token_cli(settings: Settings, service: Inbox, capsys: object) -> None:
    url = ["--database-url", settings.database_url]
    assert main(["token", "create", SITE, *url]) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    token = out.strip().splitlines()[-1]
    assert token.startswith("ks_") and service.store.token_site(hash_token(token)) == SITE
    assert main(["token", "list", *url]) == 0
    assert token not in capsys.readouterr().out  # type: ignore[attr-defined]
    assert main(["token", "revoke", token, *url]) == 0
    assert service.store.token_site(hash_token(token)) is None
    assert main(["token", "revoke", token, *url]) == 1
    assert main(["token", "create", "Not A Slug", *url]) == 2


def test_staff_page_language(client: TestClient) -> None:
    """Finnish by default; the browser's language when it is Swedish or English; ?lang= sticks."""
    assert 'lang="fi"' in client.get("/staff").text
    swedish = client.get("/staff", headers={"Accept-Language": "sv-FI,sv;q=0.9,en;q=0.5"})
    assert '<html lang="sv">' in swedish.text and "Personalens kod" in swedish.text
    english = client.get("/staff?lang=en")
    assert '<html lang="en">' in english.text and "Staff token" in english.text
    assert '<html lang="en">' in client.get("/staff").text, "the choice is remembered"


def test_staff_parameters_that_are_not_ids(client: TestClient, service: Inbox) -> None:
    """A NUL or any other odd text in ?form= or the path never reaches the database
    (PostgreSQL refuses NUL with an error): 400 or 404 with a reason."""
    token = token_for(service, SITE)
    listed = client.get("/staff/api/submissions?form=%00", headers=bearer(token))
    assert listed.status_code == 400 and "form id" in listed.json()["detail"]
    assert client.get("/staff/api/submissions/%00", headers=bearer(token)).status_code == 404
    assert client.post("/staff/api/submissions/x%27/handled", headers=bearer(token)).status_code == 404
