"""Mail: the texts are written to the outbox in the submission's transaction; the worker sends
them after the commit and retries with a doubling delay until the server takes them. A failed
send never touches the submission."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy import Engine, delete, select, update
from starlette.concurrency import run_in_threadpool

from .db import now, outbox
from .forms import Field, Form
from .rules import Value
from .store import Mail

log = logging.getLogger(__name__)
MAX_DELAY = 3600.0
LEASE = datetime.timedelta(minutes=5)
UNSAFE_ADDRESS = set(',;:<>"()[]\\ \t\r\n')


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    user: str = ""
    password: str = ""
    sender: str = "lomakkeet@localhost"
    starttls: bool = False
    timeout: float = 20.0


def shown(form: Form, field: Field, value: Value, lang: str) -> str:
    values = value if isinstance(value, list) else [value] if value else []
    labels = []
    for v in values:
        option = field.option(v)
        labels.append(form.t(option.label, lang) if option is not None else v)
    return ", ".join(labels) if labels else "–"


def text(form: Form, values: dict[str, Value], lang: str, heading: str) -> str:
    lines = [heading, form.t(form.site_name, lang), ""]
    for field in form.fields:
        value = shown(form, field, values.get(field.name, ""), lang)
        if "\n" in value:
            lines += [f"{form.t(field.label, lang)}:", *("  " + line for line in value.split("\n"))]
        else:
            lines.append(f"{form.t(field.label, lang)}: {value}")
    return "\n".join(lines) + "\n"


def compose(form: Form, values: dict[str, Value], lang: str) -> list[Mail]:
    """The staff notification (site's default language) and the sender's confirmation."""
    staff_lang = form.languages[0]
    title = form.t(form.title, staff_lang)
    mails = [Mail(r, title, text(form, values, staff_lang, title)) for r in form.recipients]
    address = values.get(form.confirmation_field or "", "")
    if isinstance(address, str) and address and not UNSAFE_ADDRESS & set(address):
        heading = form.message("sent", lang)
        mails.append(Mail(address, form.t(form.title, lang), text(form, values, lang, heading)))
    return mails


def send(smtp: SmtpSettings, mail: Mail) -> None:
    message = EmailMessage()
    message["From"] = smtp.sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message.set_content(mail.body, charset="utf-8")
    with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout) as client:
        if smtp.starttls:
            client.starttls(context=ssl.create_default_context())
        if smtp.user:
            client.login(smtp.user, smtp.password)
        client.send_message(message, smtp.sender, [mail.recipient])


def refused_for_good(exc: Exception) -> bool:
    """The server took our connection and sender but refuses this one mail with a permanent
    (5xx) answer, or cannot take its address at all (non-ASCII without SMTPUTF8). A refused
    sender or login is our configuration, not the mail's: those are retried."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return True
    if isinstance(exc, (smtplib.SMTPSenderRefused, smtplib.SMTPAuthenticationError)):
        return False
    return isinstance(exc, smtplib.SMTPResponseException) and 500 <= exc.smtp_code < 600


class Outbox:
    def __init__(self, engine: Engine, smtp: SmtpSettings, *, first_delay: float = 30.0) -> None:
        self.engine = engine
        self.smtp = smtp
        self.first_delay = first_delay
        self.wake = asyncio.Event()

    def pending(self) -> int:
        with self.engine.connect() as conn:
            return len(conn.execute(select(outbox.c.id)).all())

    def deliver_due(self) -> int:
        """Send what is due; returns how many were sent. Each row is claimed first with a
        conditional UPDATE, so two workers never send the same mail at once."""
        if not self.smtp.host:
            return 0
        at = now()
        with self.engine.connect() as conn:
            due = conn.execute(
                select(outbox.c.id, outbox.c.next_attempt_at)
                .where(outbox.c.next_attempt_at <= at)
                .order_by(outbox.c.id)
                .limit(50)
            ).all()
        sent = 0
        for row in due:
            with self.engine.begin() as conn:
                claimed = conn.execute(
                    update(outbox)
                    .where(outbox.c.id == row.id, outbox.c.next_attempt_at == row.next_attempt_at)
                    .values(next_attempt_at=at + LEASE)
                    .returning(outbox.c.recipient, outbox.c.subject, outbox.c.body, outbox.c.attempts)
                ).first()
            if claimed is None:
                continue
            try:
                send(self.smtp, Mail(claimed.recipient, claimed.subject, claimed.body))
            except (OSError, smtplib.SMTPException, ValueError) as exc:
                if refused_for_good(exc):
                    # e.g. a mistyped confirmation address the server will never take: trying
                    # again every hour until the purge helps nobody. The submission itself stays.
                    log.error("mail %s given up: the server refuses it for good (%s)", row.id, type(exc).__name__)
                    with self.engine.begin() as conn:
                        conn.execute(delete(outbox).where(outbox.c.id == row.id))
                    continue
                attempts = claimed.attempts + 1
                delay = min(self.first_delay * 2 ** (attempts - 1), MAX_DELAY)
                reason = type(exc).__name__
                log.warning("mail %s not sent (attempt %d, next in %.0f s): %s", row.id, attempts, delay, reason)
                with self.engine.begin() as conn:
                    conn.execute(
                        update(outbox)
                        .where(outbox.c.id == row.id)
                        .values(
                            attempts=attempts,
                            next_attempt_at=now() + datetime.timedelta(seconds=delay),
                            last_error=f"{type(exc).__name__}: {exc}"[:500],
                        )
                    )
                if isinstance(exc, OSError):
                    break  # the server is down: the rest can wait for the next round
                continue
            with self.engine.begin() as conn:
                conn.execute(delete(outbox).where(outbox.c.id == row.id))
            sent += 1
        return sent

    async def run(self, interval: float, stop: asyncio.Event | None = None) -> None:
        """Deliver what is due every ``interval`` seconds, or when woken; after ``stop`` is set
        (and wake, to end the wait), return between rounds, never in the middle of one."""
        while stop is None or not stop.is_set():
            try:
                await run_in_threadpool(self.deliver_due)
            except Exception:  # the worker must outlive a database hiccup
                log.exception("outbox round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=interval)
            self.wake.clear()
