"""Load a municipality's YAML files and the shared library into one validated whole.

Every problem in every file is collected before anything is raised, so that a
communications officer can fix them all at once. Nothing here imports MkDocs.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import ContentError, ContentErrors
from .forms import Form
from .model import LANGUAGES, Event, Model, NewsItem, Page, Site
from .validation import validation_errors
from .yamlsource import YamlDocument, dotted_path, parse_yaml

T = TypeVar("T", bound=BaseModel)

CONTENT_KINDS: dict[str, type[Model]] = {
    "site": Site,
    "pages": Page,
    "news": NewsItem,
    "events": Event,
    "forms": Form,
}
"""File kind (folder name, or 'site' for site.yml) → model."""


@dataclass
class Sourced(Generic[T]):
    """A validated item and the YAML document it came from (for error positions)."""

    item: T
    doc: YamlDocument

    @property
    def path(self) -> Path:
        return self.doc.path


@dataclass
class Content:
    """Everything one site is built from, with shared content already resolved."""

    slug: str
    municipality_dir: Path
    shared_dir: Path
    site: Sourced[Site]
    pages: dict[str, Sourced[Page]]
    """Pages used on the site by id: the municipality's own and the shared ones it uses."""
    news: list[Sourced[NewsItem]]
    events: list[Sourced[Event]]
    texts: dict[str, dict[str, str]]
    """UI texts per language: shared texts with the municipality's overrides."""
    forms: dict[str, Sourced[Form]] = field(default_factory=dict)
    """Forms by id: the municipality's own and every shared one it does not replace."""
    shared_page_ids: set[str] = field(default_factory=set)
    broken_ids: set[str] = field(default_factory=set)
    """Ids of items whose files have errors of their own; references to them are not errors too."""

    @property
    def languages(self) -> list[str]:
        return list(self.site.item.languages)

    @property
    def form_ids(self) -> set[str]:
        return set(self.forms)


class _Collector:
    def __init__(self) -> None:
        self.errors: list[ContentError] = []
        self.broken_ids: set[str] = set()
        """Ids of files that failed to load: references to them are not reported again."""

    def error(self, doc: YamlDocument, path: tuple[str | int, ...], message: str, *, key: bool = False) -> None:
        pos = doc.position(path, prefer_key=key)
        self.errors.append(ContentError(doc.path, pos.line, pos.column, dotted_path(path), message))

    def parse(self, path: Path) -> YamlDocument | None:
        doc, errors = parse_yaml(path)
        self.errors.extend(errors)
        if errors:
            return None
        if doc.data is None:
            self.errors.append(ContentError(path, 1, 1, "", "the file is empty; delete it or add content"))
            return None
        if not isinstance(doc.data, dict):
            self.errors.append(ContentError(path, 1, 1, "", "expected a mapping of fields (key: value lines)"))
            return None
        return doc

    def validate(self, doc: YamlDocument, model: type[T]) -> T | None:
        try:
            return model.model_validate(doc.data)
        except ValidationError as exc:
            self.errors.extend(validation_errors(doc, model, exc))
            return None

    def load_folder(self, folder: Path, model: type[T]) -> list[Sourced[T]]:
        items: list[Sourced[T]] = []
        if not folder.is_dir():
            return items
        for path in sorted(folder.rglob("*")):
            if path.suffix == ".yaml":
                self.errors.append(ContentError(path, 1, 1, "", "rename the file to end in .yml"))
                continue
            if path.suffix != ".yml":
                continue
            doc = self.parse(path)
            item = self.validate(doc, model) if doc is not None else None
            if item is not None and doc is not None:
                items.append(Sourced(item, doc))
                continue
            declared = doc.data.get("id") if doc is not None else None
            self.broken_ids.add(declared if isinstance(declared, str) else path.stem)
        return items


