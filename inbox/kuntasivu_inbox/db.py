"""Tables, engines and migrations. SQLite by default (WAL, busy timeout, synchronous=FULL, and
BEGIN IMMEDIATE so a write transaction holds the lock from its start); PostgreSQL by URL."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    Column,
    DateTime,
    Dialect,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    make_url,
)
from sqlalchemy.types import TypeDecorator

MIGRATIONS = Path(__file__).with_name("migrations")


class UTCDateTime(TypeDecorator[datetime.datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite as on PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime.datetime | None, dialect: Dialect) -> datetime.datetime | None:
        if value is None:
            return None
        return value.astimezone(datetime.UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime.datetime | None, dialect: Dialect) -> datetime.datetime | None:
        return None if value is None else value.replace(tzinfo=datetime.UTC)


metadata = MetaData()

submissions = Table(
    "submissions",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("site", String(100), nullable=False),
    Column("form", String(100), nullable=False),
    Column("lang", String(5), nullable=False),
    Column("data", Text, nullable=False),
    Column("status", String(10), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("handled_at", UTCDateTime),
    Column("purge_after", UTCDateTime, nullable=False),
    Column("client_key", String(64)),
    Index("ix_submissions_site_created", "site", "created_at"),
    Index("ix_submissions_purge_after", "purge_after"),
    Index("ux_submissions_client_key", "site", "form", "client_key", unique=True),
)

bookings = Table(
    "bookings",
    metadata,
    Column("site", String(100), primary_key=True),
    Column("form", String(100), primary_key=True),
    Column("field", String(40), primary_key=True),
    Column("value", String(100), primary_key=True),
    Column("taken", Integer, nullable=False),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("submission_id", String(32), nullable=False, index=True),
    Column("recipient", String(320), nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_error", Text),
)

staff_tokens = Table(
    "staff_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("site", String(100), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("site", String(100), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
)

service_requests = Table(
    "service_requests",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("site", String(100), nullable=False),
    Column("service_code", String(100), nullable=False),
    Column("lang", String(5), nullable=False),
    Column("status", String(10), nullable=False),
    Column("status_notes", Text),
    Column("description", Text, nullable=False),
    Column("lat", Float),
    Column("long", Float),
    Column("address_string", Text),
    Column("address_id", String(200)),
    Column("attributes", Text, nullable=False),
    Column("contact", Text, nullable=False),
    Column("media_url", Text),
    Column("requested_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("first_reply_at", UTCDateTime),
    Column("purge_after", UTCDateTime, nullable=False),
    Column("client_key", String(64)),
    Column("published_at", UTCDateTime),
    Index("ix_service_requests_site_requested", "site", "requested_at"),
    Index("ix_service_requests_purge_after", "purge_after"),
    Index("ix_service_requests_site_client_key", "site", "client_key", unique=True),
)
"""Open311 service requests. ``contact`` (JSON: email, names, phone, device and account ids) is
private: only the staff API and the category owner's mail ever show it. ``client_key`` is the
widget's _key (a resent report is stored once); ``published_at`` is the staff's approval to
show the report in the public list."""

forwards = Table(
    "forwards",
    metadata,
    Column("request_id", String(16), primary_key=True),
    Column("endpoint", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("forwarded_at", UTCDateTime),
    Column("external_id", String(200)),
    Column("last_error", Text),
    Column("given_up_at", UTCDateTime),
    Index("ix_forwards_next_attempt_at", "next_attempt_at"),
)
"""Reports of a site whose feedback goes to an external Open311 server: queued in the same
transaction as the report and posted onward with retries, like the outbox's mails."""


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def normalise_url(url: str) -> str:
    """postgresql:// and postgres:// mean psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, *, busy_timeout_ms: int = 10000) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, hide_parameters=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
        pool_size=10,
        max_overflow=20,
        hide_parameters=True,  # a database error must never write what residents sent into the logs
    )

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None  # we send BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged submission survives power loss
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def migrate(engine: Engine) -> None:
    """Alembic upgrade to head (what `kuntasivu-inbox migrate` and `serve` run)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
