"""Open311: service requests (location-based feedback) and the per-municipality API keys.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from kuntasivu_inbox.db import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("site", sa.String(100), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("revoked_at", UTCDateTime),
    )
    op.create_table(
        "service_requests",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("site", sa.String(100), nullable=False),
        sa.Column("service_code", sa.String(100), nullable=False),
        sa.Column("lang", sa.String(5), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("status_notes", sa.Text),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("lat", sa.Float),
        sa.Column("long", sa.Float),
        sa.Column("address_string", sa.Text),
        sa.Column("address_id", sa.String(200)),
        sa.Column("attributes", sa.Text, nullable=False),
        sa.Column("contact", sa.Text, nullable=False),
        sa.Column("media_url", sa.Text),
        sa.Column("requested_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("first_reply_at", UTCDateTime),
        sa.Column("purge_after", UTCDateTime, nullable=False),
    )
    op.create_index("ix_service_requests_site_requested", "service_requests", ["site", "requested_at"])
    op.create_index("ix_service_requests_purge_after", "service_requests", ["purge_after"])


def downgrade() -> None:
    op.drop_table("service_requests")
    op.drop_table("api_keys")
