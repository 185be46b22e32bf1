"""JSON Schemas of the content files, for editors (VS Code's YAML extension), Decap CMS and CI.

The models in content/ are the one truth about what a file may say; this module turns them
into draft-07 schemas, the draft redhat's YAML language server handles fully. Pydantic writes
2020-12 (``$defs``, ``prefixItems``, a ``discriminator`` keyword), so its output is rewritten:
``definitions`` and ``#/definitions/X`` references, tuples as ``items: [...]``, no null branches
for optional fields (leaving the key out is how a file says "none"), and every multilingual
text as a ``$ref`` to one ``Text`` definition so that tools (the Decap configuration) can tell
a text field from a plain string.

Each property gets a Finnish label as ``title`` and a description in Finnish and English: the
English is the field's docstring in the model, the Finnish comes from schema_fi.yml, written
for a communications officer. A test keeps the catalogue complete.

Dates get ``format: date``. A date with a time is written '2027-03-14T18:00' in the content,
which the language server's ``date-time`` format (RFC 3339: seconds and a time zone required)
would flag, so those fields get DATETIME_PATTERN instead.
"""

from __future__ import annotations

import ast
import copy
import inspect
import itertools
import json
import textwrap
import typing
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .content.forms import Form
from .content.model import LANGUAGES, SAME_IN_ALL_LANGUAGES, Event, NewsItem, Page, Site, Text, is_markdown_field
from .content.yamlsource import parse_yaml
from .schema_files import (
    SCHEMA_DIR,
    SCHEMA_FILES,
    HeaderProblem,
    fix_headers,
    header_problems,
    schema_file,
    schema_line,
)
from .statement.data import StatementData

DRAFT = "http://json-schema.org/draft-07/schema#"

MODELS: dict[str, type[BaseModel]] = {
    "site": Site,
    "page": Page,
    "news": NewsItem,
    "event": Event,
    "form": Form,
    "accessibility": StatementData,
}
"""Schema name → model; the 'texts' schema is made from site_src/texts/fi.yml instead."""

TITLES: dict[str, str] = {
    "site": "Sivuston asetukset (site.yml)",
    "page": "Palvelusivu (pages/*.yml)",
    "news": "Uutinen (news/*.yml)",
    "event": "Tapahtuma (events/*.yml)",
    "form": "Lomake (forms/*.yml)",
    "texts": "Käyttöliittymän tekstit (texts/*.yml)",
    "accessibility": "Saavutettavuusselosteen yhteiset tiedot (site_src/data/accessibility.yml)",
}

DATETIME_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$"
)
"""A date, or a date and time as pydantic reads them: 2027-03-14 or 2027-03-14T18:00."""

TEXT_REF = "#/definitions/Text"
PATTERN_MESSAGE = "patternErrorMessage"
"""What the YAML language server (and VS Code) says instead of 'String does not match the pattern
"^[0-9]{5}$"': a keyword of their own, which other validators ignore."""
SAME_TEXT_KEYWORD = "x-same-in-all-languages"
"""Marks a Text field where one plain text may serve every language (model.SAME_IN_ALL_LANGUAGES):
a contact's name, opening hours. Validators and the YAML language server ignore an unknown
keyword; the Decap configuration gives such a field a widget that reads and writes both forms."""
CATALOGUE_PATH = Path(__file__).with_name("schema_fi.yml")

_TEXT_ANY_OF = Text.__get_pydantic_json_schema__(None, None)["anyOf"]  # type: ignore[arg-type]
_ANNOTATIONS = ("title", "description", "default", "examples")

TEXT_DEFINITION: dict[str, Any] = {
    "title": "Teksti",
    "description": "Yksi teksti, tai teksti kullakin sivuston kielellä: {fi: Kirjasto, sv: Bibliotek}. "
    "Kaksikielisellä sivustolla anna teksti jokaisella sivuston kielellä.\n\n"
    "A text, or one text per language of the site: {fi: Kirjasto, sv: Bibliotek}.",
    "anyOf": [
        {"type": "string"},
        {
            "type": "object",
            "properties": {lang: {"type": "string", "title": name} for lang, name in LANGUAGES.items()},
            "additionalProperties": False,
            "minProperties": 1,
        },
    ],
    "examples": ["Kirjasto", {"fi": "Kirjasto", "sv": "Bibliotek"}],
}


