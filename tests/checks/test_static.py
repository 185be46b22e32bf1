"""Own static checks: every rule fails on a small page that breaks it and passes on its twin."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from kuntasivu.checks.findings import Finding
from kuntasivu.checks.link_texts import load_generic_link_texts, normalise_link_text
from kuntasivu.checks.static import (
    PARSER,
    StaticContext,
    check_page,
    check_site,
    page_title,
)

from tests.conftest import FIXTURES, ROOT, SHARED


def _texts() -> dict[str, dict[str, str]]:
    """The real UI texts' generic link lists, flattened as content.texts has them."""
    texts = {}
    for lang in ("fi", "sv", "en"):
        data = yaml.safe_load((SHARED / "texts" / f"{lang}.yml").read_text("utf-8"))
        texts[lang] = {"checks.generic_links": data["checks"]["generic_links"], "skip_link": "x"}
    return texts


CONTEXT = StaticContext(
    languages=("fi", "sv"),
    generic_link_texts=load_generic_link_texts(_texts()),
    decorative_images=frozenset({"assets/logo.svg"}),
)


def page(body: str, *, lang: str | None = "fi", title: str = "Kirjasto – Pieni", head: str = "") -> str:
    """A whole, otherwise sound page around ``body`` (the content of <main>)."""
    lang_attr = f' lang="{lang}"' if lang is not None else ""
    return (
        f"<!doctype html>\n<html{lang_attr}>\n<head>\n<meta charset='utf-8'>\n<title>{title}</title>\n{head}</head>\n"
        f'<body>\n<a href="#main">Siirry sisältöön</a>\n<main id="main">\n<h1>Kirjasto</h1>\n{body}\n</main>\n'
        "</body>\n</html>\n"
    )


def findings(body: str, url: str = "", *, lang: str | None = "fi") -> list[Finding]:
    return check_page(url, page(body, lang=lang), CONTEXT)


def only(found: list[Finding], rule: str, criterion: str, html: str | None = None) -> Finding:
    """The one finding of ``rule``; every finding is an error of engine kuntasivu with a usable selector."""
    assert [f.rule for f in found] == [rule], [(f.rule, f.message) for f in found]
    finding = found[0]
    assert (finding.engine, finding.severity, finding.criterion) == ("kuntasivu", "error", criterion)
    assert finding.rule_id == f"kuntasivu/{rule}"
    assert ";" in finding.message, "the message says what is wrong; then how to fix it"
    if html is not None and finding.selector is not None:
        matches = BeautifulSoup(html, PARSER).select(finding.selector)
        assert len(matches) == 1, f"{finding.selector} matches {len(matches)} elements"
        assert finding.snippet is not None
        assert finding.snippet.startswith(f"<{matches[0].name}")
    return finding


def rules(found: list[Finding]) -> list[str]:
    return [f.rule for f in found]


# --- a sound page -----------------------------------------------------------------------------


def test_sound_page_has_no_findings() -> None:
    body = """
<p>Kirjasto on avoinna arkisin. <a href="aukioloajat/">Kirjaston aukioloajat</a></p>
<img src="kuva.jpg" alt="Lukusali ikkunoineen.">
<h2>Yhteystiedot</h2><h3>Käyntiosoite</h3><h2>Lomake</h2>
<form><label for="nimi">Nimi</label><input id="nimi" name="nimi"><button>Lähetä</button></form>
"""
    assert findings(body) == []


# --- html-lang --------------------------------------------------------------------------------


def test_html_without_lang() -> None:
    html = page("", lang=None)
    finding = only(check_page("vapaa-aika/", html, CONTEXT), "html-lang", "3.1.1", html)
    assert finding.url == "vapaa-aika/"
    assert finding.selector == "html"
    assert 'lang="fi"' in finding.message


def test_html_lang_not_a_site_language() -> None:
    finding = only(findings("", lang="de"), "html-lang", "3.1.1")
    assert "'de'" in finding.message and "fi, sv" in finding.message


@pytest.mark.parametrize("lang", ["fi", "sv", "sv-FI", "FI"])
def test_html_lang_of_the_site(lang: str) -> None:
    assert "html-lang" not in rules(findings("", lang=lang))


