"""Turn pydantic's validation errors into messages a communications officer can act on."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import ContentError
from .model import LANGUAGES
from .yamlsource import Path_, YamlDocument, dotted_path

_PATTERN_HINTS: dict[str, str] = {
    r"^[a-z0-9]+(-[a-z0-9]+)*$": (
        "use lower-case letters a–z, digits and single hyphens, e.g. 'kirjasto' (no ä, ö, å or spaces)"
    ),
    r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$": "is not an e-mail address, e.g. 'kirjaamo@kunta.fi'",
    r"^\+?[0-9][0-9 ()-]{4,}$": "is not a phone number, e.g. '02 577 211' or '+358 44 577 2100'",
    r"^https://[^\s]+$": "must be a full https:// address, e.g. 'https://www.kunta.fi/'",
    r"^assets/[A-Za-z0-9._/-]+$": (
        "must be a file under assets/, e.g. 'assets/kirjasto.jpg' (no spaces or ä, ö, å in file names)"
    ),
    r"^#[0-9a-fA-F]{6}$": "must be a colour as #rrggbb, e.g. '#00558c' (in quotes)",
    r"^[0-9]{5}$": "must be five digits in quotes, e.g. '38700'",
    r"^(kuntasivu|nu|axe|htmlcs)/\S+$": (
        "must be engine/rule as in the report, e.g. 'axe/color-contrast' (engines: kuntasivu, nu, axe, htmlcs)"
    ),
    r"^(\*|/\S*)$": "must be a page address starting with '/', e.g. '/palvelut/kartta/', or '*' for every page",
    r"^(https://[^\s/]+/([^\s]*/)?|http://(127\.0\.0\.1|localhost)(:[0-9]{1,5})?/([^\s]*/)?)$": (
        "must be the receiving service's https:// address ending with '/', e.g. 'https://lomakkeet.kunta.fi/'"
        " (http://127.0.0.1:PORT/ or http://localhost:PORT/ for local testing)"
    ),
    r"^[a-z][a-z0-9_]{0,39}$": (
        "is not a valid field name: start with a letter a–z, then letters a–z, digits and _ (at most 40), e.g. 'email'"
    ),
    r"^([^@\s]+@[^@\s]+\.[a-z]{2,}|\{\{ (accessibility_)?email \}\})$": (
        "is not an e-mail address, e.g. 'kirjaamo@kunta.fi' (shared forms may write '{{ email }}')"
    ),
}


def _leaf_types(annotation: Any) -> list[Any]:
    """The concrete types inside Annotated / Optional / Union wrappers."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _leaf_types(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [leaf for arg in typing.get_args(annotation) for leaf in _leaf_types(arg)]
    return [annotation]


def _step(annotation: Any, part: str | int) -> list[Any]:
    found: list[Any] = []
    for leaf in _leaf_types(annotation):
        origin = typing.get_origin(leaf)
        if isinstance(leaf, type) and issubclass(leaf, BaseModel):
            if isinstance(part, str) and part in leaf.model_fields:
                found.append(leaf.model_fields[part].annotation)
            elif isinstance(part, str) and _tag_of(leaf) == part:
                found.append(leaf)  # a discriminated-union tag: stay on the member
        elif origin is list and isinstance(part, int):
            found.append(typing.get_args(leaf)[0])
        elif origin is dict and isinstance(part, str):
            found.append(typing.get_args(leaf)[1])
    return found


def _tag_of(model: type[BaseModel]) -> str | None:
    field = model.model_fields.get("type")
    if field is None:
        return None
    args = typing.get_args(field.annotation)
    return str(args[0]) if args else None


def _fields_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    current: list[Any] = [model]
    for part in loc:
        current = [nxt for ann in current for nxt in _step(ann, part)]
    names: list[str] = []
    for ann in current:
        for leaf in _leaf_types(ann):
            if isinstance(leaf, type) and issubclass(leaf, BaseModel):
                names.extend(leaf.model_fields)
    return names


def _data_path(data: Any, loc: tuple[str | int, ...]) -> Path_:
    """Map pydantic's loc onto the YAML data, dropping union tags pydantic inserts."""
    path: list[str | int] = []
    node = data
    for part in loc:
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if (isinstance(node, dict) and part in node) or in_list:
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and (node.get("type") == part or "[" in part):
            continue  # discriminator tag or union member name
        elif isinstance(part, str) and part in ("datetime", "date", "str", "function-after[", "function-plain"):
            continue
        else:
            path.append(part)  # a missing field: its parent is what the position falls back to
            node = None
    return tuple(path)


