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

from .db import api_keys, now, outbox, service_requests
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
        }


@dataclass(frozen=True)
class Change:
    status: str | None = None
    status_notes: str | None = None
    service_code: str | None = None


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

    def create(self, request: ServiceRequest, retention_days: int, mails: Iterable[Mail]) -> None:
        """Store the request and its mails in one transaction (committed on return)."""
        with self.engine.begin() as conn:
            conn.execute(
                insert(service_requests).values(
                    **_row(request),
                    purge_after=request.requested_at + datetime.timedelta(days=retention_days),
                )
            )
            _queue(conn, request.id, mails, request.requested_at)

    def find(
        self,
        site: str,
        *,
        ids: list[str] | None = None,
        codes: list[str] | None = None,
        statuses: list[str] | None = None,
        start: datetime.datetime | None = None,
        end: datetime.datetime | None = None,
        limit: int | None = None,
    ) -> list[ServiceRequest]:
        """Newest first."""
        query = select(service_requests).where(service_requests.c.site == site)
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
        """Apply a staff change; ``mails(before, after)`` says what to send, in the same transaction."""
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
                status_notes=before.status_notes if change.status_notes is None else change.status_notes,
                service_code=change.service_code or before.service_code,
                updated_at=at,
                first_reply_at=before.first_reply_at or (at if change.status_notes else None),
            )
            conn.execute(
                update(service_requests)
                .where(service_requests.c.id == request_id)
                .values(
                    status=after.status,
                    status_notes=after.status_notes,
                    service_code=after.service_code,
                    updated_at=after.updated_at,
                    first_reply_at=after.first_reply_at,
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
            result = conn.execute(delete(service_requests).where(expired))
        return int(result.rowcount)

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
    )
