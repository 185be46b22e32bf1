"""The component library: every example of every theme component, for designers and reviewers.

Each component folder's <name>.yaml is its contract (parameters, accessibility criteria,
examples). The site's /_components/ page shows each example in a frame of its own: a
whole small page laid out as base.html lays one out, so that examples of landmarks
(header, footer) and their ids never collide with each other or with the page around them.
The same documents are what the component tests run through Nu and axe.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

import jinja2
import yaml

BEFORE_MAIN = frozenset({"header", "language_switcher", "alert_banner", "breadcrumbs"})
"""Landmarks base.html puts before <main>: a banner, a complementary region and navigation must
not be nested in the main landmark (axe landmark-*-is-top-level)."""
AFTER_MAIN = frozenset({"footer"})
OWN_H1 = frozenset({"hero"})
"""Components that are the page's h1 themselves: their page gets no h1 of its own."""


def load_contracts(theme_dir: Path) -> list[tuple[str, dict[str, Any]]]:
    """(component name, contract) for every component folder, by name."""
    contracts = []
    for folder in sorted(p for p in (theme_dir / "components").iterdir() if p.is_dir()):
        contract = yaml.safe_load((folder / f"{folder.name}.yaml").read_text("utf-8"))
        contracts.append((folder.name, contract))
    return contracts


def example_document(name: str, example: dict[str, Any], html: str, lang: str, css_href: str) -> str:
    """The rendered example in a whole page laid out as base.html lays one out."""
    label = example["name"]
    main: list[str] = []
    if name not in OWN_H1:
        main.append(f"<h1>{escape(name)}: {escape(label)}</h1>")
        # An example's headings at level n need headings at every level above, as on a real page.
        main += [
            f"<h{n}>{escape(name)} (h{n})</h{n}>" for n in range(2, (example.get("params") or {}).get("level") or 2)
        ]
    before = after = ""
    if name == "language_switcher":  # it lives in the header bar, never on its own
        before = f'<header class="site-header"><div class="container site-header__bar">{html}</div></header>'
    elif name in BEFORE_MAIN:
        before = html
    elif name in AFTER_MAIN:
        after = html
    else:
        main.append(html)
    body = "\n".join(main)
    return f"""<!doctype html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{escape(name)} – {escape(label)}</title>
  <link rel="stylesheet" href="{escape(css_href)}">
</head>
<body>
{before}
<main id="main" tabindex="-1" class="container">
{body}
</main>
{after}
</body>
</html>
"""


def render_example(env: jinja2.Environment, name: str, contract: dict[str, Any], ks: dict[str, Any]) -> str:
    """One example through the component's real macro, with the given ``ks`` namespace."""
    macro = contract["macro"]
    template = env.from_string(
        f'{{% from "components/{name}/{name}.html" import {macro} with context %}}{{{{ {macro}(**params) }}}}'
    )
    return template.render(ks=ks, params=ks.pop("_params", {}))


def deep_merge(base: Any, override: Any) -> Any:
    if not isinstance(base, dict) or not isinstance(override, dict):
        return copy.deepcopy(override)
    merged = copy.deepcopy(base)
    for key, value in override.items():
        merged[key] = deep_merge(base.get(key), value)
    return merged


def library(
    theme_dir: Path,
    make_ks: Callable[[dict[str, Any]], dict[str, Any]],
    url: Callable[[object], str],
    markdown: Callable[[str], Any],
    css_href: str,
) -> list[dict[str, Any]]:
    """Every component with its contract and each example rendered to a whole document.

    ``make_ks`` turns an example's context overrides into the ks namespace (the site's own
    data in the example's language); ``url`` makes site-root URLs work from where the
    documents are shown."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(theme_dir), autoescape=True)
    env.filters["url"] = url
    env.filters["markdown"] = markdown
    components = []
    for name, contract in load_contracts(theme_dir):
        examples = []
        for example in contract.get("examples", []):
            ks = make_ks(example.get("context") or {})
            ks["_params"] = example.get("params") or {}
            html = render_example(env, name, contract, ks)
            examples.append(
                {
                    "name": example["name"],
                    "empty": not html.strip(),
                    "document": example_document(name, example, html, ks["page"].lang, css_href),
                }
            )
        components.append({"name": name, "contract": contract, "examples": examples})
    return components
