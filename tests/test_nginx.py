"""The generated nginx configuration served by Debian's nginx on 127.0.0.1, as a municipality
would install it: status codes, every header, the long cache, the redirects, the not-found
pages per language, `_headers` saying the same, and Chromium running the pages of a site with
forms and the feedback map without a single Content-Security-Policy violation.

Pieni (with redirects, one of them to another site, and a photo with resized copies) and
Kaksikielinen (fi + sv) are https:// sites: their files are used with only the listen addresses
and the certificate swapped for a self-signed one. Karvia has forms and the feedback map and is
built for http://127.0.0.1:PORT/, and Alipolku (fi + sv) for http://127.0.0.1:PORT/sivut/, whose
files need no change at all. All four run in one nginx, as sites share a server. Every file
checked is one the build made."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from kuntasivu.serving import FINGERPRINTED, IMMUTABLE, REVALIDATE, SERVE_ROOT_ENV
from playwright.sync_api import Browser, Page, Route

from tests.conftest import ROOT, make_project
from tests.inbox.conftest import free_port
from tests.karvia_local import build_karvia
from tests.test_images import jpeg

pytestmark = pytest.mark.e2e

HTTPS_SITES = {"pieni": "www.pieni.fi", "kaksikielinen": "www.kaksikielinen.fi"}
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
)
EXTERNAL = "https://www.example.fi/vanha-palvelu/"
PIENI_REDIRECTS = f"""redirects:
  /vanha/kirjasto/: kirjasto
  /vanha/palvelu/: {EXTERNAL}
  /vanha/p%C3%A4iv%C3%A4hoito/: valtuusto
