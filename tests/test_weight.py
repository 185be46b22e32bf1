"""Page weight (weight.py), fingerprinted theme files and bundled scripts (assets.py), and the
budget run by the build (mkdocs_plugin._check_page_weight)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from kuntasivu.assets import IMMUTABLE, bundle, fingerprinted
from kuntasivu.mkdocs_plugin import KuntasivuPlugin, build_site, mkdocs_config
from kuntasivu.weight import (
    KB,
    Budget,
    PageWeight,
    Resource,
    SiteFiles,
    budget_problems,
    css_references,
    measure_page,
    measure_site,
)
from mkdocs.exceptions import Abort, PluginError

from tests.conftest import ROOT, make_project
from tests.test_cli import build

THEME_ASSETS = ROOT / "themes" / "kunta" / "assets"


def gzip_length(data: bytes) -> int:
    """The gzip size at level 6, by zlib directly (not the gzip module weight.py uses)."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # wbits 31: a gzip header and trailer
    return len(compressor.compress(data) + compressor.flush())


# --- measuring one page -----------------------------------------------------------------------------

CSS = """@import url("fonts.css");
/* @import "commented-out.css"; */
body { color: #222; background: url(bg.png); }
"""
FONTS_CSS = """@font-face { font-family: Kunta;
  src: url("kunta.woff2") format("woff2"), url(kunta.woff) format("woff"); }
@font-face { font-family: Local; src: local("Arial"); }
"""
PAGE = """<!doctype html>
<html lang="fi">
<head>
  <link rel="icon" href="../favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="../assets/site.css">
  <link rel="alternate stylesheet" href="../assets/contrast.css" title="Kontrasti">
  <link rel="alternate" type="application/rss+xml" href="../feed.xml">
  <script src="../assets/app.js" defer></script>
  <script src="../assets/app.js" defer></script>
  <script type="application/ld+json">{"@type": "WebPage"}</script>
  <style>@import "../assets/print.css";</style>
</head>
<body>
  <header><img src="../assets/logo.png" alt=""><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt=""></header>
  <main>
    <img src="../assets/photo.jpg" alt="Kuva">
    <iframe title="Esimerkki" srcdoc="&lt;link rel=&quot;stylesheet&quot; href=&quot;../assets/site.css&quot;&gt;
      &lt;img src=&quot;../assets/frame.png&quot; alt=&quot;&quot;&gt;"></iframe>
  </main>
  <footer><script src="https://analytics.example.org/a.js"></script></footer>
</body>
</html>
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A built site in miniature: one page under sivu/ and every file it refers to."""
    files: dict[str, bytes] = {
        "sivu/index.html": PAGE.encode(),
        "favicon.svg": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle r="8"/></svg>',
        "assets/site.css": CSS.encode(),
        "assets/fonts.css": FONTS_CSS.encode(),
        "assets/kunta.woff2": bytes(range(256)) * 20,
        "assets/kunta.woff": bytes(7000),
        "assets/contrast.css": b"body { color: #000; }" * 100,
        "assets/bg.png": bytes(5000),
        "assets/print.css": b"@media print { nav { display: none; } }\n",
        "assets/app.js": b"document.documentElement.classList.add('js');\n" * 30,
        "assets/logo.png": bytes(range(256)) * 3,
        "assets/photo.jpg": bytes(90_000),
        "assets/frame.png": bytes(40_000),
    }
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    return tmp_path


