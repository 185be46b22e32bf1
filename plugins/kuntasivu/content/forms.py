"""Forms residents fill in on the site (forms/*.yml), as typed models.

A form is data like a page: the shared library (site_src/forms/) has forms every site may
use, and a municipality's own form with the same id replaces the shared one. The build
exports each used form as JSON (export.py) for the receiving service, which checks every
submission with the same rules the page's script checks before sending.
"""

from __future__ import annotations

import difflib
import re
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .model import Id, Model, Text

FieldType = Literal["text", "email", "tel", "textarea", "number", "date", "select", "radios", "checkboxes", "consent"]
FIELD_TYPES: tuple[str, ...] = FieldType.__args__  # type: ignore[attr-defined]

TEXT_LIKE = frozenset({"text", "email", "tel", "textarea"})
"""Field types that take typed text: min_length and max_length apply to them."""
CHOICES = frozenset({"select", "radios", "checkboxes"})
"""Field types that choose from options."""

DEFAULT_MAX_LENGTH: dict[str, int] = {"text": 200, "email": 254, "tel": 40, "textarea": 2000}
"""The limit the build sets when a field gives no max_length: the service never stores more."""

AUTOCOMPLETE_TOKENS: tuple[str, ...] = (
    "name", "honorific-prefix", "given-name", "additional-name", "family-name", "honorific-suffix",
    "nickname", "username", "new-password", "current-password", "one-time-code", "organization-title",
    "organization", "street-address", "address-line1", "address-line2", "address-line3",
    "address-level4", "address-level3", "address-level2", "address-level1", "country", "country-name",
    "postal-code", "cc-name", "cc-given-name", "cc-additional-name", "cc-family-name", "cc-number",
    "cc-exp", "cc-exp-month", "cc-exp-year", "cc-csc", "cc-type", "transaction-currency",
    "transaction-amount", "language", "bday", "bday-day", "bday-month", "bday-year", "sex", "url",
    "photo", "tel", "tel-country-code", "tel-national", "tel-area-code", "tel-local",
    "tel-local-prefix", "tel-local-suffix", "tel-extension", "email", "impp", "off", "on",
)  # fmt: skip
"""The autofill field names of the HTML standard (§ 4.10.18.7.1), plus on and off."""
_CONTACT_TOKENS = frozenset(t for t in AUTOCOMPLETE_TOKENS if t.startswith("tel") or t in ("email", "impp"))
_CONTACT_KINDS = frozenset({"home", "work", "mobile", "fax", "pager"})

FIELD_NAME = r"^[a-z][a-z0-9_]{0,39}$"
RECIPIENT_PLACEHOLDERS: dict[str, str] = {
    "{{ email }}": "the site's main e-mail (contact.email in site.yml)",
    "{{ accessibility_email }}": "the accessibility contact (accessibility.email in site.yml)",
}
"""What a shared form may name as its recipients, since it cannot know any municipality's addresses."""
Recipient = Annotated[
    str,
    Field(
        pattern=r"^([^@\s]+@[^@\s]+\.[a-z]{2,}|\{\{ (accessibility_)?email \}\})$",
        examples=["kirjaamo@kunta.fi", "{{ email }}"],
    ),
]


def autocomplete_problem(value: str) -> str | None:
    """Why ``value`` is not a valid autocomplete attribute, with a suggestion; None when it is."""
    tokens = value.split()
    if not tokens:
        return "autocomplete is empty; leave it out or give a token such as 'name' or 'email'"
    *prefixes, last = tokens
    if last == "webauthn" and prefixes:
        *prefixes, last = prefixes
    if last not in AUTOCOMPLETE_TOKENS:
        close = difflib.get_close_matches(last, AUTOCOMPLETE_TOKENS, n=1, cutoff=0.6)
        hint = f" — did you mean '{close[0]}'?" if close else "; common ones are name, email, tel, street-address"
        return f"unknown autocomplete token '{last}'{hint} (tokens are listed in the HTML standard)"
    if last in ("on", "off") and prefixes:
        return f"'{last}' must stand alone in autocomplete"
    rest = list(prefixes)
    if rest and rest[0].startswith("section-") and len(rest[0]) > len("section-"):
        rest.pop(0)
    if rest and rest[0] in ("shipping", "billing"):
        rest.pop(0)
    if rest and rest[0] in _CONTACT_KINDS and last in _CONTACT_TOKENS:
        rest.pop(0)
    if rest:
        return f"'{rest[0]}' is not allowed before '{last}' in autocomplete"
    return None


