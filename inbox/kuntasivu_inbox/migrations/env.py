"""Alembic environment: always run from db.migrate() with a connection in config.attributes."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None)
with context.begin_transaction():
    context.run_migrations()
