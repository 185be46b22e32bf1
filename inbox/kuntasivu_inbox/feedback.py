"""The location-based feedback exports of the build: <forms_dir>/<slug>/feedback.json, validated
against feedback.schema.json and reloaded when a file changes, like the form exports. Their
categories are published as Open311 GeoReport v2 services (jurisdiction_id = site)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .exports import ExportCache, ExportError, localized, read_export
from .forms import SLUG, Text

SCHEMA_PATH = Path(__file__).with_name("feedback.schema.json")


class FeedbackExportError(ExportError):
    """Raised by load_feedback for an export that is not valid; the message names the file."""


@dataclass(frozen=True)
class Choice:
    key: str
    name: Text


@dataclass(frozen=True)
class Question:
    code: str
    datatype: str
    required: bool
    label: Text
    description: Text | None
    values: tuple[Choice, ...]


@dataclass(frozen=True)
class Category:
    code: str
    name: Text
    description: Text
    owner: str
    group: Text | None
    keywords: tuple[str, ...]
    questions: tuple[Question, ...]

    def question(self, code: str) -> Question | None:
        return next((q for q in self.questions if q.code == code), None)


@dataclass(frozen=True)
class Forward:
    """site.yml feedback.open311: every report is posted on to this Open311 server (forward.py)."""

    endpoint: str
    """GeoReport v2 base address ending with /."""
    jurisdiction_id: str | None
    api_key_env: str | None
    """Name of the service's environment variable holding the API key (read at send time)."""


@dataclass(frozen=True)
class Feedback:
    site: str
    site_name: Text
    site_url: str
    origins: tuple[str, ...]
    languages: tuple[str, ...]
    agency: Text | None
    categories: tuple[Category, ...]
    bounds: tuple[float, float, float, float]
    """[south, west, north, east]"""
    retention_days: int
    privacy_url: Text
    thanks_url: Text
    stylesheets: tuple[str, ...]
    forward: Forward | None
    texts: dict[str, dict[str, str]]
    """The widget's labels and messages per language (PROTOCOL.md, "The feedback widget")."""

    def category(self, code: str) -> Category | None:
        return next((c for c in self.categories if c.code == code), None)

    def question(self, code: str) -> tuple[Category, Question] | None:
        """The question of this code in any category (codes are unique within a site)."""
        return next(((c, q) for c in self.categories for q in c.questions if q.code == code), None)

    def t(self, text: Text | None, lang: str) -> str:
        """A text in lang, else in the site's default language."""
        return localized(text, lang, self.languages)

    def message(self, key: str, lang: str) -> str:
        """A text of the widget in lang (else the site's default language; else the key itself)."""
        texts = self.texts.get(lang) or self.texts.get(self.languages[0]) or {}
        return texts.get(key, key)

    def inside(self, lat: float, long: float) -> bool:
        south, west, north, east = self.bounds
        return south <= lat <= north and west <= long <= east


def load_feedback(path: Path) -> Feedback:
    """Read and validate one export; the error names the file and the place in it."""
    return read_export(path, SCHEMA_PATH, _build, _check, FeedbackExportError, "feedback export")


def _build(d: dict[str, Any]) -> Feedback:
    categories = tuple(
        Category(
            code=c["code"],
            name=c["name"],
            description=c["description"],
            owner=c["owner"],
            group=c["group"],
            keywords=tuple(c["keywords"]),
            questions=tuple(
                Question(
                    code=q["code"],
                    datatype=q["datatype"],
                    required=q["required"],
                    label=q["label"],
                    description=q["description"],
                    values=tuple(Choice(v["key"], v["name"]) for v in q["values"]),
                )
                for q in c["questions"]
            ),
        )
        for c in d["categories"]
    )
    south, west, north, east = (float(b) for b in d["map"]["bounds"])
    forward = d["forward"]
    return Feedback(
        site=d["site"],
        site_name=d["site_name"],
        site_url=d["site_url"],
        origins=tuple(d["origins"]),
        languages=tuple(d["languages"]),
        agency=d.get("agency"),
        categories=categories,
        bounds=(south, west, north, east),
        retention_days=d["retention_days"],
        privacy_url=d["privacy_url"],
        thanks_url=d["thanks_url"],
        stylesheets=tuple(d["stylesheets"]),
        forward=Forward(forward["endpoint"], forward["jurisdiction_id"], forward["api_key_env"]) if forward else None,
        texts=d["texts"],
    )


def _check(feedback: Feedback, path: Path) -> list[str]:
    """What the schema cannot say: the site matches the path, codes are unique, lists have values."""
    problems = []
    if path.parent.name != feedback.site:
        problems.append(f"site {feedback.site} does not match the path <slug>/feedback.json")
    south, west, north, east = feedback.bounds
    if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
        problems.append("map.bounds must be [south, west, north, east] with south < north and west < east")
    codes = [c.code for c in feedback.categories]
    if len(codes) != len(set(codes)):
        problems.append("category codes are not unique")
    missing = [lang for lang in feedback.languages if lang not in feedback.texts]
    if missing:
        problems.append(f"texts missing for languages {', '.join(missing)}")
    # The widget names an answer attribute[code], so a code must mean one question in the site.
    asked = [q.code for c in feedback.categories for q in c.questions]
    shared = sorted({code for code in asked if asked.count(code) > 1})
    if shared and all(len({q.code for q in c.questions}) == len(c.questions) for c in feedback.categories):
        problems.append(f"question codes are used in more than one category: {', '.join(shared)}")
    for category in feedback.categories:
        if len({q.code for q in category.questions}) != len(category.questions):
            problems.append(f"category {category.code!r}: question codes are not unique")
        for q in category.questions:
            listed = q.datatype in ("singlevaluelist", "multivaluelist")
            if listed and not q.values:
                problems.append(f"category {category.code!r}, question {q.code!r}: a {q.datatype} needs values")
            if not listed and q.values:
                problems.append(f"category {category.code!r}, question {q.code!r}: only lists have values")
            if len({v.key for v in q.values}) != len(q.values):
                problems.append(f"category {category.code!r}, question {q.code!r}: value keys are not unique")
    return problems


class FeedbackRegistry:
    """The feedback exports under forms_dir, each re-read when its file changes; a file that
    became invalid keeps its last valid version (and is logged)."""

    def __init__(self, forms_dir: Path) -> None:
        self.forms_dir = forms_dir
        self._exports = ExportCache(load_feedback, "feedback export")

    def load_all(self) -> list[Feedback]:
        """Every export, validated; the first invalid one raises FeedbackExportError (startup)."""
        return [self._exports.load(path) for path in sorted(self.forms_dir.glob("*/feedback.json"))]

    def get(self, site: str) -> Feedback | None:
        if not SLUG.match(site):
            return None
        return self._exports.get(self.forms_dir / site / "feedback.json")

    def sites(self) -> list[str]:
        return sorted(p.parent.name for p in self.forms_dir.glob("*/feedback.json") if SLUG.match(p.parent.name))

    def all(self) -> list[Feedback]:
        found = (self.get(site) for site in self.sites())
        return [f for f in found if f is not None]