def test_a_page_costs_its_html_styles_scripts_fonts_icons_and_images_outside_main(site: Path) -> None:
    weight = measure_page(SiteFiles(site), site / "sivu" / "index.html")
    got = {resource.address: (resource.kind, resource.size) for resource in weight.resources}
    expected = {
        "sivu/index.html": ("page", gzip_length(PAGE.encode())),
        "favicon.svg": ("icon", gzip_length((site / "favicon.svg").read_bytes())),
        "assets/site.css": ("stylesheet", gzip_length(CSS.encode())),
        "assets/app.js": ("script", gzip_length((site / "assets" / "app.js").read_bytes())),
        "assets/logo.png": ("image", 768),  # PNG travels as it is: 3 × 256 bytes
        "https://analytics.example.org/a.js": ("script", 0),  # another host: counted, not measured
        "assets/print.css": ("stylesheet", gzip_length((site / "assets" / "print.css").read_bytes())),
        "assets/fonts.css": ("stylesheet", gzip_length(FONTS_CSS.encode())),
        "assets/kunta.woff2": ("font", 5120),  # the first url() of the src only; WOFF2 as it is
    }
    assert got == expected
    # Left out: the alternate style sheet, the feed, the JSON-LD, the data: image, the content
    # images in <main> and in the frame, the CSS background, the WOFF fallback; app.js and
    # site.css (also in the frame) count once.
    assert weight.requests == 9
    assert weight.size == sum(size for _, size in expected.values())
    assert weight.resources[0].address == "sivu/index.html"
    assert [r.problem for r in weight.resources if r.problem] == ["another host: its size cannot be measured here"]


def test_a_site_below_a_folder_of_its_host_resolves_root_relative_addresses(site: Path) -> None:
    page = site / "404.html"
    page.write_text('<link rel="stylesheet" href="/kunta/assets/site.css"><link rel="icon" href="/favicon.ico">')
    weight = measure_page(SiteFiles.for_site_url(site, "https://www.example.fi/kunta"), page)
    assert [(r.address, r.problem) for r in weight.resources[:2]] == [("404.html", ""), ("assets/site.css", "")]
    problems = {r.address: r.problem for r in weight.resources}
    assert "outside the site's folder /kunta/" in problems["/favicon.ico"]
    assert problems["assets/fonts.css"] == problems["assets/kunta.woff2"] == ""  # found through site.css


def test_css_references_are_imports_and_the_first_font_source() -> None:
    css = """/* @import "no.css"; */ @import 'a.css' screen; @import url(b.css);
    @font-face { font-display: swap; src: local(X), url('f.woff2') format('woff2'), url(f.ttf); }"""
    assert css_references(css) == [("stylesheet", "a.css"), ("stylesheet", "b.css"), ("font", "f.woff2")]


def test_measure_site_measures_every_page(site: Path) -> None:
    (site / "index.html").write_text("<p>Etusivu</p>")
    pages = [weight.page for weight in measure_site(SiteFiles(site))]
    assert pages == ["index.html", "sivu/index.html"]


# --- the budget ----------------------------------------------------------------------------------


def weight(page: str, *sizes: tuple[str, str, int]) -> PageWeight:
    return PageWeight(page, tuple(Resource(address, kind, size) for address, kind, size in sizes))


BUDGET = Budget(45, 5)
MAP_BUDGET = Budget(80, 7, "map page budget", ("map_budget_kb", "map_budget_requests"))


def test_a_page_within_budget_passes_and_one_over_it_gets_one_line_with_figures_and_fix() -> None:
    light = weight("a/index.html", ("a/index.html", "page", 9000), ("assets/kunta.css", "stylesheet", 6000))
    heavy = weight(
        "b/index.html",
        ("b/index.html", "page", 41_000),
        ("assets/kunta.css", "stylesheet", 6000),
        ("favicon.svg", "icon", 200),
    )
    (problem,) = budget_problems([light, heavy], BUDGET, sources={"b/index.html": "pages/b.yml"})
    assert problem == (
        "b/index.html: first load 47.2 KB gzip in 3 requests, over the budget of 45 KB and 5 requests — "
        "biggest: page HTML 41.0 KB, assets/kunta.css 6.0 KB, favicon.svg 0.2 KB — the page's own HTML is "
        "the largest part: split its text into several pages (pages/b.yml); or, if the page must weigh more, "
        "raise budget_kb / budget_requests under 'plugins: - kuntasivu:' in mkdocs.yml (budget_level: warning "
        "only warns)"
    )


def test_too_many_requests_alone_is_over_budget_and_says_so() -> None:
    files = [(f"assets/{n}.js", "script", 100) for n in range(5)]
    (problem,) = budget_problems([weight("c/index.html", ("c/index.html", "page", 3000), *files)], BUDGET)
    assert "first load 3.5 KB gzip in 6 requests, over the budget of 45 KB and 5 requests" in problem
    assert "load fewer files (it loads 6" in problem


