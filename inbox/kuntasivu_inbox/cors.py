"""CORS for the form endpoints and the feedback widget's: only the export's own `origins` (the
form's, or the site's feedback.json's) may call them from a browser."""

from __future__ import annotations

import json
import re

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .feedback import FeedbackRegistry
from .forms import FormRegistry

FORM_PATH = re.compile(r"^/forms/([^/]+)/([^/]+?)(?:/availability)?$")
FEEDBACK_PATH = re.compile(r"^/feedback/([^/]+)$")
METHODS = "GET, POST"
FEEDBACK_METHODS = "POST"
ALLOWED_HEADERS = "Accept, Content-Type"


class FormCors:
    def __init__(
        self, app: ASGIApp, registry: FormRegistry, max_age: int = 600, feedback: FeedbackRegistry | None = None
    ) -> None:
        self.app = app
        self.registry = registry
        self.feedback = feedback
        self.max_age = max_age

    def _allowed(self, path: str, origin: str) -> tuple[bool, str] | None:
        """Whether ``origin`` may call ``path`` and with which methods; None: not a CORS path."""
        form_path = FORM_PATH.match(path)
        if form_path is not None:
            form = self.registry.get(form_path[1], form_path[2])
            return form is not None and origin in form.origins, METHODS
        feedback_path = FEEDBACK_PATH.match(path) if self.feedback is not None else None
        if feedback_path is not None and self.feedback is not None:
            feedback = self.feedback.get(feedback_path[1])
            return feedback is not None and origin in feedback.origins, FEEDBACK_METHODS
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        origin = Headers(scope=scope).get("origin") if scope["type"] == "http" else None
        found = self._allowed(scope["path"], origin) if origin is not None else None
        if origin is None or found is None:
            await self.app(scope, receive, send)
            return
        allowed, methods = found
        headers = Headers(scope=scope)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            asked = headers["access-control-request-method"]
            await self._preflight(send, allowed and asked in methods.split(", "), origin, methods)
            return

        async def with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"vary"]
                raw.append((b"vary", b"Origin"))
                if allowed:
                    raw.append((b"access-control-allow-origin", origin.encode("latin-1")))
                message = {**message, "headers": raw}
            await send(message)

        await self.app(scope, receive, with_cors)

    async def _preflight(self, send: Send, allowed: bool, origin: str, methods: str) -> None:
        headers = [(b"vary", b"Origin")]
        if allowed:
            status, body = 204, b""
            headers += [
                (b"access-control-allow-origin", origin.encode("latin-1")),
                (b"access-control-allow-methods", methods.encode()),
                (b"access-control-allow-headers", ALLOWED_HEADERS.encode()),
                (b"access-control-max-age", str(self.max_age).encode()),
            ]
        else:
            status = 403
            body = json.dumps({"detail": "This origin may not call this address (CORS)."}).encode()
            headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
