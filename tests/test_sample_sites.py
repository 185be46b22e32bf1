"""End to end: build every sample municipality and check every page of the output.

These are the baseline promises of DESIGN.md that hold by construction of the theme:
right language, unique title, landmarks, a skip link to <main> as the first focusable
element, one h1, and no request to any other host.
"""

from __future__ import annotations

import itertools
import json
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from kuntasivu.editor import is_admin

from tests.conftest import ROOT, SAMPLES

FOCUSABLE = ["a", "button", "input", "select", "textarea", "summary", "iframe", "[tabindex]"]
RESOURCE_ATTRIBUTES = {
    "img": "src",
    "script": "src",
    "iframe": "src",
    "source": "srcset",
    "video": "src",
    "audio": "src",
    "embed": "src",
    "object": "data",
    "track": "src",
}

pytestmark = pytest.mark.e2e


def site_config(slug: str) -> dict:
    return yaml.safe_load((ROOT / "municipalities" / slug / "site.yml").read_text("utf-8"))


def pages(site: Path) -> list[Path]:
    """The site's pages; the browser editor (admin/, Decap CMS) is a third-party tool for staff."""
    return sorted(path for path in site.rglob("*.html") if not is_admin(path.relative_to(site).as_posix()))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def expected_lang(site: Path, page: Path, languages: list[str]) -> str:
    first = page.relative_to(site).parts[0]
    return first if first in languages[1:] else languages[0]


def test_every_sample_is_a_committed_municipality() -> None:
    assert sorted(p.name for p in (ROOT / "municipalities").iterdir() if (p / "site.yml").exists()) == SAMPLES


@pytest.mark.parametrize("slug", SAMPLES)
def test_sample_has_the_promised_content(slug: str, sample_public: Path) -> None:
    folder = ROOT / "municipalities" / slug
    page_files = [yaml.safe_load(p.read_text("utf-8")) for p in (folder / "pages").glob("*.yml")]
    sections = {p["section"] for p in page_files if p.get("section")}
    assert len(page_files) >= 8 and len(sections) >= 4
    assert len(list((folder / "news").glob("*.yml"))) >= 3
    upcoming = soup(sample_public / slug / "index.html").select("#home-events ~ ul .teaser")
    assert len(upcoming) >= 2
    assert (sample_public / slug / "index.html").is_file()


@pytest.mark.parametrize("slug", SAMPLES)
def test_every_page_meets_the_baseline(slug: str, sample_public: Path) -> None:
    site = sample_public / slug
    languages = site_config(slug).get("languages", ["fi"])
    titles: dict[str, Path] = {}
    problems: list[str] = []
    for path in pages(site):
        doc = soup(path)
        where = path.relative_to(site)
        html = doc.find("html")
        if html.get("lang") != expected_lang(site, path, languages):
            problems.append(f"{where}: lang={html.get('lang')!r}")
        title = doc.title.get_text(strip=True) if doc.title else ""
        if not title:
            problems.append(f"{where}: empty title")
        elif title in titles:
            problems.append(f"{where}: title {title!r} also on {titles[title]}")
        titles[title] = where
        for landmark in ("header", "nav", "main", "footer"):
            if doc.find(landmark) is None:
                problems.append(f"{where}: no <{landmark}>")
        if len(doc.find_all("main")) != 1 or doc.main.get("id") != "main":
            problems.append(f"{where}: needs exactly one <main id=main>")
        first = doc.body.select_one(", ".join(FOCUSABLE))
        if first is None or first.get("href") != "#main" or "skip-link" not in first.get("class", []):
            problems.append(f"{where}: first focusable element is not the skip link to #main")
        if len(doc.find_all("h1")) != 1:
            problems.append(f"{where}: {len(doc.find_all('h1'))} h1 elements")
        levels = [int(h.name[1]) for h in doc.find_all(re.compile(r"^h[1-6]$"))]
        for before, after in itertools.pairwise(levels):
            if after > before + 1:
                problems.append(f"{where}: heading level jumps from h{before} to h{after}")
        for img in doc.find_all("img"):
            if not img.has_attr("alt"):
                problems.append(f"{where}: <img src={img.get('src')}> without alt")
    assert problems == []


