"""Every example in every component contract (components/<name>/<name>.yaml) renders to sound HTML.

As in GOV.UK Frontend, the YAML beside a component is its contract and its examples are the
fixtures: each example is rendered through the real macro with StrictUndefined and the real UI
texts, then checked for the basics assistive technology relies on. The e2e tests go further:
each example is placed in a whole page with the theme's real style sheet, validated with the Nu
Html Checker and run through axe-core in Chromium, and must come out with no findings at all.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import functools
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from jinja2 import nodes
from kuntasivu.checks.findings import Finding
from kuntasivu.checks.nu import run_nu
from kuntasivu.checks.tools import CHROMIUM_FLAGS, Tools
from kuntasivu.content.pages import PageSource
from kuntasivu.theme import stylesheet
from markupsafe import Markup, escape

from tests.serving import serve_folder

ROOT = Path(__file__).resolve().parents[2]
THEME = ROOT / "themes" / "kunta"
COMPONENTS = THEME / "components"
TEXTS = ROOT / "site_src" / "texts"

REQUIRED_KEYS = ("name", "description", "macro", "params", "accessibilityCriteria", "examples")
PARAM_TYPES = {"string", "integer", "boolean", "array", "object"}

# --- the default page context: the shapes pages.site_context and pages._Builder produce -------

SITE: dict[str, Any] = {
    "name": "Lohja",
    "organisation": "Lohjan kaupunki",
    "lang": "fi",
    "languages": [
        {"code": "fi", "name": "suomi", "home_url": ""},
        {"code": "sv", "name": "svenska", "home_url": "sv/"},
    ],
    "home_url": "",
    "logo": "assets/logo.svg",
    "logo_image": {"src": "assets/logo.svg", "width": 48, "height": 48, "srcset": [], "sizes": ""},
    "nav": [
        {"id": "kasvatus-ja-opetus", "title": "Kasvatus ja opetus", "url": "kasvatus-ja-opetus/"},
        {"id": "vapaa-aika", "title": "Kulttuuri ja vapaa-aika", "url": "vapaa-aika/"},
        {"id": "asuminen", "title": "Asuminen ja ympäristö", "url": "asuminen/"},
    ],
    "contact": {
        "organisation": "Lohjan kaupunki",
        "address": {"street": "Karstuntie 4", "postal_code": "08100", "city": "Lohja"},
        "postal_address": {"street": "PL 71", "postal_code": "08101", "city": "Lohja"},
        "phone": "044 374 1000",
        "tel": "+358443741000",
        "email": "kirjaamo@lohja.fi",
        "opening_hours": [{"days": "ma–to", "hours": "8.30–15.30"}, {"days": "pe", "hours": "8.30–14.00"}],
        "coordinates": {"lat": 60.2489, "lon": 24.066},
        "map_url": "https://www.openstreetmap.org/?mlat=60.2489&mlon=24.066#map=16/60.2489/24.066",
        "units": [
            {
                "name": "Asiointipiste Lohja",
                "role": "Neuvonta, lomakkeet, liput ja digituki",
                "phone": "044 374 1100",
                "tel": "+358443741100",
                "email": "asiointipiste@lohja.fi",
                "address": "Kaupungintalo, Karstuntie 4",
                "hours": "ma–pe 9–15",
            }
        ],
    },
    "contact_url": "yhteystiedot/",
    "news_url": "ajankohtaista/",
    "events_url": "tapahtumat/",
    "search_url": "haku/",
    "social": [
        {"service": "facebook", "label": "Facebook", "url": "https://www.facebook.com/lohja"},
        {"service": "instagram", "label": "Instagram", "url": "https://www.instagram.com/lohja"},
    ],
    "alert": None,
    "footer_links": [
        {"title": "Verkkosivuston tietosuojaseloste", "url": "tietosuoja/"},
        {"title": "Yhteystiedot", "url": "yhteystiedot/"},
        {"title": "Saavutettavuusseloste", "url": "saavutettavuusseloste/"},
    ],
    "site_url": "https://www.lohja.fi/",
}
"""What pages.site_context returns for a two-language site, in Finnish."""

PAGE: dict[str, Any] = {
    "url": "asuminen/jatehuolto/",
    "lang": "fi",
    "kind": "page",
    "title": "Jätehuolto ja kierrätys",
    "markdown": "",
    "context": {},
    "key": "page:jatehuolto",
    "description": "Jätteiden keräys, ekopisteet ja vaarallisten jätteiden vastaanotto.",
    "breadcrumbs": [
        {"title": "Etusivu", "url": ""},
        {"title": "Asuminen ja ympäristö", "url": "asuminen/"},
        {"title": "Jätehuolto ja kierrätys", "url": "asuminen/jatehuolto/"},
    ],
    "section": "asuminen",
    "alternates": {"fi": "asuminen/jatehuolto/", "sv": "sv/boende/avfallshantering/"},
}
"""Fields of a PageSource: a service page inside a section, with a Swedish translation."""


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


@functools.cache
def _texts(lang: str) -> dict[str, str]:
    return _flatten(yaml.safe_load((TEXTS / f"{lang}.yml").read_text("utf-8")))


class Texts:
    """``ks.t`` as the MkDocs plugin gives it: a missing key is an error, never an empty string."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **values: Any) -> str:
        try:
            text = _texts(self.lang)[key]
        except KeyError:
            raise LookupError(f"theme uses text {key!r} that is missing from site_src/texts/{self.lang}.yml") from None
        return text.format(**values) if values else text


