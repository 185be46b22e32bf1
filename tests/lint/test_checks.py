"""Each check's judgement on its own: what counts as a problem, and what must not."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import yaml
from kuntasivu.checks.link_texts import load_generic_link_texts
from kuntasivu.lint import alt_text, link_text, markdown
from kuntasivu.lint.links import Sites, closest_page
from kuntasivu.lint.run import lint_municipality
from PIL import Image

from tests.conftest import SHARED
from tests.lint.helpers import municipalities


@pytest.mark.parametrize(
    ("alt", "src", "level"),
    [
        ("Kuva", "assets/a.jpg", "error"),
        ("BILD!", "assets/a.jpg", "error"),
        ("kuvituskuva", "assets/a.jpg", "error"),
        ("", "assets/a.jpg", "error"),
        ("IMG_1234", "assets/a.jpg", "error"),
        ("uimahalli.jpg", "assets/a.jpg", "error"),
        ("uimahalli-2", "assets/uimahalli_2.jpg", "error"),
        ("IMG_20240612_101500", "assets/a.jpg", "error"),
        ("PXL_20240612_101500123.MP", "assets/a.jpg", "error"),
        ("DSCF0042", "assets/a.jpg", "error"),
        ("P1010001", "assets/a.jpg", "error"),
        ("Uimaranta", "assets/uimaranta.jpg", None),  # a plain word may be what the image shows
        ("Kirjasto 2", "assets/kirjasto2.jpg", None),
        ("x" * 151, "assets/a.jpg", "warning"),
        ("Uimahallin allas, jossa lapset uivat.", "assets/uimahalli.jpg", None),
        ("Kuva kirjaston lukusalista.", "assets/a.jpg", None),
        ("x" * 150, "assets/a.jpg", None),
    ],
)
def test_alt_text(alt: str, src: str, level: str | None) -> None:
    found = alt_text.problem(alt, src)
    assert (found[0] if found else None) == level


def _generic_link_texts() -> dict[str, frozenset[str]]:
    texts = {}
    for lang in ("fi", "sv", "en"):
        data = yaml.safe_load((SHARED / "texts" / f"{lang}.yml").read_text("utf-8"))
        texts[lang] = {"checks.generic_links": data["checks"]["generic_links"]}
    return load_generic_link_texts(texts)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Lue lisää", "error"),
        ("lue lisää…", "error"),
        ("KLIKKAA TÄSTÄ!", "error"),
        ("Lisätietoja »", "error"),
        ("Läs mer", "warning"),  # the build reads a Finnish page for Finnish ones only; still says nothing
        ("klicka här", "warning"),
        ("Read more.", "warning"),
        ("https://www.kunta.fi/", "warning"),
        ("www.kunta.fi", "warning"),
        ("Lue lisää kirjaston palveluista", None),
        ("Kirjaston aukioloajat", None),
        ("Herättäjäjuhlat", None),
    ],
)
def test_link_text_in_a_finnish_text(text: str, level: str | None) -> None:
    found = link_text.problem(text, "fi", _generic_link_texts())
    assert (found[0] if found else None) == level


def test_a_generic_link_text_in_emphasis_is_still_generic(tmp_path: Path) -> None:
    folder = municipalities(tmp_path, "pieni")
    _page(folder, "[**Lue lisää**](page:valtuusto) ja [`tästä`](page:digituki).")
    assert _codes(folder) == [(6, "link-text", "error"), (6, "link-text", "error")]


def test_link_text_uses_the_generic_texts_of_the_build() -> None:
    generic = _generic_link_texts()
    assert link_text.problem("Läs mer", "sv", generic) is not None
    assert link_text.problem("Läs mer", "sv", generic)[0] == "error"  # type: ignore[index]
    assert link_text.problem("Läs mer", "sv", {"sv": frozenset()}) is None, "the list comes from the texts"


def test_headings_outside_code_atx_and_setext() -> None:
    text = "## Yksi\n\n```\n# ei\n```\n\nKaksi\n-----\n\n- lista\n---\n\n### Kolme ###\n"
    assert [(h.level, h.text) for h in markdown.headings(text)] == [(2, "Yksi"), (2, "Kaksi"), (3, "Kolme")]


def test_headings_as_python_markdown_reads_them() -> None:
    text = "#Otsikko ilman välilyöntiä\n  ## ei otsikko sisennettynä\n####### kuusi\n"
    assert [(h.level, h.text) for h in markdown.headings(text)] == [(1, "Otsikko ilman välilyöntiä"), (6, "kuusi")]
    # An underline makes a heading of the first line of a block only, and only from the line's start.
    assert markdown.headings("Rivi yksi\nRivi kaksi\n=====\n\nA\n  ===\n") == []
    assert [(h.level, h.text) for h in markdown.headings("# Yksi\nKaksi\n---\n")] == [(1, "Yksi"), (2, "Kaksi")]


def test_a_body_starts_at_level_2_and_a_faq_answer_below_its_block_heading(tmp_path: Path) -> None:
    folder = municipalities(tmp_path, "pieni")
    _page(folder, "### Aukioloajat\n\nAuki arkisin.\n\n#Tervetuloa")
    page = folder / "pieni" / "pages" / "kirjasto.yml"
    faq = (
        "  - type: faq\n    items:\n"
        "      - question: Saako kirjastoon tuoda koiran?\n"
        '        answer: "### Avustajakoira\\n\\nSaa."\n'
        "      - question: Onko kirjastossa tulostin?\n"
        '        answer: "#### Tulostin\\n\\nOn."\n'
        "      - question: Onko kirjastossa kopiokone?\n"
        '        answer: "## Kopiokone\\n\\n#### Hinnat\\n\\nOn."\n'
    )
    page.write_text(page.read_text("utf-8") + faq, "utf-8")
    assert _codes(folder) == [
        (6, "heading-level", "error"),  # ### right after the page title
        (10, "heading-level", "error"),  # '#Tervetuloa' is a level-1 heading to Python-Markdown
        (23, "heading-level", "error"),  # #### under the FAQ's level-2 heading; the ### above it is fine
        (25, "heading-level", "error"),
    ]
    findings = lint_municipality(folder / "pieni", SHARED, dt.date(2026, 11, 26), Sites(folder, SHARED))
    messages = [f.message for f in sorted(findings)]
    assert "after the page title (level 1); use ##" in messages[0]
    assert "after the FAQ block's heading (level 2); use ###" in messages[2]
    assert "after a level-2 heading; use ###" in messages[3], "the answer's own ## came in between"


def test_prose_blocks_split_list_items_and_leave_out_tables_and_code() -> None:
    text = "Eka kappale\njatkuu.\n\n- kohta yksi\n- kohta kaksi\n\n| a | b |\n|---|---|\n\n```\nkoodia\n```\n"
    assert [b.text for b in markdown.prose_blocks(text)] == ["Eka kappale jatkuu.", "kohta yksi", "kohta kaksi"]


def _page(folder: Path, body: str) -> None:
    page = folder / "pieni" / "pages" / "kirjasto.yml"
    old = "  Kirjastossa on kirjoja ja lehtiä.\n"
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, "".join(f"  {line}\n" if line else "\n" for line in body.split("\n"))), "utf-8")


def _codes(folder: Path, today: str = "2026-11-26") -> list[tuple[int, str, str]]:
    findings = lint_municipality(folder / "pieni", SHARED, dt.date.fromisoformat(today), Sites(folder, SHARED))
    return [(f.line, f.code, f.level) for f in sorted(findings)]


def test_long_paragraph_of_short_sentences(tmp_path: Path) -> None:
    folder = municipalities(tmp_path, "pieni")
    _page(folder, " ".join(["Kirjasto on auki."] * 41))  # 123 words, every sentence short
    assert _codes(folder) == [(6, "plain-language", "warning")]


def test_short_paragraphs_and_a_long_list_are_fine(tmp_path: Path) -> None:
    folder = municipalities(tmp_path, "pieni")
    _page(folder, "\n".join(f"- kohta {n} on lyhyt ja selkeä lause listassa" for n in range(30)))
    assert _codes(folder) == []


def test_long_sentence_is_found_by_words(tmp_path: Path) -> None:
    folder = municipalities(tmp_path, "pieni")
    _page(folder, "Lyhyt alku.\n\nTämä " + "sana " * 25 + "loppuu.")
    assert _codes(folder) == [(8, "plain-language", "warning")]


def test_a_long_sentence_is_placed_at_its_own_start(tmp_path: Path) -> None:
    folder = municipalities(tmp_path, "pieni")
    _page(folder, "Kirjasto on auki. Kirjasto " + "sana " * 30 + "loppuu.")
    findings = lint_municipality(folder / "pieni", SHARED, dt.date(2026, 11, 26), Sites(folder, SHARED))
    assert [(f.line, f.column) for f in findings] == [(6, 21)], "the second 'Kirjasto', not the first"


def test_a_long_sentence_after_one_with_markup_is_placed_at_its_own_start(tmp_path: Path) -> None:
    folder = municipalities(tmp_path, "pieni")
    _page(folder, "Kirjasto on **auki**. Kirjasto " + "sana " * 30 + "loppuu.")
    findings = lint_municipality(folder / "pieni", SHARED, dt.date(2026, 11, 26), Sites(folder, SHARED))
    assert [(f.line, f.column) for f in findings] == [(6, 25)], "the second Kirjasto"


def test_swedish_gets_more_words_per_sentence_than_finnish(tmp_path: Path) -> None:
    folder = municipalities(tmp_path, "pieni")
    site = folder / "pieni" / "site.yml"
    site.write_text(site.read_text("utf-8").replace("languages: [fi]", "languages: [sv]"), "utf-8")
    _page(folder, "Biblioteket " + "ord " * 26 + "slutar.")  # 28 words: long in Finnish, fine in Swedish
    assert _codes(folder) == []


def _noise_image(path: Path, width: int, height: int) -> None:
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(path)


def test_huge_file_is_reported_even_when_its_width_is_fine(tmp_path: Path) -> None:
    folder = municipalities(tmp_path, "pieni")
    _noise_image(folder / "pieni" / "assets" / "kirjasto.png", 1400, 300)  # about 1.3 MB of noise
    page = folder / "pieni" / "pages" / "kirjasto.yml"
    page.write_text(
        page.read_text(encoding="utf-8") + "image:\n  src: assets/kirjasto.png\n  alt: Kirjaston lukusali.\n", "utf-8"
    )
    findings = lint_municipality(folder / "pieni", SHARED, dt.date(2026, 11, 26), Sites(folder, SHARED))
    assert [(f.code, f.line) for f in findings] == [("image-size", 15)]
    assert "MB (over 1 MB); resize it to at most 1472 px wide" in findings[0].message


def test_wide_image_in_markdown_uses_the_text_column(tmp_path: Path) -> None:
    folder = municipalities(tmp_path, "pieni")
    Image.new("RGB", (3000, 10)).save(folder / "pieni" / "assets" / "kartta.png")
    _page(folder, "![Kirjaston sijainti kartalla](assets/kartta.png)")
    findings = lint_municipality(folder / "pieni", SHARED, dt.date(2026, 11, 26), Sites(folder, SHARED))
    assert [(f.code, f.line, f.column) for f in findings] == [("image-size", 6, 3)]
    assert "at most 672 px wide (1344 px on sharp screens)" in findings[0].message


def test_same_site_links_by_full_address(tmp_path: Path) -> None:
    folder = municipalities(tmp_path, "pieni")
    _page(
        folder,
        "[Valtuusto](https://www.pieni.fi/hallinto/valtuusto/) ja [haku](https://www.pieni.fi/haku/) ja "
        "[syöte](https://www.pieni.fi/ajankohtaista/rss.xml) ja [kirjasto](https://www.pieni.fi/vanha/kirjasto/)\n"
        "ja [tyyli](/assets/kunta.css) ja <https://www.pieni.fi/hallinto/valtuustot/> ja [muu](https://www.muu.fi/x/).",
    )
    findings = lint_municipality(folder / "pieni", SHARED, dt.date(2026, 11, 26), Sites(folder, SHARED))
    assert [(f.code, f.level, f.line) for f in sorted(findings)] == [
        ("dead-link", "warning", 6),  # the redirect's old address
        ("dead-link", "error", 7),
    ]


def test_the_browser_editor_is_an_address_of_a_site_that_has_one(tmp_path: Path) -> None:
    folder = municipalities(tmp_path, "pieni")
    _page(folder, "[Muokkaa sivustoa](https://www.pieni.fi/admin/) – vain henkilöstölle.")
    assert _codes(folder) == [(6, "dead-link", "error")], "no editor: section, no admin/"
    site = folder / "pieni" / "site.yml"
    site.write_text(site.read_text("utf-8") + "editor:\n  backend: test-repo\n", "utf-8")
    assert _codes(folder) == []


@pytest.mark.parametrize(
    ("wrong", "meant"),
    [
        ("palvelut/kirjastto/", "palvelut/kirjasto/"),  # not palvelut/kirkko/, which shares more of the address
        ("hallinto/valtuustoo/", "hallinto/valtuusto/"),
        ("kirjasto/", "palvelut/kirjasto/"),
        ("jotain/aivan/muuta/", None),
        ("palvelut/aukioloajat/", None),  # shares only the folder with palvelut/kirjasto/
    ],
)
def test_did_you_mean_names_the_page_by_its_last_part(wrong: str, meant: str | None) -> None:
    pages = ["", "palvelut/", "palvelut/kirjasto/", "palvelut/kirkko/", "hallinto/", "hallinto/valtuusto/"]
    assert closest_page(wrong, pages) == meant


def test_a_broken_other_municipality_is_not_reported_twice(tmp_path: Path) -> None:
    """Links into a site whose content does not load are skipped: linting that site shows its errors."""
    folder = municipalities(tmp_path, "pieni", "kaksikielinen")
    (folder / "kaksikielinen" / "site.yml").write_text(
        (folder / "kaksikielinen" / "site.yml").read_text("utf-8") + "tuntematon: 1\n", "utf-8"
    )
    _page(folder, "[Toinen kunta](https://www.kaksikielinen.fi/ei-ole/).")
    assert _codes(folder) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("```\n## Auki jäänyt aita\n", [(2, "Auki jäänyt aita")]),  # never closed: text, as on the page
        ("  ```\n## Sisennetty\n  ```\n", [(2, "Sisennetty")]),  # an indented fence is no fence
        ("```\n# ei\n```\n", []),
        ("Rivi\n\n***\nOtsikko\n===\n", [(1, "Otsikko")]),  # a rule ends the block above
        ("Teksti\n\n    koodi\n---\n", []),  # indented code, then a rule
    ],
)
def test_code_blocks_rules_and_headings_as_the_build_reads_them(text: str, expected: list[tuple[int, str]]) -> None:
    assert [(h.level, h.text) for h in markdown.headings(text)] == expected