def test_map_pages_have_their_own_budget_and_the_report_names_it() -> None:
    leaflet = ("assets/leaflet/leaflet.0123456789.js", "script", 43_000)
    page = weight("kartta/index.html", ("kartta/index.html", "page", 7000), leaflet)
    assert budget_problems([page], BUDGET, {"kartta/index.html": MAP_BUDGET}) == []
    (problem,) = budget_problems([page], BUDGET)  # as an ordinary page it is over
    assert "over the budget of 45 KB" in problem and "assets/leaflet/leaflet.0123456789.js is the largest" in problem
    heavier = weight("kartta/index.html", ("kartta/index.html", "page", 40_000), leaflet)
    (problem,) = budget_problems([heavier], BUDGET, {"kartta/index.html": MAP_BUDGET})
    assert "over the map page budget of 80 KB and 7 requests" in problem
    assert "raise map_budget_kb / map_budget_requests" in problem


def test_a_file_the_page_loads_but_the_build_did_not_write_is_reported(site: Path) -> None:
    (site / "assets" / "app.js").unlink()
    weights = measure_site(SiteFiles(site))
    assert budget_problems(weights, Budget(45, 20)) == [
        "sivu/index.html: loads assets/app.js (script), which the build did not write: "
        "fix the address in the template or content that links to it"
    ]


def test_budget_compares_bytes_with_kilobytes_of_1000() -> None:
    assert Budget(1, 1).allows(weight("p", ("p", "page", KB)))
    assert not Budget(1, 1).allows(weight("p", ("p", "page", KB + 1)))


# --- fingerprints and bundles --------------------------------------------------------------------


def test_fingerprinted_names_carry_ten_hex_characters_of_the_content_hash() -> None:
    data = b"body { color: #222; }"
    name = fingerprinted("assets/kunta.css", data)
    assert name == f"assets/kunta.{hashlib.sha256(data).hexdigest()[:10]}.css"
    assert IMMUTABLE.search(name)
    assert fingerprinted("assets/leaflet/leaflet.js", data).startswith("assets/leaflet/leaflet.")
    assert fingerprinted("assets/kunta.css", data + b" ") != name
    assert not IMMUTABLE.search("assets/kunta.css") and not IMMUTABLE.search("assets/hero.0123456789.svg")
    with pytest.raises(ValueError, match="has no extension"):
        fingerprinted("assets/LICENSE", data)


def test_bundle_keeps_the_scripts_in_order_and_apart(tmp_path: Path) -> None:
    (tmp_path / "a.js").write_text("var a = 1\n")
    (tmp_path / "b.js").write_text("(function () {})()")
    assert bundle([tmp_path / "a.js", tmp_path / "b.js"]) == (
        "/* --- a.js --- */\nvar a = 1\n;\n/* --- b.js --- */\n(function () {})()\n;\n"
    )


def test_the_asset_filter_names_what_the_build_makes_when_a_template_asks_for_something_else() -> None:
    plugin = KuntasivuPlugin()
    plugin.asset_urls = {"assets/kunta.css": "assets/kunta.0123456789.css"}
    assert plugin._asset_url("assets/kunta.css") == "assets/kunta.0123456789.css"
    with pytest.raises(PluginError, match=r"asks for asset 'assets/kunta.js', .*it makes assets/kunta.css\)"):
        plugin._asset_url("assets/kunta.js")


# --- in the build ---------------------------------------------------------------------------------


