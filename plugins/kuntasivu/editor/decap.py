"""The Decap CMS configuration (admin/config.yml) of a site, derived from the content's JSON Schemas.

Nothing here lists fields by hand: every property of the page, news, event, form and site schemas
becomes a Decap field, so the browser editor asks for exactly what `kuntasivu schema` tells VS Code
and what the build accepts. Engine-free: reads the content model, never MkDocs.

Languages are per field, not per file. Our content keeps the languages of a text side by side in
the same file (``title: {fi: Kirjasto, sv: Bibliotek}``, DESIGN.md); Decap's own i18n writes whole
files per language (multiple_folders, multiple_files) or one map per language at the top of the file
(single_file: ``fi: {title: …}``), and none of its structures writes a language map inside a field.
So a multilingual text becomes an object widget with one subfield per site language, and a
one-language site gets a plain string, as its files hold. A text that may also be one plain string
for every language (a contact's name, opening hours) gets our own widget (editor/widgets.js), as
Decap's object widget cannot open a plain string.
"""

from __future__ import annotations

from typing import Any

from ..content.model import LANGUAGES, Editor, Site
from ..schema import DATETIME_PATTERN, SAME_TEXT_KEYWORD, pattern_message
from ..schema import json_schema as editor_schema
from ..schema_files import HEADER_PREFIX, SCHEMA_DIR

JsonSchema = dict[str, Any]
DecapField = dict[str, Any]

DECAP_LOCALES = frozenset({"sv", "en"})
"""Site languages Decap 3.16 ships an interface translation for (decap-cms-locales has sv and en,
not fi): a Finnish site gets Decap's English interface, a Swedish one its Swedish."""

DECAP_DEFAULT_LOCALE = "en"


def interface_language(site_language: str) -> str:
    """The language of Decap's interface on a site whose first language is ``site_language``."""
    return site_language if site_language in DECAP_LOCALES else DECAP_DEFAULT_LOCALE


COLLECTIONS: tuple[tuple[str, str, str], ...] = (
    ("pages", "page", "Sivut – Pages"),
    ("news", "news", "Uutiset – News"),
    ("events", "event", "Tapahtumat – Events"),
    ("forms", "form", "Lomakkeet – Forms"),
)
"""Folder collections: folder under municipalities/<slug>/, schema name, label."""

TYPE_KEY = "type"
"""The property that tells a page block's (or form field's) kind apart; Decap's typeKey."""

GITLAB_API = "/api/v4"

SAME_TEXT_WIDGET = "kuntasivu-same-text"
"""Registered by editor/widgets.js: one input per language, written as one plain text when all agree."""
MISSING_LANGUAGE = "Anna teksti jokaisella kielellä – give the text in every language"


def json_schema(name: str) -> JsonSchema:
    """The JSON Schema editors get for ``name`` (schema.py), the one source of the fields."""
    return editor_schema(name)


def _is_same_text(node: JsonSchema) -> bool:
    return node.get(SAME_TEXT_KEYWORD) is True


