"""Forwarding reports to another Open311 GeoReport v2 server (PROTOCOL.md, "Forwarding to
another Open311 server"): a site whose feedback export has ``forward`` has its reports handled
by an existing system. Each new report is stored here and queued (table ``forwards``) in the
same transaction; this worker posts it on after the commit, like the outbox sends mails.

- 2xx: the other server's service_request_id (or token) is kept as the external id.
- Network errors, 5xx, 408, 425 and 429, and a missing API key variable: tried again with a
  doubling delay (at most an hour between tries).
- Any other 4xx (the other server refuses the report for good), 48 hours of failures, or a site
  whose export no longer forwards: given up, and the report is mailed to its category's owner
  in the same transaction, so that nothing is lost.

Each report is claimed before it is sent (a conditional UPDATE that leases it for LEASE), so
two workers or two instances never send it at once, and a restart never sends a report that was
recorded as forwarded. A crash after the other server took the report but before the answer was
recorded leaves it leased: it is sent once more after the lease, so the other server may get
that one report twice. Open311 has no idempotency key to prevent it; at most one resend per
crash is the price of never losing a report."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import httpx2 as httpx
from starlette.concurrency import run_in_threadpool

from .db import now
from .feedback import Feedback, FeedbackRegistry, Forward
from .mail import Outbox
from .reports import Reports, ServiceRequest, owner_mail

log = logging.getLogger(__name__)

MAX_DELAY = 3600.0
LEASE = datetime.timedelta(minutes=5)
KEY_PREFIX = "KUNTASIVU_OPEN311_"
"""Only variables named so hold forwarding keys: a site's export cannot name another secret."""
GIVE_UP_AFTER = datetime.timedelta(hours=48)
TIMEOUT = 20.0
TRIED_AGAIN = frozenset({408, 425, 429})
"""4xx answers that mean "not now" rather than "never": retried like a 5xx."""
EXTERNAL_ID_LENGTH = 200


@dataclass(frozen=True)
class Outcome:
    kind: str
    """forwarded, failed (tried again later), refused (for good) or given_up"""
    detail: str
    external_id: str | None = None
    unreachable: bool = False
    """No answer at all (refused connection, time-out): the server is down or cut off."""


@dataclass(frozen=True)
class Round:
    forwarded: int = 0
    failed: int = 0
    given_up: int = 0


def contact_fields(contact: Mapping[str, str]) -> list[tuple[str, str]]:
    """The reporter's details as GeoReport v2 parameters; the widget's ``name`` becomes
    first_name (all but the last word) and last_name (the last word)."""
    fields = []
    if contact.get("email"):
        fields.append(("email", contact["email"]))
    name = contact.get("name", "").split()
    if len(name) > 1:
        fields += [("first_name", " ".join(name[:-1])[:100]), ("last_name", name[-1][:100])]
    elif name:
        fields.append(("first_name", name[0][:100]))
    for key in ("first_name", "last_name", "phone", "device_id", "account_id"):
        if contact.get(key):
            fields.append((key, contact[key]))
    return fields


def payload(report: ServiceRequest, forward: Forward, api_key: str | None) -> list[tuple[str, str]]:
    """The POST requests.json body: the report as an Open311 client would send it."""
    fields: list[tuple[str, str]] = []
    if forward.jurisdiction_id:
        fields.append(("jurisdiction_id", forward.jurisdiction_id))
    if api_key:
        fields.append(("api_key", api_key))
    fields.append(("service_code", report.service_code))
    if report.lat is not None and report.long is not None:
        fields += [("lat", repr(report.lat)), ("long", repr(report.long))]
    if report.address_string:
        fields.append(("address_string", report.address_string))
    if report.address_id:  # given by an Open311 client: passed on rather than lost
        fields.append(("address_id", report.address_id))
    fields.append(("description", report.description))
    fields += contact_fields(report.contact)
    if report.media_url:
        fields.append(("media_url", report.media_url))
    for code, value in report.attributes.items():
        if isinstance(value, list):  # a multivaluelist: attribute[code][]=…, once per value
            fields += [(f"attribute[{code}][]", v) for v in value]
        else:
            fields.append((f"attribute[{code}]", value))
    fields.append(("locale", report.lang))
    return fields


def external_id(response: httpx.Response) -> str | None:
    """GeoReport v2 answers a POST with [{"service_request_id": …}] or, for servers that
    create requests later, [{"token": …}]."""
    try:
        body = response.json()
    except ValueError:
        return None
    first = body[0] if isinstance(body, list) and body else body
    if not isinstance(first, dict):
        return None
    found = first.get("service_request_id") or first.get("token")
    return str(found)[:EXTERNAL_ID_LENGTH] if found not in (None, "") else None


