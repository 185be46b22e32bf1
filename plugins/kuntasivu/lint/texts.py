"""Every text of a municipality's content, one per language, with where it is written.

Checks get plain (value, language, place) triples and never need to know whether a text was
given once for every language or once per language.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..content.loading import Content, Sourced
from ..content.model import Image, Text, is_markdown_field
from ..content.text_positions import TextPositions
from ..content.yamlsource import Path_, Position, YamlDocument


@dataclass
class Located:
    """One language's text of one field, with its file positions."""

    source: Sourced[Any]
    path: Path_
    """Where the text is in the YAML data, including the language key when given per language."""
    field_path: Path_
    """The field itself, without a language key."""
    lang: str
    value: str
    owner: BaseModel
    """The model the field belongs to (a Page, an Image…)."""

    @property
    def doc(self) -> YamlDocument:
        return self.source.doc

    def position(self, offset: int = 0) -> Position:
        return TextPositions(self.doc, self.path, self.value).at(offset)

    @property
    def is_markdown(self) -> bool:
        name = self.field_path[-1] if self.field_path else None
        return isinstance(name, str) and is_markdown_field(type(self.owner), name)


def sources(content: Content) -> list[Sourced[Any]]:
    """The files a municipality's site is made of (shared pages it uses included; forms have their own
    checks in the loader)."""
    return [content.site, *content.pages.values(), *content.news, *content.events]


def walk(obj: Any, path: Path_, owner: BaseModel | None) -> Iterator[tuple[Path_, Any, BaseModel | None]]:
    yield path, obj, owner
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            if name in obj.model_fields_set:
                yield from walk(getattr(obj, name), (*path, name), obj)
    elif isinstance(obj, list):
        for index, item in enumerate(obj):
            yield from walk(item, (*path, index), owner)
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from walk(item, (*path, key), owner)


def split_text(content: Content, source: Sourced[Any], path: Path_, text: Text, owner: BaseModel) -> list[Located]:
    if text.plain is not None:
        return [Located(source, path, path, lang, text.plain, owner) for lang in content.languages[:1]]
    return [Located(source, (*path, lang), path, lang, value, owner) for lang, value in text.by_lang.items()]


def texts(content: Content) -> Iterator[Located]:
    """Every language's text of every field in the municipality's files."""
    for source in sources(content):
        for path, value, owner in walk(source.item, (), None):
            if isinstance(value, Text) and owner is not None:
                yield from split_text(content, source, path, value, owner)


def images(content: Content) -> Iterator[tuple[Sourced[Any], Path_, Image]]:
    """Every image field (page, news, event and hero images) with its data path."""
    for source in sources(content):
        for path, value, _ in walk(source.item, (), None):
            if isinstance(value, Image):
                yield source, path, value
