"""POW Exchange Log: an append-only event log of prisoner-of-war exchanges with a read API."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    # `flask --app service` finds create_app here without making every import load Flask.
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(name)
