"""The one base class of refusals. Each module defines its own refusals beside the code that
raises them; app.py turns every Refusal into a JSON or HTML response in one place."""

from __future__ import annotations


class Refusal(Exception):
    """A request refused with a 4xx status and a reason the client can act on."""

    status_code = 400

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}


class NotFound(Refusal):
    """Raised by the views for an unknown site, form or submission."""

    status_code = 404
