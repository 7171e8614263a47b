"""What a command runs against: the engine of the app the CLI was started with."""

from __future__ import annotations

from flask import current_app
from sqlalchemy.engine import Engine


def log_engine() -> Engine:
    """The app's engine, with the write flow installed (``service.wiring``)."""
    return current_app.extensions["engine"]
