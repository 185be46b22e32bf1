"""`_headers`, the header file of Netlify and Cloudflare Pages."""

from __future__ import annotations

import re

from ..editor import ADMIN_DIR
from .policy import FINGERPRINTED, IMMUTABLE, Serving, ServingError

CLOUDFLARE_MAX_RULES = 100
CLOUDFLARE_MAX_LINE = 2000
"""Cloudflare Pages reads at most 100 rules and 2,000 characters a line; past that it cuts."""


def headers_file(plan: Serving) -> str:
    """`_headers`: the security headers on every path, the long cache on fingerprinted files.

    Both hosts join a header set by two matching rules with a comma, so Cache-Control is given
    only for the fingerprinted files; everything else keeps the hosts' default
    (public, max-age=0, must-revalidate), which is the same as REVALIDATE."""
    base = plan.address.base
    lines = [
        f"# HTTP headers of {plan.name} ({plan.slug}) for Netlify and Cloudflare Pages, written by",
        f"# `kuntasivu build {plan.slug}`; _nginx.conf sends the same headers. Do not edit: build again.",
        "# Pages and files with a fixed name keep the host's default Cache-Control",
        "# (max-age=0, must-revalidate): readers always get the current version.",
        "",
        f"{base}*",
        *(f"  {name}: {value}" for name, value in plan.headers),
    ]
    rules = 1
    if plan.admin_headers is not None:
        # The browser editor: Cloudflare Pages joins the headers of every rule that matches, so the
        # site's policy is first removed ('! Name', its way of detaching a header) and then replaced.
        # Netlify's parser skips a line without a colon, and there the later matching rule's header
        # wins (netlify/build headers-parser, netlify-cli headersForPath), so the rule comes after {base}*.
        replaced = [name for name, _ in plan.admin_headers if any(name == site for site, _ in plan.headers)]
        lines += ["", f"# The browser editor (Decap CMS, {ADMIN_DIR}/): its own policy (serving/admin.py)"]
        lines += [f"{base}{ADMIN_DIR}/*", *(f"  ! {name}" for name in replaced)]
        lines += [f"  {name}: {value}" for name, value in plan.admin_headers]
        rules += 1
    for rule in FINGERPRINTED:
        paths = [rule.splat] if rule.splat else [p for p in plan.fingerprinted if re.fullmatch(rule.pattern, p)]
        if not paths:
            continue
        lines += ["", f"# {rule.what}: the name changes with the content, so a year's cache is safe"]
        for path in paths:
            lines += [f"{base}{path}", f"  Cache-Control: {IMMUTABLE}"]
            rules += 1
    if rules > CLOUDFLARE_MAX_RULES:
        raise ServingError(
            f"_headers would have {rules} rules and Cloudflare Pages reads at most {CLOUDFLARE_MAX_RULES}: "
            f"it lists each fingerprinted file ({_counts(plan.fingerprinted)}); bundle the CSS and JavaScript "
            "into fewer files, use fewer large photos, or serve the site with _nginx.conf, which has no such limit"
        )
    too_long = [line for line in lines if len(line) > CLOUDFLARE_MAX_LINE]
    if too_long:
        raise ServingError(
            f"a line of _headers is {len(too_long[0])} characters and Cloudflare Pages reads at most "
            f"{CLOUDFLARE_MAX_LINE}: the Content-Security-Policy lists {plan.inline_scripts} inline script(s) and "
            f"{plan.inline_styles} inline style(s) by hash; move them into files under assets/"
        )
    return "\n".join(lines) + "\n"


def _counts(paths: list[str]) -> str:
    """How many of ``paths`` each FINGERPRINTED rule lists file by file, e.g. '3 × the site's CSS …'."""
    counts = []
    for rule in FINGERPRINTED:
        if rule.splat is None:
            found = sum(1 for path in paths if re.fullmatch(rule.pattern, path))
            if found:
                counts.append(f"{found} × {rule.what}")
    return "; ".join(counts)