"""
FEEDBACK_PAGE = "asuminen/palaute-kartalla/"
SUB = "alipolku"
"""A copy of Kaksikielinen served under a sub-path, from <serve root>/alipolku/ as the README says."""
SUB_BASE = "/sivut/"
FORMS_JS = re.compile(r"assets/forms(\.[0-9a-f]{10})?\.js")
"""The forms' script, fingerprinted or not: a page that loads it has a form."""
TEMP_KINDS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
"""nginx's folders for request bodies and the like: inside the test's prefix, not /var/lib/nginx."""
TILES = "https://tile.openstreetmap.org/**"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478da63f8cfc000"
    "0003010100c9fe92ef0000000049454e44ae426082"
)
"""A 1×1 PNG: the map tiles, answered by the browser test itself (no network)."""


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if found is None:
        pytest.fail("nginx is missing: install it with 'apt-get install -y nginx-light' (make test does this)")
    return found


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.fail("openssl is missing: install it with 'apt-get install -y openssl' (make test does this)")
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost"]
    subprocess.run([*command, "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=60)
    return cert, key


def for_test(conf: str, host: str, http_port: int, https_port: int, cert: Path, key: Path) -> str:
    """An https site's generated file with the changes an installer makes: the addresses to listen
    on (127.0.0.1 and free ports instead of 80 and 443) and the certificate's files."""
    changes = [
        (r"(?m)^    listen \[::\]:(80|443)( ssl http2)?;\n", "", 2),
        (r"(?m)^    listen 80;$", f"    listen 127.0.0.1:{http_port};", 1),
        (r"(?m)^    listen 443 ssl http2;$", f"    listen 127.0.0.1:{https_port} ssl http2;", 1),
        (re.escape(f"/etc/letsencrypt/live/{host}/fullchain.pem"), str(cert), 1),
        (re.escape(f"/etc/letsencrypt/live/{host}/privkey.pem"), str(key), 1),
    ]
    for pattern, replacement, count in changes:
        conf, made = re.subn(pattern, replacement, conf)
        assert made == count, f"{host}: expected {count} × {pattern} in _nginx.conf, found {made}"
    return conf


def main_conf(prefix: Path) -> str:
    """nginx's own nginx.conf, as Debian's: the sites' files are included inside http {}."""
    temp = prefix / "temp"
    # pytest's folders are 0700: as root the workers must be root too to read the sites.
    user = "user root;\n" if os.geteuid() == 0 else ""
    paths = "".join(
        f"    {kind}_temp_path {temp / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'} warn;\n"
        "events { worker_connections 64; }\n"
        f"http {{\n    access_log off;\n{paths}    include {prefix / 'sites'}/*.conf;\n}}\n"
    )


def nginx_files(prefix: Path) -> list[str]:
    """nginx's prefix, configuration and startup error log (not /var/log/nginx, which may be closed to us)."""
    return ["-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")]


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"nginx stopped at once:\n{log.read_text('utf-8', 'replace')}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    pytest.fail(f"nginx did not answer on port {port} in 15 s:\n{log.read_text('utf-8', 'replace')}")


@dataclass
class Served:
    public: Path
    prefix: Path
    http_port: int
    https_port: int
    karvia_port: int
    inbox_port: int
    sub_port: int
    client: httpx.Client

    def https(self, slug: str, path: str, **headers: str) -> httpx.Response:
        host = HTTPS_SITES[slug]
        return self.client.get(f"https://127.0.0.1:{self.https_port}{path}", headers={"Host": host, **headers})

    def karvia(self, path: str) -> httpx.Response:
        return self.client.get(f"http://127.0.0.1:{self.karvia_port}{path}")

    def sub(self, path: str) -> httpx.Response:
        return self.client.get(f"http://127.0.0.1:{self.sub_port}{path}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    nginx = nginx_binary()
    work = tmp_path_factory.mktemp("nginx")
    project = make_project(work / "project", municipalities=("pieni", "kaksikielinen"))
    shutil.copytree(ROOT / "municipalities" / "karvia", project / "municipalities" / "karvia")
    site_yml = project / "municipalities" / "pieni" / "site.yml"
    text = site_yml.read_text("utf-8")
    assert "redirects:\n  /vanha/kirjasto/: kirjasto\n" in text
    site_yml.write_text(text.replace("redirects:\n  /vanha/kirjasto/: kirjasto\n", PIENI_REDIRECTS), "utf-8")
    with_photo(project / "municipalities" / "pieni")
    public = project / "public"
    karvia_port, inbox_port, http_port, https_port = free_port(), free_port(), free_port(), free_port()
    sub_port = free_port()
    with_sub_path_copy(project / "municipalities", sub_port)
    with pytest.MonkeyPatch.context() as env:
        # The server's root in each _nginx.conf: where the sites are built, so nothing is rewritten.
        env.setenv(SERVE_ROOT_ENV, str(public))
        command = [sys.executable, "-m", "kuntasivu.cli", "build", "pieni", "kaksikielinen", SUB, "--checks", "static"]
        result = subprocess.run(
            [*command, "--today", "2026-11-26"], cwd=project, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout + result.stderr
        build_karvia(project, karvia_port, inbox_port)

    prefix = work / "nginx"
    (prefix / "sites").mkdir(parents=True)
    for kind in TEMP_KINDS:
        (prefix / "temp" / kind).mkdir(parents=True)
    cert, key = self_signed_certificate(prefix)
    for slug, host in HTTPS_SITES.items():
        conf = (public / slug / "_nginx.conf").read_text("utf-8")
        (prefix / "sites" / f"{slug}.conf").write_text(for_test(conf, host, http_port, https_port, cert, key))
    for slug in ("karvia", SUB):
        shutil.copy(public / slug / "_nginx.conf", prefix / "sites" / f"{slug}.conf")
    (prefix / "nginx.conf").write_text(main_conf(prefix), "utf-8")
    checked = subprocess.run([nginx, "-t", *nginx_files(prefix)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    log = prefix / "stderr.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen([nginx, *nginx_files(prefix), "-g", "daemon off;"], stdout=stderr, stderr=stderr)
    try:
        for port in (http_port, https_port, karvia_port, sub_port):
            wait_for_port(port, process, log)
        # A self-signed certificate; no proxy from the environment for 127.0.0.1.
        with httpx.Client(verify=False, trust_env=False, follow_redirects=False, timeout=10) as client:
            yield Served(public, prefix, http_port, https_port, karvia_port, inbox_port, sub_port, client)
    finally:
        process.terminate()
        process.wait(timeout=10)


def with_photo(municipality: Path) -> None:
    """A 3000 px photo as the news item's image: the build publishes resized copies of it."""
    jpeg(municipality / "assets" / "kirjasto.jpg", 3000, 2000)
    news = municipality / "news" / "uutinen.yml"
    image = "image:\n  src: assets/kirjasto.jpg\n  alt: Kirjaston uusi lukusali.\n"
    news.write_text(news.read_text("utf-8") + image, "utf-8")


def with_sub_path_copy(municipalities: Path, port: int) -> None:
    """Kaksikielinen again as SUB, at http://127.0.0.1:PORT/sivut/ and with an old address."""
    shutil.copytree(municipalities / "kaksikielinen", municipalities / SUB)
    site_yml = municipalities / SUB / "site.yml"
    text = site_yml.read_text("utf-8")
    assert "site_url: https://www.kaksikielinen.fi/\n" in text and "redirects:" not in text
    text = text.replace("site_url: https://www.kaksikielinen.fi/\n", f"site_url: http://127.0.0.1:{port}{SUB_BASE}\n")
    site_yml.write_text(text + "redirects:\n  /vanha/kirjasto/: kirjasto\n", "utf-8")


@dataclass(frozen=True)
class BuiltFiles:
    """Addresses of files the build made, one of each kind the server's rules are about."""

    css: str
    fragment: str
    index: str
    calendar: str
    image: str
    photo: str
    """The original of ``image``: its name stays, so it is revalidated."""


def first(site: Path, pattern: str, *, only: bool = False) -> str:
    """The address of the first file of ``site`` that matches the glob ``pattern``; none (or, with
    ``only``, several) fail the test."""
    found = sorted(site.glob(pattern))
    assert found and not (only and len(found) > 1), f"{site.name}: expected {pattern} in the build, found {found}"
    return "/" + found[0].relative_to(site).as_posix()


def built_files(site: Path) -> BuiltFiles:
    return BuiltFiles(
        css=first(site, "assets/kunta.*.css", only=True),
        fragment=first(site, "pagefind/fragment/*.pf_fragment"),
        index=first(site, "pagefind/index/*.pf_index"),
        calendar=first(site, "*/kalenteri.ics", only=True),
        image=first(site, "assets/kirjasto.*w.*.jpg"),
        photo=first(site, "assets/kirjasto.jpg", only=True),
    )


def rules_of(headers_file: str) -> dict[str, dict[str, str]]:
    """`_headers` as path pattern → {header: value}, read as Netlify and Cloudflare Pages read it."""
    rules: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in headers_file.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            current = rules.setdefault(line.strip(), {})
            continue
        assert current is not None, f"a header before any path: {line!r}"
        name, _, value = line.strip().partition(":")
        current[name] = value.strip()
    return rules


def csp(response: httpx.Response) -> dict[str, list[str]]:
    policy = {}
    for directive in response.headers["content-security-policy"].split(";"):
        name, *sources = directive.split()
        policy[name] = sources
    return policy


# --- headers ---------------------------------------------------------------------------------


def test_nginx_accepts_the_generated_configuration(served: Served) -> None:
    result = subprocess.run([nginx_binary(), "-t", *nginx_files(served.prefix)], capture_output=True, text=True)
    assert result.returncode == 0 and "test is successful" in result.stderr, result.stderr


@pytest.mark.parametrize("slug", sorted(HTTPS_SITES))
@pytest.mark.parametrize("path", ["/", "/palvelut/", "stylesheet", "/ei-ole/", "/vanha/kirjasto/"])
def test_every_response_carries_the_headers_that_headers_file_states(served: Served, slug: str, path: str) -> None:
    stated = rules_of((served.public / slug / "_headers").read_text("utf-8"))["/*"]
    assert sorted(stated) == sorted(SECURITY_HEADERS)
    if path == "stylesheet":  # the fingerprinted one the build made
        path = first(served.public / slug, "assets/kunta.*.css", only=True)
    response = served.https(slug, path)
    assert response.status_code in (200, 301, 404)
    for name, value in stated.items():
        assert response.headers.get_list(name) == [value], f"{path}: {name}"
    assert "server" not in response.headers or "nginx/" not in response.headers["server"]


def test_the_policy_allows_only_the_sites_own_files_without_inline_code(served: Served) -> None:
    policy = csp(served.https("pieni", "/"))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'"]  # the built pages have no inline scripts
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'"]  # no map: no tile server, no data: images
    assert policy["connect-src"] == ["'self'"] and policy["form-action"] == ["'self'"]  # no inbox_url
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["upgrade-insecure-requests"] == []
    header = served.https("pieni", "/").headers["content-security-policy"]
    assert "unsafe-inline" not in header and "'unsafe-eval'" not in header
    assert "geolocation=()" in served.https("pieni", "/").headers["permissions-policy"]


def test_the_map_site_allows_its_tiles_and_its_receiving_service(served: Served) -> None:
    response = served.karvia("/")
    policy = csp(response)
    inbox = f"http://127.0.0.1:{served.inbox_port}"
    assert policy["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert policy["connect-src"] == ["'self'", inbox] and policy["form-action"] == ["'self'", inbox]
    assert "upgrade-insecure-requests" not in policy  # an http:// site for trying out
    assert "strict-transport-security" not in response.headers
    assert "geolocation=(self)" in response.headers["permissions-policy"].split(", ")


# --- cache -----------------------------------------------------------------------------------


def test_fingerprinted_files_are_cached_for_a_year_and_pages_are_revalidated(served: Served) -> None:
    site = served.public / "pieni"
    files = built_files(site)
    for path in ("/", "/palvelut/", "/404.html", "/sitemap.xml", files.calendar, "/assets/kunta.css", files.photo):
        response = served.https("pieni", path)
        assert response.status_code == 200 and response.headers["cache-control"] == REVALIDATE, path
    for path in (files.css, files.fragment, files.index, files.image):
        response = served.https("pieni", path)
        assert response.status_code == 200 and response.headers["cache-control"] == IMMUTABLE, path
    # Whatever stylesheets the build made: immutable exactly when fingerprinted.
    fingerprinted = re.compile(FINGERPRINTED[0].pattern)
    for css in site.glob("assets/*.css"):
        path = css.relative_to(site).as_posix()
        expected = IMMUTABLE if fingerprinted.fullmatch(path) else REVALIDATE
        assert served.https("pieni", f"/{path}").headers["cache-control"] == expected, path
    # Whatever resized copies it made of the photo: all of them, and nothing else, for a year.
    copies = sorted(path.relative_to(site).as_posix() for path in site.glob("assets/kirjasto.*.jpg"))
    assert len(copies) >= 2
    for path in copies:
        expected = REVALIDATE if path == files.photo.lstrip("/") else IMMUTABLE
        assert served.https("pieni", f"/{path}").headers["cache-control"] == expected, path
    # Pagefind keeps these names from version to version.
    for name in ("pagefind/pagefind.js", "pagefind/pagefind-entry.json", "pagefind/wasm.fi.pagefind"):
        response = served.https("pieni", f"/{name}")
        assert response.status_code == 200 and response.headers["cache-control"] == REVALIDATE, name
    # A fingerprinted name that is not there is an error, and errors are never cached.
    for path in ("/assets/kunta.9876543210.css", "/assets/kirjasto.480w.9876543210.jpg"):
        missing = served.https("pieni", path)
        assert missing.status_code == 404 and missing.headers["cache-control"] == REVALIDATE, path


def test_headers_file_gives_the_long_cache_to_the_fingerprinted_files_the_build_made(served: Served) -> None:
    for slug in ("pieni", "karvia"):
        rules = rules_of((served.public / slug / "_headers").read_text("utf-8"))
        long_cached = [path for path, headers in rules.items() if headers.get("Cache-Control") == IMMUTABLE]
        assert "/pagefind/fragment/*.pf_fragment" in long_cached
        assert first(served.public / slug, "assets/kunta.*.css", only=True) in long_cached
        assert all(set(rules[path]) == {"Cache-Control"} for path in long_cached)  # never a second value
        for path in long_cached:
            if "*" not in path:
                response = served.https(slug, path) if slug != "karvia" else served.karvia(path)
                assert response.status_code == 200 and response.headers["cache-control"] == IMMUTABLE, path
    pieni = rules_of((served.public / "pieni" / "_headers").read_text("utf-8"))
    assert pieni[built_files(served.public / "pieni").image] == {"Cache-Control": IMMUTABLE}
    assert "/assets/kirjasto.jpg" not in pieni


# --- redirects, not found, types -------------------------------------------------------------


def test_old_addresses_redirect_permanently_with_and_without_the_final_slash(served: Served) -> None:
    lines = (served.public / "pieni" / "_redirects").read_text("utf-8").splitlines()
    targets = {old: target for old, target, _status in (line.split() for line in lines)}
    assert targets["/vanha/palvelu/"] == EXTERNAL
    assert len(targets) == 3
    for old, target in targets.items():
        for path in (old, old.rstrip("/")):
            response = served.https("pieni", path)
            assert response.status_code == 301, path
            assert response.headers["location"] == target, path
    kirjasto = served.https("pieni", targets["/vanha/kirjasto/"])
    assert kirjasto.status_code == 200 and "<h1" in kirjasto.text


def test_plain_http_sends_readers_to_https(served: Served) -> None:
    response = served.client.get(f"http://127.0.0.1:{served.http_port}/palvelut/?q=1", headers={"Host": "www.pieni.fi"})
    assert response.status_code == 301
    assert response.headers["location"] == "https://www.pieni.fi/palvelut/?q=1"


def test_a_folder_without_its_slash_is_redirected_to_the_folder(served: Served) -> None:
    response = served.https("pieni", "/palvelut")
    assert response.status_code == 301 and response.headers["location"] == "/palvelut/"


def test_an_unknown_address_gets_the_not_found_page_of_its_language(served: Served) -> None:
    site = served.public / "kaksikielinen"
    finnish = served.https("kaksikielinen", "/ei-ole/")
    assert finnish.status_code == 404 and finnish.text == (site / "404.html").read_text("utf-8")
    swedish = served.https("kaksikielinen", "/sv/finns-inte/")
    assert swedish.status_code == 404 and swedish.text == (site / "sv" / "404.html").read_text("utf-8")
    assert swedish.text != finnish.text
    assert swedish.headers["content-type"] == "text/html; charset=utf-8"


def test_the_servers_own_files_are_not_served_but_the_component_library_is(served: Served) -> None:
    site = served.public / "pieni"
    for name in ("_nginx.conf", "_headers", "_redirects"):
        assert (site / name).is_file()
        response = served.https("pieni", f"/{name}")
        assert response.status_code == 404 and response.text == (site / "404.html").read_text("utf-8"), name
    components = served.https("pieni", "/_components/")
    assert components.status_code == 200 and "<iframe" in components.text


def test_types_charset_and_compression(served: Served) -> None:
    files = built_files(served.public / "pieni")
    cases = {
        "/": "text/html; charset=utf-8",
        files.css: "text/css; charset=utf-8",
        files.calendar: "text/calendar; charset=utf-8",
        "/sitemap.xml": "text/xml; charset=utf-8",
        files.fragment: "application/octet-stream",
        files.image: "image/jpeg",
    }
    for path, expected in cases.items():
        response = served.https("pieni", path)
        assert response.status_code == 200 and response.headers["content-type"] == expected, path
    for path in ("/", files.css, files.calendar):
        response = served.https("pieni", path, **{"Accept-Encoding": "gzip"})
        assert response.headers["content-encoding"] == "gzip", path
        assert "Accept-Encoding" in response.headers["vary"]
    for path in (files.fragment, files.image):  # compressed already: Pagefind's gzip, JPEG
        response = served.https("pieni", path, **{"Accept-Encoding": "gzip"})
        assert "content-encoding" not in response.headers, path


# --- a site under a sub-path -----------------------------------------------------------------


def test_a_sub_path_site_is_served_from_the_folder_the_readme_names(served: Served) -> None:
    site = served.public / SUB
    conf = (site / "_nginx.conf").read_text("utf-8")
    assert f"copy the built site (public/{SUB}/) to {site}/ (" in conf  # <serve root>/<slug>/, as the README says
    stated = rules_of((site / "_headers").read_text("utf-8"))[f"{SUB_BASE}*"]
    pages = {SUB_BASE: "index.html", f"{SUB_BASE}sv/": "sv/index.html", f"{SUB_BASE}404.html": "404.html"}
    for path, name in pages.items():
        response = served.sub(path)
        assert response.status_code == 200 and response.text == (site / name).read_text("utf-8"), path
        assert response.headers["cache-control"] == REVALIDATE, path
        for header, value in stated.items():
            assert response.headers.get_list(header) == [value], f"{path}: {header}"
    css = first(site, "assets/kunta.*.css", only=True)
    asset = served.sub(SUB_BASE.rstrip("/") + css)
    assert asset.status_code == 200 and asset.content == (site / css.lstrip("/")).read_bytes()
    assert asset.headers["cache-control"] == IMMUTABLE and asset.headers["content-type"] == "text/css; charset=utf-8"


def test_a_sub_path_site_redirects_old_addresses_and_folders(served: Served) -> None:
    site = served.public / SUB
    (line,) = (site / "_redirects").read_text("utf-8").splitlines()
    old, target, _status = line.split()
    assert old == f"{SUB_BASE}vanha/kirjasto/" and target.startswith(SUB_BASE)
    for path in (old, old.rstrip("/")):
        response = served.sub(path)
        assert response.status_code == 301 and response.headers["location"] == target, path
    page = served.sub(target)
    assert page.status_code == 200 and page.text == (site / target.removeprefix(SUB_BASE) / "index.html").read_text()
    for path, location in ((SUB_BASE.rstrip("/"), SUB_BASE), (f"{SUB_BASE}sv", f"{SUB_BASE}sv/")):
        response = served.sub(path)
        assert response.status_code == 301 and response.headers["location"] == location, path


def test_a_sub_path_site_answers_unknown_addresses_with_its_not_found_pages(served: Served) -> None:
    site = served.public / SUB
    finnish, swedish = (site / "404.html").read_text("utf-8"), (site / "sv" / "404.html").read_text("utf-8")
    cases = {
        f"{SUB_BASE}ei-ole/": finnish,
        f"{SUB_BASE}sv/finns-inte/": swedish,
        f"{SUB_BASE}assets/kunta.9876543210.css": finnish,
        "/muu/": finnish,  # outside the site: nothing else lives on this server
        f"{SUB_BASE}_nginx.conf": finnish,
        f"{SUB_BASE}_redirects": finnish,
    }
    for path, expected in cases.items():
        response = served.sub(path)
        assert response.status_code == 404 and response.text == expected, path
        assert response.headers["cache-control"] == REVALIDATE and "content-security-policy" in response.headers


# --- the browser -----------------------------------------------------------------------------

# Playwright's page functions are always written as "() => …": an expression string would be run
# with eval() in the page, which the policy rightly blocks.
COLLECT_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} on ${location.href}`);
});
"""


class Watched:
    """A Chromium page that records CSP violations (each frame's own) and policy console errors."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console.append(f"page error: {error}"))

    def _console(self, message: Any) -> None:
        text = message.text
        if re.search(r"Content.Security.Policy|Permissions.Policy|Refused to", text, re.I):
            self.console.append(text)

    def violations(self) -> list[str]:
        found: list[str] = []
        for frame in self.page.frames:
            seen = frame.evaluate("() => window.__violations ?? null")
            assert seen is not None, f"the watch did not start in the frame {frame.url}"
            found += seen
        return found + self.console


@pytest.fixture
def watched(browser: Browser, served: Served) -> Iterator[tuple[Watched, list[str]]]:
    """A page in a context that answers the map tiles and the receiving service itself (offline),
    listing the service's requests: a request the policy blocked never reaches them."""
    context = browser.new_context(permissions=["geolocation"], geolocation={"latitude": 62.1358, "longitude": 22.5653})
    context.add_init_script(COLLECT_VIOLATIONS)
    context.route(TILES, lambda route: route.fulfill(status=200, content_type="image/png", body=PNG))
    sent: list[str] = []

    def inbox(route: Route) -> None:
        sent.append(f"{route.request.method} {route.request.url}")
        route.fulfill(status=200, content_type="application/json", body='{"ok": true}')

    context.route(f"http://127.0.0.1:{served.inbox_port}/**", inbox)
    yield Watched(context.new_page()), sent
    context.close()


def test_the_feedback_map_runs_under_the_policy(served: Served, watched: tuple[Watched, list[str]]) -> None:
    page, sent = watched
    page.page.goto(f"http://127.0.0.1:{served.karvia_port}/{FEEDBACK_PAGE}", wait_until="load")
    page.page.wait_for_selector(".leaflet-tile-loaded")  # tiles from the allowed tile server
    assert page.page.evaluate("() => document.featurePolicy.allowsFeature('geolocation')") is True
    assert page.page.evaluate("() => document.featurePolicy.allowsFeature('camera')") is False
    page.page.get_by_role("button", name="Käytä sijaintiani").click()  # geolocation=(self)
    page.page.wait_for_function("() => document.querySelector('#feedback-lat').value !== ''")
    # Zooming makes Leaflet cancel tiles with a data: image.
    page.page.locator(".ks-feedback__zoom-button").first.click()
    page.page.wait_for_timeout(300)
    # What feedback.js and forms.js do when sending: fetch() to the receiving service, and the
    # plain POST without JavaScript (form-action).
    inbox = f"http://127.0.0.1:{served.inbox_port}/"
    # The service here does not answer CORS, so the answer is unreadable; what matters is that it was asked.
    page.page.evaluate("(url) => fetch(url + 'feedback/karvia', {method: 'POST', body: 'x'}).catch(() => null)", inbox)
    assert page.violations() == []
    with page.page.expect_navigation():
        page.page.evaluate("() => document.querySelector('form.ks-feedback__form').submit()")
    assert [request.split()[0] for request in sent] == ["POST", "POST"], sent
    assert page.violations() == []


def test_form_page_and_component_library_run_under_the_policy(
    served: Served, watched: tuple[Watched, list[str]]
) -> None:
    page, _ = watched
    site = served.public / "karvia"
    form_pages = sorted(
        path.parent.relative_to(site).as_posix() + "/"
        for path in site.rglob("index.html")
        if FORMS_JS.search(path.read_text("utf-8")) and not path.is_relative_to(site / "_components")
    )
    assert form_pages, "karvia should have a page with a form"
    for path in (form_pages[0], "_components/", ""):
        page.page.goto(f"http://127.0.0.1:{served.karvia_port}/{path}", wait_until="load")
        # The component library's examples are lazy frames: load them all now.
        page.page.evaluate("() => document.querySelectorAll('iframe').forEach((frame) => { frame.loading = 'eager'; })")
        page.page.wait_for_function(
            "() => [...document.querySelectorAll('iframe')].every((f) =>"
            " f.contentDocument?.readyState === 'complete' && f.contentDocument.title !== '')"
        )
        if path == "_components/":  # every example frame is watched too
            assert len(page.page.frames) == 1 + page.page.locator("iframe").count() > 10
        assert page.violations() == [], path


def test_the_search_runs_its_webassembly_under_the_policy(served: Served, watched: tuple[Watched, list[str]]) -> None:
    page, _ = watched
    site = served.public / "karvia"
    search = next(
        path for path in site.glob("*/index.html") if '<div class="search" data-pagefind=' in path.read_text()
    )
    page.page.goto(f"http://127.0.0.1:{served.karvia_port}/{search.parent.name}/?q=kirjasto", wait_until="load")
    # Results, which need pagefind.js, its index and its WebAssembly; or a violation that stops them.
    page.page.wait_for_function("() => document.querySelector('.search__list li a') || window.__violations.length")
    assert page.violations() == []
    assert page.page.locator(".search__list li a").count() > 0


def test_the_violation_watch_sees_a_blocked_request(served: Served, watched: tuple[Watched, list[str]]) -> None:
    """The other browser tests' empty lists mean something: a request to a third party is seen."""
    page, _ = watched
    page.page.goto(f"http://127.0.0.1:{served.karvia_port}/", wait_until="load")
    page.page.evaluate("() => fetch('https://www.example.org/').catch(() => null)")
    page.page.wait_for_function("() => window.__violations.length > 0")
    assert any("connect-src blocked https://www.example.org/" in v for v in page.violations())
