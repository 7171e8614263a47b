"""Fixtures: a fresh migrated database per test on every backend, the app, tokens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from service.app import create_app
from service.config import Settings
from service.store import tokens

from .databases import (
    PostgresFactory,
    SqliteFactory,
    backends,
    empty_store,
    postgres_admin_url,
    postgres_required,
)


def pytest_report_header(config):
    return f"storage backends: {', '.join(backends())} (TEST_BACKENDS)"


@pytest.fixture(scope="session")
def sqlite_factory(tmp_path_factory):
    return SqliteFactory(tmp_path_factory.mktemp("sqlite"))


@pytest.fixture(scope="session")
def postgresql_factory():
    url = postgres_admin_url()
    try:
        factory = PostgresFactory(url)
    except Exception as exc:  # any connection failure means the leg cannot run
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
        message = f"PostgreSQL not reachable at {url} ({reason}): PostgreSQL leg skipped"
        if postgres_required():
            pytest.fail(message.replace("skipped", "REQUIRED by REQUIRE_POSTGRES"), pytrace=False)
        pytest.skip(message)
    yield factory
    factory.close()


@pytest.fixture(params=backends())
def backend(request) -> str:
    return request.param


@pytest.fixture(params=["one batch", "batches of 2"])
def restore_batches(request, monkeypatch) -> str:
    """A restore of the test's few lines in one batch (checked in-process), or in batches of
    two (checked by a second process while this one loads them, ``store/line_check``)."""
    if request.param == "batches of 2":
        from service.store import backup

        monkeypatch.setattr(backup, "IMPORT_BATCH", 2)
    return request.param


def _throwaway(request, backend: str, make: str) -> Iterator[str]:
    """A database the backend's factory makes (``fresh``, ``unmigrated``), dropped after."""
    factory = request.getfixturevalue(f"{backend}_factory")
    url = getattr(factory, make)()
    yield url
    factory.drop(url)


@pytest.fixture
def database_url(request, backend):
    """A fresh, migrated, empty database on the parametrised backend."""
    yield from _throwaway(request, backend, "fresh")


@pytest.fixture
def unmigrated_url(request, backend):
    """A database on the parametrised backend with none of the service's tables."""
    yield from _throwaway(request, backend, "unmigrated")


@pytest.fixture
def empty_engine(request, backend):
    """A second, empty store on the same backend (restores, imports)."""
    yield from empty_store(request.getfixturevalue(f"{backend}_factory"))


@pytest.fixture
def settings(database_url) -> Settings:
    return Settings(database_url=database_url)


@pytest.fixture
def app(settings):
    app = create_app(settings)
    app.config["TESTING"] = True
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture
def engine(app):
    return app.extensions["engine"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def write_token(engine) -> str:
    return tokens.create_token(engine, "newsroom", "write")


@pytest.fixture
def auth(write_token) -> dict[str, str]:
    """Headers of a writer."""
    return {"Authorization": f"Bearer {write_token}"}
