"""Submissions, seat bookings, the mail outbox and staff tokens.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from kuntasivu_inbox.db import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "submissions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("site", sa.String(100), nullable=False),
        sa.Column("form", sa.String(100), nullable=False),
        sa.Column("lang", sa.String(5), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("handled_at", UTCDateTime),
        sa.Column("purge_after", UTCDateTime, nullable=False),
    )
    op.create_index("ix_submissions_site_created", "submissions", ["site", "created_at"])
    op.create_index("ix_submissions_purge_after", "submissions", ["purge_after"])
    op.create_table(
        "bookings",
        sa.Column("site", sa.String(100), primary_key=True),
        sa.Column("form", sa.String(100), primary_key=True),
        sa.Column("field", sa.String(40), primary_key=True),
        sa.Column("value", sa.String(100), primary_key=True),
        sa.Column("taken", sa.Integer, nullable=False),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("submission_id", sa.String(32), nullable=False),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", UTCDateTime, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("last_error", sa.Text),
    )
    op.create_index("ix_outbox_submission_id", "outbox", ["submission_id"])
    op.create_index("ix_outbox_next_attempt_at", "outbox", ["next_attempt_at"])
    op.create_table(
        "staff_tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("site", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("revoked_at", UTCDateTime),
    )


def downgrade() -> None:
    for table in ("staff_tokens", "outbox", "bookings", "submissions"):
        op.drop_table(table)
