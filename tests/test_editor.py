"""The browser editor's configuration (editor/decap.py) and admin/ folder (editor/admin.py): derived
from the content schemas, written only for a site with ``editor:``, left out of everything that
is about the site's own pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from kuntasivu.checks.gate import discover_pages
from kuntasivu.content.errors import ContentErrors
from kuntasivu.content.loading import Content, load_content
from kuntasivu.content.model import LANGUAGES
from kuntasivu.content.sitemap import robots_txt
from kuntasivu.editor import is_admin
from kuntasivu.editor.admin import index_html, write_admin
from kuntasivu.editor.decap import COLLECTIONS, SAME_TEXT_WIDGET, _Fields, collection_fields, decap_config, json_schema
from kuntasivu.schema import catalogue
from kuntasivu.schema_files import schema_line
from kuntasivu.serving import headers_file, nginx_config, serving
from kuntasivu.serving.scan import scan_site
from kuntasivu.weight import SiteFiles, measure_site

from tests.conftest import SHARED, make_project

MakeMunicipality = Callable[..., Path]
ROOT = Path(__file__).resolve().parents[1]
GITHUB = "editor:\n  backend: github\n  repo: pieni/kuntasivu\n  base_url: https://kirjaudu.pieni.fi\n"
GITLAB = "editor:\n  backend: gitlab\n  repo: pieni/sivut\n  app_id: 4f2a9c\n"
SELF_HOSTED = GITLAB + "  base_url: https://gitlab.pieni.fi\n  branch: julkaisu\n"
TEST_REPO = "editor:\n  backend: test-repo\n"


def site_with(make_municipality: MakeMunicipality, extra: str, slug: str = "pieni") -> Content:
    municipality = make_municipality(slug)
    site = municipality / "site.yml"
    site.write_text(site.read_text("utf-8") + extra, "utf-8")
    return load_content(municipality, SHARED)


def by_name(fields: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {field["name"]: field for field in fields}


# --- fields from the schema ------------------------------------------------------------------


@pytest.mark.parametrize("schema_name", [name for _, name, _ in COLLECTIONS] + ["site"])
def test_every_property_is_a_field_and_required_as_in_the_schema(schema_name: str) -> None:
    schema = json_schema(schema_name)
    fields = by_name(collection_fields(schema_name, ["fi"], depth=3))
    assert list(fields) == list(schema["properties"]), "the same properties, in the same order"
    required = {name for name, field in fields.items() if field["required"]}
    assert required == set(schema.get("required", []))
    for name, field in fields.items():
        assert field["label"] == schema["properties"][name]["title"]
        assert field["hint"] == schema["properties"][name]["description"]


def test_nested_objects_and_block_types_follow_their_definitions() -> None:
    schema = json_schema("page")
    blocks = by_name(collection_fields("page", ["fi"], depth=3))["blocks"]
    assert blocks["widget"] == "list" and blocks["typeKey"] == "type"
    variants = [
        json_schema("page")["definitions"][ref["$ref"].rsplit("/", 1)[1]]
        for ref in schema["properties"]["blocks"]["items"]["oneOf"]
    ]
    assert [t["name"] for t in blocks["types"]] == [v["properties"]["type"]["const"] for v in variants]
    for decap_type, variant in zip(blocks["types"], variants, strict=True):
        # The type itself is a hidden field that writes the block's kind; the rest as in the schema.
        assert sorted(f["name"] for f in decap_type["fields"]) == sorted(variant["properties"])
        assert decap_type["fields"][0] == {"name": "type", "widget": "hidden", "default": decap_type["name"]}
        required = {f["name"] for f in decap_type["fields"][1:] if f["required"]}
        assert required == set(variant.get("required", [])) - {"type"}
    # Staff choose a block by its Finnish name (schema_fi.yml), not by the model's class name.
    refs = [ref["$ref"].rsplit("/", 1)[1] for ref in schema["properties"]["blocks"]["items"]["oneOf"]]
    labels = [t["label"] for t in blocks["types"]]
    assert labels == [catalogue()[name]["label"] for name in refs]
    assert labels[:2] == ["Yhteystieto", "Aukioloajat"] and not set(labels) & set(refs)


def test_widgets_follow_types_formats_and_patterns() -> None:
    news = by_name(collection_fields("news", ["fi"], depth=3))
    assert news["date"]["widget"] == "datetime" and news["date"]["format"] == "YYYY-MM-DD"
    assert news["date"]["time_format"] is False
    assert news["body"]["widget"] == "markdown", "contentMediaType text/markdown"
    assert news["lead"]["widget"] == "string"
    id_pattern = json_schema("news")["properties"]["id"]["pattern"]
    assert news["id"]["pattern"][0] == id_pattern and news["id"]["pattern"][1]
    image = by_name(news["image"]["fields"])
    assert image["src"]["widget"] == "image"
    assert image["decorative"]["widget"] == "boolean"
    # An optional image: nothing inside it is demanded, and nothing is written by default.
    assert not any(field["required"] for field in image.values())
    assert "default" not in image["decorative"]

    event = by_name(collection_fields("event", ["fi"], depth=3))
    assert event["start"]["widget"] == "datetime" and event["start"]["format"] == "YYYY-MM-DDTHH:mm"

    page = by_name(collection_fields("page", ["fi"], depth=3))
    assert page["order"]["widget"] == "number" and page["order"]["value_type"] == "int"

    site = by_name(collection_fields("site", ["fi"], depth=2))
    alert = by_name(site["alert"]["fields"])
    assert alert["level"]["widget"] == "select" and alert["level"]["options"] == ["info", "warning", "danger"]
    assert site["navigation"]["widget"] == "list" and site["navigation"]["min"] == 1
    assert by_name(site["navigation"]["fields"])["id"]["required"] is True, "list items keep their required fields"
    assert site["footer_pages"]["field"]["widget"] == "string"
    # Decap has no widget that writes a free-form map: it keeps what the file holds.
    assert site["redirects"]["widget"] == "hidden"


def test_a_list_of_items_no_widget_writes_is_hidden_whole() -> None:
    fields = _Fields({}, ["fi"])
    assert fields.array({"type": "array", "items": {"type": "object"}}) == {"widget": "hidden"}
    assert fields.array({"type": "array", "items": {"type": "string"}})["field"]["widget"] == "string"


def test_a_text_asks_for_each_language_of_the_site() -> None:
    two = by_name(collection_fields("news", ["fi", "sv"], depth=3))
    title = two["title"]
    assert title["widget"] == "object"
    assert [(f["name"], f["label"], f["widget"], f["required"]) for f in title["fields"]] == [
        ("fi", LANGUAGES["fi"], "string", True),
        ("sv", LANGUAGES["sv"], "string", True),
    ]
    assert [f["widget"] for f in two["body"]["fields"]] == ["markdown", "markdown"]
    assert not any(f["required"] for f in two["body"]["fields"]), "an optional text is optional in every language"
    one = by_name(collection_fields("news", ["fi"], depth=3))
    assert one["title"]["widget"] == "string" and "fields" not in one["title"]


def test_a_text_that_may_serve_every_language_gets_the_widget_that_reads_both_forms() -> None:
    # `name: Helena Saarinen` on a bilingual site: Decap's object widget would crash on the string.
    blocks = by_name(collection_fields("page", ["fi", "sv"], depth=3))["blocks"]
    contact = by_name(next(t for t in blocks["types"] if t["name"] == "contact")["fields"])
    hours = by_name(next(t for t in blocks["types"] if t["name"] == "opening_hours")["fields"])
    rows = by_name(hours["rows"]["fields"])
    for field in (contact["name"], rows["hours"]):
        assert field["widget"] == SAME_TEXT_WIDGET
        assert field["languages"] == ["fi", "sv"]
        assert field["language_labels"] == {"fi": LANGUAGES["fi"], "sv": LANGUAGES["sv"]}
    assert contact["role"]["widget"] == "object", "a text that must be given per language stays per language"
    assert rows["days"]["widget"] == "object"
    contact_of_site = by_name(by_name(collection_fields("site", ["fi", "sv"], depth=2))["contact"]["fields"])
    site_rows = by_name(contact_of_site["opening_hours"]["fields"])
    assert site_rows["hours"]["widget"] == SAME_TEXT_WIDGET
    one = by_name(collection_fields("page", ["fi"], depth=3))["blocks"]
    assert by_name(next(t for t in one["types"] if t["name"] == "contact")["fields"])["name"]["widget"] == "string"


# --- backend and site settings from site.yml ---------------------------------------------------


def test_github_backend_signs_in_through_the_oauth_service(make_municipality: MakeMunicipality) -> None:
    config = decap_config(site_with(make_municipality, GITHUB).site.item, "pieni")
    assert config["backend"] == {
        "name": "github",
        "repo": "pieni/kuntasivu",
        "branch": "main",
        "base_url": "https://kirjaudu.pieni.fi",
    }
    assert config["publish_mode"] == "editorial_workflow"
    assert config["media_folder"] == "municipalities/pieni/assets" and config["public_folder"] == "assets"
    folders = {c["name"]: c.get("folder") for c in config["collections"]}
    assert folders == {
        "pages": "municipalities/pieni/pages",
        "news": "municipalities/pieni/news",
        "events": "municipalities/pieni/events",
        "forms": "municipalities/pieni/forms",
        "settings": None,
    }
    settings = config["collections"][-1]["files"][0]
    assert settings["file"] == "municipalities/pieni/site.yml"
    for collection in config["collections"][:-1]:
        assert (collection["extension"], collection["format"], collection["create"]) == ("yml", "yml", True)
        assert collection["slug"] == "{{fields.id}}", "files are named by their id, like the sample files"
    assert "locale" not in config, "Decap has no Finnish interface: it stays in English"


def test_decap_writes_the_schema_line_first_in_every_file_it_saves(make_municipality: MakeMunicipality) -> None:
    """Decap drops comments when it saves; the first field's comment is the one it writes, so a
    file saved in the browser keeps the line `kuntasivu schema --check` asks for."""
    config = decap_config(site_with(make_municipality, GITHUB).site.item, "pieni")
    for collection in config["collections"]:
        for where in [collection, *collection.get("files", [])]:
            if "fields" not in where:
                continue
            first, *rest = where["fields"]
            path = ROOT / (where.get("file") or f"{where['folder']}/uusi.yml")
            assert first["required"], f"{collection['name']}: the commented field is in every saved file"
            assert "# " + first["comment"] == schema_line(path, ROOT)
            assert all("comment" not in field for field in rest)


def test_gitlab_backend_uses_pkce_on_gitlab_com_or_its_own_server(make_municipality: MakeMunicipality) -> None:
    config = decap_config(site_with(make_municipality, GITLAB).site.item, "pieni")
    assert config["backend"] == {
        "name": "gitlab",
        "repo": "pieni/sivut",
        "branch": "main",
        "auth_type": "pkce",
        "app_id": "4f2a9c",
    }
    own = decap_config(site_with(make_municipality, SELF_HOSTED, "kaksikielinen").site.item, "kaksikielinen")
    assert own["backend"]["base_url"] == "https://gitlab.pieni.fi"
    assert own["backend"]["api_root"] == "https://gitlab.pieni.fi/api/v4"
    assert own["backend"]["branch"] == "julkaisu"


def test_test_repo_backend_and_a_swedish_interface(make_municipality: MakeMunicipality) -> None:
    content = site_with(make_municipality, TEST_REPO)
    assert decap_config(content.site.item, "pieni")["backend"] == {"name": "test-repo"}
    swedish = content.site.item.model_copy(update={"languages": ["sv", "fi"]})
    assert decap_config(swedish, "pieni")["locale"] == "sv"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("editor:\n  backend: bitbucket\n", "backend"),
        ("editor:\n  backend: github\n  repo: pieni/kuntasivu\n", "needs 'base_url'"),
        ("editor:\n  backend: gitlab\n  repo: pieni/sivut\n", "needs 'app_id'"),
        ("editor:\n  backend: github\n  base_url: https://kirjaudu.pieni.fi\n", "needs 'repo'"),
        ("editor:\n  backend: test-repo\n  repo: pieni/sivut\n", "saves nothing"),
        ("editor:\n  backend: test-repo\n  brnach: main\n", "brnach"),
    ],
)
def test_a_wrong_editor_section_is_a_content_error_with_its_line(
    make_municipality: MakeMunicipality, extra: str, message: str
) -> None:
    municipality = make_municipality("pieni")
    site = municipality / "site.yml"
    before = site.read_text("utf-8")
    site.write_text(before + extra, "utf-8")
    with pytest.raises(ContentErrors) as raised:
        load_content(municipality, SHARED)
    errors = [e for e in raised.value.errors if e.path.name == "site.yml"]
    assert errors, raised.value.format()
    editor_line = before.count("\n") + 1
    assert any(message in e.message or message in e.field for e in errors), raised.value.format()
    assert all(e.line >= editor_line for e in errors), "the error points into the editor: section"


# --- the admin/ folder -------------------------------------------------------------------------


def test_without_editor_there_is_no_admin(make_municipality: MakeMunicipality, tmp_path: Path) -> None:
    content = load_content(make_municipality("pieni"), SHARED)
    assert write_admin(content, tmp_path, ROOT) is None
    assert not (tmp_path / "admin").exists()
    assert "/admin/" not in robots_txt(content)


def test_admin_page_config_and_decap_are_written(make_municipality: MakeMunicipality, tmp_path: Path) -> None:
    content = site_with(make_municipality, GITHUB)
    folder = write_admin(content, tmp_path, ROOT)
    assert folder == tmp_path / "admin"
    page = (folder / "index.html").read_text("utf-8")
    # Decap's interface is English on a Finnish site; our own words say they are Finnish.
    assert '<html lang="en">' in page and 'content="noindex, nofollow"' in page
    assert '<title lang="fi">' in page
    assert f'<noscript><p lang="fi">{content.texts["fi"]["editor.noscript"]}</p></noscript>' in page
    assert '<script src="decap-cms.js"></script>\n<script src="kuntasivu-widgets.js"></script>' in page
    assert 'CMS.registerWidget("kuntasivu-same-text"' in (folder / "kuntasivu-widgets.js").read_text("utf-8")
    assert (folder / "decap-cms.js").stat().st_size > 1_000_000
    assert list(folder.glob("*.decap-cms.js")), "the chunks Decap loads from beside itself"
    assert not list(folder.glob("*.map")), "no source maps"
    config = yaml.safe_load((folder / "config.yml").read_text("utf-8"))
    assert config == decap_config(content.site.item, content.slug)
    assert "Disallow: /admin/" in robots_txt(content).splitlines()
    assert index_html(content).count("<title ") == 1


def test_admin_is_left_out_of_the_site_checks_and_gets_its_own_headers(
    make_municipality: MakeMunicipality, tmp_path: Path
) -> None:
    content = site_with(make_municipality, GITHUB)
    (tmp_path / "index.html").write_text('<!doctype html><html lang="fi"><title>Etusivu</title></html>', "utf-8")
    write_admin(content, tmp_path, ROOT)
    # Decap's own page would break the site's policy (inline styles at run time); it is not scanned.
    (tmp_path / "admin" / "extra.html").write_text("<style>p{}</style><p style='x'>", "utf-8")
    assert is_admin("admin/index.html") and is_admin("/admin/") and not is_admin("administration/")
    assert list(discover_pages(tmp_path)) == [""]
    assert [w.page for w in measure_site(SiteFiles.for_site_url(tmp_path, "https://www.pieni.fi/"))] == ["index.html"]
    assert not scan_site(tmp_path, frozenset({"https://www.pieni.fi"})).problems

    plan = serving(content, tmp_path)
    assert plan.admin_headers is not None
    admin = dict(plan.admin_headers)
    policy = {name: sources for name, *sources in (d.split() for d in admin["Content-Security-Policy"].split(";"))}
    assert policy["connect-src"] == ["'self'", "https://api.github.com", "https://www.githubstatus.com"]
    assert policy["script-src"] == ["'self'", "'unsafe-eval'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert admin["Cross-Origin-Opener-Policy"] == "same-origin-allow-popups"
    assert admin["X-Robots-Tag"] == "noindex, nofollow"
    assert dict(plan.headers)["Cross-Origin-Opener-Policy"] == "same-origin", "the site keeps its own"

    headers = headers_file(plan)
    rule = headers.split("\n/admin/*\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert (
        "  ! Content-Security-Policy" in rule
        and f"  Content-Security-Policy: {admin['Content-Security-Policy']}" in rule
    )
    nginx = nginx_config(plan)
    location = nginx.split("    location /admin/ {\n", 1)[1].split("    }\n", 1)[0]
    for name, value in plan.admin_headers:
        assert f'add_header {name} "{value}" always;' in location
    assert "add_header Cache-Control" in location, "a location with add_header repeats every header"


def test_gitlab_editor_may_reach_its_own_server_only(make_municipality: MakeMunicipality, tmp_path: Path) -> None:
    content = site_with(make_municipality, SELF_HOSTED)
    (tmp_path / "index.html").write_text('<!doctype html><html lang="fi"><title>Etusivu</title></html>', "utf-8")
    admin = dict(serving(content, tmp_path).admin_headers or [])
    policy = {name: sources for name, *sources in (d.split() for d in admin["Content-Security-Policy"].split(";"))}
    assert policy["connect-src"] == ["'self'", "https://gitlab.pieni.fi"]
    assert "https://gitlab.pieni.fi" in policy["img-src"]
    assert serving(load_content(make_municipality("kaksikielinen"), SHARED), tmp_path).admin_headers is None


# --- a preview without Decap ---------------------------------------------------------------------


def _without_decap(tmp_path: Path) -> Path:
    """A project whose node_modules has everything but Decap (pip installed, npm half done)."""
    root = make_project(tmp_path / "project", ("pieni",))
    (root / "node_modules").unlink()
    (root / "node_modules").mkdir()
    for entry in (ROOT / "node_modules").iterdir():
        if not entry.name.startswith("decap-cms"):
            (root / "node_modules" / entry.name).symlink_to(entry)
    site = root / "municipalities" / "pieni" / "site.yml"
    site.write_text(site.read_text("utf-8") + TEST_REPO, "utf-8")
    return root


def _build(root: Path, site_dir: Path, *, previewing: bool) -> None:
    from kuntasivu.mkdocs_plugin import build_site

    build_site(root, root / "municipalities" / "pieni", site_dir, previewing=previewing)


@pytest.mark.e2e
def test_a_preview_goes_on_without_decap_but_a_build_stops(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.exceptions import Abort

    root = _without_decap(tmp_path)
    with pytest.raises(Abort):
        _build(root, tmp_path / "built", previewing=False)
    assert any("needs Decap CMS: the npm package decap-cms is missing" in r.getMessage() for r in caplog.records)
    with caplog.at_level("INFO", logger="mkdocs.plugins.kuntasivu"):
        _build(root, tmp_path / "preview", previewing=True)
    assert (tmp_path / "preview" / "index.html").is_file() and not (tmp_path / "preview" / "admin").exists()
    said = [r for r in caplog.records if "preview without the browser editor" in r.getMessage()]
    assert [r.levelname for r in said] == ["INFO"], "information, not a warning that fails the preview"
