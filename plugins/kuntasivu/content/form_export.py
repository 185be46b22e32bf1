"""Where a site uses its forms, what the theme renders for each, and the JSON the service reads.

The export (``form_export``) is the whole contract with the receiving service: it is written to
``forms/<id>.json`` in the built site and documented by inbox/kuntasivu_inbox/form.schema.json.
The same rules go into the page for the script, so the browser and the service check alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from . import urls
from .forms import CHOICES, TEXT_LIKE, Form, FormField
from .loading import Content
from .model import Text
from .yamlsource import Path_, YamlDocument

EXPORT_FORMAT = 1
"""form.schema.json's ``format``: the service refuses any other."""
ACCESSIBILITY_FORM = "saavutettavuuspalaute"
"""The form the accessibility statement shows in its feedback section, on sites with inbox_url."""
PLACEHOLDER = re.compile(r"\{\{\s*(organisation|email|phone)\s*\}\}")
"""Details of the site that shared pages and forms write as {{ email }} and fill in per site."""


@dataclass(frozen=True)
class FormUse:
    """One place that shows a form: a page block, an event's registration or the statement."""

    form: str
    doc: YamlDocument
    path: Path_
    """Where the use is written, for errors."""
    shared: bool
    """True for shared pages: they show their forms only on sites that have inbox_url."""
    page: str | None = None
    """Id of the page that shows it, if a page does."""


def form_uses(content: Content) -> list[FormUse]:
    """Every use of a form, in page, event, statement order."""
    uses: list[FormUse] = []
    for page in content.pages.values():
        shared = not page.path.is_relative_to(content.municipality_dir)
        for index, block in enumerate(page.item.blocks):
            if block.type == "form":
                uses.append(FormUse(block.form, page.doc, ("blocks", index, "form"), shared, page.item.id))
    for event in content.events:
        if event.item.registration_form:
            uses.append(FormUse(event.item.registration_form, event.doc, ("registration_form",), False))
    if content.site.item.inbox_url and ACCESSIBILITY_FORM in content.forms:
        uses.append(FormUse(ACCESSIBILITY_FORM, content.site.doc, ("inbox_url",), True))
    return uses


def used_forms(content: Content) -> list[str]:
    """Ids of the forms the built site shows (none without inbox_url), each once."""
    if not content.site.item.inbox_url:
        return []
    return list(dict.fromkeys(use.form for use in form_uses(content) if use.form in content.forms))


def origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


class _Texts:
    """A form's texts in one language, with the shared-content placeholders filled in."""

    def __init__(self, content: Content) -> None:
        site = content.site.item
        self.content = content
        self.details = {
            "organisation": lambda lang: (site.contact.organisation or site.name).get(lang),
            "email": lambda lang: site.contact.email,
            "phone": lambda lang: site.contact.phone,
        }

    def get(self, text: Text, lang: str) -> str:
        return PLACEHOLDER.sub(lambda m: self.details[m.group(1)](lang), text.get(lang))

    def all(self, text: Text | None) -> dict[str, str] | None:
        if text is None:
            return None
        return {lang: self.get(text, lang) for lang in self.content.languages}


def recipients(content: Content, form: Form) -> list[str]:
    site = content.site.item
    known = {"{{ email }}": site.contact.email, "{{ accessibility_email }}": site.accessibility.email}
    found = [known.get(r, r) for r in form.recipients] or [site.contact.email]
    return list(dict.fromkeys(found))


def _field_export(field: FormField, texts: _Texts) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": field.name,
        "type": field.type,
        "label": texts.all(field.label),
        "hint": texts.all(field.hint),
        "required": field.required,
        "autocomplete": field.autocomplete,
    }
    if field.type in TEXT_LIKE:
        if field.min_length is not None:
            out["min_length"] = field.min_length
        out["max_length"] = field.max_chars()
    if field.type in ("number", "date"):
        out.update({key: value for key in ("min", "max") if (value := getattr(field, key)) is not None})
    if field.type == "number":
        out["integer"] = field.integer
    if field.pattern is not None:
        out["pattern"] = field.pattern
        if field.pattern_message is not None:
            out["pattern_message"] = texts.all(field.pattern_message)
    if field.type in CHOICES and field.options:
        out["options"] = [
            {"value": o.value, "label": texts.all(o.label), "capacity": o.capacity} for o in field.options
        ]
    return out


