"""What every view needs, built once per app and kept in app.state.inbox."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Engine
from starlette.requests import Request

from .config import Settings
from .db import make_engine
from .feedback import FeedbackRegistry
from .forms import FormRegistry
from .mail import Outbox, SmtpSettings
from .ratelimit import RateLimiter
from .reports import Reports
from .store import Store
from .tokens import StartTokens

log = logging.getLogger(__name__)


@dataclass
class Inbox:
    settings: Settings
    secret: bytes
    engine: Engine
    registry: FormRegistry
    feedback: FeedbackRegistry
    store: Store
    reports: Reports
    start_tokens: StartTokens
    limiter: RateLimiter
    outbox: Outbox

    @classmethod
    def from_settings(cls, settings: Settings, engine: Engine | None = None) -> Inbox:
        if settings.secret:
            secret = hashlib.sha256(settings.secret.encode()).digest()
        else:
            log.warning(
                "no secret configured: using a random one; at restart, open form pages lose their"
                " minimum fill time and open staff pages must be reloaded"
            )
            secret = secrets.token_bytes(32)
        engine = engine or make_engine(settings.database_url, busy_timeout_ms=settings.busy_timeout_ms)
        smtp = SmtpSettings(
            host=settings.smtp_host,
            port=settings.smtp_port,
            user=settings.smtp_user,
            password=settings.smtp_password,
            sender=settings.smtp_from,
            starttls=settings.smtp_starttls,
        )
        return cls(
            settings=settings,
            secret=secret,
            engine=engine,
            registry=FormRegistry(settings.forms_dir),
            feedback=FeedbackRegistry(settings.forms_dir),
            store=Store(engine),
            reports=Reports(engine),
            start_tokens=StartTokens(secret),
            limiter=RateLimiter(settings.rate_limit, settings.rate_window, secret),
            outbox=Outbox(engine, smtp, first_delay=settings.mail_retry),
        )


def inbox(request: Request) -> Inbox:
    return cast(Inbox, request.app.state.inbox)
