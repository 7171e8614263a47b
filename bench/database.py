"""A throw-away PostgreSQL database for a benchmark run: migrated, loaded, dropped after."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from service.history.importer import import_history
from service.store.migrate import upgrade
from service.wiring import open_log

from .bare_app import TABLE_DDL

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def admin_url() -> str:
    """The server benchmarks create their databases on (BENCH_POSTGRES_URL)."""
    return os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_POSTGRES_URL", DEFAULT_URL)


def service_settings(threads: int = 8) -> dict[str, str]:
    """The shipped gunicorn shape with the access log and rate limits off."""
    return {
        "ACCESS_LOG": "",
        "RATE_LIMIT_ENABLED": "false",
        "GUNICORN_THREADS": str(threads),
        "LOG_LEVEL": "WARNING",
    }


@contextmanager
def bench_database(*, events: int = 0) -> Iterator[tuple[str, str]]:
    """(SQLAlchemy URL, psycopg DSN) of a new database holding the real history, or
    ``events`` generated events (bench/read.py's generator); dropped on exit."""
    admin = sa.create_engine(admin_url(), isolation_level="AUTOCOMMIT")
    name = f"pel_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(admin_url()).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        engine = open_log(url)
        with engine.begin() as conn:
            conn.exec_driver_sql(TABLE_DDL)
        if events:
            from .read import Generator, fill

            fill(engine, Generator(), events, 1000, 0)
        else:
            import_history(engine)
        engine.dispose()
        dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        yield url, dsn
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@contextmanager
def existing_database(url: str) -> Iterator[tuple[str, str]]:
    """(SQLAlchemy URL, psycopg DSN) of a store filled earlier; it is left as it is."""
    yield url, make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
