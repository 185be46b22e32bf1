"""The editor schemas: draft-07 that the YAML language server handles, in Finnish and English,
current in the repository, accepting every sample file and explaining a wrong one."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator
from kuntasivu.content.forms import Form
from kuntasivu.content.loading import load_content
from kuntasivu.content.model import Event, NewsItem, Page, Site
from kuntasivu.content.yamlsource import parse_yaml
from kuntasivu.scaffold import scaffold
from kuntasivu.schema import (
    DATETIME_PATTERN,
    PATTERN_MESSAGE,
    SCHEMA_FILES,
    TEXT_REF,
    catalogue,
    catalogue_keys,
    json_schema,
    render,
)
from kuntasivu.schema_files import add_header, content_yaml_files, glob_matches, header_problems, schema_line
from kuntasivu.schema_validation import schema_errors
from pydantic import BaseModel, ValidationError

from tests.conftest import FIXTURES, ROOT, SHARED
from tests.test_cli import kuntasivu

DRAFT7_KEYWORDS = {
    "$schema", "$id", "$ref", "$comment", "title", "description", "default", "readOnly", "writeOnly", "examples",
    "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
    "additionalItems", "items", "maxItems", "minItems", "uniqueItems", "contains", "maxProperties", "minProperties",
    "required", "additionalProperties", "definitions", "properties", "patternProperties", "dependencies",
    "propertyNames", "const", "enum", "type", "format", "contentMediaType", "contentEncoding", "if", "then", "else",
    "allOf", "anyOf", "oneOf", "not",
}  # fmt: skip
"""Every keyword of JSON Schema draft-07 (validation and annotations); nothing newer."""


class _Schemas(dict[str, dict[str, Any]]):
    """The finished schemas, made on first use: a broken catalogue fails its own test, not the import."""

    def __missing__(self, name: str) -> dict[str, Any]:
        self[name] = json_schema(name, ROOT)
        return self[name]


SCHEMAS = _Schemas()


def keywords(node: Any) -> Iterator[str]:
    """Every keyword used anywhere in a schema (property names are not keywords)."""
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        yield key
        if key in ("properties", "definitions", "patternProperties"):
            for sub in value.values():
                yield from keywords(sub)
        elif key in ("items", "allOf", "anyOf", "oneOf") and isinstance(value, list):
            for sub in value:
                yield from keywords(sub)
        elif key in ("items", "additionalProperties", "additionalItems", "propertyNames", "contains", "not", "if",
                     "then", "else"):  # fmt: skip
            yield from keywords(value)


def model_properties(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for where, node in [("", schema), *schema["definitions"].items()]:
        for name, prop in node.get("properties", {}).items():
            yield f"{where or schema['title']}.{name}", prop


# --- shape -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SCHEMA_FILES))
def test_schema_is_plain_draft_07(name: str) -> None:
    schema = SCHEMAS[name]
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    # Keywords of our own start with 'x-' (SAME_TEXT_KEYWORD); patternErrorMessage is the YAML
    # language server's own. Validators ignore unknown keywords.
    newer = {key for key in keywords(schema) if not key.startswith("x-")} - DRAFT7_KEYWORDS - {PATTERN_MESSAGE}
    assert not newer, f"keywords the YAML language server's draft-07 does not know: {newer}"
    refs = re.findall(r'"\$ref": "([^"]+)"', json.dumps(schema))
    assert all(ref.startswith("#/definitions/") for ref in refs)
    assert all(ref.removeprefix("#/definitions/") in schema.get("definitions", {}) for ref in refs)
    assert '"type": "null"' not in json.dumps(schema)  # leaving a key out says "none"


@pytest.mark.parametrize("name", list(SCHEMA_FILES))
def test_every_pattern_says_in_finnish_and_english_what_form_it_wants(name: str) -> None:
    def nodes(node: Any) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            yield node
            for value in node.values():
                yield from nodes(value)
        elif isinstance(node, list):
            for item in node:
                yield from nodes(item)

    patterned = [node for node in nodes(SCHEMAS[name]) if isinstance(node.get("pattern"), str)]
    assert all(node[PATTERN_MESSAGE].startswith("Tarkista muoto – check the form") for node in patterned)
    if name == "site":
        postal_code = SCHEMAS["site"]["definitions"]["Address"]["properties"]["postal_code"]
        assert postal_code[PATTERN_MESSAGE] == "Tarkista muoto – check the form (esim. – e.g. 38700)"


def test_texts_dates_markdown_and_times_are_recognisable() -> None:
    page, news, event = SCHEMAS["page"], SCHEMAS["news"], SCHEMAS["event"]
    assert page["properties"]["title"]["$ref"] == TEXT_REF
    assert page["properties"]["summary"]["$ref"] == TEXT_REF
    assert page["properties"]["body"] == {**page["properties"]["body"], "$ref": TEXT_REF,
                                          "contentMediaType": "text/markdown"}  # fmt: skip
    assert page["definitions"]["FaqItem"]["properties"]["answer"]["contentMediaType"] == "text/markdown"
    assert "contentMediaType" not in page["properties"]["summary"]
    assert news["properties"]["date"]["format"] == "date"
    assert event["properties"]["description"]["contentMediaType"] == "text/markdown"
    start = event["properties"]["start"]
    assert start["pattern"] == DATETIME_PATTERN
    for written in ("2027-03-14T18:00", "2027-03-14", "2027-03-14T18:00:00+02:00"):
        assert re.search(DATETIME_PATTERN, written)
        Event.model_validate({"id": "x", "title": "x", "place": "x", "summary": "x", "start": written})
    assert not re.search(DATETIME_PATTERN, "14.3.2027 klo 18")
    text = page["definitions"]["Text"]
    validator = Draft7Validator(text)
    assert validator.is_valid("Kirjasto") and validator.is_valid({"fi": "Kirjasto", "sv": "Bibliotek"})
    assert not validator.is_valid({"se": "Bibliotek"}) and not validator.is_valid({}) and not validator.is_valid(3)


def test_texts_schema_knows_every_shared_key_with_its_finnish_text() -> None:
    texts = SCHEMAS["texts"]
    assert texts["properties"]["nav"]["type"] == "object"
    skip = texts["properties"]["skip_link"]
    assert skip["examples"] == ["Siirry sisältöön"]
    validator = Draft7Validator(texts)
    assert validator.is_valid({"skip_link": "Hyppää sisältöön"})  # an override gives only some keys
    assert not validator.is_valid({"skip_lnk": "Hyppää sisältöön"})  # the loader refuses unknown keys too
    assert not validator.is_valid({"skip_link": ["a"]})


# --- Finnish and English -----------------------------------------------------------------------


def test_finnish_catalogue_names_exactly_the_model_fields() -> None:
    expected, written = catalogue_keys(), set(catalogue())
    assert not expected - written, f"add these to plugins/kuntasivu/schema_fi.yml: {sorted(expected - written)}"
    assert not written - expected, f"these fields no longer exist; remove them: {sorted(written - expected)}"
    assert {"Page.title", "ContactCard.name", "ContactBlock.type", "Criterion.plain"} <= expected


@pytest.mark.parametrize("name", [name for name in SCHEMA_FILES if name != "texts"])
def test_every_property_has_a_finnish_label_and_both_descriptions(name: str) -> None:
    schema = SCHEMAS[name]
    labels = {entry["label"] for entry in catalogue().values()}
    for where, prop in model_properties(schema):
        if where.startswith("Text."):
            continue
        assert prop.get("title") in labels, f"{where}: the title is not a Finnish label from schema_fi.yml"
        finnish, _, english = prop["description"].partition("\n\n")
        assert finnish and english and finnish != english, f"{where}: Finnish, a blank line, then English"
    page = schema["properties"] if name == "page" else None
    if page:
        assert page["title"]["title"] == "Otsikko"
        assert page["title"]["description"] == "Sivun pääotsikko.\n\nThe page's heading and title."
        # The field's docstring, not the generic description of the Id type:
        assert page["id"]["description"].endswith(
            "A municipality's page with the same id as a shared page replaces it."
        )


@pytest.mark.parametrize("name", [name for name in SCHEMA_FILES if name != "texts"])
def test_every_example_is_valid_for_its_field(name: str) -> None:
    schema = SCHEMAS[name]
    for where, prop in model_properties(schema):
        for example in prop.get("examples", []):
            validator = Draft7Validator({**prop, "definitions": schema["definitions"]})
            assert validator.is_valid(example), f"{where}: example {example!r} does not fit the field"


# --- the sample files --------------------------------------------------------------------------


def test_every_sample_yaml_file_validates_against_its_schema() -> None:
    files = content_yaml_files(ROOT)
    assert len(files) > 100
    problems = [error.format(ROOT) for path in files for error in schema_errors(path, ROOT)]
    assert problems == []


def test_files_are_read_as_yaml_1_2_like_the_language_server(tmp_path: Path) -> None:
    # YAML 1.1 (PyYAML's SafeLoader) would make the date a date, 'no' a boolean and 8:00 the number 480.
    path = tmp_path / "uutinen.yml"
    path.write_text("id: uutinen\ndate: 2026-11-20\ntitle: no\nlead: Aukeaa 8:00\n", "utf-8")
    assert schema_errors(path, ROOT, "news") == []
    doc, _ = parse_yaml(path)
    NewsItem.model_validate(doc.data)
    path.write_text("id: uutinen\ndate: 2026-11-20\ntitle: Otsikko\nlead: Ingressi\nimage:\n  src: assets/a.jpg\n"
                    "  decorative: yes\n", "utf-8")  # fmt: skip
    errors = [e.format() for e in schema_errors(path, ROOT, "news")]
    assert errors == [f"{path}:7:15: image.decorative: 'yes' is not of type 'boolean'"]


WRONG_FILES = [
    pytest.param(
        "page",
        "id: kirjasto\ntittle: Kirjasto\nsummary: Lainaa kirjoja.\n",
        ["2:1: tittle: unknown field 'tittle' — did you mean 'title'?", "1:1: missing required field 'title'"],
        id="unknown-key",
    ),
    pytest.param(
        "page",
        "id: kirjasto\ntitle: Kirjasto\nsummary: Lainaa kirjoja.\norder: ensimmäinen\n",
        ["4:8: order: 'ensimmäinen' is not of type 'integer' (e.g. 10)"],
        id="wrong-type",
    ),
    pytest.param(
        "news",
        "id: Uusi_Kirjasto\ndate: 2026-11-20\ntitle: Otsikko\nlead: Ingressi.\n",
        ["1:5: id: 'Uusi_Kirjasto' does not match '^[a-z0-9]+(-[a-z0-9]+)*$' (e.g. \"2026-11-vesikatko-keskustassa\")"],
        id="bad-id",
    ),
    pytest.param(
        "event",
        "id: konsertti\ntitle: Konsertti\nplace: Kirkko\nstart: 2027-03-14T18:00\n",
        ["1:1: missing required field 'summary'"],
        id="missing-required",
    ),
    pytest.param(
        "page",
        "id: kirjasto\ntitle: {fi: Kirjasto, se: Bibliotek}\nsummary: Lainaa kirjoja.\n",
        ["2:23: title.se: unknown field 'se'; known fields: fi, sv, en"],
        id="bad-language-key",
    ),
    pytest.param(
        "page",
        "id: kirjasto\ntitle: Kirjasto\nsummary: Lainaa.\nblocks:\n  - type: contact\n    name: Neuvonta\n"
        "    phone: kysy\n  - type: opening_hours\n",
        [
            "7:12: blocks[0].phone: 'kysy' does not match '^\\\\+?[0-9][0-9 ()-]{4,}$' (e.g. \"044 577 2100\")",
            "8:5: blocks[1]: missing required field 'rows'",
        ],
        id="page-blocks",
    ),
    pytest.param(
        "news",
        "id: uutinen\ndate: 20.11.2026\ntitle: Otsikko\nlead: Ingressi.\n",
        ["2:7: date: '20.11.2026' is not a 'date' (e.g. \"2026-11-20\")"],
        id="finnish-date",
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), WRONG_FILES)
def test_a_wrong_file_fails_with_the_field_line_and_what_is_wrong(
    tmp_path: Path, name: str, text: str, expected: list[str]
) -> None:
    path = tmp_path / "sivu.yml"
    path.write_text(text, "utf-8")
    found = [error.format().removeprefix(f"{path}:") for error in schema_errors(path, ROOT, name)]
    assert sorted(found) == sorted(expected)


# --- the schema and the loader agree ------------------------------------------------------------


def fixture_files(slug: str) -> Iterator[tuple[Path, str]]:
    folder = FIXTURES / "municipalities" / slug
    kinds = {"site.yml": "site", "pages": "page", "news": "news", "events": "event", "forms": "form", "texts": "texts"}
    for path in sorted(folder.rglob("*.yml")):
        first = path.relative_to(folder).parts[0]
        yield path, kinds[first]


@pytest.mark.parametrize("slug", sorted(p.name for p in (FIXTURES / "municipalities").iterdir()))
def test_every_file_the_loader_accepts_validates(slug: str) -> None:
    load_content(FIXTURES / "municipalities" / slug, SHARED)  # the loader accepts the whole municipality
    problems = [e.format() for path, name in fixture_files(slug) for e in schema_errors(path, ROOT, name)]
    assert problems == []


_PAGE = {"id": "kirjasto", "title": "Kirjasto", "summary": "Lainaa kirjoja."}
_EVENT = {"id": "konsertti", "title": "Konsertti", "place": "Kirkko", "summary": "Konsertti."}

CROSS_FIELD_RULES: list[tuple[str, type[BaseModel], str, dict[str, Any]]] = [
    ("an image needs alt or decorative", Page, "page", {**_PAGE, "image": {"src": "assets/a.jpg"}}),
    ("a link has exactly one of page and url", Page, "page",
     {**_PAGE, "blocks": [{"type": "links", "title": "Linkit", "links": [{"page": "a", "url": "https://a.fi/"}]}]}),
    ("an event ends after it starts", Event, "event",
     {**_EVENT, "start": "2027-03-14T18:00", "end": "2027-03-13T18:00"}),
    ("start and end are both dates or both times", Event, "event",
     {**_EVENT, "start": "2027-03-14", "end": "2027-03-14T20:00"}),
    ("a form has fields or fieldsets, not both", Form, "form",
     {"id": "f", "title": "F", "fields": [{"name": "a", "type": "text", "label": "A"}],
      "fieldsets": [{"fields": [{"name": "b", "type": "text", "label": "B"}]}]}),
    ("autocomplete is a known token", Form, "form",
     {"id": "f", "title": "F", "fields": [{"name": "a", "type": "text", "label": "A", "autocomplete": "nimi"}]}),
]  # fmt: skip
"""What the models check that the schema cannot say (rules across fields, or needing code). The
editor accepts these; `kuntasivu build` (and lint) report them with file:line."""


@pytest.mark.parametrize(("rule", "model", "name", "data"), CROSS_FIELD_RULES, ids=[r[0] for r in CROSS_FIELD_RULES])
def test_cross_field_rules_are_the_known_exceptions(
    rule: str, model: type[BaseModel], name: str, data: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError):
        model.model_validate(data)
    assert Draft7Validator(SCHEMAS[name]).is_valid(data), f"the schema now says '{rule}': remove it from the list"


def test_plain_shared_page_id_is_accepted_like_the_loader_does() -> None:
    site = yaml_data(FIXTURES / "municipalities" / "pieni" / "site.yml")
    site["shared_pages"] = ["digituki", {"page": "tietosuoja", "section": "palvelut"}]
    Site.model_validate(site)
    assert Draft7Validator(SCHEMAS["site"]).is_valid(site)
    site["shared_pages"] = [{"page": "Digituki"}]
    assert not Draft7Validator(SCHEMAS["site"]).is_valid(site)


def yaml_data(path: Path) -> dict[str, Any]:
    doc, errors = parse_yaml(path)
    assert not errors
    assert isinstance(doc.data, dict)
    return doc.data


# --- schemas/ is current; every file starts with its schema line -------------------------------


def test_committed_schemas_and_schema_lines_are_current() -> None:
    result = kuntasivu("schema", "--check")
    assert result.returncode == 0, result.stderr
    for name in SCHEMA_FILES:
        assert (ROOT / "schemas" / f"{name}.schema.json").read_text("utf-8") == render(SCHEMAS[name])


def test_check_names_the_stale_schema_and_the_file_without_its_line(project: Path) -> None:
    assert kuntasivu("schema", cwd=project).returncode == 0
    assert kuntasivu("schema", "--check", cwd=project).returncode == 0
    page = project / "municipalities" / "pieni" / "pages" / "kirjasto.yml"
    assert page.read_text("utf-8").startswith("# yaml-language-server: $schema=../../../schemas/page.schema.json\n")
    saved_by_decap = page.read_text("utf-8").split("\n", 1)[1]  # Decap CMS drops comments when it saves
    page.write_text(saved_by_decap, "utf-8")
    site = project / "municipalities" / "pieni" / "site.yml"
    site.write_text(site.read_text("utf-8").replace("site.schema.json", "page.schema.json", 1), "utf-8")
    stale = project / "schemas" / "news.schema.json"
    stale.write_text(stale.read_text("utf-8").replace("Julkaisupäivä", "Päivä"), "utf-8")
    (project / "schemas" / "form.schema.json").unlink()

    result = kuntasivu("schema", "--check", cwd=project)

    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert (
        "schemas/news.schema.json: out of date (the models, schema_fi.yml or site_src/texts/fi.yml changed); "
        "run: kuntasivu schema" in lines
    )
    assert "schemas/form.schema.json: missing; run: kuntasivu schema" in lines
    assert (
        "municipalities/pieni/pages/kirjasto.yml:1: the first line must be the schema line for editors; add this "
        "line at the top: # yaml-language-server: $schema=../../../schemas/page.schema.json" in lines
    )
    assert (
        "municipalities/pieni/site.yml:1: the schema line points to the wrong schema; replace it with: "
        "# yaml-language-server: $schema=../../schemas/site.schema.json" in lines
    )
    assert lines[-1] == "kuntasivu schema: 4 problem(s); fix them all with: kuntasivu schema"
    assert not any("kaksikielinen" in line for line in lines)

    assert kuntasivu("schema", cwd=project).returncode == 0
    assert kuntasivu("schema", "--check", cwd=project).returncode == 0
    assert page.read_text("utf-8") == schema_line(page, project) + "\n" + saved_by_decap


def test_adding_the_line_keeps_the_rest_of_the_file_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "sivu.yml"
    original = b"id: kirjasto\r\ntitle: Kirjasto # nimi\r\n\r\nsummary: 'x'"  # CRLF, no final newline
    path.write_bytes(original)
    add_header(path, "# yaml-language-server: $schema=../schemas/page.schema.json")
    assert path.read_bytes() == b"# yaml-language-server: $schema=../schemas/page.schema.json\r\n" + original
    add_header(path, "# yaml-language-server: $schema=../x/page.schema.json")
    assert path.read_bytes() == b"# yaml-language-server: $schema=../x/page.schema.json\r\n" + original


def test_a_new_municipality_starts_every_file_with_its_schema_line(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "site_src", root / "site_src")
    folder = scaffold(root / "municipalities", "demo", "Demokunta", dt.date(2026, 11, 26))
    files = sorted(folder.rglob("*.yml"))
    assert len(files) == 5
    assert header_problems(root) == []
    assert (
        (folder / "site.yml")
        .read_text("utf-8")
        .startswith("# yaml-language-server: $schema=../../schemas/site.schema.json\n")
    )
    assert [e.format() for path in files for e in schema_errors(path, root)] == []


# --- VS Code ------------------------------------------------------------------------------------


def vscode_glob_regex(pattern: str) -> re.Pattern[str]:
    """Newer YAML language servers match settings globs as real globs ('*' within one folder,
    '**' across folders) under any folder ('**/' in front); older ones let '*' cross folders.
    The globs must give the same answer under both for every content file."""
    out = ""
    for part in re.split(r"(\*\*/|\*\*|\*)", pattern):
        out += {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*"}.get(part, re.escape(part))
    return re.compile(r"(?:^|.*/)" + out + "$")


def test_vscode_settings_map_each_schema_to_its_globs() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text("utf-8"))
    assert settings["yaml.schemas"] == {f"./schemas/{name}.schema.json": list(g) for name, g in SCHEMA_FILES.items()}
    assert settings["yaml.yamlVersion"] == "1.2"
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text("utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]
    globs = [(name, pattern) for name, patterns in SCHEMA_FILES.items() for pattern in patterns]
    for path in content_yaml_files(ROOT):
        relative = path.relative_to(ROOT).as_posix()
        loose = {name for name, pattern in globs if glob_matches(pattern, relative)}
        strict = {name for name, pattern in globs if vscode_glob_regex(pattern).match(relative)}
        assert len(loose) == 1 and loose == strict, f"{relative}: matched by {loose} and {strict}"
        assert path.read_text("utf-8").startswith(schema_line(path, ROOT) + "\n")
        assert schema_line(path, ROOT).endswith(f"/schemas/{loose.pop()}.schema.json")


def test_a_renamed_field_stops_schema_writing_with_what_to_fix(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import kuntasivu.schema
    from kuntasivu.cli import main

    text = kuntasivu.schema.CATALOGUE_PATH.read_text("utf-8").replace("\nHero.lead:", "\nHero.leed:")
    (tmp_path / "schema_fi.yml").write_text(text, "utf-8")
    monkeypatch.setattr(kuntasivu.schema, "CATALOGUE_PATH", tmp_path / "schema_fi.yml")
    catalogue.cache_clear()
    try:
        assert main(["--root", str(project), "schema"]) == 2
    finally:
        catalogue.cache_clear()
    err = capsys.readouterr().err
    assert "plugins/kuntasivu/schema_fi.yml: no entry 'Hero.lead'; add its label and description" in err
    assert "plugins/kuntasivu/schema_fi.yml: 'Hero.leed' names no field of the models; remove or rename it" in err
    assert not (project / "schemas").exists()
