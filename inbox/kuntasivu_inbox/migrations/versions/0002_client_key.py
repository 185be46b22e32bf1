"""Each submission may carry the key its page gave it, so a resent submission is stored once.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.add_column(sa.Column("client_key", sa.String(64)))
    op.create_index("ux_submissions_client_key", "submissions", ["site", "form", "client_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_submissions_client_key", "submissions")
    with op.batch_alter_table("submissions") as batch:
        batch.drop_column("client_key")
