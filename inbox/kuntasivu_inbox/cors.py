"""CORS for the form endpoints: only the form's own `origins` may call them from a browser."""

from __future__ import annotations

import json
import re

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .forms import FormRegistry

FORM_PATH = re.compile(r"^/forms/([^/]+)/([^/]+?)(?:/availability)?$")
METHODS = "GET, POST"
ALLOWED_HEADERS = "Accept, Content-Type"


class FormCors:
    def __init__(self, app: ASGIApp, registry: FormRegistry, max_age: int = 600) -> None:
        self.app = app
        self.registry = registry
        self.max_age = max_age

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = FORM_PATH.match(scope["path"]) if scope["type"] == "http" else None
        origin = Headers(scope=scope).get("origin") if match else None
        if match is None or origin is None:
            await self.app(scope, receive, send)
            return
        form = self.registry.get(match[1], match[2])
        allowed = form is not None and origin in form.origins
        headers = Headers(scope=scope)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await self._preflight(send, allowed and headers["access-control-request-method"] in ("GET", "POST"), origin)
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

    async def _preflight(self, send: Send, allowed: bool, origin: str) -> None:
        headers = [(b"vary", b"Origin")]
        if allowed:
            status, body = 204, b""
            headers += [
                (b"access-control-allow-origin", origin.encode("latin-1")),
                (b"access-control-allow-methods", METHODS.encode()),
                (b"access-control-allow-headers", ALLOWED_HEADERS.encode()),
                (b"access-control-max-age", str(self.max_age).encode()),
            ]
        else:
            status = 403
            body = json.dumps({"detail": "This origin may not call this form (CORS)."}).encode()
            headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
