"""Shared statement data (site_src/data/accessibility.yml): the supervisory authority, the
reasons and status sentences of the EU model statement, and WCAG criteria in plain words."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from ..content.errors import ContentError, ContentErrors
from ..content.model import Email, Model, Phone, Text
from ..content.validation import validation_errors
from ..content.yamlsource import parse_yaml


class Authority(Model):
    """The supervisory authority residents can turn to."""

    name: Text
    url: Text
    email: Email
    phone: Phone
    since: dt.date


class Criterion(Model):
    """A WCAG success criterion."""

    level: Literal["A", "AA", "AAA"]
    wcag: Literal["2.0", "2.1", "2.2"]
    name: Text
    """The criterion's official short name."""
    plain: Text
    """What a resident misses when it fails, in one sentence."""
    obsolete_in: str | None = None


class StatementData(Model):
    """The whole shared file."""

    authority: Authority
    reason_types: dict[Literal["non-compliance", "disproportionate-burden", "outside-scope"], Text]
    status: dict[Literal["fully", "partially", "not"], Text]
    criteria: dict[str, Criterion]


def load_statement_data(shared_dir: Path) -> StatementData:
    """Load and validate the shared file; problems are ContentErrors with file:line."""
    path = shared_dir / "data" / "accessibility.yml"
    if not path.is_file():
        raise ContentErrors([ContentError(path, 1, 1, "", "the shared accessibility data file is missing")])
    doc, errors = parse_yaml(path)
    if errors:
        raise ContentErrors(errors)
    try:
        return StatementData.model_validate(doc.data)
    except ValidationError as exc:
        raise ContentErrors(validation_errors(doc, StatementData, exc)) from None
