"""What the feedback widget (themes/kunta/components/feedback) renders, in one language.

The widget is a form that posts to the receiving service as inbox/PROTOCOL.md says ("The
feedback widget"): its field names, limits and messages are the protocol's, so that the page's
script (assets/feedback.js) and the service check alike. Everything here is plain, already
translated data; URLs are relative to the site root except the service's.
"""

from __future__ import annotations

from typing import Any

from . import urls
from .feedback import FeedbackQuestion
from .feedback_export import THANKS_ID, exported, widget_texts
from .feedback_pages import statistics_page_url
from .loading import Content
from .model import Page, Text

LIMITS: dict[str, int] = {"description": 4000, "address_string": 500, "name": 200, "email": 254, "phone": 50}
"""Most code points each fixed field takes (PROTOCOL.md); the service refuses more with too_long."""
QUESTION_LIMITS: dict[str, int] = {"text": 500, "textarea": 4000}
"""Most code points a text question's answer takes (PROTOCOL.md)."""
QUESTION_FIELDS: dict[str, str] = {
    "text": "text",
    "textarea": "textarea",
    "number": "number",
    "date": "date",
    "choice": "radios",
    "choices": "checkboxes",
}
"""Each question type as the form_field component's type: one answer of several is radios, any
number of answers checkboxes, as in forms."""
TEXT_KEYS = (
    "title", "intro", "send", "sending", "sent", "required_marker", "honeypot_label", "privacy_link",
    "error_summary_title", "error_title_prefix", "required", "required_choice", "too_long", "email", "tel", "number",
    "date", "choice", "network_error", "server_error", "characters_left", "characters_over",
    "category_legend", "description_label", "description_hint", "location_legend", "location_hint", "address_label",
    "address_hint", "questions_hint", "contact_legend", "contact_hint", "public_note", "name_label", "email_label",
    "phone_label", "location_outside", "location_invalid", "map_label", "map_help", "marker_at", "marker_near",
    "marker_none", "clear_location", "use_location", "locating", "location_found", "location_denied",
    "location_failed", "tiles_failed", "zoom_in", "zoom_out",
)  # fmt: skip
"""The texts the component and feedback.js use; the view carries exactly these."""


def attribute_name(code: str) -> str:
    """The submitted name of a question's answer: question codes are unique within a site."""
    return f"attribute[{code}]"


def has_feedback(page: Page) -> bool:
    """Whether the page shows the feedback widget."""
    return any(block.type == "feedback" for block in page.blocks)


def widget_pages(content: Content) -> list[str]:
    """Ids of the pages that show the widget on the built site (none without feedback and inbox_url)."""
    if not exported(content):
        return []
    return [page_id for page_id, page in content.pages.items() if has_feedback(page.item)]


def _field(
    name: str,
    type_: str,
    label: str,
    *,
    hint: str | None = None,
    required: bool = False,
    autocomplete: str | None = None,
    max_length: int | None = None,
) -> dict[str, Any]:
    """A field as form_field renders it and feedback.js checks it (the shape form_view gives)."""
    return {
        "name": name,
        "type": type_,
        "label": label,
        "hint": hint,
        "required": required,
        "autocomplete": autocomplete,
        "min_length": None,
        "max_length": max_length,
    }


def _question(question: FeedbackQuestion, lang: str) -> dict[str, Any]:
    field = _field(
        attribute_name(question.code),
        QUESTION_FIELDS[question.type],
        question.label.get(lang),
        hint=question.hint.get(lang) if question.hint is not None else None,
        required=question.required,
        max_length=QUESTION_LIMITS.get(question.type),
    )
    if question.type == "number":
        field["integer"] = False  # any decimal number, comma or point (PROTOCOL.md)
    if question.type == "date":
        field.update({"min": None, "max": None})  # any real date (PROTOCOL.md)
    if question.options:
        field["options"] = [
            {"value": option.value, "label": option.label.get(lang), "capacity": None} for option in question.options
        ]
    return field


def feedback_view(content: Content, lang: str) -> dict[str, Any]:
    """The widget in one language: categories (grouped), their questions, the fixed fields, the
    map, the texts, where it posts and what it says after sending."""
    site = content.site.item
    feedback = site.feedback
    assert feedback is not None and site.inbox_url, "call feedback_view only when feedback_export.exported(content)"
    texts = widget_texts(content, lang)
    view_texts = {key: texts[key] for key in TEXT_KEYS}

    def one(text: Text | None) -> str | None:
        return text.get(lang) if text is not None else None

    categories: list[dict[str, Any]] = [
        {
            "code": category.code,
            "name": category.name.get(lang),
            "description": category.description.get(lang),
            "group": one(category.group),
            "questions_legend": texts["questions_legend"].format(category=category.name.get(lang)),
            "questions": [_question(question, lang) for question in category.questions],
        }
        for category in feedback.categories
    ]
    # The categories of a group side by side, groups in the order they first appear, so that
    # each group is one fieldset; a category without a group stands on its own.
    first: dict[str, int] = {}
    order: list[tuple[int, int]] = []
    for index, category in enumerate(categories):
        group: str | None = category["group"]
        order.append((index if group is None else first.setdefault(group, index), index))
    categories = [category for _, category in sorted(zip(order, categories, strict=True), key=lambda pair: pair[0])]
    privacy = content.pages[feedback.privacy_page].item
    the_map = feedback.map
    return {
        "action": f"{site.inbox_url}feedback/{content.slug}",
        "categories": categories,
        "fields": {
            "description": _field(
                "description",
                "textarea",
                texts["description_label"],
                hint=texts["description_hint"],
                required=True,
                max_length=LIMITS["description"],
            ),
            # The place is rarely the resident's own address, so it has no autocomplete token;
            # the contact details are about the resident, so they do (WCAG 1.3.5).
            "address_string": _field(
                "address_string",
                "text",
                texts["address_label"],
                hint=texts["address_hint"],
                max_length=LIMITS["address_string"],
            ),
            "name": _field("name", "text", texts["name_label"], autocomplete="name", max_length=LIMITS["name"]),
            "email": _field("email", "email", texts["email_label"], autocomplete="email", max_length=LIMITS["email"]),
            "phone": _field("phone", "tel", texts["phone_label"], autocomplete="tel", max_length=LIMITS["phone"]),
        },
        "map": {
            "centre": list(the_map.centre),
            "zoom": the_map.zoom,
            "bounds": list(the_map.area()),
            "tiles": the_map.tiles,
            "attribution": the_map.attribution,
            "places": [{"name": place.name.get(lang), "at": list(place.at)} for place in the_map.places],
        },
        "texts": view_texts,
        "privacy": {"title": privacy.title.get(lang), "url": urls.page_url(content, privacy, lang)},
        "retention": texts["retention"].format(days=feedback.retention_days),
        "thanks": texts["sent"],
        "thanks_url": urls.thanks_url(content, THANKS_ID, lang),
        # A site that forwards its reports has no statistics page (feedback_pages.py).
        "statistics": None
        if feedback.open311
        else {"title": texts["statistics_link"], "url": statistics_page_url(content, lang)},
    }


__all__ = ["LIMITS", "QUESTION_LIMITS", "attribute_name", "feedback_view", "has_feedback", "widget_pages"]
