"""serving.py without a server: what the Content-Security-Policy allows and why, the inline code
it hashes or refuses, `_headers` and its hosts' limits, and the nginx text for a site under a
sub-path (checked by `nginx -t`). test_nginx.py serves real builds."""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from kuntasivu.content.errors import ContentErrors
from kuntasivu.content.images import CONTENT, Images
from kuntasivu.content.loading import Content, load_content
from kuntasivu.content.pages import redirects_file, site_redirects
from kuntasivu.content.tiles import tile_server_source
from kuntasivu.serving import (
    FINGERPRINTED,
    IMMUTABLE,
    PageScan,
    ServingError,
    content_security_policy,
    csp_hash,
    headers_file,
    nginx_config,
    permissions_policy,
    scan_html,
    security_headers,
    serving,
    write_serving_files,
)

from tests.conftest import SHARED
from tests.content.test_feedback import with_feedback
from tests.content.test_forms import with_inbox
from tests.test_images import jpeg, png

OWN = frozenset({"https://www.pieni.fi"})
MakeMunicipality = Callable[..., Path]


def scanned(html: str, allowed: frozenset[str] = OWN) -> PageScan:
    scan = PageScan()
    scan_html(html, "/sivu/", allowed, scan)
    return scan


def page(body: str, head: str = "") -> str:
    return f'<!doctype html><html lang="fi"><head><title>Sivu</title>{head}</head><body>{body}</body></html>'


def directives(policy: str) -> dict[str, list[str]]:
    return {name: sources for name, *sources in (d.split() for d in policy.split(";"))}


def site_with(make_municipality: MakeMunicipality, extra: str = "", site_url: str | None = None) -> Content:
    municipality = make_municipality("pieni")
    site = municipality / "site.yml"
    text = site.read_text("utf-8") + extra
    if site_url:
        text = text.replace("site_url: https://www.pieni.fi/", f"site_url: {site_url}")
    site.write_text(text, "utf-8")
    return load_content(municipality, SHARED)


# --- inline code -----------------------------------------------------------------------------


def test_an_inline_script_is_allowed_by_the_hash_browsers_compute() -> None:
    code = "document.documentElement.className = 'js';"
    expected = "sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
    scan = scanned(page("<p>x</p>", f"<script>{code}</script>"))
    assert list(scan.script_hashes) == [expected] and scan.script_hashes[expected] == ["/sivu/"]
    assert scan.problems == [] and scan.style_hashes == {}
    # The HTML parser turns CR LF into LF before the browser hashes the text.
    assert csp_hash("a;\r\nb;") == csp_hash("a;\nb;") != csp_hash("a; b;")


def test_data_blocks_are_not_scripts_and_modules_are() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "WebSite"}</script>'
        '<script type="application/json" class="rules">{"a": 1}</script>'
        '<script src="/assets/site.js"></script>'
        '<script type="module">import "/assets/m.js";</script>'
        '<script type=" Text/JavaScript ">var a = 1;</script>'
    )
    scan = scanned(page("", head))
    assert sorted(scan.script_hashes) == sorted([csp_hash('import "/assets/m.js";'), csp_hash("var a = 1;")])


def test_no_inline_code_no_hash_in_the_policy(make_municipality: MakeMunicipality) -> None:
    content = site_with(make_municipality)
    policy = directives(content_security_policy(content, scanned(page("<p>Hei</p>"))))
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'"] and policy["style-src"] == ["'self'"]
    hashed = scanned(page("", "<style>p { color: red; }</style><script>var a;</script>"))
    policy = directives(content_security_policy(content, hashed))
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'", f"'{csp_hash('var a;')}'"]
    assert policy["style-src"] == ["'self'", f"'{csp_hash('p { color: red; }')}'"]