class _Fields:
    """Turns one JSON Schema's properties into Decap fields for a site's languages."""

    def __init__(self, schema: JsonSchema, languages: list[str]) -> None:
        self.definitions: dict[str, JsonSchema] = {**schema.get("$defs", {}), **schema.get("definitions", {})}
        self.languages = languages

    def resolve(self, node: JsonSchema) -> JsonSchema:
        ref = node.get("$ref")
        if not isinstance(ref, str):
            return node
        target = self.definitions[ref.rsplit("/", 1)[-1]]
        # Keywords beside the $ref (title, description) say more about this use than the definition.
        return {**self.resolve(target), **{k: v for k, v in node.items() if k != "$ref"}}

    def is_text(self, node: JsonSchema) -> bool:
        """A multilingual Text: a $ref to the Text definition, or its inline form (string, or
        an object whose keys are language codes)."""
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.rsplit("/", 1)[-1] == "Text":
            return True
        options = node.get("anyOf") or node.get("oneOf") or []
        kinds = {option.get("type") for option in options if isinstance(option, dict)}
        language_map = any(
            option.get("type") == "object" and "propertyNames" in option
            for option in options
            if isinstance(option, dict)
        )
        return kinds == {"string", "object"} and language_map

    def fields(
        self, schema: JsonSchema, *, skip: frozenset[str] = frozenset(), optional_parent: bool = False
    ) -> list[DecapField]:
        """Decap fields of an object's properties. Inside an optional object (a news item's image)
        nothing is required and nothing has a default: Decap would demand the image file of an
        item without an image, and write {decorative: false} into one. The build still requires
        the file of an image that is given, and says so with file:line."""
        required = set() if optional_parent else set(schema.get("required", []))
        properties: dict[str, JsonSchema] = schema.get("properties", {})
        return [
            self.field(name, node, name in required, optional_parent=optional_parent)
            for name, node in properties.items()
            if name not in skip
        ]

    def field(self, name: str, node: JsonSchema, required: bool, *, optional_parent: bool = False) -> DecapField:
        inner = _without_null(node)
        label = node.get("title") or self.resolve(inner).get("title") or name
        hint = node.get("description") or self.resolve(inner).get("description")
        widget = self.widget(inner, node, required)
        if widget.get("widget") == "object" and "fields" in widget and not required and not self.is_text(inner):
            widget["fields"] = self.fields(self.resolve(inner), optional_parent=True)
        if optional_parent:
            widget.pop("default", None)
        out: DecapField = {"name": name, "label": label, **widget}
        if hint:
            out["hint"] = hint
        out["required"] = required
        return out

    def widget(self, node: JsonSchema, outer: JsonSchema, required: bool) -> DecapField:
        markdown = _is_markdown(node) or _is_markdown(outer)
        same = _is_same_text(node) or _is_same_text(outer)
        if self.is_text(node):
            return self.text(markdown, required, same=same)
        node = self.resolve(node)
        if self.is_text(node):
            return self.text(markdown or _is_markdown(node), required, same=same)
        options = node.get("anyOf") or node.get("oneOf")
        if options:
            return self.union(options, outer)
        kind = node.get("type")
        default = outer.get("default", node.get("default"))
        if "enum" in node or "const" in node:
            choices = node.get("enum") or [node["const"]]
            return {"widget": "select", "options": list(choices), **_scalar_default(default)}
        if kind == "boolean":
            return {"widget": "boolean", **_scalar_default(default)}
        if kind in ("integer", "number"):
            out: DecapField = {"widget": "number", "value_type": "int" if kind == "integer" else "float"}
            for keyword, key in (("minimum", "min"), ("maximum", "max")):
                if keyword in node:
                    out[key] = node[keyword]
            return {**out, **_scalar_default(default)}
        if kind == "string":
            return self.string(node, markdown, default)
        if kind == "array":
            return self.array(node)
        if kind == "object" and "properties" in node:
            return {"widget": "object", "fields": self.fields(node)}
        # A free-form map (redirects, accessibility rules): Decap has no widget that writes one.
        # 'hidden' keeps what the file holds; the hint says where to change it.
        return {"widget": "hidden"}

    def text(self, markdown: bool, required: bool, *, same: bool = False) -> DecapField:
        widget = "markdown" if markdown else "string"
        if len(self.languages) == 1:
            return {"widget": widget}
        if same and not markdown:
            return {
                "widget": SAME_TEXT_WIDGET,
                "languages": self.languages,
                "language_labels": {lang: LANGUAGES[lang] for lang in self.languages},
                "missing_language_message": MISSING_LANGUAGE,
            }
        return {
            "widget": "object",
            "collapsed": False,
            "fields": [
                {"name": lang, "label": LANGUAGES[lang], "widget": widget, "required": required}
                for lang in self.languages
            ],
        }

    def string(self, node: JsonSchema, markdown: bool, default: object) -> DecapField:
        pattern = node.get("pattern")
        if isinstance(pattern, str) and pattern.startswith("^assets/"):
            return {"widget": "image", "choose_url": False}
        fmt = node.get("format")
        if fmt == "date-time" or pattern == DATETIME_PATTERN:
            # schema.py writes a date with a time as a pattern (the YAML language server's date-time
            # wants seconds and a zone); Decap writes it as the content does, 2027-03-14T18:00.
            return {
                "widget": "datetime",
                "format": "YYYY-MM-DDTHH:mm",
                "date_format": "D.M.YYYY",
                "time_format": "H.mm",
            }
        if fmt == "date":
            return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "D.M.YYYY", "time_format": False}
        out: DecapField = {"widget": "markdown" if markdown else "string", **_scalar_default(default)}
        if isinstance(pattern, str):
            out["pattern"] = [pattern, pattern_message(node.get("examples"))]
        return out

    def array(self, node: JsonSchema) -> DecapField:
        items = node.get("items", {})
        if isinstance(items, list):
            return {"widget": "hidden"}  # a tuple (map bounds): no Decap widget writes one
        out: DecapField = {"widget": "list"}
        if "minItems" in node:
            out["min"] = node["minItems"]
        if "maxItems" in node:
            out["max"] = node["maxItems"]
        resolved = self.resolve(items) if not self.is_text(items) else items
        variants = resolved.get("oneOf") or resolved.get("anyOf")
        if variants and all(self._type_of(v) for v in variants):
            out["typeKey"] = TYPE_KEY
            out["types"] = [self.variant(v) for v in variants]
            return out
        if resolved.get("type") == "object" and "properties" in resolved:
            out["fields"] = self.fields(resolved)
            return out
        item = self.widget(items, items, True)
        if item.get("widget") == "hidden":
            # A list of items no widget can write: Decap would show staff empty rows they cannot fill
            # and could add; hidden, the whole list keeps what the file holds.
            return {"widget": "hidden"}
        out["field"] = {"name": "item", "label": node.get("title") or "item", **item}
        return out

    def _type_of(self, variant: JsonSchema) -> str | None:
        resolved = self.resolve(variant)
        type_node = resolved.get("properties", {}).get(TYPE_KEY, {})
        if "const" in type_node:
            return str(type_node["const"])
        enum = type_node.get("enum")
        return str(enum[0]) if isinstance(enum, list) and len(enum) == 1 else None

    def variant(self, variant: JsonSchema) -> DecapField:
        resolved = self.resolve(variant)
        name = self._type_of(variant)
        out: DecapField = {
            "name": name,
            "label": resolved.get("title") or name,
            "widget": "object",
            # Decap writes the type itself (typeKey); the hidden field keeps the property in the
            # form, and a block with no other settings (feedback) still has the field Decap requires.
            "fields": [
                {"name": TYPE_KEY, "widget": "hidden", "default": name},
                *self.fields(resolved, skip=frozenset({TYPE_KEY})),
            ],
        }
        if resolved.get("description"):
            out["hint"] = resolved["description"]
        return out

    def union(self, options: list[JsonSchema], outer: JsonSchema) -> DecapField:
        formats = {self.resolve(o).get("format") for o in options}
        if formats and formats <= {"date", "date-time"}:
            # An event's start: a day, or a day and a time; the editor asks for both.
            return self.string({"type": "string", "format": "date-time"}, False, None)
        strings = [self.resolve(o) for o in options if self.resolve(o).get("type") == "string"]
        if len(strings) == len(options):
            return self.string(strings[0], False, outer.get("default"))
        return {"widget": "hidden"}


