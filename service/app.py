"""The application factory: settings, engine, API, blueprints, error funnel, CLI."""

from __future__ import annotations

import logging

from flask import Flask, Response, request
from werkzeug.exceptions import UnsupportedMediaType
from werkzeug.middleware.proxy_fix import ProxyFix

from .api import (
    agreements,
    attempts,
    batches,
    chain_head,
    docs,
    events,
    health,
    json_provider,
    live,
    problems,
    proposals,
    statements,
    swaps,
)
from .api.answers import init_answers
from .api.auth import register_read_guard
from .api.bodies import init_body_limits
from .api.charts import blp as charts_blp
from .api.corrections import blp as corrections_blp
from .api.feed import blp as feed_blp
from .api.headers import init_headers
from .api.limits import init_limiter
from .api.metrics import blp as metrics_blp
from .api.observability import count_appended, init_metrics
from .api.openapi import make_api
from .api.releases import blp as releases_blp
from .api.resource_reads import agreements_blp, proposals_blp, swaps_blp
from .api.timeline import blp as timeline_blp
from .cli import register_cli
from .config import Settings
from .store.migrate import upgrade
from .web.site import init_web
from .wiring import open_log

BLUEPRINTS = (
    proposals.blp,
    agreements.blp,
    attempts.blp,
    statements.blp,
    swaps.blp,
    events.blp,
    batches.blp,
    live.blp,
    chain_head.blp,
    health.blp,
    proposals_blp,
    agreements_blp,
    swaps_blp,
    timeline_blp,
    metrics_blp,
    corrections_blp,
    releases_blp,
    feed_blp,
    charts_blp,
)
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def create_app(settings: Settings | None = None) -> Flask:
    """Build the app; nothing touches the database until a request or a command needs it."""
    settings = settings or Settings.from_env()
    logging.basicConfig(level=settings.log_level)
    app = Flask(__name__, static_folder=None)
    app.config.update(MAX_CONTENT_LENGTH=settings.max_content_length)
    json_provider.install(app)
    app.config["SETTINGS"] = settings
    if settings.auto_migrate:
        upgrade(settings.database_url)
    # The write flow (service.wiring): projections and NOTIFY on append, metrics after commit.
    app.extensions["engine"] = open_log(settings.database_url, after_commit=[count_appended])

    api = make_api(app)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.register_blueprint(docs.blp)
    init_web(app, settings)  # GET / and /embed/gaps: HTML for people, not in openapi.yaml
    problems.register(app)
    # before_request order: start the timer, count the caller, then refuse what is refused.
    init_metrics(app, settings)
    init_limiter(app, settings)
    register_read_guard(app, settings.reads_private)
    app.before_request(_require_json_body)
    init_body_limits(app)
    init_headers(app, settings.cors_origins)
    init_answers(app)  # last registered: it runs first after the view (service/api/answers.py)

    @app.get("/openapi.yaml")
    def openapi_yaml() -> Response:
        return api.document_response("yaml")

    app.extensions["api"] = api
    register_cli(app)
    if settings.trusted_proxies:
        # The client address (rate limits) and scheme from the last TRUSTED_PROXIES hops of
        # X-Forwarded-For/-Proto; a client cannot forge them past a proxy that appends its own.
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    return app


def _require_json_body() -> None:
    """415 for a body that is not JSON, but only on routes that exist (404/405 come first)."""
    if (
        request.method in BODY_METHODS
        and request.routing_exception is None
        and request.mimetype != "application/json"
    ):
        raise UnsupportedMediaType(
            "send the body as application/json"
            + (f", not {request.mimetype}" if request.mimetype else " (no Content-Type was given)")
        )