def test_html_lang_empty() -> None:
    only(findings("", lang=" "), "html-lang", "3.1.1")


# --- document-title, title-unique ------------------------------------------------------------


def test_missing_title() -> None:
    html = page("").replace("<title>Kirjasto – Pieni</title>", "")
    finding = only(check_page("a/", html, CONTEXT), "document-title", "2.4.2", html)
    assert finding.url == "a/"
    assert finding.selector == "head"


def test_empty_title() -> None:
    html = page("", title="  ")
    finding = only(check_page("", html, CONTEXT), "document-title", "2.4.2", html)
    assert finding.selector == "head > title"
    assert "empty" in finding.message


def test_svg_title_is_not_the_page_title() -> None:
    html = page('<svg role="img"><title>Kuvake</title></svg>').replace("<title>Kirjasto – Pieni</title>", "")
    only(check_page("", html, CONTEXT), "document-title", "2.4.2")
    assert page_title(html) is None


def test_title_used_twice() -> None:
    pages = {
        "b/": page("", title="Kirjasto – Pieni"),
        "": page("", title="Pieni"),
        "a/": page("", title="Kirjasto   –  Pieni"),
        "c/": page("", title="Kirjasto – Pieni"),
    }
    found = check_site(pages)
    assert [(f.url, f.rule, f.criterion, f.selector) for f in found] == [
        ("b/", "title-unique", "2.4.2", "head > title"),
        ("c/", "title-unique", "2.4.2", "head > title"),
    ]
    assert "'Kirjasto – Pieni'" in found[0].message and "page 'a/'" in found[0].message
    assert "page 'a/'" in found[1].message
    assert found[0].snippet == "<title>Kirjasto – Pieni</title>"


def test_title_of_home_page_named_as_such() -> None:
    found = check_site({"": page("", title="Pieni"), "x/": page("", title="Pieni")})
    assert [f.url for f in found] == ["x/"]
    assert "the home page" in found[0].message


def test_unique_titles() -> None:
    pages = {"": page("", title="Pieni"), "a/": page("", title="Kirjasto &amp; museo – Pieni"), "b/": page("")}
    assert check_site(pages) == []
    assert page_title(pages["a/"]) == "Kirjasto & museo – Pieni"


# --- h1-count, heading-order ------------------------------------------------------------------


def test_no_h1() -> None:
    html = page("").replace("<h1>Kirjasto</h1>", "<h2>Kirjasto</h2>")
    finding = only(check_page("", html, CONTEXT), "h1-count", "1.3.1")
    assert "no <h1>" in finding.message


def test_two_h1() -> None:
    html = page("<h1>Aukioloajat</h1>")
    finding = only(check_page("", html, CONTEXT), "h1-count", "1.3.1", html)
    assert finding.selector == "#main > h1:nth-of-type(2)"
    assert "2 <h1>" in finding.message and "'Kirjasto'" in finding.message


def test_skipped_heading_level() -> None:
    html = page("<h2>Palvelut</h2><section><h4>Lainaus</h4></section>")
    finding = only(check_page("", html, CONTEXT), "heading-order", "1.3.1", html)
    assert finding.selector == "#main > section > h4"
    assert "<h4> 'Lainaus' follows <h2> 'Palvelut'" in finding.message
    assert "<h3>" in finding.message


def test_headings_in_order() -> None:
    assert findings("<h2>A</h2><h3>B</h3><h4>C</h4><h2>D</h2><h3>E</h3>") == []


def test_first_heading_may_be_any_level() -> None:
    html = page("<h2>Palvelut</h2>").replace("<main", "<header><h4>Pieni</h4></header><main")
    assert check_page("", html, CONTEXT) == []


# --- img-alt ----------------------------------------------------------------------------------


def test_img_without_alt() -> None:
    html = page('<p><img src="kuva.jpg"></p>')
    finding = only(check_page("tapahtumat/", html, CONTEXT), "img-alt", "1.1.1", html)
    assert finding.url == "tapahtumat/"
    assert finding.selector == "#main > p > img"
    assert "no alt attribute" in finding.message and "kuva.jpg" in finding.message


