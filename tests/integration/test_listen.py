"""Live readers are woken by appends: NOTIFY on PostgreSQL, polling on SQLite."""

from __future__ import annotations

import pytest

from service.store.append import append
from service.store.hooks import hooks_of
from service.store.listen import ListeningWaiter, PollingWaiter, notify_appended, waiter_for
from tests.builders import new_swap


def test_the_app_engine_notifies_inside_every_append_transaction(engine):
    assert hooks_of(engine).on_append.count(notify_appended) == 1


class TestWaiters:
    @pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
    def test_sqlite_readers_poll_at_the_configured_interval(self, engine):
        with waiter_for(engine, 0.01) as waiter:
            assert isinstance(waiter, PollingWaiter)
            assert waiter.wait(5) is False

    @pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
    def test_an_append_by_another_connection_wakes_a_postgresql_listener(self, engine):
        with waiter_for(engine, 0.01) as waiter:
            assert isinstance(waiter, ListeningWaiter)
            assert waiter.wait(0.05) is False
            append(engine, [new_swap()], recorded_by="newsroom")
            assert waiter.wait(30) is True

    @pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
    def test_a_lost_listening_connection_falls_back_to_polling(self, engine):
        with waiter_for(engine, 0.01) as waiter:
            waiter.conn.close()
            assert waiter.wait(1) is False
            assert isinstance(waiter.fallback, PollingWaiter)