class Option(Model):
    """One choice of a select, radios or checkboxes field."""

    value: Annotated[str, Field(min_length=1, max_length=100)]
    """What is sent and stored, the same in every language, e.g. 'ti-10' (not shown to residents)."""
    label: Text
    """What residents see, e.g. {fi: 'Tiistai klo 10–11', sv: 'Tisdag kl. 10–11'}."""
    capacity: Annotated[int, Field(ge=1)] | None = None
    """How many people fit in this option (registration forms only), e.g. 4. When it is full,
    the option is shown as full and cannot be chosen. Leave out for no limit."""


class FormField(Model):
    """One question of a form."""

    name: Annotated[str, Field(pattern=FIELD_NAME)]
    """Name of the answer in the submissions and e-mails: lower-case letters a–z, digits and _,
    e.g. 'email' or 'time_slot'. Each field of a form needs its own name."""
    type: FieldType
    """Kind of question: text (one line), email, tel, textarea (several lines, with a character
    count), number, date, select (drop-down list), radios (pick one), checkboxes (pick any),
    consent (one box that must be ticked to send)."""
    label: Text
    """The question, always visible, e.g. 'Sähköpostiosoite'. For radios and checkboxes it is the
    heading of the group; for consent the text beside the box."""
    hint: Text | None = None
    """Help shown under the label, e.g. 'Vastaamme tähän osoitteeseen.'"""
    required: bool = False
    """True when the form cannot be sent without an answer. The label then says '(pakollinen)'.
    Ask only what you really need."""
    min_length: Annotated[int, Field(ge=0)] | None = None
    """Text fields: the fewest characters accepted."""
    max_length: Annotated[int, Field(ge=1)] | None = None
    """Text fields: the most characters accepted (default 200; textarea 2000, email 254, tel 40)."""
    min: float | str | None = None
    """number: the smallest number accepted; date: the earliest date, e.g. 2027-01-01."""
    max: float | str | None = None
    """number: the largest number accepted; date: the latest date, e.g. 2027-12-31."""
    integer: bool = False
    """number: only whole numbers are accepted."""
    pattern: str | None = None
    """text and tel: a regular expression the whole answer must match, e.g. '[0-9]{5}' for a
    postal code. Give pattern_message with it."""
    pattern_message: Text | None = None
    """What to tell residents when the answer does not match pattern, e.g. 'Kirjoita postinumero
    viidellä numerolla, esimerkiksi 38700.'"""
    autocomplete: str | None = None
    """Lets the browser fill in what it knows, e.g. name, email, tel, street-address,
    postal-code. Give it for every question about the person themselves (WCAG 1.3.5)."""
    options: Annotated[list[Option], Field(min_length=1)] | None = None
    """The choices of select, radios and checkboxes, in the order shown."""

    @field_validator("autocomplete")
    @classmethod
    def _autocomplete_token(cls, value: str | None) -> str | None:
        if value is not None and (problem := autocomplete_problem(value)) is not None:
            raise PydanticCustomError("autocomplete_token", problem)
        return value

    @field_validator("pattern")
    @classmethod
    def _pattern_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise PydanticCustomError("pattern_invalid", f"the regular expression does not work: {exc}") from None
            if (found := PYTHON_ONLY_REGEX.search(value)) is not None:
                raise PydanticCustomError(
                    "pattern_python_only",
                    f"'{found.group()}' works only in Python, not in the browser; write the pattern with plain "
                    "character classes, groups (…) or (?:…), | and repetition, e.g. '[0-9]{{5}}'",
                )
        return value

    def max_chars(self) -> int:
        return self.max_length or DEFAULT_MAX_LENGTH[self.type]


