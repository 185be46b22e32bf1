"""Open311 service requests in the database, their mails and the API keys that may post them.

A new request and the owner's notification are one transaction, like a form submission; a
staff change (status, reply, moving to another category) and the mails that follow from it
(the reply to the reporter, the notification to the new owner) are one transaction, too."""

from __future__ import annotations

import datetime
import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Engine, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from .db import api_keys, forwards, now, outbox, service_requests
from .errors import Refusal
from .feedback import Feedback
from .mail import UNSAFE_ADDRESS
from .store import Mail

ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
ID_LENGTH = 10
STATUSES = ("open", "closed")
Attribute = str | list[str]


def new_request_id() -> str:
    """Short enough to read out on the phone, unguessable enough not to be enumerated."""
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


@dataclass(frozen=True)
class ServiceRequest:
    id: str
    site: str
    service_code: str
    lang: str
    status: str
    status_notes: str | None
    description: str
    lat: float | None
    long: float | None
    address_string: str | None
    address_id: str | None
    attributes: dict[str, Attribute]
    contact: dict[str, str]
    """Private: email, first_name, last_name, phone, device_id, account_id."""
    media_url: str | None
    requested_at: datetime.datetime
    updated_at: datetime.datetime
    first_reply_at: datetime.datetime | None
    published_at: datetime.datetime | None = None
    """When staff approved the report for the public list; None: not public."""
    client_key: str | None = None
    """The widget's _key: a report sent again with the same key is stored once."""

    def staff_json(self) -> dict[str, Any]:
        """Everything, contact included: for the municipality's own staff only."""

        def iso(value: datetime.datetime | None) -> str | None:
            return value.isoformat(timespec="seconds") if value else None

        return {
            "id": self.id,
            "site": self.site,
            "service_code": self.service_code,
            "lang": self.lang,
            "status": self.status,
            "status_notes": self.status_notes,
            "description": self.description,
            "lat": self.lat,
            "long": self.long,
            "address_string": self.address_string,
            "address_id": self.address_id,
            "attributes": self.attributes,
            "contact": self.contact,
            "media_url": self.media_url,
            "requested_at": iso(self.requested_at),
            "updated_at": iso(self.updated_at),
            "first_reply_at": iso(self.first_reply_at),
            "published_at": iso(self.published_at),
        }


@dataclass(frozen=True)
class Change:
    """A staff change; None leaves a value as it is. An empty status_notes removes the reply."""

    status: str | None = None
    status_notes: str | None = None
    service_code: str | None = None
    published: bool | None = None
    """True approves the report for the public list, False withdraws it."""


class NotPublishable(Refusal):
    """Raised by Reports.change when asked to publish a report that is not closed with a reply
    (nothing of the change is stored): the public list is of handled reports, each with the
    municipality's answer, and the residents' own words there are what staff approved."""

    status_code = 409


def publishable(request: ServiceRequest) -> bool:
    """May be in the public list: closed, with a reply."""
    return request.status == "closed" and bool(request.status_notes)


@dataclass(frozen=True)
class Forwarding:
    """A report's place in the queue for the site's other Open311 server."""

    request_id: str
    endpoint: str
    attempts: int
    next_attempt_at: datetime.datetime
    forwarded_at: datetime.datetime | None
    external_id: str | None
    """The other server's service_request_id (or token) for the report."""
    last_error: str | None
    given_up_at: datetime.datetime | None
    """Forwarding failed for good (refused, or 48 hours of failures): the owner was mailed."""


# Mails

