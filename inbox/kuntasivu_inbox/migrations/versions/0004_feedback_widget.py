"""Feedback from the site's widget: its idempotency key, staff approval for the public list,
and the queue of reports forwarded to an external Open311 server.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from kuntasivu_inbox.db import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("service_requests", sa.Column("client_key", sa.String(64)))
    op.add_column("service_requests", sa.Column("published_at", UTCDateTime))
    op.create_index("ix_service_requests_site_client_key", "service_requests", ["site", "client_key"], unique=True)
    op.create_table(
        "forwards",
        sa.Column("request_id", sa.String(16), primary_key=True),
        sa.Column("endpoint", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", UTCDateTime, nullable=False),
        sa.Column("forwarded_at", UTCDateTime),
        sa.Column("external_id", sa.String(200)),
        sa.Column("last_error", sa.Text),
        sa.Column("given_up_at", UTCDateTime),
    )
    op.create_index("ix_forwards_next_attempt_at", "forwards", ["next_attempt_at"])


def downgrade() -> None:
    op.drop_table("forwards")
    op.drop_index("ix_service_requests_site_client_key", "service_requests")
    op.drop_column("service_requests", "published_at")
    op.drop_column("service_requests", "client_key")