def test_empty_alt_on_image_not_declared_decorative() -> None:
    html = page('<img src="../kuvat/kuva.jpg?v=2" alt=" ">')
    finding = only(check_page("tapahtumat/konsertti/", html, CONTEXT), "img-alt", "1.1.1", html)
    assert "'tapahtumat/kuvat/kuva.jpg'" in finding.message
    assert "not declared decorative" in finding.message


@pytest.mark.parametrize(
    ("url", "src"),
    [
        ("", "assets/logo.svg"),
        ("", "./assets/logo.svg?v=1#x"),
        ("vapaa-aika/kirjasto/", "../../assets/logo.svg"),
        ("sv/", "../assets/logo.svg"),
        ("assets/liite.html", "logo.svg"),
        ("404.html", "/assets/logo.svg"),
        ("a/b/", "../../assets/logo%2Esvg"),
    ],
)
def test_empty_alt_on_declared_decorative_image(url: str, src: str) -> None:
    assert findings(f'<img src="{src}" alt="">', url) == []


@pytest.mark.parametrize(
    ("url", "src"),
    [
        ("vapaa-aika/kirjasto/", "../assets/logo.svg"),  # vapaa-aika/assets/logo.svg
        ("vapaa-aika/kirjasto/", "assets/logo.svg"),
        ("assets/liite.html", "assets/logo.svg"),  # assets/assets/logo.svg
        ("", "https://www.pieni.fi/assets/logo.svg"),
        ("", "//www.pieni.fi/assets/logo.svg"),
        ("", "data:image/svg+xml,%3Csvg%3E%3C/svg%3E"),
        ("", ""),
    ],
)
def test_empty_alt_resolves_elsewhere(url: str, src: str) -> None:
    only(findings(f'<img src="{src}" alt="">', url), "img-alt", "1.1.1")


def test_role_presentation_counts_as_decorative_only_when_declared() -> None:
    only(findings('<img src="kuva.jpg" role="presentation">'), "img-alt", "1.1.1")
    only(findings('<img src="kuva.jpg" alt="Kuva" role="none">'), "img-alt", "1.1.1")
    assert findings('<img src="../assets/logo.svg" role="presentation">', "a/") == []


def test_img_with_alt() -> None:
    assert findings('<img src="kuva.jpg" alt="Kirjaston lukusali.">') == []


# --- link-name: the accessible name ---------------------------------------------------------


def test_link_without_name() -> None:
    html = page('<p>Teksti</p><p>Lisää <a href="aukioloajat/"> </a></p>')
    finding = only(check_page("kirjasto/", html, CONTEXT), "link-name", "2.4.4", html)
    assert finding.url == "kirjasto/"
    assert finding.selector == "#main > p:nth-of-type(2) > a"
    assert "'aukioloajat/'" in finding.message and "no accessible name" in finding.message


def test_link_named_by_img_alt() -> None:
    assert findings('<a href="."><img src="kuva.jpg" alt="Pieni, etusivu"></a>') == []


def test_link_around_decorative_img_only_has_no_name() -> None:
    only(findings('<a href="."><img src="assets/logo.svg" alt=""></a>'), "link-name", "2.4.4")


def test_link_text_inside_aria_hidden_does_not_count() -> None:
    body = '<a href="haku/"><span aria-hidden="true">🔍</span><svg aria-hidden="true"><title>Haku</title></svg></a>'
    only(findings(body), "link-name", "2.4.4")
    only(findings('<a href="haku/"><img src="haku.svg" alt="Haku" aria-hidden="true"></a>'), "link-name", "2.4.4")
    assert findings('<a href="haku/"><span aria-hidden="true">🔍</span> Haku</a>') == []


def test_link_named_by_aria_labelledby() -> None:
    body = '<h2 id="lib">Kirjaston palvelut</h2><a href="palvelut/" aria-labelledby="lib"><svg></svg></a>'
    assert findings(body) == []


def test_aria_labelledby_wins_over_generic_text() -> None:
    body = '<h2 id="lib">Kirjaston palvelut</h2><a href="palvelut/" aria-labelledby="lib">Lue lisää</a>'
    assert findings(body) == []


