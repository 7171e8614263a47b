"""Throwaway databases for tests, built through the Alembic migrations, on both backends.

Each test session migrates one template per backend; each test gets a fresh copy (a file copy
on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL), so tests never share a log and several
test runs can use one PostgreSQL server at the same time.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from service.store.migrate import upgrade
from service.wiring import open_log
from tests.servers import free_port

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def backends() -> list[str]:
    """Backends to run storage tests on: TEST_BACKENDS, default both."""
    raw = os.environ.get("TEST_BACKENDS", "sqlite,postgresql")
    return [b.strip() for b in raw.split(",") if b.strip()]


def postgres_admin_url() -> str:
    return os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def postgres_required() -> bool:
    return os.environ.get("REQUIRE_POSTGRES", "").lower() in {"1", "true", "yes"}


def unreachable_url(backend: str, folder: Path) -> str:
    """A store that cannot be reached: PostgreSQL on a port nothing listens on (connections
    refused); SQLite in a directory that does not exist (SQLITE_CANTOPEN)."""
    if backend == "postgresql":
        return f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test"
    return f"sqlite:///{folder / 'gone' / 'exchange-log.db'}"


class SqliteFactory:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.template = root / "template.db"
        upgrade(f"sqlite:///{self.template}")

    def fresh(self) -> str:
        path = self.root / f"t-{uuid.uuid4().hex[:12]}.db"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"

    def unmigrated(self) -> str:
        """A store with none of the service's tables (SQLite creates the file when opened)."""
        return f"sqlite:///{self.root / f'bare-{uuid.uuid4().hex[:12]}.db'}"

    def drop(self, url: str) -> None:
        path = Path(make_url(url).database or "")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    def close(self) -> None:
        pass


class PostgresFactory:
    def __init__(self, admin_url: str) -> None:
        self.admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", pool_size=1)
        with self.admin.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        self.base_url = make_url(admin_url)
        self.template = f"pel_tpl_{uuid.uuid4().hex[:10]}"
        self._execute(f'CREATE DATABASE "{self.template}"')
        upgrade(self.url_for(self.template))

    def url_for(self, name: str) -> str:
        return self.base_url.set(database=name).render_as_string(hide_password=False)

    def fresh(self) -> str:
        name = f"pel_t_{uuid.uuid4().hex[:12]}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}" STRATEGY FILE_COPY')
        return self.url_for(name)

    def unmigrated(self) -> str:
        """A database with none of the service's tables."""
        name = f"pel_b_{uuid.uuid4().hex[:12]}"
        self._execute(f'CREATE DATABASE "{name}"')
        return self.url_for(name)

    def drop(self, url: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

    def close(self) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self.admin.dispose()

    def _execute(self, statement: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(sa.text(statement))


def empty_store(factory: SqliteFactory | PostgresFactory) -> Iterator[Engine]:
    """A fresh, migrated store with the write flow installed; dropped afterwards."""
    url = factory.fresh()
    engine = open_log(url)
    yield engine
    engine.dispose()
    factory.drop(url)


def listeners(database_url: str) -> int:
    """How many connections LISTEN for the live feed on this PostgreSQL database."""
    engine = sa.create_engine(database_url.rsplit("/", 1)[0] + "/postgres")
    name = database_url.rsplit("/", 1)[1]
    try:
        with engine.connect() as conn:
            return conn.execute(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = :db AND query = 'LISTEN events'"
                ),
                {"db": name},
            ).scalar_one()
    finally:
        engine.dispose()
