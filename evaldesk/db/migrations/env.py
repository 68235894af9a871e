"""Alembic environment: runs on the connection handed over by evaldesk.db.migrate."""

from __future__ import annotations

from alembic import context

from evaldesk.db.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `alembic` run by hand without evaldesk
    raise RuntimeError("evaldesk migrations run through evaldesk.db.migrate")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