def test_aria_labelledby_to_missing_id_falls_back_to_content() -> None:
    only(findings('<a href="palvelut/" aria-labelledby="nothing"></a>'), "link-name", "2.4.4")
    only(findings('<a href="palvelut/" aria-labelledby="nothing">Lue lisää</a>'), "link-generic", "2.4.4")


@pytest.mark.parametrize(
    "link",
    ['<a href="x/" aria-label="Kirjaston aukioloajat"></a>', '<a href="x/" title="Kirjaston aukioloajat"></a>'],
)
def test_link_named_by_attribute(link: str) -> None:
    assert findings(link) == []


def test_anchor_without_href_is_not_a_link() -> None:
    assert findings('<a id="kohta"></a>') == []


# --- link-generic -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Lue lisää", "lue   LISÄÄ »", "Lisätietoja.", "Klikkaa tästä!", "Tästä →", "› jatka"])
def test_generic_link_text(text: str) -> None:
    html = page(f'<p>Kirjasto avautuu. <a href="uutiset/kirjasto/">{text}</a></p>')
    finding = only(check_page("", html, CONTEXT), "link-generic", "2.4.4", html)
    assert finding.selector == "#main > p > a"
    assert "does not say where the link goes" in finding.message
    assert "'Kirjaston aukioloajat'" in finding.message


def test_link_text_that_names_the_destination() -> None:
    assert findings('<a href="kirjasto/">Lue lisää kirjaston aukioloajoista</a>') == []


def test_swedish_generic_link_on_swedish_page() -> None:
    finding = only(findings('<a href="bibliotek/">Läs mer »</a>', "sv/", lang="sv"), "link-generic", "2.4.4")
    assert finding.url == "sv/"
    assert "'Läs mer »'" in finding.message and "'Bibliotekets öppettider'" in finding.message
    assert findings('<a href="bibliotek/">Lue lisää</a>', "sv/", lang="sv") == []  # Finnish phrase, Swedish page
    assert findings('<a href="bibliotek/">Bibliotekets öppettider</a>', "sv/", lang="sv") == []


def test_page_without_lang_uses_the_default_language() -> None:
    assert rules(findings('<a href="x/">Lue lisää</a>', lang=None)) == ["html-lang", "link-generic"]


def test_load_generic_link_texts() -> None:
    loaded = load_generic_link_texts({"fi": {"checks.generic_links": " Lue lisää |LISÄÄ|  | täältä » "}, "en": {}})
    assert loaded == {"fi": frozenset({"lue lisää", "lisää", "täältä"}), "en": frozenset()}
    assert {"lue lisää", "klikkaa tästä"} <= CONTEXT.generic_link_texts["fi"]
    assert {"läs mer", "klicka här"} <= CONTEXT.generic_link_texts["sv"]
    assert {"read more", "click here"} <= load_generic_link_texts(_texts())["en"]


def test_normalise_link_text() -> None:
    assert normalise_link_text("  Lue\n  lisää  →  ") == "lue lisää"
    assert normalise_link_text("Läs mer...") == "läs mer"
    assert normalise_link_text("» Read more ›") == "read more"


# --- link-file-type ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("href", "text", "kind"),
    [
        ("liitteet/hakemus.pdf", "Hakemus", "PDF"),
        ("liitteet/hakemus.PDF?v=2#sivu=3", "Hakemus", "PDF"),
        ("https://www.pieni.fi/budjetti.ods", "Budget methods", "Excel"),
        ("esitys.pptx", "Esitys", "PowerPoint"),
        ("ohje.docx", "Ohje dokumenttina", "Word"),
    ],
)
def test_file_link_without_type(href: str, text: str, kind: str) -> None:
    html = page(f'<ul><li><a href="{href}">{text}</a></li></ul>')
    finding = only(check_page("hallinto/", html, CONTEXT), "link-file-type", "2.4.4", html)
    assert finding.url == "hallinto/"
    assert finding.selector == "#main > ul > li > a"
    assert f"opens a {kind} file" in finding.message and f"'{text} ({kind})'" in finding.message