def _without_null(node: JsonSchema) -> JsonSchema:
    """``X | None`` (anyOf X, null) as X: optionality is Decap's required: false."""
    options = node.get("anyOf")
    if not options:
        return node
    rest: list[JsonSchema] = [o for o in options if o.get("type") != "null"]
    if len(rest) == len(options):
        return node
    if len(rest) == 1:
        return rest[0]
    return {"anyOf": rest}


def _is_markdown(node: JsonSchema) -> bool:
    if node.get("contentMediaType") == "text/markdown":
        return True
    return any(_is_markdown(o) for o in (node.get("anyOf") or node.get("oneOf") or []) if isinstance(o, dict))


def _scalar_default(default: object) -> DecapField:
    return {"default": default} if isinstance(default, (str, int, float, bool)) else {}


def collection_fields(name: str, languages: list[str], *, depth: int) -> list[DecapField]:
    """The Decap fields of the content kind ``name`` (a schema name in schema.py) for a site whose
    files lie ``depth`` folders below the project folder."""
    schema = json_schema(name)
    fields = _Fields(schema, languages).fields(schema)
    return _with_schema_line(fields, name, depth)


def _with_schema_line(fields: list[DecapField], name: str, depth: int) -> list[DecapField]:
    """Decap rewrites a file from its fields and drops every comment, the editors' schema line
    too (schema_files.py); a field's ``comment`` is the one comment it writes, before that key.
    The first field is a required one (id, name) that every saved file has, and Decap writes the
    keys in field order, so the comment becomes the file's first line again."""
    first = fields[0]
    if not first.get("required"):
        raise ValueError(f"the first field of the {name} schema ({first['name']}) must be required")
    target = "../" * depth + f"{SCHEMA_DIR}/{name}.schema.json"
    # Decap puts '#' and a space before the comment.
    comment = HEADER_PREFIX.removeprefix("# ") + target
    return [{**first, "comment": comment}, *fields[1:]]