def messages(content: Content, form: Form, lang: str) -> dict[str, str]:
    """The forms.* UI texts of one language, with the form's own thank-you text as ``sent``."""
    found = {
        key.removeprefix("forms."): value for key, value in content.texts[lang].items() if key.startswith("forms.")
    }
    if form.thanks is not None:
        found["sent"] = _Texts(content).get(form.thanks, lang)
    return found


def form_export(content: Content, form_id: str) -> dict[str, Any]:
    """The form as form.schema.json describes it (absolute URLs, texts in every site language)."""
    form = content.forms[form_id].item
    site = content.site.item
    texts = _Texts(content)
    privacy = content.pages[form.privacy_page].item
    return {
        "format": EXPORT_FORMAT,
        "site": content.slug,
        "site_name": texts.all(site.name),
        "site_url": site.site_url,
        "origins": [origin(site.site_url)],
        "languages": content.languages,
        "id": form.id,
        "kind": form.kind,
        "title": texts.all(form.title),
        "intro": texts.all(form.intro),
        "recipients": recipients(content, form),
        "confirmation_field": form.confirmation_field,
        "retention_days": form.retention_days,
        "privacy_url": {lang: site.site_url + urls.page_url(content, privacy, lang) for lang in content.languages},
        "thanks_url": {lang: site.site_url + urls.thanks_url(content, form.id, lang) for lang in content.languages},
        "stylesheets": [site.site_url + STYLESHEET],
        "fieldsets": [
            {"legend": texts.all(group.legend), "fields": [_field_export(f, texts) for f in group.fields]}
            for _, group in form.groups()
        ],
        "texts": {lang: messages(content, form, lang) for lang in content.languages},
    }


STYLESHEET = "assets/kunta.css"
"""The site's one style sheet, relative to the site root."""


def export_path(form_id: str) -> str:
    """Where the export lives in the built site: {site_url}forms/<id>.json."""
    return f"forms/{form_id}.json"


def form_view(content: Content, form_id: str, lang: str) -> dict[str, Any]:
    """What the form component renders, in one language: plain strings, URLs relative to the site root
    except the service's."""
    form = content.forms[form_id].item
    site = content.site.item
    texts = _Texts(content)
    inbox = site.inbox_url or ""
    action = f"{inbox}forms/{content.slug}/{form.id}"
    privacy = content.pages[form.privacy_page].item

    def one(text: Text | None) -> str | None:
        return texts.get(text, lang) if text is not None else None

    def field_view(field: FormField) -> dict[str, Any]:
        data = _field_export(field, texts)
        for key in ("label", "hint", "pattern_message"):
            if key in data:
                data[key] = data[key][lang] if data[key] is not None else None
        for option in data.get("options", []):
            option["label"] = option["label"][lang]
        data.setdefault("min_length", None)
        data.setdefault("max_length", None)
        return data

    return {
        "id": form.id,
        "kind": form.kind,
        "title": one(form.title),
        "intro": one(form.intro),
        "action": action,
        "schema_url": site.site_url + export_path(form.id),
        "availability_url": f"{action}/availability",
        "privacy": {"title": one(privacy.title), "url": urls.page_url(content, privacy, lang)},
        "retention_days": form.retention_days,
        "thanks": messages(content, form, lang)["sent"],
        "thanks_url": urls.thanks_url(content, form.id, lang),
        "fieldsets": [
            {"legend": one(group.legend), "fields": [field_view(f) for f in group.fields]} for _, group in form.groups()
        ],
    }