@pytest.mark.parametrize(
    ("href", "text"),
    [
        ("hakemus.pdf", "Hakemus (PDF, 120 kt)"),
        ("hakemus.pdf", 'Hakemus <span class="file">pdf-tiedosto</span>'),
        ("hakemus.pdf", "Hakemus PDF:nä"),
        ("ohje.docx", "Ohje (Word-tiedosto)"),
        ("ohje.doc", "Ohje (DOCX)"),
        ("ohje.odt", "Ohje (ODT)"),
        ("talous.xlsx", "Talousarvio Excelissä"),
        ("talous.ods", "Talousarvio (xls)"),
        ("esitys.odp", "Esitys (PowerPoint)"),
        ("kirjasto/", "Kirjasto"),
        ("mailto:kirjaamo@pieni.pdf", "Kirjaamo"),
    ],
)
def test_file_link_with_type(href: str, text: str) -> None:
    assert findings(f'<a href="{href}">{text}</a>') == []


# --- form-label, button-name ------------------------------------------------------------------


@pytest.mark.parametrize(
    "control",
    [
        '<input id="nimi" name="nimi" placeholder="Nimi">',
        '<input type="email" name="email">',
        '<select name="aihe"><option>Kirjasto</option></select>',
        '<textarea name="viesti"></textarea>',
        '<input name="nimi" aria-labelledby="puuttuu">',
        '<span id="tyhja"> </span><input name="nimi" aria-labelledby="tyhja">',
        '<label for="nimi"> </label><input id="nimi" name="nimi">',
        '<label for="muu">Nimi</label><input id="nimi" name="nimi">',
    ],
)
def test_control_without_label(control: str) -> None:
    html = page(f"<form>{control}</form>")
    finding = only(check_page("lomake/", html, CONTEXT), "form-label", "1.3.1", html)
    assert finding.url == "lomake/"
    assert finding.selector is not None and finding.selector.startswith("#")
    assert "has no label" in finding.message and "<label" in finding.message


@pytest.mark.parametrize(
    "control",
    [
        '<label for="nimi">Nimi</label><input id="nimi" name="nimi">',
        '<label>Nimi <input name="nimi"></label>',
        '<input name="haku" aria-label="Hae sivustolta">',
        '<h2 id="h">Hae</h2><input name="haku" aria-labelledby="h">',
        '<input name="haku" title="Hae sivustolta">',
        '<label for="aihe">Aihe</label><select id="aihe"><option>Kirjasto</option></select>',
        '<label for="v">Viesti</label><textarea id="v"></textarea>',
        '<input type="hidden" name="t"><input type="submit"><input type="reset"><input type="button" value="OK">',
        '<input type="image" src="hae.svg" alt="Hae">',
    ],
)
def test_control_with_label(control: str) -> None:
    assert findings(f"<form>{control}</form>") == []


def test_button_without_name() -> None:
    html = page('<form><button type="submit"><svg aria-hidden="true"></svg></button></form>')
    finding = only(check_page("", html, CONTEXT), "button-name", "4.1.2", html)
    assert finding.selector == "#main > form > button"
    assert "no accessible name" in finding.message


def test_image_button_without_alt() -> None:
    finding = only(findings('<form><input type="image" src="hae.svg"></form>'), "button-name", "4.1.2")
    assert "alt" in finding.message


@pytest.mark.parametrize(
    "button",
    [
        "<button>Lähetä</button>",
        '<button aria-label="Sulje"><svg aria-hidden="true"></svg></button>',
        '<span id="s">Sulje</span><button aria-labelledby="s">×</button>',
        '<button title="Sulje"></button>',
        '<button><img src="x.svg" alt="Sulje"></button>',
    ],
)
def test_button_with_name(button: str) -> None:
    assert findings(button) == []


# --- duplicate-id -----------------------------------------------------------------------------


def test_duplicate_id() -> None:
    html = page('<section id="a"><h2 id="otsikko">A</h2></section><section><h2 id="otsikko">B</h2></section>')
    finding = only(check_page("ajankohtaista/", html, CONTEXT), "duplicate-id", "4.1.1", html)
    assert finding.url == "ajankohtaista/"
    assert finding.selector == "#main > section:nth-of-type(2) > h2"
    assert "'otsikko'" in finding.message and "#a > h2" in finding.message


