"""The head of the hash chain."""

from __future__ import annotations

from ..schemas.common import LogHeadSchema
from ..store import event_reads
from .blueprint import Blueprint
from .context import log_engine

blp = Blueprint("log", __name__, url_prefix="/v1/log", description="Tamper evidence")


@blp.route("/head", methods=["GET"])
@blp.response(200, LogHeadSchema)
@blp.doc(operationId="getLogHead")
def get_log_head():
    """The last position and its chain hash."""
    with log_engine().connect() as conn:
        position, hash_ = event_reads.head(conn)
    return {"position": position, "hash": hash_}