LABELS = {
    "fi": {
        "new": "Uusi palaute",
        "moved": "Palaute siirretty sinulle",
        "category": "Aihe",
        "description": "Kuvaus",
        "location": "Sijainti",
        "map": "Kartalla",
        "address": "Osoite",
        "media": "Kuva",
        "reporter": "Lähettäjä",
        "id": "Tunnus",
        "reply": "Vastaus palautteeseesi",
        "your_report": "Palautteesi",
    },
    "sv": {
        "new": "Ny respons",
        "moved": "Respons överförd till dig",
        "category": "Ämne",
        "description": "Beskrivning",
        "location": "Plats",
        "map": "På kartan",
        "address": "Adress",
        "media": "Bild",
        "reporter": "Avsändare",
        "id": "Nummer",
        "reply": "Svar på din respons",
        "your_report": "Din respons",
    },
    "en": {
        "new": "New report",
        "moved": "Report moved to you",
        "category": "Category",
        "description": "Description",
        "location": "Location",
        "map": "On the map",
        "address": "Address",
        "media": "Picture",
        "reporter": "Reporter",
        "id": "Number",
        "reply": "Reply to your report",
        "your_report": "Your report",
    },
}


def osm_link(lat: float, long: float) -> str:
    return f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={long:.6f}#map=18/{lat:.6f}/{long:.6f}"


def _indented(label: str, value: str) -> list[str]:
    if "\n" in value:
        return [f"{label}:", *("  " + line for line in value.split("\n"))]
    return [f"{label}: {value}"]


def owner_mail(feedback: Feedback, request: ServiceRequest, *, moved: bool = False) -> Mail | None:
    """The category owner's notification (site's default language), contact details included:
    the owner needs them to answer."""
    category = feedback.category(request.service_code)
    if category is None:
        return None
    lang = feedback.languages[0]
    words = LABELS[lang]
    name = feedback.t(category.name, lang)
    heading = words["moved" if moved else "new"]
    lines = [f"{heading}: {name}", feedback.t(feedback.site_name, lang), ""]
    lines.append(f"{words['id']}: {request.id}")
    lines.append(f"{words['category']}: {name} ({category.code})")
    lines += _indented(words["description"], request.description)
    if request.lat is not None and request.long is not None:
        lines.append(f"{words['location']}: {request.lat:.6f}, {request.long:.6f}")
        lines.append(f"{words['map']}: {osm_link(request.lat, request.long)}")
    if request.address_string:
        lines.append(f"{words['address']}: {request.address_string}")
    if request.address_id:
        lines.append(f"address_id: {request.address_id}")
    for question in category.questions:
        given = request.attributes.get(question.code)
        if given is None:
            continue
        shown = []
        for value in given if isinstance(given, list) else [given]:
            choice = next((c for c in question.values if c.key == value), None)
            shown.append(feedback.t(choice.name, lang) if choice else value)
        lines += _indented(feedback.t(question.label, lang), ", ".join(shown))
    if request.media_url:
        lines.append(f"{words['media']}: {request.media_url}")
    if request.contact:
        lines += ["", f"{words['reporter']}:"]
        lines += [f"  {name}: {value}" for name, value in request.contact.items()]
    return Mail(category.owner, f"{heading}: {name} ({request.id})", "\n".join(lines) + "\n")


def reply_mail(feedback: Feedback, request: ServiceRequest, notes: str) -> Mail | None:
    """The staff's reply (status_notes) to a reporter who left an address, in their language."""
    address = request.contact.get("email")
    if not address or UNSAFE_ADDRESS & set(address):
        return None
    lang = request.lang if request.lang in LABELS else feedback.languages[0]
    words = LABELS[lang]
    category = feedback.category(request.service_code)
    name = feedback.t(category.name, lang) if category else request.service_code
    lines = [words["reply"], feedback.t(feedback.site_name, lang), ""]
    lines += [*notes.split("\n"), "", f"{words['your_report']} ({words['id']} {request.id}, {name}):"]
    lines += ["  " + line for line in request.description.split("\n")]
    return Mail(address, f"{words['reply']} ({request.id})", "\n".join(lines) + "\n")


