"""How a built site is served: its HTTP headers, cache rules and redirects, written as `_headers`
(Netlify, Cloudflare Pages) and as an nginx server block (`_nginx.conf`) from one description
(policy.py). Engine-neutral: everything comes from the content and the finished site folder.

The Content-Security-Policy is computed from what the built pages really contain (scan.py):
inline scripts and <style> elements are allowed by their hash, and what no policy can allow
without opening it for everyone fails the build with the page and what to change.
"""

from __future__ import annotations

from pathlib import Path

from ..content.loading import Content
from .headers_file import headers_file
from .nginx import DEFAULT_SERVE_ROOT, SERVE_ROOT_ENV, nginx_config
from .policy import (
    FINGERPRINTED,
    HEADERS_FILE,
    IMMUTABLE,
    NGINX_FILE,
    REVALIDATE,
    Serving,
    ServingError,
    content_security_policy,
    permissions_policy,
    security_headers,
    serving,
)
from .scan import PageScan, csp_hash, scan_html


def write_serving_files(content: Content, site_dir: Path, serve_root: str | None = None) -> Serving:
    """Write `_headers` and `_nginx.conf` into the built site; returns what they say.
    Run it last on the finished site: it reads every page and the fingerprinted file names."""
    plan = serving(content, site_dir)
    (site_dir / HEADERS_FILE).write_text(headers_file(plan), encoding="utf-8")
    (site_dir / NGINX_FILE).write_text(nginx_config(plan, serve_root), encoding="utf-8")
    return plan


__all__ = [
    "DEFAULT_SERVE_ROOT",
    "FINGERPRINTED",
    "IMMUTABLE",
    "REVALIDATE",
    "SERVE_ROOT_ENV",
    "PageScan",
    "Serving",
    "ServingError",
    "content_security_policy",
    "csp_hash",
    "headers_file",
    "nginx_config",
    "permissions_policy",
    "scan_html",
    "security_headers",
    "serving",
    "write_serving_files",
]
