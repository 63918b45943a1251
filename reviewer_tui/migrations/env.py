"""Alembic environment. The caller hands over an open connection inside a transaction
(see reviewer_tui.migrate), so every migration and its version stamp commit or roll back together."""

from alembic import context
from sqlmodel import SQLModel

from reviewer_tui import models  # noqa: F401  (registers every table on SQLModel.metadata)
from reviewer_tui.search import include_name  # the search index's tables have no model

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    transaction_per_migration=False,
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
