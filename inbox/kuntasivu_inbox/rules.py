"""The validation rules of PROTOCOL.md, identical to the page's script: one error per field,
messages from the export's texts in the submission's language."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .forms import CHOICE_TYPES, TEXT_TYPES, Field, Form

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
TEL = re.compile(r"\+?[0-9][0-9 ()-]{4,}")
NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
INTEGER = re.compile(r"[+-]?[0-9]+")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PLACEHOLDER = re.compile(r"\{(\w+)\}")

Value = str | list[str]

TRIMMED = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
"""What JavaScript's String.prototype.trim() removes (its WhiteSpace and LineTerminator), so the
page and the service trim alike; Python's str.strip() also removes U+001C-U+001F and keeps U+FEFF."""


@dataclass(frozen=True)
class FieldError:
    field: str | None
    code: str
    message: str


def fill(template: str, **values: object) -> str:
    """Replace {name} placeholders that are given; leave anything else as it is."""
    return PLACEHOLDER.sub(lambda m: str(values[m[1]]) if m[1] in values else m[0], template)


def show(limit: float | str | None) -> str:
    if isinstance(limit, float) and limit.is_integer():
        return str(int(limit))
    return str(limit)


def clean(field: Field, given: list[str]) -> Value:
    """Trimmed value; a list for checkboxes. Textarea line breaks become \\n as in the browser."""
    if field.type == "checkboxes":
        return list(dict.fromkeys(v.strip(TRIMMED) for v in given if v.strip(TRIMMED)))
    value = given[0].strip(TRIMMED) if given else ""
    return value.replace("\r\n", "\n").replace("\r", "\n") if field.type == "textarea" else value


def check(form: Form, field: Field, value: Value, lang: str) -> FieldError | None:
    code, params = _code(field, value)
    if code is None:
        return None
    template = form.message(code, lang)
    if code == "pattern" and field.pattern_message:
        template = form.t(field.pattern_message, lang)
    return FieldError(field.name, code, fill(template, label=form.t(field.label, lang), **params))


def validate(form: Form, given: dict[str, list[str]], lang: str) -> tuple[dict[str, Value], list[FieldError]]:
    values: dict[str, Value] = {}
    errors = []
    for field in form.fields:
        values[field.name] = clean(field, given.get(field.name, []))
        error = check(form, field, values[field.name], lang)
        if error is not None:
            errors.append(error)
    return values, errors


def _code(field: Field, value: Value) -> tuple[str | None, dict[str, str]]:
    if field.type == "checkboxes":
        assert isinstance(value, list)
        if not value:
            return ("required_choice" if field.required else None), {}
        return ("choice" if any(field.option(v) is None for v in value) else None), {}
    assert isinstance(value, str)
    if field.type == "consent":
        if value != "yes" and (field.required or value):
            return ("consent" if field.required else "choice"), {}
        return None, {}
    if not value:
        if not field.required:
            return None, {}
        return ("required_choice" if field.type in CHOICE_TYPES else "required"), {}
    if field.type in CHOICE_TYPES:
        return ("choice" if field.option(value) is None else None), {}
    if field.type in TEXT_TYPES:
        return _text(field, value)
    if field.type == "number":
        return _number(field, value)
    if field.type == "date":
        return _date(field, value)
    return None, {}


def _text(field: Field, value: str) -> tuple[str | None, dict[str, str]]:
    """Format, then pattern, then length: the order of the page's script (forms.js, check)."""
    if field.type == "email" and not EMAIL.fullmatch(value):
        return "email", {}
    if field.type == "tel" and not TEL.fullmatch(value):
        return "tel", {}
    # re.ASCII: \d and \w mean what they mean in JavaScript ([0-9], [A-Za-z0-9_])
    if field.pattern is not None and field.type in ("text", "tel") and not re.fullmatch(field.pattern, value, re.ASCII):
        return "pattern", {}
    if field.min_length is not None and len(value) < field.min_length:
        return "too_short", {"min": str(field.min_length)}
    if field.max_length is not None and len(value) > field.max_length:
        return "too_long", {"max": str(field.max_length)}
    return None, {}


def number(value: str) -> Decimal | None:
    if len(value) > 40 or not NUMBER.fullmatch(value):
        return None
    try:
        return Decimal(value.replace(",", "."))
    except InvalidOperation:
        return None


def _number(field: Field, value: str) -> tuple[str | None, dict[str, str]]:
    n = number(value)
    if n is None:
        return "number", {}
    if field.integer and not INTEGER.fullmatch(value):
        return "integer", {}
    if field.min is not None and n < Decimal(str(field.min)):
        return "too_small", {"min": show(field.min)}
    if field.max is not None and n > Decimal(str(field.max)):
        return "too_large", {"max": show(field.max)}
    return None, {}


def _date(field: Field, value: str) -> tuple[str | None, dict[str, str]]:
    if not DATE.fullmatch(value):
        return "date", {}
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return "date", {}
    if field.min is not None and value < str(field.min):
        return "too_small", {"min": show(field.min)}
    if field.max is not None and value > str(field.max):
        return "too_large", {"max": show(field.max)}
    return None, {}
