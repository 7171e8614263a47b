"""PostgreSQL's queued writes as sent (``store/pg_send.send_all``): which thread sent them
and which tables they copied in, and a real server error in one of the thread's sends."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from service.store import pg_send

SENDING_THREAD = "pg-writes"


def observe_sends(
    monkeypatch: pytest.MonkeyPatch, log: list[Any], *, fail_at: int | None = None
) -> None:
    """Append ``("send", (thread name, tables copied in))`` to ``log`` for every send. With
    ``fail_at``, the sending thread's ``fail_at``-th send (counting from 1) first runs a
    statement the server refuses (division by zero), so that send fails as a write would."""
    send_all = pg_send.send_all
    by_thread = 0

    def observed(driver: Any, queued: pg_send.Queued) -> None:
        nonlocal by_thread
        name = threading.current_thread().name
        copies = [write[0].split()[1] for write in queued if write[2] == pg_send.COPY]
        log.append(("send", (name, copies)))
        if name == SENDING_THREAD:
            by_thread += 1
            if by_thread == fail_at:
                driver.execute("SELECT 1 / 0")
        send_all(driver, queued)

    monkeypatch.setattr(pg_send, "send_all", observed)