class Reports:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(
        self, request: ServiceRequest, retention_days: int, mails: Iterable[Mail], forward: str | None = None
    ) -> str:
        """Store the request and its mails in one transaction (committed on return); with
        ``forward`` (the endpoint of the site's Open311 server) the request is queued for
        forwarding in the same transaction. Returns the id stored. A request whose client_key
        (the widget's _key) is already stored for the site was sent again because its answer
        was lost: nothing is stored, mailed or queued twice, and the earlier one's id is
        returned, even when the copies arrive at once."""
        try:
            with self.engine.begin() as conn:
                if request.client_key is not None:
                    earlier = _by_key(conn, request.site, request.client_key)
                    if earlier is not None:
                        return earlier
                conn.execute(
                    insert(service_requests).values(
                        **_row(request),
                        purge_after=request.requested_at + datetime.timedelta(days=retention_days),
                    )
                )
                _queue(conn, request.id, mails, request.requested_at)
                if forward is not None:
                    conn.execute(
                        insert(forwards).values(
                            request_id=request.id, endpoint=forward, attempts=0, next_attempt_at=request.requested_at
                        )
                    )
        except IntegrityError:
            # PostgreSQL: the same key at once in two transactions; the unique index (site,
            # client_key) let one commit and refused the other, whose insert is rolled back.
            # (SQLite's BEGIN IMMEDIATE runs them one after the other: the check above sees it.)
            earlier = None
            if request.client_key is not None:
                with self.engine.connect() as conn:
                    earlier = _by_key(conn, request.site, request.client_key)
            if earlier is None:
                raise
            return earlier
        return request.id

    def find(
        self,
        site: str,
        *,
        ids: list[str] | None = None,
        codes: list[str] | None = None,
        statuses: list[str] | None = None,
        start: datetime.datetime | None = None,
        end: datetime.datetime | None = None,
        published: bool | None = None,
        limit: int | None = None,
    ) -> list[ServiceRequest]:
        """Newest first. ``published``: True only the ones approved for the public list, False
        only the others, None all."""
        query = select(service_requests).where(service_requests.c.site == site)
        if published is not None:
            column = service_requests.c.published_at
            query = query.where(column.is_not(None) if published else column.is_(None))
        if ids is not None:
            query = query.where(service_requests.c.id.in_(ids))
        if codes:
            query = query.where(service_requests.c.service_code.in_(codes))
        if statuses:
            query = query.where(service_requests.c.status.in_(statuses))
        if start is not None:
            query = query.where(service_requests.c.requested_at >= start)
        if end is not None:
            query = query.where(service_requests.c.requested_at <= end)
        query = query.order_by(service_requests.c.requested_at.desc(), service_requests.c.id).limit(limit)
        with self.engine.connect() as conn:
            return [_request(r) for r in conn.execute(query)]

    def get(self, site: str, request_id: str) -> ServiceRequest | None:
        found = self.find(site, ids=[request_id])
        return found[0] if found else None

    def change(
        self, site: str, request_id: str, change: Change, mails: Callable[[ServiceRequest, ServiceRequest], list[Mail]]
    ) -> ServiceRequest | None:
        """Apply a staff change; ``mails(before, after)`` says what to send, in the same transaction.

        Publishing is checked here, on the locked row, so that a report closed and answered in
        the same change may be published with it, and a concurrent reopening cannot slip in
        between the check and the approval: NotPublishable unless the result is closed with a
        reply. A published report that is reopened or loses its reply leaves the public list
        (the list is of handled, answered reports); staff approve it again once it is handled."""
        with self.engine.begin() as conn:
            row = conn.execute(
                select(service_requests)
                .where(service_requests.c.site == site, service_requests.c.id == request_id)
                .with_for_update()
            ).first()
            if row is None:
                return None
            before = _request(row)
            at = now()
            after = replace(
                before,
                status=change.status or before.status,
                status_notes=before.status_notes if change.status_notes is None else (change.status_notes or None),
                service_code=change.service_code or before.service_code,
                updated_at=at,
                first_reply_at=before.first_reply_at or (at if change.status_notes else None),
            )
            if change.published and not publishable(after):
                missing = [
                    *(["it is not closed"] if after.status != "closed" else []),
                    *(["it has no reply (status_notes)"] if not after.status_notes else []),
                ]
                raise NotPublishable(
                    "Only a closed report with a reply can be published, and "
                    f"{' and '.join(missing)}: close it and write the reply first (in the same change if you like)."
                )
            published_at: datetime.datetime | None = None
            if change.published:
                published_at = before.published_at or at
            elif change.published is None and publishable(after):
                published_at = before.published_at
            after = replace(after, published_at=published_at)
            conn.execute(
                update(service_requests)
                .where(service_requests.c.id == request_id)
                .values(
                    status=after.status,
                    status_notes=after.status_notes,
                    service_code=after.service_code,
                    updated_at=after.updated_at,
                    first_reply_at=after.first_reply_at,
                    published_at=after.published_at,
                )
            )
            _queue(conn, request_id, mails(before, after), at)
        return after

    def purge(self, feedbacks: Iterable[Feedback], at: datetime.datetime | None = None) -> int:
        """Delete what is past its retention (stored, or the site's current one when shorter),
        with its unsent mails."""
        at = at or now()
        shorter = [
            (service_requests.c.site == f.site)
            & (service_requests.c.requested_at < at - datetime.timedelta(days=f.retention_days))
            for f in feedbacks
        ]
        expired = or_(service_requests.c.purge_after < at, *shorter)
        with self.engine.begin() as conn:
            ids = select(service_requests.c.id).where(expired).scalar_subquery()
            conn.execute(delete(outbox).where(outbox.c.submission_id.in_(ids)))
            conn.execute(delete(forwards).where(forwards.c.request_id.in_(ids)))
            result = conn.execute(delete(service_requests).where(expired))
        return int(result.rowcount)

    # Forwarding to another Open311 server (forward.py runs the queue)

    def due_forwards(self, at: datetime.datetime, limit: int = 50) -> list[tuple[str, datetime.datetime]]:
        """(request id, next_attempt_at) of the queued forwards due at ``at``, oldest first."""
        query = (
            select(forwards.c.request_id, forwards.c.next_attempt_at)
            .where(
                forwards.c.forwarded_at.is_(None),
                forwards.c.given_up_at.is_(None),
                forwards.c.next_attempt_at <= at,
            )
            .order_by(forwards.c.next_attempt_at, forwards.c.request_id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [(r.request_id, r.next_attempt_at) for r in conn.execute(query)]

    def claim_forward(
        self, request_id: str, due: datetime.datetime, until: datetime.datetime
    ) -> tuple[ServiceRequest, Forwarding] | None:
        """Take one due forward for sending: a conditional UPDATE moves its next attempt to
        ``until`` (a lease), so two workers never send it at once and a worker that dies while
        sending leaves it to be tried again after the lease. None: someone else took it."""
        with self.engine.begin() as conn:
            claimed = conn.execute(
                update(forwards)
                .where(
                    forwards.c.request_id == request_id,
                    forwards.c.next_attempt_at == due,
                    forwards.c.forwarded_at.is_(None),
                    forwards.c.given_up_at.is_(None),
                )
                .values(next_attempt_at=until)
            )
            if claimed.rowcount != 1:
                return None
            row = conn.execute(select(forwards).where(forwards.c.request_id == request_id)).first()
            report = conn.execute(select(service_requests).where(service_requests.c.id == request_id)).first()
        if row is None or report is None:
            return None
        return _request(report), _forwarding(row)

    def forwarded(self, request_id: str, endpoint: str, external_id: str | None, attempts: int) -> None:
        """Taken by the server at ``endpoint`` (the export's at the time of sending, which a
        new build may have changed since the report was queued)."""
        with self.engine.begin() as conn:
            conn.execute(
                update(forwards)
                .where(forwards.c.request_id == request_id)
                .values(
                    forwarded_at=now(), endpoint=endpoint, external_id=external_id, attempts=attempts, last_error=None
                )
            )

    def forward_failed(self, request_id: str, attempts: int, retry_at: datetime.datetime, error: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(forwards)
                .where(forwards.c.request_id == request_id)
                .values(attempts=attempts, next_attempt_at=retry_at, last_error=error[:500])
            )

    def give_up_forward(self, request_id: str, attempts: int, error: str, mails: Iterable[Mail]) -> None:
        """Forwarding failed for good: marked so, and the owner's mail queued, in one transaction."""
        at = now()
        with self.engine.begin() as conn:
            conn.execute(
                update(forwards)
                .where(forwards.c.request_id == request_id)
                .values(given_up_at=at, attempts=attempts, last_error=error[:500])
            )
            _queue(conn, request_id, mails, at)

    def forwarding(self, request_id: str) -> Forwarding | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(forwards).where(forwards.c.request_id == request_id)).first()
        return _forwarding(row) if row is not None else None

    # API keys

    def add_key(self, site: str, key_hash: str) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(insert(api_keys).values(site=site, key_hash=key_hash, created_at=now()))
            return int(result.inserted_primary_key[0])  # type: ignore[index]

    def revoke_key(self, key_hash: str | None = None, key_id: int | None = None) -> bool:
        where = api_keys.c.key_hash == key_hash if key_hash else api_keys.c.id == key_id
        with self.engine.begin() as conn:
            result = conn.execute(
                update(api_keys).where(where, api_keys.c.revoked_at.is_(None)).values(revoked_at=now())
            )
        return bool(result.rowcount == 1)

    def key_site(self, key_hash: str) -> str | None:
        query = select(api_keys.c.site).where(api_keys.c.key_hash == key_hash, api_keys.c.revoked_at.is_(None))
        with self.engine.connect() as conn:
            site = conn.execute(query).scalar()
        return str(site) if site is not None else None

    def api_keys(self) -> list[tuple[int, str, datetime.datetime, datetime.datetime | None]]:
        query = select(api_keys.c.id, api_keys.c.site, api_keys.c.created_at, api_keys.c.revoked_at)
        with self.engine.connect() as conn:
            return [(r.id, r.site, r.created_at, r.revoked_at) for r in conn.execute(query.order_by(api_keys.c.id))]


def _by_key(conn: Any, site: str, key: str) -> str | None:
    found = conn.execute(
        select(service_requests.c.id).where(service_requests.c.site == site, service_requests.c.client_key == key)
    ).first()
    return str(found.id) if found is not None else None


def _forwarding(row: Any) -> Forwarding:
    return Forwarding(
        request_id=row.request_id,
        endpoint=row.endpoint,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        forwarded_at=row.forwarded_at,
        external_id=row.external_id,
        last_error=row.last_error,
        given_up_at=row.given_up_at,
    )


def _queue(conn: Any, request_id: str, mails: Iterable[Mail], at: datetime.datetime) -> None:
    rows = [
        {
            "submission_id": request_id,
            "recipient": m.recipient,
            "subject": m.subject,
            "body": m.body,
            "attempts": 0,
            "next_attempt_at": at,
            "created_at": at,
        }
        for m in mails
    ]
    if rows:
        conn.execute(insert(outbox), rows)


def _row(r: ServiceRequest) -> dict[str, Any]:
    return {
        "id": r.id,
        "site": r.site,
        "service_code": r.service_code,
        "lang": r.lang,
        "status": r.status,
        "status_notes": r.status_notes,
        "description": r.description,
        "lat": r.lat,
        "long": r.long,
        "address_string": r.address_string,
        "address_id": r.address_id,
        "attributes": json.dumps(r.attributes, ensure_ascii=False),
        "contact": json.dumps(r.contact, ensure_ascii=False),
        "media_url": r.media_url,
        "requested_at": r.requested_at,
        "updated_at": r.updated_at,
        "first_reply_at": r.first_reply_at,
        "published_at": r.published_at,
        "client_key": r.client_key,
    }


def _request(row: Any) -> ServiceRequest:
    return ServiceRequest(
        id=row.id,
        site=row.site,
        service_code=row.service_code,
        lang=row.lang,
        status=row.status,
        status_notes=row.status_notes,
        description=row.description,
        lat=row.lat,
        long=row.long,
        address_string=row.address_string,
        address_id=row.address_id,
        attributes=json.loads(row.attributes),
        contact=json.loads(row.contact),
        media_url=row.media_url,
        requested_at=row.requested_at,
        updated_at=row.updated_at,
        first_reply_at=row.first_reply_at,
        published_at=row.published_at,
        client_key=row.client_key,
    )
