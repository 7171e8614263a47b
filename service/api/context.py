"""What a view runs against: the engine ``create_app`` built, and where the service is reached."""

from __future__ import annotations

from flask import current_app, request
from sqlalchemy.engine import Engine


def log_engine() -> Engine:
    """The app's engine; views hand it to the use case or read they call."""
    return current_app.extensions["engine"]


def public_url(path: str) -> str:
    """A link to ``path`` of this service, never built from the request's ``Host`` header.

    ``PUBLIC_BASE_URL`` + path when it is configured (an absolute URL); otherwise the path
    under the app's script root, which a client resolves against the URL it asked for.
    """
    base = current_app.config["SETTINGS"].public_base_url
    return (base.rstrip("/") if base else request.script_root) + path