def _merge(base: Any, override: Any, path: str) -> Any:
    """``override`` deep-merged into ``base``; a key the default lacks is a typo in an example."""
    if not isinstance(base, dict) or not isinstance(override, dict):
        return copy.deepcopy(override)
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if key not in base:
            raise KeyError(f"example sets {path}.{key}, which the default context does not have")
        merged[key] = _merge(base[key], value, f"{path}.{key}")
    return merged


def make_ks(context: dict[str, Any]) -> dict[str, Any]:
    """The ``ks`` namespace: site deep-merged with the example's overrides; page fields replaced
    whole (so an example can give a page no translations with ``alternates: {}``)."""
    unknown = set(context) - {"site", "page"}
    assert not unknown, f"an example's context may override only site and page, not {sorted(unknown)}"
    site = _merge(SITE, context.get("site", {}), "site")
    page = PageSource(**{**copy.deepcopy(PAGE), **copy.deepcopy(context.get("page", {}))})
    return {"site": site, "page": page, "t": Texts(page.lang)}


# --- the Jinja2 environment -----------------------------------------------------------------------


def _url(value: object) -> str:
    # MkDocs' url filter makes a site-root-relative URL relative to the page; here it stays as
    # given. Anything but a string (None, an undefined value) would become a broken href.
    if not isinstance(value, str):
        raise TypeError(f"url filter given {value!r}, not a URL string")
    return value


def _markdown_filter() -> Any:
    # Same extensions as page bodies, as the plugin's on_env does (toc ids can collide).
    names: list[str] = []
    configs: dict[str, Any] = {}
    for entry in yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))["markdown_extensions"]:
        if isinstance(entry, str):
            names.append(entry)
        else:
            ((name, options),) = entry.items()
            names.append(name)
            configs[name] = options or {}

    def render(text: str) -> Markup:
        return Markup(markdown.Markdown(extensions=names, extension_configs=configs).convert(text or ""))

    return render