def test_each_extra_occurrence_is_a_finding() -> None:
    found = findings('<p id="x">1</p><p id="x">2</p><p id="x">3</p><p id="main">4</p>')
    assert rules(found) == ["duplicate-id"] * 3
    assert [f.selector for f in found] == [
        "main > p:nth-of-type(2)",
        "main > p:nth-of-type(3)",
        "main > p:nth-of-type(4)",
    ]


def test_unique_ids() -> None:
    assert findings('<p id="x">1</p><p id="y">2</p>') == []


# --- table-headers ----------------------------------------------------------------------------


def test_table_without_headers() -> None:
    html = page("<table><tr><td>ma</td><td>9–18</td></tr></table>")
    finding = only(check_page("kirjasto/", html, CONTEXT), "table-headers", "1.3.1", html)
    assert finding.selector == "#main > table"
    assert "<th>" in finding.message


def test_nested_table_needs_its_own_headers() -> None:
    html = page("<table><tr><th>Päivä</th><td><table><tr><td>9–18</td></tr></table></td></tr></table>")
    finding = only(check_page("", html, CONTEXT), "table-headers", "1.3.1", html)
    assert finding.selector is not None and finding.selector.endswith("td > table")


@pytest.mark.parametrize(
    "table",
    [
        '<table><tr><th scope="row">ma</th><td>9–18</td></tr></table>',
        '<table role="presentation"><tr><td>ma</td></tr></table>',
        '<table role="none"><tr><td>ma</td></tr></table>',
    ],
)
def test_table_with_headers(table: str) -> None:
    assert findings(table) == []


# --- iframe-title -----------------------------------------------------------------------------


@pytest.mark.parametrize("attrs", ["", ' title=""', ' title="  "'])
def test_iframe_without_title(attrs: str) -> None:
    html = page(f'<iframe src="https://www.openstreetmap.org/export/embed.html"{attrs}></iframe>')
    finding = only(check_page("yhteystiedot/", html, CONTEXT), "iframe-title", "4.1.2", html)
    assert finding.url == "yhteystiedot/"
    assert finding.selector == "#main > iframe"
    assert "openstreetmap" in finding.message and "title" in finding.message


def test_iframe_with_title() -> None:
    assert findings('<iframe src="kartta.html" title="Kunnantalo kartalla"></iframe>') == []


# --- a real built site -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture municipality 'pieni' built by the real generator (MkDocs only, no gate)."""
    out = tmp_path_factory.mktemp("static") / "pieni"
    code = (
        "import datetime, sys, pathlib; from kuntasivu.mkdocs_plugin import build_site; "
        "build_site(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3]), "
        "datetime.date.fromisoformat(sys.argv[4]))"
    )
    municipality = FIXTURES / "municipalities" / "pieni"
    args = [str(ROOT), str(municipality), str(out), dt.date(2026, 11, 26).isoformat()]
    result = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return out


def _site_pages(site: Path) -> dict[str, str]:
    pages = {}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        url = relative.removesuffix("index.html") if path.name == "index.html" else relative
        pages[url] = path.read_text("utf-8")
    return pages


@pytest.mark.e2e
def test_built_site_passes(built: Path) -> None:
    pages = _site_pages(built)
    assert {"", "palvelut/kirjasto/", "404.html", "vanha/kirjasto/"} <= set(pages)
    context = StaticContext(("fi",), load_generic_link_texts(_texts()), frozenset({"assets/logo.svg"}))
    found = [finding for url, html in pages.items() for finding in check_page(url, html, context)]
    assert found == []
    assert check_site(pages) == []


@pytest.mark.e2e
def test_built_page_without_declared_logo(built: Path) -> None:
    """With nothing declared decorative, the logo's empty alt on a real subfolder page is found, by its site path."""
    html = (built / "palvelut" / "kirjasto" / "index.html").read_text("utf-8")
    context = StaticContext(("fi",), load_generic_link_texts(_texts()), frozenset())
    found = check_page("palvelut/kirjasto/", html, context)
    assert rules(found) == ["img-alt"]  # the logo is no longer declared decorative
    assert found[0].message.startswith("image 'assets/logo.svg' has an empty alt")
