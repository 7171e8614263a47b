"""Alembic environment: the URL from the caller's config or DATABASE_URL."""

from __future__ import annotations

from alembic import context

from service.config import Settings
from service.readmodel.tables import metadata as readmodel_metadata
from service.store.engine import make_engine
from service.store.tables import metadata as log_metadata

config = context.config
# The log's tables and the read model's: one schema, two owners (store/ never imports readmodel/).
target_metadata = [log_metadata, readmodel_metadata]


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or Settings.from_env().database_url
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run against a database")
run_migrations_online()