def _union_member_name(part: str | int) -> bool:
    return isinstance(part, str) and (part in {"datetime", "date"} or "[" in part)


def _message(error: Any, model: type[BaseModel], loc: tuple[str | int, ...], raw: str | None) -> str:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        name = str(loc[-1])
        known = [n for n in _fields_at(model, loc[:-1]) if n != "type"]
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = (
            f" — did you mean '{close[0]}'?" if close else (f"; known fields here: {', '.join(known)}" if known else "")
        )
        return f"unknown field '{name}'{hint}"
    if kind == "missing":
        return f"missing required field '{loc[-1]}'"
    if kind == "string_type":
        if isinstance(value, (int, float, bool)):
            shown = raw if raw is not None else str(value)
            return f"expected text, but YAML reads {shown} as a number or true/false: put it in quotes, '{shown}'"
        return "expected text"
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(str(ctx.get("pattern")), f"does not match {ctx.get('pattern')}")
        return f"'{value}' {hint}" if hint.startswith(("is ", "must ")) else f"'{value}' is not valid: {hint}"
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        if loc and loc[0] == "languages":
            return f"unknown language code '{value}'; use one of {', '.join(LANGUAGES)}"
        if loc and loc[-1] == "type" and "fields" in loc:
            types = [t.strip(" '") for t in str(expected).replace(" or ", ", ").split(",")]
            close = difflib.get_close_matches(str(value), types, n=1, cutoff=0.6)
            hint = f" — did you mean '{close[0]}'?" if close else "."
            return f"unknown field type '{value}'{hint} Field types: {', '.join(types)}"
        return f"'{value}' is not allowed here; use one of {expected}"
    if kind == "union_tag_invalid":
        tag = ctx.get("tag")
        expected = [t.strip(" '") for t in str(ctx.get("expected_tags", "")).split(",")]
        close = difflib.get_close_matches(str(tag), expected, n=1, cutoff=0.6)
        hint = f" — did you mean '{close[0]}'?" if close else "."
        return f"unknown block type '{tag}'{hint} Block types: {', '.join(expected)}"
    if kind == "union_tag_not_found":
        return f"missing 'type'; use one of {ctx.get('expected_tags', '')}"
    if kind.startswith(("date_", "datetime_")) or kind in ("date_type", "datetime_type"):
        reason = error["msg"].split(",", 1)[1].strip() if "," in error["msg"] else "not a date"
        return f"invalid date or time {value!r} ({reason}); write a date as 2027-03-14 and a time as 2027-03-14T18:00"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"expected a whole number, got {value!r}"
    if kind in ("float_parsing", "float_type"):
        return f"expected a number, got {value!r}"
    if kind in ("bool_parsing", "bool_type"):
        return f"expected true or false, got {value!r}"
    if kind in ("list_type",):
        return "expected a list (lines starting with '- ')"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "expected a mapping of fields (key: value lines)"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length', 1)} item(s)"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"{value!r} is out of range ({error['msg'].lower()})"
    return str(error["msg"])


_FIELD_OF_ERROR = {
    "event_end": "end",
    "event_end_form": "end",
    "alt_and_decorative": "decorative",
    "link_text": "url",
    "languages_unique": "languages",
    "union_tag_invalid": "type",
    "form_fields": "fields",
}
"""Errors of checks across fields (model validators), and the field each one is about."""


def _at(data: Any, path: Path_) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def validation_errors(doc: YamlDocument, model: type[BaseModel], exc: ValidationError) -> list[ContentError]:
    """One ContentError per problem, positioned on the line that needs fixing."""
    out: list[ContentError] = []
    seen_union_paths: set[Path_] = set()
    for error in exc.errors():
        loc = tuple(error["loc"])
        path = _data_path(doc.data, loc)
        kind = error["type"]
        is_union_branch = any(_union_member_name(p) for p in loc)
        if is_union_branch:
            if path in seen_union_paths:
                continue
            seen_union_paths.add(path)
        message = _message(error, model, _model_loc(loc), doc.raw.get(path))
        field = _FIELD_OF_ERROR.get(kind)
        if field is not None and isinstance(_at(doc.data, path), dict) and field in _at(doc.data, path):
            path = (*path, field)  # a check across fields: point at the field to change
        pos = doc.position(path, prefer_key=kind == "extra_forbidden")
        out.append(ContentError(doc.path, pos.line, pos.column, dotted_path(path), message))
    return out


def _model_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Loc without union member names (keeps discriminator tags, which _step understands)."""
    return tuple(p for p in loc if not (isinstance(p, str) and (p in {"datetime", "date"} or "[" in p)))
