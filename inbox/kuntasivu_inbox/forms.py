"""The form exports of the build: loaded from <forms_dir>/<slug>/forms/<id>.json, validated
against form.schema.json, and reloaded when a file changes (checked by mtime on every lookup)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .exports import ExportCache, ExportError, localized, read_export

SCHEMA_PATH = Path(__file__).with_name("form.schema.json")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TEXT_TYPES = frozenset({"text", "email", "tel", "textarea"})
CHOICE_TYPES = frozenset({"select", "radios", "checkboxes"})

Text = dict[str, str]


class FormExportError(ExportError):
    """Raised by load_form for an export that is not valid; the message names the file."""


@dataclass(frozen=True)
class Option:
    value: str
    label: Text
    capacity: int | None


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    label: Text
    hint: Text | None
    required: bool
    autocomplete: str | None
    min_length: int | None
    max_length: int | None
    min: float | str | None
    max: float | str | None
    integer: bool
    pattern: str | None
    pattern_message: Text | None
    options: tuple[Option, ...]

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Fieldset:
    legend: Text | None
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Form:
    site: str
    id: str
    kind: str
    site_name: Text
    site_url: str
    origins: tuple[str, ...]
    languages: tuple[str, ...]
    title: Text
    intro: Text | None
    recipients: tuple[str, ...]
    confirmation_field: str | None
    retention_days: int
    privacy_url: Text
    thanks_url: Text
    stylesheets: tuple[str, ...]
    fieldsets: tuple[Fieldset, ...]
    texts: dict[str, dict[str, str]]

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(f for fs in self.fieldsets for f in fs.fields)

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def t(self, text: Text | None, lang: str) -> str:
        """A text in lang, else in the site's default language."""
        return localized(text, lang, self.languages)

    def message(self, key: str, lang: str) -> str:
        texts = self.texts.get(lang) or self.texts.get(self.languages[0]) or {}
        return texts.get(key, key)


def load_form(path: Path) -> Form:
    """Read and validate one export; the error names the file and the place in it."""
    return read_export(path, SCHEMA_PATH, _build, _check, FormExportError, "form export")


def _text(value: Any) -> Text | None:
    return dict(value) if value is not None else None


def _build(d: dict[str, Any]) -> Form:
    fieldsets = tuple(
        Fieldset(
            legend=_text(fs["legend"]),
            fields=tuple(
                Field(
                    name=f["name"],
                    type=f["type"],
                    label=f["label"],
                    hint=_text(f["hint"]),
                    required=f["required"],
                    autocomplete=f["autocomplete"],
                    min_length=f.get("min_length"),
                    max_length=f.get("max_length"),
                    min=f.get("min"),
                    max=f.get("max"),
                    integer=f.get("integer", False),
                    pattern=f.get("pattern"),
                    pattern_message=_text(f.get("pattern_message")),
                    options=tuple(Option(o["value"], o["label"], o["capacity"]) for o in f.get("options", [])),
                )
                for f in fs["fields"]
            ),
        )
        for fs in d["fieldsets"]
    )
    return Form(
        site=d["site"],
        id=d["id"],
        kind=d["kind"],
        site_name=d["site_name"],
        site_url=d["site_url"],
        origins=tuple(d["origins"]),
        languages=tuple(d["languages"]),
        title=d["title"],
        intro=_text(d["intro"]),
        recipients=tuple(d["recipients"]),
        confirmation_field=d["confirmation_field"],
        retention_days=d["retention_days"],
        privacy_url=d["privacy_url"],
        thanks_url=d["thanks_url"],
        stylesheets=tuple(d["stylesheets"]),
        fieldsets=fieldsets,
        texts=d["texts"],
    )


def _check(form: Form, path: Path) -> list[str]:
    """What the schema cannot say: names match the path, texts exist, patterns compile."""
    problems = []
    if path.stem != form.id or path.parent.parent.name != form.site:
        problems.append(f"site/id {form.site}/{form.id} do not match the path <slug>/forms/<id>.json")
    missing = [lang for lang in form.languages if lang not in form.texts]
    if missing:
        problems.append(f"texts missing for languages {', '.join(missing)}")
    names = [f.name for f in form.fields]
    if len(names) != len(set(names)):
        problems.append("field names are not unique")
    for f in form.fields:
        if f.type in CHOICE_TYPES and not f.options:
            problems.append(f"field {f.name!r}: a {f.type} needs options")
        if len({o.value for o in f.options}) != len(f.options):
            problems.append(f"field {f.name!r}: option values are not unique")
        for limit in (f.min, f.max):
            if limit is None:
                continue
            if f.type == "number" and not isinstance(limit, int | float):
                problems.append(f"field {f.name!r}: min/max of a number must be numbers")
            if f.type == "date" and not (isinstance(limit, str) and _is_date(limit)):
                problems.append(f"field {f.name!r}: min/max of a date must be YYYY-MM-DD")
        if f.pattern is not None:
            try:
                re.compile(f.pattern)
            except re.error as exc:
                problems.append(f"field {f.name!r}: pattern does not compile: {exc}")
    if form.confirmation_field is not None:
        target = form.field(form.confirmation_field)
        if target is None or target.type != "email":
            problems.append(f"confirmation_field {form.confirmation_field!r} is not an email field")
    return problems


def _is_date(value: str) -> bool:
    try:
        return len(value) == 10 and bool(datetime.date.fromisoformat(value))
    except ValueError:
        return False


class FormRegistry:
    """The form exports under forms_dir, each re-read when its file changes; a file that became
    invalid keeps its last valid version, so a bad build never breaks a form that worked."""

    def __init__(self, forms_dir: Path) -> None:
        self.forms_dir = forms_dir
        self._exports = ExportCache(load_form, "form export")

    def path(self, site: str, form_id: str) -> Path | None:
        if not (SLUG.match(site) and SLUG.match(form_id)):
            return None
        return self.forms_dir / site / "forms" / f"{form_id}.json"

    def load_all(self) -> list[Form]:
        """Every export, validated; the first invalid one raises FormExportError (startup)."""
        return [self._exports.load(path) for path in sorted(self.forms_dir.glob("*/forms/*.json"))]

    def get(self, site: str, form_id: str) -> Form | None:
        path = self.path(site, form_id)
        return self._exports.get(path) if path is not None else None

    def site_forms(self, site: str) -> list[Form]:
        if not SLUG.match(site):
            return []
        found = (self.get(site, p.stem) for p in sorted((self.forms_dir / site / "forms").glob("*.json")))
        return [f for f in found if f is not None]

    def all_forms(self) -> list[Form]:
        found = (self.get(p.parent.parent.name, p.stem) for p in sorted(self.forms_dir.glob("*/forms/*.json")))
        return [f for f in found if f is not None]
