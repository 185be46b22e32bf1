"""`_nginx.conf`: an nginx server block that serves the site with the same headers as `_headers`."""

from __future__ import annotations

import re
from urllib.parse import unquote

from ..editor import ADMIN_DIR
from .policy import DEPLOYMENT_FILES, FINGERPRINTED, IMMUTABLE, REVALIDATE, Serving, ServingError

SERVE_ROOT_ENV = "KUNTASIVU_SERVE_ROOT"
"""Environment variable: the server folder that holds each site's folder (default DEFAULT_SERVE_ROOT)."""
DEFAULT_SERVE_ROOT = "/srv/kuntasivu"


def _quoted(text: str, *, regex: bool = False) -> str:
    """A double-quoted nginx string. '$' would start a variable in a value, so no value here may
    hold one; a map's regular expression keys are not interpolated and may end with one."""
    if "$" in text and not regex:
        raise ServingError(f"'{text}' has a '$', which nginx would read as a variable")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _redirect_target(target: str) -> str:
    # A target is a URL: the characters nginx would interpret are written percent-encoded.
    return _quoted(target.replace("$", "%24").replace('"', "%22").replace("\\", "%5C"))


def cache_variable(slug: str) -> str:
    """The nginx variable with a response's Cache-Control; one per site, as several sites share http {}."""
    return f"$kuntasivu_{slug.replace('-', '_')}_cache_control"


STATIC_FILES = """\
    index index.html;
    server_tokens off;
    # Redirects say only the path, so they stay right behind a proxy or a TLS terminator.
    absolute_redirect off;
    charset utf-8;
    charset_types text/css text/plain text/xml text/calendar application/javascript application/json
                  application/rss+xml application/atom+xml image/svg+xml;
    # nginx's own types, and the ones it lacks: event calendars and the search index.
    include /etc/nginx/mime.types;
    types {
        text/calendar ics;
        application/octet-stream pf_fragment pf_index pf_meta pagefind;
    }
    default_type application/octet-stream;

    # Text compresses to a fraction; the search index (pagefind/) is compressed already.
    # Level 6, as the page weight budget measures (weight.py); nginx's default level 1 sends more.
    gzip on;
    gzip_comp_level 6;
    gzip_vary on;
    gzip_min_length 256;
    gzip_types text/css text/plain text/xml text/calendar application/javascript application/json
               application/xml application/rss+xml application/atom+xml image/svg+xml;
"""
"""How the files are sent; the same for every site."""


def nginx_config(plan: Serving, serve_root: str | None = None) -> str:
    """An nginx configuration for the site: a map (http level) and its server block(s).

    ``serve_root``: the folder holding each site's folder (default /srv/kuntasivu). The site's
    files are in <serve_root>/<slug>/ whatever its address: a site under a sub-path (/sivut/) maps
    that path onto the folder with alias."""
    root = f"{(serve_root or DEFAULT_SERVE_ROOT).rstrip('/')}/{plan.slug}"
    parts = [_preamble(plan, root), _cache_map(plan)]
    if plan.address.https:
        parts.append(_to_https(plan))
    if plan.address.base == "/":
        folder = [f"    root {root};"]
    else:
        folder = [f"    # The files are in {root}/: the locations under {plan.address.base} map onto it (alias)."]
    server = [*_listen(plan), "", *folder, STATIC_FILES, *_headers(plan), *_locations(plan, root)]
    parts.append("server {\n" + "\n".join(server) + "\n}\n")
    return "\n".join(parts)


def _preamble(plan: Serving, root: str) -> str:
    address, base, slug = plan.address, plan.address.base, plan.slug
    lines = [
        f"# nginx configuration of {plan.name} ({address.origin}{base}), written by `kuntasivu build {slug}`.",
        "# Do not edit: build again (see README, 'Serving the site'). To install:",
        f"#   1. copy the built site (public/{slug}/) to {root}/ (build with {SERVE_ROOT_ENV}=DIR for DIR/{slug})",
        f"#   2. copy this file to /etc/nginx/sites-enabled/{slug}.conf: it belongs inside nginx's http {{}} block",
    ]
    if address.https:
        lines.append(f"#   3. get a certificate for {address.host} (certbot: /etc/letsencrypt/live/{address.host}/)")
        lines.append("#   4. nginx -t && systemctl reload nginx")
    else:
        lines.append("#   3. nginx -t && systemctl reload nginx")
        lines.append("# site_url is http://: this is for trying the site out on one's own machine, without TLS.")
    if base != "/":
        lines += [
            f"# The site lives under {base}. nginx uses only the first server block of a host and port and",
            f"# ignores the others ('conflicting server name'): if {address.host} serves anything else, another",
            "# site under a sub-path included, copy this server block's add_header lines and its location",
            "# blocks into the one server block of that host instead of installing this one as it is.",
        ]
    return "\n".join(lines) + "\n"