def theme_environment() -> jinja2.Environment:
    """The theme's templates with strict undefined values, autoescape and the adapter's filters."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(THEME), undefined=jinja2.StrictUndefined, autoescape=True
    )
    environment.filters["url"] = _url
    environment.filters["markdown"] = _markdown_filter()
    return environment


@pytest.fixture(scope="module")
def env() -> jinja2.Environment:
    return theme_environment()


# --- contracts and examples -----------------------------------------------------------------------


def component_dirs() -> list[Path]:
    return sorted(path for path in COMPONENTS.iterdir() if path.is_dir())


def load_contract(folder: Path) -> dict[str, Any]:
    path = folder / f"{folder.name}.yaml"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as stream:  # a stream, so YAML errors name the file
        return yaml.safe_load(stream) or {}


def macro_params(folder: Path) -> dict[str, dict[str, bool]]:
    """Macro name → {parameter: has a default} as Jinja2 itself parses the template."""
    source = (folder / f"{folder.name}.html").read_text("utf-8")
    macros: dict[str, dict[str, bool]] = {}
    for macro in jinja2.Environment().parse(source).find_all(nodes.Macro):
        first_default = len(macro.args) - len(macro.defaults)
        macros[macro.name] = {arg.name: i >= first_default for i, arg in enumerate(macro.args)}
    return macros


def all_examples() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(component, contract, example) for every example of every component, in folder order."""
    return [
        (folder.name, contract, example)
        for folder in component_dirs()
        for contract in [load_contract(folder)]
        for example in contract.get("examples") or []
    ]


def examples() -> list[Any]:
    return [pytest.param(*case, id=f"{case[0]}:{case[2].get('name')}") for case in all_examples()]


def example_ids() -> list[str]:
    """``component/example``: the ids of the e2e tests and the keys of the rendered documents."""
    return [f"{name}/{example.get('name')}" for name, _, example in all_examples()]


def render_example(env: jinja2.Environment, name: str, contract: dict[str, Any], example: dict[str, Any]) -> str:
    """The example rendered through the real macro, with the ks namespace its context asks for."""
    macro = contract["macro"]
    template = env.from_string(
        f'{{% from "components/{name}/{name}.html" import {macro} with context %}}{{{{ {macro}(**params) }}}}'
    )
    return template.render(ks=make_ks(example.get("context") or {}), params=example.get("params") or {})


# --- HTML checks ------------------------------------------------------------------------------


