"""Submissions in the database. One transaction holds the seat bookings, the submission and
its mails, so an answered submission is committed with everything that must follow from it.

Seats: a row per (site, form, field, value) counts what is taken, and a booking is the
conditional `UPDATE … SET taken = taken + 1 WHERE taken < capacity`. PostgreSQL locks the row
and re-checks the condition after a concurrent commit; SQLite runs write transactions one at a
time (BEGIN IMMEDIATE). Either way two submissions can never take the last seat both."""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from .db import bookings, now, outbox, staff_tokens, submissions
from .forms import Form
from .rules import Value


@dataclass(frozen=True, order=True)
class Booking:
    field: str
    value: str
    capacity: int


@dataclass(frozen=True)
class Mail:
    recipient: str
    subject: str
    body: str


@dataclass(frozen=True)
class Submission:
    id: str
    site: str
    form: str
    lang: str
    data: dict[str, Value]
    status: str
    created_at: datetime.datetime
    handled_at: datetime.datetime | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "site": self.site,
            "form": self.form,
            "lang": self.lang,
            "status": self.status,
            "created_at": self.created_at.isoformat(),
            "handled_at": self.handled_at.isoformat() if self.handled_at else None,
            "data": self.data,
        }


class SeatsTaken(Exception):
    """Raised inside Store.submit's transaction (and caught there) when an option is full."""

    def __init__(self, full: list[Booking]) -> None:
        super().__init__(full)
        self.full = full