def with_form(municipality: Path) -> None:
    """pieni's library page with the shared accessibility form: a page that loads the form script."""
    page = municipality / "pages" / "kirjasto.yml"
    text = page.read_text("utf-8")
    assert text.endswith("hours: 10.00–18.00\n")  # the last block
    page.write_text(text + "  - type: form\n    form: saavutettavuuspalaute\n", "utf-8")
    site = municipality / "site.yml"
    site.write_text(site.read_text("utf-8") + "inbox_url: https://lomakkeet.pieni.fi/\n", "utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pieni with a form, built once with the default budget."""
    project = make_project(tmp_path_factory.mktemp("weight") / "project", ("pieni",))
    with_form(project / "municipalities" / "pieni")
    result = build("pieni", "--today", "2026-11-26", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "public" / "pieni"


def test_pages_link_the_fingerprinted_css_and_the_plain_name_stays_for_the_service(built: Path) -> None:
    (css,) = [p for p in (built / "assets").glob("kunta.*.css")]
    assert IMMUTABLE.search(css.name) and css.name == Path(fingerprinted("assets/kunta.css", css.read_bytes())).name
    assert (built / "assets" / "kunta.css").read_bytes() == css.read_bytes()
    for page in ("index.html", "palvelut/kirjasto/index.html", "404.html"):
        soup = BeautifulSoup((built / page).read_text("utf-8"), "html.parser")
        (link,) = soup.select('link[rel="stylesheet"]')
        assert link["href"].endswith(f"assets/{css.name}"), page


def test_a_form_page_loads_one_script_made_of_form_kit_and_forms(built: Path) -> None:
    page = BeautifulSoup((built / "palvelut" / "kirjasto" / "index.html").read_text("utf-8"), "html.parser")
    (script,) = page.select("script[src]")
    assert re.fullmatch(r"\.\./\.\./assets/forms\.[0-9a-f]{10}\.js", script["src"])
    served = (built / "palvelut" / "kirjasto" / script["src"]).resolve().read_text("utf-8")
    assert served == bundle([THEME_ASSETS / "form_kit.js", THEME_ASSETS / "forms.js"])
    assert not list((built / "assets").glob("form_kit*")), "form_kit.js is served only inside the bundles"
    other = BeautifulSoup((built / "palvelut" / "index.html").read_text("utf-8"), "html.parser")
    assert not other.select("script[src]")


def test_every_page_of_the_built_site_is_within_the_default_budget(built: Path) -> None:
    weights = measure_site(SiteFiles.for_site_url(built, "https://www.pieni.fi/"))
    own = {"_components/index.html": Budget(150, 5)}
    assert weights and budget_problems(weights, BUDGET, own) == []
    form_page = next(w for w in weights if w.page == "palvelut/kirjasto/index.html")
    # HTML, kunta.css, favicon, logo and the one form script.
    assert [r.kind for r in form_page.resources] == ["page", "script", "icon", "stylesheet", "image"]


def set_plugin_options(project: Path, options: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert text.count("  - kuntasivu\n") == 1
    config.write_text(text.replace("  - kuntasivu\n", f"  - kuntasivu:\n{options}"), "utf-8")


def test_a_page_over_budget_fails_the_build_with_a_line_per_page(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", ("pieni",))
    set_plugin_options(project, "      budget_kb: 5\n")
    result = build("pieni", "--today", "2026-11-26", cwd=project)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if "over the budget of 5 KB and 5 requests" in line]
    assert any(line.startswith("palvelut/kirjasto/index.html: first load ") for line in lines), result.stderr
    assert all("raise budget_kb / budget_requests under 'plugins: - kuntasivu:' in mkdocs.yml" in x for x in lines)
    assert "page weight budget (budget_level: error)" in result.stderr
    assert "_components/index.html" not in result.stderr  # held to the component library's budget (150 KB)
    assert not (project / "public" / "pieni").exists(), "nothing is published from a build over budget"


def test_budget_level_warning_reports_and_goes_on(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    project = make_project(tmp_path / "project", ("pieni",))
    set_plugin_options(project, "      budget_kb: 5\n      budget_level: warning\n")
    with caplog.at_level(logging.WARNING, logger="kuntasivu.weight"):
        build_site(project, project / "municipalities" / "pieni", tmp_path / "site", today=dt.date(2026, 11, 26))
    lines = [r.getMessage() for r in caplog.records if r.name == "kuntasivu.weight"]
    assert any(line.startswith("page weight: palvelut/kirjasto/index.html: first load ") for line in lines), lines
    assert (tmp_path / "site" / "index.html").is_file()


def test_a_budget_setting_of_the_wrong_kind_is_a_config_error(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    project = make_project(tmp_path / "project", ("pieni",))
    set_plugin_options(project, "      budget_level: fatal\n")
    with pytest.raises(Abort):
        mkdocs_config(project, project / "municipalities" / "pieni", tmp_path / "site")
    assert "option 'budget_level': Expected one of: ('error', 'warning') but received: 'fatal'" in caplog.text
