"""The service's own HTML pages, rendered with Jinja2 (autoescape on, strict undefined)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.responses import HTMLResponse

from .feedback import Feedback
from .forms import Form, Text
from .rules import FieldError, Value, fill

env = Environment(
    loader=PackageLoader("kuntasivu_inbox", "templates"),
    autoescape=select_autoescape(default=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(
    template: str, status_code: int = 200, headers: dict[str, str] | None = None, **context: Any
) -> HTMLResponse:
    html = env.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code, headers=headers)


def form_page(
    form: Form,
    lang: str,
    given: dict[str, list[str]],
    values: dict[str, Value],
    errors: list[FieldError],
    full: set[tuple[str, str]],
) -> HTMLResponse:
    """422: the error summary, then the form again with what the user gave."""
    return render(
        "form.html",
        422,
        form=form,
        stylesheets=form.stylesheets,
        lang=lang,
        t=lambda text: form.t(text, lang),
        m=lambda key: form.message(key, lang),
        given=given,
        values=values,
        errors={e.field: e for e in errors if e.field is not None},
        summary=errors,
        full=full,
    )


def refusal_page(status: int, detail: str, form: Form | None, lang: str | None, message: str | None) -> HTMLResponse:
    """A refusal other than 422. The reason is in English (lang="en") unless the export has a
    text for it (message)."""
    page_lang = lang or (form.languages[0] if form else "en")
    return render(
        "refusal.html",
        status,
        form=form,
        stylesheets=form.stylesheets if form else (),
        lang=page_lang,
        t=(lambda text: form.t(text, page_lang)) if form else (lambda text: ""),
        status=status,
        detail=detail,
        message=message,
    )


KINDS = {
    "string": "text",
    "text": "textarea",
    "number": "number",
    "datetime": "date",
    "singlevaluelist": "radios",
    "multivaluelist": "checkboxes",
}
"""The widget's control for each Open311 datatype of a question."""


def field_id(name: str) -> str:
    """The id of a widget field's first input, as in the site's widget: field-description,
    field-attribute[kind]."""
    return "field-" + name


def field_link(name: str) -> str:
    """The error summary's link to a field: its id percent-encoded (brackets are not allowed in
    a URL; the browser decodes the fragment to find the id), as the theme's error_summary does."""
    return "#" + quote(field_id(name), safe="")


def feedback_page(
    feedback: Feedback,
    lang: str,
    values: dict[str, str],
    answers: dict[str, list[str]],
    place: tuple[str, str] | None,
    key: str,
    errors: list[FieldError],
) -> HTMLResponse:
    """422 for the widget's plain POST: the error summary, then the widget's fields again with
    what the resident gave (without the map: this page is for a browser without JavaScript).
    ``place`` is the (lat, long) given, when it was valid, to be kept in hidden fields."""
    groups = [
        {
            "code": category.code,
            "name": feedback.t(category.name, lang),
            "questions": [
                {
                    "kind": KINDS[q.datatype],
                    "name": f"attribute[{q.code}]",
                    "label": feedback.t(q.label, lang),
                    "hint": feedback.t(q.description, lang) or None,
                    "required": q.required,
                    "chosen": answers.get(q.code, []),
                    "options": [(v.key, feedback.t(v.name, lang)) for v in q.values],
                }
                for q in category.questions
            ],
        }
        for category in feedback.categories
        if category.questions
    ]
    return render(
        "feedback.html",
        422,
        feedback=feedback,
        stylesheets=feedback.stylesheets,
        lang=lang,
        t=lambda text: feedback.t(text, lang),
        m=lambda key, **params: fill(feedback.message(key, lang), **params),
        link=field_link,
        categories=[
            {
                "code": c.code,
                "name": feedback.t(c.name, lang),
                "description": feedback.t(c.description, lang),
                "group": feedback.t(c.group, lang) or None,
            }
            for c in feedback.categories
        ],
        groups=groups,
        values=values,
        place=place,
        key=key,
        errors={e.field: e for e in errors if e.field is not None},
        summary=errors,
    )


@dataclass(frozen=True)
class Heading:
    """What refusal.html shows of a form, for a page that is not one (the feedback widget)."""

    title: Text
    site_name: Text
    site_url: str


def feedback_refusal_page(
    status: int, detail: str, feedback: Feedback, lang: str | None, message: str | None
) -> HTMLResponse:
    """A refusal of the widget's plain POST other than 422, under the widget's title in lang."""
    page_lang = lang or feedback.languages[0]
    heading = Heading({page_lang: feedback.message("title", page_lang)}, feedback.site_name, feedback.site_url)
    return render(
        "refusal.html",
        status,
        form=heading,
        stylesheets=feedback.stylesheets,
        lang=page_lang,
        t=lambda text: feedback.t(text, page_lang),
        status=status,
        detail=detail,
        message=message,
    )
