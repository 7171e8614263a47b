"""Wiring of the pages: who may read them, their Content-Security-Policy, their error pages.

- Access: the pages are reads, so they follow ``READS_PRIVATE`` like ``/v1/`` reads (and a
  token that is sent must be valid); their stylesheet and script carry no log content and
  stay public.
- Policy: only this origin's stylesheet, script and images; no inline script or style; forms
  submit only here; nothing may frame a page except ``/embed/gaps``, which the origins in
  ``EMBED_ORIGINS`` may.
- Errors raised while serving a page (bad filters, unknown release, no token) are HTML pages
  with the status and the reason, and a way back.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import Flask, Response, current_app, render_template, request
from werkzeug.exceptions import HTTPException

from ..api.auth import current_token
from ..api.problems import DOMAIN_STATUS, flatten_messages
from ..config import Settings
from ..domain.errors import DomainError, RuleViolation
from .forms import PageArgsInvalid
from .pages import ASSET_VERSION, asset_url, blp

PAGE_CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:;"
    " form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
EMBED_ENDPOINT = "web.embed_gaps"
EMBED_POLICY = "web_embed_policy"  # app.config key
STATIC_ENDPOINT = "web.static"
# A CSP host source: scheme://host[:port], the host may start with "*." (RFC-ish, no paths:
# frame-ancestors matches origins). Anything else could smuggle in another directive.
ORIGIN = re.compile(r"^https?://(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?$")
HERE = Path(__file__).resolve().parent


def embed_csp(origins: tuple[str, ...]) -> str:
    """The page policy, framable by ``origins`` only ('none' when there are none)."""
    for origin in origins:
        if not ORIGIN.fullmatch(origin):
            raise ValueError(
                f"EMBED_ORIGINS: {origin!r} is not an origin like https://news.example"
            )
    ancestors = " ".join(origins) if origins else "'none'"
    return PAGE_CSP.replace("frame-ancestors 'none'", f"frame-ancestors {ancestors}")


def asset_version() -> str:
    """A digest of the templates and static files: part of the page ETag and asset URLs."""
    digest = hashlib.sha256()
    for path in sorted(HERE.glob("templates/**/*")) + sorted(HERE.glob("static/*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def init_web(app: Flask, settings: Settings) -> None:
    """Register the pages; refuses to start with an ``EMBED_ORIGINS`` entry that is no origin."""
    app.config[EMBED_POLICY] = embed_csp(settings.embed_origins)
    app.config[ASSET_VERSION] = asset_version()
    app.register_blueprint(blp)


@blp.before_request
def guard() -> None:
    """Private reads need a read token here too; a token that is sent must be valid."""
    if request.endpoint == STATIC_ENDPOINT:
        return
    if current_app.config["SETTINGS"].reads_private or "Authorization" in request.headers:
        current_token("read")


@blp.after_request
def policy(response: Response) -> Response:
    if response.mimetype == "text/html":
        embed = request.endpoint == EMBED_ENDPOINT
        response.headers["Content-Security-Policy"] = (
            current_app.config[EMBED_POLICY] if embed else PAGE_CSP
        )
    return response


def error_page(
    status: int, title: str, detail: str, errors: dict[str, list[str]] | None = None
) -> Response:
    html = render_template(
        "web/error.html",
        status=status,
        title=title,
        detail=detail,
        errors=errors or {},
        asset=asset_url,
    )
    return Response(html, status=status, mimetype="text/html")


def _invalid_args(error: PageArgsInvalid) -> Response:
    errors = flatten_messages(error.messages)
    return error_page(422, "These filters cannot be used", "Change or clear them.", errors)


def _domain_error(error: DomainError) -> Response:
    status = next(DOMAIN_STATUS[c] for c in type(error).__mro__ if c in DOMAIN_STATUS)
    if isinstance(error, RuleViolation):
        errors = {error.field: [error.field_message]}
        return error_page(status, "These filters cannot be used", "Change or clear them.", errors)
    response = error_page(status, _TITLES.get(status, "This page cannot be shown"), error.message)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="pow-exchange-log"'
    return response


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    response = error_page(status, error.name, error.description or error.name)
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


blp.register_error_handler(PageArgsInvalid, _invalid_args)
blp.register_error_handler(DomainError, _domain_error)
blp.register_error_handler(HTTPException, _http_error)

_TITLES = {
    401: "This log's reads are private",
    403: "This token may not read the log",
    404: "Not found",
}