def html_problems(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    problems: list[str] = []
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    problems += [f"duplicate id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    problems += [f"<img> without alt: {img}" for img in soup.find_all("img") if not img.has_attr("alt")]
    for a in soup.find_all("a"):
        if not a.has_attr("href"):
            problems.append(f"<a> without href: {a}")
        if not a.get_text(strip=True):
            problems.append(f"<a> without text: {a}")
    for landmark in soup.find_all(["nav", "aside", "section"], attrs={"aria-labelledby": True}):
        problems += [
            f"<{landmark.name}> aria-labelledby points at missing id {ref!r}"
            for ref in landmark["aria-labelledby"].split()
            if ref not in ids
        ]
    for tag in soup.find_all(re.compile(r"^h\d*$")):
        if tag.name not in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            problems.append(f"<{tag.name}> is not a heading element (level must be 1–6)")
    if re.search(r"\bNone\b", html):
        problems.append("renders Python's None as text")
    return problems


# --- tests ------------------------------------------------------------------------------------


@pytest.mark.parametrize("folder", component_dirs(), ids=lambda path: path.name)
def test_contract_matches_macro(folder: Path) -> None:
    contract = load_contract(folder)
    assert contract, f"{folder.name}/{folder.name}.yaml is missing or empty"
    missing = [key for key in REQUIRED_KEYS if key not in contract]
    assert not missing, f"contract lacks {missing}"
    assert contract["name"] == folder.name
    assert contract["description"], "description is empty"
    assert len(contract["accessibilityCriteria"]) >= 3, "list at least 3 accessibility criteria"
    assert len(contract["examples"]) >= 2, "give at least 2 examples"
    names = [example["name"] for example in contract["examples"]]
    assert len(set(names)) == len(names), f"example names repeat: {names}"
    assert all(entry.startswith("ks.") for entry in contract.get("context", [])), "context lists ks.… fields"

    macros = macro_params(folder)
    assert contract["macro"] in macros, f"{folder.name}.html defines {sorted(macros)}, not {contract['macro']!r}"
    in_template = macros[contract["macro"]]
    documented = {param["name"]: param for param in contract["params"] or []}
    assert set(documented) == set(in_template), (
        f"undocumented parameters: {sorted(set(in_template) - set(documented))}; "
        f"documented but not in the macro: {sorted(set(documented) - set(in_template))}"
    )
    for name, param in documented.items():
        assert param.get("description"), f"parameter {name} has no description"
        assert param.get("type") in PARAM_TYPES, f"parameter {name} has type {param.get('type')!r}"
        assert param.get("required") == (not in_template[name]), (
            f"parameter {name}: required must be {not in_template[name]} (the macro "
            f"{'gives it a default' if in_template[name] else 'has no default for it'})"
        )
    for example in contract["examples"]:
        given = set(example.get("params") or {})
        required = {name for name, has_default in in_template.items() if not has_default}
        assert required <= given, f"example {example['name']} lacks required {sorted(required - given)}"


@pytest.mark.parametrize(("name", "contract", "example"), examples())
def test_example_renders_accessible_html(
    env: jinja2.Environment, name: str, contract: dict[str, Any], example: dict[str, Any]
) -> None:
    html = render_example(env, name, contract, example)
    if example.get("empty"):
        assert not html.strip(), "this example is documented to render nothing"
        return
    assert html.strip(), "rendered nothing (mark the example 'empty: true' if that is the point)"
    assert html_problems(html) == []


def test_page_fields_are_those_of_page_source() -> None:
    # The default page must stay in step with pages.PageSource, or the examples test old shapes.
    assert set(PAGE) == {f.name for f in dataclasses.fields(PageSource)} - {"source"}


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ('<p id="a"></p><p id="a"></p>', "duplicate id 'a'"),
        ('<img src="x.png">', "<img> without alt"),
        ("<a>Etusivu</a>", "<a> without href"),
        ('<a href="x/"> </a>', "<a> without text"),
        ('<nav aria-labelledby="nope"><h2 id="yes">X</h2></nav>', "missing id 'nope'"),
        ("<h7>Otsikko</h7>", "<h7> is not a heading element"),
        ("<p>None</p>", "renders Python's None"),
    ],
)
def test_html_checks_catch(html: str, problem: str) -> None:
    # The checks above must be able to fail, or passing examples prove nothing.
    assert any(problem in found for found in html_problems(html))


# --- e2e: every example as a whole page, through Nu and axe ----------------------------------

BRAND = "#00558c"
"""Lohja's brand colour, so colour contrast is checked with the colours a real site draws."""

BEFORE_MAIN = {"header", "language_switcher", "alert_banner", "breadcrumbs"}
"""Landmarks base.html puts before <main>: a banner, a complementary region and navigation must
not be nested in the main landmark (axe landmark-*-is-top-level)."""
AFTER_MAIN = {"footer"}
OWN_H1 = {"hero"}
"""Components that are the page's h1 themselves: their page gets no h1 of its own."""

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
    '<rect width="120" height="40" fill="#6a8caf"/></svg>\n'
)
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABsSFBcUERsXFhceHBsgKEIrKCUlKFE6PTBCYFVlZF9VXVtqeJmBanGQc1tdhbWG"
    "kJ6jq62rZ4C8ybqmx5moq6T/2wBDARweHigjKE4rK06kbl1upKSkpKSkpKSkpKSkpKSkpKSkpKSkpKSkpKSkpKSkpKSkpKSk"
    "pKSkpKSkpKSkpKSkpKT/wAARCAAEAAwDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAL/xAAUEAEAAAAAAAAAAAAA"
    "AAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAAA//EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/AKAOF//Z"
)
"""A 12 × 4 px JPEG (made by Chromium), for examples that point at a .jpg no municipality has."""


def page_document(name: str, example: dict[str, Any], html: str, lang: str) -> str:
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
  <link rel="stylesheet" href="kunta.css">
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


