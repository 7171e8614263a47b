"""gunicorn target: ``service.wsgi:app``."""

from __future__ import annotations

from .app import create_app

app = create_app()
# Render the OpenAPI document at start (each worker imports this module), not on a request.
app.extensions["api"].prime()