def bookings_for(form: Form, values: dict[str, Value]) -> list[Booking]:
    """One seat for every chosen option that has a capacity, in a fixed order (no deadlocks)."""
    if form.kind != "registration":
        return []
    wanted = []
    for field in form.fields:
        chosen = values.get(field.name)
        for value in chosen if isinstance(chosen, list) else [chosen] if chosen else []:
            option = field.option(value)
            if option is not None and option.capacity is not None:
                wanted.append(Booking(field.name, value, option.capacity))
    return sorted(wanted)


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def submit(
        self, form: Form, lang: str, values: dict[str, Value], mails: Iterable[Mail], key: str | None = None
    ) -> str | list[Booking]:
        """The new submission's id, or the bookings that found their option full (nothing stored).

        ``key`` is the page's key for this submission (_key): a submission sent again with the
        same key, because its answer was lost on the way, gets the first one's id, and nothing
        is stored, booked or mailed twice."""
        submission_id = uuid.uuid4().hex
        created = now()
        try:
            with self.engine.begin() as conn:
                if key is not None and (earlier := self._by_key(conn, form, key)) is not None:
                    return earlier
                full = [b for b in bookings_for(form, values) if not self._book(conn, form, b)]
                if full:
                    raise SeatsTaken(full)
                conn.execute(
                    insert(submissions).values(
                        id=submission_id,
                        site=form.site,
                        form=form.id,
                        lang=lang,
                        data=json.dumps(values, ensure_ascii=False),
                        status="new",
                        created_at=created,
                        purge_after=created + datetime.timedelta(days=form.retention_days),
                        client_key=key,
                    )
                )
                rows = [
                    {
                        "submission_id": submission_id,
                        "recipient": m.recipient,
                        "subject": m.subject,
                        "body": m.body,
                        "attempts": 0,
                        "next_attempt_at": created,
                        "created_at": created,
                    }
                    for m in mails
                ]
                if rows:
                    conn.execute(insert(outbox), rows)
        except SeatsTaken as exc:
            return exc.full
        except IntegrityError:
            # the same key sent twice at once: the other transaction stored it (this one, with
            # its seats, was rolled back)
            with self.engine.connect() as conn:
                earlier = self._by_key(conn, form, key) if key is not None else None
            if earlier is None:
                raise
            return earlier
        return submission_id

    @staticmethod
    def _by_key(conn: Any, form: Form, key: str) -> str | None:
        found = conn.execute(
            select(submissions.c.id).where(
                submissions.c.site == form.site, submissions.c.form == form.id, submissions.c.client_key == key
            )
        ).first()
        return str(found.id) if found is not None else None

    def _book(self, conn: Any, form: Form, booking: Booking) -> bool:
        key = {"site": form.site, "form": form.id, "field": booking.field, "value": booking.value}
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(dialect.insert(bookings).values(**key, taken=0).on_conflict_do_nothing())
        match = [bookings.c[k] == v for k, v in key.items()]
        result = conn.execute(
            update(bookings).where(*match, bookings.c.taken < booking.capacity).values(taken=bookings.c.taken + 1)
        )
        return bool(result.rowcount == 1)

    def taken(self, form: Form) -> dict[tuple[str, str], int]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(bookings.c.field, bookings.c.value, bookings.c.taken).where(
                    bookings.c.site == form.site, bookings.c.form == form.id
                )
            )
            return {(r.field, r.value): r.taken for r in rows}

    def availability(self, form: Form) -> dict[str, dict[str, dict[str, int]]]:
        if form.kind != "registration":
            return {}
        taken = self.taken(form)
        result: dict[str, dict[str, dict[str, int]]] = {}
        for field in form.fields:
            for o in field.options:
                if o.capacity is not None:
                    left = max(0, o.capacity - taken.get((field.name, o.value), 0))
                    result.setdefault(field.name, {})[o.value] = {"capacity": o.capacity, "left": left}
        return result

    # Staff

    def find(
        self, site: str, *, form: str | None = None, status: str | None = None, limit: int | None = None
    ) -> list[Submission]:
        """Newest first; every match unless ``limit`` is given (exports must hold every row)."""
        query = select(submissions).where(submissions.c.site == site)
        if form:
            query = query.where(submissions.c.form == form)
        if status:
            query = query.where(submissions.c.status == status)
        query = query.order_by(submissions.c.created_at.desc(), submissions.c.id).limit(limit)
        with self.engine.connect() as conn:
            return [_submission(r) for r in conn.execute(query)]

    def get(self, site: str, submission_id: str) -> Submission | None:
        query = select(submissions).where(submissions.c.site == site, submissions.c.id == submission_id)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return _submission(row) if row is not None else None

    def mark_handled(self, site: str, submission_id: str) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(
                update(submissions)
                .where(submissions.c.site == site, submissions.c.id == submission_id)
                .values(status="handled", handled_at=now())
            )
        return bool(result.rowcount == 1)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(submissions)).scalar_one())

    # Retention

    def purge(self, forms: Iterable[Form], at: datetime.datetime | None = None) -> int:
        """Delete what is past its retention: the days stored with each submission, or the
        form's current retention_days when that is shorter. Its unsent mails go with it."""
        at = at or now()
        shorter = [
            (submissions.c.site == f.site)
            & (submissions.c.form == f.id)
            & (submissions.c.created_at < at - datetime.timedelta(days=f.retention_days))
            for f in forms
        ]
        expired = or_(submissions.c.purge_after < at, *shorter)
        with self.engine.begin() as conn:
            ids = select(submissions.c.id).where(expired).scalar_subquery()
            conn.execute(delete(outbox).where(outbox.c.submission_id.in_(ids)))
            result = conn.execute(delete(submissions).where(expired))
        return int(result.rowcount)

    # Staff tokens

    def add_token(self, site: str, token_hash: str) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(insert(staff_tokens).values(site=site, token_hash=token_hash, created_at=now()))
            return int(result.inserted_primary_key[0])  # type: ignore[index]

    def revoke_token(self, token_hash: str | None = None, token_id: int | None = None) -> bool:
        where = staff_tokens.c.token_hash == token_hash if token_hash else staff_tokens.c.id == token_id
        with self.engine.begin() as conn:
            result = conn.execute(
                update(staff_tokens).where(where, staff_tokens.c.revoked_at.is_(None)).values(revoked_at=now())
            )
        return bool(result.rowcount == 1)

    def token_site(self, token_hash: str) -> str | None:
        query = select(staff_tokens.c.site).where(
            staff_tokens.c.token_hash == token_hash, staff_tokens.c.revoked_at.is_(None)
        )
        with self.engine.connect() as conn:
            site = conn.execute(query).scalar()
        return str(site) if site is not None else None

    def tokens(self) -> list[tuple[int, str, datetime.datetime, datetime.datetime | None]]:
        query = select(staff_tokens.c.id, staff_tokens.c.site, staff_tokens.c.created_at, staff_tokens.c.revoked_at)
        with self.engine.connect() as conn:
            return [(r.id, r.site, r.created_at, r.revoked_at) for r in conn.execute(query.order_by(staff_tokens.c.id))]


def _submission(row: Any) -> Submission:
    return Submission(
        id=row.id,
        site=row.site,
        form=row.form,
        lang=row.lang,
        data=json.loads(row.data),
        status=row.status,
        created_at=row.created_at,
        handled_at=row.handled_at,
    )