@pytest.mark.parametrize("slug", SAMPLES)
def test_no_request_goes_to_another_host(slug: str, sample_public: Path) -> None:
    site = sample_public / slug
    external: list[str] = []
    for path in pages(site):
        doc = soup(path)
        for tag, attribute in RESOURCE_ATTRIBUTES.items():
            for element in doc.find_all(tag):
                value = element.get(attribute) or ""
                if re.match(r"^(https?:)?//", value.strip()):
                    external.append(f"{path.relative_to(site)}: <{tag} {attribute}={value}>")
        for link in doc.find_all("link"):
            rel = set(link.get("rel", []))
            if rel - {"canonical", "alternate"} and re.match(r"^(https?:)?//", link.get("href", "")):
                external.append(f"{path.relative_to(site)}: <link rel={rel} href={link['href']}>")
        for style in doc.find_all(style=True):
            if "url(" in style["style"]:
                external.append(f"{path.relative_to(site)}: inline style with url()")
    for css in site.rglob("*.css"):
        for match in re.finditer(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)|@import", css.read_text("utf-8")):
            external.append(f"{css.relative_to(site)}: {match.group(0)}")
    assert external == []


@pytest.mark.parametrize("slug", SAMPLES)
def test_internal_links_and_resources_exist(slug: str, sample_public: Path) -> None:
    site = sample_public / slug
    broken = []
    for path in pages(site):
        if path.name == "404.html":
            continue  # served at any address, so its links are absolute from the site root
        for element in soup(path).find_all(["a", "img", "link"]):
            target = element.get("href") or element.get("src")
            if not target or re.match(r"^[a-z]+:", target) or target.startswith(("#", "//")):
                continue
            resolved = posixpath.normpath(
                posixpath.join(path.parent.relative_to(site).as_posix(), urlsplit(target).path)
            )
            file = site / resolved
            if not (file.is_file() or (file / "index.html").is_file()):
                broken.append(f"{path.relative_to(site)}: {target}")
    assert broken == []


def test_lohja_pages_link_to_their_own_translation(sample_public: Path) -> None:
    site = sample_public / "lohja"
    fi_page = site / "vapaa-aika" / "kirjasto" / "index.html"
    doc = soup(fi_page)
    switch = doc.select_one('nav.language-switcher a[lang="sv"]')
    assert switch is not None and switch["hreflang"] == "sv"
    assert (fi_page.parent / switch["href"] / "index.html").resolve() == site / "sv/fritid/bibliotek/index.html"
    # Translations only: the news feed is announced with rel="alternate" too (type, no hreflang).
    alternates = {link["hreflang"]: link["href"] for link in doc.select('link[rel="alternate"][hreflang]')}
    assert alternates == {
        "fi": "https://www.lohja.fi/vapaa-aika/kirjasto/",
        "sv": "https://www.lohja.fi/sv/fritid/bibliotek/",
    }
    back = soup(site / "sv/fritid/bibliotek/index.html").select_one('nav.language-switcher a[lang="fi"]')
    assert back["href"] == "../../../vapaa-aika/kirjasto/"
    every_sv = [p for p in pages(site / "sv")]
    assert len(every_sv) > 20
    assert all(soup(p).select_one('nav.language-switcher a[lang="fi"]') for p in every_sv)


def test_kankaanpaa_redirects_former_honkajoki_pages(sample_public: Path) -> None:
    site = sample_public / "kankaanpaa"
    redirects = site_config("kankaanpaa")["redirects"]
    assert any(old.startswith("/honkajoki/") for old in redirects)
    lines = (site / "_redirects").read_text("utf-8").splitlines()
    assert len(lines) == len(redirects)
    for line in lines:
        old, new, status = line.split()
        assert status == "301"
        doc = soup(site / old.strip("/") / "index.html")
        page = site / old.strip("/") / "index.html"
        refresh = doc.find("meta", attrs={"http-equiv": "refresh"})["content"]
        assert refresh.startswith("0; url=")
        assert resolve(site, page, refresh.removeprefix("0; url=")) == new.strip("/")
        assert doc.find("link", rel="canonical")["href"] == f"https://www.kankaanpaa.fi{new}"
        assert resolve(site, page, doc.main.find("a")["href"]) == new.strip("/")


def resolve(site: Path, page: Path, href: str) -> str:
    """The site-relative folder a relative link on ``page`` points at."""
    return posixpath.normpath(posixpath.join(page.parent.relative_to(site).as_posix(), href))