class CatalogueError(Exception):
    """schema_fi.yml is broken: a missing, extra or malformed entry."""


@cache
def catalogue() -> dict[str, dict[str, Any]]:
    """The Finnish labels and descriptions, keyed 'Model.field' (read as YAML 1.2)."""
    doc, errors = parse_yaml(CATALOGUE_PATH)
    if errors:
        raise CatalogueError("; ".join(e.format() for e in errors))
    data = doc.data or {}
    for key, entry in data.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("label"), str) or not entry.get("description"):
            line = doc.position((key,)).line
            raise CatalogueError(f"{CATALOGUE_PATH.name}:{line}: '{key}' needs 'label' and 'description'")
    return dict(data)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found.append(annotation)
    for arg in typing.get_args(annotation):
        found.extend(_models_in(arg))
    return found


def reachable_models(model: type[BaseModel]) -> list[type[BaseModel]]:
    """``model`` and every model its fields use, each once."""
    seen: dict[type[BaseModel], None] = {}
    todo = [model]
    while todo:
        current = todo.pop(0)
        if current in seen:
            continue
        seen[current] = None
        for info in current.model_fields.values():
            todo.extend(_models_in(info.annotation))
            for meta in info.metadata:
                todo.extend(_models_in(meta))
    return list(seen)


@cache
def field_docs(klass: type) -> dict[str, str]:
    """The attribute docstrings of ``klass``'s own fields. Pydantic prefers a description on the
    field's type (Id's generic one) over the docstring; the docstring says what this field is."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
    except (OSError, TypeError):
        return {}
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    docs: dict[str, str] = {}
    for statement, following in itertools.pairwise(body):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[statement.target.id] = inspect.cleandoc(following.value.value)
    return docs


def english(model: type[BaseModel], field: str) -> str | None:
    """The English documentation of a field: its docstring, else pydantic's description."""
    doc = field_docs(defining_class(model, field)).get(field)
    return doc or model.model_fields[field].description


def defining_class(model: type[BaseModel], field: str) -> type[BaseModel]:
    """The class that declares ``field``: a ContactBlock's 'name' is documented on ContactCard."""
    for klass in model.__mro__:
        if field in inspect.get_annotations(klass):
            return klass
    return model


def field_key(model: type[BaseModel], field: str) -> str:
    return f"{defining_class(model, field).__name__}.{field}"


def variant_models() -> set[type[BaseModel]]:
    """The models told apart by a fixed ``type`` (a page's blocks): staff choose among them by name
    (Decap's 'Add' menu, VS Code's completion), so each has a Finnish name of its own."""
    return {
        model
        for root in MODELS.values()
        for model in reachable_models(root)
        if "type" in model.model_fields and _is_one_literal(model.model_fields["type"].annotation)
    }


def _is_one_literal(annotation: Any) -> bool:
    """``Literal["contact"]``: one fixed value (a form field's type, a Literal of many, is no variant)."""
    return typing.get_origin(annotation) is typing.Literal and len(typing.get_args(annotation)) == 1


def catalogue_keys() -> set[str]:
    """Every 'Model.field' the Finnish catalogue must describe, and every variant model by its name."""
    fields = {
        field_key(model, field)
        for root in MODELS.values()
        for model in reachable_models(root)
        for field in model.model_fields
    }
    return fields | {model.__name__ for model in variant_models()}


def check_catalogue() -> None:
    """Raise CatalogueError naming every field without a Finnish entry and every entry whose
    field is gone, so that a renamed field is caught when the schemas are written."""
    expected, written = catalogue_keys(), set(catalogue())
    problems = [f"no entry '{key}'; add its label and description" for key in sorted(expected - written)]
    problems += [f"'{key}' names no field of the models; remove or rename it" for key in sorted(written - expected)]
    if problems:
        raise CatalogueError("\n".join(f"plugins/kuntasivu/{CATALOGUE_PATH.name}: {p}" for p in problems))