def backend(editor: Editor) -> dict[str, Any]:
    """Decap's ``backend`` section for the site.yml ``editor:`` settings."""
    out: dict[str, Any] = {"name": editor.backend}
    if editor.backend == "test-repo":
        return out
    out["repo"] = editor.repo
    out["branch"] = editor.branch
    if editor.backend == "github":
        out["base_url"] = editor.base_url
    else:
        out["auth_type"] = "pkce"
        out["app_id"] = editor.app_id
        if editor.base_url:
            host = editor.base_url.rstrip("/")
            out["base_url"] = host
            out["api_root"] = host + GITLAB_API
    if editor.auth_endpoint:
        out["auth_endpoint"] = editor.auth_endpoint
    return out


def decap_config(site: Site, slug: str) -> dict[str, Any]:
    """The whole admin/config.yml of a site that has an ``editor:`` section."""
    if site.editor is None:
        raise ValueError(f"site {slug} has no editor: section")
    languages: list[str] = list(site.languages)
    base = f"municipalities/{slug}"
    config: dict[str, Any] = {
        "backend": backend(site.editor),
        "publish_mode": "editorial_workflow",
        "media_folder": f"{base}/assets",
        "public_folder": "assets",
        "site_url": site.site_url,
        "display_url": site.site_url,
    }
    if languages[0] in DECAP_LOCALES:
        config["locale"] = interface_language(languages[0])
    collections: list[dict[str, Any]] = []
    for folder, schema_name, label in COLLECTIONS:
        collections.append(
            {
                "name": folder,
                "label": label,
                "folder": f"{base}/{folder}",
                "extension": "yml",
                "format": "yml",
                "create": True,
                # Every sample file is named by its id (news/2026-11-vesikatko-keskustassa.yml has
                # id 2026-11-vesikatko-keskustassa), and the loader reports a different name.
                "identifier_field": "id",
                "slug": "{{fields.id}}",
                "summary": "{{fields.id}}",
                "fields": collection_fields(schema_name, languages, depth=3),
            }
        )
    collections.append(
        {
            "name": "settings",
            "label": "Asetukset – Settings",
            "editor": {"preview": False},
            "files": [
                {
                    "name": "site",
                    "label": "Sivuston asetukset – Site settings",
                    "file": f"{base}/site.yml",
                    "format": "yml",
                    "fields": collection_fields("site", languages, depth=2),
                }
            ],
        }
    )
    config["collections"] = collections
    return config
