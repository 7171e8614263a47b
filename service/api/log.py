"""The head of the hash chain."""

from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint

from ..schemas.common import LogHeadSchema
from ..store import queries

blp = Blueprint("log", __name__, url_prefix="/v1/log", description="Tamper evidence")


@blp.route("/head", methods=["GET"])
@blp.response(200, LogHeadSchema)
@blp.doc(operationId="getLogHead")
def get_log_head():
    """The last position and its chain hash."""
    with current_app.extensions["engine"].connect() as conn:
        position, hash_ = queries.head(conn)
    return {"position": position, "hash": hash_}
