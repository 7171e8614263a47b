"""Liveness and readiness probes."""

from __future__ import annotations

import sqlalchemy as sa
from marshmallow import Schema, fields
from werkzeug.exceptions import ServiceUnavailable

from .blueprint import Blueprint
from .context import log_engine
from .problems import UNAVAILABLE_RETRY_AFTER

blp = Blueprint("health", __name__, description="Probes")


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"example": "ok"})


@blp.route("/healthz", methods=["GET"])
@blp.response(200, HealthSchema)
@blp.doc(operationId="getHealth")
def healthz():
    """The process is up."""
    return {"status": "ok"}


@blp.route("/readyz", methods=["GET"])
@blp.response(200, HealthSchema)
@blp.alt_response(503, response="SERVICE_UNAVAILABLE", description="Database unreachable")
@blp.doc(operationId="getReadiness")
def readyz():
    """The database answers and is migrated."""
    try:
        with log_engine().connect() as conn:
            conn.execute(sa.text("SELECT position FROM events LIMIT 1"))
    except sa.exc.SQLAlchemyError:
        raise ServiceUnavailable(
            "the database is not reachable or not migrated", retry_after=UNAVAILABLE_RETRY_AFTER
        ) from None
    return {"status": "ok"}
