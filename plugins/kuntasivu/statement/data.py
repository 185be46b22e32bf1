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
    """The authority's name in each language."""
    url: Text
    """Address of the authority's accessibility page, per language."""
    email: Email
    """The authority's e-mail address."""
    phone: Phone
    """The authority's phone number."""
    since: dt.date
    """The day from which the authority has supervised web accessibility."""


class Criterion(Model):
    """A WCAG success criterion."""

    level: Literal["A", "AA", "AAA"]
    """Conformance level of the criterion."""
    wcag: Literal["2.0", "2.1", "2.2"]
    """The WCAG version that added the criterion."""
    name: Text
    """The criterion's official short name."""
    plain: Text
    """What a resident misses when it fails, in one sentence."""
    obsolete_in: str | None = None
    """The WCAG version that removed the criterion, e.g. '2.2' for 4.1.1 Parsing."""


class StatementData(Model):
    """The whole shared file."""

    authority: Authority
    """The supervisory authority residents can turn to."""
    reason_types: dict[Literal["non-compliance", "disproportionate-burden", "outside-scope"], Text]
    """The EU model statement's sentence for each legal ground of a known issue."""
    status: dict[Literal["fully", "partially", "not"], Text]
    """The statement's sentence for each conformance status."""
    criteria: dict[str, Criterion]
    """WCAG success criteria by number, e.g. '1.1.1', with names and plain-language explanations."""


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
