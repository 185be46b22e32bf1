"""The site's location-based feedback as the receiving service reads it, and its checks.

feedback.json (inbox/kuntasivu_inbox/feedback.schema.json) is written beside the forms'
exports. The service publishes its categories as Open311 services, routes each report to the
category's owner and refuses locations outside the map's area.
"""

from __future__ import annotations

from typing import Any

from . import urls
from .errors import ContentError
from .feedback import OPEN311_DATATYPES, Feedback
from .form_export import STYLESHEET, origin
from .loading import Content
from .model import Text
from .yamlsource import Path_, dotted_path

EXPORT_FORMAT = 1
"""feedback.schema.json's ``format``: the service refuses any other."""
EXPORT_PATH = "feedback.json"
"""Where the export lives in the built site: {site_url}feedback.json."""
TEXT_KEYS = (
    "title", "error_summary_title", "error_title_prefix", "required", "required_choice", "too_long", "email", "tel",
    "number", "date", "choice", "rate_limited", "required_marker", "honeypot_label", "privacy_link", "send", "sent",
    "location_outside", "location_invalid", "category_legend", "description_label", "description_hint",
    "location_legend", "location_hint", "address_label", "address_hint", "questions_legend", "contact_legend",
    "contact_hint", "public_note", "name_label", "email_label", "phone_label",
)  # fmt: skip
"""The texts the service needs for the widget's answers (feedback.schema.json ``texts``)."""
THANKS_ID = "palaute-kartalla"
"""The thank-you page of a report sent without JavaScript lives where a form of this id would."""


def exported(content: Content) -> bool:
    """Whether the built site has feedback: site.yml gives it, and the service to send it to."""
    return content.site.item.feedback is not None and content.site.item.inbox_url is not None


def _all(content: Content, text: Text | None) -> dict[str, str] | None:
    return None if text is None else {lang: text.get(lang) for lang in content.languages}


def _all_required(content: Content, text: Text) -> dict[str, str]:
    return {lang: text.get(lang) for lang in content.languages}


def widget_texts(content: Content, lang: str) -> dict[str, str]:
    """forms.* overridden by feedback.*, with feedback.thanks as ``sent``: the widget's labels
    and messages in one language, for the page and for the service."""
    found = {key.removeprefix("forms."): v for key, v in content.texts[lang].items() if key.startswith("forms.")}
    found.update(
        {key.removeprefix("feedback."): v for key, v in content.texts[lang].items() if key.startswith("feedback.")}
    )
    found["sent"] = found["thanks"]
    return found


def feedback_export(content: Content) -> dict[str, Any]:
    """feedback.json: the categories as Open311 services, the map and the site's addresses."""
    site = content.site.item
    feedback = site.feedback
    assert feedback is not None, "call feedback_export only when exported(content)"
    privacy = content.pages[feedback.privacy_page].item
    return {
        "format": EXPORT_FORMAT,
        "site": content.slug,
        "site_name": _all_required(content, site.name),
        "site_url": site.site_url,
        "origins": [origin(site.site_url)],
        "languages": content.languages,
        "agency": _all_required(content, feedback.agency or site.name),
        "categories": [
            {
                "code": category.code,
                "name": _all_required(content, category.name),
                "description": _all_required(content, category.description),
                "owner": category.owner,
                "group": _all(content, category.group),
                "keywords": category.keywords,
                "questions": [
                    {
                        "code": question.code,
                        "datatype": OPEN311_DATATYPES[question.type],
                        "required": question.required,
                        "label": _all_required(content, question.label),
                        "description": _all(content, question.hint),
                        "values": [
                            {"key": option.value, "name": _all_required(content, option.label)}
                            for option in question.options or []
                        ],
                    }
                    for question in category.questions
                ],
            }
            for category in feedback.categories
        ],
        "map": {
            "centre": list(feedback.map.centre),
            "zoom": feedback.map.zoom,
            "tiles": feedback.map.tiles,
            "attribution": feedback.map.attribution,
            "bounds": list(feedback.map.area()),
        },
        "retention_days": feedback.retention_days,
        "privacy_url": {lang: site.site_url + urls.page_url(content, privacy, lang) for lang in content.languages},
        "thanks_url": {lang: site.site_url + urls.thanks_url(content, THANKS_ID, lang) for lang in content.languages},
        "stylesheets": [site.site_url + STYLESHEET],
        "forward": feedback.open311.model_dump() if feedback.open311 else None,
        "texts": {
            lang: {key: value for key, value in widget_texts(content, lang).items() if key in TEXT_KEYS}
            for lang in content.languages
        },
    }


def check_feedback(content: Content) -> list[ContentError]:
    """What the schema cannot say about site.yml's feedback: unique codes, the map's area, the
    privacy notice, and a service to send reports to."""
    feedback: Feedback | None = content.site.item.feedback
    if feedback is None:
        return []
    doc = content.site.doc
    errors: list[ContentError] = []

    def error(path: Path_, message: str) -> None:
        pos = doc.position(path)
        errors.append(ContentError(doc.path, pos.line, pos.column, dotted_path(path), message))

    if content.site.item.inbox_url is None:
        error(("feedback",), "feedback needs inbox_url in site.yml: the address of the service that receives reports")
    codes: dict[str, int] = {}
    asked: dict[str, str] = {}
    for index, category in enumerate(feedback.categories):
        if category.code in codes:
            error(
                ("feedback", "categories", index, "code"),
                f"duplicate category code '{category.code}' (also category {codes[category.code] + 1}); "
                "give each category its own code",
            )
        codes.setdefault(category.code, index)
        for number, question in enumerate(category.questions):
            # The widget names an answer attribute[code], so a code must mean one question.
            if question.code in asked:
                where = "this category" if asked[question.code] == category.code else f"'{asked[question.code]}'"
                error(
                    ("feedback", "categories", index, "questions", number, "code"),
                    f"duplicate question code '{question.code}' (also in {where}); "
                    "give each question of the site its own code",
                )
            asked.setdefault(question.code, category.code)
    south, west, north, east = feedback.map.area()
    lat, long = feedback.map.centre
    if feedback.map.bounds is not None and not (south < north and west < east):
        error(("feedback", "map", "bounds"), "give bounds as [south, west, north, east]: south < north and west < east")
    elif not (south <= lat <= north and west <= long <= east):
        area = list(feedback.map.area())
        error(("feedback", "map", "centre"), f"the centre [{lat}, {long}] is outside bounds {area}")
    if feedback.privacy_page not in content.pages and feedback.privacy_page not in content.broken_ids:
        error(
            ("feedback", "privacy_page"),
            f"no page with id '{feedback.privacy_page}' for the privacy notice "
            "(add it to shared_pages in site.yml, or write your own)",
        )
    return errors
