"""Check a YAML file against its editor schema, with file:line messages like the loader's.

The tests use this to prove that the schemas accept every sample file and explain a wrong
one; editors do the same with the schema itself. jsonschema is a development dependency, so
`kuntasivu schema` does not import this module.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError, best_match

from .content.errors import ContentError
from .content.yamlsource import YamlDocument, dotted_path, parse_yaml
from .schema import json_schema
from .schema_files import schema_name


def schema_errors(path: Path, root: Path, name: str | None = None) -> list[ContentError]:
    """Check one YAML file against its schema (``name``, by default the one its path calls for),
    with file:line for each problem as an editor would show them. The file is read as YAML 1.2,
    like the YAML language server reads it: dates, 'no' and '8:00' stay text."""
    name = name or schema_name(path, root)
    if name is None:
        return [ContentError(path, 1, 1, "", "no schema is for this file (see SCHEMA_FILES in schema_files.py)")]
    doc, errors = parse_yaml(path)
    if errors:
        return errors
    validator = Draft7Validator(json_schema(name, root), format_checker=Draft7Validator.FORMAT_CHECKER)
    found: list[ContentError] = []
    for error in validator.iter_errors(doc.data):
        for leaf in _leaf_errors(error):
            found.extend(_explain(doc, leaf))
    return sorted(set(found), key=lambda e: (e.line, e.column, e.message))


def _leaf_errors(error: ValidationError) -> list[ValidationError]:
    """The errors that say what is wrong. For anyOf/oneOf (a Text, a page block) the branch the
    value was meant for: not one whose 'type' constant or JSON type already fails."""
    if not error.context:
        return [error]
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    meant = [
        subs for subs in branches.values()
        if not any(
            (sub.validator == "const" and list(sub.relative_path) == ["type"])
            or (sub.validator == "type" and not sub.relative_path)
            for sub in subs
        )
    ]  # fmt: skip
    if not meant:
        return _leaf_errors(best_match(error.context))
    chosen = min(meant, key=len)
    return [leaf for sub in chosen for leaf in _leaf_errors(sub)]


def _explain(doc: YamlDocument, error: ValidationError) -> list[ContentError]:
    where = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = list(schema.get("properties", {}))
        errors = []
        for key in error.instance:
            if key in known or not isinstance(key, str):
                continue
            close = difflib.get_close_matches(key, known, n=1)
            hint = f" — did you mean '{close[0]}'?" if close else f"; known fields: {', '.join(known)}"
            position = doc.position((*where, key), prefer_key=True)
            errors.append(ContentError(doc.path, position.line, position.column, dotted_path((*where, key)),
                                       f"unknown field '{key}'{hint}"))  # fmt: skip
        return errors
    position = doc.position(where)
    if error.validator == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else error.message
        message = f"missing required field '{missing}'"
    else:
        message = error.message
        examples = schema.get("examples")
        if error.validator in ("pattern", "format", "type") and examples:
            message += f" (e.g. {json.dumps(examples[0], ensure_ascii=False)})"
    return [ContentError(doc.path, position.line, position.column, dotted_path(where), message)]