def test_what_no_policy_can_allow_safely_is_reported_with_the_page() -> None:
    body = (
        '<button onclick="go()">Mene</button><p style="color: red">Punainen</p>'
        '<a href="javascript:void(0)">Linkki</a><img src="https://kuvat.example.fi/a.jpg" alt="A">'
        '<img srcset="/assets/a.jpg 1x, //cdn.example.fi/a2.jpg 2x" alt="B">'
        '<link rel="stylesheet" href="https://fonts.example.com/f.css">'
        '<form action="https://muu.example.fi/laheta"></form>'
    )
    problems = scanned(page(body)).problems
    assert len(problems) == 7 and all(problem.startswith("/sivu/: ") for problem in problems)
    assert "onclick" in problems[0] and "script file" in problems[0]
    assert "style attribute" in problems[1] and "class" in problems[1]
    assert "javascript:" in problems[2]
    assert "https://kuvat.example.fi" in problems[3] and "assets/" in problems[3]
    assert "https://cdn.example.fi" in problems[4]
    assert "https://fonts.example.com" in problems[5]
    assert "form-action" in problems[6] and "inbox_url" in problems[6]


def test_own_and_receiving_service_addresses_are_fine() -> None:
    allowed = OWN | {"https://lomakkeet.pieni.fi"}
    body = (
        '<img src="https://www.pieni.fi/assets/a.jpg" alt="A"><img src="assets/b.jpg" alt="B">'
        '<a href="https://www.example.fi/">Muu sivusto</a>'
        '<form action="https://lomakkeet.pieni.fi/forms/pieni/palaute" method="post"></form>'
    )
    assert scanned(page(body), allowed).problems == []


def test_frames_run_under_the_page_policy_and_their_example_forms_may_name_any_service() -> None:
    frame = '<script>var inFrame = 1;</script><p style="x">x</p><form action="https://lomakkeet.muu.fi/"></form>'
    scan = scanned(page(f'<iframe title="Esimerkki" srcdoc="{frame.replace(chr(34), "&quot;")}"></iframe>'))
    assert list(scan.script_hashes) == [csp_hash("var inFrame = 1;")]
    assert len(scan.problems) == 1 and scan.problems[0].startswith("/sivu/ (a frame's srcdoc): <p style=")


def test_a_built_page_with_a_style_attribute_fails_with_where_and_how(
    make_municipality: MakeMunicipality, tmp_path: Path
) -> None:
    content = site_with(make_municipality)
    site = tmp_path / "site"
    (site / "palvelut").mkdir(parents=True)
    (site / "404.html").write_text(page("<p>Ei löytynyt</p>"), "utf-8")
    (site / "palvelut" / "index.html").write_text(page('<p style="color: red">Hei</p>'), "utf-8")
    with pytest.raises(ServingError) as raised:
        write_serving_files(content, site)
    assert '/palvelut/index.html: <p style="color: red">' in str(raised.value)
    assert not (site / "_headers").exists() and not (site / "_nginx.conf").exists()


# --- the policy per site ---------------------------------------------------------------------


def test_a_site_without_forms_or_map_allows_only_itself(make_municipality: MakeMunicipality) -> None:
    content = site_with(make_municipality)
    policy = directives(content_security_policy(content, PageScan()))
    assert policy == {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'wasm-unsafe-eval'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
        "upgrade-insecure-requests": [],
    }
    assert "geolocation=()" in permissions_policy(content).split(", ")
    names = [name for name, _ in security_headers(content, PageScan())]
    assert "Strict-Transport-Security" in names and "Cache-Control" not in names


