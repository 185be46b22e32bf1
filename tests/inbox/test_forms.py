"""Form exports: the fixtures follow form.schema.json; invalid exports stop the start."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from kuntasivu_inbox.app import create_app
from kuntasivu_inbox.cli import main
from kuntasivu_inbox.config import Settings
from kuntasivu_inbox.forms import SCHEMA_PATH, FormExportError, FormRegistry, load_form

from . import exports


@pytest.mark.parametrize("export", [exports.feedback(), exports.registration(), exports.feedback(exports.OTHER_SITE)])
def test_fixtures_are_valid_exports(export: dict[str, object]) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(export)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e: e.update(format=2), "format: 1 was expected"),
        (lambda e: e.pop("texts"), "'texts' is a required property"),
        (lambda e: e["fieldsets"][0]["fields"][0].update(tittle="x"), "Additional properties"),
        (lambda e: e.update(id="muu"), "do not match the path"),
        (lambda e: e.update(confirmation_field="name"), "not an email field"),
        (lambda e: e["texts"].pop("sv"), "texts missing for languages sv"),
        (lambda e: e["fieldsets"][1]["fields"][7].update(pattern="(["), "pattern does not compile"),
        (lambda e: e["fieldsets"][1]["fields"][1].update(min="zero"), "min/max of a number"),
    ],
)
def test_invalid_export_names_file(tmp_path: Path, change: object, message: str) -> None:
    export = exports.feedback()
    change(export)  # type: ignore[operator]
    path = exports.write(tmp_path, {**export, "id": "palaute"} if message != "do not match the path" else export)
    if message == "do not match the path":
        path = path.rename(path.with_name("palaute.json"))
    with pytest.raises(FormExportError) as error:
        load_form(path)
    assert str(path) in str(error.value) and message in str(error.value)


def test_startup_refuses_invalid_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "kunta" / "forms").mkdir(parents=True)
    bad = tmp_path / "kunta" / "forms" / "rikki.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(FormExportError, match=r"rikki\.json"):
        create_app(Settings(forms_dir=tmp_path, database_url=f"sqlite:///{tmp_path}/db.sqlite3", secret="s"))
    args = ["serve", "--forms-dir", str(tmp_path), "--database-url", f"sqlite:///{tmp_path}/db.sqlite3"]
    assert main(args) == 2
    assert "rikki.json" in capsys.readouterr().err


def test_reload_on_change_keeps_last_good(tmp_path: Path) -> None:
    registry = FormRegistry(tmp_path)
    export = exports.feedback()
    path = exports.write(tmp_path, export)
    assert registry.get(exports.SITE, "palaute").title["fi"] == "Palaute"  # type: ignore[union-attr]
    export["title"] = {"fi": "Uusi otsikko", "sv": "Ny rubrik"}
    exports.write(tmp_path, export)
    assert registry.get(exports.SITE, "palaute").title["fi"] == "Uusi otsikko"  # type: ignore[union-attr]
    path.write_text("{broken", encoding="utf-8")
    assert registry.get(exports.SITE, "palaute").title["fi"] == "Uusi otsikko"  # type: ignore[union-attr]
    assert registry.get(exports.SITE, "none") is None and registry.get("../etc", "passwd") is None
