"""The schemas in the editor itself: redhat's yaml-language-server (what VS Code's YAML extension
runs) with the repository's .vscode/settings.json finds each file's schema, underlines nothing
in the sample files, and underlines a mistake where it is."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kuntasivu.schema_files import content_yaml_files

from tests.conftest import ROOT
from tests.yaml_language_server import YamlLanguageServer


@pytest.fixture(scope="module")
def server() -> Iterator[YamlLanguageServer]:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text("utf-8"))
    language_server = YamlLanguageServer(
        ROOT, {"schemas": settings["yaml.schemas"], "yamlVersion": settings["yaml.yamlVersion"]}
    )
    yield language_server
    language_server.close()


def underlined(found: list[dict[str, Any]]) -> list[str]:
    """Each diagnostic as 'line: message', lines from 1 as the editor shows them."""
    return [f"{d['range']['start']['line'] + 1}: {d['message']}" for d in found]


def test_the_editor_underlines_nothing_in_the_sample_files(server: YamlLanguageServer) -> None:
    files = {path: path.read_text("utf-8") for path in content_yaml_files(ROOT)}
    found = server.diagnostics(files)
    assert {path.relative_to(ROOT).as_posix(): underlined(d) for path, d in found.items() if d} == {}


def test_the_editor_underlines_mistakes_on_their_line(server: YamlLanguageServer) -> None:
    # Documents that exist only in the editor (a server remembers what it was told of a path).
    page = ROOT / "municipalities" / "karvia" / "pages" / "virheellinen-sivu.yml"
    news = ROOT / "municipalities" / "karvia" / "news" / "virheellinen-uutinen.yml"
    event = ROOT / "municipalities" / "karvia" / "events" / "virheellinen-tapahtuma.yml"
    first = "# yaml-language-server: $schema=../../../schemas/{}.schema.json\n"
    texts = {
        page: first.format("page") + "id: Kirjasto\ntittle: Kirjasto\nsummary: Lainaa.\ntitle: {fi: K, se: B}\n",
        news: first.format("news") + "id: uutinen\ndate: 20.11.2026\ntitle: Otsikko\nlead: Ingressi.\n",
        event: first.format("event") + "id: konsertti\ntitle: Konsertti\nplace: Kirkko\nsummary: Soittoa.\n"
        "start: 2027-03-14T18:00\nend: 14.3.2027\n",
    }
    found = server.diagnostics(texts)
    page_lines = underlined(found[page])
    assert "3: Property tittle is not allowed." in page_lines
    assert "2: Tarkista muoto – check the form (esim. – e.g. kirjasto)" in page_lines  # id: our message
    assert "5: Property se is not allowed." in page_lines
    assert "3: String is not a RFC3339 date." in underlined(found[news])
    event_lines = underlined(found[event])
    assert len(event_lines) == 1 and event_lines[0].startswith("7: Tarkista muoto – check the form")  # not start


KINDS: dict[str, tuple[str, str | None]] = {
    "site": ("municipalities/karvia/site.yml", "site_url"),
    "page": ("municipalities/karvia/pages/kirjasto.yml", "summary"),
    "news": ("municipalities/karvia/news/2026-09-syksyn-keraysviikko.yml", "lead"),
    "event": ("municipalities/karvia/events/2027-02-laskiaisrieha.yml", "place"),
    "form": ("site_src/forms/palaute.yml", "title"),
    "texts": ("site_src/texts/sv.yml", None),
    "accessibility": ("site_src/data/accessibility.yml", "authority"),
}


def test_settings_alone_give_every_kind_of_file_its_schema(server: YamlLanguageServer) -> None:
    # A file Decap CMS saved has lost its first line: .vscode/settings.json still finds the schema.
    # The language server matches the globs at the end of the path, so a copy of the project
    # folders one level down is matched like the real files.
    copy = ROOT / "ilman-skeemariviä"
    files = {copy / relative: "tittle: x\n" for relative, _ in KINDS.values()}
    found = server.diagnostics(files)
    for name, (relative, required) in KINDS.items():
        lines = underlined(found[copy / relative])
        assert "1: Property tittle is not allowed." in lines, f"{name}: {lines}"
        if required is not None:
            assert f'1: Missing property "{required}".' in lines, f"{name}: {lines}"


def test_the_server_is_the_one_package_json_pins() -> None:
    package = json.loads((ROOT / "package.json").read_text("utf-8"))
    installed = json.loads((ROOT / "node_modules" / "yaml-language-server" / "package.json").read_text("utf-8"))
    assert package["devDependencies"]["yaml-language-server"] == installed["version"]
    assert Path(ROOT / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server").is_file()
