"""Failed exchange attempts."""

from __future__ import annotations

from ..domain import events as ev
from ..schemas.attempts import AttemptWrite
from .blueprint import Blueprint
from .write_views import created, write_operation

blp = Blueprint("attempts", __name__, url_prefix="/v1/attempts", description="Failed attempts")


@blp.route("", methods=["POST"])
@write_operation(blp, "createAttempt", AttemptWrite, ev.EXCHANGE_FAILED)
def create_attempt(body):
    """Record a planned or negotiated exchange that did not happen."""
    return created(body)