class Forwarder:
    """Posts the queued reports to their site's Open311 server; app.py runs it in the
    background, like the outbox."""

    def __init__(
        self,
        reports: Reports,
        feedback: FeedbackRegistry,
        *,
        outbox: Outbox | None = None,
        first_delay: float = 30.0,
        timeout: float = TIMEOUT,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.reports = reports
        self.feedback = feedback
        self.outbox = outbox
        self.first_delay = first_delay
        self.timeout = timeout
        self.environ = os.environ if environ is None else environ
        """Read at every send: a key set or changed later is used without a restart of the queue."""
        self.wake = asyncio.Event()

    def deliver_due(self) -> Round:
        """Try every report that is due once; returns what became of them."""
        at = now()
        done = {"forwarded": 0, "failed": 0, "given_up": 0}
        unreachable: set[str] = set()
        for request_id, due in self.reports.due_forwards(at):
            claimed = self.reports.claim_forward(request_id, due, now() + LEASE)
            if claimed is None:
                continue  # another worker took it, or it was purged
            report, queued = claimed
            if report.site in unreachable:
                # its server did not answer a moment ago: handed back untried (due at the next
                # round) rather than waiting for another time-out now
                self.reports.forward_failed(report.id, queued.attempts, due, queued.last_error or "")
                continue
            outcome = self._forward(report, queued.attempts + 1)
            done[outcome.kind] += 1
            if outcome.unreachable:
                unreachable.add(report.site)
        return Round(**done)

    def _forward(self, report: ServiceRequest, attempts: int) -> Outcome:
        """Send one claimed report and record what became of it."""
        feedback = self.feedback.get(report.site)
        if feedback is None or feedback.forward is None:
            # the build stopped forwarding this site's reports: they are handled here after all
            detail = "the site's feedback export no longer forwards its reports"
            self._give_up(report, feedback, attempts, detail)
            return Outcome("given_up", detail)
        # The current export's server: a build that corrected the address or the key's variable
        # also mends the reports already waiting.
        outcome = self._post(report, feedback.forward)
        if outcome.kind == "forwarded":
            self.reports.forwarded(report.id, feedback.forward.endpoint, outcome.external_id, attempts)
            log.info("report %s forwarded to %s as %s", report.id, feedback.forward.endpoint, outcome.external_id)
        elif outcome.kind == "refused":
            self._give_up(report, feedback, attempts, outcome.detail)
            return replace(outcome, kind="given_up")
        elif now() - report.requested_at >= GIVE_UP_AFTER:
            self._give_up(report, feedback, attempts, f"48 hours of failures, the last: {outcome.detail}")
            return replace(outcome, kind="given_up")
        else:
            self._retry(report, attempts, outcome.detail)
        return outcome

    def _post(self, report: ServiceRequest, forward: Forward) -> Outcome:
        api_key = None
        if forward.api_key_env:
            if not forward.api_key_env.startswith(KEY_PREFIX):  # the schema says so; never send another secret
                return Outcome("refused", f"api_key_env {forward.api_key_env} does not start with {KEY_PREFIX}")
            api_key = self.environ.get(forward.api_key_env)
            if not api_key:
                # our configuration, not the report's: kept and tried again until it is set
                log.error(
                    "report %s not forwarded: the environment variable %s (the API key for %s) is not set",
                    report.id,
                    forward.api_key_env,
                    forward.endpoint,
                )
                return Outcome("failed", f"the environment variable {forward.api_key_env} is not set")
        url = forward.endpoint + "requests.json"
        headers = {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"}
        try:
            response = httpx.post(
                url, content=urlencode(payload(report, forward, api_key)), headers=headers, timeout=self.timeout
            )
        except httpx.HTTPError as exc:  # no answer: refused connection, time-out, broken TLS…
            return Outcome("failed", f"{type(exc).__name__}: {exc}", unreachable=True)
        status = response.status_code
        if 200 <= status < 300:
            found = external_id(response)
            if found is None:  # not a GeoReport v2 answer (a web page, a proxy): not known to be taken
                return Outcome("failed", f"HTTP {status} without a service_request_id or token")
            return Outcome("forwarded", f"HTTP {status}", found)
        if 300 <= status < 400:  # e.g. http → https: the endpoint in site.yml is wrong, retrying cannot help
            return Outcome("refused", f"HTTP {status}: redirected to {response.headers.get('location', '?')[:200]}")
        # the API key is in the body we sent, never in the answer's text we keep
        detail = f"HTTP {status}: {response.text[:300]}"
        if 400 <= status < 500 and status not in TRIED_AGAIN:
            return Outcome("refused", detail)
        return Outcome("failed", detail)

    def _retry(self, report: ServiceRequest, attempts: int, detail: str) -> None:
        delay = min(self.first_delay * 2 ** (attempts - 1), MAX_DELAY)
        log.warning("report %s not forwarded (attempt %d, next in %.0f s): %s", report.id, attempts, delay, detail)
        self.reports.forward_failed(report.id, attempts, now() + datetime.timedelta(seconds=delay), detail)

    def _give_up(self, report: ServiceRequest, feedback: Feedback | None, attempts: int, detail: str) -> None:
        mail = owner_mail(feedback, report) if feedback is not None else None
        self.reports.give_up_forward(report.id, attempts, detail, [mail] if mail else [])
        if mail is not None:
            log.error("report %s: forwarding given up (%s); mailed to the category's owner", report.id, detail)
        else:
            log.error(
                "report %s: forwarding given up (%s) and NOT mailed: its category has no owner in the current"
                " export; it stays in the database for the staff",
                report.id,
                detail,
            )

    async def run(self, interval: float, stop: asyncio.Event | None = None) -> None:
        """As Outbox.run: rounds every ``interval`` seconds or when woken, until ``stop``."""
        while stop is None or not stop.is_set():
            try:
                done = await run_in_threadpool(self.deliver_due)
                if done.given_up and self.outbox is not None:
                    self.outbox.wake.set()  # the owners' mails: now, not at the next poll
            except Exception:  # the worker must outlive a database hiccup
                log.exception("forwarding round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=interval)
            self.wake.clear()
