"""The error page's language and texts (kuntasivu.preview.texts), even when the broken file is
site.yml or a texts file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from kuntasivu.preview.texts import FALLBACK, preview_texts

from tests.conftest import SHARED


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    folder = tmp_path / "site_src"
    shutil.copytree(SHARED / "texts", folder / "texts")
    return folder


def municipality(tmp_path: Path, site_yml: str) -> Path:
    folder = tmp_path / "municipalities" / "kunta"
    folder.mkdir(parents=True)
    (folder / "site.yml").write_text(site_yml, "utf-8")
    return folder


def shared_preview(lang: str) -> dict[str, str]:
    section = yaml.safe_load((SHARED / "texts" / f"{lang}.yml").read_text("utf-8"))["preview"]
    assert isinstance(section, dict)
    return section


def test_the_finnish_fallback_is_the_same_as_fi_yml() -> None:
    assert shared_preview("fi") == FALLBACK


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_language_has_every_preview_text(lang: str) -> None:
    assert set(shared_preview(lang)) == set(FALLBACK)


def test_the_page_is_in_the_sites_default_language(tmp_path: Path, shared: Path) -> None:
    folder = municipality(tmp_path, "name: Kommun\nlanguages: [sv, fi]\n")
    lang, texts = preview_texts(shared, folder)
    assert lang == "sv"
    assert texts == shared_preview("sv")
    assert texts["heading_many"].format(count=3) == "Innehållet har 3 fel"


@pytest.mark.parametrize(
    "site_yml",
    ["name: [Kunta\nlanguages: [sv]\n", "languages: [de]\n", "languages: sv\n", "- just a list\n", ""],
    ids=["yaml-syntax-error", "unknown-language", "not-a-list", "not-a-mapping", "empty"],
)
def test_a_site_yml_that_cannot_tell_gives_finnish(tmp_path: Path, shared: Path, site_yml: str) -> None:
    assert preview_texts(shared, municipality(tmp_path, site_yml)) == ("fi", FALLBACK)


def test_a_missing_site_yml_gives_finnish(tmp_path: Path, shared: Path) -> None:
    folder = tmp_path / "municipalities" / "kunta"
    folder.mkdir(parents=True)
    assert preview_texts(shared, folder) == ("fi", FALLBACK)


def test_a_broken_texts_file_of_the_language_gives_finnish(tmp_path: Path, shared: Path) -> None:
    folder = municipality(tmp_path, "languages: [en]\n")
    english = shared / "texts" / "en.yml"
    english.write_text(english.read_text("utf-8") + "  broken: [\n", "utf-8")
    assert preview_texts(shared, folder) == ("fi", FALLBACK)


def test_a_missing_text_or_a_wrong_placeholder_gives_finnish(tmp_path: Path, shared: Path) -> None:
    folder = municipality(tmp_path, "languages: [en]\n")
    english = shared / "texts" / "en.yml"
    data = yaml.safe_load(english.read_text("utf-8"))
    del data["preview"]["marker"]
    english.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    assert preview_texts(shared, folder)[0] == "fi"
    data["preview"]["marker"] = "line with the error"
    data["preview"]["location"] = "Line {rivi}"  # would fail to format on the page
    english.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    assert preview_texts(shared, folder)[0] == "fi"


def test_when_fi_yml_itself_is_broken_the_built_in_finnish_is_used(tmp_path: Path, shared: Path) -> None:
    folder = municipality(tmp_path, "languages: [fi]\n")
    (shared / "texts" / "fi.yml").write_text("preview:\n  title: [\n", "utf-8")
    assert preview_texts(shared, folder) == ("fi", FALLBACK)
    (shared / "texts" / "fi.yml").unlink()
    assert preview_texts(shared, folder) == ("fi", FALLBACK)


def test_a_municipality_may_override_a_preview_text(tmp_path: Path, shared: Path) -> None:
    folder = municipality(tmp_path, "languages: [fi]\n")
    (folder / "texts").mkdir()
    (folder / "texts" / "fi.yml").write_text("preview:\n  unpublished: Verkkosivut eivät muutu.\n", "utf-8")
    lang, texts = preview_texts(shared, folder)
    assert lang == "fi"
    assert texts == {**FALLBACK, "unpublished": "Verkkosivut eivät muutu."}