def _flatten(data: dict[str, object], prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _texts_path(key: str) -> tuple[str, ...]:
    return tuple(key.split("."))


def load_texts(shared_dir: Path, municipality_dir: Path | None, collector: _Collector) -> dict[str, dict[str, str]]:
    """UI texts per language; a municipality may override any shared key, and only those."""
    texts: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        path = shared_dir / "texts" / f"{lang}.yml"
        doc = collector.parse(path) if path.exists() else None
        base: dict[str, str] = {}
        if doc is not None:
            for key, value in _flatten(doc.data).items():
                if not isinstance(value, str):
                    collector.error(doc, _texts_path(key), "expected text")
                else:
                    base[key] = value
        if municipality_dir is not None:
            override = municipality_dir / "texts" / f"{lang}.yml"
            odoc = collector.parse(override) if override.exists() else None
            if odoc is not None:
                for key, value in _flatten(odoc.data).items():
                    if key not in base:
                        close = difflib.get_close_matches(key, list(base), n=1)
                        hint = f" — did you mean '{close[0]}'?" if close else ""
                        collector.error(odoc, _texts_path(key), f"unknown text '{key}'{hint}", key=True)
                    elif not isinstance(value, str):
                        collector.error(odoc, _texts_path(key), "expected text")
                    else:
                        base[key] = value
        texts[lang] = base
    reference = texts["fi"]
    for lang, values in texts.items():
        path = shared_dir / "texts" / f"{lang}.yml"
        for key in sorted(set(reference) - set(values)):
            collector.errors.append(ContentError(path, 1, 1, key, f"missing text '{key}' (it is in fi.yml)"))
    return texts


def _own_by_id(items: list[Sourced[Any]], kind: str, collector: _Collector) -> dict[str, Sourced[Any]]:
    """A municipality's own pages or forms by id; a second item with the same id is an error."""
    found: dict[str, Sourced[Any]] = {}
    for item in items:
        if item.item.id in found:
            first = found[item.item.id]
            collector.error(
                item.doc,
                ("id",),
                f"duplicate {kind} id '{item.item.id}' (also in {first.path.name}); give each {kind} its own id",
            )
            continue
        found[item.item.id] = item
    return found


def _resolve_forms(
    own: list[Sourced[Form]], shared: list[Sourced[Form]], collector: _Collector
) -> dict[str, Sourced[Form]]:
    """The municipality's forms, plus every shared form it does not replace (same id)."""
    forms: dict[str, Sourced[Form]] = _own_by_id(own, "form", collector)
    for form in shared:
        forms.setdefault(form.item.id, form)
    return forms


def load_content(municipality_dir: Path, shared_dir: Path) -> Content:
    """Load and check one municipality. Raises ContentErrors listing every problem found."""
    from .references import check_references

    collector = _Collector()
    municipality_dir = municipality_dir.resolve()
    shared_dir = shared_dir.resolve()
    site_path = municipality_dir / "site.yml"
    if not site_path.exists():
        raise ContentErrors(
            [ContentError(site_path, 1, 1, "", "site.yml is missing; create it with 'kuntasivu new SLUG --name NAME'")]
        )
    site_doc = collector.parse(site_path)
    site = collector.validate(site_doc, Site) if site_doc else None
    own_pages = collector.load_folder(municipality_dir / "pages", Page)
    shared_pages = collector.load_folder(shared_dir / "pages", Page)
    news = collector.load_folder(municipality_dir / "news", NewsItem)
    events = collector.load_folder(municipality_dir / "events", Event)
    before_texts = len(collector.errors)
    texts = load_texts(shared_dir, municipality_dir, collector)
    if len(collector.errors) > before_texts:
        raise ContentErrors(collector.errors)  # addresses are made from the texts: nothing else can be checked
    forms = _resolve_forms(
        collector.load_folder(municipality_dir / "forms", Form),
        collector.load_folder(shared_dir / "forms", Form),
        collector,
    )
    if site is None or site_doc is None:
        raise ContentErrors(collector.errors)

    pages = _resolve_pages(site, site_doc, own_pages, shared_pages, collector)
    content = Content(
        slug=municipality_dir.name,
        municipality_dir=municipality_dir,
        shared_dir=shared_dir,
        site=Sourced(site, site_doc),
        pages=pages,
        news=news,
        events=events,
        texts=texts,
        forms=forms,
        shared_page_ids={p.item.id for p in shared_pages},
        broken_ids=collector.broken_ids,
    )
    collector.errors.extend(check_references(content))
    if collector.errors:
        raise ContentErrors(collector.errors)
    return content


def _resolve_pages(
    site: Site,
    site_doc: YamlDocument,
    own: list[Sourced[Page]],
    shared: list[Sourced[Page]],
    collector: _Collector,
) -> dict[str, Sourced[Page]]:
    """Own pages, plus each shared page the site uses unless the municipality overrides it."""
    pages: dict[str, Sourced[Page]] = _own_by_id(own, "page", collector)
    shared_by_id = {p.item.id: p for p in shared}
    for index, use in enumerate(site.shared_pages):
        if use.page in pages:
            continue  # the municipality's own page of the same id replaces the shared one
        found = shared_by_id.get(use.page)
        if found is None:
            close = difflib.get_close_matches(use.page, list(shared_by_id), n=1)
            hint = f" — did you mean '{close[0]}'?" if close else f"; shared pages: {', '.join(sorted(shared_by_id))}"
            collector.error(site_doc, ("shared_pages", index), f"no shared page '{use.page}'{hint}")
            continue
        item = found.item.model_copy(update={"section": use.section}) if use.section else found.item
        pages[use.page] = Sourced(item, found.doc)
    return pages


__all__ = ["Content", "Model", "Sourced", "load_content"]
