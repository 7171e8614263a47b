"""What a view runs against: the engine ``create_app`` built (with the write flow installed)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy.engine import Engine


def log_engine() -> Engine:
    """The app's engine; views hand it to the use case or read they call."""
    return current_app.extensions["engine"]
