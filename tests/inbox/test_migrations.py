"""The Alembic migrations build exactly the tables the code uses (db.metadata), on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from kuntasivu_inbox.db import metadata
from kuntasivu_inbox.service import Inbox


def test_migrations_match_the_tables_in_code(service: Inbox) -> None:
    # the service fixture has run every migration (as `kuntasivu-inbox serve` does at start)
    with service.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == [], "write a migration for: " + repr(differences)