def _normalise(node: Any) -> Any:
    """Rewrite pydantic's output into draft-07 as described in the module docstring."""
    if isinstance(node, list):
        return [_normalise(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _normalise(value) for key, value in node.items() if key != "discriminator"}
    if "$ref" in node:
        node["$ref"] = node["$ref"].replace("#/$defs/", "#/definitions/")
    if "prefixItems" in node:
        node["items"] = node.pop("prefixItems")
        node["additionalItems"] = False
    if node.get("format") == "date-time":
        del node["format"]
        node["pattern"] = DATETIME_PATTERN
    if "anyOf" in node:
        branches = [b for b in node["anyOf"] if b != {"type": "null"}]
        if node.get("default", 0) is None:
            del node["default"]
        annotations = {key: value for key, value in node.items() if key != "anyOf"}
        if branches == _TEXT_ANY_OF or (len(branches) == 1 and branches[0].get("anyOf") == _TEXT_ANY_OF):
            return {"$ref": TEXT_REF, **annotations}
        if any(b.get("pattern") == DATETIME_PATTERN for b in branches) and all(
            b.get("pattern") == DATETIME_PATTERN or b.get("format") == "date" for b in branches
        ):
            return {"type": "string", "pattern": DATETIME_PATTERN, **annotations}  # datetime | date: one string
        if len(branches) == 1:
            # The field's own title and description win; the type's examples (Phone's) are kept.
            inner = dict(branches[0])
            inner.update({key: value for key, value in annotations.items() if key != "examples" or key not in inner})
            return inner
        node["anyOf"] = branches
    return node


def pattern_message(examples: list[Any] | None) -> str:
    """The message for a value that does not have the form its field asks for, in Finnish and English,
    with the field's first example (the Decap configuration uses it too)."""
    example = f" (esim. – e.g. {examples[0]})" if examples and isinstance(examples[0], str) else ""
    return f"Tarkista muoto – check the form{example}"


_NAMED_SCHEMAS = ("properties", "definitions", "patternProperties")
"""Keywords whose value maps names (a field's, a definition's) to schemas: its keys are not keywords."""
_SUBSCHEMAS = ("items", "additionalItems", "anyOf", "oneOf", "allOf", "not", "if", "then", "else")


def _pattern_messages(schema: Any, examples: list[Any] | None = None) -> None:
    """Give every string pattern in ``schema`` its message, with the nearest examples above it
    (a phone field's examples serve the pattern inside its anyOf)."""
    if isinstance(schema, list):
        for item in schema:
            _pattern_messages(item, examples)
        return
    if not isinstance(schema, dict):
        return
    if isinstance(schema.get("examples"), list):
        examples = schema["examples"]
    if isinstance(schema.get("pattern"), str):
        schema.setdefault(PATTERN_MESSAGE, pattern_message(examples))
    for key, value in schema.items():
        if key in _NAMED_SCHEMAS and isinstance(value, dict):
            for named in value.values():
                _pattern_messages(named)  # a field has examples of its own, not its parent's
        elif key in _SUBSCHEMAS:
            _pattern_messages(value, examples)


def _describe(prop: dict[str, Any], model: type[BaseModel], field: str) -> dict[str, Any]:
    key = field_key(model, field)
    entry = catalogue().get(key)
    if entry is None:
        raise CatalogueError(f"{CATALOGUE_PATH.name} has no entry '{key}'; add its label and description")
    english_text = english(model, field)
    finnish = str(entry["description"]).strip()
    prop["title"] = entry["label"]
    prop["description"] = f"{finnish}\n\n{' '.join(english_text.split())}" if english_text else finnish
    if "examples" in entry:
        prop["examples"] = entry["examples"]
    if is_markdown_field(model, field):  # content/pages.py renders it as Markdown
        prop["contentMediaType"] = "text/markdown"
    if SAME_IN_ALL_LANGUAGES in model.model_fields[field].metadata:
        prop[SAME_TEXT_KEYWORD] = True
    return prop


def _model_schema(name: str) -> dict[str, Any]:
    model = MODELS[name]
    raw = _normalise(model.model_json_schema(ref_template="#/definitions/{model}"))
    definitions: dict[str, Any] = raw.pop("definitions", raw.pop("$defs", {}))
    by_name = {klass.__name__: klass for klass in reachable_models(model)}
    for def_name, definition in [("", raw), *definitions.items()]:
        klass = by_name[def_name] if def_name else model
        for field, prop in definition.get("properties", {}).items():
            _describe(prop, klass, field)
        if def_name in catalogue():  # a variant's Finnish name instead of the class name
            entry = catalogue()[def_name]
            english_text = " ".join((inspect.getdoc(klass) or "").split())
            definition["title"] = entry["label"]
            definition["description"] = f"{str(entry['description']).strip()}\n\n{english_text}".strip()
    if name == "site":
        # SharedPageUse also takes a plain page id (its 'before' validator): '- tietosuoja'.
        items = raw["properties"]["shared_pages"]["items"]
        id_schema = copy.deepcopy(definitions["SharedPageUse"]["properties"]["page"])
        raw["properties"]["shared_pages"]["items"] = {"anyOf": [id_schema, items]}
    definitions["Text"] = copy.deepcopy(TEXT_DEFINITION)
    _pattern_messages(raw)
    _pattern_messages({"definitions": definitions})
    return {
        "$schema": DRAFT,
        **raw,
        "title": TITLES[name],
        "definitions": dict(sorted(definitions.items())),
    }


def _texts_node(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return {
            "type": "object",
            "properties": {key: _texts_node(item) for key, item in value.items()},
            "additionalProperties": False,
        }
    return {"type": "string", "description": f"Suomeksi: {value}", "examples": [value]}


def _texts_schema(root: Path) -> dict[str, Any]:
    """From site_src/texts/fi.yml: each key a known property with its Finnish text as example.

    Unknown keys are refused: a municipality may only override shared keys (content/loading.py
    load_texts), and a new shared key goes into fi.yml first, which makes this schema stale
    until `kuntasivu schema` runs. Nothing is required, as an override file gives only some keys;
    the loader itself says which keys sv.yml or en.yml still lack."""
    doc, errors = parse_yaml(root / "site_src" / "texts" / "fi.yml")
    if errors or not isinstance(doc.data, dict):
        raise CatalogueError(f"site_src/texts/fi.yml cannot be read: {errors[0].message if errors else 'empty'}")
    node = _texts_node(doc.data)
    return {
        "$schema": DRAFT,
        "title": TITLES["texts"],
        "description": "Sivuston käyttöliittymän tekstit. Kunta voi korvata yhteisen tekstin omalla "
        "tiedostollaan municipalities/<kunta>/texts/fi.yml, samalla avaimella.\n\n"
        "UI texts of the theme; a municipality may override any shared key in its own texts/<lang>.yml.",
        **node,
    }


def json_schema(name: str, root: Path | None = None) -> dict[str, Any]:
    """The finished draft-07 schema ``name`` (a key of SCHEMA_FILES) as a dict. ``root`` is the
    project folder, needed for 'texts' (default: the folder this package was installed from)."""
    if name == "texts":
        return _texts_schema(root or _default_root())
    if name not in MODELS:
        raise KeyError(f"no schema '{name}'; schemas: {', '.join(SCHEMA_FILES)}")
    return _model_schema(name)


def _default_root() -> Path:
    from .cli import find_root

    return find_root(Path.cwd())


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schemas(out_dir: Path, root: Path) -> list[Path]:
    """Write every schema into ``out_dir``; only files whose text changes are rewritten."""
    check_catalogue()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMA_FILES:
        path = out_dir / f"{name}.schema.json"
        text = render(json_schema(name, root))
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def stale_schemas(root: Path) -> list[str]:
    """What is wrong with schemas/ in ``root``: one message per missing or outdated file."""
    check_catalogue()
    problems = []
    for name in SCHEMA_FILES:
        path = schema_file(root, name)
        shown = path.relative_to(root).as_posix()
        if not path.is_file():
            problems.append(f"{shown}: missing; run: kuntasivu schema")
        elif path.read_text(encoding="utf-8") != render(json_schema(name, root)):
            problems.append(
                f"{shown}: out of date (the models, schema_fi.yml or site_src/texts/fi.yml changed); "
                "run: kuntasivu schema"
            )
    return problems


__all__ = [
    "SCHEMA_DIR",
    "SCHEMA_FILES",
    "HeaderProblem",
    "fix_headers",
    "header_problems",
    "json_schema",
    "schema_line",
    "stale_schemas",
    "write_schemas",
]