def test_the_tile_server_and_the_service_only_on_a_site_with_the_map(make_municipality: MakeMunicipality) -> None:
    municipality = with_feedback(with_inbox(make_municipality("pieni")))
    content = load_content(municipality, SHARED)
    policy = directives(content_security_policy(content, PageScan()))
    assert policy["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert policy["connect-src"] == policy["form-action"] == ["'self'", "https://lomakkeet.pieni.fi"]
    assert "geolocation=(self)" in permissions_policy(content).split(", ")
    forms_only = load_content(with_inbox(make_municipality("kaksikielinen")), SHARED)
    assert directives(content_security_policy(forms_only, PageScan()))["img-src"] == ["'self'"]


def test_a_subdomain_placeholder_in_the_tiles_becomes_a_wildcard(make_municipality: MakeMunicipality) -> None:
    tiles = "    tiles: https://{s}.kartta.example.fi/{z}/{x}/{y}.png\n"
    municipality = with_inbox(make_municipality("pieni"))
    with_feedback(municipality)
    site = municipality / "site.yml"
    site.write_text(
        site.read_text("utf-8").replace("    centre: [60.25, 24.06]\n", "    centre: [60.25, 24.06]\n" + tiles)
    )
    policy = directives(content_security_policy(load_content(municipality, SHARED), PageScan()))
    assert policy["img-src"] == ["'self'", "data:", "https://*.kartta.example.fi"]


def test_a_placeholder_inside_the_tile_host_is_a_content_error(make_municipality: MakeMunicipality) -> None:
    tiles = "    tiles: https://kartta-{s}.example.fi/{z}/{x}/{y}.png\n"
    municipality = with_inbox(make_municipality("pieni"))
    with_feedback(municipality)
    site = municipality / "site.yml"
    text = site.read_text("utf-8").replace("    centre: [60.25, 24.06]\n", "    centre: [60.25, 24.06]\n" + tiles)
    site.write_text(text)
    line = text.splitlines().index(tiles.rstrip("\n")) + 1
    with pytest.raises(ContentErrors) as raised:  # refused as the content loads, before anything is built
        load_content(municipality, SHARED)
    message = raised.value.errors[0].format(municipality)
    assert message.startswith(f"site.yml:{line}:") and "feedback.map.tiles" in message and "{s}" in message


@pytest.mark.parametrize(
    ("tiles", "source"),
    [
        ("https://{s}.kartta.example.fi/{z}/{x}/{y}.png", "https://*.kartta.example.fi"),
        ("https://Kartta.Example.fi:8443/{z}/{x}/{y}.png", "https://kartta.example.fi:8443"),
        ("https://kartta-{s}.example.fi/{z}/{x}/{y}.png", None),
        ("https://{s}.fi/{z}/{x}/{y}.png", None),  # a wildcard over a whole top-level domain
        ("https://kartta;x.example.fi/{z}/{x}/{y}.png", None),  # would end the CSP directive
        ("https:///{z}/{x}/{y}.png", None),
    ],
)
def test_only_a_tile_host_the_policy_can_name_is_valid(tiles: str, source: str | None) -> None:
    if source is None:
        with pytest.raises(ValueError, match="tile server's host"):
            tile_server_source(tiles)
    else:
        assert tile_server_source(tiles) == source


def test_a_local_http_site_has_no_https_only_headers(make_municipality: MakeMunicipality) -> None:
    content = site_with(make_municipality, site_url="http://127.0.0.1:8123/")
    headers = dict(security_headers(content, PageScan()))
    assert "Strict-Transport-Security" not in headers
    assert "upgrade-insecure-requests" not in headers["Content-Security-Policy"]


# --- _headers and nginx ----------------------------------------------------------------------


def built(tmp_path: Path, *files: str) -> Path:
    site = tmp_path / "site"
    (site / "sv").mkdir(parents=True)
    for name in ("404.html", "index.html", "sv/index.html"):
        (site / name).write_text(page("<p>Sivu</p>"), "utf-8")
    for name in files:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("x", "utf-8")
    return site


def test_headers_file_lists_each_fingerprinted_file_once(make_municipality: MakeMunicipality, tmp_path: Path) -> None:
    content = site_with(make_municipality)
    site = built(tmp_path, "assets/kunta.0123456789.css", "assets/kunta.css", "assets/x/app.abcdef0123.js")
    text = headers_file(serving(content, site))
    lines = text.splitlines()
    assert lines[lines.index("/*") + 1].startswith("  Content-Security-Policy: default-src 'self';")
    for path in ("/assets/kunta.0123456789.css", "/assets/x/app.abcdef0123.js", "/pagefind/fragment/*.pf_fragment"):
        assert lines[lines.index(path) + 1] == f"  Cache-Control: {IMMUTABLE}"
    assert "/assets/kunta.css" not in lines and text.count("Cache-Control") == 6
    assert all(len(line) <= 2000 for line in lines)


def test_cloudflares_limits_are_errors_that_say_what_to_do(make_municipality: MakeMunicipality, tmp_path: Path) -> None:
    content = site_with(make_municipality)
    many = [f"assets/osa{n}.{n:010x}.js" for n in range(100)]
    with pytest.raises(ServingError, match="at most 100") as raised:
        headers_file(serving(content, built(tmp_path / "many", *many)))
    assert "100 × the site's CSS and JavaScript" in str(raised.value) and "_nginx.conf" in str(raised.value)
    scripts = "".join(f"<script>var n = {n};</script>" for n in range(40))
    site = built(tmp_path / "long")
    (site / "index.html").write_text(page("", scripts), "utf-8")
    with pytest.raises(ServingError, match=r"at most 2000.*40 inline script"):
        headers_file(serving(content, site))


def test_nginx_text_for_a_site_under_a_sub_path(make_municipality: MakeMunicipality, tmp_path: Path) -> None:
    extra = "inbox_url: http://127.0.0.1:8124/\n"
    content = site_with(make_municipality, extra, site_url="http://127.0.0.1:8123/kunta/")
    site = built(tmp_path, "assets/kunta.0123456789.css")
    conf = nginx_config(serving(content, site), "/srv/sivut")
    assert "    listen 127.0.0.1:8123;" in conf and "ssl" not in conf and "443" not in conf
    # The site's folder is <serve_root>/<slug>/ whatever its address: /kunta/ maps onto it.
    assert "copy the built site (public/pieni/) to /srv/sivut/pieni/ (" in conf and "    root " not in conf
    assert "    location /kunta/ {\n        alias /srv/sivut/pieni/;\n    }" in conf
    assert "    location = /kunta {\n        return 301 /kunta/;\n    }" in conf
    assert "conflicting server name" in conf  # two sub-path sites on one host: say what to do
    assert "    error_page 404 /kunta/404.html;" in conf
    assert '    location = "/kunta/vanha/kirjasto/" {\n        return 301 "/kunta/palvelut/kirjasto/";' in conf
    assert '    location = "/kunta/vanha/kirjasto" {' in conf and "    location = /kunta/_nginx.conf {" in conf
    assert '"~^(200|206|304) /kunta/(?:[^/]+/)*[^/]+\\\\.[0-9a-f]{10}\\\\.(?:css|js)$"' in conf
    assert "Strict-Transport-Security" not in conf


def test_redirects_come_from_the_content_as_in_the_redirects_file(
    make_municipality: MakeMunicipality, tmp_path: Path
) -> None:
    extra = "  /vanha/palvelu/: https://www.example.fi/uusi%20palvelu/?a=1&b=2\n  /vanha%20sivu/: /palvelut/kirjasto/\n"
    municipality = make_municipality("pieni")
    site = municipality / "site.yml"
    site.write_text(
        site.read_text("utf-8")
        .replace("  /vanha/kirjasto/: kirjasto\n", "  /vanha/kirjasto/: kirjasto\n" + extra)
        .replace("site_url: https://www.pieni.fi/", "site_url: https://www.pieni.fi/kunta/"),
        "utf-8",
    )
    content = load_content(municipality, SHARED)
    plan = serving(content, built(tmp_path))
    assert [(r.old, r.target) for r in plan.redirects] == [
        ("/kunta/vanha/kirjasto/", "/kunta/palvelut/kirjasto/"),
        ("/kunta/vanha/palvelu/", "https://www.example.fi/uusi%20palvelu/?a=1&b=2"),
        ("/kunta/vanha%20sivu/", "/kunta/palvelut/kirjasto/"),
    ]
    assert [(r.old, r.target) for r in plan.redirects] == site_redirects(content)
    assert redirects_file(content).splitlines() == [f"{r.old} {r.target} 301" for r in plan.redirects]
    conf = nginx_config(plan)
    assert '    location = "/kunta/vanha sivu/" {\n        return 301 "/kunta/palvelut/kirjasto/";' in conf
    assert 'return 301 "https://www.example.fi/uusi%20palvelu/?a=1&b=2";' in conf


def test_nginx_accepts_the_sub_path_site(make_municipality: MakeMunicipality, tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.fail("nginx is missing: install it with 'apt-get install -y nginx-light' (make test does this)")
    content = site_with(make_municipality, site_url="http://127.0.0.1:8123/kunta/")
    (tmp_path / "conf").mkdir()
    site_conf = tmp_path / "conf" / "site.conf"
    site_conf.write_text(nginx_config(serving(content, built(tmp_path)), str(tmp_path / "public")), "utf-8")
    main = tmp_path / "conf" / "nginx.conf"
    main.write_text(
        f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\nevents {{}}\n"
        f"http {{ access_log off; include {site_conf}; }}\n",
        "utf-8",
    )
    command = [nginx, "-t", "-p", str(tmp_path), "-c", str(main), "-e", str(tmp_path / "error.log")]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_site_at_the_root_keeps_its_folder_as_the_servers_root(
    make_municipality: MakeMunicipality, tmp_path: Path
) -> None:
    conf = nginx_config(serving(site_with(make_municipality), built(tmp_path)), "/srv/sivut")
    assert "    root /srv/sivut/pieni;" in conf and "alias" not in conf
    assert "copy the built site (public/pieni/) to /srv/sivut/pieni/ (" in conf
    assert "    location / {\n        try_files $uri $uri/ =404;\n    }" in conf
    assert "conflicting server name" not in conf


def test_resized_image_copies_get_the_long_cache_and_their_originals_do_not(
    make_municipality: MakeMunicipality, tmp_path: Path
) -> None:
    """The copies content/images.py really makes, by the names it gives them."""
    images = Images(tmp_path / "cache")
    photo = images.describe(jpeg(tmp_path / "in" / "kuva.jpg", 3000, 2000), "assets/kuva.jpg", CONTENT)
    drawing = images.describe(png(tmp_path / "in" / "kartta.png", 2000, 300), "assets/kartta.png", CONTENT)
    copies = sorted(c["src"] for view in (photo, drawing) for c in view["srcset"] if c["src"] in images.variants)
    assert len(copies) >= 4 and {Path(c).suffix for c in copies} == {".jpg", ".png"}
    not_copies = (
        "assets/kuva.jpg",
        "assets/kuva.480w.jpg",
        "assets/kuva.480w.0123456789.gif",
        "assets/kuva.w.0123456789.jpg",
    )
    site = built(tmp_path, *not_copies)
    for address in copies:
        (site / address).write_bytes(images.variants[address].read_bytes())
    plan = serving(site_with(make_municipality), site)
    assert plan.fingerprinted == copies
    lines = headers_file(plan).splitlines()
    for address in copies:
        assert lines[lines.index(f"/{address}") + 1] == f"  Cache-Control: {IMMUTABLE}"
    assert not any(line.startswith(tuple(f"/{name}" for name in not_copies)) for line in lines)
    # The nginx map tests the same expression on the path; test_nginx.py serves a real copy.
    conf = nginx_config(plan)
    images_rule = next(rule for rule in FINGERPRINTED if "jpg" in rule.pattern)
    assert f'"~^(200|206|304) /{images_rule.pattern}$"'.replace("\\", "\\\\") in conf
