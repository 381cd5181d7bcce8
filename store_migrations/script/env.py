"""Alembic environment of every store: revisions run on the connection `store_migrations` lends."""

from __future__ import annotations

from alembic import context

attributes = context.config.attributes
context.configure(
    connection=attributes["connection"],
    target_metadata=None,
    version_table=attributes["version_table"],
)
with context.begin_transaction():
    context.run_migrations()