def test_footer_links_privacy_notice_and_accessibility_statement_everywhere(sample_public: Path) -> None:
    for slug in SAMPLES:
        site = sample_public / slug
        for path in pages(site):
            if path.name == "404.html":
                continue
            targets = {resolve(site, path, a["href"]) for a in soup(path).footer.find_all("a")}
            lang = expected_lang(site, path, site_config(slug).get("languages", ["fi"]))
            prefix = "" if lang == site_config(slug).get("languages", ["fi"])[0] else f"{lang}/"
            statement = {"fi": "saavutettavuusseloste", "sv": "tillganglighetsutlatande"}[lang]
            privacy = {"fi": "tietosuoja", "sv": "dataskydd"}[lang]
            assert {prefix + statement, prefix + privacy} <= targets, path


@pytest.mark.parametrize("slug", SAMPLES)
def test_gate_reports_zero_findings_from_every_engine(slug: str, sample_sites: tuple[Path, Path]) -> None:
    reports = sample_sites[1] / slug
    assert sorted(p.name for p in reports.iterdir()) == ["a11y.json", "junit.xml", "report.html"]
    report = json.loads((reports / "a11y.json").read_text("utf-8"))
    assert set(report["engines"]) == {"kuntasivu", "nu", "axe", "htmlcs"}
    assert report["findings"] == []
    assert report["summary"]["pages"] == len(pages(sample_sites[0] / slug))
    assert report["summary"]["passed"] is True


def test_the_html_report_is_itself_accessible(sample_sites: tuple[Path, Path]) -> None:
    from kuntasivu.checks.nu import run_nu
    from kuntasivu.checks.pa11y import run_pa11y
    from kuntasivu.checks.static import StaticContext, check_page
    from kuntasivu.checks.tools import Tools

    folder = sample_sites[1] / "kankaanpaa"
    html = (folder / "report.html").read_text("utf-8")
    context = StaticContext(languages=("en",), generic_link_texts={}, decorative_images=frozenset())
    tools = Tools.find(ROOT)
    findings = check_page("report.html", html, context)
    findings += run_nu({folder / "report.html": "report.html"}, tools)["report.html"]
    findings += run_pa11y(folder, ["report.html"], tools)["report.html"]
    assert findings == []


@pytest.mark.parametrize("slug", SAMPLES)
def test_statement_in_every_language_with_its_json_twin(slug: str, sample_public: Path) -> None:
    import jsonschema

    schema = json.loads((ROOT / "plugins/kuntasivu/statement/accessibility-statement.schema.json").read_text("utf-8"))
    languages = site_config(slug).get("languages", ["fi"])
    folders = {"fi": "saavutettavuusseloste", "sv": "tillganglighetsutlatande", "en": "accessibility-statement"}
    for index, lang in enumerate(languages):
        folder = sample_public / slug / ("" if index == 0 else lang) / folders[lang]
        data = json.loads((folder / "accessibility-statement.json").read_text("utf-8"))
        jsonschema.validate(data, schema)
        assert data["language"] == lang
        assert data["status"] == "fully"
        page = soup(folder / "index.html")
        assert page.html["lang"] == lang
        assert data["status_text"] in page.main.get_text(" ")


@pytest.mark.parametrize("slug", SAMPLES)
def test_component_library_is_published_but_not_linked_or_listed(slug: str, sample_public: Path) -> None:
    from kuntasivu.component_library import load_contracts

    library = soup(sample_public / slug / "_components" / "index.html")
    assert library.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    expected = sum(len(c["examples"]) for _, c in load_contracts(ROOT / "themes" / "kunta"))
    frames = library.main.find_all("iframe")
    empty = library.main.find_all(string=re.compile("ei näytä mitään|visar ingenting"))
    assert len(frames) + len(empty) == expected
    assert all(frame.get("title") and frame.get("srcdoc", "").startswith("<!doctype html>") for frame in frames)
    assert "_components" not in (sample_public / slug / "sitemap.xml").read_text("utf-8")
    for path in pages(sample_public / slug):
        if path.parent.name != "_components":
            assert "_components" not in path.read_text("utf-8"), path


@pytest.mark.parametrize("slug", SAMPLES)
def test_browser_editor_is_published_for_staff_but_not_linked_or_listed(slug: str, sample_public: Path) -> None:
    site = sample_public / slug
    admin = soup(site / "admin" / "index.html")
    assert admin.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    config = yaml.safe_load((site / "admin" / "config.yml").read_text("utf-8"))
    assert config["backend"]["name"] == site_config(slug)["editor"]["backend"]
    assert config["publish_mode"] == "editorial_workflow"
    assert "/admin/" not in (site / "sitemap.xml").read_text("utf-8")
    assert any(line.endswith("/admin/") for line in (site / "robots.txt").read_text("utf-8").splitlines())
    for path in pages(site):
        assert 'href="/admin/' not in path.read_text("utf-8"), path
