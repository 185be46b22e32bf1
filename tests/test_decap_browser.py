"""The browser editor as staff meet it: Decap CMS from the built admin/, in headless Chromium.

A copy of the bilingual fixture municipality with ``editor: {backend: test-repo}`` is built (MkDocs
and the build's own steps, without the accessibility gate: the admin is not a page it checks) and
served; the test signs in to Decap's test-repo backend (which keeps everything in the page's
memory), opens the news collection, compares the form with the news schema and saves a news item
through the editorial workflow. A page whose contact name is one text for both languages is opened
from a seeded repository, edited per language and saved (editor/widgets.js).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from kuntasivu.content.model import LANGUAGES, NewsItem
from kuntasivu.content.model import Page as Page_
from kuntasivu.editor.decap import MISSING_LANGUAGE, json_schema
from kuntasivu.mkdocs_plugin import build_site
from playwright.sync_api import Browser, Page, expect

from tests.serving import serve_folder

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "municipalities" / "kaksikielinen"
OPTIONAL = " (optional)"
"""What Decap adds to the label of a field that is not required (its English interface)."""


@pytest.fixture(scope="module")
def admin_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("decap")
    municipality = work / "kaksikielinen"
    shutil.copytree(FIXTURE, municipality)
    site = municipality / "site.yml"
    site.write_text(site.read_text("utf-8") + "editor:\n  backend: test-repo\n", encoding="utf-8")
    build_site(ROOT, municipality, work / "site")
    with serve_folder(work / "site", headers=admin_headers(work / "site")) as base:
        yield base + "admin/"


def admin_headers(site: Path) -> dict[str, str]:
    """The headers `_headers` gives admin/ (the rule after the '! Name' lines that detach the site's),
    so that Decap is tested under the policy it is published with. The test serves plain HTTP, so
    upgrade-insecure-requests (for the https:// site) is left out: it would send every request to https."""
    lines = (site / "_headers").read_text("utf-8").splitlines()
    start = lines.index("/admin/*") + 1
    headers: dict[str, str] = {}
    for line in lines[start:]:
        if not line.startswith("  "):
            break
        if not line.startswith("  !"):
            name, value = line.strip().split(": ", 1)
            headers[name] = value
    headers["Content-Security-Policy"] = headers["Content-Security-Policy"].replace("; upgrade-insecure-requests", "")
    headers.pop("Strict-Transport-Security")
    return headers


@pytest.fixture
def page_errors() -> list[str]:
    """Uncaught errors in the admin page; none may remain at the end of a test."""
    return []


@pytest.fixture
def repo_files() -> dict[str, str]:
    """Files (path: text) in the test-repo backend before Decap starts; it starts empty."""
    return {}


@pytest.fixture
def page(browser: Browser, admin_url: str, page_errors: list[str], repo_files: dict[str, str]) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    # A refused script, style or request is reported on the console, not raised.
    page.on("console", lambda m: page_errors.append(m.text) if "Content Security Policy" in m.text else None)
    # test-repo reads window.repoFiles, a tree of folders with {content, path} at the leaves.
    tree: dict[str, object] = {}
    for path, text in repo_files.items():
        *folders, name = path.split("/")
        node = tree
        for folder in folders:
            node = node.setdefault(folder, {})  # type: ignore[assignment]
        node[name] = {"content": text, "path": path}
    page.add_init_script(f"window.repoFiles = {json.dumps(tree)};")
    page.goto(admin_url)
    page.get_by_role("button", name="Login").click()
    yield page
    context.close()
    assert not page_errors, f"Decap raised in the page: {page_errors}"


def labels(page: Page) -> list[tuple[str, str]]:
    """Every field label of the open form as (text, id of its control), in form order."""
    found = page.locator("label[for]")
    return [(found.nth(i).text_content() or "", found.nth(i).get_attribute("for") or "") for i in range(found.count())]


def top_level(page: Page, schema: dict[str, object]) -> dict[str, tuple[str, str]]:
    """The labels of the schema's own properties (Decap names a control '<property>-field-<n>')."""
    properties = schema["properties"]
    assert isinstance(properties, dict)
    out: dict[str, tuple[str, str]] = {}
    for text, control in labels(page):
        name = control.rsplit("-field-", 1)[0]
        if name in properties and name not in out:
            out[name] = (text, control)
    return out


def test_news_form_matches_schema_and_an_item_is_saved(page: Page, admin_url: str, page_errors: list[str]) -> None:
    schema = json_schema("news")
    page.goto(admin_url + "#/collections/news/new")
    page.locator("label[for]").first.wait_for()
    shown = top_level(page, schema)
    properties = schema["properties"]
    required = set(schema["required"])
    assert set(shown) == set(properties), "every property of the news schema is a field of the form, and only those"
    for name, (text, _) in shown.items():
        title = properties[name]["title"]
        expected = title if name in required else title + OPTIONAL
        assert text == expected, f"{name}: label {text!r}, expected {expected!r} (required: {name in required})"

    # A text field of a bilingual site asks for each language, labelled by the language's name.
    texts = labels(page)
    title_at = [control for _, control in texts].index(shown["title"][1])
    assert [text for text, _ in texts[title_at + 1 : title_at + 3]] == [LANGUAGES["fi"], LANGUAGES["sv"]]

    # Saving with required fields still empty is refused.
    page.locator(f"[id='{shown['id'][1]}']").fill("2026-12-joulutori")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Oops, you've missed a required field.").first).to_be_visible()
    # Decap rejects the refused save with "undefined" in the page; anything else still fails the test.
    page_errors[:] = [error for error in page_errors if error != "undefined"]

    for name in ("title", "lead"):
        at = [control for _, control in texts].index(shown[name][1])
        for offset, value in ((1, f"{name} suomeksi"), (2, f"{name} på svenska")):
            page.locator(f"[id='{texts[at + offset][1]}']").fill(value)
    date_field = page.locator(f"[id='{shown['date'][1]}']").locator("xpath=ancestor::div[.//button][1]")
    date_field.get_by_role("button", name="Now").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Entry saved").first).to_be_visible(timeout=10_000)

    # What Decap wrote is a news file the build accepts, at the path the site's news are read from.
    drafts = json.loads(page.evaluate("() => JSON.stringify(Object.values(window.repoFilesUnpublished))"))
    files = {diff["path"]: diff["content"] for draft in drafts for diff in draft["diffs"]}
    assert list(files) == ["municipalities/kaksikielinen/news/2026-12-joulutori.yml"]
    saved = files["municipalities/kaksikielinen/news/2026-12-joulutori.yml"]
    assert saved.splitlines()[0] == "# yaml-language-server: $schema=../../../schemas/news.schema.json", (
        "the file keeps the editors' schema line, so `kuntasivu schema --check` accepts it"
    )
    item = NewsItem.model_validate(yaml.safe_load(files["municipalities/kaksikielinen/news/2026-12-joulutori.yml"]))
    assert (item.id, item.title.get("fi"), item.lead.get("sv")) == (
        "2026-12-joulutori",
        "title suomeksi",
        "lead på svenska",
    )
    assert item.body is None and item.image is None, "optional fields left empty are not written"

    # The editorial workflow holds it as a draft for review, named by its id.
    page.goto(admin_url + "#/workflow")
    expect(page.get_by_text("2026-12-joulutori").first).to_be_visible(timeout=10_000)


def test_settings_of_a_bilingual_site_ask_for_both_languages(page: Page, admin_url: str) -> None:
    page.goto(admin_url + "#/collections/settings")
    page.get_by_text(re.compile("Sivuston asetukset")).first.click()
    page.locator("label[for]").first.wait_for()
    texts = labels(page)
    name_at = next(i for i, (_, control) in enumerate(texts) if control.startswith("name-field-"))
    assert texts[name_at][0] == json_schema("site")["properties"]["name"]["title"]
    assert [text for text, _ in texts[name_at + 1 : name_at + 3]] == [LANGUAGES["fi"], LANGUAGES["sv"]]


KIRJASTO = "municipalities/kaksikielinen/pages/kirjasto.yml"
HOURS_BLOCK = """  - type: opening_hours
    rows:
      - days: {fi: ma–pe, sv: mån–fre}
        hours: 10.00–19.00
"""


@pytest.mark.parametrize(
    "repo_files", [{KIRJASTO: (FIXTURE / "pages" / "kirjasto.yml").read_text("utf-8") + HOURS_BLOCK}]
)
def test_a_name_written_once_for_both_languages_opens_and_is_saved_per_language(
    page: Page, admin_url: str, page_errors: list[str]
) -> None:
    # kirjasto.yml has `name: Maija Virtanen`: one text for both languages, as a name often is.
    page.goto(admin_url + "#/collections/pages/entries/kirjasto")
    page.locator("label[for]").first.wait_for()
    for toggle in page.get_by_role("button", name=re.compile("Expand|Laajenna", re.I)).all():
        toggle.click()
    name_fi = page.locator("[id^='name-field-'][lang='fi']")
    name_sv = page.locator("[id^='name-field-'][lang='sv']")
    expect(name_fi).to_have_value("Maija Virtanen")
    expect(name_sv).to_have_value("Maija Virtanen")
    expect(page.locator("[id^='hours-field-'][lang='sv']")).to_have_value("10.00–19.00")
    name_id = name_fi.get_attribute("id")
    assert (
        page.locator(f"label[for='{name_id}']").first.text_content()
        == json_schema("page")["definitions"]["ContactBlock"]["properties"]["name"]["title"]
    ), "Decap's label of the field names the first language's input"
    assert page.locator(f"label[for='{name_sv.get_attribute('id')}']").text_content() == LANGUAGES["sv"]

    # A text in one language only would fail the build: Decap refuses to save it.
    name_sv.fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(MISSING_LANGUAGE).first).to_be_visible()
    page_errors[:] = [error for error in page_errors if error != "undefined"]  # as in the news test

    name_fi.fill("Kirjaston asiakaspalvelu")
    name_sv.fill("Bibliotekets kundtjänst")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Entry saved").first).to_be_visible(timeout=10_000)

    drafts = json.loads(page.evaluate("() => JSON.stringify(Object.values(window.repoFilesUnpublished))"))
    (saved,) = [diff["content"] for draft in drafts for diff in draft["diffs"] if diff["path"] == KIRJASTO]
    data = yaml.safe_load(saved)
    assert data["blocks"][0]["name"] == {"fi": "Kirjaston asiakaspalvelu", "sv": "Bibliotekets kundtjänst"}
    assert data["blocks"][1]["rows"][0]["hours"] == "10.00–19.00", "the same in both languages: still one text"
    Page_.model_validate(data)