PYTHON_ONLY_REGEX = re.compile(r"\(\?(?:P|[aiLmsux-]+[:)]|>|\(|#)|\\[AZ]")
"""Regular-expression syntax Python has and JavaScript has not (or reads differently): named
groups (?P…), inline flags (?i), atomic groups (?>…), conditionals (?(…), comments (?#…), \\A, \\Z.
The browser checks a pattern with the same meaning as the service, or not at all."""


class Fieldset(Model):
    """A group of questions, e.g. 'Yhteystietosi'."""

    legend: Text | None = None
    """Heading of the group; leave out to show the questions without a frame."""
    fields: Annotated[list[FormField], Field(min_length=1)]
    """The questions of the group, in order."""


class Form(Model):
    """A form residents fill in and send (forms/*.yml), e.g. feedback or an event registration."""

    id: Id
    """Identifier of the form; pages and events use it with 'form:' and 'registration_form:'.
    A municipality's form with the same id as a shared form replaces it."""
    title: Text
    """Name of the form, shown as its heading, e.g. 'Anna palautetta'."""
    intro: Text | None = None
    """One or two sentences above the questions: what the form is for and when we answer."""
    kind: Literal["form", "registration"] = "form"
    """form: every submission is a message. registration: people sign up, and options with a
    capacity are booked one place per submission."""
    recipients: Annotated[list[Recipient], Field(default_factory=list)]
    """E-mail addresses told of each submission. Defaults to the site's main e-mail. Shared forms
    may write '{{ email }}' or '{{ accessibility_email }}' for the site's own addresses."""
    confirmation_field: str | None = None
    """Name of an email question: a confirmation is sent to the address given there."""
    privacy_page: Id = "tietosuoja"
    """Id of the privacy notice page that tells how the answers are handled (linked from the form)."""
    retention_days: Annotated[int, Field(ge=1, le=3650)] = 365
    """How many days submissions are kept before they are deleted; keep it as short as the task allows."""
    thanks: Text | None = None
    """What residents see after sending, e.g. 'Kiitos! Vastaamme viikon kuluessa.'
    Defaults to 'Kiitos! Viestisi on lähetetty.'"""
    fieldsets: Annotated[list[Fieldset], Field(min_length=1)] | None = None
    """Questions in groups, each with its own heading. Give either fieldsets or fields."""
    fields: Annotated[list[FormField], Field(min_length=1)] | None = None
    """The questions, when they need no groups. Give either fieldsets or fields."""

    @model_validator(mode="after")
    def _fields_or_fieldsets(self) -> Form:
        if (self.fields is None) == (self.fieldsets is None):
            raise PydanticCustomError("form_fields", "give either 'fields' (the questions) or 'fieldsets', not both")
        return self

    def groups(self) -> list[tuple[tuple[str | int, ...], Fieldset]]:
        """(data path of the group's fields, group) in order; plain fields are one group without a legend."""
        if self.fieldsets is not None:
            return [(("fieldsets", i, "fields"), group) for i, group in enumerate(self.fieldsets)]
        return [(("fields",), Fieldset(fields=self.fields or []))]

    def all_fields(self) -> list[tuple[tuple[str | int, ...], FormField]]:
        """Every field with its data path, in order."""
        return [((*path, i), f) for path, group in self.groups() for i, f in enumerate(group.fields)]


__all__ = ["CHOICES", "FIELD_TYPES", "TEXT_LIKE", "Fieldset", "Form", "FormField", "Option"]
