"""What a command runs against: the engine of the app the CLI was started with."""

from __future__ import annotations

from flask import current_app
from sqlalchemy.engine import Engine

from ..store import event_reads


def log_engine() -> Engine:
    """The app's engine, with the write flow installed (``service.wiring``)."""
    return current_app.extensions["engine"]


def head_position(engine: Engine) -> int:
    """The head position now: the total a progress bar counts towards."""
    with engine.connect() as conn:
        position, _ = event_reads.head(conn)
    return position
