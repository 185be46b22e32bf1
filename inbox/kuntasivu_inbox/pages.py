"""The service's own HTML pages, rendered with Jinja2 (autoescape on, strict undefined)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.responses import HTMLResponse

from .forms import Form
from .rules import FieldError, Value

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
