"""Prometheus metrics at /metrics: requests by endpoint and status, events appended, log head.

Who may scrape: with ``METRICS_TOKEN`` set, only ``Authorization: Bearer <METRICS_TOKEN>``;
else, under ``READS_PRIVATE``, any valid API token (the log head, counts per event type and
traffic per route are log content); else anyone.

Under gunicorn every worker is a process: set ``PROMETHEUS_MULTIPROC_DIR`` to an empty
directory (gunicorn.conf.py does, and marks dead workers in its ``child_exit`` hook) and
prometheus-client aggregates all workers' counters; the head gauge is read from the
database at scrape time, so it is the same whichever worker answers.
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Iterator
from typing import Any

from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..config import Settings
from ..domain.errors import Unauthorized
from ..store import event_reads
from .auth import current_token

log = logging.getLogger(__name__)
# Label values come from fixed sets, whatever a client sends: gunicorn passes any method token
# (3-20 letters) to the app, and every new label value would be a new series for ever.
METHOD_LABELS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
OTHER_METHOD = "OTHER"
UNMATCHED = "unmatched"
# Our metrics live in their own registry, not the process-global default one.
REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter(
    "exchange_log_http_requests_total",
    "HTTP requests by endpoint, method and status",
    ["endpoint", "method", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "exchange_log_http_request_duration_seconds",
    "Time to produce the response, by endpoint, method and status",
    ["endpoint", "method", "status"],
    registry=REGISTRY,
)
EVENTS_APPENDED = Counter(
    "exchange_log_events_appended_total",
    "Events committed to the log, by type",
    ["type"],
    registry=REGISTRY,
)


class _Forward(Collector):
    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterator[Any]:
        return iter(self.registry.collect())


class HeadCollector(Collector):
    """The log head position, read from the database when scraped."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            with self.engine.connect() as conn:
                position, _hash = event_reads.head(conn)
        except SQLAlchemyError:
            log.warning("metrics: the log head is unavailable (database unreachable)")
            return  # the other metrics are still served; /readyz reports the database
        yield GaugeMetricFamily(
            "exchange_log_head_position", "Position of the last event in the log", value=position
        )


def count_appended(appended: list[Any]) -> None:
    """After-commit hook: one increment per committed event, labelled by its type."""
    for event in appended:
        EVENTS_APPENDED.labels(type=event.type).inc()


def scrape(engine: Engine) -> bytes:
    """The exposition text: every worker's metrics (multiprocess) plus the head gauge."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Forward(REGISTRY))
    registry.register(HeadCollector(engine))
    return generate_latest(registry)


def _start_timer() -> None:
    g.request_started = time.perf_counter()


def request_labels(status: int) -> dict[str, str]:
    """Bounded labels: a route template (or ``unmatched``), a known method, a status code.

    The route template, not the path (/v1/events/<uuid:event_id>), so labels stay few; a
    404, a 405 and a 429 on an unknown path share ``unmatched``; an invented method is
    ``OTHER``; a status outside 100-599 (none is sent) would be ``other``.
    """
    rule = request.url_rule
    method = request.method if request.method in METHOD_LABELS else OTHER_METHOD
    status_label = str(status) if 100 <= status <= 599 else "other"
    return {
        "endpoint": rule.rule if rule is not None else UNMATCHED,
        "method": method,
        "status": status_label,
    }


def _observe(response: Response) -> Response:
    started = g.pop("request_started", None)
    if started is None:
        return response
    labels = request_labels(response.status_code)
    REQUESTS.labels(**labels).inc()
    LATENCY.labels(**labels).observe(time.perf_counter() - started)
    return response


def check_scraper(settings: Settings) -> None:
    """Refuse a scrape the settings do not allow (401 problem), see the module docstring."""
    if settings.metrics_token:
        scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
        sent = secret.strip().encode("utf-8")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            sent, settings.metrics_token.encode("utf-8")
        ):
            raise Unauthorized("send Authorization: Bearer <METRICS_TOKEN> to read /metrics")
    elif settings.reads_private:
        current_token("read")


def init_metrics(app: Flask, settings: Settings) -> None:
    """Time every request and serve /metrics (``count_appended`` is installed by wiring)."""
    app.before_request(_start_timer)
    app.after_request(_observe)

    @app.get("/metrics")
    def metrics() -> Response:
        check_scraper(settings)
        return Response(scrape(app.extensions["engine"]), content_type=CONTENT_TYPE_LATEST)
