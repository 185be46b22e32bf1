"""Every kind of content error names the file, line and column, and says how to fix it.

Each case in tests/fixtures/errors/ is laid over a valid fixture municipality; the
expected lines were worked out from the fixture files by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from kuntasivu.content.errors import ContentErrors
from kuntasivu.content.loading import load_content

from tests.conftest import FIXTURES, SHARED

CASES: dict[str, tuple[str, list[str]]] = {
    "brand_contrast": (
        "pieni",
        [
            "site.yml:5:19: brand.primary_colour: colour #6fa8dc has contrast 2.53:1 against #ffffff, too low where"
            " the theme uses it: header background behind the white site name and language links (needs 4.5:1);"
            " colour of links and of the shortcut borders on white (needs 4.5:1); current-section marker and section"
            " borders on white (UI components) (needs 3:1); the nearest passing shade of the same hue is #2f7ac0"
        ],
    ),
    "yaml_syntax": (
        "pieni",
        ["pages/kirjasto.yml:4:10: YAML syntax error: mapping values are not allowed here"],
    ),
    "unknown_key": (
        "pieni",
        [
            "pages/kirjasto.yml:1:1: title: missing required field 'title'",
            "pages/kirjasto.yml:3:1: tittle: unknown field 'tittle' — did you mean 'title'?",
        ],
    ),
    "wrong_type": (
        "pieni",
        [
            "pages/valtuusto.yml:5:8: order: expected a whole number, got 'ensimmäinen'",
            "pages/valtuusto.yml:9:12: blocks[0].phone: expected text, but YAML reads 0401234567 as a number"
            " or true/false: put it in quotes, '0401234567'",
        ],
    ),
    "bad_dates": (
        "pieni",
        [
            "events/kevat.yml:3:8: start: invalid date or time '2027-02-30T18:00' (day value is outside expected"
            " range); write a date as 2027-03-14 and a time as 2027-03-14T18:00",
            "events/konsertti.yml:4:6: end: the event ends before it starts: check 'end'",
            "news/uutinen.yml:2:7: date: invalid date or time '2026-13-01' (month value is outside expected range"
            " of 1-12); write a date as 2027-03-14 and a time as 2027-03-14T18:00",
        ],
    ),
    "unknown_language": (
        "pieni",
        ["site.yml:2:17: languages[1]: unknown language code 'se'; use one of fi, sv, en"],
    ),
    "missing_translation": (
        "kaksikielinen",
        [
            "pages/kirjasto.yml:3:8: title: missing the Swedish (sv) text; this site is in fi, sv",
            "pages/kirjasto.yml:5:10: summary: this site is in fi, sv: give the text in each language,"
            " e.g. {fi: …, sv: …}",
            "pages/kirjasto.yml:9:58: blocks[0].role.ru: unknown language code 'ru'; use one of fi, sv, en",
        ],
    ),
    "references": (
        "pieni",
        [
            "events/konsertti.yml:6:20: registration_form: no form with id 'ilmoittautuminen'"
            " (forms live in forms/ and site_src/forms/)",
            "pages/kirjasto.yml:2:10: section: no navigation section 'palvelu' — did you mean 'palvelut'?",
            "pages/kirjasto.yml:8:24: body: link to unknown page 'page:valtuustoo' — did you mean 'page:valtuusto'?",
            "site.yml:24:11: top_tasks[0].page: no page with id 'kirjastto' — did you mean 'kirjasto'?",
        ],
    ),
    "missing_image": (
        "pieni",
        [
            "pages/kirjasto.yml:8:3: body: file 'assets/lukusali.jpg' does not exist; put the file in pieni/assets/",
            # An example in a code block is not looked up; an alt text may wrap onto a second line.
            "pages/kirjasto.yml:16:3: body: file 'assets/paaovi.jpg' does not exist; put the file in pieni/assets/",
            "site.yml:9:10: hero.image.src: file 'assets/hero.png' does not exist — did you mean 'assets/hero.svg'?",
        ],
    ),
    "duplicates": (
        "pieni",
        [
            "news/uutinen.yml:1:5: id: duplicate news item id 'uusi-kirjasto' (also in toinen.yml)",
            "pages/kirjasto.yml:1:5: id: duplicate page id 'kirjasto' (also in kirjasto-kopio.yml);"
            " give each page its own id",
            "pages/lainaamo.yml:3:7: slug: address /palvelut/kirjasto/ is already used by page 'kirjasto'"
            " (kirjasto-kopio.yml); give this page another slug",
        ],
    ),
    "duplicate_key": (
        "pieni",
        ["pages/kirjasto.yml:5:1: title: duplicate key 'title' (first given on line 3); remove one of them"],
    ),
    "form_field_type": (
        "pieni",
        [
            "forms/kysely.yml:5:11: fields[0].type: unknown field type 'textt' — did you mean 'text'? Field types:"
            " text, email, tel, textarea, number, date, select, radios, checkboxes, consent"
        ],
    ),
    "form_capacity": (
        "pieni",
        [
            "forms/kysely.yml:10:9: fields[0].options[0].capacity: capacity is only for registration forms:"
            " add 'kind: registration' to the form or remove capacity"
        ],
    ),
    "form_unknown": (
        "pieni",
        ["pages/kirjasto.yml:7:11: blocks[0].form: no form with id 'palautee' — did you mean 'palaute'?"],
    ),
    "form_duplicate_field": (
        "pieni",
        [
            "forms/kysely.yml:10:15: fieldsets[1].fields[0].name: duplicate field name 'email' (also on line 5);"
            " give each field its own name"
        ],
    ),
    "form_confirmation": (
        "pieni",
        [
            "forms/kysely.yml:3:21: confirmation_field: confirmation_field 'nimi' is not an email field of this"
            " form; email fields: sahkoposti"
        ],
    ),
    "form_autocomplete": (
        "pieni",
        [
            "forms/kysely.yml:7:19: fields[0].autocomplete: unknown autocomplete token 'emial' — did you mean"
            " 'email'? (tokens are listed in the HTML standard)"
        ],
    ),
    "form_no_inbox": (
        "pieni",
        [
            "pages/kirjasto.yml:7:11: blocks[0].form: this site has no inbox_url: add inbox_url to site.yml,"
            " the address of the service that receives the forms (e.g. https://lomakkeet.kunta.fi/)"
        ],
    ),
    "block_type": (
        "pieni",
        [
            "pages/kirjasto.yml:6:11: blocks[0].type: unknown block type 'contakt' — did you mean 'contact'?"
            " Block types: contact, opening_hours, links, faq, form, feedback"
        ],
    ),
    "reserved_addresses": (
        "pieni",
        [
            "pages/haku.yml:1:5: id: address /haku/ is already used by the search page; give this page another slug",
            "pages/lainaamo.yml:3:7: slug: slug 'Lainaamo ja pajat' is not one part of an address: use lower-case"
            " letters a–z, digits and single hyphens, e.g. 'lainaamo-ja-pajat'",
            "site.yml:24:11: navigation[2].slug: address /pagefind/ is already used by the search index",
        ],
    ),
    "redirects": (
        "pieni",
        [
            "site.yml:32:3: redirects./haku/: old address '/haku/' is the address of the search page;"
            " a redirect would hide it: remove the redirect",
            "site.yml:33:3: redirects./ajankohtaista/: old address '/ajankohtaista/' is the address of the news list;"
            " a redirect would hide it: remove the redirect",
            "site.yml:34:3: redirects./palvelut/kirjasto/: old address '/palvelut/kirjasto/' is the address of page"
            " 'kirjasto' (kirjasto.yml); a redirect would hide it: remove the redirect",
            "site.yml:35:3: redirects./robots.txt/: old address '/robots.txt/' is the address of robots.txt"
            " (the rules for search engines); a redirect would hide it: remove the redirect",
            "site.yml:36:3: redirects./assets/vanha/: old address '/assets/vanha/' is inside /assets/, the site's own"
            " files (styles, scripts, images); a redirect would hide it: remove the redirect",
            "site.yml:37:3: redirects./hinnat$/: old address '/hinnat$/' has '$', which the nginx configuration would"
            " read as a variable; leave this redirect out",
            "site.yml:38:3: redirects./hinnat%24/: old address '/hinnat%24/' has %24 ('$'), which the nginx"
            " configuration would read as a variable; leave this redirect out",
            "site.yml:39:3: redirects./sivu?id=3/: old address '/sivu?id=3/' has '?': give only the path, servers"
            " redirect by the path without ?query or #fragment",
            "site.yml:40:20: redirects./vanha/palvelu/: redirect target 'https://example.fi/uusi palvelu/' has a"
            " space; write it as %20",
            "site.yml:41:20: redirects./vanha/lainaus/: redirect target 'https://example.fi/\"lainaus\"/' has '\"';"
            " write it as %22",
            "site.yml:42:23: redirects./vanha/tapahtumat/: redirect target 'https://example.fi/\\n/ /admin/ 200' has"
            " an invisible character (U+000A); remove it",
            "site.yml:43:19: redirects./vanha/yhteys/: redirect target 'http://example.fi/yhteys/' must be an"
            " https:// address (or a path of this site such as /palvelut/kirjasto/, or a page id)",
            "site.yml:44:19: redirects./vanha/kartta/: redirect target 'https:///kartta/' has no host name; write the"
            " whole address, e.g. https://www.kunta.fi/palvelut/",
        ],
    ),
    "feedback_tiles": (
        "pieni",
        [
            "site.yml:38:12: feedback.map.tiles: the tile server's host 'kartta-{s}.example.fi' has a placeholder the"
            " Content-Security-Policy cannot allow; only a whole first label may vary, as in"
            " https://{s}.tile.example.fi/{z}/{x}/{y}.png"
        ],
    ),
}


def test_every_fixture_case_is_listed() -> None:
    assert sorted(p.name for p in (FIXTURES / "errors").iterdir()) == sorted(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_error_names_file_line_column_and_fix(case: str, make_municipality) -> None:
    base, expected = CASES[case]
    municipality = make_municipality(base, FIXTURES / "errors" / case)
    with pytest.raises(ContentErrors) as raised:
        load_content(municipality, SHARED)
    assert [error.format(municipality) for error in raised.value.errors] == expected


def test_valid_fixtures_load(make_municipality) -> None:
    for base in ("pieni", "kaksikielinen"):
        content = load_content(make_municipality(base), SHARED)
        assert content.slug == base


def test_all_errors_are_reported_together_with_a_count(make_municipality) -> None:
    municipality = make_municipality("pieni", FIXTURES / "errors" / "references")
    with pytest.raises(ContentErrors) as raised:
        load_content(municipality, SHARED)
    text = raised.value.format(municipality)
    assert len({error.path for error in raised.value.errors}) == 3
    assert text.endswith("4 errors in content; nothing was published.")


def test_missing_site_yml(tmp_path: Path) -> None:
    with pytest.raises(ContentErrors) as raised:
        load_content(tmp_path, SHARED)
    assert "site.yml is missing" in raised.value.format(tmp_path)


def test_yaml_extension_is_rejected_with_the_fix(make_municipality) -> None:
    municipality = make_municipality("pieni")
    (municipality / "pages" / "valtuusto.yml").rename(municipality / "pages" / "valtuusto.yaml")
    with pytest.raises(ContentErrors) as raised:
        load_content(municipality, SHARED)
    assert [e.format(municipality) for e in raised.value.errors] == [
        "pages/valtuusto.yaml:1:1: rename the file to end in .yml"
    ]


def test_municipality_text_override_must_name_a_known_text(make_municipality) -> None:
    municipality = make_municipality("pieni")
    (municipality / "texts").mkdir()
    (municipality / "texts" / "fi.yml").write_text("skip_lnk: Hyppää sisältöön\n", encoding="utf-8")
    with pytest.raises(ContentErrors) as raised:
        load_content(municipality, SHARED)
    assert [e.format(municipality) for e in raised.value.errors] == [
        "texts/fi.yml:1:1: skip_lnk: unknown text 'skip_lnk' — did you mean 'skip_link'?"
    ]


def test_municipality_text_override_replaces_the_shared_text(make_municipality) -> None:
    municipality = make_municipality("pieni")
    (municipality / "texts").mkdir()
    (municipality / "texts" / "fi.yml").write_text("nav:\n  main: Valikko\n", encoding="utf-8")
    content = load_content(municipality, SHARED)
    assert content.texts["fi"]["nav.main"] == "Valikko"
    assert content.texts["sv"]["nav.main"] == "Huvudmeny"


def test_reserved_page_id(make_municipality) -> None:
    municipality = make_municipality("pieni")
    (municipality / "pages" / "uutiset.yml").write_text(
        "id: news\ntitle: Uutiset\nsummary: Uutiset.\n", encoding="utf-8"
    )
    with pytest.raises(ContentErrors) as raised:
        load_content(municipality, SHARED)
    assert [e.format(municipality) for e in raised.value.errors] == [
        "pages/uutiset.yml:1:5: id: 'news' is reserved for a page the site makes itself; choose another id"
    ]


@pytest.mark.parametrize(
    ("old", "owner"),
    [
        ("/sv/sok/", "the search page"),
        ("/sv/", "the home page"),
        ("/sv/404.html/", "the page shown for an unknown address"),
        ("/404.html/", "the page shown for an unknown address"),
        ("/_redirects/", "_redirects (the web server's configuration)"),
        ("/pagefind/pagefind.js/", None),
        ("/%68aku/", "the search page"),  # nginx and the hosts compare the decoded path
    ],
)
def test_a_redirect_may_not_hide_an_address_of_the_site_in_any_language(
    old: str, owner: str | None, make_municipality
) -> None:
    municipality = make_municipality("kaksikielinen")
    site = municipality / "site.yml"
    text = site.read_text("utf-8")
    assert "redirects:" not in text
    site.write_text(text + f"redirects:\n  {old}: /\n", "utf-8")
    line = len(text.splitlines()) + 2
    with pytest.raises(ContentErrors) as raised:
        load_content(municipality, SHARED)
    [message] = [e.format(municipality) for e in raised.value.errors]
    taken = f"is the address of {owner}" if owner else "is inside /pagefind/, the search index"
    assert message == (
        f"site.yml:{line}:3: redirects.{old}: old address '{old}' {taken};"
        " a redirect would hide it: remove the redirect"
    )


def test_an_address_of_another_site_with_percent_encoding_is_a_valid_target(make_municipality) -> None:
    municipality = make_municipality("pieni")
    site = municipality / "site.yml"
    text = site.read_text("utf-8").replace(
        "  /vanha/kirjasto/: kirjasto\n",
        "  /vanha/kirjasto/: kirjasto\n  /vanha/palvelu/: https://www.example.fi/uusi%20palvelu/?a=1&b=2\n"
        "  /vanha/haku/: /haku/\n  /vanha%20sivu/: news\n",
    )
    site.write_text(text, "utf-8")
    content = load_content(municipality, SHARED)
    assert content.site.item.redirects["/vanha/palvelu/"] == "https://www.example.fi/uusi%20palvelu/?a=1&b=2"
