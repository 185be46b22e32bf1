"""The preview's error page (kuntasivu.preview.page): what it shows of each error and its file."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from kuntasivu.checks.nu import run_nu
from kuntasivu.checks.tools import Tools
from kuntasivu.content.errors import ContentError
from kuntasivu.preview.page import error_page, excerpt
from kuntasivu.preview.texts import FALLBACK

from tests.conftest import ROOT


def render(tmp_path: Path, errors: list[ContentError], messages: tuple[str, ...] = (), lang: str = "fi") -> str:
    return error_page(errors, messages, tmp_path, lang, FALLBACK, "pieni")


def shown_lines(html: str, figure: int = 0) -> list[str]:
    """The text of each line of the ``figure``-th excerpt, as a reader sees it."""
    pre = lxml.html.fromstring(html).findall(".//figure/pre")[figure]
    return pre.text_content().split("\n")


def test_offending_lines_and_messages_are_escaped(tmp_path: Path) -> None:
    source = tmp_path / "municipalities" / "a&b" / "pages" / "x.yml"
    source.parent.mkdir(parents=True)
    source.write_text('id: x\ntitle: X\nbody: <script>alert("x")</script> & <b>\n', "utf-8")
    error = ContentError(source, 3, 7, "body", "bad <img src=x onerror=alert(1)> here")
    html = render(tmp_path, [error], ("</pre><script>alert(2)</script>",))
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in html
    assert "bad &lt;img src=x onerror=alert(1)&gt; here" in html
    assert "&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "<code>municipalities/a&amp;b/pages/x.yml</code>" in html
    page = lxml.html.fromstring(html)
    [marked] = page.findall(".//mark")
    assert marked.text_content() == '▶ 3  body: <script>alert("x")</script> & <b> (virheen rivi)'


def test_the_offending_line_is_marked_without_relying_on_colour(tmp_path: Path) -> None:
    source = tmp_path / "site.yml"
    source.write_text("".join(f"rivi{n}: {n}\n" for n in range(1, 10)), "utf-8")
    html = render(tmp_path, [ContentError(source, 5, 1, "", "wrong")])
    assert shown_lines(html) == [
        "  3  rivi3: 3",
        "  4  rivi4: 4",
        "▶ 5  rivi5: 5 (virheen rivi)",
        "  6  rivi6: 6",
        "  7  rivi7: 7",
    ]
    assert "<figcaption>Rivit 3–7</figcaption>" in html
    assert "<h3>Rivi 5, sarake 1</h3>" in html


def test_context_stops_at_the_start_and_end_of_the_file() -> None:
    text = "".join(f"line {n}\n" for n in range(1, 11))  # ten lines, ending with a newline
    assert [(line.number, line.marked) for line in excerpt(text, 1)] == [(1, True), (2, False), (3, False)]
    assert [(line.number, line.marked) for line in excerpt(text, 10)] == [(8, False), (9, False), (10, True)]
    assert [line.text for line in excerpt(text, 10)] == ["line 8", "line 9", "line 10"]
    assert [(line.number, line.marked) for line in excerpt("only: one", 1)] == [(1, True)]
    assert [line.number for line in excerpt("a\r\nb\r\nc\r\n", 2)] == [1, 2, 3]
    assert excerpt("a\r\nb\r\nc\r\n", 2)[1].text == "b"


def test_a_line_after_the_last_one_shows_the_end_of_the_file() -> None:
    text = "id: x\ntitle: [kesken\n"
    # YAML reports an unfinished file on the line after its last newline: that empty line is shown.
    assert [(line.number, line.text, line.marked) for line in excerpt(text, 3)] == [
        (1, "id: x", False),
        (2, "title: [kesken", False),
        (3, "", True),
    ]
    far = excerpt(text, 40)
    assert [line.number for line in far] == [1, 2, 3] and not any(line.marked for line in far)


def test_several_errors_in_several_files_are_grouped_by_file(tmp_path: Path) -> None:
    site = tmp_path / "municipalities" / "pieni" / "site.yml"
    page = tmp_path / "municipalities" / "pieni" / "pages" / "kirjasto.yml"
    page.parent.mkdir(parents=True)
    site.write_text("name: Pieni\nlanguages: [fi]\nsite_url: nope\n", "utf-8")
    page.write_text("id: kirjasto\ntittle: Kirjasto\nsection: palvelu\n", "utf-8")
    errors = [
        ContentError(page, 3, 10, "section", "unknown section 'palvelu'"),
        ContentError(site, 3, 11, "site_url", "not an address"),
        ContentError(page, 2, 1, "tittle", "unknown field 'tittle' — did you mean 'title'?"),
    ]
    html = render(tmp_path, errors)
    tree = lxml.html.fromstring(html)
    assert tree.findtext(".//h1") == "Sisällössä on 3 virhettä"
    headings = [(h.tag, h.text_content()) for h in tree.iter("h2", "h3")]
    assert headings == [
        ("h2", "municipalities/pieni/pages/kirjasto.yml"),
        ("h3", "Rivi 2, sarake 1"),
        ("h3", "Rivi 3, sarake 10"),
        ("h2", "municipalities/pieni/site.yml"),
        ("h3", "Rivi 3, sarake 11"),
    ]
    messages = [p.text_content() for p in tree.iter("p") if p.get("lang") == "en"]
    assert messages == ["unknown field 'tittle' — did you mean 'title'?", "unknown section 'palvelu'", "not an address"]
    assert [p.text_content() for p in tree.iter("p") if p.text_content().startswith("Kohta")] == [
        "Kohta: tittle",
        "Kohta: section",
        "Kohta: site_url",
    ]
    assert [m.text_content() for m in tree.iter("mark")] == [
        "▶ 2  tittle: Kirjasto (virheen rivi)",
        "▶ 3  section: palvelu (virheen rivi)",
        "▶ 3  site_url: nope (virheen rivi)",
    ]


def test_a_file_that_no_longer_exists_still_shows_its_error(tmp_path: Path) -> None:
    gone = tmp_path / "municipalities" / "pieni" / "news" / "poistettu.yml"
    html = render(tmp_path, [ContentError(gone, 4, 2, "", "the news item 'x' is linked but missing")])
    tree = lxml.html.fromstring(html)
    assert tree.findtext(".//h1") == "Sisällössä on virhe"
    assert tree.findtext(".//h2/code") == "municipalities/pieni/news/poistettu.yml"
    assert FALLBACK["missing_file"] in html
    assert "the news item &#x27;x&#x27; is linked but missing" in html
    assert tree.find(".//figure") is None


def test_a_failure_without_a_file_says_the_site_could_not_be_built(tmp_path: Path) -> None:
    html = render(tmp_path, [], ("TemplateNotFound: partials/puuttuu.html",), lang="en")
    tree = lxml.html.fromstring(html)
    assert tree.get("lang") == "en"
    assert tree.findtext(".//h1") == FALLBACK["heading_failed"]  # the texts given, whatever their language
    assert [pre.text_content() for pre in tree.iter("pre")] == ["TemplateNotFound: partials/puuttuu.html"]
    assert 'lang="en"' not in html.split("<head>")[1], "an English page needs no lang on English messages"


@pytest.mark.e2e
def test_the_page_passes_the_nu_html_checker(tmp_path: Path) -> None:
    source = tmp_path / "pages" / "x.yml"
    source.parent.mkdir()
    source.write_text("id: x\ntitle: <x>\n" + "pitkä " * 200 + "\n", "utf-8")
    errors = [ContentError(source, 2, 8, "title", "bad"), ContentError(tmp_path / "gone.yml", 1, 1, "", "gone")]
    html = render(tmp_path, errors, ("plain message",))
    page = tmp_path / "error.html"
    page.write_text(html, "utf-8")
    findings = run_nu({page: "error page"}, Tools.find(ROOT))
    assert not any(findings.values()), findings
    assert re.search(r"<title>Virhe sisällössä – esikatselu – pieni</title>", html)