def _cache_map(plan: Serving) -> str:
    lines = [
        "# Cache-Control of each response. Fingerprinted files change their name when their content",
        "# changes, so a successful response is cached for a year; everything else, pages above all,",
        "# is revalidated on every use so that an urgent notice is never hidden by a cached page.",
        "# Errors are never cached: a missing file may appear with the next deployment.",
        f'map "$status $uri" {cache_variable(plan.slug)} {{',
    ]
    for rule in FINGERPRINTED:
        pattern = f"~^(200|206|304) {re.escape(plan.address.base)}{rule.pattern}$"
        lines.append(f"    # {rule.what}")
        lines.append(f"    {_quoted(pattern, regex=True)} {_quoted(IMMUTABLE)};")
    lines += [f"    default {_quoted(REVALIDATE)};", "}"]
    return "\n".join(lines) + "\n"


def _to_https(plan: Serving) -> str:
    host = plan.address.host
    return (
        "# Plain HTTP only sends readers to the HTTPS site.\n"
        "server {\n"
        "    listen 80;\n"
        "    listen [::]:80;\n"
        f"    server_name {host};\n"
        "    server_tokens off;\n"
        f"    return 301 https://{host}$request_uri;\n"
        "}\n"
    )


def _listen(plan: Serving) -> list[str]:
    address = plan.address
    if not address.https:
        return [f"    listen 127.0.0.1:{address.port or 80};", f"    server_name {address.host};"]
    return [
        "    # nginx 1.25.1 and later: drop 'http2' here and write 'http2 on;' instead.",
        "    listen 443 ssl http2;",
        "    listen [::]:443 ssl http2;",
        f"    server_name {address.host};",
        f"    ssl_certificate /etc/letsencrypt/live/{address.host}/fullchain.pem;",
        f"    ssl_certificate_key /etc/letsencrypt/live/{address.host}/privkey.pem;",
        "    ssl_protocols TLSv1.2 TLSv1.3;",
    ]


def _headers(plan: Serving) -> list[str]:
    return [
        "    # The same headers as _headers, on every response, errors and redirects included ('always').",
        "    # They are all set here and no location sets its own: an add_header in a location would",
        "    # silently drop every add_header of the server for that location.",
        *(f"    add_header {name} {_quoted(value)} always;" for name, value in plan.headers),
        f"    add_header Cache-Control {cache_variable(plan.slug)} always;",
        "",
    ]


def _files(plan: Serving, root: str, below: str) -> str:
    """How a location finds its files: the server's root for a site at '/'; under a sub-path, an
    alias to the same place in the site's folder (``below``: the path below the site's root).
    try_files is left out beside alias, where it mishandles '$uri/'; nginx finds index.html and
    adds a folder's final '/' by itself."""
    if plan.address.base == "/":
        return "        try_files $uri $uri/ =404;"
    return f"        alias {root}/{below};"


def _locations(plan: Serving, root: str) -> list[str]:
    base = plan.address.base
    lines = [
        "    # The not-found page in the reader's language; a language without its own uses the default's.",
        f"    error_page 404 {base}404.html;",
        f"    location {base} {{",
        _files(plan, root, ""),
        "    }",
    ]
    for lang in plan.languages[1:]:
        lines += [
            f"    location {base}{lang}/ {{",
            f"        error_page 404 {base}{lang}/404.html;",
            _files(plan, root, f"{lang}/"),
            "    }",
            f"    location = {base}{lang}/404.html {{",
            *([] if base == "/" else [_files(plan, root, f"{lang}/404.html")]),
            f"        try_files $uri {base}404.html;",
            "    }",
        ]
    if base != "/":
        lines += [
            "    # The site's address without the final '/', and addresses outside the site.",
            f"    location = {base.rstrip('/')} {{",
            f"        return 301 {base};",
            "    }",
            "    location / {",
            "        return 404;",
            "    }",
        ]
    if plan.admin_headers is not None:
        # The one location with its own add_header lines, so it repeats every header: the browser
        # editor (Decap CMS) runs under its own policy (serving/admin.py).
        lines += [
            "",
            "    # The browser editor (Decap CMS): its own headers; add_header here replaces the server's.",
            f"    location {base}{ADMIN_DIR}/ {{",
            *(f"        add_header {name} {_quoted(value)} always;" for name, value in plan.admin_headers),
            f"        add_header Cache-Control {_quoted(REVALIDATE)} always;",
            _files(plan, root, f"{ADMIN_DIR}/"),
            "    }",
        ]
    lines += ["", "    # The server's own configuration files are not part of the site."]
    for name in DEPLOYMENT_FILES:
        lines += [f"    location = {base}{name} {{", "        return 404;", "    }"]
    if plan.redirects:
        lines += ["", "    # Old addresses (redirects: in site.yml), with and without the final '/'."]
    for redirect in plan.redirects:
        # nginx compares the decoded path, so a percent-encoded old address is written decoded.
        old = unquote(redirect.old)
        for path in (old, old.rstrip("/")):
            lines += [
                f"    location = {_quoted(path)} {{",
                f"        return 301 {_redirect_target(redirect.target)};",
                "    }",
            ]
    return lines