def write_image(folder: Path, src: str) -> None:
    """The file an example's <img src> points at: a municipality's own, or a small stand-in."""
    target = folder / src
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    found = sorted((ROOT / "municipalities").glob(f"*/{src}"), key=lambda path: path.parts[-3] != "lohja")
    if found:  # Lohja's own first, as the default context is Lohja's
        shutil.copy(found[0], target)
    elif target.suffix == ".svg":
        target.write_text(SVG, "utf-8")
    elif target.suffix in {".jpg", ".jpeg"}:
        target.write_bytes(JPEG)
    else:
        raise AssertionError(f"an example uses image {src!r}; add a stand-in for {target.suffix} files")


@pytest.fixture(scope="module")
def pages(env: jinja2.Environment, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Example id → a complete page in one folder, beside kunta.css, axe and the images it uses."""
    folder = tmp_path_factory.mktemp("components")
    (folder / "kunta.css").write_text(stylesheet(THEME, BRAND), "utf-8")
    shutil.copy(AXE, folder / AXE.name)  # served beside the pages, for the axe test to inject
    found: dict[str, Path] = {}
    for number, (case, (name, contract, example)) in enumerate(zip(example_ids(), all_examples(), strict=True)):
        html = render_example(env, name, contract, example)
        lang = make_ks(example.get("context") or {})["page"].lang or "fi"
        for img in BeautifulSoup(html, "html.parser").find_all("img", src=True):
            write_image(folder, img["src"])
            for candidate in img.get("srcset", "").split(","):  # "address 960w, …"
                if candidate.strip():
                    write_image(folder, candidate.split()[0])
        path = folder / f"{number:02d}-{name}.html"
        path.write_text(page_document(name, example, html, lang), "utf-8")
        found[case] = path
    return found


@pytest.fixture(scope="module")
def nu_findings(pages: dict[str, Path]) -> dict[str, list[Finding]]:
    """One Nu run (one JVM) over every page."""
    return run_nu({path: case for case, path in pages.items()}, Tools.find(ROOT))


@pytest.mark.e2e
@pytest.mark.parametrize("case", example_ids())
def test_example_page_passes_nu(nu_findings: dict[str, list[Finding]], case: str) -> None:
    findings = nu_findings[case]
    assert not findings, "Nu Html Checker:\n" + "\n".join(
        f"  {f.severity} line {f.line}: {f.message}\n    {f.snippet}" for f in findings
    )


@pytest.fixture(scope="module")
def served(pages: dict[str, Path]) -> Iterator[str]:
    """The pages' folder over HTTP, as the browser sees a site (file: URLs behave differently)."""
    with serve_folder(next(iter(pages.values())).parent) as base:
        yield base


@pytest.fixture(scope="module")
def tab(served: str) -> Iterator[Any]:
    """One tab of Debian's Chromium (never a downloaded one) that every axe run reuses."""
    from playwright.sync_api import sync_playwright

    chromium = Tools.find(ROOT).require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield browser.new_page()
        browser.close()


def axe_report(results: list[dict[str, Any]]) -> str:
    lines = []
    for rule in results:
        lines.append(f"  {rule['id']} ({rule['impact']}): {rule['help']} – {rule['helpUrl']}")
        for node in rule["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['failureSummary'] or node['html']}")
    return "\n".join(lines)


@pytest.mark.e2e
@pytest.mark.parametrize("case", example_ids())
def test_example_page_passes_axe(tab: Any, served: str, pages: dict[str, Path], case: str) -> None:
    tab.goto(served + pages[case].name, wait_until="load")
    # Injected by URL from the served folder rather than inline (path=): Chromium then caches the
    # compiled 500 kB script, and injecting took a third of the time over the 49 examples.
    tab.add_script_tag(url=served + AXE.name)
    results = tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    assert results["testEngine"]["name"] == "axe-core"
    broken = tab.evaluate("[...document.images].filter(img => !img.naturalWidth).map(img => img.src)")
    assert not broken, f"images did not load, so axe saw a different page than a visitor: {broken}"
    assert not results["violations"], "axe violations:\n" + axe_report(results["violations"])
    assert not results["incomplete"], "axe needs review (incomplete):\n" + axe_report(results["incomplete"])
