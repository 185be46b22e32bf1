"""The ASGI app: routes, the one place where refusals become responses, and the background
work (outbox, forwarding, purge) that runs while the app does."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import feedback_submit, open311, staff_api, staff_pages, staff_requests, statistics, submit
from .config import Settings
from .cors import FormCors
from .errors import Refusal
from .forward import Forwarder
from .logs import AccessLog
from .openapi import spec
from .pages import feedback_refusal_page, refusal_page
from .service import Inbox, inbox

log = logging.getLogger(__name__)

SHUTDOWN_SECONDS = 10.0
"""How long a stopping service waits for a round of mail, forwarding or purge to end; kept short,
so that the process stops well within a supervisor's grace period."""


def refusal_response(
    request: Request,
    status: int,
    detail: str,
    headers: dict[str, str] | None = None,
    problems: list[str] | None = None,
) -> Response:
    """The spec's error list under /open311/, JSON for scripts and the APIs, else an HTML page
    in the submission's language."""
    path = request.url.path
    if path.startswith("/open311/"):
        return open311.error_answer(path, status, problems or [detail], headers)
    if (
        submit.wants_json(request)
        or not (path.startswith("/forms/") or path.startswith("/feedback/") or path.startswith("/staff"))
        or (path.startswith("/staff/api"))
    ):
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)
    lang = getattr(request.state, "lang", None)
    feedback = getattr(request.state, "feedback", None)
    if feedback is not None:  # the widget's plain POST: in its words and _lang
        note = feedback.message("rate_limited", lang or feedback.languages[0]) if status == 429 else None
        page = feedback_refusal_page(status, detail, feedback, lang, note)
        page.headers.update(headers or {})
        return page
    form = getattr(request.state, "form", None)
    message = form.message("rate_limited", lang or form.languages[0]) if form and status == 429 else None
    response = refusal_page(status, detail, form, lang, message)
    response.headers.update(headers or {})
    return response


async def on_refusal(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refusal)
    problems = exc.problems if isinstance(exc, open311.BadRequest) else None
    return refusal_response(request, exc.status_code, exc.detail, exc.headers, problems)


async def on_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = {404: "Not found.", 405: "Method not allowed."}.get(exc.status_code, str(exc.detail))
    return refusal_response(request, exc.status_code, detail, dict(exc.headers or {}))


async def on_database_error(request: Request, exc: Exception) -> Response:
    """The database did not answer (locked past the busy timeout, or down): nothing was stored
    and nothing was acknowledged, so the sender is told to send again; 503, not a bare 500."""
    log.error("database error on %s %s: %s", request.method, request.url.path, type(exc).__name__)
    detail = "The submission could not be stored just now and was not received; please send it again in a minute."
    return refusal_response(request, 503, detail, {"Retry-After": "30"})


async def health(request: Request) -> Response:
    def ping() -> None:
        with inbox(request).engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    try:
        await run_in_threadpool(ping)
    except Exception as exc:  # any database failure means unhealthy
        log.error("health check failed: %s", type(exc).__name__)
        return JSONResponse({"detail": "The database does not answer."}, status_code=503)
    return JSONResponse({"status": "ok"})


async def openapi(request: Request) -> Response:
    return JSONResponse(spec())


ROUTES = [
    Route("/health", health, methods=["GET"]),
    Route("/openapi.json", openapi, methods=["GET"]),
    Route("/forms/{site}/{form}", submit.submit, methods=["POST"]),
    Route("/forms/{site}/{form}/availability", submit.availability, methods=["GET"]),
    Route("/feedback/{site}", feedback_submit.submit, methods=["POST"]),
    Route("/staff", staff_pages.page, methods=["GET"]),
    Route("/staff/login", staff_pages.login, methods=["POST"]),
    Route("/staff/logout", staff_pages.logout, methods=["POST"]),
    Route("/staff/submissions/{id}/handled", staff_pages.handled, methods=["POST"]),
    Route("/staff/reports", staff_pages.reports_page, methods=["GET"]),
    Route("/staff/reports/{id}", staff_pages.change_report, methods=["POST"]),
    Route("/staff/api/submissions", staff_api.list_submissions, methods=["GET"]),
    Route("/staff/api/submissions/{id}", staff_api.get_submission, methods=["GET"]),
    Route("/staff/api/submissions/{id}/handled", staff_api.mark_handled, methods=["POST"]),
    Route("/staff/api/export.csv", staff_api.export_csv, methods=["GET"]),
    Route("/staff/api/export.json", staff_api.export_json, methods=["GET"]),
    Route("/staff/api/requests", staff_requests.list_requests, methods=["GET"]),
    Route("/staff/api/requests/{id}", staff_requests.change_request, methods=["POST"]),
    Route("/open311/v2/services.{fmt}", open311.services, methods=["GET"]),
    Route("/open311/v2/services/{service_code}.{fmt}", open311.service_definition, methods=["GET"]),
    Route("/open311/v2/requests.{fmt}", open311.get_requests, methods=["GET"]),
    Route("/open311/v2/requests.{fmt}", open311.post_request, methods=["POST"]),
    Route("/open311/v2/requests/{service_request_id}.{fmt}", open311.get_request, methods=["GET"]),
    Route("/statistics/{site}.json", statistics.view, methods=["GET"]),
]


async def purge_forever(service: Inbox, interval: float, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            removed = await run_in_threadpool(service.store.purge, service.registry.all_forms())
            if removed:
                log.info("purged %d submissions past their retention", removed)
            removed = await run_in_threadpool(service.reports.purge, service.feedback.all())
            if removed:
                log.info("purged %d service requests past their retention", removed)
        except Exception:  # keep purging after a database hiccup
            log.exception("purge failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)


def create_app(settings: Settings, service: Inbox | None = None, *, background: bool = True) -> Starlette:
    """The app; load_all() first, so an invalid export stops the start with its file name."""
    service = service or Inbox.from_settings(settings)
    service.registry.load_all()
    service.feedback.load_all()
    forwarder = Forwarder(service.reports, service.feedback, outbox=service.outbox, first_delay=settings.forward_retry)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        tasks = []
        stop = asyncio.Event()
        if background:
            tasks.append(asyncio.create_task(service.outbox.run(settings.mail_poll, stop)))
            tasks.append(asyncio.create_task(forwarder.run(settings.forward_poll, stop)))
            tasks.append(asyncio.create_task(purge_forever(service, settings.purge_interval, stop)))
        if not settings.smtp_host:
            log.warning("no SMTP server configured: mails wait in the outbox")
        try:
            yield
        finally:
            # Let a round in progress finish: cancelling it leaves its thread working on a
            # database connection after the app has gone, and a mail sent but not marked sent
            # is sent again at the next start. A round still going after SHUTDOWN_SECONDS (a
            # server that does not answer) is cancelled after all; its thread ends on its own.
            stop.set()
            service.outbox.wake.set()
            forwarder.wake.set()
            if tasks:
                _, hanging = await asyncio.wait(tasks, timeout=SHUTDOWN_SECONDS)
                for task in hanging:
                    task.cancel()
                for task in hanging:
                    with contextlib.suppress(asyncio.CancelledError):
                        await task

    app = Starlette(
        routes=ROUTES,
        middleware=[
            Middleware(AccessLog),
            Middleware(FormCors, registry=service.registry, feedback=service.feedback),
        ],
        exception_handlers={Refusal: on_refusal, HTTPException: on_http_exception, DBAPIError: on_database_error},
        lifespan=lifespan,
    )
    app.state.inbox = service
    app.state.forwarder = forwarder  # open311.store_report wakes it for a new report
    return app
