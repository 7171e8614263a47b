"""Response hardening: security headers on every response and CORS from an allow-list."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, request
from flask_cors import CORS

from .context import public_url

# JSON, problem documents, YAML and metrics: nothing may load, nothing may frame them.
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# The /docs page: its own script and styles only (Swagger UI sets inline style attributes),
# data: images for its icons, fetches of /openapi.yaml from this origin.
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
    " img-src 'self' data:; connect-src 'self'; font-src 'self';"
    " frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
CORS_ALLOWED_HEADERS = ["Authorization", "Content-Type", "If-Match", "Idempotency-Key", "Accept"]
CORS_EXPOSED_HEADERS = ["Location", "Link", "Retry-After", "Idempotent-Replayed"]


def security_headers(response: Response) -> Response:
    """nosniff, no referrer, and a Content-Security-Policy that fits the response."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    html_docs = request.path.startswith("/docs") and response.mimetype == "text/html"
    # A response that brings its own policy keeps it (the HTML pages: service/web/site.py).
    if "Content-Security-Policy" not in response.headers:
        response.headers["Content-Security-Policy"] = DOCS_CSP if html_docs else API_CSP
    # Whatever server runs the app, the response does not advertise it or its version.
    response.headers.pop("Server", None)
    return response


def redirect_without_host(response: Response) -> Response:
    """A redirect werkzeug built from the request's Host (``//v1//events`` → ``/v1/events``)
    points at PUBLIC_BASE_URL or is relative instead: a forged Host must not reach it."""
    location = response.headers.get("Location")
    if location is None or not 300 <= response.status_code < 400:
        return response
    parts = urlsplit(location)
    if parts.netloc and parts.netloc.lower() == request.host.lower():
        path = parts.path.removeprefix(request.script_root) or "/"
        response.headers["Location"] = public_url(path) + (f"?{parts.query}" if parts.query else "")
    return response


def init_headers(app: Flask, cors_origins: tuple[str, ...]) -> None:
    """Security headers always; CORS only for the configured origins (none: no CORS)."""
    app.after_request(security_headers)
    app.after_request(redirect_without_host)
    if cors_origins:
        CORS(
            app,
            resources={r"/v1/*": {}, r"/openapi.yaml": {}, r"/openapi.json": {}},
            origins=list(cors_origins),
            allow_headers=CORS_ALLOWED_HEADERS,
            expose_headers=CORS_EXPOSED_HEADERS,
            methods=["GET", "HEAD", "POST", "OPTIONS"],
            supports_credentials=False,
            max_age=600,
        )
